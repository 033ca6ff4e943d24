// Leader vs competitive fringe with γ_F = 0: the explicit solution of docs/model.md 3c
// (Proposition 4) for a nondecreasing virtual type h with a single crossing of q^int and q̂.
//
// Pointwise maximization of ∫ (S − R) f gives three regions: fringe only below θ_low, the limit
// quality q̂ with binding participation on (θ_low, θ_high), q^int above θ_high.
//   θ_low  = (c_F/σ)(c_L/c_F)^(η_L(1−σ)/γ_L)              (closed form: c_F q̂^(η_L/σ) = c_L q̂),
//   θ_high = root of q^int(θ) = q̂(θ), by Brent on ln q^int − ln q̂ (increasing on {h > 0} under
//            θh'/h > σ(1−η_L)/((1−σ)η_L), checked here: for uniform types θh'/h = 2θ/(2θ−θ_max)
//            > 1 > σ(1−η_L)/((1−σ)η_L) because σ < η_L, so the root is unique);
//   empty middle region (θ_low ≥ θ_high): both equal the zero of the region-3 virtual value
//            V3 = h(q^η − q̂^η) − c_L(q − q̂) + c_F q̂^(η_L/σ) − c_L q̂ on [θ_high, θ_low]; V3 rises
//            there (dV3/dθ = h'(q^η − q̂^η) + η q̂^(η−1)(θ − h) q̂' ≥ 0), V3(θ_high) = V2 ≤ 0 ≤ V3(θ_low).
// The formulas hold for any c_F > 0 (also c_F ≥ c_L) and γ_L > 0; with γ_L = 0 the region-2 value
// (c_F − c_L)T has one sign, so θ_low is θ_min or +∞.
//
// Uniform types get every scalar and the rent R(θ) in closed form: all integrands are powers of
// θ or of h = 2θ − θ_max (times 1 − F, linear). The thresholds and scalars come from the batch
// kernel (leader-fringe-uniform-batch.ts, here with a batch of one point, the same code a sweep
// runs), R(θ) for the curves from uniformRent below. Differences of powers are formed as
// y^r·expm1(r·log1p((x−y)/y)) to keep full relative precision next to the thresholds. Other
// distributions use Brent's method and adaptive quadrature split at the thresholds
// (leader-fringe-menu.ts).

import type { ContinuousDistribution } from "../engine/distributions/types.js";
import { UniformDistribution } from "../engine/distributions/uniform.js";
import { ironVirtualType } from "../engine/distributions/ironing.js";
import { brent } from "../engine/numerics/brent.js";
import { NumericalError } from "../engine/errors.js";
import { emptyChecks } from "./monopoly-continuous.js";
import {
  buildMenu,
  interiorQuality,
  menuChecks,
  menuCurves,
  menuPoint,
  menuScalarsByQuadrature,
  region2Value,
  scalarRecord,
  type LeaderFringeMenu,
  type LeaderFringeModel,
  type MenuScalars,
  type MenuSegment,
} from "./leader-fringe-menu.js";
import { limitQuality } from "./fringe-top-up.js";
import { LF_UNIFORM_SCALARS, lfUniformColumns, NOT_CONVERGED, solveLfUniformBatch, SOLVED, type LfUniformScalar } from "./leader-fringe-uniform-batch.js";
import { closedFormCertificate, type MarketSolution } from "./types.js";

export interface ExplicitThresholds {
  thetaLow: number;
  thetaHigh: number;
  region2Empty: boolean;
  /** (c_F/σ)(c_L/c_F)^(η_L(1−σ)/γ_L), unclipped (±∞ when γ_L = 0) */
  thetaLowFormula: number;
  /** root of q^int = q̂ in the support (θ_max when q^int < q̂ throughout) */
  thetaHighRoot: number;
  iterations: number;
}

export type Applicability = { ok: true; notes: string[] } | { ok: false; reason: string };

const zeros = new WeakMap<ContinuousDistribution, number | null>();

/** Zero of the nondecreasing virtual type on the support (θ_min if h > 0 there, null if h ≤ 0);
 *  computed once per distribution object (a sweep over market parameters shares one). */
export function virtualTypeZero(dist: ContinuousDistribution): number | null {
  const known = zeros.get(dist);
  if (known !== undefined) return known;
  const z = computeVirtualTypeZero(dist);
  zeros.set(dist, z);
  return z;
}

function computeVirtualTypeZero(dist: ContinuousDistribution): number | null {
  const { min, max } = dist;
  if (dist instanceof UniformDistribution) return max > 0 ? Math.max(min, max / 2) : null;
  const h = (t: number) => dist.virtualType(t);
  if (h(min) > 0) return min;
  if (!(h(max) > 0)) return null;
  // h is −∞ where f = 0 < 1 − F (a beta density at θ_min): take the first type above θ_min,
  // on a geometric ladder 2^−52 … 2^−1 of the width, where h is finite.
  let lo = min;
  for (let k = 52; k >= 1 && !Number.isFinite(h(lo)); k--) lo = min + (max - min) * Math.pow(2, -k);
  if (!Number.isFinite(h(lo))) return null;
  if (h(lo) > 0) return min;
  return brent(h, lo, max, { where: "leader–fringe: zero of the virtual type" }).root;
}

/** ln q^int − ln q̂ (−∞ where h ≤ 0). */
function logGap(model: LeaderFringeModel, theta: number): number {
  const h = model.hbar(theta);
  if (!(h > 0)) return -Infinity;
  const e = model.market.etaL;
  return Math.log((e * h) / model.cL) / (1 - e) - Math.log(limitQuality(theta, model.market));
}

const GAP_SAMPLES = 513;
const rises = new WeakMap<ContinuousDistribution, Map<string, boolean>>();

/**
 * Does ln q^int − ln q̂ = r1 ln(η_L h/c_L) − (σ/((1−σ)η_L)) ln(θσ/c_F) rise on 512 sampled types
 * above the zero hz of h? The costs only shift it, so the answer depends on the distribution,
 * σ and η_L alone and is kept per distribution (a sweep over costs samples once).
 */
function gapRises(model: LeaderFringeModel, hz: number): boolean {
  const m = model.market;
  const d = model.dist;
  const key = `${m.sigma} ${m.etaL}`;
  let byModel = rises.get(d);
  if (!byModel) rises.set(d, (byModel = new Map()));
  const known = byModel.get(key);
  if (known !== undefined) return known;
  const r1 = 1 / (1 - m.etaL);
  const pq = m.sigma / ((1 - m.sigma) * m.etaL);
  let prev = -Infinity;
  let rising = true;
  for (let j = 1; j < GAP_SAMPLES; j++) {
    const th = hz + ((d.max - hz) * j) / (GAP_SAMPLES - 1);
    const h = model.hbar(th);
    const g = h > 0 ? r1 * Math.log(h) - pq * Math.log(th) : -Infinity;
    if (!(g > prev)) rising = false;
    prev = g;
  }
  byModel.set(key, rising);
  return rising;
}

/**
 * Can the explicit formulas be used? Needs γ_F = 0, h nondecreasing and a single crossing of
 * q^int and q̂. For uniform types both hold analytically; otherwise h is checked by the ironing
 * scan and the crossing by sampling ln q^int − ln q̂ on 513 types where h > 0 (it must rise).
 */
export function explicitApplicability(model: LeaderFringeModel): Applicability {
  const m = model.market;
  const d = model.dist;
  if (m.etaF !== m.sigma) return { ok: false, reason: `γ_F = ${Number((m.etaF - m.sigma).toPrecision(12))} > 0: the top-up problem has no closed form` };
  if (d instanceof UniformDistribution) {
    if (d.min < 0) return { ok: false, reason: "types below 0: the uniqueness argument needs θ ≥ 0" };
    return { ok: true, notes: ["uniform types: h = 2θ − θ_max is increasing and θh'/h > 1 > σ(1−η_L)/((1−σ)η_L), so θ_high is unique"] };
  }
  // A gap between a mixture's components (no density there, h = −∞) breaks the explicit path's
  // root finding, which assumes h finite and nondecreasing on the support: an auditor's market
  // with a uniform component below a gap and h < 0 there ended in "numerical failure: zero of the
  // virtual type: function is not finite" (L4_01). The general path handles gaps.
  const gap = densityGap(d);
  if (gap) return { ok: false, reason: `the law has no density on (${gap[0].toPrecision(6)}, ${gap[1].toPrecision(6)}), a gap between its components, where h = −∞` };
  if (!d.regular) {
    const ir = ironVirtualType(d);
    if (ir.intervals.length > 0) {
      return { ok: false, reason: `h is not monotone (ironed on ${ir.intervals.map(([x, y]) => `[${x.toPrecision(6)}, ${y.toPrecision(6)}]`).join(", ")})` };
    }
  }
  const hz = virtualTypeZero(d);
  if (hz === null) return { ok: true, notes: ["h ≤ 0 on the support: q^int = 0, no region 3"] };
  if (!gapRises(model, hz)) {
    const roots: number[] = [];
    let prevSign = -1;
    for (let j = 1; j < GAP_SAMPLES; j++) {
      const th = hz + ((d.max - hz) * j) / (GAP_SAMPLES - 1);
      const sign = logGap(model, th) > 0 ? 1 : -1;
      if (sign !== prevSign) roots.push(th);
      prevSign = sign;
    }
    return {
      ok: false,
      reason: `the uniqueness condition θh'/h > σ(1−η_L)/((1−σ)η_L) fails on (${hz.toPrecision(6)}, ${d.max}]; sign changes of q^int − q̂ near ${roots.length ? roots.map((r) => r.toPrecision(6)).join(", ") : "none"}`,
    };
  }
  return { ok: true, notes: [`h nondecreasing and ln q^int − ln q̂ rising on 512 sampled types above h = 0 (θ = ${hz.toPrecision(6)})`] };
}

/** The first gap of the support, (a, b) with no density between a law's kinks, or null: the
 *  density is sampled at the middle of each stretch between consecutive kinks (a component's
 *  ends), where a gap between components is 0 throughout. */
export function densityGap(d: ContinuousDistribution): [number, number] | null {
  const ks = [d.min, ...(d.kinks ?? []).filter((k) => k > d.min && k < d.max), d.max].sort((a, b) => a - b);
  for (let i = 0; i + 1 < ks.length; i++) {
    const [a, b] = [ks[i], ks[i + 1]];
    // no mass between the kinks, not merely a density that underflows at the midpoint (an
    // exponential on [0, 1e7] read as a gap on (0, 1e7), went to the general path and was
    // certified at a profit of 0 for 0.1185: an independent checker's)
    if (b > a && d.pdf(0.5 * (a + b)) === 0 && !(d.cdf(b) - d.cdf(a) > 1e-14)) return [a, b];
  }
  return null;
}

/** θ_low, θ_high of Proposition 4 (the model must pass explicitApplicability). */
export function explicitThresholds(model: LeaderFringeModel): ExplicitThresholds {
  const m = model.market;
  const { min, max } = model.dist;
  const sigma = m.sigma;
  const eta = m.etaL;
  const gammaL = eta - sigma;
  const cF = m.cF;
  const cL = model.cL;
  let iterations = 0;

  const thetaLowFormula =
    gammaL > 0 ? (cF / sigma) * Math.pow(cL / cF, (eta * (1 - sigma)) / gammaL) : cF > cL ? -Infinity : Infinity;

  // θ_high: q^int = q̂, where h > 0
  let thetaHighRoot = max;
  const hz = virtualTypeZero(model.dist);
  if (hz !== null) {
    const G = (t: number) => logGap(model, t);
    if (hz === min && G(min) >= 0) thetaHighRoot = min;
    else if (G(max) > 0) {
      // G → −∞ as h → 0⁺ and G rises: halve the step above the zero of h until G < 0 is finite.
      let lo = hz;
      const below = (t: number) => {
        const g = G(t);
        return Number.isFinite(g) && g < 0;
      };
      let found = below(lo);
      for (let w = max - hz; !found && w > 0; ) {
        w *= 0.5;
        lo = hz + w;
        found = below(lo);
      }
      if (found) {
        const r = brent(G, lo, max, { where: "leader–fringe: θ_high (q^int = q̂)" });
        thetaHighRoot = r.root;
        iterations += r.iterations;
      } else {
        // G ≥ 0 at every type above the zero of h, down to the next double: that zero is θ_high.
        // (h's zero rounds to θ_min where the density is 0 there alone: Beta(1 + 1e-12, 1) on
        // [3, 4] has h(3) = −∞ and G > 0 from the next double up; the bracket [θ_min, θ_max]
        // failed as "not finite at the bracket ends", exit 1: an independent checker's)
        thetaHighRoot = hz;
      }
    } else if (G(max) === 0) thetaHighRoot = max;
  }

  let thetaLow: number;
  let thetaHigh: number;
  let region2Empty: boolean;
  if (thetaLowFormula < thetaHighRoot) {
    thetaLow = Math.min(Math.max(thetaLowFormula, min), max);
    thetaHigh = thetaHighRoot;
    region2Empty = !(thetaHigh > thetaLow);
  } else {
    // Empty middle region: the cut-off is the zero of V3 on [θ_high, min(θ_low, θ_max)].
    const V3 = (t: number) => region3Value(model, t);
    const hi = Math.min(thetaLowFormula, max);
    const lo = thetaHighRoot;
    let cut: number;
    if (!(hi > lo)) cut = lo;
    else if (V3(hi) <= 0) cut = hi; // only when θ_low > θ_max: nobody buys from the leader
    else if (V3(lo) >= 0) cut = lo;
    else {
      const r = brent(V3, lo, hi, { where: "leader–fringe: cut-off of the empty middle region (V3 = 0)" });
      cut = r.root;
      iterations += r.iterations;
    }
    thetaLow = cut;
    thetaHigh = cut;
    region2Empty = true;
  }
  return { thetaLow, thetaHigh, region2Empty, thetaLowFormula, thetaHighRoot, iterations };
}

/** V3(θ) = h(q^η − q̂^η) − c_L(q − q̂) + V2(θ) at q = q^int (the region-3 virtual value). */
export function region3Value(model: LeaderFringeModel, theta: number): number {
  const e = model.market.etaL;
  const q = interiorQuality(model, theta);
  const qh = limitQuality(theta, model.market);
  const h = model.hbar(theta);
  return h * (Math.pow(q, e) - Math.pow(qh, e)) - model.cL * (q - qh) + region2Value(model, theta);
}

export function thresholdSegments(min: number, max: number, thetaLow: number, thetaHigh: number): MenuSegment[] {
  const segs: MenuSegment[] = [];
  if (thetaLow > min) segs.push({ from: min, to: thetaLow, region: 1 });
  if (thetaHigh > thetaLow) segs.push({ from: Math.max(thetaLow, min), to: thetaHigh, region: 2 });
  if (max > thetaHigh || segs.length === 0) segs.push({ from: Math.max(thetaHigh, min), to: max, region: 3 });
  return segs;
}

/** x^r − y^r (0 ≤ y ≤ x) without cancellation when x ≈ y. */
export function powDiff(x: number, y: number, r: number): number {
  if (!(y > 0) || x > 2 * y) return Math.pow(x, r) - (y > 0 ? Math.pow(y, r) : 0);
  return Math.pow(y, r) * Math.expm1(r * Math.log1p((x - y) / y));
}

// One point through the batch kernel: buffers reused by every single solve (no allocation).
const ONE = {
  n: 1,
  sigma: new Float64Array(1),
  etaL: new Float64Array(1),
  cL: new Float64Array(1),
  cF: new Float64Array(1),
  thetaMin: new Float64Array(1),
  thetaMax: new Float64Array(1),
};
const ONE_OUT = {
  values: new Float64Array(LF_UNIFORM_SCALARS.length),
  stride: LF_UNIFORM_SCALARS.length,
  columns: lfUniformColumns(LF_UNIFORM_SCALARS),
  code: new Uint8Array(1),
  iterations: new Int32Array(1),
};

/** θ ~ U[a, b], γ_F = 0: thresholds and scalars from the batch kernel (a batch of one). */
export function uniformSolution(model: LeaderFringeModel): { th: ExplicitThresholds; scalars: MenuScalars } {
  const m = model.market;
  ONE.sigma[0] = m.sigma;
  ONE.etaL[0] = m.etaL;
  ONE.cL[0] = model.cL;
  ONE.cF[0] = m.cF;
  ONE.thetaMin[0] = model.dist.min;
  ONE.thetaMax[0] = model.dist.max;
  solveLfUniformBatch(ONE, ONE_OUT);
  const code = ONE_OUT.code[0];
  if (code !== SOLVED) {
    throw new NumericalError(
      "leader–fringe (uniform types)",
      code === NOT_CONVERGED ? "the threshold equations did not converge" : "parameters outside the closed form's domain",
    );
  }
  const v = (name: LfUniformScalar) => ONE_OUT.values[LF_UNIFORM_SCALARS.indexOf(name)];
  const th: ExplicitThresholds = {
    thetaLow: v("thetaLow"),
    thetaHigh: v("thetaHigh"),
    region2Empty: v("region2Empty") === 1,
    thetaLowFormula: v("thetaLowFormula"),
    thetaHighRoot: v("thetaHighRoot"),
    iterations: ONE_OUT.iterations[0],
  };
  const scalars: MenuScalars = {
    profit: v("profit"),
    consumerSurplus: v("consumerSurplus"),
    rentOverOutsideOption: v("rentOverOutsideOption"),
    welfare: v("welfare"),
    fringeOnlyShare: v("fringeOnlyShare"),
    fringeSpend: v("fringeSpend"),
    leaderSpend: v("leaderSpend"),
    fringeSpendShare: v("fringeSpendShare"),
  };
  return { th, scalars };
}

/** θ ~ U[a, b], γ_F = 0: R(θ) = ∫_{θ_high}^θ (q^int^η − q̂^η) in closed form. */
export function uniformRent(model: LeaderFringeModel, thetaHigh: number): (theta: number) => number {
  const m = model.market;
  const sigma = m.sigma;
  const eta = m.etaL;
  const b = model.dist.max;
  const p1 = 1 / (1 - sigma);
  const kD = Math.pow(Math.pow(sigma / m.cF, p1), sigma); // u0' = kD θ^(p1−1)
  const r1 = 1 / (1 - eta); // q^int = kI h^r1
  const kIe = Math.pow(Math.pow(eta / model.cL, r1), eta);
  const t3 = thetaHigh;
  return (t: number): number => {
    if (!(t > t3)) return 0;
    return (kIe * powDiff(2 * t - b, 2 * t3 - b, r1)) / (2 * r1) - (kD * powDiff(t, t3, p1)) / p1;
  };
}

export interface ExplicitOptions {
  gridPoints: number;
  scalarsOnly?: boolean;
}

/** The explicit path (γ_F = 0, h nondecreasing, unique θ_high). */
export function solveLeaderFringeExplicit(model: LeaderFringeModel, opts: ExplicitOptions, notes: string[]): MarketSolution {
  const d = model.dist;
  const uniform = d instanceof UniformDistribution;
  const closed = uniform ? uniformSolution(model) : null;
  const th = closed ? closed.th : explicitThresholds(model);
  const segments = thresholdSegments(d.min, d.max, th.thetaLow, th.thetaHigh);
  const thresholds = { thetaLow: th.thetaLow, thetaHigh: th.thetaHigh, region2Empty: th.region2Empty };
  // The uniform path needs no rent quadrature: build the menu without it (sweeps stay cheap).
  let menu: LeaderFringeMenu | null = null;
  const getMenu = (): LeaderFringeMenu => (menu ??= buildMenu(model, segments, thresholds, uniform ? uniformRent(model, th.thetaHigh) : undefined));
  const scalars = closed ? closed.scalars : menuScalarsByQuadrature(getMenu());
  if (th.region2Empty) notes.push(`middle region empty: θ_low = θ_high = ${th.thetaLow} (zero of the region-3 virtual value)`);
  const record = scalarRecord(model.market, th, scalars);
  record.thetaLowFormula = th.thetaLowFormula;
  record.thetaHighRoot = th.thetaHighRoot;
  const solution: MarketSolution = {
    market: "leaderFringe",
    scalars: record,
    ironing: [],
    pointAt: (theta: number) => menuPoint(getMenu(), theta),
    curves: { theta: new Float64Array(0), columns: {}, order: [] },
    checks: emptyChecks(),
    certificate: closedFormCertificate("Proposition 4 (docs/model.md 3c): γ_F = 0, nondecreasing virtual type, one crossing of q^int and q̂"),
    solver: {
      method: uniform ? "explicit (Proposition 4, closed-form integrals for uniform types)" : "explicit (Proposition 4, adaptive quadrature)",
      converged: true,
      iterations: th.iterations,
      notes,
    },
  };
  if (!opts.scalarsOnly) {
    solution.curves = menuCurves(getMenu(), opts.gridPoints);
    solution.checks = menuChecks(getMenu(), solution.curves);
    if (!solution.checks.passed) notes.push(`checks failed: ${solution.checks.failures.join("; ")}`);
  }
  return solution;
}
