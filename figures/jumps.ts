// Discontinuities drawn as jumps: a quantity that jumps between two grid types (the fringe's
// q_F falling to zero at θ_low, a benchmark switching models at θ_e or θ_m) would otherwise be
// joined by a steep stroke that reads as a vertical line. A jump is a step between neighbours
// much larger than the steps beside it; there a row is inserted half-way with NaN for the
// jumping series (a break in the line, in every format, the CSV included) and the other series
// interpolated linearly (they stay unbroken). A series with more than MAX_BREAKS jumps is a step
// function (a finite menu offered to a continuum of types) and is drawn with its risers. Pure.

/** A step at least this many times the neighbouring steps … */
export const JUMP_FACTOR = 8;
/** … and at least this share of the series' range is a jump. */
export const JUMP_SHARE = 0.02;
/** More jumps than this in one series: a step function, drawn with its risers. */
export const MAX_BREAKS = 8;

function range(y: ArrayLike<number>): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) continue;
    lo = Math.min(lo, y[i]);
    hi = Math.max(hi, y[i]);
  }
  return hi - lo;
}

/** Does y jump between i and i + 1? */
export function jumpsAt(y: ArrayLike<number>, i: number, span = range(y)): boolean {
  const step = y[i + 1] - y[i];
  // a quantity switched on or off (one end exactly 0) jumps however small against the range:
  // the leader's q_L from 0 to q̂(θ_low) = 1.97, 1.5 % of a range to 135, was joined by a ramp
  // in the CSV (a log axis hides it; replotted on a linear one it showed: a reviewer's)
  const onOff = y[i] === 0 || y[i + 1] === 0;
  if (!Number.isFinite(step) || step === 0 || !(onOff || Math.abs(step) > JUMP_SHARE * span)) return false;
  const beside = [i > 0 ? y[i] - y[i - 1] : NaN, i + 2 < y.length ? y[i + 2] - y[i + 1] : NaN].filter(Number.isFinite);
  if (beside.length === 0) return false;
  return Math.abs(step) > JUMP_FACTOR * Math.max(...beside.map(Math.abs));
}

/** x and the series with a break inserted at every jump (see the header). */
export function breakJumps(x: ArrayLike<number>, ys: readonly ArrayLike<number>[]): { x: Float64Array; ys: Float64Array[] } {
  const spans = ys.map((y) => range(y));
  // A series that jumps more than MAX_BREAKS times is a step function (a finite menu offered to
  // a continuum of types: a step at each item): drawn with its risers, not broken at every step,
  // which read as a dashed line (171 items above θ_high on a mixture of the random scan).
  const stepwise = ys.map((y, s) => {
    let n = 0;
    for (let i = 0; i + 1 < x.length && n <= MAX_BREAKS; i++) if (jumpsAt(y, i, spans[s])) n++;
    return n > MAX_BREAKS;
  });
  const rows: { at: number; jumping: boolean[] }[] = [];
  for (let i = 0; i + 1 < x.length; i++) {
    const jumping = ys.map((y, s) => !stepwise[s] && jumpsAt(y, i, spans[s]));
    if (jumping.some((j) => j)) rows.push({ at: i, jumping });
  }
  if (rows.length === 0) return { x: Float64Array.from(x), ys: ys.map((y) => Float64Array.from(y)) };
  const n = x.length + rows.length;
  const X = new Float64Array(n);
  const Y = ys.map(() => new Float64Array(n));
  let r = 0;
  let k = 0;
  for (let i = 0; i < x.length; i++) {
    X[k] = x[i];
    ys.forEach((y, s) => (Y[s][k] = y[i]));
    k++;
    if (r < rows.length && rows[r].at === i) {
      X[k] = (x[i] + x[i + 1]) / 2;
      ys.forEach((y, s) => (Y[s][k] = rows[r].jumping[s] ? NaN : (y[i] + y[i + 1]) / 2));
      k++;
      r++;
    }
  }
  return { x: X, ys: Y };
}
