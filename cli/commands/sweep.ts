// `lpe sweep FILE [--workers N] [--out DIR] [--resume] [--shard I/N] [--batch-size B]
// [--emit-slurm] [--set PATH=VALUE]…`: run the scenario's sweep grid and write
// DIR/<name>/sweep.csv (or DIR/<name>/shard-I-of-N/ for a shard), streaming rows to disk as
// they finish. N workers are the main thread and N − 1 pool threads (default N: the machine's
// available parallelism). This module is deliberately light: it starts the pool first, so the
// threads load the solvers while the main thread loads the rest (workers/sweep-job.ts) and
// checks the input; everything wrong with the input is still reported (exit 2) before anything
// is written. Ctrl-C stops cleanly (exit 130) and `--resume` finishes the sweep later.

import type { WorkerPool } from "../../workers/pool.js";
import { oversubscribed, positiveInt, workerCount, type SweepArgs } from "../../workers/sweep-options.js";
import { onInterrupt } from "../interrupt.js";
import { reportError, type Io } from "../io.js";

export type { SweepArgs } from "../../workers/sweep-options.js";

export async function runSweep(args: SweepArgs, io: Io): Promise<number> {
  let pool: WorkerPool | undefined;
  // Ctrl-C while the sweep loads and checks its input (before its own handler, which says what
  // is kept and how to resume: workers/sweep-job.ts) said nothing and exited 130 (a reviewer's)
  let startUp: (() => void) | undefined = onInterrupt(io, () => "no point had been solved: run the command again (with --resume if it says the folder holds an unfinished sweep)");
  const handOver = () => {
    startUp?.();
    startUp = undefined;
  };
  try {
    const requested = positiveInt(args.workers, "--workers");
    const local = !(args.emitSlurm ?? args["emit-slurm"]);
    // more threads than cores: each costs ~8 MB and its start-up and gains nothing (a reviewer's
    // --workers 64 on 2 cores took 5× the time and 680 MB, --workers 1000 took 8 GB): capped
    // at the cores, and said (not refused: the same command may run on a bigger machine)
    const workers = workerCount(requested);
    if (local && requested !== undefined && requested > workers) io.err(`lpe: note: ${oversubscribed(requested, workers)}`);
    if (workers > 1 && local) {
      const { holdYoungGeneration, startPool } = await import("../../workers/pool.js");
      // before the modules load: the threads' young generations stay small (workers/young-generation.ts)
      holdYoungGeneration(true);
      pool = await startPool(workers - 1);
    }
    const { runSweepJob } = await import("../../workers/sweep-job.js");
    const { startFigureDrawer } = await import("../../figures/figure-drawer.js");
    return await runSweepJob(args, io, pool, startFigureDrawer, handOver);
  } catch (e) {
    return reportError(e, io, args.file);
  } finally {
    handOver();
    await pool?.close();
  }
}
