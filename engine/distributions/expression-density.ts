// A type density typed as a formula in `theta` (scenario `dist: "expression"`), normalized by
// the engine on [min, max] (docs/model.md section 2). The formula is compiled by the restricted
// parser (engine/expression/restricted.ts).
//
// Everything that can make a formula unusable is decided here, when the law is built — and
// `lpe validate` builds it exactly as `lpe solve` does (economic-checks.ts), so a formula that
// validates also solves:
//   1. samples at 401 midpoints: quick, exact messages for the common mistakes (negative,
//      infinite, NaN) and the density's scale;
//   2. the normalization ∫ f by adaptive Gauss–Kronrod to 1e-13 relative, keeping its final
//      panels: a non-integrable singularity (1/θ at 0, tan(πθ/2) at 1) or a formula too rough to
//      integrate (abs(sin(1e9·θ))) does not converge within MAX_PANELS and is refused;
//   3. finiteness and f ≥ 0 on the WHOLE support, not only at sample points: interval bounds of
//      the formula and of its derivative (engine/expression/interval.ts) over every panel —
//      monotone on the panel, or bounded by the mean-value form — splitting panels whose bound
//      is inconclusive and evaluating their midpoints, so a density negative only between sample
//      points is found and refused with the θ where it is negative. Panels narrower than
//      1e-13 of the support may stay unproven only at min or max (an integrable endpoint
//      singularity such as θ^(−1/2), which the quadrature never evaluates); the bound may dip
//      below 0 by NEG_TOL of the density's scale (x − x rounding), and such values are read as 0.
//      A formula whose proof needs more than MAX_PROOF_PANELS panels is refused as too rough.
// Afterwards nothing about the formula can fail: F(θ) = (panel sums below θ's panel + ∫ over
// the part of that panel below θ) / Z and 1 − F(θ) likewise from the top (no cancellation in the
// upper tail), each one short integral over a panel the normalization already resolved, so its
// accuracy is the normalization's (a sub-panel integral that misses 1e-13 is kept: it is
// within the panel's resolved error). F⁻¹ is Brent on them.
//
// The part of a panel is read off a Chebyshev series of ∫ f over that panel (PanelSeries below),
// built once per panel, when f's coefficients on the panel have decayed to rounding: F then costs
// a binary search and a Clenshaw sum (~0.1 µs) instead of an adaptive integral (0.5–4 µs, up to
// 100 times a closed-form law's F; a leader–fringe market with γ_F > 0 on 1 + 0.9 sin(6πθ) spent
// 16 of its 21 s in F). Where the series' error bound is not below 1e-13 of the value asked for
// (deep in a tail, at the first or last panel's far end) or the series did not converge, the
// adaptive integral is used as before. (Why by hand: the project's libraries have no Chebyshev
// interpolation with an error bound; chebfun-style decay of the coefficients is the standard test.)
//
// Built laws are memoized by (formula, min, max, path): validate then solve, and every sweep
// point, build each formula once per process.

import { InputError, NumericalError } from "../errors.js";
import { slopeEvaluator, type Interval, type Slope } from "../expression/interval.js";
import { compileRestricted, expressionScalars } from "../expression/restricted.js";
import { gaussKronrod, type QuadOptions, type QuadPanels } from "../numerics/quadrature.js";
import { ContinuousBase } from "./continuous-base.js";
import { fmt, requireSupport } from "./param-checks.js";

const CHECK_POINTS = 401;
const EPSREL = 1e-13;
const MIN_NORMAL = 2.2250738585072014e-308;

/** panels of the normalization (and so of every F) */
const MAX_PANELS = 4000;
/** panels examined to prove f finite and ≥ 0 */
const MAX_PROOF_PANELS = 20_000;
/** below this share of the support a panel is not split further */
const MIN_PANEL = 1e-13;
/** tolerated negative bound, relative to the density's scale (rounding in x − x) */
const NEG_TOL = 1e-10;

export class ExpressionDensityDistribution extends ContinuousBase {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly formula: string;
  /** ∫_min^max of the formula */
  readonly normalizer: number;
  private readonly raw: (...values: number[]) => number;
  private readonly densityPath: string;
  private readonly pdfAtMin: number;
  private readonly pdfAtMax: number;
  /** panels of the normalization: ends and integrals, with sums of the integrals below and above each */
  private readonly panels: QuadPanels;
  private readonly below: Float64Array;
  private readonly above: Float64Array;
  private readonly panelOptions: QuadOptions;
  /** panelOptions for an integral that reaches min or max: its nodes kept off the end */
  private readonly endOptions: QuadOptions;
  /** each panel's Chebyshev series of ∫ f, piece by piece, or null where one did not converge */
  private readonly series: (PanelPieces | null)[];
  /** the formula, with values inside the tolerated rounding below 0 read as 0 (proved in the constructor) */
  private readonly integrand = (t: number): number => {
    const v = this.raw(t);
    return v > 0 ? v : 0;
  };

  constructor(density: string, min: number, max: number, path: string) {
    super();
    requireSupport(min, max, path);
    this.min = min;
    this.max = max;
    this.formula = density;
    const where = `${path}.density`;
    this.densityPath = where;
    const compiled = compileRestricted(density, ["theta"], where);
    this.raw = compiled.evaluate;
    this.label = `expression ${JSON.stringify(density.length > 60 ? density.slice(0, 60) + "…" : density)} on [${fmt(min)}, ${fmt(max)}]`;

    // 1. samples (finite first, for the scale; then ≥ 0 within rounding of that scale)
    const width = max - min;
    // (the fraction first: width·(i + 0.5) overflowed for a support of 1e308, and the formula was
    // said to be NaN "at theta=Infinity")
    const at = (i: number) => min + width * ((i + 0.5) / CHECK_POINTS);
    let scale = 0;
    for (let i = 0; i < CHECK_POINTS; i++) scale = Math.max(scale, Math.abs(this.checkedValue(at(i), false, Infinity)));
    // (a density below the smallest normal double everywhere it is sampled, 1e-320·θ, has lost
    // most of its digits: it validated, then its normalization failed in the solve, exit 1)
    if (scale > 0 && scale < MIN_NORMAL) {
      throw new InputError(where, `the density is at most ${fmt(scale)} at ${CHECK_POINTS} types across [${fmt(min)}, ${fmt(max)}], below the smallest normal double (2.2e-308), where its digits are lost: only its shape matters, so multiply it by a constant (e.g. 1e300)`);
    }
    for (let i = 0; i < CHECK_POINTS; i++) this.checkedValue(at(i), false, NEG_TOL * scale);
    const atMin = this.checkedValue(min, true, NEG_TOL * scale);
    const atMax = this.checkedValue(max, true, NEG_TOL * scale);

    // 2. normalization, keeping the panels
    const strict = (t: number): number => {
      const v = this.raw(t);
      if (v < -NEG_TOL * scale) throw new InputError(where, `density is negative at theta = ${t} (${v})`);
      return v > 0 ? v : 0;
    };
    let r;
    try {
      r = gaussKronrod(strict, min, max, { epsrel: EPSREL, maxIntervals: MAX_PANELS, panels: true, where: `${this.label}: normalization` });
    } catch (e) {
      if (e instanceof NumericalError) {
        const why = e.message.startsWith(`${where}: `) ? e.message.slice(where.length + 2) : e.message;
        throw new InputError(where, `cannot normalize the density on [${min}, ${max}] (a non-integrable singularity?): ${why}`);
      }
      throw e;
    }
    const z = r.value;
    if (!(r.error <= 100 * EPSREL * Math.abs(z))) {
      throw new InputError(
        where,
        `cannot normalize the density on [${min}, ${max}]: its integral does not converge (a non-integrable singularity, or a formula too rough to integrate) — estimate ${z}, error ${r.error} after ${r.intervals} panels`,
      );
    }
    if (!(z > 0 && Number.isFinite(z))) {
      throw new InputError(where, `density integrates to ${z} on [${min}, ${max}]; it must have a positive, finite integral`);
    }

    // 3. finite and ≥ 0 everywhere
    this.prove(r.panels!, slopeEvaluator(compiled.tree, "theta", expressionScalars()), NEG_TOL * Math.max(scale, z / width));

    // Each panel's integral again to 1e-13 of itself: the normalization only needed the panels of
    // the tails to be small, F and 1 − F in the tails need them accurate relative to their size.
    this.panelOptions = { epsrel: EPSREL, epsabs: 0, maxIntervals: 200, where: `${this.label}: F` };
    this.endOptions = { ...this.panelOptions, endpoints: true };
    this.panels = r.panels!;
    const n = this.panels.r.length;
    for (let k = 0; k < n; k++) this.panels.r[k] = gaussKronrod(this.integrand, this.panels.a[k], this.panels.b[k], this.panelOptions).value;
    let total = 0;
    for (let k = 0; k < n; k++) total += this.panels.r[k];
    this.normalizer = total;
    this.below = new Float64Array(n);
    this.above = new Float64Array(n);
    for (let k = 1; k < n; k++) this.below[k] = this.below[k - 1] + this.panels.r[k - 1];
    for (let k = n - 2; k >= 0; k--) this.above[k] = this.above[k + 1] + this.panels.r[k + 1];
    this.pdfAtMin = atMin / total;
    this.pdfAtMax = atMax / total;
    this.series = new Array(n);
    for (let k = 0; k < n; k++) this.series[k] = panelPieces(this.integrand, this.panels.a[k], this.panels.b[k], this.panels.r[k], this.below[k], this.above[k]);
  }

  /** The formula at θ as an InputError if negative or (inside) not finite; +∞ at an end if not finite. */
  private checkedValue(t: number, endpoint: boolean, negTol: number): number {
    let v: number;
    try {
      v = this.raw(t);
    } catch (e) {
      if (!(e instanceof NumericalError)) throw e;
      // An endpoint may carry an integrable singularity; the quadrature never evaluates it.
      if (endpoint) return Infinity;
      // the formula's own message names the value and θ; its path is this one, said once
      const inner = e.message.startsWith(`${e.where}: `) ? e.message.slice(e.where.length + 2) : e.message;
      throw new InputError(this.densityPath, `${inner}: a density must be a finite number inside [min, max]`);
    }
    if (v < -negTol) throw new InputError(this.densityPath, `density is negative at theta = ${t} (${v})`);
    return negTol === Infinity ? v : Math.max(v, 0);
  }

  /**
   * Step 3 of the header: over each panel, the formula's bound — the plain interval extension,
   * the mean-value form f(m) + f′(X)(X − m), or, when f′ keeps one sign, the values at the ends —
   * must be finite and ≥ −negTol; otherwise the midpoint is evaluated (reporting a negative or
   * infinite value there) and the panel split.
   */
  private prove(panels: QuadPanels, slope: (x: Interval) => Slope, negTol: number): void {
    const { min, max } = this;
    const minWidth = MIN_PANEL * (max - min);
    const finite = (x: Interval) => Number.isFinite(x.lo) && Number.isFinite(x.hi);
    const valueAt = (t: number): number => {
      try {
        return this.raw(t);
      } catch (e) {
        if (e instanceof NumericalError) return NaN;
        throw e;
      }
    };
    const stack: [number, number][] = [];
    for (let k = panels.a.length - 1; k >= 0; k--) stack.push([panels.a[k], panels.b[k]]);
    let examined = 0;
    while (stack.length > 0) {
      const [a, b] = stack.pop()!;
      if (++examined > MAX_PROOF_PANELS) {
        throw new InputError(
          this.densityPath,
          `cannot establish that the density is finite and ≥ 0 on [${min}, ${max}] (checked ${MAX_PROOF_PANELS} pieces; it still changes too fast near theta = ${a}); simplify the formula`,
        );
      }
      const box = slope({ lo: a, hi: b });
      if (finite(box.v) && box.v.lo >= -negTol) continue;
      const m = 0.5 * (a + b);
      const fm = this.checkedValue(m, false, negTol);
      if (finite(box.d)) {
        // monotone on [a, b]: its values lie between those at the ends
        if (box.d.lo >= 0 || box.d.hi <= 0) {
          const lo = Math.min(valueAt(a), valueAt(b));
          if (lo >= -negTol) continue;
        }
        const h = 0.5 * (b - a);
        const spread = Math.max(Math.abs(box.d.lo), Math.abs(box.d.hi)) * h;
        if (fm - spread * (1 + 1e-12) >= -negTol) continue;
      }
      if (!(b - a > minWidth && m > a && m < b)) {
        if (a === min || b === max) continue; // an integrable endpoint singularity: the quadrature settled it
        const what = finite(box.v) ? "≥ 0" : "finite";
        throw new InputError(this.densityPath, `density may not be ${what} near theta = ${m} (its bound there is [${box.v.lo}, ${box.v.hi}]); the density must be finite and ≥ 0 inside [${min}, ${max}]`);
      }
      stack.push([m, b], [a, m]);
    }
  }

  /** Index of the panel holding t (min < t < max). */
  private panelOf(t: number): number {
    const a = this.panels.a;
    let lo = 0;
    let hi = a.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (a[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  cdf(t: number): number {
    if (t <= this.min) return 0;
    if (t >= this.max) return 1;
    const k = this.panelOf(t);
    const p = this.series[k];
    if (p) {
      const i = p.pieceOf(t);
      const v = p.below[i] + p.pieces[i].from(t);
      if (p.pieces[i].error <= SERIES_REL * v) return Math.min(1, v / this.normalizer);
    }
    // (from min itself, nodes must stay inside: θ^(−a) is infinite there)
    const part = gaussKronrod(this.integrand, this.panels.a[k], t, k === 0 ? this.endOptions : this.panelOptions).value;
    return Math.min(1, (this.below[k] + part) / this.normalizer);
  }

  sf(t: number): number {
    if (t <= this.min) return 1;
    if (t >= this.max) return 0;
    const k = this.panelOf(t);
    const p = this.series[k];
    if (p) {
      const i = p.pieceOf(t);
      const v = p.above[i] + p.pieces[i].to(t);
      if (p.pieces[i].error <= SERIES_REL * v) return Math.min(1, v / this.normalizer);
    }
    // (up to max itself, nodes must stay inside: on [1 − 1e-14, 1] they rounded onto 1, where
    // (1 − θ)^(−0.1) is infinite, and a density that validated failed to solve, an independent
    // checker's)
    const part = gaussKronrod(this.integrand, t, this.panels.b[k], k === this.panels.b.length - 1 ? this.endOptions : this.panelOptions).value;
    return Math.min(1, (this.above[k] + part) / this.normalizer);
  }

  pdf(t: number): number {
    if (t < this.min || t > this.max) return 0;
    if (t === this.min) return this.pdfAtMin;
    if (t === this.max) return this.pdfAtMax;
    return this.integrand(t) / this.normalizer;
  }

  quantile(u: number): number {
    return this.quantileByBrent(u);
  }
}

/** A panel's series is used where its error bound is at most this share of the value (F or 1 − F
 *  before normalization): the adaptive integral's own target, 1e-13 of the part. */
const SERIES_REL = 1e-13;
/** Chebyshev points per piece, tried in turn */
const SERIES_POINTS = [16, 32, 64];
/** pieces of a panel, each with its series: only the piece at an end of the support needs the
 *  adaptive integral near that end (a series' error is absolute, a fraction of its piece's mass) */
const PIECES = 8;
const EPS = 2.220446049250313e-16;

/** ∫ f over [a, t] and over [t, b] for t in the panel [a, b], and a bound on their error. */
export interface PanelSeries {
  from(t: number): number;
  to(t: number): number;
  /** ∫ f over the whole piece */
  total: number;
  error: number;
}

/**
 * The Chebyshev series of ∫_a^t f on [a, b] (f sampled at the N Chebyshev points of the first
 * kind, inside the piece: f may be infinite at an end of the support), or null when f's
 * coefficients have not decayed to rounding with N = 64. The error bound counts the last
 * coefficients (what truncation leaves out, bounded by their size once they decay) and the
 * rounding of the samples and sums.
 */
const cosTables = new Map<number, Float64Array>();

/** cos(π k (j + ½)/n) at [k·n + j] (row 1 holds the Chebyshev points), computed once per n: a
 *  law of thousands of panels builds tens of thousands of pieces. */
function cosTable(n: number): Float64Array {
  let t = cosTables.get(n);
  if (!t) {
    t = new Float64Array(n * n);
    for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) t[k * n + j] = Math.cos((Math.PI * k * (j + 0.5)) / n);
    cosTables.set(n, t);
  }
  return t;
}

export function panelSeries(f: (t: number) => number, a: number, b: number): PanelSeries | null {
  const half = 0.5 * (b - a);
  const mid = 0.5 * (a + b);
  for (const n of SERIES_POINTS) {
    const fx = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const x = mid + half * cosTable(n)[n + j];
      fx[j] = f(Math.min(b, Math.max(a, x)));
      if (!Number.isFinite(fx[j])) return null;
    }
    // f = Σ c_k T_k (c_0 included once)
    const c = new Float64Array(n);
    const cos = cosTable(n);
    let size = 0;
    for (let k = 0; k < n; k++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += fx[j] * cos[k * n + j];
      c[k] = ((k === 0 ? 1 : 2) / n) * sum;
      size += Math.abs(c[k]);
    }
    let tail = 0;
    for (let k = n - 8; k < n; k++) tail += Math.abs(c[k]);
    // (decayed: the last coefficients at the level of the samples' rounding, ~n ulps of f)
    if (!(tail <= 1e-13 * size)) continue;
    // ∫ from −1: A_k = (c'_{k−1} − c_{k+1}) / (2k), c'_0 = 2 c_0; A_0 makes it 0 at −1
    const A = new Float64Array(n + 1);
    for (let k = 1; k <= n; k++) A[k] = ((k === 1 ? 2 * c[0] : c[k - 1]) - (k + 1 < n ? c[k + 1] : 0)) / (2 * k);
    let a0 = 0;
    for (let k = 1; k <= n; k++) a0 -= k % 2 === 0 ? A[k] : -A[k];
    A[0] = a0;
    let total = 0;
    let magnitude = 0;
    for (let k = 0; k <= n; k++) {
      total += A[k];
      magnitude += Math.abs(A[k]);
    }
    total *= half;
    // truncation (the neglected coefficients are below the last ones: 2·tail, integrated) and
    // rounding of the Clenshaw sums (a few ulps of the coefficients' magnitude each)
    let largest = 0;
    for (let k = 0; k < n; k++) largest = Math.max(largest, Math.abs(c[k]));
    const error = half * (2 * tail + 8 * EPS * magnitude + n * EPS * largest);
    const at = (t: number) => {
      const x = Math.min(1, Math.max(-1, (t - mid) / half));
      // Clenshaw
      let b1 = 0;
      let b2 = 0;
      for (let k = n; k >= 1; k--) {
        const b0 = 2 * x * b1 - b2 + A[k];
        b2 = b1;
        b1 = b0;
      }
      return half * (x * b1 - b2 + A[0]);
    };
    return {
      from: (t) => Math.max(0, at(t)),
      to: (t) => Math.max(0, total - at(t)),
      total,
      error,
    };
  }
  return null;
}

/** A panel's pieces, with the mass below and above each piece (from min and from max). */
export interface PanelPieces {
  pieces: PanelSeries[];
  below: Float64Array;
  above: Float64Array;
  pieceOf(t: number): number;
}

/**
 * The panel [a, b] in PIECES equal pieces, each with its series (panelSeries), the masses below
 * and above each piece counted from the panel's `below` and `above` (the adaptive integrals' sums,
 * as the rest of F uses); null when a piece's series does not converge or the pieces' total
 * misses `panelIntegral` beyond their bounds (the panel then keeps the adaptive integral).
 */
export function panelPieces(f: (t: number) => number, a: number, b: number, panelIntegral: number, below: number, above: number): PanelPieces | null {
  const w = (b - a) / PIECES;
  const ends = Array.from({ length: PIECES + 1 }, (_, i) => (i === PIECES ? b : a + i * w));
  const pieces: PanelSeries[] = [];
  let total = 0;
  let error = 0;
  for (let i = 0; i < PIECES; i++) {
    if (!(ends[i + 1] > ends[i])) return null;
    const s = panelSeries(f, ends[i], ends[i + 1]);
    if (!s) return null;
    pieces.push(s);
    total += s.total;
    error += s.error;
  }
  if (!(Math.abs(total - panelIntegral) <= error + 1e-13 * Math.abs(panelIntegral))) return null;
  const lo = new Float64Array(PIECES);
  const hi = new Float64Array(PIECES);
  lo[0] = below;
  for (let i = 1; i < PIECES; i++) lo[i] = lo[i - 1] + pieces[i - 1].total;
  hi[PIECES - 1] = above;
  for (let i = PIECES - 2; i >= 0; i--) hi[i] = hi[i + 1] + pieces[i + 1].total;
  return {
    pieces,
    below: lo,
    above: hi,
    pieceOf: (t) => {
      let i = Math.floor((t - a) / w);
      i = i < 0 ? 0 : i >= PIECES ? PIECES - 1 : i;
      // (rounding of (t − a)/w: the piece whose ends hold t)
      while (i > 0 && t < ends[i]) i--;
      while (i < PIECES - 1 && t >= ends[i + 1]) i++;
      return i;
    },
  };
}

const memo = new Map<string, ExpressionDensityDistribution>();
const MEMO_SIZE = 64;

export function expressionDensity(density: string, min: number, max: number, path: string): ExpressionDensityDistribution {
  const key = JSON.stringify([density, min, max, path]);
  const hit = memo.get(key);
  if (hit) return hit;
  const d = new ExpressionDensityDistribution(density, min, max, path);
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  memo.set(key, d);
  return d;
}
