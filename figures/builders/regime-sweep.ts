// The three market structures of docs/model.md section 3 (efficient allocation, multi-model
// monopolist, leader vs competitive fringe) on the same two models, solved along one model
// parameter: the data behind the thresholds and regime-comparison figures. Models given by a
// technology block are first reduced to their aggregate (γ_ℓ, c_ℓ), so that the swept path
// (market.fringe.cost, market.leader.gamma) always exists.

import type { Scenario } from "../../engine/scenario/spec-types.js";
import { REGIME_ORDER, type RegimeName } from "./notation.js";
import { numberAt, parameterGrid, type FigureData, type Scalars, withAggregateModels, withMarketKind } from "./parameter-sweep.js";

/** Points along a swept parameter: enough for the kinks where a region empties, and shared by
 *  the thresholds and regime figures so one sweep (memoized) serves both. */
export const SWEEP_POINTS = 81;

export interface RegimeSweep {
  /** the swept parameter's dotted path */
  path: string;
  /** its values, ascending, including the scenario's own value */
  values: number[];
  /** the scenario's own value */
  base: number;
  scalars: Record<RegimeName, Scalars[]>;
}

/** A swept model parameter and the range a figure shows it on, given the scenario's models. */
export interface SweptParameter {
  path: "market.fringe.cost" | "market.leader.gamma";
  range(s: Scenario): [number, number];
}

/** c_F from a tenth of c_L to c_L (the slides' c_F ∈ [0, c_L)). */
export const FRINGE_COST: SweptParameter = {
  path: "market.fringe.cost",
  range: (s) => {
    const cL = numberAt(s, "market.leader.cost");
    return [cL / 10, cL];
  },
};

/** γ_L from just above γ_F to 90 % of its bound 1 − σ (σ + γ_L < 1). */
export const LEADER_GAMMA: SweptParameter = {
  path: "market.leader.gamma",
  range: (s) => {
    const top = 1 - s.technology.sigma;
    const gF = numberAt(s, "market.fringe.gamma");
    return [gF + top / 20, 0.9 * top];
  },
};

/** What the thresholds and regime figures read, by regime (one sweep serves both). */
const REGIME_OUTPUTS: Record<RegimeName, readonly string[]> = {
  leaderFringe: ["thetaLow", "thetaHigh", "profit", "consumerSurplus", "welfare", "fringeSpendShare"],
  efficient: ["thetaSwitch", "profit", "consumerSurplus", "welfare", "fringeSpendShare"],
  multiModelMonopoly: ["thetaSwitch", "profit", "consumerSurplus", "welfare", "fringeSpendShare"],
};

export function sweepRegimes(data: FigureData, scenario: Scenario, param: SweptParameter, points: number): RegimeSweep {
  const s = withAggregateModels(scenario);
  const base = numberAt(s, param.path);
  // The shown range covers the scenario's own value: a value beyond it left one long step
  // between the grid's end and the value, which the figures took for a jump (a break, with the
  // other lines interpolated half-way — numbers in the CSV that no solve gave; a reviewer's
  // γ_L = 0.49 beyond the usual 0.45, and c_F = 0.5 beyond c_L = 0.3).
  const [from, to] = param.range(s);
  const [lo, hi] = [Math.min(from, base), Math.max(to, base)];
  const values = parameterGrid(lo, hi, points, [base]);
  // One sweep of the `compare` market, which solves the three structures at each point and
  // reports their scalars prefixed (`leaderFringe.thetaLow`): one table, not three.
  const outputs = REGIME_ORDER.flatMap((r) => REGIME_OUTPUTS[r].map((o) => `${r}.${o}`));
  const rows = data.sweep(`compare-${param.path}`, withMarketKind(s, "compare"), param.path, values, outputs);
  const scalars = {} as Record<RegimeName, Scalars[]>;
  for (const r of REGIME_ORDER) scalars[r] = rows.map((row) => Object.fromEntries(REGIME_OUTPUTS[r].map((o) => [o, row[`${r}.${o}`]])));
  return { path: param.path, values, base, scalars };
}
