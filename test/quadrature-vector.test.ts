// The vector Gauss–Kronrod quadrature (engine/numerics/quadrature-vector.ts) against closed-form
// integrals and the scalar rule, and Brent's maximizer and the golden-section minimizer
// (engine/numerics/golden.ts brentMax, goldenMin) against known extrema.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gaussKronrodVector, integrateVector } from "../engine/numerics/quadrature-vector.js";
import { integrate } from "../engine/numerics/quadrature.js";
import { brentMax, goldenMax, goldenMin } from "../engine/numerics/golden.js";
import { NumericalError } from "../engine/errors.js";
import { close } from "./helpers/close.js";

describe("vector Gauss–Kronrod", () => {
  it("property: every component matches its closed form to 1e-12 (powers, an exponential, an endpoint singularity)", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true })),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        fc.double({ min: 0.2, max: 6, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: -0.7, max: 0, noNaN: true }),
        (a, width, p, k, s) => {
          const b = a + width;
          // x^p, e^(kx), x^s (an integrable singularity at a = 0 for s < 0), and the first two's sum
          const f = (x: number, y: Float64Array): void => {
            y[0] = Math.pow(x, p);
            y[1] = Math.exp(k * x);
            y[2] = Math.pow(x, s);
            y[3] = y[0] + y[1];
          };
          const out = new Float64Array(4);
          integrateVector(f, 4, a, b, [], out, { epsrel: 1e-13, endpoints: true });
          const i0 = (Math.pow(b, p + 1) - Math.pow(a, p + 1)) / (p + 1);
          const kw = k * width;
          const i1 = Math.exp(k * a) * (kw === 0 ? width : (Math.expm1(kw) / kw) * width);
          const i2 = (Math.pow(b, s + 1) - Math.pow(a, s + 1)) / (s + 1);
          const ctx = { a, b, p, k, s };
          close(out[0], i0, 1e-12, { ...ctx, what: "∫ x^p" });
          close(out[1], i1, 1e-12, { ...ctx, what: "∫ e^(kx)" });
          close(out[2], i2, 1e-12, { ...ctx, what: "∫ x^s" });
          close(out[3], i0 + i1, 1e-12, { ...ctx, what: "∫ x^p + e^(kx)" });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("agrees with the scalar rule integral by integral, with fewer evaluations than the scalar rule takes in all", () => {
    const fs = [(x: number) => Math.sqrt(x) * Math.exp(-x), (x: number) => 1 / (1 + 25 * x * x), (x: number) => Math.pow(x, 3.7) * (1 - x)];
    const out = new Float64Array(3);
    const res = gaussKronrodVector((x, y) => fs.forEach((f, k) => (y[k] = f(x))), 3, 0, 1, out, { epsrel: 1e-12, endpoints: true });
    expect(res.converged).toBe(true);
    let scalarEvaluations = 0;
    fs.forEach((f, k) => {
      const one = integrate((x) => (scalarEvaluations++, f(x)), 0, 1, { epsrel: 1e-12, endpoints: true });
      close(out[k], one, 2e-12, `component ${k}`);
    });
    expect(res.evaluations, `vector ${res.evaluations} node evaluations, scalar ${scalarEvaluations} in all`).toBeLessThan(scalarEvaluations);
  });

  it("each component is held to its own tolerance: a tiny component does not stop at the large one's", () => {
    const out = new Float64Array(2);
    // component 1 is 1e-12 of component 0 and oscillates: a shared absolute tolerance would accept it early
    const res = gaussKronrodVector((x, y) => ((y[0] = 1), (y[1] = 1e-12 * Math.cos(40 * x))), 2, 0, 1, out, { epsrel: 1e-12 });
    expect(res.converged).toBe(true);
    close(out[0], 1, 1e-15, "∫ 1");
    close(out[1], (1e-12 * Math.sin(40)) / 40, 1e-11, "∫ 1e-12 cos 40x");
  });

  it("splits at breaks: a jump at a break is integrated exactly", () => {
    const out = new Float64Array(1);
    integrateVector((x, y) => (y[0] = x < 0.3 ? 1 : 5 * x), 1, 0, 1, [0.3], out, { epsrel: 1e-13 });
    close(out[0], 0.3 + 2.5 * (1 - 0.09), 1e-14, "step then 5x");
  });

  it("names the component and the point where an integrand is not finite", () => {
    const out = new Float64Array(2);
    const f = (x: number, y: Float64Array) => ((y[0] = x), (y[1] = x > 0.5 ? NaN : 1));
    expect(() => integrateVector(f, 2, 0, 1, [], out, { where: (k) => `test component ${k}` })).toThrow(NumericalError);
    expect(() => integrateVector(f, 2, 0, 1, [], out, { where: (k) => `test component ${k}` })).toThrow(/test component 1: integrand is not finite at x = 0\.[5-9]/);
  });

  it("reports a component that cannot converge, naming it", () => {
    const out = new Float64Array(2);
    // 1/x on (0, 1]: diverges; the first component is fine
    const f = (x: number, y: Float64Array) => ((y[0] = x), (y[1] = 1 / x));
    expect(() => integrateVector(f, 2, 0, 1, [], out, { epsrel: 1e-12, maxIntervals: 50, where: (k) => `component ${k}` })).toThrow(/component 1: ∫ over \[0, 1\] did not reach the tolerance/);
  });
});

describe("Brent's maximizer", () => {
  it("property: finds the maximum of x^a e^(−bx) (at a/b) to 1e-8 in x and rounding in value, in fewer evaluations than golden section", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.3, max: 8, noNaN: true }), fc.double({ min: 0.2, max: 5, noNaN: true }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (a, b, where) => {
        const xs = a / b;
        // a bracket [lo, hi] holding xs at a random relative position
        const w = xs * 0.8;
        const lo = xs - where * w;
        const hi = lo + w;
        let n = 0;
        const f = (x: number) => (n++, Math.pow(x, a) * Math.exp(-b * x));
        const r = brentMax(f, lo, hi, 1e-9);
        const nb = n;
        n = 0;
        goldenMax(f, lo, hi, 1e-9);
        const ng = n;
        const ctx = { a, b, lo, hi, got: r.x };
        close(r.x, xs, 1e-7, ctx);
        close(r.value, f(xs), 1e-14, ctx);
        expect(nb, `Brent ${nb} evaluations, golden section ${ng}`).toBeLessThan(ng);
      }),
      { numRuns: 200 },
    );
  });

  it("golden-section minimum: to the tolerance, or the first point below a level when asked to stop there", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }), (c, depth) => {
        const f = (x: number) => (x - c) * (x - c) - depth * depth * 1e-4;
        const m = goldenMin(f, 0, 1, 1e-12);
        expect(m.stopped).toBe(false);
        close(m.x, c, 0, { c }, 2e-6);
        const s = goldenMin(f, 0, 1, 1e-12, 200, (_x, v) => v <= 0);
        expect(s.stopped).toBe(true);
        expect(f(s.x), `c = ${c}: stopped at ${s.x} with f = ${f(s.x)}`).toBeLessThanOrEqual(0);
      }),
      { numRuns: 200 },
    );
  });

  it("treats −∞ (outside a branch's domain) as the worst value and finds the maximum at a bracket end", () => {
    const r = brentMax((x) => (x < 0.4 ? -Infinity : -(x - 0.7) * (x - 0.7)), 0, 1);
    close(r.x, 0.7, 1e-8, "max at 0.7 with −∞ below 0.4");
    const e = brentMax((x) => x, 0, 2);
    close(e.x, 2, 1e-8, "increasing: the right end");
  });
});
