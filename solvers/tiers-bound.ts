// An upper bound on the profit of every menu of at most N tiers (docs/model.md (2.24)), by
// branch and bound over the cut points: the certificate of the tiers market for continuous
// types, and for discrete ones with more atoms than the exhaustive programme (2.23) takes
// (cuts at atoms: a discrete law's revenue curve is linear between its atoms, and a box whose
// intervals are single atoms has the relaxation's exact value, its cuts a candidate menu).
//
// In quantile space u = S(θ) the ironed revenue curve R̄(u) (R(u) = u·θ(u), R̄ its concave
// majorant, R̄' = h̄) turns the problem into one over breakpoints 1 ≥ u_1 ≥ … ≥ u_N ≥ u_{N+1} = 0
// (u_k = S(a_k)): a menu earns at most Σ_k V(u_k, u_{k+1}), V(x, y) = (x − y)·C*((R̄(x) − R̄(y))/(x − y)),
// C*(p) = max_{Q ≥ 0} pQ − C(Q) — the relaxation of (2.23) (ironing, each tier's quality free;
// a tier of width 0 is a tier not offered). V is the perspective of the convex C* at a linear
// function of (x, R̄(x), y, R̄(y)), so Σ_k V is convex in the points (u_k, R̄(u_k)) jointly.
//
// A box confines each cut to an interval. On an interval R̄ lies between its chord and its
// tangents at the two ends (concavity): a polygon with at most three vertices. A convex
// function on a product of polygons is largest at a product of vertices, and as Σ_k V is a
// chain (term k joins cuts k and k + 1) the largest over the 3^N products is a small dynamic
// programme: 9 evaluations of V per tier. Where two neighbouring intervals overlap, the tier
// between them may be empty or thin; its term is bounded on its own, by the best part of the
// union of the intervals (V(x, y) ≤ sup_z V(z, y₀) with y₀ the union's top, since R̄' falls).
// The bound of a box is above every menu with its cuts in the box, and within a box around
// an optimum it exceeds the optimum by the square of the box's width only (the menu is
// stationary there, (2.21)). Best-first branch and bound: the box with the largest bound is
// split at the middle (in u) of its widest interval; a box whose bound is within the target
// of the menu's profit is closed. The bound returned is the largest over the closed boxes and
// those still open when the budget of boxes runs out — an upper bound in every case.
//
// Written by hand: the bound is specific to this problem (no library computes it); the boxes
// are plain typed arrays.

import type { ContinuousDistribution } from "../engine/distributions/types.js";
import type { IronedVirtualType } from "../engine/distributions/ironing.js";
import type { CostOfQuality } from "../engine/technology/types.js";

/** A point of R̄: u, R̄(u), and supergradients of R̄ there — dA bounds R̄ at larger u (the point
 *  as the small-u end of an interval), dB at smaller u (as the large-u end). A continuous law has
 *  dA = dB = h̄ at the type; a discrete one the slopes of its two neighbouring segments. */
export interface Pt {
  u: number;
  r: number;
  dA: number;
  dB: number;
}

/** The ironed revenue curve, at cut points t (the largest: above every type, u = 0). */
export interface RevenueCurve {
  point(t: number): Pt;
  /** a cut strictly inside (tl, th) near u = um for splitting [tl, th] into [tl, m] and
   *  [next(m), th]; NaN when [tl, th] cannot be split */
  split(tl: number, th: number, um: number): number;
  next(m: number): number;
  /** M + 1 cut points from the lowest type to above every type (the first boxes' cells) */
  nodes(M: number): number[];
}

/** The curve of a continuous law: t is the type θ. */
export function continuousCurve(dist: ContinuousDistribution, ironed: IronedVirtualType): RevenueCurve {
  const lo = dist.min;
  const hi = dist.max;
  const intervals = ironed.intervals.map(([l, r]) => {
    const ul = dist.sf(l);
    const ur = dist.sf(r);
    return { l, r, ul, lambda: (l * ul - r * ur) / (ul - ur) };
  });
  return {
    point(t: number): Pt {
      const u = t >= hi ? 0 : t <= lo ? 1 : dist.sf(t);
      let r = t * u;
      for (const iv of intervals) if (t > iv.l && t < iv.r) r = iv.l * iv.ul + iv.lambda * (u - iv.ul);
      if (t >= hi) r = 0;
      const d = ironed.value(t);
      return { u, r, dA: d, dB: d };
    },
    split(tl: number, th: number, um: number): number {
      let tm = dist.quantile(1 - um);
      if (!(tm > tl && tm < th)) tm = 0.5 * (tl + th);
      return tm > tl && tm < th ? tm : NaN;
    },
    next: (m: number) => m,
    nodes: (M: number) => Array.from({ length: M + 1 }, (_, j) => (j === 0 ? lo : j === M ? hi : dist.quantile(j / M))),
  };
}

/** The curve of a discrete law (atoms ascending): t is the index of the lowest atom of a tier
 *  (n: above every atom); R̄ at atom i is Σ_{m ≥ i} p_m h̄_m, linear between atoms with slope h̄.
 *  It is formed as the menus' profits are, from R_i = v_i S_i (2.19) at the ends of each run of
 *  equal h̄ (a segment of the hull) and the chord inside a run: a sum of p_m h̄_m over 10⁵ atoms
 *  would round to ~1e-10 of it, more than the certificate's margin. */
export function discreteCurve(values: ArrayLike<number>, probs: ArrayLike<number>, hbar: ArrayLike<number>): RevenueCurve {
  const n = probs.length;
  const S = new Float64Array(n + 1);
  const R = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) S[i] = S[i + 1] + probs[i];
  S[0] = 1;
  for (let i = 0; i < n; i++) R[i] = values[i] * S[i];
  for (let a = 0; a < n; ) {
    let b = a + 1;
    while (b < n && hbar[b] === hbar[a]) b++;
    for (let i = a + 1; i < b; i++) R[i] = R[a] + ((R[b] - R[a]) * (S[i] - S[a])) / (S[b] - S[a]);
    a = b;
  }
  // the slopes of R̄'s own segments (atom i's segment runs from u = S_{i+1} to S_i): tangents
  // that pass through the neighbouring points exactly, so the polygons hold R̄ to rounding
  const slope = new Float64Array(n);
  for (let i = 0; i < n; i++) slope[i] = (R[i] - R[i + 1]) / (S[i] - S[i + 1]);
  return {
    point(t: number): Pt {
      const i = Math.round(t);
      return { u: S[i], r: R[i], dA: i > 0 ? slope[i - 1] : -Infinity, dB: i < n ? slope[i] : Infinity };
    },
    split(tl: number, th: number, um: number): number {
      if (!(th - tl >= 1)) return NaN;
      // the largest index m in [tl, th − 1] with S[m] ≥ um (S falls with the index)
      let a = tl;
      let b = th - 1;
      while (a < b) {
        const c = (a + b + 1) >> 1;
        if (S[c] >= um) a = c;
        else b = c - 1;
      }
      return a;
    },
    next: (m: number) => m + 1,
    nodes: (M: number) => {
      const out: number[] = [];
      for (let j = 0; j <= M; j++) {
        const i = Math.round((j * n) / M);
        if (out.length === 0 || i > out[out.length - 1]) out.push(i);
      }
      return out;
    },
  };
}

export interface TiersBoundInput {
  curve: RevenueCurve;
  cost: CostOfQuality;
  /** at most this many tiers */
  count: number;
  /** the profit of the menu found; boxes whose bound is within `target` (relative) of it close */
  profit: number;
  target: number;
  /** boxes evaluated at most (default MAX_BOXES) */
  maxBoxes?: number;
}

export interface TiersBound {
  /** above the profit of every menu of at most `count` tiers (before the ironing shortfall) */
  bound: number;
  /** the cuts of the best box that could not be split (a discrete law's single atoms): the
   *  relaxation's best point found, where its value is above the menu's profit (else undefined) */
  argmax?: number[];
  /** boxes evaluated */
  boxes: number;
  /** false when the budget of boxes ran out before every box closed */
  complete: boolean;
  /** the budget of boxes */
  budget: number;
}

export const MAX_BOXES = 150_000;
/** about how many boxes the search starts from */
const INITIAL_BOXES = 2_000;

/** The relaxation's pieces, shared by the branch and bound over boxes (tiersUpperBound) and the
 *  one over cells of a chain (tiers-chain-bound.ts). */
export interface RelaxationTerms {
  /** C*(p) = max_Q pQ − C(Q) */
  cStar(p: number): number;
  /** V of (2.24) between the points (x, R̄ = rx) and (y, ry), x > y in u */
  g(x: number, rx: number, y: number, ry: number): number;
  /** the vertices of R̄'s polygon over [a, b] (a.u < b.u) into out; how many (1 to 3) */
  polygon(a: Pt, b: Pt, out: { x: Float64Array; r: Float64Array }): number;
  /** an upper bound on ∫ over [a.u, b.u] of C*(R̄'): every tier inside the interval together */
  bestInside(a: Pt, b: Pt): number;
  /** how far the polygon over [a, b] rises above its chord */
  polygonHeight(a: Pt, b: Pt): number;
}

export function relaxationTerms(cost: CostOfQuality): RelaxationTerms {
  // C*(p) = max_Q pQ − C(Q); for a power law C = κ Q^(1/η) (CES technologies) in closed form,
  // (1 − η)(η/κ)^(η/(1−η)) p^(1/(1−η)): one pow where the general path takes three (the bound's
  // inner loop is these evaluations)
  const { kappa, eta } = cost;
  const powerLaw = kappa > 0 && kappa < Infinity && eta > 0 && eta < 1;
  const kC = powerLaw ? (1 - eta) * Math.pow(eta / kappa, eta / (1 - eta)) : NaN;
  const eC = 1 / (1 - eta);
  const cStar = (p: number): number => {
    if (!(p > 0)) return 0;
    if (powerLaw) return kC * Math.pow(p, eC);
    const q = cost.qualityForMarginalCost(p);
    return q > 0 ? p * q - cost.cost(q) : 0;
  };
  const g = (x: number, rx: number, y: number, ry: number): number => {
    const B = x - y;
    const A = rx - ry;
    if (!(B > 0)) return A > 0 ? Infinity : 0;
    return B * cStar(A / B);
  };

  // polygon vertices of R̄ over [a, b] (a.u < b.u): the ends and the tangents' intersection
  const polygon = (a: Pt, b: Pt, out: { x: Float64Array; r: Float64Array }): number => {
    out.x[0] = a.u;
    out.r[0] = a.r;
    if (!(b.u > a.u)) return 1;
    out.x[1] = b.u;
    out.r[1] = b.r;
    const da = a.dA;
    const db = b.dB;
    const fa = Number.isFinite(da);
    const fb = Number.isFinite(db);
    let xt = NaN;
    let rt = NaN;
    if (fa && fb && da !== db) {
      xt = (b.r - a.r - db * b.u + da * a.u) / (da - db);
      if (xt > a.u && xt < b.u) rt = a.r + da * (xt - a.u);
      else xt = NaN;
    } else if (fa && !fb) {
      xt = b.u;
      rt = a.r + da * (b.u - a.u);
    } else if (!fa && fb) {
      xt = a.u;
      rt = b.r + db * (a.u - b.u);
    } else if (!fa && !fb) {
      xt = b.u;
      rt = Infinity;
    }
    if (!(xt === xt)) return 2;
    out.x[2] = xt;
    out.r[2] = rt;
    return 3;
  };

  const poly = { x: new Float64Array(3), r: new Float64Array(3) };
  // ∫ over [a.u, b.u] of C*(R̄'): R̄' falls from a.d to b.d with the chord's mean, so by the
  // convexity of C* at most the two-valued profile with that mean (weights λ, 1 − λ) gives
  const bestInside = (a: Pt, b: Pt): number => {
    const w = b.u - a.u;
    if (!(w > 0)) return 0;
    const mean = (b.r - a.r) / w;
    const da = a.dA;
    const db = b.dB;
    if (!Number.isFinite(da)) return da < 0 ? 0 : Infinity;
    if (!Number.isFinite(db) || !(da > db)) return w * cStar(Math.max(da, mean));
    const lam = Math.min(1, Math.max(0, (mean - db) / (da - db)));
    return w * (lam * cStar(da) + (1 - lam) * cStar(db));
  };

  // how far the polygon of R̄ over [a, b] rises above its chord (infinite: no tangent bounds it)
  const polygonHeight = (a: Pt, b: Pt): number => {
    const n = polygon(a, b, poly);
    if (n < 3) return 0;
    const x = poly.x[2];
    return poly.r[2] - (a.r + ((b.r - a.r) * (x - a.u)) / (b.u - a.u));
  };

  return { cStar, g, polygon, bestInside, polygonHeight };
}

/** The bound of (2.24) (see the module header). */
export function tiersUpperBound(input: TiersBoundInput): TiersBound {
  const { curve, cost, count: N, profit, target } = input;
  const maxBoxes = input.maxBoxes ?? MAX_BOXES;
  const { g, polygon, bestInside, polygonHeight } = relaxationTerms(cost);
  // ---- boxes: per cut k (0 = lowest type), its interval of types [tl, th] and their points
  type Box = { tl: Float64Array; th: Float64Array; pl: Pt[]; ph: Pt[]; bound: number };
  const poly = { x: new Float64Array(3), r: new Float64Array(3) };
  const upX = new Float64Array(3);
  const upR = new Float64Array(3);
  const val = new Float64Array(3);
  const nextVal = new Float64Array(3);

  const boundOf = (b: Box): number => {
    // The cuts are ordered: cut k is at least the lowest end of cut k − 1's interval and at most
    // the highest end of cut k + 1's. Tightened so, the intervals' ends are nondecreasing in k
    // (and then a cut whose interval is disjoint from the next one's is below all the higher
    // ones); a box with an empty interval holds no menu.
    for (let k = 1; k < N; k++) {
      if (b.tl[k] < b.tl[k - 1]) {
        b.tl[k] = b.tl[k - 1];
        b.pl[k] = b.pl[k - 1];
      }
    }
    for (let k = N - 2; k >= 0; k--) {
      if (b.th[k] > b.th[k + 1]) {
        b.th[k] = b.th[k + 1];
        b.ph[k] = b.ph[k + 1];
      }
    }
    for (let k = 0; k < N; k++) if (b.tl[k] > b.th[k]) return -Infinity;
    // Groups of cuts whose intervals overlap in a chain (a cluster) are bounded together: every
    // type in the union J of their intervals gets at most C*(R̄') (bestInside), the tier below
    // the cluster at most its part below J, the tier above its part above J. A single cut keeps
    // its polygon. Dynamic programme from the top group down over the groups' vertices.
    let k = N - 1;
    // the upper neighbour's vertices as the tier's top end (u, R̄), and their values
    let nUp = 1;
    upX[0] = 0;
    upR[0] = 0;
    val[0] = 0;
    while (k >= 0) {
      let first = k;
      while (first > 0 && !(b.th[first - 1] <= b.tl[first])) first--;
      if (first === k) {
        // a single cut: its polygon's vertices, each joined to the best upper vertex
        const n = polygon(b.ph[k], b.pl[k], poly);
        for (let a = 0; a < n; a++) {
          let best = -Infinity;
          for (let c = 0; c < nUp; c++) {
            const v = g(poly.x[a], poly.r[a], upX[c], upR[c]) + val[c];
            if (v > best) best = v;
          }
          nextVal[a] = best;
        }
        for (let a = 0; a < n; a++) {
          val[a] = nextVal[a];
          upX[a] = poly.x[a];
          upR[a] = poly.r[a];
        }
        nUp = n;
      } else {
        // a cluster of cuts first … k: J from the highest type (smallest u) to the lowest
        let pa = b.ph[first];
        let pb = b.pl[first];
        for (let j = first; j <= k; j++) {
          if (b.ph[j].u < pa.u) pa = b.ph[j];
          if (b.pl[j].u > pb.u) pb = b.pl[j];
        }
        let best = -Infinity;
        for (let c = 0; c < nUp; c++) {
          const v = g(pa.u, pa.r, upX[c], upR[c]) + val[c];
          if (v > best) best = v;
        }
        val[0] = best + bestInside(pa, pb);
        upX[0] = pb.u;
        upR[0] = pb.r;
        nUp = 1;
      }
      k = first - 1;
    }
    let m = -Infinity;
    for (let a = 0; a < nUp; a++) m = Math.max(m, val[a]);
    return Math.max(0, m);
  };

  const close = profit * (1 + target);
  const heap: Box[] = [];
  const push = (b: Box) => {
    heap.push(b);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p].bound >= heap[i].bound) break;
      [heap[p], heap[i]] = [heap[i], heap[p]];
      i = p;
    }
  };
  const pop = (): Box => {
    const topBox = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l].bound > heap[m].bound) m = l;
        if (r < heap.length && heap[r].bound > heap[m].bound) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return topBox;
  };

  // The first boxes: every nondecreasing assignment of M quantile cells to the N cuts, M as
  // large as keeps their number near INITIAL_BOXES (the branching would make them anyway, and
  // boxes whose intervals are disjoint have tight bounds from the start).
  let M = 2;
  while (M < 256 && combinations(M + 1 + N - 1, N) <= INITIAL_BOXES) M++;
  const cellT = curve.nodes(M);
  const cellP = cellT.map((t) => curve.point(t));
  let closedMax = 0;
  let boxes = 0;
  let argmaxBound = profit;
  let argmax: number[] | undefined;
  const idx = new Int32Array(N);
  const enumerate = (k: number, from: number): void => {
    if (k === N) {
      const c: Box = {
        tl: Float64Array.from(idx, (i) => cellT[i]),
        th: Float64Array.from(idx, (i) => cellT[i + 1]),
        pl: Array.from(idx, (i) => cellP[i]),
        ph: Array.from(idx, (i) => cellP[i + 1]),
        bound: 0,
      };
      c.bound = boundOf(c);
      boxes++;
      if (c.bound === -Infinity) return;
      if (c.bound <= close) closedMax = Math.max(closedMax, c.bound);
      else push(c);
      return;
    }
    for (let i = from; i + 1 < cellT.length; i++) {
      idx[k] = i;
      enumerate(k + 1, i);
    }
  };
  enumerate(0, 0);
  while (heap.length > 0 && boxes < maxBoxes) {
    const b = pop();
    // Split the interval whose polygon is the loosest, at its middle in u: the bound exceeds
    // the best value in the box by about Q·w·Δd for an interval of width w in u over which the
    // slope R̄' falls by Δd (Q times the tangents' height over the chord; the curvature of V at
    // a stationary point is of that size too), Q at most the quality for the interval's top slope.
    let k = -1;
    let w = -1;
    let tm = NaN;
    for (let j = 0; j < N; j++) {
      const um = 0.5 * (b.pl[j].u + b.ph[j].u);
      const m = curve.split(b.tl[j], b.th[j], um);
      if (!(m === m)) continue;
      const wu = b.pl[j].u - b.ph[j].u;
      const d = b.ph[j].dA;
      const q = d > 0 ? (Number.isFinite(d) ? cost.qualityForMarginalCost(d) : 1e300) : 0;
      const wj = polygonHeight(b.ph[j], b.pl[j]) * q + 1e-9 * wu;
      if (wj > w) {
        w = wj;
        k = j;
        tm = m;
      }
    }
    if (k < 0) {
      // no interval can be split further (a discrete law's single atoms): the bound is exact
      // for these cuts, and stays as it is
      closedMax = Math.max(closedMax, b.bound);
      if (b.bound > argmaxBound) {
        argmaxBound = b.bound;
        argmax = Array.from(b.tl);
      }
      continue;
    }
    const pm = curve.point(tm);
    const tn = curve.next(tm);
    const pn = tn === tm ? pm : curve.point(tn);
    for (const side of [0, 1]) {
      const c: Box = { tl: Float64Array.from(b.tl), th: Float64Array.from(b.th), pl: b.pl.slice(), ph: b.ph.slice(), bound: 0 };
      if (side === 0) {
        c.th[k] = tm;
        c.ph[k] = pm;
      } else {
        c.tl[k] = tn;
        c.pl[k] = pn;
      }
      c.bound = boundOf(c);
      boxes++;
      if (c.bound === -Infinity) continue;
      if (c.bound <= close) closedMax = Math.max(closedMax, c.bound);
      else push(c);
    }
  }
  let openMax = 0;
  for (const b of heap) openMax = Math.max(openMax, b.bound);
  return { bound: Math.max(closedMax, openMax), argmax, boxes, complete: heap.length === 0, budget: maxBoxes };
}

/** C(n, k), as a double (only compared with a budget). */
function combinations(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}
