// The piscina worker: one thread's share of a sweep. Loading this module loads the schema and
// the solvers, which is why the pool starts before the main thread has even read the scenario
// (pool.ts). A task is a grid range {start, end} with its job and the job's key; the thread
// builds the job's context once per key. The answer's values travel back as a transferred
// Float64Array buffer (no copy), statuses as strings. Errors that are not a point's own (a job
// the thread cannot even set up) come back as plain {code, message, path} data, since class
// instances do not survive the thread boundary.

import { move, transferableSymbol, valueSymbol } from "piscina";
import { InputError, NumericalError, type ErrorData } from "../engine/errors.js";
import { prepareSolvers } from "../solvers/solve.js";
import { makeSweepContext, solveRange, type RangeResult, type SweepContext, type SweepJob } from "./sweep-point.js";

export interface RangeTask {
  key: string;
  job: SweepJob;
  start: number;
  end: number;
}

export type WorkerAnswer = { ok: true; result: RangeResult } | { ok: false; error: ErrorData };

let cached: { key: string; ctx?: SweepContext; error?: ErrorData } | undefined;

function errorData(e: unknown): ErrorData {
  if (e instanceof InputError || e instanceof NumericalError) return e.toData();
  return { code: "NUMERICAL", message: e instanceof Error ? e.message : String(e), path: "sweep worker" };
}

function contextFor(task: RangeTask): { ctx?: SweepContext; error?: ErrorData } {
  if (cached?.key !== task.key) {
    try {
      cached = { key: task.key, ctx: makeSweepContext(task.job) };
    } catch (e) {
      cached = { key: task.key, error: errorData(e) };
    }
  }
  return cached;
}

export default async function runTask(task: RangeTask): Promise<unknown> {
  const { ctx, error } = contextFor(task);
  if (ctx) await prepareSolvers(ctx.base);
  if (!ctx) return { ok: false, error: error ?? { code: "NUMERICAL", message: "sweep worker not set up" } } satisfies WorkerAnswer;
  const result = solveRange(ctx, task.start, task.end);
  const answer: WorkerAnswer = { ok: true, result };
  return move({
    get [transferableSymbol]() {
      return [result.values.buffer];
    },
    get [valueSymbol]() {
      return answer;
    },
  } as never);
}
