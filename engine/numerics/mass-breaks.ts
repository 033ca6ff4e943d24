// Where to split an integral over the types of a law whose support is far wider than its mass
// (the integrals of docs/model.md (2.x) and (3.x) over [θ_min, θ_max]): at quantiles of the law
// and, past the last of them, at every factor of 10 up to θ_max. Why: an adaptive Gauss–Kronrod
// rule's first panel over [0.5, 1e9] puts no node where a lognormal's mass is (below ~200), sees
// an integrand of ~0 with an error estimate of ~0, and stops there as soon as any absolute
// tolerance is allowed: the efficient welfare of a fuzzed scenario came out 0.023 instead of 910,
// its profit certified. Split here, every piece holds a share of the mass or lies in the tail
// where the integrand (density times a payoff that may grow like θ^k) decays piece by piece.
// A support that ends where its mass does gets no breaks (the same integrals, to the bit, as
// before 7 Dec 2026): "wide" means wider than WIDE_FACTOR times the span of all but 2e-12 of
// the mass.

import type { TypeDistribution } from "../distributions/types.js";

export const WIDE_FACTOR = 100;
const QUANTILES = [1e-12, 1e-9, 1e-6, 1e-3, 0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98, 1 - 1e-3, 1 - 1e-6, 1 - 1e-9, 1 - 1e-12, 1 - 1e-15];

interface Wide {
  breaks: readonly number[];
  /** where all but 2e-12 of the mass lies, on a wide support */
  span?: readonly [number, number];
  /** massGrid's grids, by their number of quantile midpoints */
  grids: Map<number, readonly number[]>;
}
const cache = new WeakMap<object, Wide>();
const NOT_WIDE: Wide = { breaks: [], grids: new Map() };

function wide(dist: TypeDistribution): Wide {
  if (dist.discrete) return NOT_WIDE;
  const hit = cache.get(dist);
  if (hit) return hit;
  const { min, max } = dist;
  let a = NaN;
  let b = NaN;
  try {
    a = dist.quantile(1e-12);
    b = dist.quantile(1 - 1e-12);
  } catch {
    // a law whose quantile cannot be had this far out is taken as not wide (the integrals as before)
  }
  let w = NOT_WIDE;
  if (Number.isFinite(a) && Number.isFinite(b) && max - min > WIDE_FACTOR * (b - a)) {
    const pts = new Set<number>();
    for (const u of QUANTILES) pts.add(dist.quantile(u));
    // past the last quantile, a break at every factor of 10 (of the distance from min when the
    // support starts at or below 0)
    const last = dist.quantile(1 - 1e-15);
    const base = min > 0 ? 0 : min;
    for (let x = base + 10 * (last - base); x < max && pts.size < 400; x = base + 10 * (x - base)) pts.add(x);
    // and before the first, the same toward min (a law whose mass sits at the top of its support)
    const first = dist.quantile(1e-15);
    for (let x = max - 10 * (max - first); x > min && pts.size < 800; x = max - 10 * (max - x)) pts.add(x);
    const breaks = [...pts].filter((x) => Number.isFinite(x) && x > min && x < max).sort((x, y) => x - y);
    w = { breaks, span: [a, b], grids: new Map() };
  }
  cache.set(dist, w);
  return w;
}

/** The breaks of a wide support (header), sorted, strictly inside (min, max); none otherwise. */
export function massBreaks(dist: TypeDistribution): readonly number[] {
  return wide(dist).breaks;
}

/** On a wide support, [F⁻¹(1e-12), F⁻¹(1 − 1e-12)]: where all but 2e-12 of the mass lies. */
export function massSpan(dist: TypeDistribution): readonly [number, number] | undefined {
  return wide(dist).span;
}

/** On a wide support (massBreaks not empty): n types at the law's quantile midpoints, with the
 *  breaks, sorted, for a grid-based computation (a certificate's trapezoid) that a grid even in θ
 *  would starve (201 types over [0.1, 1e6] put one where a lognormal's mass is, and a
 *  leader–fringe certificate read a gap of 1.9e-29 where it is 9e-9); none otherwise. */
export function massGrid(dist: TypeDistribution, n: number): readonly number[] {
  const w = wide(dist);
  if (w.breaks.length === 0 || dist.discrete) return [];
  // (the same grid serves the ironing hull and the leader–fringe scan of one solve: n quantiles
  // by Brent each, computed once)
  const hit = w.grids.get(n);
  if (hit) return hit;
  const pts: number[] = [...w.breaks];
  for (let k = 0; k < n; k++) pts.push(dist.quantile((k + 0.5) / n));
  // and the tail, where the mass is tiny but a payoff growing like θ^k may not be (an excess of
  // 8e-9 of profit at θ ∈ [50, 200] of a lognormal(0, 0.6), beyond its 1 − 1e-15 quantile ~117,
  // went unseen with the quantiles alone): n/8 types a factor of 10, geometric from the median
  // (from the median's distance to min when the support starts at or below 0)
  const med = dist.quantile(0.5);
  const base = dist.min > 0 ? 0 : dist.min;
  const step = Math.pow(10, 8 / n);
  for (let x = base + (med - base) * step; x < dist.max && pts.length < 20 * n; x = base + (x - base) * step) pts.push(x);
  const grid = pts.filter((x) => x > dist.min && x < dist.max).sort((x, y) => x - y);
  w.grids.set(n, grid);
  return grid;
}
