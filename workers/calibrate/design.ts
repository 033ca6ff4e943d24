// The multistart design of `lpe calibrate`: n starting points spread over the k-dimensional box
// of the free parameters (in the unit cube; problem.ts maps it to the bounds, log-scaled where
// asked). A Latin hypercube puts exactly one point in each of n equal slices of every axis, so
// even a few starts cover every parameter's range; of 32 seeded candidate hypercubes the one
// whose closest pair of points is farthest apart (maximin) is kept, which avoids clumps.
// Points stay inside [0.02, 0.98]-scaled strata so no start sits on a bound (where the search
// transform is singular). Reproducible: the seedrandom `alea` stream seeded with the seed.

import type seedrandomType from "seedrandom";
import { requirePackage } from "../../engine/lazy-require.js";

export const DESIGN_CANDIDATES = 32;

export function latinHypercube(n: number, k: number, seed: number): number[][] {
  const seedrandom = requirePackage("seedrandom") as typeof seedrandomType;
  const rng = seedrandom.alea(`lpe-calibrate:${seed}`);
  let best: number[][] = [];
  let bestScore = -Infinity;
  for (let c = 0; c < DESIGN_CANDIDATES; c++) {
    const pts = Array.from({ length: n }, () => new Array<number>(k).fill(0));
    for (let j = 0; j < k; j++) {
      const perm = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const r = Math.floor(rng() * (i + 1));
        [perm[i], perm[r]] = [perm[r], perm[i]];
      }
      for (let i = 0; i < n; i++) pts[i][j] = (perm[i] + 0.02 + 0.96 * rng()) / n;
    }
    let score = Infinity;
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        let d = 0;
        for (let j = 0; j < k; j++) d += (pts[a][j] - pts[b][j]) ** 2;
        score = Math.min(score, d);
      }
    }
    if (score > bestScore) {
      bestScore = score;
      best = pts;
    }
  }
  return best;
}
