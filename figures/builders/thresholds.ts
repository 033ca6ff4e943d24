// The slides' "Thresholds" figure: the leader–fringe thresholds θ_low (the leader's lowest
// customer) and θ_high (where the interior quality q^int takes over from the limit quality q̂)
// against the fringe's cost c_F, and against the leader's returns to fine-tuning γ_L, with the
// efficient switch type θ_e and the multi-model monopolist's switch type θ_m on the same axes.
// A marked vertical line is the scenario's own value, where the curves equal its solution.

import type { Scenario } from "../../engine/scenario/spec-types.js";
import type { FigureSpec, Label } from "../types.js";
import { breakJumps } from "../jumps.js";
import { fmt, scenarioCaption } from "./caption.js";
import { L, THETA_HIGH, THETA_LOW, TYPE_THETA } from "./notation.js";
import { num, uncertifiedDotsOnLines, type FigureData } from "./parameter-sweep.js";
import { pathLabel } from "../symbols.js";
import { FRINGE_COST, LEADER_GAMMA, SWEEP_POINTS, sweepRegimes, type SweptParameter } from "./regime-sweep.js";

export const THRESHOLD_FIGURES = ["thresholds-cost", "thresholds-gamma"] as const;
export type ThresholdFigure = (typeof THRESHOLD_FIGURES)[number];


const AXES: Record<ThresholdFigure, { param: SweptParameter; symbol: Label; column: string; words: string }> = {
  "thresholds-cost": { param: FRINGE_COST, symbol: L("c_F", "c_F"), column: "cF", words: "the fringe's cost c_F" },
  "thresholds-gamma": { param: LEADER_GAMMA, symbol: L("γ_L", "\\gamma_L"), column: "gammaL", words: "the leader's returns to fine-tuning γ_L" },
};

/** Uniform types: the three regions are exactly fringe only, q̂ and q^int between the thresholds
 *  (Proposition 4); other laws may pool types with a rent between them (a reviewer's two-uniform
 *  mixture had no limit region where the caption described one). */
function plainRegions(s: Scenario): boolean {
  return "theta" in s.buyers && s.buyers.theta.dist === "uniform";
}

export function thresholdFigure(name: ThresholdFigure, scenario: Scenario, data: FigureData, lowest: number, highest: number): FigureSpec {
  const ax = AXES[name];
  const sw = sweepRegimes(data, scenario, ax.param, SWEEP_POINTS);
  const x = sw.values;
  const lf = sw.scalars.leaderFringe;
  const at = (rows: typeof lf, key: string) => rows.map((r) => num(r, key));
  // A threshold that jumps (from one atom to the next of a discrete law, or to the top type) is a
  // break in its line, not a vertical stroke (jumps.ts); the other series stay unbroken.
  const { x: bx, ys } = breakJumps(x, [at(lf, "thetaLow"), at(lf, "thetaHigh"), at(sw.scalars.efficient, "thetaSwitch"), at(sw.scalars.multiModelMonopoly, "thetaSwitch")]);
  return {
    name,
    caption: scenarioCaption(
      scenario,
      `Thresholds of the leader–fringe equilibrium against ${ax.words}: θ_low, below which buyers use the fringe only, and θ_high, above which the leader sells the interior quality q^int (between them it sells the limit quality q̂${plainRegions(scenario) ? "" : ", or, where types pool with a rent or a finite menu is reported, items of their own"}); ` +
        `with the type θ_e at which the efficient allocation switches from the fringe's model to the leader's, and the multi-model monopolist's switch type θ_m. ` +
        `A threshold at the top type means the leader serves nobody; a gap in θ_e or θ_m means no switch inside the type range. Vertical line: the scenario's value ${ax.symbol.text} = ${fmt(sw.base)}; all other parameters as in the scenario`,
    ),
    // (with the scenario's units: "Fringe cost c_F (USD per 1M tokens)")
    x: { label: pathLabel(ax.param.path, scenario.units), column: ax.column },
    y: { label: TYPE_THETA, domain: [lowest, highest] },
    series: [
      { name: THETA_LOW, x: bx, y: ys[0], column: "thetaLow" },
      { name: THETA_HIGH, x: bx, y: ys[1], column: "thetaHigh" },
      { name: L("efficient switch θ_e", "efficient switch $\\theta_e$"), x: bx, y: ys[2], column: "thetaEfficient" },
      { name: L("monopolist switch θ_m", "monopolist switch $\\theta_m$"), x: bx, y: ys[3], column: "thetaMultiModel" },
      // points whose equilibrium (or monopolist) is not certified optimal, dotted on its lines
      ...uncertifiedDotsOnLines(data, `compare-${ax.param.path}`, x, [
        { y: at(lf, "thetaLow"), part: "leaderFringe" },
        { y: at(lf, "thetaHigh"), part: "leaderFringe" },
        { y: at(sw.scalars.multiModelMonopoly, "thetaSwitch"), part: "multiModelMonopoly" },
      ], "threshold"),
    ],
    vlines: [{ x: sw.base, label: L(`${ax.symbol.text} = ${fmt(sw.base)}`, `$${ax.symbol.tex} = ${fmt(sw.base)}$`) }],
  };
}
