// Value–scale types (MODEL.md section 2, "Value–scale types"): w ~ F_w, s ~ F_s independent,
// s ∈ (0, 1], task weight w on the first share s of the tasks, so θ = w s^(1−σ). With k = 1 − σ:
//   F_θ(t) = ∫ F_w(t s^(−k)) dF_s(s),  1 − F_θ(t) = ∫ (1 − F_w(t s^(−k))) dF_s(s),
//   f_θ(t) = ∫ f_w(t s^(−k)) s^(−k) dF_s(s).
// Both continuous: for s < s₁ = (t/w_max)^(1/k) the inner cdf is 1 and for s > s₀ = (t/w_min)^(1/k)
// it is 0, so F_θ = F_s(s₁) + ∫_{s₁}^{s₀}, 1 − F_θ = (1 − F_s(s₀)) + ∫_{s₁}^{s₀}, and the integrand is
// smooth between the two points where t s^(−k) crosses w's support ends. The integral runs in
// v = log s (ds = s dv), which turns the power laws of the integrand into smooth exponentials and
// spreads the many scales of s near 0 evenly. A discrete s or w turns the integral into a sum;
// both discrete give a discrete θ.

import { InputError, NumericalError } from "../errors.js";
import { gaussKronrod, integrate, type QuadOptions } from "../numerics/quadrature.js";
import { ContinuousBase } from "./continuous-base.js";
import { discreteFromAtoms } from "./discrete.js";
import { fmt, requireFinite } from "./param-checks.js";
import type { ContinuousDistribution, DiscreteDistribution, TypeDistribution } from "./types.js";

const EPSREL = 1e-13;
const EPS = 2.220446049250313e-16;
/** accepted error of F_θ near the corners, in units of eps·t·f_θ(t) (see probabilityIntegral) */
const NOISE_ULPS = 64;
const FIRST_PASS_INTERVALS = 200;

/** θ = w s^(1−σ) (MODEL.md, value–scale types). */
export function valueScaleTheta(w: number, s: number, sigma: number): number {
  return w * Math.pow(s, 1 - sigma);
}

/** Both w and s continuous: F_θ, 1 − F_θ and f_θ by quadrature over log s. */
export class ValueScaleContinuous extends ContinuousBase {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  private readonly w: ContinuousDistribution;
  private readonly s: ContinuousDistribution;
  private readonly k: number;
  private readonly logWMin: number;
  private readonly logWMax: number;
  private readonly logSMin: number;
  private readonly logSMax: number;
  /** log t of the type being evaluated (instance state, so the integrands are allocated once) */
  private logT = 0;
  private readonly cdfOptions: QuadOptions;
  private readonly sfOptions: QuadOptions;
  private readonly pdfOptions: QuadOptions;

  private readonly cdfIntegrand = (v: number): number => {
    const s = Math.exp(v);
    return this.w.cdf(Math.exp(this.logT - this.k * v)) * this.s.pdf(s) * s;
  };
  private readonly sfIntegrand = (v: number): number => {
    const s = Math.exp(v);
    return this.w.sf(Math.exp(this.logT - this.k * v)) * this.s.pdf(s) * s;
  };
  private readonly pdfIntegrand = (v: number): number => {
    // f_w(t s^−k) s^−k f_s(s) s, with s^(1−k) = e^(σ v)
    const x = Math.exp(this.logT - this.k * v);
    return this.w.pdf(x) * this.s.pdf(Math.exp(v)) * Math.exp((1 - this.k) * v);
  };

  constructor(w: ContinuousDistribution, s: ContinuousDistribution, sigma: number) {
    super();
    this.w = w;
    this.s = s;
    this.k = 1 - sigma;
    this.logWMin = Math.log(w.min);
    this.logWMax = Math.log(w.max);
    this.logSMin = Math.log(s.min);
    this.logSMax = Math.log(s.max);
    this.min = valueScaleTheta(w.min, s.min, sigma);
    this.max = valueScaleTheta(w.max, s.max, sigma);
    this.label = `valueScale(w: ${w.label}; s: ${s.label}; sigma ${fmt(sigma)})`;
    this.cdfOptions = { epsrel: EPSREL, where: `${this.label}: cdf` };
    this.sfOptions = { epsrel: EPSREL, where: `${this.label}: sf` };
    this.pdfOptions = { epsrel: EPSREL, where: `${this.label}: pdf` };
  }

  /** log s₁ and log s₀: where t s^(−k) equals w_max and w_min (s₀ = +∞ when w_min = 0). */
  private logS1(logT: number): number {
    return (logT - this.logWMax) / this.k;
  }
  private logS0(logT: number): number {
    return (logT - this.logWMin) / this.k;
  }

  cdf(t: number): number {
    if (t <= this.min) return 0;
    if (t >= this.max) return 1;
    const logT = Math.log(t);
    const v1 = this.logS1(logT);
    const lo = Math.max(this.logSMin, v1);
    const hi = Math.min(this.logSMax, this.logS0(logT));
    const head = this.s.cdf(Math.exp(v1));
    const body = lo < hi ? this.probabilityIntegral(this.cdfIntegrand, t, logT, lo, hi, head, this.cdfOptions) : 0;
    return Math.min(1, head + body);
  }

  sf(t: number): number {
    if (t <= this.min) return 1;
    if (t >= this.max) return 0;
    const logT = Math.log(t);
    const v0 = this.logS0(logT);
    const lo = Math.max(this.logSMin, this.logS1(logT));
    const hi = Math.min(this.logSMax, v0);
    const head = v0 === Infinity ? 0 : this.s.sf(Math.exp(v0));
    const body = lo < hi ? this.probabilityIntegral(this.sfIntegrand, t, logT, lo, hi, head, this.sfOptions) : 0;
    return Math.min(1, head + body);
  }

  pdf(t: number): number {
    if (!(t > this.min && t < this.max)) {
      if (t === 0 && this.min === 0 && this.w.min === 0) return this.pdfAtZero();
      return t !== t ? NaN : 0;
    }
    const logT = Math.log(t);
    const lo = Math.max(this.logSMin, this.logS1(logT));
    const hi = Math.min(this.logSMax, this.logS0(logT));
    return lo < hi ? this.integral(this.pdfIntegrand, logT, lo, hi, this.pdfOptions) : 0;
  }

  private zeroLimit: number | undefined;
  /**
   * lim_{t→0} f_θ(t) = f_w(0) E[s^(−k)] when w's support starts at 0 (e.g. 1/σ for w, s ~ U[0,1]);
   * at other ends of the support the integration range shrinks to a point and f_θ → 0.
   */
  private pdfAtZero(): number {
    if (this.zeroLimit === undefined) {
      const fw0 = this.w.pdf(0);
      const k = this.k;
      const s = this.s;
      this.zeroLimit =
        fw0 === 0
          ? 0
          : fw0 * integrate((x) => Math.pow(x, -k) * s.pdf(x), s.min, s.max, { epsrel: EPSREL, where: `${this.label}: E[s^(-(1-sigma))]` });
    }
    return this.zeroLimit;
  }

  private integral(f: (v: number) => number, logT: number, lo: number, hi: number, opts: QuadOptions): number {
    const saved = this.logT;
    this.logT = logT;
    try {
      return integrate(f, lo, hi, opts);
    } finally {
      this.logT = saved;
    }
  }

  /**
   * The integral part of F_θ(t) or 1 − F_θ(t), to EPSREL relative to the whole probability
   * (head + integral). Near the corners of the support (t → θ_min or θ_max) both the
   * probability and the integration range shrink, and the integrand is limited by the rounding
   * of t s^(−k) to a double: F_w at a rounded argument is off by ~eps·x·f_w(x). That is the
   * same as moving t by a few ulps, i.e. an error of ~eps·t·f_θ(t), harmless for every use
   * (h = t − (1 − F)/f moves by ~eps·t). So when the relative tolerance is out of reach, the
   * result is accepted at that backward-stable floor, NOISE_ULPS·eps·t·f_θ(t), and only an
   * error above it is a NumericalError.
   */
  private probabilityIntegral(
    f: (v: number) => number,
    t: number,
    logT: number,
    lo: number,
    hi: number,
    head: number,
    opts: QuadOptions,
  ): number {
    const saved = this.logT;
    this.logT = logT;
    try {
      const epsabs = EPSREL * head;
      const first = gaussKronrod(f, lo, hi, { epsrel: EPSREL, epsabs, maxIntervals: FIRST_PASS_INTERVALS, where: opts.where });
      const tol = (value: number) => Math.max(epsabs, EPSREL * Math.abs(value));
      if (first.converged) return first.value;
      this.logT = saved; // pdf integrates with its own state
      const floor = NOISE_ULPS * EPS * t * this.pdf(t);
      this.logT = logT;
      if (first.error <= Math.max(floor, 100 * tol(first.value))) return first.value;
      const second = gaussKronrod(f, lo, hi, { epsrel: EPSREL, epsabs: Math.max(epsabs, floor), where: opts.where });
      if (second.error <= Math.max(floor, 100 * tol(second.value))) return second.value;
      throw new NumericalError(
        `${opts.where} at theta = ${t}`,
        `∫ over log s ∈ [${lo}, ${hi}] did not converge: estimate ${second.value}, error ${second.error} > ${Math.max(floor, tol(second.value))} after ${second.intervals} intervals`,
      );
    } finally {
      this.logT = saved;
    }
  }

  quantile(u: number): number {
    return this.quantileByBrent(u);
  }
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
