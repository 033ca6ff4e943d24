// Reference values computed outside this code base, by the committed runners in
// test/fixtures/python/ (mpmath at 30 digits and scipy; each value checked two ways there):
//   monopoly_uniform.json        closed forms of docs/model.md sections 1–2 (κ from CES unit
//                                costs, θ ~ U[a, b] menus, budgets X_j and Z_k);
//   leader_fringe_explicit.json  section 3c (Proposition 4, γ_F = 0), three regions and the
//                                empty-middle-region cut-off, uniform and Beta(2, 2) types;
//   value_scale.json             value–scale types θ = w s^(1−σ): F_θ, f_θ and the menu;
//   ironed.json                  menus whose virtual type must be ironed (bunching);
//   value_scale_sigma099.json    value–scale types at σ = 0.99 (the profit, two ways).
// The JSON files are committed: no Python is needed here. Every comparison states its
// tolerance below and prints the case's inputs, the difference and the tolerance on failure.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildBuyers } from "../engine/distributions/from-spec.js";
import { parseScenario } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";
import type { MarketSolution } from "../solvers/types.js";
import { expectClose } from "./helpers/close.js";

interface FixtureCase {
  name: string;
  scenario: Record<string, unknown>;
  expected: {
    scalars: Record<string, number | boolean>;
    points: Record<string, number | Record<string, number>>[];
    ironing?: [number, number][];
    distribution?: { theta: number; F: number; f: number }[];
  };
}

interface Fixture {
  generator: string;
  method: string;
  cases: FixtureCase[];
}

const load = (name: string): Fixture => JSON.parse(readFileSync(new URL(`./fixtures/python/${name}`, import.meta.url), "utf8"));

/** Relative tolerance per quantity, and an absolute floor relative to the case's scale. */
interface Tolerances {
  scalars: Record<string, number> & { default: number };
  points: number;
  /** absolute floor for values that are zero (excluded types), times the largest |value| of the case */
  floor: number;
  ironing?: number;
  distribution?: number;
}

const TOLERANCES: Record<string, Tolerances> = {
  // closed forms, exact quadrature of powers: the engine's own accuracy target
  "monopoly_uniform.json": { scalars: { default: 1e-12 }, points: 1e-12, floor: 1e-15 },
  // θ_high is a root and the scalars quadratures over three regions (as for P2)
  "leader_fringe_explicit.json": { scalars: { default: 1e-10, thetaLow: 1e-12, etaL: 1e-15 }, points: 1e-10, floor: 1e-13 },
  // f_θ and F_θ are themselves quadratures over the shares; the menu integrates them again
  "value_scale.json": { scalars: { default: 1e-9 }, points: 1e-9, floor: 1e-13, distribution: 1e-11 },
  // ironed intervals from the convex hull in quantile space, refined to machine precision
  "ironed.json": { scalars: { default: 1e-9 }, points: 1e-9, floor: 1e-13, ironing: 1e-9 },
};

function inputs(c: FixtureCase): string {
  const s = c.scenario as { buyers: unknown; technology: unknown; market: unknown };
  return `buyers ${JSON.stringify(s.buyers)}, technology ${JSON.stringify(s.technology)}, market ${JSON.stringify(s.market)}`;
}

function compareCase(file: string, c: FixtureCase, sol: MarketSolution, tol: Tolerances): void {
  const what = (k: string) => `${file} ${c.name}: ${k} [${inputs(c)}]`;
  for (const [k, want] of Object.entries(c.expected.scalars)) {
    const got = sol.scalars[k];
    if (typeof want === "boolean") {
      expect(got, what(k)).toBe(want);
      continue;
    }
    expect(typeof got, what(`${k} is a number`)).toBe("number");
    expectClose(got as number, want, tol.scalars[k] ?? tol.scalars.default, 0, what(k));
  }
  let scale = 0;
  for (const p of c.expected.points) for (const v of Object.values(p)) if (typeof v === "number") scale = Math.max(scale, Math.abs(v));
  for (const p of c.expected.points) {
    const theta = p.theta as number;
    const got = sol.pointAt(theta);
    for (const [k, want] of Object.entries(p)) {
      if (k === "theta") continue;
      if (k === "region") {
        expect(got.region, what(`region at θ = ${theta}`)).toBe(want);
        continue;
      }
      if (typeof want === "object") {
        for (const [cls, v] of Object.entries(want)) {
          expectClose((got[k] as Record<string, number>)[cls], v, tol.points, tol.floor * scale, what(`${k}.${cls} at θ = ${theta}`));
        }
        continue;
      }
      expectClose(got[k] as number, want, tol.points, tol.floor * scale, what(`${k} at θ = ${theta}`));
    }
  }
  if (c.expected.ironing) {
    expect(sol.ironing.length, what("number of ironed intervals")).toBe(c.expected.ironing.length);
    c.expected.ironing.forEach(([a, b], i) => {
      expectClose(sol.ironing[i][0], a, tol.ironing ?? 0, 0, what(`ironed interval ${i} start`));
      expectClose(sol.ironing[i][1], b, tol.ironing ?? 0, 0, what(`ironed interval ${i} end`));
    });
  }
}

for (const [file, tol] of Object.entries(TOLERANCES)) {
  const fixture = load(file);
  describe(`${file} (${fixture.generator})`, () => {
    it("holds cases, each with a scenario and expected values", () => {
      expect(fixture.cases.length).toBeGreaterThanOrEqual(2);
      for (const c of fixture.cases) expect(Object.keys(c.expected.scalars).length, c.name).toBeGreaterThan(0);
    });
    for (const c of fixture.cases) {
      it(`${c.name}: scalars, menu points${c.expected.ironing ? ", ironed intervals" : ""}${c.expected.distribution ? ", F_θ and f_θ" : ""}`, () => {
        const scenario = parseScenario(c.scenario);
        const sol = solveScenario(scenario);
        compareCase(file, c, sol, tol);
        if (c.expected.distribution) {
          const dist = buildBuyers(scenario.buyers, scenario.technology.sigma, scenario.seed);
          if (dist.discrete) throw new Error(`${c.name}: expected a continuous type law`);
          for (const d of c.expected.distribution) {
            expectClose(dist.cdf(d.theta), d.F, tol.distribution ?? 0, 1e-16, `${file} ${c.name}: F_θ(${d.theta}) [${inputs(c)}]`);
            expectClose(dist.pdf(d.theta), d.f, tol.distribution ?? 0, 1e-16, `${file} ${c.name}: f_θ(${d.theta}) [${inputs(c)}]`);
          }
        }
      });
    }
  });
}

// value_scale_sigma099.json: σ = 0.99, where the shares s = (t/w)^100 underflow for the low types
// and lpe stopped with "integration limits must be finite" (an independent checker's, 7 Dec 2026);
// its profit from SciPy quadrature of the law over w and over s (the two agree to 1e-11).
describe("value_scale_sigma099.json (test/fixtures/python/value_scale_sigma099.py)", () => {
  it("σ = 0.99: solved, certified, and the profit of the reference to 1e-9", () => {
    const fixture = load("value_scale_sigma099.json") as unknown as { cases: { name: string; scenario: Record<string, unknown>; profit: number; profitBySharesS: number }[] };
    const [c] = fixture.cases;
    const sol = solveScenario(parseScenario(c.scenario));
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.certificate.certified, sol.certificate.certificate).toBe(true);
    expectClose(sol.scalars.profit as number, c.profit, 1e-9, 0, `value_scale_sigma099.json ${c.name}: profit [${JSON.stringify(c.scenario.buyers)}]`);
    expectClose(c.profitBySharesS, c.profit, 1e-9, 0, "the reference's two ways");
  });
});
