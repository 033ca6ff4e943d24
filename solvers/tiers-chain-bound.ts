// An upper bound on the profit of every menu of at most N tiers (docs/model.md (2.24)) by
// branch and bound over cells of the type line, one list of cells per cut, with the chain's
// dynamic programme across them — the tiers certificate's first search (tiers.ts); the boxes of
// tiers-bound.ts follow where it does not close.
//
// Why cells and not boxes: the relaxation Σ_k V(u_k, u_{k+1}) is a chain (term k joins cuts k
// and k + 1), so the largest over all assignments of cuts to cells is a dynamic programme, and
// a cell of one cut is closed when the best chain through it is within the target of the
// menu's profit — whatever the other cuts do. A box fixes all N cuts at once and the boxes
// near an optimum multiply as 3^N: 6 tiers took 285,000–351,000 boxes (6–16 s) and were given
// 10,000 (gaps of 0.2–11.5 % on the random scan); here each cut keeps a few cells near its optimum.
//
// The bound. Cells are intervals of types from one binary partition (any two are equal or
// disjoint). A chain assigns each cut to a cell; its consecutive cuts in one cell form a run.
// For a cut alone in its cell, R̄ at it lies in the cell's polygon — between the chord and the
// tangents at the cell's ends and at its middle — and V is convex in its two points, so each
// term is at most its largest over the polygons' vertices (tiers-bound.ts). For a run, all the
// tiers inside the cell together get at most ∫ C*(R̄') over it (bestInside; V(x, y) ≤ V(x, z) +
// V(z, y) by the convexity of C*, and each V at most that integral over its own interval), the
// tier entering the run is cut at the cell's low end and the one leaving at its high end. The
// programme runs forward and backward over (cut, cell, vertex or run); a cell whose best chain
// is at most the menu's profit times (1 + target) is closed for that cut, the others are split
// at their middle in u, and the rounds repeat. A menu's chain is counted in every round until
// the first in which one of its cells closes, and then its value is at most that cell's best
// chain: the bound is the largest over the closed cells and, if the budget ran out, the last
// round's programme. Types are assigned to cells as (tl, th] (the lowest type to the first), so
// a later cut is never in a cell wholly below an earlier cut's.

import type { CostOfQuality } from "../engine/technology/types.js";
import { relaxationTerms, type Pt, type RevenueCurve } from "./tiers-bound.js";

export interface ChainBoundInput {
  curve: RevenueCurve;
  cost: CostOfQuality;
  count: number;
  profit: number;
  target: number;
  /** evaluations of V at most (default MAX_TERMS) */
  maxTerms?: number;
}

export interface ChainBound {
  /** above the profit of every menu of at most `count` tiers (before the ironing shortfall) */
  bound: number;
  /** false when the budget ran out with cells still open */
  complete: boolean;
  rounds: number;
  /** evaluations of V */
  terms: number;
  /** cells open in the last round, summed over the cuts */
  openCells: number;
  /** per cut, the middle type of its cell with the best chain in the last round: near the
   *  relaxation's best cuts (a start for the menu's own search, tiers.ts) */
  best: number[];
}

/** Evaluations of V at most: about 7 s here on a power-law cost (one pow each). 6, 8 and 12
 *  tiers on a beta(2, 5) law closed after 2.0, 7.2 and 49 million (0.5, 1.6 and 4.2 s); 10 tiers
 *  of the lognormal law of scenarios/examples/tiers-three-models.json needed more than 21 million
 *  (each round ~1.5 million, its gap falling fourfold a round). */
export const MAX_TERMS = 50_000_000;
/** Tangents of R̄ inside each cell besides its ends (its polygon has TANGENTS + 3 vertices). */
const TANGENTS = 1;
const VERTICES = TANGENTS + 3;
/** Quantile cells of the first round. */
const FIRST_CELLS = 64;

interface Cell {
  tl: number;
  th: number;
  /** R̄ at the cell's low-type end (larger u) and high-type end */
  pl: Pt;
  ph: Pt;
  n: number;
  x: Float64Array;
  r: Float64Array;
  inside: number;
}

const maxOf = (v: Float64Array, n: number): number => {
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (v[i] > m) m = v[i];
  return m;
};

export function tiersChainBound(input: ChainBoundInput): ChainBound {
  const { curve, cost, count: N, profit, target } = input;
  const maxTerms = input.maxTerms ?? MAX_TERMS;
  const { g, polygon, bestInside } = relaxationTerms(cost);
  const close = profit * (1 + target);

  // R̄ over a cell lies below its tangents at the cell's ends and at TANGENTS types inside
  // (concavity) and above the chord: a polygon whose vertices are the two ends and the
  // intersections of consecutive tangents. Each interior tangent shrinks the vertices' height
  // above R̄, which is the bound's slack, by about 4 where halving the cells would take 4 times
  // the pairs of cells.
  const poly = { x: new Float64Array(3), r: new Float64Array(3) };
  const makeCell = (tl: number, th: number, pl: Pt, ph: Pt): Cell => {
    const x = new Float64Array(VERTICES);
    const r = new Float64Array(VERTICES);
    const inside = bestInside(ph, pl);
    // tangent points from the high type (small u) to the low type
    const tp: Pt[] = [ph];
    for (let j = 1; j <= TANGENTS; j++) {
      const t = curve.split(tl, th, ph.u + ((pl.u - ph.u) * j) / (TANGENTS + 1));
      if (t === t && t > tl && t < th) tp.push(curve.point(t));
    }
    tp.push(pl);
    let n = 0;
    x[n] = ph.u;
    r[n++] = ph.r;
    for (let j = 0; j + 1 < tp.length; j++) {
      const m = polygon(tp[j], tp[j + 1], poly);
      // vertex 2 of the piece's polygon: its tangents' intersection (or none on a straight piece)
      if (m === 3) {
        x[n] = poly.x[2];
        r[n++] = poly.r[2];
      }
    }
    if (pl.u > ph.u) {
      x[n] = pl.u;
      r[n++] = pl.r;
    }
    return { tl, th, pl, ph, n, x, r, inside };
  };
  // A cell is halved in u, or in types where that leaves the smaller slack: the polygon's height
  // above R̄ is about (width in u) × (fall of R̄' across it) / 4, weighted by the quality at its top
  // slope (C*' = Q). Halving in u alone left the top cell of a thin-tailed lognormal law with most
  // of R̄'s fall and, with C* ~ p^10 (η = 0.9), a bound 3 times the profit after 22 million evaluations.
  const slack = (ph: Pt, pl: Pt): number => {
    const fall = ph.dA - pl.dB;
    const top = ph.dA;
    const q = top > 0 ? (Number.isFinite(top) ? cost.qualityForMarginalCost(top) : Infinity) : 0;
    return (pl.u - ph.u) * (fall > 0 ? fall : 0) * q;
  };
  const splitPoint = (c: Cell): number => {
    const byU = curve.split(c.tl, c.th, 0.5 * (c.pl.u + c.ph.u));
    const byType = curve.split(c.tl, c.th, curve.point(0.5 * (c.tl + c.th)).u);
    if (!(byType === byType) || byType === byU) return byU;
    if (!(byU === byU)) return byType;
    const worst = (m: number) => {
      const pm = curve.point(m);
      const n = curve.next(m);
      const pn = n === m ? pm : curve.point(n);
      return Math.max(slack(pm, c.pl), slack(c.ph, pn));
    };
    return worst(byType) < worst(byU) ? byType : byU;
  };
  const nodes = curve.nodes(FIRST_CELLS);
  const pts = nodes.map((t) => curve.point(t));
  const first: Cell[] = [];
  for (let j = 0; j + 1 < nodes.length; j++) first.push(makeCell(nodes[j], nodes[j + 1], pts[j], pts[j + 1]));
  // cells open for each cut, ascending
  let open: Cell[][] = Array.from({ length: N }, () => first.slice());
  let closedMax = 0;
  let terms = 0;
  let rounds = 0;
  let lastMax = Infinity;
  const best: number[] = new Array<number>(N).fill(NaN);

  for (;;) {
    rounds++;
    // The chain is a sequence of groups of consecutive cuts: a cut alone in its cell, at one of
    // the cell's vertices (Fpt/Bpt, per vertex), or a run of two or more cuts sharing a cell,
    // whose tiers within the cell together get its inside, the tier entering it bounded to the
    // cell's low end (its last vertex) and the one leaving from its high end (vertex 0): no part
    // of the cell is counted twice (with the tiers into and out of a run at vertices, a run in
    // the top cell put the first round's bound at 2.6 times the profit). Forward: the terms
    // below cut k; Fst where cut k starts a run (entering tier only), Frun where it is a later
    // member (the run's inside included). Backward: the terms from cut k up; Bst where it starts
    // a run (the inside included), Brun where it is a later member.
    const pos = open.map((cs) => new Map(cs.map((c, i) => [c, i] as const)));
    const Fpt = open.map((cs) => cs.map(() => new Float64Array(VERTICES).fill(-Infinity)));
    const Bpt = open.map((cs) => cs.map(() => new Float64Array(VERTICES).fill(-Infinity)));
    const Fst = open.map((cs) => new Float64Array(cs.length).fill(-Infinity));
    const Frun = open.map((cs) => new Float64Array(cs.length).fill(-Infinity));
    const Bst = open.map((cs) => new Float64Array(cs.length).fill(-Infinity));
    const Brun = open.map((cs) => new Float64Array(cs.length).fill(-Infinity));
    const from = new Float64Array(VERTICES);
    for (let i = 0; i < open[0].length; i++) {
      Fpt[0][i].fill(0);
      Fst[0][i] = 0;
    }
    for (let k = 0; k + 1 < N; k++) {
      const lo = open[k];
      const up = open[k + 1];
      for (let i = 0; i < lo.length; i++) {
        const c = lo[i];
        // leaving cut k's group: from a vertex, or from the high end (vertex 0) after a run
        for (let a = 0; a < c.n; a++) from[a] = Fpt[k][i][a];
        from[0] = Math.max(from[0], Frun[k][i]);
        const same = pos[k + 1].get(c);
        if (same !== undefined) Frun[k + 1][same] = Math.max(Frun[k + 1][same], Fst[k][i] + c.inside, Frun[k][i]);
        for (let j = 0; j < up.length; j++) {
          const d = up[j];
          if (!(c.th <= d.tl)) continue; // the same cell, or d below c (cells of one partition are equal or disjoint)
          const Fj = Fpt[k + 1][j];
          for (let b = 0; b < d.n; b++)
            for (let a = 0; a < c.n; a++) {
              const v = from[a] + g(c.x[a], c.r[a], d.x[b], d.r[b]);
              if (v > Fj[b]) Fj[b] = v;
            }
          terms += c.n * d.n;
        }
      }
      for (let j = 0; j < up.length; j++) Fst[k + 1][j] = Fpt[k + 1][j][up[j].n - 1];
    }
    // the top cut's tier runs to u = 0 (above every type), where R̄ = 0
    for (let i = 0; i < open[N - 1].length; i++) {
      const c = open[N - 1][i];
      for (let a = 0; a < c.n; a++) Bpt[N - 1][i][a] = g(c.x[a], c.r[a], 0, 0);
      Brun[N - 1][i] = Bpt[N - 1][i][0];
      terms += c.n;
    }
    const into = new Float64Array(VERTICES);
    for (let k = N - 2; k >= 0; k--) {
      const lo = open[k];
      const up = open[k + 1];
      for (let i = 0; i < lo.length; i++) {
        const c = lo[i];
        const Bi = Bpt[k][i];
        for (let j = 0; j < up.length; j++) {
          const d = up[j];
          if (!(c.th <= d.tl)) continue;
          // entering cut k + 1's group: at a vertex, or at the low end (its last vertex) of a run
          const Bj = Bpt[k + 1][j];
          for (let b = 0; b < d.n; b++) into[b] = Bj[b];
          into[d.n - 1] = Math.max(into[d.n - 1], Bst[k + 1][j]);
          for (let a = 0; a < c.n; a++)
            for (let b = 0; b < d.n; b++) {
              const v = g(c.x[a], c.r[a], d.x[b], d.r[b]) + into[b];
              if (v > Bi[a]) Bi[a] = v;
            }
          terms += c.n * d.n;
        }
        const same = pos[k + 1].get(c);
        Brun[k][i] = Math.max(Bi[0], same !== undefined ? Brun[k + 1][same] : -Infinity);
        Bst[k][i] = same !== undefined ? c.inside + Brun[k + 1][same] : -Infinity;
      }
    }
    lastMax = 0;
    for (let i = 0; i < open[0].length; i++) lastMax = Math.max(lastMax, maxOf(Bpt[0][i], open[0][i].n), Bst[0][i]);
    // close the cells whose best chain is within the target; split the others
    const next: Cell[][] = [];
    const children = new Map<Cell, Cell[]>();
    let openCells = 0;
    let splittable = false;
    for (let k = 0; k < N; k++) {
      const kept: Cell[] = [];
      let top = -Infinity;
      for (let i = 0; i < open[k].length; i++) {
        const c = open[k][i];
        let through = Math.max(Fst[k][i] + Bst[k][i], Frun[k][i] + Brun[k][i]);
        for (let a = 0; a < c.n; a++) through = Math.max(through, Fpt[k][i][a] + Bpt[k][i][a]);
        if (through > top) [top, best[k]] = [through, 0.5 * (c.tl + c.th)];
        if (through <= close) {
          if (through > closedMax) closedMax = through;
          continue;
        }
        let ch = children.get(c);
        if (!ch) {
          const m = splitPoint(c);
          if (m === m) {
            const pm = curve.point(m);
            const n = curve.next(m);
            const pn = n === m ? pm : curve.point(n);
            ch = [makeCell(c.tl, m, c.pl, pm), makeCell(n, c.th, pn, c.ph)];
            splittable = true;
          } else ch = [c];
          children.set(c, ch);
        }
        kept.push(...ch);
      }
      openCells += kept.length;
      next.push(kept);
    }
    if (openCells === 0) return { bound: closedMax, complete: true, rounds, terms, openCells: 0, best };
    // a cut with no open cell leaves no chain: every menu's chain has been closed
    if (next.some((cs) => cs.length === 0)) return { bound: closedMax, complete: true, rounds, terms, openCells: 0, best };
    if (!splittable || terms > maxTerms) return { bound: Math.max(closedMax, lastMax), complete: false, rounds, terms, openCells, best };
    open = next;
  }
}
