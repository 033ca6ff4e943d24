// The sweep grid of a scenario's `sweep.params` (README "Commands"): each parameter's
// axis (linspace, logspace with numpy's base-10 exponents, or explicit values) and the order
// in which the grid walks them. The grid is the product of its dimensions in the order the
// parameters are written, the last one fastest; a `zip` group is one dimension whose members
// advance together (it sits where its first member is written). Points are addressed by their
// grid index only, so any process (a worker, a shard, a resumed run) can compute point i's
// values on its own without materializing the grid or sending values between threads. Nor are
// the axes materialized: a linspace or logspace axis computes its values in blocks as they are
// read (a 10,000,000-value axis held as doubles is 80 MB in every thread of the sweep).

import { DecimalLinspace, decimalLinspace } from "../engine/decimal-grid.js";
import { InputError } from "../engine/errors.js";
import { parsePath, type PathSegment } from "../engine/scenario/overrides.js";
import type { SweepAxis, SweepSpec } from "../engine/scenario/spec-types.js";

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

/**
 * The values of one axis, with numpy's linspace/logspace semantics, except that a point whose
 * exact decimal value is short is that decimal (engine/decimal-grid.ts: linspace(0.05, 0.29, 25)
 * holds 0.34, not 0.33999999999999997); a logspace point with a whole exponent is the double
 * nearest to 10^x (1e-5 prints as 1e-5).
 */
export function axisValues(axis: SweepAxis, where = "sweep.params"): Float64Array {
  if ("values" in axis) return Float64Array.from(axis.values);
  const [a, b, n] = "linspace" in axis ? axis.linspace : axis.logspace;
  if (!(Number.isInteger(n) && n >= 1)) throw new InputError(where, `the number of points must be an integer ≥ 1, got ${String(n)}`);
  if ("logspace" in axis) checkLogspace(a, b, where);
  const v = decimalLinspace(a, b, n);
  if ("logspace" in axis) for (let i = 0; i < n; i++) v[i] = logspaceValue(v[i]);
  return v;
}

/** The values of an axis, read one at a time (into an array: no number object per read). */
export interface AxisValues {
  readonly length: number;
  /** write value k into out[j] */
  get(k: number, out: Float64Array, j: number): void;
  /** value k (for occasional reads) */
  at(k: number): number;
  /** values k … k + count − 1 into out[j …] (k + count ≤ length) */
  copy(k: number, count: number, out: Float64Array, j: number): void;
}

/** Values held in an array (explicit values, short axes). */
class HeldAxis implements AxisValues {
  constructor(private readonly v: Float64Array) {}
  get length(): number {
    return this.v.length;
  }
  get(k: number, out: Float64Array, j: number): void {
    out[j] = this.v[k];
  }
  at(k: number): number {
    return this.v[k];
  }
  copy(k: number, count: number, out: Float64Array, j: number): void {
    out.set(this.v.subarray(k, k + count), j);
  }
}

/** Values of a computed axis kept at a time (and the longest axis held whole). */
const BLOCK = 4096;

/** An axis computed in blocks of BLOCK values as they are read (the last block is kept). */
class ComputedAxis implements AxisValues {
  private readonly block = new Float64Array(BLOCK);
  private first = NaN;
  constructor(
    private readonly values: DecimalLinspace,
    /** whether the values are base-10 exponents (a logspace axis) */
    private readonly log: boolean,
    /** the axis as written: what another thread needs to compute the same values (axisSpecOf) */
    readonly spec: SweepAxis,
  ) {}
  get length(): number {
    return this.values.n;
  }
  get(k: number, out: Float64Array, j: number): void {
    if (!(k >= this.first && k < this.first + BLOCK)) this.fill(k);
    out[j] = this.block[k - this.first];
  }
  at(k: number): number {
    if (!(k >= this.first && k < this.first + BLOCK)) this.fill(k);
    return this.block[k - this.first];
  }
  copy(k: number, count: number, out: Float64Array, j: number): void {
    // block by block: the numbers get() reads
    while (count > 0) {
      if (!(k >= this.first && k < this.first + BLOCK)) this.fill(k);
      const from = k - this.first;
      const c = Math.min(count, BLOCK - from);
      out.set(this.block.subarray(from, from + c), j);
      k += c;
      j += c;
      count -= c;
    }
  }
  private fill(k: number): void {
    this.first = k - (k % BLOCK);
    const end = Math.min(this.values.n, this.first + BLOCK);
    this.values.fill(this.block, this.first, end);
    if (this.log) for (let i = 0; i < end - this.first; i++) this.block[i] = logspaceValue(this.block[i]);
  }
}

/** The values of one axis (axisValues' numbers), held or computed as read. */
export function axisOf(axis: SweepAxis, where = "sweep.params"): AxisValues {
  if ("values" in axis) return new HeldAxis(Float64Array.from(axis.values));
  const [a, b, n] = "linspace" in axis ? axis.linspace : axis.logspace;
  if (!(Number.isInteger(n) && n >= 1)) throw new InputError(where, `the number of points must be an integer ≥ 1, got ${String(n)}`);
  if ("logspace" in axis) checkLogspace(a, b, where);
  if (n <= BLOCK) return new HeldAxis(axisValues(axis, where));
  return new ComputedAxis(new DecimalLinspace(a, b, n), "logspace" in axis, axis);
}

/** A computed axis's spec (linspace or logspace, its values computed as read, axisOf): what to
 *  send another thread instead of the values (80 MB for a 10,000,000-point axis); undefined for
 *  an axis held in an array (explicit values, short axes), whose values are sent. */
export function axisSpecOf(axis: AxisValues): SweepAxis | undefined {
  return axis instanceof ComputedAxis ? axis.spec : undefined;
}

/** A logspace axis whose ends 10^a or 10^b overflow is bad input (its points would be ∞). */
function checkLogspace(a: number, b: number, where: string): void {
  for (const x of [a, b]) {
    if (!Number.isFinite(logspaceValue(x))) throw new InputError(`${where}.logspace`, `10^${x} overflows a double (the exponents of a logspace axis are base-10: at most 308)`);
  }
}

/** 10^x, exactly the double nearest to it when x is a whole number (1e-5 prints as 1e-5). */
function logspaceValue(x: number): number {
  return Number.isInteger(x) && Math.abs(x) < 400 ? Number(`1e${x}`) : 10 ** x;
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
