// One sweep point's scenario: the fast validation (economic checks on the parsed base with the
// swept numbers set in place) must agree with full re-validation, point by point.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../engine/errors.js";
import { parseScenario } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";
import { pointScenarioBuilder } from "../workers/point-scenario.js";
import { buildSweepGrid, pointValues } from "../workers/sweep-grid.js";
import { uncertifiedStatus } from "../engine/results/uncertified-status.js";
import { failureStatus, makeSweepContext, pointSecondsEstimate, solveRange } from "../workers/sweep-point.js";
import { estimateWork } from "../engine/scenario/limits.js";

const FIX = join(import.meta.dirname, "fixtures", "sweeps");
const load = (f: string) => JSON.parse(readFileSync(join(FIX, f), "utf8"));

function outcome(build: () => unknown): string {
  try {
    const s = build() as Parameters<typeof solveScenario>[0];
    return JSON.stringify(solveScenario(s, { scalarsOnly: true }).scalars);
  } catch (e) {
    return failureStatus(e);
  }
}

describe("point scenarios", () => {
  it("fast and full validation give the same scenarios and the same failures", () => {
    const raw = load("lf-invalid-cost.json");
    // (an infinite value cannot reach a point: a logspace end that overflows is refused with the sweep)
    raw.sweep.params = { "market.fringe.cost": { values: [0.1, -0.1, 0.2, 0, 0.25] }, "market.leader.gamma": { logspace: [-1, 0, 2] } };
    const base = parseScenario(raw);
    const grid = buildSweepGrid(base.sweep!);
    const fast = pointScenarioBuilder(raw, base, grid);
    const full = pointScenarioBuilder(raw, base, grid, "full");
    expect(fast.mode).toBe("fast");
    const v = new Float64Array(grid.paths.length);
    const seen = new Set<string>();
    for (let i = 0; i < grid.size; i++) {
      pointValues(grid, i, v);
      const a = outcome(() => fast.build(v));
      const b = outcome(() => full.build(v));
      expect(a, `point ${i} (${[...v]})`).toBe(b);
      seen.add(a.startsWith("bad input") ? a : "ok");
    }
    expect([...seen]).toEqual(
      expect.arrayContaining([
        "ok",
        "bad input: market.fringe.cost: the aggregate cost scale c_ℓ must be > 0, got -0.1",
        "bad input: market.fringe.cost: the aggregate cost scale c_ℓ must be > 0, got 0",
      ]),
    );
  });

  it("solves a range into one buffer, NaN and a status for failed points", () => {
    const ctx = makeSweepContext({ raw: load("lf-invalid-cost.json"), outputs: ["thetaLow", "profit"], curves: [] });
    const r = solveRange(ctx, 0, 3);
    expect(r.values.length).toBe(6);
    expect(r.failedAt).toEqual([1]);
    expect(r.failedStatus[0]).toBe("bad input: market.fringe.cost: the aggregate cost scale c_ℓ must be > 0, got -0.1");
    expect(Number.isNaN(r.values[2]) && Number.isNaN(r.values[3])).toBe(true);
    // θ_low of P2 (MODEL 3c, 0.686828545531999 to the digits printed), to rounding: the kernel
    // forms (c_F/σ)(c_L/c_F)^lowExp as one exponential, within a few 1e-16 of the exact value
    expect(Math.abs(r.values[4] - 0.686828545531999) / 0.686828545531999).toBeLessThan(1e-15);
    // the base scenario is not changed by solving points
    expect(ctx.base.market).toMatchObject({ fringe: { cost: 0.2 } });
  });

  it("names an unexpected failure as an error, on one line", () => {
    expect(failureStatus(new InputError("a.b", "bad\nthing"))).toBe("bad input: a.b: bad thing");
    expect(failureStatus(new Error("boom"))).toBe("error: boom");
  });
});

describe("optimality in a sweep's status", () => {
  // A leader–fringe market of the random scan (seed 7, market 9: a three-component mixture,
  // γ_F = 0): at the fringe's cost 0.69 the menu is not certified (its Lagrangian bound stops
  // 1 % above it, while a discretized screening LP extrapolates to the same profit to 4e-7); at
  // cost 1 it is. (Until 6 Dec 2026 this test used 8 tiers, which the tiers bound now certifies.)
  const lf = (costs: number[]) => ({
    ...JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "scenarios", "lf-uncertified.json"), "utf8")),
    sweep: { params: { "market.fringe.cost": { values: costs } }, outputs: ["profit"] },
  });
  it("a point that is feasible but not certified optimal keeps its numbers and says so", () => {
    const ctx = makeSweepContext({ raw: lf([1, 0.6901726891002602]), outputs: ["profit"], curves: [] });
    const r = solveRange(ctx, 0, 2);
    // cost 1: certified; cost 0.69: a gap of 1 %
    expect(r.failedAt).toEqual([1]);
    // (the rule's menu was not certified; the restricted class's menu by PAV earns more and is reported)
    expect(r.failedStatus[0]).toMatch(/^uncertified \(optimality gap \d\.\d\de-\d+ of profit, reporting the restricted class's menu by pool-adjacent violators on 16384 cells\)$/);
    const gap = Number(/gap (\S+) of/.exec(r.failedStatus[0])![1]);
    expect(gap).toBeGreaterThan(1e-9);
    expect(r.failedStatus[0]).toBe(uncertifiedStatus(gap, undefined, "the restricted class's menu by pool-adjacent violators on 16384 cells"));
    for (const v of r.values) expect(Number.isFinite(v) && v > 0, `profit ${v}`).toBe(true);
  });
  it("says why a point is not certified: a gap, no bound, or a positive bound over a profit of 0", () => {
    expect(uncertifiedStatus(3.1e-4)).toBe("uncertified (optimality gap 3.10e-4 of profit)");
    expect(uncertifiedStatus(null)).toBe("uncertified (no optimality bound)");
    expect(uncertifiedStatus(Infinity)).toBe("uncertified (profit 0 against a positive optimality bound)");
  });
  it("names the markets not certified in a comparison, each with its own gap, not the largest as the row's", () => {
    expect(uncertifiedStatus(1.04e-2, [{ name: "leaderFringe", optimalityGap: 1.04e-2 }])).toBe("uncertified (leaderFringe: optimality gap 1.04e-2 of its profit)");
    expect(uncertifiedStatus(null, [{ name: "multiModelMonopoly", optimalityGap: 2e-7 }, { name: "leaderFringe", optimalityGap: null }])).toBe(
      "uncertified (multiModelMonopoly: optimality gap 2.00e-7 of its profit; leaderFringe: no optimality bound)",
    );
    expect(uncertifiedStatus(Infinity, [{ name: "leaderFringe", optimalityGap: Infinity }])).toBe("uncertified (leaderFringe: its profit 0 against a positive optimality bound)");
    // no parts (one market): the plain wording
    expect(uncertifiedStatus(3.1e-4, [])).toBe("uncertified (optimality gap 3.10e-4 of profit)");
  });
  it("names the menu reported when it is not the solver's own (a reviewer could not tell from sweep.csv which menu a row gave)", () => {
    const menu = "a finite menu of 124 items, the screening LP's on 200 atoms of the law";
    expect(uncertifiedStatus(1.23e-3, undefined, menu)).toBe(`uncertified (optimality gap 1.23e-3 of profit, reporting ${menu})`);
    expect(uncertifiedStatus(1.23e-3, [{ name: "leaderFringe", optimalityGap: 1.23e-3, reportedMenu: menu }])).toBe(`uncertified (leaderFringe: optimality gap 1.23e-3 of its profit, reporting ${menu})`);
  });
  it("certified points are ok", () => {
    const raw = load("lf-invalid-cost.json");
    raw.sweep.params = { "market.fringe.cost": { values: [0.1, 0.2] } };
    const ctx = makeSweepContext({ raw, outputs: ["profit"], curves: [] });
    const r = solveRange(ctx, 0, 2);
    expect(r.failedAt).toEqual([]);
  });
});

describe("the closing line of a sweep with points that are not ok", () => {
  it("counts failed and uncertified points apart (an uncertified point keeps its numbers)", async () => {
    const { pointProblems } = await import("../workers/sweep-options.js");
    expect(pointProblems(new Map())).toBe(", all certified optimal to 1e-9 of profit");
    expect(pointProblems(new Map([[0, "uncertified (no optimality bound)"], [1, "uncertified (optimality gap 1.00e-6 of profit)"]]))).toBe(
      ", 2 not certified optimal (see the status column)",
    );
    expect(pointProblems(new Map([[0, "not finite: profit"], [3, "uncertified (no optimality bound)"]]))).toBe(", 1 failed, 1 not certified optimal (see the status column)");
    expect(pointProblems(new Map([[5, "solver: did not converge"]]))).toBe(", 1 failed (see the status column)");
  });
});

describe("a sweep point's estimated time", () => {
  it("is the larger of the grid's first and last points, not the scenario's own (a sweep over 40 and 50 tiers was estimated at the example's 3)", () => {
    const raw = JSON.parse(readFileSync(join(import.meta.dirname, "..", "scenarios", "examples", "tiers-three-models.json"), "utf8"));
    const ctx = makeSweepContext({ raw: { ...raw, sweep: { params: { "market.count": { values: [40, 50] } }, outputs: ["profit"] } }, outputs: ["profit"], curves: [] });
    const tiers = (s: { market: { kind: string } }) => (s.market as { count?: number }).count ?? 0;
    expect(pointSecondsEstimate(ctx, tiers)).toBe(50);
    const seconds = pointSecondsEstimate(ctx, (s) => estimateWork(s, true).solveMs / 1000);
    expect(seconds).toBe(estimateWork(parseScenario({ ...raw, market: { ...raw.market, count: 50 } }, { figures: false }), true).solveMs / 1000);
    expect(seconds).toBeGreaterThan(estimateWork(ctx.base, true).solveMs / 1000);
  });
});
