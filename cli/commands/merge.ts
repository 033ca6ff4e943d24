// `lpe merge DIR… [--out DIR]`: join the finished shards of one sweep (shard folders, or the
// folder holding them) into the whole grid's sweep.csv, curves and sweep.json, the same bytes
// as a single run. Default output: the folder holding the shards (`<out>/<name>/`); with
// --out DIR, DIR/<name>/ as for `lpe sweep`. Every check happens before anything is written.

import { join, resolve } from "node:path";
import { ENGINE_VERSION } from "../../engine/version.js";
import { defaultMergeDir, findShardDirs, loadShards, mergedPointCurveLines, mergedTable } from "../../workers/sweep-merge.js";
import { POINT_CURVES_CSV, SWEEP_CSV, writePointCurvesCsv, writeSweepMeta, writeSweepTables, type SweepMeta } from "../../workers/sweep-results.js";
import { reportError, type Io } from "../io.js";
import { startFigureDrawer } from "../../workers/figure-drawer.js";
import { paramCurveFigures } from "../../workers/sweep-curves.js";

export interface MergeArgs {
  dirs: string[];
  out?: string;
  figures?: boolean;
}

export async function runMerge(args: MergeArgs, io: Io): Promise<number> {
  try {
    const shards = loadShards(findShardDirs(args.dirs));
    const first = shards[0].meta;
    const dir = args.out ? join(args.out, first.name) : defaultMergeDir(shards);
    const table = mergedTable(shards);
    const drawer = args.figures !== false ? startFigureDrawer() : undefined;
    try {
      const drawn = drawer?.draw(join(dir, "figures"), paramCurveFigures(table, first.name));
      writeSweepTables(dir, table, true);
      if (first.curves.length > 0) writePointCurvesCsv(join(dir, POINT_CURVES_CSV), first.curves, mergedPointCurveLines(shards));
      const failed = (await drawn)?.failed ?? [];
      if (failed.length > 0) io.err(`lpe: figures skipped: ${failed.join("; ")}`);
    } finally {
      await drawer?.close();
    }
    const meta: SweepMeta = {
      ...first,
      engineVersion: ENGINE_VERSION,
      points: table.grid.size,
      failures: table.failures.size,
      elapsedSeconds: shards.reduce((a, s) => a + s.meta.elapsedSeconds, 0),
      computeSeconds: shards.reduce((a, s) => a + s.meta.computeSeconds, 0),
      workers: shards.reduce((a, s) => a + s.meta.workers, 0),
      shard: null,
      mergedFrom: shards.map((s) => resolve(s.dir)),
      createdBy: `lpe ${ENGINE_VERSION} merge`,
    };
    writeSweepMeta(dir, meta);
    const failed = table.failures.size > 0 ? `, ${table.failures.size} failed (see the status column)` : "";
    io.out(`merged ${shards.length} shards into ${join(dir, SWEEP_CSV)}: ${table.grid.size} points${failed}`);
    return 0;
  } catch (e) {
    return reportError(e, io);
  }
}
