// Beta(a, b) type distribution rescaled to [min, max] (docs/model.md section 2). The survival
// function is the upper regularized incomplete beta (stdlib betainc with upper = true), not
// 1 − F, so h(θ) = θ − (1 − F)/f stays accurate up to θ_max where both 1 − F and f vanish.
// With integer a and b (n = a + b − 1 ≤ BINOMIAL_MAX_N) F is a binomial tail instead:
// I_x(a, b) = P(Bin(n, x) ≥ a) = Σ_{j=a}^{n} C(n, j) x^j (1 − x)^(n−j), and 1 − F the sum over
// j < a: finite sums of positive terms, summed outward from the term nearest the mode (so none
// underflows before its larger neighbours), accurate to a few ulps times n, at a fifth of the
// cost of betainc's continued fraction (the ironed bimodal leader–fringe market evaluated F
// ~300,000 times a solve, half its time).

import { ContinuousBase } from "./continuous-base.js";
import { fmt, requirePositive, requireSupport } from "./param-checks.js";
import { lazyFunction, lazyModule } from "../lazy-require.js";

const betainc = lazyFunction<typeof import("@stdlib/math-base-special-betainc")>("@stdlib/math-base-special-betainc");
const betaPdf = lazyModule<typeof import("@stdlib/stats-base-dists-beta-pdf")>("@stdlib/stats-base-dists-beta-pdf");
const betaQuantile = lazyFunction<typeof import("@stdlib/stats-base-dists-beta-quantile")>("@stdlib/stats-base-dists-beta-quantile");

const EPS = 2.220446049250313e-16;
/** A tail below this leaves 1 − tail = 1 in doubles (2^−54: 1 − 2^−54 rounds to 1, to even). */
const ROUNDS_TO_ONE = 2 ** -54;
/** Largest n = a + b − 1 summed as a binomial tail (at most n + 1 terms a call). */
const BINOMIAL_MAX_N = 100;

export class BetaDistribution extends ContinuousBase {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly a: number;
  readonly b: number;
  /** a, b ≥ 1: log-concave density, increasing hazard rate, so h is increasing */
  readonly regular: boolean;
  private readonly width: number;
  /** stdlib's density on [0, 1], made on first use (pdf's fallback and its 1/B: a sweep's
   *  validation builds the law of every point and seldom evaluates it) */
  private unitPdfFn?: (x: number) => number;
  private unitPdf(x: number): number {
    return (this.unitPdfFn ??= betaPdf().factory(this.a, this.b))(x);
  }
  /** C(n, j), j = 0..n (each the double nearest the integer), when a and b are integers with
   *  n = a + b − 1 ≤ BINOMIAL_MAX_N */
  private readonly choose?: Float64Array;

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
    const n = a + b - 1;
    if (Number.isInteger(a) && Number.isInteger(b) && n <= BINOMIAL_MAX_N) {
      // exact integers, rounded once (a sum of logs of factorials lost 1e-13 at n = 100)
      const c = new Float64Array(n + 1);
      let exact = 1n;
      for (let j = 0; j <= n; j++) {
        c[j] = Number(exact);
        exact = (exact * BigInt(n - j)) / BigInt(j + 1);
      }
      this.choose = c;
    }
    this.label = `beta(${fmt(a)}, ${fmt(b)}) on [${fmt(min)}, ${fmt(max)}]`;
  }

  cdf(t: number): number {
    if (t <= this.min) return 0;
    if (t >= this.max) return 1;
    const x = (t - this.min) / this.width;
    // (clamped: a sum of binomial terms near 1 rounds above it by up to ~10 ulps — sf read
    // 1.0000000000000024 for beta(16, 29) —, and a cdf above 1 turned Λ − F negative where the
    // density vanishes, which made the leader–fringe bound infinite on beta(2, 50))
    if (this.choose) return unit(this.binomialSum(x, this.a, this.choose.length - 1));
    // far in a tail, where the answer rounds to 1 or 0 (tailRoundsTo): betainc's continued fraction
    // took 258 µs a call at Beta(34, 100001)'s upper tail, and a fuzzed mixture's monopoly 60 s
    if (this.tailRoundsTo(x, false, 1)) return 1;
    if (this.tailRoundsTo(x, true, 0)) return 0;
    return unit(betainc(x, this.a, this.b, true, false));
  }

  sf(t: number): number {
    if (t <= this.min) return 1;
    if (t >= this.max) return 0;
    const x = (t - this.min) / this.width;
    if (this.choose) return unit(this.binomialSum(x, 0, this.a - 1));
    if (this.tailRoundsTo(x, false, 0)) return 0;
    if (this.tailRoundsTo(x, true, 1)) return 1;
    return unit(betainc(x, this.a, this.b, true, true));
  }

  /**
   * Whether I_x(a, b) (`lower`) or 1 − I_x(a, b) = I_{1−x}(b, a) rounds to `to`: 0 (the tail is
   * below half the least subnormal double) or 1 (the tail is below 2^−54, so 1 − tail rounds to
   * 1). The bound is the series I_z(p, q) = z^p (1 − z)^q / (p B(p, q)) · Σ_n (p + q)_n / (p + 1)_n
   * z^n (DLMF 8.17.8 with 8.17.7): its terms' ratio is at most ρ = z · max((p + q)/(p + 1), 1), so
   * the sum is at most 1/(1 − ρ) when ρ < 1; z^p (1 − z)^q / B(p, q) is the density at x times
   * x(1 − x), the same for both tails. False where the bound does not hold (ρ ≥ 1, near the mode).
   */
  private tailRoundsTo(x: number, lower: boolean, to: 0 | 1): boolean {
    const [p, q, z] = lower ? [this.a, this.b, x] : [this.b, this.a, 1 - x];
    const rho = z * Math.max((p + q) / (p + 1), 1);
    if (!(rho < 1)) return false;
    const factor = (x * (1 - x)) / p / (1 - rho);
    if (!(factor < 1e290)) return false;
    // (cdf and sf ask both tails at one x: the density computed once)
    if (x !== this.boundX) {
      this.boundX = x;
      this.boundPdf = this.unitPdf(x);
    }
    const f = this.boundPdf;
    if (!(f >= 0) || f === Infinity) return false;
    // (a density that underflowed to 0 is below the least subnormal, 2^−1074)
    if (to === 1) return f * factor < ROUNDS_TO_ONE;
    return f === 0 ? factor <= 0.5 : 2 * f * factor < Number.MIN_VALUE;
  }

  /** the last x whose density tailRoundsTo computed, and that density */
  private boundX = NaN;
  private boundPdf = NaN;

  /** Σ_{j=lo}^{hi} C(n, j) x^j (1 − x)^(n−j), 0 < x < 1 (header). */
  private binomialSum(x: number, lo: number, hi: number): number {
    const C = this.choose!;
    const n = C.length - 1;
    const y = 1 - x;
    // start at the term of [lo, hi] nearest the mode n·x; the terms fall away from it
    const m = Math.min(hi, Math.max(lo, Math.round(n * x)));
    const xm = Math.pow(x, m);
    const yk = Math.pow(y, n - m);
    // (in logs only where a power leaves the normal range: a few ulps where it does not)
    const pm = xm > 1e-290 && yk > 1e-290 ? C[m] * xm * yk : Math.exp(Math.log(C[m]) + m * Math.log(x) + (n - m) * Math.log1p(-x));
    const r = x / y;
    let up = 0;
    let p = pm;
    for (let j = m; j < hi; j++) {
      p *= ((n - j) / (j + 1)) * r;
      up += p;
      if (p <= up * 1e-17) break;
    }
    let down = 0;
    p = pm;
    for (let j = m; j > lo; j--) {
      p *= (j / (n - j + 1)) / r;
      down += p;
      if (p <= down * 1e-17) break;
    }
    return pm + up + down;
  }

  /**
   * h(θ) = θ − (1 − F)/f. In the upper tail the quotient comes from the continued fraction of
   * the incomplete beta (Lentz's method, as in Numerical Recipes' betacf; stdlib computes the
   * fraction inside betainc but does not expose it): with x = (θ − min)/width and y = 1 − x,
   *     1 − F = I_y(b, a) = x^a y^b cf / (b B(a, b)),   f = x^(a−1) y^(b−1) / (B(a, b) width),
   * so (1 − F)/f = width · x y cf / b, with no power of x or y left to underflow. Why: for a
   * narrow law both 1 − F and f fall below 1e-308 well inside the support (Beta(200, 200) from
   * θ ≈ 0.98), where their quotient was noise, the allocation with it, and the rent integral
   * over those types failed (a reviewer's `lpe solve`, exit 1). The fraction converges fast for
   * y < (b + 1)/(a + b + 2); elsewhere 1 − F is not small and the plain quotient is used.
   */
  override virtualType(t: number): number {
    if (t >= this.max) return t;
    const x = (t - this.min) / this.width;
    const y = 1 - x;
    if (t > this.min && y < (this.b + 1) / (this.a + this.b + 2)) {
      const cf = betaContinuedFraction(this.b, this.a, y);
      if (cf > 0) return t - (this.width * x * y * cf) / this.b;
    }
    return super.virtualType(t);
  }

  /**
   * f(θ) = x^(a−1) y^(b−1) / (B(a, b) · width), x = (θ − min)/width and y = (max − θ)/width (y
   * from max, not 1 − x: exact to rounding near the top). Powers and a product, where stdlib's
   * pdf takes exp of a sum of ln(x), log1p(−x) and ln B (~0.1 µs a call, 10 % of a Beta(2, 2)
   * leader–fringe sweep, whose quadrature calls it at every node); stdlib's where a power leaves
   * the normal range (narrow or very skewed laws) or 1/B is not known to be clean.
   */
  pdf(t: number): number {
    if (t < this.min || t > this.max) return 0;
    const x = (t - this.min) / this.width;
    const inv = this.invBetaWidth;
    if (inv > 0) {
      const v = Math.pow(x, this.a - 1) * Math.pow((this.max - t) / this.width, this.b - 1);
      if (v > 1e-290 && v < 1e290) return v * inv;
    }
    return this.unitPdf(x) / this.width;
  }

  /** 1/(B(a, b) · width), from stdlib's pdf at one interior point, or 0 where that is not clean
   *  (the pdf there outside the normal range, or a power of it: pdf then uses stdlib's alone). */
  private get invBetaWidth(): number {
    if (this.invB === undefined) {
      const { a, b } = this;
      // the mode where there is one inside, else the middle: the density is largest there
      const x0 = a > 1 && b > 1 ? (a - 1) / (a + b - 2) : 0.5;
      const p0 = this.unitPdf(x0);
      const pw = Math.pow(x0, a - 1) * Math.pow(1 - x0, b - 1);
      const inv = p0 / pw / this.width;
      this.invB = p0 > 1e-290 && p0 < 1e290 && pw > 1e-290 && pw < 1e290 && Number.isFinite(inv) && inv > 0 ? inv : 0;
    }
    return this.invB;
  }
  private invB: number | undefined;

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

/**
 * The continued fraction cf of I_x(a, b) = x^a (1 − x)^b cf / (a B(a, b)), by Lentz's method;
 * it converges in O(√max(a, b)) steps for x < (a + 1)/(a + b + 2). NaN if it has not converged
 * in 1000 steps (the caller then uses 1 − F and f themselves).
 */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= EPS) return h;
  }
  return NaN;
}

/** A probability rounded into [0, 1]. */
function unit(p: number): number {
  return p > 1 ? 1 : p < 0 ? 0 : p;
}
