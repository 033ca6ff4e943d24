// Captions of by-type figures say where the law has no types (figures/builders/curves.ts
// supportGaps): a reviewer's figures of a two-uniform mixture drew the curves across its gap as
// if types were there. Also: an ironing interval's served part 1.3e-15 wide (θ* just below the
// gap's upper end) is no bunch ("bunched on [0.700, 0.700]" in the same reviewer's caption).
import { describe, expect, it } from "vitest";
import { parseScenario } from "../engine/scenario/load.js";
import { lawGaps, supportGapSentence } from "../figures/builders/caption.js";
import { supportGaps } from "../figures/builders/curves.js";
import { monopolyFigure } from "../figures/builders/monopoly-menu.js";
import { quantityFigure } from "../figures/builders/leader-fringe-quantities.js";
import { assembleResult, solveScenario } from "../solvers/solve.js";
import type { MarketSolution } from "../solvers/types.js";

const twoUniforms = (lo: [number, number], hi: [number, number]) => ({
  dist: "mixture",
  components: [
    { dist: "uniform", min: lo[0], max: lo[1] },
    { dist: "uniform", min: hi[0], max: hi[1] },
  ],
  weights: [0.6, 0.4],
});

describe("support gaps in figure captions", () => {
  it("supportGaps: the grid types with f = 0 and 0 < F < 1, not an end where F is 0 or 1", () => {
    const sol = {
      curves: {
        theta: Float64Array.from([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
        columns: { f: Float64Array.from([0, 1, 0, 0, 1, 0, 0]), F: Float64Array.from([0, 0.1, 0.3, 0.3, 0.4, 0.7, 1]) },
        order: ["f", "F"],
      },
    } as unknown as MarketSolution;
    // θ = 0 (F = 0) and θ = 0.6 (F = 1) are ends; θ = 0.5 has f = 0 with 0 < F < 1
    expect(supportGaps(sol)).toEqual([[0.2, 0.3], [0.5, 0.5]]);
    expect(supportGapSentence(undefined, supportGaps(sol))).toBe(
      "No types in [0.2, 0.3] (to the grid's resolution), around 0.5 (to the grid's resolution) (gaps of the law's support): the lines break there",
    );
    expect(supportGapSentence(undefined, [])).toBe("");
  });

  it("lawGaps: exact, from the mixture as written, also narrower than the grid's spacing (a reviewer's 0.001-wide gap went unmentioned)", () => {
    const narrow = twoUniforms([0.2, 0.75], [0.751, 1]) as Parameters<typeof lawGaps>[0];
    expect(lawGaps(narrow)).toEqual([[0.75, 0.751]]);
    expect(supportGapSentence(narrow, [])).toBe("No types in (0.75, 0.751) (a gap of the law's support): narrower than the grid's spacing, so the lines do not show it");
    // overlapping components, a zero weight, a nested mixture
    expect(lawGaps({ dist: "mixture", components: [{ dist: "uniform", min: 0, max: 0.5 }, { dist: "beta", a: 2, b: 2, min: 0.4, max: 0.6 }], weights: [0.5, 0.5] })).toEqual([]);
    expect(lawGaps({ dist: "mixture", components: [{ dist: "uniform", min: 0, max: 0.3 }, { dist: "uniform", min: 0.5, max: 1 }], weights: [1, 0] })).toEqual([]);
    expect(
      lawGaps({
        dist: "mixture",
        components: [
          { dist: "uniform", min: 0, max: 0.2 },
          { dist: "mixture", components: [{ dist: "uniform", min: 0.3, max: 0.4 }, { dist: "uniform", min: 0.6, max: 1 }], weights: [0.5, 0.5] },
        ],
        weights: [0.5, 0.5],
      }),
    ).toEqual([[0.2, 0.3], [0.4, 0.6]]);
    expect(lawGaps({ dist: "uniform", min: 0, max: 1 })).toEqual([]);
  });

  it("a monopoly quality figure names the gap of 0.6·U[0.2, 0.5] + 0.4·U[0.7, 1], and no bunch of zero width", () => {
    const scenario = parseScenario(
      { name: "mono-gap", buyers: { theta: twoUniforms([0.2, 0.5], [0.7, 1]) }, technology: { sigma: 0.5, aggregate: { kappa: 0.3, gamma: 0.3 } }, market: { kind: "monopoly" } },
      { figures: false },
    );
    const sol = solveScenario(scenario);
    const gaps = supportGaps(sol);
    expect(gaps.length).toBe(1);
    // to the grid's resolution (401 types on [0.2, 1]: 0.002)
    expect(Math.abs(gaps[0][0] - 0.5)).toBeLessThanOrEqual(0.002 + 1e-12);
    expect(Math.abs(gaps[0][1] - 0.7)).toBeLessThanOrEqual(0.002 + 1e-12);
    const f = monopolyFigure("quality", scenario, sol)!;
    expect(f.caption).toMatch(/No types in \(0\.5, 0\.7\) \(a gap of the law's support\): the lines break there/);
    expect(f.caption).not.toMatch(/bunched/);
    expect(f.bands ?? []).toEqual([]);
    // no line inside the gap, a line on both sides of it
    for (const s of f.series) {
      for (let i = 0; i < s.x.length; i++) if (s.x[i] > 0.5 + 1e-9 && s.x[i] < 0.7 - 1e-9) expect(s.y[i], `${s.column} at ${s.x[i]}`).toBeNaN();
      expect(Array.from(s.x).some((x, i) => x < 0.5 && Number.isFinite(s.y[i]))).toBe(true);
      expect(Array.from(s.x).some((x, i) => x > 0.7 && Number.isFinite(s.y[i]))).toBe(true);
    }
    // h falls to the floor in the gap without the mask: none of it is drawn there now
    const h = monopolyFigure("virtual-type", scenario, sol)!.series.find((s) => s.column === "h")!;
    for (let i = 0; i < h.x.length; i++) if (h.x[i] > 0.5 + 1e-9 && h.x[i] < 0.7 - 1e-9) expect(h.y[i]).toBeNaN();
  });

  it("a leader–fringe quantity figure names its gap; a law without one says nothing of gaps", () => {
    const raw = (theta: object) => ({
      name: "lf-gap",
      buyers: { theta },
      technology: { sigma: 0.5 },
      market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } },
    });
    const gapped = parseScenario(raw(twoUniforms([0.2, 0.6], [0.8, 1])), { figures: false });
    expect(quantityFigure("leader-quantity", gapped, solveScenario(gapped)).caption).toMatch(/No types in \(0\.6, 0\.8\) \(a gap of the law's support\): the lines break there/);
    const plain = parseScenario(raw({ dist: "uniform", min: 0, max: 1 }), { figures: false });
    expect(quantityFigure("fringe-quantity", plain, solveScenario(plain)).caption).not.toMatch(/No types/);
  });

  it("lpe eval --at a type inside the gap: the result's notes say no buyer is there (not for a type with buyers)", () => {
    const scenario = parseScenario(
      { name: "mono-gap", buyers: { theta: twoUniforms([0.2, 0.5], [0.7, 1]) }, technology: { sigma: 0.5, aggregate: { kappa: 0.3, gamma: 0.3 } }, market: { kind: "monopoly" } },
      { figures: false },
    );
    const sol = solveScenario(scenario);
    const inGap = assembleResult(scenario, sol, { sha256: "", evalAt: [0.3, 0.6, 0.65] });
    const note = inGap.solver.notes.find((n) => n.includes("gap of the type law's support"));
    expect(note).toBe("θ = 0.6, 0.65 lie in a gap of the type law's support (density 0, types below and above): no buyer is there, and their rows are the item such a type would choose");
    const plain = assembleResult(scenario, sol, { sha256: "", evalAt: [0.3, 0.9] });
    expect(plain.solver.notes.some((n) => n.includes("gap of the type law's support"))).toBe(false);
  });
});
