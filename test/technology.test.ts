// Technology layer: CES unit cost and input mix (every ρ regime), the power-law cost of quality
// against the P1 reference case, the aggregate and no-fine-tuning technologies, validation of
// technology blocks (InputError paths), model constants c_ℓ, and NumericalError on bad calls.
// References are closed forms written out independently here; tolerances are stated per check.

import { describe, expect, it } from "vitest";
import { InputError, NumericalError } from "../engine/errors.js";
import type { TechnologySpec } from "../engine/scenario/spec-types.js";
import { cesInputs, cesUnitCost } from "../engine/technology/ces-unit-cost.js";
import { buildTechnology } from "../engine/technology/from-spec.js";
import { modelCost } from "../engine/technology/model-cost.js";
import { close } from "./helpers/close.js";

/** |actual − expected| ≤ rtol·|expected| + atol, with the inputs in the failure message. */
/** (Σ α^s c^(1−s))^(1/(1−s)) as docs/model.md writes it (fine while no power under/overflows). */
function directUnitCost(alpha: number[], cost: number[], rho: number): number {
  const s = 1 / (1 - rho);
  let sum = 0;
  for (let j = 0; j < alpha.length; j++) sum += Math.pow(alpha[j], s) * Math.pow(cost[j], 1 - s);
  return Math.pow(sum, 1 / (1 - s));
}

/**
 * A(X) = (Σ α X^ρ)^(1/ρ) evaluated directly on X/max X (A is homogeneous of degree 1); for
 * |ρ| < 0.01 as exp((1/ρ) log1p(Σ α expm1(ρ log x))), which keeps the digits 1/ρ would amplify.
 */
function aggregate(alpha: number[], X: ArrayLike<number>, rho: number): number {
  let m = 0;
  for (let j = 0; j < alpha.length; j++) m = Math.max(m, X[j]);
  if (rho === 0) {
    let l = 0;
    for (let j = 0; j < alpha.length; j++) l += alpha[j] * Math.log(X[j] / m);
    return m * Math.exp(l);
  }
  let S = 0;
  if (Math.abs(rho) < 0.01) {
    for (let j = 0; j < alpha.length; j++) S += alpha[j] * Math.expm1(rho * Math.log(X[j] / m));
    return m * Math.exp(Math.log1p(S) / rho);
  }
  for (let j = 0; j < alpha.length; j++) S += alpha[j] * Math.pow(X[j] / m, rho);
  return m * Math.pow(S, 1 / rho);
}

const CASES: { alpha: number[]; cost: number[] }[] = [
  { alpha: [0.4, 0.6], cost: [0.1, 0.3] },
  { alpha: [1], cost: [2.5] },
  { alpha: [0.1, 0.2, 0.3, 0.4], cost: [5, 0.02, 1, 0.3] },
  { alpha: [0.05, 0.95], cost: [9, 0.011] },
  { alpha: [0.3, 0.3, 0.4], cost: [0.6, 0.6, 0.8] }, // equal c/α for the first two
];

describe("cesUnitCost", () => {
  it("matches the closed form (Σ α^s c^(1−s))^(1/(1−s)) to 1e-13 for moderate ρ", () => {
    for (const { alpha, cost } of CASES) {
      for (const rho of [-5, -2, -1, -0.5, -0.1, 0.1, 0.3, 0.5, 0.8, 0.9]) {
        close(cesUnitCost(alpha, cost, rho), directUnitCost(alpha, cost, rho), 1e-13, { alpha, cost, rho });
      }
    }
  });

  it("P1: e_X = 5/14 and e_Z = 0.2 (ρ = 0.5) to 1e-15", () => {
    close(cesUnitCost([0.4, 0.6], [0.1, 0.3], 0.5), 5 / 14, 1e-15, "P1 eX");
    close(cesUnitCost([1], [0.2], 0.5), 0.2, 1e-15, "P1 eZ");
  });

  it("ρ = 0 is Cobb–Douglas Π (c/α)^α (1e-14) and ρ = 1 is exactly min c/α", () => {
    for (const { alpha, cost } of CASES) {
      let cd = 1;
      let min = Infinity;
      for (let j = 0; j < alpha.length; j++) {
        cd *= Math.pow(cost[j] / alpha[j], alpha[j]);
        min = Math.min(min, cost[j] / alpha[j]);
      }
      close(cesUnitCost(alpha, cost, 0), cd, 1e-14, { alpha, cost, rho: 0 });
      expect(cesUnitCost(alpha, cost, 1)).toBe(min);
    }
  });

  it("near ρ = 0 it matches the cumulant series of the power mean to 1e-13 and is continuous (1e-10)", () => {
    // log e = μ + κ2 t/2 + κ3 t²/6 + κ4 t³/24 + κ5 t⁴/120 + O(t⁵), t = −ρ/(1−ρ), cumulants of
    // r = log(c/α) under α. For |t| ≤ 1e-3 and these spreads the O(t⁵) rest is < 1e-15.
    for (const { alpha, cost } of CASES) {
      const r = alpha.map((a, j) => Math.log(cost[j] / a));
      const mu = r.reduce((s, x, j) => s + alpha[j] * x, 0);
      const m = [0, 0, 0, 0, 0, 0];
      for (let j = 0; j < r.length; j++) for (let p = 2; p <= 5; p++) m[p] += alpha[j] * Math.pow(r[j] - mu, p);
      const k2 = m[2];
      const k3 = m[3];
      const k4 = m[4] - 3 * m[2] * m[2];
      const k5 = m[5] - 10 * m[3] * m[2];
      const e0 = cesUnitCost(alpha, cost, 0);
      for (const mag of [1e-300, 1e-15, 1e-12, 1e-9, 9.99e-8, 1e-7, 1.001e-7, 1e-6, 1e-5, 1e-4, 1e-3]) {
        for (const rho of [mag, -mag]) {
          const t = -rho / (1 - rho);
          const ref = Math.exp(mu + t * (k2 / 2 + t * (k3 / 6 + t * (k4 / 24 + (t * k5) / 120))));
          close(cesUnitCost(alpha, cost, rho), ref, 1e-13, { alpha, cost, rho });
          if (mag <= 1e-12) close(cesUnitCost(alpha, cost, rho), e0, 1e-10, { alpha, cost, rho, vs: "rho=0" });
        }
      }
    }
  });

  it("ρ ↑ 1 converges to min c/α within the power-mean bound (1−ρ)/ρ·log(1/α*)", () => {
    for (const { alpha, cost } of CASES) {
      const e1 = cesUnitCost(alpha, cost, 1);
      let alphaStar = 0; // weight of the cheapest class(es)
      for (let j = 0; j < alpha.length; j++) if (cost[j] / alpha[j] === e1) alphaStar += alpha[j];
      for (const d of [1e-1, 1e-3, 1e-6, 1e-9, 1e-12, 1e-15]) {
        const rho = 1 - d;
        const gap = Math.log(cesUnitCost(alpha, cost, rho)) - Math.log(e1);
        const bound = (d / rho) * Math.log(1 / alphaStar);
        if (!(gap >= -1e-15 && gap <= bound + 1e-15)) {
          throw new Error(`${JSON.stringify({ alpha, cost, rho })}: log e − log e(1) = ${gap} not in [0, ${bound}]`);
        }
      }
    }
  });

  it("ρ close to 1 (s up to 1e15, where α^s underflows) agrees with a max-shifted evaluation to 1e-13", () => {
    for (const { alpha, cost } of CASES) {
      for (const rho of [0.99, 0.999, 0.99999, 1 - 1e-9, 1 - 1e-15]) {
        // independent: factor out the largest term α_j^s c_j^(1−s) in logs
        const s = 1 / (1 - rho);
        const logs = alpha.map((a, j) => s * Math.log(a) + (1 - s) * Math.log(cost[j]));
        const top = Math.max(...logs);
        const sum = logs.reduce((acc, l) => acc + Math.exp(l - top), 0);
        const ref = Math.exp((top + Math.log(sum)) / (1 - s));
        close(cesUnitCost(alpha, cost, rho), ref, 1e-13, { alpha, cost, rho });
      }
    }
  });

  it("large negative ρ (Leontief-like) does not overflow and tends to Σ c", () => {
    for (const { alpha, cost } of CASES) {
      const sumC = cost.reduce((a, b) => a + b, 0);
      let prev = -Infinity;
      for (const rho of [1, 0.5, 0, -1, -10, -1e3, -1e6, -1e12, -1e300]) {
        const e = cesUnitCost(alpha, cost, rho);
        expect(Number.isFinite(e)).toBe(true);
        // power mean of c/α with exponent t = −ρ/(1−ρ) ≤ 1: nondecreasing as ρ falls, ≤ Σ c
        if (!(e >= prev * (1 - 1e-14) && e <= sumC * (1 + 1e-14))) {
          throw new Error(`${JSON.stringify({ alpha, cost, rho })}: e = ${e}, previous ${prev}, Σc = ${sumC}`);
        }
        prev = e;
      }
      close(cesUnitCost(alpha, cost, -1e300), sumC, 1e-14, { alpha, cost, rho: -1e300 });
      close(cesUnitCost(alpha, cost, -1e12), sumC, 1e-10, { alpha, cost, rho: -1e12 });
    }
  });
});

describe("cesInputs", () => {
  const rhos = [-1e6, -5, -1, -0.2, -1e-9, 0, 1e-12, 1e-7, 0.3, 0.5, 0.9, 0.999, 1 - 1e-9, 1];
  it("reaches the level A(X) = A at cost e·A, with equal c_j/(α_j X_j^(ρ−1)) (1e-12)", () => {
    const out = new Float64Array(4);
    for (const { alpha, cost } of CASES) {
      const X = out.subarray(0, alpha.length);
      for (const rho of rhos) {
        for (const level of [1e-8, 1, 3.7e5]) {
          cesInputs(alpha, cost, rho, level, X);
          const ctx = { alpha, cost, rho, level, X: Array.from(X) };
          const e = cesUnitCost(alpha, cost, rho);
          const spend = X.reduce((s, x, j) => s + cost[j] * x, 0);
          close(spend, e * level, 1e-12, { ...ctx, check: "spend" });
          // Leontief-like ρ: A(X) = min X within 1/|ρ|; the level check only where A is computable
          if (rho >= -5) close(aggregate(alpha, X, rho), level, 1e-12, { ...ctx, check: "level" });
          if (rho < 1 && rho >= -5) {
            // first-order condition: c_j / (α_j X_j^(ρ−1)) = e A^(1−ρ) for every j (where X_j
            // has not underflowed: near ρ = 1 the dearer classes get exp(−Δr/(1−ρ)) ≈ 0)
            for (let j = 0; j < alpha.length; j++) {
              if (!(X[j] > 1e-290)) continue;
              const lhs = Math.log(cost[j] / alpha[j]) + (1 - rho) * Math.log(X[j]);
              close(lhs, Math.log(e) + (1 - rho) * Math.log(level), 1e-12, { ...ctx, check: "FOC", j }, 1e-13);
            }
          }
        }
      }
    }
  });

  it("ρ = 0 gives X_j = A α_j e / c_j (1e-14)", () => {
    for (const { alpha, cost } of CASES) {
      const X = new Float64Array(alpha.length);
      cesInputs(alpha, cost, 0, 2.5, X);
      const e = cesUnitCost(alpha, cost, 0);
      for (let j = 0; j < alpha.length; j++) close(X[j], (2.5 * alpha[j] * e) / cost[j], 1e-14, { alpha, cost, j });
    }
  });

  it("ρ = 1 puts the level on the cheapest c/α, ties getting equal quantities A/Σ_tied α (the ρ ↑ 1 limit)", () => {
    const alpha = [0.3, 0.3, 0.4];
    const cost = [0.6, 0.6, 0.8]; // c/α = 2, 2, 2 — a three-way tie
    const X = new Float64Array(3);
    cesInputs(alpha, cost, 1, 6, X);
    expect(Array.from(X)).toEqual([6, 6, 6]);
    const X2 = new Float64Array(3);
    cesInputs([0.3, 0.3, 0.4], [0.6, 0.6, 1], 1, 6, X2); // c/α = 2, 2, 2.5
    expect(Array.from(X2)).toEqual([10, 10, 0]);
    const near = new Float64Array(3);
    cesInputs([0.3, 0.3, 0.4], [0.6, 0.6, 1], 1 - 1e-12, 6, near);
    for (let j = 0; j < 3; j++) close(near[j], X2[j], 1e-9, { j, rho: 1 - 1e-12 }, 1e-300);
  });
});

// Reference case P1 (test/fixtures/reference/P1.json): its technology block and expected values.
const p1 = {
  scenario: {
    technology: {
      sigma: 0.5,
      tokens: { rho: 0.5, classes: [{ name: "input", alpha: 0.4, cost: 0.1 }, { name: "output", alpha: 0.6, cost: 0.3 }] },
      fineTuning: { kind: "ces", gamma: 0.3, rho: 0.5, classes: [{ name: "sft", alpha: 1.0, cost: 0.2 }] },
    } as TechnologySpec,
  },
  expected: {
    scalars: {
      kappa: { value: 0.556833996583706 },
      eta: { value: 0.8 },
      eX: { value: 0.3571428571428571 },
      eZ: { value: 0.2 },
    },
    /** monopoly qualities for θ ~ U[0,1] (h = 2θ − 1) */
    points: [
      { theta: 0.3, Q: { value: 0.0 } },
      { theta: 0.55, Q: { value: 0.00042604647633797034 } },
      { theta: 0.7, Q: { value: 0.10906789794252013 } },
      { theta: 0.9, Q: { value: 1.7450863670803258 } },
      { theta: 1.0, Q: { value: 4.260464763379699 } },
    ],
  },
};

describe("CES cost of quality (P1)", () => {
  const tech = buildTechnology(p1.scenario.technology);
  const ref = p1.expected.scalars;
  const Qref = 1.7450863670803258;

  it("kappa, eta, eX, eZ match P1 to 1e-12", () => {
    expect(tech.kind).toBe("ces");
    close(tech.kappa, ref.kappa.value, 1e-12, "kappa");
    close(tech.eta, ref.eta.value, 1e-12, "eta");
    close(tech.eX, ref.eX.value, 1e-12, "eX");
    close(tech.eZ, ref.eZ.value, 1e-12, "eZ");
    expect(tech.gamma).toBe(0.3);
    expect(tech.sigma).toBe(0.5);
    expect(tech.tokenClasses).toEqual(["input", "output"]);
    expect(tech.fineTuningClasses).toEqual(["sft"]);
  });

  it("budgets at theta = 0.9 match P1's X and Z to 1e-12", () => {
    const X = new Float64Array(2);
    const Z = new Float64Array(1);
    tech.budgets(Qref, X, Z);
    close(X[0], 3.988768839040746, 1e-12, "X.input");
    close(X[1], 0.9971922097601864, 1e-12, "X.output");
    close(Z[0], 2.094103640496391, 1e-12, "Z.sft");
  });

  it("monopoly qualities Q(θ) = (C')^(-1)(2θ − 1) match every P1 point to 1e-12", () => {
    for (const pt of p1.expected.points) {
      const Q = tech.qualityForMarginalCost(2 * pt.theta - 1);
      close(Q, pt.Q.value, 1e-12, { theta: pt.theta });
    }
  });

  it("C = κQ^(1/η), C' = (κ/η)Q^(1/η−1) (1e-14), C'(0) = 0, and C' agrees with a central difference (1e-8)", () => {
    const { kappa, eta } = tech;
    for (const Q of [1e-9, 0.01, 1, Qref, 50, 1e6]) {
      close(tech.cost(Q), kappa * Math.pow(Q, 1 / eta), 1e-14, { Q, f: "cost" });
      close(tech.marginalCost(Q), (kappa / eta) * Math.pow(Q, 1 / eta - 1), 1e-14, { Q, f: "marginalCost" });
      const h = 1e-5 * Q;
      const fd = (tech.cost(Q + h) - tech.cost(Q - h)) / (2 * h);
      close(tech.marginalCost(Q), fd, 1e-8, { Q, f: "central difference" });
    }
    expect(tech.cost(0)).toBe(0);
    expect(tech.marginalCost(0)).toBe(0);
    expect(tech.qualityForMarginalCost(0)).toBe(0);
    expect(tech.qualityForMarginalCost(-1)).toBe(0);
  });
});

describe("no fine-tuning and aggregate technologies", () => {
  it("kind none: κ = e_X, η = σ, empty Z, Ψ(X) = Q", () => {
    const tech = buildTechnology({ sigma: 0.6, tokens: { rho: -0.5, classes: [{ name: "in", alpha: 0.7, cost: 1 }, { name: "out", alpha: 0.3, cost: 4 }] }, fineTuning: { kind: "none" } });
    expect(tech.kind).toBe("none");
    expect(tech.gamma).toBe(0);
    expect(tech.eta).toBe(0.6);
    expect(tech.kappa).toBe(tech.eX);
    expect(Number.isNaN(tech.eZ)).toBe(true);
    close(tech.eX, directUnitCost([0.7, 0.3], [1, 4], -0.5), 1e-13, "eX");
    const X = new Float64Array(2);
    const Z = new Float64Array(0);
    for (const Q of [1e-4, 0.3, 7]) {
      tech.budgets(Q, X, Z);
      close(Math.pow(aggregate([0.7, 0.3], X, -0.5), 0.6), Q, 1e-12, { Q, check: "Ψ(X) = Q" });
      close(X[0] * 1 + X[1] * 4, tech.cost(Q), 1e-12, { Q, check: "spend = C(Q)" });
    }
  });

  it("aggregate {kappa, gamma}: C = κQ^(1/(σ+γ)), no classes, NaN unit costs", () => {
    const tech = buildTechnology({ sigma: 0.5, aggregate: { kappa: 0.3, gamma: 0.2 }, fineTuning: { kind: "none" } });
    expect(tech.kind).toBe("aggregate");
    expect(tech.kappa).toBe(0.3);
    expect(tech.eta).toBe(0.7);
    expect(tech.tokenClasses).toEqual([]);
    expect(tech.fineTuningClasses).toEqual([]);
    expect(Number.isNaN(tech.eX) && Number.isNaN(tech.eZ)).toBe(true);
    for (const Q of [1e-3, 1, 20]) {
      close(tech.cost(Q), 0.3 * Math.pow(Q, 1 / 0.7), 1e-14, { Q });
      close(tech.qualityForMarginalCost(tech.marginalCost(Q)), Q, 1e-13, { Q, check: "inverse" });
    }
    // closed-form inverse Q = (η p/κ)^(η/(1−η))
    close(tech.qualityForMarginalCost(0.5), Math.pow((0.7 * 0.5) / 0.3, 0.7 / 0.3), 1e-14, "inverse at p=0.5");
    tech.budgets(2, new Float64Array(0), new Float64Array(0));
  });
});

describe("buildTechnology validation", () => {
  const base = (): TechnologySpec => ({
    sigma: 0.5,
    tokens: { rho: 0.5, classes: [{ name: "input", alpha: 0.4, cost: 0.1 }, { name: "output", alpha: 0.6, cost: 0.3 }] },
    fineTuning: { kind: "ces", gamma: 0.3, rho: 0.5, classes: [{ name: "sft", alpha: 1, cost: 0.2 }] },
  });
  const cases: [string, (s: TechnologySpec) => TechnologySpec, string][] = [
    ["sigma = 0", (s) => ({ ...s, sigma: 0 }), "technology.sigma"],
    ["sigma = 1", (s) => ({ ...s, sigma: 1 }), "technology.sigma"],
    ["sigma NaN", (s) => ({ ...s, sigma: NaN }), "technology.sigma"],
    ["sigma + gamma = 1", (s) => ({ ...s, sigma: 0.7 }), "technology.fineTuning.gamma"],
    ["ces gamma = 0", (s) => ({ ...s, fineTuning: { kind: "ces", gamma: 0, rho: 0.5, classes: [{ name: "sft", alpha: 1, cost: 0.2 }] } }), "technology.fineTuning.gamma"],
    ["token cost 0", (s) => ({ ...s, tokens: { rho: 0.5, classes: [{ name: "input", alpha: 0.4, cost: 0 }, { name: "output", alpha: 0.6, cost: 0.3 }] } }), "technology.tokens.classes[0].cost"],
    ["token alpha < 0", (s) => ({ ...s, tokens: { rho: 0.5, classes: [{ name: "input", alpha: 1.4, cost: 0.1 }, { name: "output", alpha: -0.4, cost: 0.3 }] } }), "technology.tokens.classes[1].alpha"],
    ["alpha sum 1.001", (s) => ({ ...s, tokens: { rho: 0.5, classes: [{ name: "input", alpha: 0.401, cost: 0.1 }, { name: "output", alpha: 0.6, cost: 0.3 }] } }), "technology.tokens.classes"],
    ["rho > 1", (s) => ({ ...s, tokens: { rho: 1.5, classes: s.tokens!.classes } }), "technology.tokens.rho"],
    ["rho = -Infinity", (s) => ({ ...s, tokens: { rho: -Infinity, classes: s.tokens!.classes } }), "technology.tokens.rho"],
    ["no classes", (s) => ({ ...s, tokens: { rho: 0.5, classes: [] } }), "technology.tokens.classes"],
    ["duplicate names", (s) => ({ ...s, tokens: { rho: 0.5, classes: [{ name: "a", alpha: 0.5, cost: 1 }, { name: "a", alpha: 0.5, cost: 1 }] } }), "technology.tokens.classes[1].name"],
    ["fine-tuning rho > 1", (s) => ({ ...s, fineTuning: { kind: "ces", gamma: 0.3, rho: 2, classes: [{ name: "sft", alpha: 1, cost: 0.2 }] } }), "technology.fineTuning.rho"],
    ["fine-tuning cost < 0", (s) => ({ ...s, fineTuning: { kind: "ces", gamma: 0.3, rho: 0.5, classes: [{ name: "sft", alpha: 1, cost: -2 }] } }), "technology.fineTuning.classes[0].cost"],
    ["fine-tuning alpha sum", (s) => ({ ...s, fineTuning: { kind: "ces", gamma: 0.3, rho: 0.5, classes: [{ name: "sft", alpha: 0.5, cost: 2 }] } }), "technology.fineTuning.classes"],
    ["tokens missing", (s) => ({ sigma: s.sigma, fineTuning: { kind: "none" } }), "technology.tokens"],
    ["baseline b = 0", (s) => ({ ...s, fineTuning: { kind: "baseline", gamma: 0.3, b: 0, classes: [{ name: "sft", alpha: 1, cost: 0.2 }] } }), "technology.fineTuning.b"],
    ["baseline sigma + gamma > 1", (s) => ({ ...s, fineTuning: { kind: "baseline", gamma: 0.6, b: 1, classes: [{ name: "sft", alpha: 1, cost: 0.2 }] } }), "technology.fineTuning.gamma"],
    ["per-class b < 0", (s) => ({ ...s, fineTuning: { kind: "baselinePerClass", classes: [{ name: "sft", cost: 0.2, b: -1, gamma: 0.1 }] } }), "technology.fineTuning.classes[0].b"],
    ["per-class gamma 0", (s) => ({ ...s, fineTuning: { kind: "baselinePerClass", classes: [{ name: "sft", cost: 0.2, b: 1, gamma: 0 }] } }), "technology.fineTuning.classes[0].gamma"],
    ["per-class sum gamma", (s) => ({ ...s, fineTuning: { kind: "baselinePerClass", classes: [{ name: "a", cost: 0.2, b: 1, gamma: 0.3 }, { name: "b", cost: 0.2, b: 1, gamma: 0.3 }] } }), "technology.fineTuning.classes"],
    ["per-class cost 0", (s) => ({ ...s, fineTuning: { kind: "baselinePerClass", classes: [{ name: "a", cost: 0, b: 1, gamma: 0.1 }] } }), "technology.fineTuning.classes[0].cost"],
    ["unknown kind", (s) => ({ ...s, fineTuning: { kind: "lora" } as never }), "technology.fineTuning.kind"],
    ["aggregate kappa 0", (s) => ({ sigma: s.sigma, aggregate: { kappa: 0, gamma: 0.1 }, fineTuning: { kind: "none" } }), "technology.aggregate.kappa"],
    ["aggregate gamma < 0", (s) => ({ sigma: s.sigma, aggregate: { kappa: 1, gamma: -0.1 }, fineTuning: { kind: "none" } }), "technology.aggregate.gamma"],
    ["aggregate sigma + gamma", (s) => ({ sigma: s.sigma, aggregate: { kappa: 1, gamma: 0.5 }, fineTuning: { kind: "none" } }), "technology.aggregate.gamma"],
    ["aggregate and tokens", (s) => ({ sigma: s.sigma, tokens: s.tokens, aggregate: { kappa: 1, gamma: 0.1 }, fineTuning: { kind: "none" } }), "technology.aggregate"],
    ["aggregate and fine-tuning", (s) => ({ ...s, tokens: undefined, aggregate: { kappa: 1, gamma: 0.1 } }), "technology.fineTuning.kind"],
  ];
  for (const [label, mutate, path] of cases) {
    it(`${label} → InputError at ${path}`, () => {
      let caught: unknown;
      try {
        buildTechnology(mutate(base()));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(InputError);
      expect((caught as InputError).path).toBe(path);
    });
  }

  it("uses the given path prefix and accepts Σα = 1 within 1e-9 (renormalized)", () => {
    let caught: unknown;
    try {
      buildTechnology({ ...base(), sigma: 2 }, "market.leader.technology");
    } catch (e) {
      caught = e;
    }
    expect((caught as InputError).path).toBe("market.leader.technology.sigma");
    const t = buildTechnology({ ...base(), tokens: { rho: 0.5, classes: [{ name: "input", alpha: 0.4 + 5e-10, cost: 0.1 }, { name: "output", alpha: 0.6, cost: 0.3 }] } });
    const sum = 1 + 5e-10;
    close(t.eX, directUnitCost([(0.4 + 5e-10) / sum, 0.6 / sum], [0.1, 0.3], 0.5), 1e-14, "renormalized eX");
  });
});

describe("modelCost (c_ℓ of docs/model.md section 3)", () => {
  it("passes aggregate cost and gamma through", () => {
    expect(modelCost({ name: "L", gamma: 0.3, cost: 0.25 }, 0.5, "market.leader")).toEqual({ name: "L", gamma: 0.3, eta: 0.8, cost: 0.25 });
    expect(modelCost({ gamma: 0, cost: 0.2 }, 0.5, "market.fringe").name).toBe("fringe");
  });

  it("computes c_ℓ = κ from a technology block under the common σ", () => {
    const { sigma: _s, ...tech } = p1.scenario.technology;
    const m = modelCost({ name: "leader", technology: tech }, 0.5, "market.leader");
    close(m.cost, p1.expected.scalars.kappa.value, 1e-12, "c_leader");
    expect(m.gamma).toBe(0.3);
    close(m.eta, 0.8, 1e-15, "eta");
    const same = modelCost({ technology: { ...tech, sigma: 0.5 } }, 0.5, "market.leader");
    expect(same.cost).toBe(m.cost);
    const none = modelCost({ technology: { tokens: tech.tokens, fineTuning: { kind: "none" } } }, 0.5, "market.fringe");
    close(none.cost, 5 / 14, 1e-15, "c = e_X without fine-tuning");
    expect(none.eta).toBe(0.5);
  });

  it("rejects a different σ, baseline fine-tuning, and bad aggregate values at their paths", () => {
    const { sigma: _s, ...tech } = p1.scenario.technology;
    const bad: [() => unknown, string][] = [
      [() => modelCost({ technology: { ...tech, sigma: 0.4 } }, 0.5, "market.leader"), "market.leader.technology.sigma"],
      [() => modelCost({ technology: { ...tech, fineTuning: { kind: "baseline", gamma: 0.2, b: 1, classes: [{ name: "s", alpha: 1, cost: 1 }] } } }, 0.5, "market.leader"), "market.leader.technology.fineTuning.kind"],
      [() => modelCost({ technology: { ...tech, fineTuning: { kind: "baselinePerClass", classes: [{ name: "s", cost: 1, b: 1, gamma: 0.1 }] } } }, 0.5, "market.fringe"), "market.fringe.technology.fineTuning.kind"],
      [() => modelCost({ technology: { ...tech, tokens: { rho: 3, classes: tech.tokens!.classes } } }, 0.5, "market.fringe"), "market.fringe.technology.tokens.rho"],
      [() => modelCost({ gamma: 0.3, cost: 0 }, 0.5, "market.leader"), "market.leader.cost"],
      [() => modelCost({ gamma: 0.6, cost: 1 }, 0.5, "market.leader"), "market.leader.gamma"],
      [() => modelCost({ gamma: -0.1, cost: 1 }, 0.5, "market.leader"), "market.leader.gamma"],
    ];
    for (const [run, path] of bad) {
      let caught: unknown;
      try {
        run();
      } catch (e) {
        caught = e;
      }
      expect(caught, path).toBeInstanceOf(InputError);
      expect((caught as InputError).path).toBe(path);
    }
    let baselineMessage = "";
    try {
      modelCost({ technology: { ...tech, fineTuning: { kind: "baseline", gamma: 0.2, b: 1, classes: [{ name: "s", alpha: 1, cost: 1 }] } } }, 0.5, "m");
    } catch (e) {
      baselineMessage = (e as Error).message;
    }
    expect(baselineMessage).toMatch(/no constant c_l/);
  });
});

describe("numerical failures are NumericalError, never NaN", () => {
  const tech = buildTechnology(p1.scenario.technology);
  const cases: [string, () => unknown][] = [
    ["cost(-1)", () => tech.cost(-1)],
    ["cost(NaN)", () => tech.cost(NaN)],
    ["cost(Infinity)", () => tech.cost(Infinity)],
    ["marginalCost(NaN)", () => tech.marginalCost(NaN)],
    ["qualityForMarginalCost(NaN)", () => tech.qualityForMarginalCost(NaN)],
    ["qualityForMarginalCost(Infinity)", () => tech.qualityForMarginalCost(Infinity)],
    ["qualityForMarginalCost overflow", () => tech.qualityForMarginalCost(1e300)],
    ["cost overflow", () => tech.cost(1e300)],
    ["budgets with wrong lengths", () => tech.budgets(1, new Float64Array(1), new Float64Array(1))],
  ];
  for (const [label, run] of cases) {
    it(label, () => {
      expect(run).toThrow(NumericalError);
    });
  }
});
