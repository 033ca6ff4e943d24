// The efficient (first-best) allocation with marginal-cost pricing (docs/model.md 2 "Compare with
// efficient Q^e" and 3a). One model: C'(Q^e(θ)) = θ, price t = C(Q^e), profit 0. Two models:
// each type solves max θ (q_L^(η_L/σ) + q_F^(η_F/σ))^σ − c_L q_L − c_F q_F globally
// (solvers/two-model-utility.ts: a single model is always optimal, switch at θ_e with
// V_L(θ_e) = V_F(θ_e)), pays c_L q_L + c_F q_F, and consumer surplus equals welfare.

import { InputError, NumericalError } from "../engine/errors.js";
import type { TypeDistribution } from "../engine/distributions/types.js";
import type { CostOfQuality } from "../engine/technology/types.js";
import { reportedTypes } from "../engine/grid.js";
import { checkLinearMenu } from "./checks.js";
import { closedFormCertificate, type Curves, type MarketSolution, type PointRecord } from "./types.js";
import {
  type AggregateModel,
  type PairChoice,
  type TwoModelProblem,
  emptyChoice,
  findModelSwitches,
  checkModel,
  makeTwoModelProblem,
  solvePair,
} from "./two-model-utility.js";
import { aggregateTechnology } from "../engine/technology/ces-cost.js";
import { emptyChecks } from "./monopoly-continuous.js";
import { expectation } from "../engine/numerics/expectation.js";
import { oneModelScalars } from "./observables.js";

/** One model by its cost of quality, or one or two models by aggregate cost (leader, fringe). */
export type EfficientInput =
  | { dist: TypeDistribution; cost: CostOfQuality }
  | { sigma: number; dist: TypeDistribution; models: [AggregateModel] | [AggregateModel, AggregateModel] };

export interface GridOptions {
  gridPoints: number;
  /** skip curves and checks (sweep points keep scalars only) */
  scalarsOnly?: boolean;
}

/** The reporting grid: linspace(min, max, gridPoints) as decimals (engine/grid.ts reportedTypes), or the atoms of a discrete distribution. */
export function typeGrid(dist: TypeDistribution, gridPoints: number): Float64Array {
  if (dist.discrete) return Float64Array.from(dist.values);
  if (!(Number.isInteger(gridPoints) && gridPoints >= 2)) {
    throw new InputError("grid.points", `grid needs an integer number of points ≥ 2, got ${gridPoints}`);
  }
  return reportedTypes(dist.min, dist.max, gridPoints);
}

/** The grid with extra types (jumps of the allocation) merged in, ascending, without duplicates. */
export function withExtraTypes(theta: Float64Array, extra: number[]): Float64Array {
  const lo = theta[0];
  const hi = theta[theta.length - 1];
  const all = [...theta, ...extra.filter((x) => x > lo && x < hi)].sort((a, b) => a - b);
  return Float64Array.from(all.filter((x, i) => i === 0 || x > all[i - 1]));
}


export function solveEfficient(input: EfficientInput, opts: GridOptions): MarketSolution {
  if ("cost" in input) return solveEfficientSingle(input.dist, input.cost, opts);
  const { sigma, dist, models } = input;
  if (models.length === 1) {
    checkModel(sigma, models[0], "market.model");
    return solveEfficientSingle(dist, aggregateTechnology(sigma, models[0].cost, models[0].gamma), opts);
  }
  if (models.length !== 2) {
    throw new InputError("market", `the efficient allocation takes one or two models, got ${(models as unknown[]).length}`);
  }
  return solveEfficientTwo(sigma, dist, models, opts);
}

function solveEfficientSingle(dist: TypeDistribution, cost: CostOfQuality, opts: GridOptions): MarketSolution {
  const theta = opts.scalarsOnly ? new Float64Array(0) : typeGrid(dist, opts.gridPoints);
  const n = theta.length;
  const Qe = (x: number) => (x > 0 ? cost.qualityForMarginalCost(x) : 0);
  const Q = new Float64Array(n);
  const t = new Float64Array(n);
  const U = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    Q[i] = Qe(theta[i]);
    t[i] = Q[i] > 0 ? cost.cost(Q[i]) : 0;
    U[i] = theta[i] * Q[i] - t[i];
  }
  const surplus = (x: number) => {
    const q = Qe(x);
    return q > 0 ? x * q - cost.cost(q) : 0;
  };
  // (Q^e has a kink where θ is a marginal cost at which C'' jumps: engine/technology/types.ts)
  const welfare = expectation(dist, surplus, [0, ...(cost.marginalCostKinks ?? [])], "efficient: welfare ∫ (θQ^e − C(Q^e)) f");
  // θ = 0 (where Q^e starts, with an infinite slope when η < 1/2) joins the check grid.
  let checks = emptyChecks();
  if (!opts.scalarsOnly) {
    const ct = dist.discrete ? theta : withExtraTypes(theta, [0]);
    const cQ = Float64Array.from(ct, Qe);
    const cT = Float64Array.from(cQ, (q) => (q > 0 ? cost.cost(q) : 0));
    checks = checkLinearMenu({
      theta: ct,
      t: cT,
      alloc: cQ,
      envelopeRate: Qe,
      thetaStar: dist.min < 0 ? 0 : null,
    });
  }
  const J = cost.tokenClasses.length;
  const K = cost.fineTuningClasses.length;
  const pointAt = (x: number): PointRecord => {
    const q = Qe(x);
    const c = q > 0 ? cost.cost(q) : 0;
    const outX = new Float64Array(J);
    const outZ = new Float64Array(K);
    if (q > 0) cost.budgets(q, outX, outZ);
    const X: Record<string, number> = {};
    const Z: Record<string, number> = {};
    cost.tokenClasses.forEach((name, j) => (X[name] = outX[j]));
    cost.fineTuningClasses.forEach((name, k) => (Z[name] = outZ[k]));
    return { theta: x, Q: q, t: c, U: x * q - c, fee: 0, marginalPrice: Math.max(x, 0), X, Z };
  };
  const curves: Curves = { theta, columns: { Q, t, U }, order: ["Q", "t", "U"] };
  return {
    market: "efficient",
    scalars: {
      profit: 0,
      consumerSurplus: welfare,
      welfare,
      thetaSwitch: null,
      kappa: Number.isFinite(cost.kappa) ? cost.kappa : null,
      eta: cost.eta,
      ...oneModelScalars(cost, (g, where) => expectation(dist, (x) => (x > 0 ? g(Qe(x)) : 0), [0], `efficient: ${where}`), 0, dist.min > 0 ? 1 : dist.sf(0)),
    },
    ironing: [],
    pointAt,
    curves,
    checks,
    certificate: closedFormCertificate("first best: every type's surplus maximized pointwise, marginal-cost prices (docs/model.md 2, 3a)"),
    solver: {
      method: "first best: C'(Q) = θ per type, marginal-cost pricing",
      converged: true,
      iterations: 0,
      notes: [],
    },
  };
}

function solveEfficientTwo(
  sigma: number,
  dist: TypeDistribution,
  models: [AggregateModel, AggregateModel],
  opts: GridOptions,
): MarketSolution {
  if (!Array.isArray(models) || models.length !== 2) {
    throw new InputError("market", "the two-model efficient allocation needs exactly two models (leader, fringe)");
  }
  const prob = makeTwoModelProblem(sigma, models[0], models[1], ["market.leader", "market.fringe"]);
  const [L, F] = models;
  const theta = opts.scalarsOnly ? new Float64Array(0) : typeGrid(dist, opts.gridPoints);
  const n = theta.length;
  const cols = twoModelColumns(n);
  const c = emptyChoice();
  for (let i = 0; i < n; i++) fillTwoModelRow(prob, theta[i], theta[i], solvePair(prob, theta[i], c), cols, i);

  const identity = (x: number) => x;
  // Switches are located from a scan of the reporting grid (or a coarse one for scalars only).
  const scan = n >= 2 ? theta : typeGrid(dist, 201);
  const { switches, iterations } = findModelSwitches(prob, identity, scan, "efficient");
  const notes: string[] = [];
  // Self-check: with a = θ every corner switch is at the closed-form level a_e = θ_e.
  for (const s of switches) {
    if (s.from !== 3 && s.to !== 3 && prob.switchLevel !== null) {
      const rel = Math.abs(s.theta - prob.switchLevel) / prob.switchLevel;
      if (rel > 1e-9) {
        throw new NumericalError("efficient: switch type", `Brent root ${s.theta} disagrees with the closed form θ_e = ${prob.switchLevel} (relative ${rel})`);
      }
    }
  }
  if (prob.switchLevel !== null) notes.push(`closed-form switch level θ_e = ${prob.switchLevel} (V_L = V_F)`);
  const breaks = [0, ...switches.map((s) => s.theta)];
  const at = (x: number) => solvePair(prob, x, c);
  const welfare = expectation(dist, (x) => at(x).value, breaks, "efficient: welfare ∫ V f");
  const leaderSpend = expectation(dist, (x) => L.cost * at(x).q1, breaks, "efficient: leader spending");
  const fringeSpend = expectation(dist, (x) => F.cost * at(x).q2, breaks, "efficient: fringe spending");
  const fringeOnlyShare = expectation(dist, (x) => (at(x).model === 2 ? 1 : 0), breaks, "efficient: fringe-only mass");
  const leaderOnlyShare = expectation(dist, (x) => (at(x).model === 1 ? 1 : 0), breaks, "efficient: leader-only mass");

  // Checks on the grid plus the switch types (u jumps there; see withExtraTypes).
  let checks = emptyChecks();
  if (!opts.scalarsOnly) {
    const ct = dist.discrete ? theta : withExtraTypes(theta, breaks);
    const cu = Float64Array.from(ct, (x) => at(x).u);
    const cTr = Float64Array.from(ct, (x) => { const ch = at(x); return L.cost * ch.q1 + F.cost * ch.q2; });
    checks = checkLinearMenu({
      theta: ct,
      t: cTr,
      alloc: cu,
      envelopeRate: (s) => at(s).u,
      thetaStar: dist.min < 0 ? 0 : null,
    });
  }
  const pointAt = (x: number): PointRecord => twoModelPoint(prob, x, x, solvePair(prob, x, emptyChoice()), null);
  const spend = leaderSpend + fringeSpend;
  return {
    market: "efficient",
    scalars: {
      profit: 0,
      consumerSurplus: welfare,
      welfare,
      thetaSwitch: switches.length > 0 ? switches[0].theta : null,
      thetaSwitches: switches.map((s) => s.theta),
      thetaSwitchClosedForm: prob.switchLevel,
      fringeOnlyShare,
      leaderOnlyShare,
      fringeSpendShare: spend > 0 ? fringeSpend / spend : 0,
      leaderSpend,
      fringeSpend,
    },
    ironing: [],
    pointAt,
    curves: { theta, columns: cols, order: [...TWO_MODEL_ORDER] },
    checks,
    certificate: closedFormCertificate("first best: every type's surplus maximized pointwise, marginal-cost prices (docs/model.md 2, 3a)"),
    solver: {
      method: "pointwise global two-model optimum (closed-form corners + interior critical point), marginal-cost pricing",
      converged: true,
      iterations,
      notes,
    },
  };
}

/** Curve columns shared by the two-model markets (efficient, multi-model monopolist). */
export type TwoModelColumns = {
  model: Float64Array;
  /** the weight a of the pointwise problem: θ (efficient) or h̄(θ) (monopolist) */
  weight: Float64Array;
  qL: Float64Array;
  qF: Float64Array;
  QL: Float64Array;
  QF: Float64Array;
  u: Float64Array;
  t: Float64Array;
  U: Float64Array;
  cost: Float64Array;
  fee: Float64Array;
};
export const TWO_MODEL_ORDER = ["model", "weight", "qL", "qF", "QL", "QF", "u", "t", "U", "cost", "fee"];

export function twoModelColumns(n: number): TwoModelColumns {
  const f = () => new Float64Array(n);
  return { model: f(), weight: f(), qL: f(), qF: f(), QL: f(), QF: f(), u: f(), t: f(), U: f(), cost: f(), fee: f() };
}

/** Row i at type θ for choice ch; marginal-cost pricing (t = cost) unless a transfer is given later. */
export function fillTwoModelRow(prob: TwoModelProblem, theta: number, a: number, ch: PairChoice, cols: TwoModelColumns, i: number): void {
  const [L, F] = prob.models;
  cols.model[i] = ch.model;
  cols.weight[i] = a;
  cols.qL[i] = ch.q1;
  cols.qF[i] = ch.q2;
  cols.QL[i] = Math.pow(ch.q1, L.eta);
  cols.QF[i] = Math.pow(ch.q2, F.eta);
  cols.u[i] = ch.u;
  cols.cost[i] = L.cost * ch.q1 + F.cost * ch.q2;
  cols.t[i] = cols.cost[i];
  cols.U[i] = theta * ch.u - cols.t[i];
  cols.fee[i] = 0;
}

/** One type's record; `t` = null means marginal-cost pricing. */
export function twoModelPoint(prob: TwoModelProblem, theta: number, a: number, ch: PairChoice, t: number | null): PointRecord {
  const [L, F] = prob.models;
  const cost = L.cost * ch.q1 + F.cost * ch.q2;
  const pay = t === null ? cost : t;
  return {
    theta,
    model: ch.model,
    qL: ch.q1,
    qF: ch.q2,
    QL: Math.pow(ch.q1, L.eta),
    QF: Math.pow(ch.q2, F.eta),
    u: ch.u,
    weight: a,
    t: pay,
    U: theta * ch.u - pay,
    cost,
    fee: pay - cost,
  };
}
