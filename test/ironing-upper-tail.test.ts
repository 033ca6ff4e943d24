// Ironing in an upper tail where 1 − F is far below the rounding of F (engine/distributions/
// ironing.ts: differences of u = F taken from 1 − F above the median), and the monopoly's checks
// at the types beside the law's kinks (solvers/monopoly-continuous.ts).
//
// m00 is a second independent auditor's mixture (6 Dec 2026): its first uniform component ends
// at 1.8523, where the only mass left above is a beta tail of ~2e-26, so f falls from 0.30 to
// ~1e-23 and h = θ − (1 − F)/f falls by 1.6e-3. F is 1 to the last bit there: the hull in
// u = F saw every type past the kink as one point, the dip went unironed, and the menu was
// certified while a type at 1.8538 gained 1.7e-6 by taking the item of 1.8523.
//
// c6 is market 6 of the random scan, seed 7 (scripts/random-market-scan.mjs): with the checks
// at the types beside the kinks, the envelope check found the rents 2.7e-8 off, integrated
// across the jump of Q at a component's start; the rents now split there.

import { describe, expect, it } from "vitest";
import { buildDistribution } from "../engine/distributions/from-spec.js";
import { ironVirtualType } from "../engine/distributions/ironing.js";
import type { ContinuousDistribution } from "../engine/distributions/types.js";
import { brent } from "../engine/numerics/brent.js";
import { parseScenario } from "../engine/scenario/load.js";
import { prepareSolvers, solveScenario } from "../solvers/solve.js";

const M00 = {
  dist: "mixture",
  components: [
    { dist: "uniform", min: 1.4904, max: 1.8523 },
    { dist: "beta", a: 10.7731, b: 22.1866, min: 0.8395, max: 1.8875 },
    { dist: "uniform", min: 0.7087, max: 1.7002 },
    { dist: "beta", a: 2.0001, b: 1.0264, min: 1.4404, max: 1.6713 },
  ],
  weights: [0.109375, 0.28125, 0.390625, 0.21875],
};
const KINK = 1.8523;
const TOKENS = { rho: 0.5, classes: [{ name: "input", alpha: 0.4, cost: 0.1 }, { name: "output", alpha: 0.6, cost: 0.3 }] };

/** Largest gain of any type of `ts` from taking another's item (utility θQ − t). */
function icGain(items: { theta: number; Q: number; t: number }[]): { gain: number; at: [number, number] } {
  let gain = 0;
  let at: [number, number] = [NaN, NaN];
  for (const p of items)
    for (const q of items) {
      const g = p.theta * q.Q - q.t - (p.theta * p.Q - p.t);
      if (g > gain) [gain, at] = [g, [p.theta, q.theta]];
    }
  return { gain, at };
}

describe("a dip of h in an upper tail of mass 1e-26 (auditor's mixture m00)", () => {
  const dist = buildDistribution(M00 as never, "buyers.theta") as ContinuousDistribution;

  it("the tail is below F's rounding (the premise): F is 1 past the kink while 1 − F and h are resolved", () => {
    expect(dist.cdf(KINK + 1e-4)).toBe(1);
    expect(dist.sf(KINK + 1e-4)).toBeGreaterThan(1e-27);
    expect(dist.sf(KINK + 1e-4)).toBeLessThan(1e-25);
    expect(dist.virtualType(KINK - 1e-9) - dist.virtualType(KINK + 1e-9)).toBeGreaterThan(1e-3);
  });

  it("is ironed: an interval from the kink to where h regains its level there, found independently by Brent on h", () => {
    const iron = ironVirtualType(dist);
    const iv = iron.details.find((d) => d.from <= KINK && d.to > KINK);
    expect(iv, JSON.stringify(iron.details)).toBeDefined();
    // the mass left of the kink dominates the pool by 1e11: its level is h just below the kink,
    // which is the kink itself (h = 2θ − 1.8523 there), and the interval ends where h climbs back to it
    const level = KINK;
    const end = brent((t) => dist.virtualType(t) - level, KINK + 1e-6, KINK + 0.01).root;
    expect(Math.abs(iv!.level - level), `level ${iv!.level}`).toBeLessThan(1e-9);
    expect(Math.abs(iv!.to - end), `right end ${iv!.to} vs ${end}`).toBeLessThan(1e-9);
    expect(iv!.from).toBeGreaterThan(KINK - 1e-9);
    expect(iv!.refined).toBe(true);
  });

  it("the monopoly's menu is IC on 1,401 types around the kink (gain ≤ 1e-12), and certified with passing checks", () => {
    const sol = solveScenario(
      parseScenario(
        { name: "auditor-m00", buyers: { theta: M00 }, technology: { sigma: 0.5, tokens: TOKENS }, market: { kind: "monopoly" } },
        { figures: false },
      ),
    );
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
    const ts = Array.from({ length: 1401 }, (_, i) => 1.85 + (0.007 * i) / 1400);
    const items = ts.map((th) => {
      const p = sol.pointAt(th);
      return { theta: th, Q: p.Q as number, t: p.t as number };
    });
    const { gain, at } = icGain(items);
    // until 6 Dec 2026: 1.7e-6, type 1.85384 taking the item of 1.8523
    expect(gain, `type ${at[0]} taking the item of ${at[1]}`).toBeLessThan(1e-12);
  });
});

describe("the monopoly's rents across a jump of the density (random scan seed 7, market 6)", () => {
  const law = {
    dist: "mixture",
    components: [
      { dist: "uniform", min: 0.6323641490341928, max: 1.1894708852700286 },
      { dist: "beta", a: 4.8228269692616665, b: 4.852872380825167, min: 0.1377950777010038, max: 1.1230159834134468 },
    ],
    weights: [0.4074350489244864, 0.5925649510755135],
  };
  const sol = solveScenario(
    parseScenario(
      {
        name: "c6",
        buyers: { theta: law },
        technology: { sigma: 0.5034019626227216, aggregate: { kappa: 0.27788398912077955, gamma: 0.096071480049785 } },
        market: { kind: "monopoly" },
      },
      { figures: false },
    ),
  );

  it("passes its checks, now also at the types beside the kinks, and is certified", () => {
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.certificate.certified).toBe(true);
  });

  it("U(θ) = ∫ Q from the lowest type, against composite Gauss–Legendre split at the kinks and the ironed ends (1e-11)", () => {
    // an independent integral: 5-point Gauss–Legendre on 2,000 panels per smooth piece
    const x = [0, -0.5384693101056831, 0.5384693101056831, -0.906179845938664, 0.906179845938664];
    const w = [0.5688888888888889, 0.47862867049936647, 0.47862867049936647, 0.23692688505618908, 0.23692688505618908];
    const Q = (t: number) => sol.pointAt(t).Q as number;
    const lo = law.components[1].min;
    const top = 1.18;
    const cuts = [lo, 0.6323641490341928, 1.1230159834134468, ...sol.ironing.flat(), top].filter((c) => c >= lo && c <= top).sort((a, b) => a - b);
    let integral = 0;
    for (let k = 0; k + 1 < cuts.length; k++) {
      const [a, b] = [cuts[k], cuts[k + 1]];
      const P = 2000;
      for (let p = 0; p < P; p++) {
        const l = a + ((b - a) * p) / P;
        const r = a + ((b - a) * (p + 1)) / P;
        for (let g = 0; g < 5; g++) integral += (w[g] * (r - l) * Q(0.5 * (l + r) + 0.5 * (r - l) * x[g])) / 2;
      }
    }
    const U = sol.pointAt(top).U as number;
    expect(Math.abs(U - integral), `U ${U} vs ∫Q ${integral}`).toBeLessThan(1e-11);
  });
});

describe("leader–fringe menus past a component's end in a thin upper tail (random scan seed 7 market 43, seed 8 market 15)", () => {
  // Both failed their IC checks until the ironing took u-differences from 1 − F in the upper
  // tail (gains 9.3e-5 and 7.2e-8, said so, not certified): a uniform component ending at
  // 0.94682 with a beta tail of 1 − F ~ 1e-6 above it, and a beta ending at 1.51181 inside another's
  // tail. Now each has an ironed interval at that end (across it, or ending 4e-5 before it), and
  // passes on 20,001 types.
  const markets = {
    "7/43": {
      buyers: {
        theta: {
          dist: "mixture",
          components: [
            { dist: "uniform", min: 0.2114634887368714, max: 0.9468199306385685 },
            { dist: "beta", a: 0.502609852376678, b: 4.963788894826449, min: 0.12993590819180753, max: 0.9499269778141411 },
          ],
          weights: [0.35114698954816126, 0.6488530104518389],
        },
      },
      technology: { sigma: 0.7979336368841741 },
      market: { kind: "leaderFringe", leader: { gamma: 0.10206636311582595, cost: 0.5285213235200017 }, fringe: { gamma: 0.0013393168407564342, cost: 0.4493196201822754 } },
      end: 0.9468199306385685,
    },
    "8/15": {
      buyers: {
        theta: {
          dist: "mixture",
          components: [
            { dist: "beta", a: 0.6337412863195601, b: 3.8897991728455756, min: 0.8031499072924023, max: 1.5140895104101344 },
            { dist: "beta", a: 2.959236524421366, b: 3.488265949901317, min: 0.5146425643538323, max: 1.5118065626415453 },
          ],
          weights: [0.18045519256295484, 0.8195448074370452],
        },
      },
      technology: { sigma: 0.40658422047578924 },
      market: { kind: "leaderFringe", leader: { gamma: 0.2665961219540779, cost: 0.3213750820939313 }, fringe: { gamma: 0, cost: 0.4062998695718742 } },
      end: 1.5118065626415453,
    },
  };
  for (const [label, { end, ...m }] of Object.entries(markets)) {
    it(`${label}: an ironed interval within 1e-4 of the component's end ${end}; certified, and its checks pass on 401 and on 20,001 types`, async () => {
      for (const points of [401, 20001]) {
        const s = parseScenario({ name: `lf-${label.replace("/", "-")}`, ...m, grid: { points } } as never, { figures: false });
        await prepareSolvers(s);
        const sol = solveScenario(s);
        expect(sol.checks.passed, `${points} types: ${sol.checks.failures.join("; ")}`).toBe(true);
        expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
        expect(sol.ironing.some(([a, b]) => a < end + 1e-4 && b > end - 1e-4), JSON.stringify(sol.ironing)).toBe(true);
      }
    });
  }
});
