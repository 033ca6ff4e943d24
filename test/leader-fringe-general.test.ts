// Leader vs competitive fringe, general path (γ_F ≥ 0, any continuous distribution):
// - with γ_F = 0 the general path (regions by scan + Brent, θ_low as a zero of V2, every scalar by
//   quadrature) reproduces the explicit path (closed-form θ_low, closed-form integrals);
// - results are continuous as γ_F → 0 (1e-3, 1e-4 against 0);
// - every scalar of random beta markets (γ_F = 0 and 0.1) against direct integrals of the menu's
//   own points (fast-check);
// - γ_F > 0 examples (uniform and 0.5·Beta(2,8) + 0.5·Beta(8,2), whose h is not monotone):
//   a-posteriori checks with the full top-up utility pass, the Lagrangian optimality certificate
//   holds, participation binds on region 2, profit and welfare match direct integrals of the
//   menu, and off-grid types' best replies to a dense copy of the menu are their own items;
// - bunching: a bimodal law whose ironing interval lies in the served region reproduces the
//   lead's monopoly solver (with its ironing) in the limit c_F → ∞;
// - the certificate is not vacuous: it flags a deliberately shifted cut-off;
// - properties over random markets with γ_F > 0 (fast-check);
// - finitely many types (leader-fringe-discrete.ts): the midpoint grids of P2.json's discrete brute
//   force give its exact optima; γ_F > 0 and unequal weights pass the all-pairs checks; a type
//   between atoms takes its best item of the finite menu.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadLpSolver } from "../engine/numerics/lp-solver.js";
import { discreteFromAtoms } from "../engine/distributions/discrete.js";
import { beta } from "../engine/distributions/beta.js";
import type { ContinuousDistribution, TypeDistribution } from "../engine/distributions/types.js";
import { uniform } from "../engine/distributions/uniform.js";
import { integrate } from "../engine/numerics/quadrature.js";
import { aggregateTechnology } from "../engine/technology/ces-cost.js";
import { fringeTopUp, outsideOption, type FringeMarket } from "../solvers/fringe-top-up.js";
import { solveLeaderFringe, type LeaderFringeInput } from "../solvers/leader-fringe.js";
import { generalPlan, ironedModel, lagrangianCertificate } from "../solvers/leader-fringe-general.js";
import { buildMenu } from "../solvers/leader-fringe-menu.js";
import { linspace } from "../engine/grid.js";
import { solveMonopoly } from "../solvers/monopoly.js";
import type { MarketSolution } from "../solvers/types.js";
import { expectClose } from "./helpers/close.js";
import { betaMixture, bimodal } from "./helpers/beta-mixture.js";

function input(sigma: number, gammaL: number, cL: number, gammaF: number, cF: number, dist: TypeDistribution): LeaderFringeInput {
  return {
    sigma,
    leader: { name: "leader", gamma: gammaL, eta: sigma + gammaL, cost: cL },
    fringe: { name: "fringe", gamma: gammaF, eta: sigma + gammaF, cost: cF },
    dist,
  };
}
const num = (sol: MarketSolution, k: string) => sol.scalars[k] as number;
const U01 = uniform(0, 1, "buyers.theta");
const MIX = bimodal();
const SCALARS = ["profit", "consumerSurplus", "rentOverOutsideOption", "welfare", "fringeOnlyShare", "fringeSpend", "leaderSpend", "fringeSpendShare"];

describe("γ_F = 0: the general path reproduces the explicit path", () => {
  const cases: [string, ContinuousDistribution, number][] = [
    ["U[0,1], P2", U01, 0.2],
    ["U[0,1], empty middle region", U01, 0.05],
    ["U[0,1], c_F > c_L", U01, 0.5],
    ["Beta(2,2)", beta(2, 2, 0, 1, "b"), 0.2],
    ["Beta(2,5) on [0.5, 2]", beta(2, 5, 0.5, 2, "b"), 0.3],
  ];
  for (const [label, dist, cF] of cases) {
    it(`${label}, c_F = ${cF}: thresholds to 1e-12, scalars and points to 1e-10`, () => {
      const ex = solveLeaderFringe(input(0.5, 0.3, 0.3, 0, cF, dist), { gridPoints: 101 });
      const ge = solveLeaderFringe(input(0.5, 0.3, 0.3, 0, cF, dist), { gridPoints: 101, forceGeneral: true });
      expect(ex.solver.method).toMatch(/^explicit/);
      expect(ge.solver.method).toMatch(/^general/);
      for (const k of ["thetaLow", "thetaHigh", "thetaHighRoot"]) expectClose(num(ge, k), num(ex, k), 1e-12, 0, `${k} (${label})`);
      expect(ge.scalars.region2Empty).toBe(ex.scalars.region2Empty);
      for (const k of SCALARS) expectClose(num(ge, k), num(ex, k), 1e-10, 1e-14, `${k} (${label})`);
      for (const u of [0.1, 0.5, 0.75, 0.9, 0.99]) {
        const th = dist.quantile(u);
        const a = ex.pointAt(th);
        const b = ge.pointAt(th);
        expect(b.region, `region at θ=${th}`).toBe(a.region);
        for (const k of ["qL", "qF", "t", "U", "R"]) expectClose(b[k] as number, a[k] as number, 1e-10, 1e-13, `${k}(${th}) (${label})`);
      }
      expect(ge.checks.passed, ge.checks.failures.join("; ")).toBe(true);
      expect(ge.scalars.optimalityCertified, `certificate (${label}): ${ge.solver.notes.join(" | ")}`).toBe(true);
      // the bound is checked at the grid types and beside the segment ends, and the certificate says how many
      expect(ge.certificate.certificate).toMatch(new RegExp(`checked at \\d+ types: the ${ge.curves.theta.length} grid types and both sides of every segment end`));
    });
  }
});

describe("continuity as γ_F → 0", () => {
  it("γ_F = 1e-3 and 1e-4 approach γ_F = 0 (differences shrink about linearly)", () => {
    const base = solveLeaderFringe(input(0.5, 0.3, 0.3, 0, 0.2, U01), { gridPoints: 51, scalarsOnly: true });
    const diffs = [1e-3, 1e-4].map((gF) => {
      const s = solveLeaderFringe(input(0.5, 0.3, 0.3, gF, 0.2, U01), { gridPoints: 51, scalarsOnly: true });
      expect(s.solver.method).toMatch(/^general/);
      const d: Record<string, number> = {};
      for (const k of ["profit", "thetaLow", "thetaHigh", "consumerSurplus", "fringeSpendShare"]) d[k] = Math.abs(num(s, k) - num(base, k)) / Math.abs(num(base, k));
      const p = s.pointAt(0.9);
      d.t09 = Math.abs((p.t as number) - (base.pointAt(0.9).t as number)) / (base.pointAt(0.9).t as number);
      return d;
    });
    for (const k of Object.keys(diffs[0])) {
      expect(diffs[0][k], `${k}: relative change at γ_F = 1e-3`).toBeLessThan(1e-2);
      expect(diffs[1][k], `${k}: relative change at γ_F = 1e-4 (${diffs[1][k]}) vs 1e-3 (${diffs[0][k]})`).toBeLessThan(diffs[0][k] / 4);
      expect(diffs[1][k]).toBeLessThan(1e-3);
    }
  });
});

describe("the scalars against the menu's own points (beta types, both paths)", () => {
  // The scalars come from one vector quadrature per region (leader-fringe-menu.ts); here every
  // one is integrated again from pointAt, whose rent R(θ) is a separate scalar quadrature:
  // Π = ∫ (t − c_L q_L) f, CS = ∫ U f, ∫ R f = ∫ (U − u0) f, spends c ∫ q f, F(θ_low).
  it("property: random Beta(a, b) laws, costs and γ_F ∈ {0, 0.1}: every scalar to 1e-9", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 6, noNaN: true }),
        fc.double({ min: 1, max: 6, noNaN: true }),
        fc.double({ min: 0.08, max: 0.4, noNaN: true }),
        fc.constantFrom(0, 0.1),
        (a, b, cF, gF) => {
          const dist = beta(a, b, 0, 1, "b");
          const sol = solveLeaderFringe(input(0.5, 0.3, 0.3, gF, cF, dist), { gridPoints: 101 });
          const what = `Beta(${a}, ${b}), c_F = ${cF}, γ_F = ${gF} (${sol.solver.method.slice(0, 30)})`;
          const m: FringeMarket = { sigma: 0.5, etaL: 0.8, etaF: 0.5 + gF, cF };
          const cuts = [0, num(sol, "thetaLow"), num(sol, "thetaHigh"), 1].filter((x) => x >= 0 && x <= 1).sort((x, y) => x - y);
          const direct = (g: (x: number) => number): number => {
            let sum = 0;
            for (let k = 0; k + 1 < cuts.length; k++) {
              if (cuts[k + 1] > cuts[k]) sum += integrate((x) => g(x) * dist.pdf(x), cuts[k], cuts[k + 1], { epsrel: 1e-11, epsabs: 1e-15 });
            }
            return sum;
          };
          const at = (x: number) => sol.pointAt(x);
          const profit = direct((x) => (at(x).t as number) - 0.3 * (at(x).qL as number));
          const cs = direct((x) => at(x).U as number);
          const rent = direct((x) => (at(x).U as number) - outsideOption(x, m));
          const fringe = cF * direct((x) => at(x).qF as number);
          const leader = 0.3 * direct((x) => at(x).qL as number);
          expectClose(num(sol, "profit"), profit, 1e-9, 1e-13, `${what}: profit`);
          expectClose(num(sol, "consumerSurplus"), cs, 1e-9, 1e-13, `${what}: consumer surplus`);
          expectClose(num(sol, "rentOverOutsideOption"), rent, 1e-9, 1e-13, `${what}: rent over the outside option`);
          expectClose(num(sol, "fringeSpend"), fringe, 1e-9, 1e-13, `${what}: fringe spend`);
          expectClose(num(sol, "leaderSpend"), leader, 1e-9, 1e-13, `${what}: leader spend`);
          expectClose(num(sol, "fringeOnlyShare"), dist.cdf(Math.min(Math.max(num(sol, "thetaLow"), 0), 1)), 1e-12, 1e-15, `${what}: fringe-only share`);
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe("γ_F > 0 examples", () => {
  const cases: [string, ContinuousDistribution, number, number][] = [
    ["U[0,1]", U01, 0.1, 0.2],
    ["U[0,1]", U01, 0.2, 0.6],
    ["U[0,1]", U01, 0.25, 0.3],
    ["0.5·Beta(2,8)+0.5·Beta(8,2)", MIX, 0.1, 0.2],
    ["0.5·Beta(2,8)+0.5·Beta(8,2)", MIX, 0.2, 0.3],
  ];
  for (const [label, dist, gF, cF] of cases) {
    it(`${label}, γ_F = ${gF}, c_F = ${cF}: checks, certificate, binding participation, direct integrals, off-grid best replies`, () => {
      const sol = solveLeaderFringe(input(0.5, 0.3, 0.3, gF, cF, dist), { gridPoints: 201 });
      const what = `${label} γ_F=${gF} c_F=${cF}`;
      expect(sol.solver.method).toMatch(/^general/);
      expect(sol.checks.passed, `${what}: ${sol.checks.failures.join("; ")}`).toBe(true);
      expect(sol.scalars.optimalityCertified, `${what}: ${sol.solver.notes.join(" | ")}`).toBe(true);
      expect(num(sol, "lagrangianGap")).toBeLessThan(1e-12);
      const m: FringeMarket = { sigma: 0.5, etaL: 0.8, etaF: 0.5 + gF, cF };
      const lo = num(sol, "thetaLow");
      const hi = num(sol, "thetaHigh");
      expect(lo).toBeLessThan(hi);
      // region 2: the leader sells q̂ and takes the buyer's whole gain over the fringe
      const mid = sol.pointAt(0.5 * (lo + hi));
      expect(mid.region).toBe(2);
      expectClose(mid.U as number, outsideOption(0.5 * (lo + hi), m), 1e-13, 0, `${what}: participation binds in region 2`);
      expect(mid.qF, "no top-up on the leader's own item").toBe(0);
      // profit and welfare from the menu itself
      const cuts = [dist.min, lo, hi, dist.max];
      let profit = 0;
      let welfare = 0;
      for (let k = 0; k + 1 < cuts.length; k++) {
        if (!(cuts[k + 1] > cuts[k])) continue;
        profit += integrate((x) => {
          const p = sol.pointAt(x);
          return ((p.t as number) - 0.3 * (p.qL as number)) * dist.pdf(x);
        }, cuts[k], cuts[k + 1], { epsrel: 1e-11, epsabs: 1e-14 });
        welfare += integrate((x) => {
          const q = sol.pointAt(x).qL as number;
          return (fringeTopUp(x, q, m).u - 0.3 * q) * dist.pdf(x);
        }, cuts[k], cuts[k + 1], { epsrel: 1e-11, epsabs: 1e-14 });
      }
      expectClose(num(sol, "profit"), profit, 1e-9, 0, `${what}: profit vs ∫ (t − c_L q_L) f`);
      expectClose(num(sol, "welfare"), welfare, 1e-9, 0, `${what}: welfare vs ∫ (u − c_L q_L) f`);
      // off-grid types against a dense copy of the menu (1001 items), top-up included
      const items = Array.from(linspace(dist.min, dist.max, 1001), (x) => sol.pointAt(x));
      for (const u of [0.05, 0.33, 0.61, 0.77, 0.83, 0.97]) {
        const th = dist.quantile(u) + 1e-7;
        const own = sol.pointAt(th);
        let best = outsideOption(th, m);
        for (const it of items) best = Math.max(best, fringeTopUp(th, it.qL as number, m).u - (it.t as number));
        const U = own.U as number;
        expect(U, `${what}: θ=${th} own U ${U} vs best reply ${best}`).toBeGreaterThanOrEqual(best - 1e-9 * Math.max(1, Math.abs(best)));
      }
    });
  }
});

describe("bunching and the monopoly limit with a non-monotone virtual type", () => {
  it("0.6·Beta(3,3) + 0.4·Beta(30,2): the leader bunches on the monopoly's ironing interval as c_F → ∞", () => {
    const dist = betaMixture([[3, 3], [30, 2]], [0.6, 0.4]);
    const mono = solveMonopoly({ dist, cost: aggregateTechnology(0.5, 0.3, 0.3), gridPoints: 101 });
    expect(mono.ironing.length).toBe(1);
    for (const gF of [0, 0.2]) {
      const sol = solveLeaderFringe(input(0.5, 0.3, 0.3, gF, 1e6, dist), { gridPoints: 101 });
      expect(sol.solver.method).toMatch(/^general/);
      expect(sol.ironing.length, `γ_F=${gF}: one bunching interval`).toBe(1);
      expectClose(sol.ironing[0][0], mono.ironing[0][0], 1e-12, 0, `γ_F=${gF}: bunching start`);
      expectClose(sol.ironing[0][1], mono.ironing[0][1], 1e-12, 0, `γ_F=${gF}: bunching end`);
      expectClose(num(sol, "profit"), num(mono, "profit"), 1e-6, 0, `γ_F=${gF}: profit → monopoly`);
      const [a, b] = sol.ironing[0];
      const qa = sol.pointAt(a + 1e-9).qL as number;
      const qb = sol.pointAt(b - 1e-9).qL as number;
      expectClose(qa, qb, 1e-12, 0, `γ_F=${gF}: q_L constant on the bunching interval`);
      expectClose(sol.pointAt(0.5 * (a + b)).QL as number, mono.pointAt(0.5 * (a + b)).Q as number, 1e-10, 0, `γ_F=${gF}: bunched Q = monopoly Q`);
      expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
      expect(sol.scalars.optimalityCertified, sol.solver.notes.join(" | ")).toBe(true);
    }
  });

  it("0.5·Beta(2,8) + 0.5·Beta(8,2) with γ_F = 0: general path because h is not monotone, certified", () => {
    const sol = solveLeaderFringe(input(0.5, 0.3, 0.3, 0, 0.2, MIX), { gridPoints: 201 });
    expect(sol.solver.method).toMatch(/^general/);
    expect(sol.solver.notes.join(" ")).toMatch(/h is not monotone/);
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.scalars.optimalityCertified).toBe(true);
    // the cut-off is still the closed-form zero of V2 (it lies above the ironing interval)
    expectClose(num(sol, "thetaLow"), 0.686828545531999, 1e-12, 0, "θ_low = (c_F/σ)(c_L/c_F)^(η(1−σ)/γ)");
  });
});

describe("the optimality certificate is not vacuous", () => {
  it("a menu with the cut-off moved up by 0.05 shows a positive Lagrangian gap", () => {
    const { market, cL } = { market: { sigma: 0.5, etaL: 0.8, etaF: 0.6, cF: 0.2 } as FringeMarket, cL: 0.3 };
    const { model } = ironedModel(market, cL, U01, []);
    const plan = generalPlan(model);
    const good = buildMenu(model, plan.segments, plan);
    const grid = linspace(0, 1, 201);
    expect(lagrangianCertificate(good, grid).excess).toBeLessThan(1e-14);
    const shifted = plan.thetaLow + 0.05;
    const segs = plan.segments.map((s) => ({ ...s }));
    segs[0].to = shifted;
    segs[1].from = shifted;
    const bad = buildMenu(model, segs, { ...plan, thetaLow: shifted });
    const cert = lagrangianCertificate(bad, grid);
    expect(cert.excess, "excess of a suboptimal menu").toBeGreaterThan(1e-5);
    expect(cert.worst!.theta).toBeGreaterThan(plan.thetaLow);
    expect(cert.worst!.theta).toBeLessThan(shifted);
  });
});

describe("properties over random markets with γ_F > 0 (general path)", () => {
  it("q_L nondecreasing, U ≥ u0, θ_low ≤ θ_high, profit ≥ 0, checks pass, certificate holds", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: 0.7, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 0.02, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        (sigma, gFrac, gfFrac, cL, cFrel) => {
          const gammaL = gFrac * (0.95 - sigma);
          const gammaF = gfFrac * gammaL;
          const cF = cFrel * cL;
          const sol = solveLeaderFringe(input(sigma, gammaL, cL, gammaF, cF, U01), { gridPoints: 41 });
          const what = `σ=${sigma} γ_L=${gammaL} γ_F=${gammaF} c_L=${cL} c_F=${cF}`;
          const qL = sol.curves.columns.qL;
          for (let i = 1; i < qL.length; i++) expect(qL[i], `q_L monotone at i=${i}: ${what}`).toBeGreaterThanOrEqual(qL[i - 1]);
          const { U, u0 } = sol.curves.columns;
          for (let i = 0; i < U.length; i++) expect(U[i] - u0[i], `U ≥ u0 at i=${i}: ${what}`).toBeGreaterThanOrEqual(-1e-12 * Math.max(1, u0[i]));
          expect(num(sol, "thetaLow"), what).toBeLessThanOrEqual(num(sol, "thetaHigh"));
          expect(num(sol, "profit"), what).toBeGreaterThanOrEqual(0);
          expect(sol.checks.passed, `${what}: ${sol.checks.failures.join("; ")}`).toBe(true);
          expect(num(sol, "lagrangianGap"), `${what}: ${sol.solver.notes.join(" | ")}`).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 25, seed: 2025 },
    );
  });
});

describe("finitely many types", () => {
  beforeAll(() => loadLpSolver());
  const P2 = JSON.parse(readFileSync(new URL("./fixtures/reference/P2.json", import.meta.url), "utf8"));
  const midpoints = (n: number) => {
    const v = Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    return discreteFromAtoms(v, v.map(() => 1 / n));
  };
  it("midpoints of U[0,1] with equal weights reproduce P2's exact discrete optima (N = 100, 200)", () => {
    for (const N of [100, 200]) {
      const ref = (P2.diagnostics.discreteBruteForce as { N: number; exact: number }[]).find((x) => x.N === N)!;
      const sol = solveLeaderFringe(input(0.5, 0.3, 0.3, 0, 0.2, midpoints(N)), { gridPoints: 11 });
      expectClose(num(sol, "profit"), ref.exact, 1e-11, 0, `discrete optimum N=${N}`);
      expect(sol.curves.theta.length, "curves on the atoms").toBe(N);
      expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
      expectClose(num(sol, "welfare"), num(sol, "profit") + num(sol, "consumerSurplus"), 1e-14, 0, "welfare identity");
    }
  });
  it("γ_F > 0 and unequal weights: all-pairs checks pass; off-atom types take their best item", () => {
    const m: FringeMarket = { sigma: 0.5, etaL: 0.8, etaF: 0.65, cF: 0.25 };
    const vals = [0.2, 0.45, 0.6, 0.7, 0.78, 0.85, 0.9, 0.95, 1];
    const probs = [0.2, 0.15, 0.15, 0.1, 0.1, 0.1, 0.08, 0.07, 0.05];
    const d = discreteFromAtoms(vals, probs);
    const sol = solveLeaderFringe(input(0.5, 0.3, 0.3, 0.15, 0.25, d), { gridPoints: 11 });
    expect(sol.solver.method).toMatch(/^discrete/);
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(num(sol, "profit")).toBeGreaterThan(0);
    for (const th of [0.5, 0.74, 0.88, 0.99]) {
      const p = sol.pointAt(th);
      let best = outsideOption(th, m);
      for (const v of vals) {
        const it = sol.pointAt(v);
        best = Math.max(best, fringeTopUp(th, it.qL as number, m).u - (it.t as number));
      }
      expectClose(p.U as number, best, 1e-13, 1e-15, `best reply at θ=${th}`);
    }
  });
});

describe("a rent a few micro-units above its segment's start (an auditor's LFg8: 0.6 Beta(2, 3000) + 0.4 Beta(2, 2) from 0.5)", () => {
  it("solves with its checks passing, where the rent's quadrature once failed the solve (error 7e-21 against a tolerance of 8e-24 on R ≈ 4e-13); the bound lies above the profit", async () => {
    const { parseScenario } = await import("../engine/scenario/load.js");
    const { solveScenario } = await import("../solvers/solve.js");
    const raw = {
      name: "LFg8",
      buyers: {
        theta: {
          dist: "mixture",
          components: [
            { dist: "beta", a: 2, b: 3000, min: 0.5, max: 2.5 },
            { dist: "beta", a: 2, b: 2, min: 0.5, max: 1.5 },
          ],
          weights: [0.6, 0.4],
        },
      },
      technology: { sigma: 0.5 },
      market: { kind: "leaderFringe", leader: { gamma: 0.2, cost: 0.3 }, fringe: { gamma: 0, cost: 0.6 } },
    };
    const sol = solveScenario(parseScenario(raw, { figures: false }));
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    // the rent just above θ_min: finite, ≥ 0 and below the rent further up (U' ≥ u0' on the served types)
    const rent = (theta: number) => {
      const p = sol.pointAt(theta) as unknown as { U: number; u0: number };
      return p.U - p.u0;
    };
    const near = rent(0.5 + 3.6e-6);
    expect(Number.isFinite(near)).toBe(true);
    expect(near).toBeGreaterThanOrEqual(-1e-15);
    expect(rent(0.6)).toBeGreaterThanOrEqual(near);
    const gap = sol.certificate.optimalityGap;
    expect(gap === null || gap >= 0).toBe(true);
  });
});
