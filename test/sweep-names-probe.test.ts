// Sweep set-up learns the names a market offers by solving a probe scenario
// (workers/sweep-outputs.ts) — unless every output asked for is one every market produces
// (UNIVERSAL_SCALARS) and no curves are asked for: a reviewer found the probe costing a whole
// point (~10 s for a 300-atom leader–fringe LP) in the set-up of every shard.

import { describe, expect, it, vi } from "vitest";

const calls = { n: 0 };
vi.mock("../solvers/solve.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../solvers/solve.js")>();
  return {
    ...real,
    solveScenario: (...args: Parameters<typeof real.solveScenario>) => {
      calls.n++;
      return real.solveScenario(...args);
    },
  };
});

const { parseScenario } = await import("../engine/scenario/load.js");
const { prepareSolvers } = await import("../solvers/solve.js");
const { makeSweepContext } = await import("../workers/sweep-point.js");
const { sweepNameProblems } = await import("../workers/sweep-outputs.js");

const raw = (outputs: string[], curves: string[] = []) => {
  const body = {
    name: "probe",
    buyers: { theta: { dist: "discrete", values: [0.2, 0.5, 0.8], probs: [0.3, 0.4, 0.3] } },
    technology: { sigma: 0.5 },
    market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0.1, cost: 0.2 } },
    sweep: { params: { "market.fringe.cost": { linspace: [0.1, 0.2, 3] } }, outputs, ...(curves.length ? { curves } : {}) },
  };
  parseScenario(body); // a valid scenario, as the run would have it
  return body;
};
// the LP solver loads as the sweep command loads it
await prepareSolvers(parseScenario(raw(["profit"])));

describe("the probe solve of a sweep's set-up", () => {
  it("is skipped when every output is one every market produces", () => {
    calls.n = 0;
    const ctx = makeSweepContext({ raw: raw(["profit", "welfare", "optimalityGap"]), outputs: ["profit", "welfare", "optimalityGap"], curves: [] });
    expect(sweepNameProblems(ctx)).toEqual([]);
    expect(calls.n).toBe(0);
  });
  it("still runs for a market-specific output, and a typo still gets its JSON path and hint", () => {
    calls.n = 0;
    const ctx = makeSweepContext({ raw: raw(["profit", "thetaLw"]), outputs: ["profit", "thetaLw"], curves: [] });
    const problems = sweepNameProblems(ctx);
    expect(calls.n).toBe(1);
    expect(problems.map((p) => p.path)).toEqual(["sweep.outputs[1]"]);
    expect(problems[0].message).toMatch(/unknown output "thetaLw" \(did you mean "thetaLow"\?\)/);
  });
  it("still runs when curves are asked for", () => {
    calls.n = 0;
    const ctx = makeSweepContext({ raw: raw(["profit"], ["qL"]), outputs: ["profit"], curves: ["qL"] });
    expect(sweepNameProblems(ctx)).toEqual([]);
    expect(calls.n).toBe(1);
  });
});
