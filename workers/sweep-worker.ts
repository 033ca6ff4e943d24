// A sweep worker thread: one thread's share of a sweep. A task is a grid range {start, end}
// with its job and the job's key; the thread builds the job's context once per key, and answers
// its tasks one by one in the order they came. The thread starts light: a job of the batch
// kernel's kind (its plan sent by the main thread, kernel-range.ts) is solved with the kernel,
// the grid and the row formatter alone; the schema and the solvers (a few hundred ms to load,
// ~40 MB of heap) are loaded only for a job, or a batch, that takes the general path. The pool
// starts the threads before the main thread has even read the scenario (pool.ts). The answer's
// values and formatted rows travel back as transferred buffers (no copy), statuses as strings;
// buffers sent along with a task are reused (buffer-pool.ts). Errors that are not a point's own
// (a job the thread cannot even set up) come back as plain {code, message, path} data, since
// class instances do not survive the thread boundary.

import { parentPort, workerData } from "node:worker_threads";
import { InputError, NumericalError, type ErrorData } from "../engine/errors.js";
import { BufferPool } from "./buffer-pool.js";
import { kernelContext, primeKernel, resultBuffers, solveKernelOnly, type KernelContext } from "./kernel-range.js";
import type { RangeResult, SweepContext, SweepJob } from "./sweep-point.js";
import { holdIfHeld } from "./young-generation.js";

// V8 let young generations grow again when it set up this thread's heap (young-generation.ts)
const shared = (workerData as { youngGeneration?: Int32Array } | null)?.youngGeneration;
if (shared) holdIfHeld(shared);

export interface RangeTask {
  key: string;
  /** the job, with the first task of its key sent to this thread (later tasks name the key) */
  job?: SweepJob;
  start: number;
  end: number;
  /** buffers of earlier answers, sent back for reuse (buffer-pool.ts) */
  spare?: ArrayBuffer[];
  /** no range: build the job's context now and answer when it is built (pool.ts) */
  prepare?: boolean;
}

export type WorkerAnswer = { ok: true; result: RangeResult } | { ok: true; prepared: true } | { ok: false; error: ErrorData };

const buffers = new BufferPool();

interface JobEntry {
  job?: SweepJob;
  kernel?: KernelContext;
  ctx?: SweepContext;
  error?: ErrorData;
}
/** jobs by key (the pool sends a job once per thread: pool.ts) */
const jobs = new Map<string, JobEntry>();

function errorData(e: unknown): ErrorData {
  if (e instanceof InputError || e instanceof NumericalError) return e.toData();
  return { code: "NUMERICAL", message: e instanceof Error ? e.message : String(e), path: "sweep worker" };
}

function entryFor(task: RangeTask): JobEntry {
  let c = jobs.get(task.key);
  if (!c) {
    try {
      if (!task.job) throw new Error(`sweep worker: no job for key ${task.key}`);
      c = { job: task.job, kernel: task.job.kernel ? kernelContext(task.job.kernel) : undefined };
      // the compiled kernel and formatter see every regime of the grid first (kernel-range.ts)
      if (c.kernel) primeKernel(c.kernel, buffers);
    } catch (e) {
      c = { error: errorData(e) };
    }
    jobs.set(task.key, c);
  }
  return c;
}

/** The job's full context: the schema and the solvers, loaded on first need. */
async function generalContext(c: JobEntry): Promise<SweepContext> {
  if (!c.ctx) {
    const [{ makeSweepContext }, { prepareSolvers }] = await Promise.all([import("./sweep-point.js"), import("../solvers/solve.js")]);
    c.ctx = makeSweepContext(c.job!);
    await prepareSolvers(c.ctx.base);
  }
  return c.ctx;
}

/** Solve one task; the answer and the buffers to transfer with it. */
export async function runTask(task: RangeTask): Promise<{ answer: WorkerAnswer; transfer: ArrayBuffer[] }> {
  for (const b of task.spare ?? []) buffers.give(b);
  const c = entryFor(task);
  if (c.error || !c.job) return { answer: { ok: false, error: c.error ?? { code: "NUMERICAL", message: "sweep worker not set up" } }, transfer: [] };
  try {
    if (task.prepare) {
      // a general job loads the schema and the solvers now, while the main thread solves its
      // first batches, so that the first range sent here is not held up by them
      if (!c.kernel) await generalContext(c);
      return { answer: { ok: true, prepared: true }, transfer: [] };
    }
    let result: RangeResult | undefined = c.kernel ? solveKernelOnly(c.kernel, task.start, task.end, buffers) : undefined;
    if (!result) {
      const ctx = await generalContext(c);
      const { solveRange } = await import("./sweep-point.js");
      result = solveRange(ctx, task.start, task.end, buffers);
    }
    return { answer: { ok: true, result }, transfer: resultBuffers(result) };
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
