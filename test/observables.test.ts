// The observables (solvers/observables.ts, README "Observables") against independent
// computations: closed forms for uniform types (volumes, revenue, median payment), quadrature
// of curves.csv-style columns with the density column f (class volumes, revenue, the
// token-weighted median price), finite differences along the curves (marginal prices per
// token), and the definitions' identities (shares sum to one, currency = value × rate).
import { describe, expect, it } from "vitest";
import { parseScenario } from "../engine/scenario/load.js";
import { OBSERVABLE_NAMES } from "../engine/scenario/observable-names.js";
import { aggregateTokensPerQ } from "../engine/technology/token-units.js";
import { solveScenario } from "../solvers/solve.js";
import type { MarketSolution } from "../solvers/types.js";
import { makeSweepContext, solveRange } from "../workers/sweep-point.js";
import { close } from "./helpers/close.js";

const num = (sol: MarketSolution, k: string): number => {
  const v = sol.scalars[k];
  if (typeof v !== "number") throw new Error(`${k} is ${String(v)}`);
  return v;
};

/** ∫_a^b g by 64-point composite Gauss–Legendre on n panels (the test's own quadrature). */
function gauss(g: (x: number) => number, a: number, b: number, n = 400): number {
  // 5-point Gauss–Legendre nodes/weights on [−1, 1]
  const X = [0, -0.5384693101056831, 0.5384693101056831, -0.906179845938664, 0.906179845938664];
  const W = [0.5688888888888889, 0.47862867049936647, 0.47862867049936647, 0.23692688505618908, 0.23692688505618908];
  let s = 0;
  const h = (b - a) / n;
  for (let i = 0; i < n; i++) {
    const m = a + (i + 0.5) * h;
    for (let k = 0; k < 5; k++) s += W[k] * g(m + (X[k] * h) / 2) * (h / 2);
  }
  return s;
}

/** Simpson's rule on an odd number of equally spaced samples. */
function simpson(y: ArrayLike<number>, h: number): number {
  let s = y[0] + y[y.length - 1];
  for (let i = 1; i < y.length - 1; i++) s += (i % 2 ? 4 : 2) * y[i];
  return (s * h) / 3;
}

/** The token-weighted median of values v with weights w, by sorting (brute force). */
function weightedMedian(v: number[], w: number[]): number {
  const idx = v.map((_, i) => i).filter((i) => w[i] > 0).sort((a, b) => v[a] - v[b]);
  const total = idx.reduce((a, i) => a + w[i], 0);
  let c = 0;
  for (const i of idx) {
    c += w[i];
    if (c >= total / 2) return v[i];
  }
  return NaN;
}

const monopolyUniform = (sigma: number, gamma: number, kappa: number, points = 401) =>
  parseScenario({
    name: "m",
    buyers: { theta: { dist: "uniform", min: 0, max: 1 } },
    technology: { sigma, aggregate: { kappa, gamma } },
    market: { kind: "monopoly" },
    grid: { points },
  });

const leaderFringe = (over: { cF?: number; gL?: number; cL?: number; points?: number; units?: object } = {}) =>
  parseScenario({
    name: "lf",
    buyers: { theta: { dist: "uniform", min: 0, max: 1 } },
    technology: { sigma: 0.5 },
    market: { kind: "leaderFringe", leader: { gamma: over.gL ?? 0.3, cost: over.cL ?? 0.3 }, fringe: { gamma: 0, cost: over.cF ?? 0.2 } },
    grid: { points: over.points ?? 401 },
    ...(over.units ? { units: over.units } : {}),
  });

describe("monopoly, θ ~ U[0, 1], C = κQ^(1/η): closed forms (docs/model.md 2)", () => {
  const cases = [
    { sigma: 0.5, gamma: 0.3, kappa: 0.25 },
    { sigma: 0.4, gamma: 0, kappa: 1.3 },
    { sigma: 0.6, gamma: 0.2, kappa: 0.05 },
  ];
  for (const c of cases) {
    it(`volumes, revenue, average price, mean and median payment at σ = ${c.sigma}, γ = ${c.gamma}, κ = ${c.kappa}`, () => {
      const sol = solveScenario(monopolyUniform(c.sigma, c.gamma, c.kappa));
      const eta = c.sigma + c.gamma;
      const m = eta / (1 - eta);
      const Q = (t: number) => (t > 0.5 ? Math.pow((eta * (2 * t - 1)) / c.kappa, m) : 0);
      const U = (t: number) => (t > 0.5 ? (Math.pow(eta / c.kappa, m) * Math.pow(2 * t - 1, m + 1)) / (2 * (m + 1)) : 0);
      const tr = (t: number) => t * Q(t) - U(t);
      // E[q] with q = Q^(1/η) = (η(2θ−1)/κ)^(1/(1−η)): ∫_{1/2}^1 = (η/κ)^r / (2(r + 1)), r = 1/(1−η)
      const r = 1 / (1 - eta);
      const Eq = Math.pow(eta / c.kappa, r) / (2 * (r + 1));
      const k = aggregateTokensPerQ(c.sigma, c.gamma);
      close(num(sol, "taskTokens"), k.task * Eq, 1e-11, "taskTokens");
      close(num(sol, "fineTuningTokens"), k.fineTuning * Eq, 1e-11, "fineTuningTokens", 1e-300);
      close(num(sol, "cost"), c.kappa * Eq, 1e-11, "cost");
      // ∫ t = ∫ θQ − ∫ U in closed form (s = 2θ − 1): A/4·(1/(m+1) + 1/(m+2)) − A/(4(m+1)(m+2)), A = (η/κ)^m
      const A = Math.pow(eta / c.kappa, m);
      const revenue = (A / 4) * (1 / (m + 1) + 1 / (m + 2)) - A / (4 * (m + 1) * (m + 2));
      close(gauss(tr, 0.5, 1), revenue, 1e-7, "the closed form against quadrature");
      close(num(sol, "revenue"), revenue, 1e-10, "revenue = ∫ t f");
      close(num(sol, "averagePrice"), revenue / (k.task * Eq), 1e-10, "averagePrice");
      close(num(sol, "servedShare"), 0.5, 1e-15, "servedShare");
      close(num(sol, "meanPayment"), revenue / 0.5, 1e-10, "meanPayment over served buyers");
      close(num(sol, "medianPayment"), tr(0.75), 1e-12, "medianPayment = t at the median served type 3/4");
      // Token-weighted median price per task token: brute force on 200,001 types.
      const n = 200_000;
      const v: number[] = [];
      const w: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = 0.5 + (0.5 * (i + 0.5)) / n;
        const q = Math.pow(Q(t), 1 / eta);
        v.push(tr(t) / (k.task * q));
        w.push(q);
      }
      close(num(sol, "medianPricePerToken"), weightedMedian(v, w), 2e-5, "medianPricePerToken");
    });
  }

  it("curves: f = 1, F = θ, task tokens, average price t/X and the marginal price per token dt/dX", () => {
    const sol = solveScenario(monopolyUniform(0.5, 0.3, 0.25, 2001));
    const { theta, columns } = sol.curves;
    for (let i = 0; i < theta.length; i += 100) {
      expect(columns.f[i]).toBe(1);
      close(columns.F[i], theta[i], 1e-15, "F", 1e-300);
    }
    const X = columns.taskTokens;
    for (let i = 1200; i < theta.length - 1; i += 97) {
      close(columns.averagePrice[i], columns.t[i] / X[i], 1e-14, "averagePrice");
      const slope = (columns.t[i + 1] - columns.t[i - 1]) / (X[i + 1] - X[i - 1]);
      close(columns.marginalPricePerToken[i], slope, 1e-4, `dt/dX at θ = ${theta[i]}`);
    }
  });

  it("token classes: per-class volumes from the X.<class> columns (Simpson with f), summing to the total", () => {
    const s = parseScenario({
      name: "classes",
      buyers: { theta: { dist: "beta", a: 2, b: 3 } },
      technology: {
        sigma: 0.5,
        tokens: { rho: 0.5, classes: [{ name: "input", alpha: 0.4, cost: 1 }, { name: "output", alpha: 0.6, cost: 3 }] },
        fineTuning: { kind: "ces", gamma: 0.3, rho: 0.5, classes: [{ name: "sft", alpha: 1, cost: 2 }] },
      },
      market: { kind: "monopoly" },
      grid: { points: 20001 },
    });
    const sol = solveScenario(s);
    const { theta, columns } = sol.curves;
    const h = theta[1] - theta[0];
    const integral = (col: string) => simpson(Array.from(theta, (_, i) => columns[col][i] * columns.f[i]), h);
    for (const [scalar, col] of [
      ["taskTokens.input", "X.input"],
      ["taskTokens.output", "X.output"],
      ["fineTuningTokens.sft", "Z.sft"],
    ]) {
      close(num(sol, scalar), integral(col), 1e-6, scalar);
    }
    close(num(sol, "taskTokens"), num(sol, "taskTokens.input") + num(sol, "taskTokens.output"), 1e-14, "sum of classes");
    close(num(sol, "revenue"), integral("t"), 1e-6, "revenue = ∫ t f");
  });

  it("finitely many types: volumes and the lower median over the atoms", () => {
    const s = parseScenario({
      name: "disc",
      buyers: { theta: { dist: "discrete", values: [0.2, 0.5, 0.8, 1], probs: [0.3, 0.3, 0.2, 0.2] } },
      technology: { sigma: 0.5, aggregate: { kappa: 0.2, gamma: 0.2 } },
      market: { kind: "monopoly" },
    });
    const sol = solveScenario(s);
    const k = aggregateTokensPerQ(0.5, 0.2);
    const pts = [0.2, 0.5, 0.8, 1].map((t) => sol.pointAt(t));
    const p = [0.3, 0.3, 0.2, 0.2];
    const q = pts.map((r) => Math.pow(r.Q as number, 1 / 0.7));
    close(num(sol, "taskTokens"), q.reduce((a, v, i) => a + p[i] * v * k.task, 0), 1e-13, "taskTokens");
    const served = pts.map((r, i) => ((r.t as number) > 0 ? p[i] : 0));
    const pay = pts.map((r) => r.t as number);
    close(num(sol, "medianPayment"), weightedMedian(pay, served), 0, "medianPayment");
    close(num(sol, "revenue"), pay.reduce((a, v, i) => a + p[i] * v, 0), 1e-13, "revenue");
  });
});

describe("leader–fringe, θ ~ U[0, 1], γ_F = 0: closed-form volumes (docs/model.md 3c)", () => {
  for (const [cF, gL] of [
    [0.2, 0.3],
    [0.05, 0.3],
    [0.1, 0.4],
  ]) {
    it(`token shares, revenue, prices and the price ratio at c_F = ${cF}, γ_L = ${gL}`, () => {
      const sigma = 0.5;
      const cL = 0.3;
      const sol = solveScenario(leaderFringe({ cF, gL, points: 20001 }));
      const eta = sigma + gL;
      const tLow = num(sol, "thetaLow");
      const tHigh = num(sol, "thetaHigh");
      // q_F = T(θ) = (θσ/c_F)^(1/(1−σ)) below θ_low; q̂ = T^(σ/η) on (θ_low, θ_high); q^int above.
      const p1 = 1 / (1 - sigma);
      const EqF = (Math.pow(sigma / cF, p1) * Math.pow(tLow, p1 + 1)) / (p1 + 1);
      const pq = (sigma * p1) / eta;
      const EqHat = tHigh > tLow ? (Math.pow(sigma / cF, pq) * (Math.pow(tHigh, pq + 1) - Math.pow(tLow, pq + 1))) / (pq + 1) : 0;
      const r1 = 1 / (1 - eta);
      const EqInt = (Math.pow(eta / cL, r1) * Math.pow(2 * 1 - 1, r1 + 1) - Math.pow(eta / cL, r1) * Math.pow(Math.max(2 * tHigh - 1, 0), r1 + 1)) / (2 * (r1 + 1));
      const kL = aggregateTokensPerQ(sigma, gL);
      const XL = kL.task * (EqHat + EqInt);
      const XF = EqF;
      close(num(sol, "fringeTaskTokens"), XF, 1e-11, "fringe task tokens");
      close(num(sol, "leaderTaskTokens"), XL, 1e-11, "leader task tokens");
      close(num(sol, "leaderFineTuningTokens"), kL.fineTuning * (EqHat + EqInt), 1e-11, "leader fine-tuning tokens");
      close(num(sol, "fringeTokenShare"), XF / (XF + XL), 1e-11, "fringeTokenShare");
      close(num(sol, "fringeTokenShare") + num(sol, "leaderTokenShare"), 1, 1e-15, "shares sum to 1");
      // Leader revenue = ∫ t f with t the menu's transfer at each type (Gauss–Legendre above θ_low,
      // where the leader sells), fringe revenue = c_F ∫ q_F.
      const tOf = (x: number) => sol.pointAt(x).t as number;
      const revenueByGrid = gauss(tOf, tLow, tHigh, 200) + gauss(tOf, tHigh, 1, 200);
      close(num(sol, "leaderRevenue"), revenueByGrid, 1e-9, "leader revenue = ∫ t f");
      close(num(sol, "fringeRevenue"), cF * EqF, 1e-11, "fringe revenue");
      close(num(sol, "leaderAveragePrice"), revenueByGrid / XL, 1e-9, "leaderAveragePrice");
      close(num(sol, "fringePrice"), cF, 1e-15, "fringe price per task token (γ_F = 0: c_F)");
      close(num(sol, "priceRatio"), revenueByGrid / XL / cF, 1e-9, "priceRatio");
      close(num(sol, "servedShare"), 1, 0, "servedShare (everyone with θ > 0 buys from the fringe)");
      close(num(sol, "meanPayment"), revenueByGrid + cF * EqF, 1e-9, "meanPayment");
      // Median payment: the payment rises with θ; the median type of U[0, 1] is 1/2.
      const half = sol.pointAt(0.5);
      close(num(sol, "medianPayment"), (half.t as number) + cF * (half.qF as number), 1e-13, "medianPayment");
    });
  }

  it("the token-weighted median price per task token against the curves.csv columns (40,001 types)", () => {
    for (const [cF, gL] of [
      [0.05, 0.3],
      [0.0418, 0.345],
      [0.12, 0.4],
    ]) {
      const sol = solveScenario(leaderFringe({ cF, gL, points: 40001 }));
      const { theta, columns } = sol.curves;
      const v: number[] = [];
      const w: number[] = [];
      for (let i = 1; i < theta.length; i++) {
        const X = columns.XL[i] + columns.XF[i];
        v.push(columns.payment[i] / X);
        w.push(X * columns.f[i]);
      }
      close(num(sol, "medianPricePerToken"), weightedMedian(v, w), 2e-4, `medianPricePerToken at c_F = ${cF}, γ_L = ${gL}`);
    }
  });

  it("curves: the leader's average price t/X_L, and its marginal price dt/dX_L by finite differences", () => {
    const sol = solveScenario(leaderFringe({ cF: 0.1, gL: 0.4, points: 4001 }));
    const { theta, columns } = sol.curves;
    let checked = 0;
    for (let i = 1; i < theta.length - 1; i += 37) {
      if (!(columns.qL[i - 1] > 0)) continue;
      close(columns.leaderAveragePrice[i], columns.t[i] / columns.XL[i], 1e-14, "leaderAveragePrice");
      const slope = (columns.t[i + 1] - columns.t[i - 1]) / (columns.XL[i + 1] - columns.XL[i - 1]);
      close(columns.leaderMarginalPrice[i], slope, 1e-4, `dt/dX_L at θ = ${theta[i]}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("currency: every price and payment has an …InCurrency twin scaled by currencyPerCostUnit; summary records the units", () => {
    const plain = solveScenario(leaderFringe({ cF: 0.1, gL: 0.35 }));
    const cur = solveScenario(leaderFringe({ cF: 0.1, gL: 0.35, units: { currency: "USD", tokens: 1e6, currencyPerCostUnit: 2.5 } }));
    for (const k of ["leaderAveragePrice", "fringePrice", "medianPricePerToken", "meanPayment", "medianPayment", "revenue", "profit"]) {
      close(num(cur, `${k}InCurrency`), 2.5 * num(plain, k), 1e-15, k);
    }
    expect(plain.scalars.leaderAveragePriceInCurrency).toBeUndefined();
  });
});

describe("observables are sweep outputs", () => {
  it("a sweep over c_F reports fringeTokenShare, priceRatio and the medians as solve does", () => {
    const raw = {
      name: "sw",
      buyers: { theta: { dist: "uniform", min: 0, max: 1 } },
      technology: { sigma: 0.5 },
      market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } },
      sweep: { params: { "market.fringe.cost": { values: [0.05, 0.1] } }, outputs: ["fringeTokenShare", "priceRatio", "medianPricePerToken", "medianPayment"] },
    };
    const ctx = makeSweepContext({ raw, outputs: raw.sweep.outputs, curves: [] });
    const r = solveRange(ctx, 0, 2);
    expect(r.failedAt).toEqual([]);
    [0.05, 0.1].forEach((cF, p) => {
      const sol = solveScenario(leaderFringe({ cF }));
      raw.sweep.outputs.forEach((o, j) => close(r.values[p * 4 + j], num(sol, o), 1e-13, `${o} at c_F = ${cF}`));
    });
  });
});

describe("the observable names of the schema", () => {
  it("are each an output of a monopoly or a leader–fringe market, and each market's scalars", () => {
    const names = new Set([...Object.keys(solveScenario(monopolyUniform(0.5, 0.3, 0.25)).scalars), ...Object.keys(solveScenario(leaderFringe()).scalars)]);
    for (const n of OBSERVABLE_NAMES) expect(names.has(n), n).toBe(true);
    const multi = solveScenario(parseScenario({ ...leaderFringe(), market: { kind: "multiModelMonopoly", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } } }));
    for (const n of ["fringeTokenShare", "taskTokens", "revenue", "meanPayment", "medianPayment", "medianPricePerToken"]) expect(typeof multi.scalars[n], n).toBe("number");
    const cmp = solveScenario(parseScenario({ ...leaderFringe(), market: { kind: "compare", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } } }));
    for (const r of ["efficient", "multiModelMonopoly", "leaderFringe"]) expect(typeof cmp.scalars[`${r}.fringeTokenShare`], r).toBe("number");
    close(cmp.scalars["leaderFringe.priceRatio"] as number, num(solveScenario(leaderFringe()), "priceRatio"), 1e-14, "compare's leader–fringe price ratio");
  });
});
