// Leader vs fringe, continuous types, γ_F > 0: segments where participation binds at both ends
// and the buyers in between earn a rent (docs/model.md 3c, equations 3.26–3.27; Jullien 2000).
//
// Derivation. With the outside option u0(θ) and rents R = U − u0 ≥ 0, the leader maximizes
//     ∫ [u(θ, q) − u0 − c_L q − R] f dθ,   R' = u_θ(θ, q) − u0'(θ),   R ≥ 0,
// and its Lagrangian with a cumulative participation multiplier Λ (nondecreasing, Λ ≤ 1, rising
// only where R = 0) is maximized pointwise:
//     φ(θ, q; Λ) = f (u − u0 − c_L q) − (Λ − F)(u_θ − u0').
// On items without top-up (u = θ q^η, Q = q^η) this is f [h_Λ(θ) Q − c_L q] + const with the
// Λ-virtual type h_Λ(θ) = θ − (Λ − F(θ))/f(θ). Where participation binds on an interval, q = q̂
// (u_θ = u0', R stays 0) and the first-order condition h_Λ = c'(Q̂) (c'(Q) = c_L q^(1−η)/η) gives
// Λ = B(θ) := F + f (θ − c_L q̂^(1−η)/η), the general path's binding multiplier. Λ must not fall:
// where B falls (the density drops across the middle region) q̂ cannot be optimal there. The
// optimum then has an interval [a, b] on which R > 0 and Λ is a constant Λ_p:
//   - inside, Q maximizes h̄_Λp Q − c(Q), with h̄_Λp the ironed h_Λp (bunching where h_Λp falls);
//     where B > Λ_p the item is above q̂ and the rent rises, where B < Λ_p it is below and the rent
//     falls — the countervailing incentives of a type-dependent outside option;
//   - at the ends participation binds and q is continuous: B(a) = B(b) = Λ_p;
//   - the rent returns to zero: ∫_a^b (u_θ(θ, q) − u0'(θ)) dθ = 0, which pins Λ_p.
// Ironing needs no quadrature: in quantile space H_Λ(u) = ∫ h_Λ dF = θ(u) (u − Λ) + const, since
// d(θF) = F dθ + θ f dθ; its lower convex hull gives h̄_Λ (slopes of hull edges, h_Λ at vertices).
// So for each Λ the ends are the crossings of B = Λ around the dip of B, the rent is one
// quadrature, and Λ_p is its root (Brent): the rent falls as Λ rises (a higher Λ lowers h_Λ).
// Across a gap of the support (θ₁, θ₂) the rent moves along the item the gap's types take; where it
// falls so far that no such Λ_p exists, the segment ends at θ₂ instead, its rent zero there (θ₂'s
// incentive constraint against θ₁'s item binds with participation at θ₂), and the types above
// start afresh (docs/model.md 3c, "Segments ending at a gap").
// The resulting segment is a region-3 segment with its own allocation (leader-fringe-menu.ts);
// the Lagrangian certificate uses Λ = Λ_p there, plus the ironing term f (h̄_Λ − h_Λ) u_θ, which
// is ≥ 0 for every incentive-compatible menu (u_θ along the menu is nondecreasing and H_Λ ≥ H̄_Λ),
// so the bound stays valid and is tight for this menu.

import { massGrid } from "../engine/numerics/mass-breaks.js";
import { NumericalError } from "../engine/errors.js";
import { aroundKinks } from "../engine/grid.js";
import { brent } from "../engine/numerics/brent.js";
import { lowerConvexHull } from "../engine/numerics/convex-hull.js";
import { integratePiecewise } from "../engine/numerics/piecewise-integral.js";
import { brentMax } from "../engine/numerics/golden.js";
import { fringeTopUp, limitQuality, outsideOption, outsideOptionSlope } from "./fringe-top-up.js";
import { limitGain, type LeaderFringeModel, type MenuSegment } from "./leader-fringe-menu.js";

const SCAN = 2049;
const HULL = 2049;
/** A segment ending at a gap whose types below the gap hold less mass than this is not formed. */
const NEGLIGIBLE_MASS = 1e-12;
/** Rises of F below this are rounding-level in the segment hull (segmentAllocation). */
const FLAT_F = 1e-12;

/** One participation-binding segment: its ends, multiplier and allocation. */
export interface PoolSegment {
  from: number;
  to: number;
  /** Λ_p on (from, to) */
  lambda: number;
  quality: (theta: number) => number;
  /** the ironed Λ-virtual type h̄_Λ (for the certificate's ironing term) */
  hbar: (theta: number) => number;
  /** h_Λ itself */
  h: (theta: number) => number;
  /** bunching intervals inside the segment */
  bunched: [number, number][];
}

/** The binding multiplier B(θ) = F + f (θ − c_L q̂^(1−η)/η). */
export function bindingMultiplier(model: LeaderFringeModel, theta: number): number {
  const d = model.dist;
  const e = model.market.etaL;
  const qh = limitQuality(theta, model.market);
  return d.cdf(theta) + d.pdf(theta) * (theta - (model.cL * Math.pow(qh, 1 - e)) / e);
}

/** The allocation of a segment [a, b] with multiplier Λ: ironed h_Λ, then c'(Q) = h̄_Λ. */
function segmentAllocation(model: LeaderFringeModel, a: number, b: number, lambda: number, points = HULL): Omit<PoolSegment, "from" | "to" | "lambda"> {
  const d = model.dist;
  const e = model.market.etaL;
  const cL = model.cL;
  // Λ = 1 is the plain virtual type (the distribution's own, robust where f vanishes at an end).
  const h =
    lambda === 1
      ? (t: number) => d.virtualType(t)
      : (t: number) => {
          const f = d.pdf(t);
          return t - d.levelMinusCdf(lambda, t) / f;
        };
  // The sample: `points` equally spaced types and the law's kinks inside (a component's ends,
  // where h jumps: a beta component with a < 1 starting just above a makes h jump up there, and
  // a hull that stepped over that type bunched from a with H below its chord: the ironing term
  // was then no relaxation, and an independent auditor's extra item beat a "certified" menu)
  const inner = (d.kinks ?? []).filter((k) => k > a && k < b);
  // and a type inside each gap of the support between two kinks (no density there: F is flat, and
  // the gap is one point of quantile space where H jumps by (F − Λ)·width; see the hull below)
  const gapTypes: number[] = [];
  const ks = [a, ...inner, b];
  for (let i = 0; i + 1 < ks.length; i++) {
    const mid = 0.5 * (ks[i] + ks[i + 1]);
    if (mid > a && mid < b && d.pdf(mid) === 0) gapTypes.push(mid);
  }
  const th = Float64Array.from([...Array.from({ length: points }, (_, k) => a + ((b - a) * k) / (points - 1)), ...inner, ...gapTypes]).sort();
  points = th.length;
  const u = new Float64Array(points);
  const H = new Float64Array(points);
  for (let k = 0; k < points; k++) {
    u[k] = d.cdf(th[k]);
    H[k] = th[k] * (u[k] - lambda);
  }
  // Points whose F exceeds the last kept one's by no more than FLAT_F are one point in quantile
  // space and are left out of the hull (they fall inside one of its edges, i.e. in one bunch):
  // in a component's thin tail, where the density falls like (θ_end − θ)^4, F is flat to 1e-12
  // over a segment, the hull's chord slopes were rounding over rounding, and hundreds of
  // spurious bunching intervals made the segment's rent integral fail (a reviewer's mixture,
  // 5 Dec 2026). Where F rises by more than FLAT_F from grid point to grid point — every law
  // away from such a tail — every point is kept and nothing changes.
  // Of a flat run, the point kept is the lowest H: the lower hull of points at one abscissa goes
  // through the lowest. That matters across a gap of the support inside the segment, where H
  // moves by (F − Λ)·width at one quantile: with F < Λ it falls, and the hull must reach its
  // bottom (the gap's right end), which bunches the types before the gap down to the item the gap's
  // types then take — the smallest rise of the rent across a gap that no buyer occupies (docs/
  // model.md 3c). The run's first and last points are kept in place of the lowest one where they
  // are the segment's ends.
  const kept = new Int32Array(points);
  let nk = 0;
  for (let k = 0; k < points; k++) {
    if (nk > 0 && !(u[k] - u[kept[nk - 1]] > FLAT_F)) {
      const prev = kept[nk - 1];
      // the last point is kept, in place of a flat predecessor (not the first)
      if (k === points - 1 && nk > 1) kept[nk - 1] = k;
      // (by a clear margin: in a component's thin tail with Λ within rounding of F, H's steps are
      // rounding too, and following them made a saw of spurious bunches, seed 4, market 14)
      else if (nk > 1 && H[prev] - H[k] > 1e-10 * Math.max(1, th[k])) kept[nk - 1] = k;
      continue;
    }
    kept[nk++] = k;
  }
  const ku = new Float64Array(nk);
  const kH = new Float64Array(nk);
  for (let m = 0; m < nk; m++) {
    ku[m] = u[kept[m]];
    kH[m] = H[kept[m]];
  }
  const hull = Int32Array.from(lowerConvexHull(ku, kH), (m) => kept[m]);
  const bunched: [number, number][] = [];
  const slopes: { from: number; to: number; slope: number }[] = [];
  for (let k = 0; k + 1 < hull.length; k++) {
    const i = hull[k];
    const j = hull[k + 1];
    if (j > i + 1) {
      // Refine the grid edge to the tangency: h_Λ(x) = h_Λ(y) = chord slope of H_Λ on [x, y].
      const Hat = (t: number) => t * (d.cdf(t) - lambda);
      let x = th[i];
      let y = th[j];
      let slope = (H[j] - H[i]) / (u[j] - u[i]);
      for (let it = 0; it < 30; it++) {
        const nx = i > 0 ? rootNear((t) => h(t) - slope, th[i - 1], th[Math.min(i + 1, j)], x) : x;
        const ny = j < points - 1 ? rootNear((t) => h(t) - slope, th[Math.max(j - 1, i)], th[j + 1], y) : y;
        const ns = (Hat(ny) - Hat(nx)) / (d.cdf(ny) - d.cdf(nx));
        const done = Math.abs(nx - x) <= 1e-15 * Math.abs(x) && Math.abs(ny - y) <= 1e-15 * Math.abs(y);
        x = nx;
        y = ny;
        slope = ns;
        if (done) break;
      }
      bunched.push([x, y]);
      slopes.push({ from: x, to: y, slope });
    }
  }
  const hbar = (t: number) => {
    for (const s of slopes) if (t >= s.from && t <= s.to) return s.slope;
    return h(t);
  };
  const quality = (t: number) => {
    const v = hbar(t);
    return v > 0 ? Math.pow((e * v) / cL, 1 / (1 - e)) : 0;
  };
  return { quality, hbar, h, bunched };
}

/** A root of f in [lo, hi] by Brent when f changes sign there, else `fallback`. */
export function rootNear(f: (t: number) => number, lo: number, hi: number, fallback: number): number {
  const a = f(lo);
  const b = f(hi);
  if (!(a * b <= 0) || !Number.isFinite(a) || !Number.isFinite(b)) return fallback;
  return brent(f, lo, hi, { where: "leader–fringe (pooling): end of a bunching interval" }).root;
}

/** Where integrals over a segment [a, b] split: its bunching ends and the law's kinks inside (a
 *  component's end, where the density, h̄ and q jump). */
function segmentBreaks(model: LeaderFringeModel, a: number, b: number, bunched: readonly [number, number][]): number[] {
  return [...bunched.flat(), ...(model.dist.kinks ?? []).filter((x) => x > a && x < b)].sort((x, y) => x - y);
}

/** ∫_a^b (u_θ(θ, q(θ)) − u0'(θ)) dθ: the rent the segment's types end with. */
function segmentRent(model: LeaderFringeModel, a: number, b: number, alloc: Omit<PoolSegment, "from" | "to" | "lambda">): number {
  const m = model.market;
  const br = segmentBreaks(model, a, b, alloc.bunched);
  const rate = (t: number) => fringeTopUp(t, alloc.quality(t), m).uTheta - outsideOptionSlope(t, m);
  const scale = outsideOption(b, m) - outsideOption(a, m);
  const where = "leader–fringe (pooling): rent over a participation-binding segment";
  try {
    // The rent returns to about 0 at the root: absolute tolerance against ∫ u0' over [a, b].
    return integratePiecewise(rate, a, b, br, { epsrel: 1e-12, epsabs: 1e-14 * scale, where, endpoints: true });
  } catch (e) {
    if (!(e instanceof NumericalError)) throw e;
    // A segment in the thin tail of a component (its density falling to 0 at its end, h_Λ
    // towards −∞): 2,000 panels stopped at 3.5e-13 against 1.7e-15 on a random market. The
    // zero-rent root then carries that error; the menu is still verified by the checks and the
    // certificate, which say what it costs.
    return integratePiecewise(rate, a, b, br, { epsrel: 1e-10, epsabs: 1e-11 * scale, where, endpoints: true });
  }
}

/**
 * The rent R(θ) = ∫_a^θ (u_θ(s, q(s)) − u0'(s)) ds along a segment's allocation, by the trapezoid
 * rule on 512 panels (a sample, not the zero-rent root's quadrature): its least value on the
 * panels' ends and its value at b.
 */
function rentPath(model: LeaderFringeModel, a: number, b: number, alloc: Omit<PoolSegment, "from" | "to" | "lambda">): { min: number; end: number } {
  const m = model.market;
  const J = 512;
  let R = 0;
  let min = 0;
  let prevRate = fringeTopUp(a, alloc.quality(a), m).uTheta - outsideOptionSlope(a, m);
  for (let j = 1; j <= J; j++) {
    const t = a + ((b - a) * j) / J;
    const rate = fringeTopUp(t, alloc.quality(t), m).uTheta - outsideOptionSlope(t, m);
    R += 0.5 * (rate + prevRate) * ((b - a) / J);
    prevRate = rate;
    min = Math.min(min, R);
  }
  return { min, end: R };
}

/**
 * Region-2 segments (before any region 3) on which B falls are rebuilt: for each dip of B, the
 * segment [a, b] with Λ_p solving the zero-rent condition replaces the q̂ allocation. Returns the
 * new segment list and the pools (empty when B is nondecreasing everywhere).
 */
export function participationSegments(
  model: LeaderFringeModel,
  segments: readonly MenuSegment[],
  ironing: readonly [number, number][] = [],
): { segments: MenuSegment[]; pools: PoolSegment[]; notes: string[] } {
  const notes: string[] = [];
  const out: MenuSegment[] = segments.map((sg) => ({ ...sg }));
  // γ_F = 0: Λ = 1 is valid on region 2 (the Lagrangian has a kink at q̂), Proposition 4's regions
  // stand; nothing to rebuild.
  if (model.market.etaF === model.market.sigma) return { segments: out, pools: [], notes };
  const pools: PoolSegment[] = [];
  // 1. The top segment (Λ = 1 up to θ_max): re-solved when the restricted rule fails there.
  const top = topSegment(model, out, ironing, notes);
  if (top) {
    const k = out.findIndex((sg) => sg.from === top.from);
    out.splice(k, out.length - k, ...top.segments);
    pools.push(top.pool);
  }
  // 2. The middle, from θ_low to the top segment: where B falls, rent segments with Λ_p ≤ 1
  //    (a dip of B may start in a middle region-3 stretch, where B > 1).
  const first = out.findIndex((sg) => sg.region !== 1);
  let last = out.length;
  const topIdx = top ? out.findIndex((sg) => sg.from === top.pool.from && sg.quality) : -1;
  if (topIdx >= 0) last = topIdx;
  else if (out.length && out[out.length - 1].region === 3 && !out[out.length - 1].quality) last = out.length - 1;
  if (first >= 0 && first < last) {
    const lo = out[first].from;
    const hi = out[last - 1].to;
    const found = findPools(model, lo, hi, notes);
    if (found.length) {
      const middle = overlay(out.slice(first, last), found);
      // A segment that starts below the cut-off takes its types from the fringe-only region.
      const start = Math.min(lo, ...found.map((pl) => pl.from));
      if (start < lo && first > 0) out[first - 1].to = start;
      middle[0] = { ...middle[0], from: Math.min(middle[0].from, start) };
      out.splice(first, last - first, ...middle);
      pools.push(...found);
    }
  }
  // Merge neighbours of one region without their own allocation.
  const merged: MenuSegment[] = [];
  for (const s of out) {
    const prev = merged[merged.length - 1];
    if (prev && prev.region === s.region && !prev.quality && !s.quality) prev.to = s.to;
    else merged.push({ ...s });
  }
  return { segments: merged, pools, notes };
}

/** The segments with the rent segments laid over them (the parts inside a pool dropped). */
function overlay(segs: MenuSegment[], pools: PoolSegment[]): MenuSegment[] {
  const out: MenuSegment[] = [];
  const sorted = [...pools].sort((x, y) => x.from - y.from);
  let p = 0;
  for (const sg of segs) {
    let from = sg.from;
    while (from < sg.to) {
      while (p < sorted.length && sorted[p].to <= from) p++;
      const pool = sorted[p];
      if (!pool || pool.from >= sg.to) {
        out.push({ ...sg, from, to: sg.to });
        break;
      }
      if (pool.from > from) out.push({ ...sg, from, to: pool.from });
      if (!out.some((o) => o.quality === pool.quality)) out.push({ from: pool.from, to: pool.to, region: 3, quality: pool.quality, kinks: pool.bunched.flat() });
      from = pool.to;
    }
  }
  return out.filter((o) => o.to > o.from);
}

function findPools(model: LeaderFringeModel, lo: number, hi: number, notes: string[]): PoolSegment[] {
  const d = model.dist;
  // SCAN equally spaced types, and the types beside each kink of the law inside (1e-9 off): B
  // jumps down where a component ends (the density drops), and a dip 1.5e-4 wide after such a
  // kink lay between two scan types 2.9e-4 apart (an auditor's L3_00: no rent segment, q̂ kept,
  // and the bound 1.5e-5 of profit above the menu)
  const extra = aroundKinks(d.kinks ?? [], [1e-9], lo, hi);
  // (and the law's quantiles inside [lo, hi] on a support far wider than its mass: mass-breaks.ts)
  const quantiles = massGrid(d, SCAN).filter((x) => x > lo && x < hi);
  const th = Float64Array.from([...Array.from({ length: SCAN }, (_, k) => lo + ((hi - lo) * k) / (SCAN - 1)), ...extra, ...quantiles]).sort();
  const n = th.length;
  const B = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const f = d.pdf(th[k]);
    B[k] = Number.isFinite(f) && f > 0 ? bindingMultiplier(model, th[k]) : NaN;
  }
  type Dip = { pool: PoolSegment; peak: number; note: string } | { note: string };
  const found: { pool: PoolSegment; peak: number; note: string }[] = [];
  /** The first gap of the support after scan type `from` and before `to`: its ends θ₁ and θ₂ (kinks
   *  of the law), F inside it, and the first scan type after it. */
  const gapAfter = (from: number, to: number): { start: number; end: number; F: number; next: number } | undefined => {
    let i = from + 1;
    while (i < to && i < n && (Number.isFinite(B[i]) || d.pdf(th[i]) !== 0)) i++;
    if (i >= to || i >= n) return undefined;
    let next = i;
    while (next < n && !Number.isFinite(B[next])) next++;
    if (next >= n) return undefined;
    const end = (d.kinks ?? []).filter((x) => x > th[next - 1] && x <= th[next]).pop();
    const start = (d.kinks ?? []).filter((x) => x >= th[i - 1] && x < th[i]).shift();
    if (end === undefined || start === undefined) return undefined;
    return { start, end, F: d.cdf(0.5 * (th[i] + th[next - 1])), next };
  };
  // A segment ended at a gap's upper end (below) is followed by a fresh start there: segments
  // found after it do not reach below that type (`barrier`, its scan index, and `barrierAt`).
  let barrier = 0;
  let barrierAt = th[0];
  /** The rent segment of a dip of B: from where B rises through Λ before `peak` to where it
   *  climbs back through Λ after `floor`, Λ in (m, M) returning the rent to zero;
   *  with `endAt`, the segment ends there (a gap's upper end) instead. */
  const solveDip = (peak: number, floor: number, M: number, m: number, back: number, acrossGaps: boolean, endAt?: number, gapStart?: number): Dip => {
    // B = Λ between two scan types: by Brent where B changes sign there; where it does not, B
    // jumps across Λ at a kink of the law (a component's end: the density jumps, and B with it;
    // Brent refused such a bracket on a random three-component mixture) and the crossing is that
    // kink, else the scan type nearer to Λ
    // (an infinite density inside the bracket — a Beta component with a < 1 starting there — makes
    // B infinite at that one type: clamped for Brent, which met it on a random market, seed 14,
    // market 2, and failed the whole solve)
    const crossing = (lam: number, lo: number, hi: number, where: string): number => {
      const g = (t: number) => {
        const v = bindingMultiplier(model, t) - lam;
        return v === Infinity ? 1e300 : v === -Infinity ? -1e300 : v;
      };
      const [ga, gb] = [g(lo), g(hi)];
      if (ga * gb <= 0 && Number.isFinite(ga) && Number.isFinite(gb)) return brent(g, lo, hi, { where }).root;
      const kink = [...(model.dist.kinks ?? []), ...model.kinks].find((x) => x > lo && x < hi);
      if (kink !== undefined) return kink;
      return Math.abs(ga) <= Math.abs(gb) ? lo : hi;
    };
    const crossDown = (lam: number): number => {
      // last type at or below the peak with B ≤ Λ (the segment starts there)
      let i = peak;
      // (a type without density stops the walk unless the segment may span a gap of the support)
      while (i > barrier && (acrossGaps ? !(B[i] <= lam) : B[i] > lam)) i--;
      if (acrossGaps ? !(B[i] <= lam) : B[i] > lam) return barrier > 0 ? barrierAt : th[0];
      return crossing(lam, th[i], th[i + 1], "leader–fringe (pooling): start of a rent segment");
    };
    const crossUp = (lam: number): number => {
      if (endAt !== undefined) return endAt;
      let i = floor;
      while (i < n - 1 && (acrossGaps ? !(B[i] >= lam) : B[i] < lam)) i++;
      if (acrossGaps ? !(B[i] >= lam) : B[i] < lam) return th[n - 1];
      return crossing(lam, th[i - 1], th[i], "leader–fringe (pooling): end of a rent segment");
    };
    const rentAt = (lam: number): number => {
      const a = crossDown(lam);
      const b = crossUp(lam);
      return segmentRent(model, a, b, segmentAllocation(model, a, b, lam));
    };
    // Ended at a gap (θ₁, θ₂) = (gapStart, endAt) with m = F there: if even Λ_p = F leaves no
    // rent at θ₂ along the item before the gap, the types below the gap are a market of their own
    // (Λ(θ₁) = F, as Λ(θ_max) = 1 at the top: no distortion at θ₁), θ₂ has no reason to envy them,
    // and the gap's types switch from θ₁'s item to the fringe where the rent reaches zero, at b in
    // the gap: the segment is [a, b] (docs/model.md 3c, "Segments ending at a gap").
    // A segment ending at a gap whose types below the gap hold no mass (the density falls to 0 at
    // the gap's start and B meets F there) changes nothing, and its scalars' integrals over a
    // sliver 1e-9 wide failed to converge on a random market (seed 8, market 70 at c_F = 0.45).
    const massless = (a: number): Dip | undefined =>
      endAt !== undefined && gapStart !== undefined && !(d.cdf(gapStart) - d.cdf(a) > NEGLIGIBLE_MASS)
        ? { note: `the types below the gap (${gapStart}, ${endAt}) of the support from ${a} hold no mass (below ${NEGLIGIBLE_MASS}): no segment ending at the gap` }
        : undefined;
    if (endAt !== undefined && gapStart !== undefined) {
      const a = crossDown(m);
      const none = massless(a);
      if (none) return none;
      const below = segmentAllocation(model, a, gapStart, m);
      // (the item of the last type before the gap)
      const justBelow = gapStart - 1e-12 * Math.max(1, gapStart - a);
      const q1 = below.quality(justBelow);
      const R1 = segmentRent(model, a, gapStart, below);
      const mk = model.market;
      const rate = (t: number) => fringeTopUp(t, q1, mk).uTheta - outsideOptionSlope(t, mk);
      const scale = Math.max(outsideOption(endAt, mk) - outsideOption(a, mk), 1e-300);
      const where = "leader–fringe (pooling): rent across a gap of the support";
      const rentTo = (b: number) => R1 + integratePiecewise(rate, gapStart, b, [], { epsrel: 1e-12, epsabs: 1e-14 * scale, where, endpoints: true });
      if (R1 >= 0 && q1 > 0 && rentTo(endAt) <= 0) {
        const b = R1 === 0 ? gapStart : brent(rentTo, gapStart, endAt, { where }).root;
        const hbarEnd = below.hbar(justBelow);
        const pool: PoolSegment = {
          from: a,
          to: b,
          lambda: m,
          quality: (t) => (t > gapStart ? q1 : below.quality(t)),
          hbar: (t) => (t > gapStart ? hbarEnd : below.hbar(t)),
          h: below.h,
          bunched: below.bunched,
        };
        const path = rentPath(model, a, b, { quality: pool.quality, hbar: pool.hbar, h: pool.h, bunched: pool.bunched });
        if (path.min < -(10 * Math.abs(path.end) + 1e-12 * scale))
          return { note: `with Λ = F = ${m} in the gap (${gapStart}, ${endAt}) the rent would turn negative inside [${a}, ${gapStart}] (${path.min}); q̂ kept there` };
        return {
          pool,
          peak,
          note:
            `participation binds at ${a} and, inside the gap (${gapStart}, ${endAt}) of the support, at ${b} (Λ = ${m}, F in the gap): the types below the gap are served as a market of their own, the rent at ${gapStart} (${R1}) too small for the types above to envy` +
            (below.bunched.length ? `; bunched on ${below.bunched.map(([x, y]) => `[${x.toPrecision(6)}, ${y.toPrecision(6)}]`).join(", ")}` : ""),
        };
      }
      if (!(M > m)) return { note: `B falls across the gap (${gapStart}, ${endAt}) of the support but B above it is not above F there (${m}): no segment ending at the gap; q̂ kept there` };
    }
    let lamLo = m + 1e-12 * (M - m);
    let lamHi = M - 1e-12 * (M - m);
    let rLo = rentAt(lamLo);
    let rHi = rentAt(lamHi);
    // Ended at a gap, the rent at θ₂ need not fall all the way: a high Λ_p bunches the types
    // before the gap down to q = 0, and the rent is then 0 (not negative) at the top of the range,
    // a degenerate segment. The first fall of the rent through zero is looked for on a scan.
    if (endAt !== undefined && rLo > 0 && !(rHi < 0)) {
      const SCAN_LAMBDA = 32;
      for (let z = 1; z <= SCAN_LAMBDA; z++) {
        const lam = z === SCAN_LAMBDA ? lamHi : m + ((M - m) * z) / SCAN_LAMBDA;
        const r = rentAt(lam);
        if (r < 0) {
          rHi = r;
          lamHi = lam;
          break;
        }
        lamLo = lam;
        rLo = r;
      }
    }
    let lambda: number;
    if (rLo > 0 && rHi < 0) {
      lambda = brent(rentAt, lamLo, lamHi, { where: "leader–fringe (pooling): multiplier Λ_p of a rent segment" }).root;
      // A sign change is a root only where the rent is continuous in Λ: where a crossing jumps over
      // a gap of the support as Λ passes F there, the rent jumps across 0 (seed 4, market 14).
      const [a0, b0] = [crossDown(lambda), crossUp(lambda)];
      const r0 = segmentRent(model, a0, b0, segmentAllocation(model, a0, b0, lambda));
      if (!(Math.abs(r0) <= 1e-9 * (outsideOption(b0, model.market) - outsideOption(a0, model.market))))
        return { note: `B falls on [${th[peak]}, ${th[back < n ? back : n - 1]}] and the segment's rent jumps across zero at Λ = ${lambda} (to ${r0}), not returning to it; q̂ kept there` };
    } else return { note: `B falls on [${th[peak]}, ${th[back < n ? back : n - 1]}] but no multiplier in (${m}, ${M}) returns the rent to zero (rent ${rLo} … ${rHi}); q̂ kept there` };
    let a = crossDown(lambda);
    // A segment that starts at the cut-off θ_low may start lower: types that the restricted menu
    // leaves to the fringe join it. Its start is then chosen for profit (Brent's method), with Λ_p
    // re-solved from the zero-rent condition for each start.
    if (a === th[0] && lo > d.min) {
      const free = freeStart(model, lo, hi, m, M, crossUp, notes);
      if (free) {
        a = free.a;
        lambda = free.lambda;
      }
    }
    const b = crossUp(lambda);
    const none = massless(a);
    if (none) return none;
    const alloc = segmentAllocation(model, a, b, lambda);
    // The rent returns to 0 at b, and must not go below 0 inside: where B crosses Λ_p several times
    // it can (a random market, seed 14, market 13: −6.4e-4 at 0.516 inside [0.448, 0.709], the menu
    // failed its participation check). Participation then binds inside the segment too, which this
    // construction does not build: q̂ is kept there. (The trapezoid's own error is its value at b,
    // where the exact rent is 0.)
    const path = rentPath(model, a, b, alloc);
    const rentScale = outsideOption(b, model.market) - outsideOption(a, model.market);
    if (path.min < -(10 * Math.abs(path.end) + 1e-12 * rentScale))
      return { note: `participation binds at both ends of [${a}, ${b}] with Λ = ${lambda}, but the rent would turn negative inside (${path.min}): participation binds inside too; q̂ kept there` };
    return {
      pool: { from: a, to: b, lambda, ...alloc },
      peak,
      note:
        `participation binds at both ends of [${a}, ${b}] (Λ = ${lambda}): the types inside earn a rent` +
        (alloc.bunched.length ? `, bunched on ${alloc.bunched.map(([x, y]) => `[${x.toPrecision(6)}, ${y.toPrecision(6)}]`).join(", ")}` : ""),
    };
  };
  let k = 0;
  while (k < n - 1) {
    // A type where B is not finite (no density there, or an infinite one) is passed over. Until
    // 7 Dec 2026 such a type ended the search: at the first scan type, the support's lower end
    // where a beta component's density is 0, it was the running peak (NaN, which no comparison
    // passes) and no dip was ever found — a random market (seed 7, market 54) kept q̂ across a dip
    // of B and its menu stayed 2e-4 of profit from its bound.
    while (k < n && !Number.isFinite(B[k])) k++;
    if (k >= n - 1) break;
    // Next dip: B falls from a running peak.
    let peak = k;
    let j = k + 1;
    for (; j < n; j++) {
      // a type without density (a gap of the support) has no B: the search goes on across it, as
      // a dip of B may start before a gap and end after it (docs/model.md 3c)
      if (!Number.isFinite(B[j])) continue;
      if (B[j] >= B[peak]) peak = j;
      else if (B[peak] - B[j] > 1e-12 * Math.max(1, Math.abs(B[peak]))) break;
    }
    if (j >= n) break;
    // The dip's floor, and where B climbs back to the peak (or the segment's end).
    let floor = j;
    let back = j;
    for (; back < n && !(B[back] >= B[peak]); back++) if (B[back] < B[floor]) floor = back;
    const M = Math.min(B[peak], 1);
    const m = B[floor];
    if (!(M > m)) {
      k = back;
      continue;
    }
    let dip = solveDip(peak, floor, M, m, back, true);
    // Where the dip spans a gap of the support and no segment across it returns the rent to zero,
    // the segment that stops at the gap (as before 7 Dec 2026)
    let resume = -1;
    let resumeAt = 0;
    if (!("pool" in dip) && B.subarray(peak, back).some((x) => !Number.isFinite(x))) {
      const within = solveDip(peak, floor, M, m, back, false);
      if ("pool" in within) dip = within;
      else {
        // Neither: the rent falls across the gap even along the item before it, so that at the
        // optimum it reaches zero at the gap's upper end θ₂ — participation binds again there, and
        // the types above start afresh (a segment of their own may start at θ₂). The segment
        // [a, θ₂] has Λ_p ≥ F in the gap (else the bound is infinite there) and ≤ B(θ₂⁺) (Λ must
        // not fall at θ₂), and its rent at θ₂ is zero (docs/model.md 3c, "Segments ending at a
        // gap").
        const gap = gapAfter(peak, back);
        if (gap) {
          const ended = solveDip(peak, floor, Math.max(gap.F, Math.min(M, B[gap.next])), gap.F, back, true, gap.end, gap.start);
          if ("pool" in ended) {
            dip = ended;
            resume = gap.next;
            resumeAt = gap.end;
          } else notes.push(ended.note);
        }
      }
    }
    // A segment reaching back into the one before (a dip right after another, the second's
    // start below the first's end — across a gap of the support, seed 3, market 22 of the random
    // scan): the two are one segment, from the first peak's rise to the second floor's climb, with
    // one multiplier (two overlapping ones made a menu whose envelope failed)
    const prev = found[found.length - 1];
    if ("pool" in dip && prev && dip.pool.from < prev.pool.to) {
      const merged = solveDip(prev.peak, floor, Math.min(B[prev.peak], 1), B[floor], back, true);
      if ("pool" in merged) {
        found.pop();
        dip = merged;
      } else dip = { note: `${merged.note} (a segment overlapping the one before, [${prev.pool.from}, ${prev.pool.to}], which is kept)` };
    }
    if ("pool" in dip) found.push(dip);
    else notes.push(dip.note);
    if (resume >= 0 && "pool" in dip) {
      // the dip goes on above the gap: searched again from θ₂, no segment reaching below it
      k = resume;
      barrier = resume;
      barrierAt = resumeAt;
      continue;
    }
    k = Math.max(back, j);
    if ("pool" in dip) while (k < n && th[k] < dip.pool.to) k++;
  }
  // A gap of the support is a dip of B too: B = F there (no density), below B before the gap
  // wherever the types before it are worth serving above q̂, even where B above the gap is higher
  // again (the scan, passing over the gap, sees no dip). Each gap not inside a segment already
  // found is tried as a segment ending at it: the types below a market of their own (Λ = F of
  // the gap) when θ₂ has no reason to envy them, else a segment ending at θ₂ (docs/model.md 3c).
  for (let i = 1; i < n - 1; i++) {
    if (Number.isFinite(B[i]) || !Number.isFinite(B[i - 1])) continue;
    const gap = gapAfter(i - 1, n);
    if (!gap || !(B[i - 1] > gap.F) || found.some((f) => f.pool.from < gap.end && f.pool.to > gap.start)) continue;
    barrier = 0;
    for (let k = found.length - 1; k >= 0; k--) {
      if (found[k].pool.to <= gap.start) {
        // (a segment's start may not reach below an earlier segment)
        barrier = Math.max(0, th.findIndex((x) => x >= found[k].pool.to));
        barrierAt = found[k].pool.to;
        break;
      }
    }
    const M = Math.min(B[i - 1], 1, B[gap.next]);
    const dip = solveDip(i - 1, gap.next, Math.max(M, gap.F), gap.F, gap.next, true, gap.end, gap.start);
    if ("pool" in dip) {
      found.push(dip);
      found.sort((x, y) => x.pool.from - y.pool.from);
    }
  }
  for (const f of found) notes.push(f.note);
  return found.map((f) => f.pool);
}

/**
 * Region 3 is itself a rent segment with Λ = 1 (R > 0 above θ_high, Λ(θ_max) = 1) starting where
 * B = 1, i.e. q^int = q̂. The restricted rule q = max(q̂, q^int(h̄)) is wrong there in two cases:
 * an ironing interval of h straddles θ_high (the unconstrained ironed level is then wrong on both
 * sides), or the ironed level falls below a rising q̂ inside region 3 (the rule switches back to
 * q̂, but with R > 0 the item may go below q̂ and lower the rent). Then the segment's allocation
 * comes from h ironed on the segment alone, its start a solves h̄_[a, θmax](a) = c'(Q̂(a)) (q
 * continuous where participation stops binding), and the rent is checked to stay ≥ 0.
 */
function topSegment(
  model: LeaderFringeModel,
  segs: MenuSegment[],
  ironing: readonly [number, number][],
  notes: string[],
): { from: number; segments: MenuSegment[]; pool: PoolSegment } | null {
  const n = segs.length;
  // The first plain region-3 segment after a plain region-2 one.
  let k3 = -1;
  for (let k = 1; k < n; k++) {
    if (segs[k].region === 3 && !segs[k].quality && segs[k - 1].region === 2 && !segs[k - 1].quality) {
      k3 = k;
      break;
    }
  }
  if (k3 < 0) return null;
  const start = segs[k3].from;
  const max = segs[n - 1].to;
  const straddles = ironing.some(([x, y]) => x < start && y > start);
  // q = max(q̂, q^int) switching back to q̂ above θ_high (an ironed level below a rising q̂) is
  // the restricted class's rule; with R > 0 there the item may go below q̂.
  const returns = segs.slice(k3 + 1).some((sg) => sg.region === 2);
  if (!straddles && !returns) return null;
  if (segs.slice(k3).some((sg) => sg.quality || sg.region === 1)) return null;
  const e = model.market.etaL;
  const cL = model.cL;
  const from = segs[k3 - 1].from;
  const gapAt = (a: number): number => {
    const alloc = segmentAllocation(model, a, max, 1);
    const qh = limitQuality(a, model.market);
    return alloc.hbar(a) - (cL * Math.pow(qh, 1 - e)) / e;
  };
  // Scan [from, max) for the first sign change − → + of h̄(a) − c'(Q̂(a)).
  const K = 64;
  let lo = from;
  let glo = gapAt(lo);
  let a: number | null = glo >= 0 ? from : null;
  for (let k = 1; k < K && a === null; k++) {
    const x = from + ((max - from) * k) / K;
    const gx = gapAt(x);
    // (h̄ = −∞ in a gap of the support: below any level, clamped so that Brent takes the bracket)
    if (glo < 0 && gx >= 0) a = brent((t) => Math.max(-1e300, gapAt(t)), lo, x, { where: "leader–fringe (top segment): start of region 3" }).root;
    lo = x;
    glo = gx;
  }
  if (a === null) {
    notes.push(`no start of region 3 makes q continuous with h ironed on the top segment; the restricted rule max(q̂, q^int) is kept`);
    return null;
  }
  const alloc = segmentAllocation(model, a, max, 1);
  // The rent must stay ≥ 0 on the segment (else participation binds again inside it).
  const m = model.market;
  const { min: minR } = rentPath(model, a, max, alloc);
  if (minR < -1e-12 * Math.max(1, outsideOption(max, m))) {
    notes.push(`with h ironed on [${a}, ${max}] the rent would turn negative (${minR}); the restricted rule max(q̂, q^int) is kept`);
    return null;
  }
  notes.push(
    `region 3 from θ_high = ${a}: a rent segment with Λ = 1 and h ironed on [${a}, ${max}] only` +
      (straddles ? " (an ironing interval of h straddled the start of region 3)" : "") +
      (returns ? " (the ironed level fell below q̂ inside region 3, where the rent allows it)" : "") +
      (alloc.bunched.length ? `; bunched on ${alloc.bunched.map(([x, y]) => `[${x.toPrecision(6)}, ${y.toPrecision(6)}]`).join(", ")}` : ""),
  );
  const head: MenuSegment[] = a > from ? [{ from, to: a, region: 2 }] : [];
  return {
    from,
    segments: [...head, { from: a, to: max, region: 3, quality: alloc.quality, kinks: alloc.bunched.flat() }],
    pool: { from: a, to: max, lambda: 1, ...alloc },
  };
}

/**
 * The best start a ≤ lo of a rent segment that begins at the cut-off: for each a, Λ solves the
 * zero-rent condition (the end b is the crossing B = Λ after the dip), and the segment's profit
 * ∫_a^b [(g(θ, q) − c_L q) f − R'(θ)(F(b) − F(θ))] dθ (∫ R f by parts, R(a) = R(b) = 0) minus
 * what the restricted menu earns there (q̂ on [lo, b]) is maximized over a.
 */
function freeStart(
  model: LeaderFringeModel,
  lo: number,
  hi: number,
  m: number,
  M: number,
  crossUp: (lam: number) => number,
  notes: string[],
): { a: number; lambda: number } | null {
  const d = model.dist;
  const mk = model.market;
  const cL = model.cL;
  const SEARCH = 513;
  const lambdaFor = (a: number): number | null => {
    const rent = (lam: number) => {
      const b = crossUp(lam);
      return segmentRent(model, a, b, segmentAllocation(model, a, b, lam, SEARCH));
    };
    const l0 = m + 1e-12 * (M - m);
    const l1 = M - 1e-12 * (M - m);
    const r0 = rent(l0);
    const r1 = rent(l1);
    if (!(r0 > 0 && r1 < 0)) return null;
    return brent(rent, l0, l1, { where: "leader–fringe (pooling): multiplier of a segment from a free start", rtol: 1e-13 }).root;
  };
  const gain = (a: number): number => {
    const lam = lambdaFor(a);
    if (lam === null) return -Infinity;
    const b = crossUp(lam);
    const alloc = segmentAllocation(model, a, b, lam, SEARCH);
    const Fb = d.cdf(b);
    const opts = { epsrel: 1e-11, epsabs: 1e-15 * Math.max(1, outsideOption(b, mk)), where: "leader–fringe (pooling): profit of a segment", endpoints: true };
    const br = segmentBreaks(model, a, b, alloc.bunched);
    const seg = integratePiecewise(
      (t) => {
        const q = alloc.quality(t);
        const r = fringeTopUp(t, q, mk);
        const f = d.pdf(t);
        return (r.u - outsideOption(t, mk) - cL * q) * f - (r.uTheta - outsideOptionSlope(t, mk)) * (Fb - d.cdf(t));
      },
      a,
      b,
      br,
      opts,
    );
    const base = integratePiecewise((t) => (limitGain(t, mk) - cL * limitQuality(t, mk)) * d.pdf(t), lo, b, [], opts);
    return seg - base;
  };
  const from = Math.max(d.min, lo - (hi - lo));
  const K = 16;
  let best = lo;
  let bestV = gain(lo);
  for (let k = 0; k < K; k++) {
    const a = from + ((lo - from) * k) / K;
    const v = gain(a);
    if (v > bestV) {
      bestV = v;
      best = a;
    }
  }
  const step = (lo - from) / K;
  // Brent's method (parabolic steps): each evaluation of `gain` solves Λ by Brent, a dozen
  // segment rents; golden section took ~45 evaluations to the same 1e-9, Brent ~10–15
  const refined = brentMax(gain, Math.max(from, best - step), Math.min(lo, best + step), 1e-9, 60);
  const a = refined.value >= bestV ? refined.x : best;
  if (a >= lo) return null;
  const lambda = lambdaFor(a);
  if (lambda === null) return null;
  notes.push(`the rent segment starts below the restricted cut-off ${lo}, at ${a}: types left to the fringe join it`);
  return { a, lambda };
}
