// Cost of quality when it is an exact power law, C(Q) = κ Q^(1/η) (docs/model.md section 1,
// "Cost of quality"): CES task tokens with CES fine-tuning (η = σ + γ,
// κ = η (e_X/σ)^(σ/η) (e_Z/γ)^(γ/η)), CES task tokens without fine-tuning (κ = e_X, η = σ),
// and the `aggregate` shortcut {κ, γ} that has no token classes (docs/model.md section 3's c_ℓ).
// C'(Q) = (κ/η) Q^(1/η − 1), inverse Q = (η p/κ)^(η/(1−η)). The cheapest budgets spend the
// share σ/η of C(Q) on task tokens and γ/η on fine-tuning, mixed inside each group by cesInputs.

import { NumericalError } from "../errors.js";
import { cesInputs, cesUnitCost, type CesGroup } from "./ces-unit-cost.js";
import type { CostOfQuality } from "./types.js";

/** CES fine-tuning Φ(z) = (Σ_k α̂_k z_k^ρ̂)^(γ/ρ̂), γ > 0. */
export interface CesFineTuning extends CesGroup {
  readonly gamma: number;
}

/** κ of C(Q) = κ Q^(1/η); γ = 0 (no fine-tuning) gives e_X. */
export function cesKappa(sigma: number, eX: number, gamma: number, eZ: number): number {
  if (gamma === 0) return eX;
  const eta = sigma + gamma;
  // (e_Z/γ)^(γ/η) → 1 as γ → 0, but e_Z/γ overflows first for a subnormal γ (1e-320 validated,
  // then κ = ∞ stopped the solve: a reviewer's); in logarithms there
  const r = eZ / gamma;
  const z = Number.isFinite(r) ? Math.pow(r, gamma / eta) : Math.exp((gamma / eta) * (Math.log(eZ) - Math.log(gamma)));
  return eta * Math.pow(eX / sigma, sigma / eta) * z;
}

class PowerLawCost implements CostOfQuality {
  readonly eta: number;
  readonly tokenClasses: readonly string[];
  readonly fineTuningClasses: readonly string[];
  private readonly invEta: number;
  /** inputs per unit of each aggregate, so budgets are a scaling (no work per evaluation) */
  private readonly unitX: Float64Array;
  private readonly unitZ: Float64Array;
  /** task-token aggregate per unit of cost: (σ/η)/e_X; likewise (γ/η)/e_Z */
  private readonly xPerCost: number;
  private readonly zPerCost: number;

  constructor(
    readonly kind: string,
    readonly sigma: number,
    readonly gamma: number,
    readonly kappa: number,
    readonly eX: number,
    readonly eZ: number,
    tokens: CesGroup | null,
    fineTuning: CesGroup | null,
  ) {
    this.eta = sigma + gamma;
    this.invEta = 1 / this.eta;
    this.tokenClasses = Object.freeze(tokens ? [...tokens.names] : []);
    this.fineTuningClasses = Object.freeze(fineTuning ? [...fineTuning.names] : []);
    this.unitX = new Float64Array(this.tokenClasses.length);
    this.unitZ = new Float64Array(this.fineTuningClasses.length);
    if (tokens) cesInputs(tokens.alpha, tokens.cost, tokens.rho, 1, this.unitX);
    if (fineTuning) cesInputs(fineTuning.alpha, fineTuning.cost, fineTuning.rho, 1, this.unitZ);
    this.xPerCost = tokens ? sigma / this.eta / eX : 0;
    this.zPerCost = fineTuning ? gamma / this.eta / eZ : 0;
    if (!(kappa > 0 && kappa < Infinity)) {
      throw new NumericalError(`${kind} technology`, `kappa = ${kappa} is not a positive finite number`);
    }
  }

  cost(Q: number): number {
    checkQuality(this.kind, "cost", Q);
    return checkFinite(this.kind, "cost", Q, this.kappa * Math.pow(Q, this.invEta));
  }

  marginalCost(Q: number): number {
    checkQuality(this.kind, "marginalCost", Q);
    return checkFinite(this.kind, "marginalCost", Q, (this.kappa / this.eta) * Math.pow(Q, this.invEta - 1));
  }

  qualityForMarginalCost(p: number): number {
    if (!(p < Infinity)) {
      throw new NumericalError(`${this.kind} technology: qualityForMarginalCost`, `marginal cost p = ${p} is not finite`);
    }
    if (p <= 0) return 0;
    const Q = Math.pow((this.eta * p) / this.kappa, this.eta / (1 - this.eta));
    if (!(Q < Infinity)) {
      throw new NumericalError(`${this.kind} technology: qualityForMarginalCost at p=${p}`, "quality overflows");
    }
    return Q;
  }

  budgets(Q: number, outX: Float64Array, outZ: Float64Array): void {
    checkLengths(this.kind, outX, this.unitX.length, outZ, this.unitZ.length);
    const C = this.cost(Q);
    const ax = C * this.xPerCost;
    const az = C * this.zPerCost;
    for (let j = 0; j < this.unitX.length; j++) outX[j] = ax * this.unitX[j];
    for (let k = 0; k < this.unitZ.length; k++) outZ[k] = az * this.unitZ[k];
  }
}

/** CES task tokens, with CES fine-tuning (kind "ces") or without (kind "none", γ = 0). */
export function cesTechnology(sigma: number, tokens: CesGroup, fineTuning: CesFineTuning | null): CostOfQuality {
  const eX = cesUnitCost(tokens.alpha, tokens.cost, tokens.rho);
  if (!fineTuning) return new PowerLawCost("none", sigma, 0, eX, eX, NaN, tokens, null);
  const eZ = cesUnitCost(fineTuning.alpha, fineTuning.cost, fineTuning.rho);
  const kappa = cesKappa(sigma, eX, fineTuning.gamma, eZ);
  return new PowerLawCost("ces", sigma, fineTuning.gamma, kappa, eX, eZ, tokens, fineTuning);
}

/** C(Q) = κ Q^(1/(σ+γ)) given directly, without token classes (budgets are empty). */
export function aggregateTechnology(sigma: number, kappa: number, gamma: number): CostOfQuality {
  return new PowerLawCost("aggregate", sigma, gamma, kappa, NaN, NaN, null, null);
}

function checkQuality(kind: string, what: string, Q: number): void {
  if (!(Q >= 0 && Q < Infinity)) {
    throw new NumericalError(`${kind} technology: ${what}`, `quality Q = ${Q} is not a finite number ≥ 0`);
  }
}

function checkFinite(kind: string, what: string, Q: number, value: number): number {
  if (!(value < Infinity)) throw new NumericalError(`${kind} technology: ${what} at Q=${Q}`, "overflows");
  return value;
}

function checkLengths(kind: string, outX: Float64Array, J: number, outZ: Float64Array, K: number): void {
  if (outX.length !== J || outZ.length !== K) {
    throw new NumericalError(
      `${kind} technology: budgets`,
      `output arrays have lengths ${outX.length}, ${outZ.length}; expected ${J} task-token and ${K} fine-tuning classes`,
    );
  }
}
