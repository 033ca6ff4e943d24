// Access to a solution's grid curves for figure builders: a named column or a clear error
// (a figure asking for a column its market does not produce is a builder bug), and masking,
// so a quantity that is undefined for some types (a markup where nothing is sold) leaves a gap
// in the line instead of a misleading zero.

import type { MarketSolution } from "../../solvers/types.js";

export function column(solution: MarketSolution, name: string, figure: string): Float64Array {
  const c = solution.curves.columns[name];
  if (!c) {
    const have = solution.curves.order.join(", ") || "none";
    throw new Error(`figure ${figure}: the ${solution.market} solution has no curve column "${name}" (columns: ${have})`);
  }
  return c;
}

/** values[i] where keep(i), NaN elsewhere. */
export function masked(values: ArrayLike<number>, keep: (i: number) => boolean): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = keep(i) ? values[i] : NaN;
  return out;
}

/** Elementwise a[i] − b[i]. */
export function minus(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: a.length }, (_, i) => a[i] - b[i]);
}

/** A scalar of the solution that must be a finite number (null/absent → undefined). */
export function scalar(solution: MarketSolution, name: string): number | undefined {
  const v = solution.scalars[name];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** Few grid types (finitely many buyers): mark every point, the line alone would hide them. */
export function sparse(solution: MarketSolution): boolean {
  return solution.curves.theta.length <= 40;
}

/**
 * The gaps of the law's support seen on the grid: maximal runs of grid types where the density
 * column `f` is 0 while the cdf `F` lies strictly between 0 and 1 (types below and above), as
 * [first, last] grid types of each run. A reviewer's figures of a two-uniform mixture drew the
 * curves across its gap as if types were there; captions now say where there are none.
 */
export function supportGaps(solution: MarketSolution): [number, number][] {
  const th = solution.curves.theta;
  const mask = gapMask(solution);
  if (!mask) return [];
  const out: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= th.length; i++) {
    const inGap = i < th.length && mask[i] === 1;
    if (inGap && start < 0) start = i;
    if (!inGap && start >= 0) {
      out.push([th[start], th[i - 1]]);
      start = -1;
    }
  }
  return out;
}

/** 1 at the grid types inside a gap of the support (supportGaps), null when there is none. */
export function gapMask(solution: MarketSolution): Uint8Array | null {
  const th = solution.curves.theta;
  const f = solution.curves.columns.f;
  const F = solution.curves.columns.F;
  if (!f || !F || f.length !== th.length) return null;
  const mask = new Uint8Array(th.length);
  let any = false;
  for (let i = 0; i < th.length; i++) {
    if (f[i] === 0 && F[i] > 1e-12 && F[i] < 1 - 1e-12) {
      mask[i] = 1;
      any = true;
    }
  }
  return any ? mask : null;
}

/** `y` with NaN at the types inside a gap of the support (a break in the line: no buyer is there). */
export function withoutGaps(y: ArrayLike<number>, mask: Uint8Array | null): Float64Array {
  const out = Float64Array.from(y);
  if (mask) for (let i = 0; i < out.length; i++) if (mask[i]) out[i] = NaN;
  return out;
}
