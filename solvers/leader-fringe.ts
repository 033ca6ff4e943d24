// Leader vs competitive open-source fringe (docs/model.md 3c, Proposition 4): validates the two
// models and dispatches. The explicit path (leader-fringe-explicit.ts) needs γ_F = 0, a
// nondecreasing virtual type and a single crossing of q^int and q̂; other continuous laws go to
// the general path (leader-fringe-general.ts), finitely many types to leader-fringe-discrete.ts.
// `solver.method` names the path, `solver.notes` why.

import type { TypeDistribution } from "../engine/distributions/types.js";
import { InputError } from "../engine/errors.js";
import type { ModelCost } from "../engine/technology/model-cost.js";
import { explicitApplicability, solveLeaderFringeExplicit } from "./leader-fringe-explicit.js";
import { solveLeaderFringeDiscrete } from "./leader-fringe-discrete.js";
import { solveLeaderFringeGeneral } from "./leader-fringe-general.js";
import type { LeaderFringeModel } from "./leader-fringe-menu.js";
import { checkFringeMarket, type FringeMarket } from "./fringe-top-up.js";
import type { MarketSolution } from "./types.js";

export { fringeTopUp, outsideOption, outsideOptionSlope, limitQuality, fringeOnlyQuality } from "./fringe-top-up.js";

export interface LeaderFringeInput {
  sigma: number;
  leader: ModelCost;
  fringe: ModelCost;
  dist: TypeDistribution;
}

export interface LeaderFringeOptions {
  gridPoints: number;
  /** skip curves, checks and the certificate (sweep points) */
  scalarsOnly?: boolean;
  /** force the general path even where the explicit one applies (cross-checks) */
  forceGeneral?: boolean;
}

/** The top-up constants of the market, validated (InputError with the scenario path). */
export function fringeMarket(input: LeaderFringeInput): { market: FringeMarket; cL: number } {
  const { sigma, leader, fringe } = input;
  const market: FringeMarket = { sigma, etaL: sigma + leader.gamma, etaF: sigma + fringe.gamma, cF: fringe.cost };
  checkFringeMarket(market);
  if (!(Math.abs(leader.eta - market.etaL) <= 1e-12 && Math.abs(fringe.eta - market.etaF) <= 1e-12)) {
    throw new InputError("market", `model eta must equal sigma + gamma (leader ${leader.eta}, fringe ${fringe.eta}, sigma ${sigma})`);
  }
  if (!(leader.cost > 0 && Number.isFinite(leader.cost))) {
    throw new InputError("market.leader.cost", `the leader cost c_L must be positive and finite, got ${leader.cost}`);
  }
  if (fringe.gamma > leader.gamma) {
    throw new InputError(
      "market.fringe.gamma",
      `docs/model.md 3c needs γ_F ≤ γ_L (the leader's model is the better one to fine-tune), got γ_F = ${fringe.gamma} > γ_L = ${leader.gamma}`,
    );
  }
  return { market, cL: leader.cost };
}

export function solveLeaderFringe(input: LeaderFringeInput, opts: LeaderFringeOptions): MarketSolution {
  const { market, cL } = fringeMarket(input);
  const dist = input.dist;
  const notes: string[] = [];
  if (dist.discrete) return solveLeaderFringeDiscrete(market, cL, dist, opts, notes);
  if (!opts.forceGeneral) {
    const model: LeaderFringeModel = { market, cL, dist, hbar: (t) => dist.virtualType(t), kinks: [], plainVirtualType: true };
    const app = explicitApplicability(model);
    if (app.ok) {
      notes.push(...app.notes);
      return solveLeaderFringeExplicit(model, opts, notes);
    }
    notes.push(`general path: ${app.reason}`);
  } else notes.push("general path: forced by the caller");
  return solveLeaderFringeGeneral(market, cL, dist, opts, notes);
}
