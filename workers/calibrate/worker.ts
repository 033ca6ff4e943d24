// The piscina worker of `lpe calibrate`: one task is one local fit (a start of the design, or a
// point of a profile). The thread builds the calibration problem once per key (the scenario's
// hash) and keeps it; answers are plain data ({ok, fit} or {ok: false, error: {code, message,
// path}}), since class instances do not survive the thread boundary.

import { prepareSolvers } from "../../solvers/solve.js";
import { CalibrationProblem } from "./problem.js";
import { taskAnswer, type CalibrationTask, type TaskAnswer } from "./run.js";

export interface PoolTask {
  key: string;
  raw: unknown;
  task: CalibrationTask;
  /** the run's --work-limit (ms), when given */
  workLimitMs?: number;
}

let cached: { key: string; problem?: CalibrationProblem; error?: TaskAnswer } | undefined;

export default async function runPoolTask(t: PoolTask): Promise<TaskAnswer> {
  if (cached?.key !== t.key) {
    try {
      const problem = new CalibrationProblem(t.raw, t.workLimitMs);
      await prepareSolvers(problem.base);
      cached = { key: t.key, problem };
    } catch (e) {
      const err = e as { toData?: () => unknown; message?: string };
      cached = {
        key: t.key,
        error: { ok: false, error: (err.toData?.() as never) ?? { code: "NUMERICAL", message: String(err.message ?? e), path: "calibration worker" } },
      };
    }
  }
  if (!cached.problem) return cached.error as TaskAnswer;
  return taskAnswer(cached.problem, t.task);
}
