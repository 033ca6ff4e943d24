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

import { join } from "node:path";
import { writeFileAtomic } from "../engine/results/atomic-write.js";
import { formatNumber } from "../engine/results/number-format.js";
import { RowDigester, type RowDigests } from "../engine/results/row-digest.js";
import { AtomicTextWriter, csvField, sweepCsvHeader } from "../engine/results/sweep-csv.js";
import type { SweepAxis } from "../engine/scenario/spec-types.js";
import type { ShardSlice } from "./shard.js";
import { curveCsvHeader, curveCsvPath, writeParamCurves, type SweepTable } from "./sweep-curves.js";
import { dimIndex } from "./sweep-grid.js";

export const SWEEP_CSV = "sweep.csv";
export const SWEEP_JSON = "sweep.json";
export const POINT_CURVES_CSV = "sweep-curves.csv";

export interface SweepMeta {
  name: string;
  engineVersion: string;
  scenarioSha256: string;
  gridSha256: string;
  seed: number;
  grid: { params: Record<string, SweepAxis>; zip: string[][]; size: number };
  outputs: string[];
  curves: string[];
  /** points in this file (the shard's slice, or the whole grid) */
  points: number;
  failures: number;
  /** wall time of the sweep (all runs of it, when resumed), until its files were written */
  elapsedSeconds: number;
  /** wall time of this run's solving: the points (the pool was started before), without file assembly */
  computeSeconds: number;
  /** where this run's time went: loading and checks, solving, writing the CSVs, then drawing (or waiting for) the figures */
  phases?: { setupSeconds: number; computeSeconds: number; writeSeconds: number; figuresSeconds: number };
  workers: number;
  validation: string;
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
 * Write sweep.csv of the table's range and, with `paramCurves` (whole grids only), every
 * curves/<output>-vs-<param>.csv. One pass in grid order formats each output once and feeds
 * sweep.csv and the curve files whose rows are in grid order too (the parameters of the last,
 * fastest dimension, which is every parameter of a one-dimensional sweep); the other
 * parameters' curve files take a pass each. A parameter's cell is formatted only when its
 * value changes (once per row for the fastest dimension), and never cached per axis value,
 * since an axis may hold millions of values. Returns the paths written and the digests of
 * sweep.csv's rows.
 */
export function writeSweepTables(dir: string, t: SweepTable, paramCurves: boolean): { written: string[]; digests: RowDigests } {
  const { grid, outputs } = t;
  const K = outputs.length;
  const P = grid.paths.length;
  const last = grid.dims.length - 1;
  const inOrder = paramCurves ? grid.dims[last] : [];
  const lastDimParams = new Set(grid.dims[last]);
  const others = grid.paths.map((_, q) => q).filter((q) => !lastDimParams.has(q));
  const main = new AtomicTextWriter(join(dir, SWEEP_CSV));
  const curves = inOrder.flatMap((p) => outputs.map((_, k) => ({ p, k, w: new AtomicTextWriter(curveCsvPath(dir, outputs[k], grid.paths[p])) })));
  const all = [main, ...curves.map((c) => c.w)];
  const digester = new RowDigester(t.start, t.end - t.start);
  try {
    main.write(sweepCsvHeader(grid.paths, outputs));
    for (const c of curves) c.w.write(curveCsvHeader(grid, c.p, outputs[c.k], others));
    const idx = Int32Array.from(grid.dims, (_, d) => dimIndex(grid, t.start, d));
    const cells = new Array<string>(K);
    const param = grid.paths.map((_, p) => formatNumber(grid.axes[p][idx[grid.paramDim[p]]]));
    let changed = 0;
    for (let i = t.start; i < t.end; i++) {
      // dimensions from `changed` on moved since the last row
      for (let p = 0; p < P; p++) if (grid.paramDim[p] >= changed) param[p] = formatNumber(grid.axes[p][idx[grid.paramDim[p]]]);
      changed = grid.dims.length;
      let row = `${i},`;
      for (let p = 0; p < P; p++) row += param[p] + ",";
      const status = t.failures.get(i);
      row += status === undefined ? "ok" : csvField(status);
      const o = (i - t.start) * K;
      for (let k = 0; k < K; k++) {
        cells[k] = formatNumber(t.values[o + k]);
        row += "," + cells[k];
      }
      row += "\n";
      main.write(row);
      digester.add(i, row);
      if (curves.length > 0) {
        let prefix = "";
        for (const q of others) prefix += param[q] + ",";
        for (const c of curves) c.w.write(prefix + param[c.p] + "," + cells[c.k] + "\n");
      }
      for (let d = last; d >= 0; d--) {
        changed = d;
        if (++idx[d] < grid.dimLength[d]) break;
        idx[d] = 0;
      }
    }
    for (const w of all) w.commit();
  } catch (e) {
    for (const w of all) w.abort();
    throw e;
  }
  const written = [main.path, ...curves.map((c) => c.w.path)];
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
