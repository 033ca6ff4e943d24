// The figure layer as `lpe explore` uses it: the one module of explore/ that imports figure
// code (the catalogue of scenario figures, their builders, the vega-lite translation, the SVG
// text styling, and the sweep-curve figures), so that moving the figure layer changes only
// this file. The page shows the very FigureSpecs and vega-lite charts the files are drawn from
// (engine/figures/vl-spec.ts), rendered to SVG by vega in the page's worker.
// Two things differ from the files, both for speed: the inline data of each layer is given to
// vega as a named dataset, so that when a control moves and only the numbers change (same
// axes, legend and labels) the figure's vega View is kept and only its data replaced (a few
// ms instead of compiling and parsing the chart again); and the PDF-only accent placement is
// skipped. Thresholds and other figures drawn against a parameter keep one ScalarSweeper
// across updates: moving the very parameter they sweep re-solves one point, not the curve.

import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { decimateFigure } from "../engine/figures/decimate.js";
import { resolveDomains } from "../engine/figures/domain.js";
import { runsWidth } from "../engine/figures/fonts.js";
import { parseLabel } from "../engine/figures/label.js";
import { ScalarSweeper } from "../engine/figures/builders/parameter-sweep.js";
import { FIGURES, selectFigures } from "../engine/figures/scenario-figures.js";
import { FIGURE_HEIGHT_PT, FIGURE_WIDTH_PT } from "../engine/figures/style.js";
import { setPhysicalSize, styleTextElements } from "../engine/figures/svg-text.js";
import type { FigureSpec } from "../engine/figures/types.js";
import { vegaLiteChart } from "../engine/figures/vl-spec.js";
import type { Scenario } from "../engine/scenario/spec-types.js";
import type { MarketSolution } from "../solvers/types.js";
import { paramCurveFigures, type SweepTable } from "../workers/sweep-curves.js";

export type { FigureSpec } from "../engine/figures/types.js";
export type { SweepTable } from "../workers/sweep-curves.js";
// For the page's stand-in of the fonts module (explore/web/shims/fonts.ts).
export type { Run } from "../engine/figures/label.js";
export { FONT_FAMILY, SCRIPT_SCALE } from "../engine/figures/style.js";

/** The names of the scenario's figures, in catalogue order (what `lpe solve` would draw). */
export function figureNames(scenario: Scenario, solution: MarketSolution): string[] {
  return selectFigures(scenario, solution);
}

/** Figures drawn against a parameter (they solve the scenario along it): drawn after the others. */
export function drawnWithData(name: string): boolean {
  return /^(thresholds-|regimes-|cost-decline-|tiers-)/.test(name);
}

/** A fresh sweeper past this many figure updates (its memo would grow without end). */
const MAX_SWEEPER_USES = 100;
let sweeper = new ScalarSweeper();
let sweeperUses = 0;

/**
 * What the figures `names` need beyond the solution. Here the builders solve their sweeps
 * themselves through a ScalarSweeper kept across updates: moving the very parameter a figure
 * sweeps re-solves one point, not the curve (its memo is keyed by the point's scenario).
 */
export type FigureDataHandle = ScalarSweeper;

export function prepareFigureData(_scenario: Scenario, _solution: MarketSolution, _names: readonly string[]): FigureDataHandle {
  if (++sweeperUses > MAX_SWEEPER_USES) {
    sweeper = new ScalarSweeper();
    sweeperUses = 0;
  }
  return sweeper;
}

/** One figure's spec, as `lpe solve` builds it (undefined when its builder declines). */
export function figureSpec(name: string, scenario: Scenario, solution: MarketSolution, data?: FigureDataHandle): FigureSpec | undefined {
  return FIGURES[name].build({ scenario, solution, sweeper: data ?? sweeper });
}

/** The figures `lpe sweep` draws from a finished table (one per output and swept parameter). */
export function sweepFigureSpecs(table: SweepTable, scenario: Scenario): FigureSpec[] {
  return paramCurveFigures(table, scenario.name);
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
}

/** The chart with each layer's inline values moved out into named datasets d0, d1, … */
function splitData(spec: TopLevelSpec): { shape: TopLevelSpec; data: Map<string, unknown[]> } {
  const data = new Map<string, unknown[]>();
  const layers = ((spec as { layer?: Layer[] }).layer ?? []).map((l, i) => {
    if (!l.data?.values) return l;
    data.set(`d${i}`, l.data.values);
    return { ...l, data: { name: `d${i}` } };
  });
  return { shape: { ...spec, layer: layers } as TopLevelSpec, data };
}

interface Cached {
  key: string;
  view: vega.View;
  labels: Set<string>;
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

/** Draw a FigureSpec to SVG in the house style (engine/figures/vl-spec.ts), reusing the figure's
 *  vega View when only its data changed. `slot` names the place on the page. */
export async function renderFigure(slot: string, full: FigureSpec): Promise<RenderedFigure> {
  installTextMetrics();
  const spec = decimateFigure(full);
  const chart = vegaLiteChart(spec, resolveDomains(spec));
  const { shape, data } = splitData(chart.spec);
  const key = JSON.stringify(shape);
  let cached = views.get(slot);
  const rebuilt = !cached || cached.key !== key;
  if (rebuilt) {
    cached?.view.finalize();
    const view = new vega.View(vega.parse(compile(shape).spec), { renderer: "none" });
    cached = { key, view, labels: labelTexts(spec) };
    views.set(slot, cached);
  }
  const view = cached!.view;
  for (const [name, values] of data) view.data(name, values);
  await view.runAsync();
  const svg = await view.toSVG();
  // Several figures share one HTML document: their clip-path ids must not collide.
  const prefix = slot.replace(/[^A-Za-z0-9_-]/g, "_");
  const unique = svg.replace(/(\bid="|url\(#)([^")]+)/g, `$1${prefix}-$2`);
  return {
    name: spec.name,
    caption: spec.caption,
    svg: setPhysicalSize(styleTextElements(unique, cached!.labels, false), FIGURE_WIDTH_PT, FIGURE_HEIGHT_PT),
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
