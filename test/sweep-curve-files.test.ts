// curves/<output>-vs-<param>.csv repeat sweep.csv's columns per parameter; above
// MAX_CURVE_FILE_POINTS grid points they are not written (half the bytes of a million-point
// sweep), the run says so on stderr, and sweep.csv still has every point.
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_CURVE_FILE_POINTS } from "../engine/scenario/limits.js";
import { compiledLpe, ROOT, type Run } from "./helpers/cli-in-process.js";

let lpe: (...argv: string[]) => Promise<Run>;
beforeAll(async () => {
  lpe = await compiledLpe();
});

const scenario = join(ROOT, "scenarios", "examples", "leader-fringe-sweep.json");
const lines = (file: string) => readFileSync(file, "utf8").split("\n").filter(Boolean).length;

describe("curve files of large sweeps", () => {
  it(`are written up to ${MAX_CURVE_FILE_POINTS} points, and above it only sweep.csv (with a note)`, async () => {
    for (const n of [MAX_CURVE_FILE_POINTS, MAX_CURVE_FILE_POINTS + 1]) {
      const out = mkdtempSync(join(tmpdir(), "lpe-curve-files-"));
      const r = await lpe("sweep", scenario, "--workers", "1", "--no-figures", "--out", out, "--set", `sweep.params={"market.fringe.cost":{"linspace":[0.05,0.29,${n}]}}`, "--set", "name=big");
      expect(r.code, r.err).toBe(0);
      const dir = join(out, "big");
      expect(lines(join(dir, "sweep.csv"))).toBe(n + 1);
      if (n <= MAX_CURVE_FILE_POINTS) {
        const files = readdirSync(join(dir, "curves"));
        expect(files).toContain("profit-vs-market.fringe.cost.csv");
        expect(lines(join(dir, "curves", "profit-vs-market.fringe.cost.csv"))).toBe(n + 1);
        expect(r.err).not.toMatch(/curves\/ is not written/);
      } else {
        expect(existsSync(join(dir, "curves"))).toBe(false);
        expect(r.err).toMatch(/note: curves\/ is not written for 100,001 points \(limit 100,000\): sweep\.csv has every point/);
      }
    }
  });
});
