// Finite sets of task-profile types for menus of token distributions (docs/model.md section 4):
// each type is a weight on each of M equal-mass task bins and a probability. Three sources:
//   - an explicit list (`buyers.profiles` with kind "list": rows of M weights, probabilities);
//   - sampled profiles (`buyers.profiles` iid / valueScale with `tasks` = M, profiles.ts): each
//     sample has probability 1/samples;
//   - value–scale types (`buyers.valueScale`, the paper's second case), discretized: w at
//     `grid.w` quantile midpoints F_w⁻¹((i − ½)/K_w) (the atoms when w is discrete), s at `grid.s`
//     quantile midpoints rounded UP to the next bin boundary k/M (so that a type covers whole bins
//     and its profile is exact: weight w on bins 1..k, 0 beyond), atoms likewise rounded; types
//     with equal (w, k) merge. As K_w, K_s and M grow the types converge in law to (w, s).
// Identical profiles are one type (probabilities summed): two buyers with the same weights on
// every task are indistinguishable under any contract. A type's index is its first row / sample
// (value–scale types: their position in the w-major grid); results refer to types by it.
// Also the aggregate-type law θ(w) of the same types (Lemma 1), for the token-budget menu:
// profiles with equal θ are one atom there (Proposition 1).

import { InputError } from "../errors.js";
import type { BuyersSpec, DistSpec } from "../scenario/spec-types.js";
import { aggregateTypeOfRow } from "./aggregate-type.js";
import { Discrete } from "./discrete.js";
import { buildDistribution } from "./from-spec.js";
import { fmt } from "./param-checks.js";
import { sampleProfiles } from "./profiles.js";
import { MAX_TASK_TYPES } from "./task-limits.js";
import type { DiscreteDistribution, TypeDistribution } from "./types.js";


export interface TaskTypes {
  /** number of types */
  n: number;
  /** number of equal-mass task bins */
  m: number;
  /** n × m, row-major */
  w: Float64Array;
  p: Float64Array;
  /** θ(w^i) (Lemma 1) */
  theta: Float64Array;
  /** index of each type in its source (list row, sample, value–scale grid cell) */
  source: Int32Array;
  /** value–scale types: the (w, s) of each type */
  valueScale?: { w: Float64Array; s: Float64Array };
  /** how the types were built, for reports */
  label: string;
  /** merged duplicates and roundings, for the solver notes */
  notes: string[];
}

export interface ValueScaleGrid {
  w: number;
  s: number;
}

/** The finite task-profile types of `buyers` on `bins` task bins (InputError with its JSON path). */
export function taskTypes(buyers: BuyersSpec, sigma: number, seed: number, bins: number, grid: ValueScaleGrid = { w: 8, s: 8 }): TaskTypes {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new InputError("market.bins", `must be an integer ≥ 1, got ${bins}`);
  if ("profiles" in buyers) {
    const spec = buyers.profiles;
    if (spec.kind === "list") return fromList(spec.weights, spec.probs, sigma, bins, `market.bins is ${bins}`);
    if (spec.tasks !== bins) {
      throw new InputError("market.bins", `must equal buyers.profiles.tasks (${spec.tasks}): each sampled profile has one weight per task bin, got ${bins}`);
    }
    const s = sampleProfiles(spec, sigma, seed);
    const probs = new Float64Array(s.samples).fill(1 / s.samples);
    return merge(s.weights, probs, bins, sigma, Int32Array.from({ length: s.samples }, (_, i) => i), `${s.samples} sampled ${spec.kind} profiles (seed ${seed})`, "sample");
  }
  if ("valueScale" in buyers) return fromValueScale(buyers.valueScale.w, buyers.valueScale.s, sigma, bins, grid);
  throw new InputError("buyers", "the tokenDistributions market needs task profiles: give buyers.profiles (a list, or sampled) or buyers.valueScale");
}

function fromList(weights: number[][], probs: number[], sigma: number, bins: number, binsFrom: string): TaskTypes {
  const path = "buyers.profiles";
  if (!Array.isArray(weights) || weights.length === 0) throw new InputError(`${path}.weights`, "needs at least one profile (a row of weights)");
  if (!Array.isArray(probs) || probs.length !== weights.length) {
    throw new InputError(`${path}.probs`, `needs one probability per profile: ${weights.length} profiles, ${Array.isArray(probs) ? probs.length : 0} probs`);
  }
  const n = weights.length;
  const w = new Float64Array(n * bins);
  weights.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== bins) {
      throw new InputError(`${path}.weights[${i}]`, `has ${Array.isArray(row) ? row.length : 0} weights, but ${binsFrom} (one weight per task bin)`);
    }
    row.forEach((x, b) => {
      if (!(typeof x === "number" && x >= 0 && x < Infinity)) throw new InputError(`${path}.weights[${i}][${b}]`, `task weights must be finite and ≥ 0, got ${x}`);
      w[i * bins + b] = x;
    });
  });
  const p = new Float64Array(n);
  let sum = 0;
  probs.forEach((x, i) => {
    if (!(typeof x === "number" && x > 0 && x < Infinity)) throw new InputError(`${path}.probs[${i}]`, `probabilities must be > 0, got ${x}`);
    p[i] = x;
    sum += x;
  });
  if (!(Math.abs(sum - 1) <= 1e-9)) throw new InputError(`${path}.probs`, `probabilities must sum to 1 (within 1e-9), got ${fmt(sum)}`);
  for (let i = 0; i < n; i++) p[i] /= sum;
  return merge(w, p, bins, sigma, Int32Array.from({ length: n }, (_, i) => i), `${n} listed profiles`, "row");
}

/** Merges identical rows (probabilities summed, the first row's index kept) and computes θ. */
function merge(w: Float64Array, p: Float64Array, m: number, sigma: number, source: Int32Array, label: string, what: string): TaskTypes {
  const n = p.length;
  const firstOf = new Map<string, number>();
  const keep: number[] = [];
  const prob: number[] = [];
  const notes: string[] = [];
  const merged = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = Array.from(w.subarray(i * m, (i + 1) * m)).join(",");
    const j = firstOf.get(key);
    if (j === undefined) {
      firstOf.set(key, keep.length);
      keep.push(i);
      prob.push(p[i]);
    } else {
      prob[j] += p[i];
      const list = merged.get(keep[j]) ?? [];
      list.push(source[i]);
      merged.set(keep[j], list);
    }
  }
  if (keep.length > MAX_TASK_TYPES) {
    throw new InputError("buyers", `${keep.length} distinct task profiles; the tokenDistributions market solves at most ${MAX_TASK_TYPES} types`);
  }
  if (merged.size) {
    const parts = [...merged].slice(0, 5).map(([i, js]) => `${what} ${source[i]} with ${js.map((j) => `${what} ${j}`).join(", ")}`);
    notes.push(`identical profiles are one type (probabilities summed): ${parts.join("; ")}${merged.size > 5 ? "; …" : ""}`);
  }
  const k = keep.length;
  const wk = new Float64Array(k * m);
  const theta = new Float64Array(k);
  keep.forEach((i, r) => {
    wk.set(w.subarray(i * m, (i + 1) * m), r * m);
    theta[r] = aggregateTypeOfRow(wk, r * m, m, sigma);
  });
  if (!theta.some((t) => t > 0)) throw new InputError("buyers", "every profile has zero weight on every task: nobody values anything");
  return { n: k, m, w: wk, p: Float64Array.from(prob), theta, source: Int32Array.from(keep, (i) => source[i]), label, notes };
}

/** Atoms of a distribution: its own for a discrete law, else K quantile midpoints of mass 1/K. */
function discretize(spec: DistSpec, k: number, path: string): { values: Float64Array; probs: Float64Array; d: TypeDistribution } {
  const d = buildDistribution(spec, path);
  if (d.discrete) return { values: Float64Array.from(d.values), probs: Float64Array.from(d.probs), d };
  const values = Float64Array.from({ length: k }, (_, i) => d.quantile((i + 0.5) / k));
  return { values, probs: new Float64Array(k).fill(1 / k), d };
}

function fromValueScale(wSpec: DistSpec, sSpec: DistSpec, sigma: number, m: number, grid: ValueScaleGrid): TaskTypes {
  for (const key of ["w", "s"] as const) {
    const v = grid[key];
    if (!(Number.isInteger(v) && v >= 1 && v <= 1000)) throw new InputError(`market.valueScaleGrid.${key}`, `must be an integer from 1 to 1000, got ${v}`);
  }
  const W = discretize(wSpec, grid.w, "buyers.valueScale.w");
  const S = discretize(sSpec, grid.s, "buyers.valueScale.s");
  if (!(W.d.min >= 0)) throw new InputError("buyers.valueScale.w", `task values must be ≥ 0, but the support starts at ${W.d.min}`);
  if (!(S.d.min >= 0 && S.d.max <= 1)) throw new InputError("buyers.valueScale.s", `the share of tasks s must lie in (0, 1], but its support is [${S.d.min}, ${S.d.max}]`);
  // s rounded up to whole bins: k = ⌈s M⌉ (at least 1), equal k merged.
  const kOf = new Map<number, number>();
  let rounded = 0;
  S.values.forEach((s, j) => {
    const k = Math.min(m, Math.max(1, Math.ceil(s * m - 1e-9)));
    if (Math.abs(k / m - s) > 1e-12) rounded++;
    kOf.set(k, (kOf.get(k) ?? 0) + S.probs[j]);
  });
  const ks = [...kOf.keys()].sort((a, b) => a - b);
  const rows: number[][] = [];
  const probs: number[] = [];
  const ws: number[] = [];
  const ss: number[] = [];
  W.values.forEach((wv, i) => {
    for (const k of ks) {
      rows.push(Array.from({ length: m }, (_, b) => (b < k ? wv : 0)));
      probs.push(W.probs[i] * (kOf.get(k) as number));
      ws.push(wv);
      ss.push(k / m);
    }
  });
  const n = rows.length;
  const w = new Float64Array(n * m);
  rows.forEach((r, i) => w.set(r, i * m));
  const types = merge(w, Float64Array.from(probs), m, sigma, Int32Array.from({ length: n }, (_, i) => i), `value–scale types: ${W.values.length} values of w × ${ks.length} shares s on ${m} task bins`, "cell");
  types.valueScale = { w: Float64Array.from(types.source, (i) => ws[i]), s: Float64Array.from(types.source, (i) => ss[i]) };
  if (rounded) types.notes.push(`${rounded} of ${S.values.length} values of s rounded up to the next multiple of 1/${m} (whole task bins)`);
  return types;
}

/** The law of θ(w) over the types (equal θ one atom): the buyers of the token-budget menu. */
export function aggregateTypeLaw(types: TaskTypes): DiscreteDistribution {
  const order = Array.from({ length: types.n }, (_, i) => i).sort((a, b) => types.theta[a] - types.theta[b]);
  const values: number[] = [];
  const probs: number[] = [];
  for (const i of order) {
    const t = types.theta[i];
    if (values.length && values[values.length - 1] === t) probs[probs.length - 1] += types.p[i];
    else {
      values.push(t);
      probs.push(types.p[i]);
    }
  }
  return new Discrete(Float64Array.from(values), Float64Array.from(probs), `aggregate types θ(w) of ${types.label}`);
}

/** The aggregate-type law of listed profiles (buyers.profiles kind "list") for any market. */
export function listProfilesDistribution(weights: number[][], probs: number[], sigma: number): DiscreteDistribution {
  const m = Array.isArray(weights) && Array.isArray(weights[0]) ? weights[0].length : 0;
  if (!(m >= 1)) throw new InputError("buyers.profiles.weights[0]", "a profile needs at least one task bin");
  return aggregateTypeLaw(fromList(weights, probs, sigma, m, `the first profile has ${m}`));
}
