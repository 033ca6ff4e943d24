// Stacking of the labels above reference lines: labels are set above the plot at their
// line's x; when two would overlap (θ_low close to θ_high), the later one moves up a row.
// Shared by the SVG/PDF and the pgfplots output so both stack the same way.

import type { ResolvedDomains } from "./domain.js";
import { runsWidth } from "./fonts.js";
import { parseLabel } from "./label.js";
import * as S from "./style.js";
import type { FigureSpec } from "./types.js";

/** Rough width of the plot area in pt (figure minus the y axis' labels and title). */
const PLOT_WIDTH_ESTIMATE_PT = S.FIGURE_WIDTH_PT - 2 * S.FIGURE_PADDING_PT - 42;
const GAP_PT = 3;

/** Row (0 = lowest) of each vline's label, in spec order; unlabelled lines get row 0. */
export function vlineLabelRows(spec: FigureSpec, d: ResolvedDomains): number[] {
  const vlines = spec.vlines ?? [];
  const t = d.x.scale === "log" ? Math.log10 : (v: number) => v;
  const [lo, hi] = d.x.domain.map(t);
  const boxes = vlines.map((v, i) => {
    const w = v.label ? runsWidth(parseLabel(v.label.text), S.FONT_SIZE.annotation) : 0;
    const c = ((t(v.x) - lo) / (hi - lo)) * PLOT_WIDTH_ESTIMATE_PT;
    return { i, left: c - w / 2, right: c + w / 2, labelled: !!v.label };
  });
  const rows = vlines.map(() => 0);
  const rowRight: number[] = []; // rightmost label edge so far in each row
  for (const b of [...boxes].sort((a, c) => a.left - c.left || a.i - c.i)) {
    if (!b.labelled) continue;
    let r = 0;
    while (rowRight[r] !== undefined && rowRight[r] + GAP_PT > b.left) r++;
    rows[b.i] = r;
    rowRight[r] = b.right;
  }
  return rows;
}

/** Vertical distance between stacked label rows, in pt. */
export const LABEL_ROW_PT = S.FONT_SIZE.annotation + 2;
