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
//                   increasing and concave on h > 0 (r1 ≥ pq and h ≤ θ): Halley's method,
//                   bracketed (a step leaving the bracket bisects), from the root of G with
//                   θ = b in its second term (there G ≥ 0);
//   empty region 2  the zero of V3 = A h^r1 + k_D θ^(p1−1)((σ−2)θ + b) on [θ_high, min(θ_low, b)],
//                   by the same method on ln(A h^r1) − ln(k_D θ^(p1−1)((2−σ)θ − b)), whose
//                   sign is V3's there, from the secant point of V3;
//   the scalars     integrals of powers of θ and of h, with differences of powers formed as
//                   y^r·expm1(r·log1p((x−y)/y)) next to each other (full relative precision
//                   near the thresholds).
// A root is accepted after a Halley step shorter than 2e-6 (θ_high) or 1e-7 (the cut-off) of the
// distance to the nearest singularity of the logarithms (h = 0, or (2−σ)θ = b): the next error
// is then below 1e-17 of that distance, i.e. the roots are exact to rounding, as Brent's were
// (test/lf-uniform-batch).
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
/** A Halley step below this fraction of the distance to the nearest logarithmic singularity ends
 *  the iteration: the error after it is ~(step)³/(12·distance²) (the error constant of Halley's
 *  method on a logarithm), below 1e-17 of the distance for θ_high. The cut-off's equation
 *  subtracts logarithms, whose derivatives may nearly cancel: it keeps a smaller threshold. */
const STEP_TOLERANCE_HIGH = 2e-6;
const STEP_TOLERANCE = 1e-7;

/** x^r − y^r (0 ≤ y ≤ x) given xr = x^r, without cancellation when x ≈ y. */
function powDiffFrom(xr: number, x: number, y: number, r: number): number {
  return -xr * Math.expm1(r * Math.log1p((y - x) / x));
}

/** V3(θ) = A h^r1 + k_D θ^(p1−1)((σ−2)θ + b), h = 2θ − b (the region-3 virtual value). */
function region3Value(A: number, r1: number, kD: number, p1: number, s: number, b: number, t: number): number {
  const h = 2 * t - b;
  return (h > 0 ? A * Math.exp(r1 * Math.log(h)) : 0) + kD * Math.exp((p1 - 1) * Math.log(t)) * ((s - 2) * t + b);
}

// The root finders' arguments and root travel through this array, their iteration count as
// the return value: a double passed to or returned from a function V8 does not inline is boxed,
// a heap allocation per call (with plain arguments the kernel allocated ~300 bytes a point, and
// garbage collection took a tenth of a sweep).
const io = new Float64Array(9);
let rootIterations = 0;

/**
 * Root of G(θ) = r1 (c1 + ln(2θ − b)) − pq (c2 + ln θ) in (lo, b), G(lo) < 0 < G(b) (lo ≥ b/2),
 * with io = [r1, pq, c1, c2, ln b, lo, b]; the root (NaN when it does not converge) in io[0].
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
      io[0] = x;
      return;
    }
    const g1 = (2 * r1) / h - pq / x;
    const g2 = (-4 * r1) / (h * h) + pq / (x * x);
    const step = (2 * g * g1) / (2 * g1 * g1 - g * g2);
    let xn = x - step;
    if (Math.abs(step) <= STEP_TOLERANCE_HIGH * 0.5 * h && xn >= L && xn <= R) {
      rootIterations = it;
      io[0] = xn;
      return;
    }
    if (!(xn > L && xn < R)) xn = 0.5 * (L + R);
    if (!(R - L > 4 * Number.EPSILON * R)) {
      rootIterations = it;
      io[0] = xn;
      return;
    }
    x = xn;
  }
  rootIterations = MAX_ITERATIONS;
  io[0] = NaN;
}

/**
 * Zero of V3 on (lo, hi) where V3(lo) < 0 < V3(hi): the root of
 * F(θ) = lnA + r1 ln(2θ − b) − lnKD − (p1 − 1) ln θ − ln(mθ − b), m = 2 − σ, from x0 (the secant
 * point), with io = [lnA, r1, lnKD, p1, m, b, lo, hi, x0]; the root in io[0].
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
    const f = lnA + r1 * Math.log(h) - lnKD - q * Math.log(x) - Math.log(d);
    if (f < 0) L = x;
    else if (f > 0) R = x;
    else {
      rootIterations = it;
      io[0] = x;
      return;
    }
    const f1 = (2 * r1) / h - q / x - m / d;
    const f2 = (-4 * r1) / (h * h) + q / (x * x) + (m * m) / (d * d);
    const step = (2 * f * f1) / (2 * f1 * f1 - f * f2);
    let xn = x - step;
    if (Math.abs(step) <= (STEP_TOLERANCE * d) / m && xn >= L && xn <= R) {
      rootIterations = it;
      io[0] = xn;
      return;
    }
    if (!(xn > L && xn < R)) xn = 0.5 * (L + R);
    if (!(R - L > 4 * Number.EPSILON * R)) {
      rootIterations = it;
      io[0] = xn;
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
  let kI = 0;
  let kIe = 0;
  let A = 0;
  let A3 = 0;
  let lnA3 = 0;
  let hz = 0;
  let f = 0;
  let lowExp = 0;
  let gL = 0;
  // b^(p1+1), b^p1, b^(r1+1), b^r1, and ∫_a^b θ^p1 (the outside option's integral)
  let bP1 = 0;
  let bP0 = 0;
  let bR1 = 0;
  let bR0 = 0;
  let outsideInt = 0;

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
      bP1 = Math.pow(b, p1 + 1);
      bP0 = Math.pow(b, p1);
      bR1 = Math.pow(b, r1 + 1);
      bR0 = Math.pow(b, r1);
      outsideInt = powDiffFrom(bP1, b, a, p1 + 1) / (p1 + 1);
    }
    let iters = 0;

    // ---- thresholds (leader-fringe-explicit.ts explicitThresholds)
    const thetaLowFormula = gL > 0 ? (cf / s) * Math.pow(cl / cf, lowExp) : cf > cl ? -Infinity : Infinity;
    const c2 = Math.log(s / cf);
    // T = kT θ^p1 and u0' = kD θ^(p1−1) with kT = (σ/c_F)^p1, kD = kT^σ; q̂ = kq θ^pq, kq = kT^(σ/η)
    const kT = Math.exp(p1 * c2);
    const kD = Math.exp(s * p1 * c2);
    let root = b;
    const ha = 2 * a - b;
    if (hz === a && ha > 0 && r1 * (c1 + Math.log(ha)) - pq * (c2 + Math.log(a)) >= 0) root = a;
    else if (r1 * (c1 + lnB) - pq * (c2 + lnB) > 0) {
      io[0] = r1;
      io[1] = pq;
      io[2] = c1;
      io[3] = c2;
      io[4] = lnB;
      io[5] = hz;
      io[6] = b;
      thetaHighRoot();
      root = io[0];
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
    if (thetaLowFormula < root) {
      thetaLow = Math.min(Math.max(thetaLowFormula, a), b);
      thetaHigh = root;
      empty = !(thetaHigh > thetaLow);
    } else {
      const hi = Math.min(thetaLowFormula, b);
      const lo = root;
      let cut = NaN;
      if (!(hi > lo)) cut = lo;
      else {
        const vHi = region3Value(A3, r1, kD, p1, s, b, hi);
        if (vHi <= 0) cut = hi;
        else {
          const vLo = region3Value(A3, r1, kD, p1, s, b, lo);
          if (vLo >= 0) cut = lo;
          else {
            io[0] = lnA3;
            io[1] = r1;
            io[2] = s * p1 * c2;
            io[3] = p1;
            io[4] = 2 - s;
            io[5] = b;
            io[6] = lo;
            io[7] = hi;
            io[8] = lo - (vLo * (hi - lo)) / (vHi - vLo);
            cutoffRoot();
            cut = io[0];
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

    // ---- closed-form scalars (as uniformClosedForm had them). Every difference of powers
    // x^r − y^r (y ≤ x) is −x^r·expm1(r·ln(y/x)) with ln(y/x) = log1p((y − x)/x) shared by the
    // exponents of the same pair: exact next to the thresholds, and a logarithm and an
    // exponential where pow(x, r) cost several times as much.
    // Every term is formed even where its integral is 0, as the closed forms always were: an
    // infinite constant (c_F so small that T overflows) then makes the scalar NaN, and the
    // point fails as not finite, instead of a share computed from a half-overflowed spend.
    const lo2 = Math.max(thetaLow, a);
    const lo3 = Math.max(thetaHigh, a);
    const has2 = thetaHigh > lo2;
    const has3 = b > lo3;
    const kq = wantProfit || wantLeader ? Math.exp((s / e) * p1 * c2) : 0;
    let ip2 = 0; // ∫_{lo2}^{θ_high} θ^p1
    let iq2 = 0; // ∫_{lo2}^{θ_high} θ^pq
    if ((wantProfit || wantLeader) && has2) {
      const lnTH = Math.log(thetaHigh);
      const l2 = Math.log1p((lo2 - thetaHigh) / thetaHigh);
      iq2 = (-Math.exp((pq + 1) * lnTH) * Math.expm1((pq + 1) * l2)) / (pq + 1);
      if (wantProfit) ip2 = (-Math.exp((p1 + 1) * lnTH) * Math.expm1((p1 + 1) * l2)) / (p1 + 1);
    }
    // h = 2θ − b runs from H0 = h(lo3) to h(b) = b on region 3
    const lH = has3 && (wantProfit || wantLeader || wantRent) ? Math.log1p((2 * lo3 - b - b) / b) : 0;
    const j3 = (wantProfit || wantLeader) && has3 ? (-bR1 * Math.expm1((r1 + 1) * lH)) / (2 * (r1 + 1)) : 0; // ∫ h^r1
    let ip3 = 0; // ∫_{lo3}^{b} θ^p1
    let im3 = 0; // ∫_{lo3}^{b} θ^(p1−1)
    if ((wantProfit || wantRent) && has3) {
      const l3 = Math.log1p((lo3 - b) / b);
      ip3 = (-bP1 * Math.expm1((p1 + 1) * l3)) / (p1 + 1);
      im3 = (-bP0 * Math.expm1(p1 * l3)) / p1;
    }
    let profit = NaN;
    if (wantProfit) {
      const served2 = f * (cf * kT * ip2 - cl * kq * iq2);
      const profit3 = f * (A * j3 + kD * (s - 2) * ip3 + b * kD * im3);
      profit = served2 + profit3;
    }
    let rent = NaN;
    if (wantRent) {
      const k3 = has3 ? 0.25 * ((b * -bR0 * Math.expm1(r1 * lH)) / r1 - (-bR1 * Math.expm1((r1 + 1) * lH)) / (r1 + 1)) : 0;
      rent = f * (kIe * k3 - kD * (b * im3 - ip3));
    }
    let consumerSurplus = NaN;
    if (wantOutside) consumerSurplus = f * ((cf * kT * (1 - s)) / s) * outsideInt + rent;
    let fringeSpend = NaN;
    if (wantFringe) {
      const tl = thetaLow > a ? Math.exp((p1 + 1) * Math.log(thetaLow)) : 0;
      const fringeInt = thetaLow > a ? (a > 0 ? powDiffFrom(tl, thetaLow, a, p1 + 1) : tl) / (p1 + 1) : 0;
      fringeSpend = cf * (kT * f * fringeInt);
    }
    let leaderSpend = NaN;
    if (wantLeader) leaderSpend = cl * (kq * f * iq2 + kI * f * j3);

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
  return bad;
}
