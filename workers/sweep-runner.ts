// The sweep loop: cut the points still missing into batches, keep every thread busy, record
// each finished batch in the store (which appends it to disk at once), and stop cleanly when
// asked (Ctrl-C): no new batches, the ones in flight are recorded, the store is synced.
// Results may arrive in any order; the store puts them in place by grid index, which is why
// the output bytes do not depend on threads or batch sizes. Batches are handed out in grid
// order, so they finish nearly in order; a fresh sweep writes its rows in order as they come
// (sweep-stream.ts), and the main thread solves no further batch of its own while MAX_BACKLOG
// finished ones, holding BACKLOG_BYTES of text or more, wait for an earlier one (a pool thread
// slowed down by other work on the machine).
//
// Threads: N workers are the main thread plus N − 1 pool threads. The main thread has the
// modules loaded and warm already and would otherwise only wait for messages, so it solves
// batches too, between handling the pool's results (a pool of N threads would pay one more
// thread start-up and leave a core idle on small machines). A pool-only run is possible
// (bench/ compares one pool thread with the in-process path).
//
// Batch size: fixed with --batch-size, else adaptive: the first batches are small, then each
// aims at TARGET_BATCH_SECONDS of work measured where it ran (big enough that the per-message
// cost, tens of µs, is noise; small enough that a kill loses little, pool results wait little
// while the main thread solves, and the progress line moves), and never more than a
// 1/(4·threads) share of what is left, so the threads finish together, nor more than
// MAX_BATCH points: a batch's outputs and formatted rows (about 0.7 kB a point) are in memory
// until written, in every batch in flight (the 1,000,000-point sweep's peak memory).

import type { BufferPool } from "./buffer-pool.js";
import type { RangeExecutor } from "./pool.js";
import type { RangeResult } from "./sweep-point.js";
import type { SweepStore } from "./sweep-store.js";
import { WARM_CHAIN } from "./sweep-kernel.js";
import { collectGarbage, FULL_GC_POINTS } from "./young-generation.js";

export const TARGET_BATCH_SECONDS = 0.04;
/** finished batches that may wait for an earlier one before the main thread stops to let it
 *  arrive — unless they hold less than BACKLOG_BYTES of text: the stop bounds the memory of
 *  waiting rows, and a general sweep's batches are a few kB, so stopping for them (behind a
 *  pool thread whose first points run cold) saved no memory and only idled the main thread */
export const MAX_BACKLOG = 2;
export const BACKLOG_BYTES = 2 << 20;
/** Unless told otherwise (a kernel sweep's light threads: sweep-job.ts), the pool threads are
 *  given the job only when the work left, at the main thread's best measured speed, is at
 *  least this long: a thread building a general job's context (loading the schema
 *  and the solvers) and compiling its code slows the main thread on a small machine, and on a
 *  2,000-point beta sweep of 0.6 s a second worker made the run half as slow again. */
export const POOL_MIN_SECONDS = 1.5;
/** …judged once the main thread has solved this long (its first points run cold, several times
 *  slower, and more so beside a figure thread starting up: judged on its first 0.1 s, a
 *  100,000-point kernel sweep of 0.5 s looked like 2 s) */
export const POOL_JUDGE_SECONDS = 0.25;
/** A kernel sweep's threads are light (no schema, no solvers: sweep-job.ts) but their first
 *  batches still run cold, and while they compile they take CPU from the main thread: a
 *  100,000-point sweep (0.2 s on one thread) took 0.55 s with 2 workers against 0.41 without
 *  the pool. So the pool takes a kernel sweep only when the work left is at least this long at
 *  the main thread's best speed, judged once the main thread has solved KERNEL_POOL_JUDGE_SECONDS
 *  (its first ~80 ms run cold; judged sooner, every sweep looked long). */
export const KERNEL_POOL_MIN_SECONDS = 0.3;
export const KERNEL_POOL_JUDGE_SECONDS = 0.08;
/** A kernel sweep point's lowest plausible cost, solved and formatted (about half the warm cost
 *  measured on the benchmark machine, 0.6–0.75 µs): a sweep with at least KERNEL_POOL_MIN_SECONDS
 *  of work even at this speed (1,000,000 points) is given to the pool from the start, unjudged
 *  (sweep-job.ts). On the 1,000,000-point benchmark sweep with 2 workers the pool thread then
 *  solved its first batch ~0.12 s sooner, and the computation took 0.81 s instead of 0.86 s
 *  (medians of 6 interleaved runs). */
export const KERNEL_POINT_SECONDS_FLOOR = 0.3e-6;
export const MAX_BATCH = 1024;
/** work queued per pool thread (sweep-runner's window), in seconds and in batches at most */
export const QUEUED_SECONDS = 0.008;
export const MAX_QUEUED = 8;
const FIRST_BATCH = 16;

export interface RunOptions {
  /** solves a range on the calling thread */
  local?: (start: number, end: number) => RangeResult;
  /** worker threads */
  pool?: RangeExecutor;
  store: SweepStore;
  /** fixed points per batch (else adaptive) */
  batchSize?: number;
  onProgress?: (done: number) => void;
  /** each finished range, after the store has recorded it */
  onResult?: (r: RangeResult) => void;
  /** buffers to send back to the pool threads with their tasks (buffer-pool.ts) */
  buffers?: BufferPool;
  /** a promise to wait for before the next batch (the disk is behind), or undefined */
  throttle?: () => Promise<void> | undefined;
  /** finished ranges held back until an earlier one arrives (the stream's reorder buffer):
   *  the main thread solves no further batch while this is at MAX_BACKLOG */
  backlog?: () => { batches: number; bytes: number };
  shouldStop?: () => boolean;
  /** POOL_MIN_SECONDS, unless given (0: the pool from the start, as soon as a thread is ready) */
  poolMinSeconds?: number;
  /** the main thread's solving time after which the work left is judged (POOL_JUDGE_SECONDS) */
  poolJudgeSeconds?: number;
  /** the main thread waits for a pool thread before its first batch, so that the pool solves
   *  some points however short the sweep (the tests of identical bytes across workers) */
  poolFirst?: boolean;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Run every missing point of the store's range. Returns stopped = true when interrupted. */
export async function runSweepPoints(opts: RunOptions): Promise<{ stopped: boolean; localPoints: number }> {
  const { store, local, pool } = opts;
  if (!local && !pool) throw new Error("runSweepPoints needs a local solver or a pool");
  const threads = (local ? 1 : 0) + (pool?.threads ?? 0);
  const ranges = store.remainingRanges();
  let remaining = ranges.reduce((a, [s, e]) => a + e - s, 0);
  let ri = 0;
  let pos = ranges.length > 0 ? ranges[0][0] : 0;
  // seconds per point measured on the main thread and in the pool, apart: a pool thread's
  // first batches run cold (not yet compiled) and would size the main thread's too small, and
  // the main thread's warm speed would hand a cold thread a batch several times too long
  const speed = { local: 0, pool: 0 };
  let localPoints = 0;

  const batchSize = (where: "local" | "pool"): number => {
    if (opts.batchSize) return opts.batchSize;
    const share = Math.max(1, Math.ceil(remaining / (4 * threads)));
    const secondsPerPoint = speed[where];
    const target = secondsPerPoint > 0 ? Math.round(TARGET_BATCH_SECONDS / secondsPerPoint) : FIRST_BATCH;
    return Math.max(1, Math.min(MAX_BATCH, share, target));
  };

  const nextTask = (where: "local" | "pool"): [number, number] | undefined => {
    while (ri < ranges.length && pos >= ranges[ri][1]) {
      ri++;
      if (ri < ranges.length) pos = ranges[ri][0];
    }
    if (ri >= ranges.length) return undefined;
    const a = pos;
    let b = Math.min(ranges[ri][1], a + batchSize(where));
    // a batch ends at a multiple of WARM_CHAIN where it can: a kernel sweep's point starts its
    // roots from the point before's in chains of that many (sweep-kernel.ts), and a batch that
    // starts inside a chain, on another thread than the one before, solves its first part again
    if (b < ranges[ri][1] && b - (b % WARM_CHAIN) > a) b -= b % WARM_CHAIN;
    pos = b;
    remaining -= b - a;
    return [a, b];
  };

  // a pool-only run uses its pool at once; otherwise once the work left is worth a thread
  const judge = opts.poolMinSeconds ?? POOL_MIN_SECONDS;
  let poolWanted = pool !== undefined && (!local || judge <= 0 || opts.poolFirst === true);
  if (poolWanted) pool!.prepare();
  if (pool && local && opts.poolFirst) await pool.whenReady();
  let localSeconds = 0;
  let fastest = Infinity;
  let sinceCollection = 0;
  const record = (r: RangeResult, where: "local" | "pool") => {
    const per = r.seconds / (r.end - r.start);
    speed[where] = speed[where] === 0 ? per : 0.7 * speed[where] + 0.3 * per;
    if (where === "local") {
      localSeconds += r.seconds;
      fastest = Math.min(fastest, per);
    } else poolBatchSeconds = poolBatchSeconds === 0 ? r.seconds : 0.7 * poolBatchSeconds + 0.3 * r.seconds;
    // (at the main thread's best speed so far: its first batches run cold, and a figure thread
    // starting beside it slows some down; judged on those, a short sweep looked long)
    if (pool && !poolWanted && where === "local" && localSeconds >= Math.min(judge, opts.poolJudgeSeconds ?? POOL_JUDGE_SECONDS) && fastest * remaining >= judge) {
      poolWanted = true;
      pool.prepare();
    }
    store.record(r);
    // the old generation's garbage of a long sweep, collected as it goes (young-generation.ts)
    sinceCollection += r.end - r.start;
    if (sinceCollection >= FULL_GC_POINTS) {
      sinceCollection = 0;
      collectGarbage();
    }
    opts.onResult?.(r);
    opts.onProgress?.(store.doneCount);
  };

  // Batches queued per pool thread: enough that a thread never waits while the main thread is
  // inside one of its own batches and handling the results (it dispatches new work only between
  // them): QUEUED_SECONDS of the pool's work, 2 to MAX_QUEUED batches. A kernel sweep's batch
  // takes about a millisecond, and with 2 queued a pool thread of the 1,000,000-point sweep was
  // idle a third of the time while the main thread, which also writes the files, solved half
  // the points; a general sweep's batches are long, and 2 keep a thread busy without leaving
  // a long tail of queued work when the points run out.
  let poolBatchSeconds = 0;
  const window = () => {
    if (!pool) return 0;
    const batches = poolBatchSeconds > 0 ? Math.ceil(QUEUED_SECONDS / poolBatchSeconds) : 2;
    return pool.threads * Math.max(2, Math.min(MAX_QUEUED, batches));
  };
  const inflight = new Set<Promise<void>>();
  let failure: unknown;
  let stopped = false;
  for (;;) {
    if (!stopped && opts.shouldStop?.()) stopped = true;
    const open = () => !stopped && failure === undefined;
    const wait = open() ? opts.throttle?.() : undefined;
    if (wait) {
      try {
        await wait;
      } catch (e) {
        failure ??= e;
      }
      continue;
    }
    // a pool thread gets tasks once it has built the job's context; until then the main
    // thread solves alone (it would otherwise hold back, waiting for a thread still starting)
    if (pool && !local && open() && !pool.ready()) await pool.whenReady();
    while (pool && poolWanted && pool.ready() && open() && inflight.size < window()) {
      const task = nextTask("pool");
      if (!task) break;
      const p: Promise<void> = pool
        .run(task[0], task[1], opts.buffers?.takeSet())
        .then((r) => record(r, "pool"))
        .catch((e) => {
          failure ??= e;
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
    // A fresh sweep writes its rows in grid order: when a pool thread falls behind (a busy
    // machine), the main thread waits for it rather than pile up batches it cannot write yet.
    const waiting = pool && inflight.size > 0 ? opts.backlog?.() : undefined;
    const held = waiting !== undefined && waiting.batches >= MAX_BACKLOG && waiting.bytes >= BACKLOG_BYTES;
    const task = local && open() && !held ? nextTask("local") : undefined;
    if (task) {
      try {
        record(local!(task[0], task[1]), "local");
        localPoints += task[1] - task[0];
      } catch (e) {
        failure ??= e;
      }
      // let the pool's answers, timers and signal handlers in between two local batches
      await yieldToEventLoop();
      continue;
    }
    if (inflight.size === 0) break;
    await Promise.race(inflight);
  }
  try {
    await store.settle();
    store.sync();
  } catch (e) {
    // the first failure is the one to report (a full disk fails the sync too)
    failure ??= e;
  }
  if (failure !== undefined) throw failure;
  return { stopped: stopped && !store.complete, localPoints };
}
