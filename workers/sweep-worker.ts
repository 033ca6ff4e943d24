// A sweep worker thread: one thread's share of a sweep. Loading this module loads the schema and
// the solvers, which is why the pool starts before the main thread has even read the scenario
// (pool.ts). A task is a grid range {start, end} with its job and the job's key; the thread
// builds the job's context once per key, and answers its tasks one by one in the order they
// came. The answer's values and formatted rows travel back as transferred buffers (no copy),
// statuses as strings; buffers sent along with a task are reused (buffer-pool.ts). Errors that
// are not a point's own (a job the thread cannot even set up) come back as plain
// {code, message, path} data, since class instances do not survive the thread boundary.

import { parentPort } from "node:worker_threads";
import { InputError, NumericalError, type ErrorData } from "../engine/errors.js";
import { prepareSolvers } from "../solvers/solve.js";
import { BufferPool } from "./buffer-pool.js";
import { makeSweepContext, solveRange, type RangeResult, type SweepContext, type SweepJob } from "./sweep-point.js";

export interface RangeTask {
  key: string;
  /** the job, with the first task of its key sent to this thread (later tasks name the key) */
  job?: SweepJob;
  start: number;
  end: number;
  /** buffers of earlier answers, sent back for reuse (buffer-pool.ts) */
  spare?: ArrayBuffer[];
}

export type WorkerAnswer = { ok: true; result: RangeResult } | { ok: false; error: ErrorData };

const buffers = new BufferPool();
/** contexts by job key (the pool sends a job once per thread: pool.ts) */
const contexts = new Map<string, { ctx?: SweepContext; error?: ErrorData }>();

function errorData(e: unknown): ErrorData {
  if (e instanceof InputError || e instanceof NumericalError) return e.toData();
  return { code: "NUMERICAL", message: e instanceof Error ? e.message : String(e), path: "sweep worker" };
}

function contextFor(task: RangeTask): { ctx?: SweepContext; error?: ErrorData } {
  let c = contexts.get(task.key);
  if (!c) {
    try {
      if (!task.job) throw new Error(`sweep worker: no job for key ${task.key}`);
      c = { ctx: makeSweepContext(task.job) };
    } catch (e) {
      c = { error: errorData(e) };
    }
    contexts.set(task.key, c);
  }
  return c;
}

/** Solve one task; the answer and the buffers to transfer with it. */
export async function runTask(task: RangeTask): Promise<{ answer: WorkerAnswer; transfer: ArrayBuffer[] }> {
  for (const b of task.spare ?? []) buffers.give(b);
  const { ctx, error } = contextFor(task);
  if (!ctx) return { answer: { ok: false, error: error ?? { code: "NUMERICAL", message: "sweep worker not set up" } }, transfer: [] };
  try {
    await prepareSolvers(ctx.base);
    const result = solveRange(ctx, task.start, task.end, buffers);
    const t = result.text;
    const transfer = [result.values.buffer, ...(t ? [t.rows.buffer, t.rowEnds.buffer, ...t.curves.map((c) => c.buffer)] : [])] as ArrayBuffer[];
    return { answer: { ok: true, result }, transfer };
  } catch (e) {
    return { answer: { ok: false, error: errorData(e) }, transfer: [] };
  }
}

const port = parentPort;
if (port) {
  // loaded: the pool may send tasks (until then the main thread solves alone, pool.ts)
  port.postMessage({ ready: true });
  // one task at a time, in the order received (answers must come back in that order)
  let queue: Promise<void> = Promise.resolve();
  port.on("message", (task: RangeTask) => {
    queue = queue.then(async () => {
      const { answer, transfer } = await runTask(task);
      port.postMessage(answer, transfer);
    });
  });
}
