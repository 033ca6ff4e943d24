// Contour lines of a gridded function (a 2-D sweep's output), by marching squares: for each
// level, each grid square whose corners straddle it contributes one segment (two for a
// saddle), its ends interpolated linearly along the square's edges — in log z when the colour
// scale is logarithmic, so the line sits where the colour changes. Squares with a failed (NaN)
// corner are skipped: no line is guessed across a hole. Pure; the segments come out as one
// polyline per level, broken by NaN in y (figure series need finite x).

/** Segments of the level set z = level, as [x0, y0, x1, y1] quadruples. */
export function contourSegments(x: ArrayLike<number>, y: ArrayLike<number>, z: ArrayLike<number>, level: number, log = false): number[][] {
  const nx = x.length;
  const ny = y.length;
  const f = (v: number) => (log ? (v > 0 ? Math.log(v) : NaN) : v);
  const L = f(level);
  const out: number[][] = [];
  const at = (i: number, j: number) => f(z[j * nx + i]) - L;
  for (let j = 0; j + 1 < ny; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      // corners counter-clockwise: (i,j) (i+1,j) (i+1,j+1) (i,j+1)
      const c = [at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1)];
      if (!c.every(Number.isFinite)) continue;
      const px = [x[i], x[i + 1], x[i + 1], x[i]];
      const py = [y[j], y[j], y[j + 1], y[j + 1]];
      const cross: [number, number][] = [];
      for (let e = 0; e < 4; e++) {
        const a = c[e];
        const b = c[(e + 1) % 4];
        // an edge is crossed when its ends lie on opposite sides (a corner exactly on the
        // level counts as above, so a crossing is never counted twice)
        if (a < 0 !== b < 0) {
          const t = a / (a - b);
          cross.push([px[e] + t * (px[(e + 1) % 4] - px[e]), py[e] + t * (py[(e + 1) % 4] - py[e])]);
        }
      }
      if (cross.length === 2) out.push([...cross[0], ...cross[1]]);
      else if (cross.length === 4) {
        // a saddle: pair the crossings by the centre's side (the asymptotic decider's simple form)
        const centre = (c[0] + c[1] + c[2] + c[3]) / 4;
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

/** The segments as one drawable polyline: consecutive segments sharing an end are joined, others broken by NaN. */
export function segmentsToPolyline(segments: readonly number[][]): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  let lastX = NaN;
  let lastY = NaN;
  for (const [x0, y0, x1, y1] of segments) {
    if (!(x0 === lastX && y0 === lastY)) {
      if (x.length > 0) {
        // a break: repeat the last x with a NaN y (series need finite x)
        x.push(lastX);
        y.push(NaN);
      }
      x.push(x0);
      y.push(y0);
    }
    x.push(x1);
    y.push(y1);
    lastX = x1;
    lastY = y1;
  }
  return { x, y };
}
