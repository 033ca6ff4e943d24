// Solving a contiguous range of sweep points: the work unit shared by the in-process path
// (1 worker) and the pool's worker threads. Each point: grid values → validated scenario →
// solveScenario(…, { scalarsOnly }) → the chosen outputs, written into one Float64Array
// (point-major, `outputs.length` per point) so a whole batch crosses the thread boundary as a
// single transferred buffer. Where the whole grid is of the batch kernel's kind (leader–fringe,
// uniform types, γ_F = 0: sweep-kernel.ts) the range is first solved by the kernel in one call,
// and only the points it declines take the per-point path. A point that fails gets NaN outputs and a status naming the cause
// (`bad input: <path>: …`, `numerical: …`); the range always completes. A point is `ok` only
// when every output is a finite number: a NaN or infinite output (a solver that lost precision
// without throwing) fails the point with `not finite: <outputs>`, keeping its finite outputs.
// A `null` output is the solver's "none here" (e.g. no excluded types, so no θ*): an empty cell
// in an `ok` row.

import { InputError, NumericalError } from "../engine/errors.js";
import { formatNumber } from "../engine/results/number-format.js";
import { uncertifiedStatus } from "../engine/results/uncertified-status.js";
import { parseScenario } from "../engine/scenario/load.js";
import { formatJsonPath, getPath } from "../engine/scenario/overrides.js";
import { acceptsNumberAt, ScenarioSchema } from "../engine/scenario/schema.js";
import type { Scenario } from "../engine/scenario/spec-types.js";
import { solveScenario } from "../solvers/solve.js";
import { buildBuyers } from "../engine/distributions/from-spec.js";
import type { TypeDistribution } from "../engine/distributions/types.js";
import { isDiagnosticScalar, OPTIMALITY_GAP_SCALAR, type ScalarValue } from "../solvers/types.js";
import { pointScenarioBuilder, type PointScenarioBuilder, type ValidationMode } from "./point-scenario.js";
import { kernelPlan, planData, solveKernelRange, type KernelPlan } from "./sweep-kernel.js";
import type { FormattedRows, InOrderCurve } from "./sweep-rows.js";
import { finishKernelRange, type KernelJob } from "./kernel-range.js";
import type { BufferPool } from "./buffer-pool.js";
import { buildSweepGrid, pointValues, type SweepGrid } from "./sweep-grid.js";

/** What a worker needs to solve any point: plain data, cloned once per thread. */
export interface SweepJob {
  /** the base scenario's JSON after --set (with its sweep block) */
  raw: unknown;
  outputs: string[];
  /** curve columns kept per point (sweep.curves); empty for scalars only */
  curves: string[];
  validation?: ValidationMode;
  /** `--work-limit` (ms): each point's estimated computing time allowed; default the engine's */
  workLimitMs?: number;
  /** false: never use the batch kernel (tests compare both paths) */
  batchKernel?: boolean;
  /** format each range's CSV rows where it is solved (a fresh sweep streams them: sweep-stream.ts) */
  text?: { curves: InOrderCurve[] };
  /** the batch kernel's plan as plain data, set by the main thread once it has checked the
   *  scenario: a worker thread then solves with kernel-range.ts alone (no schema, no solvers) */
  kernel?: KernelJob;
}

export interface SweepContext {
  readonly job: SweepJob;
  readonly base: Scenario;
  readonly grid: SweepGrid;
  readonly builder: PointScenarioBuilder;
  /** the batch kernel's plan when every point is of its kind */
  readonly kernel?: KernelPlan;
  /** the buyers' distribution, when no point changes it (built once, shared by every point) */
  readonly buyers?: TypeDistribution;
}

/** The result of one range [start, end). */
export interface RangeResult {
  start: number;
  end: number;
  /** (end − start) × outputs.length values, point-major; NaN for failed points */
  values: Float64Array;
  /** offsets (from start) of failed points and their statuses */
  failedAt: number[];
  failedStatus: string[];
  /** long-format curve lines `point,theta,col…\n` of the range's successful points */
  curveLines: string;
  /** the range's sweep.csv rows and in-order curve rows, with job.text */
  text?: FormattedRows;
  /** seconds spent solving, for adaptive batch sizes */
  seconds: number;
}

/** `problems`: where a swept path the scenario has no number for is reported (`lpe validate`,
 *  which goes on to check the output names); without it, that throws InputError. */
export function makeSweepContext(job: SweepJob, problems?: { path: string; message: string }[]): SweepContext {
  // a sweep draws its own figures, not the scenario's (whose re-solves the size check would
  // otherwise hold against the sweep, as `lpe solve` draws them)
  const base = parseScenario(job.raw, { figures: false, sweepPoints: true, workLimitMs: job.workLimitMs });
  if (!base.sweep) throw new InputError("sweep", "the scenario has no sweep block: add sweep.params and sweep.outputs");
  const grid = buildSweepGrid(base.sweep);
  const missing = missingTargets(base, grid);
  if (missing.length > 0 && !problems) throw new InputError(missing[0].path, missing[0].message);
  problems?.push(...missing);
  const builder = pointScenarioBuilder(job.raw, base, grid, job.validation, job.workLimitMs);
  if (missing.length === 0) {
    const structural = structuralFailure(base, grid, builder);
    if (structural && !problems) throw new InputError(structural.path, structural.message);
    if (structural) problems?.push(structural);
  }
  const kernel = job.batchKernel !== false && builder.mode === "fast" ? kernelPlan(base, grid, job.outputs, job.curves) : undefined;
  return { job, base, grid, builder, kernel, buyers: sharedBuyers(base, grid) };
}

/**
 * Refuses a swept path that this scenario has no number for, although other kinds of market or
 * law do (the schema-wide check of the sweep block lets market.fringe.cost through in a
 * monopoly): every grid point would fail alike, so it is a typo, named before anything runs.
 * (`lpe solve` of the same file ignores its sweep block, as before.)
 */
function missingTargets(base: Scenario, grid: SweepGrid): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  grid.segments.forEach((segs, k) => {
    if (getPath(base, segs) !== undefined) return;
    // (the schema narrowed by this scenario's own kinds: its market, its law)
    if (acceptsNumberAt(segs, ScenarioSchema, base)) return;
    let i = 0;
    while (i < segs.length && getPath(base, segs.slice(0, i + 1)) !== undefined) i++;
    const where = i === 0 ? "the scenario" : formatJsonPath(segs.slice(0, i));
    out.push({
      path: `sweep.params["${grid.paths[k]}"]`,
      message: `${where} has no field "${String(segs[i])}" in this scenario (other kinds of market or type law have one: check market.kind and buyers); every grid point would fail`,
    });
  });
  return out;
}

/**
 * A swept path the base scenario lacks whose setting breaks the structure around it (a
 * `buyers.profiles.samples` beside `buyers.theta`, a `technology.aggregate.kappa` without its
 * γ beside token classes, `units.currencyPerCostUnit` without `units.currency`): the first and
 * the last grid point fail with the same message at that path's parent or above, so every
 * point would; refused before anything runs, as a typo. Failures that depend on the value
 * (a cost below 0 at one end) differ between the two points and stay failed rows.
 */
/**
 * The estimated seconds of one point of the sweep (engine/scenario/limits.ts estimateWork, scalars
 * only): the larger of the grid's first and last points, where every parameter takes its first
 * and its last value (a sweep over market.count from 40 to 50 was estimated at the scenario's own
 * count of 3 tiers, and its points, 7 s each, ran on the main thread, where Ctrl-C waits for
 * them: a reviewer's). A point that does not build counts for nothing.
 */
export function pointSecondsEstimate(ctx: SweepContext, estimate: (s: Scenario) => number): number {
  const { grid, builder } = ctx;
  let most = estimate(ctx.base);
  if (grid.size === 0) return most;
  const values = new Float64Array(grid.paths.length);
  for (const i of grid.size > 1 ? [0, grid.size - 1] : [0]) {
    pointValues(grid, i, values);
    try {
      most = Math.max(most, estimate(builder.build(values)));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
    }
  }
  return most;
}

function structuralFailure(base: Scenario, grid: SweepGrid, builder: PointScenarioBuilder): { path: string; message: string } | undefined {
  if (grid.size === 0) return undefined;
  const fail = (i: number): InputError | undefined => {
    const values = new Float64Array(grid.paths.length);
    pointValues(grid, i, values);
    try {
      builder.build(values);
      return undefined;
    } catch (e) {
      if (e instanceof InputError) return e;
      throw e;
    }
  };
  const first = fail(0);
  if (!first) return undefined;
  const last = grid.size > 1 ? fail(grid.size - 1) : first;
  if (!last || last.message !== first.message) return undefined;
  const at = first.path;
  for (let k = 0; k < grid.segments.length; k++) {
    const segs = grid.segments[k];
    if (getPath(base, segs) !== undefined) continue;
    const path = grid.paths[k];
    const parent = formatJsonPath(segs.slice(0, -1));
    const under = (p: string, root: string) => root === "" || p === root || p.startsWith(`${root}.`) || p.startsWith(`${root}[`);
    if (under(at, parent) || under(path, at)) {
      return { path: `sweep.params["${path}"]`, message: `this scenario has no such parameter: setting it gives "${first.message}" at every grid point` };
    }
  }
  return undefined;
}

/** The job's kernel plan as plain data for the worker threads (kernel-range.ts), when it has one;
 *  read after job.text is set. */
export function kernelJobOf(ctx: SweepContext): KernelJob | undefined {
  return ctx.kernel && ctx.base.sweep ? { sweep: ctx.base.sweep, plan: planData(ctx.kernel), outputs: ctx.job.outputs, text: ctx.job.text } : undefined;
}

/** The buyers' distribution of every point, when no swept parameter changes it (else undefined). */
function sharedBuyers(base: Scenario, grid: SweepGrid): TypeDistribution | undefined {
  const paths = grid.segments.map((s) => s.join("."));
  // value–scale and sampled types also depend on σ, sampled ones on the seed
  const uses = "theta" in base.buyers ? ["buyers"] : ["buyers", "technology.sigma", "seed"];
  if (paths.some((p) => uses.some((u) => p === u || p.startsWith(`${u}.`)))) return undefined;
  try {
    return buildBuyers(base.buyers, base.technology.sigma, base.seed);
  } catch {
    return undefined; // each point reports it
  }
}

/** A scalar as a CSV number: booleans as 1/0, missing/null as NaN. */
export function scalarNumber(v: ScalarValue | undefined): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  return NaN;
}

/** The status cell of a failed point: one line naming the kind of failure and its cause. */
export function failureStatus(e: unknown): string {
  let s: string;
  if (e instanceof InputError) s = `bad input: ${e.message}`;
  else if (e instanceof NumericalError) s = `numerical: ${e.message}`;
  else s = `error: ${e instanceof Error ? e.message : String(e)}`;
  return s.replace(/[\r\n]+/g, " ").trim();
}


/** Solve grid points [start, end); result buffers come from `buffers` when given. */
export function solveRange(ctx: SweepContext, start: number, end: number, buffers?: BufferPool): RangeResult {
  const t0 = performance.now();
  const { grid, builder } = ctx;
  const outputs = ctx.job.outputs;
  const curves = ctx.job.curves;
  const K = outputs.length;
  const values = new Float64Array(buffers ? buffers.take(8 * (end - start) * K) : new ArrayBuffer(8 * (end - start) * K), 0, (end - start) * K);
  const params = new Float64Array(grid.paths.length);
  const failedAt: number[] = [];
  const failedStatus: string[] = [];
  let curveLines = "";
  const scalarsOnly = curves.length === 0;
  const kernel = ctx.kernel;
  const codes = kernel ? new Uint8Array(end - start) : undefined;
  if (kernel) solveKernelRange(kernel, grid, start, end, values, codes!);
  for (let i = start; i < end; i++) {
    const o = (i - start) * K;
    // solved by the kernel (closed forms: certified): finishKernelRange checks its outputs
    if (codes && codes[i - start] === 0) continue;
    pointValues(grid, i, params);
    try {
      const sol = solveScenario(builder.build(params), { scalarsOnly, observables: outputs, buyers: ctx.buyers });
      const sc = sol.scalars;
      let notFinite = "";
      for (let k = 0; k < K; k++) {
        const v = scalarNumber(sc[outputs[k]]);
        // (an infinite optimalityGap is the certificate's verdict, said by the status below)
        // (nor is a diagnostic closed form's ±∞: its cell stays empty, types.ts isDiagnosticScalar)
        if (!Number.isFinite(v) && sc[outputs[k]] !== null && outputs[k] !== OPTIMALITY_GAP_SCALAR && !isDiagnosticScalar(outputs[k])) notFinite += (notFinite ? ", " : "") + outputs[k];
        values[o + k] = Number.isFinite(v) ? v : NaN;
      }
      if (notFinite) {
        failedAt.push(i - start);
        failedStatus.push(`not finite: ${notFinite}`);
        continue;
      }
      // A menu that fails its a-posteriori checks (IC, IR, envelope, monotonicity) is no valid
      // mechanism: the row fails, and says which check, its numbers kept as `lpe solve` writes
      // them beside "checks: FAILED". Until 7 Dec 2026 such rows said "uncertified (no optimality
      // bound)", and before that, in the monopoly markets whose sweep points were not checked, ok.
      if (!sol.checks.passed) {
        failedAt.push(i - start);
        failedStatus.push(`checks failed: ${sol.checks.failures[0] ?? "a check failed"}`);
      }
      // A row that is feasible but not proven optimal keeps its numbers and says so.
      else if (!sol.certificate.certified) {
        failedAt.push(i - start);
        failedStatus.push(uncertifiedStatus(sol.certificate.optimalityGap, sol.certificate.uncertifiedParts, sol.certificate.reportedMenu));
      }
      if (!scalarsOnly) curveLines += curveText(i, sol.curves.theta, curves.map((c) => sol.curves.columns[c]));
    } catch (e) {
      for (let k = 0; k < K; k++) values[o + k] = NaN;
      failedAt.push(i - start);
      failedStatus.push(failureStatus(e));
    }
  }
  const result: RangeResult = { start, end, values, failedAt, failedStatus, curveLines, seconds: 0 };
  finishKernelRange(result, codes, outputs, grid, ctx.job.text, buffers);
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}

function curveText(index: number, theta: Float64Array, cols: (Float64Array | undefined)[]): string {
  let s = "";
  const prefix = `${index},`;
  for (let j = 0; j < theta.length; j++) {
    s += prefix + formatNumber(theta[j]);
    for (const c of cols) s += "," + (c ? formatNumber(c[j]) : "");
    s += "\n";
  }
  return s;
}
