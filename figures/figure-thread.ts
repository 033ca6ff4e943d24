// A thread that draws figures while the main thread writes the CSV files (and, when a core is
// free, loads the figure layer — vega, pdfkit, fonts: the slowest modules to load — while a sweep
// is still computing). Started from figure-drawer.ts. It draws either figure specs, sent as plain
// data (their Float64Arrays are cloned), or a sweep's figures, sent as the sweep's table in plain
// form (workers/sweep-curves.ts PlainSweepTable): the specs are then built here
// (sweep-figure-specs.ts), so that the main thread never loads the fonts their axis titles are
// measured with (fontkit and the DejaVu tables: ~0.2 s of the main thread after the last point of
// a sweep, where it was the critical path). The written paths and failures go back.

import { parentPort } from "node:worker_threads";
import type { FigureSpec } from "./types.js";
import type { PlainSweepTable } from "../workers/sweep-curves.js";
import type { SweepFigureScenario } from "../workers/sweep-figures-hook.js";
import { collectGarbage } from "../engine/collect-garbage.js";

export interface DrawRequest {
  dir: string;
  specs?: FigureSpec[];
  /** a sweep's figures, built here (figure-drawer.ts startFigureDrawer) */
  sweep?: { table: PlainSweepTable; scenario: SweepFigureScenario };
}

/** What the thread answers (the same shape as workers/sweep-figures-hook.ts SweepFigureAnswer). */
export interface DrawAnswer {
  written: string[];
  failed: string[];
}

const layer = import("./index.js");
const sweepBuilders = import("./sweep-figure-specs.js");
// an import that fails is reported with the request, not as an unhandled rejection
layer.catch(() => undefined);
sweepBuilders.catch(() => undefined);

parentPort?.on("message", async (req: DrawRequest) => {
  const answer: DrawAnswer = { written: [], failed: [] };
  try {
    let specs = req.specs ?? [];
    if (req.sweep) {
      const { sweepFigureSpecs } = await sweepBuilders;
      const built = sweepFigureSpecs(req.sweep.table, req.sweep.scenario);
      if ("failed" in built) {
        answer.failed.push(built.failed);
        specs = [];
      } else specs = built.specs;
    }
    const { writeFigure } = await layer;
    for (const spec of specs) {
      try {
        answer.written.push(...(await writeFigure(req.dir, spec)));
      } catch (e) {
        answer.failed.push(`${spec.name}: ${(e as Error).message}`);
      }
      // A heatmap of 200 × 200 cells allocates ~400 MB on its way to the files (vega's marks, the
      // SVG of 6 MB, its PDF, the .tex's table), nearly all garbage once written; V8 collected it
      // only when the old generation reached its limit, and the twelve heatmaps of a reviewer's
      // 601 × 501 sweep with six outputs peaked at 1.25 GB. Collected after each heatmap, the
      // peak is one figure's.
      if (spec.heatmap) collectGarbage();
    }
  } catch (e) {
    answer.failed.push(`the figure layer could not be loaded (${(e as Error).message})`);
  }
  parentPort?.postMessage(answer);
});
