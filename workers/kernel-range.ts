// The batch kernel's share of solving a range of sweep points, in a module light enough for a
// worker thread to load alone: the grid, the kernel (solvers/leader-fringe-uniform-batch.ts) and
// the row formatter, without the scenario schema (zod), the solvers' general paths or mathjs.
// A worker thread of a kernel sweep loads only this (sweep-worker.ts): it starts in a few tens
// of ms instead of a few hundred and its heap holds a few MB instead of ~40 (the 2-worker
// sweep's peak memory), and loads the general path only for a batch with a point the kernel
// declines. The main thread, which has checked the scenario, sends the kernel's plan as plain
// data (KernelJob); solveRange (sweep-point.ts) finishes its kernel ranges with the same
// function as here (finishKernelRange), so a range gives the same bytes on either path.

import type { SweepSpec } from "../engine/scenario/spec-types.js";
import type { BufferPool } from "./buffer-pool.js";
import { buildSweepGrid, type SweepGrid } from "./sweep-grid.js";
import { planFromData, solveKernelRange, WARM_CHAIN, type KernelPlan, type KernelPlanData } from "./sweep-kernel.js";
import { formatRows, type InOrderCurve } from "./sweep-rows.js";
import { primeShortest } from "../engine/results/fast-number.js";
import type { RangeResult } from "./sweep-point.js";
import { isDiagnosticScalar } from "../solvers/types.js";

/** What a thread needs to solve a kernel sweep's ranges: plain data from the checked scenario. */
export interface KernelJob {
  /** the scenario's sweep block, as checked */
  sweep: SweepSpec;
  plan: KernelPlanData;
  outputs: string[];
  text?: { curves: InOrderCurve[] };
}

export interface KernelContext {
  readonly grid: SweepGrid;
  readonly plan: KernelPlan;
  readonly outputs: readonly string[];
  readonly text?: { curves: InOrderCurve[] };
}

export function kernelContext(job: KernelJob): KernelContext {
  return { grid: buildSweepGrid(job.sweep), plan: planFromData(job.plan), outputs: job.outputs, text: job.text };
}

/** Pairs of grid points a thread solves before its first batch (primeKernel). */
export const PRIME_POINTS = 128;
/** Grids smaller than this are not primed: their warm-up is shorter than the priming. */
export const PRIME_MIN_POINTS = 20_000;

/**
 * Solve and format PRIME_POINTS pairs of points spread evenly over the whole grid, and
 * discard them, before the thread's first batch. Why: V8 compiles the kernel and the row
 * formatter with the branches it has seen taken; a grid in order meets its regimes one after
 * another (region 2 served, then empty; short, then long numbers), and each new one threw the
 * compiled code away ("insufficient type feedback"), the first ~20,000 points of a sweep running
 * at several times the speed of the rest. A sample of the real grid shows every regime first:
 * on the 100,000-point benchmark sweep the first 100,000 points took ~160–210 ms instead of
 * ~290 after ~15 ms of priming. The kernel is a pure function of a point, so what a thread
 * writes does not change. `buffers`: the thread's buffer pool, as its batches will have it: the
 * formatter's byte buffers then hold a pool from the first call (primed without one, the first
 * real batch changed the type V8 had recorded for that field, and the compiled formatter was
 * thrown away, twice in a 100,000-point sweep).
 */
export function primeKernel(kc: KernelContext, buffers?: BufferPool): void {
  const n = kc.grid.size;
  if (n < PRIME_MIN_POINTS) return;
  if (kc.text) primeShortest();
  const k = PRIME_POINTS;
  for (let j = 0; j < k; j++) {
    // two points from a multiple of WARM_CHAIN: a cold start and a warm one (from inside a
    // chain, a range first solves the chain's points before it: sweep-kernel.ts)
    const at = Math.floor((j * (n - 1)) / (k - 1));
    const i = at - (at % WARM_CHAIN);
    const r = solveKernelOnly(kc, i, Math.min(n, i + 2), buffers);
    if (r && buffers) for (const b of resultBuffers(r)) buffers.give(b);
  }
}

/** A range result's buffers: its outputs and, with its text, its rows, row ends and curve rows
 *  (what a pool thread transfers with its answer, and what goes back to a buffer pool). */
export function resultBuffers(r: RangeResult): ArrayBuffer[] {
  const t = r.text;
  return [r.values.buffer, ...(t ? [t.rows.buffer, t.rowEnds.buffer, ...t.curves.map((c) => c.buffer)] : [])] as ArrayBuffer[];
}

/**
 * Solve grid points [start, end) by the kernel alone: the range's result, or undefined when the
 * kernel declined a point (the caller then solves the range on the general path).
 */
export function solveKernelOnly(kc: KernelContext, start: number, end: number, buffers?: BufferPool): RangeResult | undefined {
  const t0 = performance.now();
  const K = kc.outputs.length;
  const n = end - start;
  const values = new Float64Array(buffers ? buffers.take(8 * n * K) : new ArrayBuffer(8 * n * K), 0, n * K);
  const codes = new Uint8Array(n);
  if (solveKernelRange(kc.plan, kc.grid, start, end, values, codes) > 0) {
    buffers?.give(values.buffer as ArrayBuffer);
    return undefined;
  }
  const result: RangeResult = { start, end, values, failedAt: [], failedStatus: [], curveLines: "", seconds: 0 };
  finishKernelRange(result, codes, kc.outputs, kc.grid, kc.text, buffers);
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}

/**
 * The points the kernel solved (codes[j] = 0): a non-finite output fails the point with
 * `not finite: <outputs>` (its cells empty; a diagnostic closed form's cell is left empty without
 * failing it, types.ts isDiagnosticScalar); then, with `text`, the range's rows formatted.
 * The other points must already carry their values and statuses (solveRange's general path).
 */
export function finishKernelRange(
  r: RangeResult,
  codes: Uint8Array | undefined,
  outputs: readonly string[],
  grid: SweepGrid,
  text: { curves: InOrderCurve[] } | undefined,
  buffers?: BufferPool,
): void {
  const K = outputs.length;
  const values = r.values;
  if (codes) {
    const failedAt: number[] = [];
    const failedStatus: string[] = [];
    // a diagnostic closed form may be ±∞ (its cell stays empty, the point ok: types.ts)
    const diagnostic = outputs.map(isDiagnosticScalar);
    let g = 0;
    for (let j = 0; j < r.end - r.start; j++) {
      // merge with the statuses of the general path's points, in order
      while (g < r.failedAt.length && r.failedAt[g] < j) {
        failedAt.push(r.failedAt[g]);
        failedStatus.push(r.failedStatus[g++]);
      }
      if (codes[j] !== 0) continue;
      const o = j * K;
      let notFinite = "";
      for (let k = 0; k < K; k++) {
        const x = values[o + k];
        if (x - x === 0) continue; // finite
        values[o + k] = NaN;
        if (!diagnostic[k]) notFinite += (notFinite ? ", " : "") + outputs[k];
      }
      if (notFinite) {
        failedAt.push(j);
        failedStatus.push(`not finite: ${notFinite}`);
      }
    }
    while (g < r.failedAt.length) {
      failedAt.push(r.failedAt[g]);
      failedStatus.push(r.failedStatus[g++]);
    }
    r.failedAt = failedAt;
    r.failedStatus = failedStatus;
  }
  if (text) {
    const { failedAt, failedStatus } = r;
    let f = 0;
    const statusAt = (j: number): string | undefined => {
      while (f < failedAt.length && failedAt[f] < j) f++;
      return f < failedAt.length && failedAt[f] === j ? failedStatus[f] : undefined;
    };
    r.text = formatRows(grid, K, text.curves, r.start, r.end, values, statusAt, buffers);
  }
}

