// Interval bounds of a restricted formula (restricted.ts) over a box of its variables: for every
// θ in [lo, hi] the formula's value lies in the returned [lo, hi] (natural interval extension,
// each operation's result widened outward by a few ulps to cover rounding and the libm error).
// A bound of ±∞ means "possibly unbounded or undefined there" (a pole, log of ≤ 0, 0/0…).
//
// Why: a density formula must be finite and ≥ 0 on the whole support, not only where it happens
// to be sampled (issue: a density negative only between the 401 check points passed). Bounds
// prove it on whole panels; a panel whose bound is inconclusive is split, and the caller samples
// its midpoint, so a real negative value is found and reported where it is.
//
// The bounds are valid but not tight (x − x gives [lo − hi, hi − lo], not 0); they tighten as the
// box shrinks, which is all the subdivision needs. Functions without a simple monotone structure
// fall back to safe ranges (atan2 ∈ [−π, π]; gamma outside (0, ∞) is unbounded).

import { ALLOWED_FUNCTIONS, type MathNode } from "./restricted.js";

export interface Interval {
  lo: number;
  hi: number;
}

const WHOLE: Interval = { lo: -Infinity, hi: Infinity };
const REL = 4 * 2.220446049250313e-16;

/** [lo, hi] widened outward by a few ulps; NaN anywhere gives the whole line. */
function iv(lo: number, hi: number): Interval {
  if (Number.isNaN(lo) || Number.isNaN(hi)) return WHOLE;
  const a = Math.min(lo, hi);
  const b = Math.max(lo, hi);
  return { lo: a - Math.abs(a) * REL - Number.MIN_VALUE, hi: b + Math.abs(b) * REL + Number.MIN_VALUE };
}

const point = (x: number): Interval => ({ lo: x, hi: x });
const isPoint = (x: Interval) => x.lo === x.hi;
const contains = (x: Interval, v: number) => x.lo <= v && v <= x.hi;

function mul(a: Interval, b: Interval): Interval {
  const p = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
  if (p.some(Number.isNaN)) return WHOLE; // 0 · ∞
  return iv(Math.min(...p), Math.max(...p));
}

function div(a: Interval, b: Interval): Interval {
  if (contains(b, 0)) return WHOLE;
  return mul(a, iv(1 / b.hi, 1 / b.lo));
}

/** f nondecreasing on [dlo, dhi] (its domain); outside the domain: undefined, so WHOLE. */
function increasing(f: (x: number) => number, x: Interval, dlo = -Infinity, dhi = Infinity): Interval {
  if (x.lo < dlo || x.hi > dhi) return WHOLE;
  return iv(f(x.lo), f(x.hi));
}

function decreasing(f: (x: number) => number, x: Interval, dlo = -Infinity, dhi = Infinity): Interval {
  if (x.lo < dlo || x.hi > dhi) return WHOLE;
  return iv(f(x.hi), f(x.lo));
}

function integerPower(x: Interval, k: number): Interval {
  if (k === 0) return point(1);
  if (k < 0) return div(point(1), integerPower(x, -k));
  const a = Math.pow(x.lo, k);
  const b = Math.pow(x.hi, k);
  if (k % 2 === 1) return iv(a, b);
  if (contains(x, 0)) return iv(0, Math.max(a, b));
  return iv(Math.min(a, b), Math.max(a, b));
}

function pow(x: Interval, y: Interval): Interval {
  if (isPoint(y) && Number.isInteger(y.lo) && Math.abs(y.lo) <= 1024) return integerPower(x, y.lo);
  if (isPoint(y)) {
    const p = y.lo;
    if (x.lo < 0) return WHOLE; // a negative base with a fractional exponent is not real
    return p > 0 ? iv(Math.pow(x.lo, p), Math.pow(x.hi, p)) : x.lo === 0 ? WHOLE : iv(Math.pow(x.hi, p), Math.pow(x.lo, p));
  }
  if (!(x.lo > 0)) return WHOLE;
  return exp(mul(y, increasing(Math.log, x, 0)));
}

const exp = (x: Interval) => increasing(Math.exp, x);

const TWO_PI = 2 * Math.PI;

/** sin over x: the end values, and ±1 where a peak or trough lies inside. */
function sin(x: Interval): Interval {
  if (!(Number.isFinite(x.lo) && Number.isFinite(x.hi)) || x.hi - x.lo >= TWO_PI) return iv(-1, 1);
  let lo = Math.min(Math.sin(x.lo), Math.sin(x.hi));
  let hi = Math.max(Math.sin(x.lo), Math.sin(x.hi));
  // rounding of k·2π near the ends: test peaks a little outside too (only widens the bound)
  const slack = 1e-12 * Math.max(1, Math.abs(x.lo), Math.abs(x.hi));
  const hasPeakNear = (phase: number) => {
    const k = Math.ceil((x.lo - slack - phase) / TWO_PI);
    return phase + k * TWO_PI <= x.hi + slack;
  };
  if (hasPeakNear(Math.PI / 2)) hi = 1;
  if (hasPeakNear(-Math.PI / 2)) lo = -1;
  return iv(lo, hi);
}

const cos = (x: Interval) => sin(iv(x.lo + Math.PI / 2, x.hi + Math.PI / 2));

function tan(x: Interval): Interval {
  if (!(Number.isFinite(x.lo) && Number.isFinite(x.hi)) || x.hi - x.lo >= Math.PI) return WHOLE;
  // a pole at π/2 + kπ inside (or within rounding of) the interval: unbounded
  const slack = 1e-12 * Math.max(1, Math.abs(x.lo), Math.abs(x.hi));
  const k = Math.ceil((x.lo - slack - Math.PI / 2) / Math.PI);
  if (Math.PI / 2 + k * Math.PI <= x.hi + slack) return WHOLE;
  return iv(Math.tan(x.lo), Math.tan(x.hi));
}

function abs(x: Interval): Interval {
  if (contains(x, 0)) return iv(0, Math.max(-x.lo, x.hi));
  return x.lo > 0 ? x : iv(-x.hi, -x.lo);
}

function cosh(x: Interval): Interval {
  if (contains(x, 0)) return iv(1, Math.max(Math.cosh(x.lo), Math.cosh(x.hi)));
  return x.lo > 0 ? increasing(Math.cosh, x) : decreasing(Math.cosh, x);
}

/** Γ on (0, ∞): convex with its minimum Γ(x₀) at x₀ ≈ 1.4616. */
const GAMMA_MIN_AT = 1.4616321449683623;
const GAMMA_MIN = 0.8856031944108887;
function gamma(x: Interval, g: (x: number) => number): Interval {
  if (!(x.lo > 0)) return WHOLE;
  if (x.hi <= GAMMA_MIN_AT) return iv(g(x.hi), g(x.lo));
  if (x.lo >= GAMMA_MIN_AT) return iv(g(x.lo), g(x.hi));
  return iv(GAMMA_MIN, Math.max(g(x.lo), g(x.hi)));
}

type Iv = (box: readonly Interval[]) => Interval;

interface Scalars {
  erf: (x: number) => number;
  gamma: (x: number) => number;
}

const UNARY: Record<string, (x: Interval, s: Scalars) => Interval> = {
  exp,
  log: (x) => increasing(Math.log, x, 0),
  log10: (x) => increasing(Math.log10, x, 0),
  log2: (x) => increasing(Math.log2, x, 0),
  log1p: (x) => increasing(Math.log1p, x, -1),
  expm1: (x) => increasing(Math.expm1, x),
  sqrt: (x) => increasing(Math.sqrt, x, 0),
  cbrt: (x) => increasing(Math.cbrt, x),
  abs,
  sin,
  cos,
  tan,
  asin: (x) => increasing(Math.asin, x, -1, 1),
  acos: (x) => decreasing(Math.acos, x, -1, 1),
  atan: (x) => increasing(Math.atan, x),
  sinh: (x) => increasing(Math.sinh, x),
  cosh,
  tanh: (x) => increasing(Math.tanh, x),
  erf: (x, s) => increasing(s.erf, x),
  gamma: (x, s) => gamma(x, s.gamma),
};

/**
 * The interval extension of a checked formula tree (restricted.ts, compileRestricted), over
 * boxes of `variables` in that order.
 */
export function intervalEvaluator(tree: MathNode, variables: readonly string[], scalars: Scalars): Iv {
  const varIndex = new Map(variables.map((name, i) => [name, i] as const));
  const build = (node: MathNode): Iv => {
    switch (node.type) {
      case "ConstantNode": {
        const c = point(node.value as number);
        return () => c;
      }
      case "SymbolNode": {
        const name = String(node.name);
        const i = varIndex.get(name);
        if (i !== undefined) return (box) => box[i];
        const c = point(name === "pi" ? Math.PI : Math.E);
        return () => c;
      }
      case "ParenthesisNode":
        return build(node.content as MathNode);
      case "OperatorNode": {
        const args = (node.args ?? []).map(build);
        switch (String(node.fn)) {
          case "add":
            return (b) => {
              const x = args[0](b);
              const y = args[1](b);
              return iv(x.lo + y.lo, x.hi + y.hi);
            };
          case "subtract":
            return (b) => {
              const x = args[0](b);
              const y = args[1](b);
              return iv(x.lo - y.hi, x.hi - y.lo);
            };
          case "multiply":
            return (b) => mul(args[0](b), args[1](b));
          case "divide":
            return (b) => div(args[0](b), args[1](b));
          case "pow":
            return (b) => pow(args[0](b), args[1](b));
          case "unaryMinus":
            return (b) => {
              const x = args[0](b);
              return { lo: -x.hi, hi: -x.lo };
            };
          default:
            return args[0];
        }
      }
      case "FunctionNode": {
        const name = String((node.fn as MathNode).name);
        const args = (node.args ?? []).map(build);
        switch (name) {
          case "pow":
            return (b) => pow(args[0](b), args[1](b));
          case "log":
            if (args.length === 2) return (b) => div(UNARY.log(args[0](b), scalars), UNARY.log(args[1](b), scalars));
            return (b) => UNARY.log(args[0](b), scalars);
          case "min":
          case "max": {
            const pick = name === "min" ? Math.min : Math.max;
            return (b) => {
              let lo = NaN;
              let hi = NaN;
              for (const a of args) {
                const x = a(b);
                lo = Number.isNaN(lo) ? x.lo : pick(lo, x.lo);
                hi = Number.isNaN(hi) ? x.hi : pick(hi, x.hi);
              }
              return { lo, hi };
            };
          }
          case "atan2":
            return () => iv(-Math.PI, Math.PI);
          default: {
            const f = UNARY[name];
            if (!f || !ALLOWED_FUNCTIONS.includes(name)) return () => WHOLE;
            return (b) => f(args[0](b), scalars);
          }
        }
      }
      default:
        return () => WHOLE;
    }
  };
  return build(tree);
}

/** A formula's value and its derivative in one variable, both enclosed over a box. */
export interface Slope {
  v: Interval;
  d: Interval;
}

const ZERO = point(0);
const add = (a: Interval, b: Interval) => iv(a.lo + b.lo, a.hi + b.hi);
const sub = (a: Interval, b: Interval) => iv(a.lo - b.hi, a.hi - b.lo);
const neg = (a: Interval): Interval => ({ lo: -a.hi, hi: -a.lo });
const square = (a: Interval) => integerPower(a, 2);
/** x ↦ hull: the interval extension of sign(x)·dx for abs, and of the active argument's slope for min/max. */
const hull = (...xs: Interval[]): Interval => ({ lo: Math.min(...xs.map((x) => x.lo)), hi: Math.max(...xs.map((x) => x.hi)) });

/** Derivative enclosure of each one-argument function, given the argument's value enclosure x. */
const UNARY_SLOPE: Record<string, (x: Interval, s: Scalars) => Interval> = {
  exp: (x) => exp(x),
  log: (x) => div(point(1), x),
  log10: (x) => div(point(1 / Math.LN10), x),
  log2: (x) => div(point(1 / Math.LN2), x),
  log1p: (x) => div(point(1), add(x, point(1))),
  expm1: (x) => exp(x),
  sqrt: (x) => div(point(0.5), increasing(Math.sqrt, x, 0)),
  cbrt: (x) => div(point(1 / 3), square(increasing(Math.cbrt, x))),
  abs: (x) => (x.lo > 0 ? point(1) : x.hi < 0 ? point(-1) : iv(-1, 1)),
  sin: (x) => cos(x),
  cos: (x) => neg(sin(x)),
  tan: (x) => add(point(1), square(tan(x))),
  asin: (x) => div(point(1), increasing(Math.sqrt, sub(point(1), square(x)), 0)),
  acos: (x) => div(point(-1), increasing(Math.sqrt, sub(point(1), square(x)), 0)),
  atan: (x) => div(point(1), add(point(1), square(x))),
  sinh: (x) => cosh(x),
  cosh: (x) => increasing(Math.sinh, x),
  tanh: (x) => sub(point(1), square(increasing(Math.tanh, x))),
  erf: (x) => mul(point(2 / Math.sqrt(Math.PI)), exp(neg(square(x)))),
  gamma: () => WHOLE, // Γ' = Γψ: no digamma here, so no slope (the plain bound still applies)
};

/**
 * Value and derivative (in `variable`) of a checked formula tree over an interval of that
 * variable: forward differentiation on intervals. A derivative that keeps one sign proves the
 * formula monotone on the interval, and the mean-value form f(m) + f′(X)(X − m) bounds it much
 * more tightly than the plain extension near a zero (x² − x + 1/4 near 1/2).
 */
export function slopeEvaluator(tree: MathNode, variable: string, scalars: Scalars): (x: Interval) => Slope {
  type Sv = (x: Interval) => Slope;
  const build = (node: MathNode): Sv => {
    switch (node.type) {
      case "ConstantNode": {
        const c = { v: point(node.value as number), d: ZERO };
        return () => c;
      }
      case "SymbolNode": {
        const name = String(node.name);
        if (name === variable) return (x) => ({ v: x, d: point(1) });
        const c = { v: point(name === "pi" ? Math.PI : name === "e" ? Math.E : NaN), d: ZERO };
        return () => c;
      }
      case "ParenthesisNode":
        return build(node.content as MathNode);
      case "OperatorNode": {
        const args = (node.args ?? []).map(build);
        switch (String(node.fn)) {
          case "add":
            return (x) => {
              const a = args[0](x);
              const b = args[1](x);
              return { v: add(a.v, b.v), d: add(a.d, b.d) };
            };
          case "subtract":
            return (x) => {
              const a = args[0](x);
              const b = args[1](x);
              return { v: sub(a.v, b.v), d: sub(a.d, b.d) };
            };
          case "multiply":
            return (x) => {
              const a = args[0](x);
              const b = args[1](x);
              return { v: mul(a.v, b.v), d: add(mul(a.d, b.v), mul(a.v, b.d)) };
            };
          case "divide":
            return (x) => {
              const a = args[0](x);
              const b = args[1](x);
              return { v: div(a.v, b.v), d: div(sub(mul(a.d, b.v), mul(a.v, b.d)), square(b.v)) };
            };
          case "pow":
            return (x) => powSlope(args[0](x), args[1](x));
          case "unaryMinus":
            return (x) => {
              const a = args[0](x);
              return { v: neg(a.v), d: neg(a.d) };
            };
          default:
            return args[0];
        }
      }
      case "FunctionNode": {
        const name = String((node.fn as MathNode).name);
        const args = (node.args ?? []).map(build);
        switch (name) {
          case "pow":
            return (x) => powSlope(args[0](x), args[1](x));
          case "log":
            if (args.length === 2) {
              // log_b a = ln a / ln b
              return (x) => {
                const a = args[0](x);
                const b = args[1](x);
                const la = { v: UNARY.log(a.v, scalars), d: mul(a.d, UNARY_SLOPE.log(a.v, scalars)) };
                const lb = { v: UNARY.log(b.v, scalars), d: mul(b.d, UNARY_SLOPE.log(b.v, scalars)) };
                return { v: div(la.v, lb.v), d: div(sub(mul(la.d, lb.v), mul(la.v, lb.d)), square(lb.v)) };
              };
            }
            break;
          case "min":
          case "max": {
            const pick = name === "min" ? Math.min : Math.max;
            return (x) => {
              const all = args.map((a) => a(x));
              let lo = all[0].v.lo;
              let hi = all[0].v.hi;
              for (const a of all) {
                lo = pick(lo, a.v.lo);
                hi = pick(hi, a.v.hi);
              }
              // where another argument may be the active one, its slope may be the slope
              return { v: { lo, hi }, d: hull(...all.map((a) => a.d)) };
            };
          }
          case "atan2":
            return () => ({ v: iv(-Math.PI, Math.PI), d: WHOLE });
        }
        const f = UNARY[name];
        const fd = UNARY_SLOPE[name];
        if (!f || !fd) return () => ({ v: WHOLE, d: WHOLE });
        return (x) => {
          const a = args[0](x);
          return { v: f(a.v, scalars), d: mul(a.d, fd(a.v, scalars)) };
        };
      }
    }
    return () => ({ v: WHOLE, d: WHOLE });
  };
  return build(tree);
}

/** (a^b)′: b·a^(b−1)·a′ for a constant exponent, else a^b·(b′ ln a + b a′/a). */
function powSlope(a: Slope, b: Slope): Slope {
  const v = pow(a.v, b.v);
  if (b.d.lo === 0 && b.d.hi === 0 && isPoint(b.v)) {
    const p = b.v.lo;
    if (p === 0) return { v, d: ZERO };
    return { v, d: mul(mul(point(p), pow(a.v, point(p - 1))), a.d) };
  }
  if (!(a.v.lo > 0)) return { v, d: WHOLE };
  const ln = increasing(Math.log, a.v, 0);
  return { v, d: mul(v, add(mul(b.d, ln), div(mul(b.v, a.d), a.v))) };
}
