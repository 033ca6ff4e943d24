// Translates a FigureSpec (with its resolved axis ranges) into a Vega-Lite layered chart in
// the house style: bands and reference lines behind, then curves, markers and labels.
// Labels keep their markup here; vega measures them through fonts.ts and svg-text.ts turns
// the markup into italics and sub/superscripts afterwards.

import type { TopLevelSpec } from "vega-lite";
import { LABEL_ROW_PT, vlineLabelLayout } from "./annotations.js";
import { cellEdges, centre, type ResolvedAxis, type ResolvedDomains } from "./domain.js";
import {
  bottomLegendColumns,
  LEGEND_COLUMN_PADDING_PT,
  LEGEND_LABEL_OFFSET_PT,
  LEGEND_PADDING_PT,
  LEGEND_ROW_PADDING_PT,
  LEGEND_SYMBOL_PT,
  legendPlacement,
  figureHeightPt,
  type Placement,
} from "./legend-place.js";
import { EXPONENT_LABEL_EXPR, needsExponent, TICK_LABEL_EXPR } from "./number.js";
import { parseLabel } from "./label.js";
import { runsWidth } from "./text-measure.js";

/** The longest colour-bar title (rotated, from the bar's top down) the figure's height holds. */
export const COLORBAR_TITLE_MAX_PT = S.FIGURE_HEIGHT_PT - 16;
/**
 * The colour-bar title's layout: centred on the bar when it is no longer than the bar, else
 * starting at the bar's top (vega's "end" for a title on the right) and running down the figure's height, in the axis titles' size or
 * smaller (down to 6 pt) so that it fits ("Relative value of contracting on tasks", 170 pt at
 * 9 pt, centred on the 110-pt bar at the top of a 173-pt figure, was cut at both ends: a
 * reviewer's).
 */
export function colorBarTitle(title: string): { titleFontSize: number; titleAnchor: "middle" | "end" } {
  const size = S.FONT_SIZE.axisTitle;
  const width = runsWidth(parseLabel(title), size);
  if (width <= S.COLORBAR_LENGTH_PT) return { titleFontSize: size, titleAnchor: "middle" };
  const fit = width <= COLORBAR_TITLE_MAX_PT ? size : Math.max(6, Math.floor((10 * size * COLORBAR_TITLE_MAX_PT) / width) / 10);
  return { titleFontSize: fit, titleAnchor: "end" };
}
import * as S from "./style.js";
import type { FigureSpec } from "./types.js";

/** Field names in the generated data (short, never shown). */
const F = { series: "s", x: "x", y: "y", order: "o", label: "t", from: "a", to: "b", fill: "f" } as const;

export interface VlChart {
  spec: TopLevelSpec;
  /** Where the legend went ("none" when absent), also used by the pgfplots output. */
  legend: Placement;
  /** The figure's height in pt (figureHeightPt: the house height, or more for a tall legend below) */
  height: number;
}

/** A vega-lite scale that uses exactly the resolved domain. */
function scaleOf(a: ResolvedAxis) {
  return a.scale === "log"
    ? { type: "log" as const, domain: a.domain, nice: false }
    : { type: "linear" as const, domain: a.domain, nice: false, zero: false };
}

/** An axis; `above`: drawn over the marks (a heatmap's cells would hide half of the axis line at
 *  the plot's edge), so the frame stays whole, in the SVG and the PDF alike (pdf-heatmap.ts). */
function axisOf(a: ResolvedAxis, title: string, above = false) {
  // one form per axis (number.ts axisTickLabels)
  return { title, values: a.ticks, ...(a.ticks.some(needsExponent) ? { labelExpr: EXPONENT_LABEL_EXPR } : {}), ...(above ? { zindex: 1 } : {}) };
}

const inside = (v: number, [lo, hi]: [number, number]) => v >= lo && v <= hi;

/** A dots-only series' dot, as a radius in vega's unit square ([−1, 1]², drawn at half the
 *  symbol's side, LEGEND_SYMBOL_PT): the markers' diameter. */
const DOT = Number((S.MARKER_DIAMETER_PT / LEGEND_SYMBOL_PT).toFixed(5));
/** A dot of radius DOT as a symbol path (the dots-only series' shape, also the haloed dots'). */
const DOT_PATH = `M${DOT},0A${DOT},${DOT} 0 1,1 -${DOT},0A${DOT},${DOT} 0 1,1 ${DOT},0Z`;

/** Share of a heatmap cell by which it overlaps its neighbours (see the heatmap layer). */
const OVERLAP = 0.5;

/** `extraHeight`: pt added to the figure's height (and so to the plot's), where the y axis' title
 *  needs them (svg.ts). */
export function vegaLiteChart(spec: FigureSpec, d: ResolvedDomains, extraHeight = 0): VlChart {
  const legend = legendPlacement(spec, d);
  const figureHeight = figureHeightPt(spec, legend, d) + extraHeight;
  const names = spec.series.map((s) => s.name.text);
  const looks = spec.series.map((s, i) => S.lookOf(s, i));
  const xScale = scaleOf(d.x);
  const yScale = scaleOf(d.y);
  const xAxis = axisOf(d.x, spec.x.label.text, spec.heatmap !== undefined);
  const yAxis = axisOf(d.y, spec.y.label.text, spec.heatmap !== undefined);
  const xField = (field: string) => ({ field, type: "quantitative" as const, scale: xScale, axis: xAxis });
  const valid = (v: number, a: ResolvedAxis) => Number.isFinite(v) && (a.scale === "linear" || v > 0);

  // Far-off values are pulled in to 1e6 spans beyond the window: they are clipped anyway,
  // the visible piece of a line keeps its slope to ~1e-6, and pdfkit cannot write numbers
  // beyond ~1e21 (a virtual type of −1e29 crashed the PDF export).
  const pull = (v: number, a: ResolvedAxis): number => {
    if (a.scale !== "linear") return v;
    const [lo, hi] = a.domain;
    const span = hi - lo || 1;
    return Math.min(hi + 1e6 * span, Math.max(lo - 1e6 * span, v));
  };
  // Invalid values become null, which vega-lite turns into a break in the line.
  const points = spec.series.flatMap((s) =>
    Array.from({ length: s.x.length }, (_, k) => ({
      [F.series]: s.name.text,
      [F.x]: valid(s.x[k], d.x) ? pull(s.x[k], d.x) : null,
      [F.y]: valid(s.y[k], d.y) ? pull(s.y[k], d.y) : null,
      [F.order]: k,
    })),
  );

  const legendDef =
    legend === "none"
      ? null
      : {
          orient: legend,
          direction: legend === "bottom" ? ("horizontal" as const) : ("vertical" as const),
          ...(legend === "bottom" ? { columns: bottomLegendColumns(spec, d) } : {}),
        };
  const color = {
    field: F.series,
    type: "nominal" as const,
    scale: { domain: names, range: looks.map((l) => l.color) },
    legend: legendDef,
  };
  const strokeDash = {
    field: F.series,
    type: "nominal" as const,
    scale: { domain: names, range: looks.map((l, i) => (spec.series[i].line === false ? [] : [...S.DASH[l.style]])) },
    legend: legendDef,
  };
  const x = xField(F.x);
  const y = { field: F.y, type: "quantitative" as const, scale: yScale, axis: yAxis };

  const layers: unknown[] = [];
  const hm = spec.heatmap;
  if (hm) {
    // Cells centred on the grid values, meeting half-way (geometrically on a log axis); the
    // fill's colour bar (a gradient legend) stands right of the plot, ticked at the contour levels.
    const xe = cellEdges(hm.x, d.x.scale);
    const ye = cellEdges(hm.y, d.y.scale);
    const nx = hm.x.length;
    const cells: Record<string, number>[] = [];
    const below: Record<string, number>[] = [];
    const zs: number[] = [];
    for (let j = 0; j < hm.y.length; j++) {
      for (let i = 0; i < nx; i++) {
        const z = hm.z[j * nx + i];
        if (!Number.isFinite(z)) continue;
        // a cell reaches into its right and upper neighbours when they are coloured cells too
        // (drawn later, over it): no hairline seams when the figure is rasterized, and no
        // colour spilt into a grey or blank cell
        // (grey cells likewise into grey neighbours)
        const grey = (v: number) => hm.scale === "log" && Number.isFinite(v) && v <= 0;
        const alike = (v: number) => Number.isFinite(v) && grey(v) === grey(z);
        const right = i + 1 < nx && alike(hm.z[j * nx + i + 1]) ? OVERLAP * (xe[i + 1] - xe[i]) : 0;
        const up = j + 1 < hm.y.length && alike(hm.z[(j + 1) * nx + i]) ? OVERLAP * (ye[j + 1] - ye[j]) : 0;
        // reaching both ways, the corner lies in the upper-right neighbour: where that one is
        // blank or grey, two rectangles (one reaching right, one up) leave it untouched — one
        // rectangle spilt a quarter cell into it, and a region of failed points showed notched
        // edges (a reviewer's 9 × 9 sweep)
        const diagonal = right > 0 && up > 0 && alike(hm.z[(j + 1) * nx + i + 1]);
        const rects =
          right > 0 && up > 0 && !diagonal
            ? [
                { [F.from]: xe[i], [F.to]: xe[i + 1] + right, c: ye[j], e: ye[j + 1], z },
                { [F.from]: xe[i], [F.to]: xe[i + 1], c: ye[j], e: ye[j + 1] + up, z },
              ]
            : [{ [F.from]: xe[i], [F.to]: xe[i + 1] + right, c: ye[j], e: ye[j + 1] + up, z }];
        // on a log colour scale, values ≤ 0 are drawn grey (the caption says so)
        if (hm.scale === "log" && z <= 0) below.push(...rects);
        else {
          cells.push(...rects);
          zs.push(z);
        }
      }
    }
    const zDomain = hm.domain ?? (zs.length ? [Math.min(...zs), Math.max(...zs)] : [0, 1]);
    // (clamped: cells beyond a clipped colour range take the end colours, as the caption says)
    const zScale = { type: hm.scale === "log" ? "log" : "linear", domain: zDomain, scheme: S.HEATMAP_SCHEME, nice: false, clamp: true, ...(hm.scale === "log" ? {} : { zero: false }) };
    if (below.length) {
      layers.push({
        data: { values: below },
        mark: { type: "rect", clip: true, fill: S.HEATMAP_BELOW_SCALE, strokeWidth: 0 },
        encoding: { x: xField(F.from), x2: { field: F.to }, y: { field: "c", type: "quantitative", scale: yScale, axis: yAxis }, y2: { field: "e" } },
      });
    }
    layers.push({
      data: { values: cells },
      mark: { type: "rect", clip: true, strokeWidth: 0 },
      encoding: {
        x: xField(F.from),
        x2: { field: F.to },
        y: { field: "c", type: "quantitative", scale: yScale, axis: yAxis },
        y2: { field: "e" },
        fill: {
          field: "z",
          type: "quantitative",
          scale: zScale,
          legend: {
            type: "gradient",
            orient: "right",
            title: hm.label.text,
            titleOrient: "right",
            ...colorBarTitle(hm.label.text),
            titleFontWeight: "normal",
            titlePadding: 4,
            gradientLength: S.COLORBAR_LENGTH_PT,
            gradientThickness: S.COLORBAR_THICKNESS_PT,
            gradientStrokeWidth: 0,
            format: ".12~g",
            labelExpr: hm.levels && hm.levels.some(needsExponent) ? EXPONENT_LABEL_EXPR : TICK_LABEL_EXPR,
            ...(hm.levels && hm.levels.length ? { values: hm.levels } : {}),
            labelOverlap: "greedy",
          },
        },

      },
    });
  }
  const bands = spec.bands ?? [];
  if (bands.length) {
    layers.push({
      data: {
        values: bands
          .map((b, i) => ({ [F.from]: b.from, [F.to]: b.to, [F.fill]: b.fill === undefined ? S.BAND_GREYS[i % S.BAND_GREYS.length] : b.fill }))
          .filter((b) => b[F.fill] !== null),
      },
      mark: { type: "rect", clip: true },
      encoding: {
        x: xField(F.from),
        x2: { field: F.to },
        y: { datum: d.y.domain[0], type: "quantitative", scale: yScale, axis: yAxis },
        y2: { datum: d.y.domain[1] },
        fill: { field: F.fill, type: "nominal", scale: null },
      },
    });
  }
  // Reference lines go behind the curves: the data must stay readable where they cross.
  const vlines = spec.vlines ?? [];
  if (vlines.length) {
    layers.push({
      data: { values: vlines.map((v) => ({ [F.x]: v.x })) },
      mark: { type: "rule", clip: true, color: S.VLINE_COLOR, strokeWidth: S.VLINE_WIDTH_PT, strokeDash: [...S.VLINE_DASH] },
      encoding: { x: xField(F.x) },
    });
  }
  // One line layer per line width, in the order the widths first occur (a wide series drawn
  // first shows through a dashed one that coincides with it); the usual case is one layer.
  const widthOf = (i: number) => spec.series[i].width ?? S.LINE_WIDTH_PT;
  const widthList = [...new Set(spec.series.map((_, i) => widthOf(i)))];
  const dotsOnly = new Set(spec.series.filter((s) => s.line === false || s.ring).map((s) => s.name.text));
  const rings = new Set(spec.series.filter((s) => s.ring).map((s) => s.name.text));
  const linePoints = dotsOnly.size ? points.filter((p) => !dotsOnly.has(p[F.series] as string)) : points;
  for (const w of widthList) {
    const members = names.filter((_, i) => widthOf(i) === w);
    layers.push({
      data: { values: widthList.length === 1 ? linePoints : linePoints.filter((p) => members.includes(p[F.series] as string)) },
      mark: { type: "line", clip: true, strokeWidth: w, strokeCap: "butt", strokeJoin: "round" },
      encoding: { x, y, color, strokeDash, order: { field: F.order, type: "quantitative" } },
    });
  }
  const markerNames = new Set(spec.series.filter((s) => s.marker && s.line !== false).map((s) => s.name.text));
  // Dots are unclipped, so a dot on the frame stays round; points outside the window are dropped instead.
  const dotsOf = (members: Set<string>) =>
    points.filter(
      (p) =>
        members.has(p[F.series] as string) &&
        p[F.x] !== null &&
        p[F.y] !== null &&
        inside(p[F.x] as number, d.x.domain) &&
        inside(p[F.y] as number, d.y.domain),
    );
  if (markerNames.size) {
    layers.push({
      data: { values: dotsOf(markerNames) },
      mark: { type: "point", filled: true, clip: false, opacity: 1, size: S.MARKER_DIAMETER_PT ** 2 },
      encoding: { x, y, color },
    });
  }
  if (dotsOnly.size) {
    // Dots-only series: the legend's symbol is a dot for them and a line for the others (a
    // shape scale merged into the one legend). The legend draws every symbol at one size (a
    // line's length squared), so the dot is a path of radius DOT in vega's unit square, the
    // same dot at that size on the plot.
    const dot = DOT_PATH;
    // a ring: the outer circle one way, the inner the other (the nonzero rule leaves the hole),
    // so the line's own marker shows through it
    const R = Number((S.RING_DIAMETER_PT / LEGEND_SYMBOL_PT).toFixed(5));
    const r = Number(((S.RING_DIAMETER_PT - 2 * S.RING_STROKE_PT) / LEGEND_SYMBOL_PT).toFixed(5));
    const ring = `M${R},0A${R},${R} 0 1,1 -${R},0A${R},${R} 0 1,1 ${R},0Z M${r},0A${r},${r} 0 1,0 -${r},0A${r},${r} 0 1,0 ${r},0Z`;
    layers.push({
      data: { values: dotsOf(dotsOnly) },
      mark: { type: "point", filled: true, clip: false, opacity: 1, size: LEGEND_SYMBOL_PT ** 2, strokeWidth: 0 },
      encoding: {
        x,
        y,
        color,
        shape: { field: F.series, type: "nominal" as const, scale: { domain: names, range: names.map((n) => (rings.has(n) ? ring : dotsOnly.has(n) ? dot : "stroke")) }, legend: legendDef },
      },
    });
  }
  // Haloed dots drawn again on top, outlined in white (Series.halo: a heatmap's uncertified
  // cells, on fills as dark as the dots)
  const haloNames = new Set(spec.series.filter((s) => s.halo).map((s) => s.name.text));
  if (haloNames.size) {
    layers.push({
      data: { values: dotsOf(haloNames) },
      mark: { type: "point", shape: DOT_PATH, filled: true, clip: false, opacity: 1, size: LEGEND_SYMBOL_PT ** 2, stroke: "#ffffff", strokeWidth: S.HALO_PT, strokeOpacity: 1 },
      encoding: { x, y, fill: color },
    });
  }
  // Labels of reference lines sit above the frame in one row, pushed apart sideways where they
  // would collide, or stacked in rows where that would move one too far off its line
  // (annotations.ts); one text layer per (row, shift), since dx is a mark property.
  const places = vlineLabelLayout(spec, d);
  const labelled = vlines.map((v, i) => ({ v, p: places[i] })).filter((e) => e.v.label && inside(e.v.x, d.x.domain));
  for (const e of labelled) {
    layers.push({
      data: { values: [{ [F.x]: e.v.x, [F.label]: e.v.label!.text }] },
      mark: {
        type: "text",
        baseline: "bottom",
        align: "center",
        dx: Number(e.p.dx.toFixed(2)),
        dy: -3 - e.p.row * LABEL_ROW_PT,
        fontSize: S.FONT_SIZE.annotation,
        color: S.TEXT_COLOR,
      },
      encoding: { x: xField(F.x), y: { value: 0 }, text: { field: F.label, type: "nominal" } },
    });
  }
  const bandLabels = bands.filter((b) => b.label);
  if (bandLabels.length) {
    layers.push({
      data: {
        values: bandLabels.map((b) => {
          const lo = Math.max(b.from, d.x.domain[0]);
          const hi = Math.min(b.to, d.x.domain[1]);
          return { [F.x]: centre(lo, hi, d.x.scale), [F.label]: b.label!.text };
        }),
      },
      mark: { type: "text", baseline: "top", align: "center", dy: 3, fontSize: S.FONT_SIZE.annotation, color: S.TEXT_COLOR },
      encoding: { x: xField(F.x), y: { value: 0 }, text: { field: F.label, type: "nominal" } },
    });
  }

  const axis = {
    domainColor: S.TEXT_COLOR,
    domainWidth: S.AXIS_LINE_WIDTH_PT,
    tickColor: S.TEXT_COLOR,
    tickWidth: S.AXIS_LINE_WIDTH_PT,
    tickSize: S.TICK_LENGTH_PT,
    // ".12~g": 0, 0.2, 1, 10, 100 rather than 0.0, 1e+1; exponents only for extreme magnitudes.
    format: ".12~g",
    // 1e6 and 2.5e-4 rather than 1000000 and 0.00025 (number.ts tickLabel, as in the .tex)
    labelExpr: TICK_LABEL_EXPR,
    grid: false,
    labelFontSize: S.FONT_SIZE.tickLabel,
    labelColor: S.TEXT_COLOR,
    labelPadding: 2,
    labelFlush: false,
    titleFontSize: S.FONT_SIZE.axisTitle,
    titleFontWeight: "normal" as const,
    titleColor: S.TEXT_COLOR,
    titlePadding: 4,
    // Never truncate a title: an ellipsis would cut its markup and leave a raw "q_" behind.
    titleLimit: 0,
  };
  const chart = {
    width: S.FIGURE_WIDTH_PT,
    height: figureHeight,
    autosize: { type: "fit", contains: "padding" },
    padding: S.FIGURE_PADDING_PT,
    background: "#ffffff",
    layer: layers,
    config: {
      font: S.FONT_FAMILY,
      // No ARIA attributes: they would repeat the raw label markup and bloat every file.
      aria: false,
      view: { stroke: null },
      axis,
      legend: {
        title: null,
        labelFontSize: S.FONT_SIZE.legend,
        labelColor: S.TEXT_COLOR,
        labelLimit: 0,
        labelOffset: LEGEND_LABEL_OFFSET_PT,
        symbolType: "stroke",
        symbolSize: LEGEND_SYMBOL_PT ** 2,
        symbolStrokeWidth: S.LINE_WIDTH_PT,
        // Row height is the symbol's size unless clipped: a 22 pt line would space rows 22 pt apart.
        clipHeight: S.FONT_SIZE.legend + 3,
        rowPadding: LEGEND_ROW_PADDING_PT,
        columnPadding: LEGEND_COLUMN_PADDING_PT,
        padding: LEGEND_PADDING_PT,
        offset: 2,
      },
    },
  };
  return { spec: chart as TopLevelSpec, legend, height: figureHeight };
}
