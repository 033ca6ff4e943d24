// The worker threads of a sweep. They are started before anything else of a sweep is loaded
// (cli/commands/sweep.ts), so that each thread's start-up — loading the schema and the solvers,
// about as long as the main thread's own — overlaps the main thread's loading and validation
// instead of following it. Hence the job (base scenario, outputs) is not fixed at start-up:
// each task carries it (a few hundred bytes) with a key, and a thread builds its sweep context
// once per key. N workers are the main thread plus N − 1 pool threads (sweep-runner.ts).
//
// Each thread works through its tasks in the order they were sent and answers in that order
// (a FIFO per thread), and tasks are handed out in grid order to the thread with the fewest
// outstanding, so batches come back close to grid order: a fresh sweep writes its rows in grid
// order as they arrive (sweep-stream.ts), and holds back only what arrives early. (The general
// task pool used before, piscina, answered one thread's tasks in no particular order, and the
// rows waiting for a late batch grew to hundreds of MB.) Answers carry their buffers as
// transfers; spare buffers ride back with tasks (buffer-pool.ts).
// The worker must be compiled JavaScript, so its file is resolved from the package root
// (dist/…/sweep-worker.js), which also works when this module runs from sources (tests).

import { existsSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../engine/package-root.js";
import { Worker } from "node:worker_threads";
import { InputError, NumericalError, type ErrorData } from "../engine/errors.js";
import type { RangeResult, SweepJob } from "./sweep-point.js";
import type { RangeTask, WorkerAnswer } from "./sweep-worker.js";
import { heldShared, holdAgainIfHeld } from "./young-generation.js";

export { holdYoungGeneration } from "./young-generation.js";

/** Solves ranges of one sweep on some threads. */
export interface RangeExecutor {
  readonly threads: number;
  /** whether a thread has built the job's context and can take a task at once */
  ready(): boolean;
  /** send the job to every thread, to build its context (idempotent) */
  prepare(): void;
  /** prepares, then resolves when a thread is ready (or has failed) */
  whenReady(): Promise<void>;
  /** `spare`: buffers to hand to the thread for reuse (transferred) */
  run(start: number, end: number, spare?: ArrayBuffer[]): Promise<RangeResult>;
}

export interface WorkerPool {
  readonly threads: number;
  /** start `more` threads (a sweep of slow points leaves the main thread free: sweep-job.ts) */
  grow(more: number): void;
  /** an executor of `job`'s ranges; `key` identifies the job (threads cache its context by key) */
  forJob(job: SweepJob, key: string): RangeExecutor;
  close(): Promise<void>;
}


export function workerScript(): string {
  // The bundled worker (scripts/bundle.mjs) starts faster; the tsc output is the fallback.
  const bundled = join(packageRoot(), "dist", "bundle", "workers", "sweep-worker.js");
  if (existsSync(bundled)) return bundled;
  const file = join(packageRoot(), "dist", "workers", "sweep-worker.js");
  if (!existsSync(file)) throw new Error(`the compiled sweep worker ${file} is missing: run \`npm run build\``);
  return file;
}

function fromData(e: ErrorData): Error {
  if (e.code === "BAD_INPUT") {
    const p = e.path ?? "";
    return new InputError(p, p && e.message.startsWith(`${p}: `) ? e.message.slice(p.length + 2) : e.message);
  }
  return new NumericalError(e.path ?? "sweep worker", e.message);
}

/** A sweep point allocates little that lives; a small young generation keeps each thread's
 *  memory down at no measurable cost in speed. 3 MB is V8's smallest (1 MB semi-spaces): a pool
 *  thread's young generation otherwise reached 4 MB in every 10,000,000-point sweep on 2 workers
 *  (the thread's modules load before it holds, sweep-worker.ts), and the sweep's peak memory
 *  was 92–95 MiB against 90–92 (4 runs each); a 30,000-point Beta sweep on the general path
 *  peaked at 115 MB against 102, the γ_F > 0 sweep the same, both as fast (interleaved runs, 7 Dec 2026). */
export const YOUNG_GENERATION_MB = 3;

interface Pending {
  /** a range's result, or undefined for a prepare task */
  resolve: (r: RangeResult | undefined) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  /** the job keys this thread has been sent (a job travels once per thread) */
  keys: Set<string>;
  /** tasks sent and not answered, oldest first (answers come in this order) */
  pending: Pending[];
  /** the thread has loaded its modules (its first message) */
  ready: boolean;
  /** the job keys whose context this thread has built (or failed to build: its tasks then
   *  come back with the error) */
  prepared: Set<string>;
  failure?: Error;
}

function startThread(script: string, onReady: () => void): Slot {
  // setting up its heap, the thread lets young generations grow again: it holds them again if asked (young-generation.ts)
  const worker = new Worker(script, {
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    workerData: { youngGeneration: heldShared() },
  });
  const slot: Slot = { worker, keys: new Set(), pending: [], ready: false, prepared: new Set() };
  const failAll = (e: Error) => {
    slot.failure ??= e;
    for (const p of slot.pending.splice(0)) p.reject(slot.failure);
    onReady();
  };
  worker.on("message", (answer: WorkerAnswer | { ready: true }) => {
    if ("ready" in answer) {
      slot.ready = true;
      onReady();
      return;
    }
    const p = slot.pending.shift();
    if (!p) return;
    if (answer.ok) p.resolve("result" in answer ? answer.result : undefined);
    else p.reject(fromData(answer.error));
  });
  worker.on("error", (e) => failAll(new NumericalError("sweep worker", `a worker thread failed: ${e.message}`)));
  worker.on("exit", (code) => failAll(new NumericalError("sweep worker", `a worker thread stopped (exit code ${code})`)));
  return slot;
}

/** Start `threads` worker threads (they load their modules while the caller goes on). */
export async function startPool(threads: number): Promise<WorkerPool> {
  const script = workerScript();
  let readyWaiters: (() => void)[] = [];
  const onReady = () => {
    for (const w of readyWaiters) w();
    readyWaiters = [];
  };
  const slots = Array.from({ length: threads }, () => startThread(script, onReady));
  // V8 lets every thread's young generation grow again when it sets up a new thread's heap
  // (young-generation.ts), and the main thread, loading its own modules meanwhile (most of what
  // it allocates then survives), grew its young generation to twice the held size in 4 of 6
  // sweeps: so, until the threads are up, it holds again every millisecond it is free (in 6 of 6
  // then it did not grow); the thread's 'online' event comes too late (the main thread is busy
  // loading when the thread starts)
  let rehold: NodeJS.Timeout | undefined;
  const holdWhileStarting = () => {
    rehold ??= setInterval(() => {
      holdAgainIfHeld();
      if (slots.every((s) => s.ready || s.failure)) {
        clearInterval(rehold);
        rehold = undefined;
      }
    }, 1).unref();
  };
  holdWhileStarting();
  let closed: Promise<void> | undefined;
  return {
    get threads() {
      return slots.length;
    },
    grow(more: number) {
      for (let i = 0; i < more; i++) slots.push(startThread(script, onReady));
      holdWhileStarting();
    },
    forJob(job, key) {
      // prepare(): every thread is sent the job and builds its context (for a general job:
      // loads the schema and the solvers, a few hundred ms) while the main thread solves
      // alone; a thread takes ranges only once it has. A range sent to a thread still building
      // would wait there, and the main thread, whose finished batches cannot be written before
      // that earlier range, would soon stop for it (sweep-runner.ts: MAX_BACKLOG). The runner
      // prepares only a sweep long enough to repay a thread (sweep-runner.ts: POOL_MIN_SECONDS).
      const prepare = () => {
        for (const slot of slots) {
          if (slot.failure || slot.keys.has(key)) continue;
          slot.keys.add(key);
          const settled = () => {
            slot.prepared.add(key);
            onReady();
          };
          slot.pending.push({ resolve: settled, reject: settled });
          const task: RangeTask = { key, job, start: 0, end: 0, prepare: true };
          slot.worker.postMessage(task);
        }
      };
      const usable = () => slots.filter((s) => (s.ready && s.prepared.has(key)) || s.failure);
      return {
        get threads() {
          return slots.length;
        },
        ready: () => usable().length > 0,
        prepare,
        whenReady: async () => {
          prepare();
          // (a thread's news may be about another job, or only that it has loaded)
          while (usable().length === 0) await new Promise<void>((resolve) => readyWaiters.push(resolve));
        },
        run(start, end, spare) {
          // a ready thread with the fewest tasks outstanding (the first such: grid order stays close)
          const ready = usable();
          let slot = ready.length > 0 ? ready[0] : slots[0];
          for (const s of ready) if (s.pending.length < slot.pending.length) slot = s;
          if (closed) return Promise.reject(new NumericalError("sweep worker", "the worker pool is closed"));
          if (slot.failure) return Promise.reject(slot.failure);
          return new Promise<RangeResult>((resolve, reject) => {
            slot.pending.push({ resolve: (r) => (r ? resolve(r) : reject(new NumericalError("sweep worker", "a range came back without its result"))), reject });
            const task: RangeTask = { key, job: slot.keys.has(key) ? undefined : job, start, end, spare };
            slot.keys.add(key);
            slot.worker.postMessage(task, spare ?? []);
          });
        },
      };
    },
    // idempotent: the sweep closes it as soon as the points are solved, the CLI again at exit
    close: () => {
      clearInterval(rehold);
      return (closed ??= Promise.all(
        slots.map((s) => {
          s.worker.removeAllListeners("exit");
          s.worker.removeAllListeners("error");
          s.worker.on("error", () => {});
          return s.worker.terminate();
        }),
      ).then(() => undefined));
    },
  };
}
