// What a sweep needs from the figure layer, as an interface: workers/ sits below figures/ and
// imports nothing from it, so the command (cli/commands/sweep.ts, merge.ts) hands the sweep a
// drawer (figures/figure-drawer.ts) that turns the finished table into figure files.

import type { Scenario } from "../engine/scenario/spec-types.js";
import type { PlainSweepTable } from "./sweep-curves.js";

export interface SweepFigureAnswer {
  written: string[];
  failed: string[];
}

/** What a sweep's figures read of its scenario: the name, units and figures block, and the model
 *  itself (buyers, technology, market, and the seed of sampled profiles) for the captions'
 *  parameters held fixed. */
export type SweepFigureScenario = Pick<Scenario, "name"> & Partial<Pick<Scenario, "units" | "figures" | "buyers" | "technology" | "market" | "seed">>;

export interface SweepFigureDrawer {
  /** draw the table's figures into `dir` (failures are reported, not thrown); the table in its
   *  plain form (sweep-curves.ts plainSweepTable), which crosses to the figure thread */
  draw(dir: string, table: PlainSweepTable, scenario: SweepFigureScenario): Promise<SweepFigureAnswer>;
  close(): Promise<void>;
}

/** Starts a drawer (early, so that the figure layer loads while the sweep computes). */
export type StartSweepFigures = () => SweepFigureDrawer;
