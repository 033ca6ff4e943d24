// Leader vs competitive fringe with finitely many types (docs/model.md 3c on atoms θ_1 < … < θ_n with
// probabilities p_i): the discrete screening problem with the type-dependent outside option.
//
// Method (the discrete analogue of the general path's restricted class, exact on it):
// write g(θ, q) = u(θ, q) − u0(θ) (fringe top-up included) and R_i = U_i − u0(θ_i). For a
// nondecreasing allocation whose items never lower the next type's rent (D_i(q_i) ≥ 0 with
// D_i(q) = g(θ_{i+1}, q) − g(θ_i, q); with γ_F = 0 this holds for every q, since g_θ ≥ 0), the
// local downward constraints R_{i+1} ≥ R_i + D_i(q_i) and R_1 ≥ 0 are necessary, so the smallest
// rents are R_1 = 0, R_{i+1} = R_i + D_i(q_i). Profit is then separable:
//     Σ_i φ_i(q_i),  φ_i(q) = p_i (g(θ_i, q) − c_L q) − M_i D_i(q),  M_i = Σ_{k>i} p_k.
// Each φ_i is maximized over q ≥ 0 on its smooth pieces (cut at the top-up switch qualities
// q_s(θ_i), q_s(θ_{i+1})): closed form where both types take the item without topping up, else a
// 64-point log scan refined by golden section. If the maximizers are nondecreasing their sum is
// optimal for the class; otherwise an exact DP over (type, item) with q nondecreasing, on the set
// of all maximizers and piece ends, picks the best monotone menu. With γ_F = 0 and equal weights
// monotone menus are without loss (swap argument, test/leader-fringe-bruteforce.test.ts), so the
// result is the discrete optimum. The menu is verified by checkMenu with the full top-up utility
// on every pair of atoms; a type between atoms (pointAt) takes its best item of the finite menu.

import { indexOfSorted } from "../engine/numerics/sorted-index.js";
import type { DiscreteDistribution } from "../engine/distributions/types.js";
import { checkMenu } from "./checks.js";
import { gridIndex } from "../engine/grid.js";
import { goldenMax } from "../engine/numerics/golden.js";
import {
  fringeTopUp,
  limitQuality,
  outsideOption,
  topUpSwitchQuality,
  type FringeMarket,
  type TopUp,
} from "./fringe-top-up.js";
import { emptyChecks } from "./monopoly-continuous.js";
import { spendShare } from "./leader-fringe-menu.js";
import { boundCertificate, closedFormCertificate, type MarketSolution, type PointRecord } from "./types.js";
import { solveScreening } from "./screening-lp.js";

export interface DiscreteOptions {
  gridPoints: number;
  scalarsOnly?: boolean;
}

export function solveLeaderFringeDiscrete(
  market: FringeMarket,
  cL: number,
  dist: DiscreteDistribution,
  opts: DiscreteOptions,
  notes: string[],
): MarketSolution {
  const th = dist.values;
  const p = dist.probs;
  const n = th.length;
  const scratch: TopUp = { qF: 0, u: 0, uTheta: 0 };
  const u0 = Float64Array.from(th, (t) => outsideOption(t, market));
  // Above the top-up switch quality q_s(θ_i) the buyer buys nothing from the fringe: u = θ q^η_L
  // in closed form (the LP evaluates g millions of times; the global top-up solve is the cost).
  const qsw = Float64Array.from(th, (t) => topUpSwitchQuality(t, market));
  const g = (i: number, q: number) =>
    q === 0 ? 0 : q >= qsw[i] ? th[i] * Math.pow(q, market.etaL) - u0[i] : fringeTopUp(th[i], q, market, scratch).u - u0[i];
  const M = new Float64Array(n);
  for (let i = n - 2; i >= 0; i--) M[i] = M[i + 1] + p[i + 1];
  const D = (i: number, q: number) => (i === n - 1 ? 0 : g(i + 1, q) - g(i, q));
  const allowed = (i: number, q: number) => q === 0 || D(i, q) >= -1e-14 * Math.max(1, Math.abs(g(i, q)));
  const phi = (i: number, q: number) => p[i] * (g(i, q) - cL * q) - M[i] * D(i, q);

  // A powerless leader (docs/model.md section 5, limits): with η_F = η_L = η and c_F ≤ c_L, a
  // buyer of the leader's item (q, t) topping up q_F could buy q + q_F fringe tokens instead, at
  // c_F·(q + q_F), for at least the same aggregate ((q + q_F)^(η/σ) ≥ q^(η/σ) + q_F^(η/σ), η ≥ σ);
  // so u0(θ) ≥ u(θ, q) − c_F·q, and IR against the fringe gives t ≤ c_F·q ≤ c_L·q: no item (nor
  // lottery) earns the leader more than 0, and selling nothing earns exactly 0. That optimum is
  // taken in closed form: the LP finds a menu within rounding of 0, and a gap relative to a zero
  // profit certifies nothing (an independent checker's identical-model markets).
  if (market.etaF === market.etaL && market.cF <= cL) {
    const zero = new Float64Array(n);
    return discreteSolution(market, cL, dist, u0, opts, notes, { q: zero, R: zero, powerless: true });
  }

  // Pointwise maximizers and the item set.
  const qs = qsw;
  const items: number[] = [0];
  const best = new Float64Array(n);
  const e = market.etaL;
  for (let i = 0; i < n; i++) {
    const ends = [qs[i], i + 1 < n ? qs[i + 1] : qs[i], limitQuality(th[i], market)].filter((x) => x > 0).sort((a, b) => a - b);
    const cands = [0, ...ends];
    // Above both switch points: (p_i θ_i − M_i (θ_{i+1} − θ_i)) q^η − p_i c_L q + const.
    const k = p[i] * th[i] - (i + 1 < n ? M[i] * (th[i + 1] - th[i]) : 0);
    const top = ends[ends.length - 1] ?? 0;
    if (k > 0) cands.push(Math.max(top, Math.pow((e * k) / (p[i] * cL), 1 / (1 - e))));
    // Below: scan and refine each piece numerically.
    let lo = 0;
    for (const hi of ends) {
      if (hi > lo) cands.push(refinePiece((q) => (allowed(i, q) ? phi(i, q) : -Infinity), lo, hi));
      lo = hi;
    }
    let bv = -Infinity;
    let bq = 0;
    for (const q of cands) {
      if (!allowed(i, q)) continue;
      const v = phi(i, q);
      if (v > bv) {
        bv = v;
        bq = q;
      }
    }
    best[i] = bq;
    items.push(...cands);
  }
  let monotone = true;
  for (let i = 1; i < n; i++) if (best[i] < best[i - 1]) monotone = false;
  let warm: Float64Array = best;
  if (!monotone) warm = monotoneDP(n, Float64Array.from(new Set(items)).sort(), phi, allowed);

  // The certified optimum over all mechanisms: the screening LP (solvers/screening-lp.ts), started
  // from the restricted-class menu above, its neighbours' items, q̂ and the top-up switch points.
  const lp = solveScreening({
    n,
    p,
    cost: cL,
    gain: g,
    breaks: (i) => (qs[i] > 0 ? [qs[i]] : []),
    tail: { eta: e, coef: (i) => th[i] },
    scale: u0.reduce((acc, v, i) => acc + p[i] * v, 0),
    gainUnit: (i) => u0[i],
    initial: (i) => [warm[i], limitQuality(th[i], market), qs[i], i > 0 ? warm[i - 1] : 0, i + 1 < n ? warm[i + 1] : 0],
    fallback: warm,
  });
  notes.push(
    `LP certificate: menu profit ${lp.profit}, dual bound ${lp.dualBound}, gap ${lp.gap.toExponential(2)} of profit; ` +
      `${lp.rounds} rounds, ${lp.columns} columns, ${lp.icRows} of ${n * (n - 1)} IC pairs generated`,
  );
  const nonLocal = lp.binding.filter(([i, j]) => Math.abs(i - j) > 1);
  const upward = lp.binding.filter(([i, j]) => i < j);
  notes.push(
    `binding IC: ${lp.binding.length} pairs (${upward.length} upward, ${nonLocal.length} non-local)` +
      (nonLocal.length ? `: ${nonLocal.slice(0, 8).map(([i, j]) => `θ=${th[i]} envies θ=${th[j]}`).join(", ")}${nonLocal.length > 8 ? ", …" : ""}` : ""),
  );
  notes.push(...lp.notes);
  return discreteSolution(market, cL, dist, u0, opts, notes, { q: lp.q, R: lp.R, lp });
}

/** The menu with qualities q and rents R over the outside option: its scalars, points, curves
 *  and checks, certified by the LP (`lp`) or, for a powerless leader, in closed form. */
function discreteSolution(
  market: FringeMarket,
  cL: number,
  dist: DiscreteDistribution,
  /** each type's outside option u0(θ_i) */
  u0: Float64Array,
  opts: DiscreteOptions,
  notes: string[],
  menu: { q: Float64Array; R: Float64Array; lp?: ReturnType<typeof solveScreening>; powerless?: true },
): MarketSolution {
  const th = dist.values;
  const p = dist.probs;
  const n = th.length;
  const scratch: TopUp = { qF: 0, u: 0, uTheta: 0 };
  const { q, R, lp } = menu;
  const method = lp
    ? "discrete types: screening LP over all mechanisms (HiGHS; qualities by column generation, IC pairs by row generation), deterministic menu with the smallest IC/IR rents, its optimality gap by LP duality"
    : "discrete types: powerless leader (η_F = η_L, c_F ≤ c_L): every type buys from the fringe, the leader sells nothing";
  const t = new Float64Array(n);
  const qF = new Float64Array(n);
  const U = new Float64Array(n);
  let profit = 0;
  let cs = 0;
  let rent = 0;
  let fringeQ = 0;
  let leaderQ = 0;
  let fringeMass = 0;
  let thetaLow = dist.max;
  let thetaHigh = dist.max;
  for (let i = 0; i < n; i++) {
    const r = fringeTopUp(th[i], q[i], market, scratch);
    t[i] = (q[i] === 0 ? 0 : r.u - u0[i]) - R[i];
    qF[i] = r.qF;
    U[i] = u0[i] + R[i];
    profit += p[i] * (t[i] - cL * q[i]);
    cs += p[i] * U[i];
    rent += p[i] * R[i];
    fringeQ += p[i] * qF[i];
    leaderQ += p[i] * q[i];
    if (q[i] === 0) fringeMass += p[i];
    else if (thetaLow === dist.max && q[i] > 0) thetaLow = th[i];
  }
  // θ_high: where region 3 begins for good, the lowest atom from which every higher atom buys
  // above q̂ (a finite menu can interleave the regions; the first atom above q̂ was reported
  // while atoms above it bought in region 2, θ_low = θ_high with region 2 not empty — a
  // reviewer's 100 and 300 atoms); the interleaving is said in a note.
  const regionOf = (i: number) => (q[i] === 0 ? 1 : q[i] > limitQuality(th[i], market) * (1 + 1e-12) ? 3 : 2);
  for (let i = n - 1; i >= 0 && regionOf(i) === 3; i--) thetaHigh = th[i];
  if (thetaHigh < thetaLow) thetaHigh = thetaLow;
  const belowHigh3 = th.filter((x, i) => x < thetaHigh && regionOf(i) === 3).length;
  const aboveLow1 = th.filter((x, i) => x > thetaLow && regionOf(i) === 1).length;
  if (belowHigh3 > 0 || aboveLow1 > 0) {
    notes.push(
      `the regions interleave on the atoms: ${[
        belowHigh3 > 0 ? `${belowHigh3} atom(s) below θ_high = ${thetaHigh} buy above q̂ (region 3)` : "",
        aboveLow1 > 0 ? `${aboveLow1} atom(s) above θ_low = ${thetaLow} buy nothing from the leader (region 1)` : "",
      ]
        .filter(Boolean)
        .join("; ")}; θ_low is the lowest atom the leader serves, θ_high the lowest from which every atom is in region 3 (curves.csv gives each atom's region)`,
    );
  }
  const fringeSpend = market.cF * fringeQ;
  const leaderSpend = cL * leaderQ;
  const point = (i: number): PointRecord => ({
    theta: th[i],
    qL: q[i],
    qF: qF[i],
    QL: Math.pow(q[i], market.etaL),
    QF: Math.pow(qF[i], market.etaF),
    t: t[i],
    U: U[i],
    u0: u0[i],
    qhat: limitQuality(th[i], market),
    R: R[i],
    region: regionOf(i),
  });
  const pointAt = (theta: number): PointRecord => {
    const k = indexOfSorted(th, theta);
    if (k >= 0) return point(k);
    // Off the atoms: the type's best reply to the finite menu, fringe top-up included.
    const v0 = outsideOption(theta, market);
    let bj = -1;
    let bu = v0;
    for (let j = 0; j < n; j++) {
      if (q[j] === 0) continue;
      const v = fringeTopUp(theta, q[j], market, scratch).u - t[j];
      if (v > bu) {
        bu = v;
        bj = j;
      }
    }
    const qj = bj < 0 ? 0 : q[bj];
    const r = fringeTopUp(theta, qj, market, scratch);
    const qh = limitQuality(theta, market);
    return {
      theta,
      qL: qj,
      qF: r.qF,
      QL: Math.pow(qj, market.etaL),
      QF: Math.pow(r.qF, market.etaF),
      t: bj < 0 ? 0 : t[bj],
      U: bu,
      u0: v0,
      qhat: qh,
      R: bu - v0,
      region: qj === 0 ? 1 : qj > qh ? 3 : 2,
    };
  };
  const solution: MarketSolution = {
    market: "leaderFringe",
    scalars: {
      profit,
      consumerSurplus: cs,
      welfare: profit + cs,
      rentOverOutsideOption: rent,
      thetaLow,
      thetaHigh,
      region2Empty: !Array.from({ length: n }, (_, i) => point(i).region).includes(2),
      fringeOnlyShare: Math.min(1, fringeMass),
      fringeSpend,
      leaderSpend,
      fringeSpendShare: spendShare(fringeSpend, leaderSpend),
      etaL: market.etaL,
      etaF: market.etaF,
      dualBound: lp ? lp.dualBound : 0,
    },
    ironing: [],
    pointAt,
    curves: { theta: new Float64Array(0), columns: {}, order: [] },
    checks: emptyChecks(),
    certificate: lp
      ? boundCertificate(
          lp.gap,
          "LP duality: the menu's profit against the Lagrangian bound Σ_j max_q ψ_j(q) of the screening LP over all mechanisms (lotteries, all n² IC pairs, any quality)" +
            (lp.certified || lp.lotteryTypes.length === 0
              ? ""
              : `; not closed because the LP randomizes ${lp.lotteryTypes.length} type(s) between items and no deterministic menu found reaches its bound (a lottery may earn more, or a better menu exist)`),
        )
      : closedFormCertificate(
          "powerless leader (docs/model.md section 5, limits): with η_F = η_L and c_F ≤ c_L a buyer gets any leader item's aggregate from the fringe at no higher price, so no item earns the leader more than 0; selling nothing earns 0",
        ),
    solver: { method, converged: lp ? lp.converged : true, iterations: lp ? lp.rounds : 0, notes },
  };
  if (!opts.scalarsOnly) {
    const order = ["qL", "qF", "QL", "QF", "t", "U", "u0", "qhat", "R", "region"];
    const columns: Record<string, Float64Array> = {};
    for (const c of order) columns[c] = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const pt = point(i);
      for (const c of order) columns[c][i] = pt[c] as number;
    }
    // each atom's probability and the cumulative F, as continuous laws give f and F: the file
    // alone then aggregates (a reviewer could not weight the rows of a discrete market)
    columns.p = Float64Array.from(p);
    columns.F = new Float64Array(n);
    for (let i = 0, acc = 0; i < n; i++) columns.F[i] = Math.min(1, (acc += p[i]));
    order.push("p", "F");
    solution.curves = { theta: Float64Array.from(th), columns, order };
    // Between atoms a type takes the item of the atom below (binding local downward IC, or
    // participation at the upper atom: participationAnchors below), so
    // U_{i+1} − U_i = u(θ_{i+1}, q_i) − u(θ_i, q_i) = ∫ u_θ(s, q_i) ds; u_θ(s, q_i) has a kink (γ_F = 0)
    // or a jump (γ_F > 0) where q_i crosses the top-up switch q_s(s): the integral is split there.
    const kinks: number[] = [];
    for (let i = 0; i + 1 < n; i++) {
      if (!(q[i] > 0)) continue;
      const s = switchType(market, q[i], th[i], th[i + 1]);
      if (s !== null) kinks.push(s);
    }
    const grid = solution.curves.theta;
    // each type's total quality u_θ(θ_i, q_i), fringe top-up included: what IC orders (checks.ts)
    const rate = Float64Array.from(grid, (theta, i) => fringeTopUp(theta, q[i], market, scratch).uTheta);
    solution.checks = checkMenu({
      theta: grid,
      t,
      alloc: q,
      monotoneRate: rate,
      grossValue: (theta, j) => fringeTopUp(theta, q[j], market, scratch).u,
      outside: (theta) => outsideOption(theta, market),
      envelopeRate: (s) => fringeTopUp(s, q[gridIndex(grid, s)], market, scratch).uTheta,
      thetaStar: thetaLow > dist.min && thetaLow < dist.max ? thetaLow : null,
      kinks,
      maxIcTypes: Math.min(n, 1001),
      // with γ_F > 0 the outside option rises with θ and participation may bind at an atom above
      // the lowest served one, the local downward constraint below it slack (an optimum the LP
      // certifies): the identity then starts again from that atom
      participationAnchors: true,
    });
    if (!solution.checks.passed) notes.push(`checks failed: ${solution.checks.failures.join("; ")}`);
  }
  return solution;
}

/** The type s in (a, b) with q_s(s) = q (where u_θ(s, q) kinks or jumps), or null. */
function switchType(m: FringeMarket, q: number, a: number, b: number): number | null {
  if (m.etaF === m.sigma) {
    // q̂(s) = (sσ/c_F)^(σ/((1−σ)η_L)) = q
    const s = (m.cF / m.sigma) * Math.pow(q, ((1 - m.sigma) * m.etaL) / m.sigma);
    return s > a && s < b ? s : null;
  }
  // q_s rises with the type (the top-up gain does): bisection on its sign.
  const above = (s: number) => topUpSwitchQuality(s, m) > q;
  if (above(a) || !above(b)) return null;
  let lo = a;
  let hi = b;
  for (let k = 0; k < 60 && hi - lo > 4e-16 * hi; k++) {
    const mid = 0.5 * (lo + hi);
    if (above(mid)) hi = mid;
    else lo = mid;
  }
  return 0.5 * (lo + hi);
}

/** argmax of f on [lo, hi]: 64-point log-spaced scan, then golden section around the best. */
function refinePiece(f: (q: number) => number, lo: number, hi: number): number {
  const a = lo > 0 ? lo : hi * 1e-9;
  const K = 64;
  const xs = new Float64Array(K + 1);
  let kb = 0;
  let vb = -Infinity;
  for (let k = 0; k <= K; k++) {
    xs[k] = a * Math.pow(hi / a, k / K);
    const v = f(xs[k]);
    if (v > vb) {
      vb = v;
      kb = k;
    }
  }
  const best = goldenMax(f, xs[Math.max(0, kb - 1)], xs[Math.min(K, kb + 1)], 1e-15);
  return best.value >= vb ? best.x : xs[kb];
}

/** Exact DP over (type, item) with the allocation nondecreasing in the type. */
function monotoneDP(
  n: number,
  items: Float64Array,
  phi: (i: number, q: number) => number,
  allowed: (i: number, q: number) => boolean,
): Float64Array {
  const K = items.length;
  const val = new Float64Array(n * K);
  const arg = new Int32Array(n * K); // best predecessor item index (running argmax)
  for (let i = 0; i < n; i++) {
    let run = -Infinity;
    let runK = 0;
    for (let k = 0; k < K; k++) {
      if (i > 0 && val[(i - 1) * K + k] > run) {
        run = val[(i - 1) * K + k];
        runK = k;
      }
      const v = allowed(i, items[k]) ? phi(i, items[k]) : -Infinity;
      val[i * K + k] = (i === 0 ? 0 : run) + v;
      arg[i * K + k] = runK;
    }
  }
  let k = 0;
  for (let j = 1; j < K; j++) if (val[(n - 1) * K + j] > val[(n - 1) * K + k]) k = j;
  const q = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    q[i] = items[k];
    k = arg[i * K + k];
  }
  return q;
}
