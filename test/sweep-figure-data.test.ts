// A sweep's figures sent to the figure thread as plain data (workers/sweep-curves.ts
// plainSweepTable) and built there (figures/sweep-figure-specs.ts): the specs must be those the
// main thread built from the sweep's table before (paramCurveFigures), whether the table kept
// every point's outputs or only the figures' sample, with failed and uncertified points, on
// 1-D, 2-D (lines and heatmaps) and zipped grids, after the structured clone of postMessage.
import { describe, expect, it } from "vitest";
import "../figures/fonts.js";
import { paramCurveFigures } from "../figures/builders/sweep-figures.js";
import { sweepFigureSpecs, tableFromPlain } from "../figures/sweep-figure-specs.js";
import { FigureSample, plainSweepTable, type SweepTable } from "../workers/sweep-curves.js";
import { buildSweepGrid } from "../workers/sweep-grid.js";

const K = 2;
const outputs = ["profit", "thetaLow"];
const value = (i: number, k: number) => (k === 0 ? 0.2 + Math.sin(i / 300) * 0.05 : 0.5 + i * 1e-5);

function table(sweep: { params: Record<string, unknown>; zip?: string[][] }, kept: "values" | "sample"): SweepTable {
  const grid = buildSweepGrid(sweep as never);
  const n = grid.size;
  const values = new Float64Array(n * K);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) values[i * K + k] = value(i, k);
  const failures = new Map<number, string>([
    [0, "uncertified: gap 1.2e-6"],
    [7, "failed: no root"],
  ]);
  values[7 * K] = NaN;
  values[7 * K + 1] = NaN;
  if (kept === "values") return { grid, outputs, start: 0, end: n, values, failures };
  const sample = new FigureSample(grid, K);
  for (let a = 0; a < n; a += 1000) sample.record(a, Math.min(n, a + 1000), values.subarray(a * K, Math.min(n, a + 1000) * K));
  return { grid, outputs, start: 0, end: n, sample, failures };
}

const sweeps = {
  "one dimension (20,001 points)": { params: { "market.fringe.cost": { linspace: [0.05, 0.29, 20001] } } },
  "lines (1,001 × 4)": { params: { "market.fringe.cost": { linspace: [0.05, 0.29, 1001] }, "market.leader.gamma": { values: [0.1, 0.2, 0.3, 0.4] } } },
  "heatmap (201 × 101)": { params: { "market.fringe.cost": { linspace: [0.05, 0.29, 201] }, "market.leader.gamma": { linspace: [0.1, 0.4, 101] } } },
  "zipped (501)": {
    params: { "market.fringe.cost": { linspace: [0.05, 0.29, 501] }, "market.leader.cost": { linspace: [0.2, 0.4, 501] } },
    zip: [["market.fringe.cost", "market.leader.cost"]],
  },
};

describe("a sweep's figures built in the figure thread from plain data", () => {
  for (const [what, sweep] of Object.entries(sweeps)) {
    for (const kept of ["values", "sample"] as const) {
      it(`give the specs the main thread built: ${what}, ${kept === "values" ? "every point kept" : "a streamed sweep's sample"}`, () => {
        const t = table(sweep, kept);
        const scenario = { name: "plain-test", units: { price: "USD per 1M tokens" } } as never;
        const direct = paramCurveFigures(t, scenario);
        // what postMessage does to it
        const sent = structuredClone(plainSweepTable(t));
        const built = sweepFigureSpecs(sent, scenario);
        if ("failed" in built) throw new Error(built.failed);
        expect(built.specs.length).toBe(direct.length);
        expect(direct.length).toBeGreaterThan(0);
        // the specs as data: typed arrays compared by value, every field (labels, captions, scales)
        const norm = (x: unknown) => JSON.parse(JSON.stringify(x, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)));
        expect(norm(built.specs)).toEqual(norm(direct));
        // the caption counts the failed and uncertified points of the whole sweep
        expect(direct[0].caption).toMatch(/not certified/);
      });
    }
  }

  it("sends a few kB of outputs, not every point's", () => {
    const t = table(sweeps["one dimension (20,001 points)"], "values");
    const plain = plainSweepTable(t);
    expect(plain.sample.values.length).toBeLessThanOrEqual(500 * K);
    expect(plain.sample.values.length).toBeGreaterThan(100 * K);
    // a long linspace axis goes as its spec (not 20,001 doubles: 80 MB for 10,000,000), and the
    // axis the figure thread computes from it answers the grid's values
    const a = t.grid.axes[0];
    const sent = plain.grid.axes[0];
    expect(sent instanceof Float64Array).toBe(false);
    expect(JSON.stringify(sent).length).toBeLessThan(100);
    const there = tableFromPlain(structuredClone(plain)).grid.axes[0];
    expect(there.length).toBe(a.length);
    for (const j of [0, 1, 777, 4095, 4096, 10000, 20000]) expect(there.at(j)).toBe(a.at(j));
  });

  it("sends a short axis or one of listed values as its values", () => {
    const t = table({ params: { "market.fringe.cost": { values: [0.3, 0.1, 0.2] }, "market.leader.cost": { linspace: [0.2, 0.4, 50] } } }, "values");
    const plain = plainSweepTable(t);
    expect(Array.from(plain.grid.axes[0] as Float64Array)).toEqual([0.3, 0.1, 0.2]);
    expect((plain.grid.axes[1] as Float64Array).length).toBe(50);
  });
});
