// Shared parts of every ContinuousDistribution (docs/model.md section 2): the virtual type
// h(θ) = θ − (1 − F(θ))/f(θ) with its edge conventions, and F⁻¹ by Brent where no closed
// form exists. Subclasses supply cdf, sf and pdf on the whole real line (0/1 outside the
// support), so mixtures and value–scale integrals can call them anywhere.

import { NumericalError } from "../errors.js";
import { brent, type BrentOptions } from "../numerics/brent.js";
import type { ContinuousDistribution } from "./types.js";

/**
 * Mass above θ below which h(θ) is taken as θ, the top of the support. Why: a narrow law's
 * 1 − F and f fall below the smallest normal double (2.2e-308) inside its support (a formula
 * density exp(−3000 (θ − 0.5)²) on [0, 1] from θ ≈ 0.985), where their quotient is rounding
 * noise, the allocation with it, and the rent integral over those types failed (a reviewer's
 * `lpe solve`, exit 1). Such types carry no weight in any expectation; their own h is off by
 * the tail's scale (1 − F)/f (3e-4 there), which only the menu at those types shows. Laws with
 * the quotient in closed form or as a continued fraction (uniform, beta, truncated exponential
 * and Pareto) override virtualType and keep it exact.
 */
export const UNDERFLOW_MASS = 1e-290;

export abstract class ContinuousBase implements ContinuousDistribution {
  readonly discrete = false as const;
  abstract readonly label: string;
  abstract readonly min: number;
  abstract readonly max: number;
  abstract cdf(t: number): number;
  abstract sf(t: number): number;
  abstract pdf(t: number): number;
  abstract quantile(u: number): number;

  // State of the Brent equation, kept on the instance so that `quantile` allocates no closure.
  private qTarget = 0;
  private qUpper = false;
  // Above the median the equation is written with sf and 1 − u (exact for u ≥ 1/2), so the
  // root keeps full relative precision in the upper tail instead of the absolute eps of 1 − F.
  private readonly qEquation = (x: number): number =>
    this.qUpper ? this.qTarget - this.sf(x) : this.cdf(x) - this.qTarget;
  private qOptions: BrentOptions | undefined;

  /** Λ − F(t): above the median as (Λ − 1) + (1 − F(t)), the upper tail by sf (no cancellation). */
  levelMinusCdf(level: number, t: number): number {
    const u = this.cdf(t);
    return u > 0.5 ? level - 1 + this.sf(t) : level - u;
  }

  /** h(θ); θ at and above the top of the support (sf = 0, or below UNDERFLOW_MASS: header of
   *  that constant), −∞ where f = 0 < 1 − F. */
  virtualType(t: number): number {
    const s = this.sf(t);
    if (s < UNDERFLOW_MASS) return t;
    const f = this.pdf(t);
    if (!(f > 0)) {
      if (f === 0) return -Infinity;
      throw new NumericalError(`${this.label}: virtual type at theta = ${t}`, `density is ${f}`);
    }
    return t - s / f;
  }

  /** h(θ) from f(θ) and 1 − F(θ) the caller has already computed: the value virtualType(t)
   *  gives, without computing them again (a class with its own virtualType keeps it). */
  virtualTypeFrom(t: number, f: number, s: number): number {
    if (this.virtualType !== ContinuousBase.prototype.virtualType) return this.virtualType(t);
    if (s < UNDERFLOW_MASS) return t;
    if (!(f > 0)) {
      if (f === 0) return -Infinity;
      throw new NumericalError(`${this.label}: virtual type at theta = ${t}`, `density is ${f}`);
    }
    return t - s / f;
  }

  protected checkU(u: number): void {
    if (!(u >= 0 && u <= 1)) {
      throw new NumericalError(`${this.label}: quantile`, `probability must be in [0, 1], got ${u}`);
    }
  }

  /** F⁻¹(u) = inf{t : F(t) ≥ u} by Brent on [min, max], to the resolution of doubles. */
  protected quantileByBrent(u: number): number {
    this.checkU(u);
    if (u === 0) return this.min;
    if (u === 1) return this.max;
    const savedTarget = this.qTarget;
    const savedUpper = this.qUpper;
    this.qUpper = u > 0.5;
    this.qTarget = this.qUpper ? 1 - u : u;
    try {
      // Up to ~1100 bisections reach any double in [min, max] (roots near 0 can be ~1e-300):
      // Brent's interpolation usually needs a few dozen.
      this.qOptions ??= { where: `${this.label}: quantile`, maxIterations: 1200 };
      return brent(this.qEquation, this.min, this.max, this.qOptions).root;
    } finally {
      this.qTarget = savedTarget;
      this.qUpper = savedUpper;
    }
  }
}
