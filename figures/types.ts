// Plain-data description of one paper figure. Figure builders (solved market → FigureSpec)
// produce these; the renderers in this folder turn them into SVG, PDF, pgfplots and a caption.
// Kept free of any rendering import so builders can depend on it without loading vega/pdfkit.

/**
 * One piece of mathematical text, written twice: `text` for SVG/PDF, `tex` for LaTeX.
 *
 * `text` is Unicode with a tiny markup: `_` starts a subscript and `^` a superscript, each
 * taking a `{…}` group, else the following run of letters/digits, else one character
 * (`q_L(θ)`, `θ_low`, `θ^*`, `c_{F,1}`); `\_`, `\^`, `\{`, `\}`, `\\` are literal. Single
 * letters (Latin, lowercase Greek) are set in italics as variables; words stay upright.
 * `tex` is LaTeX for the pgfplots output, e.g. `$q_L(\theta)$`.
 */
export interface Label {
  text: string;
  tex: string;
}

/** Dash pattern of a line; unset series get solid, dashed, dotted, dash-dot, long-dash in turn. */
export type LineStyle = "solid" | "dashed" | "dotted" | "dashdot" | "longdash";

export interface Series {
  name: Label;
  x: ArrayLike<number>;
  /** Non-finite values (NaN) break the line there. */
  y: ArrayLike<number>;
  style?: LineStyle;
  /** Also draw a dot at every data point (for sparse series, e.g. tiers). */
  marker?: boolean;
  /** false: dots only (implies marker), no line through them; the legend shows a dot, not a
   *  line (e.g. each calibration target's one point). Default true. */
  line?: boolean;
  /** Line width in pt (default the house width): a wider line drawn first shows through a
   *  dashed one that coincides with it. */
  width?: number;
  /** CSV column name; default derived from the name ("q_L(θ)" → "q_L_theta"). */
  column?: string;
  /** CSV column name of this series' own x values, where the table has one per series (a
   *  heatmap's lines: "contour_1_market_fringe_cost" beside "contour_1_market_fringe_gamma");
   *  default the x axis' column, then "_", then `column`. */
  xColumn?: string;
  /** Dots only, drawn as black rings around the points (in the legend too): the points that are
   *  not certified optimal, told apart from a line's own markers also in greyscale (a reviewer's
   *  print lost them: same dot, another hue). Implies line: false. */
  ring?: boolean;
  /** A fixed colour (e.g. contour lines), instead of the palette's; kept out of the legend. */
  color?: string;
  /** Dots only, each outlined in white (HALO_PT), so that it shows on any fill: a heatmap's
   *  uncertified cells, whose black dots vanished on the darkest colours (a reviewer's). */
  halo?: boolean;
}

export type ScaleKind = "linear" | "log";

export interface AxisSpec {
  label: Label;
  /** Shorter forms of the y axis' title, tried in order where the label runs past the figure's
   *  edge: the title is centred on the plot, whose height the renderer knows only once the legend
   *  is placed (a legend below the plot takes two rows of it). */
  shorter?: Label[];
  /** Defaults: x spans the data exactly; y is the data range widened to round numbers. */
  domain?: [number, number];
  scale?: ScaleKind;
  /** CSV column name of x (ignored for y); default derived from the label ("Type θ" → "Type_theta"). */
  column?: string;
  /** Whole numbers only (a count of tiers): ticks on whole numbers, never 4.5 (linear x axis). */
  integer?: boolean;
}

/** A shaded x-range, e.g. one of the leader–fringe regions or an ironing interval. */
export interface Band {
  from: number;
  to: number;
  label?: Label;
  /** Its shade (default: the two band greys in turn); null leaves it white (a label only). */
  fill?: string | null;
}

/** A vertical reference line, e.g. θ*, θ_low, θ_high. */
export interface VLine {
  x: number;
  label?: Label;
}

/**
 * A colour map over the plot (a 2-D sweep): z at every (x[i], y[j]), drawn as cells centred on
 * the grid values, with a colour bar. NaN cells (failed points) are left blank.
 */
export interface Heatmap {
  /** ascending */
  x: ArrayLike<number>;
  /** ascending */
  y: ArrayLike<number>;
  /** z[j * x.length + i] at (x[i], y[j]) */
  z: ArrayLike<number>;
  label: Label;
  scale?: ScaleKind;
  /** values marked on the colour bar (the contour levels), inside the colour domain */
  levels?: number[];
  /** CSV column names of x, y, z */
  columns?: [string, string, string];
  /** the colour range, when it is not the values' whole range (cells beyond take the end colours) */
  domain?: [number, number];
}

/** Where the legend goes; "inside" picks the plot corner the data leave emptiest. */
export type LegendPlacement = "inside" | "right" | "bottom" | "none";

export interface FigureSpec {
  /** File stem: letters, digits, `_`, `-`, `.` (not first). */
  name: string;
  /** Full caption text, including scenario name and parameters. */
  caption: string;
  x: AxisSpec;
  y: AxisSpec;
  series: Series[];
  bands?: Band[];
  vlines?: VLine[];
  /** Default "inside". */
  legend?: LegendPlacement;
  /** Drawn behind everything else, with its colour bar right of the plot. */
  heatmap?: Heatmap;
  /** What the caption notes about the points the figure is drawn from (uncertified or failed
   *  sweep points, uncertified companion solves), for the terminal too. */
  warnings?: string[];
}
