// Formulas (issue 16, point 12): `lpe validate` builds a density formula exactly as `lpe solve`
// does, so every formula the issue found passing validate and failing solve is now either
// refused by both (exit 2, its JSON path, the same message) or solved. The checks cover the whole
// support: interval bounds (engine/expression/interval.ts) must contain the formula's value at
// every point of their box, a density negative only between sample points is caught, integrable
// endpoint singularities and zeros inside the support are still accepted, and the law of a
// narrow spike keeps full relative accuracy in its tails.
import fc from "fast-check";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../cli/lpe.js";
import { expressionDensity } from "../engine/distributions/expression-density.js";
import { InputError } from "../engine/errors.js";
import { intervalEvaluator, slopeEvaluator } from "../engine/expression/interval.js";
import { compileRestricted, expressionScalars } from "../engine/expression/restricted.js";
import { close } from "./helpers/close.js";

const root = new URL("..", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "lpe-formulas-"));
const tutorial = JSON.parse(readFileSync(join(root, "scenarios/examples/tutorial-monopoly.json"), "utf8"));
delete tutorial.$schema;

async function lpe(...argv: string[]): Promise<{ code: number; err: string }> {
  let err = "";
  const code = await main(argv, { out: () => {}, err: (s) => void (err += s.endsWith("\n") ? s : s + "\n") });
  return { code, err };
}

function densityFile(name: string, density: string, min = 0, max = 1): string {
  const s = { ...structuredClone(tutorial), name, buyers: { theta: { dist: "expression", density, min, max } } };
  const f = join(tmp, `${name}.json`);
  writeFileSync(f, JSON.stringify(s));
  return f;
}

// 401 sample midpoints are (i + 0.5)/401; this dip sits at 200/401, between two of them
const BETWEEN_SAMPLES = "1 - 2*exp(-1e8*(theta - 200/401)^2)";

describe("validate and solve agree on the issue's formulas", () => {
  const refused: [string, string, RegExp][] = [
    ["inverse", "1/theta", /cannot normalize the density on \[0, 1\] \(a non-integrable singularity\?\)/],
    ["inverse-square", "theta^-2", /cannot normalize the density on \[0, 1\] \(a non-integrable singularity\?\)/],
    ["tangent", "tan(pi/2*theta)", /cannot normalize the density on \[0, 1\]: its integral does not converge/],
    ["fast-sine", "abs(sin(1e9*theta))", /cannot normalize the density on \[0, 1\]: its integral does not converge/],
    ["between-samples", BETWEEN_SAMPLES, /density is negative at theta = 0\.498\d+ \(-0\.\d+\)/],
  ];
  for (const [name, density, why] of refused) {
    it(`${density} is refused by validate and by solve, at its path`, async () => {
      const f = densityFile(name, density);
      const v = await lpe("validate", f);
      expect(v.code, v.err).toBe(2);
      expect(v.err).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: buyers\\.theta\\.density: `));
      expect(v.err).toMatch(why);
      const s = await lpe("solve", f, "--no-figures", "--out", join(tmp, "out"));
      expect(s.code, s.err).toBe(2);
      expect(s.err).toMatch(why);
    });
  }

  it("exp(-1e6*(theta-0.5)^2) validates and solves, with its checks passed", async () => {
    const f = densityFile("spike", "exp(-1e6*(theta-0.5)^2)");
    const v = await lpe("validate", f);
    expect(v.code, v.err).toBe(0);
    const s = await lpe("solve", f, "--no-figures", "--out", join(tmp, "out"));
    expect(s.code, s.err).toBe(0);
    const summary = JSON.parse(readFileSync(join(tmp, "out", "spike", "summary.json"), "utf8"));
    expect(summary.checks.passed).toBe(true);
  });
});

describe("the density law", () => {
  it("a spike keeps full relative accuracy in its tails: F and 1 − F against erfc", () => {
    const d = expressionDensity("exp(-1e6*(theta-0.5)^2)", 0, 1, "buyers.theta");
    // Z = √π/1000 (the tails beyond [0, 1] are below 1e-100000), so 1 − F(0.5 + x) = erfc(1000x)/2
    close(d.normalizer, Math.sqrt(Math.PI) / 1000, 1e-12, "Z");
    close(d.cdf(0.5), 0.5, 1e-12, "F(0.5)");
    close(d.sf(0.51), 2.088487583762545e-45 / 2, 1e-9, "1 − F(0.51) = erfc(10)/2");
    close(d.cdf(0.49), 2.088487583762545e-45 / 2, 1e-9, "F(0.49)");
    close(d.sf(0.5005), 0.4795001221869535 / 2, 1e-12, "1 − F(0.5005) = erfc(0.5)/2");
  });

  const accepted: [string, number, number][] = [
    ["theta^(-0.5)", 0, 1], // integrable singularity at an end
    ["theta^2*(1-theta)^3", 0, 1], // zero at both ends
    ["(theta-0.5)^2", 0, 1], // a zero inside
    ["theta^2 - theta + 0.25", 0, 1], // the same zero, written so that plain bounds are loose there
    ["1 - 4*theta*(1 - theta)", 0, 1],
    ["1 + 0.5*sin(2*pi*theta)", 0, 1],
    ["exp(-theta^2/2)*gamma(theta+1)", 0.1, 3],
  ];
  for (const [density, min, max] of accepted) {
    it(`${density} on [${min}, ${max}] is accepted; F and 1 − F add to 1`, () => {
      const d = expressionDensity(density, min, max, "buyers.theta");
      for (const u of [0.1, 0.37, 0.5, 0.81]) {
        const t = min + u * (max - min);
        close(d.cdf(t) + d.sf(t), 1, 1e-12, `${density}: F + (1 − F) at ${t}`);
      }
      close(d.quantile(d.cdf(min + 0.3 * (max - min))), min + 0.3 * (max - min), 1e-9, `${density}: F⁻¹(F(t))`);
    });
  }

  const rejected: [string, RegExp][] = [
    ["sin(1/theta) + 1", /cannot establish that the density is finite and ≥ 0|cannot normalize|not a finite number/],
    // finite inside is required: an interior singularity is refused, by the bound or by the quadrature
    ["1/sqrt(abs(theta - 0.3))", /density may not be finite near theta = 0\.3|cannot normalize the density/],
    [BETWEEN_SAMPLES, /density is negative at theta = 0\.498/],
    // zero below 0.7 but for a narrow negative dip between two samples
    ["max(0, theta - 0.7) - 1e-3*exp(-1e9*(theta - 100/401)^2)", /density is negative at theta = 0\.249/],
  ];
  for (const [density, why] of rejected) {
    it(`${density} is refused`, () => {
      let err: unknown;
      try {
        expressionDensity(density, 0, 1, "buyers.theta");
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).path).toBe("buyers.theta.density");
      expect((err as InputError).message).toMatch(why);
    });
  }
});

describe("interval bounds contain the formula and its derivative", () => {
  const formulas: [string, number, number][] = [
    ["theta^2 - 3*theta + 1", -3, 3],
    ["1/(theta - 2)", -3, 3],
    ["theta^-3 + theta^(1/3)", 0.01, 4],
    ["exp(-theta)*sin(5*theta) + cos(theta^2)", -4, 4],
    ["tan(theta)", -2, 2],
    ["log(theta) + log10(theta) + log2(theta) + log1p(theta)", 0.001, 10],
    ["sqrt(theta) + cbrt(theta - 1) + expm1(theta)", 0, 5],
    ["abs(theta - 1) * min(theta, 2, 1 - theta) - max(theta, -theta)", -3, 3],
    ["asin(theta/4) + acos(theta/4) + atan(theta) + atan2(theta, 1)", -4, 4],
    ["sinh(theta) - cosh(theta) + tanh(theta) + erf(theta)", -4, 4],
    ["gamma(theta) + pow(theta, 2.5) + log(theta, 3)", 0.05, 6],
    ["-theta + +theta*e - pi", -2, 2],
  ];
  for (const [src, lo, hi] of formulas) {
    it(src, () => {
      const c = compileRestricted(src, ["theta"], "x");
      const bounds = intervalEvaluator(c.tree, ["theta"], expressionScalars());
      const slopes = slopeEvaluator(c.tree, "theta", expressionScalars());
      const at = fc.double({ min: lo, max: hi, noNaN: true });
      fc.assert(
        fc.property(at, at, fc.double({ min: 0, max: 1, noNaN: true }), (a, b, u) => {
          const [l, h] = a <= b ? [a, b] : [b, a];
          const x = Math.min(h, l + u * (h - l));
          let v: number;
          try {
            v = c.evaluate(x);
          } catch {
            return; // not finite there: the bound must then be infinite, checked below
          }
          const box = bounds([{ lo: l, hi: h }]);
          expect(box.lo, `${src} on [${l}, ${h}] at ${x} = ${v}`).toBeLessThanOrEqual(v);
          expect(box.hi, `${src} on [${l}, ${h}] at ${x} = ${v}`).toBeGreaterThanOrEqual(v);
          // the slope form: the same value bound, and its derivative bound holds the derivative
          const sl = slopes({ lo: l, hi: h });
          expect(sl.v.lo).toBeLessThanOrEqual(v);
          expect(sl.v.hi).toBeGreaterThanOrEqual(v);
          const step = 1e-6 * Math.max(1, Math.abs(x));
          if (x - step < l || x + step > h) return;
          let fd: number;
          try {
            fd = (c.evaluate(x + step) - c.evaluate(x - step)) / (2 * step);
          } catch {
            return;
          }
          const tol = 1e-4 * Math.max(1, Math.abs(fd));
          expect(sl.d.lo - tol, `${src}′ on [${l}, ${h}] at ${x} ≈ ${fd}`).toBeLessThanOrEqual(fd);
          expect(sl.d.hi + tol, `${src}′ on [${l}, ${h}] at ${x} ≈ ${fd}`).toBeGreaterThanOrEqual(fd);
        }),
        { numRuns: 300 },
      );
      // a point where the formula is not finite has no finite bound around it
      const probe = bounds([{ lo, hi }]);
      if (src === "1/(theta - 2)" || src === "tan(theta)") expect(Number.isFinite(probe.lo) && Number.isFinite(probe.hi)).toBe(false);
    });
  }
});

describe("messages name what was written (a reviewer's)", () => {
  it("a literal beyond double precision is quoted as written, not as Infinity", () => {
    expect(() => compileRestricted("1e400*theta", ["theta"], "buyers.theta.density")).toThrow(/the number 1e400 is beyond double precision/);
    expect(() => compileRestricted("theta + 2.5E+309", ["theta"], "buyers.theta.density")).toThrow(/the number 2\.5E\+309 is beyond double precision/);
  });
  it("a support of 1e308 is sampled inside it, not at θ = Infinity: the infinite integral is what is said", () => {
    expect(() => expressionDensity("1 + theta", 0, 1e308, "buyers.theta")).toThrow(/density integrates to Infinity on \[0, 1e\+308\]/);
    expect(() => expressionDensity("1 + theta", 0, 1e308, "buyers.theta")).not.toThrow(/Infinity\)|theta ?= ?Infinity/);
  });
  it("a token cost of 1e-320 is blamed for quality beyond double precision, not the type range", async () => {
    const { validateScenario } = await import("../engine/scenario/load.js");
    const raw = structuredClone(tutorial);
    raw.technology.tokens.classes[1].cost = 1e-320;
    const { problems } = validateScenario(raw);
    expect(problems.map((p) => p.path)).toEqual(["technology.tokens.classes[1].cost"]);
    expect(problems[0].message).toMatch(/beyond double precision/);
    // types of 1e300 are still blamed on the type range
    const big = structuredClone(tutorial);
    big.buyers.theta.max = 1e300;
    expect(validateScenario(big).problems.map((p) => p.path)).toEqual(["buyers.theta.max"]);
  });
  it("a density below the smallest normal double everywhere is refused at its path (it validated, then failed the solve with exit 1)", () => {
    expect(() => expressionDensity("1e-320*theta", 0, 1, "buyers.theta")).toThrow(/buyers\.theta\.density: the density is at most 9\.985e-321 .* below the smallest normal double/);
    // and the same shape scaled into the normal range is a law like any other
    const d = expressionDensity("1e-300*theta", 0, 1, "buyers.theta");
    close(d.cdf(0.5), 0.25, 1e-13, "F(0.5) of the density ∝ θ on [0, 1]");
  });
  it("a fine-tuning γ of 1e-320 solves as the limit γ → 0 (κ overflowed to ∞: validated, then exit 1)", async () => {
    const { parseScenario } = await import("../engine/scenario/load.js");
    const { solveScenario } = await import("../solvers/solve.js");
    const tiny = structuredClone(tutorial);
    tiny.technology.fineTuning.gamma = 1e-320;
    const none = structuredClone(tutorial);
    none.technology.fineTuning = { kind: "none" };
    const a = solveScenario(parseScenario(tiny));
    const b = solveScenario(parseScenario(none));
    expect(a.certificate.certified, a.certificate.certificate).toBe(true);
    close(a.scalars.profit as number, b.scalars.profit as number, 1e-14, "profit at γ = 1e-320 against no fine-tuning");
  });
});
