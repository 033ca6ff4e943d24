// A finite menu for a continuous law of types (docs/model.md 3c, (3.32), the leader–fringe market): the
// screening LP's menu on n quantile atoms of the law (leader-fringe-discrete.ts, every mechanism
// of the atoms, HiGHS), offered as it is to the continuum of types. Each type takes its best item
// or the fringe alone, so the menu is incentive compatible and individually rational by
// construction, and its profit on the law, integrated over the types' choice intervals, is what
// some mechanism earns: a lower bound on the optimum that needs no structure of the solution.
//
// Why: where the general path's restricted class (q ∈ {0} ∪ [q̂, ∞), participation-binding
// segments) misses the optimum's structure — mixtures whose participation wants to bind on
// several intervals, γ_F > 0 — its menu was up to 2.4 % below what such a finite menu earns (a
// three-component mixture of the random scan, seed 11: 0.42514 against 0.43529 on 200 atoms;
// discrete LPs extrapolate the optimum to about 0.4354), and only "not certified" said so. The
// general path takes this menu when its own is not certified and this one earns more; the
// Lagrangian bound, which holds for every mechanism, then measures the new menu's gap.
//
// Two placements of the atoms are solved (ATOM_PLACEMENTS) and the caller keeps the menu that
// earns more on the law. The choice intervals are found on a scan of the support (SCAN types
// and the law's own kinks), each change of choice located by bisection to the last bit; the
// menu's segments carry the items' constant qualities (region 3 with their own allocation:
// buyers may top up from the fringe), so scalars, curves, rents and checks are those of any
// leader–fringe menu (leader-fringe-menu.ts).

import { discreteFromAtoms } from "../engine/distributions/discrete.js";
import type { ContinuousDistribution } from "../engine/distributions/types.js";
import { fringeTopUp, limitQuality, outsideOption, type FringeMarket, type TopUp } from "./fringe-top-up.js";
import { solveLeaderFringeDiscrete } from "./leader-fringe-discrete.js";
import { buildMenu, type LeaderFringeMenu, type MenuSegment } from "./leader-fringe-menu.js";

/** Quantile atoms of the law the screening LP is solved on (about 1 s of HiGHS). */
export const FINITE_MENU_ATOMS = 200;
/** Types of the scan that finds the choice intervals (bisection refines each change). */
const SCAN = 4096;

/** Where in each of the law's `atoms` equal-mass cells the LP's type sits: the cell's middle
 *  quantile, or its lower end. Neither is better everywhere: on six uncertified mixtures of the
 *  random scan the lower ends earned from 0.21 % less to 0.74 % more than the midpoints (an
 *  independent checker's LPs had found the lower ends converge better), so both are solved. */
export const ATOM_PLACEMENTS = [
  { name: "midpoints", offset: 0.5 },
  { name: "lower ends", offset: 0 },
] as const;

export interface FiniteMenu {
  menu: LeaderFringeMenu;
  /** the distinct items (q_L > 0, price) offered */
  items: { q: number; t: number }[];
  atoms: number;
}

/**
 * The screening LP's menu on `atoms` types of `dist` with equal masses — quantile (i + offset)/atoms
 * of each cell (equal values merged) — as a leader–fringe menu on the continuous law. Needs the
 * LP solver loaded.
 */
export function finiteMenuOnLaw(market: FringeMarket, cL: number, dist: ContinuousDistribution, atoms = FINITE_MENU_ATOMS, offset = 0.5): FiniteMenu {
  const values = new Float64Array(atoms);
  for (let i = 0; i < atoms; i++) values[i] = dist.quantile((i + offset) / atoms);
  const law = discreteFromAtoms(values, new Float64Array(atoms).fill(1 / atoms), "quantile atoms");
  const sol = solveLeaderFringeDiscrete(market, cL, law, { gridPoints: law.values.length, scalarsOnly: true }, []);
  const items: { q: number; t: number }[] = [];
  for (const v of law.values) {
    const p = sol.pointAt(v);
    const q = p.qL as number;
    const t = p.t as number;
    if (q > 0 && !items.some((it) => it.q === q && it.t === t)) items.push({ q, t });
  }
  items.sort((a, b) => a.q - b.q);
  return { menu: menuOfItems(market, cL, dist, items), items, atoms: law.values.length };
}

/** The menu a continuum of types makes of a finite list of items: each type's best item, or the
 *  fringe alone (index −1) when no item gives more than the outside option. */
export function menuOfItems(
  market: FringeMarket,
  cL: number,
  dist: ContinuousDistribution,
  items: readonly { q: number; t: number }[],
  /** types of the scan (tests use a coarse one, where a cell holds several changes of choice) */
  scanPoints = SCAN,
): LeaderFringeMenu {
  const scratch: TopUp = { qF: 0, u: 0, uTheta: 0 };
  // a type's utility of item j (−1: the fringe alone), and its best item
  const value = (th: number, j: number): number => (j < 0 ? outsideOption(th, market) : fringeTopUp(th, items[j].q, market, scratch).u - items[j].t);
  const choice = (th: number): number => {
    let best = -1;
    let bu = value(th, -1);
    for (let j = 0; j < items.length; j++) {
      const v = value(th, j);
      if (v > bu) {
        bu = v;
        best = j;
      }
    }
    return best;
  };
  // Where the choice changes from `cur` (at lo) to something else (at hi, where `other` is
  // chosen), to the last bit. First by the two items alone — two utilities a step instead of
  // every item's (the full bisection took most of a second for 171 items) —, kept when the full
  // choice confirms it on both sides; else by the full choice at every step.
  const change = (lo: number, hi: number, cur: number, other: number): number => {
    let [a, b] = [lo, hi];
    while (true) {
      const mid = 0.5 * (a + b);
      if (!(mid > a && mid < b)) break;
      if (value(mid, cur) >= value(mid, other)) a = mid;
      else b = mid;
    }
    if (choice(a) === cur && choice(b) !== cur) return b;
    while (true) {
      const mid = 0.5 * (lo + hi);
      if (!(mid > lo && mid < hi)) break;
      if (choice(mid) === cur) lo = mid;
      else hi = mid;
    }
    return hi;
  };
  const { min, max } = dist;
  const marks = new Set<number>();
  for (let k = 0; k <= scanPoints; k++) marks.add(k === scanPoints ? max : min + ((max - min) * k) / scanPoints);
  for (const k of dist.kinks ?? []) if (k > min && k < max) marks.add(k);
  const scan = Float64Array.from(marks).sort();
  // choice intervals: [from, to) with item k (−1: the fringe alone)
  const pieces: { from: number; to: number; k: number }[] = [];
  let start = scan[0];
  let cur = choice(start);
  for (let i = 1; i < scan.length; i++) {
    const b = scan[i];
    const cb = choice(b);
    let x = start > scan[i - 1] ? start : scan[i - 1];
    // every change of choice between the scan's types, left to right
    while (cur !== cb) {
      const hi = change(x, b, cur, cb);
      pieces.push({ from: start, to: hi, k: cur });
      start = hi;
      cur = choice(hi);
      x = hi;
    }
  }
  pieces.push({ from: start, to: max, k: cur });
  const segments: MenuSegment[] = pieces
    .filter((p) => p.to > p.from || pieces.length === 1)
    .map((p) => {
      if (p.k < 0) return { from: p.from, to: p.to, region: 1 };
      const q = items[p.k].q;
      return { from: p.from, to: p.to, region: 3, quality: () => q };
    });
  // the segments must tile [min, max]
  segments[0] = { ...segments[0], from: min };
  for (let i = 1; i < segments.length; i++) segments[i] = { ...segments[i], from: segments[i - 1].to };
  segments[segments.length - 1] = { ...segments[segments.length - 1], to: max };
  const firstServed = segments.find((s) => s.region !== 1);
  const thetaLow = firstServed ? firstServed.from : max;
  // θ_high: the lowest type from which every type buys an item above its limit quality q̂ (q̂
  // rises with θ, so an item above q̂ at a segment's end is above it on the whole segment)
  let thetaHigh = max;
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i];
    if (s.region !== 3 || !(s.quality!(s.to) > limitQuality(s.to, market))) break;
    thetaHigh = s.from;
  }
  if (thetaHigh < thetaLow) thetaHigh = thetaLow;
  const region2Empty = thetaHigh <= thetaLow;
  const model = { market, cL, dist, hbar: (t: number) => dist.virtualType(t), kinks: [] };
  return buildMenu(model, segments, { thetaLow, thetaHigh, region2Empty });
}
