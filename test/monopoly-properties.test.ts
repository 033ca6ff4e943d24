// Property tests (fast-check) of the monopoly menu over random valid technologies and type
// distributions: Q nondecreasing, incentive and participation checks within 1e-9 of scale,
// Q = 0 exactly below θ*, and Proposition 1 (profiles with equal θ get the same item).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregateType } from "../engine/distributions/aggregate-type.js";
import { buildDistribution } from "../engine/distributions/from-spec.js";
import { profileTypeDistribution } from "../engine/distributions/profiles.js";
import type { DistSpec, TechnologySpec } from "../engine/scenario/spec-types.js";
import { buildTechnology } from "../engine/technology/from-spec.js";
import { solveMonopoly } from "../solvers/monopoly.js";

const positive = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

const classes = (prefix: string, k: number) =>
  fc.array(fc.tuple(positive(0.1, 1), positive(0.05, 5)), { minLength: k, maxLength: k }).map((xs) => {
    const s = xs.reduce((acc, [a]) => acc + a, 0);
    return xs.map(([a, c], j) => ({ name: `${prefix}${j}`, alpha: a / s, cost: c }));
  });

const technology: fc.Arbitrary<TechnologySpec> = fc
  .record({
    sigma: positive(0.1, 0.7),
    gFrac: positive(0, 0.95),
    rho: positive(-3, 1),
    rhoHat: positive(-3, 1),
    J: fc.integer({ min: 1, max: 3 }),
    K: fc.integer({ min: 1, max: 2 }),
    ft: fc.boolean(),
  })
  .chain((r) =>
    fc.tuple(classes("x", r.J), classes("z", r.K)).map(([tok, ft]) => {
      const gamma = r.gFrac * (0.95 - r.sigma);
      const spec: TechnologySpec = {
        sigma: r.sigma,
        tokens: { rho: r.rho, classes: tok },
        fineTuning: r.ft && gamma > 1e-3 ? { kind: "ces", gamma, rho: r.rhoHat, classes: ft } : { kind: "none" },
      };
      return spec;
    }),
  );

const distribution: fc.Arbitrary<DistSpec> = fc.oneof(
  fc.tuple(positive(0, 2), positive(0.2, 3)).map(([a, w]): DistSpec => ({ dist: "uniform", min: a, max: a + w })),
  fc.tuple(positive(0.5, 6), positive(0.5, 6), positive(0, 1)).map(([a, b, lo]): DistSpec => ({ dist: "beta", a, b, min: lo, max: lo + 2 })),
  fc.tuple(positive(-4, 4), positive(0, 1)).map(([rate, lo]): DistSpec => ({ dist: "truncExponential", rate, min: lo, max: lo + 3 })),
  fc.tuple(positive(-1, 1), positive(0.2, 1.5)).map(([mu, s]): DistSpec => ({ dist: "truncLognormal", mu, sigma: s, min: 0.05, max: 5 })),
  fc.tuple(positive(0.5, 4)).map(([alpha]): DistSpec => ({ dist: "truncPareto", alpha, min: 0.5, max: 4 })),
  fc.tuple(positive(1.5, 10), positive(1.5, 10), positive(0.1, 0.9)).map(
    ([a, b, w]): DistSpec => ({
      dist: "mixture",
      components: [
        { dist: "beta", a: 2, b: a, min: 0, max: 1 },
        { dist: "beta", a: b, b: 2, min: 0, max: 1 },
      ],
      weights: [w, 1 - w],
    }),
  ),
);

describe("monopoly menu properties", () => {
  it("Q nondecreasing, IC and IR within 1e-9·scale, Q = 0 exactly below θ*", () => {
    fc.assert(
      fc.property(technology, distribution, (tech, d) => {
        const cost = buildTechnology(tech);
        const dist = buildDistribution(d, "buyers.theta");
        const sol = solveMonopoly({ dist, cost, gridPoints: 121 });
        const what = `tech ${JSON.stringify(tech)} dist ${JSON.stringify(d)}`;
        expect(sol.checks.passed, `${what}: ${sol.checks.failures.join("; ")}`).toBe(true);
        expect(sol.checks.icMaxGain, what).toBeLessThanOrEqual(sol.checks.tolerance);
        expect(sol.checks.irMinSlack, what).toBeGreaterThanOrEqual(-sol.checks.tolerance);
        const Q = sol.curves.columns.Q;
        const th = sol.curves.theta;
        const star = sol.scalars.thetaStar as number;
        for (let i = 0; i < th.length; i++) {
          if (i > 0) expect(Q[i], `${what}: Q falls at θ=${th[i]}`).toBeGreaterThanOrEqual(Q[i - 1]);
          if (th[i] < star) expect(Q[i], `${what}: Q(${th[i]}) below θ*=${star}`).toBe(0);
        }
        // Exact evaluation off the grid agrees with monotonicity too.
        const a = sol.pointAt(dist.min + 0.37 * (dist.max - dist.min)).Q as number;
        const b = sol.pointAt(dist.min + 0.71 * (dist.max - dist.min)).Q as number;
        expect(b, what).toBeGreaterThanOrEqual(a);
        const s = sol.scalars;
        expect(Math.abs((s.profit as number) + (s.consumerSurplus as number) - (s.welfare as number)), `${what}: profit + CS = welfare`).toBeLessThanOrEqual(
          1e-9 * Math.abs(s.welfare as number) + 1e-15,
        );
        expect(s.welfare as number, `${what}: welfare ≤ efficient welfare`).toBeLessThanOrEqual((s.efficientWelfare as number) * (1 + 1e-12));
      }),
      { numRuns: 40 },
    );
  });

  it("Proposition 1: profiles with equal θ get the same item", () => {
    fc.assert(
      fc.property(
        fc.array(positive(0, 3), { minLength: 4, maxLength: 12 }),
        fc.array(fc.array(positive(0, 3), { minLength: 4, maxLength: 4 }), { minLength: 3, maxLength: 8 }),
        positive(0.2, 0.7),
        (w, others, sigma) => {
          // w and its reversal are different profiles with the same aggregate type.
          const rev = [...w].reverse();
          const thetas = [aggregateType(w, sigma), aggregateType(rev, sigma), ...others.map((o) => aggregateType(o, sigma))];
          expect(thetas[1]).toBe(thetas[0]);
          const dist = profileTypeDistribution(thetas);
          const cost = buildTechnology({ sigma, tokens: { rho: 0.5, classes: [{ name: "x", alpha: 1, cost: 1 }] }, fineTuning: { kind: "none" } });
          const sol = solveMonopoly({ dist, cost, gridPoints: dist.values.length });
          const a = sol.pointAt(thetas[0]);
          const b = sol.pointAt(thetas[1]);
          expect(b.Q).toBe(a.Q);
          expect(b.t).toBe(a.t);
          expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });
});
