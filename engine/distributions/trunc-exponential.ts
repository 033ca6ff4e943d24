// Truncated exponential type distribution: density ∝ e^(−rate·θ) on [min, max] (docs/model.md
// section 2), any finite rate. Everything reduces to one "decaying core" on [0, L] with rate
// ρ ≥ 0: a negative rate is the mirror image θ = max − Y. The formulas use expm1/log1p so the
// uniform limit ρ → 0 has no 0/0 and large ρL neither overflows nor cancels. The virtual
// type has the closed form h = θ − (1 − e^(−ρ(max−θ)))/ρ (ρ > 0), free of underflow.
// The same core serves the truncated Pareto in log θ (trunc-pareto.ts).

import { NumericalError } from "../errors.js";
import { ContinuousBase } from "./continuous-base.js";
import { fmt, requireFinite, requireSupport } from "./param-checks.js";

// Below this ρL the distribution equals the uniform one to double precision (the relative
// difference of the cdfs is O(ρL)), and expm1(−ρL) could be subnormal.
const UNIFORM_LIMIT = 1e-100;

/** Density ρ e^(−ρy)/(1 − e^(−ρL)) on [0, L], ρ ≥ 0. Callers pass y and z = L − y separately. */
export class DecayingExponentialCore {
  readonly rho: number;
  readonly length: number;
  /** expm1(−ρL) ∈ (−1, 0) */
  private readonly d: number;
  /** e^(−ρL) */
  private readonly tail: number;
  /** density at y = 0 */
  private readonly c: number;

  constructor(rho: number, length: number) {
    this.rho = rho * length < UNIFORM_LIMIT ? 0 : rho;
    this.length = length;
    this.d = Math.expm1(-this.rho * length);
    this.tail = Math.exp(-this.rho * length);
    this.c = this.rho === 0 ? 1 / length : -this.rho / this.d;
  }

  cdf(y: number): number {
    return this.rho === 0 ? y / this.length : Math.expm1(-this.rho * y) / this.d;
  }

  /** 1 − F as e^(−ρy)(1 − e^(−ρz))/(1 − e^(−ρL)): no cancellation near the top. */
  sf(y: number, z: number): number {
    return this.rho === 0 ? z / this.length : (Math.exp(-this.rho * y) * Math.expm1(-this.rho * z)) / this.d;
  }

  pdf(y: number): number {
    return this.rho === 0 ? this.c : this.c * Math.exp(-this.rho * y);
  }

  /** (1 − F)/f at distance z below the top: (1 − e^(−ρz))/ρ. */
  sfOverPdf(z: number): number {
    return this.rho === 0 ? z : -Math.expm1(-this.rho * z) / this.rho;
  }

  /** (F/f) at distance z below the top of the mirrored variable: (e^(ρz) − 1)/ρ. */
  cdfOverPdfFromTop(z: number): number {
    return this.rho === 0 ? z : Math.expm1(this.rho * z) / this.rho;
  }

  /** y with F(y) = u; s = 1 − u supplied by the caller (exact where it matters). */
  quantile(u: number, s: number): number {
    if (this.rho === 0) return u <= 0.5 ? u * this.length : this.length - s * this.length;
    const x = u * this.d;
    // log1p(x) loses precision as x → −1; there 1 + x = e^(−ρL) + s(1 − e^(−ρL)), a sum of
    // positive terms (this branch needs u > 1/2, where s = 1 − u is exact).
    const y = x > -0.5 ? -Math.log1p(x) / this.rho : -Math.log(this.tail - s * this.d) / this.rho;
    return Math.min(this.length, Math.max(0, y));
  }
}

export class TruncExponentialDistribution extends ContinuousBase {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly rate: number;
  /** h' = 1 + e^(−rate·(max − θ)) > 0 for every rate */
  readonly regular = true;
  private readonly core: DecayingExponentialCore;
  /** rate < 0: θ = max − Y with Y decaying from max downwards */
  private readonly mirrored: boolean;

  constructor(rate: number, min: number, max: number, path: string) {
    super();
    requireFinite(rate, `${path}.rate`);
    requireSupport(min, max, path);
    this.rate = rate;
    this.min = min;
    this.max = max;
    this.mirrored = rate < 0;
    this.core = new DecayingExponentialCore(Math.abs(rate), max - min);
    this.label = `truncExponential(rate ${fmt(rate)}) on [${fmt(min)}, ${fmt(max)}]`;
  }

  cdf(t: number): number {
    if (t <= this.min) return 0;
    if (t >= this.max) return 1;
    return this.mirrored ? this.core.sf(this.max - t, t - this.min) : this.core.cdf(t - this.min);
  }

  sf(t: number): number {
    if (t <= this.min) return 1;
    if (t >= this.max) return 0;
    return this.mirrored ? this.core.cdf(this.max - t) : this.core.sf(t - this.min, this.max - t);
  }

  pdf(t: number): number {
    if (t < this.min || t > this.max) return 0;
    return this.core.pdf(this.mirrored ? this.max - t : t - this.min);
  }

  quantile(u: number): number {
    this.checkU(u);
    if (u === 0) return this.min;
    if (u === 1) return this.max;
    if (this.mirrored) return Math.max(this.min, this.max - this.core.quantile(1 - u, u));
    return Math.min(this.max, this.min + this.core.quantile(u, 1 - u));
  }

  override virtualType(t: number): number {
    if (t < this.min) return -Infinity;
    if (t >= this.max) return t;
    const z = this.max - t;
    const ratio = this.mirrored ? this.core.cdfOverPdfFromTop(z) : this.core.sfOverPdf(z);
    if (!(ratio >= 0)) throw new NumericalError(`${this.label}: virtual type at theta = ${t}`, `(1 − F)/f = ${ratio}`);
    return t - ratio;
  }
}

export function truncExponential(rate: number, min: number, max: number, path: string): TruncExponentialDistribution {
  return new TruncExponentialDistribution(rate, min, max, path);
}
