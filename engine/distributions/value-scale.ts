// Value–scale types (docs/model.md section 2, "Value–scale types"): w ~ F_w, s ~ F_s independent,
// s ∈ (0, 1], task weight w on the first share s of the tasks, so θ = w s^(1−σ), and with
// k = 1 − σ: F_θ(t) = ∫ F_w(t s^(−k)) dF_s(s), f_θ(t) = ∫ f_w(t s^(−k)) s^(−k) dF_s(s).
// Both continuous: quadrature (value-scale-continuous.ts). A discrete s or w turns the integral
// into a sum (still a continuous θ); both discrete give a discrete θ.

import { InputError } from "../errors.js";
import { ContinuousBase } from "./continuous-base.js";
import { discreteFromAtoms } from "./discrete.js";
import { fmt, requireFinite } from "./param-checks.js";
import { ValueScaleContinuous } from "./value-scale-continuous.js";
import type { ContinuousDistribution, DiscreteDistribution, TypeDistribution } from "./types.js";

/** θ = w s^(1−σ) (docs/model.md, value–scale types). */
export function valueScaleTheta(w: number, s: number, sigma: number): number {
  return w * Math.pow(s, 1 - sigma);
}

/** Discrete s (atoms s_j, probabilities p_j), continuous w: F_θ(t) = Σ p_j F_w(t s_j^(−k)). */
export class ValueScaleDiscreteShare extends ContinuousBase {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  private readonly w: ContinuousDistribution;
  private readonly probs: Float64Array;
  /** s_j^(−k) */
  private readonly scale: Float64Array;

  constructor(w: ContinuousDistribution, s: DiscreteDistribution, sigma: number) {
    super();
    this.w = w;
    const k = 1 - sigma;
    this.probs = s.probs;
    this.scale = s.values.map((sj) => Math.pow(sj, -k));
    this.min = valueScaleTheta(w.min, s.min, sigma);
    this.max = valueScaleTheta(w.max, s.max, sigma);
    this.label = `valueScale(w: ${w.label}; s: ${s.label}; sigma ${fmt(sigma)})`;
  }

  cdf(t: number): number {
    if (t <= this.min) return 0;
    if (t >= this.max) return 1;
    let out = 0;
    for (let j = 0; j < this.probs.length; j++) out += this.probs[j] * this.w.cdf(t * this.scale[j]);
    return Math.min(1, out);
  }

  sf(t: number): number {
    if (t <= this.min) return 1;
    if (t >= this.max) return 0;
    let out = 0;
    for (let j = 0; j < this.probs.length; j++) out += this.probs[j] * this.w.sf(t * this.scale[j]);
    return Math.min(1, out);
  }

  pdf(t: number): number {
    let out = 0;
    for (let j = 0; j < this.probs.length; j++) out += this.probs[j] * this.w.pdf(t * this.scale[j]) * this.scale[j];
    return out;
  }

  quantile(u: number): number {
    return this.quantileByBrent(u);
  }
}

/**
 * Discrete w (atoms w_i > 0, probabilities q_i), continuous s: θ = w_i s^k, so
 * F_θ(t) = Σ q_i F_s((t/w_i)^(1/k)) and f_θ(t) = Σ q_i f_s(s_i) s_i/(k t) with s_i = (t/w_i)^(1/k).
 */
export class ValueScaleDiscreteValue extends ContinuousBase {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  private readonly s: ContinuousDistribution;
  private readonly probs: Float64Array;
  private readonly logW: Float64Array;
  private readonly k: number;

  constructor(w: DiscreteDistribution, s: ContinuousDistribution, sigma: number) {
    super();
    this.s = s;
    this.k = 1 - sigma;
    this.probs = w.probs;
    this.logW = w.values.map(Math.log);
    this.min = valueScaleTheta(w.min, s.min, sigma);
    this.max = valueScaleTheta(w.max, s.max, sigma);
    this.label = `valueScale(w: ${w.label}; s: ${s.label}; sigma ${fmt(sigma)})`;
  }

  cdf(t: number): number {
    if (t <= this.min) return 0;
    if (t >= this.max) return 1;
    const logT = Math.log(t);
    let out = 0;
    for (let i = 0; i < this.probs.length; i++) out += this.probs[i] * this.s.cdf(Math.exp((logT - this.logW[i]) / this.k));
    return Math.min(1, out);
  }

  sf(t: number): number {
    if (t <= this.min) return 1;
    if (t >= this.max) return 0;
    const logT = Math.log(t);
    let out = 0;
    for (let i = 0; i < this.probs.length; i++) out += this.probs[i] * this.s.sf(Math.exp((logT - this.logW[i]) / this.k));
    return Math.min(1, out);
  }

  pdf(t: number): number {
    if (!(t > 0 && t >= this.min && t <= this.max)) return t !== t ? NaN : 0;
    const logT = Math.log(t);
    let out = 0;
    for (let i = 0; i < this.probs.length; i++) {
      const si = Math.exp((logT - this.logW[i]) / this.k);
      out += this.probs[i] * this.s.pdf(si) * si;
    }
    return out / (this.k * t);
  }

  quantile(u: number): number {
    return this.quantileByBrent(u);
  }
}

/**
 * The distribution of θ = w s^(1−σ). `path` names the scenario object holding w and s
 * (e.g. "buyers.valueScale"); `sigmaPath` the σ it takes.
 */
export function valueScale(
  w: TypeDistribution,
  s: TypeDistribution,
  sigma: number,
  path: string,
  sigmaPath = "technology.sigma",
): TypeDistribution {
  requireFinite(sigma, sigmaPath);
  if (!(sigma > 0 && sigma < 1)) throw new InputError(sigmaPath, `must be in (0, 1), got ${sigma}`);
  if (!(w.min >= 0)) throw new InputError(`${path}.w`, `task weights must be ≥ 0, but w's support starts at ${w.min}`);
  if (!(s.min >= 0 && s.max <= 1)) {
    throw new InputError(`${path}.s`, `the share of tasks s must lie in (0, 1], but its support is [${s.min}, ${s.max}]`);
  }
  if (s.discrete && !(s.min > 0)) throw new InputError(`${path}.s`, `the share of tasks s must be > 0, but s has an atom at ${s.min}`);
  if (w.discrete && s.discrete) {
    const n = w.values.length * s.values.length;
    const values = new Float64Array(n);
    const probs = new Float64Array(n);
    let m = 0;
    for (let i = 0; i < w.values.length; i++) {
      for (let j = 0; j < s.values.length; j++, m++) {
        values[m] = valueScaleTheta(w.values[i], s.values[j], sigma);
        probs[m] = w.probs[i] * s.probs[j];
      }
    }
    return discreteFromAtoms(values, probs, `valueScale(w: ${w.label}; s: ${s.label}; sigma ${fmt(sigma)})`);
  }
  if (w.discrete) {
    if (!(w.min > 0)) {
      throw new InputError(
        `${path}.w`,
        "an atom at w = 0 with a continuous s gives θ an atom at 0 inside a continuous distribution; use w > 0 or a discrete s",
      );
    }
    return new ValueScaleDiscreteValue(w, s as ContinuousDistribution, sigma);
  }
  if (s.discrete) return new ValueScaleDiscreteShare(w, s, sigma);
  return new ValueScaleContinuous(w, s, sigma);
}
