// A-posteriori checks of a solved menu (docs/model.md section 5): incentive compatibility over
// pairs of grid types, participation against the outside option, the envelope formula,
// monotone allocation and Q = 0 on excluded types. Every solver calls this on its final menu;
// the checks use only the menu (items and prices) and the buyer's utility, not the solver's
// derivation, so they catch a wrong formula as well as a numerical slip.
//
// Cost and what the IC check covers (icMaxGain = the largest gain of a grid type from taking
// another grid type's item, judged against the tolerance as before):
//   - single-model menus (checkLinearMenu: type θ values item j at θ·Q_j) are checked over ALL
//     pairs, exactly, in O(n log n): the best other item of type θ_i is max_{j≠i} (θ_i Q_j − t_j),
//     the upper envelope of the lines θ ↦ θQ_j − t_j, read from a Li Chao tree over the grid
//     types, once with the items below i inserted (j < i) and once with those above (j > i);
//   - other utilities (the fringe top-up of leader–fringe menus) are checked over all pairs of an
//     evenly thinned subset of at most `maxIcTypes` types (all pairs when n is smaller), plus
//     every type against its two neighbours on each side: O(n + m²). Neighbours suffice for all
//     pairs when the utility has increasing differences in (θ, q) and the allocation is monotone
//     (then a gain from a distant item is at most the sum of the local gains on the way, so if
//     every local gain is ≤ 0 no item tempts any type). That holds for γ_F = 0, where
//     u_θ(θ, q_L) = max(q_L^(η_L/σ), T(θ))^σ rises with q_L, but not inside the top-up region when
//     γ_F > 0 (there the bought total falls as q_L rises), hence the all-pairs subset as well.
// Everything else is O(n): participation and monotonicity by one pass, the envelope by one
// adaptive integral between neighbouring grid types.

import { integratePiecewise } from "../engine/numerics/piecewise-integral.js";
import type { Checks } from "./types.js";

export interface MenuCheckInput {
  /** grid types, ascending */
  theta: Float64Array;
  /** transfer paid by each grid type for its own item */
  t: Float64Array;
  /** the allocation (Q, or q_L): nondecreasing (unless `monotoneRate` is given), and exactly 0 below θ* */
  alloc: Float64Array;
  /** what IC makes nondecreasing where that is not the allocation itself: each type's envelope
   *  rate u_θ(θ_i, q_i) (its total quality, fringe top-up included). With a fringe whose tokens
   *  the buyer can buy instead of the leader's, u_θ(θ, q_L) does not rise with q_L below the
   *  top-up switch, so IC does not order q_L there: with an identical leader and fringe every
   *  menu sells at cost, and a type between two leader customers may buy from the fringe alone
   *  (q_L = 0), IC and optimal. Revealed preference orders the total quality, θ·Q − spending
   *  being linear in θ: (θ_j − θ_i)(Q_j − Q_i) ≥ 0. */
  monotoneRate?: Float64Array;
  /** gross utility of type θ from grid type j's item (fringe top-up included), before paying t_j */
  grossValue(theta: number, j: number): number;
  /** outside option u0(θ) (0 without a fringe) */
  outside(theta: number): number;
  /** u_θ(s, q(s)) along the menu: the envelope integrand (Q(s) for a single model) */
  envelopeRate(s: number): number;
  /** lowest served type θ* (items below must be exactly empty), or null when none is excluded */
  thetaStar: number | null;
  /** types where the allocation has a kink or jump (θ*, ironing ends, thresholds): the
   *  envelope integral is split there, as a careful hand computation would be */
  kinks?: number[];
  /** general utilities: cap on the thinned subset whose pairs are all checked (default 401) */
  maxIcTypes?: number;
  /** single-model menus: grossValue(θ, j) = θ·linearItems[j], which allows the exact all-pairs check */
  linearItems?: Float64Array;
  /** finitely many types with a type-dependent outside option: at a type whose participation
   *  binds, the envelope identity starts again from it (its rent is set by u0, not by the local
   *  downward constraint, which is then slack) */
  participationAnchors?: boolean;
}

/** Offsets (relative to max(1, |κ|)) on both sides of each kink κ of the law at which the
 *  checks also look at the menu, beside the output grid. */
export const KINK_CHECK_OFFSETS = [1e-9, 1e-7, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3];

export function checkMenu(input: MenuCheckInput): Checks {
  const { theta, t, alloc } = input;
  const n = theta.length;
  const failures: string[] = [];
  // Own net utility U_i = v(θ_i, item_i) − t_i.
  const U = new Float64Array(n);
  let scale = 1e-300;
  for (let i = 0; i < n; i++) {
    const v = input.grossValue(theta[i], i);
    U[i] = v - t[i];
    scale = Math.max(scale, Math.abs(t[i]), Math.abs(U[i]), Math.abs(v));
  }
  const tolerance = 1e-9 * scale;

  // Incentive compatibility (see the header for what is covered).
  const ic = input.linearItems ? linearIcGain(theta, t, input.linearItems, U) : generalIcGain(input, U);
  const icMaxGain = ic.gain;
  const icWorst = ic.i < 0 ? "" : `type θ=${theta[ic.i]} gains ${icMaxGain.toExponential(3)} by taking the item of θ=${theta[ic.j]}`;
  if (icMaxGain > tolerance) failures.push(`incentive compatibility: ${icWorst} (tolerance ${tolerance.toExponential(3)})`);

  // Participation.
  let irMinSlack = Infinity;
  let irWorst = "";
  for (let i = 0; i < n; i++) {
    const slack = U[i] - input.outside(theta[i]);
    if (slack < irMinSlack) {
      irMinSlack = slack;
      irWorst = `type θ=${theta[i]} gets U − u0 = ${slack.toExponential(3)}`;
    }
  }
  if (irMinSlack < -tolerance) failures.push(`participation: ${irWorst} (tolerance ${tolerance.toExponential(3)})`);

  // Envelope: U(θ_i) − U(θ_0) against ∫ u_θ, integrated independently between grid types.
  let envelopeMaxError = 0;
  let envWorst = "";
  let acc = 0;
  // the type the identity is integrated from (θmin, or the last type whose participation binds)
  let from = 0;
  const kinks = [...(input.kinks ?? [])].sort((x, y) => x - y);
  for (let i = 1; i < n; i++) {
    acc += integratePiecewise(input.envelopeRate, theta[i - 1], theta[i], kinks, {
      epsrel: 1e-12,
      epsabs: 1e-15 * scale,
      endpoints: true,
      where: `envelope check on [${theta[i - 1]}, ${theta[i]}]`,
    });
    let err = Math.abs(U[i] - U[from] - acc);
    if (input.participationAnchors && err > tolerance && Math.abs(U[i] - input.outside(theta[i])) <= tolerance) {
      from = i;
      acc = 0;
      err = 0;
    }
    if (err > envelopeMaxError) {
      envelopeMaxError = err;
      envWorst = `at θ=${theta[i]}: U − U(θ=${theta[from]}) = ${U[i] - U[from]} but ∫ u_θ = ${acc}`;
    }
  }
  if (envelopeMaxError > tolerance) failures.push(`envelope: ${envWorst} (tolerance ${tolerance.toExponential(3)})`);

  // Monotone allocation (or total quality, monotoneRate).
  let monotone = true;
  const mono = input.monotoneRate ?? alloc;
  const what = input.monotoneRate ? "total quality u_θ" : "allocation";
  for (let i = 1; i < n; i++) {
    const fall = mono[i - 1] - mono[i];
    // IC to the tolerance ε between the two types implies (θ_i − θ_{i−1})·(fall) ≤ 2ε (the two
    // constraints added): a smaller fall of the total quality is rounding the IC check accepts
    if (input.monotoneRate && fall * (theta[i] - theta[i - 1]) <= 2 * tolerance) continue;
    if (fall > 1e-12 * Math.max(1, Math.abs(mono[i - 1]))) {
      monotone = false;
      failures.push(`monotonicity: ${what} falls from ${mono[i - 1]} at θ=${theta[i - 1]} to ${mono[i]} at θ=${theta[i]}`);
      break;
    }
  }

  // Excluded types get exactly nothing, and pay nothing to the checks' tolerance (a payment
  // of −5.6e-17, rounding in an LP-certified menu, failed the check).
  let excludedZero = true;
  if (input.thetaStar !== null) {
    for (let i = 0; i < n && theta[i] < input.thetaStar; i++) {
      if (alloc[i] !== 0 || !(Math.abs(t[i]) <= tolerance)) {
        excludedZero = false;
        failures.push(`exclusion: type θ=${theta[i]} < θ*=${input.thetaStar} gets allocation ${alloc[i]} at price ${t[i]}`);
        break;
      }
    }
  }

  return {
    icMaxGain,
    irMinSlack,
    envelopeMaxError,
    monotone,
    excludedZero,
    scale,
    tolerance,
    passed: failures.length === 0,
    failures,
  };
}

/** The checks of a single-model menu, where type θ values item j at θ·Q_j and the outside
 *  option is 0 (monopoly, tiers, efficient and multi-model menus in aggregate quality). */
export function checkLinearMenu(input: Omit<MenuCheckInput, "grossValue" | "outside" | "linearItems">): Checks {
  const q = input.alloc;
  return checkMenu({ ...input, grossValue: (theta, j) => theta * q[j], outside: () => 0, linearItems: q });
}

/** Largest IC gain, the type i that has it and the item j it would take (i = −1: fewer than 2 types). */
interface IcGain {
  gain: number;
  i: number;
  j: number;
}

/**
 * All pairs of a menu valued θ·q_j − t_j: for every i the best item j ≠ i, from a Li Chao tree
 * (a segment tree over the sorted grid types holding, per node, the line that is best at the
 * node's middle type; a line that loses there can win on one side only, so an insertion walks one
 * root-to-leaf path, as does a query). O(n log n) time, O(n) memory.
 */
export function linearIcGain(theta: Float64Array, t: Float64Array, q: Float64Array, U: Float64Array): IcGain {
  const n = theta.length;
  if (n < 2) return { gain: n === 1 ? 0 : -Infinity, i: -1, j: -1 };
  // Query coordinates: the grid types sorted (they normally are), and each type's rank.
  const order = Int32Array.from({ length: n }, (_, k) => k);
  let sorted = true;
  for (let k = 1; k < n; k++) if (!(theta[k] >= theta[k - 1])) sorted = false;
  if (!sorted) order.sort((a, b) => theta[a] - theta[b]);
  const xs = new Float64Array(n);
  const rank = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    xs[k] = theta[order[k]];
    rank[order[k]] = k;
  }
  let size = 1;
  while (size < n) size *= 2;
  const tree = new Int32Array(2 * size);
  const value = (j: number, x: number) => x * q[j] - t[j];

  const insert = (line: number): void => {
    let node = 1;
    let lo = 0;
    let hi = size - 1;
    for (;;) {
      const cur = tree[node];
      if (cur < 0) {
        tree[node] = line;
        return;
      }
      const mid = (lo + hi) >> 1;
      const xm = xs[Math.min(mid, n - 1)];
      let keep = cur;
      let down = line;
      if (value(line, xm) > value(cur, xm)) {
        keep = line;
        down = cur;
      }
      tree[node] = keep;
      if (lo === hi) return;
      // The loser can only win where it has the larger slope (right) or the smaller (left).
      const xl = xs[Math.min(lo, n - 1)];
      const xr = xs[Math.min(hi, n - 1)];
      if (value(down, xl) > value(keep, xl)) {
        node = 2 * node;
        hi = mid;
      } else if (value(down, xr) > value(keep, xr)) {
        node = 2 * node + 1;
        lo = mid + 1;
      } else return;
      line = down;
    }
  };
  let bestJ = -1;
  const query = (pos: number): number => {
    let node = 1;
    let lo = 0;
    let hi = size - 1;
    let best = -Infinity;
    bestJ = -1;
    const x = xs[pos];
    for (;;) {
      const cur = tree[node];
      if (cur >= 0) {
        const v = value(cur, x);
        if (v > best) {
          best = v;
          bestJ = cur;
        }
      }
      if (lo === hi) return best;
      const mid = (lo + hi) >> 1;
      if (pos <= mid) {
        node = 2 * node;
        hi = mid;
      } else {
        node = 2 * node + 1;
        lo = mid + 1;
      }
    }
  };

  let gain = -Infinity;
  let wi = -1;
  let wj = -1;
  // Items of lower indices, then of higher ones: together every j ≠ i.
  for (const pass of [0, 1]) {
    tree.fill(-1);
    for (let step = 0; step < n; step++) {
      const i = pass === 0 ? step : n - 1 - step;
      if (step > 0) {
        const g = query(rank[i]) - U[i];
        if (g > gain) {
          gain = g;
          wi = i;
          wj = bestJ;
        }
      }
      insert(i);
    }
  }
  return { gain, i: wi, j: wj };
}

/** Other utilities: all pairs of an evenly thinned subset, plus every type's two neighbours on each side. */
function generalIcGain(input: MenuCheckInput, U: Float64Array): IcGain {
  const { theta, t } = input;
  const n = theta.length;
  if (n < 2) return { gain: n === 1 ? 0 : -Infinity, i: -1, j: -1 };
  let gain = -Infinity;
  let wi = -1;
  let wj = -1;
  const tryPair = (i: number, j: number): void => {
    const g = input.grossValue(theta[i], j) - t[j] - U[i];
    if (g > gain) {
      gain = g;
      wi = i;
      wj = j;
    }
  };
  const m = Math.min(n, input.maxIcTypes ?? 401);
  const pick = new Int32Array(m);
  for (let k = 0; k < m; k++) pick[k] = m === 1 ? 0 : Math.round((k * (n - 1)) / (m - 1));
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) if (a !== b) tryPair(pick[a], pick[b]);
  if (m < n) {
    for (let i = 0; i < n; i++) {
      for (let d = -2; d <= 2; d++) if (d !== 0 && i + d >= 0 && i + d < n) tryPair(i, i + d);
    }
  }
  return { gain, i: wi, j: wj };
}
