// sweep.csv rows: quoting of statuses, round-trip numbers, parsing back (lpe merge), atomic writes.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AtomicTextWriter, csvField, parseSweepCsvRow, sweepCsvHeader, sweepCsvRow } from "../engine/results/sweep-csv.js";

describe("sweep.csv rows", () => {
  it("writes params, status, outputs with round-trip numbers and empty cells for NaN", () => {
    const row = sweepCsvRow([0.1 + 0.2, -0], "ok", Float64Array.of(9, 1 / 3, NaN, 2), 1, 3);
    expect(row).toBe("0.30000000000000004,0,ok,0.3333333333333333,,2\n");
    expect(sweepCsvHeader(["market.fringe.cost"], ["profit", "thetaLow"])).toBe("market.fringe.cost,status,profit,thetaLow\n");
  });

  it("quotes a status holding commas or quotes, and parses it back", () => {
    const status = 'bad input: market.fringe.cost: must be > 0, got -0.1 ("cost")';
    expect(csvField(status)).toBe('"bad input: market.fringe.cost: must be > 0, got -0.1 (""cost"")"');
    const row = sweepCsvRow([-0.1, 2], status, Float64Array.of(NaN, NaN), 0, 2);
    const parsed = parseSweepCsvRow(row.slice(0, -1), 2, 2);
    expect(parsed?.params).toEqual(["-0.1", "2"]);
    expect(parsed?.status).toBe(status);
    expect(parsed?.outputs.every(Number.isNaN)).toBe(true);
  });

  it("gets numbers back bit for bit", () => {
    const xs = Float64Array.of(Math.PI, 1e-300, 123456789.123, -2.5e-17, 0.1);
    const row = sweepCsvRow([1], "ok", xs, 0, xs.length);
    const parsed = parseSweepCsvRow(row.trimEnd(), 1, xs.length);
    expect(Float64Array.from(parsed!.outputs)).toEqual(xs);
  });

  it("rejects rows with too few fields or a non-number", () => {
    expect(parseSweepCsvRow("1,ok", 1, 2)).toBeUndefined();
    expect(parseSweepCsvRow("1,ok,abc", 1, 1)).toBeUndefined();
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
