// Ironing across a downward jump of the density (engine/distributions/ironing.ts, refine's right
// end searched right of its left end). The law is that of market 57 of lpe's random scan, seed 10
// (scripts/random-market-scan.mjs): a beta and two uniform components, the first uniform ending
// at 1.73955 inside the second's support, where f falls from 0.714 to 0.262 and h = θ − (1 − F)/f
// falls by 2.7e-3. Until 6 Dec 2026 the hull's interval there was refined to a point,
// [1.7381428, 1.7381428]: h̄ = h fell at the jump, and the menus of both the monopoly and the
// leader–fringe paths were certified (gap ~1e-15) while, on 40,001 types, a type gained 1.7e-4
// by taking a neighbour's item.

import { describe, expect, it } from "vitest";
import { buildDistribution } from "../engine/distributions/from-spec.js";
import { chordShortfall, ironVirtualType } from "../engine/distributions/ironing.js";
import type { ContinuousDistribution } from "../engine/distributions/types.js";
import { parseScenario } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";

const law = {
  dist: "mixture",
  components: [
    { dist: "beta", a: 3.8680050138700772, b: 2.1602681143955644, min: 0.13046837138499523, max: 1.1957081006354224 },
    { dist: "uniform", min: 0.8647070093381717, max: 1.739552383050114 },
    { dist: "uniform", min: 0.8757789846862568, max: 1.7439965738188459 },
  ],
  weights: [0.3772936206814074, 0.39524507299290035, 0.22746130632569223],
};
const JUMP = 1.739552383050114;

describe("ironing across a downward jump of the density", () => {
  const dist = buildDistribution(law as never, "buyers.theta") as ContinuousDistribution;
  const iron = ironVirtualType(dist);

  it("an interval of positive width around the jump, a convexification, and h̄ nondecreasing through it", () => {
    const around = iron.details.find((d) => d.from < JUMP && d.to > JUMP);
    expect(around, JSON.stringify(iron.intervals)).toBeDefined();
    expect(around!.to - around!.from).toBeGreaterThan(1e-4);
    expect(chordShortfall(dist, around!.from, around!.to, around!.level).excess).toBeLessThan(1e-12);
    // h̄ on 20,001 types across [1.73, 1.744] and on both sides of the jump: never falls
    const ts = Array.from({ length: 20001 }, (_, i) => 1.73 + (0.0139965738188459 * i) / 20000);
    ts.push(JUMP * (1 - 1e-12), JUMP, JUMP * (1 + 1e-12));
    ts.sort((a, b) => a - b);
    let prev = -Infinity;
    for (const t of ts) {
      const v = iron.value(t);
      expect(v, `h̄(${t}) = ${v} after ${prev}`).toBeGreaterThanOrEqual(prev - 1e-12);
      prev = v;
    }
  });

  it("the monopoly menu passes its checks on 40,001 types (it failed them with an IC gain of 1.7e-4) and is certified", () => {
    const sol = solveScenario(
      parseScenario({
        name: "density-drop-monopoly",
        buyers: { theta: law },
        technology: { sigma: 0.5, tokens: { rho: 0.5, classes: [{ name: "input", alpha: 0.4, cost: 0.1 }, { name: "output", alpha: 0.6, cost: 0.3 }] } },
        market: { kind: "monopoly" },
        grid: { points: 40001 },
        figures: { only: ["quality"] },
      }),
    );
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
  });
});
