// Ironing intervals that are not convexifications (solvers/leader-fringe-general.ts,
// ironingHullViolations; solvers/leader-fringe-pooling.ts, segmentAllocation's sample with the
// law's kinks). The ironing term f(h̄ − h)u_θ of the Lagrangian bound integrates to ≥ 0 against
// every nondecreasing u_θ only where H = θ(F − Λ) lies on or above its chord over the interval.
// Two markets of an independent auditor (test/fixtures/leader-fringe-hull/, provenance inside)
// were certified while lpe's own menu with one item added earned more: the top segment's
// interval began just below a beta component's start (density ∞, h jumping up), which the
// hull's sample grid stepped over. A fourth (m47) was certified on 401 types with a menu that
// was not incentive compatible just before a component's end, where h dips between the ironing
// grid's types; the checks now look around the law's kinks, and the ironing grid includes them.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDistribution } from "../engine/distributions/from-spec.js";
import type { ContinuousDistribution } from "../engine/distributions/types.js";
import { parseScenario } from "../engine/scenario/load.js";
import { ironedModel, ironingHullViolations } from "../solvers/leader-fringe-general.js";
import { ironVirtualType } from "../engine/distributions/ironing.js";
import type { PoolSegment } from "../solvers/leader-fringe-pooling.js";
import { solveScenario } from "../solvers/solve.js";

const FIX = join(__dirname, "fixtures", "leader-fringe-hull");

interface Fixture {
  scenario: {
    name: string;
    buyers: { theta: Record<string, unknown> };
    technology: { sigma: number };
    market: { leader: { gamma: number; cost: number }; fringe: { gamma: number; cost: number } };
  };
  auditor: { certifiedProfitBefore: number; oldMenuOnLaw: number; oldMenuPlusOneItem: number; item: [number, number]; takers: [number, number] };
}

const fixture = (name: string) => JSON.parse(readFileSync(join(FIX, `${name}.json`), "utf8")) as Fixture;

/** A pool whose only bunch is [x, y] at the chord's slope of H = θ(F − λ) there. */
function chordPool(dist: ContinuousDistribution, x: number, y: number, lambda: number): PoolSegment {
  const H = (t: number) => -t * dist.levelMinusCdf(lambda, t);
  const level = (H(y) - H(x)) / (dist.cdf(y) - dist.cdf(x));
  return { from: x, to: y, lambda, quality: () => 0, hbar: () => level, h: () => level, bunched: [[x, y]] };
}

describe("an ironing interval that is not a convexification", () => {
  const fx = fixture("m04");
  const s = fx.scenario;
  const dist = buildDistribution(s.buyers.theta as never, "buyers.theta") as ContinuousDistribution;
  const market = { sigma: s.technology.sigma, etaL: s.technology.sigma + s.market.leader.gamma, etaF: s.technology.sigma + s.market.fringe.gamma, cF: s.market.fringe.cost };
  const { model } = ironedModel(market, s.market.leader.cost, dist, []);
  const betaStart = 0.8503;

  it("is found: the old top segment's bunch, from θ_high just below the beta component's start, has H below its chord there", () => {
    // the interval lpe's top segment bunched before the fix (its note named it)
    const old = chordPool(dist, 0.850262672890694, 0.8641081313500968, 1);
    const v = ironingHullViolations(model, [], [old]);
    expect(v).toHaveLength(1);
    expect(v[0].excess, JSON.stringify(v[0])).toBeGreaterThan(1e-5);
    expect(Math.abs(v[0].at - betaStart), JSON.stringify(v[0])).toBeLessThan(1e-9);
  });

  it("is not found where the interval starts at the component's start (the chord lies below H)", () => {
    const fixed = chordPool(dist, betaStart, 0.8643906, 1);
    const v = ironingHullViolations(model, [], [fixed]);
    expect(v, JSON.stringify(v)).toHaveLength(0);
  });
});

describe("the auditor's markets: certified at a profit above the auditor's mechanism (lpe's old menu plus one item)", () => {
  for (const name of ["m04", "m12", "m54"]) {
    it(name, () => {
      const fx = fixture(name);
      const sol = solveScenario(parseScenario({ ...fx.scenario, figures: { only: ["leader-quantity"] } }));
      const profit = Number(sol.scalars.profit);
      expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
      expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
      // a feasible mechanism's profit is a lower bound on the optimum: a certified profit below it
      // (by more than the auditor's evaluation error, well under 1e-9 of profit) is a false certificate
      const a = fx.auditor;
      expect(a.oldMenuPlusOneItem).toBeGreaterThan(a.certifiedProfitBefore);
      expect(profit, `certified ${profit} vs the auditor's mechanism ${a.oldMenuPlusOneItem}`).toBeGreaterThan(a.oldMenuPlusOneItem);
      expect(sol.solver.notes.join("\n")).not.toMatch(/not a convexification/);
    });
  }
});

describe("an allocation that dipped just before a component's end (the auditor's m47)", () => {
  it("h̄ is ironed across the dip of h there, and the menu passes its checks on 4,001 types and around the law's kinks, certified", () => {
    const fx = JSON.parse(readFileSync(join(FIX, "m47.json"), "utf8")) as Fixture;
    // the first beta component ends at 1.0043 with b = 1.2479: h dips over ~1e-4 just before it,
    // between the ironing grid's types (certified on 401 types until 6 Dec 2026, while on 4,001
    // types a type gained 4.9e-8 by taking a neighbour's item)
    const dist = buildDistribution(fx.scenario.buyers.theta as never, "buyers.theta") as ContinuousDistribution;
    const iron = ironVirtualType(dist);
    expect(iron.intervals.some(([x, y]) => x < 1.0043 && y > 1.0043), JSON.stringify(iron.intervals)).toBe(true);
    let prev = -Infinity;
    // (across [1.0035, 1.005]; the third component's end at 1.0105 has a narrower dip, ironed by
    // the grid's own chord where the tangency search finds no crossing: h̄ still falls by 2.8e-6
    // entering it, within the checks' tolerance)
    for (let i = 0; i <= 20000; i++) {
      const t = 1.0035 + (0.0015 * i) / 20000;
      const v = iron.value(t);
      expect(v, `h̄(${t}) = ${v} after ${prev}`).toBeGreaterThanOrEqual(prev - 1e-12);
      prev = v;
    }
    for (const points of [401, 4001]) {
      const sol = solveScenario(parseScenario({ ...fx.scenario, grid: { points }, figures: { only: ["leader-quantity"] } }));
      expect(sol.checks.passed, `${points} types: ${sol.checks.failures.join("; ")}`).toBe(true);
      expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
    }
  });
});
