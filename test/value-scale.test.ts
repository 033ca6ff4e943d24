// Value–scale types θ = w s^(1−σ) (docs/model.md section 2, "Value–scale types"): the check value
// w, s ~ U[0,1] (F_θ = t^(1/(1−σ)) + (t − t^(1/(1−σ)))/σ, f_θ = (1 − t^(σ/(1−σ)))/σ) at many t
// and σ to 1e-12; other pairs against an independent integral over w instead of s; discrete s
// or w against direct sums; singular component densities; validation.

import { describe, expect, it } from "vitest";
import { beta } from "../engine/distributions/beta.js";
import { discrete } from "../engine/distributions/discrete.js";
import { truncLognormal } from "../engine/distributions/trunc-lognormal.js";
import type { ContinuousDistribution, TypeDistribution } from "../engine/distributions/types.js";
import { uniform } from "../engine/distributions/uniform.js";
import { valueScale, valueScaleTheta } from "../engine/distributions/value-scale.js";
import { InputError } from "../engine/errors.js";
import { integrate } from "../engine/numerics/quadrature.js";
import { expectClose } from "./helpers/close.js";

const EPS = 2.220446049250313e-16;
const SIGMAS = [0.1, 0.25, 0.5, 0.75, 0.9];

function continuous(d: TypeDistribution): ContinuousDistribution {
  if (d.discrete) throw new Error(`${d.label} is discrete`);
  return d;
}

function ts(n: number, min: number, max: number): number[] {
  return Array.from({ length: n - 1 }, (_, i) => min + ((max - min) * (i + 1)) / n);
}

/**
 * f_θ integrates to the increments of F_θ: ∫_a^b f_θ = F_θ(b) − F_θ(a) (no finite differences).
 * `endpoints` clusters the quadrature nodes at the ends of each piece: for a density that
 * behaves like a power of the distance to a corner (f_θ ~ (θ_max − θ)^0.7 below), plain
 * bisection towards the corner costs 4–6 times as many evaluations of f_θ.
 */
function expectPdfIntegratesToCdf(d: ContinuousDistribution, cuts: number[], rtol: number, name: string, endpoints = false): void {
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    const integral = integrate((x) => d.pdf(x), a, b, { epsrel: 1e-12, endpoints });
    expectClose(integral, d.cdf(b) - d.cdf(a), rtol, 1e-15, `${name}: ∫ pdf over [${a}, ${b}]`);
  }
}

describe("check value: w, s ~ U[0, 1]", () => {
  const U = uniform(0, 1, "w");
  const t_s = [...ts(100, 0, 1), 1e-8, 1e-4, 0.999, 0.99999];

  for (const sigma of SIGMAS) {
    const d = continuous(valueScale(U, uniform(0, 1, "s"), sigma, "buyers.valueScale"));
    const p = 1 / (1 - sigma);
    const q = sigma / (1 - sigma);
    // written without cancellation: both terms of F are positive, 1 − t^q = −expm1(q log t)
    const F = (t: number) => Math.pow(t, p) + (t - Math.pow(t, p)) / sigma;
    const f = (t: number) => -Math.expm1(q * Math.log(t)) / sigma;
    // 1 − F = ∫_0^{1−t} f(1 − y) dy, integrand evaluated through log1p(−y): no cancellation
    const S = (t: number) => integrate((y) => -Math.expm1(q * Math.log1p(-y)) / sigma, 0, 1 - t, { epsrel: 1e-14 });

    it(`σ = ${sigma}: F_θ and f_θ to 1e-12 relative, 1 − F_θ to 1e-12 or its backward-stable floor`, () => {
      expect([d.min, d.max]).toEqual([0, 1]);
      for (const t of t_s) {
        expectClose(d.cdf(t), F(t), 1e-12, 0, `σ ${sigma} cdf(${t})`);
        // f_θ to 1e-12, or to what moving t by 64 ulps changes it (f' = −(q/σ) t^(q−1)): the
        // integrand sees t s^(σ−1) rounded to a double
        expectClose(d.pdf(t), f(t), 1e-12, 64 * EPS * t * (q / sigma) * Math.pow(t, q - 1), `σ ${sigma} pdf(${t})`);
        // near θ_max = 1, 1 − F ~ (1 − t)² while the argument t is exact only to eps: an error of
        // 64·eps·t·f(t) is the effect of moving t by 64 ulps (the documented floor)
        expectClose(d.sf(t), S(t), 1e-12, 64 * EPS * t * f(t), `σ ${sigma} sf(${t})`);
        expectClose(d.virtualType(t), t - S(t) / f(t), 1e-11, 1e-13, `σ ${sigma} h(${t})`);
      }
      expectClose(d.pdf(0), 1 / sigma, 1e-12, 0, `σ ${sigma} pdf(0) = lim f_θ = 1/σ`);
    });

    it(`σ = ${sigma}: quantile inverts F to 1e-12, ∫ f_θ = 1`, () => {
      for (const u of [1e-10, 0.01, 0.2, 0.5, 0.8, 0.99, 1 - 1e-10]) {
        const x = d.quantile(u);
        const lo = u <= 0.5 ? d.cdf(x - 1e-12) : 1 - d.sf(x - 1e-12);
        const hi = u <= 0.5 ? d.cdf(x + 1e-12) : 1 - d.sf(x + 1e-12);
        expect(lo <= u && u <= hi, `σ ${sigma}: quantile(${u}) = ${x}, F(x ∓ 1e-12) = [${lo}, ${hi}]`).toBe(true);
      }
      expectClose(integrate((t) => d.pdf(t), 0, 1, { epsrel: 1e-12 }), 1, 1e-11, 0, `σ ${sigma} ∫ pdf`);
    });
  }

  it("valueScaleTheta(w, s, σ) = w s^(1−σ)", () => {
    expect(valueScaleTheta(2, 0.25, 0.5)).toBe(1);
    expect(valueScaleTheta(3, 1, 0.3)).toBe(3);
    expectClose(valueScaleTheta(1.5, 0.2, 0.6), 1.5 * Math.pow(0.2, 0.4), 1e-15, 0, "θ");
  });
});

describe("other continuous pairs against an integral over w instead of s", () => {
  // F_θ(t) = ∫ F_s((t/w)^(1/k)) dF_w(w): the other order of integration, computed independently,
  // split where (t/w)^(1/k) leaves s's support (an adaptive rule can step over such kinks)
  function viaW(w: ContinuousDistribution, s: ContinuousDistribution, sigma: number, t: number): number {
    const k = 1 - sigma;
    const f = (x: number) => (x > 0 ? s.cdf(Math.pow(t / x, 1 / k)) * w.pdf(x) : w.pdf(x));
    const cuts = [w.min, t / Math.pow(s.max, k), s.min > 0 ? t / Math.pow(s.min, k) : Infinity, w.max]
      .filter((x) => x >= w.min && x <= w.max)
      .sort((a, b) => a - b);
    let total = 0;
    for (let i = 0; i + 1 < cuts.length; i++) total += integrate(f, cuts[i], cuts[i + 1], { epsrel: 1e-13 });
    return total;
  }

  const cases: [string, ContinuousDistribution, ContinuousDistribution, number][] = [
    ["beta(2,3) w, U[0.2,1] s", beta(2, 3, 0, 2, "w"), uniform(0.2, 1, "s"), 0.4],
    ["lognormal w, beta(3,2) s", truncLognormal(0, 0.5, 0.3, 3, "w"), beta(3, 2, 0, 1, "s"), 0.6],
    ["U[1,2] w, U[0.5,1] s (θ_min > 0)", uniform(1, 2, "w"), uniform(0.5, 1, "s"), 0.3],
  ];
  for (const [name, w, s, sigma] of cases) {
    it(`${name}, σ = ${sigma}: F_θ to 1e-11; cdf + sf = 1; ∫ f_θ = ΔF_θ to 1e-10`, () => {
      const d = continuous(valueScale(w, s, sigma, "buyers.valueScale"));
      expectClose(d.min, w.min * Math.pow(s.min, 1 - sigma), 1e-15, 0, "θ_min");
      expectClose(d.max, w.max * Math.pow(s.max, 1 - sigma), 1e-15, 0, "θ_max");
      for (const t of ts(24, d.min, d.max)) {
        expectClose(d.cdf(t), viaW(w, s, sigma, t), 1e-11, 1e-15, `${name} cdf(${t})`);
        expectClose(d.cdf(t) + d.sf(t), 1, 0, 4 * EPS, `${name} cdf + sf at ${t}`);
      }
      // f_θ has kinks where t/w_max or t/w_min crosses s's ends: cut there
      const kinks = [w.max * Math.pow(s.min, 1 - sigma), w.min * Math.pow(s.max, 1 - sigma)].filter((x) => x > d.min && x < d.max);
      const cuts = [...ts(12, d.min, d.max), ...kinks, d.min, d.max].sort((a, b) => a - b);
      expectPdfIntegratesToCdf(d, cuts, 1e-10, name);
    });
  }
});

describe("singular component densities (beta with shapes < 1)", () => {
  it("w ~ U[0,1], s ~ Beta(1/2, 1/2): F_θ matches the integral over w; ∫ f_θ = 1; h finite", () => {
    const w = uniform(0, 1, "w");
    const s = beta(0.5, 0.5, 0, 1, "s");
    const sigma = 0.5;
    const d = continuous(valueScale(w, s, sigma, "v"));
    for (const t of [...ts(20, 0, 1), 0.999, 0.999999]) {
      // F_θ(t) = ∫ F_s((t/x)²) dx over w ∈ [0, 1]: F_s(y) = (2/π) asin(√y), smooth in x
      const g = (x: number) => (2 / Math.PI) * Math.asin(Math.sqrt(Math.min(1, (t / x) ** 2)));
      const ref = integrate(g, 0, t, { epsrel: 1e-13 }) + integrate(g, t, 1, { epsrel: 1e-13 });
      expectClose(d.cdf(t), ref, 1e-11, 1e-15, `cdf(${t})`);
      expect(Number.isFinite(d.virtualType(t)), `h(${t})`).toBe(true);
    }
    // ∫ f_θ over pieces (f_θ is infinite at θ = 1 where both singular ends meet)
    const total = integrate((t) => d.pdf(t), 0, 0.5, { epsrel: 1e-12 }) + integrate((t) => d.pdf(t), 0.5, 1, { epsrel: 1e-10 });
    expectClose(total, 1, 1e-9, 0, "∫ pdf");
  });

  it("w ~ Beta(3, 0.7) on [1, 3] (f_w infinite at w_max), s ~ U[0, 1]: ∫ f_θ = ΔF_θ up to the corner", () => {
    const d = continuous(valueScale(beta(3, 0.7, 1, 3, "w"), uniform(0, 1, "s"), 0.2, "v"));
    // θ = 1 = w_min·s_max^k is a kink of f_θ. Near both ends f_θ is a power of the distance
    // (t^(1/k − 1) at 0, (3 − t)^0.7 at 3): nodes clustered at the ends (see the helper). Each
    // f_θ is itself a quadrature over s, so the number of outer evaluations is the cost: 1980
    // evaluations and 9.5 s (101 s on a busy machine) before, 930 and about 2 s now.
    expectPdfIntegratesToCdf(d, [0, 0.01, 0.5, 1, 2, 2.9, 2.99, 2.9999, 3], 1e-9, "beta(3, 0.7) w", true);
  });
});

describe("discrete s or w: sums instead of integrals", () => {
  it("discrete s, w ~ U[0,1]: F_θ(t) = Σ p_j min(1, t s_j^(−k))", () => {
    const sigma = 0.4;
    const k = 1 - sigma;
    const sv = [0.25, 0.5, 1];
    const sp = [0.2, 0.3, 0.5];
    const d = continuous(valueScale(uniform(0, 1, "w"), discrete(sv, sp, "s"), sigma, "v"));
    expect([d.min, d.max]).toEqual([0, 1]);
    for (const t of ts(40, 0, 1)) {
      const F = sv.reduce((acc, s, j) => acc + sp[j] * Math.min(1, t * Math.pow(s, -k)), 0);
      const f = sv.reduce((acc, s, j) => acc + (t * Math.pow(s, -k) <= 1 ? sp[j] * Math.pow(s, -k) : 0), 0);
      expectClose(d.cdf(t), F, 1e-14, 1e-16, `cdf(${t})`);
      expectClose(d.pdf(t), f, 1e-14, 0, `pdf(${t})`);
      expectClose(d.cdf(t) + d.sf(t), 1, 0, 4 * EPS, `cdf + sf at ${t}`);
    }
  });

  it("discrete w > 0, s ~ U[0,1]: F_θ(t) = Σ q_i min(1, (t/w_i)^(1/k))", () => {
    const sigma = 0.5;
    const k = 1 - sigma;
    const wv = [0.5, 1, 2];
    const wp = [0.5, 0.25, 0.25];
    const d = continuous(valueScale(discrete(wv, wp, "w"), uniform(0, 1, "s"), sigma, "v"));
    expect([d.min, d.max]).toEqual([0, 2]);
    for (const t of ts(41, 0, 2)) {
      const F = wv.reduce((acc, w, i) => acc + wp[i] * Math.min(1, Math.pow(t / w, 1 / k)), 0);
      const f = wv.reduce((acc, w, i) => acc + (t < w ? (wp[i] * Math.pow(t / w, 1 / k)) / (k * t) : 0), 0);
      expectClose(d.cdf(t), F, 1e-14, 1e-16, `cdf(${t})`);
      expectClose(d.pdf(t), f, 1e-13, 0, `pdf(${t})`);
    }
    const x = d.quantile(0.3);
    expectClose(d.cdf(x), 0.3, 1e-13, 0, "cdf(quantile(0.3))");
  });

  it("both discrete: atoms w_i s_j^(1−σ) with probabilities q_i p_j, equal θ merged", () => {
    const d = valueScale(discrete([1, 2], [0.5, 0.5], "w"), discrete([0.25, 1], [0.5, 0.5], "s"), 0.5, "v");
    expect(d.discrete).toBe(true);
    if (!d.discrete) return;
    // 1·0.5, 2·0.5 = 1, 1·1 = 1, 2·1 = 2  →  {0.5: 1/4, 1: 1/2, 2: 1/4}
    expect(Array.from(d.values)).toEqual([0.5, 1, 2]);
    expect(Array.from(d.probs)).toEqual([0.25, 0.5, 0.25]);
  });
});

describe("validation", () => {
  const U = uniform(0, 1, "w");
  function pathOf(fn: () => unknown): string {
    try {
      fn();
    } catch (e) {
      if (e instanceof InputError) return e.path;
      throw e;
    }
    return "(no error)";
  }
  it("rejects σ ∉ (0, 1), s outside (0, 1], negative w, an atom of w at 0 with continuous s", () => {
    expect(pathOf(() => valueScale(U, U, 1, "buyers.valueScale"))).toBe("technology.sigma");
    expect(pathOf(() => valueScale(U, U, 0, "buyers.valueScale"))).toBe("technology.sigma");
    expect(pathOf(() => valueScale(U, uniform(0, 2, "s"), 0.5, "buyers.valueScale"))).toBe("buyers.valueScale.s");
    expect(pathOf(() => valueScale(U, discrete([0, 1], [0.5, 0.5], "s"), 0.5, "buyers.valueScale"))).toBe("buyers.valueScale.s");
    expect(pathOf(() => valueScale(uniform(-1, 1, "w"), U, 0.5, "buyers.valueScale"))).toBe("buyers.valueScale.w");
    expect(pathOf(() => valueScale(discrete([0, 1], [0.5, 0.5], "w"), U, 0.5, "buyers.valueScale"))).toBe("buyers.valueScale.w");
  });
});
