// Which figures a scenario gets, and drawing them: the figure catalogue by market kind (the
// standard set, the scenario's own `figures.only`, or names asked for on the command line), the
// builders that turn the solved scenario into FigureSpecs, and the writer. Builders return plain
// data; drawing them into files is draw-scenario.ts (this module imports nothing Node-only, so
// a browser can build the same figures). Figures that
// need more than the scenario's solution (sweeps over a parameter, another scenario's solution)
// say so first (figureNeeds); the command computes those (workers/figure-sweeps.ts) and hands
// them in (FigureInputs): nothing here solves.

import type { MarketSolution } from "../solvers/types.js";
import { InputError } from "../engine/errors.js";
import { availableFigures, FIGURE_MARKETS, FIGURE_NAMES, figureSelectionProblems, twoModels } from "../engine/scenario/figure-catalogue.js";
import type { MarketSpec, Scenario } from "../engine/scenario/spec-types.js";
import { isDiscrete } from "../engine/scenario/discrete-law.js";
import { quantityFigure } from "./builders/leader-fringe-quantities.js";
import { monopolyFigure, type MonopolyFigure } from "./builders/monopoly-menu.js";
import { FigureData, UNCERTIFIED_DOTS, type UncertifiedUse } from "./builders/parameter-sweep.js";
import type { FigureInputs, FigureNeeds } from "../workers/figure-sweeps.js";
import { regimeFigure, type RegimeFigure } from "./builders/regimes.js";
import { thresholdFigure, type ThresholdFigure } from "./builders/thresholds.js";
import { tiersMenuFigure } from "./builders/tiers-menu.js";
import { tiersShareFigure } from "./builders/tiers-share.js";
import { valueScaleFigure } from "./builders/value-scale-curves.js";
import { costDeclineFigure, type CostDeclineFigure } from "./builders/cost-decline.js";
import { calibrationTargetsFigure } from "./builders/calibration.js";
import { distributionsFigure } from "./builders/distributions-menus.js";
import type { FigureSpec } from "./types.js";

interface Context {
  scenario: Scenario;
  solution: MarketSolution;
  data: FigureData;
}

type Kind = MarketSpec["kind"];

interface FigureEntry {
  /** in the market's standard set (when the scenario does not say `figures.only`)? */
  standard: (s: Scenario, sol: MarketSolution) => boolean;
  build: (c: Context) => FigureSpec | undefined;
  /** needs sweeps or other solves (c.data): built once while planning to declare them */
  data?: true;
}

/** Type range of the scenario's solution (the y range of threshold figures). */
const typeRange = (sol: MarketSolution): [number, number] => [sol.curves.theta[0], sol.curves.theta[sol.curves.theta.length - 1]];

const monopoly = (name: MonopolyFigure, standard: FigureEntry["standard"] = () => true): FigureEntry => ({
  standard,
  build: (c) => monopolyFigure(name, c.scenario, c.solution),
});
const thresholds = (name: ThresholdFigure, inStandard: readonly Kind[]): FigureEntry => ({
  standard: (s) => twoModels(s) && inStandard.includes(s.market.kind),
  build: (c) => thresholdFigure(name, c.scenario, c.data, ...typeRange(c.solution)),
  data: true,
});
const decline = (name: CostDeclineFigure): FigureEntry => ({
  standard: (s) => s.figures?.costDecline !== undefined,
  build: (c) => costDeclineFigure(name, c.scenario, c.data),
  data: true,
});
const regimes = (name: RegimeFigure): FigureEntry => ({
  standard: (s) => s.market.kind === "compare",
  build: (c) => regimeFigure(name, c.scenario, c.data),
  data: true,
});

/** How to draw every figure of the catalogue (engine/scenario/figure-catalogue.ts), by file stem. */
export const FIGURES: Readonly<Record<string, FigureEntry>> = {
  quality: monopoly("quality"),
  transfers: monopoly("transfers"),
  "marginal-price": monopoly("marginal-price"),
  markup: monopoly("markup"),
  "virtual-type": monopoly("virtual-type", (_, sol) => sol.ironing.length > 0),
  "token-budgets": monopoly("token-budgets", (_, sol) => sol.curves.order.some((c) => c.startsWith("X.") || c.startsWith("Z."))),
  "value-scale-types": {
    standard: (s) => "valueScale" in s.buyers,
    build: (c) => valueScaleFigure(c.scenario, c.solution),
  },
  "tiers-quality": { standard: () => true, build: (c) => tiersMenuFigure(c.scenario, c.solution, c.data), data: true },
  "tiers-profit-share": { standard: () => true, build: (c) => tiersShareFigure(c.scenario, c.data), data: true },
  "leader-quantity": { standard: twoModels, build: (c) => quantityFigure("leader-quantity", c.scenario, c.solution) },
  "fringe-quantity": { standard: twoModels, build: (c) => quantityFigure("fringe-quantity", c.scenario, c.solution) },
  "thresholds-cost": thresholds("thresholds-cost", ["leaderFringe", "compare"]),
  "thresholds-gamma": thresholds("thresholds-gamma", ["compare"]),
  "regimes-profit": regimes("regimes-profit"),
  "regimes-consumer-surplus": regimes("regimes-consumer-surplus"),
  "regimes-welfare": regimes("regimes-welfare"),
  "regimes-fringe-share": regimes("regimes-fringe-share"),
  "cost-decline-profit": decline("cost-decline-profit"),
  "cost-decline-prices": decline("cost-decline-prices"),
  "cost-decline-open-share": decline("cost-decline-open-share"),
  "calibration-targets": { standard: (s) => s.calibrate !== undefined, build: (c) => calibrationTargetsFigure(c.scenario, c.solution.scalars) },
  "distributions-quality": { standard: () => true, build: (c) => distributionsFigure("distributions-quality", c.scenario, c.solution) },
  "distributions-transfers": { standard: () => true, build: (c) => distributionsFigure("distributions-transfers", c.scenario, c.solution) },
};

export { availableFigures, FIGURE_MARKETS, FIGURE_NAMES };

/** Checks `figures.only` against the catalogue before anything is solved (exit 2 with its path). */
export function checkFigureSelection(s: Scenario): void {
  const [first] = figureSelectionProblems(s);
  if (first) throw new InputError(first.path, first.message);
}

/**
 * Names of the figures to draw: `only` (command line) picks among the market's figures;
 * otherwise the scenario's `figures.only`, else the market's standard set.
 */
export function selectFigures(s: Scenario, solution: MarketSolution, only?: readonly string[]): string[] {
  const avail = availableFigures(s);
  if (only && only.length > 0) return avail.filter((n) => only.includes(n));
  checkFigureSelection(s);
  if (s.figures?.only) return avail.filter((n) => s.figures!.only!.includes(n));
  return avail.filter((n) => FIGURES[n].standard(s, solution));
}

/** What the selected figures need beyond the solution: their sweeps and other solves. */
export function figureNeeds(s: Scenario, solution: MarketSolution, only?: readonly string[]): FigureNeeds {
  const data = new FigureData();
  const ctx: Context = { scenario: s, solution, data };
  for (const name of selectFigures(s, solution, only)) if (FIGURES[name].data) FIGURES[name].build(ctx);
  return data.needs();
}

/** FigureSpecs of the selected figures, lazily, in catalogue order (a builder may decline: no data). */
export function* scenarioFigureSpecs(s: Scenario, solution: MarketSolution, only: readonly string[] | undefined, inputs: FigureInputs): Generator<FigureSpec> {
  const ctx: Context = { scenario: s, solution, data: new FigureData(inputs) };
  const atoms = "theta" in s.buyers && isDiscrete(s.buyers.theta);
  for (const name of selectFigures(s, solution, only)) {
    ctx.data.takeUncertified();
    const spec = FIGURES[name].build(ctx);
    if (spec) yield withCertification(atoms ? asAtoms(spec) : spec, solution, ctx.data.takeUncertified());
  }
}

/**
 * A figure over the types of a discrete law: dots at the atoms, no lines (a line between two
 * atoms would show types that do not exist, and a drop across a threshold as a slope: a
 * reviewer's q_F seemed to fall gradually from θ = 0.4 to 0.6).
 */
function asAtoms(spec: FigureSpec): FigureSpec {
  if (spec.x.column !== "theta") return spec;
  const base = spec.caption.replace(/\.?\s*$/, ".");
  return {
    ...spec,
    series: spec.series.map((x) => (x.color === undefined ? { ...x, line: false } : x)),
    caption: `${base} Dots: the types of the discrete law (there are none between them).`,
  };
}

/**
 * The caption says when what the figure shows is not certified optimal (to 1e-9 of profit): the
 * scenario's own solution, points of the parameter sweep it was drawn from, or a companion solve
 * — as the terminal, summary.json and a sweep's status column do. A paper's figure must not pass
 * off an unproven optimum silently.
 */
function withCertification(spec: FigureSpec, solution: MarketSolution, used: UncertifiedUse): FigureSpec {
  const notes: string[] = [];
  // (a gap is the number a reader needs; the bound's argument, often long, is in summary.json)
  const { certified, optimalityGap: gap, certificate } = solution.certificate;
  if (!certified) {
    notes.push(
      `the solution is not certified optimal to 1e-9 of profit (${gap !== null && Number.isFinite(gap) ? `optimality gap ${gap.toExponential(2)} of profit: no menu earns more than (1 + ${gap.toExponential(2)}) times this profit; summary.json has the gap and its argument` : certificate})`,
    );
  }
  // what the terminal says too (the solution's own certificate it says already)
  const warnings: string[] = [];
  const ringed = spec.series.some((x) => x.name.text === UNCERTIFIED_DOTS.text && x.ring);
  if (used.uncertified > 0) warnings.push(`${used.uncertified} of the ${used.points} points it is drawn from ${used.uncertified === 1 ? "is" : "are"} not certified optimal to 1e-9 of profit${ringed ? " (ringed)" : ""}`);
  if (used.failed > 0) warnings.push(`${used.failed} of the ${used.points} points it is drawn from failed and ${used.failed === 1 ? "is" : "are"} not drawn (${used.failure})`);
  if (used.solves > 0) warnings.push(`${used.solves === 1 ? "the companion solution" : `${used.solves} companion solutions`} drawn beside it ${used.solves === 1 ? "is" : "are"} not certified optimal`);
  notes.push(...warnings);
  if (notes.length === 0) return spec;
  const base = spec.caption.replace(/\.?\s*$/, ".");
  return { ...spec, caption: `${base} Note: ${notes.join("; ")}.`, ...(warnings.length > 0 ? { warnings } : {}) };
}

export function buildScenarioFigures(s: Scenario, solution: MarketSolution, only: readonly string[] | undefined, inputs: FigureInputs): FigureSpec[] {
  return [...scenarioFigureSpecs(s, solution, only, inputs)];
}
