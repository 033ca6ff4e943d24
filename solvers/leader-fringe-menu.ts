// The leader's menu against a competitive fringe once its regions are known (docs/model.md 3c,
// Proposition 4), shared by the explicit and the general path: exact evaluation at any θ,
// grid curves, the scalars by adaptive quadrature, and the a-posteriori checks.
//
// A menu is a list of type segments, each with one allocation rule:
//   region 1: q_L = 0 (the buyer uses the fringe only, t = 0);
//   region 2: q_L = q̂(θ), the quality at which the rent over the outside option stops changing
//             (u_θ(θ, q̂) = u0'(θ)); price = the buyer's whole gain g(θ, q̂) = θq̂^η_L − u0(θ)
//             minus the rent carried in, R;
//   region 3: q_L = q^int(θ) = (η_L h̄(θ)/c_L)^(1/(1−η_L)) > q̂(θ), price from the envelope.
// The rent over the outside option is R(θ) = ∫ (u_θ(s, q_L(s)) − u0'(s)) ds from θ_min, which is
// q_L^η_L − q̂^η_L on region 3 and 0 elsewhere (nobody here buys below q̂), so R only grows on
// region-3 segments and is integrated there by adaptive Gauss–Kronrod, split at the kinks of h̄.
// Transfers t = u(θ, q_L) − u0 − R, U = u0 + R (the outside option included).
//
// Scalars use ∫ R f = ∫ R'(1 − F) (R(θ_min) = 0), so that profit = ∫ (g − c_L q_L) f − ∫ R f
// needs no nested integral. Welfare = profit + consumer surplus: the fringe prices at marginal
// cost and earns nothing, so this is the whole surplus net of both models' token costs.

import { aroundKinks, reportedTypes } from "../engine/grid.js";
import type { ContinuousDistribution } from "../engine/distributions/types.js";
import { NumericalError } from "../engine/errors.js";
import { integratePiecewise } from "../engine/numerics/piecewise-integral.js";
import { massBreaks, massSpan } from "../engine/numerics/mass-breaks.js";
import { meanMagnitude, SCALE_CAP, tailCappedScale } from "../engine/numerics/tail-capped-scale.js";
import type { QuadOptions } from "../engine/numerics/quadrature.js";
import { integrateVector, type VectorIntegrand, type VectorQuadOptions } from "../engine/numerics/quadrature-vector.js";
import { integrateBySubtraction } from "../engine/numerics/singular-density.js";
import { checkMenu, KINK_CHECK_OFFSETS } from "./checks.js";
import {
  fringeOnlyQuality,
  fringeTopUp,
  limitQuality,
  outsideOption,
  outsideOptionSlope,
  type FringeMarket,
  type TopUp,
} from "./fringe-top-up.js";
import type { Checks, Curves, PointRecord, ScalarValue } from "./types.js";

export interface LeaderFringeModel {
  readonly market: FringeMarket;
  /** leader's cost per unit of q_L */
  readonly cL: number;
  readonly dist: ContinuousDistribution;
  /** the virtual type that sets q^int: h, or the ironed h̄ */
  readonly hbar: (theta: number) => number;
  /** kinks of h̄ (ironing interval ends), ascending */
  readonly kinks: readonly number[];
  /** h̄ is the distribution's own virtual type (nothing ironed): a quadrature node that has f
   *  and 1 − F already takes h from them (dist.virtualTypeFrom) */
  readonly plainVirtualType?: boolean;
}

export type Region = 1 | 2 | 3;

export interface MenuSegment {
  from: number;
  to: number;
  region: Region;
  /** a region-3 segment's own allocation q_L(θ) instead of q^int (the participation-binding
   *  segments of the general path, leader-fringe-pooling.ts); its buyers may top up */
  quality?: (theta: number) => number;
  /** kinks of that allocation (its bunching ends): integration breakpoints */
  kinks?: readonly number[];
}

export interface LeaderFringeMenu {
  readonly model: LeaderFringeModel;
  readonly segments: readonly MenuSegment[];
  /** first type served by the leader (θ_max when nobody is) */
  readonly thetaLow: number;
  /** first type of region 3 (θ_max when there is none); = thetaLow when region 2 is empty */
  readonly thetaHigh: number;
  readonly region2Empty: boolean;
  /** segment ends and kinks inside the support, ascending (integration breakpoints) */
  readonly breaks: Float64Array;
  /** R at each segment's start (zeros when `rentOverride` is given): integrated on first use
   *  (rentAtSegmentStart), since the scalars (∫ R'(1 − F)) and a sweep's points never need it */
  rentAtStart?: Float64Array;
  /** a closed form of R(θ) that replaces the quadrature (uniform types) */
  readonly rentOverride?: (theta: number) => number;
}

export const COLUMNS = ["qL", "qF", "QL", "QF", "t", "U", "u0", "qhat", "R", "region"] as const;

/** q^int(θ) = (η_L h̄/c_L)^(1/(1−η_L)) where h̄ > 0, else 0. */
export function interiorQuality(model: LeaderFringeModel, theta: number): number {
  return interiorQualityFor(model, model.hbar(theta));
}

/** q^int for a given (virtual) type h: (η_L h / c_L)^(1/(1−η_L)), 0 where h ≤ 0 (3.14). */
export function interiorQualityFor(model: LeaderFringeModel, h: number): number {
  if (!(h > 0)) return 0;
  const e = model.market.etaL;
  return Math.pow((e * h) / model.cL, 1 / (1 - e));
}

/** g(θ, q̂) = θ q̂^η_L − u0(θ) = u0(θ) η_F/(1 − η_F): the region-2 price (no cancellation). */
export function limitGain(theta: number, m: FringeMarket): number {
  return (outsideOption(theta, m) * m.etaF) / (1 - m.etaF);
}

/** Region-2 virtual value V2 = g(θ, q̂) − c_L q̂ (docs/model.md: c_F q̂^(η_L/σ) − c_L q̂ when γ_F = 0). */
export function region2Value(model: LeaderFringeModel, theta: number): number {
  return limitGain(theta, model.market) - model.cL * limitQuality(theta, model.market);
}

/** Index of the segment holding θ. Region 1 keeps its right end, region 3 claims its left end. */
export function segmentIndex(segments: readonly MenuSegment[], theta: number): number {
  const n = segments.length;
  for (let k = 0; k < n; k++) {
    const s = segments[k];
    if (theta < s.to || k === n - 1) return k;
    if (theta === s.to) {
      if (s.region === 1) return k;
      return segments[k + 1].region === 3 ? k + 1 : k;
    }
  }
  return n - 1;
}

export function leaderQualityIn(model: LeaderFringeModel, region: Region, theta: number): number {
  if (region === 1) return 0;
  if (region === 2) return limitQuality(theta, model.market);
  return regionThreeQuality(model, theta);
}

/**
 * The rule of region 3, max(q̂, q^int(h̄)) (3.23): q^int where region 3 is what the restricted
 * class makes it. The floor matters only on a sliver of no mass where θ_high lies a few ulps below
 * a jump of h̄ (a component's start): there q^int was 0, the menu's item at those types was
 * "q_L = 0, no fringe top-up, t = −0.71" — a payment for nothing, an independent auditor's
 * lpe eval at θ = 0.9999999999999987 on a certified market — and now it is q̂, as in region 2.
 */
export function regionThreeQuality(model: LeaderFringeModel, theta: number): number {
  return Math.max(limitQuality(theta, model.market), interiorQuality(model, theta));
}

/** The leader's quality on a segment at θ. */
export function segmentQuality(model: LeaderFringeModel, seg: MenuSegment, theta: number): number {
  return seg.quality ? seg.quality(theta) : leaderQualityIn(model, seg.region, theta);
}

/** R'(θ) on region 3: q^int^η_L − q̂^η_L, or u_θ(θ, q(θ)) − u0'(θ) on a segment with its own
 *  allocation (fringe top-up included). */
function rentRate(model: LeaderFringeModel, theta: number, seg?: MenuSegment): number {
  if (seg?.quality) {
    const m = model.market;
    return fringeTopUp(theta, seg.quality(theta), m).uTheta - outsideOptionSlope(theta, m);
  }
  const e = model.market.etaL;
  const q = regionThreeQuality(model, theta);
  return Math.pow(q, e) - Math.pow(limitQuality(theta, model.market), e);
}

/** u(θ, q) − u0(θ) − c_L q… pieces of a region-3 type: its gross value of its own item. */
function ownValue(model: LeaderFringeModel, seg: MenuSegment, theta: number, q: number): number {
  const m = model.market;
  return seg.quality ? fringeTopUp(theta, q, m).u : theta * Math.pow(q, m.etaL);
}

// Rent integrands are smooth powers: 1e-13. Density-weighted scalars may carry an integrable
// singularity of f at a support end times a steep q^int (η_L near 1): 1e-12 there.
function quad(where: string, epsrel = 1e-13): QuadOptions {
  return { epsrel, epsabs: 1e-300, where, endpoints: true };
}

/**
 * Rent quadrature over [lo, hi] within segment s. The rent rate is a difference of two terms of
 * the size of u0' (the own item's marginal value and the outside option's), which nearly cancel
 * where the rent starts: there the rate is known only to ~1e-16 of those terms, and a relative
 * tolerance on a tiny rent asks for digits the difference does not have (a 4e-7-wide interval
 * of a 47,000-type grid bisected 2,000 times, its error 5.5e-23 of a rent of 3.7e-12, then
 * failed). So the tolerance is also absolute: 1e-14 of ∫ u0' over [lo, hi] (bounded by
 * (hi − lo)·u0'(hi), u0' increasing), which summed over the grid is 1e-14 of u0's range, far
 * below the 1e-9 of profit a certificate asks for. On a segment with its own allocation the
 * rent rises and falls back to 0, so its floor is against ∫ u0' over the whole segment.
 */
function rentQuad(model: LeaderFringeModel, s: MenuSegment, where: string, lo = s.from, hi = s.to): QuadOptions {
  const q = quad(where);
  const m = model.market;
  const slope = s.quality ? Math.abs(outsideOptionSlope(hi, m)) : Math.pow(limitQuality(hi, m), m.etaL);
  // (the scale of the rents on the whole segment, not on [lo, hi]: R(θ) a few micro-units above
  // the segment's start is 4e-13, and an unconverged piece 2e-12 wide there, error 7e-21, failed
  // the solve against a tolerance of 8e-24, an auditor's LFg8; R enters t = u − u0 − R beside
  // values of order u0)
  let epsabs = Number.isFinite(slope) ? 1e-14 * Math.max(0, hi - lo, s.to - s.from) * slope : 0;
  if (s.quality) epsabs = Math.max(epsabs, 1e-14 * (outsideOption(s.to, m) - outsideOption(s.from, m)));
  // (nor below the rounding of t itself, 1e-16 of u0: on a support 1e-6 wide, Beta(5, 5), the
  // segment's rents are 1e-8 of u0 and the density is known to ~1e-8 near the bottom, and a
  // rent held to 1e-14 of its own scale could not converge, for an error of 1e-17 of the profit)
  const u0 = Math.abs(outsideOption(hi, m));
  if (Number.isFinite(u0)) epsabs = Math.max(epsabs, 1e-16 * u0);
  // (capped on a support far wider than the law's mass, where the top type's u0 is 10^30 times
  // every rent and the rents came out as noise: an exponential on [0, 1e7] was certified at a
  // profit of 0 for 0.1185, an independent checker's; tail-capped-scale.ts)
  const cap = wideRentCap(model);
  if (cap !== undefined) epsabs = Math.min(epsabs, 1e-14 * cap);
  return { ...q, epsabs: Math.max(q.epsabs ?? 0, epsabs) };
}

const rentCaps = new WeakMap<LeaderFringeModel, number | undefined>();

/** On a wide support (mass-breaks.ts), SCALE_CAP times the law's mean of u0 + u0'·(the span of
 *  its mass): the largest rent tolerance's scale a rent of its buyers can need; else undefined. */
function wideRentCap(model: LeaderFringeModel): number | undefined {
  if (rentCaps.has(model)) return rentCaps.get(model);
  const d = model.dist;
  let cap: number | undefined;
  const mass = massSpan(d);
  if (mass) {
    const m = model.market;
    const span = mass[1] - mass[0];
    cap = SCALE_CAP * meanMagnitude(d, (t) => Math.abs(outsideOption(t, m)) + span * Math.abs(outsideOptionSlope(t, m)) + span * Math.pow(limitQuality(t, m), m.etaL));
    if (!(cap > 0 && Number.isFinite(cap))) cap = undefined;
  }
  rentCaps.set(model, cap);
  return cap;
}

/** Assemble a menu: validates the segments and collects the integration breakpoints. */
export function buildMenu(
  model: LeaderFringeModel,
  segments: MenuSegment[],
  thresholds: { thetaLow: number; thetaHigh: number; region2Empty: boolean },
  rentOverride?: (theta: number) => number,
): LeaderFringeMenu {
  const { min, max } = model.dist;
  if (segments.length === 0 || segments[0].from !== min || segments[segments.length - 1].to !== max) {
    throw new NumericalError("leader–fringe menu", `segments must cover [${min}, ${max}]`);
  }
  const br: number[] = [];
  for (const s of segments) {
    if (s.to > min && s.to < max) br.push(s.to);
    for (const k of s.kinks ?? []) if (k > min && k < max) br.push(k);
  }
  for (const k of model.kinks) if (k > min && k < max) br.push(k);
  // f jumps where a mixture component's support ends: split there too, so each piece is smooth
  for (const k of model.dist.kinks ?? []) if (k > min && k < max) br.push(k);
  // and where a support far wider than its mass needs them (mass-breaks.ts)
  for (const k of massBreaks(model.dist)) if (k > min && k < max) br.push(k);
  br.sort((x, y) => x - y);
  const breaks = Float64Array.from(br);
  const { thetaLow, thetaHigh, region2Empty } = thresholds;
  return { model, segments, breaks, rentOverride, thetaLow, thetaHigh, region2Empty };
}

/** R at the start of segment k (the rent integrated over the region-3 segments before it). */
function rentAtSegmentStart(menu: LeaderFringeMenu, k: number): number {
  if (!menu.rentAtStart) {
    const { model, segments, breaks } = menu;
    const starts = new Float64Array(segments.length);
    let R = 0;
    for (let j = 0; j < segments.length; j++) {
      starts[j] = R;
      const s = segments[j];
      if (s.region === 3 && s.to > s.from && !menu.rentOverride) {
        R += integratePiecewise((x) => rentRate(model, x, s), s.from, s.to, breaks, rentQuad(model, s, `leader–fringe: rent on [${s.from}, ${s.to}]`));
      }
    }
    menu.rentAtStart = starts;
  }
  return menu.rentAtStart[k];
}

/** R(θ) = ∫_{θ_min}^θ (u_θ(s, q_L(s)) − u0'(s)) ds, exact (adaptive quadrature). */
export function rentAt(menu: LeaderFringeMenu, theta: number): number {
  if (menu.rentOverride) return menu.rentOverride(theta);
  const k = segmentIndex(menu.segments, theta);
  const s = menu.segments[k];
  const R0 = rentAtSegmentStart(menu, k);
  if (s.region !== 3 || !(theta > s.from)) return R0;
  return R0 + integratePiecewise((x) => rentRate(menu.model, x, s), s.from, Math.min(theta, s.to), menu.breaks, rentQuad(menu.model, s, "leader–fringe: rent R(θ)", s.from, Math.min(theta, s.to)));
}

/** The menu at θ, evaluated from the formulas (no grid, no interpolation). */
export function menuPoint(menu: LeaderFringeMenu, theta: number): PointRecord {
  const model = menu.model;
  const m = model.market;
  const k = segmentIndex(menu.segments, theta);
  const seg = menu.segments[k];
  const region = seg.region;
  const u0 = outsideOption(theta, m);
  const qhat = limitQuality(theta, m);
  const R = region === 1 ? 0 : rentAt(menu, theta);
  let qL = 0;
  let qF = 0;
  let t = 0;
  if (region === 1) {
    qF = fringeOnlyQuality(theta, m);
  } else if (region === 2) {
    qL = qhat;
    t = limitGain(theta, m) - R;
  } else {
    qL = segmentQuality(model, seg, theta);
    if (seg.quality) qF = fringeTopUp(theta, qL, m).qF;
    t = ownValue(model, seg, theta, qL) - u0 - R;
  }
  return {
    theta,
    qL,
    qF,
    QL: Math.pow(qL, m.etaL),
    QF: Math.pow(qF, m.etaF),
    t,
    U: u0 + R,
    u0,
    qhat,
    R,
    region,
  };
}

/** The grid's curves (θ, qL, t) with the types around the law's kinks (KINK_CHECK_OFFSETS) merged in. */
function withKinkTypes(menu: LeaderFringeMenu, curves: Curves): Curves {
  const d = menu.model.dist;
  const grid = curves.theta;
  const lo = grid[0];
  const hi = grid[grid.length - 1];
  const extra = aroundKinks(d.kinks ?? [], KINK_CHECK_OFFSETS, lo, hi);
  if (extra.length === 0) return curves;
  const points = new Map<number, { qL: number; t: number }>();
  for (let j = 0; j < grid.length; j++) points.set(grid[j], { qL: curves.columns.qL[j], t: curves.columns.t[j] });
  for (const th of extra) if (!points.has(th)) {
    const p = menuPoint(menu, th);
    points.set(th, { qL: p.qL as number, t: p.t as number });
  }
  const theta = Float64Array.from(points.keys()).sort();
  return {
    ...curves,
    theta,
    columns: { ...curves.columns, qL: Float64Array.from(theta, (th) => points.get(th)!.qL), t: Float64Array.from(theta, (th) => points.get(th)!.t) },
  };
}

/** The menu on the reported types (linspace(min, max, n) as decimals: engine/grid.ts reportedTypes); R accumulated interval by interval (exact quadrature). */
export function menuCurves(menu: LeaderFringeMenu, n: number): Curves {
  const rent = menu.rentOverride;
  const model = menu.model;
  const m = model.market;
  const theta = reportedTypes(model.dist.min, model.dist.max, n);
  const columns: Record<string, Float64Array> = {};
  for (const c of COLUMNS) columns[c] = new Float64Array(n);
  const { qL, qF, QL, QF, t, U, u0, qhat, R, region } = columns;
  const segs = menu.segments;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const th = theta[i];
    const k = segmentIndex(segs, th);
    const reg = segs[k].region;
    if (rent) {
      acc = reg === 1 ? 0 : rent(th);
    } else if (i > 0) {
      acc += rentIncrement(menu, theta[i - 1], th);
    }
    const v0 = outsideOption(th, m);
    const qh = limitQuality(th, m);
    let q = 0;
    let f = 0;
    let price = 0;
    if (reg === 1) {
      f = fringeOnlyQuality(th, m);
    } else if (reg === 2) {
      q = qh;
      price = limitGain(th, m) - acc;
    } else {
      q = segmentQuality(model, segs[k], th);
      if (segs[k].quality) f = fringeTopUp(th, q, m).qF;
      price = ownValue(model, segs[k], th, q) - v0 - acc;
    }
    qL[i] = q;
    qF[i] = f;
    QL[i] = Math.pow(q, m.etaL);
    QF[i] = Math.pow(f, m.etaF);
    t[i] = price;
    U[i] = v0 + acc;
    u0[i] = v0;
    qhat[i] = qh;
    R[i] = acc;
    region[i] = reg;
  }
  return { theta, columns, order: [...COLUMNS] };
}

/** ∫_x^y R' over the region-3 parts of [x, y]. */
function rentIncrement(menu: LeaderFringeMenu, x: number, y: number): number {
  let sum = 0;
  for (const s of menu.segments) {
    if (s.region !== 3) continue;
    const lo = Math.max(x, s.from);
    const hi = Math.min(y, s.to);
    if (hi > lo) sum += integratePiecewise((z) => rentRate(menu.model, z, s), lo, hi, menu.breaks, rentQuad(menu.model, s, "leader–fringe: rent between grid types", lo, hi));
  }
  return sum;
}

export interface MenuScalars {
  profit: number;
  consumerSurplus: number;
  rentOverOutsideOption: number;
  welfare: number;
  fringeOnlyShare: number;
  fringeSpend: number;
  leaderSpend: number;
  fringeSpendShare: number;
}

/** Scalars by adaptive quadrature, split at every segment end and kink. Each segment's
 *  integrals ((3.20)–(3.21): profit, the rent ∫ R'(1 − F), the leader's and the fringe's quality, E[u0]
 *  on the segment) are one vector quadrature (quadrature-vector.ts): f(θ), 1 − F(θ) and q_L(θ)
 *  once per node for all of them, each integral to its own tolerance. */
export function menuScalarsByQuadrature(menu: LeaderFringeMenu): MenuScalars {
  const model = menu.model;
  const m = model.market;
  const d = model.dist;
  const cL = model.cL;
  const eta = m.etaL;
  const r1 = 1 / (1 - eta);
  const plain = model.plainVirtualType === true;
  const br = menu.breaks;
  let served = 0;
  let rent = 0;
  let leaderQ = 0;
  let fringeQ = 0;
  let fringeMass = 0;
  let outside = 0;
  const out = new Float64Array(5);
  const top: TopUp = { qF: 0, u: 0, uTheta: 0 };
  // Absolute floors of regions 1 and 2's integrals, for a segment whose integrals cannot reach
  // 1e-12 of their own value: 1e-15 of the quantity's scale over the whole law (its value at the
  // top, tail-capped). On a support 1e-6 wide (Beta(5, 5)) the density near the bottom is known
  // only to ~1e-8 relative (θ − min rounds to 1e-10 of the width), and region 1's piece of
  // 1.6e-8, 1e-6 of the fringe quality, could not converge: a numerical failure, for an error of
  // 1e-15 of the profit. Only then (a retry): a fringe share of 5e-13 would otherwise lose its
  // 1e-12 relative accuracy, which the batch kernel's agreement with this path is tested to.
  const floor = (phi: (x: number) => number) => {
    const scale = tailCappedScale(d, (x) => Math.abs(phi(x)), Math.abs(phi(d.max)));
    return scale > 0 && scale < Infinity ? FLOOR_REL * scale : 1e-300;
  };
  let floors1: number[] | undefined;
  let floors2: number[] | undefined;
  const region1Floors = () => (floors1 ??= [floor((x) => fringeOnlyQuality(x, m)), floor((x) => outsideOption(x, m))]);
  const region2Floors = () => {
    if (!floors2) {
      const u0Floor = floor((x) => outsideOption(x, m));
      floors2 = [Math.max(floor((x) => region2Value(model, x)), u0Floor), floor((x) => limitQuality(x, m)), u0Floor];
    }
    return floors2;
  };
  for (const s of menu.segments) {
    if (!(s.to > s.from)) continue;
    const place = `leader–fringe scalars on region ${s.region} [${s.from}, ${s.to}]`;
    if (s.region === 1) {
      fringeMass += d.cdf(s.to) - d.cdf(s.from);
      // [fringe quality, u0] × f
      const f: VectorIntegrand = (x, y) => {
        const p = d.pdf(x);
        y[0] = fringeOnlyQuality(x, m) * p;
        y[1] = outsideOption(x, m) * p;
      };
      integrateWeighted(d, f, 2, s.from, s.to, br, out, scalarQuad(place, REGION1_NAMES), ALL_DENSITY, region1Floors);
      fringeQ += out[0];
      outside += out[1];
    } else if (s.region === 2) {
      // [V2, q̂, u0] × f
      const f: VectorIntegrand = (x, y) => {
        const p = d.pdf(x);
        y[0] = region2Value(model, x) * p;
        y[1] = limitQuality(x, m) * p;
        y[2] = outsideOption(x, m) * p;
      };
      integrateWeighted(d, f, 3, s.from, s.to, br, out, scalarQuad(place, REGION2_NAMES), ALL_DENSITY, region2Floors);
      served += out[0];
      leaderQ += out[1];
      outside += out[2];
    } else {
      // [(u(θ, q_L) − u0 − c_L q_L) f, R'(1 − F), q_L f, q_F f, u0 f]
      const own = s.quality;
      const f: VectorIntegrand = own
        ? (x, y) => {
            const p = d.pdf(x);
            const q = own(x);
            const u0 = outsideOption(x, m);
            fringeTopUp(x, q, m, top);
            y[0] = (top.u - u0 - cL * q) * p;
            y[1] = (top.uTheta - outsideOptionSlope(x, m)) * d.sf(x);
            y[2] = q * p;
            y[3] = top.qF * p;
            y[4] = u0 * p;
          }
        : (x, y) => {
            const p = d.pdf(x);
            const S = d.sf(x);
            // q^int (interiorQuality), with h from the f and 1 − F of this node where h̄ = h
            const h = plain ? d.virtualTypeFrom(x, p, S) : model.hbar(x);
            // (the rule of region 3: at least q̂, regionThreeQuality)
            const q = Math.max(h > 0 ? Math.pow((eta * h) / cL, r1) : 0, limitQuality(x, m));
            const u0 = outsideOption(x, m);
            const qe = Math.pow(q, eta);
            y[0] = (x * qe - u0 - cL * q) * p;
            y[1] = (qe - Math.pow(limitQuality(x, m), eta)) * S;
            y[2] = q * p;
            y[3] = 0;
            y[4] = u0 * p;
          };
      const opts = scalarQuad(place, REGION3_NAMES);
      // the rent's absolute floor of rentQuad (segments with their own allocation)
      opts.epsabs = [1e-300, rentQuad(model, s, place).epsabs ?? 1e-300, 1e-300, 1e-300, 1e-300];
      integrateWeighted(d, f, 5, s.from, s.to, br, out, opts, REGION3_DENSITY);
      served += out[0];
      rent += out[1];
      leaderQ += out[2];
      fringeQ += out[3];
      outside += out[4];
    }
  }
  const profit = served - rent;
  const consumerSurplus = outside + rent;
  const fringeSpend = m.cF * fringeQ;
  const leaderSpend = cL * leaderQ;
  return {
    profit,
    consumerSurplus,
    rentOverOutsideOption: rent,
    welfare: profit + consumerSurplus,
    fringeOnlyShare: fringeMass,
    fringeSpend,
    leaderSpend,
    fringeSpendShare: spendShare(fringeSpend, leaderSpend),
  };
}

/** which components of a region's vector integrand are (something) × f: all but region 3's rent */
const ALL_DENSITY = [true, true, true, true, true];
const REGION3_DENSITY = [true, false, true, true, true];

/** integrateVector, and where it fails (an infinite density at a piece's end: the types within
 *  one ulp of it carry a mass no node resolves) the same pieces by subtraction
 *  (engine/numerics/singular-density.ts); `density`: which components are something × f. Where
 *  both fail and absolute `floors` are given, both again with those floors. */
function integrateWeighted(
  d: ContinuousDistribution,
  f: VectorIntegrand,
  m: number,
  from: number,
  to: number,
  br: ArrayLike<number>,
  out: Float64Array,
  opts: VectorQuadOptions,
  density: readonly boolean[],
  floors?: () => readonly number[],
): void {
  try {
    integrateVector(f, m, from, to, br, out, opts);
  } catch (e) {
    if (!(e instanceof NumericalError)) throw e;
    try {
      integrateBySubtraction(d, f, m, [from, ...Array.from(br).filter((x) => x > from && x < to), to], density, out, opts);
    } catch (e2) {
      if (!(e2 instanceof NumericalError) || !floors) throw e2;
      integrateWeighted(d, f, m, from, to, br, out, { ...opts, epsabs: floors() }, density);
    }
  }
}

const REGION1_NAMES = ["the fringe's quality", "E[u0]"];
const REGION2_NAMES = ["the served value", "the leader's quality", "E[u0]"];
const REGION3_NAMES = ["the served value", "the rent", "the leader's quality", "the fringe's quality", "E[u0]"];

/** floors of the density-weighted scalars, relative to each quantity's scale over the law */
const FLOOR_REL = 1e-15;

/** Density-weighted scalars: 1e-12 relative each (see `quad`), over the kinks' pieces. */
function scalarQuad(place: string, names: readonly string[]): VectorQuadOptions {
  return { epsrel: 1e-12, epsabs: 1e-300, endpoints: true, where: (k) => `${place}: ${names[k]}` };
}

export function spendShare(fringeSpend: number, leaderSpend: number): number {
  const total = fringeSpend + leaderSpend;
  return total > 0 ? fringeSpend / total : 0;
}

/** The scalar record (README "The result object") of a leader–fringe result. */
export function scalarRecord(
  market: FringeMarket,
  th: { thetaLow: number; thetaHigh: number; region2Empty: boolean },
  s: MenuScalars,
): Record<string, ScalarValue> {
  return {
    profit: s.profit,
    consumerSurplus: s.consumerSurplus,
    welfare: s.welfare,
    rentOverOutsideOption: s.rentOverOutsideOption,
    thetaLow: th.thetaLow,
    thetaHigh: th.thetaHigh,
    region2Empty: th.region2Empty,
    fringeOnlyShare: s.fringeOnlyShare,
    fringeSpend: s.fringeSpend,
    leaderSpend: s.leaderSpend,
    fringeSpendShare: s.fringeSpendShare,
    etaL: market.etaL,
    etaF: market.etaF,
  };
}

/**
 * docs/model.md section 5 on the grid, with the buyer's full utility: grossValue(θ, j) = u(θ, q_L,j)
 * with the optimal fringe top-up (so a type may take a smaller leader item and top it up),
 * outside option u0, envelope rate u_θ(s, q_L(s)) from the top-up solution at the menu's own
 * quality.
 */
export function menuChecks(menu: LeaderFringeMenu, gridCurves: Curves): Checks {
  const m = menu.model.market;
  // The output grid and, around every kink of the law inside the support (a component's end),
  // types at KINK_CHECK_OFFSETS, each evaluated from the formulas (menuPoint): a component whose
  // density falls to 0 with an infinite slope makes h dip just before its end, and a menu whose
  // allocation dipped there (total quality falling by 2.6e-4 over 1e-4, an IC gain of 4.9e-8) passed
  // the checks on 401 grid types and was certified (an independent auditor's market, 6 Dec 2026).
  const curves = withKinkTypes(menu, gridCurves);
  const qL = curves.columns.qL;
  const scratch: TopUp = { qF: 0, u: 0, uTheta: 0 };
  const a = menu.model.dist.min;
  // What IC orders is each type's total quality u_θ(θ, q_L), top-up included, not q_L: with
  // γ_F > 0 an IC menu may leave a type between two leader customers to the fringe alone (the
  // screening LP's finite menu on a random market, seed 10, market 22, did; it earns 0.2% more
  // than the restricted class and failed "allocation falls" until 6 Dec 2026).
  const rate = Float64Array.from(curves.theta, (theta, j) => fringeTopUp(theta, qL[j], m, scratch).uTheta);
  return checkMenu({
    theta: curves.theta,
    t: curves.columns.t,
    alloc: qL,
    monotoneRate: rate,
    grossValue: (theta, j) => fringeTopUp(theta, qL[j], m, scratch).u,
    outside: (theta) => outsideOption(theta, m),
    envelopeRate: (s) => {
      const k = segmentIndex(menu.segments, s);
      const q = segmentQuality(menu.model, menu.segments[k], s);
      return fringeTopUp(s, q, m, scratch).uTheta;
    },
    thetaStar: menu.thetaLow > a ? menu.thetaLow : null,
    // u_θ jumps at an empty-middle-region cut-off and has kinks at every region end and ironing end
    kinks: Array.from(menu.breaks),
  });
}
