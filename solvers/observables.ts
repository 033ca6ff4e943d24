// The observables economists measure in LLM markets (README "Observables"), added to a solved
// market's scalars and curves: token volumes by model and class, revenue and cost, each model's
// share of task tokens (the fringe's is the open-weight share), the leader's average price per
// task token and its ratio to the fringe's price, the served share, the mean and median payment,
// the token-weighted median price per task token, and the same prices in currency when the
// scenario has `units`. The definitions are the README table; this module is their one
// implementation.
//
// Why here and like this. Means are exact and cheap: volumes are linear in the quality variable
// q = Q^(1/η) for every power-law technology (engine/technology/token-units.ts), so the two-model
// markets get them from the spending scalars their solvers already integrate (E[q_ℓ] =
// spend_ℓ/c_ℓ), and one-model menus from one extra quadrature of q (oneModelScalars, called where
// those solvers assemble their scalars). Medians need each type's payment and tokens, i.e. the
// menu evaluated at many types, so they are computed only when asked for (every `lpe solve`; in
// sweeps and calibrations when they are outputs or targets), keeping sweep points at their cost.

import type { ContinuousDistribution, TypeDistribution } from "../engine/distributions/types.js";
import type { Scenario } from "../engine/scenario/spec-types.js";
import type { ModelCost } from "../engine/technology/model-cost.js";
import { tokenUnitsOf, type TokenUnits } from "../engine/technology/token-units.js";
import type { CostOfQuality } from "../engine/technology/types.js";
import type { MarketSolution, PointRecord, ScalarValue } from "./types.js";

/** Observables that need the menu at many types: computed only when asked for. */
export const MEDIAN_OBSERVABLES = ["medianPayment", "medianPricePerToken"] as const;

/** Money-valued scalars that get a currency twin `<name>InCurrency` when the scenario has `units`. */
export const MONEY_SCALARS = [
  "profit",
  "revenue",
  "cost",
  "leaderRevenue",
  "leaderCost",
  "fringeRevenue",
  "fringeCost",
  "averagePrice",
  "leaderAveragePrice",
  "fringePrice",
  "meanPayment",
  "medianPayment",
  "medianPricePerToken",
] as const;

export const CURRENCY_SUFFIX = "InCurrency";

/** Which costly observables to compute: all, or those named (outputs, targets). */
export type ObservableRequest = "all" | readonly string[];

export function wants(request: ObservableRequest, name: string): boolean {
  if (request === "all") return true;
  return request.includes(name) || request.includes(name + CURRENCY_SUFFIX);
}

type Scalars = Record<string, ScalarValue>;

const num = (s: Scalars, k: string): number => {
  const v = s[k];
  return typeof v === "number" ? v : NaN;
};
const ratio = (a: number, b: number): number | null => (b > 0 && Number.isFinite(a) ? a / b : null);

// ---------------------------------------------------------------- one model

/**
 * Volumes, cost and revenue of a one-model menu (monopoly, tiers, the first best). `expectQ(g)` is
 * E[g(Q(θ))] over all types with g(0) = 0 understood (the caller integrates over served types),
 * `profit` the menu's profit, `servedShare` the mass of served types.
 */
export function oneModelScalars(
  cost: CostOfQuality,
  expectQ: (g: (Q: number) => number, where: string) => number,
  profit: number,
  servedShare: number,
): Scalars {
  const units = tokenUnitsOf(cost);
  const out: Scalars = {};
  const J = units.taskClasses.length;
  const K = units.fineTuningClasses.length;
  let task: number;
  let fineTuning: number;
  let totalCost: number;
  const byX = new Float64Array(J);
  const byZ = new Float64Array(K);
  if (units.linear) {
    // Volumes and cost are linear in q = Q^(1/η): one quadrature gives them all.
    const Eq = expectQ((Q) => Math.pow(Q, 1 / units.eta), "observables: E[q]");
    task = Eq * units.taskTotalPerQ;
    fineTuning = Eq * units.fineTuningTotalPerQ;
    for (let j = 0; j < J; j++) byX[j] = Eq * units.taskPerQ[j];
    for (let k = 0; k < K; k++) byZ[k] = Eq * units.fineTuningPerQ[k];
    // C = κ q for every power-law technology.
    totalCost = Number.isFinite(cost.kappa) ? cost.kappa * Eq : expectQ((Q) => cost.cost(Q), "observables: E[C(Q)]");
  } else {
    const X = new Float64Array(J);
    const Z = new Float64Array(K);
    totalCost = expectQ((Q) => cost.cost(Q), "observables: E[C(Q)]");
    task = expectQ((Q) => units.volumes(Q).task, "observables: E[task tokens]");
    fineTuning = expectQ((Q) => units.volumes(Q).fineTuning, "observables: E[fine-tuning tokens]");
    for (let j = 0; j < J; j++) byX[j] = expectQ((Q) => (units.volumes(Q, X, Z), X[j]), `observables: E[X.${units.taskClasses[j]}]`);
    for (let k = 0; k < K; k++) byZ[k] = expectQ((Q) => (units.volumes(Q, X, Z), Z[k]), `observables: E[Z.${units.fineTuningClasses[k]}]`);
  }
  out.taskTokens = task;
  for (let j = 0; j < J; j++) out[`taskTokens.${units.taskClasses[j]}`] = byX[j];
  out.fineTuningTokens = fineTuning;
  for (let k = 0; k < K; k++) out[`fineTuningTokens.${units.fineTuningClasses[k]}`] = byZ[k];
  const revenue = profit + totalCost;
  out.cost = totalCost;
  out.revenue = revenue;
  out.averagePrice = ratio(revenue, task);
  out.servedShare = servedShare;
  out.meanPayment = ratio(revenue, servedShare);
  return out;
}

// ---------------------------------------------------------------- two models

export interface TwoModels {
  leader: ModelCost;
  fringe: ModelCost;
  leaderUnits: TokenUnits;
  fringeUnits: TokenUnits;
}

/** Mass of types that buy anything when every θ > 0 does (fringe at cost, the first best). */
function positiveMass(dist: TypeDistribution): number {
  return dist.min > 0 ? 1 : dist.sf(0);
}

/**
 * Observables of a two-model market from its spending scalars: E[q_ℓ] = spend_ℓ / c_ℓ, so volumes
 * and prices need no new integral. `market` is the regime (leaderFringe, efficient,
 * multiModelMonopoly); `s` its scalars, which gain the new ones.
 */
export function twoModelScalars(market: string, s: Scalars, m: TwoModels, dist: TypeDistribution): void {
  const leaderSpend = num(s, "leaderSpend");
  const fringeSpend = num(s, "fringeSpend");
  if (!Number.isFinite(leaderSpend) || !Number.isFinite(fringeSpend)) return;
  const profit = num(s, "profit");
  const qL = leaderSpend / m.leader.cost;
  const qF = fringeSpend / m.fringe.cost;
  const perModel = (role: "leader" | "fringe", u: TokenUnits, q: number): number => {
    const task = q * u.taskTotalPerQ;
    s[`${role}TaskTokens`] = task;
    u.taskClasses.forEach((c, j) => (s[`${role}TaskTokens.${c}`] = q * u.taskPerQ[j]));
    s[`${role}FineTuningTokens`] = q * u.fineTuningTotalPerQ;
    u.fineTuningClasses.forEach((c, k) => (s[`${role}FineTuningTokens.${c}`] = q * u.fineTuningPerQ[k]));
    return task;
  };
  const tL = perModel("leader", m.leaderUnits, qL);
  const tF = perModel("fringe", m.fringeUnits, qF);
  const total = tL + tF;
  s.taskTokens = total;
  s.fineTuningTokens = num(s, "leaderFineTuningTokens") + num(s, "fringeFineTuningTokens");
  s.leaderTokenShare = ratio(tL, total);
  s.fringeTokenShare = ratio(tF, total);
  s.leaderCost = leaderSpend;
  s.fringeCost = fringeSpend;
  s.cost = leaderSpend + fringeSpend;
  // A fringe model sells at marginal cost: its price per task token is a constant of the model.
  const fringePrice = m.fringe.cost / m.fringeUnits.taskTotalPerQ;
  if (market === "multiModelMonopoly") {
    // One seller owns both models: revenue is not split by model.
    s.revenue = profit + leaderSpend + fringeSpend;
  } else {
    const leaderRevenue = leaderSpend + (market === "leaderFringe" ? profit : 0);
    s.leaderRevenue = leaderRevenue;
    s.fringeRevenue = fringeSpend;
    s.revenue = leaderRevenue + fringeSpend;
    s.leaderAveragePrice = ratio(leaderRevenue, tL);
    s.fringePrice = fringePrice;
    const lp = s.leaderAveragePrice;
    s.priceRatio = typeof lp === "number" ? lp / fringePrice : null;
  }
  s.averagePrice = ratio(num(s, "revenue"), total);
  // (a sum of probabilities may pass 1 by an ulp: no negative share of buyers)
  if (market === "leaderFringe") s.leaderServedShare = Math.max(0, 1 - num(s, "fringeOnlyShare"));
  if (typeof s.servedShare !== "number") s.servedShare = positiveMass(dist);
  s.meanPayment = ratio(num(s, "revenue"), num(s, "servedShare"));
}

// ---------------------------------------------------------------- medians

/** A type's total payment (to every seller) and its task tokens (from every model). */
export type Outcome = (theta: number) => { payment: number; tokens: number };

/** The lower weighted median of atoms (the first value whose cumulative mass reaches half). */
function atomMedian(values: Float64Array, weights: Float64Array): number {
  const idx = Array.from({ length: values.length }, (_, i) => i).filter((i) => weights[i] > 0);
  if (idx.length === 0) return NaN;
  idx.sort((a, b) => values[a] - values[b]);
  let total = 0;
  for (const i of idx) total += weights[i];
  let cum = 0;
  for (const i of idx) {
    cum += weights[i];
    if (cum >= total / 2 * (1 - 1e-12)) return values[i];
  }
  return values[idx[idx.length - 1]];
}

/** Panels per piece of the quantile grid on which the medians are taken. */
export const MEDIAN_PANELS = 256;

/** Values v and masses per unit of u (d) at the midpoints of equal cells of width h. */
interface Piece {
  h: number;
  v: Float64Array;
  d: Float64Array;
}

/**
 * Served types on a quantile grid (u = F(θ)): pieces between the breakpoints, each split into
 * MEDIAN_PANELS equal cells evaluated at their midpoints (never at a kink or jump itself). A fixed
 * count per piece makes the nodes move continuously with the parameters.
 */
function quantileCells(dist: ContinuousDistribution, from: number, breaks: readonly number[]): { h: number; theta: Float64Array }[] {
  const u0 = dist.cdf(from);
  const cuts = [u0, ...breaks.filter((b) => b > from && b < dist.max).map((b) => dist.cdf(b)), 1]
    .sort((a, b) => a - b)
    .filter((u, i, a) => i === 0 || u > a[i - 1]);
  const out: { h: number; theta: Float64Array }[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const a = cuts[k];
    const h = (cuts[k + 1] - a) / MEDIAN_PANELS;
    out.push({ h, theta: Float64Array.from({ length: MEDIAN_PANELS }, (_, i) => dist.quantile(a + (i + 0.5) * h)) });
  }
  return out;
}

/**
 * Mass of {value ≤ m} when, inside each piece, the value and the mass density are linear in u
 * between cell midpoints (constant on the half cells at the piece's ends): continuous and
 * nondecreasing in m, exact to O(h²) for smooth values, and exact for a constant block.
 */
function massBelow(pieces: readonly Piece[], m: number): number {
  let g = 0;
  for (const { h, v, d } of pieces) {
    const n = v.length;
    if (v[0] <= m) g += (d[0] * h) / 2;
    if (v[n - 1] <= m) g += (d[n - 1] * h) / 2;
    for (let i = 0; i + 1 < n; i++) {
      const a = v[i];
      const b = v[i + 1];
      const full = (h * (d[i] + d[i + 1])) / 2;
      if (a <= m && b <= m) g += full;
      else if (a > m && b > m) continue;
      else {
        const s = (m - a) / (b - a);
        const left = h * (d[i] * s + ((d[i + 1] - d[i]) * s * s) / 2);
        g += a <= m ? left : full - left;
      }
    }
  }
  return g;
}

/** The m with massBelow(m) = half the total (bisection to rounding); NaN without mass. */
function levelMedian(pieces: readonly Piece[]): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of pieces) {
    for (let i = 0; i < p.v.length; i++) {
      if (p.d[i] > 0 || (i > 0 && p.d[i - 1] > 0) || (i + 1 < p.v.length && p.d[i + 1] > 0)) {
        lo = Math.min(lo, p.v[i]);
        hi = Math.max(hi, p.v[i]);
      }
    }
  }
  const total = massBelow(pieces, Infinity);
  if (!(total > 0) || !Number.isFinite(lo)) return NaN;
  const half = total / 2;
  if (massBelow(pieces, lo) >= half) return lo;
  for (let it = 0; it < 200 && hi - lo > 4e-16 * Math.max(Math.abs(lo), Math.abs(hi)); it++) {
    const mid = 0.5 * (lo + hi);
    if (massBelow(pieces, mid) >= half) hi = mid;
    else lo = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * medianPayment: the median of the total payment over served buyers (buyers who pay something),
 * exact (one evaluation at the median served type) when the payment rises with the type, which
 * incentive compatibility gives for one seller and the grid below confirms; otherwise the median
 * of the payment interpolated on the quantile grid.
 * medianPricePerToken: the token-weighted median of each buyer's average price per task token
 * (total payment over total task tokens): half of all task tokens are bought at an average price
 * at or below it. The price and the token mass are interpolated linearly in u = F(θ) between the
 * midpoints of 256 cells per piece between kinks, and the level where half the mass lies below is
 * found by bisection: O(h²) accurate, and continuous in the parameters (calibration needs that).
 */
export function medianScalars(
  dist: TypeDistribution,
  outcome: Outcome,
  servedFrom: number,
  breaks: readonly number[],
  request: ObservableRequest,
): Scalars {
  const out: Scalars = {};
  const wantPay = wants(request, "medianPayment");
  const wantPrice = wants(request, "medianPricePerToken");
  if (!wantPay && !wantPrice) return out;
  if (dist.discrete) {
    const n = dist.values.length;
    const pay = new Float64Array(n);
    const price = new Float64Array(n);
    const wPay = new Float64Array(n);
    const wTok = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const o = outcome(dist.values[i]);
      pay[i] = o.payment;
      price[i] = o.tokens > 0 ? o.payment / o.tokens : NaN;
      wPay[i] = o.payment > 0 ? dist.probs[i] : 0;
      wTok[i] = o.tokens > 0 ? dist.probs[i] * o.tokens : 0;
    }
    if (wantPay) out.medianPayment = nullIfNaN(atomMedian(pay, wPay));
    if (wantPrice) out.medianPricePerToken = nullIfNaN(atomMedian(price, wTok));
    return out;
  }
  const from = Math.max(dist.min, servedFrom);
  if (!(from < dist.max)) {
    if (wantPay) out.medianPayment = null;
    if (wantPrice) out.medianPricePerToken = null;
    return out;
  }
  const cells = quantileCells(dist, from, breaks);
  const payPieces: Piece[] = [];
  const pricePieces: Piece[] = [];
  let monotone = true;
  let prevPay = -Infinity;
  let firstPaying: number | undefined;
  let lastNonPaying: number | undefined;
  for (const { h, theta } of cells) {
    const n = theta.length;
    const pay = new Float64Array(n);
    const price = new Float64Array(n);
    const dPay = new Float64Array(n);
    const dTok = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const o = outcome(theta[i]);
      pay[i] = o.payment;
      const paid = o.payment > 0;
      dPay[i] = paid ? 1 : 0;
      dTok[i] = o.tokens > 0 ? o.tokens : 0;
      price[i] = o.tokens > 0 ? o.payment / o.tokens : NaN;
      if (paid && firstPaying === undefined) firstPaying = theta[i];
      if (!paid && firstPaying === undefined) lastNonPaying = theta[i];
      if (pay[i] < prevPay - 1e-12 * Math.abs(prevPay)) monotone = false;
      prevPay = pay[i];
    }
    // Cells without tokens carry no price: give them a neighbour's value (their mass is 0).
    for (let i = 0; i < n; i++) if (!Number.isFinite(price[i])) price[i] = i > 0 ? price[i - 1] : NaN;
    for (let i = n - 1; i >= 0; i--) if (!Number.isFinite(price[i])) price[i] = i + 1 < n ? price[i + 1] : 0;
    payPieces.push({ h, v: pay, d: dPay });
    pricePieces.push({ h, v: price, d: dTok });
  }
  if (wantPay) {
    if (firstPaying === undefined) out.medianPayment = null;
    else if (monotone) {
      // Payment rises with the type: the served buyers are the types above the first that pays,
      // and the median payment is the payment of their median type (exact, one evaluation).
      const lo = lastNonPaying === undefined ? from : refineFirstPaying(outcome, lastNonPaying, firstPaying);
      out.medianPayment = outcome(dist.quantile((dist.cdf(lo) + 1) / 2)).payment;
    } else out.medianPayment = nullIfNaN(levelMedian(payPieces));
  }
  if (wantPrice) out.medianPricePerToken = nullIfNaN(levelMedian(pricePieces));
  return out;
}

/** The first paying type between a non-paying type a and a paying type b (bisection). */
function refineFirstPaying(outcome: Outcome, a: number, b: number): number {
  let lo = a;
  let hi = b;
  for (let k = 0; k < 80 && hi - lo > 1e-15 * Math.max(1, Math.abs(hi)); k++) {
    const mid = 0.5 * (lo + hi);
    if (outcome(mid).payment > 0) hi = mid;
    else lo = mid;
  }
  return hi;
}

const nullIfNaN = (x: number): number | null => (Number.isFinite(x) ? x : null);

// ---------------------------------------------------------------- assembly

export interface ObservableContext {
  scenario: Scenario;
  dist: TypeDistribution;
  /** the technology's cost of quality (one-model markets) */
  cost?: CostOfQuality;
  /** the two models (several-model markets) */
  models?: TwoModels;
  request: ObservableRequest;
  /** add curve columns (the solution has curves) */
  curves: boolean;
}

const TWO_MODEL_MARKETS = ["leaderFringe", "efficient", "multiModelMonopoly"];

/** Types where a market's outcome has kinks or jumps (median grids are split there). */
function breakpoints(s: Scalars, ironing: readonly [number, number][], prefix = ""): number[] {
  const out: number[] = [];
  for (const k of ["thetaStar", "thetaLow", "thetaHigh", "thetaSwitch"]) {
    const v = s[prefix + k];
    if (typeof v === "number" && Number.isFinite(v)) out.push(v);
  }
  for (const k of ["thetaSwitches", "cuts"]) {
    const v = s[prefix + k];
    if (Array.isArray(v)) out.push(...v.filter(Number.isFinite));
  }
  for (const [a, b] of ironing) out.push(a, b);
  return out;
}

/** A type's payment and task tokens from its point record (keys prefixed in a comparison). */
function outcomeOf(market: string, ctx: ObservableContext, pointAt: (t: number) => PointRecord, prefix = ""): Outcome {
  const get = (r: PointRecord, k: string): number => {
    const v = r[prefix + k];
    return typeof v === "number" ? v : 0;
  };
  if (ctx.models && TWO_MODEL_MARKETS.includes(market)) {
    const { leaderUnits: uL, fringeUnits: uF, fringe } = ctx.models;
    const lf = market === "leaderFringe";
    return (t) => {
      const r = pointAt(t);
      const qL = get(r, "qL");
      const qF = get(r, "qF");
      return { payment: get(r, "t") + (lf ? fringe.cost * qF : 0), tokens: qL * uL.taskTotalPerQ + qF * uF.taskTotalPerQ };
    };
  }
  const units = tokenUnitsOf(ctx.cost as CostOfQuality);
  return (t) => {
    const r = pointAt(t);
    return { payment: get(r, "t"), tokens: units.volumes(get(r, "Q")).task };
  };
}

/** Where buyers start paying: θ* where the market has one, else the first positive type. */
function servedFrom(s: Scalars, dist: TypeDistribution, prefix = ""): number {
  const ts = s[prefix + "thetaStar"];
  if (typeof ts === "number" && Number.isFinite(ts)) return ts;
  const cuts = s[prefix + "cuts"];
  if (Array.isArray(cuts) && cuts.length > 0) return cuts[0];
  return Math.max(dist.min, 0);
}

/** Adds the observables to a solved market (scalars; curve columns when it has curves). */
export function addObservables(sol: MarketSolution, ctx: ObservableContext): void {
  const s = sol.scalars;
  const regimes = sol.market === "compare" ? ["efficient", "multiModelMonopoly", "leaderFringe"] : [sol.market];
  for (const regime of regimes) {
    const prefix = sol.market === "compare" ? `${regime}.` : "";
    if (ctx.models && TWO_MODEL_MARKETS.includes(regime)) {
      const sub: Scalars = {};
      for (const [k, v] of Object.entries(s)) if (k.startsWith(prefix)) sub[k.slice(prefix.length)] = v;
      twoModelScalars(regime, sub, ctx.models, ctx.dist);
      for (const [k, v] of Object.entries(sub)) s[prefix + k] = v;
    }
    if (!(ctx.models || ctx.cost)) continue;
    Object.assign(
      s,
      prefixed(
        medianScalars(ctx.dist, outcomeOf(regime, ctx, (t) => sol.pointAt(t), prefix), servedFrom(s, ctx.dist, prefix), breakpoints(s, sol.ironing, prefix), ctx.request),
        prefix,
      ),
    );
  }
  const units = ctx.scenario.units;
  if (units) {
    for (const k of Object.keys(s)) {
      const base = k.slice(k.lastIndexOf(".") + 1);
      const v = s[k];
      if ((MONEY_SCALARS as readonly string[]).includes(base) && (typeof v === "number" || v === null)) {
        s[k + CURRENCY_SUFFIX] = typeof v === "number" ? v * units.currencyPerCostUnit : null;
      }
    }
  }
  if (ctx.curves && sol.curves.theta.length > 0) addCurves(sol, ctx);
}

function prefixed(s: Scalars, prefix: string): Scalars {
  if (!prefix) return s;
  const out: Scalars = {};
  for (const [k, v] of Object.entries(s)) out[prefix + k] = v;
  return out;
}

// ---------------------------------------------------------------- curves

function addColumn(sol: MarketSolution, name: string, values: Float64Array): void {
  if (Object.hasOwn(sol.curves.columns, name)) return;
  // New objects, never a push: a solver's column list may be a shared constant (TWO_MODEL_ORDER),
  // and a push would leak columns into every later solve in the process.
  sol.curves = { ...sol.curves, columns: { ...sol.curves.columns, [name]: values }, order: [...sol.curves.order, name] };
}

/**
 * Curve columns: f and F (continuous types); per type the task tokens and price per task token.
 * One model: `taskTokens`, `averagePrice` (t over task tokens), `marginalPricePerToken` (the
 * tariff's slope dt/dX = θ dQ/dX, monopoly). Two models: `XL`, `XF` (task tokens from each model),
 * `payment`; leader–fringe adds `leaderAveragePrice` (t/X_L) and `leaderMarginalPrice` (the slope
 * of the leader's tariff per task token, u_q(θ, q_L)/k_L, continuous types).
 */
function addCurves(sol: MarketSolution, ctx: ObservableContext): void {
  const th = sol.curves.theta;
  const n = th.length;
  const col = sol.curves.columns;
  const d = ctx.dist;
  if (!d.discrete && sol.market !== "compare") {
    addColumn(sol, "f", Float64Array.from(th, (t) => d.pdf(t)));
    addColumn(sol, "F", Float64Array.from(th, (t) => d.cdf(t)));
  }
  if (ctx.models && TWO_MODEL_MARKETS.includes(sol.market) && col.qL && col.qF && col.t) {
    const { leaderUnits: uL, fringeUnits: uF, leader, fringe } = ctx.models;
    const lf = sol.market === "leaderFringe";
    const XL = Float64Array.from(col.qL, (q) => q * uL.taskTotalPerQ);
    const XF = Float64Array.from(col.qF, (q) => q * uF.taskTotalPerQ);
    const pay = new Float64Array(n);
    for (let i = 0; i < n; i++) pay[i] = col.t[i] + (lf ? fringe.cost * col.qF[i] : 0);
    addColumn(sol, "XL", XL);
    addColumn(sol, "XF", XF);
    addColumn(sol, "payment", pay);
    if (lf) {
      const sigma = ctx.scenario.technology.sigma;
      const eL = leader.eta;
      const eF = fringe.eta;
      const avg = new Float64Array(n);
      const marg = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const q = col.qL[i];
        avg[i] = q > 0 ? col.t[i] / XL[i] : NaN;
        if (q > 0 && !d.discrete) {
          // u_q = θ η_L S^(σ−1) q^(η_L/σ − 1) with S = q^(η_L/σ) + q_F^(η_F/σ) (the top-up at q).
          const S = Math.pow(q, eL / sigma) + Math.pow(col.qF[i], eF / sigma);
          marg[i] = (th[i] * eL * Math.pow(S, sigma - 1) * Math.pow(q, eL / sigma - 1)) / uL.taskTotalPerQ;
        } else marg[i] = NaN;
      }
      addColumn(sol, "leaderAveragePrice", avg);
      addColumn(sol, "leaderMarginalPrice", marg);
    }
    return;
  }
  if (ctx.cost && col.Q && col.t) {
    const units = tokenUnitsOf(ctx.cost);
    const X = Float64Array.from(col.Q, (Q) => units.volumes(Q).task);
    addColumn(sol, "taskTokens", X);
    addColumn(
      sol,
      "averagePrice",
      Float64Array.from(X, (x, i) => (x > 0 ? col.t[i] / x : NaN)),
    );
    if (sol.market === "monopoly" && !d.discrete) {
      const marg = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const Q = col.Q[i];
        if (!(Q > 0)) {
          marg[i] = NaN;
          continue;
        }
        // dt/dX = T'(Q)/X'(Q) with T'(Q) = θ (docs/model.md 2, implementation).
        let dXdQ: number;
        if (units.linear) dXdQ = (units.taskTotalPerQ / units.eta) * Math.pow(Q, 1 / units.eta - 1);
        else {
          const h = 1e-6 * Q;
          dXdQ = (units.volumes(Q + h).task - units.volumes(Q - h).task) / (2 * h);
        }
        marg[i] = th[i] / dXdQ;
      }
      addColumn(sol, "marginalPricePerToken", marg);
    }
  }
}
