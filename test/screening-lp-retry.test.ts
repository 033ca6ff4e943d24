// How a round of the screening LP is solved again when HiGHS fails (solvers/screening-lp.ts,
// solveLp). HiGHS's dual simplex failed outright (status −1, from the previous basis and from
// scratch) on 400 atoms of a three-component mixture with γ_F > 0, where its primal simplex
// solved the same LP: a market of that size takes about a minute, so the order of the retries is
// tested here on a model that fails as told, and the real HiGHS is asked the same question on a
// small LP, whose answer is checked against its closed form.
import { describe, expect, it } from "vitest";
import type { Highs, Model } from "highs";
import { NumericalError } from "../engine/errors.js";
import { loadLpSolver } from "../engine/numerics/lp-solver.js";
import { solveLp } from "../solvers/screening-lp.js";

/** A model whose run() fails (throws, like HiGHS's status −1) or ends "unknown" unless `solves`
 *  says the current options solve it; it records what each run was given. */
function fakeModel(highs: Highs, solves: (opts: Record<string, unknown>) => "ok" | "throw" | "unknown") {
  const opts: Record<string, unknown> = { simplex_strategy: 1, solver: "choose", run_crossover: "on" };
  const runs: string[] = [];
  let status = 0;
  const model = {
    options: { set: (o: Record<string, unknown>) => Object.assign(opts, o) },
    clearSolver: () => runs.push("clear"),
    run: () => {
      runs.push(`run ${opts.solver}/${opts.simplex_strategy}`);
      const r = solves(opts);
      if (r === "throw") throw new Error("run failed with HiGHS status -1");
      status = r === "ok" ? highs.constants.modelStatus.optimal : highs.constants.modelStatus.unknown;
    },
    getModelStatus: () => status,
    getSolution: () => ({ colValue: new Float64Array([1]), rowDual: new Float64Array([-2]) }),
    getObjectiveValue: () => 3,
  };
  return { model: model as unknown as Model, runs, opts };
}

describe("a failed round of the screening LP is solved again", () => {
  it("by the primal simplex when the dual simplex fails from the basis and from scratch, options restored after", async () => {
    const highs = await loadLpSolver();
    const { model, runs, opts } = fakeModel(highs, (o) => (o.simplex_strategy === 4 ? "ok" : "throw"));
    const sol = solveLp(highs, model, "round 3");
    expect(sol.objective).toBe(3);
    expect(runs).toEqual(["run choose/1", "clear", "run choose/1", "clear", "run choose/4"]);
    expect(opts.simplex_strategy).toBe(1);
  });

  it("by the interior-point method when both simplex methods end unknown", async () => {
    const highs = await loadLpSolver();
    const { model, runs, opts } = fakeModel(highs, (o) => (o.solver === "ipm" ? "ok" : "unknown"));
    expect(solveLp(highs, model, "round 3").objective).toBe(3);
    expect(runs[runs.length - 1]).toBe("run ipm/1");
    expect(opts.solver).toBe("choose");
  });

  it("not at all when the first run is optimal", async () => {
    const highs = await loadLpSolver();
    const { model, runs } = fakeModel(highs, () => "ok");
    solveLp(highs, model, "initial");
    expect(runs).toEqual(["run choose/1"]);
  });

  it("and a round every method fails on is a NumericalError naming the round and what was tried", async () => {
    const highs = await loadLpSolver();
    const { model, runs } = fakeModel(highs, () => "throw");
    let err: unknown;
    try {
      solveLp(highs, model, "round 7", "; the cause");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NumericalError);
    expect((err as Error).message).toMatch(/round 7.*primal simplex.*interior-point.*the cause/);
    expect(runs.filter((r) => r.startsWith("run"))).toHaveLength(4);
  });

  it("the real HiGHS, from the primal simplex, solves a small LP to its closed-form optimum", async () => {
    // max x + 2y s.t. x + y ≤ 1, x, y ≥ 0: optimum y = 1, value 2, dual of the row 2
    const highs = await loadLpSolver();
    const model = highs.createModel();
    try {
      model.options.set({ output_flag: false, simplex_strategy: 4 });
      model.changeObjectiveSense(highs.constants.objectiveSense.maximize);
      const none = { indices: new Int32Array(0), values: new Float64Array(0) };
      model.addCol(1, 0, highs.infinity, none);
      model.addCol(2, 0, highs.infinity, none);
      model.addRow(-highs.infinity, 1, { indices: Int32Array.from([0, 1]), values: Float64Array.from([1, 1]) });
      const sol = solveLp(highs, model, "initial");
      expect(Math.abs(sol.objective - 2)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(sol.colValue[1] - 1)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(Math.abs(sol.rowDual[0]) - 2)).toBeLessThanOrEqual(1e-12);
    } finally {
      model.dispose();
    }
  });
});
