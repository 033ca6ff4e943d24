// Ironing intervals that are not convexifications (solvers/leader-fringe-general.ts,
// ironingHullViolations; solvers/leader-fringe-pooling.ts, segmentAllocation's sample with the
// law's kinks). The ironing term f(h̄ − h)u_θ of the Lagrangian bound integrates to ≥ 0 against
// every nondecreasing u_θ only where H = θ(F − Λ) lies on or above its chord over the interval.
// Two markets of an independent auditor (test/fixtures/leader-fringe-hull/, provenance inside)
// were certified while lpe's own menu with one item added earned more: the top segment's
// interval began just below a beta component's start (density ∞, h jumping up), which the
// hull's sample grid stepped over. A third (m47) was certified on 401 types with a menu that
// is not incentive compatible just past a component's end; the checks now look there.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDistribution } from "../engine/distributions/from-spec.js";
import type { ContinuousDistribution } from "../engine/distributions/types.js";
import { parseScenario } from "../engine/scenario/load.js";
import { ironedModel, ironingHullViolations } from "../solvers/leader-fringe-general.js";
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

describe("an allocation that dips just past a component's end (the auditor's m47)", () => {
  it("fails the checks on the default grid (types around the law's kinks are checked too): not certified, no bound", () => {
    const fx = JSON.parse(readFileSync(join(FIX, "m47.json"), "utf8")) as { scenario: Record<string, unknown> };
    const sol = solveScenario(parseScenario({ ...fx.scenario, figures: { only: ["leader-quantity"] } }));
    // certified on 401 types until 6 Dec 2026, while on 4,001 types a type gained 4.9e-8 by
    // taking a neighbour's item; now the checks see the types around the kink at 1.0043
    expect(sol.checks.passed).toBe(false);
    expect(sol.checks.failures.join("; ")).toMatch(/incentive compatibility: type θ=1\.004/);
    expect(sol.certificate.certified).toBe(false);
  });
});
