// Finite-type leader–fringe markets (γ_F > 0) where the optimum over all mechanisms randomizes:
// lpe reports the best deterministic menu it finds and a dual bound on every mechanism, and says
// it is not certified while a gap remains (on these four it does: 0.55 % to 1.1 %). Checked against an independent lottery LP
// (test/fixtures/screening-search/cases.json, from test/fixtures/python/independent_screening_lp.py):
//   - lpe's dual bound is a bound: at least the independent optimum (one was 4.5e-7 below it,
//     its pricing scan having missed a narrow peak of ψ_j; it is now priced again densely);
//   - lpe's menu is feasible: its profit at most the independent optimum, every check passed;
//   - lpe's menu is close: within 1.5 % of the lottery optimum (0.55 % to 1.06 % on these four),
//     where the restricted-class fallback it reported before (no deterministic menu read off the
//     LP was implementable) was 6.3 % below on lf-search-2-126 (a search over the qualities the LP
//     mixes for its randomized types), and never below what it reported before.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../engine/scenario/load.js";
import { prepareSolvers, solveScenario } from "../solvers/solve.js";

interface Case {
  id: string;
  scenario: unknown;
  independentLower: number;
  independentUpper: number;
  lotteryWeightMin: number;
  lpeBefore: { profit: number; note: string };
}
const { cases } = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "screening-search", "cases.json"), "utf8")) as { cases: Case[] };

describe("finite-type leader–fringe markets whose optimum randomizes", () => {
  for (const c of cases) {
    it(`${c.id}: a valid bound, a feasible menu within 1.5 % of the lottery optimum, certified only with no gap`, async () => {
      const scenario = parseScenario(c.scenario, { figures: false });
      await prepareSolvers(scenario);
      const s = solveScenario(scenario);
      const profit = s.scalars.profit as number;
      const bound = s.scalars.dualBound as number;
      const tol = 1e-9 * c.independentUpper;
      const where = `lpe profit ${profit}, dual bound ${bound}; independent optimum [${c.independentLower}, ${c.independentUpper}]; before: ${c.lpeBefore.profit} (${c.lpeBefore.note})`;
      expect(c.lotteryWeightMin, "the fixture's optimum randomizes").toBeLessThan(0.99);
      expect(bound, where).toBeGreaterThanOrEqual(c.independentLower - tol);
      expect(profit, where).toBeLessThanOrEqual(c.independentUpper + tol);
      expect(s.checks.passed, s.checks.failures.join("; ")).toBe(true);
      expect((c.independentUpper - profit) / profit, where).toBeLessThan(0.015);
      expect(profit, where).toBeGreaterThanOrEqual(c.lpeBefore.profit * (1 - 1e-12));
      // certified exactly when the reported gap is within 1e-9 of profit
      expect(s.certificate.certified, JSON.stringify(s.certificate)).toBe((s.certificate.optimalityGap ?? Infinity) <= 1e-9);
    }, 120_000);
  }
});
