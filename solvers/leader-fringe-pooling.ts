// Leader vs fringe, continuous types, γ_F > 0: segments where participation binds at both ends
// and the buyers in between earn a rent (MODEL.md 3c beyond Proposition 4; Jullien 2000).
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
// The resulting segment is a region-3 segment with its own allocation (leader-fringe-menu.ts);
// the Lagrangian certificate uses Λ = Λ_p there, plus the ironing term f (h̄_Λ − h_Λ) u_θ, which
// is ≥ 0 for every incentive-compatible menu (u_θ along the menu is nondecreasing and H_Λ ≥ H̄_Λ),
// so the bound stays valid and is tight for this menu.

import { brent } from "../engine/numerics/brent.js";
import { lowerConvexHull } from "../engine/numerics/convex-hull.js";
import { integratePiecewise } from "../engine/numerics/piecewise-integral.js";
import { fringeTopUp, limitQuality, outsideOption, outsideOptionSlope } from "./fringe-top-up.js";
import type { LeaderFringeModel, MenuSegment } from "./leader-fringe-menu.js";

const SCAN = 2049;
const HULL = 2049;

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
function segmentAllocation(model: LeaderFringeModel, a: number, b: number, lambda: number): Omit<PoolSegment, "from" | "to" | "lambda"> {
  const d = model.dist;
  const e = model.market.etaL;
  const cL = model.cL;
  const h = (t: number) => {
    const f = d.pdf(t);
    return t - (lambda - d.cdf(t)) / f;
  };
  const th = new Float64Array(HULL);
  const u = new Float64Array(HULL);
  const H = new Float64Array(HULL);
  for (let k = 0; k < HULL; k++) {
    th[k] = a + ((b - a) * k) / (HULL - 1);
    u[k] = d.cdf(th[k]);
    H[k] = th[k] * (u[k] - lambda);
  }
  const hull = lowerConvexHull(u, H);
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
        const ny = j < HULL - 1 ? rootNear((t) => h(t) - slope, th[Math.max(j - 1, i)], th[j + 1], y) : y;
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
function rootNear(f: (t: number) => number, lo: number, hi: number, fallback: number): number {
  const a = f(lo);
  const b = f(hi);
  if (!(a * b <= 0) || !Number.isFinite(a) || !Number.isFinite(b)) return fallback;
  return brent(f, lo, hi, { where: "leader–fringe (pooling): end of a bunching interval" }).root;
}

/** ∫_a^b (u_θ(θ, q(θ)) − u0'(θ)) dθ: the rent the segment's types end with. */
function segmentRent(model: LeaderFringeModel, a: number, b: number, alloc: Omit<PoolSegment, "from" | "to" | "lambda">): number {
  const m = model.market;
  const br = alloc.bunched.flat();
  return integratePiecewise((t) => fringeTopUp(t, alloc.quality(t), m).uTheta - outsideOptionSlope(t, m), a, b, br, {
    // The rent returns to about 0 at the root: absolute tolerance against ∫ u0' over [a, b].
    epsrel: 1e-12,
    epsabs: 1e-14 * (outsideOption(b, m) - outsideOption(a, m)),
    where: "leader–fringe (pooling): rent over a participation-binding segment",
    endpoints: true,
  });
}

/**
 * Region-2 segments (before any region 3) on which B falls are rebuilt: for each dip of B, the
 * segment [a, b] with Λ_p solving the zero-rent condition replaces the q̂ allocation. Returns the
 * new segment list and the pools (empty when B is nondecreasing everywhere).
 */
export function participationSegments(model: LeaderFringeModel, segments: readonly MenuSegment[]): { segments: MenuSegment[]; pools: PoolSegment[]; notes: string[] } {
  const out: MenuSegment[] = [];
  const pools: PoolSegment[] = [];
  const notes: string[] = [];
  let seenThree = false;
  for (const seg of segments) {
    if (seg.region === 3) seenThree = true;
    if (seg.region !== 2 || seenThree || model.market.etaF === model.market.sigma) {
      out.push(seg);
      continue;
    }
    let from = seg.from;
    const pieces: MenuSegment[] = [];
    for (const pool of findPools(model, seg.from, seg.to, notes)) {
      if (pool.from > from) pieces.push({ from, to: pool.from, region: 2 });
      pieces.push({ from: pool.from, to: pool.to, region: 3, quality: pool.quality, kinks: pool.bunched.flat() });
      pools.push(pool);
      from = pool.to;
    }
    if (seg.to > from || pieces.length === 0) pieces.push({ from, to: seg.to, region: 2 });
    out.push(...pieces);
  }
  // Merge neighbours of one region without their own allocation.
  const merged: MenuSegment[] = [];
  for (const s of out) {
    const last = merged[merged.length - 1];
    if (last && last.region === s.region && !last.quality && !s.quality) last.to = s.to;
    else merged.push({ ...s });
  }
  return { segments: merged, pools, notes };
}

function findPools(model: LeaderFringeModel, lo: number, hi: number, notes: string[]): PoolSegment[] {
  const d = model.dist;
  const th = new Float64Array(SCAN);
  const B = new Float64Array(SCAN);
  for (let k = 0; k < SCAN; k++) {
    th[k] = lo + ((hi - lo) * k) / (SCAN - 1);
    const f = d.pdf(th[k]);
    B[k] = Number.isFinite(f) && f > 0 ? bindingMultiplier(model, th[k]) : NaN;
  }
  const pools: PoolSegment[] = [];
  let k = 0;
  while (k < SCAN - 1) {
    // Next dip: B falls from a running peak.
    let peak = k;
    let j = k + 1;
    for (; j < SCAN; j++) {
      if (!Number.isFinite(B[j])) break;
      if (B[j] >= B[peak]) peak = j;
      else if (B[peak] - B[j] > 1e-12 * Math.max(1, Math.abs(B[peak]))) break;
    }
    if (j >= SCAN || !Number.isFinite(B[j])) break;
    // The dip's floor, and where B climbs back to the peak (or the segment's end).
    let floor = j;
    let back = j;
    for (; back < SCAN && !(B[back] >= B[peak]); back++) if (B[back] < B[floor]) floor = back;
    const M = B[peak];
    const m = B[floor];
    const crossDown = (lam: number): number => {
      // last type at or below the peak with B ≤ Λ (the segment starts there)
      let i = peak;
      while (i > 0 && B[i] > lam) i--;
      if (B[i] > lam) return th[0];
      return brent((t) => bindingMultiplier(model, t) - lam, th[i], th[i + 1], { where: "leader–fringe (pooling): start of a rent segment" }).root;
    };
    const crossUp = (lam: number): number => {
      let i = floor;
      while (i < SCAN - 1 && B[i] < lam) i++;
      if (B[i] < lam) return th[SCAN - 1];
      return brent((t) => bindingMultiplier(model, t) - lam, th[i - 1], th[i], { where: "leader–fringe (pooling): end of a rent segment" }).root;
    };
    const rentAt = (lam: number): number => {
      const a = crossDown(lam);
      const b = crossUp(lam);
      return segmentRent(model, a, b, segmentAllocation(model, a, b, lam));
    };
    const lamLo = m + 1e-12 * (M - m);
    const lamHi = M - 1e-12 * (M - m);
    const rLo = rentAt(lamLo);
    const rHi = rentAt(lamHi);
    let lambda: number;
    if (rLo > 0 && rHi < 0) lambda = brent(rentAt, lamLo, lamHi, { where: "leader–fringe (pooling): multiplier Λ_p of a rent segment" }).root;
    else {
      notes.push(`B falls on [${th[peak]}, ${th[back < SCAN ? back : SCAN - 1]}] but no multiplier in (${m}, ${M}) returns the rent to zero (rent ${rLo} … ${rHi}); q̂ kept there`);
      k = back;
      continue;
    }
    const a = crossDown(lambda);
    const b = crossUp(lambda);
    const alloc = segmentAllocation(model, a, b, lambda);
    pools.push({ from: a, to: b, lambda, ...alloc });
    notes.push(
      `participation binds at both ends of [${a}, ${b}] (Λ = ${lambda}): the types inside earn a rent` +
        (alloc.bunched.length ? `, bunched on ${alloc.bunched.map(([x, y]) => `[${x.toPrecision(6)}, ${y.toPrecision(6)}]`).join(", ")}` : ""),
    );
    k = Math.max(back, j);
    while (k < SCAN && th[k] < b) k++;
  }
  return pools;
}
