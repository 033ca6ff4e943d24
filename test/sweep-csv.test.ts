// sweep.csv rows: quoting of statuses, round-trip numbers, parsing back (lpe merge), atomic writes.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AtomicTextWriter, csvField, parseSweepCsvRow, sweepCsvHeader, sweepCsvRow } from "../engine/results/sweep-csv.js";
import { buildSweepGrid, pointValues } from "../workers/sweep-grid.js";
import { withStatusColumn } from "../workers/sweep-curves.js";
import { writeSweepTables } from "../workers/sweep-results.js";
import { largestGapRecord, uncertifiedWarning } from "../workers/sweep-options.js";
import { largestGap } from "../engine/results/uncertified-status.js";

describe("sweep.csv rows", () => {
  it("writes the point index, params, status, outputs with round-trip numbers and empty cells for NaN", () => {
    const row = sweepCsvRow(7, [0.1 + 0.2, -0], "ok", Float64Array.of(9, 1 / 3, NaN, 2), 1, 3);
    expect(row).toBe("7,0.30000000000000004,0,ok,0.3333333333333333,,2\n");
    expect(sweepCsvHeader(["market.fringe.cost"], ["profit", "thetaLow"])).toBe("point,market.fringe.cost,status,profit,thetaLow\n");
  });

  it("quotes a status holding commas or quotes, and parses it back", () => {
    const status = 'bad input: market.fringe.cost: must be > 0, got -0.1 ("cost")';
    expect(csvField(status)).toBe('"bad input: market.fringe.cost: must be > 0, got -0.1 (""cost"")"');
    const row = sweepCsvRow(12, [-0.1, 2], status, Float64Array.of(NaN, NaN), 0, 2);
    const parsed = parseSweepCsvRow(row.slice(0, -1), 2, 2);
    expect(parsed?.point).toBe(12);
    expect(parsed?.params).toEqual(["-0.1", "2"]);
    expect(parsed?.status).toBe(status);
    expect(parsed?.outputs.every(Number.isNaN)).toBe(true);
  });

  it("gets numbers back bit for bit", () => {
    const xs = Float64Array.of(Math.PI, 1e-300, 123456789.123, -2.5e-17, 0.1);
    const row = sweepCsvRow(0, [1], "ok", xs, 0, xs.length);
    const parsed = parseSweepCsvRow(row.trimEnd(), 1, xs.length);
    expect(Float64Array.from(parsed!.outputs)).toEqual(xs);
  });

  it("rejects rows with too few fields or a non-number", () => {
    expect(parseSweepCsvRow("0,1,ok", 1, 2)).toBeUndefined();
    expect(parseSweepCsvRow("0,1,ok,abc", 1, 1)).toBeUndefined();
    expect(parseSweepCsvRow("x,1,ok,2", 1, 1)).toBeUndefined();
  });
});

describe("writeSweepTables", () => {
  it("writes sweep.csv row by row as sweepCsvRow does, and curve files in both layouts", () => {
    const dir = mkdtempSync(join(tmpdir(), "lpe-tables-"));
    const grid = buildSweepGrid({ params: { a: { values: [0.1, 0.2, 0.3] }, "b.c": { logspace: [0, 1, 2] } } });
    const values = Float64Array.from({ length: 12 }, (_, i) => (i === 6 || i === 7 ? NaN : i / 7));
    const failures = new Map([[3, 'bad input: b.c: must be > 0, got "x"']]);
    const t = { grid, outputs: ["p", "q"], start: 0, end: 6, values, failures };
    writeSweepTables(dir, t, true);
    const v = new Float64Array(2);
    let want = sweepCsvHeader(grid.paths, t.outputs);
    for (let i = 0; i < 6; i++) {
      pointValues(grid, i, v);
      want += sweepCsvRow(i, v, failures.get(i) ?? "ok", values, 2 * i, 2);
    }
    expect(readFileSync(join(dir, "sweep.csv"), "utf8")).toBe(want);
    // last dimension: written in the same pass, one line per value of a; a point failed, so a
    // status column as sweep.csv's (quoted: the status holds a comma)
    const st = csvField(failures.get(3)!);
    expect(readFileSync(join(dir, "curves", "q-vs-b.c.csv"), "utf8")).toBe(
      `a,b.c,q,status\n0.1,1,${1 / 7},ok\n0.1,10,${3 / 7},ok\n0.2,1,${5 / 7},ok\n0.2,10,,${st}\n0.3,1,${9 / 7},ok\n0.3,10,${11 / 7},ok\n`,
    );
    // first dimension: strided, one line per value of b.c
    expect(readFileSync(join(dir, "curves", "p-vs-a.csv"), "utf8")).toBe(
      `b.c,a,p,status\n1,0.1,0,ok\n1,0.2,${4 / 7},ok\n1,0.3,${8 / 7},ok\n10,0.1,${2 / 7},ok\n10,0.2,,${st}\n10,0.3,${10 / 7},ok\n`,
    );
    // every point ok: no status column (the files' bytes as before it existed)
    const clean = mkdtempSync(join(tmpdir(), "lpe-tables-"));
    const ok = Float64Array.from({ length: 12 }, (_, i) => i / 7);
    writeSweepTables(clean, { ...t, values: ok, failures: new Map() }, true);
    expect(readFileSync(join(clean, "curves", "q-vs-b.c.csv"), "utf8")).toBe(
      `a,b.c,q\n0.1,1,${1 / 7}\n0.1,10,${3 / 7}\n0.2,1,${5 / 7}\n0.2,10,1\n0.3,1,${9 / 7}\n0.3,10,${11 / 7}\n`,
    );
    expect(readFileSync(join(clean, "curves", "p-vs-a.csv"), "utf8")).toBe(`b.c,a,p\n1,0.1,0\n1,0.2,${4 / 7}\n1,0.3,${8 / 7}\n10,0.1,${2 / 7}\n10,0.2,${6 / 7}\n10,0.3,${10 / 7}\n`);
  });

  it("a curve file whose points are all ok has no status column even when another point failed", () => {
    // (a failure outside the range: the file's own points decide)
    const dir = mkdtempSync(join(tmpdir(), "lpe-curve-status-"));
    const path = join(dir, "x.csv");
    writeFileSync(path, "a,p\n0.1,1\n0.2,2\n");
    expect(withStatusColumn(path, 0, new Map([[5, "uncertified (optimality gap 1.00e-3 of profit)"]]))).toBe(false);
    expect(readFileSync(path, "utf8")).toBe("a,p\n0.1,1\n0.2,2\n");
    expect(withStatusColumn(path, 4, new Map([[5, "uncertified (optimality gap 1.00e-3 of profit)"]]))).toBe(true);
    expect(readFileSync(path, "utf8")).toBe("a,p,status\n0.1,1,ok\n0.2,2,uncertified (optimality gap 1.00e-3 of profit)\n");
  });
});

describe("AtomicTextWriter", () => {
  it("publishes the file only on commit and leaves nothing on abort", () => {
    const dir = mkdtempSync(join(tmpdir(), "lpe-csv-"));
    const path = join(dir, "sweep.csv");
    const w = new AtomicTextWriter(path);
    w.write("a\n");
    expect(existsSync(path)).toBe(false);
    w.write("b".repeat(3 << 20) + "\n");
    w.commit();
    expect(readFileSync(path, "utf8").length).toBe(2 + (3 << 20) + 1);
    const v = new AtomicTextWriter(path);
    v.write("partial");
    v.abort();
    expect(readFileSync(path, "utf8").startsWith("a\nbbb")).toBe(true);
    expect(readdirSync(dir)).toEqual(["sweep.csv"]);
  });
});

describe("the largest optimality gap of a sweep's uncertified points", () => {
  it("is read from the status cells (a comparison's largest market gap; no bound is infinite) and said in the warning", () => {
    const statuses = new Map<number, string>([
      [3, "uncertified (optimality gap 2.50e-4 of profit)"],
      [5, "failed (numerical failure)"],
      [7, "uncertified (leaderFringe: optimality gap 1.04e-2 of its profit; multiModelMonopoly: optimality gap 3.00e-6 of its profit)"],
      [9, "uncertified (optimality gap 1.51e-2 of profit, reporting a finite menu of 81 items, the screening LP's on 200 atoms of the law)"],
    ]);
    expect(largestGap(statuses)).toEqual({ gap: 1.51e-2, point: 9 });
    expect(uncertifiedWarning(statuses, 20)).toMatch(/^NOT CERTIFIED: 3 of 20 points are not certified optimal to 1e-9 of profit \(largest optimality gap 1\.51e-2 of profit, at point 9\)/);
    statuses.set(11, "uncertified (no optimality bound)");
    expect(largestGap(statuses)).toEqual({ gap: Infinity, point: 11 });
    expect(largestGapRecord(statuses)).toEqual({ gap: null, point: 11 });
    expect(uncertifiedWarning(statuses, 20)).toContain("point 11 has no finite optimality bound");
    expect(uncertifiedWarning(new Map([[1, "failed (x)"]]), 2)).toBeUndefined();
  });
});
