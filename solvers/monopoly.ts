// Monopoly menu of token budgets (docs/model.md section 2, Proposition 2): dispatch on the kind
// of type distribution. Continuous types: closed form with ironing; finitely many types
// (discrete scenarios, sampled profiles): the discrete screening solution.

import type { TypeDistribution } from "../engine/distributions/types.js";
import type { CostOfQuality } from "../engine/technology/types.js";
import { solveMonopolyContinuous, type MonopolyOptions } from "./monopoly-continuous.js";
import { solveMonopolyDiscrete } from "./monopoly-discrete.js";
import type { MarketSolution } from "./types.js";

export interface MonopolyInput {
  dist: TypeDistribution;
  cost: CostOfQuality;
  gridPoints: number;
  scalarsOnly?: boolean;
}

export function solveMonopoly(input: MonopolyInput): MarketSolution {
  const opts: MonopolyOptions = { gridPoints: input.gridPoints, scalarsOnly: input.scalarsOnly };
  return input.dist.discrete
    ? solveMonopolyDiscrete(input.dist, input.cost, opts)
    : solveMonopolyContinuous(input.dist, input.cost, opts);
}
