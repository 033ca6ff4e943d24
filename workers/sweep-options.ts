// The options of `lpe sweep` as the CLI hands them over (yargs gives both spellings of
// dashed options), and the check of whole-number options.

import { availableParallelism } from "node:os";
import { InputError } from "../engine/errors.js";
import { largestGap } from "../engine/results/uncertified-status.js";

export interface SweepArgs {
  file: string;
  workers?: number;
  out?: string;
  resume?: boolean;
  shard?: string;
  batchSize?: number;
  "batch-size"?: number;
  emitSlurm?: boolean;
  "emit-slurm"?: boolean;
  set?: string[];
  /** --emit-slurm resources (defaults: workers/slurm-resources.ts) */
  cpusPerTask?: number;
  "cpus-per-task"?: number;
  time?: string;
  mem?: string;
  unset?: string[];
  /** draw figures of the curves (default true) */
  figures?: boolean;
  /** --work-limit: seconds of estimated computing allowed per point, or "none" */
  workLimit?: string;
  "work-limit"?: string;
}

/** A whole number ≥ 1, or undefined when the option is absent; InputError names the option. */
export function positiveInt(x: unknown, option: string): number | undefined {
  if (x === undefined) return undefined;
  // (the option parser has already turned text such as "abc" into NaN)
  if (typeof x !== "number" || !Number.isInteger(x) || x < 1) throw new InputError(option, `expected a whole number ≥ 1, got ${Number.isNaN(x) ? "text that is not a number" : String(x)}`);
  return x;
}

/** The note for `--workers N` above the cores this process may use. */
export function oversubscribed(workers: number, cores: number): string {
  return `--workers ${workers} is more than the ${cores} core${cores === 1 ? "" : "s"} this process may use: using ${cores} (more threads would add memory and start-up time and solve nothing faster; the results are the same)`;
}

/**
 * The workers to run for `--workers N` (default: every core): at most the cores this process may
 * use. Each pool thread holds its own copy of the engine (~8 MB, and its start-up): a
 * reviewer's `--workers 1000` on 2 cores started 1000 threads and took 8 GB. The files are the
 * same bytes for any number of workers, so capping changes nothing but time and memory.
 */
export function workerCount(requested: number | undefined, cores: number = availableParallelism()): number {
  return Math.min(requested ?? cores, cores);
}

/**
 * Exit status of a sweep (or merge) that finished and wrote every row, but in which some points
 * failed (their status cell says why): distinct from 1 (nothing usable), 2 (bad input, nothing
 * written) and 3 (the machine refused), so scripts can tell a partial grid from a failed run. A
 * `--shard` run exits 0 then: the merge reports the whole grid's failures.
 */
export const EXIT_POINTS_FAILED = 4;

/** ", N failed, M not certified (see the status column)" for a finished sweep's non-ok points
 *  (status → count), or ", all certified optimal to 1e-9 of profit" when every point is ok (a
 *  reviewer could not tell a certified sweep from one never checked): an uncertified point
 *  (numbers kept, not proven optimal) is not a failed one, and the line says which is which. */
export function pointProblems(failures: ReadonlyMap<number, string>): string {
  if (failures.size === 0) return ALL_CERTIFIED;
  const uncertified = uncertifiedCount(failures);
  return problemCounts(failures.size - uncertified, uncertified);
}

const ALL_CERTIFIED = ", all certified optimal to 1e-9 of profit";

/** How many of a sweep's non-ok points are not certified optimal (the rest failed). */
export function uncertifiedCount(failures: ReadonlyMap<number, string>): number {
  let n = 0;
  for (const status of failures.values()) if (status.startsWith("uncertified")) n++;
  return n;
}

/** sweep.json's `largestOptimalityGap` (null gap: no finite bound), or undefined when every point is certified. */
export function largestGapRecord(failures: ReadonlyMap<number, string>): { gap: number | null; point: number } | undefined {
  const g = largestGap(failures);
  return g && { gap: Number.isFinite(g.gap) ? g.gap : null, point: g.point };
}

/** The warning of a finished sweep or merge with uncertified points (for stderr, as `lpe solve`
 *  says NOT CERTIFIED), or undefined when there are none. */
export function uncertifiedWarning(failures: ReadonlyMap<number, string>, points: number): string | undefined {
  const n = uncertifiedCount(failures);
  const largest = largestGap(failures);
  if (n === 0 || !largest) return undefined;
  const gap = Number.isFinite(largest.gap) ? `largest optimality gap ${largest.gap.toExponential(2)} of profit, at point ${largest.point}` : `point ${largest.point} has no finite optimality bound`;
  return (
    `NOT CERTIFIED: ${n} of ${points} point${points === 1 ? " is" : "s are"} not certified optimal to 1e-9 of profit (${gap}): ` +
    `their numbers are those of the best menu found, whose profit is within the gap of the optimum (the other outputs have no such bound); the status column gives each point's gap (docs/certificates.md)`
  );
}

/** ", N failed, M not certified optimal (see the status column)", or "" for none. */
export function problemCounts(failed: number, uncertified: number): string {
  if (failed + uncertified === 0) return "";
  const parts = [...(failed > 0 ? [`${failed} failed`] : []), ...(uncertified > 0 ? [`${uncertified} not certified optimal`] : [])];
  return `, ${parts.join(", ")} (see the status column)`;
}

/**
 * LPE_POOL_MIN_SECONDS: the least work left (seconds at the main thread's speed) for which a
 * general sweep hands batches to its worker threads (sweep-runner.ts POOL_MIN_SECONDS); 0 uses
 * them from the first batch, the main thread waiting for one to be ready, however short the
 * sweep (the tests of identical bytes across workers use it). Undefined when unset; a value
 * that is not a number ≥ 0 is bad input.
 */
export function poolMinSecondsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const v = env.LPE_POOL_MIN_SECONDS;
  if (v === undefined || v === "") return undefined;
  const x = Number(v);
  if (!(x >= 0 && Number.isFinite(x))) throw new InputError("LPE_POOL_MIN_SECONDS", `expected a number of seconds ≥ 0, got "${v}"`);
  return x;
}
