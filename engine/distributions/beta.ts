// Beta(a, b) type distribution rescaled to [min, max] (docs/model.md section 2). The survival
// function is the upper regularized incomplete beta (stdlib betainc with upper = true), not
// 1 − F, so h(θ) = θ − (1 − F)/f stays accurate up to θ_max where both 1 − F and f vanish.

import { ContinuousBase } from "./continuous-base.js";
import { fmt, requirePositive, requireSupport } from "./param-checks.js";
import { lazyFunction, lazyModule } from "../lazy-require.js";

const betainc = lazyFunction<typeof import("@stdlib/math-base-special-betainc")>("@stdlib/math-base-special-betainc");
const betaPdf = lazyModule<typeof import("@stdlib/stats-base-dists-beta-pdf")>("@stdlib/stats-base-dists-beta-pdf");
const betaQuantile = lazyFunction<typeof import("@stdlib/stats-base-dists-beta-quantile")>("@stdlib/stats-base-dists-beta-quantile");

const EPS = 2.220446049250313e-16;

export class BetaDistribution extends ContinuousBase {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly a: number;
  readonly b: number;
  /** a, b ≥ 1: log-concave density, increasing hazard rate, so h is increasing */
  readonly regular: boolean;
  private readonly width: number;
  private readonly unitPdf: (x: number) => number;

  constructor(a: number, b: number, min: number, max: number, path: string) {
    super();
    requirePositive(a, `${path}.a`);
    requirePositive(b, `${path}.b`);
    requireSupport(min, max, path);
    this.a = a;
    this.b = b;
    this.regular = a >= 1 && b >= 1;
    this.min = min;
    this.max = max;
    this.width = max - min;
    this.unitPdf = betaPdf().factory(a, b);
    this.label = `beta(${fmt(a)}, ${fmt(b)}) on [${fmt(min)}, ${fmt(max)}]`;
  }

  cdf(t: number): number {
    if (t <= this.min) return 0;
    if (t >= this.max) return 1;
    return betainc((t - this.min) / this.width, this.a, this.b, true, false);
  }

  sf(t: number): number {
    if (t <= this.min) return 1;
    if (t >= this.max) return 0;
    return betainc((t - this.min) / this.width, this.a, this.b, true, true);
  }

  pdf(t: number): number {
    if (t < this.min || t > this.max) return 0;
    return this.unitPdf((t - this.min) / this.width) / this.width;
  }

  quantile(u: number): number {
    this.checkU(u);
    if (u === 0) return this.min;
    if (u === 1) return this.max;
    const lower = u <= 0.5;
    // Above the median invert the mirrored Beta(b, a) at 1 − u (exact there), measured from max.
    const x = lower ? betaQuantile(u, this.a, this.b) : betaQuantile(1 - u, this.b, this.a);
    if (x >= 0 && x <= 1) {
      const t = Math.min(this.max, Math.max(this.min, lower ? this.min + x * this.width : this.max - x * this.width));
      // stdlib's inverse is good to ~1e-15 in the bulk but fails far in the tails (u = 1e-300
      // came back with F = 4e-19): accept it only if F(t) is u to 1e-12 or to what one ulp of t
      // moves F by, else fall back to Brent on the accurate F.
      const p = lower ? u : 1 - u;
      const err = Math.abs((lower ? this.cdf(t) : this.sf(t)) - p);
      if (err <= 1e-12 * p || err <= 4 * EPS * Math.max(Math.abs(t), this.width) * this.pdf(t)) return t;
    }
    return this.quantileByBrent(u);
  }
}

export function beta(a: number, b: number, min: number, max: number, path: string): BetaDistribution {
  return new BetaDistribution(a, b, min, max, path);
}
