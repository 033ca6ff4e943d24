// θ = w s^(1−σ) with w and s both continuous (docs/model.md section 2, "Value–scale types").
// With k = 1 − σ and x(s) = t s^(−k) (the w that gives type t at share s):
//   F_θ(t)     = F_s(s₁)     + ∫_{sa}^{sb} F_w(x(s)) f_s(s) ds,
//   1 − F_θ(t) = 1 − F_s(s₀) + ∫_{sa}^{sb} (1 − F_w(x(s))) f_s(s) ds,
//   f_θ(t)     =                ∫_{sa}^{sb} f_w(x(s)) s^(−k) f_s(s) ds,
// where s₁ = (t/w_max)^(1/k) and s₀ = (t/w_min)^(1/k) are the shares at which x(s) crosses w's
// support ends (below s₁ the inner cdf is 1, above s₀ it is 0), and [sa, sb] = [s₁, s₀] ∩ supp s.
// Splitting there keeps every integrand smooth inside its range. 1 − F_θ is its own integral,
// without cancellation near θ_max.
//
// Each end of [sa, sb] is an end of w's support or of s's, and densities may be infinite there
// (beta with a or b < 1). A density evaluated at a point rounded next to its singular end is
// noise, and a non-zero end point cannot be approached closer than the spacing of doubles, so:
//   - next to an end of s's support the piece runs in y = √(s − end) (smooths s^(−1/2)-type
//     ends), or, if f_s is infinite at that end, in probability q = F_s (∫ G dF_s = ∫ G(F_s⁻¹(q)) dq
//     needs no f_s at all);
//   - next to an end of w's support it runs in x (ds = s/(k x) dx), via y = √|x − end|, or, for
//     f_θ with f_w infinite at that end, in q = F_w;
//   - a wide middle (sb/sa > 4, as t → 0 when w_min or s_min is 0) runs in log s, which makes
//     the power laws smooth and spreads the scales of s evenly.

import { NumericalError } from "../errors.js";
import { gaussKronrod, type QuadOptions } from "../numerics/quadrature.js";
import { ContinuousBase } from "./continuous-base.js";
import { fmt } from "./param-checks.js";
import type { ContinuousDistribution } from "./types.js";

const EPSREL = 1e-13;
const EPS = 2.220446049250313e-16;
/** accepted error of F_θ where EPSREL is out of reach, in units of eps·t·f_θ(t) (see `integral`) */
const NOISE_ULPS = 64;
/**
 * accepted relative error of f_θ where EPSREL is out of reach: two densities singular at a
 * common corner leave ~1e-10 of f_θ unresolved in doubles
 */
const PDF_FLOOR = 1e-8;
/**
 * f_θ from the first pass is kept when its error is within this fraction of itself: a second
 * pass only helps an integrand that more intervals can resolve, and within ~1e-6 of a corner
 * where a density is infinite (w ~ Beta(3, 0.7) at w_max) the integrand's own rounding noise is
 * ~1e-12–1e-9 of f_θ: there the second pass spent 2000 intervals (~66,000 evaluations of f_w,
 * 17 ms per f_θ) and ended with a larger error estimate than the first.
 */
const PDF_FIRST_PASS_ACCEPT = 1e-2 * PDF_FLOOR;
/** or: accepted effect of the error of f_θ on h(θ), relative to max(θ, θ_max − θ_min) */
const H_TOL = 1e-12;
const FIRST_PASS_INTERVALS = 200;
const SECOND_PASS_INTERVALS = 2000;

const CDF = 0;
const SF = 1;
const PDF = 2;

export class ValueScaleContinuous extends ContinuousBase {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly sigma: number;
  readonly kinks: readonly number[];
  private readonly w: ContinuousDistribution;
  private readonly s: ContinuousDistribution;
  private readonly k: number;
  private readonly invK: number;
  /** densities infinite at an end of their support */
  private readonly sMinSingular: boolean;
  private readonly sMaxSingular: boolean;
  private readonly wMinSingular: boolean;
  private readonly wMaxSingular: boolean;
  /** reused options of every quadrature (no allocation per evaluation) */
  private readonly quadOptions: QuadOptions;
  private readonly whereByMode: readonly string[];

  // Evaluation state: instance fields, so the integrands below are allocated once. Only
  // `integral` sets t and mode (and restores them: its fallback re-enters pdf or sf).
  private t = 0;
  private logT = 0;
  private mode = CDF;
  private errorSum = 0;
  private inFallback = false;
  /** end pieces in y: s (or x) = base + dir·y² */
  private base = 0;
  private dir = 1;
  /** probability pieces: q = F, or 1 − F when fromTop */
  private fromTop = false;
  /** shares s at which the integrand has a kink or a jump at the current t: s's own kinks and
   *  where x(s) = t s^(−k) meets one of w's (a mixture's component ends); each piece is split there */
  private breaks: number[] = [];
  /** w's and s's interior kinks (empty unless a law is a mixture or has kinks of its own) */
  private readonly wKinks: readonly number[];
  private readonly sKinks: readonly number[];

  /** integrand of the current mode in s, without Jacobian */
  private g(x: number, s: number): number {
    const fs = this.s.pdf(s);
    if (fs === 0) return 0;
    if (this.mode === CDF) return this.w.cdf(x) * fs;
    if (this.mode === SF) return this.w.sf(x) * fs;
    return (this.w.pdf(x) * fs * x) / this.t; // s^(−k) = x/t
  }
  /** base + dir·y², never rounded onto base itself (a density may be infinite there) */
  private offset(y: number): number {
    const v = this.base + this.dir * y * y;
    return v !== this.base || y === 0 ? v : this.base + this.dir * Math.max(Math.abs(this.base) * EPS, Number.MIN_VALUE);
  }
  private readonly inSquareS = (y: number): number => {
    const s = this.offset(y);
    return 2 * y * this.g(this.t * Math.pow(s, -this.k), s);
  };
  private readonly inSquareX = (y: number): number => {
    const x = this.offset(y);
    const s = Math.pow(this.t / x, this.invK);
    return (2 * y * this.g(x, s) * s) / (this.k * x);
  };
  /** ∫ G dF_s = ∫ G(F_s⁻¹(q)) dq */
  private readonly inProbS = (q: number): number => {
    const s = this.s.quantile(this.fromTop ? 1 - q : q);
    const x = this.t * Math.pow(s, -this.k);
    if (this.mode === CDF) return this.w.cdf(x);
    if (this.mode === SF) return this.w.sf(x);
    return (this.w.pdf(x) * x) / this.t;
  };
  /** f_θ = ∫ f_w(x) f_s(s(x)) s/(k t) dx = ∫ f_s(s(x)) s/(k t) dF_w(x) */
  private readonly inProbW = (q: number): number => {
    const x = this.w.quantile(this.fromTop ? 1 - q : q);
    const s = Math.pow(this.t / x, this.invK);
    return (this.s.pdf(s) * s) / (this.k * this.t);
  };
  private readonly inLogS = (v: number): number => {
    const s = Math.exp(v);
    return this.g(Math.exp(this.logT - this.k * v), s) * s;
  };

  constructor(w: ContinuousDistribution, s: ContinuousDistribution, sigma: number) {
    super();
    this.w = w;
    this.s = s;
    this.sigma = sigma;
    this.k = 1 - sigma;
    this.invK = 1 / this.k;
    this.min = w.min * Math.pow(s.min, this.k);
    this.max = w.max * Math.pow(s.max, this.k);
    // f_θ changes form where the range of shares [s₁, s₀] meets an end of s's support, and where
    // it meets a kink of either law (a mixture's component ends: a reviewer's w with a gap between
    // two uniforms, whose pieces were left to find its jumps alone, solved for many minutes)
    this.wKinks = (w.kinks ?? []).filter((x) => x > w.min && x < w.max);
    this.sKinks = (s.kinks ?? []).filter((x) => x > s.min && x < s.max);
    const wPoints = [w.min, w.max, ...this.wKinks];
    const sPoints = [s.min, s.max, ...this.sKinks];
    const kinks = new Set<number>();
    for (const a of wPoints) for (const b of sPoints) if (this.wKinks.includes(a) || this.sKinks.includes(b) || (a === w.min && b === s.max) || (a === w.max && b === s.min)) kinks.add(a * Math.pow(b, this.k));
    this.kinks = [...kinks].filter((t) => t > this.min && t < this.max).sort((a, b) => a - b);
    this.label = `valueScale(w: ${w.label}; s: ${s.label}; sigma ${fmt(sigma)})`;
    this.sMinSingular = !Number.isFinite(s.pdf(s.min));
    this.sMaxSingular = !Number.isFinite(s.pdf(s.max));
    this.wMinSingular = !Number.isFinite(w.pdf(w.min));
    this.wMaxSingular = !Number.isFinite(w.pdf(w.max));
    this.whereByMode = ["cdf", "sf", "pdf"].map((m) => `${this.label}: ${m}`);
    this.quadOptions = { epsrel: EPSREL, epsabs: 0, maxIntervals: FIRST_PASS_INTERVALS, where: "" };
  }

  cdf(t: number): number {
    if (t <= this.min) return 0;
    if (t >= this.max) return 1;
    const head = this.s.cdf(Math.pow(t / this.w.max, this.invK));
    return Math.min(1, head + this.integral(CDF, t, head));
  }

  sf(t: number): number {
    if (t <= this.min) return 1;
    if (t >= this.max) return 0;
    const head = this.w.min > 0 ? this.s.sf(Math.pow(t / this.w.min, this.invK)) : 0;
    return Math.min(1, head + this.integral(SF, t, head));
  }

  pdf(t: number): number {
    if (!(t > this.min && t < this.max)) {
      if (t === 0 && this.min === 0 && this.w.min === 0) return this.pdfAtZero();
      return t !== t ? NaN : 0;
    }
    return this.integral(PDF, t, 0);
  }

  quantile(u: number): number {
    return this.quantileByBrent(u);
  }

  /**
   * The integral part for `mode` at t, to EPSREL relative to head + integral. Near the corners
   * of the support (t → θ_min, θ_max) the probability and the range [sa, sb] shrink together,
   * and F_w evaluated at x(s) rounded to a double is the same as moving t by a few ulps: an
   * error of ~eps·t·f_θ(t), harmless for every use (h = t − (1 − F)/f moves by ~eps·t). So when
   * EPSREL is out of reach F_θ and 1 − F_θ are accepted at that backward-stable floor,
   * NOISE_ULPS·eps·t·f_θ(t), and f_θ at PDF_FLOOR relative or where its error moves h by less
   * than H_TOL. Anything worse is a NumericalError.
   */
  private integral(mode: number, t: number, head: number): number {
    const savedT = this.t;
    const savedLogT = this.logT;
    const savedMode = this.mode;
    try {
      this.t = t;
      this.logT = Math.log(t);
      this.mode = mode;
      let value = this.pieces(FIRST_PASS_INTERVALS, (EPSREL * head) / 3);
      let tol = EPSREL * (head + Math.abs(value));
      if (this.errorSum <= tol) return value;
      // Inside another evaluation's fallback the value only scales a tolerance: a rough estimate
      // will do, and nesting stops here.
      if (this.inFallback) return value;
      let floor = 0;
      if (mode === PDF && this.errorSum <= PDF_FIRST_PASS_ACCEPT * Math.abs(value)) return value;
      if (mode !== PDF) {
        floor = NOISE_ULPS * EPS * t * this.nested(PDF, t);
        if (this.errorSum <= Math.max(floor, 100 * tol)) return value;
      }
      value = this.pieces(SECOND_PASS_INTERVALS, Math.max(EPSREL * head, floor) / 3);
      tol = EPSREL * (head + Math.abs(value));
      if (mode === PDF) floor = PDF_FLOOR * Math.abs(value);
      if (this.errorSum <= Math.max(floor, 100 * tol)) return value;
      if (mode === PDF) {
        if (this.errorSum * this.nested(SF, t) <= H_TOL * Math.max(t, this.max - this.min) * value * value) return value;
      }
      throw this.failure(value, Math.max(floor, tol));
    } finally {
      this.t = savedT;
      this.logT = savedLogT;
      this.mode = savedMode;
    }
  }

  /** f_θ(t) or 1 − F_θ(t) for a fallback criterion, without further fallbacks */
  private nested(mode: number, t: number): number {
    const mode0 = this.mode;
    const errorSum0 = this.errorSum;
    this.inFallback = true;
    try {
      return mode === PDF ? this.pdf(t) : this.sf(t);
    } finally {
      this.inFallback = false;
      this.mode = mode0;
      this.errorSum = errorSum0;
      this.t = t;
      this.logT = Math.log(t);
    }
  }

  private failure(value: number, tol: number): NumericalError {
    return new NumericalError(
      `${this.whereByMode[this.mode]} at theta = ${this.t}`,
      `quadrature over the shares s did not converge: estimate ${value}, error ${this.errorSum} > ${tol}`,
    );
  }

  /** Σ over the pieces of [sa, sb] (see the header); the error estimates go to errorSum. */
  private pieces(maxIntervals: number, epsabs: number): number {
    const { w, s, k, invK, t } = this;
    const o = this.quadOptions;
    o.maxIntervals = maxIntervals;
    o.epsabs = epsabs;
    o.where = this.whereByMode[this.mode];
    this.errorSum = 0;
    const s1 = Math.pow(t / w.max, invK);
    const s0 = w.min > 0 ? Math.pow(t / w.min, invK) : Infinity;
    const aIsW = s1 > s.min;
    const bIsW = s0 < s.max;
    const sa = aIsW ? s1 : s.min;
    const sb = bIsW ? s0 : s.max;
    if (!(sa < sb)) return 0;
    this.breaks.length = 0;
    for (const sk of this.sKinks) if (sk > sa && sk < sb) this.breaks.push(sk);
    for (const wk of this.wKinks) {
      const sk = Math.pow(t / wk, invK);
      if (sk > sa && sk < sb) this.breaks.push(sk);
    }
    const wide = sb > 4 * sa;
    const leftEnd = wide ? 2 * sa : 0.5 * (sa + sb);
    const rightStart = wide ? 0.5 * sb : leftEnd;
    // x(sa) = w_max when sa is w's end, x(sb) = w_min when sb is.
    let sum = aIsW ? this.wEndPiece(-1, t * Math.pow(leftEnd, -k)) : this.sEndPiece(1, leftEnd);
    // (from the least positive double where sa underflowed to 0: with σ = 0.99, s = (t/w)^100 is
    // below 1e-314 for the low types, and log 0 stopped the solve (an independent checker's); the
    // shares below 5e-324 carry nothing a double can hold)
    if (wide) sum += this.quad(this.inLogS, Math.log(Math.max(leftEnd, Number.MIN_VALUE)), Math.log(rightStart), Math.log);
    sum += bIsW ? this.wEndPiece(1, t * Math.pow(rightStart, -k)) : this.sEndPiece(-1, rightStart);
    return sum;
  }

  /** Piece from an end of s's support (dir = 1: s_min, −1: s_max) to s = other. */
  private sEndPiece(dir: number, other: number): number {
    const s = this.s;
    if (dir > 0 ? this.sMinSingular : this.sMaxSingular) {
      this.fromTop = dir < 0;
      return this.quad(this.inProbS, 0, dir > 0 ? s.cdf(other) : s.sf(other), (sk) => (dir > 0 ? s.cdf(sk) : s.sf(sk)));
    }
    const base = dir > 0 ? s.min : s.max;
    return this.squarePiece(this.inSquareS, base, dir, other, (sk) => Math.sqrt(Math.abs(sk - base)));
  }

  /** Piece from an end of w's support (dir = −1: w_max, 1: w_min) to x = other. */
  private wEndPiece(dir: number, other: number): number {
    const w = this.w;
    const xOf = (sk: number) => this.t * Math.pow(sk, -this.k);
    if (this.mode === PDF && (dir < 0 ? this.wMaxSingular : this.wMinSingular)) {
      this.fromTop = dir < 0;
      return this.quad(this.inProbW, 0, dir < 0 ? w.sf(other) : w.cdf(other), (sk) => (dir < 0 ? w.sf(xOf(sk)) : w.cdf(xOf(sk))));
    }
    const base = dir < 0 ? w.max : w.min;
    return this.squarePiece(this.inSquareX, base, dir, other, (sk) => Math.sqrt(Math.abs(xOf(sk) - base)));
  }

  /** ∫ from the end point `base` to `other` in y = √|· − base|. */
  private squarePiece(f: (y: number) => number, base: number, dir: number, other: number, at: (s: number) => number): number {
    this.base = base;
    this.dir = dir;
    return this.quad(f, 0, Math.sqrt(Math.abs(other - base)), at);
  }

  /** ∫_a^b f, split at the current breaks (shares s) mapped to the piece's variable by `at`. */
  private quad(f: (x: number) => number, a: number, b: number, at?: (s: number) => number): number {
    if (!(a < b)) return 0;
    if (!at || this.breaks.length === 0) return this.quadOne(f, a, b);
    const cuts: number[] = [];
    for (const sk of this.breaks) {
      const v = at(sk);
      if (v > a && v < b) cuts.push(v);
    }
    if (cuts.length === 0) return this.quadOne(f, a, b);
    cuts.sort((x, y) => x - y);
    let sum = 0;
    let lo = a;
    for (const c of cuts) {
      sum += this.quadOne(f, lo, c);
      lo = c;
    }
    return sum + this.quadOne(f, lo, b);
  }

  private quadOne(f: (x: number) => number, a: number, b: number): number {
    if (!(a < b)) return 0;
    const r = gaussKronrod(f, a, b, this.quadOptions);
    this.errorSum += r.error;
    return r.value;
  }

  private zeroLimit: number | undefined;
  /**
   * lim_{t→0} f_θ(t) = f_w(0) E[s^(−k)] when w's support starts at 0 (e.g. 1/σ for w, s ~ U[0,1]);
   * at the other ends of the support the integration range shrinks to a point and f_θ → 0.
   * With s_min = 0, E[s^(−k)] is summed over dyadic pieces [2^(−j−1), 2^(−j)]·s_max, each regular,
   * until they stop contributing; if they grow instead (f_s(s) ≳ s^(k−1) near 0), the limit is +∞.
   */
  private pdfAtZero(): number {
    if (this.zeroLimit !== undefined) return this.zeroLimit;
    const fw0 = this.w.pdf(0);
    if (fw0 === 0) return (this.zeroLimit = 0);
    const { k, s } = this;
    const f = (x: number): number => Math.pow(x, -k) * s.pdf(x);
    const opts = { epsrel: EPSREL, where: `${this.label}: E[s^(-(1-sigma))] for the density at theta = 0` };
    let total = Infinity;
    try {
      if (s.min > 0) {
        total = gaussKronrod(f, s.min, s.max, opts).value;
      } else {
        let sum = 0;
        let previous = Infinity;
        for (let j = 0, hi = s.max; j < 1100 && hi > 1e-300; j++, hi *= 0.5) {
          const piece = gaussKronrod(f, 0.5 * hi, hi, opts).value;
          sum += piece;
          if (piece <= 1e-17 * sum) {
            total = sum;
            break;
          }
          if (j > 8 && piece >= previous) break; // not decaying towards 0: E diverges
          previous = piece;
        }
      }
    } catch (e) {
      if (!(e instanceof NumericalError)) throw e;
      // the integrand overflowed: s^(−k) f_s(s) grows without bound at 0, E = +∞
    }
    return (this.zeroLimit = fw0 * total);
  }
}
