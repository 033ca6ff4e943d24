// Drawing a scenario's figures into a folder (every format, atomically through writeFigure):
// the specs of scenario-figures.ts, drawn on this thread or shared with a helper thread.

import type { MarketSolution } from "../solvers/types.js";
import type { Scenario } from "../engine/scenario/spec-types.js";
import type { FigureInputs } from "../workers/figure-sweeps.js";
import { scenarioFigureSpecs } from "./scenario-figures.js";
import type { FigureSpec } from "./types.js";

export interface DrawOptions {
  /** figure names asked for on the command line (see selectFigures) */
  only?: readonly string[];
  /** called after each figure is written, with its files */
  onFigure?: (spec: FigureSpec, files: string[]) => void;
  /** the computed figureNeeds (workers/figure-sweeps.ts computeFigureInputs) */
  inputs: FigureInputs;
  /** another thread that draws every other figure meanwhile (figure-drawer.ts startFigureThread) */
  helper?: { draw(dir: string, specs: FigureSpec[]): Promise<{ written: string[]; failed: string[] }> };
}

/** Draw the scenario's figures into `dir` (every format); returns the paths written. */
export async function drawScenarioFigures(s: Scenario, solution: MarketSolution, dir: string, opts: DrawOptions): Promise<string[]> {
  const { writeFigure } = await import("./write.js");
  if (opts.helper) return drawShared(s, solution, dir, opts, opts.helper, writeFigure);
  const written: string[] = [];
  for (const spec of scenarioFigureSpecs(s, solution, opts.only, opts.inputs)) {
    const files = await writeFigure(dir, spec);
    opts.onFigure?.(spec, files);
    written.push(...files);
  }
  return written;
}

/**
 * Draw with a helper thread: every other figure (in catalogue order) is drawn there while this
 * thread draws the rest; the files are the same bytes whichever thread draws a figure. A figure
 * the helper could not draw is drawn here again, so that its error (a full disk…) is reported
 * as it would be without the helper. Files and onFigure calls come in catalogue order.
 */
/** The files of one figure (write.ts FIGURE_EXTENSIONS, repeated here: this module stays light). */
const FILE_EXTENSIONS: readonly string[] = ["svg", "pdf", "tex", "csv", "caption.txt"];
/** (and a large heatmap's cells for its .tex: write.ts HEATMAP_CELLS_EXTENSION) */
const OPTIONAL_EXTENSIONS: readonly string[] = ["cells.pdf"];

async function drawShared(
  s: Scenario,
  solution: MarketSolution,
  dir: string,
  opts: DrawOptions,
  helper: NonNullable<DrawOptions["helper"]>,
  writeFigure: (dir: string, spec: FigureSpec) => Promise<string[]>,
): Promise<string[]> {
  const specs = [...scenarioFigureSpecs(s, solution, opts.only, opts.inputs)];
  const theirs = specs.filter((_, i) => i % 2 === 1);
  const away = helper.draw(dir, theirs);
  const files = new Map<FigureSpec, string[]>();
  try {
    for (let i = 0; i < specs.length; i += 2) files.set(specs[i], await writeFigure(dir, specs[i]));
  } finally {
    // never leave the helper writing into a folder the caller may remove
    await away.catch(() => undefined);
  }
  const answer = await away;
  for (const spec of theirs) {
    // its files as the helper wrote them (<dir>/<name>.<ext>), all five of them (six for a large heatmap)
    const extOf = (f: string) => {
      const k = f.lastIndexOf(`${spec.name}.`);
      return k > 0 && /[\\/]/.test(f[k - 1]) ? f.slice(k + spec.name.length + 1) : "";
    };
    const mine = answer.written.filter((f) => FILE_EXTENSIONS.includes(extOf(f)) || OPTIONAL_EXTENSIONS.includes(extOf(f)));
    const ok = !answer.failed.some((m) => m.startsWith(`${spec.name}: `)) && FILE_EXTENSIONS.every((e) => mine.some((f) => extOf(f) === e));
    files.set(spec, ok ? mine : await writeFigure(dir, spec));
  }
  const written: string[] = [];
  for (const spec of specs) {
    const f = files.get(spec)!;
    opts.onFigure?.(spec, f);
    written.push(...f);
  }
  return written;
}
