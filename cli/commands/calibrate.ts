// `lpe calibrate FILE [--out DIR] [--workers N] [--set PATH=VALUE]… [--unset PATH]… [--no-figures]`: fit the
// scenario's `calibrate` block (free parameters, targets) by least squares from a seeded
// multistart design and write DIR/<name>/calibrated.json, calibration.json, calibration.csv
// and figures (workers/calibrate/job.ts). N ≥ 2 workers are N pool threads, this thread handing
// out the fits (so that Ctrl-C is answered at once); one worker is this thread (default N: the
// machine's available parallelism); the pool starts first so its threads load the solvers while
// this one checks the input.

import type { CalibrationPool } from "../../workers/calibrate/pool.js";
import type { CalibrateArgs } from "../../workers/calibrate/job.js";
import { reportError, type Io } from "../io.js";
import { onInterrupt } from "../interrupt.js";

export async function runCalibrate(args: CalibrateArgs, io: Io): Promise<number> {
  let pool: CalibrationPool | undefined;
  // (the job publishes its folder as one set at the end: an interrupted fit leaves the old one)
  const off = onInterrupt(io, () => "the calibration was not finished and nothing of it was published (its files are published together at the end); rerun the command to fit again");
  try {
    const { poolThreads, runCalibrationJob } = await import("../../workers/calibrate/job.js");
    const { oversubscribed, positiveInt, workerCount } = await import("../../workers/sweep-options.js");
    const requested = positiveInt(args.workers, "--workers");
    if (requested !== undefined && requested > workerCount(requested)) io.err(`lpe: note: ${oversubscribed(requested, workerCount(requested))}`);
    const threads = poolThreads(args.workers);
    if (threads > 0) {
      const { loadScenarioFile } = await import("../../engine/scenario/load.js");
      const { startCalibrationPool } = await import("../../workers/calibrate/pool.js");
      // The key names the scenario (after --unset and --set) the threads build their problem from.
      const { parseWorkLimit } = await import("../../engine/scenario/limits.js");
      const workLimitMs = parseWorkLimit(args.workLimit ?? args["work-limit"]);
      const loaded = loadScenarioFile(args.file, args.set ?? [], args.unset ?? [], { workLimitMs });
      pool = await startCalibrationPool(threads, loaded.sha256, loaded.raw, workLimitMs);
    }
    return await runCalibrationJob(args, io, pool, async (dir, scenario, data) => {
      const { calibrationFigures } = await import("../../figures/builders/calibration.js");
      const { writeFigure } = await import("../../figures/write.js");
      const names: string[] = [];
      for (const spec of calibrationFigures(scenario, data)) {
        await writeFigure(dir, spec);
        names.push(spec.name);
      }
      return names;
    });
  } catch (e) {
    return reportError(e, io, args.file);
  } finally {
    off();
    await pool?.close();
  }
}
