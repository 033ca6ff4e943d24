// Menus of token distributions (full contracting, docs/model.md section 4) against token budgets:
// Proposition 3 (proportional profiles: full contracting = budgets, profit and items, 1e-9),
// the two-type closed forms derived in solvers/token-distributions.ts (ordered profiles; the
// three regimes of unordered ones, with what binds), full contracting never below budgets
// (property test over random profiles, every result certified and passing its checks), the
// cost of a profile C(Q) = C_b(A(Q)) against a direct minimization over per-task tokens and
// shared fine-tuning, and the a-posteriori checks catching broken menus.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { taskTypes, type TaskTypes } from "../engine/distributions/task-types.js";
import type { BuyersSpec, TechnologySpec } from "../engine/scenario/spec-types.js";
import { buildTechnology } from "../engine/technology/from-spec.js";
import type { CostOfQuality } from "../engine/technology/types.js";
import { aggregateQuality } from "../solvers/finite-type-menu.js";
import { checkFiniteTypeMenu } from "../solvers/finite-type-checks.js";
import { solveTokenDistributions } from "../solvers/token-distributions.js";
import type { MarketSolution, PointRecord } from "../solvers/types.js";
import { close } from "./helpers/close.js";
import { parseScenario } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";

const CES: TechnologySpec = {
  sigma: 0.5,
  tokens: {
    rho: 0.5,
    classes: [
      { name: "input", alpha: 0.4, cost: 0.1 },
      { name: "output", alpha: 0.6, cost: 0.3 },
    ],
  },
  fineTuning: { kind: "ces", gamma: 0.3, rho: 0.5, classes: [{ name: "sft", alpha: 1, cost: 0.2 }] },
};

const listed = (weights: number[][], probs: number[]): BuyersSpec => ({ profiles: { kind: "list", weights, probs } });

function solve(weights: number[][], probs: number[], tech: TechnologySpec = CES): { sol: MarketSolution; types: TaskTypes; cost: CostOfQuality } {
  const types = taskTypes(listed(weights, probs), tech.sigma, 1, weights[0].length);
  const cost = buildTechnology(tech);
  const sol = solveTokenDistributions({ types, sigma: tech.sigma, cost });
  expect(sol.checks.failures).toEqual([]);
  expect(sol.checks.passed).toBe(true);
  return { sol, types, cost };
}

/** The record of the type at scenario index `row`. */
const rec = (sol: MarketSolution, row: number): PointRecord => {
  const r = sol.points?.find((pt) => pt.type === row);
  if (!r) throw new Error(`no point for type ${row}`);
  return r;
};
const bins = (r: PointRecord, key: "QBins" | "budgetQBins"): number[] => Object.values(r[key] as Record<string, number>);

// ------------------------------------------------------------------ independent closed forms

/** θ(v⁺) = ((1/M) Σ (v_b⁺)^(1/(1−σ)))^(1−σ). */
function thetaOf(v: number[], sigma: number): number {
  const s = v.reduce((acc, x) => acc + (x > 0 ? Math.pow(x, 1 / (1 - sigma)) : 0), 0) / v.length;
  return Math.pow(s, 1 - sigma);
}

/** argmax_Q (1/M) v·Q − p C_b(A(Q)): Q_b = q(θ/p) (v_b⁺/θ)^(σ/(1−σ)) with C_b'(q(y)) = y. */
function bestItem(v: number[], p: number, sigma: number, cost: CostOfQuality): number[] {
  const th = thetaOf(v, sigma);
  if (!(th > 0)) return v.map(() => 0);
  const q = cost.qualityForMarginalCost(th / p);
  return v.map((x) => (x > 0 ? q * Math.pow(x / th, sigma / (1 - sigma)) : 0));
}

const value = (w: number[], Q: number[]) => w.reduce((acc, x, b) => acc + x * Q[b], 0) / w.length;
const costOf = (Q: number[], sigma: number, cost: CostOfQuality) => cost.cost(aggregateQuality(Q, 0, Q.length, sigma));

/** Items equal to 1e-9 of `top` (default: the item's own largest quality; a menu passes the
 *  largest quality of all its items, so that 1e-9 means 1e-9 of the menu). */
function expectItem(actual: number[], expected: number[], what: string, top = Math.max(...expected.map(Math.abs), 1e-300)): void {
  actual.forEach((x, b) => close(x, expected[b], 0, `${what} bin ${b + 1}`, 1e-9 * top));
}
const menuTop = (sol: MarketSolution) => Math.max(...(sol.points ?? []).flatMap((r) => bins(r, "budgetQBins")), 1e-300);

// ------------------------------------------------------------------ Proposition 3

describe("Proposition 3: proportional profiles make full contracting the token-budget menu", () => {
  const shape = [1.4, 0.9, 0.2, 0.6, 1.1];
  const cases: [string, number[], number[]][] = [
    ["regular, nobody excluded", [1, 1.3, 1.7, 2.2], [0.25, 0.25, 0.25, 0.25]],
    ["exclusion and ironing (a heavy middle type)", [0.5, 0.9, 1.0, 1.05, 1.8], [0.3, 0.05, 0.4, 0.05, 0.2]],
    ["many types, random scales", [0.37, 0.52, 0.8, 0.81, 1.1, 1.25, 1.6, 1.9, 2.4, 3.1], [0.05, 0.15, 0.1, 0.05, 0.2, 0.1, 0.05, 0.1, 0.1, 0.1]],
  ];
  it.each(cases)("%s: profit, per-bin items and prices equal the budget menu's (1e-9)", (_name, scales, probs) => {
    const { sol } = solve(
      scales.map((a) => shape.map((x) => a * x)),
      probs,
    );
    expect(sol.certificate.certified).toBe(true);
    close(sol.scalars.profit as number, sol.scalars.budgetProfit as number, 1e-9, "profit against budgetProfit");
    close(sol.scalars.contractingGain as number, 0, 0, "contractingGain", 1e-9 * (sol.scalars.budgetProfit as number));
    close(sol.scalars.consumerSurplus as number, sol.scalars.budgetConsumerSurplus as number, 1e-9, "consumer surplus", 1e-12);
    let tTop = 0;
    for (const r of sol.points ?? []) tTop = Math.max(tTop, Math.abs(r.budgetT as number));
    for (const r of sol.points ?? []) {
      expectItem(bins(r, "QBins"), bins(r, "budgetQBins"), `type ${r.type}`, menuTop(sol));
      close(r.t as number, r.budgetT as number, 0, `type ${r.type} price`, 1e-9 * tTop);
    }
  });

  it("holds over random proportional profiles (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.05, max: 2, noNaN: true }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.double({ min: 0.1, max: 3, noNaN: true }), fc.double({ min: 0.05, max: 1, noNaN: true })), { minLength: 2, maxLength: 7 }),
        fc.double({ min: 0.3, max: 0.75, noNaN: true }),
        (shp, types, sigma) => {
          const probs = types.map(([, q]) => q);
          const total = probs.reduce((a, b) => a + b, 0);
          const tech: TechnologySpec = { sigma, aggregate: { kappa: 1, gamma: 0.5 * (1 - sigma) }, fineTuning: { kind: "none" } };
          const { sol } = solve(
            types.map(([a]) => shp.map((x) => a * x)),
            probs.map((q) => q / total),
            tech,
          );
          expect(sol.certificate.certified).toBe(true);
          close(sol.scalars.profit as number, sol.scalars.budgetProfit as number, 1e-9, "profit against budgetProfit");
          for (const r of sol.points ?? []) expectItem(bins(r, "QBins"), bins(r, "budgetQBins"), `type ${r.type}`, menuTop(sol));
        },
      ),
      { numRuns: 25 },
    );
  });
});

// ------------------------------------------------------------------ two types

describe("two types in closed form", () => {
  const sigma = CES.sigma;
  const cost = buildTechnology(CES);

  it("ordered profiles: no distortion at the top, the low type's item from its virtual profile (1e-9)", () => {
    const wL = [0.6, 0.3, 0.9, 0.1];
    const wH = [1.0, 0.8, 1.1, 0.5];
    const [pL, pH] = [0.6, 0.4];
    const { sol } = solve([wL, wH], [pL, pH]);
    expect(sol.certificate.certified).toBe(true);
    const QH = bestItem(wH, 1, sigma, cost);
    const vL = wL.map((x, b) => x - (pH / pL) * (wH[b] - x));
    const QL = bestItem(vL, 1, sigma, cost);
    expectItem(bins(rec(sol, 1), "QBins"), QH, "high type (efficient)");
    expectItem(bins(rec(sol, 0), "QBins"), QL, "low type (virtual profile)");
    const tL = value(wL, QL);
    const tH = value(wH, QH) - (value(wH, QL) - value(wL, QL));
    close(rec(sol, 0).t as number, tL, 1e-9, "t_L = u_L(Q^L)");
    close(rec(sol, 1).t as number, tH, 1e-9, "t_H = u_H(Q^H) − rent");
    const profit = pL * (tL - costOf(QL, sigma, cost)) + pH * (tH - costOf(QH, sigma, cost));
    close(sol.scalars.profit as number, profit, 1e-9, "profit");
    // What binds: the high type envies the low type's item; the low type's participation.
    expect(sol.incentives?.binding.map((b) => [b.envier, b.envied])).toEqual([[1, 0]]);
    close(sol.incentives?.binding[0].multiplier as number, pH, 1e-9, "λ_HL = p_H");
    expect(sol.incentives?.participationBinding).toEqual([0]);
    // Full contracting distorts the low type less than budgets do (triangle inequality).
    expect(rec(sol, 0).Q as number).toBeGreaterThan(rec(sol, 0).budgetQ as number);
    close(rec(sol, 1).Q as number, rec(sol, 1).budgetQ as number, 1e-9, "no distortion at the top in either regime");
  });

  it("ordered profiles with the low type excluded: its virtual profile is nowhere positive", () => {
    const wL = [0.2, 0.1, 0.3];
    const wH = [1.0, 0.9, 1.2];
    const { sol } = solve([wL, wH], [0.5, 0.5]);
    expect(sol.certificate.certified).toBe(true);
    expect(bins(rec(sol, 0), "QBins")).toEqual([0, 0, 0]);
    expect(rec(sol, 0).t).toBe(0);
    expectItem(bins(rec(sol, 1), "QBins"), bestItem(wH, 1, sigma, cost), "high type");
    close(rec(sol, 1).t as number, value(wH, bestItem(wH, 1, sigma, cost)), 1e-9, "the high type pays its full value");
  });

  // Unordered profiles: λ = λ_HL ∈ [0, p_H]; v_L(λ) = p_L w^L − λ (w^H − w^L), Q^H efficient.
  const wL = [1, 0.5];
  const [pL, pH] = [0.5, 0.5];
  const QLof = (wH: number[], lam: number) => bestItem(wL.map((x, b) => pL * x - lam * (wH[b] - x)), pL, sigma, cost);

  it("(i) different enough profiles: no envy binds, full extraction at the first best", () => {
    const wH = [0.4, 1.5];
    const { sol } = solve([wL, wH], [pL, pH]);
    expect(sol.certificate.certified).toBe(true);
    expect(sol.incentives?.binding).toEqual([]);
    expect(sol.incentives?.participationBinding).toEqual([0, 1]);
    const QL = bestItem(wL, 1, sigma, cost);
    const QH = bestItem(wH, 1, sigma, cost);
    // the regime's condition: each efficient item is worth more to its own type
    expect(value(wH, QL)).toBeLessThan(value(wL, QL));
    expect(value(wL, QH)).toBeLessThan(value(wH, QH));
    expectItem(bins(rec(sol, 0), "QBins"), QL, "L efficient");
    expectItem(bins(rec(sol, 1), "QBins"), QH, "H efficient");
    const fb = pL * (value(wL, QL) - costOf(QL, sigma, cost)) + pH * (value(wH, QH) - costOf(QH, sigma, cost));
    close(sol.scalars.profit as number, fb, 1e-9, "profit = first-best surplus");
    close(sol.scalars.consumerSurplus as number, 0, 0, "no rent", 1e-12);
  });

  it("(ii) both participation constraints and H's envy bind, 0 < λ < p_H with u_H(Q^L) = u_L(Q^L)", () => {
    const wH = [0.9, 1];
    const { sol } = solve([wL, wH], [pL, pH]);
    expect(sol.certificate.certified).toBe(true);
    // λ from the indifference of H and L about L's item (bisection; g falls in λ)
    const g = (lam: number) => value(wH, QLof(wH, lam)) - value(wL, QLof(wH, lam));
    expect(g(0)).toBeGreaterThan(0);
    expect(g(pH)).toBeLessThan(0);
    let [lo, hi] = [0, pH];
    for (let k = 0; k < 200; k++) {
      const mid = 0.5 * (lo + hi);
      if (g(mid) > 0) lo = mid;
      else hi = mid;
    }
    const lam = 0.5 * (lo + hi);
    const QL = QLof(wH, lam);
    const QH = bestItem(wH, 1, sigma, cost);
    expectItem(bins(rec(sol, 0), "QBins"), QL, "L at λ");
    expectItem(bins(rec(sol, 1), "QBins"), QH, "H efficient");
    expect(sol.incentives?.binding.map((b) => [b.envier, b.envied])).toEqual([[1, 0]]);
    close(sol.incentives?.binding[0].multiplier as number, lam, 1e-7, "λ_HL");
    expect(sol.incentives?.participationBinding).toEqual([0, 1]);
    const profit = pL * (value(wL, QL) - costOf(QL, sigma, cost)) + pH * (value(wH, QH) - costOf(QH, sigma, cost));
    close(sol.scalars.profit as number, profit, 1e-9, "profit (both types at zero rent)");
  });

  it("(iii) unordered profiles where the ordered solution holds: λ = p_H, only L's participation binds", () => {
    const wH = [0.9, 1];
    const wL2 = [1, 0.8];
    const { sol } = solve([wL2, wH], [pL, pH]);
    expect(sol.certificate.certified).toBe(true);
    const QH = bestItem(wH, 1, sigma, cost);
    const QL = bestItem(
      wL2.map((x, b) => x - (pH / pL) * (wH[b] - x)),
      1,
      sigma,
      cost,
    );
    // its conditions: IR_H (u_H(Q^L) ≥ u_L(Q^L)) and IC_LH hold
    expect(value(wH, QL)).toBeGreaterThan(value(wL2, QL));
    expectItem(bins(rec(sol, 0), "QBins"), QL, "L");
    expectItem(bins(rec(sol, 1), "QBins"), QH, "H");
    expect(sol.incentives?.binding.map((b) => [b.envier, b.envied])).toEqual([[1, 0]]);
    close(sol.incentives?.binding[0].multiplier as number, pH, 1e-9, "λ_HL = p_H");
    expect(sol.incentives?.participationBinding).toEqual([0]);
  });

  it("who envies follows θ, not the listing order: type 0 (the higher θ, though not higher on every bin) envies type 1", () => {
    const { sol } = solve([[1, 0.8], [0.5, 1]], [0.5, 0.5]);
    expect(sol.certificate.certified).toBe(true);
    expect(sol.incentives?.binding.map((b) => [b.envier, b.envied])).toEqual([[0, 1]]);
    expect(sol.scalars.upwardBindingPairs).toBe(0);
  });
});

// ------------------------------------------------------------------ full contracting ≥ budgets

describe("full contracting never earns less than token budgets (property)", () => {
  it("over random profiles, probabilities and technologies: certified, checks passing, profit ≥ budget profit", () => {
    const weights = fc.oneof(
      fc.double({ min: 0, max: 2, noNaN: true }),
      fc.constant(0),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((m) =>
          fc.array(
            fc.tuple(
              fc.array(weights, { minLength: m, maxLength: m }).filter((r) => r.some((x) => x > 0.01)),
              fc.double({ min: 0.05, max: 1, noNaN: true }),
            ),
            { minLength: 2, maxLength: 8 },
          ),
        ),
        fc.double({ min: 0.25, max: 0.85, noNaN: true }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        (types, sigma, gFrac) => {
          const total = types.reduce((a, [, q]) => a + q, 0);
          const tech: TechnologySpec = { sigma, aggregate: { kappa: 0.7, gamma: gFrac * (0.97 - sigma) }, fineTuning: { kind: "none" } };
          const { sol } = solve(
            types.map(([r]) => r),
            types.map(([, q]) => q / total),
            tech,
          );
          const profit = sol.scalars.profit as number;
          const budget = sol.scalars.budgetProfit as number;
          expect(profit).toBeGreaterThanOrEqual(budget - 1e-12 * Math.abs(budget));
          // the difference, or 0 within rounding (1e-12 of the profits)
          const diff = profit - budget;
          expect(sol.scalars.contractingGain).toBe(Math.abs(diff) <= 1e-12 * Math.max(Math.abs(profit), Math.abs(budget)) ? 0 : diff);
          expect(sol.scalars.contractingGain as number).toBeGreaterThanOrEqual(0);
          expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
          expect(sol.certificate.optimalityGap as number).toBeLessThanOrEqual(1e-9);
          expect(sol.scalars.dualBound as number).toBeGreaterThanOrEqual(profit - 1e-9 * Math.abs(profit));
        },
      ),
      { numRuns: 60 },
    );
  });
});

// ------------------------------------------------------------------ the cost of a profile

describe("C(Q) = C_b(A(Q)): fine-tuning shared across tasks", () => {
  // Direct: tokens x_b on each bin (mass 1/M) with Ψ(x_b) = x_b^σ (one class, unit cost c) and a
  // fine-tuning level z with Φ(z) shared: Q_b = x_b^σ Φ(z), so x_b = (Q_b/Φ(z))^(1/σ); minimize
  // over z by golden section.
  const direct = (Q: number[], sigma: number, c: number, phi: (z: number) => number, cz: number): number => {
    const f = (z: number) => (c / Q.length) * Q.reduce((acc, q) => acc + Math.pow(q / phi(z), 1 / sigma), 0) + cz * z;
    let [a, b] = [0, 50];
    const gr = (Math.sqrt(5) - 1) / 2;
    for (let k = 0; k < 300; k++) {
      const x1 = b - gr * (b - a);
      const x2 = a + gr * (b - a);
      if (f(x1) < f(x2)) b = x2;
      else a = x1;
    }
    const interior = f(0.5 * (a + b));
    const corner = f(0);
    return Number.isNaN(corner) ? interior : Math.min(interior, corner);
  };
  const Q = [0.3, 0.05, 0.8, 0.4, 0];

  it("CES fine-tuning: κ ((1/M) Σ Q_b^(1/σ))^(σ/η)", () => {
    const tech: TechnologySpec = {
      sigma: 0.4,
      tokens: { rho: 1, classes: [{ name: "x", alpha: 1, cost: 0.7 }] },
      fineTuning: { kind: "ces", gamma: 0.35, rho: 1, classes: [{ name: "z", alpha: 1, cost: 1.3 }] },
    };
    const cost = buildTechnology(tech);
    const A = aggregateQuality(Q, 0, Q.length, 0.4);
    close(cost.cost(A), direct(Q, 0.4, 0.7, (z) => Math.pow(z, 0.35), 1.3), 1e-9, "CES");
    const s = Q.reduce((acc, q) => acc + Math.pow(q, 1 / 0.4), 0) / Q.length;
    close(cost.cost(A), cost.kappa * Math.pow(s, 0.4 / 0.75), 1e-12, "κ ((1/M) Σ Q^(1/σ))^(σ/η)");
  });

  it("baseline fine-tuning (b + z)^γ, with its corner z = 0", () => {
    const tech: TechnologySpec = {
      sigma: 0.5,
      tokens: { rho: 1, classes: [{ name: "x", alpha: 1, cost: 0.5 }] },
      fineTuning: { kind: "baseline", gamma: 0.3, b: 0.8, classes: [{ name: "z", alpha: 1, cost: 0.9 }] },
    };
    const cost = buildTechnology(tech);
    for (const scale of [0.05, 1, 6]) {
      const Qs = Q.map((q) => q * scale);
      close(cost.cost(aggregateQuality(Qs, 0, Qs.length, 0.5)), direct(Qs, 0.5, 0.5, (z) => Math.pow(0.8 + z, 0.3), 0.9), 1e-9, `baseline, scale ${scale}`);
    }
  });
});

// ------------------------------------------------------------------ checks and outputs

describe("a-posteriori checks and outputs", () => {
  const weights = [
    [1.6, 1.4, 0.2, 0.1],
    [1.1, 1.0, 0.1, 0.1],
    [0.1, 0.3, 1.2, 1.5],
    [0.6, 0.5, 0.6, 0.6],
  ];
  const probs = [0.2, 0.3, 0.25, 0.25];

  it("catch a menu that is not incentive compatible or individually rational", () => {
    const { sol, types } = solve(weights, probs);
    const n = types.n;
    const m = types.m;
    const Q = new Float64Array(n * m);
    const t = new Float64Array(n);
    for (const r of sol.points ?? []) {
      const i = types.source.indexOf(r.type as number);
      Q.set(bins(r, "QBins"), i * m);
      t[i] = r.t as number;
    }
    expect(checkFiniteTypeMenu({ n, m, w: types.w, Q, t }).passed).toBe(true);
    // a price above a type's value: participation fails
    const t2 = Float64Array.from(t);
    const top = t.indexOf(Math.max(...t));
    t2[top] *= 1.5;
    const c2 = checkFiniteTypeMenu({ n, m, w: types.w, Q, t: t2 });
    expect(c2.passed).toBe(false);
    expect(c2.failures.join(" ")).toMatch(/participation/);
    // a cheap high-quality item: somebody else takes it
    const t3 = Float64Array.from(t);
    t3[top] *= 0.5;
    const c3 = checkFiniteTypeMenu({ n, m, w: types.w, Q, t: t3 });
    expect(c3.icMaxGain).toBeGreaterThan(c3.tolerance);
    expect(c3.failures.join(" ")).toMatch(/incentive compatibility/);
  });

  it("reports both regimes, the gain, one point per type and the binding structure", () => {
    const { sol } = solve(weights, probs);
    const s = sol.scalars;
    for (const k of ["profit", "consumerSurplus", "welfare", "budgetProfit", "contractingGain"]) expect(Number.isFinite(s[k] as number), k).toBe(true);
    close(s.welfare as number, (s.profit as number) + (s.consumerSurplus as number), 1e-12, "welfare = profit + consumer surplus");
    close(s.contractingGainRelative as number, (s.contractingGain as number) / (s.budgetProfit as number), 1e-12, "relative gain");
    expect(sol.points?.length).toBe(4);
    expect(sol.curves.theta.length).toBe(4);
    expect([...sol.curves.theta]).toEqual([...sol.curves.theta].sort((a, b) => a - b));
    expect(sol.incentives?.binding.length).toBe(s.bindingPairs);
    // a type's point is found by its θ; another θ names the option
    const r = sol.points?.[2] as PointRecord;
    expect(sol.pointAt(r.theta).type).toBe(r.type);
    expect(() => sol.pointAt(r.theta * 1.01 + 1e-3)).toThrow(/--at/);
    // scalar-only solves (sweep points) give the same numbers
    const types = taskTypes(listed(weights, probs), CES.sigma, 1, 4);
    const fast = solveTokenDistributions({ types, sigma: CES.sigma, cost: buildTechnology(CES) }, { scalarsOnly: true });
    expect(fast.scalars).toEqual(sol.scalars);
  });
});

describe("the full-contracting note says what the certificate says", () => {
  it("'certified by Lagrangian duality' only when the gap is within 1e-9, else 'NOT certified' (an independent checker's market)", () => {
    // 40 iid profiles over 6 tasks, σ = 0.1: the dual bound leaves a gap of ~5e-4 (known limit at small σ)
    const raw = { name: "e9", buyers: { profiles: { kind: "iid", samples: 40, tasks: 6, weight: { dist: "beta", a: 0.5, b: 0.5 } } }, technology: { sigma: 0.1, aggregate: { kappa: 1, gamma: 0.05 } }, market: { kind: "tokenDistributions", bins: 6 } };
    const sol = solveScenario(parseScenario(raw));
    const note = sol.solver.notes.find((n) => n.startsWith("full contracting"));
    expect(note).toBeDefined();
    expect(note!.startsWith(sol.certificate.certified ? "full contracting certified by" : "full contracting NOT certified (to 1e-9 of profit) by"), `${note} / ${sol.certificate.certificate}`).toBe(true);
    // and a certified one says certified
    const { sol: ok } = solve([[1.6, 1.4, 0.2, 0.1], [1.1, 1.0, 0.1, 0.1], [0.1, 0.3, 1.2, 1.5], [0.6, 0.5, 0.6, 0.6]], [0.2, 0.3, 0.25, 0.25]);
    expect(ok.certificate.certified).toBe(true);
    expect(ok.solver.notes.some((n) => n.startsWith("full contracting certified by"))).toBe(true);
  });
});

describe("small σ: the primal interior point certifies what the dual's items left short (distributions-primal.ts)", () => {
  // At σ ≤ 0.2 the dual's items Q_b ∝ (v_b⁺)^(σ/(1−σ)) are ill-conditioned in the multipliers.
  // Before the primal interior point, 14 of 30 random markets with σ in [0.02, 0.2] (N ≤ 40,
  // M ≤ 8; scan seed 1) were not certified, with gaps up to 4.6 % of profit; after it, 90 of 90
  // (seeds 1–3) and 80 of 80 with 8–20 types. Not every market: fast-check finds some (σ = 0.03,
  // η = 0.1, weights of 0.01 beside 2) left at a gap of 2e-5, reported NOT certified. So the
  // property asserts what must always hold, and the markets below what the step achieves.
  const EXAMPLE = [
    [1.6, 1.4, 0.8, 0.2, 0.1, 0.1, 0.2, 0.4],
    [1.1, 1.0, 0.5, 0.1, 0.1, 0.0, 0.1, 0.3],
    [0.1, 0.1, 0.3, 1.2, 1.5, 0.9, 0.2, 0.4],
    [0.0, 0.1, 0.1, 0.6, 0.3, 0.8, 1.4, 0.9],
    [0.6, 0.5, 0.6, 0.6, 0.6, 0.5, 0.6, 0.6],
    [0.3, 0.25, 0.3, 0.3, 0.3, 0.25, 0.3, 0.3],
  ];
  const EXAMPLE_P = [0.1, 0.2, 0.15, 0.15, 0.15, 0.25];

  it("scenarios/examples/token-distributions.json at σ = 0.05 and 0.03: certified (the dual alone stopped at gaps of 1.8e-3 and 2.2e-3)", () => {
    for (const sigma of [0.05, 0.03]) {
      const { sol } = solve(EXAMPLE, EXAMPLE_P, { ...CES, sigma });
      const profit = sol.scalars.profit as number;
      expect(sol.certificate.certified, `σ = ${sigma}: gap ${sol.certificate.optimalityGap}`).toBe(true);
      expect(sol.certificate.optimalityGap as number).toBeLessThanOrEqual(1e-9);
      expect(sol.scalars.dualBound as number).toBeGreaterThanOrEqual(profit * (1 - 1e-12));
      expect(sol.solver.notes.some((n) => n.startsWith("the primal interior point took the gap from"))).toBe(true);
    }
  });

  it("markets found by the property below: a NaN multiplier no longer makes a bound below a feasible profit, nor a Newton matrix a crash", () => {
    const agg = (sigma: number, gamma: number): TechnologySpec => ({ sigma, aggregate: { kappa: 0.7, gamma }, fineTuning: { kind: "none" } });
    const cases: [number[][], number[], TechnologySpec][] = [
      // the bound came out 0.01973 below the menu's 0.02001 (a NaN multiplier counted as nothing) and was called certified
      [
        [[0, 0.05, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0.05], [0, 0, 0, 0.05, 0, 0, 0], [0.05, 0, 0, 0, 0, 0, 0], [0.05, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0.05], [0, 0, 0, 0, 2, 0, 0.10915786172936782], [0, 5e-324, 0, 0, 0.05, 0, 0]],
        [0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.3128510689868481],
        agg(0.02, 0.03),
      ],
      // "Newton matrix not positive definite" (weights of 1e-315 beside ones of 2) ended the solve
      [
        [[0, 0, 0.05, 0, 0], [0, 0, 0.05, 0, 0], [0.050000109823224725, 1.4446124413316278e-41, 0, 0, 0], [2, 0, 0, 0, 0], [2, 0, 0, 0, 0], [0, 0, 0, 2, 0], [0, 0, 0, 0, 2], [1.5e-323, 2, 0, 2.10117005e-315, 0]],
        [0.05, 0.05, 0.05, 0.19584551570583128, 0.05, 0.05, 0.6070747068617415, 0.21160648376677707],
        agg(0.03363837289022859, 0.05 - 0.03363837289022859),
      ],
    ];
    for (const [weights, pr, tech] of cases) {
      const total = pr.reduce((a, b) => a + b, 0);
      const { sol } = solve(weights, pr.map((q) => q / total), tech);
      const profit = sol.scalars.profit as number;
      expect(sol.scalars.dualBound as number).toBeGreaterThanOrEqual(profit - 1e-9 * Math.abs(profit));
      expect(profit).toBeGreaterThanOrEqual((sol.scalars.budgetProfit as number) * (1 - 1e-12));
      expect(sol.certificate.certified, `gap ${sol.certificate.optimalityGap}`).toBe(true);
    }
  });

  it("random profiles with σ in [0.02, 0.2]: the bound never below the profit, the certificate exactly when the gap is within 1e-9, checks passing (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 7 }).chain((m) =>
          fc.array(
            fc.tuple(
              fc.array(fc.oneof(fc.double({ min: 0.01, max: 2, noNaN: true }), fc.constant(0)), { minLength: m, maxLength: m }).filter((r) => r.some((x) => x > 0.05)),
              fc.double({ min: 0.05, max: 1, noNaN: true }),
            ),
            { minLength: 8, maxLength: 20 },
          ),
        ),
        fc.double({ min: 0.02, max: 0.2, noNaN: true }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        (types, sigma, gFrac) => {
          const total = types.reduce((a, [, q]) => a + q, 0);
          const gamma = gFrac * (0.97 - sigma);
          const tech: TechnologySpec = { sigma, aggregate: { kappa: 0.7, gamma }, fineTuning: { kind: "none" } };
          const { sol } = solve(
            types.map(([r]) => r),
            types.map(([, q]) => q / total),
            tech,
          );
          const profit = sol.scalars.profit as number;
          const gap = sol.certificate.optimalityGap;
          expect(sol.scalars.dualBound as number, `σ = ${sigma}, γ = ${gamma}`).toBeGreaterThanOrEqual(profit - 1e-9 * Math.abs(profit));
          expect(profit).toBeGreaterThanOrEqual((sol.scalars.budgetProfit as number) * (1 - 1e-12));
          expect(sol.certificate.certified).toBe(gap !== null && gap <= 1e-9);
        },
      ),
      { numRuns: Number(process.env.RUNS ?? 25) },
    );
  });
});

describe("what the result says about rounding and excluded types (a reviewer's)", () => {
  it("a gain within rounding is 0, never negative; excluded types are not counted as participation-binding", () => {
    // identical profiles: the budget menu is optimal, the difference is rounding (−1.1e-16 was reported)
    const dup = solve([[1, 0], [1, 0], [0, 1]], [0.3, 0.3, 0.4]).sol;
    expect(dup.scalars.contractingGain).toBe(0);
    expect(dup.scalars.contractingGainRelative).toBe(0);
    // proportional profiles (Proposition 3: exactly 0; 3.1e-13 was reported), one of them all zeros
    const prop = solve([[1, 2, 3, 0], [0.5, 1, 1.5, 0], [2, 4, 6, 0], [0, 0, 0, 0]], [0.25, 0.25, 0.25, 0.25]).sol;
    expect(prop.scalars.contractingGain).toBe(0);
    const inc = prop.incentives!;
    for (const i of inc.excluded) expect(inc.participationBinding).not.toContain(i);
    const served = [0, 1, 2, 3].filter((i) => !inc.excluded.includes(i));
    const pr = [0.25, 0.25, 0.25, 0.25];
    expect(prop.scalars.participationBindingShare).toBeCloseTo(inc.participationBinding.reduce((a, i) => a + pr[i], 0), 15);
    expect(served.length).toBeGreaterThan(0);
    const note = prop.solver.notes.find((n) => n.startsWith("participation binds for"))!;
    expect(note).toMatch(/served type\(s\)/);
    expect(note).toMatch(new RegExp(`excluded \\(nothing sold\\): ${inc.excluded.join(", ")}`));
  });
});
