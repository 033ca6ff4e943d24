// `lpe merge`: join the shard folders of one sweep into the whole grid's files. Each shard is
// checked before anything is written: it must be finished (sweep.json present and well formed,
// see sweep-files.ts), all must come from the same scenario, grid and engine version, every
// shard 1..N must be there exactly once with the slice --shard assigns it, the scenario each
// sweep.json records must hash to its scenarioSha256 (an edited record is refused), every row of its
// sweep.csv must carry the grid values of its index, and the rows of sweep.csv and
// sweep-curves.csv must have the SHA-256 digests the shard run recorded in sweep.json (a digit
// changed by hand is refused with the file, line and grid point). Up to 100,000 points the rows
// are then read back into one table (numbers are round-trip exact) and written by the same writer
// a single run uses (it writes the curve files too), so the bytes are identical; above, where no
// curve file needs every point's outputs, each row is checked and copied as it is read
// (streamMergedRows), so that a merge's memory does not grow with the grid.

import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { InputError } from "../engine/errors.js";
import { withPath } from "../engine/results/system-errors.js";
import { scenarioSha256 } from "../engine/scenario/load.js";
import { formatNumber } from "../engine/results/number-format.js";
import { writeShortestAt } from "../engine/results/fast-number.js";
import { ByteRowDigester, describeMismatch, RowDigestCheck, type DigestMismatch, type RowDigests } from "../engine/results/row-digest.js";
import { parseSweepCsvRow, sweepCsvHeader, unquoteCsvField, type AtomicTextWriter } from "../engine/results/sweep-csv.js";
import { parseShardDirName, shardDirName, shardSlice } from "./shard.js";
import { FigureSample, type SweepTable } from "./sweep-curves.js";
import { readSweepMeta, type SweepFileMeta } from "./sweep-files.js";
import { buildSweepGrid, pointValues } from "./sweep-grid.js";
import { pointCurvesHeader, POINT_CURVES_CSV, SWEEP_CSV, SWEEP_JSON } from "./sweep-results.js";
import { readManifest } from "./sweep-store.js";
import { scenarioDifferenceText } from "./json-difference.js";
import { recoverySteps } from "./slurm.js";

export interface ShardInput {
  dir: string;
  meta: SweepFileMeta;
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** Whether d/sweep.json says it is a shard's (it is checked in full when the shard is loaded). */
function declaresShard(d: string): boolean {
  try {
    const m: unknown = JSON.parse(readFileSync(join(d, SWEEP_JSON), "utf8"));
    return typeof m === "object" && m !== null && typeof (m as { shard?: unknown }).shard === "object" && (m as { shard?: unknown }).shard !== null;
  } catch {
    return false;
  }
}

/** The shard folders named by `dirs`: shard folders themselves, or folders holding shard-I-of-N/. */
export function findShardDirs(dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    if (!isDir(d)) throw new InputError("", `${d}: no such folder`);
    if (parseShardDirName(basename(resolve(d))) || declaresShard(d)) {
      out.push(d);
      continue;
    }
    const subs = readdirSync(d)
      .filter((n) => parseShardDirName(n) && isDir(join(d, n)))
      .map((n) => join(d, n));
    if (subs.length === 0) {
      // a sweep.json here that is not a shard's: say what is wrong with it (a truncated file in a
      // folder not named shard-I-of-N was reported as "neither a shard folder nor …"). (With
      // shard folders beside it, it is an earlier merge's output.)
      if (existsSync(join(d, SWEEP_JSON)) && !readSweepMeta(d).shard) throw new InputError("", `${d}: holds a whole sweep, not a shard; nothing to merge`);
      throw new InputError("", `${d}: neither a shard folder nor a folder holding shard-I-of-N folders`);
    }
    out.push(...subs);
  }
  return out;
}

/** A shard that has not finished: its folder holds a manifest but no sweep.json, or no folder at all. */
interface Unfinished {
  index: number;
  count: number;
  /** points done of how many, when a run has started */
  progress?: { done: number; of: number };
}

/**
 * What to do about unfinished shards of the sweep in `sweepDir`: with the SLURM script there,
 * resubmit those tasks, then the merge; else run them again with --resume.
 */
export function recoveryHint(sweepDir: string, indices: number[], count: number): string {
  const script = join(sweepDir, "sweep.slurm");
  if (existsSync(script)) {
    const [resubmit, merge] = recoverySteps(resolve(script), indices.join(","));
    return `to finish them with SLURM: ${resubmit}, then ${merge}`;
  }
  return `finish ${indices.length > 1 ? "them" : "it"} with the same lpe sweep command (--shard ${indices.length > 1 ? "I" : indices[0]}/${count}) and --resume, then merge again`;
}

/**
 * A shard's sweep.json records the resolved scenario its rows were computed for, and the
 * SHA-256 every shard is compared by: a recorded scenario that does not hash to it (or a seed or
 * name that differs from the scenario's own) was edited after the run, and the merged figures'
 * captions and a rerun would state parameters that were never computed (a reviewer changed
 * c_L in both shards: the merge passed and captioned c_L = 0.31 over rows computed at 0.3).
 */
function checkRecordedScenario(dir: string, meta: SweepFileMeta): void {
  const file = join(dir, SWEEP_JSON);
  const sc = meta.scenario;
  const restore = `run shard ${meta.shard!.index}/${meta.shard!.count} again (it replaces ${dir})`;
  if (!sc) throw new InputError("", `${file}: records no scenario (every sweep.json does): it was edited after the run; ${restore}`);
  if (scenarioSha256(sc) !== meta.scenarioSha256) {
    throw new InputError("", `${file}: its recorded scenario does not hash to its scenarioSha256 (${meta.scenarioSha256.slice(0, 12)}…): it was edited after the run, and the rows were computed for the scenario the hash names; ${restore}`);
  }
  if (sc.name !== meta.name) throw new InputError("", `${file}: name ${JSON.stringify(meta.name)} differs from the recorded scenario's ${JSON.stringify(sc.name)}: it was edited after the run; ${restore}`);
  if (sc.seed !== undefined && sc.seed !== meta.seed) throw new InputError("", `${file}: seed ${JSON.stringify(meta.seed)} differs from the recorded scenario's ${JSON.stringify(sc.seed)}: it was edited after the run; ${restore}`);
}

/**
 * A finished shard's manifest.json, the record of its run, must agree with its sweep.json: the
 * same scenario, grid and slice, complete, every point of the slice done. Both files are written
 * by the run; one that disagrees was edited after it (a reviewer set `done` and the scenario's
 * hash in a manifest, and the merge went ahead without a word). No manifest: nothing to compare.
 */
function checkManifest(dir: string, meta: SweepFileMeta): void {
  const m = readManifest(dir);
  if (!m) return;
  const sh = meta.shard!;
  const id = m.identity;
  const size = sh.end - sh.start;
  const differs: [string, unknown, unknown][] = [
    ["identity.scenarioSha256", id.scenarioSha256, meta.scenarioSha256],
    ["identity.gridSha256", id.gridSha256, meta.gridSha256],
    ["identity.gridSize", id.gridSize, meta.grid.size],
    ["identity.workLimitSeconds", id.workLimitSeconds, meta.workLimitSeconds],
    ["identity.shard", id.shard ? `${id.shard.index}/${id.shard.count} [${id.shard.start}, ${id.shard.end})` : null, `${sh.index}/${sh.count} [${sh.start}, ${sh.end})`],
    ["start", m.start, sh.start],
    ["end", m.end, sh.end],
    ["done", m.done, size],
    ["complete", m.complete, true],
  ];
  const bad = differs.find(([, a, b]) => a !== b);
  if (bad) {
    throw new InputError(
      "",
      `${join(dir, "manifest.json")}: ${bad[0]} is ${JSON.stringify(bad[1])} where ${SWEEP_JSON} says ${JSON.stringify(bad[2])}: one of them was edited after the run; run shard ${sh.index}/${sh.count} again (it replaces ${dir})`,
    );
  }
}

/** Read and cross-check the shards; returns them sorted by shard index. */
export function loadShards(dirs: readonly string[]): ShardInput[] {
  const unfinished: Unfinished[] = [];
  const shards: ShardInput[] = [];
  for (const dir of dirs) {
    if (!existsSync(join(dir, SWEEP_JSON))) {
      const m = readManifest(dir);
      const s = m?.identity.shard ?? (m ? undefined : parseShardDirName(basename(resolve(dir))));
      if (m && !s) throw new InputError("", `${dir}: holds an unfinished whole sweep (${m.done} of ${m.end - m.start} points done), not a shard; finish it with --resume`);
      if (!s) throw new InputError("", `${dir}: not a sweep shard folder (no ${SWEEP_JSON})`);
      unfinished.push({ index: s.index, count: s.count, progress: m ? { done: m.done, of: m.end - m.start } : undefined });
      continue;
    }
    const meta = readSweepMeta(dir);
    if (!meta.shard) throw new InputError("", `${dir}: holds a whole sweep, not a shard; nothing to merge`);
    checkRecordedScenario(dir, meta);
    checkManifest(dir, meta);
    shards.push({ dir, meta });
  }
  const sweepDir = dirname(resolve(dirs[0]));
  if (shards.length === 0) {
    const n = unfinished[0].count;
    const mine = unfinished.filter((u) => u.count === n);
    const absent = Array.from({ length: n }, (_, k) => k + 1).filter((i) => !mine.some((u) => u.index === i));
    throw notFinished(sweepDir, mine, absent, n);
  }
  const first = shards[0].meta;
  for (const s of shards) {
    const m = s.meta;
    const why =
      m.scenarioSha256 !== first.scenarioSha256
        ? `scenario sha256 ${m.scenarioSha256.slice(0, 12)}… differs from ${first.scenarioSha256.slice(0, 12)}… in ${shards[0].dir}${scenarioDifference(s.dir, shards[0].dir)}`
        : m.gridSha256 !== first.gridSha256 || m.grid.size !== first.grid.size
          ? `its sweep grid differs from the one in ${shards[0].dir}`
          : m.engineVersion !== first.engineVersion
            ? `it was made by lpe ${m.engineVersion}, ${shards[0].dir} by lpe ${first.engineVersion}`
            : m.workLimitSeconds !== first.workLimitSeconds
              ? // (the limit decides which points are refused as too long)
                `it ran ${m.workLimitSeconds === undefined ? "without --work-limit" : `with --work-limit ${m.workLimitSeconds}`}, ${shards[0].dir} ${first.workLimitSeconds === undefined ? "without" : `with --work-limit ${first.workLimitSeconds}`}`
            : m.shard && first.shard && m.shard.count !== first.shard.count
              ? // (a folder re-sharded in place holds both sets: name the folders of one set to merge it,
                // a reviewer found; the message did not say so)
                `it is one of ${m.shard.count} shards, ${shards[0].dir} one of ${first.shard.count}; to merge one set, name its shard folders (lpe merge ${join(dirname(shards[0].dir), shardDirName(1, first.shard.count))} … ${join(dirname(shards[0].dir), shardDirName(first.shard.count, first.shard.count))})`
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
  // unfinished folders of this sweep's shard count; others (left from an earlier split) do not matter
  const started = unfinished.filter((u) => u.count === count && !byIndex.has(u.index));
  const missing: number[] = [];
  for (let i = 1; i <= count; i++) if (!byIndex.has(i) && !started.some((u) => u.index === i)) missing.push(i);
  if (started.length > 0 || missing.length > 0) throw notFinished(sweepDir, started, missing, count);
  return [...byIndex.values()].sort((a, b) => a.meta.shard!.index - b.meta.shard!.index);
}

/**
 * Where two shards' recorded scenarios first differ (", first at market.leader.cost: 0.31 here,
 * 0.3 there"), from the `scenario` each sweep.json records; "" when either cannot be read (the
 * hashes alone then say that they differ). Read only to word the refusal.
 */
function scenarioDifference(here: string, there: string): string {
  const recorded = (dir: string): unknown => {
    try {
      return (JSON.parse(readFileSync(join(dir, SWEEP_JSON), "utf8")) as { scenario?: unknown }).scenario;
    } catch {
      return undefined;
    }
  };
  return scenarioDifferenceText(recorded(here), recorded(there), ["here", "there"]);
}

/** How far an unfinished shard got, for notFinished's message. */
function progressText(p: Unfinished["progress"]): string {
  if (!p) return "no points done";
  // every point solved, but the run stopped before its files were written (or sweep.json went)
  if (p.done >= p.of) return `all ${p.of} points done, but no ${SWEEP_JSON}`;
  return `${p.done} of ${p.of} points done`;
}

function notFinished(sweepDir: string, started: Unfinished[], missing: number[], count: number): InputError {
  const parts = [...started]
    .sort((a, b) => a.index - b.index)
    .map((u) => `shard ${u.index}/${u.count} is not finished (${progressText(u.progress)})`);
  if (missing.length > 0) parts.push(`missing shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${count}`).join(", ")}`);
  const indices = [...started.map((u) => u.index), ...missing].sort((a, b) => a - b);
  return new InputError("", `${parts.join("; ")}: every shard must be finished before merging; ${recoveryHint(sweepDir, indices, count)}`);
}

function tampered(path: string, m: DigestMismatch, s: ShardInput): InputError {
  const sh = s.meta.shard!;
  return new InputError(
    "",
    `${path}: ${describeMismatch(m)}: not what the shard run wrote (the SHA-256 digest is not the one recorded in ${SWEEP_JSON}); ` +
      `the file was changed after the run: run shard ${sh.index}/${sh.count} again (it replaces ${s.dir})`,
  );
}

/** The file's bytes, after checking that they start with `header`. */
function readWithHeader(path: string, header: string): { buf: Buffer; bodyStart: number } {
  if (!existsSync(path)) throw new InputError("", `${path} is missing`);
  // (reading a folder put in the file's place fails with no path in the error: name it)
  const buf = withPath(path, () => readFileSync(path));
  checkHeader(path, buf, header);
  return { buf, bodyStart: Buffer.byteLength(header, "utf8") };
}

/** Refuse a file whose bytes (all of them, or its first ones: at least the header's length + 1
 *  when the file has them) do not start with `header`. */
function checkHeader(path: string, buf: Buffer, header: string): void {
  const head = Buffer.from(header, "utf8");
  if (buf.length < head.length || !buf.subarray(0, head.length).equals(head)) {
    // (a file saved by an editor that writes Windows line endings has the same header text)
    const crlf = head.length > 1 && buf.subarray(0, head.length + 1).equals(Buffer.concat([head.subarray(0, head.length - 1), Buffer.from("\r\n")]));
    if (crlf)
      throw new InputError("", `${path}: its lines end in CR LF (Windows line endings: the file was saved by an editor?) where lpe wrote LF; the file was changed after the run: run its shard again`);
    throw new InputError("", `${path}: unexpected header (expected ${header.trim()})`);
  }
}

/** The whole grid's table, read from the shards' sweep.csv files (each row checked, each digest verified). */
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
    const { buf, bodyStart } = readWithHeader(path, header);
    const { start, end } = s.meta.shard!;
    const check = new RowDigestCheck(s.meta.digests[SWEEP_CSV], start, buf, 2);
    let pos = bodyStart;
    for (let i = start; i < end; i++) {
      const line = i - start + 2;
      const nl = buf.indexOf(10, pos);
      if (nl < 0) throw new InputError("", `${path}: ${i - start} rows, expected ${end - start}`);
      if (!check.line(i, pos, nl + 1, line)) throw tampered(path, check.mismatch!, s);
      const row = parseSweepCsvRow(buf.toString("utf8", pos, nl), P, K);
      pointValues(grid, i, params);
      if (!row || row.point !== i || row.params.some((c, k) => c !== formatNumber(params[k]))) {
        throw new InputError("", `${path}: line ${line} (row ${i - start + 1}) is not grid point ${i} of this sweep`);
      }
      values.set(row.outputs, i * K);
      if (row.status !== "ok") failures.set(i, row.status);
      pos = nl + 1;
    }
    if (pos !== buf.length) {
      // (a blank line is not a row: say what is there, in JSON so that a newline shows)
      const rest = buf.toString("utf8", pos, Math.min(buf.length, pos + 60));
      throw new InputError("", `${path}: text after the ${end - start} rows of shard ${s.meta.shard!.index}, from line ${end - start + 2}: ${JSON.stringify(rest)}${buf.length - pos > 60 ? "…" : ""}`);
    }
    const bad = check.end();
    if (bad) throw tampered(path, bad, s);
  }
  return { grid, outputs, start: 0, end: grid.size, values, failures };
}

/** Bytes read at a time from a shard's sweep.csv by the streamed merge (streamMergedRows). */
export const MERGE_READ_BYTES = 4 << 20;

/** What the streamed merge keeps of the rows: the statuses of the points that are not `ok`, the
 *  outputs of the points the figures show, and the digests of the merged file's rows. */
export interface StreamedRows {
  failures: Map<number, string>;
  sample: FigureSample;
  digests: RowDigests;
}

const SCRATCH = new Uint8Array(64);
// bytes a number cell may hold (formatNumber writes String(x) of a finite number, or nothing)
const NUMBER_BYTE = new Uint8Array(256);
for (const c of "0123456789.-+e") NUMBER_BYTE[c.charCodeAt(0)] = 1;

/**
 * The shards' rows checked and copied, byte for byte, to `out` (none: checked only; the merged sweep.csv, its header
 * written), reading each shard's sweep.csv in pieces of MERGE_READ_BYTES: memory does not grow
 * with the grid. Every row is checked as mergedTable checks it: the SHA-256 digests the shard run
 * recorded, the point's index, its grid values (compared as the text the run writes), its
 * number cells (number characters only; a digest that matches proves they are the run's), and
 * its status, kept when it is not `ok`. Why copy rather than parse and format again, as
 * mergedTable does: a shard's rows are written by the single run's formatter with the point's
 * grid index, so its bytes are the single run's, and the digests prove they did not change;
 * mergedTable held every row and formatted each again, and a 1,000,000-point sweep took 5.7 s
 * and 236 MB to merge, against 1.2 s and 80 MB to compute (10,000,000 points would have needed
 * gigabytes). Used above MAX_CURVE_FILE_POINTS points, where no curve file needs the outputs of
 * every point; the figures need only the sample's.
 */
export function streamMergedRows(shards: readonly ShardInput[], out?: Pick<AtomicTextWriter, "writeBytes">): StreamedRows {
  const meta = shards[0].meta;
  const grid = buildSweepGrid(meta.grid);
  const K = meta.outputs.length;
  const P = grid.paths.length;
  const header = sweepCsvHeader(grid.paths, meta.outputs);
  const headBytes = Buffer.byteLength(header, "utf8");
  const failures = new Map<number, string>();
  const sample = new FigureSample(grid, K);
  const wanted = sample.points();
  let w = 0;
  const digester = new ByteRowDigester(0, grid.size);
  const params = new Float64Array(P);
  let buf = Buffer.allocUnsafe(MERGE_READ_BYTES);
  // (a row has at least 8 bytes: "0,0,ok,\n")
  let rowEnds = new Uint32Array((buf.length >> 3) + 1);
  for (const s of shards) {
    const path = join(s.dir, SWEEP_CSV);
    if (!existsSync(path)) throw new InputError("", `${path} is missing`);
    const fd = withPath(path, () => openSync(path, "r"));
    try {
      const { start, end } = s.meta.shard!;
      const check = new RowDigestCheck(s.meta.digests[SWEEP_CSV], start, undefined, 2);
      let have = 0;
      let pos = 0;
      let eof = false;
      // keep the bytes from pos on and read more after them (a line longer than the buffer grows it)
      const fill = () => {
        check.release();
        if (pos > 0) {
          buf.copyWithin(0, pos, have);
          have -= pos;
          pos = 0;
        }
        if (have === buf.length) {
          const bigger = Buffer.allocUnsafe(2 * buf.length);
          buf.copy(bigger, 0, 0, have);
          buf = bigger;
          rowEnds = new Uint32Array((buf.length >> 3) + 1);
        }
        const n = withPath(path, () => readSync(fd, buf, have, buf.length - have, null));
        if (n === 0) eof = true;
        have += n;
      };
      while (!eof && have <= headBytes) fill();
      checkHeader(path, buf.subarray(0, have), header);
      pos = headBytes;
      let i = start;
      while (i < end) {
        const from = pos;
        let r = 0;
        for (; i < end; i++) {
          const nl = buf.indexOf(10, pos);
          if (nl < 0 || nl >= have) break;
          const line = i - start + 2;
          if (!check.line(i, pos, nl + 1, line, buf)) throw tampered(path, check.mismatch!, s);
          const status = checkRow(buf, pos, nl, i, grid, params, K);
          if (status === undefined) throw new InputError("", `${path}: line ${line} (row ${i - start + 1}) is not grid point ${i} of this sweep`);
          if (status !== "ok") failures.set(i, status);
          if (w < wanted.length && wanted[w] === i) {
            const row = parseSweepCsvRow(buf.toString("utf8", pos, nl), P, K);
            if (!row) throw new InputError("", `${path}: line ${line} (row ${i - start + 1}) is not grid point ${i} of this sweep`);
            sample.recordPoint(i, row.outputs);
            w++;
          }
          pos = nl + 1;
          rowEnds[r++] = pos - from;
        }
        if (r > 0) {
          const bytes = buf.subarray(from, pos);
          out?.writeBytes(bytes);
          digester.addRows(i - r, bytes, rowEnds.subarray(0, r));
        }
        if (i < end) {
          if (eof) throw new InputError("", `${path}: ${i - start} rows, expected ${end - start}`);
          fill();
        }
      }
      // nothing may follow the rows
      if (pos === have && !eof) fill();
      if (pos < have) {
        const rest = buf.toString("utf8", pos, Math.min(have, pos + 60));
        throw new InputError("", `${path}: text after the ${end - start} rows of shard ${s.meta.shard!.index}, from line ${end - start + 2}: ${JSON.stringify(rest)}${have - pos > 60 ? "…" : ""}`);
      }
      const bad = check.end();
      if (bad) throw tampered(path, bad, s);
    } finally {
      closeSync(fd);
    }
  }
  return { failures, sample, digests: digester.finish() };
}

/**
 * Check the row [pos, nl) of `buf` as the row of grid point i (its index, its grid values as
 * formatNumber writes them, K cells of number characters after the status); its status, or
 * undefined when the row is not that point's.
 */
function checkRow(buf: Buffer, pos: number, nl: number, i: number, grid: ReturnType<typeof buildSweepGrid>, params: Float64Array, K: number): string | undefined {
  let p = pos;
  let index = 0;
  while (p < nl && buf[p] >= 48 && buf[p] <= 57) index = index * 10 + (buf[p++] - 48);
  if (p === pos || p >= nl || buf[p] !== 44 || index !== i) return undefined;
  p++;
  pointValues(grid, i, params);
  for (let k = 0; k < params.length; k++) {
    // the grid value's text as the run writes it (formatNumber's, byte for byte: fast-number.ts),
    // into a scratch buffer: no string per row
    const n = writeShortestAt(SCRATCH, 0, params, k);
    if (p + n >= nl) return undefined;
    for (let c = 0; c < n; c++) if (buf[p + c] !== SCRATCH[c]) return undefined;
    p += n;
    if (buf[p] !== 44) return undefined;
    p++;
  }
  // the K number cells, from the end
  let e = nl;
  for (let k = 0; k < K; k++) {
    let c = e - 1;
    while (c >= p && buf[c] !== 44) {
      if (NUMBER_BYTE[buf[c]] === 0) return undefined;
      c--;
    }
    if (c < p) return undefined;
    e = c;
  }
  if (e - p === 2 && buf[p] === 111 && buf[p + 1] === 107) return "ok";
  return unquoteCsvField(buf.toString("utf8", p, e));
}

/**
 * Check every shard's sweep-curves.csv (header; each line starts with a grid point of the shard,
 * in order; digests), before anything is written. The lines are read again when written.
 */
export function checkPointCurves(shards: readonly ShardInput[]): void {
  const header = pointCurvesHeader(shards[0].meta.curves);
  for (const s of shards) {
    const path = join(s.dir, POINT_CURVES_CSV);
    const { buf, bodyStart } = readWithHeader(path, header);
    const { start, end } = s.meta.shard!;
    const check = new RowDigestCheck(s.meta.digests[POINT_CURVES_CSV]!, start, buf, 2);
    let last = start;
    let line = 2;
    for (let pos = bodyStart; pos < buf.length; line++) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) throw new InputError("", `${path}: line ${line} is cut short (no line break)`);
      const comma = buf.indexOf(44, pos);
      const cell = comma >= 0 && comma < nl ? buf.toString("latin1", pos, comma) : "";
      const index = /^\d+$/.test(cell) ? Number(cell) : -1;
      if (index < last || index >= end) throw new InputError("", `${path}: line ${line} does not start with a grid point of shard ${s.meta.shard!.index} (${start}–${end - 1}) in grid order`);
      if (!check.line(index, pos, nl + 1, line)) throw tampered(path, check.mismatch!, s);
      last = index;
      pos = nl + 1;
    }
    const bad = check.end();
    if (bad) throw tampered(path, bad, s);
  }
}

/** The shards' sweep-curves.csv lines (with their line breaks), in shard (= grid) order. */
export function* mergedPointCurveLines(shards: readonly ShardInput[]): Generator<string> {
  const header = pointCurvesHeader(shards[0].meta.curves);
  for (const s of shards) {
    const text = withPath(join(s.dir, POINT_CURVES_CSV), () => readFileSync(join(s.dir, POINT_CURVES_CSV), "utf8"));
    for (let pos = header.length; pos < text.length; ) {
      const nl = text.indexOf("\n", pos);
      const next = nl < 0 ? text.length : nl + 1;
      yield text.slice(pos, next);
      pos = next;
    }
  }
}

/** Where the merged files go by default: the folder holding the shard folders. */
export function defaultMergeDir(shards: readonly ShardInput[]): string {
  const parents = new Set(shards.map((s) => dirname(resolve(s.dir))));
  if (parents.size > 1) throw new InputError("--out", `the shard folders are in different places (${[...parents].join(", ")}): name the output with --out`);
  return dirname(shards[0].dir);
}
