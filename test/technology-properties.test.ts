// fast-check properties of the CES cost of quality over random valid technologies (J, K in 1..4,
// ρ in [−5, 1] with the exact values 0 and 1 mixed in, α random positive normalized, costs in
// [0.01, 10], σ + γ < 0.95, also without fine-tuning). Ψ and Φ are evaluated here straight from
// the spec, independently of the engine:
//   - homogeneity C(λQ) = λ^(1/η) C(Q) (1e-12);
//   - the budgets cost exactly C(Q) and produce exactly Q (1e-11);
//   - no other budget mix producing Q is cheaper (random perturbation rescaled to Q; 1e-12);
//   - qualityForMarginalCost(marginalCost(Q)) = Q (1e-12);
//   - the ρ → 0 and ρ → 1 limits are continuous.

import fc from "fast-check";
import { describe, it } from "vitest";
import type { ClassSpec, TechnologySpec } from "../engine/scenario/spec-types.js";
import { buildTechnology } from "../engine/technology/from-spec.js";
import { close } from "./helpers/close.js";

const rhoArb = fc.oneof(
  fc.constantFrom(0, 1, -5, 0.5),
  fc.double({ min: -5, max: 1, noNaN: true }),
  fc.double({ min: -1e-6, max: 1e-6, noNaN: true }),
);

const classesArb = (prefix: string) =>
  fc
    .array(fc.record({ w: fc.double({ min: 0.01, max: 1, noNaN: true }), cost: fc.double({ min: 0.01, max: 10, noNaN: true }) }), {
      minLength: 1,
      maxLength: 4,
    })
    .map((raw): ClassSpec[] => {
      const total = raw.reduce((s, c) => s + c.w, 0);
      return raw.map((c, j) => ({ name: `${prefix}${j}`, alpha: c.w / total, cost: c.cost }));
    });

const techArb = fc
  .record({
    sigma: fc.double({ min: 0.05, max: 0.9, noNaN: true }),
    gFrac: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    withFineTuning: fc.boolean(),
    rho: rhoArb,
    rhoHat: rhoArb,
    tokens: classesArb("x"),
    ft: classesArb("z"),
  })
  .map(({ sigma, gFrac, withFineTuning, rho, rhoHat, tokens, ft }): TechnologySpec => ({
    sigma,
    tokens: { rho, classes: tokens },
    fineTuning: withFineTuning
      ? { kind: "ces", gamma: gFrac * (0.95 - sigma), rho: rhoHat, classes: ft }
      : { kind: "none" },
  }));

const logQArb = fc.double({ min: -6, max: 6, noNaN: true });

/**
 * CES aggregate (Σ α x^ρ)^(1/ρ) straight from the definition, on x/max x (homogeneous of
 * degree 1). Where the power 1/ρ would amplify rounding: for |ρ| < 0.01 through
 * log1p/expm1, and for |ρ| < 1e-6 (down to denormal ρ) by the cumulant series of l = log(x/m)
 * under α, log A = κ1 + κ2 ρ/2 + κ3 ρ²/6 + κ4 ρ³/24. Classes with x = 0 (ρ = 1 only buys the
 * cheapest) contribute nothing.
 */
function cesAggregate(classes: ClassSpec[], x: ArrayLike<number>, rho: number): number {
  let m = 0;
  for (let j = 0; j < classes.length; j++) m = Math.max(m, x[j]);
  if (m === 0) return 0;
  let S = 0;
  if (Math.abs(rho) < 1e-6) {
    const l = classes.map((_, j) => Math.log(x[j] / m));
    const k1 = l.reduce((a, v, j) => a + classes[j].alpha * v, 0);
    const mom = (p: number) => l.reduce((a, v, j) => a + classes[j].alpha * Math.pow(v - k1, p), 0);
    const [k2, k3, k4] = [mom(2), mom(3), mom(4) - 3 * mom(2) * mom(2)];
    return m * Math.exp(k1 + rho * (k2 / 2 + rho * (k3 / 6 + (rho * k4) / 24)));
  }
  if (Math.abs(rho) < 0.01) {
    for (let j = 0; j < classes.length; j++) S += classes[j].alpha * Math.expm1(rho * Math.log(x[j] / m));
    return m * Math.exp(Math.log1p(S) / rho);
  }
  for (let j = 0; j < classes.length; j++) if (x[j] > 0) S += classes[j].alpha * Math.pow(x[j] / m, rho);
  return m * Math.pow(S, 1 / rho);
}

/** Ψ(X) Φ(Z) from the spec. */
function quality(spec: TechnologySpec, X: ArrayLike<number>, Z: ArrayLike<number>): number {
  const tokens = spec.tokens!;
  let q = Math.pow(cesAggregate(tokens.classes, X, tokens.rho), spec.sigma);
  if (spec.fineTuning.kind === "ces") q *= Math.pow(cesAggregate(spec.fineTuning.classes, Z, spec.fineTuning.rho), spec.fineTuning.gamma);
  return q;
}

function spend(spec: TechnologySpec, X: ArrayLike<number>, Z: ArrayLike<number>): number {
  let s = 0;
  spec.tokens!.classes.forEach((c, j) => (s += c.cost * X[j]));
  if (spec.fineTuning.kind === "ces") spec.fineTuning.classes.forEach((c, k) => (s += c.cost * Z[k]));
  return s;
}

function arrays(spec: TechnologySpec): [Float64Array, Float64Array] {
  const K = spec.fineTuning.kind === "ces" ? spec.fineTuning.classes.length : 0;
  return [new Float64Array(spec.tokens!.classes.length), new Float64Array(K)];
}

describe("CES cost of quality: properties over random technologies", () => {
  it("homogeneity C(λQ) = λ^(1/η) C(Q) (1e-12)", () => {
    fc.assert(
      fc.property(techArb, logQArb, fc.double({ min: -2, max: 2, noNaN: true }), (spec, logQ, logLambda) => {
        const tech = buildTechnology(spec);
        const Q = Math.pow(10, logQ);
        const lambda = Math.pow(10, logLambda);
        close(tech.cost(lambda * Q), Math.pow(lambda, 1 / tech.eta) * tech.cost(Q), 1e-12, { spec, Q, lambda });
      }),
      { numRuns: 300 },
    );
  });

  it("budgets cost exactly C(Q) and produce exactly Q = Ψ(X)Φ(Z) (1e-11)", () => {
    fc.assert(
      fc.property(techArb, logQArb, (spec, logQ) => {
        const tech = buildTechnology(spec);
        const Q = Math.pow(10, logQ);
        const [X, Z] = arrays(spec);
        tech.budgets(Q, X, Z);
        const ctx = { spec, Q, X: Array.from(X), Z: Array.from(Z) };
        close(spend(spec, X, Z), tech.cost(Q), 1e-11, { ...ctx, check: "spend = C(Q)" });
        close(quality(spec, X, Z), Q, 1e-11, { ...ctx, check: "Ψ(X)Φ(Z) = Q" });
      }),
      { numRuns: 400 },
    );
  });

  it("no perturbed budget mix rescaled to produce Q is cheaper than C(Q) (beyond 1e-12 relative)", () => {
    const perturbation = fc.record({
      mult: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }),
      add: fc.array(fc.double({ min: 0, max: 0.5, noNaN: true }), { minLength: 8, maxLength: 8 }),
      scale: fc.constantFrom(1e-6, 1e-3, 0.1, 1),
    });
    fc.assert(
      fc.property(techArb, logQArb, perturbation, (spec, logQ, { mult, add, scale }) => {
        const tech = buildTechnology(spec);
        const Q = Math.pow(10, logQ);
        const [X, Z] = arrays(spec);
        tech.budgets(Q, X, Z);
        // multiplicative change of every class, plus some mass on classes the optimum leaves at 0
        const meanX = X.reduce((a, b) => a + b, 0) / X.length;
        const meanZ = Z.length ? Z.reduce((a, b) => a + b, 0) / Z.length : 0;
        for (let j = 0; j < X.length; j++) X[j] = X[j] * Math.exp(scale * mult[j]) + scale * add[j] * meanX;
        for (let k = 0; k < Z.length; k++) Z[k] = Z[k] * Math.exp(scale * mult[4 + k]) + scale * add[4 + k] * meanZ;
        // Ψ(λX)Φ(λZ) = λ^η Ψ(X)Φ(Z): rescale all inputs to hit Q again
        const lambda = Math.pow(Q / quality(spec, X, Z), 1 / tech.eta);
        const perturbedCost = lambda * spend(spec, X, Z);
        const C = tech.cost(Q);
        if (!(perturbedCost >= C * (1 - 1e-12))) {
          throw new Error(`${JSON.stringify({ spec, Q, scale })}: perturbed budgets cost ${perturbedCost} < C(Q) = ${C}`);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("qualityForMarginalCost(marginalCost(Q)) = Q (1e-12)", () => {
    fc.assert(
      fc.property(techArb, logQArb, (spec, logQ) => {
        const tech = buildTechnology(spec);
        const Q = Math.pow(10, logQ);
        close(tech.qualityForMarginalCost(tech.marginalCost(Q)), Q, 1e-12, { spec, Q });
      }),
      { numRuns: 300 },
    );
  });

  it("ρ → 0: C and budgets at ρ = ±1e-12 equal those at ρ = 0 within 1e-10", () => {
    fc.assert(
      fc.property(techArb, logQArb, fc.constantFrom(1e-12, -1e-12), (spec, logQ, tiny) => {
        const at = (rho: number): TechnologySpec => ({ ...spec, tokens: { ...spec.tokens!, rho } });
        const t0 = buildTechnology(at(0));
        const t1 = buildTechnology(at(tiny));
        const Q = Math.pow(10, logQ);
        close(t1.cost(Q), t0.cost(Q), 1e-10, { spec, Q, tiny, f: "cost" });
        const [X0, Z0] = arrays(spec);
        const [X1, Z1] = arrays(spec);
        t0.budgets(Q, X0, Z0);
        t1.budgets(Q, X1, Z1);
        for (let j = 0; j < X0.length; j++) close(X1[j], X0[j], 1e-10, { spec, Q, tiny, f: "X", j });
        for (let k = 0; k < Z0.length; k++) close(Z1[k], Z0[k], 1e-10, { spec, Q, tiny, f: "Z", k });
      }),
      { numRuns: 200 },
    );
  });

  it("ρ → 1: C at ρ = 1 − 1e-10 equals C at ρ = 1 within the power-mean bound; budgets too when no near-tie", () => {
    fc.assert(
      fc.property(techArb, logQArb, (spec, logQ) => {
        const d = 1e-10;
        const at = (rho: number): TechnologySpec => ({ ...spec, tokens: { ...spec.tokens!, rho } });
        const t1 = buildTechnology(at(1));
        const tn = buildTechnology(at(1 - d));
        const Q = Math.pow(10, logQ);
        // log e_X(ρ) − log e_X(1) ∈ [0, (1−ρ)/ρ · log(1/α_min)], and C ∝ e_X^(σ/η)
        const alphaMin = Math.min(...spec.tokens!.classes.map((c) => c.alpha));
        const bound = (d / (1 - d)) * Math.log(1 / alphaMin) * (t1.sigma / t1.eta);
        close(tn.cost(Q), t1.cost(Q), bound + 1e-14, { spec, Q, f: "cost" });
        // budgets converge once the cheapest class is ahead by more than 1e-7 in log c/α
        const r = spec.tokens!.classes.map((c) => Math.log(c.cost / c.alpha)).sort((a, b) => a - b);
        if (r.length > 1 && r[1] - r[0] < 1e-7) return;
        const [X1, Z1] = arrays(spec);
        const [Xn, Zn] = arrays(spec);
        t1.budgets(Q, X1, Z1);
        tn.budgets(Q, Xn, Zn);
        const total = X1.reduce((a, b) => a + b, 0);
        for (let j = 0; j < X1.length; j++) close(Xn[j], X1[j], 1e-8, { spec, Q, f: "X", j }, 1e-8 * total);
      }),
      { numRuns: 200 },
    );
  });
});
