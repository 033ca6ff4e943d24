// The tiers certificate's branch and bound over cells of a chain (solvers/tiers-chain-bound.ts,
// docs/model.md (2.24)): an upper bound on every menu of at most N tiers. Checked against the
// relaxation's maximum found independently (a grid over the cuts and coordinate refinement,
// with R̄(u) = u F⁻¹(1 − u) and C* computed here from the cost), against the boxes of
// tiers-bound.ts where both close, and with a profit target set too low (the bound must then
// stay above the true optimum). Until 6 Dec 2026 every 6-tier market of the random scan was
// uncertified (gaps 0.2–11.5 %: 10,000 boxes); the same laws now close.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { beta } from "../engine/distributions/beta.js";
import { ironVirtualType } from "../engine/distributions/ironing.js";
import type { ContinuousDistribution } from "../engine/distributions/types.js";
import { uniform } from "../engine/distributions/uniform.js";
import { aggregateTechnology } from "../engine/technology/ces-cost.js";
import { parseScenario } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";
import { optimalTiersContinuous } from "../solvers/tiers.js";
import { continuousCurve, tiersUpperBound } from "../solvers/tiers-bound.js";
import { tiersChainBound } from "../solvers/tiers-chain-bound.js";

const cost = aggregateTechnology(0.55, 0.4, 0.18);
/** C*(p) = max_Q pQ − C(Q), by the cost's own marginal-cost inverse */
const cStar = (p: number) => {
  if (!(p > 0)) return 0;
  const q = cost.qualityForMarginalCost(p);
  return p * q - cost.cost(q);
};

/** Σ_k V(u_k, u_{k+1}) for cuts u_1 ≥ … ≥ u_N (u = 1 − F), R(u) = u F⁻¹(1 − u): a regular law, no ironing */
function relaxation(dist: ContinuousDistribution, us: number[]): number {
  const R = (u: number) => (u <= 0 ? 0 : u * dist.quantile(1 - u));
  let v = 0;
  for (let k = 0; k < us.length; k++) {
    const x = us[k];
    const y = k + 1 < us.length ? us[k + 1] : 0;
    if (x > y) v += (x - y) * cStar((R(x) - R(y)) / (x - y));
  }
  return v;
}

/** The relaxation's maximum for N = 2 by a 400 × 400 grid, then coordinate golden-section rounds. */
function relaxationMax2(dist: ContinuousDistribution): number {
  let best = -Infinity;
  let arg = [0.5, 0.25];
  const G = 400;
  for (let i = 1; i < G; i++)
    for (let j = 1; j <= i; j++) {
      const us = [i / G, j / G];
      const v = relaxation(dist, us);
      if (v > best) [best, arg] = [v, us];
    }
  for (let round = 0; round < 30; round++)
    for (let k = 0; k < 2; k++) {
      let a = Math.max(k === 0 ? arg[1] : 0, arg[k] - 2 / G);
      let b = Math.min(k === 0 ? 1 : arg[0], arg[k] + 2 / G);
      const at = (u: number) => relaxation(dist, k === 0 ? [u, arg[1]] : [arg[0], u]);
      for (let it = 0; it < 80; it++) {
        const m1 = b - 0.618033988749895 * (b - a);
        const m2 = a + 0.618033988749895 * (b - a);
        if (at(m1) < at(m2)) a = m1;
        else b = m2;
      }
      arg[k] = 0.5 * (a + b);
      best = Math.max(best, relaxation(dist, arg));
    }
  return best;
}

describe("tiers bound over cells of the chain", () => {
  const laws: [string, ContinuousDistribution][] = [
    ["uniform[0.2, 1]", uniform(0.2, 1, "test")],
    ["beta(2, 5)", beta(2, 5, 0, 1, "test")],
  ];

  for (const [name, dist] of laws) {
    it(`${name}, 2 tiers: the bound closes within 1e-9 above the relaxation's maximum found independently, and not below it`, () => {
      const menu = optimalTiersContinuous(dist, cost, 2);
      const max = relaxationMax2(dist);
      const b = tiersChainBound({ curve: continuousCurve(dist, ironVirtualType(dist)), cost, count: 2, profit: menu.profit, target: 5e-10 });
      expect(b.complete).toBe(true);
      expect(b.bound, `bound ${b.bound} vs independent max ${max}`).toBeGreaterThanOrEqual(max * (1 - 1e-12));
      expect(b.bound).toBeLessThanOrEqual(max * (1 + 1e-9));
      expect(Math.abs(menu.profit - max) / max, `menu ${menu.profit} vs relaxation ${max}`).toBeLessThan(1e-10);
    });

    it(`${name}, 3 to 5 tiers: the same bound as the boxes (both close) to 1e-9`, () => {
      for (const N of [3, 4, 5]) {
        const menu = optimalTiersContinuous(dist, cost, N);
        const curve = continuousCurve(dist, ironVirtualType(dist));
        const chain = tiersChainBound({ curve, cost, count: N, profit: menu.profit, target: 5e-10 });
        const boxes = tiersUpperBound({ curve, cost, count: N, profit: menu.profit, target: 5e-10 });
        expect(chain.complete && boxes.complete, `N = ${N}`).toBe(true);
        expect(Math.abs(chain.bound - boxes.bound) / menu.profit, `N = ${N}: chain ${chain.bound}, boxes ${boxes.bound}`).toBeLessThan(1e-9);
        expect(chain.bound).toBeGreaterThanOrEqual(menu.profit * (1 - 1e-12));
      }
    });

    it(`${name}: with the profit target set 2 % too low no cell near the optimum closes, and the bound stays above the true optimum`, () => {
      for (const N of [2, 4, 6]) {
        const menu = optimalTiersContinuous(dist, cost, N);
        const b = tiersChainBound({ curve: continuousCurve(dist, ironVirtualType(dist)), cost, count: N, profit: 0.98 * menu.profit, target: 5e-10, maxTerms: 3_000_000 });
        expect(b.complete, `N = ${N}`).toBe(false);
        expect(b.bound, `N = ${N}`).toBeGreaterThanOrEqual(menu.profit * (1 - 1e-12));
      }
    });
  }

  it("property: random cuts never give the relaxation more than the bound (3 tiers, beta laws)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1.2, max: 5, noNaN: true }),
        fc.double({ min: 1.2, max: 5, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (a, b, raw) => {
          const dist = beta(a, b, 0, 1, "test");
          const menu = optimalTiersContinuous(dist, cost, 3);
          const bound = tiersChainBound({ curve: continuousCurve(dist, ironVirtualType(dist)), cost, count: 3, profit: menu.profit, target: 5e-10 });
          const us = [...raw].sort((x, y) => y - x);
          expect(relaxation(dist, us)).toBeLessThanOrEqual(bound.bound * (1 + 1e-12));
          expect(bound.complete).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("6 tiers of a random-scan market (seed 7, market 2): certified, where the boxes' budget had left a gap of 0.64 %", () => {
    const sol = solveScenario(
      parseScenario(
        {
          name: "c2",
          buyers: { theta: { dist: "uniform", min: 0.1827317225666399, max: 0.7268540775994091 } },
          technology: { sigma: 0.5544005903203043, aggregate: { kappa: 0.39294990002780683, gamma: 0.17643290801273326 } },
          market: { kind: "tiers", count: 6 },
        },
        { figures: false },
      ),
    );
    expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
    expect(sol.certificate.certificate).toMatch(/cells of the cut points.*every cell closed/);
    expect(sol.checks.passed).toBe(true);
  });
});

describe("a tiers menu found in the wrong basin is searched again from the bound's best cells", () => {
  it("5 tiers on a mixture of three uniforms (random scan seed 7, market 49): the menu earns 0.23 % more than the quantile grid's, and is certified", () => {
    // Until 6 Dec 2026 the menu earned 0.1232589 and was reported not certified (gap 2.3e-3)
    // against bounds of 0.1235402 from both searches; a discretized law's exhaustive programme
    // (500, 1000, 1500 atoms: 0.1238436, 0.1236842, 0.1236488) extrapolates to 0.12353–0.12358
    const sol = solveScenario(
      parseScenario(
        {
          name: "c49",
          buyers: {
            theta: {
              dist: "mixture",
              components: [
                { dist: "uniform", min: 0.1801795545873137, max: 0.8269400836559665 },
                { dist: "uniform", min: 0.5920394340492968, max: 1.2429336430239182 },
                { dist: "uniform", min: 0.8527642022132707, max: 1.311244189744463 },
              ],
              weights: [0.19724038694879448, 0.3829588476290448, 0.41980076542216077],
            },
          },
          technology: { sigma: 0.4222480340498723, aggregate: { kappa: 0.9159963267464173, gamma: 0.12362496572249801 } },
          market: { kind: "tiers", count: 5 },
        },
        { figures: false },
      ),
    );
    expect(sol.scalars.profit as number).toBeGreaterThan(0.12325886680779947 * 1.002);
    expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.solver.notes.join(" ")).toMatch(/from the bound's best cells the menu earns/);
  }, 120_000);
});
