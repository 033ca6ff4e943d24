// Measurements behind two design choices of `lpe sweep` (bench/results.md reports them):
//  1. per-point validation: the fast mode (economic checks on the parsed base with the swept
//     numbers set) against full re-validation (zod schema + economic checks from the raw JSON),
//     and the solve itself for scale;
//  2. one worker in-process against a pool of one thread (thread start-up, the
//     worker's own module loading, one message per batch).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadScenarioFile } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";
import { pointScenarioBuilder } from "../workers/point-scenario.js";
import { startPool } from "../workers/pool.js";
import { pointValues } from "../workers/sweep-grid.js";
import { kernelJobOf, makeSweepContext, solveRange, type SweepJob } from "../workers/sweep-point.js";
import { runSweepPoints } from "../workers/sweep-runner.js";
import { SweepStore } from "../workers/sweep-store.js";
import { median } from "./process-timer.js";

export interface ValidationCost {
  points: number;
  fastUs: number;
  fullUs: number;
  solveUs: number;
  chosen: string;
}

/** µs per point of building the point's scenario in each mode, and of solving it (medians of 5 passes). */
export function validationCost(file: string, sets: string[], points: number): ValidationCost {
  const loaded = loadScenarioFile(file, sets);
  const ctx = makeSweepContext({ raw: loaded.raw, outputs: loaded.scenario.sweep!.outputs, curves: [] });
  const n = Math.min(points, ctx.grid.size);
  const v = new Float64Array(ctx.grid.paths.length);
  const fast = pointScenarioBuilder(loaded.raw, ctx.base, ctx.grid, "fast");
  const full = pointScenarioBuilder(loaded.raw, ctx.base, ctx.grid, "full");
  const pass = (f: (i: number) => void): number => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) f(i);
    return ((performance.now() - t0) * 1000) / n;
  };
  const build = (b: typeof fast) => (i: number) => {
    pointValues(ctx.grid, i, v);
    b.build(v);
  };
  const solve = (i: number) => {
    pointValues(ctx.grid, i, v);
    solveScenario(fast.build(v), { scalarsOnly: true });
  };
  const fastT: number[] = [];
  const fullT: number[] = [];
  const solveT: number[] = [];
  for (let r = 0; r < 5; r++) {
    fastT.push(pass(build(fast)));
    fullT.push(pass(build(full)));
    solveT.push(pass(solve));
  }
  return { points: n, fastUs: median(fastT), fullUs: median(fullT), solveUs: median(solveT) - median(fastT), chosen: ctx.builder.mode };
}

export interface ExecutorCost {
  points: number;
  inProcessSeconds: number;
  pool1Seconds: number;
}

type Runners = Omit<Parameters<typeof runSweepPoints>[0], "store"> & { close?: () => Promise<void> };

async function timeRun(job: SweepJob, n: number, make: () => Promise<Runners>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "lpe-bench-exec-"));
  try {
    const t0 = performance.now();
    const identity = { name: "b", engineVersion: "b", scenarioSha256: "b", gridSha256: "b", gridSize: n, params: [], outputs: job.outputs, curves: [], shard: null };
    const { store } = SweepStore.open(dir, identity, 0, n, { resume: false });
    const run = await make();
    await runSweepPoints({ ...run, store });
    await run.close?.();
    store.close();
    return (performance.now() - t0) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Seconds to run the first `n` points in-process and on a one-thread pool (start-up included). */
export async function executorCost(file: string, sets: string[], sizes: number[]): Promise<ExecutorCost[]> {
  const loaded = loadScenarioFile(file, sets);
  const job: SweepJob = { raw: loaded.raw, outputs: loaded.scenario.sweep!.outputs, curves: [] };
  const ctx = makeSweepContext(job);
  // as the sweep sends it: a kernel sweep's thread loads the kernel path alone
  job.kernel = kernelJobOf(ctx);
  const out: ExecutorCost[] = [];
  for (const n of sizes) {
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < 3; r++) {
      a.push(await timeRun(job, n, async () => ({ local: (s: number, e: number) => solveRange(ctx, s, e) })));
      b.push(
        await timeRun(job, n, async () => {
          const pool = await startPool(1);
          return { pool: pool.forJob(job, "bench"), close: () => pool.close() };
        }),
      );
    }
    out.push({ points: n, inProcessSeconds: median(a), pool1Seconds: median(b) });
  }
  return out;
}
