// The rent between two grid types is a difference of two terms of the size of u0' that nearly
// cancel where the rent starts; on the 47,000-type grid of the example market with γ_F = 0.1 a
// grid interval 4e-7 wide lies there, and a purely relative tolerance asked the quadrature for
// digits the difference does not have (it failed after 2,000 intervals: error 5.5e-23 on a rent
// of 3.7e-12; found by a reviewer). rentQuad's absolute floor (1e-14 of ∫ u0' over the interval,
// solvers/leader-fringe-menu.ts) lets it finish; the result must still pass every check and be
// certified, and agree with the same market on a coarser grid (its scalars do not depend on the
// grid).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";

const FILE = join(import.meta.dirname, "..", "scenarios", "examples", "leader-fringe-sweep.json");

describe("leader–fringe rent between grid types where the rent starts", () => {
  it("solves the 47,000-type grid that failed, certified, with the coarse grid's profit", () => {
    const fine = solveScenario(loadScenarioFile(FILE, ["market.fringe.gamma=0.1", "grid.points=47000"]).scenario);
    expect(fine.checks.passed, fine.checks.failures.join("; ")).toBe(true);
    expect(fine.certificate.certified, JSON.stringify(fine.certificate)).toBe(true);
    const coarse = solveScenario(loadScenarioFile(FILE, ["market.fringe.gamma=0.1", "grid.points=401"]).scenario);
    const p = fine.scalars.profit as number;
    const q = coarse.scalars.profit as number;
    // the scalars are integrals of the menu, not sums over the grid: equal to 1e-12
    expect(Math.abs(p - q), `profit ${p} (47,000 types) vs ${q} (401 types)`).toBeLessThanOrEqual(1e-12 * Math.abs(q));
  }, 120_000);
});
