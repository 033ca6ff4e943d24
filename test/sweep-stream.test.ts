// The streamed CSV files of a fresh sweep: rows formatted per batch (formatRows) are the rows of
// sweepCsvRow; digests fed with bytes in any chunks equal those of RowDigester; batches accepted
// in any order give the files writeSweepTables writes from the whole table, byte for byte; an
// aborted stream leaves nothing. Buffers are reused by size.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteRowDigester, RowDigester } from "../engine/results/row-digest.js";
import { sweepCsvRow } from "../engine/results/sweep-csv.js";
import { BufferPool } from "../workers/buffer-pool.js";
import { buildSweepGrid, pointValues } from "../workers/sweep-grid.js";
import type { RangeResult } from "../workers/sweep-point.js";
import { writeSweepTables } from "../workers/sweep-results.js";
import { formatRows, inOrderCurves } from "../workers/sweep-rows.js";
import { SweepStream } from "../workers/sweep-stream.js";
import { WriteQueue } from "../engine/results/write-queue.js";

const grid = buildSweepGrid({ params: { "a.b": { values: [0.1, -2.5e-9, 3] }, c: { linspace: [0, 1, 7] }, d: { logspace: [-1, 2, 7] } }, zip: [["c", "d"]] });
const K = 3;
const N = grid.size;
const values = Float64Array.from({ length: N * K }, (_, i) => (i % 11 === 5 ? NaN : i % 13 === 0 ? -0 : Math.sin(i) * 10 ** ((i % 9) - 4)));
const failures = new Map<number, string>([
  [2, 'bad input: c: must be > 0, got -1 ("c")'],
  [9, "numerical: θ_high, did not converge"],
  [17, "=cmd() not finite: p"],
]);
const outputs = ["p", "q", "r"];
const statusAt = (first: number) => (j: number) => failures.get(first + j);

function result(start: number, end: number, curves = inOrderCurves(grid, K)): RangeResult {
  const v = values.slice(start * K, end * K);
  return {
    start,
    end,
    values: v,
    failedAt: [],
    failedStatus: [],
    curveLines: "",
    seconds: 0,
    text: formatRows(grid, K, curves, start, end, v, statusAt(start)),
  };
}

const dec = new TextDecoder();

describe("formatRows", () => {
  it("writes the rows of sweepCsvRow, and the in-order curve rows from the same cells", () => {
    const f = formatRows(grid, K, inOrderCurves(grid, K), 0, N, values, statusAt(0));
    const p = new Float64Array(grid.paths.length);
    let want = "";
    for (let i = 0; i < N; i++) {
      pointValues(grid, i, p);
      want += sweepCsvRow(i, p, failures.get(i) ?? "ok", values, i * K, K);
    }
    expect(dec.decode(f.rows)).toBe(want);
    const rows = want.split("\n");
    expect(Array.from(f.rowEnds)).toEqual(rows.slice(0, -1).map((_, i) => Buffer.byteLength(rows.slice(0, i + 1).join("\n") + "\n")));
    // zipped c and d form the last dimension: their curve rows are `a.b,<param>,<output>`
    expect(f.curves.length).toBe(2 * K);
    const cOfQ = dec.decode(f.curves[1]).split("\n");
    expect(cOfQ[1]).toBe(`0.1,${1 / 6},${String(values[1 * K + 1])}`);
  });
});

describe("ByteRowDigester", () => {
  it("gives RowDigester's digests for the same rows fed in any chunks", () => {
    const f = formatRows(grid, K, [], 0, N, values, statusAt(0));
    const text = dec.decode(f.rows).split("\n").slice(0, -1).map((l) => l + "\n");
    const start = 100;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: N }), { minLength: 1, maxLength: 8 }), (cuts) => {
        const want = new RowDigester(start, N);
        text.forEach((l, i) => want.add(start + i, l));
        const got = new ByteRowDigester(start, N);
        const ends = [...new Set(cuts.map((c) => Math.min(c, N)))].sort((a, b) => a - b);
        if (ends[ends.length - 1] !== N) ends.push(N);
        let a = 0;
        for (const b of ends) {
          const rows = new TextEncoder().encode(text.slice(a, b).join(""));
          const rowEnds = Uint32Array.from(text.slice(a, b), (_, j) => Buffer.byteLength(text.slice(a, a + j + 1).join("")));
          got.addRows(start + a, rows, rowEnds);
          a = b;
        }
        expect(got.finish()).toEqual(want.finish());
      }),
      { numRuns: 30, seed: 152 },
    );
  });
});

describe("SweepStream", () => {
  const table = { grid, outputs, start: 0, end: N, values, failures };
  const read = (dir: string) =>
    Object.fromEntries(
      ["sweep.csv", ...readdirSync(join(dir, "curves")).map((f) => join("curves", f))].map((f) => [f, readFileSync(join(dir, f), "utf8")]),
    );

  it("writes, from batches arriving in any order, the bytes writeSweepTables writes from the table", async () => {
    const whole = mkdtempSync(join(tmpdir(), "lpe-stream-"));
    const { digests } = writeSweepTables(whole, table, true);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: N - 1 }), { maxLength: 6 }), fc.integer(), fc.boolean(), async (cuts, seed, queued) => {
        const dir = mkdtempSync(join(tmpdir(), "lpe-stream-"));
        const bounds = [0, ...cuts.sort((a, b) => a - b), N];
        const s = new SweepStream(dir, grid, outputs, 0, N, true, new BufferPool(), queued ? new WriteQueue() : undefined);
        const batches = bounds.slice(1).map((b, i) => result(bounds[i], b, s.curves));
        // a deterministic shuffle
        for (let i = batches.length - 1; i > 0; i--) {
          const j = Math.abs(seed + i * 7919) % (i + 1);
          [batches[i], batches[j]] = [batches[j], batches[i]];
        }
        for (const b of batches) {
          expect(s.complete).toBe(false);
          s.accept(b);
        }
        expect(s.complete).toBe(true);
        const c = await s.commit(table.failures);
        expect(c.digests).toEqual(digests);
        // writeParamCurves writes the first dimension's files from the table; compare the streamed ones
        const streamed = read(dir);
        const all = read(whole);
        for (const [f, text] of Object.entries(streamed)) expect(text, f).toBe(all[f]);
        expect(Object.keys(streamed).length).toBe(1 + 2 * K);
      }),
      { numRuns: 20, seed: 153 },
    );
  });

  it("leaves no file when aborted, and refuses to commit an incomplete sweep", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lpe-stream-"));
    const s = new SweepStream(dir, grid, outputs, 0, N, true);
    s.accept(result(0, 5, s.curves));
    await expect(s.commit()).rejects.toThrow(/committed at point 5 of 21/);
    s.abort();
    expect(existsSync(join(dir, "sweep.csv"))).toBe(false);
    expect(readdirSync(dir).filter((f) => f !== "curves")).toEqual([]);
    expect(readdirSync(join(dir, "curves"))).toEqual([]);
  });
});

describe("BufferPool", () => {
  it("reuses a buffer of the same power-of-two size, and hands back a batch's set", () => {
    const pool = new BufferPool();
    const a = pool.take(3000);
    expect(a.byteLength).toBe(4096);
    pool.give(a);
    expect(pool.take(4000)).toBe(a);
    expect(pool.allocated).toBe(4096);
    const set = [pool.take(100_000), pool.take(5000), pool.take(5000)];
    pool.giveSet(set);
    const again = pool.takeSet();
    expect(new Set(again)).toEqual(new Set(set));
    expect(pool.size).toBe(0);
    // a detached buffer (transferred away) is not kept
    const b = pool.take(2048);
    structuredClone(b, { transfer: [b] });
    pool.give(b);
    expect(pool.size).toBe(0);
  });

  it("serves a request from the closest larger free size up to twice it, and keeps what it is given", () => {
    const pool = new BufferPool();
    const big = pool.take(600_000); // 655360 (10 × 64 kB)
    const bigger = pool.take(1_200_000); // 1245184
    pool.give(bigger);
    pool.give(big);
    // 400,000 bytes round to 458752: 655360 is the closest larger free size, within twice
    expect(pool.take(400_000)).toBe(big);
    // 300,000 (327680): 1245184 is more than twice, so a new buffer
    const fresh = pool.take(300_000);
    expect(fresh).not.toBe(bigger);
    expect(fresh.byteLength).toBe(327_680);
    expect(pool.allocated).toBe(655_360 + 1_245_184 + 327_680);
    // buffers given back are kept, many of a size (a burst's buffers serve the next burst)
    const many = Array.from({ length: 20 }, () => pool.take(4096));
    for (const b of many) pool.give(b);
    pool.give(many[0]);
    expect(pool.size).toBe(21);
    const before = pool.allocated;
    for (let i = 0; i < 20; i++) pool.take(4096);
    expect(pool.allocated).toBe(before);
  });
});
