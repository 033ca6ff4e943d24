// Optimal monopoly menu of token budgets for a continuum of types (docs/model.md section 2,
// Proposition 2): Q(θ) = 0 where h̄(θ) ≤ 0, else C'(Q(θ)) = h̄(θ); rent U(θ) = ∫_{θ*}^θ Q;
// transfers t = θQ − U; budgets X(θ), Z(θ) cost-minimizing for Q(θ). Integrals are adaptive
// Gauss–Kronrod split at θ* and the ironing endpoints (the only kinks of Q), so every value,
// on the grid or at any θ through pointAt, is exact to ~1e-13 relative.

import { massBreaks } from "../engine/numerics/mass-breaks.js";
import { tailCappedScale } from "../engine/numerics/tail-capped-scale.js";
import { ironVirtualType, type IronedVirtualType } from "../engine/distributions/ironing.js";
import type { ContinuousDistribution } from "../engine/distributions/types.js";
import { NumericalError } from "../engine/errors.js";
import { aroundKinks, gridIndex, linspace, reportedTypes } from "../engine/grid.js";
import { brent } from "../engine/numerics/brent.js";
import { expectation } from "../engine/numerics/expectation.js";
import { integratePiecewise } from "../engine/numerics/piecewise-integral.js";
import { nextInside } from "../engine/numerics/quadrature.js";
import type { CostOfQuality } from "../engine/technology/types.js";
import { checkLinearMenu, KINK_CHECK_OFFSETS } from "./checks.js";
import { menuItemRecord } from "./menu-item.js";
import { oneModelScalars } from "./observables.js";
import { boundCertificate, closedFormCertificate, type Certificate, type Checks, type Curves, type MarketSolution, type PointRecord } from "./types.js";

export interface MonopolyOptions {
  gridPoints: number;
  /** skip curves and checks (sweeps keep scalars only) */
  scalarsOnly?: boolean;
}

// Density-weighted integrals may meet an integrable singularity of f at the support's ends.
const QUAD = { epsrel: 1e-13, epsabs: 0 };
const QUAD_F = { epsrel: 1e-13, epsabs: 0, endpoints: true };

/**
 * The lowest served type where h̄ jumps across 0 at the support's start or at one of `points`
 * (a kink of the law, an ironed interval's start) below Brent's root: that point exactly, read
 * just below and just above it (at the point itself h̄ may be the lower interval's level). Brent's root lies a few ulps above
 * such a jump, and next to an infinite density (a Beta component with a < 1 starting there) those
 * ulps hold mass (monopoly: 1.35e-7 and, r2_33, 2.1e-5 of profit left unserved; the multi-model
 * monopolist of the random scan, seed 7 market 46, 6.2e-9 uncertified).
 */
export function snapToJumpAcrossZero(root: number, points: readonly number[], g: (t: number) => number, lo: number, hi: number): number {
  // The support's own start too, where h̄ ≤ 0 at the point itself only: a density 0 at θ_min but
  // not just above it (Beta(1 + 2e-16, 2): h = −∞ there); Brent's root, 25 ulps up, left 1.1e-10
  // of a support 3e-6 wide unserved, 2.3e-10 of the profit. (Only for a root within rounding of
  // θ_min: a law starting at 0 is not evaluated at 5e-324, where a value–scale law cannot be.)
  if (lo < root && root - lo <= 64 * Number.EPSILON * Math.max(Math.abs(lo), Math.abs(root)) && g(nextInside(lo, hi)) > 0) return lo;
  let t = root;
  for (const c of points) if (c > lo && c < t && g(nextInside(c, hi)) > 0 && !(g(nextInside(c, lo)) > 0)) t = c;
  return t;
}

export function solveMonopolyContinuous(
  dist: ContinuousDistribution,
  cost: CostOfQuality,
  opts: MonopolyOptions,
): MarketSolution {
  const lo = dist.min;
  const hi = dist.max;
  const ironed = ironVirtualType(dist);
  const hbar = ironed.value;
  const notes = [...ironed.notes];

  // Lowest served type θ* = inf{θ : h̄(θ) > 0}; h̄ is nondecreasing, so one bracket suffices.
  const hClamped = (t: number) => Math.max(-1e300, hbar(t));
  let thetaStar: number;
  let iterations = 0;
  if (hClamped(lo) > 0) thetaStar = lo;
  else if (hClamped(hi) <= 0) {
    thetaStar = hi;
    notes.push("h̄ ≤ 0 on the whole support: no type is served");
  } else {
    const r = brent(hClamped, lo, hi, { where: "monopoly: lowest served type θ*" });
    thetaStar = r.root;
    iterations = r.iterations;
    // (where h̄ jumps across 0 at a mixture component's end or an ironed interval's start, θ* is
    // that point exactly: snapToJumpAcrossZero)
    thetaStar = snapToJumpAcrossZero(thetaStar, [...(dist.kinks ?? []), ...ironed.intervals.map(([a]) => a)], hClamped, lo, hi);
  }

  const Q = (t: number): number => {
    if (t < thetaStar) return 0;
    const p = hbar(t);
    if (!(p > 0)) return 0;
    const q = cost.qualityForMarginalCost(p);
    if (!Number.isFinite(q)) throw new NumericalError(`monopoly: quality at θ=${t}`, `C'(Q) = ${p} gave Q = ${q}`);
    return q;
  };
  const Qe = (t: number): number => (t > 0 ? cost.qualityForMarginalCost(t) : 0);
  // Q jumps where h̄ does: at θ*, at the ends of the ironed intervals, and at the law's kinks
  // where the density jumps (a mixture component's end). Without the kinks the rents integrated
  // across such a jump were off by 2.7e-8 (a random mixture, seed 7 market 6), which the envelope
  // check saw once it also looked at the types beside the kink.
  // (and where a support far wider than its mass needs them: mass-breaks.ts)
  const breaks: number[] = [thetaStar, ...[...(dist.kinks ?? []), ...massBreaks(dist)].filter((k) => k > lo && k < hi)];
  for (const [a, b] of ironed.intervals) breaks.push(a, b);
  // and where Q has a kink because C'' jumps (a baseline technology's switch to fine-tuning):
  // the type whose h̄ is that marginal cost (h̄ is nondecreasing: one bracket)
  for (const p of cost.marginalCostKinks ?? []) {
    if (!(hClamped(thetaStar) < p && p < hClamped(hi))) continue;
    breaks.push(brent((t) => hClamped(t) - p, thetaStar, hi, { where: "monopoly: the type where fine-tuning starts" }).root);
  }
  breaks.sort((x, y) => x - y);
  const start = thetaStar;

  // Scalars: virtual surplus (valid with h̄ because Q is constant where h̄ ≠ h), rents by
  // parts (∫ U f = ∫ Q (1 − F)), welfare directly — so profit + CS = welfare is a real check.
  const profit = expectation(
    dist,
    (t) => {
      const q = Q(t);
      return q === 0 ? 0 : hbar(t) * q - cost.cost(q);
    },
    breaks,
    "monopoly: profit ∫ (h̄Q − C(Q)) f",
    0,
    start,
    hi,
  );
  // (no closer than 1e-16 of the transfers θQ, whose rounding that is, as the rents below: on a
  // support 3e-7 of its location wide the rents are that small a share of them, Q near the
  // bottom is known to ~1e-9, and the integral could not reach 1e-13 of its own value)
  const transferTop = tailCappedScale(dist, (t) => Math.abs(t) * Q(t), Math.abs(hi) * Q(hi));
  const transferScale = transferTop < Infinity ? transferTop : 0;
  const consumerSurplus = integratePiecewise((t) => Q(t) * dist.sf(t), start, hi, breaks, {
    ...QUAD,
    epsabs: 1e-16 * transferScale,
    where: "monopoly: consumer surplus ∫ Q (1 − F)",
  });
  const welfare = expectation(
    dist,
    (t) => {
      const q = Q(t);
      return q === 0 ? 0 : t * q - cost.cost(q);
    },
    breaks,
    "monopoly: welfare ∫ (θQ − C(Q)) f",
    0,
    start,
    hi,
  );
  const efficientWelfare = expectation(
    dist,
    (t) => {
      const q = Qe(t);
      return q === 0 ? 0 : t * q - cost.cost(q);
    },
    // (Qᵉ has a kink where θ is a marginal cost at which C'' jumps: engine/technology/types.ts)
    [0, ...(cost.marginalCostKinks ?? [])],
    "monopoly: efficient welfare ∫ (θQᵉ − C(Qᵉ)) f",
  );
  const identityGap = Math.abs(profit + consumerSurplus - welfare);
  if (identityGap > 1e-10 * Math.max(Math.abs(welfare), 1e-300)) {
    notes.push(`profit + consumer surplus differs from welfare by ${identityGap.toExponential(3)}`);
  }
  // With ironing, `profit` is the ironed virtual surplus ∫ max_Q (h̄Q − C(Q)) f, an upper bound on
  // the profit of every mechanism when H̄ ≤ H (certificate below); the menu's own profit is
  // welfare − consumer surplus (envelope transfers), computed independently of h̄.
  const certificate = ironed.intervals.length
    ? ironingCertificate(ironed, profit, welfare - consumerSurplus, Q(hi))
    : closedFormCertificate("Proposition 2 (pointwise maximum of the virtual surplus, h nondecreasing, docs/model.md 2)");

  const scalars: MarketSolution["scalars"] = {
    profit,
    consumerSurplus,
    welfare,
    thetaStar,
    kappa: Number.isFinite(cost.kappa) ? cost.kappa : null,
    eta: cost.eta,
    eX: Number.isFinite(cost.eX) ? cost.eX : null,
    eZ: Number.isFinite(cost.eZ) ? cost.eZ : null,
    servedShare: dist.sf(thetaStar),
    efficientWelfare,
    deadweightLoss: efficientWelfare - welfare,
  };
  const expectQ = (g: (Q: number) => number, where: string) =>
    expectation(dist, (t) => { const q = Q(t); return q === 0 ? 0 : g(q); }, breaks, `monopoly: ${where}`, 0, start, hi);
  Object.assign(scalars, oneModelScalars(cost, expectQ, profit, dist.sf(thetaStar)));

  // Grid: cumulative rents between neighbouring grid types. Rents are judged against the
  // largest rent (an absolute floor), not each tiny piece's own size: next to θ* a piece of
  // width 1e-14 holds a rent of 1e-16 whose 1e-13 relative accuracy nobody needs or can get.
  // (capped at the law's own scale: tail-capped-scale.ts). Nor stricter than the rounding of
  // a transfer θQ − U: on a support 1e-6 wide, Beta(5, 5), rents are ~1e-7 of θQ, Q's own
  // rounding (h = θ − (1 − F)/f cancels to 1e-9 of θ) is ~1e-8 of a rent, and a rent held to
  // 1e-16 of the largest one could not converge (a numerical failure), though its error of
  // ~1e-17 was 1e-16 of the transfers it enters and of the profit.
  const rentTop = Math.max((hi - start) * Q(hi), 1e-300);
  const rentScale = Math.max(hi > start ? tailCappedScale(dist, (t) => (t - start) * Q(t), rentTop) : rentTop, transferScale);
  const rentOpts = { ...QUAD_F, epsabs: 1e-16 * rentScale, where: "monopoly: rent U" };
  // A sweep point (scalarsOnly) of a law whose h is not known to be monotone is still checked, on
  // SWEEP_CHECK_POINTS types and the law's kinks: its menu comes from the ironing, and a wrong
  // decision there (a gap of the support taken for monotone h, until 7 Dec 2026) gave menus that
  // failed their checks in `lpe solve` while a sweep wrote them as `ok` (a reviewer's mixture).
  const checked = !opts.scalarsOnly || !dist.regular;
  const n = opts.scalarsOnly ? (checked ? Math.min(opts.gridPoints, SWEEP_CHECK_POINTS) : 2) : opts.gridPoints;
  // (the reported types as decimals where they are meant to be; a sweep point's checks on linspace)
  const theta = opts.scalarsOnly ? linspace(lo, hi, n) : reportedTypes(lo, hi, n);
  const Ug = new Float64Array(n);
  const Qg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    Qg[i] = Q(theta[i]);
    if (i > 0) {
      const a = Math.max(theta[i - 1], start);
      Ug[i] = Ug[i - 1] + (theta[i] > a ? integratePiecewise(Q, a, theta[i], breaks, rentOpts) : 0);
    }
  }
  const rentAt = (t: number): number => {
    if (t <= start) return 0;
    const k = gridIndex(theta, t);
    const a = Math.max(theta[k], start);
    return Ug[k] + (t > a ? integratePiecewise(Q, a, t, breaks, rentOpts) : 0);
  };

  const J = cost.tokenClasses.length;
  const K = cost.fineTuningClasses.length;
  const bx = new Float64Array(J);
  const bz = new Float64Array(K);
  const pointAt = (t: number): PointRecord => {
    if (!(t >= lo && t <= hi)) {
      throw new NumericalError("monopoly: evaluation", `θ = ${t} is outside the support [${lo}, ${hi}]`);
    }
    const q = Q(t);
    const U = rentAt(t);
    const tr = q === 0 ? 0 : t * q - U;
    const rec = menuItemRecord(cost, t, q, tr, U);
    rec.Qe = Qe(t);
    rec.h = dist.virtualType(t);
    rec.hbar = hbar(t);
    return rec;
  };

  let curves: Curves = { theta: new Float64Array(0), columns: {}, order: [] };
  let checks: Checks = emptyChecks();
  const tg = new Float64Array(n);
  for (let i = 0; i < n; i++) tg[i] = Qg[i] === 0 ? 0 : theta[i] * Qg[i] - Ug[i];
  if (!opts.scalarsOnly) {
    const cols = ["Q", "Qe", "t", "U", "fee", "markup", "marginalPrice", "h", "hbar"];
    const tokenCols = cost.tokenClasses.map((c) => `X.${c}`);
    const ftCols = cost.fineTuningClasses.map((c) => `Z.${c}`);
    const order = [...cols, ...tokenCols, ...ftCols];
    const columns: Record<string, Float64Array> = {};
    for (const c of order) columns[c] = new Float64Array(n);
    columns.t = tg;
    for (let i = 0; i < n; i++) {
      const t = theta[i];
      const q = Qg[i];
      const c = cost.cost(q);
      const tr = tg[i];
      columns.Q[i] = q;
      columns.Qe[i] = Qe(t);
      columns.U[i] = Ug[i];
      columns.fee[i] = tr - c;
      columns.markup[i] = q > 0 ? tr / c : NaN;
      columns.marginalPrice[i] = q > 0 ? t : NaN;
      columns.h[i] = dist.virtualType(t);
      columns.hbar[i] = hbar(t);
      if (J + K > 0) {
        cost.budgets(q, bx, bz);
        for (let j = 0; j < J; j++) columns[tokenCols[j]][i] = bx[j];
        for (let k = 0; k < K; k++) columns[ftCols[k]][i] = bz[k];
      }
    }
    curves = { theta, columns, order };
  }
  if (checked) {
    // checked on the grid and on both sides of every kink of the law (KINK_CHECK_OFFSETS): a dip
    // of h narrower than a grid cell just past a component's end, left unironed, made a menu
    // that passed on 401 types fail on 20,001 (independent auditors' mixtures, 6 Dec 2026)
    const extra = aroundKinks(dist.kinks ?? [], KINK_CHECK_OFFSETS, theta[0], theta[n - 1]).filter((x) => theta[gridIndex(theta, x)] !== x);
    const all = Float64Array.from([...theta, ...extra]).sort();
    const ct = new Float64Array(all.length);
    const cq = new Float64Array(all.length);
    for (let i = 0, g = 0; i < all.length; i++) {
      if (g < n && all[i] === theta[g]) {
        ct[i] = tg[g];
        cq[i] = Qg[g++];
        continue;
      }
      const q = Q(all[i]);
      cq[i] = q;
      ct[i] = q === 0 ? 0 : all[i] * q - rentAt(all[i]);
    }
    checks = checkLinearMenu({
      theta: all,
      t: ct,
      alloc: cq,
      envelopeRate: Q,
      thetaStar: thetaStar > lo ? thetaStar : null,
      kinks: breaks,
    });
  }

  return {
    market: "monopoly",
    scalars,
    ironing: ironed.intervals,
    pointAt,
    curves,
    checks,
    certificate,
    solver: {
      method: ironed.intervals.length ? "closed form with ironing (hull of H refined by Brent)" : "closed form (h nondecreasing)",
      converged: true,
      iterations,
      notes,
    },
  };
}

/**
 * Optimality certificate of an ironed menu (docs/model.md 2), by weak duality rather than by
 * trusting the hull. With H(θ) = θ_min − θ(1 − F(θ)) = ∫ h dF and H̄ = ∫ h̄ dF, every incentive-
 * compatible menu (Q nondecreasing, U(θ_min) ≥ 0) earns
 *     ∫ (hQ − C(Q)) f − U(θ_min) ≤ ∫ (h̄Q − C(Q)) f − ∫ (H − H̄) dQ ≤ ∫ max_Q (h̄Q − C(Q)) f = B
 * as soon as H̄ ≤ H with equality at both ends (on each ironed interval, H̄ is the chord from
 * its left end with slope λ in F). B is `bound`, the menu's own profit `menuProfit`. The ironing
 * checks H − H̄ (IronedVirtualType.shortfall, sampled, with the mismatch at each interval's
 * right end); a shortfall δ weakens the bound by at most δ·Q(θ_max). The gap is
 * (B + δ·Q_max − menu)/menu: an interval's end found inexactly (an earlier version left one
 * 1e-4 off, 1.2e-12 of profit) shows here instead of passing as "exact".
 */
export function ironingCertificate(
  ironed: Pick<IronedVirtualType, "shortfall">,
  bound: number,
  menuProfit: number,
  qMax: number,
  argument = "Proposition 2 with ironing, docs/model.md 2",
): Certificate {
  const scale = Math.max(Math.abs(menuProfit), 1e-300);
  const gap = Math.max(0, bound + ironed.shortfall * qMax - menuProfit) / scale;
  return boundCertificate(
    gap,
    `ironed virtual surplus bound (weak duality with H̄ ≤ H checked on every ironed interval, shortfall ${ironed.shortfall.toExponential(2)}; ${argument})`,
  );
}

/** Types a sweep point of a law without monotone h is checked on (at most; and the law's kinks). */
export const SWEEP_CHECK_POINTS = 129;

export function emptyChecks(): Checks {
  return {
    icMaxGain: NaN,
    irMinSlack: NaN,
    envelopeMaxError: NaN,
    monotone: true,
    excludedZero: true,
    scale: NaN,
    tolerance: NaN,
    passed: true,
    skipped: true,
    failures: [],
  };
}
