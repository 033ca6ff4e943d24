// The piscina worker: one thread's share of a sweep. The job (base scenario, outputs) arrives
// once per thread as workerData, so a task is just a grid range {start, end}; the answer's
// values travel back as a transferred Float64Array buffer (no copy), statuses as strings.
// Errors that are not a point's own (a job the thread cannot even set up) come back as plain
// {code, message, path} data, since class instances do not survive the thread boundary.

import { move, transferableSymbol, valueSymbol, workerData } from "piscina";
import { InputError, NumericalError, type ErrorData } from "../engine/errors.js";
import { makeSweepContext, solveRange, type RangeResult, type SweepContext, type SweepJob } from "./sweep-point.js";

export interface RangeTask {
  start: number;
  end: number;
}

export type WorkerAnswer = { ok: true; result: RangeResult } | { ok: false; error: ErrorData };

let ctx: SweepContext | undefined;
let setupError: ErrorData | undefined;

function errorData(e: unknown): ErrorData {
  if (e instanceof InputError || e instanceof NumericalError) return e.toData();
  return { code: "NUMERICAL", message: e instanceof Error ? e.message : String(e), path: "sweep worker" };
}

try {
  ctx = makeSweepContext(workerData as SweepJob);
} catch (e) {
  setupError = errorData(e);
}

export default function runTask(task: RangeTask): unknown {
  if (!ctx) return { ok: false, error: setupError ?? { code: "NUMERICAL", message: "sweep worker not set up" } } satisfies WorkerAnswer;
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
