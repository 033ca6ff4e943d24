// The certified finite-type leader–fringe solver (solvers/screening-lp.ts via
// leader-fringe-discrete.ts) against computations that share none of its code:
// - an independent lottery LP on a fixed fine quality grid with all n² IC pairs, written here in
//   CPLEX LP text and solved by HiGHS's one-shot API: no mechanism on the grid (lotteries
//   included) beats lpe, the grid LP comes within 1e-6 of lpe, and lpe's dual bound is above it;
// - the engine's continuous menu (uniform types on the atoms' range) sampled at the atoms, with
//   the smallest IC/IR rents computed here by Bellman–Ford: a feasible discrete menu, which lpe's
//   optimum must never fall below (the defect of the old discrete path);
// - the issue's example (50 equally likely atoms, γ_F = 0.2), where an LP check found 0.29810
//   while the old path returned 0.27476.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import type { Highs } from "highs";
import { beforeAll, describe, expect, it } from "vitest";
import { discreteFromAtoms } from "../engine/distributions/discrete.js";
import { uniform } from "../engine/distributions/uniform.js";
import { loadLpSolver } from "../engine/numerics/lp-solver.js";
import { fringeTopUp, limitQuality, outsideOption, topUpSwitchQuality, type FringeMarket } from "../solvers/fringe-top-up.js";
import { solveLeaderFringe, type LeaderFringeInput } from "../solvers/leader-fringe.js";
import { parseScenario } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";
import type { MarketSolution } from "../solvers/types.js";
import { expectClose } from "./helpers/close.js";
import { checkMenu } from "../solvers/checks.js";
import { bestImplementable, GainRows, type ScreeningProblem } from "../solvers/screening-lp.js";

let highs: Highs;
beforeAll(async () => {
  highs = await loadLpSolver();
});

function input(m: FringeMarket, cL: number, values: number[], probs: number[]): LeaderFringeInput {
  return {
    sigma: m.sigma,
    leader: { name: "leader", gamma: m.etaL - m.sigma, eta: m.etaL, cost: cL },
    fringe: { name: "fringe", gamma: m.etaF - m.sigma, eta: m.etaF, cost: m.cF },
    dist: discreteFromAtoms(values, probs),
  };
}
const profitOf = (s: MarketSolution) => s.scalars.profit as number;
const gain = (m: FringeMarket, theta: number, q: number) => (q === 0 ? 0 : fringeTopUp(theta, q, m).u - outsideOption(theta, m));

/** Lottery LP on a fixed quality grid, all IC pairs, in CPLEX LP text (independent of lpe's LP). */
function gridLp(m: FringeMarket, cL: number, th: number[], p: number[], K: number): number {
  const n = th.length;
  const eta = m.etaL;
  const qEff = Math.pow((th[n - 1] * eta) / cL, 1 / (1 - eta));
  const grid = new Set<number>([0]);
  const lo = 1e-3 * Math.min(...th.map((t) => limitQuality(t, m)), qEff);
  const hi = 2 * Math.max(qEff, ...th.map((t) => topUpSwitchQuality(t, m)));
  for (let k = 0; k < K; k++) grid.add(lo * Math.pow(hi / lo, k / (K - 1)));
  // The model's own kinks (not lpe's answers): q̂ and the top-up switch quality of every type.
  // Profitable items can sit just above a kink (a sliver of surplus): refine around each.
  // Also around each type's own best quality alone, (ηθ/c_L)^(1/(1−η)), where thin margins sit.
  for (const t of th) {
    for (const k of [limitQuality(t, m), topUpSwitchQuality(t, m), Math.pow((eta * t) / cL, 1 / (1 - eta))]) {
      grid.add(k);
      for (let r = 1; r <= 40; r++) {
        grid.add(k * (1 + 0.05 * Math.pow(r / 40, 2)));
        grid.add(k * (1 - 0.05 * Math.pow(r / 40, 2)));
      }
    }
  }
  const qs = [...grid].sort((a, b) => a - b);
  const g = th.map((t) => qs.map((q) => gain(m, t, q)));
  // Variables: x_j_k (weight of grid quality k for type j), R_j (rent ≥ 0).
  const obj: string[] = [];
  for (let j = 0; j < n; j++) {
    qs.forEach((q, k) => obj.push(`${(p[j] * (g[j][k] - cL * q)).toPrecision(17)} x_${j}_${k}`));
    obj.push(`- ${p[j].toPrecision(17)} R_${j}`);
  }
  const rows: string[] = [];
  for (let j = 0; j < n; j++) rows.push(`c${j}: ${qs.map((_, k) => `x_${j}_${k}`).join(" + ")} = 1`);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      // R_i − R_j − Σ_k x_jk (g_i(q_k) − g_j(q_k)) ≥ 0
      const terms = qs.map((_, k) => {
        const a = -(g[i][k] - g[j][k]);
        return `${a >= 0 ? "+" : "-"} ${Math.abs(a).toPrecision(17)} x_${j}_${k}`;
      });
      rows.push(`ic_${i}_${j}: R_${i} - R_${j} ${terms.join(" ")} >= 0`);
    }
  }
  const lp = `Maximize\n obj: ${obj.join(" + ").replace(/\+ -/g, "- ")}\nSubject To\n ${rows.join("\n ")}\nEnd\n`;
  const r = highs.solve(lp, { primal_feasibility_tolerance: 1e-10, dual_feasibility_tolerance: 1e-10 } as never);
  expect(r.Status, "grid LP status").toBe("Optimal");
  return r.ObjectiveValue;
}

/** Profit on the atoms of a given allocation with the smallest IC/IR rents (Bellman–Ford). */
function menuProfitAtAtoms(m: FringeMarket, cL: number, th: number[], p: number[], q: number[]): number {
  const n = th.length;
  const G = q.map((qj) => th.map((t) => gain(m, t, qj))); // G[j][i] = g_i(q_j)
  const R = new Array<number>(n).fill(0);
  for (let pass = 0; pass < n + 1; pass++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = R[j] + G[j][i] - G[j][j];
        if (v > R[i] + 1e-15) {
          R[i] = v;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  let profit = 0;
  for (let j = 0; j < n; j++) profit += p[j] * (G[j][j] - cL * q[j] - R[j]);
  return profit;
}

const discreteLaw = (maxAtoms: number) =>
  fc
    .tuple(
      fc.uniqueArray(fc.double({ min: 0.05, max: 1.5, noNaN: true }), { minLength: 2, maxLength: maxAtoms, comparator: (a, b) => Math.abs(a - b) < 1e-3 }),
      fc.array(fc.double({ min: 0.2, max: 1, noNaN: true }), { minLength: maxAtoms, maxLength: maxAtoms }),
    )
    .map(([v, w]) => {
      const values = [...v].sort((a, b) => a - b);
      const raw = values.map((_, i) => w[i]);
      const s = raw.reduce((a, b) => a + b, 0);
      return { values, probs: raw.map((x) => x / s) };
    });
const marketArb = fc
  .record({
    sigma: fc.double({ min: 0.3, max: 0.6, noNaN: true }),
    gammaL: fc.double({ min: 0.1, max: 0.35, noNaN: true }),
    share: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
    cL: fc.double({ min: 0.1, max: 0.5, noNaN: true }),
    ratio: fc.double({ min: 0.2, max: 1.5, noNaN: true }),
  })
  .filter((r) => r.sigma + r.gammaL < 0.95)
  .map((r) => ({ m: { sigma: r.sigma, etaL: r.sigma + r.gammaL, etaF: r.sigma + r.share * r.gammaL, cF: r.ratio * r.cL } as FringeMarket, cL: r.cL }));

describe("finite-type leader–fringe: certified optimum", () => {
  it("the issue's example: 50 equally likely atoms, γ_F = 0.2 — certified, above the old answer 0.27476, at the LP's 0.29810", () => {
    const m: FringeMarket = { sigma: 0.5, etaL: 0.8, etaF: 0.7, cF: 0.2 };
    const values = Array.from({ length: 50 }, (_, i) => (i + 0.5) / 50);
    const probs = values.map(() => 1 / 50);
    const sol = solveLeaderFringe(input(m, 0.3, values, probs), { gridPoints: 11 });
    expect(sol.certificate.certified, sol.solver.notes.join(" | ")).toBe(true);
    expect(sol.certificate.optimalityGap!).toBeLessThanOrEqual(1e-9);
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expectClose(profitOf(sol), 0.2981, 0, 5e-5, "profit against the independent LP check's 0.29810");
    expect(profitOf(sol)).toBeGreaterThan(0.27476 * 1.08);
    expect(sol.scalars.dualBound as number).toBeGreaterThanOrEqual(profitOf(sol));
  });

  it("random discrete laws (≤ 6 atoms), γ_F ∈ (0, γ_L): certified to 1e-9, no grid mechanism beats it, the grid LP (1,000 qualities, refined at the kinks) comes within 1e-6 of the value at stake", () => {
    fc.assert(
      fc.property(marketArb, discreteLaw(6), ({ m, cL }, law) => {
        const sol = solveLeaderFringe(input(m, cL, law.values, law.probs), { gridPoints: 11 });
        const P = profitOf(sol);
        // Relative to the value at stake: the larger of the profit and the buyers' mean outside
        // option (the leader may earn almost nothing).
        const meanU0 = law.values.reduce((acc, t, i) => acc + law.probs[i] * outsideOption(t, m), 0);
        const scale = Math.max(Math.abs(P), meanU0);
        expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
        expect(sol.certificate.certified, `gap ${sol.certificate.optimalityGap}: ${sol.solver.notes.join(" | ")}`).toBe(true);
        const lp = gridLp(m, cL, law.values, law.probs, 1000);
        expect(lp - P, `grid LP ${lp} beats lpe ${P}`).toBeLessThanOrEqual(1e-9 * scale);
        expect(P - lp, `grid LP ${lp} is more than 1e-6 below lpe ${P}`).toBeLessThanOrEqual(1e-6 * scale);
        expect(sol.scalars.dualBound as number).toBeGreaterThanOrEqual(lp - 1e-12 * scale);
      }),
      { numRuns: 10 },
    );
  });

  it("random discrete laws (up to 60 atoms): certified, and never below the engine's continuous menu sampled at the atoms", () => {
    let served = 0;
    fc.assert(
      fc.property(marketArb, discreteLaw(60), ({ m, cL }, law) => {
        const sol = solveLeaderFringe(input(m, cL, law.values, law.probs), { gridPoints: 11 });
        const P = profitOf(sol);
        expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
        expect(sol.certificate.certified, `gap ${sol.certificate.optimalityGap}: ${sol.solver.notes.join(" | ")}`).toBe(true);
        // The continuous menu for uniform types on the atoms' range, at the atoms.
        const lo = law.values[0];
        const hi = law.values[law.values.length - 1];
        const cont = solveLeaderFringe(
          { ...input(m, cL, law.values, law.probs), dist: uniform(lo, hi, "buyers.theta") },
          { gridPoints: 11, scalarsOnly: true },
        );
        const q = law.values.map((t) => cont.pointAt(t).qL as number);
        const sampled = menuProfitAtAtoms(m, cL, law.values, law.probs, q);
        if (sampled > 0) served++;
        expect(P, `lpe ${P} below the sampled continuous menu ${sampled}`).toBeGreaterThanOrEqual(sampled - 1e-12 * Math.max(1, Math.abs(sampled)));
      }),
      { numRuns: 8 },
    );
    expect(served, "some cases where the continuous menu earns something").toBeGreaterThan(0);
  });

  it("the LP on N midpoints of U[0,1] (γ_F = 0.2), extrapolated in N, meets the continuous solver's profit", () => {
    const m: FringeMarket = { sigma: 0.5, etaL: 0.8, etaF: 0.7, cF: 0.2 };
    const lp = [50, 100, 200].map((N) => {
      const values = Array.from({ length: N }, (_, i) => (i + 0.5) / N);
      const sol = solveLeaderFringe(input(m, 0.3, values, values.map(() => 1 / N)), { gridPoints: 11 });
      expect(sol.certificate.certified, `N = ${N}`).toBe(true);
      return profitOf(sol);
    });
    // Error ~ a/N: Richardson on (100, 200) and on (50, 100); their difference bounds the error.
    const r1 = 2 * lp[1] - lp[0];
    const r2 = 2 * lp[2] - lp[1];
    const cont = solveLeaderFringe({ ...input(m, 0.3, [0.5], [1]), dist: uniform(0, 1, "buyers.theta") }, { gridPoints: 401 });
    expect(cont.certificate.certified).toBe(true);
    expect(lp[0] > lp[1] && lp[1] > lp[2], `LP profits fall towards the continuum: ${lp}`).toBe(true);
    expectClose(r2, profitOf(cont), 0, Math.abs(r2 - r1), "extrapolated LP against the continuous profit");
  });

  // The independent checker's fixtures (test/fixtures/python/leader_fringe_lp.py: a grid LP with
  // all pairs, its dual upper bound over all qualities, and a polished deterministic menu).
  const FIX = join(import.meta.dirname, "fixtures", "leader-fringe-lp");
  const discreteFixtures = readdirSync(FIX).filter((f) => f.startsWith("discrete-") && f.endsWith(".json"));
  it(`the checker's ${discreteFixtures.length} discrete cases: between its best menu and its proved upper bound, certified`, () => {
    expect(discreteFixtures.length).toBeGreaterThanOrEqual(9);
    for (const f of discreteFixtures) {
      const fx = JSON.parse(readFileSync(join(FIX, f), "utf8"));
      const sc = parseScenario(JSON.parse(readFileSync(join(FIX, "scenarios", f), "utf8")));
      const sol = solveScenario(sc);
      const P = profitOf(sol);
      expect(sol.checks.passed, `${f}: ${sol.checks.failures.join("; ")}`).toBe(true);
      expect(sol.certificate.certified, `${f}: ${sol.solver.notes.join(" | ")}`).toBe(true);
      expect(P, `${f}: above the checker's proved upper bound`).toBeLessThanOrEqual(fx.summary.lpUpperBound * (1 + 1e-12));
      expect(P, `${f}: below the checker's best deterministic menu`).toBeGreaterThanOrEqual(fx.summary.bestFeasibleDeterministicProfit - 1e-9 * Math.abs(P));
    }
  });

  // A second independent check (participation-binds-above.json, its provenance inside): four
  // markets where participation binds at an atom above the lowest served one, so the local
  // downward constraint below it is slack; the envelope check used to integrate across it and
  // report a false failure (exit 1) beside a certified optimum.
  it("checkMenu's participation anchors restart the envelope only where participation binds", () => {
    // two types, one item each: U = θ·1 − t = (0.5, 1.8), ∫ Q dθ = 1 on [1, 2], so U rises 0.3 more than the envelope
    const menu = (outside: (th: number) => number) =>
      checkMenu({
        theta: Float64Array.of(1, 2),
        t: Float64Array.of(0.5, 0.2),
        alloc: Float64Array.of(1, 1),
        grossValue: (th) => th,
        outside,
        envelopeRate: () => 1,
        thetaStar: null,
        participationAnchors: true,
      });
    const slackIr = menu(() => 0);
    expect(slackIr.passed).toBe(false);
    expectClose(slackIr.envelopeMaxError, 0.3, 1e-12, 0, "envelope error with participation slack");
    const bindingIr = menu((th) => th - 0.2); // U(2) = 1.8 = u0(2): the rent is set by participation
    expect(bindingIr.envelopeMaxError).toBe(0);
    expect(bindingIr.failures.filter((f) => f.startsWith("envelope"))).toEqual([]);
  });

  it("participation binding above the lowest served atom: checks pass, certified, within the independent bounds", () => {
    const fx = JSON.parse(readFileSync(join(FIX, "participation-binds-above.json"), "utf8"));
    expect(fx.cases.length).toBe(4);
    let anchored = 0;
    for (const c of fx.cases) {
      const name = c.scenario.name;
      const sol = solveScenario(parseScenario(c.scenario));
      const P = profitOf(sol);
      expect(sol.checks.passed, `${name}: ${sol.checks.failures.join("; ")}`).toBe(true);
      expect(sol.checks.envelopeMaxError, name).toBeLessThanOrEqual(sol.checks.tolerance);
      expect(sol.certificate.certified, name).toBe(true);
      expect(P, `${name}: above the checker's LP bound`).toBeLessThanOrEqual(c.independentBound * (1 + 1e-9));
      expect(P, `${name}: below the checker's best menu`).toBeGreaterThanOrEqual(c.independentDeterministic - 1e-9 * Math.abs(P));
      // the case the check now handles: U = u0 at a served atom above the lowest served one
      const { U, u0, qL } = sol.curves!.columns;
      const served = [...qL.keys()].filter((i) => qL[i] > 0);
      if (served.slice(1).some((i) => Math.abs(U[i] - u0[i]) <= sol.checks.tolerance)) anchored++;
    }
    expect(anchored, "cases with participation binding above the lowest served atom").toBeGreaterThanOrEqual(1);
  });
});

describe("screening LP: a menu read off the LP that no transfers implement", () => {
  // Two types θ = 1, 2 with g_i(q) = θ_i q (single crossing). A decreasing allocation (type 1
  // gets 2, type 2 gets 1) has a positive IC cycle: R_1 ≥ R_2 + 1 − 2 and R_2 ≥ R_1 + 4 − 2 sum
  // to 0 ≥ 1. The discrete solver hands its restricted-class menu as the fallback (801-atom
  // bimodal market, γ_F = 0.1: every menu read off the LP had such a cycle).
  const theta = [1, 2];
  const P: ScreeningProblem = {
    n: 2,
    p: Float64Array.of(0.5, 0.5),
    cost: 0.5,
    gain: (i, q) => theta[i] * q,
    breaks: () => [],
    tail: { eta: 0.5, coef: () => 0 },
    scale: 1,
    initial: () => [],
  };

  it("is rejected, and the most profitable implementable candidate is taken", () => {
    const decreasing = Float64Array.of(2, 1);
    expect(bestImplementable(P, [decreasing], new GainRows(P, []))).toBeNull();
    const monotone = Float64Array.of(1, 2);
    const pooled = Float64Array.of(1, 1);
    const best = bestImplementable(P, [decreasing, pooled, monotone], new GainRows(P, []));
    expect(best).not.toBeNull();
    // (1, 2): R_1 = 0, R_2 = R_1 + g_2(1) − g_1(1) = 1; profit ½(1 − ½ − 0) + ½(4 − 1 − 1) = 1.25;
    // pooled (1, 1): R = (0, 1), profit ½(1 − ½) + ½(2 − ½ − 1) = 0.5
    expect(Array.from(best!.q)).toEqual([1, 2]);
    expect(Array.from(best!.R)).toEqual([0, 1]);
    expect(best!.profit).toBeCloseTo(1.25, 14);
  });
});
