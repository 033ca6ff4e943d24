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
