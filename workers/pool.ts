// The piscina pool of sweep worker threads. It is started before anything else of a sweep is
// loaded (cli/commands/sweep.ts), so that each thread's start-up — loading the schema and the
// solvers, about as long as the main thread's own — overlaps the main thread's loading and
// validation instead of following it. Hence the job (base scenario, outputs) is not fixed at
// start-up: each task carries it (a few hundred bytes, cloned per batch) with a key, and a
// thread builds its sweep context once per key. N workers are the main thread plus N − 1 pool
// threads (sweep-runner.ts). This module is light (piscina is imported when a pool starts), and
// the worker must be compiled JavaScript, so its file is resolved from the package root
// (dist/workers/sweep-worker.js), which also works when this module runs from sources (tests).

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { InputError, NumericalError, type ErrorData } from "../engine/errors.js";
import type { RangeResult, SweepJob } from "./sweep-point.js";
import type { RangeTask, WorkerAnswer } from "./sweep-worker.js";

/** Solves ranges of one sweep on some threads. */
export interface RangeExecutor {
  readonly threads: number;
  run(start: number, end: number): Promise<RangeResult>;
}

export interface WorkerPool {
  readonly threads: number;
  /** an executor of `job`'s ranges; `key` identifies the job (threads cache its context by key) */
  forJob(job: SweepJob, key: string): RangeExecutor;
  close(): Promise<void>;
}

/** The package root: the nearest folder above this module holding package.json. */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
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
 *  memory down (the 1,000,000-point benchmark's peak RSS) at no measurable cost in speed. */
export const YOUNG_GENERATION_MB = 16;

export async function startPool(threads: number): Promise<WorkerPool> {
  const { Piscina } = await import("piscina");
  const pool = new Piscina({
    filename: pathToFileURL(workerScript()).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  let closed: Promise<void> | undefined;
  return {
    threads,
    forJob(job, key) {
      return {
        threads,
        async run(start, end) {
          const answer = (await pool.run({ key, job, start, end } satisfies RangeTask)) as WorkerAnswer;
          if (!answer.ok) throw fromData(answer.error);
          return answer.result;
        },
      };
    },
    // idempotent: the sweep closes it as soon as the points are solved, the CLI again at exit
    close: () => (closed ??= pool.destroy()),
  };
}
