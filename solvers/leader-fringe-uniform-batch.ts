// Leader vs competitive fringe with θ ~ U[a, b] and γ_F = 0 (MODEL.md 3c, Proposition 4) for a
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
//                   increasing and concave on h > 0 (r1 ≥ pq and h ≤ θ): Halley's method,
//                   bracketed (a step leaving the bracket bisects), from the root of G with
//                   θ = b in its second term (there G ≥ 0);
//   empty region 2  the zero of V3 = A h^r1 + k_D θ^(p1−1)((σ−2)θ + b) on [θ_high, min(θ_low, b)],
//                   by the same method on ln(A h^r1) − ln(k_D θ^(p1−1)((2−σ)θ − b)), whose
//                   sign is V3's there, from the secant point of V3;
//   the scalars     integrals of powers of θ and of h, with differences of powers formed as
//                   y^r·expm1(r·log1p((x−y)/y)) next to each other (full relative precision
//                   near the thresholds).
// A root is accepted after a Halley step shorter than 1e-7 of the distance to the nearest
// singularity of the logarithms (h = 0, or (2−σ)θ = b): the next error is then below 1e-20 of
// that distance, i.e. the roots are exact to rounding, as Brent's were (test/lf-uniform-batch).
//
// A point outside the kernel's domain (0 < σ < 1, σ ≤ η_L < 1, c_L, c_F > 0 finite,
// 0 ≤ θ_min < θ_max finite) is not solved: its code is OUTSIDE_DOMAIN, and the caller takes the
// general path, which gives the validation message or another solver. A root finder that does
// not converge gives NOT_CONVERGED (never seen; the caller reports a numerical failure).

/** The scalars of a leader–fringe result, in the order of its scalar record (INTERFACE.md). */
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
const STEP_TOLERANCE = 1e-7;

/** x^r − y^r (0 ≤ y ≤ x) without cancellation when x ≈ y (as leader-fringe-explicit.ts). */
function powDiff(x: number, y: number, r: number): number {
  if (!(y > 0) || x > 2 * y) return Math.pow(x, r) - (y > 0 ? Math.pow(y, r) : 0);
  return Math.pow(y, r) * Math.expm1(r * Math.log1p((x - y) / y));
}

// The last root and its iteration count (no object per call).
let rootIterations = 0;

/**
 * Root of G(θ) = r1 (c1 + ln(2θ − b)) − pq (c2 + ln θ) in (lo, b), G(lo) < 0 < G(b) (lo ≥ b/2);
 * NaN when it does not converge.
 */
function thetaHighRoot(r1: number, pq: number, c1: number, c2: number, lnB: number, lo: number, b: number): number {
  let L = lo;
  let R = b;
  // root with θ = b in the second term: G(x) = pq ln(b/x) ≥ 0 there
  let x = 0.5 * (b + Math.exp((pq * (c2 + lnB)) / r1 - c1));
  if (!(x > L && x < R)) x = 0.5 * (L + R);
  for (let it = 1; it <= MAX_ITERATIONS; it++) {
    const h = 2 * x - b;
    const g = r1 * (c1 + Math.log(h)) - pq * (c2 + Math.log(x));
    if (g < 0) L = x;
    else if (g > 0) R = x;
    else {
      rootIterations = it;
      return x;
    }
    const g1 = (2 * r1) / h - pq / x;
    const g2 = (-4 * r1) / (h * h) + pq / (x * x);
    const step = (2 * g * g1) / (2 * g1 * g1 - g * g2);
    let xn = x - step;
    if (Math.abs(step) <= STEP_TOLERANCE * 0.5 * h && xn >= L && xn <= R) {
      rootIterations = it;
      return xn;
    }
    if (!(xn > L && xn < R)) xn = 0.5 * (L + R);
    if (!(R - L > 4 * Number.EPSILON * R)) {
      rootIterations = it;
      return xn;
    }
    x = xn;
  }
  rootIterations = MAX_ITERATIONS;
  return NaN;
}

/**
 * Zero of V3 on (lo, hi) where V3(lo) < 0 < V3(hi): the root of
 * F(θ) = lnA + r1 ln(2θ − b) − lnKD − (p1 − 1) ln θ − ln(mθ − b), m = 2 − σ; x0 the secant point.
 */
function cutoffRoot(lnA: number, r1: number, lnKD: number, p1: number, m: number, b: number, lo: number, hi: number, x0: number): number {
  let L = lo;
  let R = hi;
  let x = x0 > L && x0 < R ? x0 : 0.5 * (L + R);
  const q = p1 - 1;
  for (let it = 1; it <= MAX_ITERATIONS; it++) {
    const h = 2 * x - b;
    const d = m * x - b;
    const f = lnA + r1 * Math.log(h) - lnKD - q * Math.log(x) - Math.log(d);
    if (f < 0) L = x;
    else if (f > 0) R = x;
    else {
      rootIterations = it;
      return x;
    }
    const f1 = (2 * r1) / h - q / x - m / d;
    const f2 = (-4 * r1) / (h * h) + q / (x * x) + (m * m) / (d * d);
    const step = (2 * f * f1) / (2 * f1 * f1 - f * f2);
    let xn = x - step;
    if (Math.abs(step) <= (STEP_TOLERANCE * d) / m && xn >= L && xn <= R) {
      rootIterations = it;
      return xn;
    }
    if (!(xn > L && xn < R)) xn = 0.5 * (L + R);
    if (!(R - L > 4 * Number.EPSILON * R)) {
      rootIterations = it;
      return xn;
    }
    x = xn;
  }
  rootIterations = MAX_ITERATIONS;
  return NaN;
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
  let kI = 0;
  let kIe = 0;
  let A = 0;
  let A3 = 0;
  let lnA3 = 0;
  let hz = 0;
  let f = 0;
  let lowExp = 0;
  let gL = 0;

  let bad = 0;
  for (let i = 0; i < n; i++) {
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
      lnB = Math.log(b);
      kI = Math.pow(e / cl, r1);
      kIe = Math.pow(kI, e);
      A = (1 - e) * kIe;
      A3 = (1 - e) * Math.pow(e / cl, e * r1); // A as V3 has it
      lnA3 = Math.log(A3);
      hz = Math.max(a, b / 2);
      f = 1 / (b - a);
      gL = e - s;
      lowExp = (e * (1 - s)) / gL;
    }
    let iters = 0;

    // ---- thresholds (leader-fringe-explicit.ts explicitThresholds)
    const thetaLowFormula = gL > 0 ? (cf / s) * Math.pow(cl / cf, lowExp) : cf > cl ? -Infinity : Infinity;
    const c2 = Math.log(s / cf);
    const kD3 = Math.pow(s / cf, s * p1); // k_D as V3 has it
    let root = b;
    const ha = 2 * a - b;
    if (hz === a && ha > 0 && r1 * (c1 + Math.log(ha)) - pq * (c2 + Math.log(a)) >= 0) root = a;
    else if (r1 * (c1 + lnB) - pq * (c2 + lnB) > 0) {
      root = thetaHighRoot(r1, pq, c1, c2, lnB, hz, b);
      iters += rootIterations;
      if (!(root === root)) {
        code[i] = NOT_CONVERGED;
        bad++;
        continue;
      }
    }
    let thetaLow: number;
    let thetaHigh: number;
    let empty: boolean;
    if (thetaLowFormula < root) {
      thetaLow = Math.min(Math.max(thetaLowFormula, a), b);
      thetaHigh = root;
      empty = !(thetaHigh > thetaLow);
    } else {
      const hi = Math.min(thetaLowFormula, b);
      const lo = root;
      let cut: number;
      if (!(hi > lo)) cut = lo;
      else {
        const hh = 2 * hi - b;
        const vHi = (hh > 0 ? A3 * Math.pow(hh, r1) : 0) + kD3 * Math.pow(hi, p1 - 1) * ((s - 2) * hi + b);
        if (vHi <= 0) cut = hi;
        else {
          const hl = 2 * lo - b;
          const vLo = (hl > 0 ? A3 * Math.pow(hl, r1) : 0) + kD3 * Math.pow(lo, p1 - 1) * ((s - 2) * lo + b);
          if (vLo >= 0) cut = lo;
          else {
            cut = cutoffRoot(lnA3, r1, Math.log(kD3), p1, 2 - s, b, lo, hi, lo - (vLo * (hi - lo)) / (vHi - vLo));
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
    }

    // ---- closed-form scalars (leader-fringe-explicit.ts uniformClosedForm)
    const kT = Math.pow(s / cf, p1); // T = kT θ^p1
    const kD = Math.pow(kT, s); // u0' = kD θ^(p1−1)
    const lo2 = Math.max(thetaLow, a);
    const lo3 = Math.max(thetaHigh, a);
    const has2 = thetaHigh > lo2;
    const has3 = b > lo3;
    const H1 = b; // h(b)
    const H0 = 2 * lo3 - b;
    let kq = 0;
    let iq2 = 0; // ∫_{lo2}^{θ_high} θ^pq
    if ((wantProfit || wantLeader) && has2) {
      kq = Math.pow(kT, s / e);
      iq2 = powDiff(thetaHigh, lo2, pq + 1) / (pq + 1);
    }
    let j3 = 0; // ∫_{lo3}^{b} h^r1
    if ((wantProfit || wantLeader) && has3) j3 = powDiff(H1, H0, r1 + 1) / (2 * (r1 + 1));
    let ip3 = 0; // ∫_{lo3}^{b} θ^p1
    let im3 = 0; // ∫_{lo3}^{b} θ^(p1−1)
    if ((wantProfit || wantRent) && has3) {
      ip3 = powDiff(b, lo3, p1 + 1) / (p1 + 1);
      im3 = powDiff(b, lo3, p1) / p1;
    }
    let profit = NaN;
    if (wantProfit) {
      const ip2 = has2 ? powDiff(thetaHigh, lo2, p1 + 1) / (p1 + 1) : 0;
      const served2 = f * (cf * kT * ip2 - cl * kq * iq2);
      const profit3 = f * (A * j3 + kD * (s - 2) * ip3 + b * kD * im3);
      profit = served2 + profit3;
    }
    let rent = NaN;
    if (wantRent) {
      const k3 = has3 ? 0.25 * ((b * powDiff(H1, H0, r1)) / r1 - powDiff(H1, H0, r1 + 1) / (r1 + 1)) : 0;
      rent = f * (kIe * k3 - kD * (b * im3 - ip3));
    }
    let consumerSurplus = NaN;
    if (wantOutside) {
      const outside = (f * ((cf * kT * (1 - s)) / s) * powDiff(b, a, p1 + 1)) / (p1 + 1);
      consumerSurplus = outside + rent;
    }
    let fringeSpend = NaN;
    if (wantFringe) fringeSpend = cf * (kT * f * (thetaLow > a ? powDiff(thetaLow, a, p1 + 1) / (p1 + 1) : 0));
    let leaderSpend = NaN;
    if (wantLeader) leaderSpend = cl * (kq * f * iq2 + kI * f * j3);

    const o = i * stride;
    let c: number;
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
  return bad;
}
