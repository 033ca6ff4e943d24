// Chooses the plot corner for an "inside" legend: the corner whose legend-sized box covers
// the fewest sampled points of the curves and reference lines, so the legend never sits on
// the data when an empty corner exists. Pure and deterministic (ties: TL, TR, BR, BL).

import type { ResolvedDomains } from "./domain.js";
import { runsWidth } from "./text-measure.js";
import { parseLabel } from "./label.js";
import { axisTickLabels } from "./number.js";
import * as S from "./style.js";
import type { FigureSpec } from "./types.js";

export type Corner = "top-left" | "top-right" | "bottom-right" | "bottom-left";
/** Final legend position, shared by the SVG/PDF and the pgfplots output. */
export type Placement = Corner | "right" | "bottom" | "none";

export const LEGEND_SYMBOL_PT = 22;
export const LEGEND_ROW_PADDING_PT = 1;
export const LEGEND_PADDING_PT = 3;
/** Rough room the axes take (tick labels + titles), to size the plot area for placement. */
const AXES_ALLOWANCE = { w: 42, h: 30 };
export const CORNERS: readonly Corner[] = ["top-left", "top-right", "bottom-right", "bottom-left"];

/** Legend box size as fractions of the plot area's width and height. */
export interface BoxFraction {
  w: number;
  h: number;
}

function normalizer(axis: ResolvedDomains["x"]): (v: number) => number {
  const t = axis.scale === "log" ? Math.log10 : (v: number) => v;
  const lo = t(axis.domain[0]);
  const span = t(axis.domain[1]) - lo;
  return (v) => (t(v) - lo) / span;
}

/** Points along all curves (segments subdivided so gaps stay below 1 % of the plot). */
function samples(spec: FigureSpec, d: ResolvedDomains): [number, number][] {
  const nx = normalizer(d.x);
  const ny = normalizer(d.y);
  const out: [number, number][] = [];
  for (const s of spec.series) {
    let prev: [number, number] | undefined;
    for (let i = 0; i < s.x.length; i++) {
      const p: [number, number] = [nx(s.x[i]), ny(s.y[i])];
      if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
        prev = undefined;
        continue;
      }
      if (prev) {
        const steps = Math.min(200, Math.ceil(Math.hypot(p[0] - prev[0], p[1] - prev[1]) / 0.01));
        for (let k = 1; k < steps; k++) {
          const a = k / steps;
          out.push([prev[0] + a * (p[0] - prev[0]), prev[1] + a * (p[1] - prev[1])]);
        }
      }
      out.push(p);
      prev = p;
    }
  }
  for (const v of spec.vlines ?? []) {
    const x = nx(v.x);
    for (let k = 0; k <= 100; k++) out.push([x, k / 100]);
  }
  return out;
}

/** The emptiest corner for a legend box of the given size (plot fractions), and its score. */
export function chooseCorner(spec: FigureSpec, d: ResolvedDomains, box: BoxFraction): { corner: Corner; score: number } {
  const pts = samples(spec, d);
  const margin = 0.03;
  const w = Math.min(1, box.w + margin);
  const h = Math.min(1, box.h + margin);
  // Band labels sit along the top edge: a legend over one would overprint text on text.
  const nx = normalizer(d.x);
  const bandLabels = (spec.bands ?? []).filter((b) => b.label).map((b) => (nx(b.from) + nx(b.to)) / 2);
  const labelHalfWidth = 0.1;
  let best: Corner = CORNERS[0];
  let bestScore = Infinity;
  for (const c of CORNERS) {
    const left = c.endsWith("left");
    const top = c.startsWith("top");
    let score = 0;
    if (top) {
      for (const cx of bandLabels) {
        const hit = left ? cx - labelHalfWidth <= w : cx + labelHalfWidth >= 1 - w;
        if (hit) score += 1e6;
      }
    }
    for (const [x, y] of pts) {
      const inX = left ? x <= w : x >= 1 - w;
      const inY = top ? y >= 1 - h : y <= h;
      if (inX && inY && x >= -0.01 && x <= 1.01 && y >= -0.01 && y <= 1.01) score++;
    }
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return { corner: best, score: bestScore };
}

/** Legend placement, resolving "inside" to the emptiest corner for the measured legend box. */
export function legendPlacement(spec: FigureSpec, d: ResolvedDomains): Placement {
  const mode = spec.legend ?? "inside";
  if (mode !== "inside") return mode;
  const boxW = Math.max(...legendEntryWidths(spec)) + 2 * LEGEND_PADDING_PT;
  const boxH = spec.series.length * (S.FONT_SIZE.legend + 2 + LEGEND_ROW_PADDING_PT) + 2 * LEGEND_PADDING_PT;
  const plotW = S.FIGURE_WIDTH_PT - 2 * S.FIGURE_PADDING_PT - AXES_ALLOWANCE.w;
  const plotH = S.FIGURE_HEIGHT_PT - 2 * S.FIGURE_PADDING_PT - AXES_ALLOWANCE.h;
  const corner = chooseCorner(spec, d, { w: boxW / plotW, h: boxH / plotH });
  // No free corner: below the axis is better than a legend printed over curves or labels.
  return corner.score <= CORNER_TOLERANCE ? corner.corner : "bottom";
}

/** Samples a corner may hold and still count as free (a curve just grazing the box). */
const CORNER_TOLERANCE = 2;
/** Vega's default gaps in a legend grid: label after symbol, between columns. */
export const LEGEND_LABEL_OFFSET_PT = 4;
export const LEGEND_COLUMN_PADDING_PT = 10;

/** Width in pt of each legend entry (symbol, gap, label). */
export function legendEntryWidths(spec: FigureSpec): number[] {
  return spec.series.map(
    (s) => LEGEND_SYMBOL_PT + LEGEND_LABEL_OFFSET_PT + runsWidth(parseLabel(s.name.text), S.FONT_SIZE.legend),
  );
}

/** Width of the y axis (tick labels, title, ticks) in pt, measured when its ticks are known. */
export function yAxisWidth(d?: ResolvedDomains): number {
  if (!d) return AXES_ALLOWANCE.w;
  const labels = axisTickLabels(d.y.ticks).map((l) => runsWidth(parseLabel(l.text), S.FONT_SIZE.tickLabel));
  // tick, label padding, labels, title padding, title line
  return S.TICK_LENGTH_PT + 2 + Math.max(0, ...labels) + 4 + S.FONT_SIZE.axisTitle * 1.2;
}

/** The most columns (≤ number of entries) a legend below the plot can have within the figure width. */
export function bottomLegendColumns(spec: FigureSpec, d?: ResolvedDomains): number {
  const widths = legendEntryWidths(spec);
  // Vega aligns a bottom legend with the plot area, which starts right of the y axis.
  const available = S.FIGURE_WIDTH_PT - 2 * S.FIGURE_PADDING_PT - Math.max(AXES_ALLOWANCE.w, yAxisWidth(d)) - 2 * LEGEND_PADDING_PT;
  for (let c = widths.length; c > 1; c--) {
    let total = (c - 1) * LEGEND_COLUMN_PADDING_PT;
    for (let col = 0; col < c; col++) {
      let w = 0;
      for (let k = col; k < widths.length; k += c) w = Math.max(w, widths[k]);
      total += w;
    }
    if (total <= available) return c;
  }
  return 1;
}

/** Rows a legend below the plot takes before the figure grows taller for it. */
export const BOTTOM_LEGEND_ROWS_IN_HOUSE = 2;
/** Height of one row of a legend below the plot, in pt (its clipped symbol height and padding). */
export const BOTTOM_LEGEND_ROW_PT = S.FONT_SIZE.legend + 3 + LEGEND_ROW_PADDING_PT;

/**
 * The figure's height in pt: the house height, plus one legend row for every row of a legend
 * below the plot beyond BOTTOM_LEGEND_ROWS_IN_HOUSE, so that the plot keeps its height (five
 * long token-class names once took two thirds of the height, and the y axis' title was cut to
 * "Tokens in the budge": a reviewer's). The width stays the house width.
 */
export function figureHeightPt(spec: FigureSpec, legend: Placement, d?: ResolvedDomains): number {
  if (legend !== "bottom") return S.FIGURE_HEIGHT_PT;
  const rows = Math.ceil(spec.series.length / bottomLegendColumns(spec, d));
  return S.FIGURE_HEIGHT_PT + Math.max(0, rows - BOTTOM_LEGEND_ROWS_IN_HOUSE) * BOTTOM_LEGEND_ROW_PT;
}
