// The values of one axis of a sweep (README "Commands", sweep.params): linspace, logspace with
// numpy's base-10 exponents, or explicit values, held in an array or computed in blocks as they
// are read (a 10,000,000-value axis held as doubles is 80 MB in every thread). In engine/ so that
// both the sweep's grid (workers/sweep-grid.ts) and the figure thread, which computes a long axis
// from its spec rather than receive its values (figures/sweep-figure-specs.ts), use it.

import { DecimalLinspace, decimalLinspace } from "./decimal-grid.js";
import { InputError } from "./errors.js";
import type { SweepAxis } from "./scenario/spec-types.js";

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
