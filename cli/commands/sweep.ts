// `lpe sweep FILE [--workers N] [--out DIR] [--resume] [--shard I/N] [--batch-size B]
// [--emit-slurm] [--set PATH=VALUE]…`: run the scenario's sweep grid and write
// DIR/<name>/sweep.csv (or DIR/<name>/shard-I-of-N/ for a shard), streaming rows to disk as
// they finish. Everything that can be wrong with the input (the scenario, the sweep block,
// output names, options) is reported before anything is written (exit 2). One worker runs
// in-process; more use a piscina pool (loaded only then). Ctrl-C stops cleanly (exit 130) and
// `--resume` finishes the sweep later.

import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { InputError } from "../../engine/errors.js";
import { writeFileAtomic } from "../../engine/results/atomic-write.js";
import { canonicalJson, loadScenarioFile } from "../../engine/scenario/load.js";
import { ENGINE_VERSION } from "../../engine/version.js";
import { makeExecutors, packageRoot, type RangeExecutor } from "../../workers/pool.js";
import { makeProgress } from "../../workers/progress.js";
import { parseShard, shardDirName, shardSlice, type ShardSlice } from "../../workers/shard.js";
import { slurmScript } from "../../workers/slurm.js";
import { drawSweepFigures, type SweepTable } from "../../workers/sweep-curves.js";
import { checkSweepNames } from "../../workers/sweep-outputs.js";
import { makeSweepContext, type SweepContext, type SweepJob } from "../../workers/sweep-point.js";
import { POINT_CURVES_CSV, SWEEP_CSV, writePointCurvesCsv, writeSweepMeta, writeSweepTables, type SweepMeta } from "../../workers/sweep-results.js";
import { runSweepPoints } from "../../workers/sweep-runner.js";
import { SweepStore, type SweepIdentity } from "../../workers/sweep-store.js";
import { reportError, type Io } from "../io.js";

export interface SweepArgs {
  file: string;
  workers?: number;
  out?: string;
  resume?: boolean;
  shard?: string;
  batchSize?: number;
  "batch-size"?: number;
  emitSlurm?: boolean;
  "emit-slurm"?: boolean;
  set?: string[];
  /** draw figures of the curves (default true) */
  figures?: boolean;
}

function positiveInt(x: unknown, option: string): number | undefined {
  if (x === undefined) return undefined;
  if (typeof x !== "number" || !Number.isInteger(x) || x < 1) throw new InputError(option, `expected a whole number ≥ 1, got ${String(x)}`);
  return x;
}

export function gridSha256(sweep: NonNullable<SweepContext["base"]["sweep"]>): string {
  const spec = { params: sweep.params, zip: sweep.zip ?? [], outputs: sweep.outputs, curves: sweep.curves ?? [] };
  return createHash("sha256").update(canonicalJson(spec), "utf8").digest("hex");
}

export async function runSweep(args: SweepArgs, io: Io): Promise<number> {
  let pool: RangeExecutor | undefined;
  const cleanups: (() => void)[] = [];
  try {
    // ---- everything that can be wrong with the input, before anything is written
    const loaded = loadScenarioFile(args.file, args.set ?? []);
    const scenario = loaded.scenario;
    if (!scenario.sweep) throw new InputError("sweep", "the scenario has no sweep block: add sweep.params and sweep.outputs");
    const sweep = scenario.sweep;
    const workers = positiveInt(args.workers, "--workers") ?? availableParallelism();
    const batchSize = positiveInt(args.batchSize ?? args["batch-size"], "--batch-size");
    const emitSlurm = Boolean(args.emitSlurm ?? args["emit-slurm"]);
    const shardArg = args.shard !== undefined ? parseShard(args.shard, "--shard", emitSlurm) : undefined;
    const job: SweepJob = { raw: loaded.raw, outputs: [...sweep.outputs], curves: [...(sweep.curves ?? [])] };
    const ctx = makeSweepContext(job);
    checkSweepNames(ctx);
    const out = args.out ?? "results";
    const baseDir = join(out, scenario.name);

    if (emitSlurm) return emitSlurmScript(args, io, { name: scenario.name, out, baseDir, shards: shardArg?.count ?? defaultShards(ctx.grid.size), cpus: args.workers ?? 4 });

    const shard: ShardSlice | null = shardArg ? shardSlice(ctx.grid.size, shardArg.index, shardArg.count) : null;
    const dir = shard ? join(baseDir, shardDirName(shard.index, shard.count)) : baseDir;
    const start = shard ? shard.start : 0;
    const end = shard ? shard.end : ctx.grid.size;
    const identity: SweepIdentity = {
      name: scenario.name,
      engineVersion: ENGINE_VERSION,
      scenarioSha256: loaded.sha256,
      gridSha256: gridSha256(sweep),
      gridSize: ctx.grid.size,
      params: [...ctx.grid.paths],
      outputs: job.outputs,
      curves: job.curves,
      shard,
    };
    const note = (s: string) => io.err(`lpe: ${s}`);
    const { store, complete } = SweepStore.open(dir, identity, start, end, { resume: Boolean(args.resume), note });
    if (complete) {
      io.out(`sweep already complete: ${join(dir, SWEEP_CSV)}`);
      return 0;
    }
    if (store.resumedCount > 0) note(`resuming: ${store.resumedCount} of ${store.size} points already done`);

    // ---- run
    const threads = Math.max(1, Math.min(workers, store.size - store.doneCount));
    const computeStart = performance.now();
    const executors = await makeExecutors(job, threads, ctx);
    pool = executors.pool;
    const label = shard ? `lpe sweep ${scenario.name} (shard ${shard.index}/${shard.count})` : `lpe sweep ${scenario.name}`;
    const progress = await makeProgress(store.size, store.doneCount, label);
    let stopRequested = false;
    const onSignal = () => {
      stopRequested = true;
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    cleanups.push(() => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    });
    let stopped: boolean;
    try {
      ({ stopped } = await runSweepPoints({ ...executors, store, batchSize, onProgress: (d) => progress.update(d), shouldStop: () => stopRequested }));
    } finally {
      progress.stop();
      await pool?.close();
      pool = undefined;
    }
    const computeSeconds = (performance.now() - computeStart) / 1000;
    if (stopped) {
      store.close();
      io.err(`lpe: sweep interrupted with ${store.doneCount} of ${store.size} points done (saved in ${dir}); finish it with the same command and --resume`);
      return 130;
    }

    // ---- canonical files
    const table: SweepTable = { grid: ctx.grid, outputs: job.outputs, start, end, values: store.values, failures: store.failures };
    const written = writeSweepTables(dir, table, !shard);
    if (job.curves.length > 0) {
      writePointCurvesCsv(join(dir, POINT_CURVES_CSV), job.curves, store.curveLinesInGridOrder());
      written.push(join(dir, POINT_CURVES_CSV));
    }
    if (!shard && args.figures !== false) written.push(...(await drawSweepFigures(dir, table, scenario.name, note)));
    const meta: SweepMeta = {
      name: scenario.name,
      engineVersion: ENGINE_VERSION,
      scenarioSha256: loaded.sha256,
      gridSha256: identity.gridSha256,
      seed: scenario.seed,
      grid: { params: sweep.params, zip: sweep.zip ?? [], size: ctx.grid.size },
      outputs: job.outputs,
      curves: job.curves,
      points: store.size,
      failures: store.failures.size,
      elapsedSeconds: store.elapsedSeconds(),
      computeSeconds,
      workers: threads,
      validation: ctx.builder.mode,
      shard,
      createdBy: `lpe ${ENGINE_VERSION}`,
    };
    written.push(writeSweepMeta(dir, meta));
    store.finish();
    const failed = store.failures.size > 0 ? `, ${store.failures.size} failed (see the status column)` : "";
    io.out(`wrote ${join(dir, SWEEP_CSV)}: ${store.size} points${failed} in ${meta.elapsedSeconds.toFixed(2)} s`);
    if (shard) io.out(`shard ${shard.index}/${shard.count} done; when all are done: lpe merge ${baseDir}`);
    return 0;
  } catch (e) {
    return reportError(e, io, args.file);
  } finally {
    if (pool) await pool.close();
    for (const c of cleanups) c();
  }
}


function defaultShards(size: number): number {
  return Math.max(1, Math.min(16, Math.ceil(size / 10_000)));
}

function emitSlurmScript(args: SweepArgs, io: Io, o: { name: string; out: string; baseDir: string; shards: number; cpus: number }): number {
  const path = join(o.baseDir, "sweep.slurm");
  const text = slurmScript({
    name: o.name,
    file: resolve(args.file),
    out: resolve(o.out),
    root: packageRoot(),
    shards: o.shards,
    cpusPerTask: o.cpus,
    sets: args.set ?? [],
  });
  writeFileAtomic(path, text);
  io.out(`wrote ${path} (${o.shards} shards × ${o.cpus} CPUs)`);
  io.out(`submit the array and its merge:  bash ${path}`);
  io.out(`or the array alone:                sbatch ${path}   (then: npx lpe merge ${o.baseDir})`);
  return 0;
}
