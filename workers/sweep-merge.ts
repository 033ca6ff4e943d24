// `lpe merge`: join the shard folders of one sweep into the whole grid's files. Each shard is
// checked before anything is written: it must be finished (sweep.json present), all must
// come from the same scenario, grid and engine version, every shard 1..N must be there exactly
// once with the slice --shard assigns it, and every row of its sweep.csv must carry the grid
// values of its index. The rows are then read back into one table (numbers are round-trip
// exact) and written by the same writer a single run uses, so the bytes are identical.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { InputError } from "../engine/errors.js";
import { formatNumber } from "../engine/results/number-format.js";
import { parseSweepCsvRow, sweepCsvHeader } from "../engine/results/sweep-csv.js";
import { parseShardDirName, shardSlice } from "./shard.js";
import type { SweepTable } from "./sweep-curves.js";
import { buildSweepGrid, pointValues } from "./sweep-grid.js";
import { pointCurvesHeader, POINT_CURVES_CSV, SWEEP_CSV, SWEEP_JSON, type SweepMeta } from "./sweep-results.js";
import { readManifest } from "./sweep-store.js";

export interface ShardInput {
  dir: string;
  meta: SweepMeta;
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** The shard folders named by `dirs`: shard folders themselves, or folders holding shard-I-of-N/. */
export function findShardDirs(dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    if (!isDir(d)) throw new InputError("", `${d}: no such folder`);
    if (parseShardDirName(basename(resolve(d))) || existsSync(join(d, SWEEP_JSON)) && readMeta(d).shard) {
      out.push(d);
      continue;
    }
    const subs = readdirSync(d)
      .filter((n) => parseShardDirName(n) && isDir(join(d, n)))
      .map((n) => join(d, n));
    if (subs.length === 0) throw new InputError("", `${d}: neither a shard folder nor a folder holding shard-I-of-N folders`);
    out.push(...subs);
  }
  return out;
}

function readMeta(dir: string): SweepMeta {
  try {
    return JSON.parse(readFileSync(join(dir, SWEEP_JSON), "utf8")) as SweepMeta;
  } catch (e) {
    throw new InputError("", `${join(dir, SWEEP_JSON)} is not readable (${(e as Error).message})`);
  }
}

/** Read and cross-check the shards; returns them sorted by shard index. */
export function loadShards(dirs: readonly string[]): ShardInput[] {
  const shards: ShardInput[] = dirs.map((dir) => {
    if (!existsSync(join(dir, SWEEP_JSON))) {
      const m = readManifest(dir);
      if (m) {
        const s = m.identity.shard;
        throw new InputError("", `${dir}: shard ${s ? `${s.index}/${s.count} ` : ""}is not finished (${m.done} of ${m.end - m.start} points done); run it again with --resume`);
      }
      throw new InputError("", `${dir}: not a sweep shard folder (no ${SWEEP_JSON})`);
    }
    const meta = readMeta(dir);
    if (!meta.shard) throw new InputError("", `${dir}: holds a whole sweep, not a shard; nothing to merge`);
    return { dir, meta };
  });
  const first = shards[0].meta;
  for (const s of shards) {
    const m = s.meta;
    const why =
      m.scenarioSha256 !== first.scenarioSha256
        ? `scenario sha256 ${m.scenarioSha256.slice(0, 12)}… differs from ${first.scenarioSha256.slice(0, 12)}… in ${shards[0].dir}`
        : m.gridSha256 !== first.gridSha256 || m.grid.size !== first.grid.size
          ? `its sweep grid differs from the one in ${shards[0].dir}`
          : m.engineVersion !== first.engineVersion
            ? `it was made by lpe ${m.engineVersion}, ${shards[0].dir} by lpe ${first.engineVersion}`
            : m.shard && first.shard && m.shard.count !== first.shard.count
              ? `it is one of ${m.shard.count} shards, ${shards[0].dir} one of ${first.shard.count}`
              : undefined;
    if (why) throw new InputError("", `${s.dir} does not belong to the same sweep: ${why}`);
  }
  const count = first.shard!.count;
  const byIndex = new Map<number, ShardInput>();
  for (const s of shards) {
    const sh = s.meta.shard!;
    const other = byIndex.get(sh.index);
    if (other) throw new InputError("", `shard ${sh.index}/${count} is given twice: ${other.dir} and ${s.dir}`);
    const want = shardSlice(first.grid.size, sh.index, count);
    if (sh.start !== want.start || sh.end !== want.end) throw new InputError("", `${s.dir}: shard ${sh.index}/${count} covers [${sh.start}, ${sh.end}), expected [${want.start}, ${want.end})`);
    byIndex.set(sh.index, s);
  }
  const missing: number[] = [];
  for (let i = 1; i <= count; i++) if (!byIndex.has(i)) missing.push(i);
  if (missing.length > 0) throw new InputError("", `missing shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${count}`).join(", ")}: every shard must be finished before merging`);
  return [...byIndex.values()].sort((a, b) => a.meta.shard!.index - b.meta.shard!.index);
}

/** The whole grid's table, read from the shards' sweep.csv files (each row checked). */
export function mergedTable(shards: readonly ShardInput[]): SweepTable {
  const meta = shards[0].meta;
  const grid = buildSweepGrid(meta.grid);
  const outputs = meta.outputs;
  const K = outputs.length;
  const P = grid.paths.length;
  const values = new Float64Array(grid.size * K).fill(NaN);
  const failures = new Map<number, string>();
  const header = sweepCsvHeader(grid.paths, outputs);
  const params = new Float64Array(P);
  for (const s of shards) {
    const path = join(s.dir, SWEEP_CSV);
    if (!existsSync(path)) throw new InputError("", `${path} is missing`);
    const text = readFileSync(path, "utf8");
    if (!text.startsWith(header)) throw new InputError("", `${path}: unexpected header (expected ${header.trim()})`);
    const { start, end } = s.meta.shard!;
    let pos = header.length;
    for (let i = start; i < end; i++) {
      const nl = text.indexOf("\n", pos);
      if (nl < 0) throw new InputError("", `${path}: ${i - start} rows, expected ${end - start}`);
      const row = parseSweepCsvRow(text.slice(pos, nl), P, K);
      pointValues(grid, i, params);
      if (!row || row.params.some((c, k) => c !== formatNumber(params[k]))) {
        throw new InputError("", `${path}: row ${i - start + 1} is not grid point ${i} of this sweep`);
      }
      values.set(row.outputs, i * K);
      if (row.status !== "ok") failures.set(i, row.status);
      pos = nl + 1;
    }
    if (pos !== text.length) throw new InputError("", `${path}: more rows than the ${end - start} of shard ${s.meta.shard!.index}`);
  }
  return { grid, outputs, start: 0, end: grid.size, values, failures };
}

/** The shards' sweep-curves.csv bodies, in shard (= grid) order. */
export function* mergedPointCurveLines(shards: readonly ShardInput[]): Generator<string> {
  const header = pointCurvesHeader(shards[0].meta.curves);
  for (const s of shards) {
    const path = join(s.dir, POINT_CURVES_CSV);
    if (!existsSync(path)) throw new InputError("", `${path} is missing`);
    const text = readFileSync(path, "utf8");
    if (!text.startsWith(header)) throw new InputError("", `${path}: unexpected header`);
    yield text.slice(header.length);
  }
}

/** Where the merged files go by default: the folder holding the shard folders. */
export function defaultMergeDir(shards: readonly ShardInput[]): string {
  const parents = new Set(shards.map((s) => dirname(resolve(s.dir))));
  if (parents.size > 1) throw new InputError("--out", `the shard folders are in different places (${[...parents].join(", ")}): name the output with --out`);
  return dirname(shards[0].dir);
}
