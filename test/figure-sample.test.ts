// What a streamed sweep keeps for its figures (workers/sweep-curves.ts FigureSample): every value
// the figures ask for, lines and heatmap cells alike, so that a sweep too large to keep its
// points draws the same figures as one that keeps them. (Until 5 Dec 2026 only the lines were
// kept, and a reviewer's 1,001 × 100-point sweep drew 39,208 of its 40,000 heatmap cells blank,
// captioned as failed points.)
import { describe, expect, it } from "vitest";
import "../figures/fonts.js";
import { MAX_HEATMAP_CELLS as FIG_CELLS, MAX_PLOT_POINTS as FIG_POINTS, paramCurveFigures, SMALL_MULTIPLES } from "../figures/builders/sweep-figures.js";
import { FigureSample, MAX_HEATMAP_CELLS, MAX_PLOT_POINTS, MAX_SERIES, type SweepTable } from "../workers/sweep-curves.js";
import { buildSweepGrid } from "../workers/sweep-grid.js";

const K = 2;
const value = (i: number, k: number) => 1 + i + 0.5 * k;

function tables(params: Record<string, { linspace: [number, number, number] }>, valueOf: (i: number, k: number, grid: ReturnType<typeof buildSweepGrid>) => number = value): { full: SweepTable; sampled: SweepTable } {
  const grid = buildSweepGrid({ params });
  const n = grid.size;
  const values = new Float64Array(n * K);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) values[i * K + k] = valueOf(i, k, grid);
  const sample = new FigureSample(grid, K);
  // recorded in batches, as a sweep records them
  for (let a = 0; a < n; a += 4096) sample.record(a, Math.min(n, a + 4096), values.subarray(a * K, Math.min(n, a + 4096) * K));
  const outputs = ["profit", "thetaLow"];
  return { full: { grid, outputs, start: 0, end: n, values, failures: new Map() }, sampled: { grid, outputs, start: 0, end: n, sample, failures: new Map() } };
}

describe("a streamed sweep's figure sample", () => {
  it("holds the figures' own limits", () => {
    expect(MAX_SERIES).toBe(SMALL_MULTIPLES);
    expect(MAX_PLOT_POINTS).toBe(FIG_POINTS);
    expect(MAX_HEATMAP_CELLS).toBe(FIG_CELLS);
  });

  for (const [what, params] of [
    ["heatmaps (1,001 × 101 points)", { "market.fringe.cost": { linspace: [0.001, 0.4, 1001] }, "market.leader.gamma": { linspace: [0.01, 0.45, 101] } }],
    ["lines (2,001 × 5 points)", { "market.fringe.cost": { linspace: [0.001, 0.4, 2001] }, "market.leader.gamma": { linspace: [0.01, 0.45, 5] } }],
    ["one dimension (3,001 points)", { "market.fringe.cost": { linspace: [0.001, 0.4, 3001] } }],
    ["heatmaps with an axis of one value between (301 × 1 × 101 points)", { "market.fringe.cost": { linspace: [0.001, 0.4, 301] }, "technology.sigma": { linspace: [0.5, 0.5, 1] }, "market.leader.gamma": { linspace: [0.01, 0.45, 101] } }],
  ] as const) {
    it(`draws the figures a full table draws: ${what}`, () => {
      const { full, sampled } = tables(params as never);
      const a = paramCurveFigures(full, { name: "s" });
      const b = paramCurveFigures(sampled, { name: "s" });
      expect(b.length).toBe(a.length);
      a.forEach((f, i) => {
        const g = b[i];
        expect(g.caption).toBe(f.caption);
        expect(g.caption).not.toMatch(/failed/);
        if (f.heatmap) {
          expect(g.heatmap).toBeDefined();
          expect(Array.from(g.heatmap!.z)).toEqual(Array.from(f.heatmap.z));
          expect(Array.from(f.heatmap.z).every(Number.isFinite)).toBe(true);
        }
        expect(g.series.map((s) => Array.from(s.y))).toEqual(f.series.map((s) => Array.from(s.y)));
      });
      if (what.startsWith("heatmaps")) expect(a.some((f) => f.heatmap)).toBe(true);
      if (what.includes("one value")) expect(a.map((f) => f.name)).toEqual(["profit-vs-market.fringe.cost", "thetaLow-vs-market.fringe.cost"]);
    });
  }

  it("draws the figures a full table draws where some lines have no value (a reviewer's 12 × 10 × 2 sweep drew lines of the few points other figures' samples held, blank elsewhere)", () => {
    // no value on the lines whose other two indices sum to a multiple of 3: lines the figures
    // would otherwise draw, so each chooses among its candidates those with a value
    const at = (g: ReturnType<typeof buildSweepGrid>, i: number, d: number) => Math.floor(i / g.dimStride[d]) % g.dimLength[d];
    const params = { "market.fringe.cost": { linspace: [0.05, 0.29, 12] }, "market.leader.gamma": { linspace: [0.1, 0.4, 10] }, "technology.sigma": { linspace: [0.4, 0.5, 2] } };
    const figuresOf = (drop: number) => {
      const { full, sampled } = tables(params as never, (i, k, g) => ((at(g, i, (drop + 1) % 3) + at(g, i, (drop + 2) % 3)) % 3 === 0 ? NaN : value(i, k)));
      return { a: paramCurveFigures(full, { name: "s" }), b: paramCurveFigures(sampled, { name: "s" }) };
    };
    for (const drop of [0, 1, 2]) {
      const { a, b } = figuresOf(drop);
      // the figure over the dimension `drop` has lines without a value among its first choice
      const f = a[drop * 2];
      expect(f.caption, f.name).toMatch(/with a value to draw/);
      a.forEach((fa, i) => {
        expect(b[i].caption, fa.name).toBe(fa.caption);
        expect(b[i].series.map((s) => Array.from(s.y)), fa.name).toEqual(fa.series.map((s) => Array.from(s.y)));
      });
      // its lines drawn have every value (whole lines have a value or none here)
      for (const s of b[drop * 2].series.filter((x) => x.line !== false)) expect(Array.from(s.y).every(Number.isFinite), `${f.name}: ${s.name.text}`).toBe(true);
    }
  });
});
