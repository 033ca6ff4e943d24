// Value–scale types whose w (or s) is a mixture with a gap between its components
// (engine/distributions/value-scale-continuous.ts): the integrals over the shares are split where
// x(s) = t s^(−k) meets a component's end, and θ's law lists the kinks that follow. A reviewer's
// w ~ 0.8·U[0.3, 0.35] + 0.2·U[3, 3.2], s ~ U[0, 1], σ = 0.6 ran for more than 12 minutes (and
// with s ~ Beta(20, 2) failed its quadrature after 2): each piece had to find the jumps of f_w
// by bisection. Checked against an independent integral over s (piecewise Simpson on 20,000
// panels split at the same points) and against a monopoly solve that must now certify.
import { describe, expect, it } from "vitest";
import { mixture } from "../engine/distributions/mixture.js";
import type { ContinuousDistribution } from "../engine/distributions/types.js";
import { uniform } from "../engine/distributions/uniform.js";
import { valueScale } from "../engine/distributions/value-scale.js";
import { parseScenario } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";

const SIGMA = 0.6;
const K = 1 - SIGMA;
const w = mixture([uniform(0.3, 0.35, "w1"), uniform(3, 3.2, "w2")], [0.8, 0.2], "w") as ContinuousDistribution;
const s = uniform(0, 1, "s") as ContinuousDistribution;

/** F_θ(t) = ∫_0^1 F_w(t s^(−k)) ds by composite Simpson, split where t s^(−k) meets w's ends and kinks. */
function cdfBySimpson(t: number): number {
  const cuts = [0, 1, ...[0.3, 0.35, 3, 3.2].map((x) => Math.pow(t / x, 1 / K))].filter((v) => v >= 0 && v <= 1).sort((a, b) => a - b);
  let total = 0;
  for (let j = 0; j + 1 < cuts.length; j++) {
    const [a, b] = [cuts[j], cuts[j + 1]];
    if (!(b > a)) continue;
    const n = 20_000;
    const h = (b - a) / n;
    const g = (v: number) => (v <= 0 ? 1 : w.cdf(t * Math.pow(v, -K)));
    let sum = g(a) + g(b);
    for (let i = 1; i < n; i++) sum += (i % 2 ? 4 : 2) * g(a + i * h);
    total += (sum * h) / 3;
  }
  return total;
}

describe("value–scale types with a mixture w that has a gap", () => {
  const law = valueScale(w, s, SIGMA, "buyers.valueScale") as ContinuousDistribution;

  it("lists θ's kinks where w's component ends meet s's ends", () => {
    for (const x of [0.35, 3]) expect(law.kinks!.some((k) => Math.abs(k - x) < 1e-15), `${x} in ${law.kinks}`).toBe(true);
  });

  it("F_θ agrees with an independent Simpson integral over s to 1e-9 (inputs, difference and tolerance printed)", () => {
    for (const t of [0.05, 0.2, 0.3, 0.34, 0.35, 0.5, 1, 2, 2.9, 3.05, 3.15]) {
      const ref = cdfBySimpson(t);
      const got = law.cdf(t);
      expect(Math.abs(got - ref), `t = ${t}: lpe ${got}, Simpson ${ref}, tolerance 1e-9`).toBeLessThan(1e-9);
      expect(Math.abs(law.sf(t) - (1 - ref)), `sf at t = ${t}`).toBeLessThan(1e-9);
    }
  });

  it("a monopoly on these types solves, passes its checks and is certified", () => {
    const scenario = parseScenario(
      {
        name: "vs-gap",
        buyers: { valueScale: { w: { dist: "mixture", components: [{ dist: "uniform", min: 0.3, max: 0.35 }, { dist: "uniform", min: 3, max: 3.2 }], weights: [0.8, 0.2] }, s: { dist: "uniform", min: 0, max: 1 } } },
        technology: { sigma: SIGMA, tokens: { rho: 1, classes: [{ name: "tokens", alpha: 1, cost: 1 }] }, fineTuning: { kind: "ces", gamma: 0.2, rho: 1, classes: [{ name: "sft", alpha: 1, cost: 2 }] } },
        market: { kind: "monopoly" },
      },
      { figures: false },
    );
    const sol = solveScenario(scenario);
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
  }, 60_000);
});
