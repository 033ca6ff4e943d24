// Leader vs competitive fringe with θ ~ U[a, b] and γ_F = 0 (docs/model.md 3c, Proposition 4) for a
// whole batch of parameter points in one loop: the scalars of the explicit solution, in closed
// form, written straight into a caller's Float64Array. It is the only code that computes these
// scalars: `lpe solve` calls it with a batch of one (leader-fringe-explicit.ts), a sweep with
// thousands of points (workers/sweep-point.ts), so one solve and a million take the same path.
//
// Why a batch kernel. A sweep point used to cost ~6 µs, nearly all of it overhead around ~40
// pow calls: a scenario object, a distribution object, closures for Brent's method, a result
// record. Here the inputs are a structure of arrays (σ, η_L, c_L, c_F, θ_min, θ_max), nothing is
// allocated per point, there is no closure per equation, and the constants that do not depend
// on c_F are recomputed only when σ, η_L, c_L or the support change from one point to the next.
//
// The mathematics is that of leader-fringe-explicit.ts, with h = 2θ − b, p1 = 1/(1−σ),
// r1 = 1/(1−η_L), pq = σp1/η_L:
//   θ_low formula   (c_F/σ)(c_L/c_F)^(η_L(1−σ)/γ_L)                       (±∞ when γ_L = 0);
//   θ_high          root of G(θ) = r1 ln(η_L h/c_L) − pq ln(σθ/c_F) (ln q^int − ln q̂), which is
//                   increasing and concave on h > 0 (r1 ≥ pq and h ≤ θ): Householder's method
//                   of order 4 (f, f′, f″, f‴: the derivatives of logarithms cost a division
//                   each, the logarithms themselves are what costs), bracketed (a step leaving
//                   the bracket bisects), from the root of G with θ = b in its second term
//                   (there G ≥ 0);
//   empty region 2  the zero of V3 = A h^r1 + k_D θ^(p1−1)((σ−2)θ + b) on [θ_high, min(θ_low, b)],
//                   by the same method on F = ln(A h^r1) − ln(k_D θ^(p1−1)((2−σ)θ − b)), whose
//                   sign is V3's there and which is nearly linear, from F's secant point;
//   the scalars     integrals of powers of θ and of h, with differences of powers formed as
//                   y^r·expm1(r·ln(x/y)) next to each other (full relative precision near
//                   the thresholds); the constants that carry r1 (k_I = (η/c_L)^r1, A, and
//                   their products with θ_max^(r1+1)) from logarithms: with η_L near 1, r1 runs
//                   into the thousands and each factor alone may over- or underflow.
// What a point costs is its logarithms and exponentials (~5 ns each; pow ~45 ns), so each is
// computed once: the root finders hand back ln θ and ln h at the root (from the last iterate's,
// by a three-term series), the θ_low formula its own logarithm, and a constant times a power is
// one exponential of a sum. A bench point takes 17–25 such calls (it took 24–36 and a pow).
// A root is accepted after a step shorter than 2e-5 (θ_high) or 1e-6 (the cut-off) of the
// distance to the nearest singularity of the logarithms (h = 0, or (2−σ)θ = b): the next error
// is then below 1e-19 of that distance, i.e. the roots are exact to rounding, as Brent's were
// (test/lf-uniform-batch). θ_high takes 2 iterations on the benchmark's sweep (Halley took 3).
// A sweep may ask for warm starts (`chain`): each root finder then starts from the point
// before's root when that lies in its bracket, and a step taken with exact logarithms may end
// the iteration at once: 1 iteration per root on the benchmark's sweep (c_F 2.4e-7 apart) and
// a fifth fewer logarithms. The bracket and the acceptance test are those of a cold start, so
// the root is the same to its rounding (workers/sweep-kernel.ts WARM_CHAIN says how a sweep
// keeps its bytes independent of how its points are split).
//
// A point outside the kernel's domain (0 < σ < 1, σ ≤ η_L < 1, c_L, c_F > 0 finite,
// 0 ≤ θ_min < θ_max finite) is not solved: its code is OUTSIDE_DOMAIN, and the caller takes the
// general path, which gives the validation message or another solver. A root finder that does
// not converge gives NOT_CONVERGED (never seen; the caller reports a numerical failure).

/** The scalars of a leader–fringe result, in the order of its scalar record (README "The result object"). */
export const LF_UNIFORM_SCALARS = [
  "profit",
  "consumerSurplus",
  "welfare",
  "rentOverOutsideOption",
  "thetaLow",
  "thetaHigh",
  "region2Empty",
  "fringeOnlyShare",
  "fringeSpend",
  "leaderSpend",
  "fringeSpendShare",
  "etaL",
  "etaF",
  "thetaLowFormula",
  "thetaHighRoot",
] as const;

export type LfUniformScalar = (typeof LF_UNIFORM_SCALARS)[number];

const PROFIT = 0;
const CONSUMER_SURPLUS = 1;
const WELFARE = 2;
const RENT = 3;
const THETA_LOW = 4;
const THETA_HIGH = 5;
const REGION2_EMPTY = 6;
const FRINGE_ONLY_SHARE = 7;
const FRINGE_SPEND = 8;
const LEADER_SPEND = 9;
const FRINGE_SPEND_SHARE = 10;
const ETA_L = 11;
const ETA_F = 12;
const THETA_LOW_FORMULA = 13;
const THETA_HIGH_ROOT = 14;

export const SOLVED = 0;
export const OUTSIDE_DOMAIN = 1;
export const NOT_CONVERGED = 2;

/** The batch's inputs, one entry per point (entries beyond `n` are ignored). */
export interface LfUniformInputs {
  n: number;
  sigma: Float64Array;
  /** η_L = σ + γ_L */
  etaL: Float64Array;
  cL: Float64Array;
  cF: Float64Array;
  thetaMin: Float64Array;
  thetaMax: Float64Array;
  /**
   * Warm starts, for a sweep's consecutive points: point i starts its root finders from the
   * roots of point i − 1 unless first + i is a multiple of `chain` (0 or absent: every point
   * starts cold, as a single solve does). `warm` carries the chain's state [θ_high root, cut-off]
   * in and out: at entry that of point first − 1 (read only when first is not a multiple of
   * chain), at exit that of the last point.
   */
  chain?: number;
  first?: number;
  warm?: Float64Array;
}

/** Where the results go: point i's scalar s at values[i·stride + columns[s]] (columns[s] < 0: not wanted). */
export interface LfUniformTarget {
  values: Float64Array;
  stride: number;
  columns: Int32Array;
  /** per point: SOLVED, OUTSIDE_DOMAIN or NOT_CONVERGED */
  code: Uint8Array;
  /** per point, optional: root-finder iterations */
  iterations?: Int32Array;
}

/** columns for `names` (a name's position in the row), −1 for the scalars not asked for. */
export function lfUniformColumns(names: readonly string[]): Int32Array {
  const cols = new Int32Array(LF_UNIFORM_SCALARS.length).fill(-1);
  names.forEach((name, k) => {
    const s = (LF_UNIFORM_SCALARS as readonly string[]).indexOf(name);
    if (s >= 0) cols[s] = k;
  });
  return cols;
}

const MAX_ITERATIONS = 100;
/** A Householder step (order 4) below this fraction of the distance to the nearest logarithmic
 *  singularity ends the iteration: the error after it is of order (step)⁴/distance³, below
 *  1e-19 of the distance for θ_high. The cut-off's equation subtracts logarithms, whose
 *  derivatives may nearly cancel (a larger error constant): it keeps a smaller threshold. */
const STEP_TOLERANCE_HIGH = 2e-5;
const STEP_TOLERANCE = 1e-6;
/** ln(y/x) is taken as ln y − ln x (logarithms known) when it is at most −DIFF_OF_LOGS: its
 *  absolute rounding, a few 1e-16·(1 + |ln x|), is then below ~2e-15 of it. */
const DIFF_OF_LOGS = 0.25;
/** Beyond this, kT = exp(ln kT) may overflow (exp overflows above ln(MAX_VALUE) ≈ 709.7827). */
const KT_LN_LIMIT = 709.78;

/** e^(u+v) as one exponential, or as e^u·e^v where e^(u+v) would be near the subnormal range
 *  (there each operation on the result rounds to fewer digits, and the product of two normal
 *  numbers rounds once). */
function expSum(u: number, v: number): number {
  const w = u + v;
  if (w > -690) return Math.exp(w);
  // (one factor overflowing and the other underflowing: the sum is still right)
  const x = Math.exp(u) * Math.exp(v);
  return x < Infinity ? x : Math.exp(w);
}

/** c·x for c = e^lnC given (∞ where it overflowed: then e^(lnC + ln x), which may not); 0 where x is. */
function scaled(c: number, lnC: number, x: number): number {
  if (x === 0) return 0;
  if (c < Infinity) return c * x;
  return x > 0 ? Math.exp(lnC + Math.log(x)) : -Math.exp(lnC + Math.log(-x));
}

/** ln(x − s) from ln x for |s/x| ≤ 1e-5: ln x + log1p(−t), t = s/x, by three terms of its
 *  series (the fourth, t⁴/4 < 3e-21, is below rounding). Saves a logarithm per root. */
function lnShift(lnX: number, s: number, x: number): number {
  const t = s / x;
  return lnX - t * (1 + t * (0.5 + t / 3));
}

/** The Householder step of order 4 (f, f′, f″, f‴ at x): x_new = x − step. */
function householderStep(f: number, f1: number, f2: number, f3: number): number {
  return (f * (6 * f1 * f1 - 3 * f * f2)) / (6 * f1 * f1 * f1 - 6 * f * f1 * f2 + f * f * f3);
}

/** x^r − y^r (0 ≤ y ≤ x) given xr = x^r, without cancellation when x ≈ y. */
function powDiffFrom(xr: number, x: number, y: number, r: number): number {
  return -xr * Math.expm1(r * Math.log1p((y - x) / x));
}

// The root finders' arguments and root travel through this array, their iteration count as
// the return value: a double passed to or returned from a function V8 does not inline is boxed,
// a heap allocation per call (with plain arguments the kernel allocated ~300 bytes a point, and
// garbage collection took a tenth of a sweep).
const io = new Float64Array(9);
let rootIterations = 0;

/**
 * Root of G(θ) = r1 (c1 + ln(2θ − b)) − pq (c2 + ln θ) in (lo, b), G(lo) < 0 < G(b) (lo ≥ b/2),
 * with io = [r1, pq, c1, c2, ln b, lo, b]; the root (NaN when it does not converge) in io[0],
 * ln of the root in io[1] and ln(2·root − b) in io[2] (the scalars' integrals need both).
 */
function thetaHighRoot(): void {
  const r1 = io[0];
  const pq = io[1];
  const c1 = io[2];
  const c2 = io[3];
  const lnB = io[4];
  const b = io[6];
  let L = io[5];
  let R = b;
  // root with θ = b in the second term: G(x) = pq ln(b/x) ≥ 0 there; ln h(x) is the
  // exponential's argument, up to the rounding of x = (b + h)/2 (NaN: not known)
  const warm = io[7];
  let lnH0 = NaN;
  let x = warm;
  if (!(warm > L && warm < R)) {
    lnH0 = (pq * (c2 + lnB)) / r1 - c1;
    x = 0.5 * (b + Math.exp(lnH0));
  }
  if (!(x > L && x < R)) {
    x = 0.5 * (L + R);
    lnH0 = NaN;
  }
  for (let it = 1; it <= MAX_ITERATIONS; it++) {
    const h = 2 * x - b;
    // at the start, ln h is known up to ~ulp(b)/h: enough for a step (its error is ~ulp(x)),
    // not to judge the root's side or to accept a root, which wait for a logarithm of their own
    const guess = lnH0 === lnH0;
    const lnH = guess ? lnH0 : Math.log(h);
    lnH0 = NaN;
    const lnX = Math.log(x);
    const g = r1 * (c1 + lnH) - pq * (c2 + lnX);
    if (guess) {
      // the bracket keeps its ends until g is computed with ln h of its own
    } else if (g < 0) L = x;
    else if (g > 0) R = x;
    else {
      rootIterations = it;
      io[0] = x;
      io[1] = lnX;
      io[2] = lnH;
      return;
    }
    const ih = 1 / h;
    const ix = 1 / x;
    const g1 = 2 * r1 * ih - pq * ix;
    const g2 = -4 * r1 * ih * ih + pq * ix * ix;
    const g3 = 16 * r1 * ih * ih * ih - 2 * pq * ix * ix * ix;
    const step = householderStep(g, g1, g2, g3);
    let xn = x - step;
    if (!guess && Math.abs(step) <= STEP_TOLERANCE_HIGH * 0.5 * h && xn >= L && xn <= R) {
      rootIterations = it;
      io[0] = xn;
      io[1] = lnShift(lnX, step, x);
      io[2] = lnShift(lnH, 2 * step, h);
      return;
    }
    if (!(xn > L && xn < R)) xn = 0.5 * (L + R);
    if (!(R - L > 4 * Number.EPSILON * R)) {
      rootIterations = it;
      io[0] = xn;
      io[1] = Math.log(xn);
      io[2] = Math.log(2 * xn - b);
      return;
    }
    x = xn;
  }
  rootIterations = MAX_ITERATIONS;
  io[0] = NaN;
}

/**
 * F(θ) = lnA + r1 ln(2θ − b) − lnKD − (p1 − 1) ln θ − ln(mθ − b), m = 2 − σ: where mθ > b it has
 * the sign of V3(θ) = A h^r1 − k_D θ^(p1−1)(mθ − b) (the region-3 virtual value), and where
 * mθ ≤ b, V3 ≥ 0 (returned as +∞). `lnT`, `lnH`: ln θ and ln(2θ − b), known to the caller.
 */
function region3Sign(lnA: number, r1: number, lnKD: number, q: number, m: number, b: number, t: number, lnT: number, lnH: number): number {
  const d = m * t - b;
  return d > 0 ? lnA + r1 * lnH - lnKD - q * lnT - Math.log(d) : Infinity;
}

/**
 * Zero of V3 on (lo, hi) where V3(lo) < 0 < V3(hi): the root of F (region3Sign), nearly linear,
 * from x0 (F's secant point), with io = [lnA, r1, lnKD, p1, m, b, lo, hi, x0]; the root in
 * io[0], ln of the root in io[1], ln(2·root − b) in io[2].
 */
function cutoffRoot(): void {
  const lnA = io[0];
  const r1 = io[1];
  const lnKD = io[2];
  const p1 = io[3];
  const m = io[4];
  const b = io[5];
  const x0 = io[8];
  let L = io[6];
  let R = io[7];
  let x = x0 > L && x0 < R ? x0 : 0.5 * (L + R);
  const q = p1 - 1;
  for (let it = 1; it <= MAX_ITERATIONS; it++) {
    const h = 2 * x - b;
    const d = m * x - b;
    const lnX = Math.log(x);
    const lnH = Math.log(h);
    const f = lnA + r1 * lnH - lnKD - q * lnX - Math.log(d);
    if (f < 0) L = x;
    else if (f > 0) R = x;
    else {
      rootIterations = it;
      io[0] = x;
      io[1] = lnX;
      io[2] = lnH;
      return;
    }
    const ih = 1 / h;
    const ix = 1 / x;
    const id = 1 / d;
    const f1 = 2 * r1 * ih - q * ix - m * id;
    const f2 = -4 * r1 * ih * ih + q * ix * ix + m * m * id * id;
    const f3 = 16 * r1 * ih * ih * ih - 2 * q * ix * ix * ix - 2 * m * m * m * id * id * id;
    const step = householderStep(f, f1, f2, f3);
    let xn = x - step;
    if (Math.abs(step) <= (STEP_TOLERANCE * d) / m && xn >= L && xn <= R) {
      rootIterations = it;
      io[0] = xn;
      io[1] = lnShift(lnX, step, x);
      io[2] = lnShift(lnH, 2 * step, h);
      return;
    }
    if (!(xn > L && xn < R)) xn = 0.5 * (L + R);
    if (!(R - L > 4 * Number.EPSILON * R)) {
      rootIterations = it;
      io[0] = xn;
      io[1] = Math.log(xn);
      io[2] = Math.log(2 * xn - b);
      return;
    }
    x = xn;
  }
  rootIterations = MAX_ITERATIONS;
  io[0] = NaN;
}

/**
 * Solve points 0 … n−1 of `inp` into `out`. Returns the number of points not SOLVED.
 */
export function solveLfUniformBatch(inp: LfUniformInputs, out: LfUniformTarget): number {
  const { n, sigma, etaL, cL, cF, thetaMin, thetaMax } = inp;
  const { values, stride, columns: col, code, iterations } = out;
  const wantProfit = col[PROFIT] >= 0 || col[WELFARE] >= 0;
  const wantRent = col[RENT] >= 0 || col[CONSUMER_SURPLUS] >= 0 || col[WELFARE] >= 0;
  const wantOutside = col[CONSUMER_SURPLUS] >= 0 || col[WELFARE] >= 0;
  const wantFringe = col[FRINGE_SPEND] >= 0 || col[FRINGE_SPEND_SHARE] >= 0;
  const wantLeader = col[LEADER_SPEND] >= 0 || col[FRINGE_SPEND_SHARE] >= 0;

  // constants of (σ, η_L, c_L, a, b), kept while they do not change
  let ps = NaN;
  let pe = NaN;
  let pcl = NaN;
  let pa = NaN;
  let pb = NaN;
  let p1 = 0;
  let r1 = 0;
  let pq = 0;
  let c1 = 0;
  let lnB = 0;
  // logarithms of k_I = (η/c_L)^r1, of k_I^η and of A = (1 − η)k_I^η, V3's constant: with η_L
  // near 1, r1 = 1/(1 − η_L) runs into the thousands and k_I itself under- or overflows
  let lnKI = 0;
  let lnKIe = 0;
  let lnA = 0;
  let hz = 0;
  let f = 0;
  let lowExp = 0;
  let gL = 0;
  let lnS = 0;
  let lnCl = 0;
  // b^(p1+1), b^p1, ln b^(r1+1), and ∫_a^b θ^p1 (the outside option's integral)
  let bP1 = 0;
  let bP0 = 0;
  let lnBR1 = 0;
  // A·b^(r1+1), k_I^η·b^(r1+1), k_I·b^(r1+1) (∞ where the product overflows: then per point)
  let aB = 0;
  let kIeB = 0;
  let kIB = 0;
  let outsideInt = 0;
  // reciprocals of the integrals' exponents
  let iPq1 = 0;
  let iP11 = 0;
  let iP1 = 0;
  let iR12 = 0;

  // warm starts: the roots of the point before, where it is of the same chain (NaN: start cold)
  const chain = inp.chain ?? 0;
  const warm = inp.warm;
  let pos = chain > 0 ? (inp.first ?? 0) % chain : 0;
  let prevRoot = pos > 0 && warm ? warm[0] : NaN;
  let prevCut = pos > 0 && warm ? warm[1] : NaN;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    if (pos === 0) {
      prevRoot = NaN;
      prevCut = NaN;
    }
    if (++pos >= chain) pos = 0;
    const s = sigma[i];
    const e = etaL[i];
    const cl = cL[i];
    const cf = cF[i];
    const a = thetaMin[i];
    const b = thetaMax[i];
    if (!(s > 0 && s < 1 && e >= s && e < 1 && cl > 0 && cl < Infinity && cf > 0 && cf < Infinity && a >= 0 && a < b && b < Infinity)) {
      code[i] = OUTSIDE_DOMAIN;
      bad++;
      continue;
    }
    if (s !== ps || e !== pe || cl !== pcl || a !== pa || b !== pb) {
      ps = s;
      pe = e;
      pcl = cl;
      pa = a;
      pb = b;
      p1 = 1 / (1 - s);
      r1 = 1 / (1 - e);
      pq = (s * p1) / e;
      c1 = Math.log(e / cl);
      lnS = Math.log(s);
      lnCl = Math.log(cl);
      lnB = Math.log(b);
      // (k_I = (η/c_L)^r1 by pow underflowed to 0 at η_L = 0.99926, c_L = 3.15, and A = 0 put
      // the cut-off at b: no leader sales and profit 0, "exact by closed form", where the
      // profit is 2e188 — an independent checker's point, 5 Dec 2026)
      lnKI = r1 * c1;
      lnKIe = e * lnKI;
      lnA = Math.log1p(-e) + lnKIe;
      hz = Math.max(a, b / 2);
      f = 1 / (b - a);
      gL = e - s;
      lowExp = (e * (1 - s)) / gL;
      bP1 = Math.pow(b, p1 + 1);
      bP0 = Math.pow(b, p1);
      lnBR1 = (r1 + 1) * lnB;
      aB = expSum(lnA, lnBR1);
      kIeB = expSum(lnKIe, lnBR1);
      kIB = expSum(lnKI, lnBR1);
      outsideInt = powDiffFrom(bP1, b, a, p1 + 1) / (p1 + 1);
      iPq1 = 1 / (pq + 1);
      iP11 = 1 / (p1 + 1);
      iP1 = 1 / p1;
      iR12 = 1 / (2 * (r1 + 1));
    }
    let iters = 0;

    // ---- thresholds (leader-fringe-explicit.ts explicitThresholds)
    const lnCf = Math.log(cf);
    // ln(σ/c_F), the exponent of every power of T: absolute error ~1e-16·(1 + |ln c_F|), as
    // log(σ/c_F) has
    const c2 = lnS - lnCf;
    // θ_low formula (c_F/σ)(c_L/c_F)^lowExp. Its logarithm (for the exponents of the integrals
    // and the cut-off's bracket) comes free from ln c_F where lowExp·(|ln c_L| + |ln c_F|) ≤ 8,
    // and the formula is then its exponential, as accurate as pow (against 40-digit values on
    // 20,000 random parameter points: max relative error 3.1e-15 by exp, 3.8e-15 by pow, from
    // the rounding of c_L/c_F or of the logarithms raised to lowExp; 4.2e-16 and 3.8e-16 on the
    // benchmark's sweep) at a tenth of pow's cost (~5 ns against ~45 ns). Elsewhere, pow.
    let thetaLowFormula = 0;
    let lnTLF = NaN;
    if (gL > 0) {
      if (lowExp * (Math.abs(lnCl) + Math.abs(lnCf)) <= 8) {
        lnTLF = lnCf - lnS + lowExp * (lnCl - lnCf);
        thetaLowFormula = Math.exp(lnTLF);
      } else thetaLowFormula = (cf / s) * Math.pow(cl / cf, lowExp);
    } else thetaLowFormula = cf > cl ? -Infinity : Infinity;
    const kD = Math.exp(s * p1 * c2);
    // the root θ_high and the logarithms of θ_high and of h(θ_high) = 2θ_high − b (h(b) = b)
    let root = b;
    let lnRoot = lnB;
    let lnHRoot = lnB;
    let atA = false;
    const ha = 2 * a - b;
    if (hz === a && ha > 0) {
      const lnHa = Math.log(ha);
      const lnA0 = Math.log(a);
      if (r1 * (c1 + lnHa) - pq * (c2 + lnA0) >= 0) {
        atA = true;
        root = a;
        lnRoot = lnA0;
        lnHRoot = lnHa;
      }
    }
    if (!atA && r1 * (c1 + lnB) - pq * (c2 + lnB) > 0) {
      io[0] = r1;
      io[1] = pq;
      io[2] = c1;
      io[3] = c2;
      io[4] = lnB;
      io[5] = hz;
      io[6] = b;
      io[7] = prevRoot;
      thetaHighRoot();
      root = io[0];
      prevRoot = root;
      lnRoot = io[1];
      lnHRoot = io[2];
      iters += rootIterations;
      if (!(root === root)) {
        code[i] = NOT_CONVERGED;
        bad++;
        continue;
      }
    }
    // (numbers from the start: a variable that may hold undefined is kept boxed, a heap
    // allocation at every assignment in this loop)
    let thetaLow = NaN;
    let thetaHigh = NaN;
    let empty = false;
    // ln θ_low where it came free (NaN: not known)
    let lnTL = NaN;
    // ln θ and ln h(θ) at the lower end of region 3, lo3 = max(θ_high, a) = θ_high: the root, or
    // the cut-off where region 2 is empty (θ_high ≥ a either way)
    let lnT3 = lnRoot;
    let lnH3 = lnHRoot;
    if (thetaLowFormula < root) {
      thetaLow = Math.min(Math.max(thetaLowFormula, a), b);
      if (thetaLow === thetaLowFormula) lnTL = lnTLF;
      thetaHigh = root;
      empty = !(thetaHigh > thetaLow);
    } else {
      const hi = Math.min(thetaLowFormula, b);
      const lo = root;
      let cut = NaN;
      let lnHCut = lnHRoot;
      if (!(hi > lo)) {
        cut = lo;
        lnTL = lnRoot;
      } else {
        const q = p1 - 1;
        const m = 2 - s;
        const lnKD = s * p1 * c2;
        const lnHi = hi === b ? lnB : lnTLF === lnTLF ? lnTLF : Math.log(hi);
        // (2·hi − b > 0: hi > lo ≥ b/2)
        const lnHHi = Math.log(2 * hi - b);
        const fHi = region3Sign(lnA, r1, lnKD, q, m, b, hi, lnHi, lnHHi);
        if (fHi <= 0) {
          cut = hi;
          lnTL = lnHi;
          lnHCut = lnHHi;
        } else {
          const fLo = region3Sign(lnA, r1, lnKD, q, m, b, lo, lnRoot, lnHRoot);
          if (fLo >= 0) {
            cut = lo;
            lnTL = lnRoot;
          } else {
            io[0] = lnA;
            io[1] = r1;
            io[2] = lnKD;
            io[3] = p1;
            io[4] = m;
            io[5] = b;
            io[6] = lo;
            io[7] = hi;
            io[8] = prevCut > lo && prevCut < hi ? prevCut : lo - (fLo * (hi - lo)) / (fHi - fLo);
            cutoffRoot();
            cut = io[0];
            prevCut = cut;
            lnTL = io[1];
            lnHCut = io[2];
            iters += rootIterations;
            if (!(cut === cut)) {
              code[i] = NOT_CONVERGED;
              bad++;
              continue;
            }
          }
        }
      }
      thetaLow = cut;
      thetaHigh = cut;
      empty = true;
      lnT3 = lnTL;
      lnH3 = lnHCut;
    }

    // ---- closed-form scalars (as uniformClosedForm had them). Every difference of powers
    // x^r − y^r (y ≤ x) is −x^r·expm1(r·ln(y/x)) with ln(y/x) shared by the exponents of the
    // same pair: exact next to the thresholds, and a logarithm and an exponential where pow(x, r)
    // cost several times as much. ln(y/x) is the difference of logarithms the thresholds already
    // gave where that difference is at least DIFF_OF_LOGS (its rounding then stays below ~2e-15
    // relative), else log1p((y − x)/x), exact next to the thresholds. A constant times a power,
    // kT·θ^(p1+1) or kq·θ^(pq+1), is one exponential of the sum of their logarithms.
    // Every term is formed even where its integral is 0, as the closed forms always were: an
    // infinite constant (c_F so small that T overflows) then makes the scalar NaN, and the
    // point fails as not finite, instead of a share computed from a half-overflowed spend.
    // Where kT may overflow (ln kT > KT_LN_LIMIT, so kq = kT^(σ/η) and kD = kT^σ may not), the
    // constants are formed on their own, so the scalars overflow exactly as the closed forms did.
    const lo2 = Math.max(thetaLow, a);
    const lo3 = Math.max(thetaHigh, a);
    const has2 = thetaHigh > lo2;
    const has3 = b > lo3;
    const lnKT = p1 * c2;
    const lnKq = (s / e) * lnKT;
    const huge = lnKT > KT_LN_LIMIT;
    // (where not huge, the constants kT and kq themselves are needed only by the outside option)
    const kT = huge || wantOutside ? Math.exp(lnKT) : 0;
    const kq = huge ? Math.exp(lnKq) : 0;
    let kTip2 = 0; // kT·∫_{lo2}^{θ_high} θ^p1
    let kqIq2 = 0; // kq·∫_{lo2}^{θ_high} θ^pq
    if ((wantProfit || wantLeader) && has2) {
      // region 2 is not empty only where θ_high is the root (and θ_low > a is its lower end)
      const lnTH = lnRoot;
      const dl = lo2 === thetaLow && lnTL === lnTL ? lnTL - lnTH : 0;
      const l2 = dl <= -DIFF_OF_LOGS ? dl : Math.log1p((lo2 - thetaHigh) / thetaHigh);
      const eq = Math.expm1((pq + 1) * l2) * iPq1;
      kqIq2 = huge ? kq * (-Math.exp((pq + 1) * lnTH) * eq) : -expSum(lnKq, (pq + 1) * lnTH) * eq;
      if (wantProfit) {
        const ep = Math.expm1((p1 + 1) * l2) * iP11;
        kTip2 = huge ? kT * (-Math.exp((p1 + 1) * lnTH) * ep) : -expSum(lnKT, (p1 + 1) * lnTH) * ep;
      }
    } else if (huge) {
      kTip2 = kT * 0;
      kqIq2 = kq * 0;
    }
    // h = 2θ − b runs from H0 = h(lo3) to h(b) = b on region 3
    let lH = 0;
    if (has3 && (wantProfit || wantLeader || wantRent)) {
      const dl = lnH3 - lnB;
      lH = dl <= -DIFF_OF_LOGS ? dl : Math.log1p((2 * lo3 - b - b) / b);
    }
    // ∫ h^r1 over region 3 is b^(r1+1)·e3; the constants times b^(r1+1) are exponentials of sums
    // of logarithms (k_I and b^(r1+1) may each over- or underflow where their product does not)
    const e3 = (wantProfit || wantLeader) && has3 ? -Math.expm1((r1 + 1) * lH) * iR12 : 0;
    let ip3 = 0; // ∫_{lo3}^{b} θ^p1
    let im3 = 0; // ∫_{lo3}^{b} θ^(p1−1)
    if ((wantProfit || wantRent) && has3) {
      const dl = lnT3 - lnB;
      const l3 = dl <= -DIFF_OF_LOGS ? dl : Math.log1p((lo3 - b) / b);
      ip3 = -bP1 * Math.expm1((p1 + 1) * l3) * iP11;
      im3 = -bP0 * Math.expm1(p1 * l3) * iP1;
    }
    let profit = NaN;
    if (wantProfit) {
      const served2 = f * (cf * kTip2 - cl * kqIq2);
      const aJ3 = scaled(aB, lnA + lnBR1, e3); // A·∫ h^r1
      const profit3 = f * (aJ3 + kD * (s - 2) * ip3 + b * kD * im3);
      profit = served2 + profit3;
    }
    let rent = NaN;
    if (wantRent) {
      // k_I^η ∫ (b − θ) h^(r1−1)… over region 3, as b^(r1+1) times the bracket
      const k3 = has3 ? 0.25 * (-Math.expm1(r1 * lH) / r1 + Math.expm1((r1 + 1) * lH) / (r1 + 1)) : 0;
      const kIeK3 = scaled(kIeB, lnKIe + lnBR1, k3);
      rent = f * (kIeK3 - kD * (b * im3 - ip3));
    }
    let consumerSurplus = NaN;
    if (wantOutside) consumerSurplus = f * ((cf * kT * (1 - s)) / s) * outsideInt + rent;
    let fringeSpend = NaN;
    if (wantFringe) {
      // kT·∫_a^{θ_low} θ^p1
      let kTfringe = 0;
      if (thetaLow > a) {
        const lnT = lnTL === lnTL ? lnTL : Math.log(thetaLow);
        const ktl = huge ? kT * Math.exp((p1 + 1) * lnT) : expSum(lnKT, (p1 + 1) * lnT);
        kTfringe = (a > 0 ? powDiffFrom(ktl, thetaLow, a, p1 + 1) : ktl) * iP11;
      } else if (huge) kTfringe = kT * 0;
      fringeSpend = cf * (f * kTfringe);
    }
    let leaderSpend = NaN;
    if (wantLeader) leaderSpend = cl * (f * kqIq2 + f * scaled(kIB, lnKI + lnBR1, e3));

    const o = i * stride;
    let c = -1;
    if ((c = col[PROFIT]) >= 0) values[o + c] = profit;
    if ((c = col[CONSUMER_SURPLUS]) >= 0) values[o + c] = consumerSurplus;
    if ((c = col[WELFARE]) >= 0) values[o + c] = profit + consumerSurplus;
    if ((c = col[RENT]) >= 0) values[o + c] = rent;
    if ((c = col[THETA_LOW]) >= 0) values[o + c] = thetaLow;
    if ((c = col[THETA_HIGH]) >= 0) values[o + c] = thetaHigh;
    if ((c = col[REGION2_EMPTY]) >= 0) values[o + c] = empty ? 1 : 0;
    if ((c = col[FRINGE_ONLY_SHARE]) >= 0) values[o + c] = (Math.min(Math.max(thetaLow, a), b) - a) * f;
    if ((c = col[FRINGE_SPEND]) >= 0) values[o + c] = fringeSpend;
    if ((c = col[LEADER_SPEND]) >= 0) values[o + c] = leaderSpend;
    if ((c = col[FRINGE_SPEND_SHARE]) >= 0) {
      const total = fringeSpend + leaderSpend;
      values[o + c] = total > 0 ? fringeSpend / total : 0;
    }
    if ((c = col[ETA_L]) >= 0) values[o + c] = e;
    if ((c = col[ETA_F]) >= 0) values[o + c] = s;
    if ((c = col[THETA_LOW_FORMULA]) >= 0) values[o + c] = thetaLowFormula;
    if ((c = col[THETA_HIGH_ROOT]) >= 0) values[o + c] = root;
    code[i] = SOLVED;
    if (iterations) iterations[i] = iters;
  }
  if (warm) {
    warm[0] = prevRoot;
    warm[1] = prevCut;
  }
  return bad;
}
