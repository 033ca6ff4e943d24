// Ironing where the density vanishes at θ_min (engine/distributions/ironing.ts: grid types at
// geometric offsets from both ends of the support, and chordShortfall's samples likewise).
//
// g8 is an independent auditor's mixture (6 Dec 2026): beta(2, 3000) on [0.5, 2.5] with weight
// 0.6 and beta(2, 2) on [0.5, 1.5]. The density is 0 at θ_min = 0.5 and H = θ_min − θ(1 − F)
// stays near 0 over the first 1e-5 of the types (at θ = 0.50000299, F = 6.02e-6 and H = 2.0e-8),
// while the chord of the first grid cell rises to 2.16e-6 there. lpe pooled [0.5, 0.8632066] at
// the level of that chord and certified it (gap 4.9e-15) with "H̄ ≤ H checked on every ironed
// interval" — its 2,048 samples all lay beyond 1.8e-4. The auditor's own step mechanism, exact
// (H needs no quadrature): a hull on 400,000 types plus points near every component end, profit
// 0.1759311858, 1.83e-6 above lpe's 0.175930863090.

import { describe, expect, it } from "vitest";
import { parseScenario } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";

const g8 = {
  name: "g8",
  buyers: {
    theta: {
      dist: "mixture",
      components: [
        { dist: "beta", a: 2, b: 3000, min: 0.5, max: 2.5 },
        { dist: "beta", a: 2, b: 2, min: 0.5, max: 1.5 },
      ],
      weights: [0.6, 0.4],
    },
  },
  technology: { sigma: 0.5, aggregate: { kappa: 0.5, gamma: 0.2 } },
  market: { kind: "monopoly" },
};

describe("a density vanishing at θ_min under a pool (auditor's g8)", () => {
  const sol = solveScenario(parseScenario(g8, { figures: false }));

  it("earns at least the auditor's feasible step mechanism (0.1759311858), and is certified", () => {
    const profit = sol.scalars.profit as number;
    // until 6 Dec 2026: 0.175930863090, certified
    expect(profit, `profit ${profit}`).toBeGreaterThanOrEqual(0.1759311858 * (1 - 1e-10));
    expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
  });

  it("the pool starts above θ_min, past the types where H lies below the old chord (θ = 0.50000299)", () => {
    const first = sol.ironing[0];
    expect(first[0]).toBeGreaterThan(0.5);
    expect(first[0]).toBeLessThan(0.50001);
    expect(Math.abs(first[1] - 0.8632066)).toBeLessThan(1e-5);
  });
});
