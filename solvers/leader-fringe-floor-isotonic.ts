// The restricted class's best menu computed directly (docs/model.md 3c, (3.23) and (3.33)): over
// allocations Q = q^η_L nondecreasing with the floor Q ≥ Q̂ = u0' on the served types [θ_c, θ_max],
//     P(θ_c) = ∫_{θ_c}^{θ_max} [h Q − c_L Q^(1/η_L)] f dθ − (1 − F(θ_c)) u0(θ_c),
// maximized by the pool-adjacent-violators algorithm on a fine grid of cells, each with its
// mass ΔF and its exact ∫ h dF = Δ[θ (F − 1)] (no quadrature; a gap of the support is a cell
// of no mass and negative ∫ h dF, the rent its types' absence still costs), and the floor of
// its upper end. A block of cells takes the level that maximizes its summed objective,
// c'(Q) = mean h, raised to the floor of its last cell (the floor rises, so that is the block's
// floor); blocks out of order merge. This is exact for the cells, also where the floor binds on
// part of an ironing interval — where the general path's rule q = max(q̂, q^int(h̄)), with h
// ironed without the floor, is not: on a random market with γ_F = 0 (seed 10, market 36: an
// ironing interval inside region 2) that rule earned 0.1346178 and this one 0.1346683.
//
// The menu offered to the continuum: on a block of several cells its level; on a single cell
// whose level is its floor, q̂(θ) (region 2; after a block above q̂ there, that block's level up
// to where q̂ reaches it); on a single free cell, q^int(h(θ)) held between the levels of the
// blocks before and after. Every piece is nondecreasing and at or above q̂, so the menu is in the
// restricted class and incentive compatible with envelope transfers (leader-fringe-general.ts,
// point 2). The cells' ends are then moved to the types themselves: a block's ends to where q
// meets its neighbours' (h = its mean next to a free cell, q̂ = its level next to the floor, its
// level c'(Q) = the mean of h over it), and the cut-off to where serving a type with the first
// item starts to pay. On the cells alone the certificate's gap stayed at 1e-8 to 1e-10 of profit;
// with the ends moved, 5e-16 and 5e-12 on the two markets above.
// The certificate (the caller's): Λ = 1 on the served types (the rent is positive above the cut-
// off) and the ironing term on each block with its own mean as h̄, where H lies above the chord
// (then H ≥ H̄ with equality at the ends, and the term is ≥ 0 for every IC menu).
// The caller computes the menu's profit by quadrature, runs the checks, and keeps it only where
// it earns more. Written by hand: PAV with a floor on a chain is a dozen lines, and no library
// does it for a general concave objective.

import { brent } from "../engine/numerics/brent.js";
import { fringeTopUp, limitQuality, outsideOption, outsideOptionSlope } from "./fringe-top-up.js";
import { buildMenu, interiorQualityFor, segmentIndex, segmentQuality, type LeaderFringeMenu, type LeaderFringeModel, type MenuSegment } from "./leader-fringe-menu.js";
import { rootNear, type PoolSegment } from "./leader-fringe-pooling.js";

/** Cells of the grid: half equally spaced in θ, half in F (the law's kinks added). */
export const FLOOR_ISOTONIC_CELLS = 16384;

export interface FloorIsotonicMenu {
  menu: LeaderFringeMenu;
  /** the cut-off: the first type served */
  thetaC: number;
  /** (θ intervals) where a block of several cells pools at one level */
  bunched: [number, number][];
  /** for the certificate: the served types as one segment with Λ = 1, h̄ the block means on the
   *  blocks of several cells whose means are interior (above the floor) and whose H lies above
   *  the chord (H ≥ H̄ with equality at the ends: a valid ironing term), h elsewhere */
  pool: PoolSegment | null;
}

/** The blocks of pavWithFloor: first cell, summed mass and ∫ h dF, level Q. */
export interface PavStack {
  first: Int32Array;
  mass: Float64Array;
  sum: Float64Array;
  level: Float64Array;
}

export function pavStack(n: number): PavStack {
  return { first: new Int32Array(n), mass: new Float64Array(n), sum: new Float64Array(n), level: new Float64Array(n) };
}

/** The level maximizing H·Q − c_L Q^(1/η) W on Q ≥ L: c'(Q) = H/W, raised to L (a concave objective). */
function blockLevel(H: number, W: number, L: number, e: number, cL: number): number {
  const mean = W > 0 ? H / W : -Infinity;
  return Math.max(L, mean > 0 ? Math.pow((e * mean) / cL, e / (1 - e)) : 0);
}

/**
 * Max Σ_i [hh_i Q_i − c_L Q_i^(1/η) w_i] over Q_k ≤ … ≤ Q_{n−1} with Q_i ≥ floor_i (floor
 * nondecreasing), cells k..n−1: pool adjacent violators (a block's best level is its summed
 * objective's, raised to its last cell's floor, the largest in it; a block above the next merges
 * with it). Fills `st` with the blocks in order and returns their number.
 */
export function pavWithFloor(w: ArrayLike<number>, hh: ArrayLike<number>, floor: ArrayLike<number>, e: number, cL: number, k: number, st: PavStack): number {
  const n = w.length;
  let top = 0;
  for (let i = k; i < n; i++) {
    let W = w[i];
    let H = hh[i];
    let first = i;
    let V = blockLevel(H, W, floor[i], e, cL);
    while (top > 0 && st.level[top - 1] > V) {
      top--;
      W += st.mass[top];
      H += st.sum[top];
      first = st.first[top];
      V = blockLevel(H, W, floor[i], e, cL);
    }
    st.first[top] = first;
    st.mass[top] = W;
    st.sum[top] = H;
    st.level[top] = V;
    top++;
  }
  return top;
}

/** Σ over the blocks of H·Q − c_L Q^(1/η) W. */
export function blocksValue(st: PavStack, blocks: number, e: number, cL: number): number {
  let P = 0;
  for (let b = 0; b < blocks; b++) P += st.sum[b] * st.level[b] - cL * Math.pow(st.level[b], 1 / e) * st.mass[b];
  return P;
}

/** The grid: sorted distinct types, equally spaced in θ and in F, plus the law's kinks and `extra`. */
function cellGrid(model: LeaderFringeModel, cells: number, extra: readonly number[]): Float64Array {
  const d = model.dist;
  const half = Math.max(2, Math.floor(cells / 2));
  // the support's ends exactly: min + (max − min)·1 can round one ulp below max (a random market,
  // seed 9, market 26: the last cell then ended short of the support, and building the menu failed)
  const pts: number[] = [d.min, d.max];
  for (let k = 1; k < half; k++) pts.push(d.min + ((d.max - d.min) * k) / half);
  for (let k = 1; k < half; k++) pts.push(d.quantile(k / half));
  for (const x of [...(d.kinks ?? []), ...extra]) pts.push(x);
  const s = Float64Array.from(pts.filter((x) => x >= d.min && x <= d.max)).sort();
  const out: number[] = [];
  for (const x of s) if (out.length === 0 || x > out[out.length - 1]) out.push(x);
  return Float64Array.from(out);
}

/**
 * The restricted class's best menu on `cells` cells of the law (header). `extra`: types that
 * should be cell ends (the general path's thresholds and ironing ends).
 */
export function floorIsotonicMenu(model: LeaderFringeModel, cells = FLOOR_ISOTONIC_CELLS, extra: readonly number[] = []): FloorIsotonicMenu {
  const d = model.dist;
  const m = model.market;
  const e = m.etaL;
  const cL = model.cL;
  const th = cellGrid(model, cells, extra);
  const n = th.length - 1;
  // per cell: mass, ∫ h dF, floor (at the upper end)
  const w = new Float64Array(n);
  const hh = new Float64Array(n);
  const floor = new Float64Array(n);
  const F = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) F[i] = i === n ? 1 : d.cdf(th[i]);
  for (let i = 0; i < n; i++) {
    w[i] = Math.max(0, F[i + 1] - F[i]);
    hh[i] = th[i + 1] * (F[i + 1] - 1) - th[i] * (F[i] - 1);
    floor[i] = outsideOptionSlope(th[i + 1], m);
  }
  const stack = pavStack(n);
  const { first: bFirst, mass: bW, sum: bH, level: bV } = stack;
  let top = 0;
  const pav = (k: number): number => {
    top = pavWithFloor(w, hh, floor, e, cL, k, stack);
    return blocksValue(stack, top, e, cL) - (1 - F[k]) * outsideOption(th[k], m);
  };
  // the cut-off: a scan of every 256th cell, then every 16th around the best, then every cell
  let best = n;
  let bestP = 0;
  const scan = (from: number, to: number, step: number) => {
    for (let k = Math.max(0, from); k <= Math.min(n - 1, to); k += step) {
      const P = pav(k);
      if (P > bestP) {
        bestP = P;
        best = k;
      }
    }
  };
  scan(0, n - 1, 256);
  if (best < n) {
    const c = best;
    scan(c - 256, c + 256, 16);
    const c2 = best;
    scan(c2 - 16, c2 + 16, 1);
  }
  const segments: MenuSegment[] = [];
  const bunched: [number, number][] = [];
  if (best >= n) {
    segments.push({ from: d.min, to: d.max, region: 1 });
    return { menu: buildMenu(model, segments, { thetaLow: d.max, thetaHigh: d.max, region2Empty: true }), thetaC: d.max, bunched, pool: null };
  }
  pav(best);
  // the blocks, copied out of the stack
  const nb = top;
  const start = new Float64Array(nb);
  const end = new Float64Array(nb);
  const V = bV.slice(0, nb);
  const single = new Uint8Array(nb);
  const atFloor = new Uint8Array(nb);
  for (let b = 0; b < nb; b++) {
    const i0 = bFirst[b];
    const i1 = b + 1 < nb ? bFirst[b + 1] : n;
    start[b] = th[i0];
    end[b] = th[i1];
    single[b] = i1 - i0 === 1 ? 1 : 0;
    atFloor[b] = V[b] <= floor[i1 - 1] ? 1 : 0;
  }
  // A block of several cells, from the cells' ends to the types themselves: its level Q_b has
  // c'(Q_b) = the mean of h over [s, e], and at each end q is continuous with its neighbour — a
  // free cell's q^int(h) (h = the mean there) or the floor (Q̂ = Q_b there), like the tangency of
  // an ironing interval (segmentAllocation in leader-fringe-pooling.ts). On the cells alone the
  // level is off by up to a cell's worth, and the certificate's gap stayed at ~1e-8 of profit.
  const mean = new Float64Array(nb);
  const REACH = 8;
  const CUT_REACH = 256;
  const Hat = (t: number) => t * (d.cdf(t) - 1);
  const levelOf = (mu: number) => blockLevel(mu, 1, 0, e, cL);
  for (let b = 0; b < nb; b++) {
    mean[b] = bW[b] > 0 ? bH[b] / bW[b] : -Infinity;
    if (single[b]) continue;
    const i0 = bFirst[b];
    const i1 = b + 1 < nb ? bFirst[b + 1] : n;
    // the neighbours: 'free' or 'floor' single cells (another block, the cut-off or the top: fixed)
    const side = (k: number) => (k < 0 || k >= nb || !single[k] ? null : atFloor[k] ? "floor" : "free");
    const left = b > 0 ? side(b - 1) : null;
    const right = side(b + 1);
    if (!left && !right) continue;
    // One unknown, the others from it: with a floor end, that end (Q_b = Q̂ there, c'(Q_b) = μ,
    // the free end where h = μ); with two free ends, μ (both ends where h = μ). Its root makes the
    // mean of h over [s, e] equal μ, found by Brent's method within REACH cells (a floor end
    // moves by a few cells: the discrete level is off by a cell's worth of the floor's rise).
    const cp = (Q: number) => (cL / e) * Math.pow(Q, 1 / e - 1);
    const xl = th[Math.max(0, i0 - REACH)];
    const xr = th[Math.min(i0 + REACH, i1)];
    const yl = th[Math.max(i1 - REACH, i0)];
    const yr = th[Math.min(n, i1 + REACH)];
    const hRoot = (mu: number, lo: number, hi: number, fallback: number) => rootNear((t) => d.virtualType(t) - mu, lo, hi, fallback);
    const ends = (p: number): { x: number; y: number; mu: number } => {
      if (right === "floor") {
        const mu = cp(outsideOptionSlope(p, m));
        return { x: left === "free" ? hRoot(mu, xl, xr, NaN) : start[b], y: p, mu };
      }
      if (left === "floor") {
        const mu = cp(outsideOptionSlope(p, m));
        return { x: p, y: right === "free" ? hRoot(mu, yl, yr, NaN) : end[b], mu };
      }
      return { x: left === "free" ? hRoot(p, xl, xr, NaN) : start[b], y: right === "free" ? hRoot(p, yl, yr, NaN) : end[b], mu: p };
    };
    const G = (p: number) => {
      const r = ends(p);
      // (no end where h = μ within reach: no root here. A formula density's cdf refuses NaN
      // outright, which lost the whole PAV menu — "integration limits must be finite, got [0,
      // NaN]" — on 1 + 0.9 sin(6πθ), a reviewer's)
      if (!Number.isFinite(r.x) || !Number.isFinite(r.y)) return NaN;
      return (Hat(r.y) - Hat(r.x)) / (d.cdf(r.y) - d.cdf(r.x)) - r.mu;
    };
    const [pl, ph] = right === "floor" ? [yl, yr] : left === "floor" ? [xl, xr] : [mean[b] - 0.05 * Math.abs(mean[b]), mean[b] + 0.05 * Math.abs(mean[b])];
    const pr = rootNear(G, pl, ph, NaN);
    const r = Number.isFinite(pr) ? ends(pr) : { x: NaN, y: NaN, mu: NaN };
    const { x, y, mu } = r;
    // kept when found, inside its neighbouring cells (a free neighbour's item is held below the
    // block's level, a floor neighbour starts at Q̂ = Q_b: q stays monotone) and at the floor
    const Q = levelOf(mu);
    const inside = x > (b > 0 ? start[b - 1] : -Infinity) && y < (b + 1 < nb ? end[b + 1] : Infinity);
    if (Number.isFinite(x) && Number.isFinite(y) && y > x && inside && Q >= outsideOptionSlope(y, m) * (1 - 1e-12)) {
      start[b] = x;
      end[b] = y;
      if (b > 0) end[b - 1] = x;
      if (b + 1 < nb) start[b + 1] = y;
      V[b] = Math.max(Q, outsideOptionSlope(y, m));
      mean[b] = mu;
    }
  }
  for (let b = 0; b < nb; b++) if (!single[b]) bunched.push([start[b], end[b]]);
  let thetaC = th[best];
  const blockAt = (t: number): number => {
    let lo = 0;
    let hi = nb - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (start[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const qOf = (Q: number) => Math.pow(Q, 1 / e);
  // A free cell's item: q^int(h(θ)) between the levels of the blocks before and after, and above
  // q̂ by a relative 1e-12 (at q = q̂ exactly the buyer's top-up decision is a rounding's, and
  // ±1e-17 of fringe tokens is noise no quadrature converges on).
  const freeQuality = (t: number): number => {
    const b = blockAt(t);
    const before = b > 0 ? qOf(V[b - 1]) : 0;
    const after = b + 1 < nb ? qOf(V[b + 1]) : Infinity;
    const low = Math.max(limitQuality(t, m) * (1 + 1e-12), before);
    const free = interiorQualityFor(model, d.virtualType(t));
    return free > low ? Math.min(free, after) : low;
  };
  if (thetaC > d.min) segments.push({ from: d.min, to: thetaC, region: 1 });
  const push = (sg: MenuSegment) => {
    if (!(sg.to > sg.from)) return;
    const last = segments[segments.length - 1];
    // runs of free cells share one segment, runs of floor cells one region-2 segment
    if (last && last.region === sg.region && last.to === sg.from && ((sg.region === 2 && !last.quality) || (sg.quality === freeQuality && last.quality === freeQuality))) last.to = sg.to;
    else segments.push(sg);
  };
  for (let b = 0; b < nb; b++) {
    if (!single[b]) {
      const q = qOf(V[b]);
      push({ from: start[b], to: end[b], region: 3, quality: () => q });
    } else if (atFloor[b]) {
      // q̂ (region 2: the rent carried, no top-up), after the level of the block before where
      // that is above q̂ at the cell's start: up to t* with Q̂(t*) = that level
      const Vp = b > 0 ? V[b - 1] : 0;
      let tStar = start[b];
      if (Vp > outsideOptionSlope(start[b], m)) {
        // (Q̂ rises to the cell's floor V[b] ≥ Vp at its end)
        tStar = rootNear((t) => outsideOptionSlope(t, m) - Vp, start[b], end[b], end[b]);
        const q = qOf(Vp);
        push({ from: start[b], to: tStar, region: 3, quality: () => q });
      }
      push({ from: tStar, to: end[b], region: 2 });
    } else push({ from: start[b], to: end[b], region: 3, quality: freeQuality });
  }
  // The cut-off, from the cells' ends to the type itself: where the profit of serving θ with the
  // first served piece's item, (u − u0 − c_L q) f − (u_θ − u0')(1 − F) (the integrand of P with
  // ∫ R f by parts), turns positive, by Brent's method near the cells' choice.
  // On the cells' grid the cut-off is off by up to a cell, and the types between pay: on seed 10,
  // market 36, the certificate found q = 3.2 beating nothing there by 5.6e-6, a gap of 5.7e-10.
  if (thetaC > d.min && segments.length > 1) {
    const first = segments[1];
    const q1 = (t: number) => (first.region === 2 ? limitQuality(t, m) : first.quality!(t));
    const gain = (t: number) => {
      const q = q1(t);
      const r = fringeTopUp(t, q, m);
      return (r.u - outsideOption(t, m) - cL * q) * d.pdf(t) - (r.uTheta - outsideOptionSlope(t, m)) * (1 - d.cdf(t));
    };
    // the sign change nearest the cells' cut-off, within CUT_REACH cells on each side (the cells'
    // floors, taken at each cell's upper end, charge every region-2 cell a little, and move the
    // scan's choice up by several cells: seed 12, markets 15 and 32, gaps of 4.6e-8 and 2.8e-8,
    // the second 16 cells off)
    let lo = NaN;
    let hi = NaN;
    for (let j = 0; j <= CUT_REACH && Number.isNaN(lo); j++) {
      for (const k of j === 0 ? [best] : [best + j, best - j]) {
        const a = th[Math.max(0, Math.min(n, k - 1))];
        const b = Math.min(first.to, th[Math.max(0, Math.min(n, k + 1))]);
        if (b > a && gain(a) < 0 && gain(b) > 0) {
          lo = a;
          hi = b;
          break;
        }
      }
    }
    const [gl, gh] = [gain(lo), gain(hi)];
    if (gl < 0 && gh > 0 && Number.isFinite(gl) && Number.isFinite(gh)) {
      const a = brent(gain, lo, hi, { where: "leader–fringe (restricted class by PAV): cut-off" }).root;
      if (a > d.min && a < first.to) {
        segments[0] = { ...segments[0], to: a };
        segments[1] = { ...first, from: a };
        thetaC = a;
      }
    }
  }
  // θ_high: the first type from which every item is above q̂ (a free stretch to the top)
  let thetaHigh = d.max;
  for (let k = segments.length - 1; k >= 0 && segments[k].region === 3; k--) thetaHigh = segments[k].from;
  const menu = buildMenu(model, segments, { thetaLow: thetaC, thetaHigh, region2Empty: thetaHigh <= thetaC });
  // the certificate's ironing term on the interior blocks whose H lies above the chord
  const ironed: { from: number; to: number; mean: number }[] = [];
  for (let b = 0; b < nb; b++) {
    if (single[b]) continue;
    const i0 = bFirst[b];
    const i1 = b + 1 < nb ? bFirst[b + 1] : n;
    // H above the chord at the cells' ends inside [s, e] (with the refined ends and mean)
    const mu = mean[b];
    const H0 = Hat(start[b]);
    const F0 = d.cdf(start[b]);
    let ok = true;
    for (let i = i0 + 1; i < i1 && ok; i++) if (th[i] > start[b] && th[i] < end[b]) ok = Hat(th[i]) - H0 >= mu * (d.cdf(th[i]) - F0) - 1e-13 * Math.max(1, Math.abs(H0));
    if (ok) ironed.push({ from: start[b], to: end[b], mean: mu });
  }
  const hbar = (t: number): number => {
    for (const r of ironed) if (t >= r.from && t <= r.to) return r.mean;
    return d.virtualType(t);
  };
  const pool: PoolSegment = {
    from: thetaC,
    to: d.max,
    lambda: 1,
    quality: (t) => segmentQuality(model, segments[segmentIndex(segments, t)], t),
    hbar,
    h: (t) => d.virtualType(t),
    bunched: ironed.map((r): [number, number] => [r.from, r.to]),
  };
  return { menu, thetaC, bunched, pool };
}
