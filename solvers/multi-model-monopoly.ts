// The multi-model monopolist (docs/model.md 3b): one seller owns both models and screens by
// maximizing the virtual surplus pointwise, max_{q_L,q_F} h̄(θ) (q_L^(η_L/σ) + q_F^(η_F/σ))^σ
// − c_L q_L − c_F q_F, with h̄ the ironed virtual type (docs/model.md 2). The pointwise solution depends
// on θ only through a = h̄(θ), and a ↦ argmax is monotone (the value V(a) = max_ℓ V_ℓ(a) is convex,
// u = V'(a)), so u_θ = (q_L^(η_L/σ) + q_F^(η_F/σ))^σ is nondecreasing whenever h̄ is: ironing h is
// all the ironing needed (Myerson's argument only needs u constant where h̄ is flat, which the
// fixed tie-break of solvePair ensures, even though the cheapest cost of a given u is not convex
// in u), and the solver verifies monotonicity on the grid. The switch between models is where
// h̄(θ) = a_e, the level at which V_L = V_F (θ_e of the efficient allocation).
// Transfers t(θ) = θ u(θ) − ∫_{θ*}^θ u(s) ds; profit = welfare − consumer surplus with
// consumer surplus ∫ U f = ∫_{θ*} u(s)(1 − F(s)) ds (integration by parts, one quadrature).
// Finitely many types: the discrete virtual values ironed on the atoms (ironDiscrete), the same
// pointwise problem, and rents from the binding local downward constraints.

import { indexOfSorted } from "../engine/numerics/sorted-index.js";
import { NumericalError } from "../engine/errors.js";
import type { ContinuousDistribution, DiscreteDistribution, TypeDistribution } from "../engine/distributions/types.js";
import { ironDiscrete, ironVirtualType } from "../engine/distributions/ironing.js";
import { gridIndex } from "../engine/grid.js";
import { brent } from "../engine/numerics/brent.js";
import { massBreaks } from "../engine/numerics/mass-breaks.js";
import { tailCappedScale } from "../engine/numerics/tail-capped-scale.js";
import { integratePiecewise } from "../engine/numerics/piecewise-integral.js";
import { checkLinearMenu } from "./checks.js";
import { emptyChecks, SWEEP_CHECK_POINTS } from "./monopoly-continuous.js";
import { closedFormCertificate, type MarketSolution, type PointRecord } from "./types.js";
import { ironingCertificate, snapToJumpAcrossZero } from "./monopoly-continuous.js";
import {
  type AggregateModel,
  type PairChoice,
  type TwoModelProblem,
  emptyChoice,
  findModelSwitches,
  makeTwoModelProblem,
  solvePair,
} from "./two-model-utility.js";
import { expectation } from "../engine/numerics/expectation.js";
import {
  type GridOptions,
  TWO_MODEL_ORDER,
  type TwoModelColumns,
  fillTwoModelRow,
  twoModelColumns,
  twoModelPoint,
  typeGrid,
  withExtraTypes,
} from "./efficient.js";

export interface MultiModelMonopolyInput {
  sigma: number;
  dist: TypeDistribution;
  leader: AggregateModel;
  fringe: AggregateModel;
}

const BIG = 1e300;

/** θ* = inf{θ : h̄(θ) > 0} for a nondecreasing h̄ (max when nobody is served). */
export function lowestServedType(dist: ContinuousDistribution, hbar: (x: number) => number, ironing: [number, number][], where: string): number {
  const g = (x: number) => Math.max(-BIG, Math.min(BIG, hbar(x)));
  if (g(dist.max) <= 0) return dist.max;
  if (g(dist.min) > 0) return dist.min;
  let root = brent(g, dist.min, dist.max, { where: `${where}: lowest served type h̄(θ*) = 0` }).root;
  // (where h̄ jumps across 0 at a kink or an ironed interval's start, θ* is that point, as for the
  // monopoly: snapToJumpAcrossZero)
  root = snapToJumpAcrossZero(root, [...(dist.kinks ?? []), ...ironing.map(([a]) => a)], g, dist.min, dist.max);
  // h̄ may be flat at 0 on an ironing interval: those types get nothing, θ* is its right end.
  for (const [l, r] of ironing) if (root >= l && root < r && g(0.5 * (l + r)) <= 0) root = r;
  return root;
}

export function solveMultiModelMonopoly(input: MultiModelMonopolyInput, opts: GridOptions): MarketSolution {
  const { sigma, dist, leader, fringe } = input;
  const prob = makeTwoModelProblem(sigma, leader, fringe, ["market.leader", "market.fringe"]);
  return dist.discrete ? solveDiscrete(prob, dist, opts) : solveContinuous(prob, dist, opts);
}

const WHERE = "multi-model monopolist";

/** u_θ must be nondecreasing (convex V, nondecreasing h̄); a failure means h̄ or the pointwise
 *  solution is wrong, and no further ironing could repair it. */
function requireMonotone(theta: Float64Array, u: Float64Array): void {
  for (let i = 1; i < u.length; i++) {
    if (u[i] < u[i - 1] * (1 - 1e-12)) {
      throw new NumericalError(`${WHERE}: monotonicity at θ=${theta[i]}`, `u_θ falls from ${u[i - 1]} to ${u[i]} although h̄ is ironed`);
    }
  }
}

function solveContinuous(prob: TwoModelProblem, dist: ContinuousDistribution, opts: GridOptions): MarketSolution {
  const [leader, fringe] = prob.models;
  const iron = ironVirtualType(dist);
  const hbar = iron.value;
  const ironing = iron.intervals.map(([a, b]) => [a, b] as [number, number]);
  const thetaStar = lowestServedType(dist, hbar, ironing, WHERE);
  // (h̄ ≥ 0 from θ* up, but at θ* itself where h̄ jumps across 0: snapToJumpAcrossZero)
  const weight = (x: number) => (x < thetaStar ? 0 : Math.max(0, hbar(x)));

  // (a sweep point of a law without monotone h is checked on SWEEP_CHECK_POINTS types, as the
  // monopoly's: monopoly-continuous.ts)
  const checked = !opts.scalarsOnly || !dist.regular;
  const theta = !checked ? new Float64Array(0) : typeGrid(dist, opts.scalarsOnly ? Math.min(opts.gridPoints, SWEEP_CHECK_POINTS) : opts.gridPoints);
  const n = theta.length;
  const ch = emptyChoice();
  const cols = twoModelColumns(n);
  for (let i = 0; i < n; i++) {
    const a = weight(theta[i]);
    fillTwoModelRow(prob, theta[i], a, solvePair(prob, a, ch), cols, i);
  }
  requireMonotone(theta, cols.u);

  const scan = !opts.scalarsOnly && n >= 2 ? theta : typeGrid(dist, 401);
  const { switches, iterations } = findModelSwitches(prob, weight, scan, WHERE);
  // (and where a mixture component ends: f, h and so u jump there; an envelope check straddling
  // such a jump was off by 1.6e-5 against a tolerance of 1.2e-5)
  // (and where a support far wider than its mass needs them: mass-breaks.ts)
  const breaks = [thetaStar, ...switches.map((s) => s.theta), ...ironing.flat(), ...(dist.kinks ?? []), ...massBreaks(dist)].filter((b) => b > dist.min && b < dist.max);
  breaks.sort((x, y) => x - y);
  const at = (x: number): PairChoice => solvePair(prob, weight(x), ch);
  const uAt = (s: number) => at(s).u;
  const uTop = at(dist.max).u;
  // (scales capped at the law's own: a support far wider than its mass, tail-capped-scale.ts;
  // there the integrals' nodes also cluster at the pieces' ends, as an expectation's do, or none
  // fell where the mass is: consumer surplus 0.118 for 351 on a lognormal truncated at 1e6)
  const surplusAt = (x: number) => x * uAt(x);
  const uTopScale = Math.max(uTop, 1e-300) * (dist.max - dist.min);
  const uScale = tailCappedScale(dist, surplusAt, uTopScale);
  const wide = massBreaks(dist).length > 0;
  const quad = (what: string, scale: number) => ({ epsrel: 1e-12, epsabs: 1e-15 * scale, where: `${WHERE}: ${what}`, ...(wide ? { endpoints: true } : {}) });
  // ∫_x^y u, split at θ*, the switches and the ironing endpoints (kinks and jumps of u).
  // Rents are held to 1e-15 of their own scale, and no closer than 1e-16 of a transfer θu − U,
  // whose rounding that is: on a support 1e-7 of its location wide, rents are 1e-7 of the
  // transfers, u near the bottom is known to ~1e-9 (θ − min rounds to that share of the width),
  // and the rent could not converge: a numerical failure, for an error of 1e-19 of the profit.
  const wScale = tailCappedScale(dist, surplusAt, Math.max(dist.max, 0) * uTop);
  const rentScale = wScale < Infinity ? Math.max(uScale, 0.1 * wScale) : uScale;
  const rent = (x: number, y: number) => (y > x && y > thetaStar ? integratePiecewise(uAt, Math.max(x, thetaStar), y, breaks, quad("rent ∫ u", rentScale)) : 0);

  const servedMass = thetaStar < dist.max;
  const expect = (phi: (x: number) => number, scale: number, what: string) =>
    servedMass ? expectation(dist, phi, breaks, `${WHERE}: ${what}`, 1e-15 * scale, thetaStar, dist.max) : 0;
  const welfare = expect((x) => { const c = at(x); return x * c.u - leader.cost * c.q1 - fringe.cost * c.q2; }, wScale, "welfare ∫ (θu − cost) f");
  const consumerSurplus = servedMass ? integratePiecewise((s) => uAt(s) * dist.sf(s), thetaStar, dist.max, breaks, quad("consumer surplus ∫ u (1 − F)", rentScale)) : 0;
  const profit = welfare - consumerSurplus;
  const leaderSpend = expect((x) => leader.cost * at(x).q1, wScale, "leader spending");
  const fringeSpend = expect((x) => fringe.cost * at(x).q2, wScale, "fringe spending");
  const fringeOnlyShare = expect((x) => (at(x).model === 2 ? 1 : 0), 1, "fringe-only mass");
  // First best over all types (a = θ), split at its own switch level.
  const effBreaks = [0, ...(prob.switchLevel !== null ? [prob.switchLevel] : [])].filter((b) => b > dist.min && b < dist.max);
  const efficientWelfare = expectation(dist, (x) => solvePair(prob, x, ch).value, effBreaks, `${WHERE}: efficient welfare`, 1e-15 * wScale);

  // Rents on the grid, accumulated between neighbours; t = θ u − U.
  const Ug = new Float64Array(n);
  for (let i = 1; i < n; i++) Ug[i] = Ug[i - 1] + rent(theta[i - 1], theta[i]);
  setTransfers(theta, Ug, cols);

  // Checks on the grid plus θ*, the switches and the ironing ends, where u jumps or kinks
  // (and h̄ may jump slightly where an ironing end is only a grid estimate; see withExtraTypes).
  let checks = emptyChecks();
  if (checked) {
    const ct = withExtraTypes(theta, breaks);
    const cu = Float64Array.from(ct, uAt);
    const cTr = new Float64Array(ct.length);
    let acc = 0;
    for (let i = 0; i < ct.length; i++) {
      if (i > 0) acc += rent(ct[i - 1], ct[i]);
      cTr[i] = cu[i] === 0 && acc === 0 ? 0 : ct[i] * cu[i] - acc;
    }
    checks = checkLinearMenu({
      theta: ct,
      t: cTr,
      alloc: cu,
      envelopeRate: uAt,
      thetaStar: thetaStar > dist.min ? thetaStar : null,
    });
  }

  const pointAt = (x: number): PointRecord => {
    if (!(x >= dist.min && x <= dist.max)) {
      throw new NumericalError(`${WHERE}: evaluation`, `θ = ${x} is outside the support [${dist.min}, ${dist.max}]`);
    }
    const a = weight(x);
    const c = solvePair(prob, a, emptyChoice());
    if (c.model === 0) return twoModelPoint(prob, x, a, c, 0);
    let U: number;
    if (n >= 2) {
      const k = gridIndex(theta, x);
      U = Ug[k] + rent(theta[k], x);
    } else U = rent(thetaStar, x);
    return twoModelPoint(prob, x, a, c, x * c.u - U);
  };

  const notes = [...iron.notes];
  if (prob.switchLevel !== null) notes.push(`switch level a_e = ${prob.switchLevel}: the model changes where h̄(θ) = a_e`);
  if (ironing.length > 0) notes.push(`virtual type ironed on ${ironing.length} interval(s)`);
  const spend = leaderSpend + fringeSpend;
  return {
    market: "multiModelMonopoly",
    scalars: {
      profit,
      consumerSurplus,
      welfare,
      thetaStar,
      thetaSwitch: switches.length > 0 ? switches[0].theta : null,
      thetaSwitches: switches.map((s) => s.theta),
      switchLevel: prob.switchLevel,
      fringeOnlyShare,
      fringeSpendShare: spend > 0 ? fringeSpend / spend : 0,
      leaderSpend,
      fringeSpend,
      servedShare: dist.sf(thetaStar),
      efficientWelfare,
      deadweightLoss: efficientWelfare - welfare,
    },
    ironing,
    pointAt,
    curves: opts.scalarsOnly ? { theta: new Float64Array(0), columns: {}, order: [] } : { theta, columns: cols, order: [...TWO_MODEL_ORDER] },
    checks,
    // With ironing, the ironed surplus ∫ max (h̄u − cost) f bounds every mechanism once H̄ ≤ H
    // is checked (as for one model, monopoly-continuous.ts), against the menu's profit W − CS.
    certificate: ironing.length
      ? ironingCertificate(iron, expect((x) => at(x).value, wScale, "ironed virtual surplus ∫ max (h̄u − cost) f"), profit, uTop, "both models, u_θ nondecreasing, docs/model.md 3b; Myerson")
      : closedFormCertificate("pointwise maximum of the virtual surplus over both models with u_θ nondecreasing (docs/model.md 3b; Myerson)"),
    solver: {
      method: "pointwise virtual surplus with ironed h̄ (global two-model optimum), envelope transfers by adaptive quadrature",
      converged: true,
      iterations,
      notes,
    },
  };
}

function setTransfers(theta: Float64Array, U: Float64Array, cols: TwoModelColumns): void {
  for (let i = 0; i < theta.length; i++) {
    cols.U[i] = U[i];
    cols.t[i] = cols.u[i] === 0 && U[i] === 0 ? 0 : theta[i] * cols.u[i] - U[i];
    cols.fee[i] = cols.t[i] - cols.cost[i];
  }
}

/** Finitely many types: discrete virtual values ironed on the atoms, binding local downward IC. */
function solveDiscrete(prob: TwoModelProblem, dist: DiscreteDistribution, opts: GridOptions): MarketSolution {
  const [leader, fringe] = prob.models;
  const v = Float64Array.from(dist.values);
  const p = dist.probs;
  const n = v.length;
  const { hbar, groups } = ironDiscrete(dist);
  const cols = twoModelColumns(n);
  const ch = emptyChoice();
  for (let i = 0; i < n; i++) fillTwoModelRow(prob, v[i], hbar[i], solvePair(prob, hbar[i], ch), cols, i);
  requireMonotone(v, cols.u);
  const U = new Float64Array(n);
  for (let i = 1; i < n; i++) U[i] = U[i - 1] + (v[i] - v[i - 1]) * cols.u[i - 1];
  setTransfers(v, U, cols);

  let profit = 0;
  let consumerSurplus = 0;
  let welfare = 0;
  let efficientWelfare = 0;
  let leaderSpend = 0;
  let fringeSpend = 0;
  let fringeOnlyShare = 0;
  let servedShare = 0;
  let thetaStar: number | null = null;
  const switches: number[] = [];
  for (let i = 0; i < n; i++) {
    profit += p[i] * (cols.t[i] - cols.cost[i]);
    consumerSurplus += p[i] * U[i];
    welfare += p[i] * (v[i] * cols.u[i] - cols.cost[i]);
    efficientWelfare += p[i] * solvePair(prob, v[i], ch).value;
    leaderSpend += p[i] * leader.cost * cols.qL[i];
    fringeSpend += p[i] * fringe.cost * cols.qF[i];
    if (cols.model[i] === 2) fringeOnlyShare += p[i];
    if (cols.model[i] !== 0) servedShare += p[i];
    if (cols.model[i] !== 0 && thetaStar === null) thetaStar = v[i];
    if (i > 0 && cols.model[i - 1] !== 0 && cols.model[i] !== cols.model[i - 1]) switches.push(v[i]);
  }

  // A type between atoms takes its best item of the menu (ties to the lower item).
  const choose = (x: number): number => {
    const exact = indexOfSorted(v, x);
    if (exact >= 0) return exact;
    let best = -1;
    let bestU = 0;
    for (let j = 0; j < n; j++) {
      const gain = x * cols.u[j] - cols.t[j];
      if (gain > bestU + 1e-15 * Math.max(1, Math.abs(bestU))) {
        bestU = gain;
        best = j;
      }
    }
    return best;
  };
  const pointAt = (x: number): PointRecord => {
    const j = choose(x);
    if (j < 0) return twoModelPoint(prob, x, 0, emptyChoice(), 0);
    const c: PairChoice = { model: cols.model[j], q1: cols.qL[j], q2: cols.qF[j], u: cols.u[j], value: 0 };
    return twoModelPoint(prob, x, hbar[j], c, cols.t[j]);
  };
  const checks = opts.scalarsOnly
    ? emptyChecks()
    : checkLinearMenu({
        theta: v,
        t: cols.t,
        alloc: cols.u,
        envelopeRate: (s) => cols.u[Math.max(0, gridIndex(v, s))],
        thetaStar: thetaStar !== null && thetaStar > v[0] ? thetaStar : null,
      });
  const spend = leaderSpend + fringeSpend;
  return {
    market: "multiModelMonopoly",
    scalars: {
      profit,
      consumerSurplus,
      welfare,
      thetaStar: thetaStar ?? v[n - 1],
      thetaSwitch: switches.length > 0 ? switches[0] : null,
      thetaSwitches: switches,
      switchLevel: prob.switchLevel,
      fringeOnlyShare,
      fringeSpendShare: spend > 0 ? fringeSpend / spend : 0,
      leaderSpend,
      fringeSpend,
      servedShare,
      efficientWelfare,
      deadweightLoss: efficientWelfare - welfare,
    },
    ironing: groups,
    pointAt,
    curves: opts.scalarsOnly ? { theta: new Float64Array(0), columns: {}, order: [] } : { theta: v, columns: cols, order: [...TWO_MODEL_ORDER] },
    checks,
    certificate: closedFormCertificate("pointwise maximum of the ironed virtual surplus over both models with u_θ nondecreasing (docs/model.md 3b; Myerson)"),
    solver: {
      method: "discrete types: ironed discrete virtual values, pointwise two-model optimum, binding local downward IC",
      converged: true,
      iterations: 0,
      notes: groups.length > 0 ? [`virtual values ironed on ${groups.length} group(s) of atoms`] : [],
    },
  };
}
