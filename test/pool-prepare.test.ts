// The worker pool sends each thread a sweep's job as soon as the executor is made (pool.ts):
// a thread takes ranges only once it has built the job's context, so that the first range of a
// general-path sweep never waits in a thread still loading the schema and the solvers while the
// main thread, whose own batches cannot be written before it, stops for it (sweep-runner.ts).
// Checked on a general-path sweep (beta types): the executor is not ready until the thread has
// answered its prepare task, then it is, and its ranges are the main thread's, value for value;
// a job the thread cannot build still makes the executor ready, and its ranges come back with
// the error (not a thread failure, not a hang).
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenarioFile } from "../engine/scenario/load.js";
import { startPool, type WorkerPool } from "../workers/pool.js";
import { makeSweepContext, solveRange, type SweepJob } from "../workers/sweep-point.js";
import { runTask } from "../workers/sweep-worker.js";

const ROOT = join(import.meta.dirname, "..");
const pools: WorkerPool[] = [];
afterAll(async () => {
  for (const p of pools) await p.close();
});

function betaJob(points: number): SweepJob {
  const loaded = loadScenarioFile(join(ROOT, "bench", "scenarios", "leader-fringe-beta-sweep.json"), [
    `sweep.params={"market.fringe.cost":{"linspace":[0.05,0.29,${points}]}}`,
  ]);
  const job: SweepJob = { raw: loaded.raw, outputs: [...loaded.scenario.sweep!.outputs], curves: [] };
  expect(makeSweepContext(job).kernel, "a general-path sweep").toBeUndefined();
  return job;
}

describe("a pool thread prepares a sweep's job before it takes ranges", () => {
  it("answers a prepare task once the job's context is built, without solving a point", async () => {
    const { answer, transfer } = await runTask({ key: "beta-prepare", job: betaJob(9), start: 0, end: 0, prepare: true });
    expect(answer).toEqual({ ok: true, prepared: true });
    expect(transfer).toEqual([]);
  });

  it("is not ready before the thread has prepared, then solves ranges as the main thread does", async () => {
    const pool = await startPool(1);
    pools.push(pool);
    // the thread is up and has answered (a job it cannot build: prepared at once)
    await pool.forJob({ raw: {}, outputs: [], curves: [] }, "none").whenReady();
    const job = betaJob(9);
    const executor = pool.forJob(job, "beta");
    // loaded, but not yet prepared for this job (it answers by message)
    expect(executor.ready()).toBe(false);
    await executor.whenReady();
    expect(executor.ready()).toBe(true);
    const r = await executor.run(2, 7);
    const local = solveRange(makeSweepContext(job), 2, 7);
    expect([r.start, r.end]).toEqual([2, 7]);
    expect([...r.values]).toEqual([...local.values]);
    expect(r.failedAt).toEqual(local.failedAt);
    // the same job again (a second executor of the key): ready at once, nothing rebuilt
    const again = pool.forJob(job, "beta");
    expect(again.ready()).toBe(true);
  }, 60_000);

  it("a job the thread cannot build makes it ready, and its ranges fail with the reason", async () => {
    const pool = await startPool(1);
    pools.push(pool);
    const executor = pool.forJob({ raw: { name: "broken" }, outputs: ["profit"], curves: [] }, "broken");
    await executor.whenReady();
    await expect(executor.run(0, 1)).rejects.toThrow(/./);
    await expect(executor.run(0, 1)).rejects.not.toThrow(/worker thread (failed|stopped)/);
  }, 60_000);
});
