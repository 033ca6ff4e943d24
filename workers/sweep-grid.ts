// The sweep grid of a scenario's `sweep.params` (README "Commands"): each parameter's
// axis (linspace, logspace with numpy's base-10 exponents, or explicit values) and the order
// in which the grid walks them. The grid is the product of its dimensions in the order the
// parameters are written, the last one fastest; a `zip` group is one dimension whose members
// advance together (it sits where its first member is written). Points are addressed by their
// grid index only, so any process (a worker, a shard, a resumed run) can compute point i's
// values on its own without materializing the grid or sending values between threads. Nor are
// the axes materialized: a linspace or logspace axis computes its values in blocks as they are
// read (a 10,000,000-value axis held as doubles is 80 MB in every thread of the sweep).

import { InputError } from "../engine/errors.js";
import { axisOf, type AxisValues } from "../engine/sweep-axis.js";
import { parsePath, type PathSegment } from "../engine/scenario/overrides.js";
import type { SweepSpec } from "../engine/scenario/spec-types.js";

export { axisOf, axisSpecOf, axisValues, type AxisValues } from "../engine/sweep-axis.js";

export interface SweepGrid {
  /** parameter paths, in the order written (the CSV's leading columns) */
  readonly paths: readonly string[];
  readonly segments: readonly (readonly PathSegment[])[];
  /** values of each parameter's axis */
  readonly axes: readonly AxisValues[];
  /** true for logspace axes (plots use a log x scale) */
  readonly logAxis: readonly boolean[];
  /** dimension of each parameter */
  readonly paramDim: Int32Array;
  /** parameters of each dimension (one, or a zip group) */
  readonly dims: readonly (readonly number[])[];
  readonly dimLength: Int32Array;
  /** index step of each dimension (the last dimension has stride 1) */
  readonly dimStride: Float64Array;
  /** number of grid points */
  readonly size: number;
}

export function buildSweepGrid(spec: Pick<SweepSpec, "params" | "zip">): SweepGrid {
  const paths = Object.keys(spec.params);
  if (paths.length === 0) throw new InputError("sweep.params", "a sweep needs at least one parameter");
  const segments = paths.map((p) => parsePath(p, `sweep.params["${p}"]`));
  const axes = paths.map((p) => axisOf(spec.params[p], `sweep.params["${p}"]`));
  const logAxis = paths.map((p) => "logspace" in spec.params[p]);

  const groupOf = new Map<string, number>();
  (spec.zip ?? []).forEach((group, g) =>
    group.forEach((p, i) => {
      if (!spec.params[p]) throw new InputError(`sweep.zip[${g}][${i}]`, `"${p}" is not a swept parameter`);
      groupOf.set(p, g);
    }),
  );

  const paramDim = new Int32Array(paths.length);
  const dims: number[][] = [];
  const dimOfGroup = new Map<number, number>();
  paths.forEach((p, k) => {
    const g = groupOf.get(p);
    if (g !== undefined && dimOfGroup.has(g)) {
      const d = dimOfGroup.get(g) as number;
      if (axes[dims[d][0]].length !== axes[k].length) {
        throw new InputError(`sweep.zip[${g}]`, `zipped axes must have equal lengths: ${paths[dims[d][0]]} has ${axes[dims[d][0]].length}, ${p} has ${axes[k].length}`);
      }
      dims[d].push(k);
      paramDim[k] = d;
      return;
    }
    if (g !== undefined) dimOfGroup.set(g, dims.length);
    paramDim[k] = dims.length;
    dims.push([k]);
  });

  const dimLength = Int32Array.from(dims, (d) => axes[d[0]].length);
  const dimStride = new Float64Array(dims.length);
  let size = 1;
  for (let d = dims.length - 1; d >= 0; d--) {
    dimStride[d] = size;
    size *= dimLength[d];
  }
  return { paths, segments, axes, logAxis, paramDim, dims, dimLength, dimStride, size };
}

/** Index of point `index` along dimension `d`. */
export function dimIndex(grid: SweepGrid, index: number, d: number): number {
  return Math.floor(index / grid.dimStride[d]) % grid.dimLength[d];
}

/**
 * Values of parameter `p` at grid points start … end − 1, into out[0 …]: the numbers pointValues
 * gives, a run at a time (the sweep kernel's inputs, without a call per point and parameter).
 */
export function paramRange(grid: SweepGrid, p: number, start: number, end: number, out: Float64Array): void {
  const d = grid.paramDim[p];
  const stride = grid.dimStride[d];
  const len = grid.dimLength[d];
  const axis = grid.axes[p];
  let i = start;
  while (i < end) {
    const k = dimIndex(grid, i, d);
    if (stride === 1) {
      // consecutive values, up to the axis' end (where the dimension wraps)
      const count = Math.min(end - i, len - k);
      axis.copy(k, count, out, i - start);
      i += count;
    } else {
      // one value for the run of points up to the next step of the dimension
      const runEnd = Math.min(end, (Math.floor(i / stride) + 1) * stride);
      out.fill(axis.at(k), i - start, runEnd - start);
      i = runEnd;
    }
  }
}

/** Parameter values of grid point `index`, written into `out` (one per path). */
export function pointValues(grid: SweepGrid, index: number, out: Float64Array): void {
  const { dims, axes } = grid;
  for (let d = 0; d < dims.length; d++) {
    const j = dimIndex(grid, index, d);
    const members = dims[d];
    for (let m = 0; m < members.length; m++) axes[members[m]].get(j, out, members[m]);
  }
}
