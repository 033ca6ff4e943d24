// Curves from a finished sweep: for each swept parameter and each output, a tidy CSV
// `<dir>/curves/<output>-vs-<param>.csv` (with several dimensions, one line per combination of
// the other dimensions' values: their columns first, then the parameter, then the output). The
// figures of the same table are the figure layer's (figures/builders/sweep-figures.ts). The
// curve files whose rows follow grid order are written by sweep-results.ts in its single pass;
// writeParamCurves does the rest.
// A file with a point that failed or is not certified optimal has a last column, `status`, as
// sweep.csv's (`ok` on the other rows): a curve file is often read alone, and an uncertified
// point's numbers are kept (a reviewer's). A file of only `ok` points has none (the same bytes
// as before the column existed). A streamed curve file gets it when the sweep is published
// (SweepStream.commit: withStatusColumn), its failures being known only then.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../engine/results/atomic-write.js";
import { AtomicTextWriter, csvField } from "../engine/results/sweep-csv.js";
import { formatNumber } from "../engine/results/number-format.js";
import { axisSpecOf, dimIndex, type SweepGrid } from "./sweep-grid.js";
import { LINES_DRAWN, lineCandidates, picks, varyingDims } from "../engine/sweep-figure-lines.js";
import type { SweepAxis } from "../engine/scenario/spec-types.js";

/** A finished sweep's numbers over the grid range [start, end). */
export interface SweepTable {
  grid: SweepGrid;
  outputs: string[];
  start: number;
  end: number;
  /** (end − start) × outputs.length, point-major; NaN where a point failed. Undefined when a
   *  streamed sweep did not keep them: then `sample` holds the points its figures show. */
  values?: Float64Array;
  sample?: FigureSample;
  /** grid index → status of failed points */
  failures: Map<number, string>;
}

/** Lines and points per line the sweep's figures draw, and cells per heatmap axis
 *  (figures/builders/sweep-figures.ts SMALL_MULTIPLES, MAX_PLOT_POINTS, MAX_HEATMAP_CELLS):
 *  what FigureSample keeps of a streamed sweep (test/figure-sample.test.ts holds them equal). */
export const MAX_SERIES = LINES_DRAWN;
export const MAX_PLOT_POINTS = 500;
export const MAX_HEATMAP_CELLS = 200;

/** An identifier form of a name (figure CSV columns). */
export function ident(s: string): string {
  const t = s.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  return /^[A-Za-z]/.test(t) ? t : `x_${t}`;
}

/** A file-name-safe form of a parameter path. */
export function fileStem(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "");
}

/** The other dimensions' parameters (all members of each), in grid order. */
export function otherParams(grid: SweepGrid, d: number): number[] {
  const out: number[] = [];
  grid.dims.forEach((members, e) => {
    if (e !== d) out.push(...members);
  });
  return out;
}

/** Grid indices where dimension d is at its first value: one per curve, in grid order. */
export function lineStarts(grid: SweepGrid, d: number): number[] {
  const stride = grid.dimStride[d];
  const block = stride * grid.dimLength[d];
  const out: number[] = [];
  for (let a = 0; a < grid.size; a += block) for (let b = 0; b < stride; b++) out.push(a + b);
  return out;
}

export function curveCsvPath(dir: string, output: string, param: string): string {
  return join(dir, "curves", `${fileStem(output)}-vs-${fileStem(param)}.csv`);
}

/** Header of a curve file: the other dimensions' parameters, the parameter, the output. */
export function curveCsvHeader(grid: SweepGrid, p: number, output: string, others = otherParams(grid, grid.paramDim[p])): string {
  return [...others.map((q) => grid.paths[q]), grid.paths[p], output].map(csvField).join(",") + "\n";
}

/** Write <output>-vs-<param>.csv of a whole-grid table for the parameters `params` (default all); returns the paths. */
export function writeParamCurves(dir: string, t: SweepTable, params?: readonly number[]): string[] {
  const { grid, outputs } = t;
  const values = t.values;
  const K = outputs.length;
  const ax = (q: number, j: number) => formatNumber(grid.axes[q].at(j));
  const written: string[] = [];
  for (const p of params ?? grid.paths.map((_, q) => q)) {
    if (!values) throw new Error("writeParamCurves needs the table's values");
    const d = grid.paramDim[p];
    const others = otherParams(grid, d);
    const starts = lineStarts(grid, d);
    const len = grid.dimLength[d];
    const stride = grid.dimStride[d];
    // (a whole grid's curve file holds every point of the grid: a status column when any failed)
    const withStatus = t.failures.size > 0;
    for (let k = 0; k < K; k++) {
      const w = new AtomicTextWriter(curveCsvPath(dir, outputs[k], grid.paths[p]));
      try {
        const header = curveCsvHeader(grid, p, outputs[k], others);
        w.write(withStatus ? header.slice(0, -1) + ",status\n" : header);
        for (const s of starts) {
          let prefix = "";
          for (const q of others) prefix += ax(q, dimIndex(grid, s, grid.paramDim[q])) + ",";
          for (let j = 0; j < len; j++) {
            const i = s + j * stride;
            const status = withStatus ? "," + csvField(t.failures.get(i) ?? "ok") : "";
            w.write(prefix + ax(p, j) + "," + formatNumber(values[(i - t.start) * K + k]) + status + "\n");
          }
        }
        w.commit();
      } catch (e) {
        w.abort();
        throw e;
      }
      written.push(w.path);
    }
  }
  return written;
}

/**
 * Give a published curve file whose rows follow grid order from point `start` (a streamed one:
 * sweep-stream.ts) the status column, rewritten atomically, when one of its points failed or is
 * not certified; unchanged otherwise. Returns whether it was rewritten.
 */
export function withStatusColumn(path: string, start: number, failures: ReadonlyMap<number, string>): boolean {
  if (failures.size === 0) return false;
  const lines = readFileSync(path, "utf8").split("\n");
  // (the text ends with a line break: the last piece is empty)
  const rows = lines.length - 2;
  let any = false;
  for (const i of failures.keys()) if (i >= start && i < start + rows) any = true;
  if (!any) return false;
  let text = lines[0] + ",status\n";
  for (let j = 0; j < rows; j++) text += lines[j + 1] + "," + csvField(failures.get(start + j) ?? "ok") + "\n";
  writeFileAtomic(path, text);
  return true;
}


/** The grid points a parameter's figures may show: the first point of each candidate line, and
 *  the positions along a line (thinned). */
function figurePlan(grid: SweepGrid, p: number): { starts: number[]; chosen: number[]; js: number[] } {
  const d = grid.paramDim[p];
  const starts = lineStarts(grid, d);
  // every line the figure may draw (engine/sweep-figure-lines.ts): it chooses among them by value
  return { starts, chosen: lineCandidates(starts.length), js: picks(grid.dimLength[d], MAX_PLOT_POINTS) };
}

/**
 * The outputs at the grid points the figures show (a few thousand at most), collected from the
 * batches as they finish, so that a streamed sweep need not keep every point's outputs.
 */
export class FigureSample {
  private readonly index: Int32Array;
  private readonly values: Float64Array;

  constructor(
    grid: SweepGrid,
    private readonly K: number,
  ) {
    const all = new Set<number>();
    // (as the figures choose: a dimension of one value is no axis)
    const varying = varyingDims(grid.dimLength);
    for (let p = 0; p < grid.paths.length; p++) {
      const d = grid.paramDim[p];
      const e = varying.find((x) => x !== d) ?? -1;
      if (varying.length === 2 && varying.includes(d) && grid.dimLength[e] > MAX_SERIES && grid.dimLength[d] > 1) {
        // a heatmap over the two dimensions (as the figures draw one): its cells, up to
        // MAX_HEATMAP_CELLS evenly chosen per axis (until 5 Dec 2026 only lines were kept, and a
        // reviewer's 100,100-point sweep drew 39,208 of 40,000 cells blank as "failed points")
        const jx = picks(grid.dimLength[d], MAX_HEATMAP_CELLS);
        const jy = picks(grid.dimLength[e], MAX_HEATMAP_CELLS);
        for (const a of jx) for (const b of jy) all.add(a * grid.dimStride[d] + b * grid.dimStride[e]);
        continue;
      }
      const { starts, chosen, js } = figurePlan(grid, p);
      const stride = grid.dimStride[d];
      for (const c of chosen) for (const j of js) all.add(starts[c] + j * stride);
    }
    this.index = Int32Array.from([...all].sort((a, b) => a - b));
    this.values = new Float64Array(this.index.length * K).fill(NaN);
  }

  private find(i: number): number {
    let lo = 0;
    let hi = this.index.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.index[mid] < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Keep the sampled points of a finished range ([start, end), outputs point-major from start). */
  record(start: number, end: number, values: Float64Array): void {
    const K = this.K;
    for (let s = this.find(start); s < this.index.length && this.index[s] < end; s++) {
      const o = (this.index[s] - start) * K;
      for (let k = 0; k < K; k++) this.values[s * K + k] = values[o + k];
    }
  }

  /** The grid points the sample keeps, ascending. */
  points(): Int32Array {
    return this.index;
  }

  /** Keep point i's outputs if it is one the sample keeps (a merge reading rows one by one). */
  recordPoint(i: number, outputs: ArrayLike<number>): void {
    const s = this.find(i);
    if (this.index[s] !== i) return;
    for (let k = 0; k < this.K; k++) this.values[s * this.K + k] = outputs[k];
  }

  /** Output k at grid point i (NaN if i is not sampled or not done). */
  get(i: number, k: number): number {
    const s = this.find(i);
    return this.index[s] === i ? this.values[s * this.K + k] : NaN;
  }

  /** The sample as plain data, to send to another thread (the figure thread). */
  toPlain(): PlainFigureSample {
    return { index: this.index, values: this.values, K: this.K };
  }

  /** The sample of a sweep whose outputs were all kept in memory: the same points, so the same
   *  figures (test/figure-sample.test.ts), in a few kB instead of every point's outputs. */
  static of(grid: SweepGrid, K: number, start: number, end: number, values: Float64Array): FigureSample {
    const s = new FigureSample(grid, K);
    s.record(start, end, values);
    return s;
  }
}

export interface PlainFigureSample {
  index: Int32Array;
  values: Float64Array;
  K: number;
}

/**
 * A sweep's table as plain data, for the figure thread (figures/figure-thread.ts builds the
 * figure specs there, so that the main thread loads neither the builders nor the fonts their
 * axis titles are measured with): the grid with each axis's values in an array (its `at` answers
 * are methods, which do not cross threads), the outputs of the points the figures show (a
 * FigureSample: the same points, so the same figures) and the failed points' statuses.
 */
export interface PlainSweepTable {
  /** each axis as its values, or (a long linspace or logspace axis) as its spec, whose values
   *  the receiver computes as read (sweep-grid.ts axisOf) */
  grid: Omit<SweepGrid, "axes"> & { axes: (Float64Array | SweepAxis)[] };
  outputs: string[];
  start: number;
  end: number;
  sample: PlainFigureSample;
  failures: Map<number, string>;
}

export function plainSweepTable(t: SweepTable): PlainSweepTable {
  const g = t.grid;
  const axes = g.axes.map((a) => {
    const spec = axisSpecOf(a);
    if (spec) return spec;
    const v = new Float64Array(a.length);
    for (let j = 0; j < v.length; j++) v[j] = a.at(j);
    return v;
  });
  const K = t.outputs.length;
  const sample = t.sample ?? (t.values ? FigureSample.of(g, K, t.start, t.end, t.values) : new FigureSample(g, K));
  const grid = { paths: g.paths, segments: g.segments, axes, logAxis: g.logAxis, paramDim: g.paramDim, dims: g.dims, dimLength: g.dimLength, dimStride: g.dimStride, size: g.size };
  return { grid, outputs: t.outputs, start: t.start, end: t.end, sample: sample.toPlain(), failures: t.failures };
}
