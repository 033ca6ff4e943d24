// A formula density's F and 1 − F are read off Chebyshev series of ∫ f on pieces of the
// normalization's panels (engine/distributions/expression-density.ts), where the series' error
// bound allows, and by an adaptive integral elsewhere. Checked here against an independent
// computation: adaptive Gauss–Kronrod integrals from the end of the support at 1e-14, on random
// smooth densities, at random types, in both tails too (where F is tiny, relative accuracy must
// hold: the series' error is absolute, and the adaptive integral takes over).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ExpressionDensityDistribution, panelSeries } from "../engine/distributions/expression-density.js";
import { gaussKronrod } from "../engine/numerics/quadrature.js";
import { InputError } from "../engine/errors.js";

/** 1e-13 is the adaptive integral's own target; the reference's error is 1e-14 */
const TOL = 2e-13;

/** F and 1 − F by two adaptive integrals (plain, and with the smoothing substitution at the ends
 *  that an endpoint singularity needs), and how far apart they are: the reference's own error. */
function reference(src: string, lo: number, hi: number, f: (t: number) => number) {
  const rules = [true, false].map((endpoints) => {
    const opts = { epsrel: 1e-14, epsabs: 0, maxIntervals: 20_000, endpoints, where: `reference for ${src}` };
    const z = gaussKronrod(f, lo, hi, opts).value;
    return { cdf: (t: number) => gaussKronrod(f, lo, t, opts).value / z, sf: (t: number) => gaussKronrod(f, t, hi, opts).value / z };
  });
  const both = (k: "cdf" | "sf", t: number) => {
    const [a, b] = [rules[0][k](t), rules[1][k](t)];
    return { value: a, spread: Math.abs(a - b) };
  };
  return { cdf: (t: number) => both("cdf", t), sf: (t: number) => both("sf", t) };
}

const densities = fc.oneof(
  fc.tuple(fc.double({ min: 1.05, max: 3, noNaN: true }), fc.integer({ min: 1, max: 12 })).map(([a, k]) => `${a} + sin(${k}*pi*theta)`),
  fc.tuple(fc.double({ min: 0.1, max: 0.9, noNaN: true }), fc.double({ min: 1e-3, max: 0.5, noNaN: true })).map(([m, s]) => `exp(-(theta - ${m})^2/${s})`),
  // (smooth: an endpoint singularity defeats the reference integrals at 1e-14; see below)
  // (whole powers: (1 − θ)^1.0000023 has a derivative singular enough at 1 that today's adaptive
  // integral, series or not, is 3e-11 off in 1 − F at 1 − 1e-6)
  fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })).map(([a, b]) => `theta^${a} * (1 - theta)^${b}`),
  fc.double({ min: 0.1, max: 20, noNaN: true }).map((r) => `exp(-${r}*theta)`),
);

describe("F of a formula density, by series and by adaptive integrals", () => {
  it("agrees with an independent adaptive integral to 1e-13 relative, F and 1 − F, tails included", () => {
    fc.assert(
      fc.property(densities, fc.array(fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }), { minLength: 3, maxLength: 6 }), (src, us) => {
        const d = new ExpressionDensityDistribution(src, 0, 1, "buyers.theta");
        const f = (t: number) => Math.max(0, (d as unknown as { raw: (t: number) => number }).raw(t));
        const ref = reference(src, 0, 1, f);
        // types spread over the support and pressed into both tails
        for (const u of [...us, 1e-6, 1 - 1e-6, 0.5]) {
          const [c, r] = [d.cdf(u), ref.cdf(u)];
          const [s, rs] = [d.sf(u), ref.sf(u)];
          expect(Math.abs(c - r.value), `${src}: F(${u}) = ${c}, reference ${r.value} ± ${r.spread}, tolerance ${TOL} relative`).toBeLessThanOrEqual(TOL * r.value + r.spread + 1e-300);
          expect(Math.abs(s - rs.value), `${src}: 1 − F(${u}) = ${s}, reference ${rs.value} ± ${rs.spread}, tolerance ${TOL} relative`).toBeLessThanOrEqual(TOL * rs.value + rs.spread + 1e-300);
        }
      }),
      { numRuns: 8 },
    );
  });

  it("with endpoint singularities, agrees with the adaptive integrals alone (the engine before the series) to 1e-13", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 0.95, noNaN: true }), fc.double({ min: 0.5, max: 0.95, noNaN: true }), fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }), (a, b, u) => {
        const src = `theta^(${a} - 1) * (1 - theta)^(${b} - 1) + theta`;
        let d: ExpressionDensityDistribution;
        try {
          d = new ExpressionDensityDistribution(src, 0, 1, "buyers.theta");
        } catch (e) {
          // (a law the engine refuses to normalize: nothing to compare)
          if (e instanceof InputError) return fc.pre(false);
          throw e;
        }
        const plain = Object.create(d) as ExpressionDensityDistribution;
        // the same law with every panel's series withheld: F by adaptive integrals only
        Object.defineProperty(plain, "series", { value: (d as unknown as { series: unknown[] }).series.map(() => null) });
        for (const t of [u, 1e-7, 1 - 1e-7, 0.5]) {
          expect(Math.abs(d.cdf(t) - plain.cdf(t)), `${src}: F(${t})`).toBeLessThanOrEqual(1e-13 * plain.cdf(t));
          expect(Math.abs(d.sf(t) - plain.sf(t)), `${src}: 1 − F(${t})`).toBeLessThanOrEqual(1e-13 * plain.sf(t));
        }
      }),
      { numRuns: 10 },
    );
  });

  it("a piece's series integrates polynomials exactly and says where it has not converged", () => {
    // ∫_0^t (3θ² + 1) = t³ + t on [0, 2]
    const s = panelSeries((t) => 3 * t * t + 1, 0, 2)!;
    expect(s).not.toBeNull();
    for (const t of [0, 0.3, 1, 1.7, 2]) {
      expect(Math.abs(s.from(t) - (t ** 3 + t))).toBeLessThanOrEqual(1e-14 * 10);
      expect(Math.abs(s.to(t) - (10 - t ** 3 - t))).toBeLessThanOrEqual(1e-14 * 10);
    }
    expect(Math.abs(s.total - 10)).toBeLessThanOrEqual(1e-14 * 10);
    expect(s.error).toBeLessThan(1e-13);
    // too rough for 64 points on the piece: no series (the adaptive integral is used)
    expect(panelSeries((t) => 1 + Math.sin(500 * t), 0, 1)).toBeNull();
  });

  it("is used where it can be: a smooth density's F costs no adaptive integral inside its support", () => {
    const d = new ExpressionDensityDistribution("1 + 0.9*sin(6*pi*theta)", 0, 1, "buyers.theta");
    const series = (d as unknown as { series: unknown[] }).series;
    expect(series.length).toBeGreaterThan(0);
    expect(series.every((p) => p !== null)).toBe(true);
  });
});

describe("F next to an end with an integrable singularity", () => {
  it("1 − F within 1e-14 of max, where (1 − θ)^(−0.1) is infinite: no node on max (an independent checker's density validated and failed to solve)", async () => {
    const d = new ExpressionDensityDistribution("(1-theta)^(-0.1)*theta", 0, 1, "buyers.theta");
    for (const gap of [1e-14, 1e-15, 3e-16, 1.1e-16]) {
      const t = 1 - gap;
      const s = d.sf(t);
      // ∫_t^1 (1 − θ)^(−0.1) θ dθ ≈ gap^0.9 / 0.9 (θ ≈ 1 there), over Z = 1/(0.9 · 1.9)
      const expected = (Math.pow(1 - t, 0.9) / 0.9) * 0.9 * 1.9;
      expect(Number.isFinite(s)).toBe(true);
      // (loosely: within ulps of max, 1 − F moves by ~θf/(1 − F) ulps for one ulp of θ, 1e-2 here)
      if (gap >= 1e-15) expect(Math.abs(s - expected) / expected, `1 − F(1 − ${gap})`).toBeLessThan(2e-2);
      expect(s).toBeGreaterThan(0);
      expect(Math.abs(d.cdf(t) + s - 1)).toBeLessThan(4e-15);
    }
    // and the whole solve, as lpe solve runs it
    const { main } = await import("../cli/lpe.js");
    const { mkdtempSync, readFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "lpe-e2-"));
    const tutorial = JSON.parse(readFileSync(new URL("../scenarios/examples/tutorial-monopoly.json", import.meta.url), "utf8"));
    const file = join(dir, "e2.json");
    (await import("node:fs")).writeFileSync(file, JSON.stringify({ ...tutorial, $schema: undefined, name: "e2", buyers: { theta: { dist: "expression", density: "(1-theta)^(-0.1)*theta", min: 0, max: 1 } } }));
    let err = "";
    const code = await main(["solve", file, "--out", join(dir, "out"), "--no-figures"], { out: () => {}, err: (s) => void (err += s) });
    expect(code, err).toBe(0);
  });
});
