// The cost-of-quality interface every solver consumes (docs/model.md section 1):
// C(Q) = min { Σ c_j X_j + Σ ĉ_k Z_k : Ψ(X) Φ(Z) = Q }, its derivative and the budgets.

export interface CostOfQuality {
  /** "ces" | "none" | "aggregate" | "baseline" | "baselinePerClass" */
  readonly kind: string;
  readonly sigma: number;
  /** total fine-tuning exponent γ (Σ γ_k for per-class baseline); 0 without fine-tuning */
  readonly gamma: number;
  /** η = σ + γ */
  readonly eta: number;
  /** κ when C(Q) = κ Q^(1/η) exactly (CES and no fine-tuning); NaN otherwise */
  readonly kappa: number;
  /** unit cost e_X of the task-token aggregate; NaN for `aggregate` technologies */
  readonly eX: number;
  /** unit cost e_Z of the fine-tuning aggregate; NaN when not defined */
  readonly eZ: number;
  readonly tokenClasses: readonly string[];
  readonly fineTuningClasses: readonly string[];
  /** C(Q), Q ≥ 0 */
  cost(Q: number): number;
  /** C'(Q), Q ≥ 0 (C'(0) = 0) */
  marginalCost(Q: number): number;
  /** the Q ≥ 0 with C'(Q) = p (0 for p ≤ 0): the quality the monopolist gives a type with h̄ = p */
  qualityForMarginalCost(p: number): number;
  /** values p of C' where C'' jumps, so that qualityForMarginalCost has a kink there (a baseline
   *  technology's switch to fine-tuning at Q_b): integrals over types break there (undefined:
   *  none known) */
  readonly marginalCostKinks?: readonly number[];
  /** cost-minimizing budgets for Q, written into outX (length J) and outZ (length K) */
  budgets(Q: number, outX: Float64Array, outZ: Float64Array): void;
}
