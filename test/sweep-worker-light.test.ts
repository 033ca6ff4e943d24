// A worker thread of a batch-kernel sweep solves with kernel-range.ts alone (the plan sent as
// plain data, no schema, no solvers) and falls back to the general path for a batch with a point
// the kernel declines: either way its answer — values, statuses and formatted rows — is the main
// thread's solveRange's, byte for byte; and the light module loads none of the heavy ones.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../engine/scenario/load.js";
import { kernelJobOf, makeSweepContext, solveRange, type RangeResult, type SweepJob } from "../workers/sweep-point.js";
import { inOrderCurves } from "../workers/sweep-rows.js";
import { runTask } from "../workers/sweep-worker.js";
import { BufferPool } from "../workers/buffer-pool.js";
import { kernelContext, PRIME_MIN_POINTS, PRIME_POINTS, primeKernel, solveKernelOnly } from "../workers/kernel-range.js";

const ROOT = join(import.meta.dirname, "..");
const FIX = join(import.meta.dirname, "fixtures", "sweeps");

/** The job as the main thread sends it to its threads (sweep-job.ts). */
function kernelJob(file: string, sets: string[]): SweepJob {
  const loaded = loadScenarioFile(file, sets);
  const job: SweepJob = { raw: loaded.raw, outputs: [...loaded.scenario.sweep!.outputs], curves: [] };
  const ctx = makeSweepContext(job);
  job.text = { curves: inOrderCurves(ctx.grid, job.outputs.length) };
  expect(ctx.kernel).toBeDefined();
  job.kernel = kernelJobOf(ctx);
  return structuredClone(job);
}

function text(r: RangeResult): string[] {
  const t = r.text!;
  return [Buffer.from(t.rows).toString(), ...t.curves.map((c) => Buffer.from(c).toString())];
}

async function both(job: SweepJob, key: string, start: number, end: number): Promise<[RangeResult, RangeResult]> {
  const { answer } = await runTask({ key, job, start, end });
  if (!answer.ok) throw new Error(answer.error.message);
  if (!("result" in answer)) throw new Error("a range answered as a prepare task");
  const local = solveRange(makeSweepContext(job), start, end);
  return [answer.result, local];
}

describe("the light sweep worker", () => {
  it("primes its compiled kernel with points spread over the grid without changing a byte it writes", () => {
    // a grid large enough to be primed, σ and c_F crossing the regimes (region 2 served, then empty)
    const P = 2 * PRIME_MIN_POINTS;
    const job = kernelJob(join(ROOT, "bench", "scenarios", "leader-fringe-sweep.json"), [
      `sweep.params={"market.fringe.cost":{"linspace":[0.01,0.6,${P}]}}`,
    ]);
    const ranges: [number, number][] = [
      [0, 700],
      [P / 2 - 350, P / 2 + 350],
      [P - 700, P],
    ];
    const fresh = kernelContext(job.kernel!);
    const before = ranges.map(([a, b]) => solveKernelOnly(fresh, a, b)!);
    const primed = kernelContext(job.kernel!);
    primeKernel(primed);
    // as the threads prime: with their buffer pool (the buffers go back to it)
    const pool = new BufferPool();
    primeKernel(primed, pool);
    const allocated = pool.allocated;
    primeKernel(primed, pool);
    expect(pool.allocated).toBe(allocated);
    const after = ranges.map(([a, b]) => solveKernelOnly(primed, a, b)!);
    ranges.forEach((_, i) => {
      expect(Buffer.from(after[i].text!.rows).equals(Buffer.from(before[i].text!.rows)), `rows of range ${i}`).toBe(true);
      expect(Array.from(after[i].values)).toEqual(Array.from(before[i].values));
    });
    expect(PRIME_POINTS).toBeLessThan(PRIME_MIN_POINTS);
  });

  it("answers a kernel job's ranges with the main thread's values, statuses and bytes", async () => {
    const job = kernelJob(join(ROOT, "bench", "scenarios", "leader-fringe-sweep.json"), ['sweep.params={"market.fringe.cost":{"linspace":[0.001,0.6,3001]}}']);
    for (const [a, b] of [
      [0, 1],
      [17, 1200],
      [2900, 3001],
    ]) {
      const [w, l] = await both(job, "kernel", a, b);
      expect([...w.values]).toEqual([...l.values]);
      expect(w.failedAt).toEqual(l.failedAt);
      expect(w.failedStatus).toEqual(l.failedStatus);
      expect(text(w)).toEqual(text(l));
      expect(text(w)[0].split("\n").length - 1).toBe(b - a);
    }
  });

  it("takes the general path for a range with a point the kernel declines, with the same answer", async () => {
    const job = kernelJob(join(FIX, "lf-invalid-cost.json"), []);
    const [w, l] = await both(job, "declined", 0, 3);
    expect(w.failedAt).toEqual([1]);
    expect(w.failedStatus[0]).toMatch(/^bad input: market\.fringe\.cost/);
    expect(w.failedStatus).toEqual(l.failedStatus);
    expect(text(w)).toEqual(text(l));
    expect(Number.isNaN(w.values[2]) && Number.isNaN(w.values[3])).toBe(true);
  });

  it("keeps the kernel path free of the schema and the solvers", () => {
    // the modules a kernel job loads (kernel-range.ts and what it imports), by their sources
    const light = ["workers/kernel-range.ts", "workers/sweep-kernel.ts", "workers/sweep-grid.ts", "workers/sweep-rows.ts", "solvers/leader-fringe-uniform-batch.ts"];
    for (const f of light) {
      const imports = [...readFileSync(join(ROOT, f), "utf8").matchAll(/^import (?!type )[^;]*from "([^"]+)"/gm)].map((m) => m[1]);
      for (const i of imports) expect(i, `${f} imports ${i}`).not.toMatch(/zod|mathjs|scenario\/load|scenario\/schema|solvers\/solve|sweep-point/);
    }
    const worker = readFileSync(join(ROOT, "workers", "sweep-worker.ts"), "utf8");
    expect(worker).not.toMatch(/^import (?!type )[^;]*from "\.\/sweep-point\.js"/m);
    expect(worker).not.toMatch(/^import (?!type )[^;]*from "\.\.\/solvers\/solve\.js"/m);
  });
});
