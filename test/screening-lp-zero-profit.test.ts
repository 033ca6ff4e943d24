// A finite-type leader–fringe market where the leader can earn nothing
// (test/fixtures/screening-zero-profit/s22.json, from a random scan): its certificate must not
// call rounding an invalid bound. Independent argument: by participation a type pays at most
// its gain g_j(q) = u(θ_j, q) − u0(θ_j), so no mechanism earns more than Σ_j p_j max_q (g_j(q) −
// c_L q); a brute-force scan of that margin over 2,001 log-spaced qualities (1e-12 to 1e6) finds it
// ≤ 0 up to rounding at every type, so the optimal profit is 0. lpe must report a profit of 0 to
// rounding, certified to an absolute accuracy it states (the screening LP's rounding allowance:
// 64 ulps of the menu's gross flows and the mean outside option, solvers/screening-lp.ts).
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
const fx = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "screening-zero-profit", "s22.json"), "utf8")) as Fixture;

describe("a leader that can earn nothing: profit 0, certified to a stated absolute accuracy", () => {
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

  it("lpe: profit 0 to rounding, the bound not called invalid, certified, and the note says to what absolute accuracy", async () => {
    const scenario = parseScenario(fx.scenario);
    await prepareSolvers(scenario);
    const s = solveScenario(scenario);
    const profit = s.scalars.profit as number;
    const bound = s.scalars.dualBound as number;
    expect(s.checks.passed, s.checks.failures.join("; ")).toBe(true);
    expect(Math.abs(profit)).toBeLessThan(1e-13);
    expect(Math.abs(bound)).toBeLessThan(1e-13);
    expect(s.certificate.certified, JSON.stringify(s.certificate)).toBe(true);
    const notes = s.solver.notes.join("\n");
    expect(notes).not.toMatch(/bound is not valid/);
    if (bound < profit) expect(notes).toMatch(/certified to \d\.\d\de-1[3-5] absolute/);
  }, 60_000);
});
