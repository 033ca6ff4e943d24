// Thinning long curves for drawing. A figure is 3.4 in wide: even printed at 600 dpi that is
// about 2,000 device pixels, so a curve of 100,000 grid types draws no differently from a few
// thousand well-chosen points — but renders (vega, pdfkit, pgfplots) in time and memory that
// grow with every point. Each series longer than MAX_POINTS is cut into BUCKETS runs of
// consecutive points; a run keeps its first and last point, its lowest and highest (so no peak
// or kink is flattened), and the ends of any gap (NaN), so breaks in a line stay where they are.
// Series that share their x values keep one common set of points (the union over the series),
// so the figure's CSV stays one x column with a column per series. The figure's files are drawn
// from the thinned data; curves.csv keeps every grid type.

import type { FigureSpec, Series } from "./types.js";

/** Series up to this length are drawn as they are. */
export const MAX_POINTS = 4000;
/** Runs per thinned series: at most 6 points each, plus the ends of two gaps. */
const BUCKETS = 1000;

/** Gaps (NaN runs) whose ends a run keeps; more, narrower than a pixel, are drawn joined. */
const GAPS_PER_RUN = 2;

/**
 * Marks in `into` the points to keep of a series of n points: per run its first and last
 * point, its extremes in y and in x (x need not be monotone, e.g. a curve in the (s, w) plane),
 * and the ends of its first GAPS_PER_RUN gaps.
 */
function keepIndices(x: ArrayLike<number>, y: ArrayLike<number>, n: number, buckets: number, into: Uint8Array): void {
  const size = n / buckets;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(n, Math.floor((b + 1) * size));
    if (to <= from) continue;
    into[from] = 1;
    into[to - 1] = 1;
    let ylo = -1;
    let yhi = -1;
    let xlo = from;
    let xhi = from;
    let gaps = 0;
    for (let i = from; i < to; i++) {
      if (x[i] < x[xlo]) xlo = i;
      if (x[i] > x[xhi]) xhi = i;
      const v = y[i];
      const prevNaN = i > from && Number.isNaN(y[i - 1]);
      if (Number.isNaN(v)) {
        if (!prevNaN && gaps < GAPS_PER_RUN) {
          // the last point before the gap and its first
          into[i] = 1;
          if (i > from) into[i - 1] = 1;
        }
        continue;
      }
      if (prevNaN && gaps < GAPS_PER_RUN) {
        // the gap's last point and the first after it
        into[i - 1] = 1;
        into[i] = 1;
        gaps++;
      }
      if (ylo < 0 || v < y[ylo]) ylo = i;
      if (yhi < 0 || v > y[yhi]) yhi = i;
    }
    if (ylo >= 0) into[ylo] = 1;
    if (yhi >= 0) into[yhi] = 1;
    into[xlo] = 1;
    into[xhi] = 1;
  }
}

function sameX(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function pick(values: ArrayLike<number>, keep: Uint8Array, count: number): Float64Array {
  const out = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i]) out[k++] = values[i];
  return out;
}

/**
 * The spec with every series of more than MAX_POINTS points thinned (see the header); the same
 * spec object when nothing is long. A group of series sharing their x values keeps at most
 * 4·BUCKETS points when it can (runs are halved until it does, down to 50 runs: at most
 * 50 · 10 · (series in the group) points).
 */
export function decimateFigure(spec: FigureSpec): FigureSpec {
  if (spec.series.every((s) => s.x.length <= MAX_POINTS)) return spec;
  const done = new Map<Series, Series>();
  for (const s of spec.series) {
    if (done.has(s) || s.x.length <= MAX_POINTS) continue;
    const group = spec.series.filter((t) => !done.has(t) && sameX(t.x, s.x) && t.y.length === s.x.length);
    const n = s.x.length;
    // fewer runs when many differently shaped series share the x values, to stay in bounds
    let buckets = BUCKETS;
    let keep = new Uint8Array(n);
    for (;;) {
      keep.fill(0);
      for (const t of group) keepIndices(t.x, t.y, n, buckets, keep);
      const count = keep.reduce((a, v) => a + v, 0);
      if (count <= 4 * BUCKETS || buckets <= 50) break;
      buckets = Math.max(50, Math.floor(buckets / 2));
      keep = new Uint8Array(n);
    }
    const count = keep.reduce((a, v) => a + v, 0);
    const x = pick(s.x, keep, count);
    for (const t of group) done.set(t, { ...t, x, y: pick(t.y, keep, count) });
  }
  return { ...spec, series: spec.series.map((s) => done.get(s) ?? s) };
}
