// Contour lines of a gridded function (a 2-D sweep's output), by marching squares: for each
// level, each grid square whose corners straddle it contributes one segment (two for a
// saddle), its ends interpolated linearly along the square's edges — in log z when the colour
// scale is logarithmic, so the line sits where the colour changes. On a log scale an edge from a
// positive value to zero (a vanishing profit, below every level) is crossed where the values
// beyond its positive end extrapolate to the level: before, the squares touching zero were
// skipped and the lines there broke up along the grid's stair-steps (a reviewer's zero-profit
// boundary). Squares with a failed (NaN) corner are skipped: no line is guessed across a hole.
// Pure; the segments come out as one polyline per level, broken by NaN in y (figure series
// need finite x).

/** Segments of the level set z = level, as [x0, y0, x1, y1] quadruples. */
export function contourSegments(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  z: ArrayLike<number>,
  level: number,
  log = false,
  /** on a log scale, always linearly in log z between two positive values: for a map whose values
   *  jump by decades between cells (an optimality gap of rounding beside a real one), where no
   *  smooth function joins them and the transform fitted to the points beyond drew the 1e-9 line
   *  through the centres of certified cells (a reviewer's) */
  logOnly = false,
): number[][] {
  const nx = x.length;
  const ny = y.length;
  const L = log ? Math.log(level) : level;
  const out: number[][] = [];
  // the side of the level a corner is on (a corner exactly on it counts as above, so a crossing
  // is never counted twice); NaN for a failed point
  const side = (v: number) => v - level;
  // z at a grid point (NaN off the grid), and a grid point's coordinate along an edge's axis
  const value = (i: number, j: number) => (i >= 0 && i < nx && j >= 0 && j < ny ? z[j * nx + i] : NaN);
  const coord = (i: number, j: number, along: boolean) => (along ? x[i] : y[j]);
  // where along an edge the level is crossed, on a linear scale: linearly between its ends
  const at = (a: number, b: number) => (a - level) / (a - b);
  // On a log scale, between two positive values: linearly in the transform of z that makes the
  // edge's ends and the grid points beyond them (those positive) most nearly a line — log z (a
  // profit growing exponentially) or z^(1/m), m = 1, 2, 3 (one vanishing like a power: log z
  // put the lines near a vanishing profit up to a quarter of a cell off). Without a point beyond
  // either end, log z.
  const TRANSFORMS: ((v: number) => number)[] = [Math.log, (v) => v, Math.sqrt, Math.cbrt];
  const logAt = (ia: number, ja: number, ib: number, jb: number): number => {
    const along = ia !== ib;
    const a = z[ja * nx + ia];
    const b = z[jb * nx + ib];
    const sB = coord(ib, jb, along) - coord(ia, ja, along);
    const beyond: [number, number][] = [];
    for (const [i, j] of [
      [2 * ia - ib, 2 * ja - jb],
      [2 * ib - ia, 2 * jb - ja],
    ]) {
      const v = value(i, j);
      if (v > 0 && Number.isFinite(v)) beyond.push([coord(i, j, along) - coord(ia, ja, along), v]);
    }
    let best = Infinity;
    let t = (Math.log(a) - L) / (Math.log(a) - Math.log(b));
    if (beyond.length === 0 || logOnly) return t;
    for (const T of TRANSFORMS) {
      const [ta, tb, tl] = [T(a), T(b), T(level)];
      // the line through A and B, and how far the points beyond are from it, relative to A − B
      let miss = 0;
      for (const [s, v] of beyond) miss = Math.max(miss, Math.abs(T(v) - (ta + ((tb - ta) * s) / sB)));
      miss /= Math.abs(ta - tb);
      if (miss < best) {
        best = miss;
        t = (ta - tl) / (ta - tb);
      }
    }
    return t;
  };
  // Along an edge from a positive corner A to a corner B at or below zero, on a log scale: the
  // function falls to zero somewhere on the edge, and to the level before that. Where is read
  // off the grid points beyond A (C, then D, away from B). A profit that vanishes does so like
  // a power of a smooth function (z = φ^m, φ crossing zero), so the parabola through A, C, D is
  // fitted to z^(1/m), for the m of 1, 2, 3 that makes those three values most nearly a line
  // (exact for φ linear along the edge; with m = 1 only, a quadratic vanishing overshot by half
  // a cell). Without D, the secant through A and C; without C, or with no fall towards B, B
  // itself. Taking the zero at B always drew every line near a vanishing profit along the
  // grid's stair-steps.
  const towardZero = (ia: number, ja: number, ib: number, jb: number): number => {
    const along = ia !== ib;
    const a = z[ja * nx + ia];
    const sB = Math.abs(coord(ib, jb, along) - coord(ia, ja, along));
    const fallback = (a - level) / a; // linear to zero at B
    const [ic, jc] = [2 * ia - ib, 2 * ja - jb];
    const c = value(ic, jc);
    if (!(c > a)) return fallback;
    // positions along the edge's axis, from A (0) towards B (sB > 0)
    const sC = -Math.abs(coord(ic, jc, along) - coord(ia, ja, along));
    const [id, jd] = [3 * ia - 2 * ib, 3 * ja - 2 * jb];
    const d = value(id, jd);
    if (!(d > c && Number.isFinite(d))) {
      const secant = (level - a) / ((a - c) / -sC) / sB;
      return secant > 0 && secant <= 1 ? secant : fallback;
    }
    const sD = -Math.abs(coord(id, jd, along) - coord(ia, ja, along));
    let best = Infinity;
    let t = fallback;
    for (let m = 1; m <= 3; m++) {
      const [wa, wc, wd, wl] = [a, c, d, level].map((v) => Math.pow(v, 1 / m));
      const fAC = (wa - wc) / -sC;
      const fCD = (wc - wd) / (sC - sD);
      const a2 = (fAC - fCD) / -sD; // the divided difference f[A, C, D]
      // how far from a line: the curvature term over the slope across the three points
      const bend = Math.abs(a2 * sD * sD) / Math.abs(wd - wa);
      if (!(bend < best)) continue;
      // the smallest root of a2 s² + a1 s + a0 in (0, sB]: where the parabola reaches the level
      const a1 = fAC - a2 * sC;
      const a0 = wa - wl;
      let root = NaN;
      if (Math.abs(a2 * sB) < 1e-12 * Math.abs(a1)) root = -a0 / a1;
      else {
        const disc = a1 * a1 - 4 * a2 * a0;
        if (disc >= 0) {
          const q = -0.5 * (a1 + (a1 < 0 ? -1 : 1) * Math.sqrt(disc));
          for (const r of [q / a2, a0 / q]) if (r > 0 && r <= sB && !(root <= r)) root = r;
        }
      }
      if (root > 0 && root <= sB) {
        best = bend;
        t = root / sB;
      }
    }
    return t;
  };
  // the crossing on each edge, by edge: 2·(j·nx + i) the edge from (i, j) to (i + 1, j), one
  // more the edge from (i, j) to (i, j + 1)
  const edgePoints = new Map<number, [number, number]>();
  for (let j = 0; j + 1 < ny; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      // corners counter-clockwise: (i,j) (i+1,j) (i+1,j+1) (i,j+1)
      const v = [z[j * nx + i], z[j * nx + i + 1], z[(j + 1) * nx + i + 1], z[(j + 1) * nx + i]];
      const c = v.map(side);
      if (!c.every(Number.isFinite)) continue;
      const ci = [i, i + 1, i + 1, i];
      const cj = [j, j, j + 1, j + 1];
      const px = [x[i], x[i + 1], x[i + 1], x[i]];
      const py = [y[j], y[j], y[j + 1], y[j + 1]];
      const cross: [number, number][] = [];
      for (let e = 0; e < 4; e++) {
        const a = c[e];
        const b = c[(e + 1) % 4];
        // an edge is crossed when its ends lie on opposite sides
        if (a < 0 !== b < 0) {
          // Each edge is worked out once, from its lower corner to its upper (edges 2 and 3
          // run the other way round this square): the square beside it then gets the same
          // point to the last bit, and segmentsToPolyline joins the two squares' segments
          // into one line. (Computed from each side, the two ends differed in the last bits
          // and every segment of a contour was a piece of its own: seams where the pieces met.)
          const [s0, s1] = e < 2 ? [e, (e + 1) % 4] : [(e + 1) % 4, e];
          const key = e === 0 || e === 2 ? 2 * (cj[s0] * nx + ci[s0]) : 2 * (cj[s0] * nx + ci[s0]) + 1;
          let point = edgePoints.get(key);
          if (point === undefined) {
            const [va, vb] = [v[s0], v[s1]];
            const t =
              log && va > 0 && vb <= 0
                ? towardZero(ci[s0], cj[s0], ci[s1], cj[s1])
                : log && vb > 0 && va <= 0
                  ? 1 - towardZero(ci[s1], cj[s1], ci[s0], cj[s0])
                  : log
                    ? logAt(ci[s0], cj[s0], ci[s1], cj[s1])
                    : at(va, vb);
            point = [px[s0] + t * (px[s1] - px[s0]), py[s0] + t * (py[s1] - py[s0])];
            edgePoints.set(key, point);
          }
          cross.push(point);
        }
      }
      if (cross.length === 2) out.push([...cross[0], ...cross[1]]);
      else if (cross.length === 4) {
        // a saddle: pair the crossings by the centre's side (the asymptotic decider's simple
        // form), judged in the scale the colours use
        const g = (w: number) => (log ? (w > 0 ? Math.log(w) - L : -Infinity) : w - level);
        const centre = (g(v[0]) + g(v[1]) + g(v[2]) + g(v[3])) / 4;
        if (centre < 0 === c[0] < 0) {
          out.push([...cross[0], ...cross[1]], [...cross[2], ...cross[3]]);
        } else {
          out.push([...cross[3], ...cross[0]], [...cross[1], ...cross[2]]);
        }
      }
    }
  }
  return out;
}

/**
 * The segments as one drawable polyline: segments meeting end to end (the same point, as
 * contourSegments gives a shared edge's crossing to both squares) are chained into one line,
 * whatever the order they come in, a closed contour ending where it starts; the lines are
 * separated by a break (a NaN y). Lines start at a loose end where there is one, so an open
 * contour is drawn whole, from one border (or hole) to the other.
 */
export function segmentsToPolyline(segments: readonly number[][]): { x: number[]; y: number[] } {
  const n = segments.length;
  // the segments at each point (a contour passes a point at most once: two, or one at a loose end)
  const at = new Map<string, number[]>();
  const keyOf = (px: number, py: number) => `${px} ${py}`;
  const add = (k: string, s: number) => {
    const list = at.get(k);
    if (list) list.push(s);
    else at.set(k, [s]);
  };
  for (let s = 0; s < n; s++) {
    const [x0, y0, x1, y1] = segments[s];
    add(keyOf(x0, y0), s);
    add(keyOf(x1, y1), s);
  }
  const used = new Uint8Array(n);
  const x: number[] = [];
  const y: number[] = [];
  // walk from point (px, py) along unused segments, appending each one's far end
  const walk = (px: number, py: number): void => {
    for (;;) {
      const next = (at.get(keyOf(px, py)) ?? []).find((s) => used[s] === 0);
      if (next === undefined) return;
      used[next] = 1;
      const [x0, y0, x1, y1] = segments[next];
      const forward = x0 === px && y0 === py;
      px = forward ? x1 : x0;
      py = forward ? y1 : y0;
      x.push(px);
      y.push(py);
    }
  };
  const start = (s: number, fromEnd: boolean): void => {
    const [x0, y0, x1, y1] = segments[s];
    const [sx, sy] = fromEnd ? [x1, y1] : [x0, y0];
    if (x.length > 0) {
      // a break: repeat the last x with a NaN y (series need finite x)
      x.push(x[x.length - 1]);
      y.push(NaN);
    }
    x.push(sx);
    y.push(sy);
    walk(sx, sy);
  };
  // open lines first, each from a loose end (a point with one segment), then the closed ones
  for (let s = 0; s < n; s++) {
    if (used[s]) continue;
    const [x0, y0, x1, y1] = segments[s];
    if (at.get(keyOf(x0, y0))!.length === 1) start(s, false);
    else if (at.get(keyOf(x1, y1))!.length === 1) start(s, true);
  }
  for (let s = 0; s < n; s++) if (!used[s]) start(s, false);
  return { x, y };
}
