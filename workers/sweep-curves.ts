// Curves from a finished sweep: for each swept parameter and each output, a tidy CSV
// `<dir>/curves/<output>-vs-<param>.csv` (with several dimensions, one line per combination of
// the other dimensions' values: their columns first, then the parameter, then the output), and
// the FigureSpec of the same curves for the figure layer (drawn by figure-drawer.ts, in its own
// thread). Figures show at most MAX_SERIES lines, evenly chosen, each thinned to
// MAX_PLOT_POINTS points; the CSVs always hold every point. The curve files whose rows follow
// grid order are written by sweep-results.ts in its single pass; writeParamCurves does the rest.

import { join } from "node:path";
import { AtomicTextWriter, csvField } from "../engine/results/sweep-csv.js";
import { formatNumber } from "../engine/results/number-format.js";
import type { FigureSpec, Series } from "../engine/figures/types.js";
import { dimIndex, type SweepGrid } from "./sweep-grid.js";

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

export const MAX_SERIES = 8;
export const MAX_PLOT_POINTS = 500;

/** An identifier form of a name (figure CSV columns). */
function ident(s: string): string {
  const t = s.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  return /^[A-Za-z]/.test(t) ? t : `x_${t}`;
}

/** A file-name-safe form of a parameter path. */
export function fileStem(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "");
}

/** The other dimensions' parameters (all members of each), in grid order. */
function otherParams(grid: SweepGrid, d: number): number[] {
  const out: number[] = [];
  grid.dims.forEach((members, e) => {
    if (e !== d) out.push(...members);
  });
  return out;
}

/** Grid indices where dimension d is at its first value: one per curve, in grid order. */
function lineStarts(grid: SweepGrid, d: number): number[] {
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
    for (let k = 0; k < K; k++) {
      const w = new AtomicTextWriter(curveCsvPath(dir, outputs[k], grid.paths[p]));
      try {
        w.write(curveCsvHeader(grid, p, outputs[k], others));
        for (const s of starts) {
          let prefix = "";
          for (const q of others) prefix += ax(q, dimIndex(grid, s, grid.paramDim[q])) + ",";
          for (let j = 0; j < len; j++) {
            const i = s + j * stride;
            w.write(prefix + ax(p, j) + "," + formatNumber(values[(i - t.start) * K + k]) + "\n");
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

/** Evenly spaced picks of `count` out of `n` (all when n ≤ count), ends included. */
function picks(n: number, count: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.round((i * (n - 1)) / (count - 1)));
}

const TEX_SPECIAL = /[\\{}_^#$%&~]/g;
function texText(s: string): string {
  return `\\texttt{${s.replace(TEX_SPECIAL, (c) => (c === "\\" ? "\\textbackslash{}" : c === "~" ? "\\textasciitilde{}" : c === "^" ? "\\textasciicircum{}" : `\\${c}`))}}`;
}
/** Plain text for the figure layer's markup, where _ ^ { } \ are special. */
function plainText(s: string): string {
  return s.replace(/[\\_^{}]/g, (c) => `\\${c}`);
}
function label(s: string) {
  return { text: plainText(s), tex: texText(s) };
}

/** The grid points a parameter's figures show: the first point of each line drawn, and the
 *  positions along a line (thinned). */
function figurePlan(grid: SweepGrid, p: number): { starts: number[]; chosen: number[]; js: number[] } {
  const d = grid.paramDim[p];
  const starts = lineStarts(grid, d);
  return { starts, chosen: picks(starts.length, MAX_SERIES), js: picks(grid.dimLength[d], MAX_PLOT_POINTS) };
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
    for (let p = 0; p < grid.paths.length; p++) {
      const { starts, chosen, js } = figurePlan(grid, p);
      const stride = grid.dimStride[grid.paramDim[p]];
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

  /** Output k at grid point i (NaN if i is not sampled or not done). */
  get(i: number, k: number): number {
    const s = this.find(i);
    return this.index[s] === i ? this.values[s * this.K + k] : NaN;
  }
}

/** Output k at grid point i of a table, from its values or its figure sample. */
function tableValue(t: SweepTable, i: number, k: number): number {
  if (t.values) return t.values[(i - t.start) * t.outputs.length + k];
  return t.sample ? t.sample.get(i, k) : NaN;
}

/** Figure specs of the same curves (thinned for drawing). */
export function paramCurveFigures(t: SweepTable, scenarioName: string): FigureSpec[] {
  const { grid, outputs } = t;
  const K = outputs.length;
  const specs: FigureSpec[] = [];
  for (let p = 0; p < grid.paths.length; p++) {
    const d = grid.paramDim[p];
    const others = otherParams(grid, d);
    const { starts, chosen, js } = figurePlan(grid, p);
    const len = grid.dimLength[d];
    const x = Float64Array.from(js, (j) => grid.axes[p].at(j));
    for (let k = 0; k < K; k++) {
      const series: Series[] = chosen.map((c, n) => {
        const s = starts[c];
        const y = Float64Array.from(js, (j) => tableValue(t, s + j * grid.dimStride[d], k));
        const name =
          others.length === 0
            ? outputs[k]
            : others.map((q) => `${grid.paths[q]} = ${formatNumber(grid.axes[q].at(dimIndex(grid, s, grid.paramDim[q])))}`).join(", ");
        return { name: label(name), x, y, column: `${ident(outputs[k])}_${n + 1}` };
      });
      const shown = starts.length > chosen.length ? ` (${chosen.length} of ${starts.length} lines shown)` : "";
      specs.push({
        name: `${fileStem(outputs[k])}-vs-${fileStem(grid.paths[p])}`,
        caption: `Sweep of ${scenarioName}: ${outputs[k]} against ${grid.paths[p]}, ${len} values${others.length ? `, one line per value of ${others.map((q) => grid.paths[q]).join(", ")}${shown}` : ""}.`,
        x: { label: label(grid.paths[p]), scale: grid.logAxis[p] ? "log" : "linear", column: ident(grid.paths[p]) },
        y: { label: label(outputs[k]) },
        series,
        legend: others.length === 0 ? "none" : "inside",
      });
    }
  }
  return specs;
}
