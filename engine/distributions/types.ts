// The type distribution interface every solver consumes (docs/model.md section 2: F, f, F⁻¹, h).
// Continuous distributions live on a finite support [min, max]; discrete ones (finite type
// sets, sampled profiles) list their atoms. Solvers branch on `discrete`.

export interface ContinuousDistribution {
  readonly discrete: false;
  /** short description for reports, e.g. "beta(2, 5) on [0, 1]" */
  readonly label: string;
  readonly min: number;
  readonly max: number;
  cdf(t: number): number;
  /** 1 − F(t), computed without cancellation in the upper tail where possible */
  sf(t: number): number;
  pdf(t: number): number;
  /** F⁻¹(u) for u ∈ [0, 1]; quantile(0) = min, quantile(1) = max */
  quantile(u: number): number;
  /** Λ − F(t) for a level Λ (a participation multiplier), with F's rounding kept out of the
   *  part that varies with t: near the top of the support, or of a mixture component, F(t) is
   *  within 1e-13 of a constant and Λ − F(t) divided by a density of 1e-10 made h_Λ noisy */
  levelMinusCdf(level: number, t: number): number;
  /** virtual type h(θ) = θ − (1 − F(θ))/f(θ) (not ironed); −∞ where f = 0 < 1 − F */
  virtualType(t: number): number;
  /** virtualType(t) given f(t) and 1 − F(t), already computed by the caller */
  virtualTypeFrom(t: number, f: number, s: number): number;
  /** true when h is known in closed form to be nondecreasing (uniform, log-concave
   *  families…): lets the ironing step skip its hull; absent or false means "check" */
  readonly regular?: boolean;
  /** types strictly inside (min, max) where f jumps or bends (a mixture component's support
   *  ends, the corners of value–scale types): integrals weighted by f split there, since an
   *  adaptive rule can straddle a jump unnoticed (G7 and K15 agreeing on the wrong value) */
  readonly kinks?: readonly number[];
}

export interface DiscreteDistribution {
  readonly discrete: true;
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** atoms, strictly ascending */
  readonly values: Float64Array;
  /** probabilities, positive, summing to 1 */
  readonly probs: Float64Array;
  cdf(t: number): number;
  sf(t: number): number;
  quantile(u: number): number;
}

export type TypeDistribution = ContinuousDistribution | DiscreteDistribution;
