// The sweep figures drawn from a table (figures/builders/sweep-figures.ts): labels from the
// symbol table with units, shortest decimals in legends, automatic log scales (and the
// scenario's override), heatmaps with contours and a colour bar for 2-D sweeps, a few lines
// when the other axis is short; contour lines lie on their level; every spec renders.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { contourSegments, segmentsToPolyline } from "../figures/contours.js";
import { chooseScale, colourRange, contourLevels, paramCurveFigures, wholeNumberSteps } from "../figures/builders/sweep-figures.js";
import { renderPgfplots } from "../figures/pgfplots.js";
import { figureTable } from "../figures/csv.js";
import { renderSvgDetailed } from "../figures/svg.js";
import { vegaLiteChart } from "../figures/vl-spec.js";
import { outputLabel, pathLabel } from "../figures/symbols.js";
import { LIST_SCALARS, MARKET_SCALARS } from "../engine/scenario/output-names.js";
import type { SweepTable } from "../workers/sweep-curves.js";
import { buildSweepGrid } from "../workers/sweep-grid.js";
import { readFileSync } from "node:fs";
import { resolveDomains } from "../figures/domain.js";
import { FigureData } from "../figures/builders/parameter-sweep.js";
import { TIER_COUNTS, tiersShareFigure } from "../figures/builders/tiers-share.js";
import { parseScenario } from "../engine/scenario/load.js";

/** A table of f(params) over the grid of `params` (outputs point-major). */
function table(params: Record<string, unknown>, outputs: string[], f: (v: number[]) => number[], zip?: string[][]): SweepTable {
  const grid = buildSweepGrid({ params: params as never, ...(zip ? { zip } : {}) } as never);
  const values = new Float64Array(grid.size * outputs.length);
  for (let i = 0; i < grid.size; i++) {
    const v = grid.paths.map((_, q) => grid.axes[q].at(Math.floor(i / grid.dimStride[grid.paramDim[q]]) % grid.dimLength[grid.paramDim[q]])!);
    f(v).forEach((x, k) => (values[i * outputs.length + k] = x));
  }
  return { grid, outputs, start: 0, end: grid.size, values, failures: new Map() };
}

describe("points not certified optimal", () => {
  it("are drawn again as dots of their own, in the legend and the figure's CSV, where the status says so", () => {
    const t = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 13] } }, ["profit"], ([c]) => [c * c]);
    t.failures.set(9, "uncertified (optimality gap 3.2e-4 of profit)");
    t.failures.set(11, "uncertified (optimality gap 1.1e-4 of profit)");
    const [spec] = paramCurveFigures(t, { name: "u" });
    const u = spec.series.find((s) => s.name.text === "not certified optimal");
    expect(u, spec.series.map((s) => s.name.text).join(", ")).toBeDefined();
    expect(u!.line).toBe(false);
    expect(Array.from(u!.x)).toEqual([0.05 + 0.02 * 9, 0.05 + 0.02 * 11].map((v) => Number(v.toFixed(12))));
    expect(Array.from(u!.y)).toEqual([t.values![9], t.values![11]]);
    expect(spec.legend).not.toBe("none");
    expect(renderPgfplots(spec).csv.split("\n")[0]).toContain("profit_uncertified");
    // a failed point is not one of them; a fully certified sweep has no such series
    const clean = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 13] } }, ["profit"], ([c]) => [c * c]);
    clean.failures.set(3, "failed: numerical failure");
    expect(paramCurveFigures(clean, { name: "c" })[0].series.map((s) => s.name.text)).toEqual(["Profit Π"]);
  });
});

describe("a class's name in a swept cost's axis title", () => {
  it("is dropped where it would not fit the figure (a 30-character name skipped every figure of the sweep), and kept where it fits", async () => {
    const { validateFigure } = await import("../figures/validate.js");
    const tutorial = JSON.parse(readFileSync(new URL("../scenarios/examples/tutorial-monopoly.json", import.meta.url), "utf8"));
    const scenario = (name: string) => {
      const raw = structuredClone(tutorial);
      raw.technology.tokens.classes[0].name = name;
      return parseScenario(raw);
    };
    const t = table({ "technology.tokens.classes[0].cost": { values: [0.1, 0.2, 0.3] } }, ["profit"], ([c]) => [1 / c]);
    const [long] = paramCurveFigures(t, scenario("X".repeat(30)));
    expect(long.x.label.text).toBe("Token cost c_1");
    expect(() => validateFigure(long)).not.toThrow();
    expect(long.caption).toContain("X".repeat(30));
    const [short] = paramCurveFigures(t, scenario("input"));
    expect(short.x.label.text).toBe("Cost of input tokens c_1");
  });
});

describe("symbol table", () => {
  it("names paths and outputs by words and symbol, with the unit when the scenario has one", () => {
    expect(pathLabel("market.fringe.cost")).toEqual({ text: "Fringe cost c_F", tex: "Fringe cost $c_F$" });
    expect(pathLabel("technology.sigma").text).toBe("Task-token exponent σ");
    // the lognormal's log-sd is not σ (the task-token exponent) nor s (the value–scale share): a reviewer's legend read $s$
    expect(pathLabel("buyers.theta.sigma")).toEqual({ text: "Log-sd σ_θ", tex: "Log-sd $\\sigma_\\theta$" });
    expect(outputLabel("profit")).toEqual({ text: "Profit Π", tex: "Profit $\\Pi$" });
    expect(outputLabel("thetaLow").text).toBe("Threshold θ_low");
    const units = { currency: "USD", tokens: 1e6, currencyPerCostUnit: 1 };
    expect(pathLabel("market.fringe.cost", units).text).toBe("Fringe cost c_F (USD per 1M tokens)");
    expect(outputLabel("profitInCurrency", units).text).toBe("Profit Π (USD)");
    expect(outputLabel("leaderFringe.profit").text).toBe("Profit Π, leader vs fringe");
    // unknown names as written, escaped, never typewriter type
    expect(outputLabel("my_output")).toEqual({ text: "my\\_output", tex: "my\\_output" });
  });

  it("gives every number-valued scalar of every market words, never its identifier", () => {
    const names = [...new Set(Object.values(MARKET_SCALARS).flatMap((d) => Object.keys(d)))].filter((n) => !LIST_SCALARS.has(n));
    expect(names.length).toBeGreaterThan(90);
    const units = { currency: "USD", tokens: 1e6, currencyPerCostUnit: 1 };
    for (const n of names) {
      for (const u of [undefined, units]) {
        const l = outputLabel(n, u);
        const bare = n.slice(n.indexOf(".") + 1);
        // words with a capital (an identifier starts lower-case); a camelCase identifier
        // (after a regime prefix) never shows, in the text or the TeX
        expect(l.text[0], `${n}: ${l.text}`).toMatch(/[A-Z]/);
        if (/[A-Z]/.test(bare)) {
          expect(l.text.includes(bare), `${n}: ${l.text}`).toBe(false);
          expect(l.tex.includes(bare), `${n}: ${l.tex}`).toBe(false);
        }
      }
    }
    expect(outputLabel("leaderSpend", units).text).toBe("Leader spending at cost");
    expect(outputLabel("leaderSpendInCurrency", units).text).toBe("Leader spending at cost (USD)");
    expect(outputLabel("etaF").text).toBe("Fringe returns to scale η_F");
  });
});

describe("scales", () => {
  it("log when the positive values span more than two decades (zeros aside), else linear; the scenario decides first", () => {
    expect(chooseScale("profit", [0, 1, 1.3e16], { name: "x" })).toBe("log");
    expect(chooseScale("profit", [1, 50], { name: "x" })).toBe("linear");
    expect(chooseScale("profit", [-1, 1, 1e6], { name: "x" })).toBe("linear");
    expect(chooseScale("profit", [0, 1, 1.3e16], { name: "x", figures: { scales: { profit: "linear" } } })).toBe("linear");
    expect(chooseScale("c", [1, 2], { name: "x" }, true)).toBe("log");
    // one tiny value at the end of 500 does not make a log axis; a curve spanning decades does
    const flat = Array.from({ length: 500 }, (_, i) => 0.2 + i / 1000);
    expect(chooseScale("profit", [...flat.slice(0, 499), 1e-9], { name: "x" })).toBe("linear");
    expect(chooseScale("profit", Array.from({ length: 500 }, (_, i) => Math.exp(-i / 50)), { name: "x" })).toBe("log");
    // a million values (an axis): judged on an even sample, the same way
    const million = Float64Array.from({ length: 1_000_000 }, (_, i) => 1 + i / 1e6);
    expect(chooseScale("c", million, { name: "x" })).toBe("linear");
    million[999_999] = 1e-9;
    expect(chooseScale("c", million, { name: "x" })).toBe("linear");
    expect(chooseScale("c", Float64Array.from({ length: 1_000_000 }, (_, i) => Math.pow(10, -6 + (6 * i) / 1e6)), { name: "x" })).toBe("log");
    // up to 20 values, the extremes decide, as they did
    expect(chooseScale("profit", [...flat.slice(0, 19), 1e-9], { name: "x" })).toBe("log");
    expect(contourLevels(1e-7, 1e7, "log").length).toBeLessThanOrEqual(6);
    expect(contourLevels(0, 1, "linear")).toEqual([0.2, 0.4, 0.6, 0.8]);
  });
});

describe("sweep figures", () => {
  it("1-D: one line, symbol labels, a log axis for a wide positive range", () => {
    const t = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 25] } }, ["profit", "thetaLow"], ([c]) => [c < 0.1 ? 0 : 10 ** (60 * c), 0.5 + c]);
    const [profit, low] = paramCurveFigures(t, { name: "s" });
    expect(profit.name).toBe("profit-vs-market.fringe.cost");
    expect(profit.x.label.text).toBe("Fringe cost c_F");
    expect(profit.y.label.text).toBe("Profit Π");
    expect(profit.y.scale).toBe("log");
    expect(profit.caption).toMatch(/zero values not drawn/);
    expect(low.y.scale).toBe("linear");
    expect(profit.series.length).toBe(1);
  });

  it("the optimality gap's figure says what the gap is, and that an all-certified curve is rounding", () => {
    const t = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 25] } }, ["optimalityGap"], ([c]) => [c * 1e-16]);
    const [gap] = paramCurveFigures(t, { name: "s" });
    expect(gap.y.label.text).toBe("Optimality gap (B − Π)/Π");
    expect(gap.caption).toMatch(/The gap is \(B − Π\)\/Π, with B the upper bound on profit; a point is certified optimal when it is at most 1e-9\. All 25 points are certified: the values drawn are at most 1e-9 \(rounding, or a solver's own closing tolerance\)\.$/);
    t.failures.set(3, "uncertified (optimality gap 3.10e-4 of profit)");
    const [some] = paramCurveFigures(t, { name: "s" });
    expect(some.caption).not.toMatch(/All 25 points are certified/);
    expect(some.caption).toMatch(/at most 1e-9\. Note: 1 of the 25 points is not certified optimal/);
  });

  it("the caption says how many points are not certified optimal, and says nothing when all are", () => {
    const t = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 25] } }, ["profit"], ([c]) => [1 + c]);
    expect(paramCurveFigures(t, { name: "s" })[0].caption).not.toMatch(/certified/);
    t.failures.set(3, "uncertified (no optimality bound)");
    t.failures.set(7, "uncertified (no optimality bound)");
    t.failures.set(9, "not finite: profit");
    expect(paramCurveFigures(t, { name: "s" })[0].caption).toMatch(
      /\. Note: 2 of the 25 points are not certified optimal to 1e-9 of profit \(ringed where drawn\); one has no finite optimality bound; 1 of the 25 points failed and is not drawn \(the first: not finite: profit\)\.$/,
    );
    // ringed in black (a line's own markers are dots of its hue: a greyscale print lost them)
    const rings = paramCurveFigures(t, { name: "s" })[0].series.filter((s) => s.ring);
    expect(rings.length).toBe(1);
    expect(rings[0].line).toBe(false);
    expect(Array.from(rings[0].y)).toEqual([1 + 0.05 + 3 * 0.01, 1 + 0.05 + 7 * 0.01].map((v) => expect.closeTo(v, 12)) as unknown as number[]);
    // 25 values: each point is marked (a line between few points is not read as computed)
    expect(paramCurveFigures(t, { name: "s" })[0].series.every((s) => s.marker === true || s.line === false)).toBe(true);
    const long = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 41] } }, ["profit"], ([c]) => [1 + c]);
    expect(paramCurveFigures(long, { name: "s" })[0].series.every((s) => s.marker === undefined)).toBe(true);
    const counts = table({ "market.count": { values: [3, 6, 7, 9, 10, 12, 14, 15, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62] } }, ["profit"], ([n]) => [1 / n]);
    expect(paramCurveFigures(counts, { name: "s" })[0].series.every((s) => s.marker === true)).toBe(true);
    // with gaps, the largest is said
    const t3 = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 25] } }, ["profit"], ([c]) => [1 + c]);
    t3.failures.set(2, "uncertified (optimality gap 3.10e-4 of profit)");
    t3.failures.set(5, "uncertified (optimality gap 1.51e-2 of profit, reporting a finite menu of 81 items, the screening LP's on 200 atoms of the law)");
    expect(paramCurveFigures(t3, { name: "s" })[0].caption).toMatch(/Note: 2 of the 25 points are not certified optimal to 1e-9 of profit \(ringed where drawn\); the largest optimality gap is 1\.51e-2 of profit\./);
    const t2 = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 49] }, "market.leader.gamma": { linspace: [0.05, 0.45, 69] } }, ["profit"], ([c, g]) => [c + g]);
    t2.failures.set(100, "uncertified (no optimality bound)");
    const heat = paramCurveFigures(t2, { name: "s" })[0];
    expect(heat.heatmap).toBeDefined();
    expect(heat.caption).toMatch(/Note: 1 of the 3381 points is not certified optimal/);
    // and its cell is dotted, as a line chart's point is (a reviewer's heatmaps showed none)
    const dots = heat.series.filter((s) => s.line === false);
    expect(dots).toHaveLength(1);
    expect(dots[0].x).toHaveLength(1);
    // point 100 of the grid (γ_L the faster axis): c_F index 1, γ_L index 31, whichever axis each is on
    const at = [0.05 + 0.24 / 48, 0.05 + (0.4 * 31) / 68];
    const got = [dots[0].x[0], dots[0].y[0]];
    const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 1e-12);
    expect(near(got, at) || near(got, [at[1], at[0]]), `dot at ${got}, expected ${at}`).toBe(true);
    expect(heat.caption).toMatch(/; black dots outlined in white: 1 drawn point not certified optimal\./);
    // outlined in white, so that they show on the darkest cells too (a reviewer's were lost there):
    // in the SVG's spec a layer of dots with a white stroke, in the .tex a white mark outline
    expect(dots[0].halo).toBe(true);
    const haloLayer = (JSON.parse(JSON.stringify(vegaLiteChart(heat, resolveDomains(heat)).spec)).layer as { mark: { stroke?: string; strokeWidth?: number } }[]).filter((l) => l.mark?.stroke === "#ffffff");
    expect(haloLayer).toHaveLength(1);
    expect(haloLayer[0].mark.strokeWidth).toBeGreaterThan(0);
    expect(renderPgfplots(heat).tex).toMatch(/mark=\*, mark size=1\.5pt, mark options=\{solid, draw=white, line width=0\.8pt\}, only marks/);
  });

  it("a threshold's caption says what θ_low and θ_high are where the leader serves no type, when some point has it; another output's does not", () => {
    const sentence = " Where the leader serves no type, θ_low = θ_high = θ_max (and its profit is 0).";
    const buyers = { theta: { dist: "uniform" as const, min: 0, max: 1 } };
    // θ_low reaches θ_max = 1 at the last points (the leader exits)
    const t = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 13] } }, ["thetaLow", "profit"], ([c]) => [Math.min(1, 4 * c), 1 - Math.min(1, 4 * c)]);
    const [low, profit] = paramCurveFigures(t, { name: "s", buyers });
    expect(low.caption).toContain(sentence);
    expect(profit.caption).not.toContain("serves no type");
    // no point where it exits: not said (a reviewer's)
    const inside = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 13] } }, ["thetaLow"], ([c]) => [c]);
    expect(paramCurveFigures(inside, { name: "s", buyers })[0].caption).not.toContain("serves no type");
  });

  it("a profit map on a linear scale marks the edge of the region where profit is 0 (dashed), and says so", async () => {
    const grid = { "market.fringe.cost": { linspace: [0.05, 0.29, 13] }, "market.fringe.gamma": { linspace: [0, 0.2, 11] } };
    // the leader exits below c_F = 0.1 + γ_F (profit exactly 0), and earns about 1 above
    const t = table(grid, ["profit"], ([c, g]) => [c < 0.1 + g ? 0 : 1 + c - g]);
    const fig = paramCurveFigures(t, { name: "s" }).find((f) => f.heatmap && f.x.column === "market_fringe_cost")!;
    expect(fig.heatmap!.scale).toBe("linear");
    const edge = fig.series.filter((s) => s.column?.startsWith("zero_edge_"));
    expect(edge).toHaveLength(1);
    expect(edge[0].style).toBe("dashed");
    // the line runs through the last cells of profit 0: at each drawn γ_F, c_F lies below 0.1 + γ_F, within a cell of it
    for (let i = 0; i < edge[0].x.length; i++) {
      const [c, g] = [edge[0].x[i], edge[0].y[i]];
      if (!Number.isFinite(c) || !Number.isFinite(g)) continue;
      expect(c).toBeLessThanOrEqual(0.1 + g + 1e-9);
      expect(c).toBeGreaterThan(0.1 + g - 0.02 - 1e-9);
    }
    expect(fig.caption).toContain("; dashed white line: the edge of the region where Π = 0 (no type served there)");
    // in a leader–fringe market the fringe serves every type there: the leader serves none (a reviewer's)
    const lf = { name: "s", market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0.1, cost: 0.2 } } } as never;
    expect(paramCurveFigures(t, lf).find((f) => f.heatmap)!.caption).toContain("; dashed white line: the edge of the region where Π = 0 (the leader serves no type there)");
    const gap = table(grid, ["optimalityGap"], ([c, g]) => [c < 0.1 + g ? 0 : 10 ** (-16 + 20 * c)]);
    const gapCaption = paramCurveFigures(gap, lf).find((f) => f.heatmap)!.caption;
    expect(gapCaption).toContain("(where the leader earns nothing, B − Π relative to the top type's outside option u0(θ_max) instead)");
    expect(gapCaption).toContain("grey cells: a gap of 0, below the log scale");
    // nothing of the kind for another output, nor where no point has profit 0
    const positive = table(grid, ["profit"], ([c, g]) => [1 + c - g]);
    expect(paramCurveFigures(positive, { name: "s" })[0].series.some((s) => s.column?.startsWith("zero_edge_"))).toBe(false);
    const svg = (await renderSvgDetailed(fig)).svg;
    expect(svg).toMatch(/stroke-dasharray/);
  });

  it("the optimality gap's map has no contour below 1e-9 (rounding) and one at 1e-9 where the map spans it", () => {
    const grid = { "market.fringe.cost": { linspace: [0.05, 0.29, 13] }, "market.fringe.gamma": { linspace: [0, 0.2, 11] } };
    // rounding-level gaps on the certified points, real ones on a block of uncertified points
    const gaps = table(grid, ["optimalityGap"], ([c, g]) => [c > 0.15 && g > 0.05 ? 1e-3 * (1 + c) : 1e-16 * (1 + 10 * c + 3 * g)]);
    const fig = paramCurveFigures(gaps, { name: "s" }).find((f) => f.heatmap)!;
    const contours = fig.series.filter((s) => s.column?.startsWith("contour_")).map((s) => Number(s.name.text));
    expect(contours).toContain(1e-9);
    expect(fig.caption).toMatch(/white lines: contours at 10⁻⁹[^;]*\(at 1e-9, the edge of the certified region\); none below 1e-9, where the gaps are rounding/);
    // every level drawn is 1e-9 or at least a decade above it
    for (const level of contours) expect(level === 1e-9 || level >= 1e-8, `contour at ${level}`).toBe(true);
    // the 1e-9 line runs between the certified cells (c_F ≤ 0.15) and the uncertified ones (from
    // 0.17), placed in decades, not through the certified cells' centres (a reviewer's)
    const edge = fig.series.find((s) => s.column?.startsWith("contour_") && Number(s.name.text) === 1e-9)!;
    let checked = 0;
    for (let i = 0; i < edge.x.length; i++) {
      const [c, g] = [edge.x[i], edge.y[i]];
      if (!(g > 0.07 && g < 0.19)) continue;
      expect(c, `at γ_F = ${g}`).toBeGreaterThan(0.155);
      expect(c, `at γ_F = ${g}`).toBeLessThan(0.17);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
    // all certified: rounding only, no line at all
    const certified = table(grid, ["optimalityGap"], ([c, g]) => [1e-16 * (1 + 10 * c + 3 * g)]);
    const flat = paramCurveFigures(certified, { name: "s" }).find((f) => f.heatmap)!;
    expect(flat.series.filter((s) => s.column?.startsWith("contour_"))).toHaveLength(0);
    expect(flat.caption).toMatch(/no contour lines below 1e-9, where the gaps are rounding/);
  });

  it("in the .tex, a line's dots are not outlined with its width, and its legend sample is the line alone, 22 pt long", () => {
    const t = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 25] }, "market.fringe.gamma": { values: [0, 0.1] } }, ["profit"], ([c, g]) => [1 + c + g]);
    const fig = paramCurveFigures(t, { name: "s" }).find((f) => !f.heatmap && f.series.length >= 2)!;
    const tex = renderPgfplots(fig).tex;
    const plots = tex.split("\n").filter((l) => l.startsWith("\\addplot["));
    expect(plots.length).toBeGreaterThanOrEqual(2);
    for (const l of plots) {
      expect(l).toContain("mark options={solid, draw=none}");
      expect(l).toContain("legend image code/.code={\\draw (0pt,0pt) -- (22pt,0pt);}");
    }
  });

  it("a solved point without a finite value (θ_low's formula at γ_L = 0) is a gap the caption names, not a failure", () => {
    const t = table({ "market.leader.gamma": { linspace: [0, 0.3, 7] } }, ["thetaLowFormula"], ([g]) => [g === 0 ? NaN : 1 + 1 / g]);
    const [line] = paramCurveFigures(t, { name: "s" });
    expect(line.caption).toMatch(/; 1 solved point has no finite value \(undefined there, such as a price where nothing is sold, or infinite\) and is not drawn\.$/);
    expect(line.caption).not.toMatch(/failed/);
    // a failed point is still called failed, and not also valueless
    t.failures.set(3, "not finite: profit");
    t.values![3] = NaN;
    const [both] = paramCurveFigures(t, { name: "s" });
    expect(both.caption).toMatch(/1 solved point has no finite value/);
    expect(both.caption).toMatch(/1 of the 7 points failed and is not drawn/);
    const t2 = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 49] }, "market.leader.gamma": { linspace: [0, 0.45, 69] } }, ["thetaLowFormula"], ([c, g]) => [g === 0 ? NaN : c + 1 / g]);
    t2.failures.set(100, "not finite: profit");
    t2.values![100] = NaN;
    const heat = paramCurveFigures(t2, { name: "s" })[0];
    expect(heat.heatmap).toBeDefined();
    // γ_L = 0 is one row of 49 cells; point 100 (γ_L > 0) failed
    expect(heat.caption).toMatch(/; blank cells: 1 failed point; blank cells: 49 solved points without a finite value/);
  });

  it("lines are chosen among those with a value to draw (a reviewer's sweep over σ drew three lines at σ = 0.9, where every point failed: legend entries with nothing drawn)", () => {
    // 3 × 4 other combinations = 12 lines, more than are drawn; every point at σ = 0.9 has no value
    const t = table(
      { "market.fringe.cost": { linspace: [0.05, 0.29, 9] }, "market.leader.gamma": { values: [0.1, 0.2, 0.3, 0.4] }, "technology.sigma": { values: [0.5, 0.7, 0.9] } },
      ["profit"],
      ([c, g, s]) => [s === 0.9 ? NaN : c + g + s],
    );
    const f = paramCurveFigures(t, { name: "s" }).find((x) => x.name.includes("market.fringe.cost"))!;
    const drawn = f.series.filter((x) => x.line !== false);
    expect(drawn.length).toBeGreaterThan(1);
    for (const sr of drawn) expect(Array.from(sr.y).some(Number.isFinite), sr.name.text).toBe(true);
    expect(f.caption).toMatch(/\(6 of 12 lines shown, evenly chosen among the 8 with a value to draw\)/);
  });

  it("a zipped partner of the x parameter is named in the caption with its values at the axis' ends (a reviewer's c_L moved from 0.5 to 0.3 unseen)", () => {
    const t = table(
      { "market.fringe.cost": { values: [0.25, 0.2, 0.15, 0.1, 0.05] }, "market.leader.cost": { values: [0.3, 0.35, 0.4, 0.45, 0.5] } },
      ["profit"],
      ([cf, cl]) => [cf - cl],
      [["market.fringe.cost", "market.leader.cost"]],
    );
    const f = paramCurveFigures(t, { name: "s" }).find((x) => x.name === "profit-vs-market.fringe.cost")!;
    expect(f.caption).toMatch(/along the x axis c_L \(zipped with it\) moves too, from 0\.3 at c_F = 0\.25 to 0\.5 at 0\.05/);
  });

  it("an axis of whole numbers (a count of tiers) is ticked at whole numbers only", () => {
    const t = table({ "market.count": { values: [4, 5, 6, 7] } }, ["profit"], ([n]) => [1 - 1 / n]);
    const [f] = paramCurveFigures(t, { name: "s" });
    expect(f.x.integer).toBe(true);
    const ticks = resolveDomains(f).x.ticks;
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.every(Number.isInteger), ticks.join(", ")).toBe(true);
    // a continuous parameter keeps its round steps
    const c = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 13] } }, ["profit"], ([x]) => [x]);
    expect(paramCurveFigures(c, { name: "s" })[0].x.integer).toBeUndefined();
  });

  it("the tiers profit-share figure draws its points not certified optimal as dots of their own, in the legend", () => {
    const grid = buildSweepGrid({ params: { "market.count": { values: TIER_COUNTS } } as never });
    const values = Float64Array.from(TIER_COUNTS, (n) => 1 - 0.5 / n);
    const failures = new Map([[5, "uncertified (optimality gap 4.2e-2 of profit)"], [9, "uncertified (optimality gap 1.7e-2 of profit)"]]);
    const data = new FigureData({ sweeps: new Map([["tiers-market.count", { grid, outputs: ["profitShare"], start: 0, end: 10, values, failures }]]), solutions: new Map() });
    const scenario = parseScenario(JSON.parse(readFileSync(new URL("../scenarios/examples/tiers-three-models.json", import.meta.url), "utf8")));
    const f = tiersShareFigure(scenario, data);
    const dots = f.series.find((s) => s.name.text === "not certified optimal");
    expect(dots, f.series.map((s) => s.name.text).join(", ")).toBeDefined();
    expect(Array.from(dots!.x)).toEqual([6, 10]);
    expect(Array.from(dots!.y)).toEqual([values[5], values[9]]);
    expect(f.legend).not.toBe("none");
    expect(resolveDomains(f).x.ticks.every(Number.isInteger)).toBe(true);
    // all certified: no dots, no legend
    const clean = new FigureData({ sweeps: new Map([["tiers-market.count", { grid, outputs: ["profitShare"], start: 0, end: 10, values, failures: new Map() }]]), solutions: new Map() });
    const g = tiersShareFigure(scenario, clean);
    expect(g.series.length).toBe(1);
    expect(g.legend).toBe("none");
  });

  it("2-D with a short other axis: one line per value, legend numbers the shortest decimal", () => {
    const t = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 9] }, "market.leader.gamma": { values: [0.1, 0.10500000000000001, 0.3] } }, ["profit"], ([c, g]) => [c + g]);
    const f = paramCurveFigures(t, { name: "s" })[0];
    expect(f.heatmap).toBeUndefined();
    expect(f.series.map((s) => s.name.text)).toEqual(["γ_L = 0.1", "γ_L = 0.105", "γ_L = 0.3"]);
    expect(f.series[1].name.tex).toBe("$\\gamma_L$ $= 0.105$");
  });

  it("2-D with long axes: a heatmap over both parameters, contours at the colour bar's levels, no legend", async () => {
    const t = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 49] }, "market.leader.gamma": { linspace: [0.05, 0.45, 69] } }, ["profit"], ([c, g]) => [c + 2 * g]);
    const specs = paramCurveFigures(t, { name: "s" });
    // one map per output, the first swept parameter on x (not the same map again transposed, a reviewer's)
    expect(specs.map((s) => s.name)).toEqual(["profit-vs-market.fringe.cost"]);
    const f = specs[0];
    expect(f.legend).toBe("none");
    expect(f.heatmap!.x.length).toBe(49);
    expect(f.heatmap!.y.length).toBe(69);
    expect(f.y.label.text).toBe("Leader fine-tuning returns γ_L");
    expect(f.heatmap!.label.text).toBe("Profit Π");
    expect(f.heatmap!.scale).toBe("linear");
    expect(f.heatmap!.levels).toEqual(f.series.map((s) => Number(s.name.text)));
    // each contour point lies on its level: c + 2γ = level (linear interpolation is exact here)
    for (const s of f.series) {
      const level = Number(s.name.text);
      for (let i = 0; i < s.x.length; i++) if (Number.isFinite(s.y[i])) expect(Math.abs(s.x[i] + 2 * s.y[i] - level)).toBeLessThan(1e-9);
    }
    expect(f.x.label.text).toBe("Fringe cost c_F");
    // zipped parameters: one map per output too, its caption saying how the zipped one moves (a reviewer's)
    const zipped = (order: "first" | "second") =>
      paramCurveFigures(
        table(
          order === "first"
            ? { "market.fringe.cost": { linspace: [0.05, 0.25, 9] }, "market.leader.cost": { linspace: [0.3, 0.5, 9] }, "market.leader.gamma": { linspace: [0.1, 0.4, 7] } }
            : { "market.leader.gamma": { linspace: [0.1, 0.4, 7] }, "market.fringe.cost": { linspace: [0.05, 0.25, 9] }, "market.leader.cost": { linspace: [0.3, 0.5, 9] } },
          ["profit"],
          (v) => [v.reduce((a, b) => a + b, 0)],
          [["market.fringe.cost", "market.leader.cost"]],
        ),
        { name: "s" },
      );
    const zf = zipped("first");
    expect(zf.map((s) => s.name)).toEqual(["profit-vs-market.fringe.cost"]);
    expect(zf[0].caption).toContain("; along the x axis c_L (zipped with it) moves too, from 0.3 at c_F = 0.05 to 0.5 at 0.25");
    const zs = zipped("second");
    expect(zs.map((s) => s.name)).toEqual(["profit-vs-market.leader.gamma"]);
    expect(zs[0].caption).toContain("; along the y axis c_L (zipped with it) moves too, from 0.3 at c_F = 0.05 to 0.5 at 0.25");
    // a comparison of markets: each output's regime named (a reviewer read "Profit Π, efficient against …")
    const cmp = { name: "c", market: { kind: "compare", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } } } as never;
    const byOutput = paramCurveFigures(table({ "market.fringe.cost": { linspace: [0.05, 0.29, 5] } }, ["profit", "efficient.profit", "optimalityGap"], ([c]) => [c, 0, 0]), cmp);
    expect(byOutput[0].caption).toMatch(/^Sweep of c: Profit Π of the leader facing the fringe against fringe cost c_F/);
    expect(byOutput[1].caption).toMatch(/^Sweep of c: Profit Π of the efficient allocation against fringe cost c_F/);
    expect(byOutput[2].caption).toMatch(/^Sweep of c: Optimality gap \(B − Π\)\/Π against fringe cost c_F/);
    expect(byOutput[2].caption).toContain("for the comparison of markets, the largest of the three regimes' gaps, each relative to its own profit");
    // an axis of one value is no axis: no figure against it, no lines told apart by it, its value in the caption (a reviewer's)
    const one = paramCurveFigures(table({ "market.fringe.cost": { linspace: [0.05, 0.29, 1] }, "market.leader.gamma": { linspace: [0.05, 0.45, 50] } }, ["profit"], ([c, g]) => [c + g]), {
      name: "s",
      buyers: { theta: { dist: "uniform", min: 0, max: 1 } },
      technology: { sigma: 0.5 },
      market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } },
    } as never);
    expect(one.map((s) => s.name)).toEqual(["profit-vs-market.leader.gamma"]);
    expect(one[0].series).toHaveLength(1);
    expect(one[0].caption).toMatch(/γ_F = 0, c_F = 0\.05; θ ~ U\[0, 1\] \(the swept γ_L varies as shown\)\.$/);
    expect(one[0].caption).not.toMatch(/one line per value/);
    // a short axis against a long one: a map over both, and lines over the long axis, one per value of the short
    const lines = paramCurveFigures(table({ "market.fringe.cost": { linspace: [0.05, 0.29, 5] }, "market.leader.gamma": { linspace: [0.05, 0.45, 69] } }, ["profit"], ([c, g]) => [c + 2 * g]), { name: "s" });
    expect(lines.map((s) => [s.name, s.heatmap ? "map" : "lines"])).toEqual([["profit-vs-market.fringe.cost", "map"], ["profit-vs-market.leader.gamma", "lines"]]);
    const { svg, warnings } = await renderSvgDetailed(f);
    expect(warnings).toEqual([]);
    expect(svg).toContain("Profit");
    const { tex, csv } = renderPgfplots(f);
    expect(tex).toContain("matrix plot*");
    expect(tex).toContain("colorbar");
    // the colour bar's title reads top to bottom in every format (the SVG's is turned a quarter
    // clockwise; the .tex's read bottom to top until a reviewer compared them)
    expect(svg).toMatch(/class="mark-text role-legend-title"[^>]*><text[^>]*rotate\(90\)/);
    expect(tex).toContain("ylabel style={font=\\small, rotate=180}");
    expect(csv.split("\n")[0].startsWith("market_fringe_cost,market_leader_gamma,profit")).toBe(true);
    expect(csv.trim().split("\n").length - 1).toBeGreaterThanOrEqual(49 * 69);
  });
});

describe("contours", () => {
  it("logOnly places a level in decades between values that jump (a gap of rounding beside a real one), whatever the points beyond fit", () => {
    // a reviewer's: rounding (1e-15) at the grid's edge, γ = 0, real gaps above it rising linearly;
    // the transform fitted to the point beyond put the 1e-9 line at γ = 5.5e-9, on the certified cells
    const x = [0, 1];
    const y = [0, 0.0125, 0.025, 0.0375];
    const z = [1e-15, 1e-15, 1e-3, 1e-3, 2e-3, 2e-3, 3e-3, 3e-3];
    const yAt = (logOnly: boolean) => {
      const seg = contourSegments(x, y, z, 1e-9, true, logOnly);
      expect(seg.length).toBeGreaterThan(0);
      return seg[0][1];
    };
    expect(yAt(false)).toBeLessThan(1e-6);
    // halfway in decades: log(1e-9 / 1e-15) / log(1e-3 / 1e-15) = 6/12 of the cell
    expect(yAt(true)).toBeCloseTo(0.0125 / 2, 12);
  });

  it("marching squares: segments on the level line, skipping squares with a hole", () => {
    const x = [0, 1, 2];
    const y = [0, 1];
    const z = [0, 1, 2, 1, 2, 3];
    const seg = contourSegments(x, y, z, 1.5);
    expect(seg.length).toBe(2);
    for (const [x0, y0, x1, y1] of seg) {
      expect(x0 + y0).toBeCloseTo(1.5, 12);
      expect(x1 + y1).toBeCloseTo(1.5, 12);
    }
    expect(contourSegments(x, y, [0, 1, NaN, 1, 2, 3], 1.5).length).toBe(1);
    const line = segmentsToPolyline([[0, 0, 1, 1], [1, 1, 2, 2], [5, 5, 6, 6]]);
    expect(line.x).toEqual([0, 1, 2, 2, 5, 6]);
    expect(line.y.map((v) => (Number.isNaN(v) ? null : v))).toEqual([0, 1, 2, null, 5, 6]);
    // segments joined whatever their order and direction
    const shuffled = segmentsToPolyline([[5, 5, 6, 6], [2, 2, 1, 1], [0, 0, 1, 1]]);
    expect(shuffled.y.filter(Number.isNaN).length).toBe(1);
    expect(shuffled.x.filter((_, i) => !Number.isNaN(shuffled.y[i])).length).toBe(5);
  });

  // the length of a polyline's pieces (breaks skipped), and its number of pieces
  const drawn = (line: { x: number[]; y: number[] }) => {
    let len = 0;
    for (let i = 1; i < line.x.length; i++) if (!Number.isNaN(line.y[i]) && !Number.isNaN(line.y[i - 1])) len += Math.hypot(line.x[i] - line.x[i - 1], line.y[i] - line.y[i - 1]);
    return { len, pieces: line.y.filter(Number.isNaN).length + (line.x.length > 0 ? 1 : 0) };
  };
  const segLength = (seg: number[][]) => seg.reduce((acc, [x0, y0, x1, y1]) => acc + Math.hypot(x1 - x0, y1 - y0), 0);

  it("a level line crossing the grid is drawn as one line, not a piece per square (seams where pieces met)", () => {
    // z increasing in x and y: every level inside the range is one curve from border to border
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 3, noNaN: true }), fc.double({ min: 0.1, max: 3, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.boolean(), (a, b, c, u, log) => {
        const n = 17;
        const x = Array.from({ length: n }, (_, i) => i / (n - 1));
        const y = Array.from({ length: n + 6 }, (_, i) => (i / (n + 5)) ** 1.3);
        const f = (p: number, q: number) => Math.exp(a * p + b * q + c * p * q);
        const z = y.flatMap((q) => x.map((p) => f(p, q)));
        const level = Math.exp(u * (a + b + c));
        const seg = contourSegments(x, y, z, level, log);
        const line = segmentsToPolyline(seg);
        const d = drawn(line);
        expect(seg.length).toBeGreaterThan(0);
        expect(d.pieces, `${seg.length} segments`).toBe(1);
        // every segment drawn once
        expect(Math.abs(d.len - segLength(seg))).toBeLessThan(1e-12 * Math.max(1, d.len));
        expect(line.x.length).toBe(seg.length + 1);
      }),
      { numRuns: 60 },
    );
  });

  it("a closed level line is one closed line, ending where it starts", () => {
    const n = 41;
    const x = Array.from({ length: n }, (_, i) => i / (n - 1));
    const z = x.flatMap((q) => x.map((p) => (p - 0.5) ** 2 + (q - 0.45) ** 2));
    const seg = contourSegments(x, x, z, 0.09);
    const line = segmentsToPolyline(seg);
    expect(drawn(line).pieces).toBe(1);
    expect(line.x.length).toBe(seg.length + 1);
    expect([line.x[0], line.y[0]]).toEqual([line.x[line.x.length - 1], line.y[line.y.length - 1]]);
    // two separate rings: two closed lines
    const z2 = x.flatMap((q) => x.map((p) => Math.min((p - 0.25) ** 2 + (q - 0.5) ** 2, (p - 0.75) ** 2 + (q - 0.5) ** 2)));
    expect(drawn(segmentsToPolyline(contourSegments(x, x, z2, 0.01))).pieces).toBe(2);
  });
});

describe("contours of a vanishing profit on a log scale (a reviewer's stair-stepped zero-profit boundary)", () => {
  // z = max(0, g)^k on a grid: z is 0 (below every level of a log scale) on one side of g = 0.
  // The level line z = L is g = L^(1/k). The squares with a zero corner used to be skipped, so
  // the lines nearest the boundary broke up, and log-linear interpolation between two positive
  // values put them up to a quarter of a cell off; now a crossing is interpolated in the power
  // (or log) of z that the grid points beyond it make linear: exactly, for g linear.
  const grid = (n: number, lo: number, hi: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  const sample = (x: number[], y: number[], f: (x: number, y: number) => number) => y.flatMap((b) => x.map((a) => f(a, b)));
  const length = (seg: number[][]) => seg.reduce((acc, [x0, y0, x1, y1]) => acc + Math.hypot(x1 - x0, y1 - y0), 0);
  for (const k of [1, 2, 3]) {
    it(`a straight boundary, z = max(0, x + y − 1)^${k}: every crossing on the level line, none missing`, () => {
      const x = grid(21, 0, 1);
      const y = grid(31, 0, 1.2); // unevenly spaced from x's, and not symmetric
      const z = sample(x, y, (a, b) => Math.max(0, a + b - 1) ** k);
      for (const level of [1e-6, 1e-3]) {
        const seg = contourSegments(x, y, z, level, true);
        const g = Math.pow(level, 1 / k);
        for (const [x0, y0, x1, y1] of seg) {
          // exact where two grid points lie beyond each crossing; within a cell (0.05 × 0.04)
          // of the grid's sides, where fewer do
          const inside = [x0, x1].every((v) => v > 0.1 && v < 0.9) && [y0, y1].every((v) => v > 0.08 && v < 1.12);
          const tol = inside ? 1e-12 : 0.04;
          expect(Math.abs(x0 + y0 - 1 - g), `${level}: (${x0}, ${y0})`).toBeLessThan(tol);
          expect(Math.abs(x1 + y1 - 1 - g), `${level}: (${x1}, ${y1})`).toBeLessThan(tol);
        }
        // the whole line x + y = 1 + g inside the box [0,1]×[0,1.2]: from (0, 1 + g) to (1, g)
        expect(Math.abs(length(seg) / Math.SQRT2 - 1), `length of the ${level} line`).toBeLessThan(0.01);
      }
    });
  }
  it("a curved boundary, z = max(0, r − 0.5)^k around the origin: the line within 1% of a cell of the circle", () => {
    const x = grid(41, 0, 1);
    const y = grid(41, 0, 1);
    for (const k of [1, 2, 3]) {
      const z = sample(x, y, (a, b) => Math.max(0, Math.hypot(a, b) - 0.5) ** k);
      const level = 1e-6;
      const r = 0.5 + Math.pow(level, 1 / k);
      const seg = contourSegments(x, y, z, level, true);
      let worst = 0;
      for (const [x0, y0, x1, y1] of seg) worst = Math.max(worst, Math.abs(Math.hypot(x0, y0) - r), Math.abs(Math.hypot(x1, y1) - r));
      expect(worst, `k = ${k}`).toBeLessThan(0.01 * 0.025);
      // a quarter circle
      expect(Math.abs(length(seg) / ((Math.PI / 2) * r) - 1), `k = ${k}`).toBeLessThan(0.005);
    }
  });
  it("an exponential z is still interpolated in log z, exactly", () => {
    const x = grid(21, 0, 1);
    const z = sample(x, x, (a, b) => Math.exp(20 * (a + b)));
    const seg = contourSegments(x, x, z, Math.exp(20), true);
    expect(seg.length).toBeGreaterThan(20);
    for (const [x0, y0, x1, y1] of seg) expect(Math.max(Math.abs(x0 + y0 - 1), Math.abs(x1 + y1 - 1))).toBeLessThan(1e-12);
  });
});

describe("heatmap cells next to a failed point", () => {
  it("never reach into a blank cell (a cell reaching right and up drew a quarter cell into a blank upper-right neighbour)", async () => {
    const { vegaLiteChart } = await import("../figures/vl-spec.js");
    const t = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 9] }, "market.leader.gamma": { linspace: [0.1, 0.5, 9] } }, ["profit"], ([c, g]) => [c + 2 * g]);
    // a staircase of failed points in the upper right: i + j > 12 (0-based indices on both axes)
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) if (i + j > 12) t.values![i + 9 * j] = NaN;
    const specs = paramCurveFigures(t, { name: "s" });
    const f = specs.find((s) => s.heatmap)!;
    const hm = f.heatmap!;
    const chart = vegaLiteChart(f, resolveDomains(f)) as unknown as { spec: { layer: { data?: { values?: Record<string, number>[] }; mark?: { type?: string } }[] } };
    const rects = chart.spec.layer.filter((l) => l.mark?.type === "rect").flatMap((l) => l.data?.values ?? []);
    expect(rects.length).toBeGreaterThan(0);
    const nx = hm.x.length;
    // the blank cells' rectangles (cell edges half-way between grid values)
    const edges = (v: ArrayLike<number>) => Array.from({ length: v.length + 1 }, (_, k) => (k === 0 ? v[0] - (v[1] - v[0]) / 2 : k === v.length ? v[k - 1] + (v[k - 1] - v[k - 2]) / 2 : (v[k - 1] + v[k]) / 2));
    const xe = edges(hm.x);
    const ye = edges(hm.y);
    let blanks = 0;
    for (let j = 0; j < hm.y.length; j++) {
      for (let i = 0; i < nx; i++) {
        if (Number.isFinite(hm.z[j * nx + i])) continue;
        blanks++;
        for (const r of rects) {
          const overlapX = Math.min(r.b, xe[i + 1]) - Math.max(r.a, xe[i]);
          const overlapY = Math.min(r.e, ye[j + 1]) - Math.max(r.c, ye[j]);
          expect(overlapX > 1e-9 && overlapY > 1e-9, `a coloured rectangle reaches into the blank cell (${i}, ${j})`).toBe(false);
        }
      }
    }
    expect(blanks).toBeGreaterThan(5);
  });
});

describe("colour-bar ticks", () => {
  it("are set upright, also where a contour line's level has the same text (1e-8)", async () => {
    const { renderSvgDetailed: render } = await import("../figures/svg.js");
    const t = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 21] }, "market.leader.gamma": { linspace: [0.05, 0.45, 21] } }, ["optimalityGap"], ([c, g]) => [10 ** (-16 + 30 * c + 10 * g)]);
    const f = paramCurveFigures(t, { name: "s" }).find((s) => s.heatmap)!;
    expect(f.series.some((s) => /e-/.test(s.name.text))).toBe(true);
    const svg = (await render(f)).svg;
    expect(svg).not.toMatch(/<tspan font-style="italic">e<\/tspan>/);
  });
});

describe("y-axis titles", () => {
  it("fit above the plot's centre: the compact label, then its unit with a slash (a long title ran off the top)", () => {
    const t = table({ "market.fringe.cost": { linspace: [0.05, 0.5, 10] } }, ["leaderAveragePriceInCurrency", "medianPricePerTokenInCurrency", "profitInCurrency"], ([c]) => [0.7 + c, 0.5 + c, 1 + c]);
    const [price, median, profit] = paramCurveFigures(t, { name: "s", units: { currency: "USD", tokens: 1e6, currencyPerCostUnit: 1 } } as never);
    expect(price.y.label.text).toBe("Leader's price (USD/1M tokens)");
    expect(median.y.label.text).toBe("Median price (USD/1M tokens)");
    // a short title is kept as it is
    expect(profit.y.label.text).toBe("Profit Π (USD)");
  });
});

describe("sweep captions", () => {
  it("give the parameters held fixed in the paper's notation, with no internal names (the engine version is in the .tex and the PDF, not the caption)", () => {
    const t = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 5] } }, ["profit"], ([c]) => [1 - c]);
    const scenario = {
      name: "s",
      buyers: { theta: { dist: "uniform", min: 0, max: 1 } },
      technology: { sigma: 0.5 },
      market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } },
    };
    const [f] = paramCurveFigures(t, scenario as never);
    expect(f.caption).toMatch(/^Sweep of s: Profit Π against fringe cost c_F, 5 values/);
    expect(f.caption).toMatch(/ Other parameters as in scenario s: σ = 0\.5; leader vs competitive fringe, γ_L = 0\.3, c_L = 0\.3; γ_F = 0, c_F = swept; θ ~ U\[0, 1\] \(the swept c_F varies as shown\)\.$/);
    // (a reviewer: "(profit)", "(market.fringe.cost)" and "Drawn by lpe" are not for a paper)
    for (const internal of ["(profit", "market.fringe.cost", "Drawn by"]) expect(f.caption).not.toContain(internal);
    expect(paramCurveFigures(t, { name: "s" })[0].caption).not.toContain("Drawn by");
  });
});

describe("legend values", () => {
  it("have the fewest digits (at least 3) that keep an axis' values apart: κ = 3.16 on a logspace axis", () => {
    const t = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 9] }, "technology.aggregate.kappa": { logspace: [-1, 1, 5] } }, ["profit"], ([c, k]) => [c * k]);
    const f = paramCurveFigures(t, { name: "s" })[0];
    expect(f.series.map((s) => s.name.text)).toEqual(["κ = 0.1", "κ = 0.316", "κ = 1", "κ = 3.16", "κ = 10"]);
    // close values keep the digits that tell them apart
    const u = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 9] }, "market.leader.gamma": { values: [0.3, 0.3001, 0.30011] } }, ["profit"], ([c, g]) => [c + g]);
    expect(paramCurveFigures(u, { name: "s" })[0].series.map((s) => s.name.text)).toEqual(["γ_L = 0.3", "γ_L = 0.3001", "γ_L = 0.30011"]);
  });
});

describe("the colour bar's title", () => {
  it("fits the figure: a title longer than the bar starts at its top, smaller if need be (a reviewer's was cut at both ends)", async () => {
    await import("../figures/fonts.js");
    const { colorBarTitle, COLORBAR_TITLE_MAX_PT } = await import("../figures/vl-spec.js");
    const { runsWidth } = await import("../figures/text-measure.js");
    const { parseLabel } = await import("../figures/label.js");
    const { COLORBAR_LENGTH_PT, FONT_SIZE } = await import("../figures/style.js");
    expect(colorBarTitle("Profit Π")).toEqual({ titleFontSize: FONT_SIZE.axisTitle, titleAnchor: "middle" });
    for (const title of ["Relative value of contracting on tasks", "Profit under token budgets Π_b", "A very long output label that no figure of this height could ever hold at nine points"]) {
      const c = colorBarTitle(title);
      expect(c.titleAnchor).toBe("end");
      const width = runsWidth(parseLabel(title), c.titleFontSize);
      expect(width, title).toBeGreaterThan(COLORBAR_LENGTH_PT * (c.titleFontSize / FONT_SIZE.axisTitle) - 1e-9);
      if (c.titleFontSize > 6) expect(width, title).toBeLessThanOrEqual(COLORBAR_TITLE_MAX_PT);
    }
    // drawn: the whole title, from the bar's top down
    const t = table({ "technology.sigma": { linspace: [0.2, 0.6, 7] }, "technology.fineTuning.gamma": { linspace: [0.05, 0.35, 7] } }, ["contractingGainRelative"], ([s, g]) => [s + g]);
    const heat = paramCurveFigures(t, { name: "s" })[0];
    expect(heat.heatmap).toBeDefined();
    const { svg } = await renderSvgDetailed(heat);
    const title = /<text text-anchor="(\w+)" transform="translate\(([\d.]+),([\d.]+)\) rotate\(90\)[^>]*font-size="([\d.]+)px"[^>]*>([^<]*)/.exec(svg);
    expect(title?.[5]).toBe(heat.heatmap!.label.text);
    expect(title?.[1]).toBe("start");
  });
});

describe("a heatmap's colour range", () => {
  it("is the whole range unless cells lie far out (Tukey's 3 IQR), then the cells within, with the others in the end colours (a reviewer's)", () => {
    // smooth data, linear or spanning decades evenly: the whole range
    const even = Array.from({ length: 100 }, (_, i) => i / 99);
    expect(colourRange(even, "linear")).toMatchObject({ domain: [0, 1], clipped: false });
    const decades = Array.from({ length: 100 }, (_, i) => 10 ** (6 * i / 99));
    expect(colourRange(decades, "log").clipped).toBe(false);
    // constant: nothing to clip
    expect(colourRange([0.5, 0.5, 0.5], "linear")).toMatchObject({ domain: [0.5, 0.5], clipped: false });
    // one corner cell of 25.7 among values from 0.08 to 0.23
    const corner = [...Array.from({ length: 48 }, (_, i) => 0.08 + (0.15 * i) / 47), 25.7];
    const c = colourRange(corner, "linear");
    expect(c.clipped).toBe(true);
    expect(c.domain[0]).toBe(0.08);
    expect(c.domain[1]).toBeCloseTo(0.23, 12);
    expect(c.words).toBe("1 cell above, up to 25.7, in the top colour");
    // a band of profits growing to 1e120 on a log scale
    const band = [...Array.from({ length: 300 }, (_, i) => 0.06 * 10 ** (i / 299)), ...Array.from({ length: 40 }, (_, i) => 10 ** (3 * i))];
    const b = colourRange(band, "log");
    expect(b.clipped).toBe(true);
    expect(b.domain[1]).toBeLessThan(1e3);
    expect(b.words).toMatch(/^\d+ cells above, up to 10¹¹⁷, in the top colour$/);
  });

  it("of a constant output is said to be one colour", () => {
    const t = table({ "technology.sigma": { linspace: [0.2, 0.6, 7] }, "technology.fineTuning.gamma": { linspace: [0.05, 0.35, 7] } }, ["thetaStar"], () => [0.5]);
    const heat = paramCurveFigures(t, { name: "s" })[0];
    expect(heat.heatmap).toBeDefined();
    expect(heat.caption).toMatch(/θ\^\* = 0\.5 at every drawn point \(one colour\)/);
    expect(heat.caption).not.toContain("thetaStar");
  });

  it("is drawn clamped, ticked inside, and said in the caption", async () => {
    const t = table({ "technology.sigma": { linspace: [0.2, 0.6, 7] }, "technology.fineTuning.gamma": { linspace: [0.05, 0.35, 7] } }, ["profit"], ([s, g]) => [s === 0.6 && g === 0.35 ? 25.7 : s * g + 0.1]);
    const heat = paramCurveFigures(t, { name: "s" })[0];
    expect(heat.heatmap?.domain).toBeDefined();
    const [lo, hi] = heat.heatmap!.domain!;
    expect(hi).toBeLessThan(25.7);
    for (const l of heat.heatmap!.levels ?? []) expect(l > lo && l < hi).toBe(true);
    expect(heat.caption).toMatch(/colours span [\d.]+ to [\d.]+, 1 cell above, up to 25\.7, in the top colour/);
    const { vegaLiteChart } = await import("../figures/vl-spec.js");
    const spec = JSON.stringify(vegaLiteChart(heat, resolveDomains(heat)));
    expect(spec).toContain('"clamp":true');
    expect(spec).toContain(`"domain":[${lo},${hi}]`);
    const { tex } = renderPgfplots(heat);
    const { formatNumber } = await import("../figures/number.js");
    expect(tex).toContain(`point meta max=${formatNumber(hi)}`);
  });
});

describe("lines of a sweep's figure (a reviewer's three-parameter sweep)", () => {
  const t = () =>
    table(
      { "buyers.theta.mu": { values: [-1, 0] }, "technology.sigma": { values: [0.3, 0.4] }, "market.leader.gamma": { values: [0.2, 0.1] }, "market.fringe.cost": { linspace: [0.05, 0.29, 9] } },
      ["profit"],
      ([m, s, g, c]) => [m + s + g + c],
      [["technology.sigma", "market.leader.gamma"]],
    );
  it("name every member of a zip group in the legend and the caption, with a minus sign", () => {
    const f = paramCurveFigures(t(), { name: "z" }).find((x) => x.name === "profit-vs-market.fringe.cost")!;
    const names = f.series.map((x) => x.name.text);
    expect(names).toContain("μ = \u22121, σ = 0.3, γ_L = 0.2");
    expect(f.caption).toMatch(/one line per value of [^,]*μ[^,]*, [^,]*σ with [^,]*γ_L/);
  });
  it("carry the scenario's own caption text (figures.caption), as a scenario figure does", () => {
    const f = paramCurveFigures(t(), { name: "z", figures: { caption: "Calibrated to the March prices." } } as never)[0];
    expect(f.caption).toContain("Calibrated to the March prices.");
    // right after the sentence on what is drawn, before the parameters held fixed
    expect(f.caption).toMatch(/lines shown, evenly chosen\)\. Calibrated to the March prices\.$/);
  });
});

describe("a token class's cost as the swept parameter", () => {
  it("is labelled with the class's name (it read 'Token cost c_1', and 'the swept Token cost' in the caption: a reviewer's)", () => {
    const t = table({ "technology.tokens.classes[1].cost": { linspace: [2, 4, 5] } }, ["profit"], ([c]) => [1 / c]);
    const technology = { sigma: 0.5, tokens: { rho: 0.5, classes: [{ name: "input", alpha: 0.4, cost: 1 }, { name: "output", alpha: 0.6, cost: 3 }] } };
    const [f] = paramCurveFigures(t, { name: "tc", technology } as never);
    expect(f.x.label.text).toMatch(/^Cost of output tokens c_2/);
    expect(f.x.label.tex).toContain("Cost of output tokens $c_{2}$");
  });
});

describe("log axes in the .tex", () => {
  it("have no minor ticks, as the SVG (pgfplots drew eight in every decade: a comb on an axis of eleven decades)", () => {
    const t = table({ "market.fringe.cost": { linspace: [0.05, 0.29, 13] } }, ["optimalityGap"], ([c]) => [10 ** (-15 + 40 * c)]);
    const [spec] = paramCurveFigures(t, { name: "g" });
    const { tex } = renderPgfplots(spec);
    expect(tex).toContain("ymode=log");
    expect(tex).toContain("yminorticks=false");
    expect(tex).not.toContain("xminorticks=false");
  });
});

describe("a heatmap's colour bar in the .tex (a reviewer's pdflatex runs)", () => {
  const grid = { "technology.sigma": { linspace: [0.2, 0.6, 7] }, "technology.fineTuning.gamma": { linspace: [0.05, 0.35, 7] } };
  it("keeps pgfplots from factoring a power of ten out of its labels (it printed ·10^-2 beside 0.02, 0.04: values read 100 times too small)", () => {
    const heat = paramCurveFigures(table(grid, ["profit"], ([s, g]) => [0.01 + 0.1 * s * g]), { name: "s" })[0];
    const { tex } = renderPgfplots(heat);
    const bar = /colorbar style=\{[^\n]*\}/.exec(tex)?.[0] ?? "";
    expect(bar).toContain("scaled ticks=false");
    expect(bar).toMatch(/yticklabels=\{0\.0\d/);
  });
  it("centres one value everywhere in the bar, ticked at it (the bar ran from the value to the value + 1)", () => {
    for (const v of [0.592592592593, 0]) {
      const heat = paramCurveFigures(table(grid, ["servedShare"], () => [v]), { name: "s" })[0];
      const { tex } = renderPgfplots(heat);
      const lo = Number(/point meta min=([^,]+),/.exec(tex)?.[1]);
      const hi = Number(/point meta max=([^,\n]+),/.exec(tex)?.[1]);
      expect((lo + hi) / 2).toBeCloseTo(v, 12);
      expect(hi - lo).toBeLessThanOrEqual(v === 0 ? 2 : 2.01e-3 * v);
      expect(tex).toMatch(new RegExp(`ytick=\\{${String(v).replace(".", "\\.")}\\}`));
    }
  });
});

describe("a heatmap of whole numbers (a count of binding pairs)", () => {
  it("draws its lines between the steps, at m + ½, with whole-number ticks (lines at the values zig-zagged along flat regions: a reviewer's)", () => {
    expect(wholeNumberSteps([2, 3, 4, 2], 2, 4, "linear")).toEqual({ lines: [2.5, 3.5], ticks: [2, 3, 4] });
    expect(wholeNumberSteps([0.5, 1], 0.5, 1, "linear")).toBeUndefined();
    expect(wholeNumberSteps([1, 2, 3], 1, 3, "log")).toBeUndefined();
    expect(wholeNumberSteps([0, 1000], 0, 1000, "linear")).toBeUndefined();
    const many = wholeNumberSteps([0, 20], 0, 20, "linear")!;
    expect(many.lines.length).toBeLessThanOrEqual(6);
    expect(many.ticks.every(Number.isInteger)).toBe(true);
    // a step along a straight boundary: every point of its line halfway between the two regions
    const t = table({ "technology.sigma": { linspace: [0.2, 0.6, 9] }, "technology.fineTuning.gamma": { linspace: [0.05, 0.35, 9] } }, ["bindingPairs"], ([s]) => [s < 0.35 ? 3 : 2]);
    const heat = paramCurveFigures(t, { name: "s" })[0];
    expect(heat.heatmap?.levels).toEqual([2, 3]);
    expect(heat.caption).toMatch(/white lines: the steps of binding IC pairs from one whole value to the next \(at 2\.5\)/);
    const line = heat.series.find((s) => s.column === "contour_1_technology_fineTuning_gamma")!;
    const xs = Array.from(line.x).filter((_, i) => !Number.isNaN(line.y[i]));
    expect(xs.length).toBeGreaterThan(2);
    for (const x of xs) expect(x).toBeCloseTo(0.325, 12);
    // each line's coordinates in the CSV are named after the line and the coordinate they hold
    // (a reviewer read "technology_sigma_contour_1_technology_fineTuning_gamma" for the x column)
    const { header } = figureTable(heat);
    expect(header.slice(3)).toEqual(["contour_1_technology_sigma", "contour_1_technology_fineTuning_gamma"]);
  });
});

describe("a heatmap with few values along an axis (a reviewer's 4 × 300 sweep)", () => {
  // profit over γ_L ∈ {0.1, 0.2, 0.3, 0.4} and 300 values of c_F, 0 where the leader does not
  // serve: white lines between four columns a tenth apart were guesses, and those next to a zero
  // cell, extrapolated from the columns beyond, ran down through the grey cells
  // (spanning six decades where positive: a log colour scale, 0 drawn grey)
  const profit = ([c, g]: number[]) => [g < 0.15 + c ? 0 : 10 ** (20 * g - 6)];
  it("draws no contour lines below MIN_CONTOUR_VALUES values of an axis, and its caption says why; with 8 values, it draws them", async () => {
    const { MIN_CONTOUR_VALUES } = await import("../figures/builders/sweep-figures.js");
    expect(MIN_CONTOUR_VALUES).toBe(8);
    for (const [n, lines] of [
      [4, false],
      [7, false],
      [8, true],
    ] as const) {
      const t = table({ "market.fringe.cost": { logspace: [-2, -0.5, 300] }, "market.leader.gamma": { linspace: [0.1, 0.1 * n, n] } }, ["profit"], profit);
      // (one map: γ_L on x where c_F's figure is lines, 4 values; else c_F on x, γ_L on y)
      const maps = paramCurveFigures(t, { name: "s" }).filter((s) => s.heatmap);
      expect(maps.length, `${n} values of γ_L: one heatmap`).toBe(1);
      const f = maps[0];
      expect(f.x.column).toBe(n <= 6 ? "market_leader_gamma" : "market_fringe_cost");
      const contours = f.series.filter((s) => Array.from(s.y).some(Number.isFinite));
      expect(contours.length > 0, `${n} values of γ_L: ${contours.length} contour lines`).toBe(lines);
      if (lines) expect(f.caption).toMatch(/white lines: contours at/);
      else expect(f.caption).toContain(`no contour lines: ${n} values of leader fine-tuning returns γ_L are too few to draw them between (at least 8)`);
      // the .tex plots no series without a point (pgfplots warned "the current plot has no coordinates")
      const plots = renderPgfplots(f).tex.split("\n").filter((l) => l.startsWith("\\addplot[") && !l.includes("matrix plot"));
      expect(plots.length, `${n} values`).toBe(contours.length);
    }
  });

  it("its SVG draws the cells with crisp edges (an anti-aliased edge left hairlines of a neighbour's colour); the line figures and the SVG for the PDF are unchanged", async () => {
    const t = table({ "market.fringe.cost": { logspace: [-2, -0.5, 300] }, "market.leader.gamma": { linspace: [0.1, 0.4, 4] } }, ["profit"], profit);
    const specs = paramCurveFigures(t, { name: "s" });
    const heat = await renderSvgDetailed(specs.find((s) => s.heatmap)!);
    const cellLayers = heat.svg.match(/<g class="mark-rect role-mark layer_\d+_marks"[^>]*>/g) ?? [];
    // the grey cells (profit 0) and the coloured ones
    expect(cellLayers.length).toBe(2);
    for (const g of cellLayers) expect(g).toContain('shape-rendering="crispEdges"');
    expect(heat.svgForPdf).not.toContain("crispEdges");
    const line = await renderSvgDetailed(specs.find((s) => !s.heatmap)!);
    expect(line.svg).not.toContain("crispEdges");
  });
});
