// sweep.csv (README "Outputs and where they land"): one row per grid point in grid order: `point` (the grid index, from
// 0, the key that sweep-curves.csv shares), the swept parameter values, `status` ("ok" or the
// failure's cause), then the outputs. Every number goes through
// formatNumber (shortest round-trip decimal, empty cell for NaN), so the file's bytes depend
// only on the numbers, never on how many workers, batches, resumes or shards produced them.
// Also a streaming atomic text writer: a million-row file is written piecewise to a temporary
// file, fsynced and renamed into place, without holding the whole text in memory.

import { close, closeSync, fdatasync, fsync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { csvText, csvTextValue } from "./csv-cell.js";
import { formatNumber } from "./number-format.js";
import { tempPathFor } from "./temp-files.js";
import type { WriteQueue } from "./write-queue.js";

/** A CSV text field: quoted per RFC 4180, guarded against spreadsheet formulas (csv-cell.ts). */
export const csvField = csvText;

/** Undo csvField on a whole field. */
export const unquoteCsvField = csvTextValue;

export function sweepCsvHeader(params: readonly string[], outputs: readonly string[]): string {
  return ["point", ...params, "status", ...outputs].map(csvField).join(",") + "\n";
}

/** One row: the point's grid index, params, status, then `count` outputs read from `outputs` at `offset`. */
export function sweepCsvRow(point: number, params: ArrayLike<number>, status: string, outputs: ArrayLike<number>, offset: number, count: number): string {
  let line = `${point},`;
  for (let k = 0; k < params.length; k++) line += formatNumber(params[k]) + ",";
  line += csvField(status);
  for (let k = 0; k < count; k++) line += "," + formatNumber(outputs[offset + k]);
  return line + "\n";
}

export interface ParsedSweepRow {
  point: number;
  params: string[];
  status: string;
  outputs: number[];
}

/**
 * Split a row written by sweepCsvRow (without its line break) into its point index, P param
 * cells, status and K outputs. Numbers never contain commas, so the status is whatever lies
 * between the first 1 + P and the last K commas. Returns undefined when the row has too few
 * fields or a bad number.
 */
export function parseSweepCsvRow(line: string, paramCount: number, outputCount: number): ParsedSweepRow | undefined {
  const params: string[] = [];
  const first = line.indexOf(",");
  if (first < 0 || !/^\d+$/.test(line.slice(0, first))) return undefined;
  const point = Number(line.slice(0, first));
  let pos = first + 1;
  for (let k = 0; k < paramCount; k++) {
    const c = line.indexOf(",", pos);
    if (c < 0) return undefined;
    params.push(line.slice(pos, c));
    pos = c + 1;
  }
  let end = line.length;
  const outputs = new Array<number>(outputCount);
  for (let k = outputCount - 1; k >= 0; k--) {
    const c = line.lastIndexOf(",", end - 1);
    if (c < pos) return undefined;
    const cell = line.slice(c + 1, end);
    const x = cell === "" ? NaN : Number(cell);
    if (cell !== "" && !Number.isFinite(x)) return undefined;
    outputs[k] = x;
    end = c;
  }
  return { point, params, status: unquoteCsvField(line.slice(pos, end)), outputs };
}

function writeAll(fd: number, b: Uint8Array): void {
  let off = 0;
  while (off < b.length) off += writeSync(fd, b, off, b.length - off);
}

/** Bytes written between two background flushes of a streamed file (AtomicTextWriter). */
export const BACKGROUND_SYNC_BYTES = 16 << 20;

/**
 * A text file written in pieces and published atomically: `write` appends text (pieces are
 * joined into runs of about 16 K characters, each encoded once into a 1 MiB buffer: per-piece
 * encoding calls cost more than the formatting of a row), `writeBytes` appends UTF-8 bytes,
 * `commit` fsyncs and renames over `path`, `abort` removes the temporary file. Readers of `path`
 * see the old file or the complete new one, never a partial one.
 * A file written over a long time (a sweep's CSV files, streamed while the points are solved)
 * is flushed to disk in the background every BACKGROUND_SYNC_BYTES, through a second descriptor
 * owned by that flush, so that commit's fsync finds little left to write: on a slow disk,
 * fsyncing 250 MB at the end took over a second of the run.
 * With a WriteQueue, every append is queued there (off the calling thread, in order): bytes
 * given to writeBytes must then stay unchanged until the queue has written them, and
 * commitAsync waits for the queue before it publishes.
 */
export class AtomicTextWriter {
  private readonly tmp: string;
  private fd: number;
  // the 1 MiB run buffer, made on first use (a writer with a queue never needs it)
  private runBuffer: Buffer | undefined;
  private get buf(): Buffer {
    return (this.runBuffer ??= Buffer.allocUnsafe(1 << 20));
  }
  private pos = 0;
  private pending = "";
  private written = 0;
  private flushedMark = 0;
  private flushing = false;
  private flushAsked = 0;
  /** bytes handed to the queue */
  private queued = 0;

  constructor(
    readonly path: string,
    private readonly queue?: WriteQueue,
  ) {
    const dir = dirname(path);
    mkdirSync(dir, { recursive: true });
    this.tmp = tempPathFor(path);
    this.fd = openSync(this.tmp, "w");
  }

  write(s: string): void {
    if (this.queue) return this.enqueue(Buffer.from(s, "utf8"));
    this.pending += s;
    if (this.pending.length >= 1 << 14) this.encodePending();
  }

  /** Append UTF-8 bytes (after any pending text). */
  writeBytes(b: Uint8Array): void {
    if (this.queue) return this.enqueue(b);
    if (this.pending) this.encodePending();
    if (this.pos + b.length <= this.buf.length) {
      this.buf.set(b, this.pos);
      this.pos += b.length;
      return;
    }
    this.drain();
    if (b.length >= this.buf.length >> 1) {
      writeAll(this.fd, b);
      this.written += b.length;
      this.backgroundFlush();
    } else {
      this.buf.set(b, 0);
      this.pos = b.length;
    }
  }

  private enqueue(b: Uint8Array): void {
    const q = this.queue!;
    q.write(this.fd, b, this.path);
    this.queued += b.length;
    if (this.queued - this.flushAsked >= BACKGROUND_SYNC_BYTES) {
      // once the queue has written these bytes, flush them
      const mark = (this.flushAsked = this.queued);
      q.then(() => {
        this.written = mark;
        this.backgroundFlush();
      });
    }
  }

  /** Start flushing what is written to disk, unless a flush is running or little is new. */
  private backgroundFlush(): void {
    if (this.flushing || this.written - this.flushedMark < BACKGROUND_SYNC_BYTES) return;
    let fd: number;
    try {
      fd = openSync(this.tmp, "r");
    } catch {
      return; // commit's fsync does it
    }
    this.flushing = true;
    const mark = this.written;
    fdatasync(fd, () => {
      close(fd, () => {});
      this.flushing = false;
      this.flushedMark = mark;
    });
  }

  private encodePending(): void {
    const s = this.pending;
    this.pending = "";
    // a UTF-16 unit is at most 3 UTF-8 bytes
    if (this.pos + 3 * s.length > this.buf.length) {
      this.drain();
      if (3 * s.length > this.buf.length) {
        const b = Buffer.from(s, "utf8");
        writeAll(this.fd, b);
        this.written += b.length;
        return;
      }
    }
    this.pos += this.buf.write(s, this.pos, "utf8");
  }

  private drain(): void {
    if (this.pending) this.encodePending();
    writeAll(this.fd, this.buf.subarray(0, this.pos));
    this.written += this.pos;
    this.pos = 0;
    this.backgroundFlush();
  }

  /** With a queue: publish once the queue has written everything (see commit). */
  async commitAsync(): Promise<void> {
    await this.syncAsync();
    this.publish();
  }

  /**
   * The first half of commitAsync: wait for the queue, then fsync on libuv's thread pool (so
   * that the files of a sweep, its sweep.csv and curve files, are flushed side by side rather
   * than one after another); publish() then renames. On failure the temporary file is removed.
   */
  async syncAsync(): Promise<void> {
    try {
      await this.queue?.idle();
      if (!this.queue) this.drain();
      const fd = this.fd;
      await new Promise<void>((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve())));
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  /** fsync, then rename over `path` (with a queue, only once the queue is idle: commitAsync). */
  commit(): void {
    try {
      if (!this.queue) this.drain();
      fsyncSync(this.fd);
    } catch (e) {
      this.abort();
      throw e;
    }
    this.publish();
  }

  /** Close and rename over `path`: the file must be fsynced (commit, syncAsync). */
  publish(): void {
    closeSync(this.fd);
    this.fd = -1;
    try {
      renameSync(this.tmp, this.path);
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  /** Remove the temporary file (with a queue, its descriptor is closed once no write uses it). */
  abort(): void {
    const fd = this.fd;
    this.fd = -1;
    rmSync(this.tmp, { force: true });
    if (fd < 0) return;
    if (this.queue) {
      this.queue.flush();
      this.queue.then(() => closeSync(fd), true);
    } else closeSync(fd);
  }
}
