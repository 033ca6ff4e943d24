// The leader–fringe Lagrangian bound with the best nondecreasing multiplier (docs/model.md 3c,
// (3.25) and (3.30)): B(Λ) = ∫ max_q φ(θ, q; Λ(θ)) dθ bounds the profit of every incentive-compatible,
// individually rational mechanism for EVERY nondecreasing Λ with values in [0, 1] (weak
// duality: Π = ∫ φ(θ, q(θ); Λ) dθ − ∫ R dΛ − R(θ_max)(1 − Λ(θ_max)) and R ≥ 0). The general
// path's own multiplier is built from its menu (leader-fringe-general.ts); where participation
// wants to bind on several intervals that construction is not monotone and its substitute can
// leave a bound far above the optimum (15.6% of profit on a three-component mixture where a
// 300-type LP menu, evaluated on the continuous law, earns 0.39% more than the menu; the best Λ
// leaves 1.19%). Here Λ is chosen to make B smallest instead.
//
// The problem min Σ_i w_i g_i(Λ_i) over Λ_1 ≤ … ≤ Λ_n in [0, 1], with g_i(λ) = max_q φ(θ_i, q; λ)
// convex in λ (a maximum of functions affine in λ) and w_i the trapezoid weights of the
// certificate's grid, is separable convex under a chain order: the pool-adjacent-violators
// algorithm solves it (each block of adjacent types takes the minimizer of its summed
// functions, found by Brent's method; blocks whose minimizers are out of order are merged),
// written by hand because no library does isotonic minimization of general convex functions.
// A first version minimized over a table of each g_i at 129 values of λ: near λ = F, where g_i
// climbs steeply, the table's step kept the bound 2e-6 (relative) above the menu's own
// multiplier's. The bound is evaluated at the Λ found with the certificate's own pointwise
// maximization, so an inexact minimization can make it looser, never invalid; the general path
// keeps the smaller of this bound and its own multiplier's. Types with no density (a gap between
// a mixture's components) carry φ = −(λ − F)(u_θ − u0'), unbounded unless λ ≥ F: there Λ ≥ F
// is imposed. Types with an infinite density (a beta law's ends) are left out, as in the
// certificate.

import { rentAt, segmentIndex, segmentQuality, type LeaderFringeMenu } from "./leader-fringe-menu.js";
import type { PoolSegment } from "./leader-fringe-pooling.js";
import { ownIroningIntegral, PointwiseLagrangian } from "./leader-fringe-general.js";
import { brentMax } from "../engine/numerics/golden.js";

export interface OptimizedBound {
  /** B(reference) − B(Λ) on the grid (trapezoid), ≥ 0: what the chosen Λ takes off the bound */
  improvement: number;
  /** the menu's gap B(Λ) − Π with the chosen Λ (gapOfMenu) */
  excess: number;
  /** the multiplier chosen at each grid type (NaN where left out) */
  multiplier: Float64Array;
  /** blocks of constant Λ */
  blocks: number;
  /** the types it was computed on */
  types: number;
}

/**
 * Whether a multiplier on `grid` gives a finite bound: Λ ≥ F wherever the law has no density
 * (there φ = −(λ − F)(u_θ − u0') grows without bound in q when λ < F; the certificate's
 * pointwise maximum there is only meaningful when this holds).
 */
export function finiteOnDensityGaps(dist: LeaderFringeMenu["model"]["dist"], grid: Float64Array, lambda: Float64Array): boolean {
  for (let i = 0; i < grid.length; i++) if (dist.pdf(grid[i]) === 0 && lambda[i] < dist.cdf(grid[i]) - 1e-12) return false;
  return true;
}

/**
 * The nondecreasing multiplier in [0, 1] that makes the bound smallest on `grid` (sorted types of
 * the menu's law), how much it takes off the bound of `reference` (the certificate's own
 * multiplier on the same grid, which must satisfy finiteOnDensityGaps), and the menu's gap
 * B(Λ) − Π with it. Where the reference satisfies complementary slackness, the gap is summed
 * type by type against the reference's own φ: Σ w_i (max φ(λ_i) − min(φ_own(ref_i), max φ(ref_i))),
 * whose terms vanish where the menu is optimal (so the trapezoid's errors cancel). Taken as the
 * difference of two sums, it was lost to rounding where the reference's excess is huge: 2e19 at
 * the edge of a support gap left 0, and a menu 2.5e-4 of profit below a feasible one was
 * reported certified (an independent checker, 4 Dec 2026). Otherwise it is computed whole
 * (gapOfMenu). Ironing terms as in lagrangianCertificate (`ironed` for the plain Lagrangian,
 * pools' bunched intervals with their own).
 */
export function optimizedMultiplierBound(
  menu: LeaderFringeMenu,
  grid: Float64Array,
  reference: Float64Array,
  /** the certificate's φ of the menu's item at the reference multiplier (pointOwn) */
  own: Float64Array,
  /** whether the reference rises only where the menu's rent is 0 (complementary slackness: the
   *  menu's own multiplier, not a monotone substitute) */
  referenceSlack: boolean,
  ironed: readonly [number, number][] = [],
  pools: readonly PoolSegment[] = [],
  /** the menu's own ironing integral (ownIroningIntegral), when the caller has it */
  ownIroning?: number,
): OptimizedBound {
  const n = grid.length;
  const { ctxs, include, lower, w, atType } = lagrangians(menu, grid, ironed, pools);
  const { lambda: lam, blocks } = minimizeNondecreasing(n, (i, l) => w[i] * ctxs[i].maximize(l).value, lower, include);
  // B at both multipliers, term by term (same types, same weights, same maximization); the
  // excess at Λ without the reference's own terms, which may be huge (see above)
  let improvement = 0;
  let excess = 0;
  for (let i = 0; i < n; i++) {
    if (!include[i]) continue;
    const ctx = ctxs[i];
    const atRef = ctx.maximize(reference[i]).value;
    const atLam = ctx.maximize(lam[i]).value;
    improvement += w[i] * (atRef - atLam);
    // (the certificate counts max(0, max − own): an own value above the computed maximum, a
    // refinement's rounding, counts as the maximum)
    excess += w[i] * (atLam - Math.min(own[i], atRef));
  }
  // Against the reference's own φ, the excess is B(Λ) − Π only where the reference multiplier
  // rises on types without a rent (complementary slackness); a monotone substitute need not, and
  // then the gap is computed whole (gapOfMenu).
  if (!referenceSlack) excess = gapOfMenu(menu, grid, include, lam, ctxs, atType, ownIroning ?? ownIroningTerm(menu, ironed, pools));
  return { improvement: Math.max(0, improvement), excess, multiplier: lam, blocks, types: n };
}

/**
 * The menu's gap B(Λ) − Π (gapOfMenu) for a given nondecreasing multiplier on `grid` in [0, 1]:
 * the certificate's own multiplier where it had to be replaced by a monotone substitute, which
 * may rise on types with a rent — there the pointwise excess alone understates the gap by ∫ R dΛ.
 */
export function menuGap(
  menu: LeaderFringeMenu,
  grid: Float64Array,
  lambda: Float64Array,
  ironed: readonly [number, number][] = [],
  pools: readonly PoolSegment[] = [],
  /** the menu's own ironing integral (ownIroningIntegral), when the caller has it */
  ownIroning?: number,
): number {
  const { ctxs, include, atType } = lagrangians(menu, grid, ironed, pools);
  return gapOfMenu(menu, grid, include, lambda, ctxs, atType, ownIroning ?? ownIroningTerm(menu, ironed, pools));
}

/** ∫ f(h̄ − h) u_θ(θ, q(θ)) dθ of the menu's own item (≥ 0 for an IC menu; a negative rounding
 *  counts as 0, which only raises the gap), 0 without ironing terms. */
function ownIroningTerm(menu: LeaderFringeMenu, ironed: readonly [number, number][], pools: readonly PoolSegment[]): number {
  return ironed.length > 0 || pools.some((p) => p.bunched.length > 0) ? Math.max(0, ownIroningIntegral(menu, ironed, pools)) : 0;
}

/** The pointwise Lagrangians of the certificate at the grid types (with a pool's ironing term
 *  where the pool bunches), which types take part, their floors and trapezoid weights, and the
 *  same preparation at any type. */
function lagrangians(
  menu: LeaderFringeMenu,
  grid: Float64Array,
  ironed: readonly [number, number][],
  pools: readonly PoolSegment[],
): { ctxs: PointwiseLagrangian[]; include: Uint8Array; lower: Float64Array; w: Float64Array; atType: (theta: number) => PointwiseLagrangian | undefined } {
  const model = menu.model;
  const d = model.dist;
  const n = grid.length;
  // one prepared Lagrangian per type (the minimization evaluates each many times)
  const ctxs: PointwiseLagrangian[] = new Array(n);
  // trapezoid weights
  const w = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const h = 0.5 * (grid[i] - grid[i - 1]);
    w[i - 1] += h;
    w[i] += h;
  }
  // Which types take part: those with a finite density (where it is 0, a gap between a
  // mixture's components, g_i is finite only for λ ≥ F); an infinite density (a beta law's
  // ends) is left out, as in the certificate.
  const include = new Uint8Array(n);
  const lower = new Float64Array(n);
  const atType = (th: number): PointwiseLagrangian | undefined => {
    const f = d.pdf(th);
    if (!(Number.isFinite(f) && f >= 0)) return undefined;
    const ctx = new PointwiseLagrangian(model, ironed);
    ctx.prepare(th);
    const pl = pools.find((p) => th >= p.from && th <= p.to && p.bunched.some(([x, y]) => th >= x && th <= y));
    if (pl) ctx.setIroningTerm(pl.hbar(th), pl.lambda);
    return ctx;
  };
  for (let i = 0; i < n; i++) {
    const ctx = atType(grid[i]);
    if (!ctx) continue;
    include[i] = 1;
    if (d.pdf(grid[i]) === 0) lower[i] = Math.min(1, d.cdf(grid[i]));
    ctxs[i] = ctx;
  }
  return { ctxs, include, lower, w, atType };
}

/**
 * B(Λ) − Π for the menu, Λ a step function of the grid's node values: on each cell between
 * consecutive grid types it is one of its two ends' values (nondecreasing in [0, 1] either way),
 * the one allowed at the cell's middle (λ ≥ F where the law has no density) whose pointwise
 * integral is smaller. From the identity of (3.30) with the ironing term,
 *     B(Λ) − Π = ∫ (max_q φ − φ(q(θ))) dθ + ∫ R dΛ + R(θ_max)(1 − Λ(θ_max)) + ∫ f(h̄ − h) u_θ(θ, q(θ)) dθ,
 * every part computed as itself, never as a difference of two large sums: the pointwise excess by
 * Simpson's rule on each cell, ∫ R dΛ as R at each grid type times Λ's jump there (from 0 before
 * the first), the menu's rent R from rentAt, and the last term, `ownIroning`, by the adaptive
 * quadrature of ownIroningIntegral, 0 where the menu bunches a whole ironing interval. Until
 * 6 Dec 2026 that term was summed by Simpson's rule with the rest: f(h̄ − h) integrates to 0
 * over a bunched interval, but where a beta component with a < 1 starts inside one, its
 * density is infinite at the start and the rule's nodes there put −2.2e-3 (1.4 % of profit)
 * into the gap: the "bound" fell below the menu's profit (a mixture of the random scan, seed
 * 13, market 52). Summed the same way with the opposite sign, the error would have certified a
 * menu that was not optimal. Until 6 Dec 2026 the gap was the pointwise excess
 * at the grid types alone, against the reference multiplier's own φ: where that multiplier (a
 * monotone substitute) rose on types with a rent, its φ summed to more than the profit, and a
 * minimization that saw g only at the grid types could pick node values with g small there and
 * large between; the "bound" then fell 0.14 % below a feasible menu (the screening LP's finite
 * menu offered to the law, its profit confirmed by brute force; a mixture of the random scan,
 * seed 9, market 49). `atType(θ)` prepares the pointwise Lagrangian at a type off the grid
 * (undefined where the density is infinite: such cells are left out, as such types are).
 * Infinite when no allowed value exists on some cell (the bound is then infinite).
 */
function gapOfMenu(
  menu: LeaderFringeMenu,
  grid: Float64Array,
  include: Uint8Array,
  lam: Float64Array,
  ctxs: PointwiseLagrangian[],
  atType: (theta: number) => PointwiseLagrangian | undefined,
  ownIroning: number,
): number {
  const model = menu.model;
  const d = model.dist;
  const n = grid.length;
  const ownQ = (th: number) => segmentQuality(model, menu.segments[segmentIndex(menu.segments, th)], th);
  // max φ − φ(own) at λ (the own item's ironing term is integrated apart: ownIroning)
  const part = (ctx: PointwiseLagrangian, q: number, l: number) => ctx.maximize(l).value - ctx.value(q, l);
  let pointwise = 0;
  let stieltjes = 0;
  // Λ on the cell before the current grid type (0 before the first)
  let before = 0;
  let last = -1;
  for (let i = 0; i < n; i++) {
    if (!include[i]) continue;
    const th = grid[i];
    // Λ on the cell after this type: its own value unless the cell is computed below
    let after = lam[i];
    const j = i + 1;
    const b = j < n && include[j] ? grid[j] : NaN;
    const m = 0.5 * (th + b);
    const mid = b > th ? atType(m) : undefined;
    if (mid) {
      const floor = d.pdf(m) === 0 ? d.cdf(m) - 1e-12 : -Infinity;
      const [qa, qm, qb] = [ownQ(th), ownQ(m), ownQ(b)];
      let best = Infinity;
      for (const l of lam[j] === lam[i] ? [lam[i]] : [lam[i], lam[j]]) {
        if (!(l >= floor)) continue;
        const v = ((b - th) / 6) * (part(ctxs[i], qa, l) + 4 * part(mid, qm, l) + part(ctxs[j], qb, l));
        if (v < best) {
          best = v;
          after = l;
        }
      }
      if (best === Infinity) return Infinity;
      pointwise += best;
    }
    stieltjes += rentAt(menu, th) * (after - before);
    before = after;
    last = i;
  }
  const top = last >= 0 ? rentAt(menu, grid[last]) * (1 - before) : 0;
  return pointwise + stieltjes + top + ownIroning;
}

/**
 * Minimize Σ_i g_i(λ_i) over 0 ≤ λ_i ≤ 1, λ_i ≥ lower_i, nondecreasing in i over the included
 * indices, for convex g_i: pool adjacent violators, exactly. A stack of blocks of adjacent
 * indices, each with its least admissible λ (the largest lower bound in it) and its λ, the
 * minimizer of its summed g over [lower, 1] (Brent's method, then the bracket's ends: a minimum
 * at an end is approached, not reached). A new index's block is merged with the one before it
 * while that one's λ is larger; the merged minimizer lies between the two (both sums are
 * convex), so each merge searches only that bracket. Returns λ (NaN where not included) and
 * the number of blocks.
 */
export function minimizeNondecreasing(
  n: number,
  g: (i: number, lambda: number) => number,
  lower: Float64Array,
  include?: Uint8Array,
): { lambda: Float64Array; blocks: number } {
  const blockSum = (a: number, b: number, l: number): number => {
    let v = 0;
    for (let i = a; i < b; i++) if (!include || include[i]) v += g(i, l);
    return v;
  };
  const minimize = (a: number, b: number, lo: number, hi: number): number => {
    if (!(hi > lo)) return lo;
    const best = brentMax((l) => -blockSum(a, b, l), lo, hi, 1e-12);
    let x = best.x;
    let v = -best.value;
    for (const e of [lo, hi]) {
      const ve = blockSum(a, b, e);
      // (a flat sum takes its least λ: the least constraining for the blocks after it)
      if (ve < v || (ve === v && e === lo)) {
        v = ve;
        x = e;
      }
    }
    return x;
  };
  const first: number[] = [];
  const ends: number[] = [];
  const floors: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    if (include && !include[i]) continue;
    let a = i;
    let lo = Math.min(1, Math.max(0, lower[i]));
    let x = minimize(i, i + 1, lo, 1);
    while (values.length > 0 && values[values.length - 1] > x) {
      const xl = values.pop()!;
      a = first.pop()!;
      ends.pop();
      lo = Math.max(lo, floors.pop()!);
      x = minimize(a, i + 1, Math.max(lo, x), xl);
    }
    first.push(a);
    ends.push(i + 1);
    floors.push(lo);
    values.push(x);
  }
  const lambda = new Float64Array(n).fill(NaN);
  for (let b = 0; b < values.length; b++) for (let i = first[b]; i < ends[b]; i++) if (!include || include[i]) lambda[i] = values[b];
  return { lambda, blocks: values.length };
}
