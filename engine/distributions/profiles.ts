// Sampled task-weight profiles (docs/model.md section 1, Lemma 1; scenario `buyers.profiles`) and the
// empirical distribution of their aggregate types θ(w).
//
// Reproducibility: one seedrandom `alea` stream seeded with String(seed), 53-bit uniforms
// (`double()`), drawn in row-major order — for `iid`, the tasks of sample 0, then of sample 1, …;
// for `valueScale`, w then s of each sample. Every draw is an inverse-cdf sample (quantile of a
// uniform) through the type distributions, so the same seed gives the same profiles on every
// machine.
//
// Value–scale profiles: the weight is w on the first share s of the n equal task bins. s·n is
// rarely an integer, so with m = ⌊s·n⌋ and r = s·n − m the first m bins get w and bin m (the one
// straddling s) gets w·r^(1−σ). By Lemma 1 a bin with weight w on a fraction r of it contributes
// r·w^(1/(1−σ))/n to ∫ w^(1/(1−σ)), exactly what weight w·r^(1−σ) on the whole bin contributes, so
// θ(profile) = w s^(1−σ) exactly (up to rounding) for every n, not just as n → ∞.

import type seedrandomType from "seedrandom";
import { requirePackage } from "../lazy-require.js";
import type { ProfilesSpec } from "../scenario/spec-types.js";
import { InputError } from "../errors.js";
import { aggregateTypeOfRow } from "./aggregate-type.js";
import { Discrete } from "./discrete.js";
import { buildDistribution } from "./from-spec.js";
import { fmt, requireFinite } from "./param-checks.js";
import { listProfilesDistribution } from "./task-types.js";
import type { DiscreteDistribution, TypeDistribution } from "./types.js";

/** Largest profile table (samples × tasks) held in memory: 160 MB of doubles. */
export const MAX_PROFILE_ENTRIES = 20_000_000;

export interface SampledProfiles {
  /** samples × tasks, row-major: weights[i·tasks + j] is the weight of task bin j in profile i */
  weights: Float64Array;
  /** θ(w) of each profile (Lemma 1) */
  theta: Float64Array;
  samples: number;
  tasks: number;
}

function requireCount(x: number, path: string): number {
  if (!(Number.isInteger(x) && x >= 1)) throw new InputError(path, `must be an integer ≥ 1, got ${x}`);
  return x;
}

function requireNonnegative(d: TypeDistribution, path: string): void {
  if (!(d.min >= 0)) throw new InputError(path, `task weights must be ≥ 0, but the distribution's support starts at ${d.min}`);
}

/** Draw the profiles of `spec` with the scenario `seed` and compute their aggregate types. */
export function sampleProfiles(spec: ProfilesSpec, sigma: number, seed: number, path = "buyers.profiles"): SampledProfiles {
  if (spec.kind === "list") throw new InputError(`${path}.kind`, "listed profiles are not sampled");
  const samples = requireCount(spec.samples, `${path}.samples`);
  const tasks = requireCount(spec.tasks, `${path}.tasks`);
  if (samples * tasks > MAX_PROFILE_ENTRIES) {
    throw new InputError(path, `samples × tasks = ${samples * tasks} exceeds the limit of ${MAX_PROFILE_ENTRIES} weights`);
  }
  requireFinite(seed, "seed");
  if (!(sigma > 0 && sigma < 1)) throw new InputError("technology.sigma", `must be in (0, 1), got ${sigma}`);
  // Loaded on first use: most scenarios never sample (start-up is part of speed).
  const seedrandom = requirePackage("seedrandom") as typeof seedrandomType;
  const rng = seedrandom.alea(String(seed));
  const weights = new Float64Array(samples * tasks);
  const k = 1 - sigma;

  if (spec.kind === "iid") {
    const weight = buildDistribution(spec.weight, `${path}.weight`);
    requireNonnegative(weight, `${path}.weight`);
    for (let i = 0; i < weights.length; i++) weights[i] = weight.quantile(rng.double());
  } else if (spec.kind === "valueScale") {
    const w = buildDistribution(spec.w, `${path}.w`);
    const s = buildDistribution(spec.s, `${path}.s`);
    requireNonnegative(w, `${path}.w`);
    if (!(s.min >= 0 && s.max <= 1)) {
      throw new InputError(`${path}.s`, `the share of tasks s must lie in (0, 1], but its support is [${s.min}, ${s.max}]`);
    }
    for (let i = 0; i < samples; i++) {
      const wi = w.quantile(rng.double());
      const si = s.quantile(rng.double());
      const covered = si * tasks;
      const m = Math.min(tasks, Math.floor(covered));
      const row = i * tasks;
      for (let j = 0; j < m; j++) weights[row + j] = wi;
      const r = covered - m;
      if (m < tasks && r > 0) weights[row + m] = wi * Math.pow(r, k);
    }
  } else {
    throw new InputError(`${path}.kind`, `unknown profile kind ${String((spec as { kind: unknown }).kind)}`);
  }

  const theta = new Float64Array(samples);
  for (let i = 0; i < samples; i++) theta[i] = aggregateTypeOfRow(weights, i * tasks, tasks, sigma);
  return { weights, theta, samples, tasks };
}

/**
 * Empirical distribution of sampled aggregate types: each sample has probability 1/N; equal θ's
 * (exactly equal doubles, e.g. permutations of one profile) are one atom with probability count/N.
 */
export function profileTypeDistribution(theta: ArrayLike<number>, label?: string): DiscreteDistribution {
  const n = theta.length;
  if (n === 0) throw new InputError("buyers.profiles.samples", "needs at least one sample");
  const sorted = Float64Array.from(theta);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(sorted[i])) throw new InputError("buyers.profiles", `profile ${i} has aggregate type ${sorted[i]}`);
  }
  sorted.sort();
  const values = new Float64Array(n);
  const probs = new Float64Array(n);
  let m = 0;
  let run = 1;
  for (let i = 1; i <= n; i++) {
    if (i < n && sorted[i] === sorted[i - 1]) {
      run++;
      continue;
    }
    values[m] = sorted[i - 1];
    probs[m] = run / n;
    m++;
    run = 1;
  }
  return new Discrete(
    values.slice(0, m),
    probs.slice(0, m),
    label ?? `sampled profiles (${n} samples, ${m} distinct θ on [${fmt(values[0])}, ${fmt(values[m - 1])}])`,
  );
}

/** The type distribution of `buyers.profiles`: sample, then take the empirical θ distribution. */
export function profilesDistribution(spec: ProfilesSpec, sigma: number, seed: number, path = "buyers.profiles"): DiscreteDistribution {
  if (spec.kind === "list") return listProfilesDistribution(spec.weights, spec.probs, sigma);
  const { theta, samples, tasks } = sampleProfiles(spec, sigma, seed, path);
  return profileTypeDistribution(theta, `sampled ${spec.kind} profiles (${samples} samples × ${tasks} tasks, seed ${seed})`);
}
