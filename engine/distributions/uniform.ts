// Uniform type distribution on [min, max] (docs/model.md section 2; the closed-form case
// θ ~ U[0,1] gives h = 2θ − 1). Everything is closed form; h(θ) = 2θ − max on the support.

import { ContinuousBase } from "./continuous-base.js";
import { fmt, requireSupport } from "./param-checks.js";

export class UniformDistribution extends ContinuousBase {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** h = 2θ − max is increasing */
  readonly regular = true;
  private readonly width: number;
  private readonly density: number;

  constructor(min: number, max: number, path: string) {
    super();
    requireSupport(min, max, path);
    this.min = min;
    this.max = max;
    this.width = max - min;
    this.density = 1 / this.width;
    this.label = `uniform on [${fmt(min)}, ${fmt(max)}]`;
  }

  cdf(t: number): number {
    if (t <= this.min) return 0;
    if (t >= this.max) return 1;
    return (t - this.min) / this.width;
  }

  sf(t: number): number {
    if (t <= this.min) return 1;
    if (t >= this.max) return 0;
    return (this.max - t) / this.width;
  }

  pdf(t: number): number {
    return t >= this.min && t <= this.max ? this.density : t !== t ? NaN : 0;
  }

  quantile(u: number): number {
    this.checkU(u);
    if (u === 1) return this.max;
    // Above the median, measure from max so the result keeps the precision of 1 − u.
    return u <= 0.5 ? this.min + u * this.width : this.max - (1 - u) * this.width;
  }

  override virtualType(t: number): number {
    if (t < this.min) return -Infinity;
    if (t >= this.max) return t;
    return 2 * t - this.max;
  }
}

export function uniform(min: number, max: number, path: string): UniformDistribution {
  return new UniformDistribution(min, max, path);
}
