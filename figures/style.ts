// The house style shared by every figure and every output format (SVG, PDF, pgfplots), so a
// figure looks the same whichever file a paper uses. One SVG user unit is one PDF point.

import type { LineStyle } from "./types.js";

/** One-column figure: 3.4 × 2.4 in, in points. */
export const FIGURE_WIDTH_PT = 3.4 * 72;
export const FIGURE_HEIGHT_PT = 2.4 * 72;
/** Blank margin around everything drawn. */
export const FIGURE_PADDING_PT = 3;

/** CSS font-family written into the SVG; the PDF always embeds the shipped DejaVu Sans. */
export const FONT_FAMILY = "DejaVu Sans, Bitstream Vera Sans, sans-serif";

/** Font sizes at print size (pt); subscripts and superscripts are scaled by SCRIPT_SCALE. */
export const FONT_SIZE = {
  tickLabel: 8,
  axisTitle: 9,
  legend: 8,
  annotation: 8,
} as const;
export const SCRIPT_SCALE = 0.75;
/** Baseline shifts, in ems of the surrounding text (TeX-like: sub down a little, sup up more). */
export const SUBSCRIPT_SHIFT_EM = 0.22;
export const SUPERSCRIPT_SHIFT_EM = 0.38;

/**
 * Okabe–Ito colour-blind-safe palette, reordered so the first colours differ most in
 * lightness too; the yellow is left out because it vanishes on white paper.
 */
export const PALETTE: readonly string[] = [
  "#0072B2", // blue
  "#D55E00", // vermillion
  "#009E73", // bluish green
  "#CC79A7", // reddish purple
  "#E69F00", // orange
  "#56B4E9", // sky blue
  "#000000", // black
];
/** TeX names for the palette colours, defined locally in each tikzpicture. */
export const TEX_COLOR_PREFIX = "lpeColor";

/** Dash patterns in pt (on, off, …); the same numbers are written to pgfplots. */
export const DASH: Readonly<Record<LineStyle, readonly number[]>> = {
  solid: [],
  dashed: [4.5, 2],
  dotted: [1.2, 1.5],
  dashdot: [5, 1.5, 1.2, 1.5],
  longdash: [9, 2.5],
};
/** Order in which series without an explicit style get dash patterns. */
export const STYLE_CYCLE: readonly LineStyle[] = ["solid", "dashed", "dotted", "dashdot", "longdash"];

export const LINE_WIDTH_PT = 1.1;
export const MARKER_DIAMETER_PT = 3;
export const AXIS_LINE_WIDTH_PT = 0.5;
export const TICK_LENGTH_PT = 3;
/** Reference lines: thin, dark grey, short dashes, so they never read as a data series. */
export const VLINE_COLOR = "#4d4d4d";
export const VLINE_WIDTH_PT = 0.6;
export const VLINE_DASH: readonly number[] = [2, 1.5];
/** Bands alternate between two greys so adjacent regions stay distinguishable in print. */
export const BAND_GREYS: readonly string[] = ["#ebebeb", "#d9d9d9"];
/**
 * The three leader–fringe regions, apart at a glance and in greyscale: fringe only unshaded,
 * the limit quality darkest (the narrow middle region), the interior quality light.
 */
export const REGION_FILLS = { fringeOnly: null, limit: "#c6c6c6", interior: "#e6e6e6" } as const;
export const TEXT_COLOR = "#000000";
/** Target number of tick intervals: fewer on the shorter y axis so its labels never crowd. */
export const TICK_COUNT = { x: 5, y: 4 } as const;

/** Colour and dash of the i-th series: palette and dash cycle advance together (a fixed colour wins). */
export function seriesLook(index: number, style: LineStyle | undefined, color?: string): { color: string; style: LineStyle } {
  return { color: color ?? PALETTE[index % PALETTE.length], style: style ?? STYLE_CYCLE[index % STYLE_CYCLE.length] };
}

/** A ring series' look (Series.ring): black, its outer diameter and stroke, in pt. */
export const RING_COLOR = TEXT_COLOR;
export const RING_DIAMETER_PT = 2 * MARKER_DIAMETER_PT;
export const RING_STROKE_PT = 0.9;
/** The white outline of a haloed dot (Series.halo), centred on the dot's edge. */
export const HALO_PT = 0.8;

/** The i-th series' look, a ring series black (it keeps its place in the palette's cycle). */
export function lookOf(series: { style?: LineStyle; color?: string; ring?: boolean }, index: number): { color: string; style: LineStyle } {
  const look = seriesLook(index, series.style, series.color);
  return series.ring ? { ...look, color: RING_COLOR } : look;
}

/**
 * Colour map of heatmaps: viridis (perceptually uniform, colour-blind safe, monotone in
 * lightness so it reads in greyscale), the same stops in vega and pgfplots (colormap/viridis).
 */
export const HEATMAP_SCHEME = "viridis";
/** Heatmap cells whose value the log colour scale cannot show (zero). */
export const HEATMAP_BELOW_SCALE = "#d9d9d9";
/** Contour lines over a heatmap: thin and white, visible on every viridis colour but the lightest. */
export const CONTOUR_COLOR = "#ffffff";
export const CONTOUR_WIDTH_PT = 0.6;
/** Length of the colour bar along the plot's height, and its thickness, in pt. */
export const COLORBAR_LENGTH_PT = 110;
export const COLORBAR_THICKNESS_PT = 8;
