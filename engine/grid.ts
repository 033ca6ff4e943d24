// Type grids for curves and checks: `points` evenly spaced types on [min, max], both ends
// included and the last one exactly `max` (numpy's linspace, so grids match the peer's).

import { decimalLinspace } from "./decimal-grid.js";

/**
 * The types a solution reports (curves.csv's θ column): linspace's, each the decimal it is meant
 * to be where there is one (decimal-grid.ts, as a sweep's axis, a few ulps from numpy's). On
 * [0, 1] with 401 types, 51 came out as 0.7000000000000001 or 0.08750000000000001, and curves.csv
 * could not be joined on θ with summary.json's points or `lpe eval --at 0.7` (a reviewer's).
 * Internal grids (scans, a sweep point's checks) keep linspace: this costs ~20 µs for 401 types.
 */
export function reportedTypes(min: number, max: number, points: number): Float64Array {
  return points === 1 ? Float64Array.of(min) : decimalLinspace(min, max, points);
}

export function linspace(min: number, max: number, points: number): Float64Array {
  const g = new Float64Array(points);
  if (points === 1) {
    g[0] = min;
    return g;
  }
  const step = (max - min) / (points - 1);
  for (let i = 0; i < points; i++) g[i] = min + i * step;
  g[points - 1] = max;
  return g;
}

/** Largest index k with grid[k] ≤ x (0 when x < grid[0]). */
export function gridIndex(grid: Float64Array, x: number): number {
  let lo = 0;
  let hi = grid.length - 1;
  if (x >= grid[hi]) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (grid[mid] <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Types on both sides of each kink κ at κ ± o·max(1, |κ|) for every offset o, those strictly
 * inside (lo, hi): where a density jumps, or falls to 0 with an infinite slope, at a mixture
 * component's end, what happens within a grid cell of κ is seen only there (the ironing grid,
 * engine/distributions/ironing.ts, and the leader–fringe checks, solvers/leader-fringe-menu.ts).
 */
export function aroundKinks(kinks: readonly number[], offsets: readonly number[], lo: number, hi: number): number[] {
  const out: number[] = [];
  for (const k of kinks) {
    const s = Math.max(1, Math.abs(k));
    for (const o of offsets) for (const t of [k - o * s, k + o * s]) if (t > lo && t < hi) out.push(t);
  }
  return out;
}
