// The leader–fringe sweep against the vectorized NumPy peer (shared/peers/numpy_vec_peer.py
// lf-sweep, the best plain Python for this sweep): issue 15's measurements. Every command runs
// once per round, rounds interleaved, so that all of them see the same changes in machine load;
// each figure is a median over rounds, with the 1-minute load average before each run. Also:
// lpe's kernel alone in this process (no formatting, no files) against the peer's computation,
// a CPU-capacity probe (the same CPU loop on 1 and 2 threads: what scaling the machine allowed
// during the run), the general paths' cost per point (beta and lognormal types), and the peak
// memory of a 10-million-point sweep.

import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { loadScenarioFile } from "../engine/scenario/load.js";
import { MAX_CURVE_FILE_POINTS } from "../engine/scenario/limits.js";
import { makeSweepContext, solveRange } from "../workers/sweep-point.js";
import { solveKernelRange } from "../workers/sweep-kernel.js";
import { median, runOnce, type ProcessRun } from "./process-timer.js";

export interface VecConfig {
  label: string;
  /** "shards": two lpe processes started together, each with one worker on half the grid
   *  (--shard 1/2 and 2/2): what a perfectly divided sweep could gain on this machine */
  kind: "peer" | "lpe" | "shards";
  points: number;
  workers: number;
  /** the peer writes its rows (--csv); lpe always writes sweep.csv */
  csv: boolean;
  figures: boolean;
  cmd: string;
  args: string[];
  display: string;
  /** lpe's output folder (removed before each run) */
  dir?: string;
}

export interface Phases {
  setupSeconds: number;
  computeSeconds: number;
  writeSeconds: number;
  figuresSeconds: number;
  mainThreadShare?: number;
}

export interface VecRun extends ProcessRun {
  /** the peer's elapsed_s, lpe's computeSeconds */
  computation: number;
  phases?: Phases;
  sums?: Record<string, number>;
}

const SUMS = ["thetaLow", "thetaHigh", "profit", "fringeSpendShare"];

/** Column sums of an lpe sweep.csv (the peer prints its own). */
export function sweepCsvSums(path: string): Record<string, number> {
  const text = readFileSync(path, "utf8");
  const nl = text.indexOf("\n");
  const header = text.slice(0, nl).split(",");
  const idx = SUMS.map((c) => header.indexOf(c));
  const sums = SUMS.map(() => 0);
  let pos = nl + 1;
  while (pos < text.length) {
    const end = text.indexOf("\n", pos);
    const cells = text.slice(pos, end).split(",");
    for (let k = 0; k < idx.length; k++) sums[k] += Number(cells[idx[k]]);
    pos = end + 1;
  }
  return Object.fromEntries(SUMS.map((c, k) => [c, sums[k]]));
}

function lpeMeta(dir: string, name: string): { computeSeconds: number; phases: Phases } | undefined {
  const path = join(dir, name, "sweep.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as { computeSeconds: number; phases: Phases }) : undefined;
}

/** Run every config once per round, `rounds` rounds; lpe folders are read after each run. */
export function runInterleaved(configs: VecConfig[], rounds: number, cwd: string, scenarioName: string, log: (s: string) => void, sumsOf?: string): Map<string, VecRun[]> {
  const out = new Map<string, VecRun[]>(configs.map((c) => [c.label, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of configs) {
      log(`round ${r + 1}/${rounds}: ${c.label}`);
      const run = runOnce(c.cmd, c.args, cwd, () => c.dir && rmSync(c.dir, { recursive: true, force: true }));
      let computation = NaN;
      let phases: Phases | undefined;
      let sums: Record<string, number> | undefined;
      if (c.kind === "peer") {
        const j = JSON.parse(run.stdout.trim().split("\n").pop() as string) as Record<string, unknown>;
        computation = Number(j.elapsed_s);
        if (r === 0) sums = Object.fromEntries(SUMS.map((k) => [k, Number(j[`sum_${k}`])]));
      } else if (c.kind === "shards" && c.dir) {
        // the slower of the two halves
        const ms = [1, 2].map((i) => lpeMeta(c.dir!, join(scenarioName, `shard-${i}-of-2`)));
        computation = Math.max(...ms.map((m) => m?.computeSeconds ?? NaN));
        rmSync(c.dir, { recursive: true, force: true });
      } else if (c.dir) {
        const m = lpeMeta(c.dir, scenarioName);
        computation = m?.computeSeconds ?? NaN;
        phases = m?.phases;
        if (r === 0 && c.label === sumsOf) sums = sweepCsvSums(join(c.dir, scenarioName, "sweep.csv"));
        rmSync(c.dir, { recursive: true, force: true });
      }
      out.get(c.label)!.push({ ...run, computation, phases, sums });
    }
  }
  return out;
}

export const med = (runs: VecRun[], f: (r: VecRun) => number) => median(runs.map(f).filter((x) => Number.isFinite(x)));

/** Seconds of lpe's kernel alone over the first `points` points of the scenario's grid (one thread, warm, median of 3). */
export function kernelSeconds(file: string, sets: string[], points: number): { kernel: number; withRows: number } {
  const loaded = loadScenarioFile(file, sets);
  const job = { raw: loaded.raw, outputs: [...loaded.scenario.sweep!.outputs], curves: [] };
  const ctx = makeSweepContext(job);
  if (!ctx.kernel) throw new Error("bench: the sweep scenario is not of the batch kernel's kind");
  const n = Math.min(points, ctx.grid.size);
  const B = 4096;
  const values = new Float64Array(B * job.outputs.length);
  const code = new Uint8Array(B);
  const kernel: number[] = [];
  const withRows: number[] = [];
  // rows formatted as the sweep does: with its in-order curve files only up to MAX_CURVE_FILE_POINTS
  const curves = ctx.grid.size <= MAX_CURVE_FILE_POINTS ? job.outputs.map((_, k) => [0, k] as const) : [];
  const textCtx = makeSweepContext({ ...job, text: { curves } });
  for (let r = 0; r < 4; r++) {
    let t0 = performance.now();
    for (let a = 0; a < n; a += B) solveKernelRange(ctx.kernel, ctx.grid, a, Math.min(n, a + B), values, code);
    kernel.push((performance.now() - t0) / 1000);
    t0 = performance.now();
    for (let a = 0; a < n; a += B) solveRange(textCtx, a, Math.min(n, a + B));
    withRows.push((performance.now() - t0) / 1000);
  }
  // the first pass warms the JIT
  return { kernel: median(kernel.slice(1)), withRows: median(withRows.slice(1)) };
}

// One thread's share of kernelSecondsThreads: loads the scenario and the kernel (dist/), warms
// the JIT with one pass over its share, then solves the share when told to and says how long.
const KERNEL_THREAD = `
const { parentPort, workerData: d } = require("node:worker_threads");
(async () => {
  const { loadScenarioFile } = await import(d.load);
  const { makeSweepContext } = await import(d.point);
  const { solveKernelRange } = await import(d.kernel);
  const loaded = loadScenarioFile(d.file, d.sets);
  const ctx = makeSweepContext({ raw: loaded.raw, outputs: [...loaded.scenario.sweep.outputs], curves: [] });
  const B = 4096;
  const values = new Float64Array(B * loaded.scenario.sweep.outputs.length);
  const code = new Uint8Array(B);
  const run = () => {
    const t0 = performance.now();
    for (let a = d.from; a < d.to; a += B) solveKernelRange(ctx.kernel, ctx.grid, a, Math.min(d.to, a + B), values, code);
    return (performance.now() - t0) / 1000;
  };
  run();
  parentPort.on("message", (m) => (m === "go" ? parentPort.postMessage(run()) : process.exit(0)));
  parentPort.postMessage("ready");
})();
`;

/**
 * Wall seconds of lpe's kernel alone over the first `points` points split in `threads` equal
 * contiguous shares solved at once on as many threads (each warm; median of 3): the computation
 * a sweep with that many workers does, without formatting or files.
 */
export async function kernelSecondsThreads(file: string, sets: string[], points: number, threads: number): Promise<number> {
  const mod = (rel: string) => new URL(rel, import.meta.url).href;
  const shares = Array.from({ length: threads }, (_, t) => [Math.floor((t * points) / threads), Math.floor(((t + 1) * points) / threads)]);
  const workers = shares.map(
    ([from, to]) =>
      new Worker(KERNEL_THREAD, {
        eval: true,
        workerData: { file, sets, from, to, load: mod("../engine/scenario/load.js"), point: mod("../workers/sweep-point.js"), kernel: mod("../workers/sweep-kernel.js") },
      }),
  );
  const next = (w: Worker) => new Promise<unknown>((resolve, reject) => w.once("message", resolve).once("error", reject));
  await Promise.all(workers.map(next));
  const walls: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    await Promise.all(
      workers.map((w) => {
        const p = next(w);
        w.postMessage("go");
        return p;
      }),
    );
    walls.push((performance.now() - t0) / 1000);
  }
  await Promise.all(workers.map((w) => w.terminate()));
  return median(walls);
}

const PROBE = `
const { parentPort } = require("node:worker_threads");
let x = 0;
for (let i = 0; i < 3e8; i++) x = (x * 1.0000001 + 1e-9) % 7;
parentPort.postMessage(x);
`;

function probeThreads(n: number): Promise<number> {
  const t0 = performance.now();
  return Promise.all(
    Array.from({ length: n }, () => new Promise<void>((resolve, reject) => new Worker(PROBE, { eval: true }).once("message", () => resolve()).once("error", reject))),
  ).then(() => (performance.now() - t0) / 1000);
}

/** The same CPU loop on 1 thread and on 2 at once: their wall-time ratio × 2 is the speed-up two threads could get. */
export async function cpuCapacity(): Promise<{ one: number; two: number; speedup: number }> {
  const one = await probeThreads(1);
  const two = await probeThreads(2);
  return { one, two, speedup: (2 * one) / two };
}
