// θ_low inside a gap of the support (a two-component mixture whose components do not touch):
// no type lies there, so every cut-off in the gap gives the same menu and profit, and the result
// must say so (solvers/leader-fringe.ts, cutoffGapNote). Checked for γ_F = 0 and γ_F = 0.1 (both
// on the general path: a law with a gap leaves the explicit one, whose root finding assumes h
// finite on the support; see the last test): the note names the gap
// (0.5, 0.8) and F there (0.6 = the lower component's weight); the profit is the same with the
// cut-off anywhere in the gap (a menu's profit does not depend on it: checked by moving the lower
// component's top end, which leaves the served types and their law unchanged); and a law without
// a gap at θ_low gets no such note. Where the menu is not certified (a gap starting just below
// θ_low, where a menu serving some types of the lower component earns more), the screening LP's
// finite menu, which serves them, is reported instead.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildDistribution } from "../engine/distributions/from-spec.js";
import type { ContinuousDistribution } from "../engine/distributions/types.js";
import { parseScenario } from "../engine/scenario/load.js";
import { densityGap } from "../solvers/leader-fringe-explicit.js";
import { prepareSolvers, solveScenario } from "../solvers/solve.js";

function market(gammaF: number, lowerTop: number, upperBottom = 0.8) {
  return {
    name: "gap",
    buyers: {
      theta: {
        dist: "mixture",
        components: [
          { dist: "uniform", min: 0.05, max: lowerTop },
          { dist: "uniform", min: upperBottom, max: 1.2 },
        ],
        weights: [0.6, 0.4],
      },
    },
    technology: { sigma: 0.5 },
    market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: gammaF, cost: 0.2 } },
  };
}

async function solve(raw: unknown) {
  const s = parseScenario(raw, { figures: false });
  await prepareSolvers(s);
  return solveScenario(s);
}

describe("θ_low in a gap of the support", () => {
  for (const gammaF of [0, 0.1]) {
    it(`γ_F = ${gammaF}: the note names the gap and F, the result is certified, and the profit does not depend on where in the gap the lower types end`, async () => {
      const r = await solve(market(gammaF, 0.5));
      const thetaLow = r.scalars.thetaLow as number;
      expect(thetaLow).toBeGreaterThan(0.5);
      expect(thetaLow).toBeLessThan(0.8);
      const note = r.solver.notes.find((n) => n.includes("(a gap of the support)"));
      expect(note, r.solver.notes.join("\n")).toMatch(/^no types lie between 0\.5 and 0\.8 \(a gap of the support\), where θ_low = 0\.\d+ falls: every cut-off in the gap gives this menu/);
      expect(note).toMatch(/serves the types from 0\.8 on; the fringe-only share is F = 0\.6\)$/);
      expect(r.certificate.certified).toBe(true);
      // the same served types and law above the gap: the lower types' top end moved within the gap
      const moved = await solve(market(gammaF, 0.45));
      const p = r.scalars.profit as number;
      expect(Math.abs((moved.scalars.profit as number) - p)).toBeLessThanOrEqual(1e-10 * p);
    });
  }

  it("a menu not certified: a gap starting just below θ_low (a clean-clone reviewer's market), where the finite menu serving types below the gap earns more", async () => {
    // U[0.05, 0.62] + U[0.8, 1.2], γ_F = 0.1: discrete LPs on 100–400 atoms of this law serve types
    // from about 0.59 and, extrapolated, earn about 5e-4 of profit more than the restricted-class
    // menu, whose θ_low lies in the gap. The screening LP's finite menu on quantile atoms, offered
    // to the continuous law, is reported instead: it serves types below the gap, so θ_low is no
    // longer in it (and the gap note is not given), and it earns more than the restricted class.
    const r = await solve(market(0.1, 0.62));
    expect(r.certificate.certified).toBe(false);
    const thetaLow = r.scalars.thetaLow as number;
    expect(thetaLow).toBeGreaterThan(0.55);
    expect(thetaLow).toBeLessThan(0.62);
    expect(r.solver.notes.some((n) => n.includes("gap of the support"))).toBe(false);
    const note = r.solver.notes.find((n) => n.startsWith("the restricted-class menu above earned"));
    const m = /^the restricted-class menu above earned (\S+) and was not certified; a finite menu of \d+ items .* earns (\S+) \(/.exec(note ?? "");
    expect(m, r.solver.notes.join("\n")).not.toBeNull();
    const [before, after] = [Number(m![1]), Number(m![2])];
    expect(after).toBe(r.scalars.profit);
    expect(after).toBeGreaterThan(before * (1 + 1e-6));
    expect(r.solver.method).toMatch(/^finite menu on the continuous law/);
  });

  it("no note when θ_low is not in a gap (the components touch)", async () => {
    const r = await solve(market(0.1, 0.8));
    expect(r.solver.notes.some((n) => n.includes("gap of the support"))).toBe(false);
  });
});

describe("a gap below which h < 0 (an independent auditor's L4_01)", () => {
  it("densityGap finds the stretch between two components' supports, and nothing where they touch or overlap", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 1, noNaN: true }), fc.double({ min: -0.5, max: 0.5, noNaN: true }), fc.double({ min: 0.1, max: 0.9, noNaN: true }), (b, shift, w) => {
        const c = b + shift;
        const d = buildDistribution(
          { dist: "mixture", components: [{ dist: "uniform", min: 0, max: b }, { dist: "uniform", min: c, max: c + 1 }], weights: [w, 1 - w] },
          "buyers.theta",
        ) as ContinuousDistribution;
        const gap = densityGap(d);
        if (c > b + 1e-9) {
          expect(gap).not.toBeNull();
          expect(gap![0]).toBeCloseTo(b, 12);
          expect(gap![1]).toBeCloseTo(c, 12);
        } else if (c <= b) expect(gap).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it("solves on the general path, certified, where the explicit path ended in \"numerical failure: zero of the virtual type … not finite\"", () => {
    const raw = {
      name: "L4_01",
      buyers: {
        theta: {
          dist: "mixture",
          components: [
            { dist: "uniform", min: 1.146, max: 1.764 },
            { dist: "truncLognormal", mu: -0.552, sigma: 0.271, min: 1.93, max: 2.382 },
          ],
          weights: [0.084, 0.916],
        },
      },
      technology: { sigma: 0.41 },
      market: { kind: "leaderFringe", leader: { gamma: 0.23, cost: 0.438 }, fringe: { gamma: 0, cost: 0.363 } },
    };
    const sol = solveScenario(parseScenario(raw, { figures: false }));
    expect(sol.solver.notes.join("\n")).toMatch(/general path: the law has no density on \(1\.76400, 1\.93000\)/);
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.certificate.certified, sol.solver.notes.join("\n")).toBe(true);
    expect(sol.certificate.optimalityGap!).toBeLessThanOrEqual(1e-9);
  });
});
