// E[φ(θ); from ≤ θ ≤ to] = ∫ φ f dθ over a type distribution: a sum over atoms for a discrete
// one; for a continuous one, adaptive quadrature split at the given breakpoints (kinks of φ)
// and at the distribution's own kinks (where f jumps: a mixture's component ends), with nodes clustered at both ends of every piece, so an integrable singularity of the
// density at a support end (beta with a or b < 1) is resolved. If that still cannot reach the
// tolerance — next to an infinite density at an end that is not 0 the types are quantized to
// ulps and the mass within one ulp can exceed 1e-13 — the integral is redone in quantile
// space, ∫ φ(F⁻¹(u)) du, which has no density in it at all.

import type { ContinuousDistribution, TypeDistribution } from "../distributions/types.js";
import { NumericalError } from "../errors.js";
import { integratePiecewise } from "./piecewise-integral.js";
import { integrate, nextInside, type QuadOptions } from "./quadrature.js";

/** Does the density grow without bound toward x (from inside [lo, hi])? Next to an end of a
 *  Beta component with a (or b) < 1 it grows like d^(a−1): from 1e-6 to 1e-12 of the support's
 *  width away, by 1e6^(1−a), over 100 once a < 2/3; a density that is merely steep grows by less. */
function singularAt(dist: ContinuousDistribution, x: number, lo: number, hi: number): boolean {
  const w = hi - lo;
  const sides = [x > lo ? -1 : 0, x < hi ? 1 : 0].filter((s) => s !== 0);
  return sides.some((s) => {
    const near = dist.pdf(x + s * 1e-12 * w);
    const far = dist.pdf(x + s * 1e-6 * w);
    return near > 100 * far || near === Infinity;
  });
}

/**
 * ∫ φ f over the pieces between consecutive `ends`, each half of a piece as
 * φ(end)·(mass of the half) + ∫ (φ − φ(end)) f, φ(end) taken one ulp inside the piece. Near an
 * end where f is infinite like d^(a−1) the remainder's integrand vanishes like d^a instead: the
 * clustered Gauss–Kronrod nodes (d ∝ v²) resolve it for any a > 0, where φ·f itself (v^(2a−1))
 * was out of reach for a < 1/2 (a Beta(0.3, 3) component: the welfare integral failed at 1e-13).
 */
function bySubtraction(dist: ContinuousDistribution, phi: (theta: number) => number, ends: number[], opts: QuadOptions): number {
  let sum = 0;
  for (let k = 0; k + 1 < ends.length; k++) {
    const x = ends[k];
    const y = ends[k + 1];
    const m = 0.5 * (x + y);
    for (const [a, b, at] of [
      [x, m, nextInside(x, y)],
      [m, y, nextInside(y, x)],
    ] as const) {
      const c = phi(at);
      // (the mass from the nearer tail: 1 − F loses no digits in the upper one)
      const Fa = dist.cdf(a);
      const mass = Fa > 0.5 ? dist.sf(a) - dist.sf(b) : dist.cdf(b) - Fa;
      sum += c * mass + integrate((t) => (phi(t) - c) * dist.pdf(t), a, b, opts);
    }
  }
  return sum;
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
  const breaks = [...new Set([...breakpoints, ...(dist.kinks ?? [])])].filter((b) => b > lo && b < hi).sort((x, y) => x - y);
  try {
    const ends = [lo, ...breaks, hi];
    if (ends.some((x) => singularAt(dist, x, lo, hi))) return bySubtraction(dist, phi, ends, { epsrel, epsabs, endpoints: true, where });
    return integratePiecewise((t) => phi(t) * dist.pdf(t), lo, hi, breaks, { epsrel, epsabs, endpoints: true, where });
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
