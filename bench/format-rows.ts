// `node dist/bench/format-rows.js [--points N] [--rounds R] [--baseline DIR]`: the cost of
// writing a sweep's CSV numbers (engine/results/fast-number.ts) on realistic rows. The values
// are those the engine computes for the leader–fringe sweep of bench/scenarios
// (leader-fringe-sweep.json with N points, default 1,000,000): rows of the swept linspace value
// and four outputs of 15–17 significant digits. Timed, per row of 5 numbers: writeShortestAt over
// the row's cells alone; formatRows (workers/sweep-rows.ts) as a sweep calls it, in batches of
// MAX_BATCH points into pooled buffers, for the sweep.csv rows alone and with the in-order curve
// files of `lpe sweep` (4 more files, each cell copied once more); and String(x) copied as
// bytes, for scale. With --baseline DIR (another build's dist/ folder, e.g. a copy of dist/
// made before a change, next to a package.json and node_modules), the same functions of that
// build run in the same rounds, back to back with this build's, after a check that both write
// String(x)'s bytes. Times are the process's CPU time (user + system, less disturbed than wall
// time by other work on the machine's 2 shared cores), medians of R rounds (default 7), and the
// speed-up the median of the rounds' ratios; the load average is printed before and after.

import { loadavg } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { loadScenarioFile } from "../engine/scenario/load.js";
import { packageRoot } from "../engine/package-root.js";
import { BufferPool } from "../workers/buffer-pool.js";
import { makeSweepContext, solveRange } from "../workers/sweep-point.js";
import { MAX_BATCH } from "../workers/sweep-runner.js";
import { pointValues, type SweepGrid } from "../workers/sweep-grid.js";
import * as current from "../engine/results/fast-number.js";
import * as currentRows from "../workers/sweep-rows.js";
import { median } from "./process-timer.js";

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const POINTS = Number(arg("--points") ?? 1_000_000);
const ROUNDS = Number(arg("--rounds") ?? 7);
const BASELINE = arg("--baseline");
const ROOT = packageRoot();
const load = () => loadavg().map((x) => x.toFixed(2)).join(", ");
const log = (s: string) => process.stdout.write(`${s}\n`);

type Writer = typeof current.writeShortestAt;
type Rows = typeof currentRows.formatRows;

/** The sweep's grid and its computed values (point-major, 4 outputs) and the cells of every row. */
function sweepValues(points: number): { grid: SweepGrid; K: number; values: Float64Array; cells: Float64Array } {
  const file = join(ROOT, "bench", "scenarios", "leader-fringe-sweep.json");
  const loaded = loadScenarioFile(file, [`sweep.params={"market.fringe.cost":{"linspace":[0.05,0.29,${points}]}}`]);
  const outputs = loaded.scenario.sweep!.outputs;
  const ctx = makeSweepContext({ raw: loaded.raw, outputs, curves: [] });
  const K = outputs.length;
  const values = new Float64Array(points * K);
  const CHUNK = 50_000;
  for (let s = 0; s < points; s += CHUNK) {
    const e = Math.min(points, s + CHUNK);
    values.set(solveRange(ctx, s, e).values, s * K);
  }
  // each row's cells: the swept value, then the outputs
  const cells = new Float64Array(points * (K + 1));
  const p = new Float64Array(1);
  for (let i = 0; i < points; i++) {
    pointValues(ctx.grid, i, p);
    cells[i * (K + 1)] = p[0];
    for (let k = 0; k < K; k++) cells[i * (K + 1) + 1 + k] = values[i * K + k];
  }
  return { grid: ctx.grid, K, values, cells };
}

const out = new Uint8Array(64 << 20);

/** Write every finite cell with `w`, separated by commas; returns the bytes written. */
function writeCells(w: Writer, cells: Float64Array): number {
  let pos = 0;
  for (let i = 0; i < cells.length; i++) {
    if (pos > out.length - 64) pos = 0; // wrap: the bytes are not kept
    const x = cells[i];
    if (x - x === 0) pos = w(out, pos, cells, i);
    out[pos++] = 44;
  }
  return pos;
}

/** String(x) of every finite cell copied as bytes (what the engine did before fast-number.ts). */
function stringCells(cells: Float64Array): number {
  let pos = 0;
  for (let i = 0; i < cells.length; i++) {
    if (pos > out.length - 64) pos = 0;
    const x = cells[i];
    if (x - x === 0) {
      const s = String(x);
      for (let c = 0; c < s.length; c++) out[pos++] = s.charCodeAt(c);
    }
    out[pos++] = 44;
  }
  return pos;
}

/** formatRows over all points in sweep batches, buffers given back after each; returns the bytes. */
function formatAll(rows: Rows, grid: SweepGrid, K: number, values: Float64Array, curves: boolean, pool: BufferPool): number {
  const inOrder = curves ? currentRows.inOrderCurves(grid, K) : [];
  const ok = () => undefined;
  let bytes = 0;
  for (let a = 0; a < POINTS; a += MAX_BATCH) {
    const b = Math.min(POINTS, a + MAX_BATCH);
    const f = rows(grid, K, inOrder, a, b, values.subarray(a * K, b * K), ok, pool);
    bytes += f.rows.length;
    pool.giveSet([f.rows.buffer, f.rowEnds.buffer, ...f.curves.map((c) => c.buffer)]);
  }
  return bytes;
}

function digits(values: Float64Array): string {
  // significant digits of the finite values: how typical the rows are
  const count = new Map<number, number>();
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x) || x === 0) continue;
    const m = String(Math.abs(x)).replace(/e.*$/, "").replace(".", "").replace(/^0+/, "");
    count.set(m.length, (count.get(m.length) ?? 0) + 1);
    n++;
  }
  return [...count.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([d, c]) => `${d}: ${((100 * c) / n).toFixed(1)}%`)
    .join(", ");
}

async function main(): Promise<void> {
  log(`format-rows: ${POINTS.toLocaleString("en-US")} leader–fringe rows, ${ROUNDS} rounds; load average before: ${load()}`);
  const t0 = performance.now();
  const { grid, K, values, cells } = sweepValues(POINTS);
  log(`computed the rows in ${((performance.now() - t0) / 1000).toFixed(2)} s; significant digits of the outputs: ${digits(values)}`);

  const variants: { name: string; w: Writer; rows: Rows }[] = [{ name: "this build", w: current.writeShortestAt, rows: currentRows.formatRows }];
  if (BASELINE) {
    const dir = isAbsolute(BASELINE) ? BASELINE : resolve(process.cwd(), BASELINE);
    const fn = (await import(pathToFileURL(join(dir, "engine", "results", "fast-number.js")).href)) as typeof current;
    const rows = (await import(pathToFileURL(join(dir, "workers", "sweep-rows.js")).href)) as typeof currentRows;
    variants.unshift({ name: `baseline (${BASELINE})`, w: fn.writeShortestAt, rows: rows.formatRows });
  }

  // the same bytes: every variant's rows against String(x)'s
  const dec = new TextDecoder();
  const ok = () => undefined;
  const check = Math.min(POINTS, 200_000);
  const want = (() => {
    const p = new Float64Array(1);
    const parts: string[] = [];
    for (let i = 0; i < check; i++) {
      pointValues(grid, i, p);
      const cellsOf = [p[0], ...values.subarray(i * K, i * K + K)].map((x) => (Number.isFinite(x) ? String(x) : ""));
      parts.push(`${i},${cellsOf[0]},ok,${cellsOf.slice(1).join(",")}\n`);
    }
    return parts.join("");
  })();
  for (const v of variants) {
    const got = dec.decode(v.rows(grid, K, [], 0, check, values.subarray(0, check * K), ok).rows);
    if (got !== want) throw new Error(`${v.name}: formatRows differs from String(x)`);
  }
  log(`bytes: formatRows of every build equals String(x) on the first ${check.toLocaleString("en-US")} rows`);

  const cellT = variants.map(() => [] as number[]);
  const rowT = variants.map(() => [] as number[]);
  const curveT = variants.map(() => [] as number[]);
  const pools = variants.map(() => new BufferPool());
  const strT: number[] = [];
  const perRow = (ms: number) => (ms * 1000) / POINTS;
  // CPU time of the process (user + system), less disturbed than wall time by other work
  // sharing the cores
  const time = (f: () => void) => {
    const t = process.cpuUsage();
    f();
    const d = process.cpuUsage(t);
    return perRow((d.user + d.system) / 1000);
  };
  for (let r = 0; r < ROUNDS + 1; r++) {
    // round 0 warms the JIT and the buffer pools, and is not kept
    for (let j = 0; j < variants.length; j++) {
      const v = variants[j];
      const a = time(() => writeCells(v.w, cells));
      const b = time(() => formatAll(v.rows, grid, K, values, false, pools[j]));
      const c = time(() => formatAll(v.rows, grid, K, values, true, pools[j]));
      if (r > 0) {
        cellT[j].push(a);
        rowT[j].push(b);
        curveT[j].push(c);
      }
    }
    const d = time(() => stringCells(cells));
    if (r > 0) strT.push(d);
  }
  const us = (x: number) => `${x.toFixed(3)} µs`;
  const range = (xs: number[]) => `[${us(Math.min(...xs))} … ${us(Math.max(...xs))}]`;
  log(`CPU µs per row of ${K + 1} numbers, median of ${ROUNDS} rounds [min … max]:`);
  for (let j = 0; j < variants.length; j++) {
    log(`  ${variants[j].name}:`);
    log(`    writeShortestAt, the row's cells: ${us(median(cellT[j]))} ${range(cellT[j])}`);
    log(`    formatRows, sweep.csv rows:       ${us(median(rowT[j]))} ${range(rowT[j])}`);
    log(`    formatRows, with the curve files: ${us(median(curveT[j]))} ${range(curveT[j])}`);
  }
  log(`  String(x) copied as bytes, the row's cells: ${us(median(strT))} ${range(strT)}`);
  if (variants.length === 2) {
    // the median of each round's ratio: the two builds ran back to back, under the same load
    const x = (a: number[], b: number[]) => `${median(a.map((t, r) => t / b[r])).toFixed(2)}×`;
    log(`speed-up of this build over the baseline (median of the rounds' ratios): writeShortestAt ${x(cellT[0], cellT[1])}, sweep.csv rows ${x(rowT[0], rowT[1])}, with the curve files ${x(curveT[0], curveT[1])}`);
  }
  log(`load average after: ${load()}`);
}

await main();
