// `lpe merge DIR… [--out DIR]`: join the finished shards of one sweep (shard folders, or the
// folder holding them) into the whole grid's sweep.csv, curves and sweep.json, the same bytes
// as a single run. Default output: the folder holding the shards (`<out>/<name>/`); with
// --out DIR, DIR/<name>/ as for `lpe sweep`. Every check happens before anything is written,
// including the digests of the shards' rows (workers/sweep-merge.ts). The merged sweep.json is
// built from the checked fields only: the sums of the shards' times and workers, and each
// shard's own timings (shardTimings).
// The provenance (scenario file, overrides, resolved scenario) is kept: every shard's recorded
// scenario was checked to hash to the sha256 they share. Exit status 4, as for the sweep, when
// some points of the merged grid failed.

import { existsSync, rmdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ENGINE_VERSION } from "../../engine/version.js";
import { MAX_CURVE_FILE_POINTS } from "../../engine/scenario/limits.js";
import { removeStaleTempFiles } from "../../engine/results/temp-files.js";
import { checkPointCurves, defaultMergeDir, findShardDirs, loadShards, mergedPointCurveLines, mergedTable, streamMergedRows } from "../../workers/sweep-merge.js";
import { AtomicTextWriter, sweepCsvHeader } from "../../engine/results/sweep-csv.js";
import { buildSweepGrid } from "../../workers/sweep-grid.js";
import type { SweepTable } from "../../workers/sweep-curves.js";
import { POINT_CURVES_CSV, removeEarlierSweepOutputs, SWEEP_CSV, writePointCurvesCsv, writeSweepMeta, writeSweepTables, type SweepDigests, type SweepMeta } from "../../workers/sweep-results.js";
import { reportError, type Io } from "../io.js";
import { startFigureDrawer } from "../../figures/figure-drawer.js";
import { plainSweepTable } from "../../workers/sweep-curves.js";
import { EXIT_POINTS_FAILED, largestGapRecord, pointProblems, uncertifiedCount, uncertifiedWarning } from "../../workers/sweep-options.js";
import type { SweepFigureScenario } from "../../workers/sweep-figures-hook.js";

export interface MergeArgs {
  dirs: string[];
  out?: string;
  figures?: boolean;
}

/** The shards' provenance fields (loadShards refused any shard whose recorded scenario does not
 *  hash to the sha256 every shard was checked against). */
function provenanceOf(m: SweepMeta): Pick<SweepMeta, "scenarioFile" | "overrides" | "scenario"> {
  return { scenarioFile: m.scenarioFile, overrides: m.overrides, scenario: m.scenario };
}

/** The scenario's name, units, figures block and model, for the figures (the recorded scenario
 *  when there is one: the same fields a single run hands them, so the figures are the same). */
function mergedScenario(m: SweepMeta): SweepFigureScenario {
  const s = (m.scenario ?? {}) as Partial<SweepFigureScenario>;
  return {
    name: m.name,
    ...(s.units ? { units: s.units } : {}),
    ...(s.figures ? { figures: s.figures } : {}),
    ...(s.buyers && s.technology && s.market ? { buyers: s.buyers, technology: s.technology, market: s.market } : {}),
    ...(m.seed !== undefined ? { seed: m.seed } : {}),
  };
}

/** `dir` and its ancestors that do not exist yet, innermost first. */
function missingFolders(dir: string): string[] {
  const out: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    out.push(d);
    if (dirname(d) === d) break;
  }
  return out;
}

export async function runMerge(args: MergeArgs, io: Io): Promise<number> {
  try {
    const shards = loadShards(findShardDirs(args.dirs));
    const first = shards[0].meta;
    const dir = args.out ? join(args.out, first.name) : defaultMergeDir(shards);
    if (first.curves.length > 0) checkPointCurves(shards);
    removeStaleTempFiles([dir, join(dir, "curves"), join(dir, "figures")]);
    const grid = buildSweepGrid(first.grid);
    const size = grid.size;
    let drawer: ReturnType<typeof startFigureDrawer> | undefined;
    let digests: SweepDigests;
    let table: SweepTable;
    let drawn: ReturnType<ReturnType<typeof startFigureDrawer>["draw"]> | undefined;
    try {
      if (size <= MAX_CURVE_FILE_POINTS) {
        // every point's outputs are needed (the curve files): read into one table, every row
        // checked, then written by the single run's writer
        table = mergedTable(shards);
        // figures/ and curves/ of an earlier sweep or merge into this folder describe another sweep.csv
        removeEarlierSweepOutputs(dir, first.curves.length > 0);
        drawer = args.figures !== false ? startFigureDrawer() : undefined;
        drawn = drawer?.draw(join(dir, "figures"), plainSweepTable(table), mergedScenario(first));
        digests = { [SWEEP_CSV]: writeSweepTables(dir, table, true).digests };
      } else {
        // a large grid: its rows checked and copied as they are read (workers/sweep-merge.ts
        // streamMergedRows), into a temporary file published only once every row has passed
        // (the figure thread started first: the figure layer loads while the rows are read)
        drawer = args.figures !== false ? startFigureDrawer() : undefined;
        // (the folders the writer creates are removed again if a row is refused: nothing written)
        const created = missingFolders(dir);
        const out = new AtomicTextWriter(join(dir, SWEEP_CSV));
        let rows;
        try {
          out.write(sweepCsvHeader(grid.paths, first.outputs));
          rows = streamMergedRows(shards, out);
        } catch (e) {
          out.abort();
          for (const d of created) {
            try {
              rmdirSync(d);
            } catch {
              break; // not empty (or gone): leave it and its parents
            }
          }
          throw e;
        }
        removeEarlierSweepOutputs(dir, first.curves.length > 0);
        out.commit();
        table = { grid, outputs: first.outputs, start: 0, end: size, sample: rows.sample, failures: rows.failures };
        digests = { [SWEEP_CSV]: rows.digests };
        drawn = drawer?.draw(join(dir, "figures"), plainSweepTable(table), mergedScenario(first));
      }
      if (first.curves.length > 0) {
        digests[POINT_CURVES_CSV] = writePointCurvesCsv(join(dir, POINT_CURVES_CSV), first.curves, mergedPointCurveLines(shards), 0, table.grid.size);
      }
      const failed = (await drawn)?.failed ?? [];
      if (failed.length > 0) io.err(`lpe: figures skipped: ${failed.join("; ")}`);
    } finally {
      await drawer?.close();
    }
    // the builds that computed the rows: one, or each of them (and a note says so)
    const builds = [...new Set(shards.map((s) => s.meta.engineBuild ?? "unknown"))];
    if (builds.length > 1) io.err(`lpe: note: the shards were computed by different builds of lpe ${ENGINE_VERSION} (commits ${builds.join(", ")}): rows of shards from different builds may differ where the engine changed between them`);
    const meta: SweepMeta = {
      name: first.name,
      engineVersion: ENGINE_VERSION,
      engineBuild: builds.join(", "),
      scenarioSha256: first.scenarioSha256,
      gridSha256: first.gridSha256,
      seed: first.seed,
      grid: first.grid,
      outputs: first.outputs,
      curves: first.curves,
      points: table.grid.size,
      failures: table.failures.size,
      failed: table.failures.size - uncertifiedCount(table.failures),
      uncertified: uncertifiedCount(table.failures),
      largestOptimalityGap: largestGapRecord(table.failures),
      elapsedSeconds: shards.reduce((a, s) => a + s.meta.elapsedSeconds, 0),
      computeSeconds: shards.reduce((a, s) => a + s.meta.computeSeconds, 0),
      workers: shards.reduce((a, s) => a + s.meta.workers, 0),
      validation: first.validation,
      ...(first.workLimitSeconds !== undefined ? { workLimitSeconds: first.workLimitSeconds } : {}),
      shard: null,
      mergedFrom: shards.map((s) => resolve(s.dir)),
      shardTimings: shards.map(({ meta: m }) => ({
        index: m.shard!.index,
        points: m.points,
        elapsedSeconds: m.elapsedSeconds,
        computeSeconds: m.computeSeconds,
        workers: m.workers,
        ...(m.phases ? { phases: m.phases } : {}),
      })),
      digests,
      createdBy: `lpe ${ENGINE_VERSION} merge`,
      ...provenanceOf(first),
    };
    writeSweepMeta(dir, meta);
    const failed = pointProblems(table.failures);
    io.out(`merged ${shards.length} shards into ${join(dir, SWEEP_CSV)}: ${table.grid.size} points${failed}`);
    const warning = uncertifiedWarning(table.failures, table.grid.size);
    if (warning) io.err(`lpe: ${warning}`);
    return table.failures.size > 0 ? EXIT_POINTS_FAILED : 0;
  } catch (e) {
    return reportError(e, io);
  }
}
