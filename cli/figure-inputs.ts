// The data a scenario's figures need beyond its solution, computed for the drawing commands
// (solve, figures): the figure layer declares its sweeps and extra solves (figureNeeds), the
// sweep runner computes them into <dir>/figure-sweeps/<id>/ (workers/figure-sweeps.ts, on
// `pool` when given, resumable), and the figures are drawn from those tables.

import { join } from "node:path";
import { refuseLinks } from "../engine/results/own-entries.js";
import type { Scenario } from "../engine/scenario/spec-types.js";
import type { MarketSolution } from "../solvers/types.js";
import type { FigureInputs } from "../workers/figure-sweeps.js";
import type { WorkerPool } from "../workers/pool.js";

/** Folder of a scenario's figure sweeps, inside its results folder. */
export const FIGURE_SWEEPS_DIR = "figure-sweeps";

export async function figureInputsFor(
  scenario: Scenario,
  solution: MarketSolution,
  only: readonly string[] | undefined,
  resultDir: string,
  pool?: WorkerPool,
  workLimitMs?: number,
): Promise<FigureInputs> {
  // (its sweeps' part files are written inside: not through a link, engine/results/own-entries.ts)
  refuseLinks(resultDir, [FIGURE_SWEEPS_DIR]);
  const { figureNeeds } = await import("../figures/scenario-figures.js");
  const { computeFigureInputs } = await import("../workers/figure-sweeps.js");
  return computeFigureInputs(figureNeeds(scenario, solution, only), { dir: join(resultDir, FIGURE_SWEEPS_DIR), pool, workLimitMs });
}
