// Aggregate types θ(w) of task-weight profiles (Lemma 1) and sampled profiles (scenario
// `buyers.profiles`): closed forms of θ, permutation invariance (exact), task shares, seeded
// reproducibility, value–scale profiles with θ = w s^(1−σ), and the empirical θ distribution.

import fc from "fast-check";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { aggregateType, aggregateTypeOfRow, taskShares } from "../engine/distributions/aggregate-type.js";
import { buildBuyers, buildDistribution } from "../engine/distributions/from-spec.js";
import { profilesDistribution, profileTypeDistribution, sampleProfiles } from "../engine/distributions/profiles.js";
import { InputError } from "../engine/errors.js";
import type { ProfilesSpec } from "../engine/scenario/spec-types.js";
import { expectClose } from "./helpers/close.js";

const EPS = 2.220446049250313e-16;

describe("aggregateType (Lemma 1)", () => {
  it("a constant profile has θ = w; two bins have θ = ((a^p + b^p)/2)^(1/p), p = 1/(1−σ)", () => {
    for (const sigma of [0.1, 0.5, 0.9]) {
      expectClose(aggregateType([2.5, 2.5, 2.5, 2.5], sigma), 2.5, 4 * EPS, 0, `constant, σ ${sigma}`);
      const p = 1 / (1 - sigma);
      expectClose(aggregateType([1, 3], sigma), Math.pow((1 + Math.pow(3, p)) / 2, 1 / p), 1e-14, 0, `two bins, σ ${sigma}`);
      // w on the first half, 0 elsewhere: θ = w (1/2)^(1−σ) (value–scale with s = 1/2)
      expectClose(aggregateType([4, 4, 0, 0], sigma), 4 * Math.pow(0.5, 1 - sigma), 1e-14, 0, `half, σ ${sigma}`);
    }
    expect(aggregateType([0, 0, 0], 0.5)).toBe(0);
  });

  it("does not overflow for large weights or σ near 1", () => {
    expectClose(aggregateType([1e300, 1e300], 0.99), 1e300, 1e-14, 0, "large weights");
    expectClose(aggregateType([1, 2], 0.999), Math.pow((1 + Math.pow(2, 1000)) / 2, 0.001), 1e-12, 0, "σ = 0.999");
  });

  it("permutations of a profile get exactly the same θ; θ is homogeneous of degree 1 (fast-check)", () => {
    fc.assert(
      fc.property(
        // zero or normal weights (a subnormal θ has too few bits for a relative comparison)
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-100, max: 100, noNaN: true })), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.integer({ min: 0, max: 1000 }),
        (w, sigma, seed) => {
          const shuffled = [...w];
          const rng = seedrandom.alea(String(seed));
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = Math.floor(rng() * (i + 1));
            [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
          }
          expect(aggregateType(shuffled, sigma), `w = ${w}, shuffled = ${shuffled}`).toBe(aggregateType(w, sigma));
          const theta = aggregateType(w, sigma);
          expectClose(aggregateType(w.map((x) => 3 * x), sigma), 3 * theta, 1e-14, 0, "θ(3w) = 3θ(w)");
          // between the mean-of-bins bounds: max(w)·n^(−(1−σ)) ≤ θ ≤ max(w)
          const wmax = Math.max(...w);
          expect(theta).toBeLessThanOrEqual(wmax * (1 + 4 * EPS));
          expect(theta).toBeGreaterThanOrEqual(wmax * Math.pow(w.length, -(1 - sigma)) * (1 - 1e-14));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("aggregateTypeOfRow reads one row of a row-major table", () => {
    const table = new Float64Array([1, 2, 3, 4, 4, 4]);
    expect(aggregateTypeOfRow(table, 3, 3, 0.5)).toBe(aggregateType([4, 4, 4], 0.5));
  });

  it("rejects negative weights and σ ∉ (0, 1)", () => {
    expect(() => aggregateType([1, -1], 0.5)).toThrow(InputError);
    expect(() => aggregateType([1, 1], 1)).toThrow(InputError);
  });
});

describe("taskShares (Lemma 1's split of the budget)", () => {
  it("shares ∝ w_i^(1/(1−σ)), summing to 1; zero profile gets equal shares", () => {
    const out = new Float64Array(3);
    taskShares([1, 2, 0], 0.5, out);
    // p = 2: 1, 4, 0 → 1/5, 4/5, 0
    expectClose(out[0], 0.2, 1e-15, 0, "share 0");
    expectClose(out[1], 0.8, 1e-15, 0, "share 1");
    expect(out[2]).toBe(0);
    expect(Array.from(taskShares([0, 0], 0.3, new Float64Array(2)))).toEqual([0.5, 0.5]);
  });

  it("the shares attain θ: Σ_i w_i (n·share_i)^σ / n = θ (Lemma 1 with a unit budget)", () => {
    // With budget X spread as x_i = n·share_i per unit task measure and Ψ = x^σ per task,
    // ∫ w_i x_i^σ di = θ (∫ x)^σ = θ for ∫ x = 1 (the buyer's optimum, docs/model.md Lemma 1).
    for (const sigma of [0.2, 0.5, 0.8]) {
      const w = [0.3, 1.2, 0, 2.5, 0.7];
      const n = w.length;
      const shares = taskShares(w, sigma, new Float64Array(n));
      const value = w.reduce((acc, wi, i) => acc + (wi * Math.pow(n * shares[i], sigma)) / n, 0);
      expectClose(value, aggregateType(w, sigma), 1e-14, 0, `σ ${sigma}`);
    }
  });
});

describe("sampleProfiles", () => {
  const iid: ProfilesSpec = { kind: "iid", samples: 200, tasks: 8, weight: { dist: "beta", a: 2, b: 5, min: 0, max: 3 } };
  const vs: ProfilesSpec = {
    kind: "valueScale",
    samples: 500,
    tasks: 10,
    w: { dist: "truncLognormal", mu: 0, sigma: 0.5, min: 0.2, max: 5 },
    s: { dist: "uniform", min: 0, max: 1 },
  };

  it("same seed → identical samples; another seed → different ones", () => {
    const a = sampleProfiles(iid, 0.5, 42);
    const b = sampleProfiles(iid, 0.5, 42);
    const c = sampleProfiles(iid, 0.5, 43);
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
    expect(Array.from(a.weights)).not.toEqual(Array.from(c.weights));
    expect(a.weights.length).toBe(200 * 8);
    for (const x of a.weights) expect(x >= 0 && x <= 3).toBe(true);
    for (let i = 0; i < 200; i++) expect(a.theta[i]).toBe(aggregateType(a.weights.subarray(i * 8, (i + 1) * 8), 0.5));
  });

  it("draws by inverse cdf from one alea stream in the documented order (tasks of sample 0, then 1, …)", () => {
    const spec: ProfilesSpec = { kind: "iid", samples: 3, tasks: 4, weight: { dist: "uniform", min: 1, max: 3 } };
    const got = sampleProfiles(spec, 0.5, 7).weights;
    const rng = seedrandom.alea("7");
    const weight = buildDistribution(spec.weight, "w");
    for (let i = 0; i < 12; i++) expect(got[i]).toBe(weight.quantile(rng.double()));
  });

  it("value–scale profiles: θ = w s^(1−σ) to rounding (exact share of the straddling bin)", () => {
    for (const sigma of [0.2, 0.5, 0.8]) {
      const { weights, theta } = sampleProfiles(vs, sigma, 3);
      // replay the documented stream: w then s for each sample
      const rng = seedrandom.alea("3");
      const W = buildDistribution(vs.w, "w");
      const S = buildDistribution(vs.s, "s");
      for (let i = 0; i < 500; i++) {
        const w = W.quantile(rng.double());
        const s = S.quantile(rng.double());
        // discretization error 0 by construction; rounding of n·s, r^(1−σ) and the power sum
        expectClose(theta[i], w * Math.pow(s, 1 - sigma), 1e-13, 0, `σ ${sigma}, sample ${i}: w = ${w}, s = ${s}`);
        const m = Math.floor(s * 10);
        for (let j = 0; j < m; j++) expect(weights[i * 10 + j]).toBe(w);
        for (let j = m + 1; j < 10; j++) expect(weights[i * 10 + j]).toBe(0);
      }
    }
  });

  it("validates counts, seed and weight support at their paths", () => {
    const bad = (spec: ProfilesSpec, path: string) => {
      try {
        sampleProfiles(spec, 0.5, 1);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        expect((e as InputError).path).toBe(path);
        return;
      }
      throw new Error(`no error for ${path}`);
    };
    bad({ ...iid, samples: 0 }, "buyers.profiles.samples");
    bad({ ...iid, tasks: 2.5 }, "buyers.profiles.tasks");
    bad({ ...iid, weight: { dist: "uniform", min: -1, max: 1 } }, "buyers.profiles.weight");
    bad({ ...vs, s: { dist: "uniform", min: 0, max: 2 } }, "buyers.profiles.s");
    bad({ ...iid, samples: 1e6, tasks: 1e3 }, "buyers.profiles");
  });
});

describe("empirical θ distribution of sampled profiles", () => {
  it("equal θ's (permuted profiles) are one atom with probability count/N", () => {
    // weights ∈ {1, 2} on 2 tasks: (1,2) and (2,1) have the same θ
    const spec: ProfilesSpec = { kind: "iid", samples: 400, tasks: 2, weight: { dist: "discrete", values: [1, 2], probs: [0.5, 0.5] } };
    const { weights, theta } = sampleProfiles(spec, 0.5, 11);
    const d = profilesDistribution(spec, 0.5, 11);
    expect(d.values.length).toBe(3); // θ(1,1), θ(1,2) = θ(2,1), θ(2,2)
    let mixed = 0;
    for (let i = 0; i < 400; i++) if (weights[2 * i] !== weights[2 * i + 1]) mixed++;
    expect(d.probs[1]).toBe(mixed / 400);
    expectClose(d.values[1], aggregateType([1, 2], 0.5), 0, 0, "θ(1, 2)");
    let total = 0;
    for (const p of d.probs) total += p;
    expectClose(total, 1, 0, 4 * EPS, "Σ probabilities");
    expect(d.cdf(d.max)).toBe(1);
    expect(theta.length).toBe(400);
  });

  it("profileTypeDistribution merges exactly equal doubles only", () => {
    const d = profileTypeDistribution([0.5, 0.25, 0.5, 0.5 + 1e-16, 1]);
    expect(Array.from(d.values)).toEqual([0.25, 0.5, 0.5 + 1e-16, 1].filter((v, i, a) => a.indexOf(v) === i));
    expect(d.probs[0]).toBe(0.2);
  });

  it("buildBuyers(profiles) equals the empirical distribution of sampleProfiles with the scenario seed", () => {
    const spec: ProfilesSpec = { kind: "iid", samples: 100, tasks: 5, weight: { dist: "uniform", min: 0, max: 1 } };
    const d = buildBuyers({ profiles: spec }, 0.4, 9);
    const { theta } = sampleProfiles(spec, 0.4, 9);
    expect(d.discrete).toBe(true);
    if (!d.discrete) return;
    expect(Array.from(d.values)).toEqual(Array.from(theta).sort((a, b) => a - b));
  });
});
