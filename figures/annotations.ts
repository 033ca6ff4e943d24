// Placement of the labels above reference lines (θ_low, θ_high, θ_e, θ_m, θ*…), shared by the
// SVG/PDF and the pgfplots output so both place them alike. Labels sit in one row above the
// plot, each centred on its line when there is room; labels that would overlap are pushed
// apart sideways as little as possible (clusters centred on their lines' mean, the classic
// one-dimensional label placement), kept inside the plot's width so none runs into the y axis'
// tick labels or off the figure. When the labels are wider together than the plot, or a label
// would be pushed more than half its width off its line, they stack in rows instead, the later
// one a row up, each centred on its line.

import type { ResolvedDomains } from "./domain.js";
import { runsWidth } from "./text-measure.js";
import { parseLabel } from "./label.js";
import * as S from "./style.js";
import type { FigureSpec } from "./types.js";

/** Rough width of the plot area in pt (figure minus the y axis' labels and title). */
const PLOT_WIDTH_ESTIMATE_PT = S.FIGURE_WIDTH_PT - 2 * S.FIGURE_PADDING_PT - 42;
const GAP_PT = 4;

export interface LabelPlace {
  /** 0 = the row just above the plot */
  row: number;
  /** sideways shift from the line, in pt */
  dx: number;
}

interface Box {
  i: number;
  centre: number;
  width: number;
}

/** Row and sideways shift of each vline's label, in spec order (unlabelled lines: row 0, no shift). */
export function vlineLabelLayout(spec: FigureSpec, d: ResolvedDomains): LabelPlace[] {
  const vlines = spec.vlines ?? [];
  const t = d.x.scale === "log" ? Math.log10 : (v: number) => v;
  const [lo, hi] = d.x.domain.map(t);
  const W = PLOT_WIDTH_ESTIMATE_PT;
  const boxes: Box[] = [];
  vlines.forEach((v, i) => {
    if (!v.label || !(v.x >= d.x.domain[0] && v.x <= d.x.domain[1])) return;
    boxes.push({ i, centre: ((t(v.x) - lo) / (hi - lo)) * W, width: runsWidth(parseLabel(v.label.text), S.FONT_SIZE.annotation) });
  });
  const out: LabelPlace[] = vlines.map(() => ({ row: 0, dx: 0 }));
  boxes.sort((a, b) => a.centre - b.centre || a.i - b.i);
  const total = boxes.reduce((a, b) => a + b.width + GAP_PT, -GAP_PT);
  if (total > W) return stacked(boxes, out);
  // clusters of touching labels, each laid out side by side around the mean of its lines
  interface Cluster {
    boxes: Box[];
    left: number;
    width: number;
  }
  const clusters: Cluster[] = [];
  const place = (c: Cluster) => {
    const widths = c.boxes.reduce((a, b) => a + b.width + GAP_PT, -GAP_PT);
    // the offsets of the centres from the cluster's left edge, and their mean against the lines' mean
    let acc = 0;
    const offs = c.boxes.map((b) => {
      const o = acc + b.width / 2;
      acc += b.width + GAP_PT;
      return o;
    });
    const meanLine = c.boxes.reduce((a, b) => a + b.centre, 0) / c.boxes.length;
    const meanOff = offs.reduce((a, b) => a + b, 0) / offs.length;
    c.width = widths;
    c.left = Math.min(Math.max(meanLine - meanOff, 0), W - widths);
  };
  for (const b of boxes) {
    const c: Cluster = { boxes: [b], left: 0, width: 0 };
    place(c);
    clusters.push(c);
    // merge with the left neighbour while they overlap
    while (clusters.length > 1) {
      const prev = clusters[clusters.length - 2];
      const last = clusters[clusters.length - 1];
      if (prev.left + prev.width + GAP_PT <= last.left) break;
      clusters.splice(clusters.length - 2, 2, { boxes: [...prev.boxes, ...last.boxes], left: 0, width: 0 });
      place(clusters[clusters.length - 1]);
    }
  }
  for (const c of clusters) {
    let x = c.left;
    for (const b of c.boxes) {
      out[b.i] = { row: 0, dx: x + b.width / 2 - b.centre };
      x += b.width + GAP_PT;
    }
  }
  // A label pushed more than half its width off its line no longer reads as that line's (a
  // reviewer could not tell θ_low's dashed line from θ_high's: θ_low's label sat over the plot
  // 0.06 to the left of its line, θ_high's between the two): stacked rows keep every label
  // centred on its line.
  if (boxes.some((b) => Math.abs(out[b.i].dx) > b.width / 2)) return stacked(boxes, vlines.map(() => ({ row: 0, dx: 0 })));
  return out;
}

/** Too many labels for one row: stack colliding ones, the later one a row up. */
function stacked(boxes: Box[], out: LabelPlace[]): LabelPlace[] {
  const rowRight: number[] = [];
  for (const b of boxes) {
    let r = 0;
    while (rowRight[r] !== undefined && rowRight[r] + GAP_PT > b.centre - b.width / 2) r++;
    out[b.i] = { row: r, dx: 0 };
    rowRight[r] = b.centre + b.width / 2;
  }
  return out;
}

/** Row (0 = lowest) of each vline's label, in spec order. */
export function vlineLabelRows(spec: FigureSpec, d: ResolvedDomains): number[] {
  return vlineLabelLayout(spec, d).map((p) => p.row);
}

/** Vertical distance between stacked label rows, in pt. */
export const LABEL_ROW_PT = S.FONT_SIZE.annotation + 2;
