// The leader–fringe bound with the best nondecreasing multiplier (solvers/leader-fringe-multiplier.ts):
// (1) the isotonic minimizer of a sum of convex functions against dynamic programming over a
// fine grid of λ; (2) the reported bound (profit × (1 + gap)) against the profit of independent
// feasible mechanisms: menus of a 300-type LP evaluated on the continuous law by a Python runner
// written from the model alone (test/fixtures/python/leader_fringe_menu_profit.py; fixtures in
// test/fixtures/leader-fringe-multiplier/). A bound below a feasible mechanism's profit is no
// bound: one such (a density gap left out of the certificate's sum) is fixed and kept here.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { minimizeNondecreasing } from "../solvers/leader-fringe-multiplier.js";
import { ironingFactor, OPTIMIZED_GRID_MAX, PointwiseLagrangian, thinnedGrid } from "../solvers/leader-fringe-general.js";
import { buildDistribution } from "../engine/distributions/from-spec.js";
import type { ContinuousDistribution } from "../engine/distributions/types.js";
import { parseScenario } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";
import { expectBruteForceAgrees } from "./helpers/menu-brute-force.js";

const FIX = join(__dirname, "fixtures", "leader-fringe-multiplier");

describe("minimizeNondecreasing (pool adjacent violators on convex functions)", () => {
  it("reaches the minimum dynamic programming finds on a grid of λ, with λ nondecreasing and admissible", () => {
    const affine = fc.tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }));
    const fn = fc.array(affine, { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.array(fc.record({ pieces: fn, lower: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }), included: fc.boolean() }), { minLength: 1, maxLength: 7 }),
        (items) => {
          const n = items.length;
          // g_i(λ) = max_k (a_k − b_k λ): convex, Lipschitz ≤ 3
          const g = (i: number, l: number) => Math.max(...items[i].pieces.map(([a, b]) => a - b * l));
          const lower = Float64Array.from(items.map((t) => t.lower ?? 0));
          const include = Uint8Array.from(items.map((t, i) => (t.included || i === 0 ? 1 : 0)));
          const { lambda } = minimizeNondecreasing(n, g, lower, include);
          let value = 0;
          let prev = -Infinity;
          for (let i = 0; i < n; i++) {
            if (!include[i]) {
              expect(lambda[i]).toBeNaN();
              continue;
            }
            expect(lambda[i]).toBeGreaterThanOrEqual(Math.max(prev, lower[i]) - 1e-12);
            expect(lambda[i]).toBeLessThanOrEqual(1);
            prev = lambda[i];
            value += g(i, lambda[i]);
          }
          // DP over K + 1 values of λ: best[k] = the least sum so far ending at λ ≤ k/K
          const K = 4000;
          let best = new Float64Array(K + 1);
          for (let i = 0; i < n; i++) {
            if (!include[i]) continue;
            const next = new Float64Array(K + 1);
            let run = Infinity;
            for (let k = 0; k <= K; k++) {
              const l = k / K;
              const here = l >= lower[i] ? g(i, l) + best[k] : Infinity;
              run = Math.min(run, here);
              next[k] = run;
            }
            best = next;
          }
          const dp = best[K];
          // the grid's optimum is one of the exact problem's points (up to one grid step per
          // type near a lower bound): the exact minimum is no larger, and not much smaller
          const slack = 3 * n * (2 / K) + 1e-9;
          expect(value, `PAVA ${value} vs grid ${dp}`).toBeLessThanOrEqual(dp + 1e-9);
          expect(value, `PAVA ${value} vs grid ${dp}`).toBeGreaterThanOrEqual(dp - slack);
        },
      ),
      { numRuns: 300, seed: 2026 },
    );
  });
});

/** A fixture of test/fixtures/leader-fringe-multiplier/ (provenance inside) and lpe's solve of it. */
function solveFixture(name: string) {
  const fx = JSON.parse(readFileSync(join(FIX, `${name}.json`), "utf8")) as {
    scenario: Record<string, unknown>;
    feasible: { profit: number; error: number };
    ownMultiplierGap?: number;
  };
  // (the solve only: the figures' re-solves would count against the work limit)
  const sol = solveScenario(parseScenario({ ...fx.scenario, figures: { only: ["leader-quantity"] } }));
  const profit = Number(sol.scalars.profit);
  return { fx, sol, profit, bound: profit * (1 + sol.certificate.optimalityGap!) };
}

describe("the leader–fringe bound against independent feasible mechanisms (300-type LP menus on the continuous law)", () => {
  it("a mixture where participation binds on several intervals, the second dip of B across the gap of its support: one rent segment over both dips and the gap, certified, and the independent menu does not beat it (it beat lpe's by 0.39% until 7 Dec 2026)", () => {
    const { fx, sol, profit } = solveFixture("c22");
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
    // a certified profit is beaten by no feasible menu
    expect(profit, `lpe ${profit} vs feasible ${fx.feasible.profit} ± ${fx.feasible.error}`).toBeGreaterThanOrEqual(fx.feasible.profit - fx.feasible.error);
    // one segment from below the first component's end (0.6334) across the gap (0.7057, 0.7473)
    const notes = sol.solver.notes.join("\n");
    const seg = [...notes.matchAll(/participation binds at both ends of \[([0-9.]+), ([0-9.]+)\] \(Λ/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(seg.length, notes).toBe(1);
    expect(seg[0][0]).toBeLessThan(0.6334);
    expect(seg[0][1]).toBeGreaterThan(0.7473);
  });

  it("a mixture with a gap in its support across which the rent falls even along the item before it: the rent segment ends at the gap's upper end, certified, above the independent menu (until 7 Dec 2026 not built: the finite menu, 1.1e-4 below that menu, gap 2e-3; before 4 Dec, with the gap's types left out of the bound, the 'bound' lay 3e-4 below it)", () => {
    const { fx, sol, profit, bound } = solveFixture("c48");
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
    expect(profit, `lpe ${profit} vs feasible ${fx.feasible.profit} ± ${fx.feasible.error}`).toBeGreaterThanOrEqual(fx.feasible.profit - fx.feasible.error);
    expect(bound).toBeGreaterThanOrEqual(profit);
    // the segment: from inside the first component (0.324, 0.540) to the gap's upper end, exactly
    const notes = sol.solver.notes.join("\n");
    const seg = [...notes.matchAll(/participation binds at both ends of \[([0-9.]+), ([0-9.]+)\] \(Λ = ([0-9.]+)\)/g)].map((m) => m.slice(1).map(Number));
    expect(seg.length, notes).toBe(1);
    expect(seg[0][0]).toBeGreaterThan(0.3244);
    expect(seg[0][0]).toBeLessThan(0.5399);
    expect(seg[0][1]).toBe(0.6166549821461806);
    // Λ_p lies above F in the gap (the first component's weight)
    expect(seg[0][2]).toBeGreaterThan(0.2349100580223763);
    // the menu by brute force: each of 20,000 quantile types pays for its own item, none gains by
    // another type's item or the fringe alone (test/helpers/menu-brute-force.ts)
    expectBruteForceAgrees(fx.scenario, sol, profit);
  }, 60_000);

  it("a gap across which the rent falls below zero even with Λ = F of the gap: the types below it are a market of their own, the gap's types switching to the fringe inside it; certified, above the independent menu (until 7 Dec 2026 not built: gap 1.1e-4)", () => {
    const { fx, sol, profit } = solveFixture("s9-39");
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
    expect(profit, `lpe ${profit} vs feasible ${fx.feasible.profit} ± ${fx.feasible.error}`).toBeGreaterThanOrEqual(fx.feasible.profit - fx.feasible.error);
    // the segment: Λ = F in the gap (0.5296, 0.6548), i.e. the weight of the component below it,
    // from below the gap to a type inside it, where the rent along θ₁'s item reaches zero
    const notes = sol.solver.notes.join("\n");
    const m = /participation binds at ([0-9.]+) and, inside the gap \(([0-9.]+), ([0-9.]+)\) of the support, at ([0-9.]+) \(Λ = ([0-9.]+), F in the gap\)/.exec(notes);
    expect(m, notes).not.toBeNull();
    const [a, g1, g2, b, lambda] = m!.slice(1).map(Number);
    expect(a).toBeLessThan(g1);
    expect(b).toBeGreaterThan(g1);
    expect(b).toBeLessThan(g2);
    expect(lambda).toBe(0.2306771078839736);
    const law = buildDistribution((fx.scenario.buyers as { theta: Parameters<typeof buildDistribution>[0] }).theta, "buyers.theta") as ContinuousDistribution;
    expect(Math.abs(law.cdf(0.5 * (g1 + g2)) - lambda)).toBeLessThanOrEqual(1e-15);
    expectBruteForceAgrees(fx.scenario, sol, profit);
  }, 60_000);

  it("a gap above which B is higher than below it (no dip on the scan, but B = F inside the gap): the rent segment ends at the gap's upper end, certified, above the independent menu (until 7 Dec 2026 not certified, gap 1.2e-2)", () => {
    const { fx, sol, profit } = solveFixture("gap-rising-b");
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
    expect(profit, `lpe ${profit} vs feasible ${fx.feasible.profit} ± ${fx.feasible.error}`).toBeGreaterThanOrEqual(fx.feasible.profit - fx.feasible.error);
    const notes = sol.solver.notes.join("\n");
    const seg = [...notes.matchAll(/participation binds at both ends of \[([0-9.]+), ([0-9.]+)\] \(Λ = ([0-9.]+)\)/g)].map((m) => m.slice(1).map(Number));
    expect(seg.length, notes).toBe(1);
    expect(seg[0][1]).toBe(0.8);
    expect(seg[0][2]).toBeGreaterThan(0.6);
    expectBruteForceAgrees(fx.scenario, sol, profit);
  }, 60_000);

  it("the same market at c_F = 0.21 and 0.25: the optimized multiplier's bound lands 2–3e-10 below the profit (quadrature), and the own multiplier's bound is kept: certified (a reviewer's sweep said 'no optimality bound')", () => {
    const fx = JSON.parse(readFileSync(join(FIX, "gap-rising-b.json"), "utf8")) as { scenario: { market: { fringe: { cost: number } } } };
    for (const cF of [0.21, 0.25]) {
      const raw = structuredClone(fx.scenario);
      raw.market.fringe.cost = cF;
      const sol = solveScenario(parseScenario(raw as unknown as Record<string, unknown>, { figures: false }));
      const notes = sol.solver.notes.join("\n");
      expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
      expect(sol.certificate.certified, `c_F = ${cF}: ${sol.certificate.certificate}\n${notes}`).toBe(true);
      expect(sol.certificate.optimalityGap!).toBeGreaterThanOrEqual(0);
      expect(sol.certificate.optimalityGap!).toBeLessThanOrEqual(1e-9);
      // the scalar says what the certificate says
      expect(sol.scalars.lagrangianGap).toBe(sol.certificate.optimalityGap);
    }
  }, 60_000);

  it("the same law at c_F = 0.13, the leader's cut-off above the gap: its menu is U[0.8, 1]'s certified menu (0.4 of its profit, to 1e-12), yet not certified — the bound charges the gap for a Λ that must clear the types below it (known limit: only a multiplier on the monotonicity of q ties the two sides; a linear one leaves 5e-3)", () => {
    const fx = JSON.parse(readFileSync(join(FIX, "gap-rising-b.json"), "utf8")) as { scenario: { market: { fringe: { cost: number } }; buyers: unknown } };
    const raw = structuredClone(fx.scenario);
    raw.market.fringe.cost = 0.13;
    const mixed = solveScenario(parseScenario(raw as unknown as Record<string, unknown>, { figures: false }));
    const upper = solveScenario(parseScenario({ ...(raw as unknown as Record<string, unknown>), buyers: { theta: { dist: "uniform", min: 0.8, max: 1 } } }, { figures: false }));
    expect(upper.certificate.certified, upper.certificate.certificate).toBe(true);
    const profit = Number(mixed.scalars.profit);
    expect(Math.abs(profit - 0.4 * Number(upper.scalars.profit)) / profit).toBeLessThan(1e-12);
    expect(mixed.scalars.thetaLow).toBeCloseTo(Number(upper.scalars.thetaLow), 12);
    expect(mixed.checks.passed).toBe(true);
    // said, not hidden: not certified, with a finite gap
    expect(mixed.certificate.certified).toBe(false);
    expect(mixed.certificate.optimalityGap!).toBeGreaterThan(1e-9);
    expect(mixed.certificate.optimalityGap!).toBeLessThan(2e-2);
  }, 60_000);

  it("a market whose structure the general path does not build (participation binding inside region 3): not certified, and the bound lies above an independent feasible menu that earns more than lpe's", () => {
    const { fx, sol, profit, bound } = solveFixture("s8-70");
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.certificate.certified).toBe(false);
    expect(fx.feasible.profit).toBeGreaterThan(profit);
    expect(bound, `bound ${bound} vs feasible ${fx.feasible.profit} ± ${fx.feasible.error}`).toBeGreaterThanOrEqual(fx.feasible.profit - fx.feasible.error);
  });
});

describe("an ironing interval across a gap of the support: its term counts in the gap, at its limit Λ − F", () => {
  it("a gap near the top (a clean-clone reviewer's market): certified, and no independent feasible menu beats its profit (the gap was 5.2e-2 with the term left out)", () => {
    const { fx, sol, profit } = solveFixture("gap-top-ironed");
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.certificate.certified, JSON.stringify(sol.certificate)).toBe(true);
    expect(profit, `certified ${profit} vs feasible ${fx.feasible.profit} ± ${fx.feasible.error}`).toBeGreaterThanOrEqual(fx.feasible.profit - fx.feasible.error);
  });

  it("a random market whose gap the term narrows (1.228e-2 → 1.199e-2): the bound still lies above an independent feasible menu's profit", () => {
    const { fx, sol, bound } = solveFixture("c5-18");
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.certificate.optimalityGap!).toBeLessThan(0.0121);
    expect(bound, `bound ${bound} vs feasible ${fx.feasible.profit} ± ${fx.feasible.error}`).toBeGreaterThanOrEqual(fx.feasible.profit - fx.feasible.error);
  });

  it("a dip of B ending at a gap's lower end: the rent segment now spans the gap (the gap's types take the item before it), certified, and the independent menu does not beat it (until 7 Dec 2026 it ended at the gap, not certified, 2.5e-4 below that menu; before 4 Dec its bound's excess of 2e19 was lost to rounding and it read certified)", () => {
    const { fx, sol, profit } = solveFixture("gap-pool-edge");
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
    expect(profit, `lpe ${profit} vs feasible ${fx.feasible.profit} ± ${fx.feasible.error}`).toBeGreaterThanOrEqual(fx.feasible.profit - fx.feasible.error);
    // the segment ends at the next component's start (1.05), past the gap (1, 1.05)
    const m = /participation binds at both ends of \[([0-9.]+), ([0-9.]+)\] \(Λ/.exec(sol.solver.notes.join("\n"));
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(1);
    expect(Number(m![2])).toBeGreaterThanOrEqual(1.05 - 1e-12);
  });

  it("ironingFactor: f·(h̄ − h) = f(h̄ − θ) + (Λ − F) where f > 0, its limit Λ − F where f = 0, NaN where h̄ is not finite", () => {
    // f = 2, h̄ = 0.5, θ = 0.4, Λ − F = 0.3: h = θ − (Λ − F)/f = 0.25, f(h̄ − h) = 0.5
    expect(ironingFactor(2, 0.5, 0.4, 0.3)).toBeCloseTo(0.5, 15);
    expect(ironingFactor(0, 0.5, 0.4, 0.3)).toBe(0.3);
    expect(ironingFactor(0, Number.NEGATIVE_INFINITY, 0.4, 0.3)).toBeNaN();
    expect(ironingFactor(Infinity, 0.5, 0.4, 0.3)).toBeNaN();
    // against the definition f·(h̄ − h), h = θ − (Λ − F)/f, for densities where that form is exact enough
    const theta = 1.05;
    const hbar = 0.8;
    const lmf = 0.1;
    for (const f of [10, 1, 1e-3]) {
      const h = theta - lmf / f;
      expect(Math.abs(ironingFactor(f, hbar, theta, lmf) - f * (hbar - h))).toBeLessThanOrEqual(1e-14 * (f * Math.abs(hbar - h) + lmf));
    }
  });

  it("at a type of tiny density inside an ironed interval, the best item is q^int(h̄) whatever the density (the coefficient f·h̄ is formed without cancelling Λ − F against the ironing term's 1 − F): an auditor's L4_06 read q = 1.8e71 and a gap of 2.5e27 of profit", () => {
    // L4_06: Beta(65.1, 1.249) on [1.716, 2.173] + two truncated Paretos; at θ = 1.81489 only the
    // beta component is there, at density ≈ 1e-43, and F ≈ 0.52
    const sc = parseScenario(JSON.parse(readFileSync(join(__dirname, "fixtures", "scenarios", "leader-fringe-tiny-density.json"), "utf8")), { figures: false });
    const dist = buildDistribution((sc.buyers as { theta: Parameters<typeof buildDistribution>[0] }).theta, "buyers.theta") as ContinuousDistribution;
    const sigma = sc.technology.sigma;
    const market = { sigma, etaL: sigma + 0.2, etaF: sigma, cF: 0.619 };
    const cL = 0.565;
    const level = 1.7;
    const model = { market, cL, dist, hbar: () => level, kinks: [] };
    const ctx = new PointwiseLagrangian(model, [[1.642, 2.134]]);
    const qInt = Math.pow((market.etaL * level) / cL, 1 / (1 - market.etaL));
    for (const theta of [1.81489, 1.9, 1.93]) {
      const f = dist.pdf(theta);
      expect(f).toBeGreaterThan(0);
      ctx.prepare(theta);
      // the best positive item (q = 0 and q^int differ by f·(…) ≈ 1e-41 here: a tie to rounding)
      const best = ctx.maxPositive(1);
      expect(Math.abs(best.q - qInt), `θ = ${theta}, f = ${f}: q = ${best.q}, q^int(h̄) = ${qInt}`).toBeLessThanOrEqual(1e-9 * qInt);
      // and the excess over the item q^int is rounding, not 1e30
      expect(Math.abs(ctx.maximize(1).value - ctx.value(qInt, 1))).toBeLessThanOrEqual(1e-12);
    }
    expect(dist.pdf(1.81489)).toBeLessThan(1e-40);
  });

  it("the whole market is certified (gap ≤ 1e-9; it read 2.5e27), its checks pass, and its profit agrees with discrete screening LPs of the law extrapolated in 1/N (an independent computation, good to about 1e-4)", () => {
    const raw = JSON.parse(readFileSync(join(__dirname, "fixtures", "scenarios", "leader-fringe-tiny-density.json"), "utf8"));
    const ref = JSON.parse(readFileSync(join(FIX, "tiny-density-discrete-lp.json"), "utf8"));
    const sol = solveScenario(parseScenario(raw, { figures: false }));
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.certificate.certified, sol.solver.notes.join("\n")).toBe(true);
    expect(sol.certificate.optimalityGap!).toBeLessThanOrEqual(1e-9);
    const profit = sol.scalars.profit as number;
    // Richardson on 200 and 400 cells, against the menu's profit (measured 2.1e-5 apart)
    const extrapolated = 2 * ref.profits["400"] - ref.profits["200"];
    expect(Math.abs(extrapolated - ref.richardson)).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(profit / extrapolated - 1), `profit ${profit}, extrapolated ${extrapolated}, tolerance 1e-4`).toBeLessThanOrEqual(1e-4);
    // and no discrete law's optimum (the LP over all mechanisms) lies below the menu's profit by more than the discretization
    expect(ref.profits["400"]).toBeGreaterThan(profit);
  });
});

describe("an infinite density at the start of a bunched interval (a beta component with a < 1)", () => {
  it("the menu's own ironing term is integrated apart, not by Simpson's rule next to the singular type: a bound (it lay 1.4 % below the menu's own profit), above an independent feasible menu's profit", () => {
    const { fx, sol, profit, bound } = solveFixture("c13-52");
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    const notes = sol.solver.notes.join("\n");
    expect(notes).not.toMatch(/below the menu's profit/);
    expect(notes).toMatch(/with the multiplier that minimizes the bound \(nondecreasing, \d+ steps\) the gap is/);
    const gap = sol.certificate.optimalityGap!;
    // 1.22e-4 of profit on 6 Dec 2026 (with the Simpson-summed term: −1.44e-2, no bound)
    expect(Number.isFinite(gap), `gap ${gap}`).toBe(true);
    expect(gap).toBeGreaterThanOrEqual(0);
    expect(gap).toBeLessThan(2e-4);
    // the independent menu (a dynamic program written from the model) earns 2.8e-5 less than lpe's
    expect(profit).toBeGreaterThan(fx.feasible.profit);
    expect(bound, `bound ${bound} vs feasible ${fx.feasible.profit} ± ${fx.feasible.error}`).toBeGreaterThanOrEqual(fx.feasible.profit - fx.feasible.error);
  });
});

describe("a rent segment that ends at a component's end (the binding multiplier jumps across its level there)", () => {
  it("is solved, not 'root not bracketed', and its bound lies above an independent feasible menu's profit", () => {
    const { fx, sol, profit, bound } = solveFixture("s4-38");
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.solver.notes.some((n) => n.startsWith("participation binds at both ends of"))).toBe(true);
    // (the independent menu earns 0.6% more than lpe's: not certified, and the gap says at least that)
    expect(sol.certificate.certified).toBe(false);
    expect(fx.feasible.profit).toBeGreaterThan(profit);
    expect(bound, `bound ${bound} vs feasible ${fx.feasible.profit} ± ${fx.feasible.error}`).toBeGreaterThanOrEqual(fx.feasible.profit - fx.feasible.error);
  });
});

describe("a participation-binding segment in the thin tail of a component (its density falling to 0)", () => {
  it("is solved, not 'did not reach the tolerance', and no independent feasible menu beats its profit", () => {
    const { fx, sol, profit, bound } = solveFixture("s4-14");
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    // certified or not, the bound must hold; and a certified profit is beaten by no feasible menu
    expect(bound, `bound ${bound} vs feasible ${fx.feasible.profit} ± ${fx.feasible.error}`).toBeGreaterThanOrEqual(fx.feasible.profit - fx.feasible.error);
    if (sol.certificate.certified) expect(profit).toBeGreaterThanOrEqual(fx.feasible.profit - fx.feasible.error);
  });
});

describe("types where the density is 0 (a gap in the support, a beta component's end)", () => {
  // two random markets of lpe's scan (scripts/random-market-scan.mjs, seed 2): counted in the
  // certificate, such types broke the multiplier search on the fringe-only types ("function is
  // not finite") until their multiplier was set in closed form (λ = F when the order allows)
  const lf = (theta: object, sigma: number, leader: object, fringe: object) =>
    solveScenario(parseScenario({ name: "zero-density", buyers: { theta }, technology: { sigma }, market: { kind: "leaderFringe", leader, fringe }, figures: { only: ["leader-quantity"] } }));
  it("γ_F = 0 with a gap between two beta components: certified (u_θ ≥ u0' there, so the gap costs nothing)", () => {
    const sol = lf(
      { dist: "mixture", components: [{ dist: "beta", a: 4.49208101643812, b: 1.0056432754758946, min: 0.9730347660244605, max: 1.882340950696888 }, { dist: "beta", a: 5.266421120179082, b: 5.339766849828776, min: 0.032583927285198086, max: 0.6648729417309505 }], weights: [0.279238299919386, 0.720761700080614] },
      0.5727099667641846,
      { gamma: 0.3118468433906542, cost: 1.0054635300093626 },
      { gamma: 0, cost: 0.8644738309823056 },
    );
    expect(sol.checks.passed).toBe(true);
    expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
  });
  it("γ_F > 0 and f = 0 at the lowest type (a beta component with a > 1 reaching below the others): solved and certified, not a numerical failure", () => {
    const sol = lf(
      { dist: "mixture", components: [{ dist: "uniform", min: 0.3243971040120335, max: 1.155075161650346 }, { dist: "beta", a: 4.953072841164224, b: 3.895241447116826, min: 0.2702187366179278, max: 1.2748190751182005 }], weights: [0.4577892305080136, 0.5422107694919863] },
      0.32837518138269667,
      { gamma: 0.29100409939000577, cost: 0.33404206423277133 },
      { gamma: 0.23880555075789012, cost: 0.1719823836985715 },
    );
    expect(sol.checks.passed).toBe(true);
    expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
  });
});

describe("the optimized multiplier on a fine output grid (an auditor's 20,001-type solve ran for more than 10 minutes)", () => {
  it("thinnedGrid keeps every probe, the grid's ends and at most OPTIMIZED_GRID_MAX equally spaced grid types; none are dropped on a small grid", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 30000 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 }), (n, extra) => {
        const base = Float64Array.from({ length: n }, (_, i) => i / (n - 1));
        const probes = extra.filter((x) => !base.includes(x));
        const cert = Float64Array.from(new Set([...base, ...probes])).sort();
        const keep = thinnedGrid(cert, base, OPTIMIZED_GRID_MAX);
        if (n <= OPTIMIZED_GRID_MAX) {
          expect(keep).toBeNull();
          return;
        }
        expect(keep).not.toBeNull();
        const kept = cert.filter((_, i) => keep![i]);
        for (const p of probes) expect(kept.includes(p)).toBe(true);
        expect(kept.includes(base[0]) && kept.includes(base[n - 1])).toBe(true);
        const keptBase = kept.filter((x) => base.includes(x));
        expect(keptBase.length).toBeLessThanOrEqual(OPTIMIZED_GRID_MAX + 1);
        // equally spaced but for the last
        const step = Math.ceil((n - 1) / (OPTIMIZED_GRID_MAX - 1));
        for (let k = 0; k + 1 < keptBase.length - 1; k++) expect(Math.round((keptBase[k + 1] - keptBase[k]) * (n - 1))).toBe(step);
      }),
      { numRuns: 60 },
    );
  });

  it("on 3,201 output types the bound is computed on a thinned grid, says so, and still lies above the independent feasible menu's profit", () => {
    // s8-70 (not certified): c22 and then c48, the markets of this test until 7 Dec 2026, are
    // now certified by the menu's own multiplier and no longer need the optimized one
    const fx = JSON.parse(readFileSync(join(FIX, "s8-70.json"), "utf8")) as { scenario: Record<string, unknown>; feasible: { profit: number; error: number } };
    const sol = solveScenario(parseScenario({ ...fx.scenario, grid: { points: 3201 }, figures: { only: ["leader-quantity"] } }));
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.certificate.certificate).toMatch(/every 4th of the 3201 grid types/);
    const bound = Number(sol.scalars.profit) * (1 + sol.certificate.optimalityGap!);
    expect(bound, `bound ${bound} vs feasible ${fx.feasible.profit} ± ${fx.feasible.error}`).toBeGreaterThanOrEqual(fx.feasible.profit - fx.feasible.error);
  });
});
