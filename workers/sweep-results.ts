// The canonical files of a finished sweep (or of one shard), written from the in-memory table:
//   sweep.csv   header `point,<param paths…>,status,<outputs…>`, then one row per grid point of the
//               range in grid order (the same bytes however the numbers were computed);
//   curves/     <output>-vs-<param>.csv for whole grids (see sweep-curves.ts);
//   sweep-curves.csv  with sweep.curves: `point,theta,<columns…>`, each point's curve, grid order;
//   sweep.json  what was run: engine version, scenario sha256, seed, grid spec, point and
//               failure counts, elapsed time (the only file that differs between equal runs),
//               and the SHA-256 digests of sweep.csv's and sweep-curves.csv's rows, computed as
//               they are written, which `lpe merge` checks (engine/results/row-digest.ts).
// Each is written atomically; lpe merge writes the whole grid's files with the same functions.

import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../engine/results/atomic-write.js";
import { tempFilePid } from "../engine/results/temp-files.js";
import { isScenarioFigureFile } from "../engine/scenario/figure-catalogue.js";
import { ByteRowDigester, RowDigester, type RowDigests } from "../engine/results/row-digest.js";
import { AtomicTextWriter, csvField, sweepCsvHeader } from "../engine/results/sweep-csv.js";
import type { SweepAxis } from "../engine/scenario/spec-types.js";
import type { ShardSlice } from "./shard.js";
import { refuseLinks } from "../engine/results/own-entries.js";
import { curveCsvHeader, curveCsvPath, withStatusColumn, writeParamCurves, type SweepTable } from "./sweep-curves.js";
import { formatRows, inOrderCurves, otherDimensionParams } from "./sweep-rows.js";

export const SWEEP_CSV = "sweep.csv";
export const SWEEP_JSON = "sweep.json";
export const POINT_CURVES_CSV = "sweep-curves.csv";

export interface SweepMeta {
  name: string;
  engineVersion: string;
  /** the build's commit (engine/build-id.ts); several, comma-separated, for a merge of shards
   *  computed by different builds; absent in files of older builds */
  engineBuild?: string;
  scenarioSha256: string;
  gridSha256: string;
  seed: number;
  grid: { params: Record<string, SweepAxis>; zip: string[][]; size: number };
  outputs: string[];
  curves: string[];
  /** points in this file (the shard's slice, or the whole grid) */
  points: number;
  /** points whose status is not `ok`: failed, or not certified optimal */
  failures: number;
  /** of `failures`, the points that failed (an error, or an output not finite; the status says which) */
  failed?: number;
  /** of `failures`, the points not certified optimal (numbers kept; the status gives the gap) */
  uncertified?: number;
  /** the largest optimality gap among them (null: a point without a finite bound) and its point;
   *  absent when every point is certified */
  largestOptimalityGap?: { gap: number | null; point: number };
  /** wall time of the sweep (all runs of it, when resumed), until its files were written */
  elapsedSeconds: number;
  /** wall time of this run's solving: the points (the pool was started before), without file assembly */
  computeSeconds: number;
  /** where this run's time went: loading and checks, solving, writing the CSVs, then drawing (or waiting for) the figures */
  phases?: {
    setupSeconds: number;
    computeSeconds: number;
    writeSeconds: number;
    figuresSeconds: number;
    /** the share of this run's points solved on the main thread (the rest: pool threads) */
    mainThreadShare?: number;
  };
  workers: number;
  validation: string;
  /** `--work-limit` of the run (seconds, or "none"), when one was given */
  workLimitSeconds?: number | "none";
  shard: ShardSlice | null;
  /** shard folders joined by lpe merge */
  mergedFrom?: string[];
  /** lpe merge: each shard's own timings, in shard order (the sums are elapsedSeconds, computeSeconds, workers) */
  shardTimings?: ShardTiming[];
  /** digests of the rows of the CSV files written beside this file, by file name */
  digests: SweepDigests;
  createdBy: string;
  /** provenance: the scenario file as given, the overrides in order, the resolved scenario
   *  (`lpe sweep results/<name>/sweep.json` reruns it) */
  scenarioFile?: string;
  overrides?: string[];
  scenario?: Record<string, unknown>;
}

export interface ShardTiming {
  index: number;
  points: number;
  elapsedSeconds: number;
  computeSeconds: number;
  workers: number;
  phases?: SweepMeta["phases"];
}

export interface SweepDigests {
  "sweep.csv": RowDigests;
  "sweep-curves.csv"?: RowDigests;
}

/**
 * Remove what an earlier sweep into `dir` published beside its sweep.csv, before this sweep
 * publishes its own: every file of curves/, the sweep figures of figures/ (the figures of
 * `lpe solve`, `lpe figures` and `lpe calibrate` stay), and sweep-curves.csv unless this sweep
 * writes one. So
 * curves/ and figures/ always describe the sweep.csv next to them, even when this sweep has other
 * outputs, skips a figure or runs with --no-figures. Called once the points are solved: a run
 * interrupted earlier leaves the earlier results whole. Temporary files of live writers (this
 * run's own streamed curves among them) are left alone. Returns the paths removed.
 */
export function removeEarlierSweepOutputs(dir: string, pointCurves: boolean): string[] {
  // (emptied, then written: not through a link, engine/results/own-entries.ts)
  refuseLinks(dir, ["curves", "figures"]);
  const removed: string[] = [];
  const sweep = (folder: string, owned: (name: string) => boolean) => {
    let names: string[];
    try {
      names = readdirSync(join(dir, folder), { withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => e.name);
    } catch {
      return; // no such folder
    }
    for (const name of names.sort()) {
      if (tempFilePid(name) !== undefined || !owned(name)) continue;
      const path = join(dir, folder, name);
      rmSync(path, { force: true });
      removed.push(path);
    }
  };
  sweep("curves", (name) => name.endsWith(".csv"));
  sweep("figures", isSweepFigureFile);
  if (!pointCurves) {
    const path = join(dir, POINT_CURVES_CSV);
    if (existsSync(path)) {
      rmSync(path, { force: true });
      removed.push(path);
    }
  }
  return removed;
}

/** A file of a sweep figure in a figures folder, `<output>-vs-<param>.<ext>` ("profit-vs-market.fringe.cost.svg"):
 *  not a scenario figure's (`lpe solve`, `lpe figures`) nor a calibration's (calibration-fit, profile-<path>). */
function isSweepFigureFile(name: string): boolean {
  return name.includes("-vs-") && /\.(?:svg|pdf|tex|csv|caption\.txt)$/.test(name) && !isScenarioFigureFile(name);
}

/** How many sweep figures `figuresDir` holds (each is an .svg with its .pdf, .tex, …). */
export function countSweepFigures(figuresDir: string): number {
  try {
    return readdirSync(figuresDir).filter((n) => n.endsWith(".svg") && isSweepFigureFile(n)).length;
  } catch {
    return 0;
  }
}

/** Points formatted per pass when a whole table is written (bounded memory for any size). */
const CHUNK = 8192;

/**
 * Write sweep.csv of the table's range and, with `paramCurves` (whole grids only), every
 * curves/<output>-vs-<param>.csv, from the table's values (a resumed sweep, lpe merge; a fresh
 * sweep streams the same bytes while it runs: sweep-stream.ts). The rows of sweep.csv and of
 * the curve files that follow grid order (the parameters of the last dimension, which is every
 * parameter of a one-dimensional sweep) come from formatRows in chunks, each number formatted
 * once; the other parameters' curve files take a pass each. Returns the paths written and the
 * digests of sweep.csv's rows.
 */
export function writeSweepTables(dir: string, t: SweepTable, paramCurves: boolean): { written: string[]; digests: RowDigests } {
  const { grid, outputs } = t;
  const values = t.values;
  if (!values) throw new Error("writeSweepTables needs the table's values");
  const K = outputs.length;
  const inOrder = paramCurves ? inOrderCurves(grid, K) : [];
  const others = otherDimensionParams(grid);
  const main = new AtomicTextWriter(join(dir, SWEEP_CSV));
  const curves: AtomicTextWriter[] = [];
  const digester = new ByteRowDigester(t.start, t.end - t.start);
  try {
    main.write(sweepCsvHeader(grid.paths, outputs));
    for (const [p, k] of inOrder) {
      const w = new AtomicTextWriter(curveCsvPath(dir, outputs[k], grid.paths[p]));
      curves.push(w);
      w.write(curveCsvHeader(grid, p, outputs[k], others));
    }
    for (let a = t.start; a < t.end; a += CHUNK) {
      const b = Math.min(t.end, a + CHUNK);
      const f = formatRows(grid, K, inOrder, a, b, values.subarray((a - t.start) * K, (b - t.start) * K), (j) => t.failures.get(a + j));
      main.writeBytes(f.rows);
      digester.addRows(a, f.rows, f.rowEnds);
      for (let c = 0; c < curves.length; c++) curves[c].writeBytes(f.curves[c]);
    }
    for (const w of [main, ...curves]) w.commit();
  } catch (e) {
    for (const w of [main, ...curves]) w.abort();
    throw e;
  }
  const written = [main.path, ...curves.map((w) => w.path)];
  for (const w of curves) withStatusColumn(w.path, t.start, t.failures);
  if (paramCurves) written.push(...writeParamCurves(dir, t, others));
  return { written, digests: digester.finish() };
}

export function pointCurvesHeader(columns: readonly string[]): string {
  return ["point", "theta", ...columns].map(csvField).join(",") + "\n";
}

/**
 * Write sweep-curves.csv of the grid points [start, end) from lines already in grid order (each
 * starting with its point's index); returns the digests of its lines.
 */
export function writePointCurvesCsv(path: string, columns: readonly string[], lines: Iterable<string>, start: number, end: number): RowDigests {
  const w = new AtomicTextWriter(path);
  const digester = new RowDigester(start, end - start);
  try {
    w.write(pointCurvesHeader(columns));
    for (const l of lines) {
      w.write(l);
      digester.add(parseInt(l, 10), l);
    }
    w.commit();
  } catch (e) {
    w.abort();
    throw e;
  }
  return digester.finish();
}

export function writeSweepMeta(dir: string, meta: SweepMeta): string {
  const path = join(dir, SWEEP_JSON);
  writeFileAtomic(path, JSON.stringify(meta, null, 2) + "\n");
  return path;
}
