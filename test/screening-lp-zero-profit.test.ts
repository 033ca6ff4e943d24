// Finite-type leader–fringe markets where the leader can earn nothing
// (test/fixtures/screening-zero-profit/, from random scans): the certificate must not call
// rounding an invalid bound, and items worth only rounding to their buyer must not be reported as
// sales (a quality of 5e-17 "sold" at 1.2e-14 made the leader serve 56 % of buyers at 578 times
// the fringe's price per token). Independent argument: by participation a type pays at most its
// gain g_j(q) = u(θ_j, q) − u0(θ_j), so no mechanism earns more than Σ_j p_j max_q (g_j(q) −
// c_L q); a brute-force scan of that margin over 2,001 log-spaced qualities (1e-12 to 1e6) finds
// it ≤ 0 up to rounding at every type, so the optimal profit is 0. lpe must report profit 0,
// certified, no leader sales (leaderServedShare 0, no price ratio), and say which items it
// dropped as rounding (solvers/screening-lp.ts, dropRoundingItems).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../engine/scenario/load.js";
import { fringeTopUp, outsideOption, type FringeMarket } from "../solvers/fringe-top-up.js";
import { prepareSolvers, solveScenario } from "../solvers/solve.js";

interface Fixture {
  scenario: {
    buyers: { theta: { values: number[]; probs: number[] } };
    technology: { sigma: number };
    market: { leader: { gamma: number; cost: number }; fringe: { gamma: number; cost: number } };
  };
}
const DIR = join(import.meta.dirname, "fixtures", "screening-zero-profit");

for (const id of ["s22", "s19"]) {
  const fx = JSON.parse(readFileSync(join(DIR, `${id}.json`), "utf8")) as Fixture;

  describe(`${id}: a leader that can earn nothing`, () => {
    it("brute force: no type's full-extraction margin is positive beyond rounding", () => {
      const { technology, market, buyers } = fx.scenario;
      const m: FringeMarket = { sigma: technology.sigma, etaL: technology.sigma + market.leader.gamma, etaF: technology.sigma + market.fringe.gamma, cF: market.fringe.cost };
      for (const theta of buyers.theta.values) {
        const u0 = outsideOption(theta, m);
        let best = -Infinity;
        for (let k = 0; k <= 2000; k++) {
          const q = Math.pow(10, -12 + (18 * k) / 2000);
          best = Math.max(best, fringeTopUp(theta, q, m).u - u0 - market.leader.cost * q);
        }
        expect(best, `θ = ${theta}: max_q g(q) − c_L q`).toBeLessThanOrEqual(64 * Number.EPSILON * Math.max(1, u0));
      }
    });

    it("lpe: profit 0, certified, no leader sales, and a note on the items dropped as rounding", async () => {
      const scenario = parseScenario(fx.scenario);
      await prepareSolvers(scenario);
      const s = solveScenario(scenario);
      const notes = s.solver.notes.join("\n");
      expect(s.checks.passed, s.checks.failures.join("; ")).toBe(true);
      expect(s.scalars.profit).toBe(0);
      expect(Math.abs(s.scalars.dualBound as number)).toBeLessThan(1e-13);
      expect(s.certificate.certified, JSON.stringify(s.certificate)).toBe(true);
      expect(notes).not.toMatch(/bound is not valid/);
      expect(s.scalars.leaderServedShare).toBe(0);
      expect(s.scalars.fringeOnlyShare).toBe(1);
      expect(s.scalars.priceRatio ?? null).toBe(null);
      expect(notes).toMatch(/\d item\(s\) worth no more than rounding to their buyer .* are not sold/);
    }, 60_000);
  });
}
