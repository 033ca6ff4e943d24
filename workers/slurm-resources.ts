// What the jobs of `lpe sweep --emit-slurm` ask SLURM for: CPUs, memory and time per array
// task, and memory and time for the merge. A request too small gets a job killed; one too
// large waits in the queue (or forever, when no node has that many CPUs). The defaults come
// from the sweep's size and from timing a sample of its own points on the machine that emits
// the script (its cost per point varies a thousandfold between a monopoly and a general
// leader–fringe point), with a safety factor for slower compute nodes. The memory figures are
// calibrated on measured runs (README "Sweeps on a cluster"): a shard process needs about
// 120 MB plus 45 MB per extra worker thread; the merge about 160 MB plus ~400 bytes per point up to 100,000 points (above, its rows are streamed).
// The user's --cpus-per-task, --time and --mem replace the defaults, checked for SLURM's syntax.

import { MAX_CURVE_FILE_POINTS } from "../engine/scenario/limits.js";
import { InputError } from "../engine/errors.js";
import { solveRange, type SweepContext } from "./sweep-point.js";

/** SLURM's default MaxArraySize is 1001, so array task indices stop at 1000. */
export const MAX_ARRAY_TASKS = 1000;
/** The most CPUs a task gets by default (more shards parallelise better than more threads). */
export const MAX_DEFAULT_CPUS = 4;
/** A shard that takes longer than this on one CPU gets more CPUs by default. */
export const TARGET_TASK_SECONDS = 3600;
/** Estimates are multiplied by this for the requests: compute nodes may be slower than the emitting machine. */
export const SAFETY = 3;
/** The shortest time asked for (short requests gain little and risk much). */
export const MIN_TIME_SECONDS = 15 * 60;
/** The least memory asked for, MB. */
export const MIN_MEM_MB = 1024;

/** Measured cost of one sweep point on this machine, from a sample spread over the grid. */
export interface PointSample {
  points: number;
  secondsPerPoint: number;
  /** bytes of sweep-curves.csv text per point (0 without sweep.curves) */
  curveBytesPerPoint: number;
}

/**
 * Solve up to `max` points spread evenly over the grid twice, within about `budgetSeconds`: the
 * first pass warms the solvers' code up (a cold first pass measured 10x the steady cost of a
 * monopoly point), the second is timed. Returns the seconds and the curve text per point. When
 * the warm-up alone reaches the budget (points of seconds, whose warm-up is a small part of
 * them), its own timing is the sample: solving the same point again on the login node only
 * doubled the wait (a reviewer's 11-s points kept --emit-slurm busy for 57 s). `solve`: for tests.
 */
export function samplePoints(ctx: SweepContext, max = 24, budgetSeconds = 1.5, solve: typeof solveRange = solveRange): PointSample {
  const size = ctx.grid.size;
  const n = Math.max(1, Math.min(max, size));
  const at = Array.from({ length: n }, (_, k) => Math.min(size - 1, Math.floor(((k + 0.5) * size) / n)));
  let spent = 0;
  let warmed = 0;
  let warmBytes = 0;
  for (const i of at) {
    if (warmed > 0 && spent >= budgetSeconds / 2) break;
    const r = solve(ctx, i, i + 1);
    spent += r.seconds;
    warmBytes += Buffer.byteLength(r.curveLines, "utf8");
    warmed++;
  }
  // (cold, so if anything longer than the steady cost: a safe side for a request to SLURM)
  if (spent >= budgetSeconds) return { points: warmed, secondsPerPoint: spent / warmed, curveBytesPerPoint: warmBytes / warmed };
  let seconds = 0;
  let curveBytes = 0;
  let points = 0;
  for (const i of at.slice(0, warmed)) {
    if (points > 0 && spent + seconds >= budgetSeconds) break;
    const r = solve(ctx, i, i + 1);
    seconds += r.seconds;
    curveBytes += Buffer.byteLength(r.curveLines, "utf8");
    points++;
  }
  return { points, secondsPerPoint: seconds / points, curveBytesPerPoint: curveBytes / points };
}

export interface TaskResources {
  cpusPerTask: number;
  /** SLURM --mem value, e.g. "1G" */
  mem: string;
  /** SLURM --time value, e.g. "00:15:00" */
  time: string;
}

export interface SlurmPlan {
  shards: number;
  /** points of the largest shard */
  pointsPerShard: number;
  task: TaskResources;
  merge: { mem: string; time: string };
  /** estimates before the safety factor, for the script's header and the README's figures */
  estimate: { taskSeconds: number; taskMemMB: number; mergeSeconds: number; mergeMemMB: number };
  /** set when the requested shard count was lowered to the grid's number of points */
  pointsCapFrom?: number;
  /** set when the requested shard count was lowered to MAX_ARRAY_TASKS */
  cappedFrom?: number;
}

/** Seconds as SLURM's [D-]HH:MM:SS. */
export function formatSlurmTime(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const two = (x: number) => String(x).padStart(2, "0");
  return `${d > 0 ? `${d}-` : ""}${two(h)}:${two(m)}:${two(s % 60)}`;
}

/** MB as SLURM's memory size: whole GB when it is one, else MB. */
export function formatSlurmMem(mb: number): string {
  const m = Math.ceil(mb);
  return m % 1024 === 0 ? `${m / 1024}G` : `${m}M`;
}

const roundUp = (x: number, step: number) => Math.ceil(x / step) * step;

/** A --time value as SLURM reads it: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS. */
export function checkSlurmTime(x: unknown, option = "--time"): string {
  const s = String(x).trim();
  if (/^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2})$/.test(s) && /[1-9]/.test(s)) return s;
  throw new InputError(option, `expected a SLURM time limit such as 90 (minutes), 04:00:00 or 2-00:00:00, got "${s}"`);
}

/** A --mem value as SLURM reads it: a whole number of MB, or with a K, M, G or T suffix. */
export function checkSlurmMem(x: unknown, option = "--mem"): string {
  const s = String(x).trim();
  if (/^[1-9]\d*[KMGTkmgt]?$/.test(s)) return s.toUpperCase();
  throw new InputError(option, `expected a SLURM memory size such as 4G or 500M, got "${s}"`);
}

/** Memory (MB) of one shard process: measured 118 MB for 100k points on 1 thread, 161 MB on 2. */
export function taskMemMB(points: number, cpus: number, outputs: number, curveBytesPerPoint: number): number {
  return 120 + 45 * (cpus - 1) + (points * (8 * outputs + 48)) / 2 ** 20 + (3 * points * curveBytesPerPoint) / 2 ** 20;
}

/** Memory (MB) of the merge of `points` grid points: measured 154 MB for 21 points, 310 MB for 400k
 *  (4 outputs, figures drawn) when every merge held all rows. Above MAX_CURVE_FILE_POINTS the rows
 *  are streamed (sweep-merge.ts streamMergedRows): 140 MB for 1M and for 4M points with figures
 *  of one dimension, 79 MB without; the estimate then stops growing with the rows (not with the
 *  point curves, whose shard files are still read whole). */
export function mergeMemMB(points: number, outputs: number, curveBytesPerPoint: number): number {
  return 160 + (Math.min(points, MAX_CURVE_FILE_POINTS) * (8 * outputs + 370)) / 2 ** 20 + (2 * points * curveBytesPerPoint) / 2 ** 20;
}

/** Seconds the merge of `points` takes (reading, checking and writing rows, then the figures): measured 16 s for 400k points, 44 s for 1M. */
export function mergeSeconds(points: number, curveBytesPerPoint: number): number {
  return 10 + points * 45e-6 + (points * curveBytesPerPoint) / 50e6;
}

export interface PlanInput {
  gridSize: number;
  outputs: number;
  /** requested shard count (default: about 10,000 points each, at most 16) */
  shards?: number;
  cpusPerTask?: number;
  time?: string;
  mem?: string;
  sample: PointSample;
}

/** The shards and the resources of every job of the script. */
export function planSlurm(p: PlanInput): SlurmPlan {
  const wanted = p.shards ?? Math.max(1, Math.min(16, Math.ceil(p.gridSize / 10_000)));
  // (no more shards than points: a task without a point is an empty job; a reviewer's --shard 500
  // on a 241-point grid wrote 259 of them, "500 shards of up to 1 points")
  const shards = Math.min(wanted, MAX_ARRAY_TASKS, Math.max(1, p.gridSize));
  const pointsPerShard = Math.ceil(p.gridSize / shards);
  const oneCpu = pointsPerShard * p.sample.secondsPerPoint;
  const cpus = p.cpusPerTask ?? Math.max(1, Math.min(MAX_DEFAULT_CPUS, Math.ceil(oneCpu / TARGET_TASK_SECONDS)));
  // threads beyond the first gain ~0.9 each (measured 1.86x on 2 threads)
  const taskSeconds = 10 + oneCpu / (1 + 0.9 * (cpus - 1));
  const taskMem = taskMemMB(pointsPerShard, cpus, p.outputs, p.sample.curveBytesPerPoint);
  const mSeconds = mergeSeconds(p.gridSize, p.sample.curveBytesPerPoint);
  const mMem = mergeMemMB(p.gridSize, p.outputs, p.sample.curveBytesPerPoint);
  const time = (s: number) => formatSlurmTime(Math.max(MIN_TIME_SECONDS, roundUp(SAFETY * s, 300)));
  const mem = (mb: number) => formatSlurmMem(Math.max(MIN_MEM_MB, roundUp(1.5 * mb, 256)));
  return {
    shards,
    pointsPerShard,
    task: { cpusPerTask: cpus, time: p.time ?? time(taskSeconds), mem: p.mem ?? mem(taskMem) },
    merge: { time: time(mSeconds), mem: mem(mMem) },
    estimate: { taskSeconds, taskMemMB: taskMem, mergeSeconds: mSeconds, mergeMemMB: mMem },
    cappedFrom: wanted > MAX_ARRAY_TASKS && shards === MAX_ARRAY_TASKS ? wanted : undefined,
    pointsCapFrom: wanted > shards && shards === p.gridSize && shards < MAX_ARRAY_TASKS ? wanted : undefined,
  };
}
