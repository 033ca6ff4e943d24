// The thread pool of `lpe calibrate` (piscina, like the sweep's workers/pool.ts): N ≥ 2 workers are
// N pool threads, each running whole fits (calibrate/worker.ts), while the calling thread hands
// them out (and answers Ctrl-C at once); one worker is the calling thread alone (job.ts).
// The worker must be compiled JavaScript: the bundled file when present, else tsc's output.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { packageRoot } from "../../engine/package-root.js";
import type { CalibrationTask, TaskAnswer, TaskExecutor } from "./run.js";
import type { PoolTask } from "./worker.js";

export function calibrationWorkerScript(): string {
  const bundled = join(packageRoot(), "dist", "bundle", "workers", "calibrate-worker.js");
  if (existsSync(bundled)) return bundled;
  const file = join(packageRoot(), "dist", "workers", "calibrate", "worker.js");
  if (!existsSync(file)) throw new Error(`the compiled calibration worker ${file} is missing: run \`npm run build\``);
  return file;
}

export interface CalibrationPool extends TaskExecutor {
  close(): Promise<void>;
}

/** A pool of `threads` threads solving tasks of the calibration identified by `key`. */
export async function startCalibrationPool(threads: number, key: string, raw: unknown, workLimitMs?: number): Promise<CalibrationPool> {
  const { Piscina } = await import("piscina");
  const pool = new Piscina({
    filename: pathToFileURL(calibrationWorkerScript()).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
  });
  let closed: Promise<void> | undefined;
  return {
    threads,
    run: (task: CalibrationTask) => pool.run({ key, raw, task, workLimitMs } satisfies PoolTask) as Promise<TaskAnswer>,
    close: () => (closed ??= pool.destroy()),
  };
}
