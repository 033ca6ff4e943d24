// The durable sweep state: rows appended and read back exactly, a line cut short by a kill
// dropped, identity checks on resume, no silent overwrite of an unfinished sweep.
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../engine/errors.js";
import type { RangeResult } from "../workers/sweep-point.js";
import { DoneFlags, ROWS_PART, SCENARIO_PART, SweepStore, readManifest, type SweepIdentity } from "../workers/sweep-store.js";

const identity: SweepIdentity = {
  name: "t",
  engineVersion: "0.0.0",
  scenarioSha256: "a".repeat(64),
  gridSha256: "b".repeat(64),
  gridSize: 10,
  params: ["x"],
  outputs: ["p", "q"],
  curves: [],
  shard: null,
};

function result(start: number, end: number, fail: number[] = []): RangeResult {
  const values = new Float64Array((end - start) * 2);
  for (let i = start; i < end; i++) {
    values[(i - start) * 2] = i / 3;
    values[(i - start) * 2 + 1] = fail.includes(i) ? NaN : -i * 1e-17;
  }
  const failedAt = fail.filter((i) => i >= start && i < end).map((i) => i - start);
  return { start, end, values, failedAt, failedStatus: failedAt.map(() => "bad input: x: must be > 0, got -1"), curveLines: "", seconds: 0 };
}

const tmp = () => mkdtempSync(join(tmpdir(), "lpe-store-"));

describe("DoneFlags", () => {
  it("finds the next set and the next clear flag as a scan one flag at a time does", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 70 })), { maxLength: 12 }), (size, runs) => {
        const flags = new DoneFlags(size);
        const naive = new Uint8Array(size);
        for (const [at, len] of runs) {
          for (let i = at % size; i < Math.min(size, (at % size) + len); i++) {
            flags.add(i);
            naive[i] = 1;
          }
        }
        for (let i = 0; i <= size; i++) {
          let set = i;
          while (set < size && naive[set] !== 1) set++;
          let clear = i;
          while (clear < size && naive[clear] !== 0) clear++;
          expect(flags.next(i, true), `next set from ${i} of ${size}`).toBe(set);
          expect(flags.next(i, false), `next clear from ${i} of ${size}`).toBe(clear);
        }
      }),
      { numRuns: 300, seed: 33 },
    );
  });

  it("sets a range of flags as setting them one at a time does (addRange, the store's fast path)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 90 }), fc.boolean()), { maxLength: 12 }), (size, runs) => {
        const ranged = new DoneFlags(size);
        const single = new DoneFlags(size);
        for (const [at, len, asRange] of runs) {
          const from = at % size;
          const to = Math.min(size, from + len);
          if (asRange) ranged.addRange(from, to);
          else for (let i = from; i < to; i++) ranged.add(i);
          for (let i = from; i < to; i++) single.add(i);
        }
        for (let i = 0; i < size; i++) expect(ranged.has(i), `flag ${i} of ${size}`).toBe(single.has(i));
        for (let i = 0; i <= size; i++) expect(ranged.next(i, false), `next clear from ${i}`).toBe(single.next(i, false));
      }),
      { numRuns: 300, seed: 34 },
    );
  });
});

describe("SweepStore", () => {
  it("reads back what it appended, bit for bit, and resumes with the rest", () => {
    const dir = tmp();
    const { store } = SweepStore.open(dir, identity, 0, 10, { resume: false });
    store.record(result(4, 7, [5]));
    store.record(result(0, 2));
    store.close();
    const m = readManifest(dir);
    expect(m?.complete).toBe(false);

    const { store: again } = SweepStore.open(dir, identity, 0, 10, { resume: true });
    expect(again.resumedCount).toBe(5);
    expect(again.remainingRanges()).toEqual([[2, 4], [7, 10]]);
    expect(again.values!.subarray(0, 4)).toEqual(Float64Array.of(0, -0, 1 / 3, -1e-17));
    expect(again.values![5 * 2]).toBe(5 / 3);
    expect(again.failures.get(5)).toBe("bad input: x: must be > 0, got -1");
    again.close();
  });

  it("records only the points not yet done of a range that overlaps done ones", () => {
    const dir = tmp();
    const { store } = SweepStore.open(dir, identity, 0, 10, { resume: false });
    // fresh, all ok: the fast path; then a range overlapping it, with a failure: the point-by-point path
    store.record(result(2, 6));
    store.record(result(0, 8, [7]));
    expect(store.doneCount).toBe(8);
    expect(store.remainingRanges()).toEqual([[8, 10]]);
    store.close();
    const bytes = readFileSync(join(dir, ROWS_PART));
    const records = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    // 4 + 4 records of [index, p, q, −(index + 1)], each point once
    expect(records.length).toBe(8 * 4);
    const indices = Array.from({ length: 8 }, (_, j) => records[j * 4]);
    expect(indices).toEqual([2, 3, 4, 5, 0, 1, 6, 7]);
    for (let j = 0; j < 8; j++) expect(records[j * 4 + 3]).toBe(-(indices[j] + 1));
    const { store: again } = SweepStore.open(dir, identity, 0, 10, { resume: true });
    expect(again.resumedCount).toBe(8);
    expect(again.failures.get(7)).toBe("bad input: x: must be > 0, got -1");
    expect(again.values![3 * 2]).toBe(1);
    again.close();
  });

  it("drops a record cut short by a kill and truncates the file there", () => {
    const dir = tmp();
    const { store } = SweepStore.open(dir, identity, 0, 10, { resume: false });
    store.record(result(0, 3));
    store.close();
    const intact = readFileSync(join(dir, ROWS_PART));
    expect(intact.length).toBe(3 * 8 * (2 + 2));
    appendFileSync(join(dir, ROWS_PART), Buffer.from(Float64Array.of(3, 1, 0.5).buffer));
    const notes: string[] = [];
    const { store: again } = SweepStore.open(dir, identity, 0, 10, { resume: true, note: (s) => notes.push(s) });
    expect(again.resumedCount).toBe(3);
    expect(notes.join()).toMatch(/partial last record/);
    expect(readFileSync(join(dir, ROWS_PART))).toEqual(intact);
    again.record(result(3, 10));
    expect(again.complete).toBe(true);
    again.close();
  });

  it("drops a torn (zero-filled) record and what follows it", () => {
    const dir = tmp();
    const { store } = SweepStore.open(dir, identity, 0, 10, { resume: false });
    store.record(result(0, 2));
    store.close();
    appendFileSync(join(dir, ROWS_PART), Buffer.alloc(2 * 8 * 4));
    const notes: string[] = [];
    const { store: again } = SweepStore.open(dir, identity, 0, 10, { resume: true, note: (s) => notes.push(s) });
    expect(again.resumedCount).toBe(2);
    expect(again.remainingRanges()).toEqual([[2, 10]]);
    expect(notes.join()).toMatch(/record 3 is damaged/);
    again.close();
  });

  it("says where the scenario of a refused resume changed, from the scenario kept beside the part files; a finished sweep keeps no such file", () => {
    const dir = tmp();
    const then = { name: "s", market: { kind: "monopoly", cost: 0.31 } };
    const { store } = SweepStore.open(dir, identity, 0, 10, { resume: false, scenario: then });
    store.record(result(0, 3));
    store.close();
    expect(existsSync(join(dir, SCENARIO_PART))).toBe(true);
    const changed = { ...identity, scenarioSha256: "c".repeat(64) };
    const now = { name: "s", market: { kind: "monopoly", cost: 0.3 } };
    expect(() => SweepStore.open(dir, changed, 0, 10, { resume: true, scenario: now })).toThrow(/the scenario has changed since the sweep started \(sha256 .* now\) \(first at market\.cost: 0\.31 then, 0\.3 now\); delete that folder/);
    // the same sweep resumes, finishes, and leaves no part file
    const { store: again } = SweepStore.open(dir, identity, 0, 10, { resume: true, scenario: then });
    again.record(result(3, 10));
    again.finish();
    expect(existsSync(join(dir, SCENARIO_PART))).toBe(false);
  });

  it("refuses to resume a different sweep, and to overwrite an unfinished one", () => {
    const dir = tmp();
    const { store } = SweepStore.open(dir, identity, 0, 10, { resume: false });
    store.record(result(0, 3));
    store.close();
    const changed = { ...identity, scenarioSha256: "c".repeat(64) };
    expect(() => SweepStore.open(dir, changed, 0, 10, { resume: true })).toThrow(/cannot resume .*the scenario has changed since the sweep started/);
    expect(() => SweepStore.open(dir, { ...identity, gridSize: 11 }, 0, 11, { resume: true })).toThrow(/grid has changed/);
    let err: unknown;
    try {
      SweepStore.open(dir, identity, 0, 10, { resume: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/unfinished sweep \(at least 3 of 10 points done at its last checkpoint\): add --resume/);
  });
});
