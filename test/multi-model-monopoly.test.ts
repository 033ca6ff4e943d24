// Multi-model monopolist (docs/model.md 3b): a useless fringe recovers the single-model monopoly
// closed form, the switch is where h̄(θ) = θ_e, profit equals the virtual surplus computed
// independently, ironing bunches types, and u_θ is nondecreasing as a property.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { beta } from "../engine/distributions/beta.js";
import { discrete } from "../engine/distributions/discrete.js";
import { mixture } from "../engine/distributions/mixture.js";
import type { ContinuousDistribution } from "../engine/distributions/types.js";
import { uniform } from "../engine/distributions/uniform.js";
import { integratePiecewise } from "../engine/numerics/piecewise-integral.js";
import { integrate } from "../engine/numerics/quadrature.js";
import { aggregateTechnology } from "../engine/technology/ces-cost.js";
import { solveMonopoly } from "../solvers/monopoly.js";
import { solveMultiModelMonopoly } from "../solvers/multi-model-monopoly.js";
import type { AggregateModel } from "../solvers/two-model-utility.js";
import { close } from "./helpers/close.js";

const model = (name: string, sigma: number, gamma: number, cost: number): AggregateModel => ({ name, gamma, eta: sigma + gamma, cost });
const SIGMA = 0.5;
const LEADER = model("leader", SIGMA, 0.3, 0.3); // P2
const FRINGE = model("fringe", SIGMA, 0, 0.2);
const USELESS = model("fringe", SIGMA, 0, 1e9);
const U01 = uniform(0, 1, "buyers.theta");

/** Single-model quality of the pointwise problem at weight a: (aη/c)^(1/(1−η)). */
const q = (m: AggregateModel, a: number) => (a > 0 ? Math.pow((a * m.eta) / m.cost, 1 / (1 - m.eta)) : 0);

describe("multi-model monopolist with a useless fringe = single-model monopoly", () => {
  const eta = LEADER.eta;
  const kappa = LEADER.cost;
  const m = eta / (1 - eta);
  const sol = solveMultiModelMonopoly({ sigma: SIGMA, dist: U01, leader: LEADER, fringe: USELESS }, { gridPoints: 401 });
  const profitFormula = ((1 - eta) ** 2 / (2 * (2 - eta))) * Math.pow(eta / kappa, m);

  it("the profit formula (1−η)²/(2(2−η))(η/κ)^m holds (checked by quadrature)", () => {
    const Q = (th: number) => Math.pow((eta * (2 * th - 1)) / kappa, m);
    const byQuadrature = integrate((th) => (2 * th - 1) * Q(th) - kappa * Math.pow(Q(th), 1 / eta), 0.5, 1, { epsrel: 1e-14 });
    close(byQuadrature, profitFormula, 1e-13, "∫_{1/2}^1 (hQ − κQ^(1/η)) dθ");
  });

  it("profit, θ*, qualities and transfers match the closed form", () => {
    close(sol.scalars.profit as number, profitFormula, 1e-10, "profit");
    close(sol.scalars.thetaStar as number, 0.5, 1e-14, "θ*");
    for (const th of [0.3, 0.5, 0.61, 0.8, 0.95, 1]) {
      const p = sol.pointAt(th);
      const Q = th > 0.5 ? Math.pow((eta * (2 * th - 1)) / kappa, m) : 0;
      const U = th > 0.5 ? (Math.pow(eta / kappa, m) * Math.pow(2 * th - 1, m + 1)) / (2 * (m + 1)) : 0;
      close(p.QL as number, Q, 1e-11, `Q(${th})`, 1e-14);
      close(p.U as number, U, 1e-11, `U(${th})`, 1e-14);
      close(p.t as number, th * Q - U, 1e-11, `t(${th})`, 1e-14);
    }
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
  });

  it("agrees with the lead's single-model monopoly solver", () => {
    const mono = solveMonopoly({ dist: U01, cost: aggregateTechnology(SIGMA, kappa, LEADER.gamma), gridPoints: 11 });
    close(sol.scalars.profit as number, mono.scalars.profit as number, 1e-10, "profit vs solveMonopoly");
    close(sol.scalars.consumerSurplus as number, mono.scalars.consumerSurplus as number, 1e-10, "consumer surplus vs solveMonopoly");
  });

  it("discrete types: equals the discrete single-model monopoly", () => {
    const d = discrete([0.2, 0.5, 0.55, 0.7, 1], [0.3, 0.1, 0.2, 0.25, 0.15], "buyers.theta");
    const s = solveMultiModelMonopoly({ sigma: SIGMA, dist: d, leader: LEADER, fringe: USELESS }, { gridPoints: 11 });
    const mono = solveMonopoly({ dist: d, cost: aggregateTechnology(SIGMA, kappa, LEADER.gamma), gridPoints: 11 });
    close(s.scalars.profit as number, mono.scalars.profit as number, 1e-12, "discrete profit");
    close(s.scalars.consumerSurplus as number, mono.scalars.consumerSurplus as number, 1e-12, "discrete consumer surplus");
    expect(s.checks.passed, s.checks.failures.join("; ")).toBe(true);
  });
});

describe("multi-model monopolist, P2 models (leader γ 0.3 cost 0.3, fringe γ 0 cost 0.2), θ ~ U[0,1]", () => {
  const sol = solveMultiModelMonopoly({ sigma: SIGMA, dist: U01, leader: LEADER, fringe: FRINGE }, { gridPoints: 401 });
  const pL = 1 / (1 - LEADER.eta);
  const pF = 1 / (1 - FRINGE.eta);
  const AL = (1 - LEADER.eta) * Math.pow(LEADER.eta / LEADER.cost, LEADER.eta / (1 - LEADER.eta));
  const AF = (1 - FRINGE.eta) * Math.pow(FRINGE.eta / FRINGE.cost, FRINGE.eta / (1 - FRINGE.eta));
  const thetaE = Math.pow(AF / AL, 1 / (pL - pF)); // efficient switch type (V_L = V_F)
  const thetaS = (1 + thetaE) / 2; // h(θ) = 2θ − 1 = θ_e

  it("switches where h̄(θ) = θ_e", () => {
    close(sol.scalars.thetaSwitch as number, thetaS, 1e-12, "thetaSwitch");
    close(2 * (sol.scalars.thetaSwitch as number) - 1, thetaE, 1e-12, "h(thetaSwitch) = θ_e");
    expect(sol.pointAt(thetaS - 1e-9).model).toBe(2);
    expect(sol.pointAt(thetaS + 1e-9).model).toBe(1);
    expect(sol.pointAt(0.49).model).toBe(0);
  });

  it("profit equals the virtual surplus ∫ (h u − cost) f computed from closed-form qualities", () => {
    // Below θ_s: fringe with q = (hη_F/c_F)^(1/(1−η_F)); above: leader; u = q^η.
    const vs = (th: number) => {
      const h = 2 * th - 1;
      if (h <= 0) return 0;
      const M = th < thetaS ? FRINGE : LEADER;
      const qq = q(M, h);
      return h * Math.pow(qq, M.eta) - M.cost * qq;
    };
    const profit = integratePiecewise(vs, 0.5, 1, [thetaS], { epsrel: 1e-13 });
    close(sol.scalars.profit as number, profit, 1e-10, "profit");
    const uAt = (th: number) => {
      const h = 2 * th - 1;
      const M = th < thetaS ? FRINGE : LEADER;
      return h > 0 ? Math.pow(q(M, h), M.eta) : 0;
    };
    const cs = integratePiecewise((s) => uAt(s) * (1 - s), 0.5, 1, [thetaS], { epsrel: 1e-13 });
    close(sol.scalars.consumerSurplus as number, cs, 1e-10, "consumer surplus ∫ u (1 − F)");
    close((sol.scalars.profit as number) + (sol.scalars.consumerSurplus as number), sol.scalars.welfare as number, 1e-12, "profit + CS = welfare");
  });

  it("pointAt reproduces the grid exactly and the menu passes the checks", () => {
    const { theta, columns } = sol.curves;
    for (const i of [0, 150, 200, 260, 299, 300, 350, 400]) {
      const p = sol.pointAt(theta[i]);
      close(p.t as number, columns.t[i], 1e-12, `t at grid θ=${theta[i]}`, 1e-15);
      close(p.u as number, columns.u[i], 1e-14, `u at grid θ=${theta[i]}`, 1e-300);
    }
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.checks.monotone).toBe(true);
  });
});

describe("multi-model monopolist with a non-monotone virtual type", () => {
  // Half U[0,1], half U[0.4,0.6]: the density jumps up at 0.4 and down at 0.6, so h falls at 0.6.
  const dist = mixture([uniform(0, 1, "a"), uniform(0.4, 0.6, "b")], [0.5, 0.5], "buyers.theta") as ContinuousDistribution;
  const sol = solveMultiModelMonopoly({ sigma: SIGMA, dist, leader: LEADER, fringe: FRINGE }, { gridPoints: 301 });

  it("irons: one bunching interval with a constant item, u nondecreasing, checks pass", () => {
    expect(sol.ironing.length, "ironing intervals").toBe(1);
    const [l, r] = sol.ironing[0];
    const first = sol.pointAt(l + 1e-9 * (r - l));
    for (const x of [0.25, 0.5, 0.75, 1 - 1e-9]) {
      const p = sol.pointAt(l + x * (r - l));
      close(p.u as number, first.u as number, 1e-13, `u on the ironed interval at θ=${l + x * (r - l)}`);
    }
    const u = sol.curves.columns.u;
    for (let i = 1; i < u.length; i++) expect(u[i] >= u[i - 1], `u falls at θ=${sol.curves.theta[i]}`).toBe(true);
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
  });

  it("is certified by the ironed-surplus bound, H̄ ≤ H checked, its gap at rounding level", () => {
    expect(sol.certificate.certified).toBe(true);
    expect(sol.certificate.optimalityGap).toBeLessThan(1e-11);
    expect(sol.certificate.certificate).toMatch(/^ironed virtual surplus bound \(weak duality with H̄ ≤ H checked on every ironed interval, shortfall [0-9.e+-]+; both models/);
  });

  it("profit equals ∫ (h u − cost) f with the un-ironed h (bunching makes the difference vanish)", () => {
    const ph = (th: number) => {
      const p = sol.pointAt(th);
      return (dist.virtualType(th) * (p.u as number) - (p.cost as number)) * dist.pdf(th);
    };
    const bks = [0.4, 0.6, ...sol.ironing.flat(), sol.scalars.thetaSwitch as number];
    // pointAt integrates rents internally; use a moderate tolerance for this nested quadrature.
    const profit = integratePiecewise(ph, sol.scalars.thetaStar as number, 1, bks.sort((a, b) => a - b), { epsrel: 1e-10 });
    close(sol.scalars.profit as number, profit, 1e-8, "profit vs un-ironed virtual surplus");
  });
});

describe("multi-model monopolist: properties", () => {
  it("u_θ is nondecreasing and the menu is incentive compatible for random models and beta types", () => {
    const arbModel = (sigma: number, name: string) =>
      fc.record({ g: fc.double({ min: 0, max: 0.9 - sigma, noNaN: true }), zero: fc.boolean(), c: fc.double({ min: 0.05, max: 2, noNaN: true }) })
        .map(({ g, zero, c }) => model(name, sigma, zero ? 0 : g, c));
    const arb = fc
      .double({ min: 0.25, max: 0.7, noNaN: true })
      .chain((sigma) =>
        fc.tuple(fc.constant(sigma), arbModel(sigma, "leader"), arbModel(sigma, "fringe"), fc.double({ min: 0.8, max: 4, noNaN: true }), fc.double({ min: 0.8, max: 4, noNaN: true })),
      );
    fc.assert(
      fc.property(arb, ([sigma, l, f, a, b]) => {
        const dist = beta(a, b, 0, 2, "buyers.theta");
        const sol = solveMultiModelMonopoly({ sigma, dist, leader: l, fringe: f }, { gridPoints: 61 });
        const u = sol.curves.columns.u;
        for (let i = 1; i < u.length; i++) expect(u[i] >= u[i - 1], `u falls at θ=${sol.curves.theta[i]}: ${u[i - 1]} → ${u[i]}`).toBe(true);
        expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
        expect((sol.scalars.profit as number) >= 0).toBe(true);
        expect((sol.scalars.welfare as number) <= (sol.scalars.efficientWelfare as number) * (1 + 1e-12)).toBe(true);
      }),
      { numRuns: 12, seed: 3 },
    );
  });
});

describe("multi-model monopolist on mixtures: jumps of u where a component ends", () => {
  // h, and with it the chosen model and u_θ, jump where a mixture component's support ends. The
  // rents and the envelope check were integrated across those points: a random three-component
  // mixture failed its envelope check (1.6e-5 against a tolerance of 1.2e-5) though certified,
  // and a two-uniform one was not certified (gap 2.1e-5). Split there, both pass; the second's
  // profit is checked against the Richardson limit of the law at 2,000 and 4,000 equal-mass atoms
  // solved by the discrete path (no quadrature).
  const solve = async (raw: unknown, opts = {}) => {
    const { parseScenario } = await import("../engine/scenario/load.js");
    const { solveScenario } = await import("../solvers/solve.js");
    return solveScenario(parseScenario(raw, { figures: false }), opts);
  };
  const market = (leader: [number, number], fringe: [number, number]) => ({
    kind: "multiModelMonopoly",
    leader: { gamma: leader[0], cost: leader[1] },
    fringe: { gamma: fringe[0], cost: fringe[1] },
  });
  it("three components: every check passed, certified", async () => {
    const sol = await solve({
      name: "mm-three",
      buyers: {
        theta: {
          dist: "mixture",
          components: [
            { dist: "beta", a: 2.130368550275624, b: 2.7042244824134856, min: 0.7377253089741456, max: 1.257900493665552 },
            { dist: "uniform", min: 0.9193260129165491, max: 1.4301054403791695 },
            { dist: "beta", a: 4.9808949459255185, b: 1.5013561701874045, min: 0.05658113400292636, max: 0.25521160194427317 },
          ],
          weights: [0.34702962336289317, 0.37717594083655864, 0.27579443580054813],
        },
      },
      technology: { sigma: 0.504344024045553 },
      market: market([0.29600728016626426, 0.11926088736823802], [0, 0.08185647330273912]),
    });
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.checks.envelopeMaxError).toBeLessThan(1e-3 * sol.checks.tolerance);
    expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
  }, 60_000);
  it("two uniforms: certified, at the discretized laws' Richardson limit to 1e-6", async () => {
    const theta = {
      dist: "mixture",
      components: [
        { dist: "uniform", min: 0.7681512598731328, max: 1.2704781582441544 },
        { dist: "uniform", min: 0.7967520439050868, max: 1.8901003802149092 },
      ],
      weights: [0.7674541350579498, 0.23254586494205023],
    };
    const m = market([0.2419758212715275, 0.10218073402167333], [0, 0.1229162633495673]);
    const technology = { sigma: 0.4000666365027738 };
    const sol = await solve({ name: "mm-two", buyers: { theta }, technology, market: m });
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
    const d = mixture([uniform(0.7681512598731328, 1.2704781582441544, "a"), uniform(0.7967520439050868, 1.8901003802149092, "b")], [0.7674541350579498, 0.23254586494205023], "theta") as ContinuousDistribution;
    const atoms = async (N: number) => {
      const values = Array.from({ length: N }, (_, i) => d.quantile((i + 0.5) / N));
      const s = await solve({ name: "mm-atoms", buyers: { theta: { dist: "discrete", values, probs: values.map(() => 1 / N) } }, technology, market: m }, { scalarsOnly: true });
      return s.scalars.profit as number;
    };
    const [p2000, p4000] = [await atoms(2000), await atoms(4000)];
    const profit = sol.scalars.profit as number;
    const extrapolated = 2 * p4000 - p2000;
    expect(Math.abs(profit - extrapolated) / profit, `continuous ${profit}, N=2000 ${p2000}, N=4000 ${p4000}, extrapolated ${extrapolated}`).toBeLessThan(1e-6);
  }, 120_000);
});

describe("θ* where h̄ jumps across 0 at a Beta component's singular start (random scan, seed 7, market 46)", () => {
  it("θ* is the component's start exactly, not Brent's root a few ulps above it (those ulps hold mass next to an infinite density): certified, where the gap was 6.2e-9, and earning more than that menu", async () => {
    const { parseScenario } = await import("../engine/scenario/load.js");
    const { solveScenario } = await import("../solvers/solve.js");
    const start = 0.6918909911494194;
    const raw = {
      name: "c46",
      buyers: {
        theta: {
          dist: "mixture",
          components: [
            { dist: "uniform", min: 0.48101634834009055, max: 1.3514541564748874 },
            { dist: "beta", a: 0.4289452751301906, b: 1.8832391131125572, min: start, max: 1.5518458076994148 },
          ],
          weights: [0.5621799472001248, 0.4378200527998753],
        },
      },
      technology: { sigma: 0.7682643769626805 },
      market: { kind: "multiModelMonopoly", leader: { gamma: 0.12163016706315342, cost: 0.9735862097347091 }, fringe: { gamma: 0.06905895451024081, cost: 0.9515664523167183 } },
    };
    const sol = solveScenario(parseScenario(raw, { figures: false }));
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.scalars.thetaStar).toBe(start);
    expect(sol.certificate.certified, sol.solver.notes.join("\n")).toBe(true);
    expect(sol.certificate.optimalityGap!).toBeLessThanOrEqual(1e-9);
    // the menu with θ* 3 ulps above the start (a feasible menu: its checks passed) earned 0.0544551764257
    expect(Number(sol.scalars.profit)).toBeGreaterThan(0.0544551764257 * (1 + 5e-9));
  });
});
