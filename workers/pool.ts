// Where sweep ranges are solved: the calling thread itself, and a piscina pool of worker
// threads for the rest (N workers = the main thread + N − 1 pool threads; see sweep-runner.ts).
// One worker runs entirely in-process: no thread start-up, no cloning of the job, no message
// per batch (bench/results.md measures the difference). Piscina is imported only when a pool is
// made, so single-threaded runs never load it. The worker must be compiled JavaScript, so its file is
// resolved from the package root (dist/workers/sweep-worker.js), which also works when this
// module itself runs from TypeScript sources (tests).

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { InputError, NumericalError, type ErrorData } from "../engine/errors.js";
import { makeSweepContext, solveRange, type RangeResult, type SweepContext, type SweepJob } from "./sweep-point.js";
import type { RangeTask, WorkerAnswer } from "./sweep-worker.js";

export interface RangeExecutor {
  readonly threads: number;
  run(start: number, end: number): Promise<RangeResult>;
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
  const file = join(packageRoot(), "dist", "workers", "sweep-worker.js");
  if (!existsSync(file)) throw new Error(`the compiled sweep worker ${file} is missing: run \`npm run build\``);
  return file;
}

function fromData(e: ErrorData): Error {
  return e.code === "BAD_INPUT" ? new InputError(e.path ?? "", e.path && e.message.startsWith(`${e.path}: `) ? e.message.slice(e.path.length + 2) : e.message) : new NumericalError(e.path ?? "sweep worker", e.message);
}

/** Runs ranges on the calling thread; `context` may be shared with the caller. */
export function inProcessExecutor(context: SweepContext): RangeExecutor {
  return {
    threads: 1,
    run: (start, end) => Promise.resolve(solveRange(context, start, end)),
    close: () => Promise.resolve(),
  };
}

export const YOUNG_GENERATION_MB = 8;

export async function poolExecutor(job: SweepJob, threads: number): Promise<RangeExecutor> {
  const { Piscina } = await import("piscina");
  const pool = new Piscina({
    filename: pathToFileURL(workerScript()).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    workerData: job,
    // A sweep point allocates little that lives; a small young generation keeps each thread's
    // memory down (the 1,000,000-point benchmark's peak RSS) at no measurable cost in speed.
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  return {
    threads,
    async run(start, end) {
      const answer = (await pool.run({ start, end } satisfies RangeTask)) as WorkerAnswer;
      if (!answer.ok) throw fromData(answer.error);
      return answer.result;
    },
    close: () => pool.destroy(),
  };
}

export interface Executors {
  local: (start: number, end: number) => RangeResult;
  pool?: RangeExecutor;
}

/** `workers` threads in all: the calling thread (with `context`) and a pool of workers − 1. */
export async function makeExecutors(job: SweepJob, workers: number, context: SweepContext = makeSweepContext(job)): Promise<Executors> {
  const local = (start: number, end: number) => solveRange(context, start, end);
  return workers > 1 ? { local, pool: await poolExecutor(job, workers - 1) } : { local };
}
