// Cost of quality with baseline fine-tuning Φ(z) = (b + Σ_k α̂_k z_k)^γ (docs/model.md section 1,
// "Cost of quality", the slides' Cobb–Douglas example): b > 0 makes fine-tuning optional.
// Φ's aggregate is linear, so only the cheapest class (least ĉ_k/α̂_k, e_Z = that ratio) is
// bought (ties: equal quantities, as cesInputs at ρ = 1). With Z = Σ α̂_k z_k the problem is
//   C(Q) = min_{Z ≥ 0} e_X (Q (b + Z)^(−γ))^(1/σ) + e_Z Z,
// convex in Z, solved numerically as docs/model.md asks, so that its closed form
// (C = e_X (Q b^(−γ))^(1/σ) below Q_b, κ Q^(1/η) − ĉ b above) remains an independent check.
// The first-order condition, in y = log(b + Z), is  (η/σ) y = log(γ e_X/(σ e_Z)) + (log Q)/σ:
// monotone in y, solved by Brent from the corner y = log b (its left side already exceeding
// the right means Z = 0). Being linear in y, Brent lands on it in a couple of steps.
// C'(Q) is the multiplier (envelope theorem): C' = (e_X/σ) Q^(1/σ − 1) (b + Z)^(−γ/σ).
// qualityForMarginalCost solves log C'(Q) = log p by Brent on log Q; log C' has slope between
// 1/η − 1 and 1/σ − 1 in log Q (either regime is a power law), which brackets the root.
// Everything is computed in logs, so Q may range over hundreds of orders of magnitude.

import { NumericalError } from "../errors.js";
import { brent, type BrentOptions } from "../numerics/brent.js";
import { cesInputs, cesUnitCost, type CesGroup } from "./ces-unit-cost.js";
import type { CostOfQuality } from "./types.js";

/** Φ(z) = (b + Σ_k α̂_k z_k)^γ; α̂ > 0 with Σα̂ = 1, ĉ > 0. */
export interface BaselineFineTuning {
  readonly names: readonly string[];
  readonly alpha: readonly number[];
  readonly cost: readonly number[];
  readonly gamma: number;
  readonly b: number;
}

const WHERE_Z = "baseline technology: optimal fine-tuning";
const WHERE_Q = "baseline technology: qualityForMarginalCost";

class BaselineCost implements CostOfQuality {
  readonly kind = "baseline";
  readonly gamma: number;
  readonly eta: number;
  readonly kappa = NaN;
  readonly eX: number;
  readonly eZ: number;
  readonly tokenClasses: readonly string[];
  readonly fineTuningClasses: readonly string[];
  private readonly logB: number;
  private readonly b: number;
  /** log(γ e_X/(σ e_Z)), the constant of the first-order condition */
  private readonly logFoc: number;
  private readonly logEXOverSigma: number;
  private readonly unitX: Float64Array;
  private readonly unitZ: Float64Array;
  /** log Q of the current evaluation, read by the first-order condition (closures made once) */
  private u = 0;
  private target = 0;
  private readonly foc: (y: number) => number;
  private readonly marginalGap: (u: number) => number;
  /** C'(Q_b), where fine-tuning starts (Z > 0 above Q_b): C' is continuous there and C'' jumps
   *  (1/σ − 1 against 1/η − 1 in logs), so the quality a type gets has a kink at this marginal
   *  cost; integrals over types that stepped over it were off by up to 1e-9 of profit (a test
   *  author's σ = 0.05 monopoly, its closed form known) */
  readonly marginalCostKinks: readonly number[];
  private static readonly optsZ: BrentOptions = { xtol: 1e-15, where: WHERE_Z };
  private static readonly optsQ: BrentOptions = { xtol: 1e-15, where: WHERE_Q };

  constructor(
    readonly sigma: number,
    tokens: CesGroup,
    fineTuning: BaselineFineTuning,
  ) {
    this.gamma = fineTuning.gamma;
    this.eta = sigma + this.gamma;
    this.eX = cesUnitCost(tokens.alpha, tokens.cost, tokens.rho);
    this.eZ = cesUnitCost(fineTuning.alpha, fineTuning.cost, 1);
    this.tokenClasses = Object.freeze([...tokens.names]);
    this.fineTuningClasses = Object.freeze([...fineTuning.names]);
    this.b = fineTuning.b;
    this.logB = Math.log(fineTuning.b);
    this.logFoc = Math.log((this.gamma * this.eX) / (sigma * this.eZ));
    this.logEXOverSigma = Math.log(this.eX / sigma);
    this.unitX = new Float64Array(tokens.names.length);
    this.unitZ = new Float64Array(fineTuning.names.length);
    cesInputs(tokens.alpha, tokens.cost, tokens.rho, 1, this.unitX);
    cesInputs(fineTuning.alpha, fineTuning.cost, 1, 1, this.unitZ);
    const slope = this.eta / sigma;
    this.foc = (y) => slope * y - this.logFoc - this.u / sigma;
    this.marginalGap = (u) => this.logMarginal(u) - this.target;
    // Q_b: the first-order condition's root at y = log b, (η/σ) log b = logFoc + (log Q_b)/σ;
    // C'(Q_b) from the envelope formula with Z = 0
    const uB = this.eta * this.logB - sigma * this.logFoc;
    const pB = Math.exp(this.logEXOverSigma + (uB - this.gamma * this.logB) / sigma - uB);
    this.marginalCostKinks = Number.isFinite(pB) && pB > 0 ? Object.freeze([pB]) : Object.freeze([]);
  }

  /** y = log(b + Z) at the optimum for log Q = u. */
  private logBase(u: number): number {
    this.u = u;
    const g0 = this.foc(this.logB);
    if (g0 >= 0) return this.logB;
    // foc has slope η/σ, so this upper end is past the root by at least 1 in y.
    const hi = this.logB + (2 * -g0 * this.sigma) / this.eta + 1;
    return brent(this.foc, this.logB, hi, BaselineCost.optsZ).root;
  }

  private logMarginal(u: number): number {
    const y = this.logBase(u);
    return this.logEXOverSigma + (u - this.gamma * y) / this.sigma - u;
  }

  cost(Q: number): number {
    checkQuality("cost", Q);
    if (Q === 0) return 0;
    const u = Math.log(Q);
    const y = this.logBase(u);
    const Z = y === this.logB ? 0 : Math.max(0, Math.exp(y) - this.b);
    return checkFinite("cost", Q, this.eX * Math.exp((u - this.gamma * y) / this.sigma) + this.eZ * Z);
  }

  marginalCost(Q: number): number {
    checkQuality("marginalCost", Q);
    if (Q === 0) return 0;
    return checkFinite("marginalCost", Q, Math.exp(this.logMarginal(Math.log(Q))));
  }

  qualityForMarginalCost(p: number): number {
    if (!(p < Infinity)) throw new NumericalError(WHERE_Q, `marginal cost p = ${p} is not finite`);
    if (p <= 0) return 0;
    this.target = Math.log(p);
    const d0 = this.marginalGap(0);
    if (d0 === 0) return 1;
    // log C' rises with slope in [1/η − 1, 1/σ − 1] per unit of log Q.
    const steep = 1 / this.sigma - 1;
    const flat = 1 / this.eta - 1;
    let lo = d0 < 0 ? -d0 / steep : -d0 / flat;
    let hi = d0 < 0 ? -d0 / flat : -d0 / steep;
    lo -= 1e-9 * (1 + Math.abs(lo));
    hi += 1e-9 * (1 + Math.abs(hi));
    const u = brent(this.marginalGap, lo, hi, BaselineCost.optsQ).root;
    const Q = Math.exp(u);
    if (!(Q < Infinity)) throw new NumericalError(`${WHERE_Q} at p=${p}`, "quality overflows");
    return Q;
  }

  budgets(Q: number, outX: Float64Array, outZ: Float64Array): void {
    if (outX.length !== this.unitX.length || outZ.length !== this.unitZ.length) {
      throw new NumericalError(
        "baseline technology: budgets",
        `output arrays have lengths ${outX.length}, ${outZ.length}; expected ${this.unitX.length} and ${this.unitZ.length}`,
      );
    }
    checkQuality("budgets", Q);
    let ax = 0;
    let Z = 0;
    if (Q > 0) {
      const u = Math.log(Q);
      const y = this.logBase(u);
      Z = y === this.logB ? 0 : Math.max(0, Math.exp(y) - this.b);
      ax = checkFinite("budgets", Q, Math.exp((u - this.gamma * y) / this.sigma));
    }
    for (let j = 0; j < this.unitX.length; j++) outX[j] = ax * this.unitX[j];
    for (let k = 0; k < this.unitZ.length; k++) outZ[k] = Z * this.unitZ[k];
  }
}

/** Cost of quality for CES task tokens and baseline fine-tuning (b + Σ α̂ z)^γ. */
export function baselineTechnology(sigma: number, tokens: CesGroup, fineTuning: BaselineFineTuning): CostOfQuality {
  return new BaselineCost(sigma, tokens, fineTuning);
}

function checkQuality(what: string, Q: number): void {
  if (!(Q >= 0 && Q < Infinity)) {
    throw new NumericalError(`baseline technology: ${what}`, `quality Q = ${Q} is not a finite number ≥ 0`);
  }
}

function checkFinite(what: string, Q: number, value: number): number {
  if (!(value < Infinity)) throw new NumericalError(`baseline technology: ${what} at Q=${Q}`, "overflows");
  return value;
}
