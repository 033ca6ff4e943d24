// Truncated Pareto type distribution: density ∝ θ^(−alpha−1) on [min, max], 0 < min (docs/model.md
// section 2), any finite alpha (alpha = 0 is log-uniform). log θ is then a truncated
// exponential with rate alpha on [log min, log max], so the decaying core of
// trunc-exponential.ts does the work; f_θ(θ) = f_log(log θ)/θ and (1 − F)/f = θ·(ratio in log θ).

import { NumericalError } from "../errors.js";
import { ContinuousBase } from "./continuous-base.js";
import { fmt, requireFinite, requireSupport } from "./param-checks.js";
import { DecayingExponentialCore } from "./trunc-exponential.js";

export class TruncParetoDistribution extends ContinuousBase {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly alpha: number;
  /**
   * h(θ) = θ − θ(1 − (θ/max)^α)/α has h'(θ) = 1 − 1/α + ((1+α)/α)(θ/max)^α (α = 0: 2 − log(max/θ)).
   * For α ≥ −1 h' increases in θ, so h is monotone iff h'(min) ≥ 0; for α < −1 h' decreases to
   * h'(max) = 2 > 0, and h'(min) ≥ 0 holds too.
   */
  readonly regular: boolean;
  private readonly core: DecayingExponentialCore;
  /** alpha < 0: the log density increases, so measure it from the top */
  private readonly mirrored: boolean;

  constructor(alpha: number, min: number, max: number, path: string) {
    super();
    requireFinite(alpha, `${path}.alpha`);
    requireSupport(min, max, path, true);
    this.alpha = alpha;
    this.min = min;
    this.max = max;
    this.mirrored = alpha < 0;
    this.core = new DecayingExponentialCore(Math.abs(alpha), Math.log(max / min));
    // h'(min) = 1 + r^α + (r^α − 1)/α with r = min/max, written with expm1 so that α → 0 gives
    // 2 + log r without cancellation (the core treats a negligible α·log(max/min) as α = 0).
    const logR = -this.core.length;
    const a = this.core.rho === 0 ? 0 : alpha;
    this.regular = 1 + Math.exp(a * logR) + (a === 0 ? logR : Math.expm1(a * logR) / a) >= 0;
    this.label = `truncPareto(alpha ${fmt(alpha)}) on [${fmt(min)}, ${fmt(max)}]`;
  }

  // log(t/min) and log(max/t) through log1p near the ends, where the ratio is close to 1.
  private logAboveMin(t: number): number {
    return t < 2 * this.min ? Math.log1p((t - this.min) / this.min) : Math.log(t / this.min);
  }
  private logBelowMax(t: number): number {
    return this.max < 2 * t ? Math.log1p((this.max - t) / t) : Math.log(this.max / t);
  }

  cdf(t: number): number {
    if (t <= this.min) return 0;
    if (t >= this.max) return 1;
    const y = this.logAboveMin(t);
    return this.mirrored ? this.core.sf(this.logBelowMax(t), y) : this.core.cdf(y);
  }

  sf(t: number): number {
    if (t <= this.min) return 1;
    if (t >= this.max) return 0;
    const z = this.logBelowMax(t);
    return this.mirrored ? this.core.cdf(z) : this.core.sf(this.logAboveMin(t), z);
  }

  pdf(t: number): number {
    if (t < this.min || t > this.max) return 0;
    return this.core.pdf(this.mirrored ? this.logBelowMax(t) : this.logAboveMin(t)) / t;
  }

  quantile(u: number): number {
    this.checkU(u);
    if (u === 0) return this.min;
    if (u === 1) return this.max;
    const t = this.mirrored
      ? this.max * Math.exp(-this.core.quantile(1 - u, u))
      : this.min * Math.exp(this.core.quantile(u, 1 - u));
    return Math.min(this.max, Math.max(this.min, t));
  }

  override virtualType(t: number): number {
    if (t < this.min) return -Infinity;
    if (t >= this.max) return t;
    const z = this.logBelowMax(t);
    const ratio = t * (this.mirrored ? this.core.cdfOverPdfFromTop(z) : this.core.sfOverPdf(z));
    if (!(ratio >= 0)) throw new NumericalError(`${this.label}: virtual type at theta = ${t}`, `(1 − F)/f = ${ratio}`);
    return t - ratio;
  }
}

export function truncPareto(alpha: number, min: number, max: number, path: string): TruncParetoDistribution {
  return new TruncParetoDistribution(alpha, min, max, path);
}
