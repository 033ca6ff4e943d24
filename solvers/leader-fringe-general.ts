// Leader vs competitive fringe, general path (docs/model.md 3c beyond Proposition 4): γ_F ≥ 0, any
// continuous type distribution (h possibly non-monotone), any number of crossings of q^int and q̂.
//
// Why this construction (Jullien 2000, type-dependent outside option):
// 1. The outside option is explicit for every γ_F: u0 = (1−η_F)θ^(1/(1−η_F))(η_F/c_F)^(η_F/(1−η_F))
//    (the fringe alone). A leader item q ≥ q_s(θ) is not topped up, so for it
//    u(θ, q) = θq^η_L: on such items the buyer's problem is linear in θ, and the rent over the
//    outside option R = U − u0 has R' = q^η_L − u0'(θ), which is ≥ 0 exactly when q ≥ q̂(θ) =
//    u0'(θ)^(1/η_L) (q_s < q̂ when γ_F > 0, q_s = q̂ when γ_F = 0; see fringe-top-up.ts).
// 2. Restrict the leader to allocations q(θ) ∈ {0} ∪ [q̂(θ), ∞), nondecreasing. Then R is
//    nondecreasing from R(θ_min) = 0, so participation can only bind on an initial segment, and
//    every such menu with envelope transfers is incentive compatible (downward deviations meet
//    u_θ(s, q(θ')) ≤ u_θ(s, q(s)): either q(θ') ≥ q̂(s), where u_θ rises in q, or q(θ') < q̂(s),
//    where the deviation's rent slope is negative; upward deviations take items ≥ q̂(s)).
//    With ∫ R f = ∫ R'(1 − F) the profit of a menu served from θ_c is
//        P(θ_c) = ∫_{θ_c}^{θ_max} [h Q − c_L Q^(1/η_L)] f dθ − (1 − F(θ_c)) u0(θ_c),  Q = q^η_L,
//    maximized over Q nondecreasing with Q ≥ Q̂ = u0': for fixed θ_c the pointwise/ironed
//    solution Q = max(Q̂, Q*(h̄)), i.e. q = max(q̂, q^int) with q^int from the ironed virtual
//    type h̄ (isotonic regression with a nondecreasing lower bound keeps this form unless an
//    ironing interval is partly bound by q̂, which is reported), and θ_c maximizes the tail
//    integral P, i.e. sits where the marginal virtual value
//        V(θ) = h(Q − Q̂) − c_L(q − q̂) + g(θ, q̂) − c_L q̂        (raw h)
//    turns from negative to positive: every such crossing (found on a 4097-type scan, refined by
//    Brent) and both ends are candidates, and the one with the largest P (quadrature) wins.
//    With γ_F = 0, h nondecreasing and one crossing this is exactly Proposition 4.
// 3. Optimality beyond the restricted class is not assumed but tested. With γ_F = 0 items below
//    q̂ are never profitable (the objective c_F q^(η_L/σ) − c_L q is convex there, docs/model.md 3c),
//    so the class contains the optimum. With γ_F > 0 a type may value an item below q̂ more than
//    the outside option while its rent falls (countervailing incentives; participation could then
//    bind on several intervals), so the solver builds the Lagrange multiplier Λ of the relaxed
//    problem (Λ = 1 where R > 0, Λ = F + f(θ − c_L q̂^(1−η_L)/η_L) where q = q̂ binds, chosen
//    greedily nondecreasing on the fringe-only segment) and checks on the grid that the
//    solution maximizes the Lagrangian f·(u − u0 − c_L q) − (Λ − F)(u_θ − u0') pointwise over
//    ALL leader qualities, fringe top-up included (corner branch in closed form, top-up branch
//    sampled and refined). Bunching is covered too: every IC menu has a convex U, so
//    Z(θ) = u_θ(θ, q(θ)) = U'(θ) is nondecreasing and ∫ (h̄ − h) Z dF ≥ 0 (H ≥ H̄); adding
//    f(h̄ − h)·u_θ to the Lagrangian keeps it an upper bound and is exact for the menu, whose Z
//    is constant on the ironing intervals it bunches. The integrated excess bounds the profit any
//    mechanism could add (weak duality); it is reported as `lagrangianGap` (relative to profit),
//    and `optimalityCertified` is true when it is at rounding level. Where the binding
//    multiplier F + f(θ − c_L q̂^(1−η_L)/η_L) falls (the density drops across the middle region),
//    no valid Λ makes q̂ optimal: participation then binds at both ends of a segment whose types
//    earn a rent, with a constant multiplier Λ_p inside (leader-fringe-pooling.ts derives it and
//    builds the segment's allocation from the ironed Λ-virtual type); the certificate uses Λ_p
//    and the Λ-ironing term there and is tight for that menu. Region 3 itself is a rent segment
//    with Λ = 1: where the restricted rule fails there (an ironed level below a rising q̂, or an
//    ironing interval across θ_high), h is ironed on that segment alone and its start re-solved.
//    A dip of B the construction cannot resolve keeps q̂ with a monotone substitute for Λ, and
//    `lagrangianGap` then bounds the loss (never silently: the result is then not certified).
// 4. The final menu is verified a posteriori by checkMenu with the full top-up utility.

import { massGrid } from "../engine/numerics/mass-breaks.js";
import { tailCappedScale } from "../engine/numerics/tail-capped-scale.js";
import { chordShortfall, ironVirtualType } from "../engine/distributions/ironing.js";
import type { ContinuousDistribution } from "../engine/distributions/types.js";
import { UniformDistribution } from "../engine/distributions/uniform.js";
import { gridIndex, linspace, reportedTypes } from "../engine/grid.js";
import { indexOfSorted } from "../engine/numerics/sorted-index.js";
import { brent } from "../engine/numerics/brent.js";
import { brentMax, goldenMin } from "../engine/numerics/golden.js";
import { expectation } from "../engine/numerics/expectation.js";
import { integratePiecewise } from "../engine/numerics/piecewise-integral.js";
import { emptyChecks } from "./monopoly-continuous.js";
import {
  fringeOnlyQuality,
  fringeTopUp,
  limitQuality,
  outsideOption,
  outsideOptionSlope,
  switchRatio,
  type FringeMarket,
  type TopUp,
} from "./fringe-top-up.js";
import {
  buildMenu,
  interiorQuality,
  segmentQuality,
  menuChecks,
  menuCurves,
  menuPoint,
  menuScalarsByQuadrature,
  region2Value,
  scalarRecord,
  segmentIndex,
  type LeaderFringeMenu,
  type LeaderFringeModel,
  type MenuScalars,
  type MenuSegment,
  type Region,
} from "./leader-fringe-menu.js";
import { participationSegments, type PoolSegment } from "./leader-fringe-pooling.js";
import { finiteOnDensityGaps, menuGap, optimizedMultiplierBound, type OptimizedBound } from "./leader-fringe-multiplier.js";
import { boundCertificate, uncertified, type MarketSolution } from "./types.js";
import { NumericalError } from "../engine/errors.js";
import { ATOM_PLACEMENTS, FINITE_MENU_ATOMS, finiteMenuOnLaw, type FiniteMenu } from "./leader-fringe-finite-menu.js";
import { lpSolverLoaded } from "../engine/numerics/lp-solver.js";
import { FLOOR_ISOTONIC_CELLS, floorIsotonicMenu, type FloorIsotonicMenu } from "./leader-fringe-floor-isotonic.js";

const SCAN = 4097;

export interface GeneralOptions {
  gridPoints: number;
  scalarsOnly?: boolean;
}

/** The model with the ironed virtual type h̄ (the lead's ironing module). */
export function ironedModel(market: FringeMarket, cL: number, dist: ContinuousDistribution, notes: string[]): {
  model: LeaderFringeModel;
  intervals: [number, number][];
} {
  if (dist instanceof UniformDistribution || dist.regular) {
    return { model: { market, cL, dist, hbar: (t) => dist.virtualType(t), kinks: [], plainVirtualType: true }, intervals: [] };
  }
  const ir = ironVirtualType(dist);
  notes.push(...ir.notes);
  const kinks: number[] = [];
  for (const [x, y] of ir.intervals) kinks.push(x, y);
  return { model: { market, cL, dist, hbar: ir.value, kinks }, intervals: ir.intervals };
}

/** q^int − q̂: positive on region 3. */
function gap(model: LeaderFringeModel, theta: number): number {
  return interiorQuality(model, theta) - limitQuality(theta, model.market);
}

/** V(θ): marginal virtual value of serving θ under the rule q = max(q̂, q^int), with raw h. */
export function marginalValue(model: LeaderFringeModel, theta: number): number {
  const e = model.market.etaL;
  const v2 = region2Value(model, theta);
  const q = interiorQuality(model, theta);
  const qh = limitQuality(theta, model.market);
  if (!(q > qh)) return v2;
  const h = model.dist.virtualType(theta);
  return h * (Math.pow(q, e) - Math.pow(qh, e)) - model.cL * (q - qh) + v2;
}

/** Sign changes of f on the scan grid, refined by Brent; `up` marks − → + crossings. */
function crossings(f: (x: number) => number, grid: Float64Array, where: string): { x: number; up: boolean }[] {
  const out: { x: number; up: boolean }[] = [];
  let prev = f(grid[0]);
  for (let j = 1; j < grid.length; j++) {
    const cur = f(grid[j]);
    const sp = prev > 0;
    const sc = cur > 0;
    if (sp !== sc) {
      let x: number;
      if (prev === 0) x = grid[j - 1];
      else if (cur === 0) x = grid[j];
      else if (Number.isFinite(prev) && Number.isFinite(cur)) x = brent(f, grid[j - 1], grid[j], { where }).root;
      else x = Number.isFinite(prev) ? grid[j] : grid[j - 1];
      out.push({ x, up: sc });
    }
    prev = cur;
  }
  return out;
}

export interface GeneralPlan {
  segments: MenuSegment[];
  thetaLow: number;
  thetaHigh: number;
  region2Empty: boolean;
  thetaHighRoot: number;
  crossings: number[];
  cutCandidates: number;
}

/** Regions of the restricted-class optimum (header, point 2). */
export function generalPlan(model: LeaderFringeModel): GeneralPlan {
  const { min, max } = model.dist;
  // (with the law's quantiles on a support far wider than its mass: mass-breaks.ts)
  const even = linspace(min, max, SCAN);
  const quantiles = massGrid(model.dist, SCAN);
  const grid = quantiles.length > 0 ? mergeGrid(even, quantiles) : even;
  const sw = crossings((t) => gap(model, t), grid, "leader–fringe (general): q^int = q̂");
  const region3At = (t: number) => gap(model, t) > 0;
  const breaks = [...sw.map((c) => c.x), ...model.kinks].filter((x) => x > min && x < max).sort((x, y) => x - y);

  // Cut-off θ_c: the maximizer of the tail integral P(c) = ∫_c^max f V.
  const Vc = crossings((t) => marginalValue(model, t), grid, "leader–fringe (general): cut-off V = 0");
  const cands = [min, ...Vc.filter((c) => c.up).map((c) => c.x), max];
  const d = model.dist;
  // V where types have density (in a gap of the support V may be −∞, and has no weight)
  const V0 = (t: number) => (d.pdf(t) > 0 ? marginalValue(model, t) : 0);
  // Values below 1e-13 of the surplus scale are rounding noise (e.g. c_F = c_L, γ_F = γ_L, where
  // V ≡ 0): a candidate must beat the best by more than that to move the cut-off down.
  // (capped at the law's own scale: on a support far wider than its mass the top type's values
  // are orders of magnitude above every profit, and the noise floor swallowed it: tail-capped-scale.ts)
  const surplusScale = (x: number) => outsideOption(x, model.market) + model.cL * limitQuality(x, model.market);
  const scale = tailCappedScale(d, surplusScale, surplusScale(max));
  const noise = 1e-13 * scale;
  let best = max;
  let bestP = 0;
  let P = 0;
  for (let k = cands.length - 2; k >= 0; k--) {
    const lo = cands[k];
    const hi = cands[k + 1];
    if (hi > lo) {
      // (as an expectation: split at the density's own kinks too, and next to an infinite density
      // — a Beta component with a or b < 1 ending inside the support — by subtraction, where
      // f·V itself overflowed or did not converge: engine/numerics/expectation.ts)
      const where = `leader–fringe (general): profit tail on [${lo}, ${hi}]`;
      try {
        P += expectation(d, V0, breaks, where, 1e-15 * scale, lo, hi, 1e-12);
      } catch (e) {
        // P only ranks the cut-off candidates (the certificate then judges the menu): where the
        // quadrature cannot reach 1e-12 — the steep quantile function at the end of a
        // Beta(60, 150) component, error 2.8e-8, an auditor's r4_036, whose whole solve failed —
        // 1e-8 of the scale ranks them as well unless two differ by less than that
        if (!(e instanceof NumericalError)) throw e;
        P += expectation(d, V0, breaks, where, 1e-8 * scale, lo, hi, 1e-8);
      }
    }
    if (P > bestP + noise) {
      bestP = P;
      best = lo;
    }
  }
  const thetaC = best;

  const segs: MenuSegment[] = [];
  const push = (from: number, to: number, region: Region) => {
    if (!(to > from) && segs.length > 0) return;
    const last = segs[segs.length - 1];
    if (last && last.region === region) last.to = to;
    else segs.push({ from, to, region });
  };
  if (thetaC > min) push(min, thetaC, 1);
  if (thetaC < max) {
    const cuts = [thetaC, ...sw.map((c) => c.x).filter((x) => x > thetaC && x < max), max];
    for (let k = 0; k + 1 < cuts.length; k++) {
      const mid = 0.5 * (cuts[k] + cuts[k + 1]);
      push(cuts[k], cuts[k + 1], region3At(mid) ? 3 : 2);
    }
  }
  if (segs.length === 0) segs.push({ from: min, to: max, region: 1 });
  const firstThree = segs.find((s) => s.region === 3);
  const thetaLow = thetaC;
  const thetaHigh = firstThree ? firstThree.from : max;
  const firstUp = region3At(min) ? min : (sw.find((c) => c.up)?.x ?? max);
  return {
    segments: segs,
    thetaLow,
    thetaHigh,
    region2Empty: !segs.some((s) => s.region === 2),
    thetaHighRoot: firstUp,
    crossings: sw.map((c) => c.x),
    cutCandidates: cands.length,
  };
}

/** The plan of a menu's segments after the participation-binding segments (pools) are laid in:
 *  θ_low is the first type served, θ_high the first region-3 type (a Λ = 1 top segment included;
 *  rent segments inside the middle region are not region 3). */
function planOfSegments(restricted: GeneralPlan, pooled: { segments: MenuSegment[]; pools: PoolSegment[] }, max: number): GeneralPlan {
  const firstThree = pooled.segments.find((sg) => sg.region === 3 && (!sg.quality || pooled.pools.some((pl) => pl.from === sg.from && pl.lambda === 1)));
  const firstServed = pooled.segments.find((sg) => sg.region !== 1);
  return {
    ...restricted,
    thetaLow: firstServed ? firstServed.from : max,
    segments: pooled.segments,
    thetaHigh: firstThree ? firstThree.from : max,
    region2Empty: !pooled.segments.some((sg) => sg.region === 2 || (sg.quality && sg !== firstThree)),
  };
}

export function solveLeaderFringeGeneral(
  market: FringeMarket,
  cL: number,
  dist: ContinuousDistribution,
  opts: GeneralOptions,
  notes: string[],
): MarketSolution {
  const { model, intervals } = ironedModel(market, cL, dist, notes);
  const restricted = generalPlan(model);
  // Where the binding multiplier falls, participation binds at both ends of a rent segment
  // (leader-fringe-pooling.ts) instead of q̂ throughout.
  const pooled = participationSegments(model, restricted.segments, intervals);
  notes.push(...pooled.notes);
  const plan = planOfSegments(restricted, pooled, dist.max);
  const menu = buildMenu(model, plan.segments, plan);
  const scalars = menuScalarsByQuadrature(menu);
  const record = scalarRecord(market, plan, scalars);
  record.thetaHighRoot = plan.thetaHighRoot;
  if (market.etaF === market.sigma && market.etaL > market.sigma) {
    record.thetaLowFormula = (market.cF / market.sigma) * Math.pow(cL / market.cF, (market.etaL * (1 - market.sigma)) / (market.etaL - market.sigma));
  }
  if (plan.crossings.length > 1) notes.push(`q^int and q̂ cross ${plan.crossings.length} times: ${plan.crossings.map((x) => x.toPrecision(8)).join(", ")}`);
  if (plan.region2Empty && plan.thetaLow < dist.max) notes.push(`no region 2: the leader serves q^int from θ_low = ${plan.thetaLow}`);

  // Bunching of the leader's quality: ironing intervals where the rule is q^int. An interval
  // only partly on region 3 keeps the unconstrained ironed level there (header, point 2).
  const ironing: [number, number][] = [];
  for (const [x, y] of intervals) {
    let covered = 0;
    for (const s of plan.segments) {
      if (s.region !== 3 || s.quality) continue;
      const lo = Math.max(x, s.from);
      const hi = Math.min(y, s.to);
      // (a sliver of rounding width, where region 3 starts at the interval's end, is none)
      if (hi - lo > 1e-12 * (dist.max - dist.min)) {
        ironing.push([lo, hi]);
        covered += hi - lo;
      }
    }
    if (covered > 0 && covered < y - x) {
      notes.push(`ironing interval [${x}, ${y}] lies only partly in region 3: its bunched level is the unconstrained one (see lagrangianGap for the cost)`);
    }
  }
  // (a bunched stretch of no width, e.g. where a gap of the support ends, is no interval)
  for (const pl of pooled.pools) ironing.push(...pl.bunched.filter(([x, y]) => y > x).map(([x, y]): [number, number] => [x, y]));
  ironing.sort((x, y) => x[0] - y[0]);
  if (plan.thetaLow >= dist.max) notes.push("the leader serves nobody: every type uses the fringe only");

  const solution: MarketSolution = {
    market: "leaderFringe",
    scalars: record,
    ironing,
    pointAt: (theta: number) => menuPoint(menu, theta),
    curves: { theta: new Float64Array(0), columns: {}, order: [] },
    checks: emptyChecks(),
    certificate: uncertified("not yet computed"),
    solver: {
      method:
        "general (restricted-class Jullien solution: q = max(q̂, q^int(h̄)) above the profit-maximizing cut-off; regions by scan + Brent; checked by checkMenu; optimality bounded by a Lagrangian certificate)",
      converged: true,
      iterations: plan.cutCandidates,
      notes,
    },
  };
  if (!opts.scalarsOnly) {
    solution.curves = menuCurves(menu, opts.gridPoints);
    solution.checks = menuChecks(menu, solution.curves);
    if (!solution.checks.passed) notes.push(`checks failed: ${solution.checks.failures.join("; ")}`);
  }
  // The certificate is computed for sweep points too: a sweep row must say whether it is optimal.
  // The ironed Lagrangian term is used on ironing intervals the menu bunches (they meet
  // region 3); elsewhere the plain one (both are upper bounds; each is tight where it is used).
  const bunched = intervals.filter(([x, y]) => plan.segments.some((sg) => sg.region === 3 && !sg.quality && Math.min(y, sg.to) > Math.max(x, sg.from)));
  // (Sweep points check it on at most 129 types, a quarter of the cost at the default 401.)
  const evenGrid = opts.scalarsOnly ? linspace(dist.min, dist.max, Math.min(opts.gridPoints, 129)) : solution.curves.theta;
  // (on a support far wider than its mass, with the law's quantiles: mass-breaks.ts)
  const quantileTypes = massGrid(dist, opts.scalarsOnly ? 129 : 401);
  const baseGrid = quantileTypes.length > 0 ? mergeGrid(evenGrid, quantileTypes) : evenGrid;
  // The law's own kinks count as ends: where a component's support ends (a gap of the support
  // above it), the types just below may want the leader's item that the restricted class denies
  // them; a band narrower than the sweep's 129-type grid there was stepped over, and an
  // independent checker's market was "certified" at 129 types with a gap of 3.6e-4 at 401.
  const ends: number[] = [...model.kinks, ...(dist.kinks ?? [])];
  for (const sg of plan.segments) ends.push(sg.from, sg.to);
  for (const pl of pooled.pools) {
    ends.push(pl.from, pl.to);
    for (const [x, y] of pl.bunched) ends.push(x, y);
  }
  const scale = Math.max(scalars.profit, tailCappedScale(dist, (x) => outsideOption(x, market), outsideOption(dist.max, market)), 1e-300);
  const { certGrid, cert, gap, optimized, withoutIroning, finite } = menuBound(menu, baseGrid, ends, scale, bunched, pooled.pools, notes);
  // Relative to the profit; where the leader earns nothing, to the outside option of the top type
  // (an auditor's market with u0(θ_max) = 4.1e38 and no one served read "gap 2.48e+21 of profit", an
  // absolute gap of rounding size, beside optimalityCertified true)
  record.lagrangianGap = gap / (scalars.profit > 0 ? scalars.profit : scale);
  solution.certificate = cert.valid
    ? boundCertificate(
        Number(record.lagrangianGap),
        boundText(optimized, withoutIroning, certGrid, baseGrid) +
          (scalars.profit > 0 ? "" : `; the leader earns nothing here, so the gap is relative to the outside option of the top type, u0(θ_max) = ${scale.toPrecision(6)}`),
      )
    : uncertified(
        finite
          ? `no valid Lagrange multiplier: ${cert.multiplierNotes.join("; ") || "see notes"}`
          : "no valid Lagrange multiplier: Λ < F where the law has no density (a gap between its components), where the bound is infinite",
      );
  // Certified optimal (among all IC, IR mechanisms, up to the grid) exactly when the certificate
  // says so: one criterion, the gap within 1e-9 (until 6 Dec 2026 this flag used 1e-10 of
  // max(profit, u0(θ_max)) and could read true beside a certificate that said "NOT CERTIFIED")
  record.optimalityCertified = solution.certificate.certified;
  // (an excess a thousand times the scale is no bound at all: where the density nearly vanishes
  // and the coefficient of u_θ is positive, the best item grows without limit — "q = 1.5e126 …
  // 6.75e+93% of profit" on a random market, seed 15, market 2, read as an alarm; it is said as
  // what it is, the optimized multiplier's bound following)
  const useless = optimized && !(cert.excess <= 1e3 * scale);
  notes.push(
    useless
      ? `Lagrangian certificate with the menu's own multiplier: no useful bound (its pointwise excess ${cert.excess.toExponential(3)} comes from θ = ${cert.worst?.theta}: where the density nearly vanishes, the best item there grows without limit under that multiplier)`
      : `Lagrangian certificate${optimized ? " with the menu's own multiplier" : ""}: integrated pointwise excess ${cert.excess.toExponential(3)}, ${scalars.profit > 0 ? `${(cert.excess / scalars.profit).toExponential(2)} of profit` : "absolute (the leader earns nothing)"}` +
          (cert.worst ? `; largest at θ = ${cert.worst.theta} (q = ${cert.worst.q} beats the menu's q = ${cert.worst.own} by ${cert.worst.excess.toExponential(3)})` : ""),
  );
  if (cert.multiplierNotes.length) notes.push(...cert.multiplierNotes);
  if (optimized) {
    notes.push(
      `with the multiplier that minimizes the bound (nondecreasing, ${optimized.blocks} steps) the gap is ${gap.toExponential(3)}, ${Number(record.lagrangianGap).toExponential(2)} of profit: what any mechanism could add to the general path's menu`,
    );
  }
  let result = solution;
  let bound: number | null = cert.valid ? scalars.profit + gap : null;
  // Not certified: the restricted class's best menu computed directly, by PAV with the floor
  // q ≥ q̂ on fine cells (leader-fringe-floor-isotonic.ts), may earn more than the rule above
  // (an ironing interval partly bound by q̂); kept when it does and passes the checks.
  if (!record.optimalityCertified) {
    result = withFloorIsotonicMenu(result, model, plan, opts, bound, scale);
    // the bound now reported (the smaller of the two menus' bounds; none where the rule's lay
    // below the new menu's profit: withMenuInstead)
    if (result !== solution) {
      const g = Number(result.scalars.lagrangianGap);
      bound = Number.isFinite(g) ? Number(result.scalars.profit) * (1 + g) : null;
    }
  }
  // A gap of less than FINITE_MENU_MIN_GAP leaves no room for a finite menu, itself an
  // approximation (on 200 atoms it fell 0.1 % short where the general path was 2e-4 from its bound).
  // With γ_F = 0 the restricted class contains the optimum (header, point 3): nothing to try.
  const room = market.etaF > market.sigma && (!cert.valid || !(Number(result.scalars.lagrangianGap) <= FINITE_MENU_MIN_GAP));
  if (!result.scalars.optimalityCertified && room) {
    if (lpSolverLoaded()) return withFiniteMenu(result, market, cL, dist, opts, bound, scale);
    notes.push("the finite menu of the screening LP on quantile atoms of the law (which can earn more where the restricted class misses the optimum) was not tried: the LP solver is not loaded");
  }
  return result;
}

/** The Lagrangian bound of a menu (docs/model.md 3c, (3.25), (3.30), (3.31)): the certificate at
 *  the grid types and both sides of every end, its gap B − Π (computed whole where the multiplier
 *  is a monotone substitute), and the nondecreasing multiplier that minimizes B when the menu's
 *  own leaves more than 1e-10 of `scale`; without the ironing term where that term makes B infinite. */
export function menuBound(
  menu: LeaderFringeMenu,
  baseGrid: Float64Array,
  ends: readonly number[],
  scale: number,
  bunched: readonly [number, number][],
  pools: readonly PoolSegment[],
  notes: string[],
): { certGrid: Float64Array; cert: Certificate; gap: number; optimized?: OptimizedBound; withoutIroning: false | "infinite" | "smaller"; finite: boolean } {
  const dist = menu.model.dist;
  // An ironing term is part of a bound only where its interval is a true convexification (H on
  // or above the chord: ironingHullViolations); where one is not, the bound is computed without
  // that interval's term (valid for every IC menu, and looser)
  const violations = ironingHullViolations(menu.model, bunched, pools);
  if (violations.length > 0) {
    const worst = violations.reduce((w, v) => (v.excess > w.excess ? v : w));
    notes.push(
      `the ironed level on ${violations.length === 1 ? "" : `${violations.length} intervals, the worst `}[${worst.from}, ${worst.to}] is not a convexification of H there (H lies ${worst.excess.toExponential(3)} below the chord at θ = ${worst.at}): the bound leaves out the ironing term${violations.length === 1 ? "" : "s"} of ${violations.length === 1 ? "that interval" : "those intervals"}`,
    );
    const bad = (x: number, y: number) => violations.some((v) => v.from === x && v.to === y);
    bunched = bunched.filter(([x, y]) => !bad(x, y));
    pools = pools.map((p) => ({ ...p, bunched: p.bunched.filter(([x, y]) => !bad(x, y)) }));
  }
  const { grid: certGrid, cert } = certifyWithEnds(menu, baseGrid, ends, 1e-12 * scale, bunched, pools);
  let gap = cert.excess;
  // The certificate leaves types without density out of its sum: sound only where Λ ≥ F there.
  const finite = finiteOnDensityGaps(dist, certGrid, cert.multiplier);
  if (!finite) cert.valid = false;
  // A monotone substitute for the menu's own multiplier may rise on types with a rent, where the
  // pointwise excess alone understates B − Π by ∫ R dΛ: the gap is then computed whole.
  if (cert.valid && cert.multiplierNotes.length > 0) gap = Math.max(gap, menuGap(menu, certGrid, cert.multiplier, bunched, pools, cert.ownIroning));
  // Not certified with the menu's own multiplier: the nondecreasing multiplier that minimizes the
  // bound (leader-fringe-multiplier.ts) may give a smaller one, and says how far the menu really is.
  let optimized: OptimizedBound | undefined;
  let withoutIroning: false | "infinite" | "smaller" = false;
  if (cert.valid && !(gap <= 1e-10 * scale)) {
    const slack = cert.multiplierNotes.length === 0;
    // (on at most OPTIMIZED_GRID_MAX of the output grid's types, with every end probe: the
    // minimization's cost grows faster than the number of types, and an auditor's 20,001-type
    // solve ran for more than 10 minutes; any nondecreasing Λ gives a bound, on any grid)
    const keep = thinnedGrid(certGrid, baseGrid, OPTIMIZED_GRID_MAX);
    const optGrid = keep ? certGrid.filter((_, i) => keep[i]) : certGrid;
    const pick = (a: Float64Array) => (keep ? a.filter((_, i) => keep[i]) : a);
    let o = optimizedMultiplierBound(menu, optGrid, pick(cert.multiplier), pick(cert.pointOwn), slack, bunched, pools, cert.ownIroning);
    // (summed against the own values, which include the menu's own ironing term: its integral
    // is part of B − Π, as in the certificate's excess)
    if (slack) o = { ...o, excess: o.excess + cert.ownIroning };
    // The ironing term f(h̄ − h)u_θ tends to (1 − F)u_θ where the density vanishes at an ironing
    // interval's end (a component's end inside it), and unless Λ = 1 there the pointwise maximum
    // grows without bound: the bound is infinite with that term (a three-component mixture of the
    // random scan, seed 11, market 27, whose grid-type sum had looked finite). Without it the
    // bound is valid too, and may be finite; it may also be smaller where the term is finite but
    // its interval is not the menu's (an independent checker's gapped mixture lf0_2_5: 2.6e-4
    // with the term, certified without it), so it is tried whenever the first does not certify.
    if (!(o.excess <= 1e-10 * scale) && (bunched.length > 0 || pools.length > 0)) {
      const plain = optimizedMultiplierBound(menu, optGrid, pick(cert.multiplier), pick(cert.pointOwn), false);
      if (plain.excess < o.excess) {
        withoutIroning = Number.isFinite(o.excess) ? "smaller" : "infinite";
        o = plain;
      }
    }
    // B(Λ) ≥ Π for every Λ: a bound below the menu's profit beyond rounding is the grid's
    // quadrature speaking, not a certificate. It is not taken, and the menu's own multiplier's
    // bound, valid on its own, is kept: until 7 Dec 2026 it was thrown away with it, and a
    // reviewer's two-uniform market at c_F = 0.21, whose own gap is 1.7e-10 of profit, was
    // reported with no bound (the optimized one 2.9e-10 below the profit).
    if (o.excess < -1e-12 * scale) {
      notes.push(`the optimized multiplier's bound lies ${(-o.excess).toExponential(3)} below the menu's profit on this grid (the quadrature's error): not used; the bound of the menu's own multiplier is kept`);
    } else if (o.excess < gap) {
      optimized = o;
      gap = Math.max(0, o.excess);
    }
  }
  return { certGrid, cert, gap, optimized, withoutIroning, finite };
}

/** The most output-grid types the optimized multiplier is computed on (the default grid is 401). */
export const OPTIMIZED_GRID_MAX = 801;

/**
 * Which types of the certificate's grid the optimized multiplier uses when the output grid has
 * more than `max` types: every k-th output-grid type (and the last), so that at most `max` are
 * kept, and every type that is not an output-grid type (the probes on both sides of each end and
 * their ladders). Null when the output grid is small enough (all are used).
 */
export function thinnedGrid(certGrid: Float64Array, baseGrid: Float64Array, max: number): Uint8Array | null {
  if (baseGrid.length <= max) return null;
  const step = Math.ceil((baseGrid.length - 1) / (max - 1));
  const kept = new Set<number>();
  for (let i = 0; i < baseGrid.length; i += step) kept.add(baseGrid[i]);
  kept.add(baseGrid[baseGrid.length - 1]);
  const base = new Set<number>(baseGrid);
  const keep = new Uint8Array(certGrid.length);
  for (let i = 0; i < certGrid.length; i++) keep[i] = !base.has(certGrid[i]) || kept.has(certGrid[i]) ? 1 : 0;
  return keep;
}

/** 2 → "2nd", 3 → "3rd", 25 → "25th" (English ordinals, for the certificate's text). */
function ordinal(k: number): string {
  const tens = k % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][k % 10] ?? "th");
  return `${k}${suffix}`;
}

/** The certificate's description (the result's `certificate` text). */
function boundText(optimized: OptimizedBound | undefined, withoutIroning: false | "infinite" | "smaller", certGrid: Float64Array, baseGrid: Float64Array): string {
  return optimized
    ? `Lagrangian bound (weak duality with the nondecreasing participation multiplier Λ in [0, 1] that minimizes the bound, ${optimized.blocks} steps, ${withoutIroning ? `without the ironing term (${withoutIroning === "infinite" ? "infinite with it here" : "smaller without it here"}), ` : ""}pointwise over all leader qualities, fringe top-up included, on ${optimized.types} types: ${optimized.types < certGrid.length ? `every ${ordinal(Math.ceil((baseGrid.length - 1) / (OPTIMIZED_GRID_MAX - 1)))} of the ${baseGrid.length} grid types` : `the ${baseGrid.length} grid types`} and both sides of every segment end, Simpson's rule on the cells between them; docs/model.md 3c)`
    : `Lagrangian bound (weak duality with a nondecreasing participation multiplier Λ, pointwise over all leader qualities, fringe top-up included, checked at ${certGrid.length} types: the ${baseGrid.length} grid types and both sides of every segment end; docs/model.md 3c)`;
}

/** The smallest gap (relative to profit) of an uncertified menu for which the finite menu is tried. */
export const FINITE_MENU_MIN_GAP = 1e-3;

/**
 * The general path's menu, not certified, against the screening LP's finite menu on quantile
 * atoms of the law offered to the continuum (leader-fringe-finite-menu.ts): the one that earns
 * more is reported. `bound` is the Lagrangian bound B = Π + gap of the menu's certificate (null
 * when no valid multiplier was found): it holds for every mechanism, so it measures the finite
 * menu's gap too. The finite menu is taken only when it earns more beyond the certificate's
 * tolerance and, for a full solve, passes the same a-posteriori checks.
 */
function withFiniteMenu(
  solution: MarketSolution,
  market: FringeMarket,
  cL: number,
  dist: ContinuousDistribution,
  opts: GeneralOptions,
  bound: number | null,
  scale: number,
): MarketSolution {
  const notes = solution.solver.notes;
  const before = Number(solution.scalars.profit);
  // the LP on both placements of the atoms; the menu that earns more on the law is kept
  let best: { alt: FiniteMenu; s: MenuScalars; placement: string } | undefined;
  const failures: string[] = [];
  for (const { name, offset } of ATOM_PLACEMENTS) {
    try {
      const alt = finiteMenuOnLaw(market, cL, dist, FINITE_MENU_ATOMS, offset);
      const s = menuScalarsByQuadrature(alt.menu);
      if (!best || s.profit > best.s.profit) best = { alt, s, placement: name };
    } catch (e) {
      failures.push(`on the ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (failures.length) notes.push(`the finite menu of the screening LP on ${FINITE_MENU_ATOMS} atoms of the law could not be computed ${failures.join("; ")}`);
  if (!best) {
    notes.push("the restricted-class menu is kept");
    return solution;
  }
  const { alt, s, placement } = best;
  const what = `a finite menu of ${alt.items.length} items (the screening LP's menu on ${alt.atoms} atoms of the law, the ${placement} of equal-mass cells — the better of two placements —, HiGHS), offered to the continuous types (each takes its best item or the fringe alone)`;
  if (!(s.profit > before + 1e-10 * scale)) {
    notes.push(`${what} earns ${s.profit}, no more than this menu: kept`);
    return solution;
  }
  return withMenuInstead(solution, market, alt.menu, s, bound, scale, opts, {
    what,
    failsChecks: "the restricted-class menu is kept",
    reported: `the restricted-class menu above earned ${before} and was not certified; ${what} earns ${s.profit} (${(((s.profit - before) / before) * 100).toPrecision(3)}% more) and is reported instead: it is an approximation on ${alt.atoms} atoms, so the bound below says how far it may still be from the optimum. Types are bunched on each item's interval (not listed as ironing intervals)`,
    ironing: [],
    against: "the finite menu's profit",
    short: `a finite menu of ${alt.items.length} items, the screening LP's on ${alt.atoms} atoms of the law`,
    method: `finite menu on the continuous law: the screening LP on ${alt.atoms} atoms (the ${placement} of equal-mass cells; HiGHS), each type's best item; it earns more than the general path's restricted-class menu, which was not certified`,
  });
}

/**
 * The restricted class's best menu by PAV with the floor q ≥ q̂ (leader-fringe-floor-isotonic.ts)
 * in place of the general path's uncertified menu, when it earns more beyond the certificate's
 * tolerance and passes the checks. `bound`: the Lagrangian bound B of the general path's
 * certificate (null when none), which holds for every mechanism and so measures this menu too.
 */
function withFloorIsotonicMenu(solution: MarketSolution, model: LeaderFringeModel, plan: GeneralPlan, opts: GeneralOptions, bound: number | null, scale: number): MarketSolution {
  const notes = solution.solver.notes;
  const before = Number(solution.scalars.profit);
  let alt: FloorIsotonicMenu;
  let s: MenuScalars;
  try {
    alt = floorIsotonicMenu(model, FLOOR_ISOTONIC_CELLS, [plan.thetaLow, plan.thetaHigh, ...model.kinks]);
    s = menuScalarsByQuadrature(alt.menu);
  } catch (e) {
    notes.push(`the restricted class's best menu by PAV with the floor q ≥ q̂ could not be computed: ${e instanceof Error ? e.message : String(e)}`);
    return solution;
  }
  const what = `the restricted class's best menu on ${FLOOR_ISOTONIC_CELLS} cells (q ≥ q̂ nondecreasing, by the pool-adjacent-violators algorithm with the floor; docs/model.md (3.33))`;
  if (!(s.profit > before + 1e-10 * scale)) {
    notes.push(`${what} earns ${s.profit}, no more than this menu: kept`);
    return solution;
  }
  // Its own bound: Λ = 1 on the served types and h ironed on its blocks (each block's mean, where
  // H lies above the chord: leader-fringe-floor-isotonic.ts); tight where the menu is the optimum.
  const d = model.dist;
  const evenGrid = opts.scalarsOnly ? linspace(d.min, d.max, Math.min(opts.gridPoints, 129)) : reportedTypes(d.min, d.max, opts.gridPoints);
  const quantileTypes = massGrid(d, opts.scalarsOnly ? 129 : 401);
  const baseGrid = quantileTypes.length > 0 ? mergeGrid(evenGrid, quantileTypes) : evenGrid;
  const ends: number[] = [...model.kinks, ...(d.kinks ?? [])];
  for (const sg of alt.menu.segments) ends.push(sg.from, sg.to);
  let own: { bound: number; text: string } | undefined;
  if (alt.pool) {
    for (const [x, y] of alt.pool.bunched) ends.push(x, y);
    const b = menuBound(alt.menu, baseGrid, ends, scale, [], [alt.pool], notes);
    if (b.cert.valid) own = { bound: s.profit + b.gap, text: `${boundText(b.optimized, b.withoutIroning, b.certGrid, baseGrid)}, with Λ = 1 on the served types and h ironed on the menu's blocks` };
  }
  return withMenuInstead(solution, model.market, alt.menu, s, bound, scale, opts, {
    own,
    what,
    failsChecks: "the rule's menu is kept",
    reported: `the menu of the rule q = max(q̂, q^int(h̄)) earned ${before} and was not certified; ${what} earns ${s.profit} (${(((s.profit - before) / before) * 100).toPrecision(3)}% more) and is reported instead, served from θ_low = ${alt.thetaC}` + (alt.bunched.length ? `, bunched on ${alt.bunched.map(([x, y]) => `[${x.toPrecision(6)}, ${y.toPrecision(6)}]`).join(", ")}` : ""),
    ironing: alt.bunched,
    against: "the PAV menu's profit",
    short: `the restricted class's menu by pool-adjacent violators on ${FLOOR_ISOTONIC_CELLS} cells`,
    method: `restricted class solved directly: q ≥ q̂ nondecreasing by the pool-adjacent-violators algorithm with the floor on ${FLOOR_ISOTONIC_CELLS} cells, the cut-off by scan; it earns more than the rule q = max(q̂, q^int(h̄)), which was not certified`,
  });
}

/**
 * Reports `menu` (with scalars `s`) instead of `solution`'s, which it beats: its curves and checks
 * (the old menu is kept if they fail), its scalars, and the gap of the bound B (which holds for
 * every mechanism) against its profit; a bound below its profit is reported as no bound.
 */
function withMenuInstead(
  solution: MarketSolution,
  market: FringeMarket,
  menu: LeaderFringeMenu,
  s: MenuScalars,
  bound: number | null,
  scale: number,
  opts: GeneralOptions,
  text: { what: string; failsChecks: string; reported: string; ironing: [number, number][]; against: string; method: string; short: string; own?: { bound: number; text: string } },
): MarketSolution {
  const notes = solution.solver.notes;
  let curves = solution.curves;
  let checks = solution.checks;
  if (!opts.scalarsOnly) {
    curves = menuCurves(menu, opts.gridPoints);
    checks = menuChecks(menu, curves);
    if (!checks.passed) {
      notes.push(`${text.what} earns ${s.profit} but fails the a-posteriori checks (${checks.failures.join("; ")}): ${text.failsChecks}`);
      return solution;
    }
  }
  const record = scalarRecord(market, menu, s);
  for (const key of ["thetaHighRoot", "thetaLowFormula"]) if (key in solution.scalars) record[key] = solution.scalars[key];
  // the new menu's own bound, where it has one and it is the smaller (both hold for every mechanism)
  const useOwn = text.own !== undefined && (bound === null || text.own.bound < bound);
  if (useOwn) bound = text.own!.bound;
  let gapAbs: number | null = bound === null ? null : bound - s.profit;
  if (gapAbs !== null && gapAbs < -1e-12 * scale) {
    // Weak duality makes B an upper bound on every mechanism's profit, so a feasible menu above it
    // means the bound as computed (the trapezoid on the certificate's grid, the pointwise
    // maximization over q) missed part of the integrand: seen on a mixture of the random scan
    // (seed 9, market 49), 0.14 % below a finite menu whose profit an independent brute-force
    // evaluation confirms. No bound is then reported, rather than a wrong one.
    notes.push(`the Lagrangian bound ${bound} lies below the profit ${s.profit} of ${text.what}, which no valid bound can: the bound as computed on the grid is not valid for this market, and no gap is reported`);
    gapAbs = null;
  }
  const relGap = gapAbs === null ? null : Math.max(0, gapAbs) / s.profit;
  // (no valid bound: no gap, as where the certificate found no multiplier)
  record.lagrangianGap = relGap ?? Infinity;
  notes.push(text.reported);
  let certificate =
    relGap === null
      ? solution.certificate.optimalityGap === null
        ? solution.certificate
        : uncertified(`the Lagrangian bound as computed lies below the profit of ${text.what}, so it is not valid for this market (see notes)`)
      : boundCertificate(relGap, useOwn ? text.own!.text : `${solution.certificate.certificate.replace(/^not certified: /, "")}, against ${text.against}`);
  // (the flag says what the certificate says: solveLeaderFringeGeneral)
  record.optimalityCertified = certificate.certified;
  // which menu this is, for a status cell (sweep.csv, curves.csv) as for the notes
  certificate = { ...certificate, reportedMenu: text.short };
  return {
    ...solution,
    scalars: record,
    ironing: text.ironing,
    pointAt: (theta: number) => menuPoint(menu, theta),
    curves,
    checks,
    certificate,
    solver: { ...solution.solver, method: text.method },
  };
}

/** Types a segment end is probed at, on each side: this far from it, relative to the support. */
const END_PROBE = 1e-9;
/** Ladder of types put on a side of a segment end where the probe finds an excess: the end
 *  ± h·2^(−j), j = 1..END_LADDER, h the grid spacing there. */
const END_LADDER = 8;

/**
 * The Lagrangian certificate on `grid` plus both sides of every segment end (`ends`), refined
 * next to an end where it finds an excess. Why: the pointwise excess can sit in a band narrower
 * than the grid spacing that starts at a segment end (a rent segment's first types, where q = 0
 * beats the bunched item under Λ_p: a band of 0.003 at θ_low on a bimodal law), and a grid that
 * steps over it certified a point that a finer grid did not (129 types "certified", 401 types
 * a gap of 3.5e-7). Each end is probed just inside each segment; where the excess there times
 * the grid spacing could matter (`negligible`), a geometric ladder of types down to the end
 * resolves the band for the trapezoid, so the reported gap, and the verdict, no longer depend
 * on where the grid falls.
 */
export function certifyWithEnds(
  menu: LeaderFringeMenu,
  grid: Float64Array,
  ends: readonly number[],
  /** an integrated excess too small to matter (a band is refined when its probe's excess times
   *  the grid spacing there exceeds it) */
  negligible: number,
  ironed: readonly [number, number][] = [],
  pools: readonly PoolSegment[] = [],
): { grid: Float64Array; cert: Certificate } {
  const { min, max } = menu.model.dist;
  const eps = END_PROBE * (max - min);
  const inner = [...new Set(ends.filter((x) => x > min + 2 * eps && x < max - 2 * eps))];
  const probes = inner.flatMap((x) => [x - eps, x + eps]);
  const first = mergeGrid(grid, probes);
  const cert = lagrangianCertificate(menu, first, ironed, pools);
  const ladder: number[] = [];
  for (const x of inner) {
    // the width of the grid's cell holding the end (a band narrower than it can be missed)
    const j = gridIndex(grid, x);
    const h = j + 1 < grid.length ? grid[j + 1] - grid[j] : grid[j] - grid[j - 1];
    for (const side of [-1, 1]) {
      const k = indexOfSorted(first, x + side * eps);
      if (!(cert.pointExcess[k] * h > negligible)) continue;
      for (let l = 1; l <= END_LADDER; l++) {
        const t = x + side * h * Math.pow(2, -l);
        if (t > min && t < max) ladder.push(t);
      }
    }
  }
  // Inside the fringe-only region: where the slack left by the largest allowed multiplier peaks
  // between grid types, a parabola through a local maximum and its neighbours says whether the
  // peak crosses 0 (an excess band narrower than the grid: 0.002 wide at θ ≈ 0.603 on the
  // bimodal law at the onset of pooling); types are put around the vertex.
  const g = cert.capSlack;
  for (let i = 1; i + 1 < first.length; i++) {
    const [a, b, c] = [g[i - 1], g[i], g[i + 1]];
    if (!(b >= a && b >= c) || !(b <= 0)) continue;
    const [x0, x1, x2] = [first[i - 1], first[i], first[i + 1]];
    // vertex of the parabola through the three points (divided differences)
    const d1 = (b - a) / (x1 - x0);
    const d2 = ((c - b) / (x2 - x1) - d1) / (x2 - x0);
    if (!(d2 < 0)) continue;
    const xv = 0.5 * (x0 + x1) - d1 / (2 * d2);
    const gv = a + d1 * (xv - x0) + d2 * (xv - x0) * (xv - x1);
    if (!(gv > 0) || !(xv > x0 && xv < x2)) continue;
    const h = x2 - x0;
    for (let l = 2; l <= END_LADDER; l++) ladder.push(xv - h * Math.pow(2, -l), xv + h * Math.pow(2, -l));
    ladder.push(xv);
  }
  if (ladder.length === 0) return { grid: first, cert };
  const refined = mergeGrid(first, ladder);
  return { grid: refined, cert: lagrangianCertificate(menu, refined, ironed, pools) };
}

/** The sorted union of a sorted grid and extra points (duplicates dropped). */
function mergeGrid(grid: Float64Array, extra: readonly number[]): Float64Array {
  const all = Float64Array.from([...grid, ...extra]).sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (n === 0 || all[i] !== all[n - 1]) all[n++] = all[i];
  return all.slice(0, n);
}

export interface Certificate {
  /** ∫ max(0, max_q φ(θ, q; Λ) − φ(θ, q(θ); Λ)) dθ (trapezoid on the grid), plus ownIroning */
  excess: number;
  /** ∫ f(h̄ − h) u_θ of the menu's own item over the ironing intervals (ownIroningIntegral) */
  ownIroning: number;
  /** the pointwise excess at each grid type */
  pointExcess: Float64Array;
  /** φ(θ, q(θ); Λ) of the menu's own item at each grid type (NaN where left out) */
  pointOwn: Float64Array;
  /** fringe-only types (region 1): max_{q>0} φ − φ(0) at the largest multiplier allowed there
   *  (> 0 means an excess whatever Λ); NaN elsewhere */
  capSlack: Float64Array;
  worst: { theta: number; q: number; own: number; excess: number } | null;
  multiplier: Float64Array;
  multiplierNotes: string[];
  /** Λ is a nondecreasing function with values in [0, 1] (always, after the monotone substitute) */
  valid: boolean;
}

interface Best {
  value: number;
  q: number;
  /** u_θ − u0' at the maximizer: −dφ/dλ there (φ is affine in λ at a fixed item) */
  slope?: number;
}

/**
 * Pointwise Lagrangian check (header, point 3) on the grid types. φ(θ, q; λ) =
 * f·(u(θ,q) − u0 − c_L q) − (λ − F)(u_θ(θ,q) − u0'), maximized over every q ≥ 0: q = 0; the
 * corner branch q ≥ q_s (closed form); the top-up branch q < q_s, parametrized by the fringe
 * quantity x ∈ (x_s, x0] (S = (θσβ x^(β−1)/c_F)^(1/(1−σ)) from the first-order condition,
 * q = (S − x^β)^(σ/η_L)), sampled on 48 points and refined by golden section.
 */
export function lagrangianCertificate(
  menu: LeaderFringeMenu,
  grid: Float64Array,
  ironed: readonly [number, number][] = [],
  pools: readonly PoolSegment[] = [],
): Certificate {
  const model = menu.model;
  const m = model.market;
  const d = model.dist;
  const n = grid.length;
  const lam = new Float64Array(n);
  const own = new Float64Array(n);
  const regions = new Int8Array(n);
  const notes: string[] = [];
  const e = m.etaL;
  let seenThree = false;
  // Types where the density is infinite (the ends of a beta law) carry no Lagrangian term. Types
  // where it is 0 (a gap between a mixture's components) do: −(Λ − F)(u_θ − u0'), which is
  // positive for Λ > F at an item below the limit quality (u_θ < u0' there when γ_F > 0), and
  // unbounded for Λ < F. Left out, as they once were, a multiplier that stays above F across a
  // gap was not charged for it: an independent check found a feasible menu 3e-4 of profit above
  // such a "bound" (a three-component mixture with a gap, 4 Dec 2026).
  const usable = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const f = d.pdf(grid[i]);
    usable[i] = Number.isFinite(f) && f >= 0 ? 1 : 0;
  }
  // Multiplier on regions 2 and 3; region 1 filled afterwards (greedy, nondecreasing).
  const poolOf = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const th = grid[i];
    const k = segmentIndex(menu.segments, th);
    const seg = menu.segments[k];
    const reg = seg.region;
    regions[i] = reg;
    own[i] = segmentQuality(model, seg, th);
    if (seg.quality) {
      // A participation-binding segment: Λ = Λ_p (leader-fringe-pooling.ts).
      const p = pools.findIndex((pl) => th >= pl.from && th <= pl.to);
      if (p >= 0) {
        poolOf[i] = p;
        lam[i] = pools[p].lambda;
        // a segment with Λ = 1 leaves a rent to the types above it, as region 3 does: Λ = 1 on
        // the region 2 that follows (with the binding multiplier there, Λ fell from 1 at the
        // segment's end, and the "bound" lay 2 % below a feasible menu's profit: a reviewer's
        // thin-tailed mixture at c_F = 0.29, 6 Dec 2026)
        if (pools[p].lambda === 1) seenThree = true;
        continue;
      }
    }
    if (reg === 3) seenThree = true;
    // γ_F = 0: Λ = 1 works on region 2 too (the objective has a kink at q̂, docs/model.md 3c).
    if (reg === 3 || (reg === 2 && (seenThree || m.etaF === m.sigma))) lam[i] = 1;
    else if (reg === 2) {
      const f = d.pdf(th);
      const qh = limitQuality(th, m);
      lam[i] = d.cdf(th) + f * (th - (model.cL * Math.pow(qh, 1 - e)) / e);
    }
  }
  // Λ must be nondecreasing with values in [0, 1] on region 2.
  let prev = -Infinity;
  let bad = 0;
  // (of which in a gap of the support: no type lies there, B = F, and Λ need only stay ≥ F)
  let inGaps = 0;
  for (let i = 0; i < n; i++) {
    if (regions[i] === 1 || !usable[i]) continue;
    if (lam[i] < prev - 1e-12 || lam[i] > 1 + 1e-12 || lam[i] < -1e-12) {
      bad++;
      if (d.pdf(grid[i]) === 0) inGaps++;
    }
    prev = Math.max(prev, lam[i]);
  }
  if (bad > 0) {
    // Replace Λ on the binding region by a nondecreasing function in [0, 1] (the mean of its running
    // maximum from the left and running minimum from the right): any such Λ gives a valid bound,
    // and the excess it leaves at q = q̂ measures what a pooling segment could add.
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if ((regions[i] === 2 || poolOf[i] >= 0) && lam[i] !== 1 && usable[i]) idx.push(i);
    const left = new Float64Array(idx.length);
    const right = new Float64Array(idx.length);
    let run = 0;
    for (let k = 0; k < idx.length; k++) left[k] = run = Math.max(run, Math.min(1, Math.max(0, lam[idx[k]])));
    run = 1;
    for (let k = idx.length - 1; k >= 0; k--) right[k] = run = Math.min(run, Math.min(1, Math.max(0, lam[idx[k]])));
    for (let k = 0; k < idx.length; k++) lam[idx[k]] = 0.5 * (left[k] + right[k]);
    notes.push(
      inGaps === bad
        ? `the binding multiplier F + f(θ − c_L q̂^(1−η)/η) falls at ${bad} region-2 grid type${bad === 1 ? "" : "s"}, all in a gap of the support (no type lies there; B = F): the certificate uses a monotone substitute there (any nondecreasing Λ in [0, 1] with Λ ≥ F in the gap gives a valid bound)`
        : `the binding multiplier F + f(θ − c_L q̂^(1−η)/η) is not a nondecreasing value in [0, 1] at ${bad} region-2 grid types${inGaps > 0 ? ` (${inGaps} of them in a gap of the support, where no type lies)` : ""}: participation may want to bind on several intervals (a pooling segment around q̂ could add profit); the certificate uses a monotone substitute, so lagrangianGap bounds that gain`,
    );
  }

  const ctx = new PointwiseLagrangian(model, ironed);
  let excess = 0;
  let worst: Certificate["worst"] = null;
  const ex = new Float64Array(n);
  const ownValue = new Float64Array(n).fill(NaN);
  const capSlack = new Float64Array(n).fill(NaN);
  // Region 1 first (ascending), with the cap Λ(θ_low⁺).
  let cap = 1;
  for (let i = 0; i < n; i++) {
    if (regions[i] !== 1 && usable[i]) {
      cap = lam[i];
      break;
    }
  }
  let running = 0;
  for (let i = 0; i < n; i++) {
    const th = grid[i];
    if (!usable[i]) continue;
    ctx.prepare(th);
    if (poolOf[i] >= 0) {
      const pl = pools[poolOf[i]];
      if (pl.bunched.some(([x, y]) => th >= x && th <= y)) ctx.setIroningTerm(pl.hbar(th), pl.lambda);
    }
    if (regions[i] === 1 && d.pdf(th) === 0) {
      // A type of a gap in the support: max_{q>0} φ = (λ − F)·max_q (u0' − u_θ), unbounded for
      // λ < F, 0 at λ = F, and (γ_F > 0) positive above: λ = F when the order allows it, else the
      // least λ allowed (its excess is reported; below F the bound is infinite, caught by the caller)
      const top = Math.max(running, Math.min(cap, 1));
      const lamI = Math.min(top, Math.max(running, d.cdf(th)));
      lam[i] = lamI;
      running = lamI;
    } else if (regions[i] === 1) {
      // Smallest λ ≥ running with max_{q>0} φ̄ ≤ φ̄(0) (q = 0 is the menu's item here).
      const top = Math.max(running, Math.min(cap, 1));
      const lamI = ctx.admissibleMultiplier(running, top);
      lam[i] = lamI;
      running = lamI;
      // what the largest multiplier allowed here leaves (> 0: an excess however Λ is chosen)
      capSlack[i] = ctx.maxPositive(top).value - ctx.valueAtZero();
    }
    const b = ctx.maximize(lam[i]);
    const mine = ctx.value(own[i], lam[i]);
    ownValue[i] = mine;
    ex[i] = Math.max(0, b.value - mine);
    if (ex[i] > (worst?.excess ?? 0) + 1e-14 * Math.max(1, Math.abs(mine))) worst = { theta: th, q: b.q, own: own[i], excess: ex[i] };
  }
  for (let i = 1; i < n; i++) excess += 0.5 * (ex[i] + ex[i - 1]) * (grid[i] - grid[i - 1]);
  // Weak duality needs Λ nondecreasing in [0, 1] everywhere: checked, never assumed (a Λ that
  // falls where the menu's rent is positive understates B − Π by ∫ R dΛ < 0).
  let top = -Infinity;
  for (let i = 0; i < n; i++) {
    if (!usable[i]) continue;
    if (lam[i] < top - 1e-12 || lam[i] > 1 + 1e-12 || lam[i] < -1e-12) {
      notes.push(`the multiplier built from the menu falls at θ = ${grid[i]} (from ${top} to ${lam[i]}): it is not a nondecreasing value in [0, 1], and gives no bound`);
      return { excess: Infinity, ownIroning: 0, worst, pointExcess: ex, pointOwn: ownValue, capSlack, multiplier: lam, multiplierNotes: notes, valid: false };
    }
    top = Math.max(top, lam[i]);
  }
  // The own value above includes the ironing term f(h̄ − h)u_θ of the menu's item, whose integral
  // over an ironing interval is 0 only where the menu bunches the whole interval; where it does
  // not (an interval partly in region 2, or below the cut-off), B − Π exceeds the pointwise
  // excess by that integral (≥ 0 for every IC menu), which is added here.
  const ownIroning = Math.max(0, ownIroningIntegral(menu, ironed, pools));
  excess += ownIroning;
  return { excess, ownIroning, worst, pointExcess: ex, pointOwn: ownValue, capSlack, multiplier: lam, multiplierNotes: notes, valid: true };
}

/**
 * The ironing intervals that are not convexifications: the ironing term f(h̄ − h) u_θ integrates
 * to ≥ 0 against every nondecreasing u_θ only when G(θ) = h̄F − θ(F − Λ) (G′ = f(h̄ − h)) stays
 * ≤ G(x) on [x, y] and returns to G(x) at y, i.e. H = θ(F − Λ) lies on or above its chord in
 * quantile space and meets it at y (docs/model.md, after (3.27)); checked by chordShortfall
 * (engine/distributions/ironing.ts, the monopoly's hull check) for the plain intervals
 * (`ironed`, Λ = 1, the model's h̄) and the bunched intervals of each participation segment (its
 * Λ and h̄). Returns each such interval with its shortfall beyond rounding and where (none: []);
 * the bound then leaves out those intervals' terms only (the others' still integrate to ≥ 0).
 * Why: a top segment's interval began at θ_high, just below a beta component's start (its
 * density jumps to ∞ there, and h with it), which the hull's sample grid stepped over; H then
 * lay 2.6e-5 below the chord next to θ_high, and a market was certified (gap 6e-16) while adding
 * one item to its menu earned 3.2e-6 of profit more (an independent auditor, 6 Dec 2026).
 */
export function ironingHullViolations(
  model: LeaderFringeModel,
  ironed: readonly [number, number][],
  pools: readonly PoolSegment[],
): { from: number; to: number; at: number; excess: number }[] {
  const d = model.dist;
  const intervals: { x: number; y: number; level: number; lambda: number }[] = [];
  for (const [x, y] of ironed) if (y > x) intervals.push({ x, y, level: model.hbar(0.5 * (x + y)), lambda: 1 });
  for (const p of pools) for (const [x, y] of p.bunched) if (y > x) intervals.push({ x, y, level: p.hbar(0.5 * (x + y)), lambda: p.lambda });
  const found: { from: number; to: number; at: number; excess: number }[] = [];
  for (const { x, y, level, lambda } of intervals) {
    if (!Number.isFinite(level)) continue;
    const { excess, at } = chordShortfall(d, x, y, level, lambda);
    if (excess > 1e-11 * Math.max(1, Math.abs(x), Math.abs(y), Math.abs(level))) found.push({ from: x, to: y, at, excess });
  }
  return found;
}

/**
 * ∫ f(h̄ − h) u_θ(θ, q(θ)) dθ over the certificate's ironing intervals, for the menu's own item: the
 * ironing term as the certificate applies it (a pool's own on its bunched intervals, the plain
 * one on `ironed` elsewhere), by adaptive quadrature split at the menu's breaks. It is ≥ 0 for
 * every incentive-compatible menu (u_θ along the menu is nondecreasing, H ≥ H̄ with equality at
 * the interval's ends) and 0 where the menu bunches the whole interval (u_θ constant there), so
 * it is computed only for intervals where the menu's u_θ is not constant. Until 6 Dec 2026 the
 * certificate left it out: on a random market (seed 10, market 22, γ_F = 0.23) an ironing interval lay partly in region 2, the "bound" was 0.25022, and a menu of
 * the restricted class earned 0.25074.
 */
export function ownIroningIntegral(menu: LeaderFringeMenu, ironed: readonly [number, number][], pools: readonly PoolSegment[]): number {
  const model = menu.model;
  const d = model.dist;
  const m = model.market;
  const uTheta = (t: number): number => {
    const q = segmentQuality(model, menu.segments[segmentIndex(menu.segments, t)], t);
    return q === 0 ? outsideOptionSlope(t, m) : fringeTopUp(t, q, m).uTheta;
  };
  const factor = (t: number): number => {
    const f = d.pdf(t);
    if (!Number.isFinite(f)) return 0;
    const seg = menu.segments[segmentIndex(menu.segments, t)];
    if (seg.quality) {
      const pl = pools.find((p) => t >= p.from && t <= p.to);
      if (pl && pl.bunched.some(([x, y]) => t >= x && t <= y)) {
        const v = ironingFactor(f, pl.hbar(t), t, d.levelMinusCdf(pl.lambda, t));
        return Number.isFinite(v) ? v : 0;
      }
    }
    if (ironed.some(([x, y]) => t >= x && t <= y)) {
      const v = ironingFactor(f, model.hbar(t), t, d.sf(t));
      return Number.isFinite(v) ? v : 0;
    }
    return 0;
  };
  const intervals = [...ironed, ...pools.flatMap((p) => p.bunched)].filter(([x, y]) => y > x).sort((a, b) => a[0] - b[0]);
  const scale = Math.max(tailCappedScale(d, (x) => outsideOption(x, m), outsideOption(d.max, m)), 1e-300);
  let total = 0;
  let covered = -Infinity;
  for (const [x0, y] of intervals) {
    const x = Math.max(x0, covered);
    if (!(y > x)) continue;
    covered = y;
    // u_θ constant on the interval (the menu bunches it): the integral is 0 (H = H̄ at both ends)
    const probes = [0, 0.25, 0.5, 0.75, 1].map((r) => uTheta(x + (y - x) * r));
    if (probes.every((v) => Math.abs(v - probes[0]) <= 1e-13 * Math.abs(probes[0]))) {
      // (checked on a finer scan: a constant at five types may vary between them)
      let constant = true;
      for (let k = 1; k < 64 && constant; k++) constant = Math.abs(uTheta(x + ((y - x) * k) / 64) - probes[0]) <= 1e-13 * Math.abs(probes[0]);
      if (constant) continue;
    }
    const br = [...menu.breaks, ...(d.kinks ?? [])].filter((b) => b > x && b < y).sort((a, b) => a - b);
    try {
      total += integratePiecewise((t) => factor(t) * uTheta(t), x, y, br, { epsrel: 1e-10, epsabs: 1e-15 * scale, where: "leader–fringe certificate: the menu's own ironing term", endpoints: true });
    } catch {
      // not integrable to the tolerance: the trapezoid on a fine scan (the term only adds to the gap)
      let v = 0;
      const K = 4096;
      let prev = factor(x) * uTheta(x);
      for (let k = 1; k <= K; k++) {
        const t = x + ((y - x) * k) / K;
        const cur = factor(t) * uTheta(t);
        v += 0.5 * (prev + cur) * ((y - x) / K);
        prev = cur;
      }
      total += v;
    }
  }
  return total;
}

/**
 * The ironing term's factor f·(h̄ − h) at a type, h = θ − (Λ − F)/f the (Λ-)virtual type (Λ = 1
 * for the plain one), given Λ − F: f·h = fθ − (Λ − F), so f·(h̄ − h) = f(h̄ − θ) + (Λ − F), the
 * form used here, with no h. Where f = 0 — a gap of the support inside the ironing interval,
 * h = −∞ — that is Λ − F. The bound needs the term there: ∫ f(h̄ − h)Z ≥ 0 holds for the whole
 * interval, gap included, and the gap's part, (Λ − F)Z, is ≥ 0, so a bound that left it out (as
 * it did until 4 Dec 2026, taking 0 for 0·∞) used the rest of the sum alone, which need not be
 * ≥ 0. Left out, it also made the bound loose: a clean-clone reviewer's market with a gap near
 * the top of the support was reported 5.2 % from optimal while discrete LPs of the law put its
 * menu at the optimum. NaN where h̄ or f is not finite (the caller then leaves the term out).
 */
export function ironingFactor(f: number, hbar: number, theta: number, lambdaMinusF: number): number {
  if (!(f >= 0 && Number.isFinite(f) && Number.isFinite(hbar))) return NaN;
  return f * (hbar - theta) + lambdaMinusF;
}

/** φ(θ, ·; λ) at one type, with its top-up branch precomputed. */
export class PointwiseLagrangian {
  private th = 0;
  private f = 0;
  private F = 0;
  private u0 = 0;
  private u0p = 0;
  /** f·(h̄ − h) = f(h̄ − θ) + (Λ_I − F): the ironing term, times u_θ (header, point 3), with Λ_I
   *  the multiplier of the ironed virtual type (1, or a rent segment's Λ_p); 0 off the intervals */
  private dh = 0;
  /** f(h̄ − θ) and Λ_I, apart: the coefficient of u_θ in φ is f(h̄ − θ) + (Λ_I − λ), formed from
   *  them without the cancellation of (λ − F) against (Λ_I − F). Where the density is tiny (1e-43
   *  inside a beta component with a = 65) those two are 0.5 and f(h̄ − θ) is 1e-43: their
   *  difference's rounding, 1e-17, made the corner's coefficient positive with a cost of 1e-43 q,
   *  the "best" item q = 1.8e71, and a reported gap of 2.5e27 of profit (an auditor's L4_06). */
  private ironSlope = 0;
  private ironLambda = NaN;
  private qs = 0;
  private readonly K = 48;
  private readonly topS = new Float64Array(48);
  private readonly topG = new Float64Array(48);
  private readonly topQ = new Float64Array(48);
  private topN = 0;
  private xs = 0;
  private x0 = 0;
  /** ln(θσβ/c_F) at the prepared type (β = η_F/σ) */
  private lk = 0;
  private readonly scratch: TopUp = { qF: 0, u: 0, uTheta: 0 };
  /** q_s(θ)/q̂(θ), the same at every type (NaN until the first type with γ_F > 0) */
  private switchRatio = NaN;

  constructor(
    private readonly model: LeaderFringeModel,
    /** ironing intervals on which the ironed term f(h̄ − h)u_θ is added */
    private readonly ironed: readonly [number, number][],
  ) {}

  prepare(theta: number): void {
    const m = this.model.market;
    const d = this.model.dist;
    this.th = theta;
    this.f = d.pdf(theta);
    this.F = d.cdf(theta);
    this.u0 = outsideOption(theta, m);
    this.u0p = outsideOptionSlope(theta, m);
    this.dh = 0;
    this.ironSlope = 0;
    this.ironLambda = NaN;
    if (this.ironed.some(([x, y]) => theta >= x && theta <= y)) this.setIroningTerm(this.model.hbar(theta), 1);
    this.topN = 0;
    if (m.etaF === m.sigma) {
      // γ_F = 0: on q < q̂ the objective f(c_F q^(η/σ) − c_L q) is convex (u_θ = u0'): its
      // maximum is at q = 0 or q = q̂, both already candidates.
      this.qs = limitQuality(theta, m);
      return;
    }
    // q_s = r·q̂ with r found once per market (fringe-top-up.ts: switchRatio)
    if (Number.isNaN(this.switchRatio)) this.switchRatio = switchRatio(m);
    this.qs = this.switchRatio * limitQuality(theta, m);
    this.lk = Math.log((theta * m.sigma * (m.etaF / m.sigma)) / m.cF);
    this.x0 = fringeOnlyQuality(theta, m);
    this.xs = fringeTopUp(theta, this.qs * (1 - 1e-12), m, this.scratch).qF;
    if (!(this.xs > 0 && this.x0 > this.xs)) return;
    for (let k = 0; k < this.K; k++) {
      const x = this.xs + ((this.x0 - this.xs) * (k + 0.5)) / this.K;
      this.topBranch(x, k);
    }
    this.topN = this.K;
  }

  /** Top-up branch at fringe quantity x: stores S-part, G-part and q at slot k. */
  private topBranch(x: number, k: number): boolean {
    const m = this.model.market;
    const s = m.sigma;
    const beta = m.etaF / s;
    // in logs (one log and three exps where there were four powers: this is the certificate's
    // innermost function): ln S = (ln(θσβ/c_F) + (β−1) ln x)/(1−σ), S^σ = e^(σ ln S)
    const lx = Math.log(x);
    const lS = (this.lk + (beta - 1) * lx) / (1 - s);
    const S = Math.exp(lS);
    const a = S - Math.exp(beta * lx);
    if (!(a > 0)) {
      this.topS[k] = -Infinity;
      this.topG[k] = 0;
      this.topQ[k] = 0;
      return false;
    }
    const q = Math.pow(a, s / m.etaL);
    const uS = Math.exp(s * lS);
    this.topS[k] = this.th * uS - m.cF * x - this.u0 - this.model.cL * q;
    this.topG[k] = uS - this.u0p;
    this.topQ[k] = q;
    return true;
  }

  /** Set the ironing term at the prepared type from the ironed (Λ-)virtual type h̄ there and its
   *  multiplier Λ_I (1 for the plain virtual type, a rent segment's Λ_p); left out where h̄ or the
   *  density is not finite. */
  setIroningTerm(hbar: number, lambdaI: number): void {
    const d = this.model.dist;
    const dh = ironingFactor(this.f, hbar, this.th, lambdaI === 1 ? d.sf(this.th) : d.levelMinusCdf(lambdaI, this.th));
    if (!Number.isFinite(dh)) return;
    this.dh = dh;
    this.ironSlope = this.f * (hbar - this.th);
    this.ironLambda = lambdaI;
  }

  /** The coefficient of u_θ in φ at multiplier λ: −(λ − F), plus the ironing term's factor. */
  private slopeCoefficient(lambda: number): number {
    return Number.isNaN(this.ironLambda) ? this.F - lambda : this.ironSlope + (this.ironLambda - lambda);
  }

  /** φ̄ at leader quality q (top-up solved globally). */
  value(q: number, lambda: number): number {
    if (q === 0) return this.dh * this.u0p;
    const r = fringeTopUp(this.th, q, this.model.market, this.scratch);
    return this.f * (r.u - this.u0 - this.model.cL * q) + this.slopeCoefficient(lambda) * r.uTheta + (lambda - this.F) * this.u0p;
  }

  /** The ironing term alone at leader quality q: f·(h̄ − h)·u_θ(θ, q) (0 off the ironed
   *  intervals): part of value(q, λ), and of a menu's profit identity (leader-fringe-multiplier.ts). */
  ironingValue(q: number): number {
    if (this.dh === 0) return 0;
    return this.dh * (q === 0 ? this.u0p : fringeTopUp(this.th, q, this.model.market, this.scratch).uTheta);
  }

  /** φ̄ at q = 0 (the fringe only). */
  valueAtZero(): number {
    return this.dh * this.u0p;
  }

  /** max over q > 0 of φ (q = 0 excluded). */
  maxPositive(lambda: number): Best {
    const m = this.model.market;
    const e = m.etaL;
    const cL = this.model.cL;
    const w = lambda - this.F;
    // (G multiplies u_θ; the top-up branch's values are stored as u_θ − u0' and take dh·u0' apart)
    const G = this.slopeCoefficient(lambda);
    const D = this.dh;
    // Corner branch q ≥ q_s: (fθ + G) q^η − f c_L q + const, concave when the coefficient is > 0
    // (fθ + G = f·h̄ on an ironed interval at λ = Λ_I: slopeCoefficient).
    const A = this.f * this.th + G;
    // no density and λ < F: φ grows without bound in q (the bound is infinite)
    if (A > 0 && !(this.f > 0)) return { value: Infinity, q: Infinity };
    let q = this.qs;
    if (A > 0) q = Math.max(this.qs, Math.pow((e * A) / (this.f * cL), 1 / (1 - e)));
    const qe = Math.pow(q, e);
    // (at the interior optimum f c_L q = η A q^η, so the value is (1 − η) A q^η: at a type where
    // the density is tiny — 1.5e-43 just below a component's end — q^η overflows and the
    // difference of the two terms was ∞ − ∞ = NaN; it is +∞, the bound there is infinite)
    const corner = A * qe - this.f * cL * q;
    const top = A > 0 && q > this.qs && !Number.isFinite(corner) ? (1 - e) * A * qe : corner;
    let best: Best = { value: top - this.f * this.u0 + w * this.u0p, q, slope: qe - this.u0p };
    if (this.topN > 0) {
      let kb = -1;
      let vb = -Infinity;
      for (let k = 0; k < this.topN; k++) {
        const v = this.f * this.topS[k] + G * this.topG[k] + D * this.u0p;
        if (v > vb) {
          vb = v;
          kb = k;
        }
      }
      if (kb >= 0 && vb > best.value - 1e-3 * Math.abs(best.value) - 1e-12) {
        const refined = this.refineTop(kb, G, D);
        if (refined.value > best.value) best = refined;
      }
    }
    return best;
  }

  maximize(lambda: number): Best {
    const b = this.maxPositive(lambda);
    const zero = this.valueAtZero();
    return b.value > zero ? b : { value: zero, q: 0 };
  }

  /** Golden section on the top-up branch around sample kb. */
  /** (G: the coefficient of u_θ; D: of u0' where the top-up branch is written with u_θ − u0') */
  private refineTop(kb: number, G: number, D: number): Best {
    const h = (this.x0 - this.xs) / this.K;
    const lo = Math.max(this.xs, this.xs + h * (kb - 0.5));
    const hi = Math.min(this.x0, this.xs + h * (kb + 1.5));
    const slot = this.K - 1; // scratch slot: the samples are not needed after refinement
    const saveS = this.topS[slot];
    const saveG = this.topG[slot];
    const saveQ = this.topQ[slot];
    const phi = (x: number): number =>
      this.topBranch(x, slot) ? this.f * this.topS[slot] + G * this.topG[slot] + D * this.u0p : -Infinity;
    // Brent's method to 1e-9 of x: the value at a smooth maximum is then exact to rounding
    // (golden section to 1e-14 of x took five times the evaluations)
    const best = brentMax(phi, lo, hi, 1e-9);
    phi(best.x);
    const out: Best = { value: best.value, q: this.topQ[slot], slope: this.topG[slot] };
    this.topS[slot] = saveS;
    this.topG[slot] = saveG;
    this.topQ[slot] = saveQ;
    return out;
  }

  /**
   * Smallest λ in [lo, hi] with max_{q>0} φ(θ, q; λ) ≤ 0 (convex in λ); when there is none the
   * minimizer of that maximum (the excess is then reported by the caller).
   */
  admissibleMultiplier(lo: number, hi: number): number {
    const zero = this.valueAtZero();
    const g = (l: number) => this.maxPositive(l).value - zero;
    let b = this.maxPositive(lo);
    if (b.value - zero <= 0) return lo;
    // Newton's method from the left. g is convex in λ, and the item that attains it at λ gives an
    // affine minorant of g, φ(θ, q*; ·), of slope −(u_θ − u0') at q*, exact whatever the accuracy
    // of q*: its root is at or below the first λ with g ≤ 0, so the steps rise towards that λ
    // without passing it, and the first λ reached with g ≤ 0 is it (to rounding). About 3
    // evaluations of g where the bracketing below took 12 (the γ_F > 0 benchmark sweep spent
    // half its certificate here). When a step cannot rise (g not decreasing there: no λ may
    // clear the type), or stalls at rounding, the bracketing below starts from the last λ where
    // g was still decreasing: nothing below it is admissible, and g's minimizer is not below it
    // either (a negative subgradient at x: g > g(x) left of x). A step that lands where g has
    // stopped decreasing may have passed the minimizer of a g that stays positive, so the
    // bracketing starts from before that step.
    for (let it = 0; it < 40; it++) {
      const G = b.slope ?? NaN;
      const next = lo + (b.value - zero) / G;
      if (!(G > 0) || !(next > lo) || !(next <= hi)) break;
      const bn = this.maxPositive(next);
      if (bn.value - zero <= 0) return next;
      if (!((bn.slope ?? NaN) > 0)) break;
      lo = next;
      b = bn;
    }
    // g is convex (a maximum of functions affine in λ), so {g ≤ 0} is an interval: find a point
    // of it by golden-section minimization, stopping at the first λ with g ≤ 0 (a few steps: g
    // dips well below 0 between lo and hi), then find the interval's start in [lo, that λ].
    let y = hi;
    if (g(hi) > 0) {
      const s = goldenMin(g, lo, hi, 1e-13, 200, (_l, v) => v <= 0);
      // no λ clears the type: its minimizer (the caller reports the excess left there)
      if (!s.stopped) return s.x;
      y = s.x;
    }
    // first λ in [lo, y] with g ≤ 0 (g > 0 at lo, g ≤ 0 at y): Brent (about 10 evaluations of
    // g, a bisection took 47), then the λ just past its root where g ≤ 0
    // (g is +∞ at lo where the type's density is so small that its best item overflows: then
    // bisection alone, from lo)
    const r = Number.isFinite(g(lo)) ? brent(g, lo, y, { xtol: 2e-15, where: "leader–fringe certificate: multiplier on the fringe-only types" }).root : lo;
    if (r < y && g(r) <= 0) return r;
    const r2 = Math.min(y, r + 1e-14);
    if (g(r2) <= 0) return r2;
    let x = r;
    for (let it = 0; it < 100 && y - x > 1e-14; it++) {
      const z = 0.5 * (x + y);
      if (g(z) <= 0) y = z;
      else x = z;
    }
    return y;
  }
}
