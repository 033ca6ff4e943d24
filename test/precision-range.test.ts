// The range of scales the solvers are held to (engine/scenario/economic-checks.ts
// checkPrecision): types down to where the top type's efficient surplus is 1e-280 solve as
// exactly as at scale 1 — uniform types on [0, s] scale the monopoly's profit by s^(1/(1−η))
// (quality ∝ θ^(η/(1−η)), docs/model.md (1.13)) — and below that the scenario is refused
// (a reviewer's types of 1e-300 returned a profit of 0, "certified").

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseScenario, validateScenario } from "../engine/scenario/load.js";
import { prepareSolvers, solveScenario } from "../solvers/solve.js";

const scenario = (max: number) => ({
  name: "scale",
  buyers: { theta: { dist: "uniform", min: 0, max } },
  technology: { sigma: 0.5, aggregate: { kappa: 1, gamma: 0.3 } },
  market: { kind: "monopoly" },
  grid: { points: 21 },
});
const eta = 0.8;

describe("small types", () => {
  it("solve exactly down to the edge of the range: profit scales as s^(1/(1−η))", async () => {
    const base = parseScenario(scenario(1));
    await prepareSolvers(base);
    const p1 = solveScenario(base).scalars.profit as number;
    fc.assert(
      fc.property(fc.double({ min: -55.9, max: 0, noNaN: true }), (e) => {
        const s = Math.pow(10, e);
        const sol = solveScenario(parseScenario(scenario(s)));
        const want = p1 * Math.pow(s, 1 / (1 - eta));
        const got = sol.scalars.profit as number;
        expect(Math.abs(got / want - 1), `s = ${s}: profit ${got}, expected ${want}`).toBeLessThan(1e-12);
        expect(sol.scalars.servedShare).toBeCloseTo(0.5, 14);
      }),
      { numRuns: 40, seed: 7 },
    );
  });
  it("are refused below it, naming buyers.theta.max", () => {
    for (const s of [1e-57, 1e-100, 1e-300]) {
      const { problems } = validateScenario(scenario(s));
      expect(problems.map((p) => p.path)).toEqual(["buyers.theta.max"]);
      expect(problems[0].message).toMatch(/below double precision's working range/);
    }
  });
});

describe("two-model markets: each model's own γ and cost (a reviewer's γ_L = 0.4999999 passed validate, and every sweep point failed)", () => {
  const lf = (gL: number, gF = 0, cL = 0.3, kind = "leaderFringe") => ({
    name: "lf-range",
    buyers: { theta: { dist: "uniform", min: 0, max: 1 } },
    technology: { sigma: 0.5 },
    market: { kind, leader: { gamma: gL, cost: cL }, fringe: { gamma: gF, cost: 0.1 } },
    grid: { points: 21 },
  });
  it("a leader or fringe quality beyond double precision is refused at its γ, in every market with models", () => {
    for (const kind of ["leaderFringe", "multiModelMonopoly", "compare"]) {
      const { problems } = validateScenario(lf(0.4999999, 0, 0.3, kind));
      expect(problems.map((p) => p.path), kind).toEqual(["market.leader.gamma"]);
      expect(problems[0].message).toMatch(/leader's efficient quality for the top type θ = 1 is beyond double precision/);
    }
    const fringe = validateScenario(lf(0.3, 0.49999999));
    expect(fringe.problems.map((p) => p.path)).toEqual(["market.fringe.gamma"]);
  });
  it("the exponent η/(1 − η) decides, in logarithms: just inside the range solves, its checks passing", async () => {
    // γ_L = 0.49: (0.99/0.3)^99 ≈ 1e51, a double
    const ok = validateScenario(lf(0.49));
    expect(ok.problems).toEqual([]);
    const sc = parseScenario(lf(0.49));
    await prepareSolvers(sc);
    const sol = solveScenario(sc);
    expect(Number.isFinite(sol.scalars.profit as number)).toBe(true);
    expect(sol.checks.failures).toEqual([]);
    // a cost of 1e-300 with exponent 3 overflows at the top type too
    expect(validateScenario(lf(0.25, 0, 1e-300)).problems.map((p) => p.path)).toEqual(["buyers.theta.max"]);
  });
});
