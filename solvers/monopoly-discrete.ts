// Optimal monopoly menu for finitely many types θ_1 < … < θ_n with probabilities p_i
// (docs/model.md section 2 in its discrete form; also the empirical distribution of sampled
// task-weight profiles, Lemma 1). Virtual values h_i = θ_i − (θ_{i+1} − θ_i)(1 − F_i)/p_i,
// ironed on the hull of the revenue points; C'(Q_i) = max(h̄_i, 0); rents from binding local
// downward incentive constraints U_i = Σ_{j<i} (θ_{j+1} − θ_j) Q_j; t_i = θ_i Q_i − U_i.
// pointAt(θ) for any θ returns the item that type would pick from the menu.

import { indexOfSorted } from "../engine/numerics/sorted-index.js";
import type { DiscreteDistribution } from "../engine/distributions/types.js";
import { ironDiscrete } from "../engine/distributions/ironing.js";
import { gridIndex } from "../engine/grid.js";
import type { CostOfQuality } from "../engine/technology/types.js";
import { checkLinearMenu } from "./checks.js";
import { emptyChecks, type MonopolyOptions } from "./monopoly-continuous.js";
import { menuItemRecord } from "./menu-item.js";
import { oneModelScalars } from "./observables.js";
import { closedFormCertificate, type MarketSolution, type PointRecord } from "./types.js";

export function solveMonopolyDiscrete(
  dist: DiscreteDistribution,
  cost: CostOfQuality,
  opts: MonopolyOptions,
): MarketSolution {
  const v = dist.values;
  const p = dist.probs;
  const n = v.length;
  const { hbar, h, groups } = ironDiscrete(dist);
  const Q = new Float64Array(n);
  const U = new Float64Array(n);
  const t = new Float64Array(n);
  const Qe = new Float64Array(n);
  let profit = 0;
  let consumerSurplus = 0;
  let welfare = 0;
  let efficientWelfare = 0;
  let thetaStar = NaN;
  for (let i = 0; i < n; i++) {
    // (h̄ at rounding level of θ_i, from θ_i − (θ_{i+1} − θ_i)(1 − F_i)/p_i where the two terms
    // cancel, is 0: an atom with exact virtual value 0 got Q = 3e-37, was counted as served and
    // showed a markup of 4e15 — an independent checker's market, 6 Dec 2026)
    Q[i] = hbar[i] > 8 * Number.EPSILON * v[i] ? cost.qualityForMarginalCost(hbar[i]) : 0;
    if (i > 0) U[i] = U[i - 1] + (v[i] - v[i - 1]) * Q[i - 1];
    t[i] = Q[i] === 0 && U[i] === 0 ? 0 : v[i] * Q[i] - U[i];
    if (Q[i] > 0 && Number.isNaN(thetaStar)) thetaStar = v[i];
    const c = cost.cost(Q[i]);
    profit += p[i] * (t[i] - c);
    consumerSurplus += p[i] * U[i];
    welfare += p[i] * (v[i] * Q[i] - c);
    Qe[i] = v[i] > 0 ? cost.qualityForMarginalCost(v[i]) : 0;
    efficientWelfare += p[i] * (v[i] * Qe[i] - cost.cost(Qe[i]));
  }
  if (Number.isNaN(thetaStar)) thetaStar = v[n - 1];

  // Best item for any θ: the menu is IC, so types between atoms pick by max θQ_j − t_j
  // (ties go to the lower item, like the atoms themselves under binding downward IC).
  // An atom gets its own item, found by bisection (indexOfSorted: a scan per atom made a
  // 100,000-atom solve quadratic, 37 s); a type between atoms takes its best item by a scan.
  const choose = (th: number): number => {
    const exact = indexOfSorted(v, th);
    if (exact >= 0) return exact;
    let best = -1;
    let bestU = 0; // the null item (Q = 0, t = 0) is always available
    for (let j = 0; j < n; j++) {
      const u = th * Q[j] - t[j];
      if (u > bestU + 1e-15 * Math.max(1, Math.abs(bestU))) {
        bestU = u;
        best = j;
      }
    }
    return best;
  };
  const pointAt = (th: number): PointRecord => {
    const j = choose(th);
    const q = j >= 0 ? Q[j] : 0;
    const tr = j >= 0 ? t[j] : 0;
    const rec = menuItemRecord(cost, th, q, tr, th * q - tr);
    if (j >= 0) {
      // the menu's step at the chosen item is priced for its atom (T' = θ_j there); an
      // excluded atom's empty item has none
      if (q > 0) rec.marginalPrice = v[j];
    }
    // the virtual value is an atom's: between atoms there is none (the atom below's was shown
    // at θ = 1.2 of a law with atoms 1 and 1.4, a reviewer's)
    const k = indexOfSorted(v, th);
    if (k >= 0) {
      rec.h = h[k];
      rec.hbar = hbar[k];
    }
    return rec;
  };

  const scalars: MarketSolution["scalars"] = {
    profit,
    consumerSurplus,
    welfare,
    thetaStar,
    kappa: Number.isFinite(cost.kappa) ? cost.kappa : null,
    eta: cost.eta,
    eX: Number.isFinite(cost.eX) ? cost.eX : null,
    eZ: Number.isFinite(cost.eZ) ? cost.eZ : null,
    servedShare: 0,
    efficientWelfare,
    deadweightLoss: efficientWelfare - welfare,
  };
  let servedShare = 0;
  for (let i = 0; i < n; i++) if (Q[i] > 0) servedShare += p[i];
  scalars.servedShare = servedShare;
  const expectQ = (g: (q: number) => number) => p.reduce((acc, pi, i) => acc + (Q[i] > 0 ? pi * g(Q[i]) : 0), 0);
  Object.assign(scalars, oneModelScalars(cost, expectQ, profit, servedShare));

  const theta = Float64Array.from(v);
  const order = ["p", "Q", "Qe", "t", "U", "fee", "markup", "marginalPrice", "h", "hbar"];
  const columns: Record<string, Float64Array> = {};
  if (!opts.scalarsOnly) {
    for (const c of order) columns[c] = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const c = cost.cost(Q[i]);
      columns.p[i] = p[i];
      columns.Q[i] = Q[i];
      columns.Qe[i] = Qe[i];
      columns.t[i] = t[i];
      columns.U[i] = U[i];
      columns.fee[i] = t[i] - c;
      columns.markup[i] = Q[i] > 0 ? t[i] / c : NaN;
      columns.marginalPrice[i] = Q[i] > 0 ? v[i] : NaN;
      columns.h[i] = h[i];
      columns.hbar[i] = hbar[i];
    }
  }
  const firstServed = Q.findIndex((q) => q > 0);
  const checks = opts.scalarsOnly
    ? emptyChecks()
    : checkLinearMenu({
        theta,
        t,
        alloc: Q,
        // Between atoms a type takes the item of the atom below it (binding downward IC).
        envelopeRate: (s) => Q[gridIndex(theta, s)],
        thetaStar: firstServed > 0 ? v[firstServed] : null,
      });
  return {
    market: "monopoly",
    scalars,
    ironing: groups,
    pointAt,
    curves: { theta, columns, order: opts.scalarsOnly ? [] : order },
    checks,
    certificate: closedFormCertificate("Proposition 2 on atoms (ironed discrete virtual values, binding local downward IC)"),
    solver: { method: "discrete types: ironed virtual values, binding local downward IC", converged: true, iterations: 0, notes: [] },
  };
}
