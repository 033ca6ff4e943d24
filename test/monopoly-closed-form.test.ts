// Monopoly menu against the closed forms of docs/model.md section 2 for θ ~ U[0,1] and
// C = κ Q^(1/η): Q = (η(2θ−1)/κ)^m, U = (η/κ)^m (2θ−1)^(m+1)/(2(m+1)), t = θQ − U,
// profit = (1−η)²/(2(2−η)) (η/κ)^m, consumer surplus = (η/κ)^m / (4(m+1)(m+2)),
// efficient Qᵉ = (ηθ/κ)^m; and the two-type discrete closed form.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { discrete } from "../engine/distributions/discrete.js";
import { uniform } from "../engine/distributions/uniform.js";
import { aggregateTechnology } from "../engine/technology/ces-cost.js";
import { solveMonopoly } from "../solvers/monopoly.js";
import { expectClose } from "./helpers/close.js";

describe("monopoly, uniform types, power cost: closed forms", () => {
  it("property: Q, U, t, profit, CS, θ* at 1e-11 relative for random σ, γ, κ", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 0.8, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 6 }),
        (sigma, gFrac, kappa, thetas) => {
          const gamma = gFrac * (0.95 - sigma);
          const eta = sigma + gamma;
          const m = eta / (1 - eta);
          const cost = aggregateTechnology(sigma, kappa, gamma);
          const sol = solveMonopoly({ dist: uniform(0, 1, "buyers.theta"), cost, gridPoints: 101 });
          const A = Math.pow(eta / kappa, m);
          const what = `σ=${sigma} γ=${gamma} κ=${kappa}`;
          expectClose(sol.scalars.thetaStar as number, 0.5, 1e-14, 0, `θ* ${what}`);
          expectClose(sol.scalars.profit as number, ((1 - eta) ** 2 / (2 * (2 - eta))) * A, 1e-11, 0, `profit ${what}`);
          expectClose(sol.scalars.consumerSurplus as number, A / (4 * (m + 1) * (m + 2)), 1e-11, 0, `CS ${what}`);
          for (const th of thetas) {
            const p = sol.pointAt(th);
            const h = Math.max(0, 2 * th - 1);
            const Q = Math.pow((eta * h) / kappa, m);
            const U = (A * Math.pow(h, m + 1)) / (2 * (m + 1));
            expectClose(p.Q as number, Q, 1e-12, 1e-300, `Q(${th}) ${what}`);
            expectClose(p.U as number, U, 1e-11, 1e-15 * A, `U(${th}) ${what}`);
            expectClose(p.t as number, th * Q - U, 1e-10, 1e-14 * A, `t(${th}) ${what}`);
            expectClose(p.Qe as number, Math.pow((eta * th) / kappa, m), 1e-12, 1e-300, `Qe(${th}) ${what}`);
            if (th < 0.5) expect(p.Q, `Q must be exactly 0 below θ* (θ=${th})`).toBe(0);
          }
          expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("uniform on [a, b]: h = 2θ − b and θ* = b/2 when a < b/2", () => {
    const cost = aggregateTechnology(0.5, 1, 0.3);
    const sol = solveMonopoly({ dist: uniform(0.2, 2, "buyers.theta"), cost, gridPoints: 51 });
    expectClose(sol.scalars.thetaStar as number, 1, 1e-14, 0, "θ* on [0.2, 2]");
    const p = sol.pointAt(1.7);
    expectClose(p.Q as number, Math.pow(0.8 * (2 * 1.7 - 2), 4), 1e-12, 0, "Q(1.7) on [0.2, 2]");
  });

  it("everyone served when the lowest type's virtual type is positive (θ ~ U[2,3])", () => {
    const sol = solveMonopoly({ dist: uniform(2, 3, "buyers.theta"), cost: aggregateTechnology(0.5, 1, 0.3), gridPoints: 51 });
    expect(sol.scalars.thetaStar).toBe(2);
    expect(sol.pointAt(2).U).toBe(0);
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
  });
});

describe("monopoly, two discrete types", () => {
  it("top type efficient, low type distorted: C'(Q₁) = θ₁ − (θ₂−θ₁)p₂/p₁", () => {
    const [t1, t2, p1, p2] = [1, 1.5, 0.6, 0.4];
    const cost = aggregateTechnology(0.5, 1, 0.3);
    const sol = solveMonopoly({ dist: discrete([t1, t2], [p1, p2], "buyers.theta"), cost, gridPoints: 2 });
    const Q1 = cost.qualityForMarginalCost(t1 - ((t2 - t1) * p2) / p1);
    const Q2 = cost.qualityForMarginalCost(t2);
    const a = sol.pointAt(t1);
    const b = sol.pointAt(t2);
    expectClose(a.Q as number, Q1, 1e-13, 0, "Q1");
    expectClose(b.Q as number, Q2, 1e-13, 0, "Q2");
    expectClose(a.t as number, t1 * Q1, 1e-13, 0, "t1 (IR binds)");
    expectClose(b.t as number, t2 * Q2 - (t2 - t1) * Q1, 1e-13, 0, "t2 (IC binds)");
    expectClose(sol.scalars.profit as number, p1 * (t1 * Q1 - cost.cost(Q1)) + p2 * (b.t as number) - p2 * cost.cost(Q2), 1e-13, 0, "profit");
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
  });
  it("low type excluded when its virtual value is negative", () => {
    const sol = solveMonopoly({ dist: discrete([0.2, 1], [0.3, 0.7], "buyers.theta"), cost: aggregateTechnology(0.5, 1, 0.3), gridPoints: 2 });
    expect(sol.pointAt(0.2).Q).toBe(0);
    expect(sol.pointAt(0.2).t).toBe(0);
    expect(sol.scalars.thetaStar).toBe(1);
  });
});
