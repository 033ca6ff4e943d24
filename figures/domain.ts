// Axis ranges. Resolved once, here, and handed to every renderer, so the SVG/PDF and the
// pgfplots file show the same window. x spans the data exactly (types θ live on a known
// interval); y is widened to round numbers and anchored at zero for positive quantities.

import type { AxisSpec, FigureSpec, ScaleKind } from "./types.js";
import { TICK_COUNT } from "./style.js";

export interface ResolvedAxis {
  domain: [number, number];
  scale: ScaleKind;
  /** Tick positions, written explicitly to both vega and pgfplots so they agree. */
  ticks: number[];
}

export interface ResolvedDomains {
  x: ResolvedAxis;
  y: ResolvedAxis;
}

/** Round to 12 significant digits, so 0.1 * 3 is written as 0.3. */
const tidy = (v: number) => (v === 0 ? 0 : Number(v.toPrecision(12)));

/** A round tick step (1, 2 or 5 × 10^k) giving about `count` intervals over [lo, hi]. */
export function tickStep(lo: number, hi: number, count: number): number {
  const raw = (hi - lo) / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / power;
  const m = f >= Math.sqrt(50) ? 10 : f >= Math.sqrt(10) ? 5 : f >= Math.sqrt(2) ? 2 : 1;
  return m * power;
}

/** [lo, hi] widened outwards to multiples of a round step. */
export function niceLinear(lo: number, hi: number, count: number = TICK_COUNT.y): [number, number] {
  const step = tickStep(lo, hi, count);
  return [tidy(Math.floor(lo / step + 1e-9) * step), tidy(Math.ceil(hi / step - 1e-9) * step)];
}

/** [lo, hi] widened outwards to 1-2-5 steps (1, 2, 5, 10, 20, …): to whole powers of ten, the
 *  leader-quantity figure's data up to 134.85 got an axis to 1,000, its top third empty (a
 *  reviewer's); to 200 it ends a third of a decade above. */
export function niceLog(lo: number, hi: number): [number, number] {
  const down = (x: number) => {
    const k = Math.floor(Math.log10(x) + 1e-9);
    const m = x / Math.pow(10, k);
    return tidy((m >= 5 * (1 - 1e-9) ? 5 : m >= 2 * (1 - 1e-9) ? 2 : 1) * Math.pow(10, k));
  };
  const up = (x: number) => {
    const k = Math.floor(Math.log10(x) - 1e-9);
    const m = x / Math.pow(10, k);
    return tidy((m <= 1 + 1e-9 ? 1 : m <= 2 * (1 + 1e-9) ? 2 : m <= 5 * (1 + 1e-9) ? 5 : 10) * Math.pow(10, k));
  };
  return [down(lo), up(hi)];
}

function extent(values: Iterable<number>, positiveOnly: boolean): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (positiveOnly && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

function* all(spec: FigureSpec, key: "x" | "y"): Generator<number> {
  for (const s of spec.series) for (let i = 0; i < s[key].length; i++) yield s[key][i];
}

/** Widen a degenerate (single-value) range so a scale can be built on it. */
function widen([lo, hi]: [number, number], scale: ScaleKind): [number, number] {
  if (lo < hi) return [lo, hi];
  if (scale === "log") return [lo / 10, hi * 10];
  // all zero (no fine-tuning tokens bought): [0, 1], not an axis down to −1 showing negative amounts
  if (lo === 0) return [0, 1];
  const d = Math.abs(lo) / 2;
  return [lo - d, hi + d];
}

/** Round-step ticks inside [lo, hi] (the d3/R "pretty" rule). */
export function linearTickValues([lo, hi]: [number, number], count: number): number[] {
  const step = tickStep(lo, hi, count);
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k++) out.push(tidy(k * step));
  return out;
}

function withTicks(domain: [number, number], scale: ScaleKind, count: number, integer = false): ResolvedAxis {
  if (scale === "log") return { domain, scale, ticks: logTickValues(domain) };
  if (!integer) return { domain, scale, ticks: linearTickValues(domain, count) };
  // whole numbers: the round step, at least 1 (a count of tiers has no tick at 4.5)
  const step = Math.max(1, Math.round(tickStep(domain[0], domain[1], count)));
  const ticks: number[] = [];
  for (let k = Math.ceil(domain[0] / step - 1e-9); k * step <= domain[1] + 1e-9; k++) ticks.push(k * step);
  return { domain, scale, ticks };
}

function resolveX(axis: AxisSpec, spec: FigureSpec): ResolvedAxis {
  const scale = axis.scale ?? "linear";
  if (axis.domain) return withTicks([axis.domain[0], axis.domain[1]], scale, TICK_COUNT.x, axis.integer);
  const e = extent(all(spec, "x"), scale === "log") ?? (scale === "log" ? [1, 10] : [0, 1]);
  return withTicks(widen(e, scale), scale, TICK_COUNT.x, axis.integer);
}

function resolveY(axis: AxisSpec, spec: FigureSpec): ResolvedAxis {
  const scale = axis.scale ?? "linear";
  if (axis.domain) return withTicks([axis.domain[0], axis.domain[1]], scale, TICK_COUNT.y);
  const e = extent(all(spec, "y"), scale === "log");
  if (!e) return withTicks(scale === "log" ? [1, 10] : [0, 1], scale, TICK_COUNT.y);
  let [lo, hi] = widen(e, scale);
  if (scale === "log") return withTicks(niceLog(lo, hi), scale, TICK_COUNT.y);
  // Quantities, prices and profits read best from zero unless the data sit far above it.
  if (lo > 0 && lo < 0.5 * hi) lo = 0;
  if (hi < 0 && hi > 0.5 * lo) hi = 0;
  const nice = niceLinear(lo, hi, TICK_COUNT.y);
  const ticks = linearTickValues(nice, TICK_COUNT.y);
  // A curve lying along the bottom of the window (zero profit, an excluded type's zero
  // quality) would hide under the x axis: the window then starts a little below it.
  if (restsOnFloor(spec, nice[0], nice[1] - nice[0])) return { domain: [tidy(nice[0] - FLOOR_PAD * (nice[1] - nice[0])), nice[1]], scale, ticks };
  return { domain: nice, scale, ticks };
}

/** Share of the y span the window extends below a floor that a curve rests on. */
export const FLOOR_PAD = 0.04;

/** Does some series lie on y = floor for at least a tenth of its points? */
function restsOnFloor(spec: FigureSpec, floor: number, span: number): boolean {
  return spec.series.some((s) => {
    let on = 0;
    let all = 0;
    for (let i = 0; i < s.y.length; i++) {
      if (!Number.isFinite(s.y[i])) continue;
      all++;
      if (Math.abs(s.y[i] - floor) <= 1e-9 * span) on++;
    }
    return all > 0 && on >= 0.1 * all;
  });
}

export function resolveDomains(spec: FigureSpec): ResolvedDomains {
  return { x: resolveX(spec.x, spec), y: resolveY(spec.y, spec) };
}

/**
 * Tick positions for a log axis: the powers of ten inside the domain, or 1-2-5 steps when
 * fewer than three powers fall inside (two powers alone leave most of a short axis unlabelled:
 * [0.2, 10] showed only 1 and 10; vega would otherwise label every 2…9 multiple); beyond
 * MAX_LOG_TICKS powers, every second (third, …) one.
 */
export function logTickValues([lo, hi]: [number, number]): number[] {
  const ticks = (mantissas: number[]) => {
    const out: number[] = [];
    for (let k = Math.floor(Math.log10(lo)) - 1; k <= Math.ceil(Math.log10(hi)); k++) {
      for (const m of mantissas) {
        const v = tidy(m * Math.pow(10, k));
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
      }
    }
    return out;
  };
  const powers = ticks([1]);
  if (powers.length < 3) return ticks([1, 2, 5]);
  // a long axis: every k-th decade, at exponents that are multiples of k (14 decades of an
  // optimality gap labelled one by one touched each other in the .tex, which draws every label it
  // is given; the SVG hid every second one: a reviewer's)
  if (powers.length <= MAX_LOG_TICKS) return powers;
  const k = Math.ceil(powers.length / MAX_LOG_TICKS);
  return powers.filter((v) => Math.round(Math.log10(v)) % k === 0);
}

/** The most powers of ten a log axis labels. */
const MAX_LOG_TICKS = 7;

/** Data-space centre of [a, b] on the axis' scale (geometric mean on a log axis). */
export function centre(a: number, b: number, scale: ScaleKind): number {
  return scale === "log" ? Math.sqrt(a * b) : (a + b) / 2;
}

/**
 * Edges of cells centred on ascending values: half-way between neighbours (geometric mean on a
 * log axis), the outer ones mirrored; n values give n + 1 edges.
 */
export function cellEdges(v: ArrayLike<number>, scale: ScaleKind): number[] {
  const n = v.length;
  const t = scale === "log" ? Math.log : (x: number) => x;
  const inv = scale === "log" ? Math.exp : (x: number) => x;
  if (n === 1) return scale === "log" ? [v[0] / Math.SQRT2, v[0] * Math.SQRT2] : [v[0] - 0.5, v[0] + 0.5];
  const out: number[] = [inv(t(v[0]) - (t(v[1]) - t(v[0])) / 2)];
  for (let i = 0; i + 1 < n; i++) out.push(tidy(inv((t(v[i]) + t(v[i + 1])) / 2)));
  out.push(inv(t(v[n - 1]) + (t(v[n - 1]) - t(v[n - 2])) / 2));
  return out.map(tidy);
}
