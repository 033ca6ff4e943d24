// Cost of quality with per-class baseline fine-tuning Φ(z) = Π_k (b_k + z_k)^(γ_k) (docs/model.md
// section 1, "Cost of quality": minimize numerically, corners z_k = 0 included). The problem
//   C(Q) = min_{z ≥ 0} e_X (Q/Φ(z))^(1/σ) + Σ_k ĉ_k z_k
// is convex in z ((Q/Φ)^(1/σ) is the exp of a convex function). With the multiplier-like
// μ = e_X (Q/Φ(z))^(1/σ)/σ (= task-token spend / σ), the KKT conditions read
//   b_k + z_k = max(b_k, γ_k μ/ĉ_k),
// so everything hangs on one scalar: in m = log μ,
//   H(m) = m − log(e_X/σ) − (log Q)/σ + (1/σ) Σ_k γ_k max(log b_k, log(γ_k/ĉ_k) + m) = 0,
// piecewise linear and increasing (slope in [1, η/σ]): solved by Brent on a bracket read off
// those slopes from the all-corner point. Then C = σμ + Σ ĉ_k z_k and C'(Q) = μ/Q (envelope).
// The inverse of C' is one monotone equation in m as well (substituting log Q = m − log p),
//   P(m) = −(1−σ) m + log p − σ log(e_X/σ) + Σ_k γ_k max(log b_k, log(γ_k/ĉ_k) + m) = 0,
// decreasing with slope in [−(1−σ), −(1−η)], so no nested solve is needed.

import { NumericalError } from "../errors.js";
import { brent, type BrentOptions } from "../numerics/brent.js";
import { cesInputs, cesUnitCost, type CesGroup } from "./ces-unit-cost.js";
import type { CostOfQuality } from "./types.js";

/** Φ(z) = Π_k (b_k + z_k)^(γ_k), b_k > 0, γ_k > 0, ĉ_k > 0. */
export interface BaselinePerClassFineTuning {
  readonly names: readonly string[];
  readonly cost: readonly number[];
  readonly b: readonly number[];
  readonly gamma: readonly number[];
}

const WHERE_MU = "baselinePerClass technology: optimal fine-tuning";
const WHERE_Q = "baselinePerClass technology: qualityForMarginalCost";

class BaselinePerClassCost implements CostOfQuality {
  readonly kind = "baselinePerClass";
  readonly gamma: number;
  readonly eta: number;
  readonly kappa = NaN;
  readonly eX: number;
  readonly eZ = NaN;
  readonly tokenClasses: readonly string[];
  readonly fineTuningClasses: readonly string[];
  private readonly g: Float64Array;
  private readonly c: Float64Array;
  private readonly b: Float64Array;
  private readonly logB: Float64Array;
  /** log(γ_k/ĉ_k): class k is bought once m exceeds log b_k − this */
  private readonly logGC: Float64Array;
  private readonly sumGLogB: number;
  /** log(e_X/σ) */
  private readonly logES: number;
  private readonly unitX: Float64Array;
  /** log Q (for H) or log p (for P) of the current evaluation; closures are made once */
  private u = 0;
  private logP = 0;
  private readonly H: (m: number) => number;
  private readonly P: (m: number) => number;
  private static readonly optsMu: BrentOptions = { xtol: 1e-15, where: WHERE_MU };
  private static readonly optsQ: BrentOptions = { xtol: 1e-15, where: WHERE_Q };

  constructor(
    readonly sigma: number,
    tokens: CesGroup,
    fineTuning: BaselinePerClassFineTuning,
  ) {
    const K = fineTuning.names.length;
    this.g = Float64Array.from(fineTuning.gamma);
    this.c = Float64Array.from(fineTuning.cost);
    this.b = Float64Array.from(fineTuning.b);
    this.logB = this.b.map(Math.log);
    this.logGC = new Float64Array(K);
    let gamma = 0;
    let sumGLogB = 0;
    for (let k = 0; k < K; k++) {
      this.logGC[k] = Math.log(this.g[k] / this.c[k]);
      gamma += this.g[k];
      sumGLogB += this.g[k] * this.logB[k];
    }
    this.gamma = gamma;
    this.sumGLogB = sumGLogB;
    this.eta = sigma + gamma;
    this.eX = cesUnitCost(tokens.alpha, tokens.cost, tokens.rho);
    this.logES = Math.log(this.eX / sigma);
    this.tokenClasses = Object.freeze([...tokens.names]);
    this.fineTuningClasses = Object.freeze([...fineTuning.names]);
    this.unitX = new Float64Array(tokens.names.length);
    cesInputs(tokens.alpha, tokens.cost, tokens.rho, 1, this.unitX);
    this.H = (m) => m - this.logES - this.u / sigma + this.logPhiAt(m) / sigma;
    this.P = (m) => -(1 - sigma) * m + this.logP - sigma * this.logES + this.logPhiAt(m);
  }

  /** log Φ at the KKT point for log μ = m: Σ_k γ_k max(log b_k, log(γ_k/ĉ_k) + m). */
  private logPhiAt(m: number): number {
    let s = 0;
    for (let k = 0; k < this.g.length; k++) s += this.g[k] * Math.max(this.logB[k], this.logGC[k] + m);
    return s;
  }

  /** m = log μ at the optimum for log Q = u. */
  private logMu(u: number): number {
    this.u = u;
    // All classes at the corner: H(m0) = (1/σ) Σ γ_k (max(...) − log b_k) ≥ 0.
    const m0 = this.logES + (u - this.sumGLogB) / this.sigma;
    const h0 = this.H(m0);
    if (h0 <= 0) return m0;
    // H has slope ≥ 1, so H(m0 − h0) ≤ 0; the margin absorbs rounding.
    const lo = m0 - h0 - 1e-9 * (1 + Math.abs(m0) + h0);
    return brent(this.H, lo, m0, BaselinePerClassCost.optsMu).root;
  }

  cost(Q: number): number {
    checkQuality("cost", Q);
    if (Q === 0) return 0;
    const m = this.logMu(Math.log(Q));
    let C = this.sigma * Math.exp(m);
    for (let k = 0; k < this.g.length; k++) C += this.c[k] * this.fineTuning(k, m);
    return checkFinite("cost", Q, C);
  }

  private fineTuning(k: number, m: number): number {
    const x = this.logGC[k] + m;
    return x <= this.logB[k] ? 0 : Math.max(0, Math.exp(x) - this.b[k]);
  }

  marginalCost(Q: number): number {
    checkQuality("marginalCost", Q);
    if (Q === 0) return 0;
    const u = Math.log(Q);
    return checkFinite("marginalCost", Q, Math.exp(this.logMu(u) - u));
  }

  qualityForMarginalCost(p: number): number {
    if (!(p < Infinity)) throw new NumericalError(WHERE_Q, `marginal cost p = ${p} is not finite`);
    if (p <= 0) return 0;
    this.logP = Math.log(p);
    // All classes at the corner: P(mc) = Σ γ_k (max(...) − log b_k) ≥ 0, and P falls at rate ≥ 1 − η.
    const mc = (this.logP - this.sigma * this.logES + this.sumGLogB) / (1 - this.sigma);
    const p0 = this.P(mc);
    let m = mc;
    if (p0 > 0) {
      let hi = mc + p0 / (1 - this.eta);
      hi += 1e-9 * (1 + Math.abs(hi));
      m = brent(this.P, mc, hi, BaselinePerClassCost.optsQ).root;
    }
    const Q = Math.exp(m - this.logP);
    if (!(Q < Infinity)) throw new NumericalError(`${WHERE_Q} at p=${p}`, "quality overflows");
    return Q;
  }

  budgets(Q: number, outX: Float64Array, outZ: Float64Array): void {
    if (outX.length !== this.unitX.length || outZ.length !== this.g.length) {
      throw new NumericalError(
        "baselinePerClass technology: budgets",
        `output arrays have lengths ${outX.length}, ${outZ.length}; expected ${this.unitX.length} and ${this.g.length}`,
      );
    }
    checkQuality("budgets", Q);
    if (Q === 0) {
      outX.fill(0);
      outZ.fill(0);
      return;
    }
    const m = this.logMu(Math.log(Q));
    // task-token aggregate (Q/Φ)^(1/σ) = σμ/e_X
    const ax = checkFinite("budgets", Q, Math.exp(m - this.logES));
    for (let j = 0; j < this.unitX.length; j++) outX[j] = ax * this.unitX[j];
    for (let k = 0; k < this.g.length; k++) outZ[k] = this.fineTuning(k, m);
  }
}

/** Cost of quality for CES task tokens and per-class baseline fine-tuning Π (b_k + z_k)^(γ_k). */
export function baselinePerClassTechnology(
  sigma: number,
  tokens: CesGroup,
  fineTuning: BaselinePerClassFineTuning,
): CostOfQuality {
  return new BaselinePerClassCost(sigma, tokens, fineTuning);
}

function checkQuality(what: string, Q: number): void {
  if (!(Q >= 0 && Q < Infinity)) {
    throw new NumericalError(`baselinePerClass technology: ${what}`, `quality Q = ${Q} is not a finite number ≥ 0`);
  }
}

function checkFinite(what: string, Q: number, value: number): number {
  if (!(value < Infinity)) throw new NumericalError(`baselinePerClass technology: ${what} at Q=${Q}`, "overflows");
  return value;
}
