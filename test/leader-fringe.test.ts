// Leader vs competitive fringe, explicit path (docs/model.md 3c, Proposition 4):
// - every value of the reference case P2 (test/fixtures/reference/P2.json) at its stated tolerance, through
//   the solver and through the scenario pipeline;
// - the SciPy peer's reference outputs (peers/README.md): c_F = 0.05 (empty middle region) and
//   0.29, the grid-2001 checksums and the lf-sweep column sums over linspace(0.05, 0.29, 10000);
// - the uniform closed forms against the quadrature path on the same distribution written as
//   Beta(1, 1) (a different code path: adaptive quadrature of every integral);
// - profit and welfare against direct integrals of the menu (∫ (t − c_L q_L) f and
//   ∫ (u(θ, q_L) − c_L q_L) f with the buyer's top-up), the a-posteriori checks;
// - limits of docs/model.md section 5 (c_F = c_L with γ_F = γ_L; c_F → ∞ gives the monopoly menu);
// - properties over random σ, γ_L, c_L, c_F (fast-check).
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { beta } from "../engine/distributions/beta.js";
import type { ContinuousDistribution } from "../engine/distributions/types.js";
import { uniform } from "../engine/distributions/uniform.js";
import { integrate } from "../engine/numerics/quadrature.js";
import { parseScenario } from "../engine/scenario/load.js";
import { aggregateTechnology } from "../engine/technology/ces-cost.js";
import { fringeTopUp, limitQuality, outsideOption, type FringeMarket } from "../solvers/fringe-top-up.js";
import { solveLeaderFringe, type LeaderFringeInput } from "../solvers/leader-fringe.js";
import { solveMonopoly } from "../solvers/monopoly.js";
import { solveScenario } from "../solvers/solve.js";
import type { MarketSolution } from "../solvers/types.js";
import { expectClose, type Expected } from "./helpers/close.js";

const P2 = JSON.parse(readFileSync(new URL("./fixtures/reference/P2.json", import.meta.url), "utf8"));

function input(sigma: number, gammaL: number, cL: number, gammaF: number, cF: number, dist: ContinuousDistribution): LeaderFringeInput {
  return {
    sigma,
    leader: { name: "leader", gamma: gammaL, eta: sigma + gammaL, cost: cL },
    fringe: { name: "fringe", gamma: gammaF, eta: sigma + gammaF, cost: cF },
    dist,
  };
}
const U01 = uniform(0, 1, "buyers.theta");
const num = (sol: MarketSolution, k: string) => sol.scalars[k] as number;

function checkP2(sol: MarketSolution, label: string): void {
  for (const [k, e] of Object.entries(P2.expected.scalars as Record<string, Expected | boolean>)) {
    if (typeof e === "boolean") {
      expect(sol.scalars[k], `P2 ${label} scalar ${k}`).toBe(e);
      continue;
    }
    expectClose(num(sol, k), e.value, e.rtol, e.atol, `P2 ${label} scalar ${k}`);
  }
  for (const pt of P2.expected.points as Record<string, unknown>[]) {
    const theta = pt.theta as number;
    const got = sol.pointAt(theta);
    for (const [k, e] of Object.entries(pt)) {
      if (k === "theta") continue;
      if (k === "region") {
        expect(got.region, `P2 ${label} region at θ=${theta}`).toBe(e);
        continue;
      }
      const x = e as Expected;
      expectClose(got[k] as number, x.value, x.rtol, x.atol, `P2 ${label} ${k} at θ=${theta}`);
    }
  }
}

describe("P2 reference case (σ = 0.5, γ_L = 0.3, c_L = 0.3, c_F = 0.2, θ ~ U[0,1])", () => {
  const sol = solveLeaderFringe(input(0.5, 0.3, 0.3, 0, 0.2, U01), { gridPoints: 401 });
  it("every scalar and point at the stated tolerance (explicit path, closed forms)", () => {
    expect(sol.solver.method).toMatch(/^explicit/);
    checkP2(sol, "explicit");
  });
  it("the same through the scenario pipeline (parseScenario → solveScenario)", () => {
    checkP2(solveScenario(parseScenario(P2.scenario)), "pipeline");
  });
  it("the a-posteriori checks pass (IC with top-up, participation, envelope, monotone, exclusion)", () => {
    const c = sol.checks;
    expect(c.passed, c.failures.join("; ")).toBe(true);
    expect(c.icMaxGain).toBeLessThanOrEqual(c.tolerance);
    expect(c.irMinSlack).toBeGreaterThanOrEqual(-c.tolerance);
    expect(c.envelopeMaxError).toBeLessThanOrEqual(c.tolerance);
    // diagnostics of P2: IC gain and envelope error at the level of rounding
    expect(c.icMaxGain / c.scale).toBeLessThan(1e-13);
    expect(c.envelopeMaxError / c.scale).toBeLessThan(1e-13);
  });
  it("curves agree with pointAt at every grid type (cumulative rent vs direct)", () => {
    const th = sol.curves.theta;
    expect(th.length).toBe(401);
    expect(th[0]).toBe(0);
    expect(th[400]).toBe(1);
    for (let i = 0; i < th.length; i += 7) {
      const p = sol.pointAt(th[i]);
      for (const k of sol.curves.order) {
        expectClose(sol.curves.columns[k][i], p[k] as number, 1e-12, 1e-13, `curve ${k} at θ=${th[i]}`);
      }
    }
  });
  it("profit = ∫ (t − c_L q_L) f and welfare = ∫ (u(θ, q_L) − c_L q_L) f, integrated directly from the menu", () => {
    const m: FringeMarket = { sigma: 0.5, etaL: 0.8, etaF: 0.5, cF: 0.2 };
    const cuts = [0, num(sol, "thetaLow"), num(sol, "thetaHigh"), 1];
    let profit = 0;
    let welfare = 0;
    for (let k = 0; k + 1 < cuts.length; k++) {
      profit += integrate((x) => {
        const p = sol.pointAt(x);
        return (p.t as number) - 0.3 * (p.qL as number);
      }, cuts[k], cuts[k + 1], { epsrel: 1e-13, epsabs: 1e-15 });
      welfare += integrate((x) => fringeTopUp(x, sol.pointAt(x).qL as number, m).u - 0.3 * (sol.pointAt(x).qL as number), cuts[k], cuts[k + 1], {
        epsrel: 1e-13,
        epsabs: 1e-15,
      });
    }
    expectClose(num(sol, "profit"), profit, 1e-11, 0, "profit (virtual surplus) vs ∫ (t − c_L q_L) f");
    expectClose(num(sol, "welfare"), welfare, 1e-11, 0, "welfare vs ∫ (u − c_L q_L) f");
    expectClose(num(sol, "welfare"), num(sol, "profit") + num(sol, "consumerSurplus"), 1e-14, 0, "welfare = profit + CS");
  });
});

describe("SciPy peer reference outputs (peers/README.md)", () => {
  it("c_F = 0.05 (empty middle region) and c_F = 0.29 (to the 6 digits printed)", () => {
    const a = solveLeaderFringe(input(0.5, 0.3, 0.3, 0, 0.05, U01), { gridPoints: 401 });
    expect(a.scalars.region2Empty).toBe(true);
    expect(num(a, "thetaLow")).toBe(num(a, "thetaHigh"));
    expectClose(num(a, "thetaLow"), 0.892895, 0, 5e-7, "thetaLow at c_F = 0.05");
    expectClose(num(a, "profit"), 0.217435, 0, 5e-7, "profit at c_F = 0.05");
    expect(a.checks.passed, a.checks.failures.join("; ")).toBe(true);
    const b = solveLeaderFringe(input(0.5, 0.3, 0.3, 0, 0.29, U01), { gridPoints: 401 });
    expect(b.scalars.region2Empty).toBe(false);
    expectClose(num(b, "thetaLow"), 0.606819, 0, 5e-7, "thetaLow at c_F = 0.29");
    expectClose(num(b, "thetaHigh"), 0.696263, 0, 5e-7, "thetaHigh at c_F = 0.29");
    expectClose(num(b, "profit"), 0.714523, 0, 5e-7, "profit at c_F = 0.29");
  });
  it("grid-2001 checksums: Σ q_L, Σ q_F exact; Σ t within the peer's trapezoid-rent error", () => {
    const sol = solveLeaderFringe(input(0.5, 0.3, 0.3, 0, 0.2, U01), { gridPoints: 2001, scalarsOnly: false });
    const sum = (k: string) => sol.curves.columns[k].reduce((x, y) => x + y, 0);
    expectClose(sum("qL"), 22514.100070754917, 1e-12, 0, "Σ q_L");
    expectClose(sum("qF"), 1349.5367171875, 1e-12, 0, "Σ q_F");
    // The peer integrates R by cumulative_trapezoid (O(h²) per point); the engine's R is exact.
    expectClose(sum("t"), 8067.694294830096, 1e-6, 0, "Σ t");
  });
  it("lf-sweep column sums over c_F ∈ linspace(0.05, 0.29, 10000) (scalars only)", () => {
    const P = 10000;
    const s = [0, 0, 0, 0];
    for (let i = 0; i < P; i++) {
      const cF = 0.05 + ((0.29 - 0.05) * i) / (P - 1);
      const sc = solveLeaderFringe(input(0.5, 0.3, 0.3, 0, cF, U01), { gridPoints: 401, scalarsOnly: true }).scalars;
      s[0] += sc.thetaLow as number;
      s[1] += sc.thetaHigh as number;
      s[2] += sc.profit as number;
      s[3] += sc.fringeSpendShare as number;
    }
    expectClose(s[0], 7275.465637311838, 1e-12, 0, "Σ thetaLow");
    expectClose(s[1], 7529.504782548933, 1e-12, 0, "Σ thetaHigh");
    expectClose(s[2], 5803.495035461886, 1e-12, 0, "Σ profit");
    expectClose(s[3], 784.1011600695319, 1e-12, 0, "Σ fringeSpendShare");
  });
});

describe("uniform closed forms against the quadrature path (the same law written as Beta(1, 1))", () => {
  const keys = ["profit", "consumerSurplus", "rentOverOutsideOption", "welfare", "thetaLow", "thetaHigh", "fringeOnlyShare", "fringeSpend", "leaderSpend", "fringeSpendShare"];
  for (const [lo, hi] of [
    [0, 1],
    [0.2, 1.5],
  ]) {
    for (const cF of [0.05, 0.2, 0.29, 0.45]) {
      it(`U[${lo}, ${hi}], c_F = ${cF}: every scalar and point`, () => {
        const a = solveLeaderFringe(input(0.5, 0.3, 0.3, 0, cF, uniform(lo, hi, "u")), { gridPoints: 101 });
        const b = solveLeaderFringe(input(0.5, 0.3, 0.3, 0, cF, beta(1, 1, lo, hi, "b")), { gridPoints: 101 });
        expect(a.solver.method).toMatch(/closed-form/);
        expect(b.solver.method).toMatch(/quadrature/);
        for (const k of keys) expectClose(num(a, k), num(b, k), 1e-11, 1e-14, `${k} (U[${lo},${hi}], c_F=${cF})`);
        expect(a.scalars.region2Empty).toBe(b.scalars.region2Empty);
        for (const x of [lo + 0.13 * (hi - lo), lo + 0.71 * (hi - lo), lo + 0.93 * (hi - lo), hi]) {
          const p = a.pointAt(x);
          const q = b.pointAt(x);
          for (const k of ["qL", "qF", "t", "U", "R"]) expectClose(p[k] as number, q[k] as number, 1e-11, 1e-13, `${k}(${x}) (U[${lo},${hi}], c_F=${cF})`);
        }
        expect(a.checks.passed, a.checks.failures.join("; ")).toBe(true);
        expect(b.checks.passed, b.checks.failures.join("; ")).toBe(true);
      });
    }
  }
});

describe("thresholds", () => {
  it("empty middle region: the cut-off is the zero of V3 (independent formula)", () => {
    for (const cF of [0.05, 0.1, 0.15]) {
      const sol = solveLeaderFringe(input(0.5, 0.3, 0.3, 0, cF, U01), { gridPoints: 51, scalarsOnly: true });
      expect(sol.scalars.region2Empty, `c_F=${cF}`).toBe(true);
      const c = num(sol, "thetaLow");
      const T = Math.pow((c * 0.5) / cF, 2);
      const qh = Math.pow(T, 0.5 / 0.8);
      const h = 2 * c - 1;
      const q = Math.pow((0.8 * h) / 0.3, 5);
      const V3 = h * (Math.pow(q, 0.8) - Math.pow(qh, 0.8)) - 0.3 * (q - qh) + cF * T - 0.3 * qh;
      expect(Math.abs(V3), `V3(${c}) at c_F=${cF}`).toBeLessThan(1e-12 * (cF * T + 0.3 * q));
      expect(num(sol, "thetaLowFormula"), `formula above the root at c_F=${cF}`).toBeGreaterThanOrEqual(num(sol, "thetaHighRoot"));
    }
  });
  it("c_F ≥ c_L: the formulas still hold (θ_low closed form, checks pass)", () => {
    for (const cF of [0.3, 0.5, 2]) {
      const sol = solveLeaderFringe(input(0.5, 0.3, 0.3, 0, cF, U01), { gridPoints: 101 });
      const formula = (cF / 0.5) * Math.pow(0.3 / cF, (0.8 * 0.5) / 0.3);
      expectClose(num(sol, "thetaLow"), formula, 1e-13, 0, `θ_low at c_F=${cF}`);
      expect(sol.checks.passed, `c_F=${cF}: ${sol.checks.failures.join("; ")}`).toBe(true);
      // q^int = q̂ at θ_high, independently
      const th = num(sol, "thetaHigh");
      const qint = Math.pow((0.8 * (2 * th - 1)) / 0.3, 5);
      expectClose(qint, Math.pow((th * 0.5) / cF, 2 * (0.5 / 0.8)), 1e-12, 0, `q^int = q̂ at θ_high (c_F=${cF})`);
    }
  });
});

describe("limits (docs/model.md section 5)", () => {
  it("c_F = c_L with γ_F = γ_L leaves the leader no profit (γ = 0.3 general path; γ = 0 explicit path)", () => {
    const a = solveLeaderFringe(input(0.5, 0.3, 0.3, 0.3, 0.3, U01), { gridPoints: 101 });
    expect(Math.abs(num(a, "profit")), `profit ${num(a, "profit")}`).toBeLessThan(1e-12);
    expect(a.checks.passed, a.checks.failures.join("; ")).toBe(true);
    const b = solveLeaderFringe(input(0.5, 0, 0.3, 0, 0.3, U01), { gridPoints: 101 });
    expect(b.solver.method).toMatch(/^explicit/);
    expect(Math.abs(num(b, "profit")), `profit ${num(b, "profit")}`).toBeLessThan(1e-12);
    // Nearby: the leader's profit vanishes continuously as its cost advantage vanishes.
    const c = solveLeaderFringe(input(0.5, 0.3, 0.3, 0.3, 0.3 * 1.01, U01), { gridPoints: 51, scalarsOnly: true });
    const d = solveLeaderFringe(input(0.5, 0.3, 0.3, 0.3, 0.3 * 1.1, U01), { gridPoints: 51, scalarsOnly: true });
    expect(num(c, "profit")).toBeGreaterThan(0);
    expect(num(c, "profit")).toBeLessThan(num(d, "profit"));
  });

  it("the monopoly closed form (1−η)²/(2(2−η)) (η/κ)^m, verified by quadrature of the virtual surplus", () => {
    for (const [eta, kappa] of [
      [0.8, 0.3],
      [0.55, 2],
    ]) {
      const m = eta / (1 - eta);
      const closed = ((1 - eta) ** 2 / (2 * (2 - eta))) * Math.pow(eta / kappa, m);
      const virt = integrate((x) => {
        const h = 2 * x - 1;
        const Q = Math.pow((eta * h) / kappa, m);
        return h * Q - kappa * Math.pow(Q, 1 / eta);
      }, 0.5, 1, { epsrel: 1e-14 });
      expectClose(closed, virt, 1e-12, 0, `monopoly profit formula η=${eta} κ=${kappa}`);
    }
  });

  it("c_F → ∞ gives back the monopoly menu of C(Q) = c_L Q^(1/η_L)", () => {
    const eta = 0.8;
    const cL = 0.3;
    const m = eta / (1 - eta);
    const monoProfit = ((1 - eta) ** 2 / (2 * (2 - eta))) * Math.pow(eta / cL, m);
    const mono = solveMonopoly({ dist: U01, cost: aggregateTechnology(0.5, cL, 0.3), gridPoints: 101 });
    expectClose(num(mono, "profit"), monoProfit, 1e-11, 0, "lead's monopoly solver vs closed form");
    let prevErr = Infinity;
    for (const cF of [1e2, 1e4, 1e6]) {
      const sol = solveLeaderFringe(input(0.5, 0.3, cL, 0, cF, U01), { gridPoints: 101 });
      const err = Math.abs(num(sol, "profit") - monoProfit) / monoProfit;
      expect(err, `relative profit gap at c_F=${cF} (previous ${prevErr})`).toBeLessThan(prevErr);
      prevErr = err;
      if (cF === 1e6) {
        expect(err, "profit within 1e-5 of monopoly at c_F = 1e6").toBeLessThan(1e-5);
        for (const th of [0.55, 0.7, 0.9, 1]) {
          const qMono = Math.pow((eta * (2 * th - 1)) / cL, 1 / (1 - eta));
          expectClose(sol.pointAt(th).qL as number, qMono, 1e-12, 0, `q_L(${th}) → monopoly q`);
          expectClose(sol.pointAt(th).QL as number, mono.pointAt(th).Q as number, 1e-10, 0, `Q_L(${th}) vs monopoly solver Q`);
        }
        expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
      }
    }
  });
});

describe("properties over random markets (explicit path)", () => {
  it("q_L nondecreasing, U ≥ u0, θ_low ≤ θ_high, profit ≥ 0, checks pass", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: 0.7, noNaN: true }),
        fc.double({ min: 0.02, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (sigma, gFrac, cL, cFrel, lo) => {
          const gammaL = gFrac * (0.95 - sigma);
          const cF = cFrel * cL;
          const dist = uniform(lo, lo + 1, "u");
          const sol = solveLeaderFringe(input(sigma, gammaL, cL, 0, cF, dist), { gridPoints: 61 });
          const what = `σ=${sigma} γ_L=${gammaL} c_L=${cL} c_F=${cF} U[${lo},${lo + 1}]`;
          const qL = sol.curves.columns.qL;
          for (let i = 1; i < qL.length; i++) expect(qL[i], `q_L monotone at i=${i}: ${what}`).toBeGreaterThanOrEqual(qL[i - 1]);
          const { U, u0 } = sol.curves.columns;
          for (let i = 0; i < U.length; i++) expect(U[i] - u0[i], `U ≥ u0 at i=${i}: ${what}`).toBeGreaterThanOrEqual(-1e-12 * Math.max(1, u0[i]));
          expect(num(sol, "thetaLow"), what).toBeLessThanOrEqual(num(sol, "thetaHigh"));
          expect(num(sol, "profit"), what).toBeGreaterThanOrEqual(0);
          expect(sol.checks.passed, `${what}: ${sol.checks.failures.join("; ")}`).toBe(true);
          // q^int ≥ q̂ on region 3 and the fringe quality of region 1 is the fringe-only demand
          const m: FringeMarket = { sigma, etaL: sigma + gammaL, etaF: sigma, cF };
          const th = sol.curves.theta;
          for (let i = 0; i < th.length; i += 10) {
            const p = sol.pointAt(th[i]);
            if (p.region === 3) expect(p.qL as number).toBeGreaterThanOrEqual(limitQuality(th[i], m) * (1 - 1e-12));
            if (p.region === 1) expectClose(p.U as number, outsideOption(th[i], m), 1e-14, 0, `U = u0 in region 1: ${what}`);
          }
        },
      ),
      { numRuns: 60, seed: 42 },
    );
  });
});
