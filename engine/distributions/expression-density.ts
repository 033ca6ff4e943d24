// A type density typed as a formula in `theta` (scenario `dist: "expression"`), normalized by
// the engine on [min, max] (docs/model.md section 2). The formula is compiled by the restricted
// parser (engine/expression/restricted.ts). Nothing is tabulated: F(θ) = ∫_min^θ f / Z and
// 1 − F(θ) = ∫_θ^max f / Z are each an adaptive Gauss–Kronrod integral (the upper tail on its
// own, so it has no cancellation), and F⁻¹ is Brent on them; results therefore do not depend
// on any grid. The density must be finite and ≥ 0 inside (checked at 401 points, and at every
// quadrature node); at min or max it may be infinite (integrable singularity such as
// theta^(-1/2)), and pdf returns +∞ there.

import { InputError, NumericalError } from "../errors.js";
import { compileExpression } from "../expression/restricted.js";
import { integrate, type QuadOptions } from "../numerics/quadrature.js";
import { ContinuousBase } from "./continuous-base.js";
import { fmt, requireSupport } from "./param-checks.js";

const CHECK_POINTS = 401;
const EPSREL = 1e-13;

export class ExpressionDensityDistribution extends ContinuousBase {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly formula: string;
  /** ∫_min^max of the formula */
  readonly normalizer: number;
  private readonly raw: (...values: number[]) => number;
  private readonly densityPath: string;
  private readonly pdfAtMin: number;
  private readonly pdfAtMax: number;
  private readonly cdfOptions: QuadOptions;
  private readonly sfOptions: QuadOptions;
  /** the formula at a quadrature node, rejecting negative values the 401-point check missed */
  private readonly integrand = (t: number): number => {
    const v = this.raw(t);
    if (v < 0) throw new InputError(this.densityPath, `density is negative at theta = ${t} (${v})`);
    return v;
  };

  constructor(density: string, min: number, max: number, path: string) {
    super();
    requireSupport(min, max, path);
    this.min = min;
    this.max = max;
    this.formula = density;
    this.densityPath = `${path}.density`;
    this.raw = compileExpression(density, ["theta"], this.densityPath);
    this.label = `expression "${density}" on [${fmt(min)}, ${fmt(max)}]`;

    const width = max - min;
    for (let i = 0; i < CHECK_POINTS; i++) {
      this.checkedValue(min + (width * (i + 0.5)) / CHECK_POINTS, false);
    }
    const atMin = this.checkedValue(min, true);
    const atMax = this.checkedValue(max, true);

    let z: number;
    try {
      z = integrate(this.integrand, min, max, { epsrel: EPSREL, where: `${this.label}: normalization` });
    } catch (e) {
      if (e instanceof NumericalError) {
        throw new InputError(this.densityPath, `cannot normalize the density on [${min}, ${max}] (non-integrable singularity?): ${e.message}`);
      }
      throw e;
    }
    if (!(z > 0 && Number.isFinite(z))) {
      throw new InputError(this.densityPath, `density integrates to ${z} on [${min}, ${max}]; it must have a positive, finite integral`);
    }
    this.normalizer = z;
    this.pdfAtMin = atMin / z;
    this.pdfAtMax = atMax / z;
    this.cdfOptions = { epsrel: EPSREL, where: `${this.label}: cdf` };
    this.sfOptions = { epsrel: EPSREL, where: `${this.label}: sf` };
  }

  /** The formula at θ, as an InputError if it is negative or (inside) not finite; +∞ at an end. */
  private checkedValue(t: number, endpoint: boolean): number {
    let v: number;
    try {
      v = this.raw(t);
    } catch (e) {
      if (!(e instanceof NumericalError)) throw e;
      // An endpoint may carry an integrable singularity; the quadrature never evaluates it.
      if (endpoint) return Infinity;
      throw new InputError(this.densityPath, `density is not a finite number at theta = ${t}: ${e.message}`);
    }
    if (v < 0) throw new InputError(this.densityPath, `density is negative at theta = ${t} (${v})`);
    return v;
  }

  cdf(t: number): number {
    if (t <= this.min) return 0;
    if (t >= this.max) return 1;
    return Math.min(1, integrate(this.integrand, this.min, t, this.cdfOptions) / this.normalizer);
  }

  sf(t: number): number {
    if (t <= this.min) return 1;
    if (t >= this.max) return 0;
    return Math.min(1, integrate(this.integrand, t, this.max, this.sfOptions) / this.normalizer);
  }

  pdf(t: number): number {
    if (t < this.min || t > this.max) return 0;
    if (t === this.min) return this.pdfAtMin;
    if (t === this.max) return this.pdfAtMax;
    return this.integrand(t) / this.normalizer;
  }

  quantile(u: number): number {
    return this.quantileByBrent(u);
  }
}

export function expressionDensity(density: string, min: number, max: number, path: string): ExpressionDensityDistribution {
  return new ExpressionDensityDistribution(density, min, max, path);
}
