// The thresholds and regimes figures dot the points of their parameter sweep whose market is not
// certified optimal, on that market's lines (figures/builders/parameter-sweep.ts
// uncertifiedDotsOnLines), as a sweep's own figures do: the README said so, a reviewer's
// thresholds-cost figure had no dots. The sweep is solved here point by point (P2's uniform
// types: closed forms), and two points are given the statuses a comparison's sweep writes
// (engine/results/uncertified-status.ts).
import { describe, expect, it } from "vitest";
import { parseScenario } from "../engine/scenario/load.js";
import { uncertifiedStatus } from "../engine/results/uncertified-status.js";
import { FigureData, UNCERTIFIED_DOTS } from "../figures/builders/parameter-sweep.js";
import { thresholdFigure } from "../figures/builders/thresholds.js";
import { coincide, regimeFigure } from "../figures/builders/regimes.js";
import { solveScenario } from "../solvers/solve.js";
import type { SweepTable } from "../workers/sweep-curves.js";
import type { SweepGrid } from "../workers/sweep-grid.js";

const scenario = parseScenario(
  {
    name: "p2",
    buyers: { theta: { dist: "uniform", min: 0, max: 1 } },
    technology: { sigma: 0.5 },
    market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } },
  },
  { figures: false },
);

/** The figure's sweep, solved point by point, with `statuses` (point → status) as its failures. */
function inputs(build: (d: FigureData) => unknown, statuses: Map<number, string>): FigureData {
  const plan = new FigureData();
  build(plan);
  const [req] = plan.needs().sweeps;
  const sweep = req.scenario.sweep!;
  const [path, spec] = Object.entries(sweep.params)[0] as [string, { values: number[] }];
  const outputs = sweep.outputs as string[];
  const values = new Float64Array(spec.values.length * outputs.length);
  spec.values.forEach((v, i) => {
    const raw = JSON.parse(JSON.stringify({ ...req.scenario, sweep: undefined }));
    const keys = path.split(".");
    let o = raw;
    for (const k of keys.slice(0, -1)) o = o[k];
    o[keys.at(-1)!] = v;
    const sol = solveScenario(parseScenario(raw, { figures: false }), { scalarsOnly: true });
    outputs.forEach((name, k) => (values[i * outputs.length + k] = typeof sol.scalars[name] === "number" ? (sol.scalars[name] as number) : NaN));
  });
  const table: SweepTable = { grid: {} as SweepGrid, outputs, start: 0, end: spec.values.length, values, failures: statuses };
  return new FigureData({ sweeps: new Map([[req.id, table]]), solutions: new Map() });
}

const LF = uncertifiedStatus(1e-3, [{ name: "leaderFringe", optimalityGap: 1e-3 }]);
const MM = uncertifiedStatus(2e-7, [{ name: "multiModelMonopoly", optimalityGap: 2e-7 }]);

describe("uncertified points on the thresholds and regimes figures", () => {
  it("thresholds-cost: dots on θ_low and θ_high at the equilibrium's uncertified point, on θ_m at the monopolist's", () => {
    const build = (d: FigureData) => thresholdFigure("thresholds-cost", scenario, d, 0, 1);
    const data = inputs(build, new Map([[10, LF], [40, MM]]));
    const f = build(data);
    const dots = f.series.filter((s) => s.name.text === UNCERTIFIED_DOTS.text);
    expect(dots.length).toBe(1);
    expect(dots[0].line).toBe(false);
    const low = f.series.find((s) => s.column === "thetaLow")!;
    const high = f.series.find((s) => s.column === "thetaHigh")!;
    const mm = f.series.find((s) => s.column === "thetaMultiModel")!;
    // the lines' values at those points (the lines may hold inserted rows at jumps: look x up)
    const yAt = (s: typeof low, x: number) => s.y[Array.from(s.x).indexOf(x)];
    const x10 = dots[0].x[0];
    const got = Array.from(dots[0].x, (x, i) => [x, dots[0].y[i]]);
    const want: number[][] = [];
    for (const s of [low, high]) if (Number.isFinite(yAt(s, x10))) want.push([x10, yAt(s, x10)]);
    const x40 = got.find(([x]) => x !== x10)?.[0];
    expect(x40, JSON.stringify(got)).toBeDefined();
    if (Number.isFinite(yAt(mm, x40!))) want.push([x40!, yAt(mm, x40!)]);
    expect(got).toEqual(want);
    expect(want.length).toBeGreaterThanOrEqual(2);
  });

  it("regimes-profit: a dot on the equilibrium's line only; none where every point is certified", () => {
    const build = (d: FigureData) => regimeFigure("regimes-profit", scenario, d);
    const f = build(inputs(build, new Map([[10, LF]])));
    const dots = f.series.filter((s) => s.name.text === UNCERTIFIED_DOTS.text);
    expect(dots.length).toBe(1);
    const lf = f.series.find((s) => s.column === "leaderFringe")!;
    expect(Array.from(dots[0].y)).toEqual([lf.y[10]]);
    expect(Array.from(dots[0].x)).toEqual([lf.x[10]]);
    const clean = build(inputs(build, new Map()));
    expect(clean.series.some((s) => s.name.text === UNCERTIFIED_DOTS.text)).toBe(false);
  });
});

describe("points not certified optimal are ringed in black (not dots of another hue: a reviewer's greyscale print lost them)", () => {
  const spec = {
    name: "ringed",
    caption: "c",
    x: { label: { text: "x", tex: "x" }, column: "x" },
    y: { label: { text: "y", tex: "y" } },
    series: [
      { name: { text: "profit", tex: "profit" }, x: [0, 1, 2, 3], y: [1, 2, 3, 4], marker: true, column: "p" },
      { name: UNCERTIFIED_DOTS, x: [1, 2], y: [2, 3], line: false, ring: true, column: "p_uncertified" },
    ],
  };
  it("in the SVG: black rings (outer and inner circle) on the points, with a ring in the legend", async () => {
    const { renderSvg } = await import("../figures/index.js");
    const svg = await renderSvg(spec);
    // every ring is a black path of two circles, the inner drawn the other way round
    const rings = [...svg.matchAll(/<path[^>]*d="(M[^"]*Z\s*M[^"]*Z)"[^>]*>/g)].filter((m) => /fill="#000000"|fill="black"/.test(m[0]));
    expect(rings.length, svg.slice(0, 400)).toBeGreaterThanOrEqual(3);
  });
  it("in the LaTeX: open circles (mark=o) in black, only marks", async () => {
    const { renderPgfplots } = await import("../figures/index.js");
    const { tex } = renderPgfplots(spec);
    const plot = tex.split("\n").find((l) => l.startsWith("\\addplot") && l.includes("p_uncertified"))!;
    expect(plot).toMatch(/mark=o, mark size=[0-9.]+pt, mark options=\{solid, line width=0\.9pt\}/);
    expect(plot).toContain("only marks");
    expect(tex).toMatch(/\\definecolor\{\w+2\}\{HTML\}\{000000\}/);
  });
});

describe("regimes figures: two markets with the same curve", () => {
  it("regimes-fringe-share with uniform types: the efficient and the multi-model monopolist's shares coincide, and the caption and the line widths say so (a reviewer's); regimes-profit has no such sentence", () => {
    const build = (d: FigureData) => regimeFigure("regimes-fringe-share", scenario, d);
    const f = build(inputs(build, new Map()));
    const eff = f.series.find((s) => s.column === "efficient")!;
    const mm = f.series.find((s) => s.column === "multiModelMonopoly")!;
    expect(coincide(eff.y, mm.y)).toBe(true);
    expect(f.caption).toMatch(/The "efficient" and "multi-model monopolist" curves coincide at every c_F drawn \(to 1e-9\): the dash-dotted line lies on the dashed one, drawn wider/);
    expect(eff.width).toBeGreaterThan(mm.width ?? 0);
    const g = regimeFigure("regimes-profit", scenario, inputs((d) => regimeFigure("regimes-profit", scenario, d), new Map()));
    expect(g.caption).not.toMatch(/coincide/);
    expect(g.series.every((s) => s.width === undefined)).toBe(true);
  });

  it("coincide: to 1e-9 relative, missing values matching missing values only", () => {
    expect(coincide([1, 2, NaN], [1 + 1e-12, 2, NaN])).toBe(true);
    expect(coincide([1, 2], [1, 2 + 1e-6])).toBe(false);
    expect(coincide([1, NaN], [1, 3])).toBe(false);
    expect(coincide([NaN], [NaN])).toBe(false);
  });
});
