// Brent's root finder (inverse quadratic interpolation + secant + bisection safeguard).
// Written by hand because no npm package gives a bracketing root finder with a guaranteed
// bracket and an iteration report (TOOLCHAIN.md). Used for every scalar equation of docs/model.md
// that has no closed form: θ_high (q^int = q̂), inverse marginal cost, ironing endpoints.

import { NumericalError } from "../errors.js";

export interface RootResult {
  root: number;
  iterations: number;
  converged: boolean;
  /** f at the returned root */
  fRoot: number;
}

export interface BrentOptions {
  /** absolute tolerance on x (default 4·eps·|x| + 1e-300, i.e. as tight as doubles allow) */
  xtol?: number;
  /** relative tolerance on x (default 4·eps) */
  rtol?: number;
  maxIterations?: number;
  /** where the root is sought, for error messages */
  where?: string;
}

const EPS = 2.220446049250313e-16;

/**
 * Root of f on [a, b] where f(a) and f(b) have opposite signs (or one is zero).
 * Throws NumericalError when the bracket is invalid or f returns a non-finite value.
 */
export function brent(f: (x: number) => number, a: number, b: number, opts: BrentOptions = {}): RootResult {
  const where = opts.where ?? "brent";
  const xtol = opts.xtol ?? 1e-300;
  const rtol = opts.rtol ?? 4 * EPS;
  const maxIter = opts.maxIterations ?? 200;
  let fa = f(a);
  let fb = f(b);
  if (!Number.isFinite(fa) || !Number.isFinite(fb)) {
    throw new NumericalError(where, `function is not finite at the bracket ends: f(${a}) = ${fa}, f(${b}) = ${fb}`);
  }
  if (fa === 0) return { root: a, iterations: 0, converged: true, fRoot: 0 };
  if (fb === 0) return { root: b, iterations: 0, converged: true, fRoot: 0 };
  if ((fa > 0) === (fb > 0)) {
    throw new NumericalError(where, `root not bracketed: f(${a}) = ${fa} and f(${b}) = ${fb} have the same sign`);
  }
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 1; iter <= maxIter; iter++) {
    if ((fb > 0) === (fc > 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * rtol * Math.abs(b) + 0.5 * xtol;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) {
      return { root: b, iterations: iter, converged: true, fRoot: fb };
    }
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      let p: number;
      let q: number;
      const s = fb / fa;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
    if (!Number.isFinite(fb)) throw new NumericalError(where, `function is not finite at x = ${b}: ${fb}`);
  }
  throw new NumericalError(where, `no convergence after ${maxIter} iterations (last bracket [${b}, ${c}])`);
}

/**
 * Expand [a, b] geometrically towards `hi` until f changes sign, then run Brent.
 * For monotone equations on a half-line (inverse marginal cost, Q with C'(Q) = p).
 */
export function brentExpanding(
  f: (x: number) => number,
  a: number,
  b: number,
  hi: number,
  opts: BrentOptions = {},
): RootResult {
  const fa = f(a);
  let fb = f(b);
  let lo = a;
  let guard = 0;
  while ((fa > 0) === (fb > 0) && fb !== 0) {
    if (b >= hi || guard++ > 2000) {
      throw new NumericalError(opts.where ?? "brent", `no sign change of f on [${a}, ${b}]`);
    }
    lo = b;
    b = Math.min(hi, b * 2 + 1e-300);
    fb = f(b);
  }
  return brent(f, lo, b, opts);
}
