// Integrals of g·f next to a density f that is infinite at a piece's end (docs/model.md (2.7)):
// a Beta component with a or b < 1 ending inside the support, or at its ends. There f grows like
// d^(α−1) and the types within one ulp of the end carry a mass of order (ulp/width)^α (~1e-5 for
// α = 0.3) that no node in θ resolves; the clustered Gauss–Kronrod nodes (d ∝ v²) see g·f as
// v^(2α−1), out of reach for α < 1/2. Each half of a piece is therefore taken as
//     g(e)·(mass of the half) + ∫ (g − g(e)) f,
// e the half's outer end: the mass comes from the cdf, and the remainder vanishes at the end like
// d^α. The identity holds for any constant, so g(e) is read a part in 1e9 of the piece inside the
// end, where f is finite; a node where f overflows (a type rounded onto the end) adds nothing to
// the remainder, its mass being in the first term.
// Written by hand: no quadrature library offers this for a vector of integrands sharing nodes.

import type { ContinuousDistribution } from "../distributions/types.js";
import { integrateVector, type VectorIntegrand, type VectorQuadOptions } from "./quadrature-vector.js";

/** Does the density grow without bound toward x (from inside [lo, hi])? Next to an end of a
 *  Beta component with a (or b) < 1 it grows like d^(a−1): from 1e-9 to 1e-12 of the support's
 *  width away by 1e3^(1−a), and again from 1e-6 to 1e-9, each over 10 once a < 2/3 (the
 *  threshold of one factor of 100 over six decades, as this asked until 7 Dec 2026), and by
 *  about as much on both; a density that is merely steep does not. Both steps must show it: the probes are fractions of the
 *  width, and on a support far wider than its mass (a lognormal truncated at 1e9, its mass below
 *  ~100) a smooth density falls by orders of magnitude between 1e-9 and 1e-6 of the width
 *  without rising in the first step. With one step such a law read as singular at every piece's
 *  end, went to the subtraction below, and a fuzzed tiers scenario's monopoly profit came out
 *  0.000712 instead of 0.00479, reported certified (the tiers solver caught the inconsistency). */
export function singularDensityAt(dist: ContinuousDistribution, x: number, lo: number, hi: number): boolean {
  const w = hi - lo;
  const sides = [x > lo ? -1 : 0, x < hi ? 1 : 0].filter((s) => s !== 0);
  return sides.some((s) => {
    const near = dist.pdf(x + s * 1e-12 * w);
    if (near === Infinity) return true;
    const mid = dist.pdf(x + s * 1e-9 * w);
    const far = dist.pdf(x + s * 1e-6 * w);
    // a power law grows by the same factor over both halves; a density falling steeply away
    // from x, or underflowing to 0 (far out in a wide support's tail: 10^-300 against 0, an
    // infinite ratio), does not
    if (!(far > 0 && near > 10 * mid && mid > 10 * far)) return false;
    const r1 = near / mid;
    const r2 = mid / far;
    return r1 < 100 * r2 && r2 < 100 * r1;
  });
}

/**
 * ∫ f_k over [ends[0], ends[last]] into out[k] (k < m), piece by piece between consecutive ends,
 * each half by subtraction (header) for the components with density[k] (f_k = g_k·f); the others
 * (e.g. a rent weighted by 1 − F) are integrated as they are.
 */
export function integrateBySubtraction(
  dist: ContinuousDistribution,
  f: VectorIntegrand,
  m: number,
  ends: readonly number[],
  density: readonly boolean[],
  out: Float64Array,
  opts: VectorQuadOptions,
): void {
  const total = new Float64Array(m);
  const at = new Float64Array(m);
  const c = new Float64Array(m);
  const piece = new Float64Array(m);
  const absTol = new Float64Array(m);
  const epsrel = opts.epsrel ?? 1e-13;
  const absOf = (j: number): number => (typeof opts.epsabs === "number" ? opts.epsabs : opts.epsabs ? opts.epsabs[j] : 0);
  const rest: VectorIntegrand = (t, y) => {
    const pt = dist.pdf(t);
    if (!Number.isFinite(pt)) {
      y.fill(0, 0, m);
      return;
    }
    f(t, y);
    for (let j = 0; j < m; j++) y[j] -= c[j] * pt;
  };
  for (let k = 0; k + 1 < ends.length; k++) {
    const x = ends[k];
    const y = ends[k + 1];
    if (!(y > x)) continue;
    const mid = 0.5 * (x + y);
    for (const [a, b, e] of [
      [x, mid, x + 1e-9 * (y - x)],
      [mid, y, y - 1e-9 * (y - x)],
    ] as const) {
      f(e, at);
      const pe = dist.pdf(e);
      for (let j = 0; j < m; j++) c[j] = density[j] && pe > 0 && Number.isFinite(pe) ? at[j] / pe : 0;
      // (the mass from the nearer tail: 1 − F loses no digits in the upper one)
      const Fa = dist.cdf(a);
      const mass = Fa > 0.5 ? dist.sf(a) - dist.sf(b) : dist.cdf(b) - Fa;
      // The remainder is held to the caller's tolerance relative to the whole half, not to itself:
      // where g is constant (a bunched item) it is 0 up to rounding, which no relative tolerance
      // of its own reaches.
      for (let j = 0; j < m; j++) absTol[j] = Math.max(absOf(j), epsrel * Math.abs(c[j] * mass));
      integrateVector(rest, m, a, b, [], piece, { ...opts, epsabs: absTol });
      for (let j = 0; j < m; j++) total[j] += c[j] * mass + piece[j];
    }
  }
  out.set(total.subarray(0, m));
}
