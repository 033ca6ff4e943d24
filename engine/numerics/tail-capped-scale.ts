// A scale for the absolute tolerances and noise floors of the solvers' integrals over the types
// (the profits, surpluses and rents of docs/model.md (2.x) and (3.x), and the gaps of (3.30)):
// a quantity at the top of the support, capped at SCALE_CAP times its mean over the law.
// Why: the solvers judge integrals and gaps against a value at θ_max (the outside option there,
// the top type's quality times the support's width), which is the largest the quantity reaches
// and a fair scale when the support ends where the law's mass ends. On a support far wider than
// its mass (a lognormal truncated at 1e9, its mass below ~200, surplus growing like θ^5) that
// value is 10^40 times the integrals themselves: an absolute tolerance of 1e-15 of it let
// quadratures stop on garbage, and a noise floor of 1e-13 of it swallowed the whole profit (the
// multi-model monopoly earned 751 and then 201 where 319 is right, the leader–fringe market 0,
// both reported certified, until 7 Dec 2026: a fuzzed scenario). The mean is taken on quantile
// midpoints: a rough estimate (it under-weighs the tail), enough for a scale; and capped, not
// replaced, and only on a wide support (mass-breaks.ts), so that a support that ends where its
// mass does keeps exactly its old tolerances.

import type { TypeDistribution } from "../distributions/types.js";
import { massBreaks } from "./mass-breaks.js";

export const SCALE_CAP = 1e3;
const MIDPOINTS = 64;

/** E|φ(θ)| over the law: exact for finitely many types, on quantile midpoints otherwise. */
export function meanMagnitude(dist: TypeDistribution, phi: (theta: number) => number): number {
  let s = 0;
  if (dist.discrete) {
    for (let i = 0; i < dist.values.length; i++) {
      const v = Math.abs(phi(dist.values[i]));
      if (Number.isFinite(v)) s += dist.probs[i] * v;
    }
    return s;
  }
  for (let k = 0; k < MIDPOINTS; k++) {
    const v = Math.abs(phi(dist.quantile((k + 0.5) / MIDPOINTS)));
    if (Number.isFinite(v)) s += v;
  }
  return s / MIDPOINTS;
}

/** `top` (the quantity's value at the top of the support), capped at SCALE_CAP · E|φ| (also
 *  when it is not a number: the top type's quality can overflow where the mass is long gone). */
export function tailCappedScale(dist: TypeDistribution, phi: (theta: number) => number, top: number): number {
  // only on a wide support (mass-breaks.ts): elsewhere the scale stays the top value, at no cost
  // (a sweep point would otherwise pay for 64 quantiles; and a steep payoff, θ^1000 with
  // σ + γ = 0.999, reaches 1000 times its mean on U[0, 1] with nothing wrong)
  if (massBreaks(dist).length === 0) return top;
  const mean = meanMagnitude(dist, phi);
  return mean > 0 && !(top <= SCALE_CAP * mean) ? SCALE_CAP * mean : top;
}
