// Efficient allocation (docs/model.md 2 and 3a) and the shared two-model pointwise problem:
// closed forms for uniform types, the switch type θ_e against Brent on V_L − V_F, the global
// pointwise optimum against a brute-force grid, and monotonicity as a property.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { discrete } from "../engine/distributions/discrete.js";
import { uniform } from "../engine/distributions/uniform.js";
import { InputError } from "../engine/errors.js";
import { brent } from "../engine/numerics/brent.js";
import { aggregateTechnology } from "../engine/technology/ces-cost.js";
import { solveEfficient } from "../solvers/efficient.js";
import {
  type AggregateModel,
  emptyChoice,
  interiorCriticalPoint,
  makeTwoModelProblem,
  singleModelValue,
  solvePair,
} from "../solvers/two-model-utility.js";
import { close } from "./helpers/close.js";

const model = (name: string, sigma: number, gamma: number, cost: number): AggregateModel => ({ name, gamma, eta: sigma + gamma, cost });
const SIGMA = 0.5;
const LEADER = model("leader", SIGMA, 0.3, 0.3); // P2
const FRINGE = model("fringe", SIGMA, 0, 0.2);

describe("efficient allocation, one model", () => {
  const eta = 0.8;
  const kappa = 0.3;
  const m = eta / (1 - eta);
  const cost = aggregateTechnology(SIGMA, kappa, eta - SIGMA);
  const dist = uniform(0, 1, "buyers.theta");
  const sol = solveEfficient({ dist, cost }, { gridPoints: 201 });

  it("gives Q^e = (ηθ/κ)^m and marginal-cost prices at any θ", () => {
    for (const th of [0, 0.13, 0.5, 0.777, 1]) {
      const p = sol.pointAt(th);
      const Q = Math.pow((eta * th) / kappa, m);
      close(p.Q as number, Q, 1e-12, `Q^e(${th})`);
      close(p.t as number, kappa * Math.pow(Q, 1 / eta), 1e-12, `t(${th}) = C(Q^e)`, 1e-300);
      close(p.U as number, (1 - eta) * th * Q, 1e-12, `U(${th}) = (1 − η) θ Q^e`, 1e-300);
    }
  });

  it("welfare = (1−η)²(η/κ)^m/(2−η) for θ ~ U[0,1]; profit 0; consumer surplus = welfare", () => {
    // ∫_0^1 (θQ − κQ^(1/η)) dθ = (1−η)(η/κ)^m ∫ θ^(1/(1−η)) dθ = (1−η)(η/κ)^m (1−η)/(2−η).
    const W = ((1 - eta) ** 2 * Math.pow(eta / kappa, m)) / (2 - eta);
    close(sol.scalars.welfare as number, W, 1e-11, "welfare");
    expect(sol.scalars.profit).toBe(0);
    expect(sol.scalars.consumerSurplus).toBe(sol.scalars.welfare);
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(Array.from(sol.curves.theta).length).toBe(201);
  });

  it("one aggregate model gives the same welfare as its cost of quality", () => {
    const one = solveEfficient({ sigma: SIGMA, dist, models: [model("only", SIGMA, eta - SIGMA, kappa)] }, { gridPoints: 51 });
    close(one.scalars.welfare as number, sol.scalars.welfare as number, 1e-13, "welfare via models: [single]");
  });
});

describe("efficient allocation, two models (P2: leader γ 0.3 cost 0.3, fringe γ 0 cost 0.2)", () => {
  const dist = uniform(0, 1, "buyers.theta");
  const sol = solveEfficient({ sigma: SIGMA, dist, models: [LEADER, FRINGE] }, { gridPoints: 401 });
  const pL = 1 / (1 - LEADER.eta);
  const pF = 1 / (1 - FRINGE.eta);
  const AL = (1 - LEADER.eta) * Math.pow(LEADER.eta / LEADER.cost, LEADER.eta / (1 - LEADER.eta));
  const AF = (1 - FRINGE.eta) * Math.pow(FRINGE.eta / FRINGE.cost, FRINGE.eta / (1 - FRINGE.eta));
  // V_ℓ(θ) = A_ℓ θ^(p_ℓ): V_L = V_F at θ_e = (A_F/A_L)^(1/(p_L − p_F)).
  const thetaE = Math.pow(AF / AL, 1 / (pL - pF));

  it("the switch type θ_e has the closed form and agrees with Brent on V_L − V_F", () => {
    // P2 by hand: V_L = 0.2 (8/3)^4 θ^5, V_F = 1.25 θ², so θ_e³ = 1.25/(0.2 (8/3)^4).
    close(thetaE, Math.cbrt(1.25 / (0.2 * Math.pow(8 / 3, 4))), 1e-14, "closed form vs hand computation");
    const root = brent((x) => singleModelValue(LEADER.eta, LEADER.cost, x) - singleModelValue(FRINGE.eta, FRINGE.cost, x), 0.05, 1).root;
    close(root, thetaE, 1e-13, "Brent root of V_L − V_F");
    close(sol.scalars.thetaSwitch as number, thetaE, 1e-12, "solver thetaSwitch");
    close(sol.scalars.thetaSwitchClosedForm as number, thetaE, 1e-14, "solver closed form");
    expect(sol.scalars.thetaSwitches).toHaveLength(1);
  });

  it("welfare = ∫_0^θe A_F θ^pF + ∫_θe^1 A_L θ^pL for uniform types; profit 0", () => {
    const W = (AF * Math.pow(thetaE, pF + 1)) / (pF + 1) + (AL * (1 - Math.pow(thetaE, pL + 1))) / (pL + 1);
    close(sol.scalars.welfare as number, W, 1e-11, "welfare");
    expect(sol.scalars.profit).toBe(0);
    expect(sol.scalars.consumerSurplus).toBe(sol.scalars.welfare);
    close(sol.scalars.fringeOnlyShare as number, thetaE, 1e-11, "mass using the fringe only");
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
  });

  it("low types use the fringe, high types the leader, at the single-model optimum", () => {
    const { theta, columns } = sol.curves;
    for (let i = 1; i < theta.length; i++) {
      const th = theta[i];
      const expectModel = th < thetaE ? 2 : 1;
      expect(columns.model[i], `model at θ=${th}`).toBe(expectModel);
      const q = Math.pow((th * (expectModel === 1 ? LEADER.eta / LEADER.cost : FRINGE.eta / FRINGE.cost)), expectModel === 1 ? pL : pF);
      close(expectModel === 1 ? columns.qL[i] : columns.qF[i], q, 1e-12, `quality at θ=${th}`);
      expect(expectModel === 1 ? columns.qF[i] : columns.qL[i]).toBe(0);
      close(columns.t[i], LEADER.cost * columns.qL[i] + FRINGE.cost * columns.qF[i], 1e-15, `marginal-cost price at θ=${th}`);
    }
    const p = sol.pointAt(0.3); // P2 point: region 1 of the leader–fringe case, fringe quality 0.5625
    close(p.qF as number, 0.5625, 1e-12, "qF(0.3)");
  });

  it("discrete types: welfare is the probability-weighted pointwise value", () => {
    const values = [0.2, 0.45, 0.6, 0.9];
    const probs = [0.1, 0.4, 0.3, 0.2];
    const d = solveEfficient({ sigma: SIGMA, dist: discrete(values, probs, "buyers.theta"), models: [LEADER, FRINGE] }, { gridPoints: 11 });
    let W = 0;
    values.forEach((v, i) => (W += probs[i] * Math.max(AL * Math.pow(v, pL), AF * Math.pow(v, pF))));
    close(d.scalars.welfare as number, W, 1e-13, "discrete welfare");
    expect(Array.from(d.curves.theta)).toEqual(values);
    expect(d.checks.passed, d.checks.failures.join("; ")).toBe(true);
  });

  it("rejects σ + γ ≥ 1 with the JSON path", () => {
    const bad = model("leader", SIGMA, 0.5, 0.3);
    expect(() => solveEfficient({ sigma: SIGMA, dist, models: [bad, FRINGE] }, { gridPoints: 11 })).toThrow(InputError);
  });
});

describe("two-model pointwise problem", () => {
  const arbModel = (sigma: number, name: string) =>
    fc.record({ g: fc.double({ min: 0, max: 0.9 - sigma, noNaN: true }), zero: fc.boolean(), c: fc.double({ min: 0.05, max: 3, noNaN: true }) })
      .map(({ g, zero, c }) => model(name, sigma, zero ? 0 : g, c));
  const arbCase = fc
    .double({ min: 0.2, max: 0.7, noNaN: true })
    .chain((sigma) => fc.tuple(fc.constant(sigma), arbModel(sigma, "leader"), arbModel(sigma, "fringe"), fc.double({ min: 0.05, max: 3, noNaN: true })));

  it("the solution is the global maximum: no point of a 161×161 grid does better (property)", () => {
    fc.assert(
      fc.property(arbCase, ([sigma, m1, m2, a]) => {
        const prob = makeTwoModelProblem(sigma, m1, m2, ["l", "f"]);
        const s = solvePair(prob, a, emptyChoice());
        const val = (q1: number, q2: number) => a * Math.pow(Math.pow(q1, m1.eta / sigma) + Math.pow(q2, m2.eta / sigma), sigma) - m1.cost * q1 - m2.cost * q2;
        close(s.value, val(s.q1, s.q2), 1e-12, `value of the returned point (σ=${sigma}, a=${a})`, 1e-300);
        // Grid up to twice each model's single-model optimum (beyond it adding quality loses).
        const h1 = 2 * Math.pow((a * m1.eta) / m1.cost, 1 / (1 - m1.eta));
        const h2 = 2 * Math.pow((a * m2.eta) / m2.cost, 1 / (1 - m2.eta));
        let best = 0;
        for (let i = 0; i <= 160; i++) for (let j = 0; j <= 160; j++) best = Math.max(best, val((h1 * i) / 160, (h2 * j) / 160));
        expect(best <= s.value * (1 + 1e-12), `grid beats solver: ${best} > ${s.value} (σ=${sigma}, ${JSON.stringify([m1, m2])}, a=${a})`).toBe(true);
        expect(s.model === 1 || s.model === 2, `corner expected, got model ${s.model}`).toBe(true);
      }),
      { numRuns: 30, seed: 7 },
    );
  });

  it("the interior critical point satisfies both first-order conditions and is not a maximum", () => {
    const cases: [AggregateModel, AggregateModel, number][] = [
      [model("l", 0.4, 0.3, 0.5), model("f", 0.4, 0.1, 0.2), 1.3],
      [model("l", 0.5, 0.3, 0.3), model("f", 0.5, 0, 0.2), 2],
    ];
    for (const [m1, m2, a] of cases) {
      const sigma = m1.eta - m1.gamma;
      const prob = makeTwoModelProblem(sigma, m1, m2, ["l", "f"]);
      const c = emptyChoice();
      expect(interiorCriticalPoint(prob, a, c), `critical point exists for ${JSON.stringify([m1, m2, a])}`).toBe(true);
      const S = Math.pow(c.q1, m1.eta / sigma) + Math.pow(c.q2, m2.eta / sigma);
      const g1 = a * sigma * Math.pow(S, sigma - 1) * (m1.eta / sigma) * Math.pow(c.q1, m1.eta / sigma - 1) - m1.cost;
      const g2 = a * sigma * Math.pow(S, sigma - 1) * (m2.eta / sigma) * Math.pow(c.q2, m2.eta / sigma - 1) - m2.cost;
      close(g1, 0, 0, "∂/∂q1", 1e-10 * m1.cost);
      close(g2, 0, 0, "∂/∂q2", 1e-10 * m2.cost);
      const corner = solvePair(prob, a, emptyChoice());
      expect(c.value < corner.value, `interior ${c.value} should lose to the corner ${corner.value}`).toBe(true);
    }
  });

  it("efficient u_θ is nondecreasing in θ and the menu passes the checks (property)", () => {
    fc.assert(
      fc.property(arbCase, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.5, max: 3, noNaN: true }), ([sigma, m1, m2], lo, width) => {
        const sol = solveEfficient({ sigma, dist: uniform(lo, lo + width, "buyers.theta"), models: [m1, m2] }, { gridPoints: 61 });
        const u = sol.curves.columns.u;
        for (let i = 1; i < u.length; i++) expect(u[i] >= u[i - 1], `u falls at θ=${sol.curves.theta[i]}: ${u[i - 1]} → ${u[i]}`).toBe(true);
        expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
      }),
      { numRuns: 20, seed: 11 },
    );
  });
});
