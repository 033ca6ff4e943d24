// The body of `lpe sweep` (cli/commands/sweep.ts starts the worker pool first, then loads this
// module): load and check everything (exit 2 before anything is written), open the sweep's
// durable state, solve the missing points on the main thread and the pool, then write the
// canonical files (sweep.csv, curves, figures, sweep.json) or stop cleanly on Ctrl-C (130; 143 for SIGTERM).
// Exit status 4 when the sweep finished but some points failed (every good row is written); a
// shard exits 0 then, and the merge of the shards exits 4.
// A fresh sweep streams its CSV files while it runs: each batch comes back with its rows
// formatted by the thread that solved it (sweep-stream.ts), and only the figures' points are
// kept in memory (plus every point's outputs when a curve file of a multi-dimensional grid needs
// them). A resumed sweep writes its files from the stored outputs at the end.

import { realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve, sep } from "node:path";
import { InputError } from "../engine/errors.js";
import { writeFileAtomic } from "../engine/results/atomic-write.js";
import { removeOwnTempFiles } from "../engine/results/temp-files.js";
import { loadNotes, loadScenarioFile } from "../engine/scenario/load.js";
import { estimateWork, MAX_CURVE_FILE_POINTS, parseWorkLimit, recordedWorkLimit, thousands, workLimitText } from "../engine/scenario/limits.js";
import { ENGINE_VERSION } from "../engine/version.js";
import { engineBuild } from "../engine/build-id.js";
import { startPool, type WorkerPool } from "./pool.js";
import { holdYoungGeneration } from "./young-generation.js";
import { packageRoot } from "../engine/package-root.js";
import { makeProgress } from "./progress.js";
import { parseShard, shardDirName, shardSlice, type ShardSlice } from "./shard.js";
import { recoverySteps, scriptValues, shQuote, slurmScript, slurmScriptPath, unsafeForScript } from "./slurm.js";
import { checkSlurmMem, checkSlurmTime, MAX_ARRAY_TASKS, planSlurm, samplePoints } from "./slurm-resources.js";
import type { StartSweepFigures, SweepFigureDrawer } from "./sweep-figures-hook.js";
import { FigureSample, plainSweepTable, writeParamCurves, type SweepTable } from "./sweep-curves.js";
import { otherDimensionParams } from "./sweep-rows.js";
import { SweepStream } from "./sweep-stream.js";
import { BufferPool } from "./buffer-pool.js";
import { WriteQueue } from "../engine/results/write-queue.js";
import { calibrateTargetNotes, checkSweepNames } from "./sweep-outputs.js";
import { gridSha256, readSweepMeta } from "./sweep-files.js";
import { streamMergedRows, type StreamedRows } from "./sweep-merge.js";
import { kernelJobOf, makeSweepContext, pointSecondsEstimate, solveRange, type RangeResult, type SweepContext, type SweepJob } from "./sweep-point.js";
import { prepareSolvers } from "../solvers/solve.js";
import { countSweepFigures, POINT_CURVES_CSV, removeEarlierSweepOutputs, SWEEP_CSV, SWEEP_JSON, writePointCurvesCsv, writeSweepMeta, writeSweepTables, type SweepDigests, type SweepMeta } from "./sweep-results.js";
import { KERNEL_POINT_SECONDS_FLOOR, KERNEL_POOL_JUDGE_SECONDS, KERNEL_POOL_MIN_SECONDS, runSweepPoints } from "./sweep-runner.js";
import { SweepStore, type SweepIdentity } from "./sweep-store.js";
import { primeKernel } from "./kernel-range.js";
import { EXIT_POINTS_FAILED, pointProblems, poolMinSecondsFromEnv, positiveInt, largestGapRecord, uncertifiedCount, uncertifiedWarning, workerCount, type SweepArgs } from "./sweep-options.js";
import { reportError, type Io } from "../engine/io.js";

/** Bytes waiting for the disk beyond which the main thread stops solving until half are written.
 *  The queue holds each file's appends until they make a run of RUN_BYTES (write-queue.ts), so
 *  about 1 MB (sweep.csv's run and rows.part's) waits there in the normal course; beyond that,
 *  bytes wait because the disk is behind. Every buffer in the queue is one the buffer pools
 *  keep afterwards, so this bounds the sweep's peak memory too (10,000,000 points, 2 threads:
 *  at 1, 2 and 3 MB the peak RSS was the same within the runs' spread, 92–98 MB). */
export const MAX_QUEUED_BYTES = 3 << 20;

/** A resumed sweep with fewer points than this left starts the figure thread with the solving. */
export const EARLY_FIGURES_MAX_POINTS = 250_000;

/** A sweep point estimated at this long or more is solved off the main thread (runSweepJob). */
export const SLOW_POINT_SECONDS = 1;

/** Run `lpe sweep`; `pool` (started by the caller, closed by the caller) supplies the threads beyond the main one;
 *  `startFigures` draws the figures (none without it). */
/** `handOver`: called once this sweep's own Ctrl-C/SIGTERM handler is installed (the command's
 *  handler for the start-up, cli/commands/sweep.ts, goes then). */
export async function runSweepJob(args: SweepArgs, io: Io, pool?: WorkerPool, startFigures?: StartSweepFigures, handOver?: () => void): Promise<number> {
  let drawer: SweepFigureDrawer | undefined;
  const cleanups: (() => void | Promise<void>)[] = [];
  const runStart = performance.now();
  let reported = false;
  try {
    // ---- everything that can be wrong with the input, before anything is written
    const workLimitMs = parseWorkLimit(args.workLimit ?? args["work-limit"]);
    const loaded = loadScenarioFile(args.file, args.set ?? [], args.unset ?? [], { figures: false, sweepPoints: true, workLimitMs });
    const scenario = loaded.scenario;
    if (!scenario.sweep) throw new InputError("sweep", "the scenario has no sweep block: add sweep.params and sweep.outputs");
    const sweep = scenario.sweep;
    const workers = workerCount(positiveInt(args.workers, "--workers"));
    const batchSize = positiveInt(args.batchSize ?? args["batch-size"], "--batch-size");
    const poolMinSeconds = poolMinSecondsFromEnv();
    const emitSlurm = Boolean(args.emitSlurm ?? args["emit-slurm"]);
    const shardArg = args.shard !== undefined ? parseShard(args.shard, "--shard", emitSlurm) : undefined;
    if (!emitSlurm) {
      const slurmOnly = (["cpus-per-task", "time", "mem"] as const).find((k) => args[k] !== undefined);
      if (slurmOnly) throw new InputError(`--${slurmOnly}`, "is an option of --emit-slurm (the resources of each SLURM array task)");
    }
    const job: SweepJob = { raw: loaded.raw, outputs: [...sweep.outputs], curves: [...(sweep.curves ?? [])], workLimitMs };
    await prepareSolvers(scenario);
    const ctx = makeSweepContext(job);
    checkSweepNames(ctx);
    for (const n of calibrateTargetNotes(ctx)) io.err(`lpe: note: ${n}`);
    const out = args.out ?? "results";
    const baseDir = join(out, scenario.name);

    if (emitSlurm) return emitSlurmScript(args, io, ctx, { name: scenario.name, out, outputs: job.outputs.length, shards: shardArg?.count });

    const shard: ShardSlice | null = shardArg ? shardSlice(ctx.grid.size, shardArg.index, shardArg.count) : null;
    const dir = shard ? join(baseDir, shardDirName(shard.index, shard.count)) : baseDir;
    const start = shard ? shard.start : 0;
    const end = shard ? shard.end : ctx.grid.size;
    // more shards than points: some shards hold none (they finish at once; the merge needs them)
    if (shard && shard.count > ctx.grid.size) io.err(`lpe: note: --shard ${shard.index}/${shard.count}: the grid has ${ctx.grid.size} point${ctx.grid.size === 1 ? "" : "s"}, fewer than the ${shard.count} shards, so ${shard.end > shard.start ? "some shards hold" : "this shard holds"} no points (a job array of ${ctx.grid.size} tasks would do)`);
    const identity: SweepIdentity = {
      name: scenario.name,
      engineVersion: ENGINE_VERSION,
      engineBuild: engineBuild(),
      scenarioSha256: loaded.sha256,
      gridSha256: gridSha256(sweep),
      gridSize: ctx.grid.size,
      params: [...ctx.grid.paths],
      outputs: job.outputs,
      curves: job.curves,
      shard,
      // (only when --work-limit is given: which points are refused depends on it)
      ...(recordedWorkLimit(workLimitMs) !== undefined ? { workLimitSeconds: recordedWorkLimit(workLimitMs) } : {}),
    };
    const note = (s: string) => io.err(`lpe: ${s}`);
    for (const n of loadNotes(loaded, out, { sweep: true })) note(`note: ${n}`);
    // curves/ only for whole grids up to MAX_CURVE_FILE_POINTS (sweep.csv holds every point)
    const paramCurves = !shard && ctx.grid.size <= MAX_CURVE_FILE_POINTS;
    if (!shard && !paramCurves) {
      note(`note: curves/ is not written for ${thousands(ctx.grid.size)} points (limit ${thousands(MAX_CURVE_FILE_POINTS)}): sweep.csv has every point`);
    }
    // curve files of the other dimensions of a multi-dimensional grid are written from every point's outputs
    const others = paramCurves ? otherDimensionParams(ctx.grid) : [];
    // every append of the run goes through one queue, off the main thread (write-queue.ts)
    const queue = new WriteQueue();
    const { store, complete } = SweepStore.open(dir, identity, start, end, { resume: Boolean(args.resume), note, keepValues: others.length > 0, queue, scenario: loaded.resolved });
    if (complete) {
      // The counts from the rows themselves, each row checked against sweep.json's digests first
      // (sweep.json's own counts could be edited, and were believed: a reviewer's), read as the
      // merge reads a shard, with bounded memory; anything changed is refused before a word is said.
      const meta = readSweepMeta(dir);
      let rows: StreamedRows;
      try {
        rows = streamMergedRows([{ dir, meta: { ...meta, shard: meta.shard ?? { index: 1, count: 1, start: 0, end: meta.grid.size } } }]);
      } catch (e) {
        throw meta.shard ? e : asWholeSweep(e);
      }
      const failures = rows.failures;
      io.out(`sweep already complete: ${join(dir, SWEEP_CSV)}${pointProblems(failures)}`);
      const warning = shard ? undefined : uncertifiedWarning(failures, end - start);
      if (warning) io.err(`lpe: ${warning}`);
      // a sweep run with --no-figures gets its figures now, drawn from its sweep.csv (checked
      // against sweep.json's digests) without solving again (a reviewer found no way to draw them)
      if (!shard && args.figures !== false && startFigures && countSweepFigures(join(dir, "figures")) === 0) {
        const table: SweepTable = { grid: ctx.grid, outputs: job.outputs, start, end, sample: rows.sample, failures };
        drawer = startFigures();
        const outcome = await drawer.draw(join(dir, "figures"), plainSweepTable(table), scenario);
        if (outcome.failed.length > 0) note(`figures skipped: ${outcome.failed.join("; ")}`);
        const stems = [...new Set(outcome.written.filter((f) => f.endsWith(".svg")).map((f) => basename(f, ".svg")))];
        if (stems.length > 0) io.out(`figures (drawn from ${SWEEP_CSV}, none were there): ${join(dir, "figures")}/{${stems.join(",")}}.*`);
      }
      return failures.size > 0 && !shard ? EXIT_POINTS_FAILED : 0;
    }
    // on any failure from here on, what was recorded is synced and the part files closed
    cleanups.push(async () => {
      // no descriptor is closed under a write still in the queue
      await store.settle().catch(() => undefined);
      store.close();
    });
    if (store.resumedCount > 0) note(`resuming: ${store.resumedCount} of ${store.size} points already done`);

    // ---- run
    const threads = Math.max(1, Math.min(workers, store.size - store.doneCount));
    const figures = !shard && args.figures !== false && startFigures !== undefined;
    // the main thread's buffers, shared with the pool threads (buffer-pool.ts)
    const buffers = new BufferPool();
    const stream = store.resumedCount === 0 ? new SweepStream(dir, ctx.grid, job.outputs, start, end, paramCurves, buffers, queue) : undefined;
    if (stream) {
      cleanups.push(() => stream.abort());
      job.text = { curves: stream.curves };
    }
    const sample = figures && !store.values ? new FigureSample(ctx.grid, job.outputs.length) : undefined;
    // The figure layer loads in its own thread while the points are solved (half a second of
    // start-up, then it draws as soon as the numbers are final). A resumed large sweep starts it
    // after its CSV files instead: those are formatted from every point's outputs at the end,
    // and the two heaps should not coexist (a fresh sweep streams its files as it goes).
    if (figures && (stream || store.size - store.doneCount < EARLY_FIGURES_MAX_POINTS)) drawer = startFigures!();
    const computeStart = performance.now();
    // Points of a second or more each (markets of hundreds of discrete types) are all solved in
    // pool threads, one more started for the main thread's share: a point solved on the main
    // thread blocks its event loop, and Ctrl-C (even twice) was not answered until the point
    // ended, minutes later (a reviewer's). The thread's start-up is nothing beside such points.
    const pointSeconds = pointSecondsEstimate(ctx, (sc) => estimateWork(sc, true).solveMs / 1000);
    const offMain = pointSeconds >= SLOW_POINT_SECONDS && store.size - store.doneCount > 0;
    if (offMain) {
      if (pool) pool.grow(1);
      else {
        pool = await startPool(1);
        const own = pool;
        cleanups.push(() => own.close());
      }
      note(`note: points estimated at ${pointSeconds < 10 ? pointSeconds.toFixed(1) : Math.round(pointSeconds)} s each are solved in ${pool.threads} worker thread${pool.threads > 1 ? "s" : ""}, so that Ctrl-C is answered at once`);
    }
    const local = offMain ? undefined : (start: number, end: number) => solveRange(ctx, start, end, buffers);
    // a kernel sweep's threads get the kernel's plan and need neither schema nor solvers (kernel-range.ts)
    job.kernel = kernelJobOf(ctx);
    const executor = pool && (threads > 1 || offMain) ? pool.forJob(job, `${loaded.sha256}:${identity.gridSha256}`) : undefined;
    // a kernel sweep that repays the pool even at a point's lowest plausible cost takes it from
    // the start: its threads build the plan and warm up while the main thread warms up too,
    // instead of after the main thread has solved alone long enough to judge (sweep-runner.ts)
    const poolAtOnce = executor !== undefined && job.kernel !== undefined && (store.size - store.doneCount) * KERNEL_POINT_SECONDS_FLOOR >= KERNEL_POOL_MIN_SECONDS;
    if (poolAtOnce) executor.prepare();
    // the main thread solves batches too: its compiled kernel sees every regime first (kernel-range.ts)
    if (ctx.kernel) primeKernel({ grid: ctx.grid, plan: ctx.kernel, outputs: job.outputs, text: job.text }, buffers);
    // a batch-kernel sweep's threads keep their young generations small while the points are
    // solved; a general sweep's and a figure thread's grow as V8 sees fit (young-generation.ts)
    holdYoungGeneration(job.kernel !== undefined && drawer === undefined);
    const label = shard ? `lpe sweep ${scenario.name} (shard ${shard.index}/${shard.count})` : `lpe sweep ${scenario.name}`;
    const progress = await makeProgress(store.size, store.doneCount, label);
    let stopRequested = false;
    let onStop: (() => void) | undefined;
    // the exit code of the signal that stopped the run: 130 for Ctrl-C (SIGINT), 143 for SIGTERM
    // (a batch system's stop), as a shell reports them
    let stopCode = 130;
    let slowStop: NodeJS.Timeout | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopRequested) {
        // A second signal: stop now. The points being solved (seconds each in a market of
        // hundreds of discrete types) are dropped; what is on disk is what a kill -9 leaves,
        // which --resume is built to take up (sweep-store.ts).
        io.err(`lpe: stopped (${signal} again) without waiting for the points being solved: those finished so far are kept in ${dir}; finish the sweep with the same command and --resume (it solves the dropped points again)`);
        process.exit(stopCode);
      }
      stopCode = signal === "SIGTERM" ? 143 : 130;
      stopRequested = true;
      onStop?.();
      // Said only when the points in flight keep the run going: a fast sweep stops in ms.
      slowStop = setTimeout(() => io.err(`lpe: stopping: the points being solved are finished and saved first (${signal === "SIGTERM" ? "SIGTERM" : "Ctrl-C"} again to stop at once; --resume then solves them again)`), 1000);
      slowStop.unref();
    };
    cleanups.push(() => clearTimeout(slowStop));
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    handOver?.();
    cleanups.push(() => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    });
    let stopped: boolean;
    let localPoints = 0;
    try {
      const onResult = (r: RangeResult) => {
        sample?.record(r.start, r.end, r.values);
        stream?.accept(r);
      };
      ({ stopped, localPoints } = await runSweepPoints({
        local,
        pool: executor,
        store,
        batchSize,
        onResult,
        buffers: stream ? buffers : undefined,
        backlog: () => ({ batches: stream?.waiting ?? 0, bytes: stream?.waitingBytes ?? 0 }),
        throttle: () => (queue.pendingBytes > MAX_QUEUED_BYTES ? queue.below(MAX_QUEUED_BYTES / 2) : undefined),
        onProgress: (d) => progress.update(d),
        shouldStop: () => stopRequested,
        // the pool threads take a sweep only when it is long enough to repay their start: a
        // general sweep's load the schema and the solvers, a kernel sweep's are light and are
        // judged sooner (sweep-runner.ts)
        poolMinSeconds: offMain ? 0 : (poolMinSeconds ?? (poolAtOnce ? 0 : job.kernel ? KERNEL_POOL_MIN_SECONDS : undefined)),
        poolJudgeSeconds: job.kernel ? KERNEL_POOL_JUDGE_SECONDS : undefined,
        poolFirst: poolMinSeconds === 0,
      }));
    } finally {
      progress.stop();
      holdYoungGeneration(false);
      // the threads' memory is better spent on writing the files and drawing the figures
      await pool?.close();
    }
    const computeSeconds = (performance.now() - computeStart) / 1000;
    if (stopped) {
      await store.settle();
      store.close();
      io.err(`lpe: sweep interrupted with ${store.doneCount} of ${store.size} points done (saved in ${dir}); finish it with the same command and --resume`);
      return stopCode;
    }

    // ---- canonical files
    // figures/ and curves/ of an earlier sweep into this folder go before this one's are published
    const removed = removeEarlierSweepOutputs(dir, job.curves.length > 0);
    const removedFigures = removed.filter((f) => f.startsWith(join(dir, "figures"))).length;
    if (!figures && removedFigures > 0) note(`note: removed ${removedFigures} figure files of the earlier sweep in ${join(dir, "figures")}: they showed its sweep.csv`);
    const table: SweepTable = { grid: ctx.grid, outputs: job.outputs, start, end, values: store.values, sample, failures: store.failures };
    // Figures are drawn in their own thread: started early, it has loaded the figure layer and
    // draws while this thread publishes the CSV files; otherwise it starts once the CSV files
    // are written.
    let drawn = drawer?.draw(join(dir, "figures"), plainSweepTable(table), scenario);
    const writeStart = performance.now();
    let written: string[];
    let rowDigests: SweepDigests[typeof SWEEP_CSV];
    if (stream) {
      ({ written, digests: rowDigests } = await stream.commit(store.failures));
      written.push(...writeParamCurves(dir, table, others));
    } else ({ written, digests: rowDigests } = writeSweepTables(dir, table, paramCurves));
    const digests: SweepDigests = { [SWEEP_CSV]: rowDigests };
    if (job.curves.length > 0) {
      digests[POINT_CURVES_CSV] = writePointCurvesCsv(join(dir, POINT_CURVES_CSV), job.curves, store.curveLinesInGridOrder(), start, end);
      written.push(join(dir, POINT_CURVES_CSV));
    }
    const writeSeconds = (performance.now() - writeStart) / 1000;
    if (figures && !drawn) {
      drawer = startFigures!();
      drawn = drawer.draw(join(dir, "figures"), plainSweepTable(table), scenario);
    }
    // Ctrl-C while the figures are drawn stops the drawing; the numbers are kept (below).
    const stop = new Promise<"stop">((resolve) => {
      onStop = () => resolve("stop");
      if (stopRequested) resolve("stop");
    });
    let figuresInterrupted = false;
    let figureFiles: string[] = [];
    if (drawn) {
      const outcome = await Promise.race([drawn, stop]);
      if (outcome === "stop") {
        figuresInterrupted = true;
        await drawer!.close();
        drawer = undefined;
        removeOwnTempFiles(join(dir, "figures"));
      } else {
        written.push(...outcome.written);
        figureFiles = outcome.written;
        if (outcome.failed.length > 0) note(`figures skipped: ${outcome.failed.join("; ")}`);
      }
    }
    const meta: SweepMeta = {
      name: scenario.name,
      engineVersion: ENGINE_VERSION,
      engineBuild: engineBuild(),
      scenarioSha256: loaded.sha256,
      gridSha256: identity.gridSha256,
      seed: scenario.seed,
      grid: { params: sweep.params, zip: sweep.zip ?? [], size: ctx.grid.size },
      outputs: job.outputs,
      curves: job.curves,
      points: store.size,
      failures: store.failures.size,
      failed: store.failures.size - uncertifiedCount(store.failures),
      uncertified: uncertifiedCount(store.failures),
      largestOptimalityGap: largestGapRecord(store.failures),
      elapsedSeconds: store.elapsedSeconds(),
      computeSeconds,
      phases: {
        setupSeconds: (computeStart - runStart) / 1000,
        computeSeconds,
        writeSeconds,
        figuresSeconds: (performance.now() - writeStart) / 1000 - writeSeconds,
        mainThreadShare: localPoints / Math.max(1, store.size - store.resumedCount),
      },
      workers: offMain && executor ? executor.threads : executor ? 1 + executor.threads : 1,
      validation: ctx.builder.mode,
      ...(identity.workLimitSeconds !== undefined ? { workLimitSeconds: identity.workLimitSeconds } : {}),
      shard,
      digests,
      createdBy: `lpe ${ENGINE_VERSION}`,
      ...loaded.provenance,
      scenario: loaded.resolved,
    };
    written.push(writeSweepMeta(dir, meta));
    if (figuresInterrupted) {
      // The manifest stays unfinished (every point done), so --resume reads the points back,
      // writes the same CSV bytes and draws the figures; a plain rerun is refused as for any
      // unfinished sweep.
      await store.settle();
      store.close();
      const drawnNow = countSweepFigures(join(dir, "figures"));
      io.err(
        `lpe: interrupted while drawing the figures: ${join(dir, SWEEP_CSV)} and ${SWEEP_JSON} are complete (${store.size} points${pointProblems(store.failures)}), ` +
          `${drawnNow} figure${drawnNow === 1 ? "" : "s"} drawn; draw them all with the same command and --resume`,
      );
      return stopCode;
    }
    store.finish();
    // An interrupt that came as the last points were solved, with the figures already drawn by
    // their thread: nothing was left to stop (a reviewer's Ctrl-C seemed ignored); said so.
    if (stopRequested) io.err(`lpe: interrupted after the last point was solved and ${figureFiles.length > 0 ? "the figures drawn" : "the files written"}: the sweep is complete`);
    const failed = pointProblems(store.failures);
    io.out(`wrote ${join(dir, SWEEP_CSV)}: ${store.size} point${store.size === 1 ? "" : "s"}${failed}, in ${meta.elapsedSeconds.toFixed(2)} s`);
    // as loud as lpe solve's: on stderr, with the largest gap (a reviewer found the count on
    // stdout alone too quiet); a shard's is said by the merge, for the whole grid
    const warning = shard ? undefined : uncertifiedWarning(store.failures, store.size);
    if (warning) io.err(`lpe: ${warning}`);
    if (figureFiles.length > 0) {
      // as lpe solve lists them: the stems, then the formats
      // (a large heatmap's cells for its .tex, <stem>.cells.pdf, are said apart: write.ts)
      const cells = figureFiles.filter((f) => f.endsWith(".cells.pdf")).length;
      const main = figureFiles.filter((f) => !f.endsWith(".cells.pdf"));
      const stems = [...new Set(main.map((f) => basename(f).replace(/\.(svg|pdf|tex|csv|caption\.txt)$/, "")))];
      const exts = [...new Set(main.map((f) => /\.(svg|pdf|tex|csv|caption\.txt)$/.exec(f)?.[1]).filter((e) => e !== undefined))];
      io.out(
        `figures: ${join(dir, "figures")}/{${stems.join(",")}}.{${exts.join(",")}}` +
          (cells > 0 ? `; and ${cells === stems.length ? "each" : `${cells} of them`} .cells.pdf, the heatmap's cells its .tex draws` : ""),
      );
    }
    if (shard) io.out(`shard ${shard.index}/${shard.count} done; when all are done: lpe merge ${baseDir} (shards written under other --out folders: name each shard folder, lpe merge DIR1 DIR2 …)`);
    // A shard is a part: its failed points are reported by the merge, which exits 4 for them
    // (so a SLURM task with failed points still succeeds and the merge runs).
    return store.failures.size > 0 && !shard ? EXIT_POINTS_FAILED : 0;
  } catch (e) {
    reported = true;
    return reportError(e, io, args.file);
  } finally {
    holdYoungGeneration(false);
    if (drawer) await drawer.close();
    // Cleanups sync and close the part files; on a full disk they fail as the run did, and
    // that error, already reported, must not be reported a second time by the caller.
    let late: unknown;
    for (const c of cleanups) {
      try {
        await c();
      } catch (e) {
        late ??= e;
      }
    }
    if (late !== undefined && !reported) throw late;
  }
}

/** Failed points recorded in a finished sweep's sweep.json (0 when unreadable). */
/** Rows of a finished sweep.csv whose status says "uncertified (…)" (an unquoted cell: it has no
 *  comma), or −1 when the file cannot be read. */
/** A check of a whole sweep's sweep.csv refused as a merge refuses a shard's, in the words of a
 *  whole sweep: it was never split, so "run shard 1/1 again" said nothing a user could do. */
function asWholeSweep(e: unknown): unknown {
  if (!(e instanceof InputError)) return e;
  const message = e.reason
    .replace(/ of shard 1\b/g, "")
    .replace(/not what the shard run wrote/, "not what the run wrote")
    .replace(/: run (shard 1\/1|its shard) again( \(it replaces [^)]*\))?$/, ": run the sweep again without --resume (it replaces the folder's files)");
  return new InputError(e.path, message);
}

/** Folders that are local to each machine of a cluster. */
function localTempDirs(): string[] {
  const dirs = ["/tmp", "/var/tmp", "/dev/shm", tmpdir(), process.env.TMPDIR ?? ""].filter((d) => d !== "");
  return [...new Set(dirs.flatMap((d) => [resolve(d), realPath(d)]))];
}

function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/** The ones of `paths` (by what they are) that lie in a machine-local temporary folder. */
export function underLocalTemp(paths: Record<string, string>): { what: string; path: string; tmp: string }[] {
  const tmps = localTempDirs();
  const found: { what: string; path: string; tmp: string }[] = [];
  for (const [what, path] of Object.entries(paths)) {
    const candidates = [resolve(path), realPath(path)];
    const tmp = tmps.find((t) => candidates.some((c) => c === t || c.startsWith(t.endsWith(sep) ? t : t + sep)));
    if (tmp) found.push({ what, path, tmp });
  }
  return found;
}

function emitSlurmScript(args: SweepArgs, io: Io, ctx: SweepContext, o: { name: string; out: string; outputs: number; shards?: number }): number {
  const cpusPerTask = positiveInt(args.cpusPerTask ?? args["cpus-per-task"], "--cpus-per-task") ?? args.workers;
  const time = args.time !== undefined ? checkSlurmTime(args.time) : undefined;
  const mem = args.mem !== undefined ? checkSlurmMem(args.mem) : undefined;
  const file = resolve(args.file);
  const out = resolve(o.out);
  const root = packageRoot();
  const sets = args.set ?? [];
  const unsets = args.unset ?? [];
  const bad = unsafeForScript(scriptValues({ name: o.name, file, out, root, sets, unsets }));
  if (bad) throw new InputError(bad, "holds a line break or another control character, which a SLURM script cannot carry safely");
  const sample = samplePoints(ctx);
  const plan = planSlurm({ gridSize: ctx.grid.size, outputs: o.outputs, shards: o.shards, cpusPerTask, time, mem, sample });
  const workLimitMs = ctx.job.workLimitMs;
  const workLimit = workLimitMs !== undefined ? workLimitText(workLimitMs) : undefined;
  const text = slurmScript({ name: o.name, file, out, root, plan, sets, unsets, workLimit, gridSize: ctx.grid.size, secondsPerPoint: sample.secondsPerPoint });
  const path = slurmScriptPath(out, o.name);
  writeFileAtomic(path, text);
  const local = underLocalTemp({ "the lpe checkout": root, "the scenario file": file, "the output folder": out });
  if (local.length > 0) {
    const list = local.map((l) => `${l.what} ${l.path} lies under ${l.tmp}`).join(", ");
    io.err(`lpe: warning: ${list}, which is local to each machine of a cluster: put the checkout, the scenario and --out on a filesystem shared with the compute nodes (home or project folder)`);
  }
  if (plan.cappedFrom !== undefined) {
    io.err(
      `lpe: --shard ${plan.cappedFrom} is more array tasks than SLURM's default MaxArraySize (1001) allows: the script runs ${MAX_ARRAY_TASKS} shards of up to ${plan.pointsPerShard} points each (give them more CPUs with --cpus-per-task if they are long)`,
    );
  }
  if (plan.pointsCapFrom !== undefined) {
    io.err(`lpe: --shard ${plan.pointsCapFrom} is more shards than the grid's ${ctx.grid.size} point${ctx.grid.size === 1 ? "" : "s"}: the script runs ${plan.shards} shard${plan.shards === 1 ? "" : "s"} of one point each`);
  }
  const t = plan.task;
  io.out(
    `wrote ${path}: ${plan.shards} shard${plan.shards > 1 ? "s" : ""} of up to ${plan.pointsPerShard} point${plan.pointsPerShard === 1 ? "" : "s"}, each task ${t.cpusPerTask} CPU${t.cpusPerTask > 1 ? "s" : ""}, --mem=${t.mem}, --time=${t.time}; the merge --mem=${plan.merge.mem}, --time=${plan.merge.time}`,
  );
  io.out(`submit the array and its merge (from anywhere; extra sbatch options such as --partition=NAME go to every job):  bash ${shQuote(path)}`);
  const [resubmit, merge] = recoverySteps(path, "I");
  io.out(`if a task fails or is cancelled:  ${resubmit}  (I: the failed tasks), then  ${merge}`);
  return 0;
}
