// Lower convex hull of points sorted by x (Andrew's monotone chain). The ironing of
// docs/model.md section 2 takes the convex hull H̄ of H(u) = ∫_0^u h(F⁻¹(v)) dv in quantile space;
// written by hand because it is ten lines and no library works on Float64Array in place.

/** Indices of the vertices of the lower convex hull of (x[i], y[i]), x strictly ascending. */
export function lowerConvexHull(x: ArrayLike<number>, y: ArrayLike<number>, n = x.length): Int32Array {
  const idx = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    while (m >= 2) {
      const i0 = idx[m - 2];
      const i1 = idx[m - 1];
      // i1 lies on or above the chord i0 → i: drop it (collinear points are dropped too,
      // so an ironed interval is reported only where the hull really leaves H).
      const cross = (x[i1] - x[i0]) * (y[i] - y[i0]) - (y[i1] - y[i0]) * (x[i] - x[i0]);
      if (cross <= 0) m--;
      else break;
    }
    idx[m++] = i;
  }
  return idx.slice(0, m);
}
