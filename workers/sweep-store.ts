// Durable sweep state in the sweep's folder, so that nothing finished is lost:
//   rows.part      one fixed-size binary record per finished point, little-endian doubles
//                  [index, out1, …, outK, −(index+1)], appended as each batch arrives
//                  (the write queue gathers appends into runs of 512 kB, issued within
//                  20 ms: `kill -9` loses the points in flight and those finished in the last
//                  20 ms at most) and fsynced in chunks (every
//                  SYNC_ROWS rows or SYNC_MS ms, so a power cut loses little more). Binary
//                  because it is exact and costs nothing per number, where formatting a
//                  double as text costs about as much as validating a point; the trailer
//                  tells a record from a torn or zero-filled one;
//   failures.part  `index,status` lines of failed points, appended before their records;
//   curves.part    the long-format curve lines of finished points (only with sweep.curves),
//                  also appended before the records they belong to;
//   manifest.json  written atomically after each fsync: what the sweep is (scenario sha256,
//                  grid hash and size, outputs, shard) and which points are done;
//   run.lock       held while a run writes the folder, so that two runs never do (run-lock.ts).
// The periodic fsync runs in the background (libuv's thread pool) while the points are solved;
// the manifest written when it completes names only the points recorded before it started.
// With a WriteQueue (engine/results/write-queue.ts) the appends themselves run off the main
// thread, in order (a status line before its record); settle() waits for them.
// `--resume` checks the manifest against the scenario, reads the records back, drops a record
// or line cut short by a kill, and continues with the points still missing. In memory the store
// keeps the failures in a Map and, when asked to (`keepValues`, and always when resuming: the
// canonical files are then written from it), the range's outputs in one Float64Array. A fresh
// sweep streams its CSV files instead (sweep-stream.ts) and keeps only a done flag per point.

import { refuseLinks } from "../engine/results/own-entries.js";
import { close, closeSync, existsSync, fsync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../engine/errors.js";
import { writeFileAtomic } from "../engine/results/atomic-write.js";
import { removeStaleTempFiles } from "../engine/results/temp-files.js";
import { checkJsonFile, ManifestSchema, MANIFEST_FORMAT, readJsonFile } from "./sweep-files.js";
import type { ShardSlice } from "./shard.js";
import type { RangeResult } from "./sweep-point.js";
import { RunLock } from "./run-lock.js";
import type { WriteQueue } from "../engine/results/write-queue.js";
import { BufferPool } from "./buffer-pool.js";
import { scenarioDifferenceText } from "./json-difference.js";

/** fsync the part files after this many new rows or this many ms, whichever comes first */
export const SYNC_ROWS = 1_000_000;
export const SYNC_MS = 1_000;
export { MANIFEST_FORMAT };

/** One flag per point of a range, a bit each (10,000,000 points: 1.25 MB). */
export class DoneFlags {
  private readonly bits: Uint32Array;
  constructor(readonly size: number) {
    this.bits = new Uint32Array(Math.ceil(size / 32));
  }
  has(i: number): boolean {
    return (this.bits[i >>> 5] & (1 << (i & 31))) !== 0;
  }
  add(i: number): void {
    this.bits[i >>> 5] |= 1 << (i & 31);
  }
  /** set the flags of [from, to) */
  addRange(from: number, to: number): void {
    const bits = this.bits;
    let i = from;
    for (; i < to && (i & 31) !== 0; i++) bits[i >>> 5] |= 1 << (i & 31);
    for (; i + 32 <= to; i += 32) bits[i >>> 5] = -1;
    for (; i < to; i++) bits[i >>> 5] |= 1 << (i & 31);
  }
  /** The first index ≥ i whose flag is `set` (size if none): a word of 32 at a time, so the
   *  done ranges of a million-point sweep are found in ~31,000 steps, not a million. */
  next(i: number, set: boolean): number {
    const n = this.size;
    const bits = this.bits;
    while (i < n) {
      const w = set ? bits[i >>> 5] : ~bits[i >>> 5];
      const rest = w >>> (i & 31); // the flags from i to the end of its word
      if (rest !== 0) return Math.min(n, i + 31 - Math.clz32(rest & -rest));
      i = (i | 31) + 1;
    }
    return n;
  }
}

/** What a sweep is; two runs with equal identities compute the same rows. */
export interface SweepIdentity {
  name: string;
  engineVersion: string;
  /** the build that started the sweep (engine/build-id.ts): a resume by another build is noted */
  engineBuild?: string;
  scenarioSha256: string;
  /** sha256 of the sweep block as run (params, zip, outputs, curves) */
  gridSha256: string;
  gridSize: number;
  params: string[];
  outputs: string[];
  curves: string[];
  shard: ShardSlice | null;
  /** `--work-limit` in seconds (or "none"), when the run was given one: it decides which points
   *  are refused as too long, so a resume must use the same */
  workLimitSeconds?: number | "none";
}

export interface Manifest {
  format: string;
  identity: SweepIdentity;
  start: number;
  end: number;
  done: number;
  /** finished points as [from, to) runs of grid indices (rows.part may hold a few more) */
  doneRanges: [number, number][];
  failures: number;
  elapsedSeconds: number;
  complete: boolean;
  updatedAt: string;
}

export const MANIFEST = "manifest.json";
export const ROWS_PART = "rows.part";
export const FAILURES_PART = "failures.part";
export const CURVES_PART = "curves.part";
/** The resolved scenario an unfinished sweep was started with: a resume refused because the
 *  scenario changed says where (sweep.json records it once the sweep is complete). */
export const SCENARIO_PART = "scenario.part.json";

export function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) return undefined;
  const hint = `; delete ${dir} to start the sweep over`;
  const data = readJsonFile(path, hint);
  if (data !== null && typeof data === "object" && (data as { format?: unknown }).format !== MANIFEST_FORMAT) {
    throw new InputError("", `${path} is not an lpe sweep manifest (format ${String((data as { format?: unknown }).format)})`);
  }
  return checkJsonFile(ManifestSchema, data, path, hint);
}

/** The scenario a sweep in `dir` was started with: its SCENARIO_PART while unfinished, the one its
 *  sweep.json records once complete; undefined when neither can be read. */
function startedWith(dir: string): unknown {
  for (const [file, pick] of [
    [SCENARIO_PART, (v: unknown) => v],
    ["sweep.json", (v: unknown) => (v as { scenario?: unknown } | null)?.scenario],
  ] as const) {
    try {
      const v = pick(JSON.parse(readFileSync(join(dir, file), "utf8")));
      if (v !== undefined) return v;
    } catch {
      // (absent or unreadable: the hashes alone then say that the scenarios differ)
    }
  }
  return undefined;
}

/** The first difference between a stored identity and the current one, in words. */
export function identityMismatch(stored: SweepIdentity, now: SweepIdentity): string | undefined {
  const short = (s: string) => s.slice(0, 12) + "…";
  if (stored.scenarioSha256 !== now.scenarioSha256) {
    return `the scenario has changed since the sweep started (sha256 ${short(stored.scenarioSha256)} then, ${short(now.scenarioSha256)} now)`;
  }
  if (stored.gridSha256 !== now.gridSha256 || stored.gridSize !== now.gridSize) {
    return `the sweep grid has changed (${stored.gridSize} points then, ${now.gridSize} now)`;
  }
  if (stored.engineVersion !== now.engineVersion) {
    return `it was started by lpe ${stored.engineVersion}, this is lpe ${now.engineVersion}`;
  }
  const slice = (s: ShardSlice | null) => (s ? `shard ${s.index}/${s.count}` : "the whole grid");
  if (JSON.stringify(stored.shard) !== JSON.stringify(now.shard)) return `it ran ${slice(stored.shard)}, this run asks for ${slice(now.shard)}`;
  if (JSON.stringify([stored.params, stored.outputs, stored.curves]) !== JSON.stringify([now.params, now.outputs, now.curves])) {
    return "the swept parameters or outputs have changed";
  }
  if (stored.workLimitSeconds !== now.workLimitSeconds) {
    const said = (w: number | "none" | undefined) => (w === undefined ? "without --work-limit" : `with --work-limit ${w}`);
    return `it ran ${said(stored.workLimitSeconds)}, this run asks ${said(now.workLimitSeconds)} (it decides which points are refused as too long): resume ${said(stored.workLimitSeconds)}`;
  }
  return undefined;
}

function parseIndex(s: string): number {
  return /^\d+$/.test(s) ? Number(s) : -1;
}

export interface OpenOptions {
  resume: boolean;
  /** keep every point's outputs in memory (default true; always when resuming) */
  keepValues?: boolean;
  /** append through this queue (off the calling thread) instead of writing synchronously */
  queue?: WriteQueue;
  /** called with one-line notes for the user (e.g. a discarded partial line) */
  note?: (s: string) => void;
  /** the resolved scenario, kept beside the part files to word a refused resume */
  scenario?: unknown;
}

export class SweepStore {
  readonly K: number;
  /** the range's outputs, point-major (NaN until done); undefined when not kept */
  readonly values: Float64Array | undefined;
  /** which points of the range are done (a bit each) */
  readonly done: DoneFlags;
  readonly failures = new Map<number, string>();
  doneCount = 0;
  /** points found finished on disk when the store was opened */
  readonly resumedCount: number;
  private fdRows = -1;
  private fdFailures = -1;
  private fdCurves = -1;
  private rowsSinceSync = 0;
  private lastSync = Date.now();
  /** a background fsync is running */
  private syncing = false;
  private queue: WriteQueue | undefined;
  private readonly recBuffers = new BufferPool();
  /** the first error of a background fsync or manifest, reported by the next sync() */
  private syncError: unknown;
  private readonly startedAt = Date.now();
  private readonly elapsedBefore: number;
  private lock: RunLock | undefined;

  private constructor(
    readonly dir: string,
    readonly identity: SweepIdentity,
    readonly start: number,
    readonly end: number,
    private readonly note: (s: string) => void,
    elapsedBefore: number,
    keepValues = true,
  ) {
    this.K = identity.outputs.length;
    this.values = keepValues ? new Float64Array((end - start) * this.K).fill(NaN) : undefined;
    this.done = new DoneFlags(end - start);
    this.elapsedBefore = elapsedBefore;
    this.resumedCount = 0;
  }

  /**
   * Open the state of the sweep `identity` over [start, end) in `dir`: a fresh start, or with
   * `resume` the finished points of an earlier run. Refuses (InputError) to resume another sweep
   * and to overwrite an unfinished one without --resume. `complete` is set when a resumed sweep
   * had already finished (nothing left to do, its files are in place).
   */
  static open(dir: string, identity: SweepIdentity, start: number, end: number, opts: OpenOptions): { store: SweepStore; complete: boolean } {
    mkdirSync(dir, { recursive: true });
    const lock = RunLock.acquire(dir);
    try {
      const opened = SweepStore.openLocked(dir, identity, start, end, opts);
      if (opened.complete) lock.release();
      else opened.store.lock = lock;
      return opened;
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  private static openLocked(dir: string, identity: SweepIdentity, start: number, end: number, opts: OpenOptions): { store: SweepStore; complete: boolean } {
    const note = opts.note ?? (() => {});
    // the part files are appended to and truncated in place, curves/ and figures/ emptied and
    // written: none may be a link to elsewhere (engine/results/own-entries.ts)
    refuseLinks(dir, [ROWS_PART, FAILURES_PART, CURVES_PART, SCENARIO_PART, "curves", "figures"]);
    // what a killed run left half-written here (its canonical files are rewritten anyway)
    removeStaleTempFiles([dir, join(dir, "curves"), join(dir, "figures")]);
    const m = readManifest(dir);
    let resumeFrom: Manifest | undefined;
    if (m) {
      if (opts.resume) {
        const why = identityMismatch(m.identity, identity);
        if (why) {
          const changed = m.identity.scenarioSha256 !== identity.scenarioSha256 ? scenarioDifferenceText(startedWith(dir), opts.scenario, ["then", "now"]) : "";
          throw new InputError("", `cannot resume the sweep in ${dir}: ${why}${changed}; delete that folder (or choose another --out) to start over`);
        }
        const [then, now] = [m.identity.engineBuild, identity.engineBuild];
        if (then && now && then !== now) note(`note: resuming with another build of lpe ${identity.engineVersion} (commit ${now}) than the one that started the sweep (commit ${then}): rows of the two builds may differ where the engine changed between them`);
        // complete only with both files in place: a sweep.json removed since is written again
        // (the points are solved again: a finished sweep keeps no part files)
        if (m.complete && existsSync(join(dir, "sweep.csv")) && existsSync(join(dir, "sweep.json"))) {
          const store = new SweepStore(dir, identity, start, end, note, m.elapsedSeconds);
          return { store, complete: true };
        }
        if (!m.complete) resumeFrom = m;
      } else if (!m.complete) {
        const total = m.end - m.start;
        throw new InputError(
          "",
          m.done >= total
            ? `${dir} holds a sweep interrupted after all its ${total} points were solved (its figures or files were not all written): add --resume to finish it without solving them again, or delete the folder to start over`
            : // (the manifest's count is its last checkpoint's: --resume also keeps the rows written
              // after it that reached the disk, so it may report more — a reviewer's 459, then 523)
              `${dir} holds an unfinished sweep (at least ${m.done} of ${total} points done at its last checkpoint): add --resume to finish it, or delete the folder to start over`,
        );
      }
    } else if (opts.resume) {
      note(`nothing to resume in ${dir}: starting the sweep`);
    }
    const store = new SweepStore(dir, identity, start, end, note, resumeFrom ? resumeFrom.elapsedSeconds : 0, Boolean(resumeFrom) || opts.keepValues !== false);
    store.queue = opts.queue;
    if (resumeFrom) store.load();
    else {
      for (const f of [ROWS_PART, FAILURES_PART, CURVES_PART, SCENARIO_PART]) rmSync(join(dir, f), { force: true });
      if (opts.scenario !== undefined) writeFileAtomic(join(dir, SCENARIO_PART), JSON.stringify(opts.scenario) + "\n");
    }
    store.fdRows = openSync(join(dir, ROWS_PART), "a");
    store.fdFailures = openSync(join(dir, FAILURES_PART), "a");
    if (identity.curves.length > 0) store.fdCurves = openSync(join(dir, CURVES_PART), "a");
    (store as { resumedCount: number }).resumedCount = store.doneCount;
    store.writeManifest(false);
    return { store, complete: false };
  }

  /** The part files' text lines, without a last line cut short (the file is truncated there). */
  private completeLines(name: string): string[] {
    const path = join(this.dir, name);
    if (!existsSync(path)) return [];
    const text = readFileSync(path, "utf8");
    const end = text.lastIndexOf("\n") + 1;
    if (end < text.length) {
      this.note(`discarded a partial last line of ${path} (the run was killed while writing it)`);
      truncateFile(path, Buffer.byteLength(text.slice(0, end), "utf8"));
    }
    const lines = text.slice(0, end).split("\n");
    lines.pop();
    return lines;
  }

  /** Read the finished points back; a torn or damaged record ends the usable part of rows.part. */
  private load(): void {
    const statuses = new Map<number, string>();
    for (const l of this.completeLines(FAILURES_PART)) {
      const c = l.indexOf(",");
      const i = parseIndex(l.slice(0, c));
      if (c > 0 && i >= this.start && i < this.end) statuses.set(i, l.slice(c + 1));
    }
    const path = join(this.dir, ROWS_PART);
    if (existsSync(path)) {
      const buf = readFileSync(path);
      const R = this.K + 2;
      const n = Math.floor(buf.length / (8 * R));
      const rec = new Float64Array(R);
      const bytes = new Uint8Array(rec.buffer);
      let good = 0;
      for (let r = 0; r < n; r++) {
        bytes.set(buf.subarray(r * 8 * R, (r + 1) * 8 * R));
        const index = rec[0];
        if (!(Number.isInteger(index) && index >= this.start && index < this.end && rec[R - 1] === -(index + 1))) {
          this.note(`${path}: record ${r + 1} is damaged; it and everything after it will be recomputed`);
          break;
        }
        good = (r + 1) * 8 * R;
        if (this.done.has(index - this.start)) continue;
        this.values!.set(rec.subarray(1, R - 1), (index - this.start) * this.K);
        this.markDone(index, statuses.get(index) ?? "ok");
      }
      if (good < buf.length) {
        if (good === n * 8 * R) this.note(`discarded a partial last record of ${path} (the run was killed while writing it)`);
        truncateFile(path, good);
      }
    }
    if (this.identity.curves.length > 0) this.compactCurves();
  }

  /** Keep only the curve lines of finished points (a killed run may have written some for lost points). */
  private compactCurves(): void {
    const path = join(this.dir, CURVES_PART);
    if (!existsSync(path)) return;
    const text = readFileSync(path, "utf8");
    const end = text.lastIndexOf("\n") + 1;
    const kept: string[] = [];
    for (const l of text.slice(0, end).split("\n")) {
      if (l === "") continue;
      const i = parseIndex(l.slice(0, l.indexOf(",")));
      if (i >= this.start && i < this.end && this.done.has(i - this.start)) kept.push(l + "\n");
    }
    writeFileAtomic(path, kept.join(""));
  }

  private markDone(index: number, status: string): void {
    this.done.add(index - this.start);
    this.doneCount++;
    if (status !== "ok") this.failures.set(index, status);
  }

  get size(): number {
    return this.end - this.start;
  }

  get complete(): boolean {
    return this.doneCount === this.size;
  }

  /** Record a finished range: append its curves, failures and records to disk, then keep them in memory. */
  record(r: RangeResult): void {
    const K = this.K;
    const R = K + 2;
    // (the result's fields read once: results from the pool threads and from this thread have
    // different hidden classes, and a field read in the loop was re-read at every point)
    const { start, end, values: src, failedAt, failedStatus } = r;
    const buf = this.recBuffers.take(8 * (end - start) * R);
    const recs = new Float64Array(buf, 0, (end - start) * R);
    const values = this.values;
    const first = this.start;
    let n = 0;
    let f = 0;
    let failures = "";
    // the common case (a fresh range, every point ok): no flag or failure per point
    const fresh = failedAt.length === 0 && !values && this.done.next(start - first, true) >= end - first;
    for (let i = start; i < end; i++) {
      const off = i - start;
      let failed = false;
      if (!fresh) {
        while (f < failedAt.length && failedAt[f] < off) f++;
        if (this.done.has(i - first)) continue;
        failed = f < failedAt.length && failedAt[f] === off;
        if (failed) failures += `${i},${failedStatus[f]}\n`;
      }
      const o = n * R;
      const from = off * K;
      recs[o] = i;
      for (let k = 0; k < K; k++) recs[o + 1 + k] = src[from + k];
      recs[o + R - 1] = -(i + 1);
      n++;
      if (fresh) continue;
      if (values) for (let k = 0; k < K; k++) values[(i - first) * K + k] = src[from + k];
      this.markDone(i, failed ? failedStatus[f] : "ok");
    }
    if (fresh) {
      this.done.addRange(start - first, end - first);
      this.doneCount += n;
    }
    if (r.curveLines && this.fdCurves >= 0) this.append(this.fdCurves, Buffer.from(r.curveLines, "utf8"), CURVES_PART);
    if (failures) this.append(this.fdFailures, Buffer.from(failures, "utf8"), FAILURES_PART);
    this.append(this.fdRows, new Uint8Array(buf, 0, n * R * 8), ROWS_PART);
    // the records' buffer is reused once written
    if (this.queue) this.queue.then(() => this.recBuffers.give(buf));
    else this.recBuffers.give(buf);
    this.rowsSinceSync += n;
    if (this.rowsSinceSync >= SYNC_ROWS || Date.now() - this.lastSync >= SYNC_MS) this.syncInBackground();
  }

  private append(fd: number, b: Uint8Array, name: string): void {
    if (this.queue) this.queue.write(fd, b, join(this.dir, name), "store");
    else writeAll(fd, b);
  }

  /** Wait until every append has reached its file (with a queue; rejects with its failure). */
  async settle(): Promise<void> {
    await this.queue?.idle();
  }

  /**
   * fsync the part files on libuv's thread pool, then record in the manifest the points done
   * now (with a queue, the fsync starts once their records are written); a no-op while one is
   * running. An error is kept for sync().
   */
  syncInBackground(): void {
    if (this.syncing || this.fdRows < 0) return;
    this.syncing = true;
    this.rowsSinceSync = 0;
    this.lastSync = Date.now();
    const snapshot = this.manifest(false);
    if (this.queue) {
      // (the queue defers small writes for a few ms: issue them now, the fsync is for them too)
      this.queue.flush();
      this.queue.then(() => this.flushParts(snapshot));
    } else this.flushParts(snapshot);
  }

  private flushParts(snapshot: Manifest): void {
    // descriptors of the flush's own, closed when it ends: the store may close its own meanwhile
    const fds: number[] = [];
    try {
      if (this.fdRows < 0) throw new Error("closed");
      for (const name of this.fdCurves >= 0 ? [CURVES_PART, FAILURES_PART, ROWS_PART] : [FAILURES_PART, ROWS_PART]) fds.push(openSync(join(this.dir, name), "r"));
    } catch {
      for (const fd of fds) closeSync(fd);
      this.syncing = false;
      return;
    }
    let left = fds.length;
    let failed: unknown;
    for (const fd of fds) {
      fsync(fd, (e) => {
        failed ??= e ?? undefined;
        close(fd, () => {});
        if (--left > 0) return;
        this.syncing = false;
        try {
          if (failed) throw failed;
          // a later synchronous sync() may have written a newer manifest meanwhile
          if (this.fdRows >= 0 && snapshot.done >= this.manifestDone) {
            this.saveManifest(snapshot);
            this.lock?.refresh();
          }
        } catch (err) {
          this.syncError ??= err;
        }
      });
    }
  }

  /** fsync the part files, then record progress in the manifest (with a queue: after settle()). */
  sync(): void {
    if (this.syncError !== undefined) throw this.syncError;
    if (this.fdCurves >= 0) fsyncSync(this.fdCurves);
    if (this.fdFailures >= 0) fsyncSync(this.fdFailures);
    if (this.fdRows >= 0) fsyncSync(this.fdRows);
    this.rowsSinceSync = 0;
    this.lastSync = Date.now();
    this.writeManifest(false);
    this.lock?.refresh();
  }

  /** Remaining points as [from, to) runs, each cut to at most `batch` points. */
  remainingRanges(): [number, number][] {
    const out: [number, number][] = [];
    const n = this.size;
    for (let i = this.done.next(0, false); i < n; ) {
      const a = i;
      i = this.done.next(i, true);
      out.push([this.start + a, this.start + i]);
      i = this.done.next(i, false);
    }
    return out;
  }

  elapsedSeconds(): number {
    return this.elapsedBefore + (Date.now() - this.startedAt) / 1000;
  }

  private doneRanges(): [number, number][] {
    const out: [number, number][] = [];
    const n = this.size;
    for (let i = this.done.next(0, true); i < n; ) {
      const a = i;
      i = this.done.next(i, false);
      out.push([this.start + a, this.start + i]);
      i = this.done.next(i, true);
    }
    return out;
  }

  /** done count of the last manifest written */
  private manifestDone = 0;

  private writeManifest(complete: boolean): void {
    this.saveManifest(this.manifest(complete));
  }

  private saveManifest(m: Manifest): void {
    writeFileAtomic(join(this.dir, MANIFEST), JSON.stringify(m, null, 1) + "\n");
    this.manifestDone = m.done;
  }

  private manifest(complete: boolean): Manifest {
    return {
      format: MANIFEST_FORMAT,
      identity: this.identity,
      start: this.start,
      end: this.end,
      done: this.doneCount,
      doneRanges: this.doneRanges(),
      failures: this.failures.size,
      elapsedSeconds: this.elapsedSeconds(),
      complete,
      updatedAt: new Date().toISOString(),
    };
  }

  /** Curve lines of all finished points, in grid order (a point's lines keep their order). */
  curveLinesInGridOrder(): string[] {
    const path = join(this.dir, CURVES_PART);
    if (!existsSync(path)) return [];
    const text = readFileSync(path, "utf8");
    const lines = text.slice(0, text.lastIndexOf("\n") + 1).split("\n");
    lines.pop();
    const keyed = lines.map((l, j) => ({ l, i: parseIndex(l.slice(0, l.indexOf(","))), j }));
    keyed.sort((a, b) => a.i - b.i || a.j - b.j);
    return keyed.map((k) => k.l + "\n");
  }

  /** Sync, then close the part files and give up the folder's lock. */
  close(): void {
    try {
      this.closeFiles();
    } finally {
      this.lock?.release();
    }
  }

  private closeFiles(): void {
    if (this.fdRows >= 0) this.sync();
    for (const fd of [this.fdRows, this.fdFailures, this.fdCurves]) if (fd >= 0) closeSync(fd);
    this.fdRows = this.fdFailures = this.fdCurves = -1;
  }

  /** The canonical files are written: mark the sweep complete, drop the part files, give up the lock. */
  finish(): void {
    try {
      // no fsync of the part files first: they are removed below, and the canonical files that
      // replace them are on disk already (fsynced before they were renamed into place)
      if (this.syncError !== undefined) throw this.syncError;
      for (const fd of [this.fdRows, this.fdFailures, this.fdCurves]) if (fd >= 0) closeSync(fd);
      this.fdRows = this.fdFailures = this.fdCurves = -1;
      this.writeManifest(true);
      for (const f of [ROWS_PART, FAILURES_PART, CURVES_PART, SCENARIO_PART]) rmSync(join(this.dir, f), { force: true });
    } finally {
      this.lock?.release();
    }
  }

  /** Size of rows.part on disk (tests, progress). */
  partBytes(): number {
    const p = join(this.dir, ROWS_PART);
    return existsSync(p) ? statSync(p).size : 0;
  }
}

function writeAll(fd: number, b: Uint8Array): void {
  let off = 0;
  while (off < b.length) off += writeSync(fd, b, off, b.length - off);
}

function truncateFile(path: string, bytes: number): void {
  const fd = openSync(path, "r+");
  ftruncateSync(fd, bytes);
  fsyncSync(fd);
  closeSync(fd);
}
