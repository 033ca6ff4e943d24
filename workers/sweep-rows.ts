// The text of a range of sweep points, as UTF-8 bytes: its sweep.csv rows and its rows of the
// per-parameter curve files that follow grid order (the parameters of the last, fastest
// dimension: every curve file of a one-dimensional sweep). One function writes them for both
// routes to the files, so their bytes are the same by construction:
//   - a fresh sweep formats each batch where it was solved (a pool thread or the main thread),
//     and the main thread only appends the bytes, in grid order (sweep-stream.ts);
//   - a resumed sweep, and `lpe merge`, format the whole table at the end (sweep-results.ts).
// A row is `<point>,<params…>,<status>,<outputs…>\n` (the point's grid index first): numbers as formatNumber writes them (shortest
// round-trip, empty for NaN), here written as bytes by writeShortest (fast-number.ts, the same
// characters without a string per number), the status as a CSV text cell; a curve row is
// `<other params…>,<param>,<output>\n`, its cells copied from the sweep.csv row.

import { writeShortestAt } from "../engine/results/fast-number.js";
import type { BufferPool } from "./buffer-pool.js";
import { csvField } from "../engine/results/sweep-csv.js";
import { dimIndex, type SweepGrid } from "./sweep-grid.js";

/** A curve file written in grid order: parameter p (of the last dimension) against output k. */
export type InOrderCurve = readonly [p: number, k: number];

export interface FormattedRows {
  /** sweep.csv rows of the range */
  rows: Uint8Array;
  /** byte offset where each row ends (for the row digests) */
  rowEnds: Uint32Array;
  /** rows of each in-order curve file, in the order the curves were given */
  curves: Uint8Array[];
}

/** The curve files that follow grid order: every (parameter of the last dimension, output). */
export function inOrderCurves(grid: SweepGrid, outputs: number): InOrderCurve[] {
  const last = grid.dims[grid.dims.length - 1];
  return last.flatMap((p) => Array.from({ length: outputs }, (_, k) => [p, k] as const));
}

/** Parameters of the other dimensions (not the last), in path order: the leading columns of a curve row. */
export function otherDimensionParams(grid: SweepGrid): number[] {
  const last = new Set(grid.dims[grid.dims.length - 1]);
  return grid.paths.map((_, q) => q).filter((q) => !last.has(q));
}

const COMMA = 44;
const NEWLINE = 10;
/** room for one number (String(x) of a double is at most 25 characters, its sign included:
 *  -0.0000012345678901234567; writeShortestAt writes no further) */
const CELL = 32;
/** the longest number cell, and the bytes of a row beyond its cells ("ok", separators, line break) */
const NUMBER_MAX = 25;
const encoder = new TextEncoder();

/** A byte buffer that grows; `b` and `n` are read and written directly by formatRows. */
class Bytes {
  b: Uint8Array;
  /** a view of b's bytes (for copyBytes) */
  v: DataView;
  n = 0;
  constructor(
    capacity: number,
    private readonly pool?: BufferPool,
  ) {
    this.b = new Uint8Array(pool ? pool.take(capacity) : new ArrayBuffer(capacity));
    this.v = new DataView(this.b.buffer);
  }
  /** make room for `more` bytes */
  room(more: number): void {
    if (this.n + more <= this.b.length) return;
    let cap = this.b.length * 2;
    while (cap < this.n + more) cap *= 2;
    const next = new Uint8Array(this.pool ? this.pool.take(cap) : new ArrayBuffer(cap));
    next.set(this.b.subarray(0, this.n));
    this.pool?.give(this.b.buffer);
    this.b = next;
    this.v = new DataView(next.buffer);
  }
  text(s: string): void {
    this.room(3 * s.length);
    this.n += encoder.encodeInto(s, this.b.subarray(this.n)).written;
  }
  view(): Uint8Array {
    return this.b.subarray(0, this.n);
  }
  /** give the buffer back to the pool (the bytes are not used any more) */
  release(): void {
    this.pool?.give(this.b.buffer);
  }
}

/**
 * Copy bytes [from, to) of `src` to `dst` at `pos`; returns pos + (to − from). Four bytes at a
 * time through DataViews (a byte loop was a third of formatting a sweep's rows: the curve files
 * copy every output cell once more): up to 3 bytes past `to` are read and past the end written,
 * so both buffers need that much room beyond (the callers reserve a row's longest length, far
 * more); bytes written past the end are overwritten by what follows or lie beyond the text.
 */
function copyBytes(src: DataView, from: number, to: number, dst: DataView, pos: number): number {
  const end = pos + (to - from);
  if (to + 3 < src.byteLength && end + 3 < dst.byteLength) {
    for (let i = from, o = pos; i < to; i += 4, o += 4) dst.setInt32(o, src.getInt32(i, true), true);
  } else {
    for (let i = from, o = pos; i < to; i++, o++) dst.setUint8(o, src.getUint8(i));
  }
  return end;
}

const indexDigits = new Uint8Array(16);
/** 10^k for k = 0 … 9 */
const INT_POW10 = Int32Array.from({ length: 10 }, (_, k) => 10 ** k);

/** Write the whole number i ≥ 0 (a grid index) in decimal at pos; returns the new position. */
function writeIndex(b: Uint8Array, pos: number, i: number): number {
  if (i <= 0x7fffffff) {
    // int32 arithmetic (a division by 10 is a multiplication), digits written last first in place
    let v = i | 0;
    let len = 1;
    while (len < 10 && v >= INT_POW10[len]) len++;
    let p = pos + len;
    do {
      const q = (v / 10) | 0;
      b[--p] = 48 + (v - q * 10);
      v = q;
    } while (v > 0);
    return pos + len;
  }
  let n = 0;
  do {
    const q = Math.floor(i / 10);
    indexDigits[n++] = 48 + (i - q * 10);
    i = q;
  } while (i > 0);
  while (n > 0) b[pos++] = indexDigits[--n];
  return pos;
}

/**
 * Format parameter p's cell of the row at grid indices `idx` into `params` at p·CELL, its bytes
 * [from[p], to[p]). A function of the module, not a closure in formatRows: compiled code that
 * had inlined one call's closure was thrown away at the next call ("wrong call target").
 */
function setParam(grid: SweepGrid, p: number, idx: Int32Array, params: Bytes, from: Int32Array, to: Int32Array, value: Float64Array): void {
  params.n = from[p] = p * CELL;
  grid.axes[p].get(idx[grid.paramDim[p]], value, 0);
  number(params, value, 0);
  to[p] = params.n;
}

/** The bytes of formatNumber(src[i]): nothing for NaN and ±∞. */
function number(out: Bytes, src: Float64Array, i: number): void {
  const x = src[i];
  if (x - x !== 0) return; // not finite
  out.room(CELL);
  out.n = writeShortestAt(out.b, out.n, src, i);
}

/**
 * Format grid points [start, end): `values` holds their K outputs, point-major from `start`;
 * `statusAt(offset)` the status of a failed point (undefined: ok). Buffers come from `buffers`
 * when given (the caller gives them back once the bytes are written).
 */
export function formatRows(
  grid: SweepGrid,
  K: number,
  curves: readonly InOrderCurve[],
  start: number,
  end: number,
  values: Float64Array,
  statusAt: (offset: number) => string | undefined,
  buffers?: BufferPool,
): FormattedRows {
  const P = grid.paths.length;
  const D = grid.dims.length;
  const n = end - start;
  // room for the longest possible rows of numbers (a failed point's status may still grow it)
  const rows = new Bytes(Math.max(1024, n * ((NUMBER_MAX + 1) * (P + K) + 3)), buffers);
  const rowEnds = new Uint32Array(buffers ? buffers.take(4 * n) : new ArrayBuffer(4 * n), 0, n);
  const others = curves.length > 0 ? otherDimensionParams(grid) : [];
  // (by a loop: an array from Array.prototype.map has another elements kind when the map is
  // compiled into formatRows than when the built-in runs, and the compiled code, which expects
  // one, was thrown away at the other)
  const curveOut: Bytes[] = [];
  for (let c = 0; c < curves.length; c++) curveOut.push(new Bytes(Math.max(1024, n * (NUMBER_MAX + 1) * (others.length + 2)), buffers));
  // each parameter's cell, formatted when its dimension moves
  const params = new Bytes(P * CELL, buffers);
  const from = new Int32Array(P);
  const to = new Int32Array(P);
  const idx = Int32Array.from(grid.dims, (_, d) => dimIndex(grid, start, d));
  const value = new Float64Array(1);
  for (let p = 0; p < P; p++) setParam(grid, p, idx, params, from, to, value);
  // where each output cell of the current row lies in `rows`
  const cellFrom = new Int32Array(K);
  const cellTo = new Int32Array(K);

  const pv = params.v;
  const curveParam = Int32Array.from(curves, (c) => c[0]);
  const curveOutput = Int32Array.from(curves, (c) => c[1]);
  // the longest row of numbers, and the longest curve row
  const rowMax = (1 + P + K) * (NUMBER_MAX + 1) + 3;
  const curveMax = (others.length + 2) * (NUMBER_MAX + 1);
  let changed = D;
  for (let j = 0; j < n; j++) {
    // dimensions from `changed` on moved since the last row
    if (changed < D) for (let p = 0; p < P; p++) if (grid.paramDim[p] >= changed) setParam(grid, p, idx, params, from, to, value);
    rows.room(rowMax);
    let b = rows.b;
    let pos = writeIndex(b, rows.n, start + j);
    b[pos++] = COMMA;
    for (let p = 0; p < P; p++) {
      pos = copyBytes(pv, from[p], to[p], rows.v, pos);
      b[pos++] = COMMA;
    }
    const status = statusAt(j);
    if (status === undefined) {
      b[pos++] = 111; // o
      b[pos++] = 107; // k
    } else {
      rows.n = pos;
      rows.text(csvField(status));
      rows.room(rowMax);
      b = rows.b;
      pos = rows.n;
    }
    const o = j * K;
    for (let k = 0; k < K; k++) {
      b[pos++] = COMMA;
      cellFrom[k] = pos;
      const x = values[o + k];
      if (x - x === 0) pos = writeShortestAt(b, pos, values, o + k); // finite; NaN and ±∞ are empty cells
      cellTo[k] = pos;
    }
    b[pos++] = NEWLINE;
    rows.n = pos;
    rowEnds[j] = pos;
    const bv = rows.v;
    for (let c = 0; c < curves.length; c++) {
      const w = curveOut[c];
      w.room(curveMax);
      const wb = w.b;
      const wv = w.v;
      let wp = w.n;
      for (let q = 0; q < others.length; q++) {
        wp = copyBytes(pv, from[others[q]], to[others[q]], wv, wp);
        wb[wp++] = COMMA;
      }
      const p = curveParam[c];
      wp = copyBytes(pv, from[p], to[p], wv, wp);
      wb[wp++] = COMMA;
      const k = curveOutput[c];
      wp = copyBytes(bv, cellFrom[k], cellTo[k], wv, wp);
      wb[wp++] = NEWLINE;
      w.n = wp;
    }
    for (let d = D - 1; d >= 0; d--) {
      changed = d;
      if (++idx[d] < grid.dimLength[d]) break;
      idx[d] = 0;
    }
  }
  const curveBytes: Uint8Array[] = [];
  for (let c = 0; c < curveOut.length; c++) curveBytes.push(curveOut[c].view());
  params.release();
  return { rows: rows.view(), rowEnds, curves: curveBytes };
}
