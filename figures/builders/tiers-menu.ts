// The best N-tier menu drawn as what it is, a step function: each tier's quality Q_k on its
// type interval [a_k, a_k+1), exact at the cuts (not interpolated between grid types), against
// the optimal continuous menu Q(θ) of the same scenario solved as a monopoly.

import type { MarketSolution } from "../../solvers/types.js";
import type { Scenario } from "../../engine/scenario/spec-types.js";
import type { FigureSpec } from "../types.js";
import { fmt, scenarioCaption } from "./caption.js";
import { column } from "./curves.js";
import { L, TYPE_THETA } from "./notation.js";
import type { FigureData } from "./parameter-sweep.js";

function numbers(solution: MarketSolution, name: string): number[] {
  const v = solution.scalars[name];
  if (!Array.isArray(v)) throw new Error(`figure tiers-quality: the tiers solution has no array scalar "${name}"`);
  return v;
}

/** Step-function vertices of the tier menu on [lo, hi]. */
export function tierSteps(cuts: readonly number[], qualities: readonly number[], lo: number, hi: number): { x: number[]; y: number[] } {
  const x: number[] = [lo];
  const y: number[] = [0];
  cuts.forEach((a, k) => {
    x.push(a, a);
    y.push(k === 0 ? 0 : qualities[k - 1], qualities[k]);
  });
  x.push(hi);
  y.push(qualities.length ? qualities[qualities.length - 1] : 0);
  return { x, y };
}

export function tiersMenuFigure(scenario: Scenario, solution: MarketSolution, data: FigureData): FigureSpec | undefined {
  if (scenario.market.kind !== "tiers") throw new Error(`figure tiers-quality needs a tiers market, got ${scenario.market.kind}`);
  const cuts = numbers(solution, "cuts");
  const qualities = numbers(solution, "qualities");
  // the continuous menu of the same buyers: a solve the command runs (declared here)
  const continuous = data.solution("continuous-menu", { ...scenario, market: { kind: "monopoly" } });
  if (!continuous) return undefined;
  const th = continuous.curves.theta;
  const steps = tierSteps(cuts, qualities, th[0], th[th.length - 1]);
  return {
    name: "tiers-quality",
    caption: scenarioCaption(
      scenario,
      `Qualities of the best menu of ${scenario.market.count} tier${scenario.market.count === 1 ? "" : "s"} (step function; tiers start at θ = ${cuts.map(fmt).join(", ")}) against the optimal continuous menu Q(θ)`,
    ),
    x: { label: TYPE_THETA, column: "theta" },
    y: { label: L("Aggregate quality Q", "Aggregate quality $Q$") },
    series: [
      { name: L("continuous menu Q(θ)", "continuous menu $Q(\\theta)$"), x: th, y: column(continuous, "Q", "tiers-quality"), column: "Q", style: "dashed" },
      { name: L("tiers Q_k", "tiers $Q_k$"), x: steps.x, y: steps.y, column: "Qtier", style: "solid" },
    ],
    vlines: [],
  };
}
