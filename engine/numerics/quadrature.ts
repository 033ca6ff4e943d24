// Adaptive Gauss–Kronrod quadrature (G7/K15, QUADPACK's QAG error estimate, global
// bisection of the interval with the largest error). Written by hand because the npm
// packages tried returned wrong values for endpoint singularities with only a warning
// (TOOLCHAIN.md). K15 never evaluates the endpoints, so integrable endpoint singularities
// (∫₀¹ x^(−1/2)) converge by repeated bisection. Used for U(θ) = ∫ Q, profits, F_θ and f_θ of
// value–scale types (docs/model.md sections 2 and 3).

import { NumericalError } from "../errors.js";

const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
  0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
  0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0.0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204,
  0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
  0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
const WG = [
  0.129484966168869693270611432679082, 0.27970539148927666790146777142378,
  0.381830050505118944950369775488975, 0.417959183673469387755102040816327,
];
const EPS = 2.220446049250313e-16;
const TINY = 2.2250738585072014e-308;

export interface QuadOptions {
  /** absolute tolerance (default 0) */
  epsabs?: number;
  /** relative tolerance (default 1e-13) */
  epsrel?: number;
  /** maximum number of subintervals (default 2000) */
  maxIntervals?: number;
  /** for error messages: what is being integrated */
  where?: string;
  /** substitute θ = a + (b − a)(3w² − 2w³) first: clusters nodes at both ends, so integrable
   *  endpoint singularities (a beta density with a or b < 1) become mild or vanish, and the
   *  ends are resolved to ~1e-32 relative instead of 1e-16 */
  endpoints?: boolean;
  /** also return the final subintervals and their integrals (QuadResult.panels) */
  panels?: boolean;
}

/** The subintervals of an adaptive integral, sorted by their left ends. */
export interface QuadPanels {
  a: Float64Array;
  b: Float64Array;
  /** ∫ over each subinterval */
  r: Float64Array;
}

export interface QuadResult {
  value: number;
  /** estimated absolute error */
  error: number;
  evaluations: number;
  intervals: number;
  converged: boolean;
  /** when asked for (QuadOptions.panels) */
  panels?: QuadPanels;
}

interface Workspace {
  a: Float64Array;
  b: Float64Array;
  r: Float64Array;
  e: Float64Array;
}

// One workspace per nesting depth: integrands may themselves integrate (f_θ of value–scale
// types inside ∫ Q), and a shared buffer would be overwritten by the inner call.
const pool: Workspace[] = [];
let depth = 0;
function workspace(n: number): Workspace {
  let w = pool[depth];
  if (!w || w.a.length < n) {
    w = { a: new Float64Array(n), b: new Float64Array(n), r: new Float64Array(n), e: new Float64Array(n) };
    pool[depth] = w;
  }
  return w;
}

// Result of one K15 rule, kept in module scope to avoid allocating a tuple per call.
let qkResult = 0;
let qkError = 0;
let qkAbs = 0;

function qk15(f: (x: number) => number, a: number, b: number, where: string): void {
  const centr = 0.5 * (a + b);
  const hlgth = 0.5 * (b - a);
  const dhlgth = Math.abs(hlgth);
  const fc = f(centr);
  if (!Number.isFinite(fc)) throw new NumericalError(where, `integrand is not finite at x = ${centr}: ${fc}`);
  let resg = fc * WG[3];
  let resk = fc * WGK[7];
  let resabs = Math.abs(resk);
  const fv1 = _fv1;
  const fv2 = _fv2;
  for (let j = 0; j < 7; j++) {
    const absc = hlgth * XGK[j];
    const f1 = f(centr - absc);
    const f2 = f(centr + absc);
    if (!Number.isFinite(f1) || !Number.isFinite(f2)) {
      const x = Number.isFinite(f1) ? centr + absc : centr - absc;
      throw new NumericalError(where, `integrand is not finite at x = ${x}: ${Number.isFinite(f1) ? f2 : f1}`);
    }
    fv1[j] = f1;
    fv2[j] = f2;
    resk += WGK[j] * (f1 + f2);
    resabs += WGK[j] * (Math.abs(f1) + Math.abs(f2));
    if (j & 1) resg += WG[j >> 1] * (f1 + f2);
  }
  const reskh = resk * 0.5;
  let resasc = WGK[7] * Math.abs(fc - reskh);
  for (let j = 0; j < 7; j++) resasc += WGK[j] * (Math.abs(fv1[j] - reskh) + Math.abs(fv2[j] - reskh));
  const result = resk * hlgth;
  resabs *= dhlgth;
  resasc *= dhlgth;
  let err = Math.abs((resk - resg) * hlgth);
  if (resasc !== 0 && err !== 0) err = resasc * Math.min(1, Math.pow((200 * err) / resasc, 1.5));
  if (resabs > TINY / (50 * EPS)) err = Math.max(50 * EPS * resabs, err);
  qkResult = result;
  qkError = err;
  qkAbs = resabs;
}
const _fv1 = new Float64Array(7);
const _fv2 = new Float64Array(7);

/** ∫_a^b f with an error estimate; never throws for non-convergence (see `converged`). */
export function gaussKronrod(f: (x: number) => number, a: number, b: number, opts: QuadOptions = {}): QuadResult {
  if (opts.endpoints && a !== b) {
    const w = b - a;
    // Evaluate θ from the nearer end so that points next to b are not rounded onto b.
    // A node that rounds onto an end moves one ulp inside: the integrand may be infinite at
    // the end itself (a beta density), and the ulp it skips is below double resolution anyway.
    const inA = nextInside(a, b);
    const inB = nextInside(b, a);
    // [a, b] one ulp wide has no double inside: its nodes go to whichever end f is finite at (an
    // integrable singularity at the other; sf at the largest double below 1 of (1 − θ)^(−0.1) θ
    // evaluated the formula at 1, an independent checker's)
    const adjacent = !(inA < b && inB > a);
    const finiteAt = (x: number): boolean => {
      try {
        return Number.isFinite(f(x));
      } catch {
        return false; // (an integrand that refuses a non-finite value: a formula density)
      }
    };
    const onlyEnd = adjacent ? (finiteAt(a) ? a : b) : a;
    const g = (v: number): number => {
      let x = v < 0.5 ? a + w * v * v * (3 - 2 * v) : b - w * (1 - v) * (1 - v) * (1 + 2 * v);
      if (adjacent) x = onlyEnd;
      else if (x === a) x = inA;
      else if (x === b) x = inB;
      const jac = 6 * w * v * (1 - v);
      if (jac === 0) return 0;
      const y = f(x);
      // named at x, not at the substitution's v (which lies in [0, 1], not in [a, b])
      if (!Number.isFinite(y)) throw new NumericalError(opts.where ?? "quadrature", `integrand is not finite at x = ${x}: ${y}`);
      return y * jac;
    };
    return gaussKronrod(g, 0, 1, { ...opts, endpoints: false });
  }
  const where = opts.where ?? "quadrature";
  const epsabs = opts.epsabs ?? 0;
  const epsrel = opts.epsrel ?? 1e-13;
  const maxN = opts.maxIntervals ?? 2000;
  if (!(Number.isFinite(a) && Number.isFinite(b))) {
    throw new NumericalError(where, `integration limits must be finite, got [${a}, ${b}]`);
  }
  if (a === b) return { value: 0, error: 0, evaluations: 0, intervals: 0, converged: true };
  const sign = b < a ? -1 : 1;
  if (sign < 0) [a, b] = [b, a];

  const w = workspace(maxN);
  depth++;
  try {
    qk15(f, a, b, where);
    let evaluations = 15;
    let n = 1;
    w.a[0] = a;
    w.b[0] = b;
    w.r[0] = qkResult;
    w.e[0] = qkError;
    let total = qkResult;
    let totalErr = qkError;
    const firstAbs = qkAbs;
    let tol = Math.max(epsabs, epsrel * Math.abs(total));
    if (totalErr <= tol || (totalErr <= 50 * EPS * firstAbs && totalErr <= tol * 1e3)) {
      const panels = opts.panels ? sortedPanels(w, 1) : undefined;
      return { value: sign * total, error: totalErr, evaluations, intervals: 1, converged: totalErr <= tol, panels };
    }
    // Error we cannot reduce further: intervals already at the resolution of doubles.
    let frozenErr = 0;
    while (n < maxN) {
      let k = -1;
      let emax = -1;
      for (let i = 0; i < n; i++) {
        if (w.e[i] > emax) {
          emax = w.e[i];
          k = i;
        }
      }
      if (k < 0 || emax <= 0) break;
      const a1 = w.a[k];
      const b2 = w.b[k];
      const mid = 0.5 * (a1 + b2);
      if (!(mid > a1 && mid < b2) || b2 - a1 <= 1e3 * EPS * Math.max(Math.abs(a1), Math.abs(b2), TINY)) {
        // Too narrow to split: keep its contribution, stop refining it.
        frozenErr += w.e[k];
        w.e[k] = 0;
        continue;
      }
      qk15(f, a1, mid, where);
      const r1 = qkResult;
      const e1 = qkError;
      qk15(f, mid, b2, where);
      const r2 = qkResult;
      const e2 = qkError;
      evaluations += 30;
      total += r1 + r2 - w.r[k];
      totalErr += e1 + e2 - w.e[k];
      w.b[k] = mid;
      w.r[k] = r1;
      w.e[k] = e1;
      w.a[n] = mid;
      w.b[n] = b2;
      w.r[n] = r2;
      w.e[n] = e2;
      n++;
      tol = Math.max(epsabs, epsrel * Math.abs(total));
      if (totalErr <= tol) break;
    }
    // Re-sum to shed the rounding of the running updates.
    let sum = 0;
    let errSum = frozenErr;
    for (let i = 0; i < n; i++) {
      sum += w.r[i];
      errSum += w.e[i];
    }
    tol = Math.max(epsabs, epsrel * Math.abs(sum));
    const panels = opts.panels ? sortedPanels(w, n) : undefined;
    return { value: sign * sum, error: errSum, evaluations, intervals: n, converged: errSum <= tol, panels };
  } finally {
    depth--;
  }
}

function sortedPanels(w: Workspace, n: number): QuadPanels {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => w.a[i] - w.a[j]);
  return {
    a: Float64Array.from(order, (i) => w.a[i]),
    b: Float64Array.from(order, (i) => w.b[i]),
    r: Float64Array.from(order, (i) => w.r[i]),
  };
}

/**
 * ∫_a^b f, throwing NumericalError (with where, the estimate and the tolerance) when the
 * requested accuracy is not reached.
 */
export function integrate(f: (x: number) => number, a: number, b: number, opts: QuadOptions = {}): number {
  const r = gaussKronrod(f, a, b, opts);
  if (!r.converged) {
    const epsrel = opts.epsrel ?? 1e-13;
    const epsabs = opts.epsabs ?? 0;
    // Accept estimates within a small factor of the request: the error estimate is conservative.
    const tol = Math.max(epsabs, epsrel * Math.abs(r.value));
    if (!(r.error <= 100 * tol)) {
      throw new NumericalError(
        opts.where ?? "quadrature",
        `∫ over [${a}, ${b}] did not reach the tolerance: estimate ${r.value}, error ${r.error} > ${tol} after ${r.intervals} intervals`,
      );
    }
  }
  return r.value;
}

const f64 = new Float64Array(1);
const u64 = new BigInt64Array(f64.buffer);
/** The double next to x in the direction of `toward`. */
export function nextInside(x: number, toward: number): number {
  if (x === toward || !Number.isFinite(x)) return x;
  if (x === 0) return toward > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  f64[0] = x;
  u64[0] += (toward > x) === (x > 0) ? 1n : -1n;
  return f64[0];
}
