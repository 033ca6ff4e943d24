// E[φ(θ); from ≤ θ ≤ to] = ∫ φ f dθ over a type distribution: a sum over atoms for a discrete
// one; for a continuous one, adaptive quadrature split at the given breakpoints (kinks of φ)
// and at the distribution's own kinks (where f jumps: a mixture's component ends), with nodes
// clustered at both ends of every piece, so an integrable singularity of the density at a support
// end (beta with a or b < 1) is resolved; where the density is infinite at a piece's end like
// d^(α−1) with α < 2/3, by subtraction (singular-density.ts). If that still cannot reach the
// tolerance — next to an infinite density at an end that is not 0 the types are quantized to
// ulps and the mass within one ulp can exceed 1e-13 — the integral is redone in quantile
// space, ∫ φ(F⁻¹(u)) du, which has no density in it at all.

import type { ContinuousDistribution, TypeDistribution } from "../distributions/types.js";
import { NumericalError } from "../errors.js";
import { massBreaks } from "./mass-breaks.js";
import { integratePiecewise } from "./piecewise-integral.js";
import type { QuadOptions } from "./quadrature.js";
import { integrateBySubtraction, singularDensityAt } from "./singular-density.js";

/** ∫ φ f over the pieces between consecutive `ends`, by subtraction (singular-density.ts). */
function bySubtraction(dist: ContinuousDistribution, phi: (theta: number) => number, ends: number[], opts: QuadOptions): number {
  const out = new Float64Array(1);
  const where = opts.where ?? "expectation";
  integrateBySubtraction(dist, (t, y) => (y[0] = phi(t) * dist.pdf(t)), 1, ends, [true], out, { epsrel: opts.epsrel, epsabs: opts.epsabs, endpoints: true, where: () => where });
  return out[0];
}

export function expectation(
  dist: TypeDistribution,
  phi: (theta: number) => number,
  breakpoints: readonly number[],
  where: string,
  epsabs = 0,
  from?: number,
  to?: number,
  epsrel = 1e-13,
): number {
  if (dist.discrete) {
    let s = 0;
    for (let i = 0; i < dist.values.length; i++) {
      const v = dist.values[i];
      if ((from === undefined || v >= from) && (to === undefined || v <= to)) s += dist.probs[i] * phi(v);
    }
    return s;
  }
  const lo = Math.max(dist.min, from ?? dist.min);
  const hi = Math.min(dist.max, to ?? dist.max);
  if (!(hi > lo)) return 0;
  // (and where a support far wider than its mass needs them: mass-breaks.ts)
  const breaks = [...new Set([...breakpoints, ...(dist.kinks ?? []), ...massBreaks(dist)])].filter((b) => b > lo && b < hi).sort((x, y) => x - y);
  try {
    const ends = [lo, ...breaks, hi];
    if (ends.some((x) => singularDensityAt(dist, x, lo, hi))) return bySubtraction(dist, phi, ends, { epsrel, epsabs, endpoints: true, where });
    // (where the density is 0, so is the integrand, whatever φ: far out in a wide support's tail
    // φ overflows — a type's quality at θ = 1e14 — and ∞·0 was NaN, failing the solve)
    const g = (t: number) => {
      const f = dist.pdf(t);
      return f === 0 ? 0 : phi(t) * f;
    };
    return integratePiecewise(g, lo, hi, breaks, { epsrel, epsabs, endpoints: true, where });
  } catch (e) {
    if (!(e instanceof NumericalError)) throw e;
    return integratePiecewise(
      (u) => phi(dist.quantile(u)),
      dist.cdf(lo),
      dist.cdf(hi),
      breaks.map((b) => dist.cdf(b)),
      { epsrel, epsabs, endpoints: true, where: `${where} (in quantile space)` },
    );
  }
}
