// The figure layer as `lpe explore` uses it: the one module of explore/ that imports figure
// code (the catalogue of scenario figures, their builders, the vega-lite translation, the SVG
// text styling, the sweep figures), so that a change of the figure layer's layout changes only
// this file. The page shows the very FigureSpecs and vega-lite charts the files are drawn from
// (figures/vl-spec.ts), rendered to SVG by vega in the page's worker.
// What differs from the files, all for speed: (1) figures drawn against a parameter declare
// their sweeps (figures/scenario-figures.ts figureNeeds) and the page computes them itself, on
// the main worker thread, with the sweep's own point builder and solver (workers/sweep-point.ts)
// and a memo per point, so moving the very parameter a figure sweeps re-solves one point, not the
// curve (the files' runner writes durable tables on a pool instead); (2) the inline data of each
// layer goes to vega as a named dataset, so that when only the numbers change (same axes,
// legend, labels) the figure's vega View is kept and only its data replaced (a few ms instead
// of compiling and parsing the chart again) — label offsets (mark dx/dy, which the layout moves
// with the data) go in as vega signals for the same reason; (3) the PDF-only accent placement is skipped.

import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { Scenario } from "../engine/scenario/spec-types.js";
import { decimateFigure } from "../figures/decimate.js";
import { resolveDomains } from "../figures/domain.js";
import { runsWidth } from "../figures/fonts.js";
import { setRunsMeasurer } from "../figures/text-measure.js";
import { parseLabel } from "../figures/label.js";
import { FigureData } from "../figures/builders/parameter-sweep.js";
import { paramCurveFigures } from "../figures/builders/sweep-figures.js";
import { FIGURES, figureNeeds, selectFigures } from "../figures/scenario-figures.js";
import { FIGURE_HEIGHT_PT, FIGURE_WIDTH_PT } from "../figures/style.js";
import { setPhysicalSize, styleTextElements } from "../figures/svg-text.js";
import type { FigureSpec } from "../figures/types.js";
import { vegaLiteChart } from "../figures/vl-spec.js";
import { solveScenario } from "../solvers/solve.js";
import type { MarketSolution } from "../solvers/types.js";
import type { FigureInputs, FigureSweepRequest } from "../workers/figure-sweeps.js";
import type { SweepTable } from "../workers/sweep-curves.js";
import { pointValues } from "../workers/sweep-grid.js";
import { failureStatus, makeSweepContext, scalarNumber } from "../workers/sweep-point.js";

export type { FigureSpec } from "../figures/types.js";
export type { SweepTable } from "../workers/sweep-curves.js";
// For the page's stand-in of the fonts module (explore/web/shims/fonts.ts).
export type { Run } from "../figures/label.js";
export { FONT_FAMILY, SCRIPT_SCALE } from "../figures/style.js";

// The layout modules measure label text through figures/text-measure.ts: with the shipped fonts
// in Node (fonts.ts installs itself), with a canvas in the page (the bundle's stand-in for
// fonts.ts, explore/web/shims/fonts.ts). Installing it here covers both.
setRunsMeasurer(runsWidth);

/** The names of the scenario's figures, in catalogue order (what `lpe solve` would draw). */
export function figureNames(scenario: Scenario, solution: MarketSolution): string[] {
  return selectFigures(scenario, solution);
}

/** Figures that need more than the solution (sweeps along a parameter, another solve): drawn last. */
export function drawnWithData(name: string): boolean {
  return FIGURES[name].data === true;
}

// ---------------------------------------------------------------- the figures' own sweeps

/** Solved sweep points by point scenario and outputs; cleared past this many. */
const MAX_MEMO_POINTS = 20_000;
const pointMemo = new Map<string, Float64Array | string>();

function sweepInPage(req: FigureSweepRequest): SweepTable {
  const outputs = [...req.scenario.sweep.outputs];
  const ctx = makeSweepContext({ raw: req.scenario, outputs, curves: [] });
  const K = outputs.length;
  const values = new Float64Array(ctx.grid.size * K);
  const failures = new Map<number, string>();
  const params = new Float64Array(ctx.grid.paths.length);
  if (pointMemo.size > MAX_MEMO_POINTS) pointMemo.clear();
  for (let i = 0; i < ctx.grid.size; i++) {
    pointValues(ctx.grid, i, params);
    let row: Float64Array | string;
    try {
      const point = ctx.builder.build(params);
      const key = `${outputs.join(",")}\u0000${JSON.stringify(point)}`;
      const hit = pointMemo.get(key);
      if (hit !== undefined) row = hit;
      else {
        try {
          const sc = solveScenario(point, { scalarsOnly: true, observables: outputs }).scalars;
          row = Float64Array.from(outputs, (o) => scalarNumber(sc[o]));
        } catch (e) {
          row = failureStatus(e);
        }
        pointMemo.set(key, row);
      }
    } catch (e) {
      row = failureStatus(e);
    }
    if (typeof row === "string") {
      failures.set(i, row);
      values.fill(NaN, i * K, (i + 1) * K);
    } else values.set(row, i * K);
  }
  return { grid: ctx.grid, outputs, start: 0, end: ctx.grid.size, values, failures };
}

/** What the figures `names` need beyond the solution, computed here. */
export type FigureDataHandle = FigureInputs;

export function prepareFigureData(scenario: Scenario, solution: MarketSolution, names: readonly string[]): FigureDataHandle {
  const needs = figureNeeds(scenario, solution, names);
  const sweeps = new Map<string, SweepTable>();
  for (const r of needs.sweeps) if (!sweeps.has(r.id)) sweeps.set(r.id, sweepInPage(r));
  const solutions = new Map<string, MarketSolution>();
  for (const s of needs.solves) if (!solutions.has(s.id)) solutions.set(s.id, solveScenario(s.scenario));
  return { sweeps, solutions };
}

/** One figure's spec, as `lpe solve` builds it (undefined when its builder declines). */
export function figureSpec(name: string, scenario: Scenario, solution: MarketSolution, data?: FigureDataHandle): FigureSpec | undefined {
  return FIGURES[name].build({ scenario, solution, data: new FigureData(data ?? { sweeps: new Map(), solutions: new Map() }) });
}

/** The figures `lpe sweep` draws from a finished table (one per output and swept parameter). */
export function sweepFigureSpecs(table: SweepTable, scenario: Scenario): FigureSpec[] {
  return paramCurveFigures(table, scenario);
}

// ---------------------------------------------------------------- rendering

interface TextItem {
  fontSize?: number;
}

let metricsInstalled = false;
function installTextMetrics(): void {
  if (metricsInstalled) return;
  metricsInstalled = true;
  const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics;
  metrics.width = (item, text) => {
    const size = item.fontSize != null ? +item.fontSize || 0 : 11;
    const s = text == null ? "" : String(text).trim();
    return size > 0 && s ? runsWidth(parseLabel(s), size) : 0;
  };
}

function labelTexts(spec: FigureSpec): Set<string> {
  const all = [spec.x.label, spec.y.label, ...spec.series.map((s) => s.name), ...(spec.bands ?? []).map((b) => b.label), ...(spec.vlines ?? []).map((v) => v.label)];
  return new Set(all.flatMap((l) => (l ? [l.text.trim()] : [])));
}

interface Layer {
  data?: { values?: unknown[]; name?: string };
  mark?: string | Record<string, unknown>;
}

/** Mark properties placed from the data's layout (label offsets): passed as signals, so a new
 *  offset does not rebuild the View. Only pure encoding channels (no effect on compilation). */
const SIGNAL_MARK_PROPS = ["dx", "dy"] as const;

/** The chart with each layer's inline values moved out into named datasets d0, d1, … and its
 *  label offsets into parameters m0_dx, …: what is left (the shape) decides whether a View is
 *  rebuilt, the rest is handed to the kept View. */
function splitData(spec: TopLevelSpec): { shape: TopLevelSpec; key: string; data: Map<string, unknown[]>; signals: Map<string, number> } {
  const data = new Map<string, unknown[]>();
  const signals = new Map<string, number>();
  const layers = ((spec as { layer?: Layer[] }).layer ?? []).map((l, i) => {
    let out: Layer = l;
    if (l.data?.values) {
      data.set(`d${i}`, l.data.values);
      out = { ...out, data: { name: `d${i}` } };
    }
    if (l.mark && typeof l.mark === "object") {
      let mark: Record<string, unknown> | undefined;
      for (const p of SIGNAL_MARK_PROPS) {
        const v = l.mark[p];
        if (typeof v !== "number") continue;
        const name = `m${i}_${p}`;
        signals.set(name, v);
        mark = { ...(mark ?? l.mark), [p]: { expr: name } };
      }
      if (mark) out = { ...out, mark };
    }
    return out;
  });
  const params = [...((spec as { params?: unknown[] }).params ?? []), ...[...signals].map(([name, value]) => ({ name, value }))];
  // The key leaves the offsets' values out (they are set on the kept View).
  const key = JSON.stringify({ ...spec, layer: layers }) + JSON.stringify([...signals.keys()]);
  return { shape: { ...spec, layer: layers, ...(params.length ? { params } : {}) } as TopLevelSpec, key, data, signals };
}

interface Cached {
  key: string;
  view: vega.View;
}
const views = new Map<string, Cached>();

export interface RenderedFigure {
  name: string;
  caption: string;
  svg: string;
  /** the vega-lite chart the SVG was drawn from (inline data, as in the files' pipeline) */
  vegaLite: TopLevelSpec;
  /** false when only the data of the previous drawing of this figure changed */
  rebuilt: boolean;
}

/** Draw a FigureSpec to SVG in the house style (figures/vl-spec.ts), reusing the figure's vega
 *  View when only its data changed. `slot` names the place on the page. */
export async function renderFigure(slot: string, full: FigureSpec): Promise<RenderedFigure> {
  installTextMetrics();
  const spec = decimateFigure(full);
  const chart = vegaLiteChart(spec, resolveDomains(spec));
  const { shape, key, data, signals } = splitData(chart.spec);
  let cached = views.get(slot);
  const rebuilt = !cached || cached.key !== key;
  if (rebuilt) {
    cached?.view.finalize();
    const view = new vega.View(vega.parse(compile(shape).spec), { renderer: "none" });
    cached = { key, view };
    views.set(slot, cached);
  }
  const view = cached!.view;
  for (const [name, values] of data) view.data(name, values);
  if (!rebuilt) for (const [name, value] of signals) view.signal(name, value);
  await view.runAsync();
  const svg = await view.toSVG();
  // Several figures share one HTML document: their clip-path ids must not collide.
  const prefix = slot.replace(/[^A-Za-z0-9_-]/g, "_");
  const unique = svg.replace(/(\bid="|url\(#)([^")]+)/g, `$1${prefix}-$2`);
  return {
    name: spec.name,
    caption: spec.caption,
    // the labels of this drawing (a kept View's may have changed: "c_F = 0.21" → "c_F = 0.22")
    svg: setPhysicalSize(styleTextElements(unique, labelTexts(spec), false), FIGURE_WIDTH_PT, FIGURE_HEIGHT_PT),
    vegaLite: chart.spec,
    rebuilt,
  };
}

/** The vega-lite chart the figure files are drawn from (figures thinned as writeFigure does). */
export function fileChart(spec: FigureSpec): TopLevelSpec {
  const thin = decimateFigure(spec);
  return vegaLiteChart(thin, resolveDomains(thin)).spec;
}

/** Forget the View of a place the page no longer shows. */
export function dropFigure(slot: string): void {
  views.get(slot)?.view.finalize();
  views.delete(slot);
}

/** Places currently holding a View (to drop those a new scenario no longer has). */
export function figureSlots(): string[] {
  return [...views.keys()];
}
