// Lower convex hull of points sorted by x (Andrew's monotone chain). The ironing of
// docs/model.md section 2 takes the convex hull H̄ of H(u) = ∫_0^u h(F⁻¹(v)) dv in quantile space;
// written by hand because it is ten lines and no library works on Float64Array in place.

/** Indices of the vertices of the lower convex hull of (x[i], y[i]), x strictly ascending. */
export function lowerConvexHull(x: ArrayLike<number>, y: ArrayLike<number>, n = x.length): Int32Array {
  return lowerConvexHullBy(
    n,
    (i, j) => x[j] - x[i],
    (i, j) => y[j] - y[i],
  );
}

/**
 * The same hull given the differences x_j − x_i and y_j − y_i of points 0..n−1 (x strictly
 * ascending) rather than the coordinates: where no single double holds x to the precision its
 * differences need (the quantile u = F(θ) in an upper tail where 1 − F is 1e-25, whose
 * differences the survival function gives exactly), the caller computes each difference in the
 * coordinates that keep it (engine/distributions/ironing.ts).
 */
export function lowerConvexHullBy(n: number, dx: (i: number, j: number) => number, dy: (i: number, j: number) => number): Int32Array {
  const idx = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    while (m >= 2) {
      const i0 = idx[m - 2];
      const i1 = idx[m - 1];
      // i1 lies on or above the chord i0 → i: drop it (collinear points are dropped too,
      // so an ironed interval is reported only where the hull really leaves H). The turn is
      // (p1 − p0) × (p − p1), not (p1 − p0) × (p − p0): the same number, but with p1 and p close
      // and far from p0 the second form lost their difference (a tail of mass 1e-26 after one of 6e-8).
      const cross = dx(i0, i1) * dy(i1, i) - dy(i0, i1) * dx(i1, i);
      if (cross <= 0) m--;
      else break;
    }
    idx[m++] = i;
  }
  return idx.slice(0, m);
}
