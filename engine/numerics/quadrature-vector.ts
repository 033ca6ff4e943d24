// Several integrals over one interval at once: ∫_a^b f_k for k = 0 … m−1, by the adaptive
// Gauss–Kronrod rule of quadrature.ts (G7/K15, QUADPACK's QAG error estimate, taken per
// component; global bisection), sharing every node among the m integrands.
//
// Why. The leader–fringe scalars on a region (docs/model.md 3c, (3.20)–(3.21): profit, the rent
// ∫ R'(1 − F), the leader's and the fringe's token spend, E[u0]) are four or five integrals of
// the same type: each node needs f(θ), 1 − F(θ), q_L(θ) and u0(θ), and f and 1 − F are what
// cost (an incomplete beta function, an erfc). Integrated one by one, a beta or lognormal sweep
// point evaluated ~1,200 densities and survival functions; here each node is evaluated once for
// all of them. No library integrates a vector of integrands with a per-component tolerance.
//
// Per component k: tol_k = max(epsabs_k, epsrel·|I_k|). The component is done when its
// estimated error is within tol_k, or within twice its rounding floor (50ε·∫|f_k|, the floor
// QK15 puts under every panel's estimate: no bisection lowers it). The panel bisected next is
// the one whose worst component, relative to its tolerance, is largest. `integrateVector`
// throws (naming the component) when a component's error is still above 100·tol_k after
// maxIntervals panels, as `integrate` does for one integrand.

import { NumericalError } from "../errors.js";
import { nextInside } from "./quadrature.js";

/** Writes f_k(x) into out[k] for k < m. */
export type VectorIntegrand = (x: number, out: Float64Array) => void;

export interface VectorQuadOptions {
  /** relative tolerance of every component (default 1e-13) */
  epsrel?: number;
  /** absolute tolerance: one for all, or one per component (default 0) */
  epsabs?: number | ArrayLike<number>;
  /** maximum number of panels (default 2000) */
  maxIntervals?: number;
  /** for error messages: what component k integrates */
  where?: (k: number) => string;
  /** substitute θ = a + (b − a)(3w² − 2w³) first, as quadrature.ts does (endpoint singularities) */
  endpoints?: boolean;
}

const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
  0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0.0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
  0.140653259715525918745189590510238, 0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
const WG = [0.129484966168869693270611432679082, 0.27970539148927666790146777142378, 0.381830050505118944950369775488975, 0.417959183673469387755102040816327];
const EPS = 2.220446049250313e-16;
const TINY = 2.2250738585072014e-308;
const ROUNDING = 50 * EPS;

/** Buffers of one call (one per nesting depth: an integrand may integrate in turn). */
interface Work {
  m: number;
  n: number;
  /** panel ends */
  a: Float64Array;
  b: Float64Array;
  /** per panel × component: integral, error estimate, ∫|f| */
  r: Float64Array;
  e: Float64Array;
  s: Float64Array;
  /** the 15 nodes' values, node-major */
  fv: Float64Array;
  /** one node's values */
  y: Float64Array;
  tol: Float64Array;
}
const works: Work[] = [];
let depth = 0;

function work(m: number, n: number): Work {
  let w = works[depth];
  if (!w || w.m < m || w.n < n) {
    const M = Math.max(m, w?.m ?? 0);
    const N = Math.max(n, w?.n ?? 0);
    w = {
      m: M,
      n: N,
      a: new Float64Array(N),
      b: new Float64Array(N),
      r: new Float64Array(N * M),
      e: new Float64Array(N * M),
      s: new Float64Array(N * M),
      fv: new Float64Array(15 * M),
      y: new Float64Array(M),
      tol: new Float64Array(M),
    };
    works[depth] = w;
  }
  return w;
}

/** One node: f at x into w.fv at row j, each value checked finite. */
function node(f: VectorIntegrand, m: number, x: number, w: Work, j: number, where: ((k: number) => string) | undefined): void {
  const y = w.y;
  f(x, y);
  const o = j * m;
  for (let k = 0; k < m; k++) {
    const v = y[k];
    if (v - v !== 0) throw new NumericalError(where ? where(k) : "quadrature", `integrand is not finite at x = ${x}: ${v}`);
    w.fv[o + k] = v;
  }
}

/** K15 (with its G7 estimate) on [a, b] for every component, into panel slot `slot`. */
function qk15(f: VectorIntegrand, m: number, a: number, b: number, w: Work, slot: number, where: ((k: number) => string) | undefined): void {
  const centr = 0.5 * (a + b);
  const hlgth = 0.5 * (b - a);
  const dh = Math.abs(hlgth);
  // node 0: the centre; nodes 1 + 2j and 2 + 2j: centr ∓ hlgth·XGK[j]
  node(f, m, centr, w, 0, where);
  for (let j = 0; j < 7; j++) {
    const absc = hlgth * XGK[j];
    node(f, m, centr - absc, w, 1 + 2 * j, where);
    node(f, m, centr + absc, w, 2 + 2 * j, where);
  }
  const fv = w.fv;
  const o = slot * m;
  for (let k = 0; k < m; k++) {
    const fc = fv[k];
    let resg = fc * WG[3];
    let resk = fc * WGK[7];
    let resabs = Math.abs(resk);
    for (let j = 0; j < 7; j++) {
      const f1 = fv[(1 + 2 * j) * m + k];
      const f2 = fv[(2 + 2 * j) * m + k];
      resk += WGK[j] * (f1 + f2);
      resabs += WGK[j] * (Math.abs(f1) + Math.abs(f2));
      if (j & 1) resg += WG[j >> 1] * (f1 + f2);
    }
    const reskh = resk * 0.5;
    let resasc = WGK[7] * Math.abs(fc - reskh);
    for (let j = 0; j < 7; j++) resasc += WGK[j] * (Math.abs(fv[(1 + 2 * j) * m + k] - reskh) + Math.abs(fv[(2 + 2 * j) * m + k] - reskh));
    resabs *= dh;
    resasc *= dh;
    let err = Math.abs((resk - resg) * hlgth);
    if (resasc !== 0 && err !== 0) err = resasc * Math.min(1, Math.pow((200 * err) / resasc, 1.5));
    if (resabs > TINY / ROUNDING) err = Math.max(ROUNDING * resabs, err);
    w.r[o + k] = resk * hlgth;
    w.e[o + k] = err;
    w.s[o + k] = resabs;
  }
}

export interface VectorQuadResult {
  /** per component: estimated absolute error */
  error: Float64Array;
  /** per component: the tolerance it was held to (rounding floor included) */
  tolerance: Float64Array;
  evaluations: number;
  intervals: number;
  /** every component within its tolerance (or its rounding floor) */
  converged: boolean;
}

/**
 * ∫_a^b f_k into out[k] (k < m), with per-component error estimates; never throws for
 * non-convergence (see `converged`). `out` must not be an array the integrand writes.
 */
export function gaussKronrodVector(f: VectorIntegrand, m: number, a: number, b: number, out: Float64Array, opts: VectorQuadOptions = {}): VectorQuadResult {
  if (opts.endpoints && a !== b) {
    const width = b - a;
    const inA = nextInside(a, b);
    const inB = nextInside(b, a);
    const g: VectorIntegrand = (v, y) => {
      let x = v < 0.5 ? a + width * v * v * (3 - 2 * v) : b - width * (1 - v) * (1 - v) * (1 + 2 * v);
      if (x === a) x = inA;
      else if (x === b) x = inB;
      const jac = 6 * width * v * (1 - v);
      if (jac === 0) {
        y.fill(0, 0, m);
        return;
      }
      f(x, y);
      for (let k = 0; k < m; k++) {
        // named at x, not at the substitution's v
        if (y[k] - y[k] !== 0) throw new NumericalError(opts.where ? opts.where(k) : "quadrature", `integrand is not finite at x = ${x}: ${y[k]}`);
        y[k] *= jac;
      }
    };
    return gaussKronrodVector(g, m, 0, 1, out, { ...opts, endpoints: false });
  }
  const where = opts.where;
  const epsrel = opts.epsrel ?? 1e-13;
  const maxN = opts.maxIntervals ?? 2000;
  const absOf = (k: number): number => (typeof opts.epsabs === "number" ? opts.epsabs : opts.epsabs ? opts.epsabs[k] : 0);
  if (!(Number.isFinite(a) && Number.isFinite(b))) {
    throw new NumericalError(where ? where(0) : "quadrature", `integration limits must be finite, got [${a}, ${b}]`);
  }
  const error = new Float64Array(m);
  const tolerance = new Float64Array(m);
  if (a === b) {
    out.fill(0, 0, m);
    return { error, tolerance, evaluations: 0, intervals: 0, converged: true };
  }
  const sign = b < a ? -1 : 1;
  if (sign < 0) [a, b] = [b, a];
  const w = work(m, maxN);
  depth++;
  try {
    const { r, e, s, tol } = w;
    qk15(f, m, a, b, w, 0, where);
    w.a[0] = a;
    w.b[0] = b;
    let n = 1;
    let evaluations = 15;
    // running totals: integral, error, ∫|f|
    const total = new Float64Array(m);
    const totalErr = new Float64Array(m);
    const totalAbs = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      total[k] = r[k];
      totalErr[k] = e[k];
      totalAbs[k] = s[k];
    }
    let frozen = 0;
    for (;;) {
      // tolerances, and whether every component is done
      let done = true;
      for (let k = 0; k < m; k++) {
        const floor = 2 * ROUNDING * totalAbs[k];
        tol[k] = Math.max(absOf(k), epsrel * Math.abs(total[k]), floor);
        if (totalErr[k] > tol[k]) done = false;
      }
      if (done || n >= maxN) break;
      // the panel whose worst component is furthest above its tolerance
      let kmax = -1;
      let worst = 0;
      for (let i = 0; i < n; i++) {
        const o = i * m;
        for (let k = 0; k < m; k++) {
          const t = tol[k] > 0 ? e[o + k] / tol[k] : e[o + k] > 0 ? Infinity : 0;
          if (t > worst) {
            worst = t;
            kmax = i;
          }
        }
      }
      if (kmax < 0) break;
      const a1 = w.a[kmax];
      const b2 = w.b[kmax];
      const mid = 0.5 * (a1 + b2);
      const o = kmax * m;
      if (!(mid > a1 && mid < b2) || b2 - a1 <= 1e3 * EPS * Math.max(Math.abs(a1), Math.abs(b2), TINY)) {
        // too narrow to split: keep its contribution, stop refining it
        for (let k = 0; k < m; k++) e[o + k] = 0;
        if (++frozen > maxN) break;
        continue;
      }
      const on = n * m;
      // the old panel's numbers leave the totals; its halves go to slots kmax and n
      for (let k = 0; k < m; k++) {
        total[k] -= r[o + k];
        totalErr[k] -= e[o + k];
        totalAbs[k] -= s[o + k];
      }
      qk15(f, m, a1, mid, w, kmax, where);
      qk15(f, m, mid, b2, w, n, where);
      evaluations += 30;
      w.b[kmax] = mid;
      w.a[n] = mid;
      w.b[n] = b2;
      for (let k = 0; k < m; k++) {
        total[k] += r[o + k] + r[on + k];
        totalErr[k] += e[o + k] + e[on + k];
        totalAbs[k] += s[o + k] + s[on + k];
      }
      n++;
    }
    // re-sum to shed the rounding of the running updates (frozen panels keep their integrals;
    // their error is counted as it was when frozen only through the tolerance check above)
    let converged = true;
    for (let k = 0; k < m; k++) {
      let sum = 0;
      let err = 0;
      let abs = 0;
      for (let i = 0; i < n; i++) {
        sum += r[i * m + k];
        err += e[i * m + k];
        abs += s[i * m + k];
      }
      out[k] = sign * sum;
      error[k] = Math.max(err, totalErr[k]);
      const t = Math.max(absOf(k), epsrel * Math.abs(sum), 2 * ROUNDING * abs);
      tolerance[k] = t;
      if (!(error[k] <= t)) converged = false;
    }
    return { error, tolerance, evaluations, intervals: n, converged };
  } finally {
    depth--;
  }
}

/**
 * ∫_a^b f_k into out[k], split at `breaks` inside (a, b) as integratePiecewise does, throwing
 * NumericalError (naming the component, its estimate and tolerance) when a component's error
 * stays above 100 times its tolerance: the error estimate is conservative, as in `integrate`.
 * A piece is held to its own tolerance; the pieces that miss theirs pass when their errors
 * together stay within a tenth of the whole integral's relative tolerance: a piece 2.4e-9 wide
 * at the start of a Beta(1.05, 1.26) component (a near-infinite slope of the density) reached
 * 4e-20 of error on its own 9.5e-12, i.e. 4e-9 of itself but 4e-19 of the whole integral, and
 * failed a random leader–fringe market (4 Dec 2026).
 */
export function integrateVector(
  f: VectorIntegrand,
  m: number,
  a: number,
  b: number,
  breaks: ArrayLike<number>,
  out: Float64Array,
  opts: VectorQuadOptions = {},
): void {
  out.fill(0, 0, m);
  const piece = new Float64Array(m);
  // pieces that missed their own tolerance, judged against the whole once it is known
  const missed: { left: number; right: number; k: number; estimate: number; error: number; tol: number }[] = [];
  let left = a;
  for (let j = 0; j <= breaks.length; j++) {
    const x = j < breaks.length ? breaks[j] : b;
    if (j < breaks.length && !(x > left && x < b)) continue;
    if (!(x > left)) continue;
    const res = gaussKronrodVector(f, m, left, x, piece, opts);
    if (!res.converged) {
      for (let k = 0; k < m; k++) {
        const tol = res.tolerance[k];
        if (!(res.error[k] <= 100 * tol)) missed.push({ left, right: x, k, estimate: piece[k], error: res.error[k], tol });
      }
    }
    for (let k = 0; k < m; k++) out[k] += piece[k];
    left = x;
  }
  const epsrel = opts.epsrel ?? 1e-13;
  // the errors of the pieces that missed their own tolerance, summed per component: they pass
  // when together they stay within a tenth of the whole integral's relative tolerance
  const missedError = new Float64Array(m);
  for (const p of missed) missedError[p.k] += p.error;
  for (const p of missed) {
    if (missedError[p.k] <= 0.1 * epsrel * Math.abs(out[p.k])) continue;
    throw new NumericalError(
      opts.where ? opts.where(p.k) : "quadrature",
      `∫ over [${p.left}, ${p.right}] did not reach the tolerance: estimate ${p.estimate}, error ${p.error} > ${p.tol} after ${opts.maxIntervals ?? 2000} intervals`,
    );
  }
}
