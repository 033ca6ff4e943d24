// The restricted class solved directly (solvers/leader-fringe-floor-isotonic.ts, docs/model.md
// (3.33)), and the two conditions the leader–fringe bound now checks: the menu's own ironing term
// and a nondecreasing Λ.
// - pavWithFloor against dynamic programming over a grid of levels (fast-check): never below it,
//   feasible, and within the grid's resolution;
// - two random-scan markets with γ_F = 0 whose rule menus were not certified: certified now; the
//   profit agrees with an independent integration over the types, and a separate PAV on a grid
//   of quantiles (written here) earns no more;
// - the reported bound lies above feasible menus' profits where it did not before: a random
//   market with γ_F = 0.23 and a reviewer's thin-tailed mixture at c_F = 0.29. The feasible menus
//   are the screening LP's finite menus, offered to the continuum; the better one is reported (on
//   the first market it failed a check of q_L's monotonicity, which IC does not require).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { buildBuyers } from "../engine/distributions/from-spec.js";
import type { ContinuousDistribution } from "../engine/distributions/types.js";
import { loadLpSolver } from "../engine/numerics/lp-solver.js";
import { parseScenario } from "../engine/scenario/load.js";
import { outsideOption, outsideOptionSlope, type FringeMarket } from "../solvers/fringe-top-up.js";
import { blocksValue, FLOOR_ISOTONIC_CELLS, floorIsotonicMenu, pavStack, pavWithFloor } from "../solvers/leader-fringe-floor-isotonic.js";
import { ironedModel } from "../solvers/leader-fringe-general.js";
import { ATOM_PLACEMENTS, finiteMenuOnLaw } from "../solvers/leader-fringe-finite-menu.js";
import { menuScalarsByQuadrature } from "../solvers/leader-fringe-menu.js";
import { solveScenario } from "../solvers/solve.js";
import { thinTail } from "./helpers/thin-tail-market.js";
import { mixtureMarket } from "./helpers/mixture-market.js";

const FIXTURES = join(__dirname, "fixtures", "leader-fringe-floor-isotonic");
// (one figure only: the default ones re-solve the market along a parameter, tens of seconds here)
const fixture = (name: string) => ({ ...JSON.parse(readFileSync(join(FIXTURES, name), "utf8")), figures: { only: ["leader-quantity"] } });

/** The scenario's market, its law and c_L. */
function marketOf(raw: unknown): { market: FringeMarket; cL: number; law: ContinuousDistribution } {
  const sc = parseScenario(raw);
  if (sc.market.kind !== "leaderFringe") throw new Error("a leader–fringe scenario");
  const s = sc.technology.sigma;
  const m = sc.market as unknown as { leader: { gamma: number; cost: number }; fringe: { gamma: number; cost: number } };
  return {
    market: { sigma: s, etaL: s + m.leader.gamma, etaF: s + m.fringe.gamma, cF: m.fringe.cost },
    cL: m.leader.cost,
    law: buildBuyers(sc.buyers, s, sc.seed) as ContinuousDistribution,
  };
}

describe("pavWithFloor", () => {
  it("property: never below dynamic programming over 801 levels, feasible, within the levels' resolution", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.double({ min: 0.4, max: 0.9, noNaN: true }),
        fc.double({ min: 0.1, max: 1, noNaN: true }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -1, max: 2, noNaN: true }), fc.double({ min: 0, max: 0.5, noNaN: true })), { minLength: 6, maxLength: 6 }),
        (n, e, cL, cells) => {
          const w = cells.slice(0, n).map(([a]) => (a < 0.1 ? 0 : a));
          // (a cell of no mass — a gap of the support — has ∫ h dF = −(1 − F)Δθ ≤ 0)
          const hh = cells.slice(0, n).map(([, b], i) => (w[i] > 0 ? b * w[i] : -0.3 * Math.abs(b)));
          let f = 0;
          const floor = cells.slice(0, n).map(([, , c]) => (f += c));
          const st = pavStack(n);
          const blocks = pavWithFloor(w, hh, floor, e, cL, 0, st);
          const pav = blocksValue(st, blocks, e, cL);
          // the levels per cell: nondecreasing, at or above the floor
          const levels: number[] = [];
          for (let b = 0; b < blocks; b++) {
            const end = b + 1 < blocks ? st.first[b + 1] : n;
            for (let i = st.first[b]; i < end; i++) levels.push(st.level[b]);
          }
          for (let i = 0; i < n; i++) {
            expect(levels[i]).toBeGreaterThanOrEqual(floor[i] - 1e-15);
            if (i > 0) expect(levels[i]).toBeGreaterThanOrEqual(levels[i - 1]);
          }
          // dynamic programming over a grid of levels up to twice the largest level found
          const top = 2 * Math.max(...levels, ...floor, 1e-3);
          const G = Array.from({ length: 801 }, (_, k) => (top * k) / 800);
          const obj = (i: number, Q: number) => hh[i] * Q - cL * Math.pow(Q, 1 / e) * w[i];
          let best = G.map((Q) => (Q >= floor[0] ? obj(0, Q) : -Infinity));
          for (let i = 1; i < n; i++) {
            let run = -Infinity;
            best = G.map((Q, g) => {
              run = Math.max(run, best[g]);
              return Q >= floor[i] ? run + obj(i, Q) : -Infinity;
            });
          }
          const dp = Math.max(...best);
          const scale = 1 + Math.abs(dp);
          expect(pav, `PAV ${pav}, DP ${dp}, n ${n}`).toBeGreaterThanOrEqual(dp - 1e-12 * scale);
          // (the DP's levels are a grid's: within a step of the optimum, so within ~1e-3 of its value)
          expect(pav - dp, `PAV ${pav}, DP ${dp}`).toBeLessThanOrEqual(2e-3 * scale);
        },
      ),
      { numRuns: 300, seed: 20261206 },
    );
  });
});

/** Profit of a solution's menu by the midpoint rule over N quantiles, from its pointAt (t − c_L q_L). */
function integratedProfit(sol: ReturnType<typeof solveScenario>, law: ContinuousDistribution, cL: number, N: number): number {
  let sum = 0;
  for (let i = 0; i < N; i++) {
    const p = sol.pointAt(law.quantile((i + 0.5) / N));
    sum += (p.t as number) - cL * (p.qL as number);
  }
  return sum / N;
}

/** An independent restricted-class value: PAV with the floor at each cell's upper end on N
 *  quantile cells, the cut-off by a full scan (a feasible menu: each cell's level is constant
 *  and at or above q̂ on the whole cell), written apart from the solver's. */
function quantilePav(market: FringeMarket, cL: number, law: ContinuousDistribution, N: number): number {
  const e = market.etaL;
  const u = Float64Array.from({ length: N + 1 }, (_, i) => i / N);
  const th = Float64Array.from(u, (x) => law.quantile(Math.min(1, Math.max(0, x))));
  const H = Float64Array.from(th, (t, i) => t * (u[i] - 1));
  let best = 0;
  for (let k = 0; k < N; k += 32) {
    const lv: number[] = [];
    const W: number[] = [];
    const S: number[] = [];
    for (let i = k; i < N; i++) {
      let w = u[i + 1] - u[i];
      let s = H[i + 1] - H[i];
      const L = outsideOptionSlope(th[i + 1], market);
      const lev = (a: number, b: number) => Math.max(L, a / b > 0 ? Math.pow((e * a) / b / cL, e / (1 - e)) : 0);
      let v = lev(s, w);
      while (lv.length && lv[lv.length - 1] > v) {
        lv.pop();
        w += W.pop()!;
        s += S.pop()!;
        v = lev(s, w);
      }
      lv.push(v);
      W.push(w);
      S.push(s);
    }
    let P = -(1 - u[k]) * outsideOption(th[k], market);
    for (let b = 0; b < lv.length; b++) P += S[b] * lv[b] - cL * Math.pow(lv[b], 1 / e) * W[b];
    best = Math.max(best, P);
  }
  return best;
}

describe("markets with γ_F = 0 where the rule q = max(q̂, q^int(h̄)) was not the class's best menu", () => {
  beforeAll(async () => {
    await loadLpSolver();
  });
  // The quantile cells' PAV charges a cell that spans a gap of the support its whole floor over
  // the gap (the solver's cells put q̂ there): on the law with a gap it stays ~1 % below, and only
  // the inequality is checked.
  for (const [file, what, close] of [
    ["seed10-market36.json", "an ironing interval inside region 2", 1e-4],
    ["seed8-market25.json", "a gap of the support inside region 2", Infinity],
  ] as const) {
    it(`${file} (${what}): certified to 1e-9, its profit confirmed by integration over 100,000 types, no class menu on 4,096 quantile cells and no finite LP menu above it`, () => {
      const raw = fixture(file);
      const sol = solveScenario(parseScenario(raw));
      const { market, cL, law } = marketOf(raw);
      expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
      expect(sol.certificate.certified, JSON.stringify(sol.certificate)).toBe(true);
      expect(sol.certificate.optimalityGap!).toBeLessThanOrEqual(1e-9);
      expect(sol.solver.notes.some((n) => n.includes("pool-adjacent-violators"))).toBe(true);
      const profit = Number(sol.scalars.profit);
      const integrated = integratedProfit(sol, law, cL, 100_000);
      expect(Math.abs(integrated - profit) / profit, `integrated ${integrated}, reported ${profit}`).toBeLessThan(1e-6);
      const independent = quantilePav(market, cL, law, 4096);
      // a feasible menu: at most the certified optimum (and close to it: the cells' floors cost O(1/N))
      expect(independent, `quantile PAV ${independent}, reported ${profit}`).toBeLessThanOrEqual(profit * (1 + 1e-12));
      expect((profit - independent) / profit).toBeLessThan(close);
      for (const { offset } of ATOM_PLACEMENTS) {
        const fin = menuScalarsByQuadrature(finiteMenuOnLaw(market, cL, law, 200, offset).menu).profit;
        expect(fin, `finite menu (offset ${offset}) ${fin}, bound ${profit * (1 + sol.certificate.optimalityGap!)}`).toBeLessThanOrEqual(profit * (1 + sol.certificate.optimalityGap!) + 1e-12 * profit);
      }
    });
  }
});

describe("a rule's menu once certified at 1.6e-16 while a menu of its class earns 0.85 % more", () => {
  it("seed12-market15.json (γ_F = 0, an ironing interval partly in region 3): the rule's menu is not certified, the PAV menu earns > 0.5 % more and is certified to 1e-9, its profit confirmed by integration, and no class menu on 4,096 quantile cells above it", () => {
    const raw = fixture("seed12-market15.json");
    const sol = solveScenario(parseScenario(raw));
    const { market, cL, law } = marketOf(raw);
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    const profit = Number(sol.scalars.profit);
    const ruleNote = sol.solver.notes.find((n) => n.startsWith("the menu of the rule q = max(q̂, q^int(h̄)) earned "));
    expect(ruleNote, sol.solver.notes.join("\n")).toBeDefined();
    const rule = Number(/earned ([0-9.e+-]+) and was not certified/.exec(ruleNote!)![1]);
    expect(profit, `rule ${rule}, reported ${profit}`).toBeGreaterThan(rule * 1.005);
    expect(sol.certificate.certified, JSON.stringify(sol.certificate)).toBe(true);
    expect(sol.certificate.optimalityGap!).toBeLessThanOrEqual(1e-9);
    expect(sol.certificate.reportedMenu).toBe("the restricted class's menu by pool-adjacent violators on 16384 cells");
    expect(Math.abs(integratedProfit(sol, law, cL, 100_000) - profit) / profit).toBeLessThan(1e-6);
    // (the finite LP menus take 17–83 s of HiGHS on this law; they earn 0.437956 and 0.437990,
    // below this menu: the fixtures' README) — the quantile cells' class menu instead
    const independent = quantilePav(market, cL, law, 4096);
    expect(independent, `quantile PAV ${independent}, reported ${profit}`).toBeLessThanOrEqual(profit * (1 + 1e-12));
    expect((profit - independent) / profit).toBeLessThan(1e-4);
  });
});

describe("the bound lies above feasible menus where it did not", () => {
  beforeAll(async () => {
    await loadLpSolver();
  });
  // seed10-market22 has been certified since 7 Dec 2026 (a rent segment after the law's lower end,
  // where the density is 0, was not found before: its menu earned 0.2512647 and the bound left
  // 1.58e-3); midpoint screening LPs on 100–800 atoms extrapolate to its profit (README).
  for (const [label, raw, certified] of [
    ["seed10-market22.json (γ_F = 0.23: an ironing interval only partly in region 3; the bound left out the menu's own ironing term)", fixture("seed10-market22.json"), true],
    ["a reviewer's thin-tailed mixture at c_F = 0.29 (a Λ = 1 segment before region 2: Λ fell from 1)", thinTail(0.29), false],
  ] as const) {
    it(label, () => {
      const sol = solveScenario(parseScenario(raw));
      const { market, cL, law } = marketOf(raw);
      expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
      const gap = sol.certificate.optimalityGap;
      expect(gap, JSON.stringify(sol.certificate)).not.toBeNull();
      const bound = Number(sol.scalars.profit) * (1 + gap!);
      const fins = ATOM_PLACEMENTS.map(({ offset }) => menuScalarsByQuadrature(finiteMenuOnLaw(market, cL, law, 200, offset).menu).profit);
      for (const fin of fins) expect(fin, `a finite menu earns ${fin}, the bound is ${bound}`).toBeLessThanOrEqual(bound);
      // the better finite menu is the one reported: its checks pass (with γ_F > 0 IC orders the total
      // quality u_θ, not q_L, which this menu lets fall where a type takes the fringe alone)
      expect(Number(sol.scalars.profit)).toBeGreaterThanOrEqual(Math.max(...fins) * (1 - 1e-12));
      expect(sol.certificate.certified, JSON.stringify(sol.certificate)).toBe(certified);
      if (certified) expect(gap!).toBeLessThanOrEqual(1e-9);
    });
  }
});

describe("the cells reach the support's upper end (random scan, seed 9, market 26)", () => {
  // min + (max − min)·1 rounds one ulp below max on this law: the last cell ended short of the
  // support and building the PAV menu failed ("segments must cover …"), so it was never compared
  // with the general path's menu. The cells now hold both ends exactly.
  const raw = mixtureMarket(
    "scan-s9-m26",
    [
      { dist: "uniform", min: 0.705733575255486, max: 1.2036872175073656 },
      { dist: "beta", a: 0.9699489501164988, b: 4.532004607995975, min: 0.185556650713811, max: 0.60584596838143 },
    ],
    [0.7144710662561172, 0.2855289337438827],
    0.5515696060152583,
    [0.12822097906759986, 0.18048019126545645],
    [0.06632581990418118, 0.22710477236234553],
  );
  it("the PAV menu is built, covers [min, max] exactly, and its profit is a class menu's (below the bound of the reported menu)", () => {
    const { market, cL, law } = marketOf({ ...raw, figures: { only: ["leader-quantity"] } });
    expect(law.min + (law.max - law.min) * 1).not.toBe(law.max); // the rounding this law has
    const { model } = ironedModel(market, cL, law, []);
    const alt = floorIsotonicMenu(model, FLOOR_ISOTONIC_CELLS, []);
    expect(alt.menu.segments[0].from).toBe(law.min);
    expect(alt.menu.segments[alt.menu.segments.length - 1].to).toBe(law.max);
    const pav = menuScalarsByQuadrature(alt.menu).profit;
    const sol = solveScenario(parseScenario(raw, { figures: false }));
    const notes = sol.solver.notes.join("\n");
    expect(notes).not.toContain("could not be computed");
    // (since 7 Dec 2026 the general path's menu, one rent segment across the gap (0.606, 0.706), is
    // certified and the PAV menu is no longer tried by the solver: built above, it is compared here)
    expect(sol.certificate.certified, notes).toBe(true);
    const gap = sol.certificate.optimalityGap;
    expect(gap, notes).not.toBeNull();
    expect(pav).toBeLessThanOrEqual(Number(sol.scalars.profit) * (1 + gap!));
  });
});
