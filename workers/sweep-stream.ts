// A fresh sweep's CSV files written while the points are solved: each finished batch arrives
// with its rows already formatted (by the thread that solved it: sweep-rows.ts), and this
// module appends them to sweep.csv and to the in-order curve files in grid order, hashing the
// row digests on the way. Batches that finish ahead of an earlier one wait here (at most the
// batches in flight). The files are temporary until commit(), which publishes them atomically
// once every point is in; abort() removes them (an interrupted or failed run: a resumed run
// formats its files at the end instead, sweep-results.ts). So the main thread never formats a
// number of a fresh sweep, and the files are on disk, flushed in the background, by the time
// the last point is solved. With a WriteQueue the appends run off the main thread, and a
// batch's buffers go back to the buffer pool once the queue has written them.

import { ByteRowDigester, type RowDigests } from "../engine/results/row-digest.js";
import { AtomicTextWriter, sweepCsvHeader } from "../engine/results/sweep-csv.js";
import type { WriteQueue } from "../engine/results/write-queue.js";
import { join } from "node:path";
import { curveCsvHeader, curveCsvPath, withStatusColumn } from "./sweep-curves.js";
import type { BufferPool } from "./buffer-pool.js";
import type { SweepGrid } from "./sweep-grid.js";
import type { RangeResult } from "./sweep-point.js";
import { resultBuffers } from "./kernel-range.js";
import { inOrderCurves, otherDimensionParams, type InOrderCurve } from "./sweep-rows.js";

export class SweepStream {
  /** the curve files formatted with each batch (every in-order file of a whole grid, else none) */
  readonly curves: InOrderCurve[];
  private readonly main: AtomicTextWriter;
  private readonly curveWriters: AtomicTextWriter[];
  private readonly digester: ByteRowDigester;
  private readonly waitingBatches = new Map<number, RangeResult>();
  private next: number;

  constructor(
    dir: string,
    grid: SweepGrid,
    outputs: readonly string[],
    private readonly start: number,
    private readonly end: number,
    paramCurves: boolean,
    /** where a batch's buffers go once written (for reuse) */
    private readonly buffers?: BufferPool,
    private readonly queue?: WriteQueue,
  ) {
    this.curves = paramCurves ? inOrderCurves(grid, outputs.length) : [];
    this.next = start;
    this.digester = new ByteRowDigester(start, end - start);
    const others = otherDimensionParams(grid);
    this.main = new AtomicTextWriter(join(dir, "sweep.csv"), queue);
    this.curveWriters = [];
    try {
      this.main.write(sweepCsvHeader(grid.paths, outputs));
      for (const [p, k] of this.curves) {
        const w = new AtomicTextWriter(curveCsvPath(dir, outputs[k], grid.paths[p]), queue);
        this.curveWriters.push(w);
        w.write(curveCsvHeader(grid, p, outputs[k], others));
      }
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  /** A finished batch (with its text); written now if it is next in grid order, else kept until it is. */
  accept(r: RangeResult): void {
    if (!r.text) throw new Error("sweep stream: a batch arrived without its text");
    this.waitingBatches.set(r.start, r);
    for (let b = this.waitingBatches.get(this.next); b; b = this.waitingBatches.get(this.next)) {
      this.waitingBatches.delete(b.start);
      const t = b.text!;
      this.main.writeBytes(t.rows);
      this.digester.addRows(b.start, t.rows, t.rowEnds);
      for (let c = 0; c < this.curveWriters.length; c++) this.curveWriters[c].writeBytes(t.curves[c]);
      this.next = b.end;
      const buffers = this.buffers;
      if (buffers) {
        const set = resultBuffers(b);
        if (this.queue) this.queue.then(() => buffers.giveSet(set));
        else buffers.giveSet(set);
      }
    }
  }

  /** batches waiting for an earlier one */
  get waiting(): number {
    return this.waitingBatches.size;
  }

  /** bytes of text of the batches waiting for an earlier one */
  get waitingBytes(): number {
    let n = 0;
    for (const b of this.waitingBatches.values()) {
      const t = b.text;
      if (!t) continue;
      n += t.rows.byteLength;
      for (const c of t.curves) n += c.byteLength;
    }
    return n;
  }

  get complete(): boolean {
    return this.next === this.end;
  }

  /** Publish the files (every point must be in); returns their paths and sweep.csv's row digests.
   *  `failures` (grid index → status): the curve files with such a point get a status column
   *  (sweep-curves.ts withStatusColumn), as writeSweepTables writes them. */
  async commit(failures?: ReadonlyMap<number, string>): Promise<{ written: string[]; digests: RowDigests }> {
    if (!this.complete) throw new Error(`sweep stream: committed at point ${this.next} of ${this.end}`);
    const all = [this.main, ...this.curveWriters];
    try {
      // fsynced side by side, then renamed in order (sweep.csv first)
      // (every fsync settles before anything is aborted: no descriptor is closed under one)
      const synced = await Promise.allSettled(all.map((w) => w.syncAsync()));
      for (const r of synced) if (r.status === "rejected") throw r.reason;
      for (const w of all) w.publish();
    } catch (e) {
      this.abort();
      throw e;
    }
    if (failures) for (const w of this.curveWriters) withStatusColumn(w.path, this.start, failures);
    return { written: all.map((w) => w.path), digests: this.digester.finish() };
  }

  /** Remove the temporary files (idempotent). */
  abort(): void {
    for (const w of [this.main, ...this.curveWriters]) w?.abort();
  }
}
