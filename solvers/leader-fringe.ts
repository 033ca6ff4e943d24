// Leader vs competitive open-source fringe (docs/model.md 3c, Proposition 4): validates the two
// models and dispatches. The explicit path (leader-fringe-explicit.ts) needs γ_F = 0, a
// nondecreasing virtual type and a single crossing of q^int and q̂; other continuous laws go to
// the general path (leader-fringe-general.ts), finitely many types to leader-fringe-discrete.ts.
// `solver.method` names the path, `solver.notes` why.

import type { ContinuousDistribution, TypeDistribution } from "../engine/distributions/types.js";
import { InputError } from "../engine/errors.js";
import type { ModelCost } from "../engine/technology/model-cost.js";
import { explicitApplicability, solveLeaderFringeExplicit } from "./leader-fringe-explicit.js";
import { solveLeaderFringeDiscrete } from "./leader-fringe-discrete.js";
import { solveLeaderFringeGeneral } from "./leader-fringe-general.js";
import type { LeaderFringeModel } from "./leader-fringe-menu.js";
import { checkFringeMarket, type FringeMarket } from "./fringe-top-up.js";
import type { MarketSolution, ScalarValue } from "./types.js";

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
  let sol: MarketSolution | undefined;
  if (!opts.forceGeneral) {
    const model: LeaderFringeModel = { market, cL, dist, hbar: (t) => dist.virtualType(t), kinks: [], plainVirtualType: true };
    const app = explicitApplicability(model);
    if (app.ok) {
      notes.push(...app.notes);
      sol = solveLeaderFringeExplicit(model, opts, notes);
    } else notes.push(`general path: ${app.reason}`);
  } else notes.push("general path: forced by the caller");
  sol ??= solveLeaderFringeGeneral(market, cL, dist, opts, notes);
  const gapNote = cutoffGapNote(dist, sol.scalars.thetaLow, sol.certificate.certified);
  if (gapNote) sol.solver.notes.push(gapNote);
  return sol;
}

/**
 * A note when θ_low lies in a gap of the support (a mixture whose components do not touch), or at
 * its lower end: no type lies there, so every cut-off in the gap gives the same menu and profit,
 * and the θ_low reported (Proposition 4's formula, or the scan's crossing) is one of them. A
 * reader of "θ_low = 0.687" would otherwise take types just above it to buy from the leader (a
 * clean-clone reviewer's point). When the menu is not certified the note says so: a menu serving
 * some types below the gap may earn more (a gap starting just below θ_low: 5e-4 of profit by
 * extrapolated discrete LPs, the reviewer again). The gap is where F stays at F(θ_low), found by
 * bisection on F.
 */
export function cutoffGapNote(dist: ContinuousDistribution, thetaLow: ScalarValue | undefined, certified: boolean): string | undefined {
  const t = typeof thetaLow === "number" ? thetaLow : NaN;
  if (!(t > dist.min && t < dist.max) || dist.pdf(t) !== 0) return undefined;
  const F = dist.cdf(t);
  if (!(F > 0 && F < 1)) return undefined;
  // the gap's end between `out` (outside it) and `t` (inside), by bisection
  const end = (out: number, inside: (x: number) => boolean): number => {
    let a = out;
    let b = t;
    for (let i = 0; i < 200 && Math.abs(b - a) > 1e-15 * Math.max(1, Math.abs(b)); i++) {
      const m = 0.5 * (a + b);
      if (inside(m)) b = m;
      else a = m;
    }
    return b;
  };
  const a = end(dist.min, (x) => dist.cdf(x) >= F);
  const b = end(dist.max, (x) => dist.cdf(x) <= F);
  if (!(b - a > 1e-9 * (dist.max - dist.min))) return undefined;
  const g = (x: number) => Number(x.toPrecision(6));
  const where = `no types lie between ${g(a)} and ${g(b)} (a gap of the support), where θ_low = ${g(t)} falls: every cut-off in the gap gives this menu (the leader serves the types from ${g(b)} on; the fringe-only share is F = ${g(F)})`;
  return certified ? where : `${where}; the menu is not certified, and one serving some types below the gap may earn more`;
}
