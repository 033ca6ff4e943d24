// Baseline fine-tuning technologies (numerical cost minimization, docs/model.md section 1):
// - Φ = (b + Σ α̂ z)^γ against docs/model.md's closed form on both sides of Q_b (1e-11), C' against
//   the closed-form derivative (1e-11) and a central difference (1e-7), monotonicity and
//   convexity, budgets (Ψ(X)Φ(Z) = Q, spend = C), the inverse of C' (1e-12);
// - Φ = Π (b_k + z_k)^(γ_k) against the one-class baseline (1e-12) and against an independent
//   brute-force coordinate-descent minimization written here (1e-8), plus fast-check properties.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TechnologySpec } from "../engine/scenario/spec-types.js";
import { buildTechnology } from "../engine/technology/from-spec.js";
import { close } from "./helpers/close.js";

interface Params {
  sigma: number;
  gamma: number;
  b: number;
  /** task tokens: one class at this cost gives e_X = cX; two classes exercise the CES mix */
  tokens: { rho: number; classes: { name: string; alpha: number; cost: number }[] };
  ft: { name: string; alpha: number; cost: number }[];
}

const PARAMS: Params[] = [
  {
    sigma: 0.5,
    gamma: 0.3,
    b: 0.5,
    tokens: { rho: 0.5, classes: [{ name: "input", alpha: 0.4, cost: 0.1 }, { name: "output", alpha: 0.6, cost: 0.3 }] },
    ft: [{ name: "sft", alpha: 1, cost: 0.2 }],
  },
  {
    sigma: 0.2,
    gamma: 0.7,
    b: 3,
    tokens: { rho: -2, classes: [{ name: "in", alpha: 0.5, cost: 1 }, { name: "out", alpha: 0.5, cost: 4 }] },
    ft: [{ name: "sft", alpha: 0.3, cost: 0.9 }, { name: "rl", alpha: 0.7, cost: 1.4 }], // ĉ/α̂ = 3, 2
  },
  {
    sigma: 0.8,
    gamma: 0.1,
    b: 1e-3,
    tokens: { rho: 0, classes: [{ name: "x", alpha: 1, cost: 2 }] },
    ft: [{ name: "a", alpha: 0.5, cost: 5 }, { name: "b", alpha: 0.5, cost: 5 }], // tie
  },
];

function baselineSpec(p: Params): TechnologySpec {
  return { sigma: p.sigma, tokens: p.tokens, fineTuning: { kind: "baseline", gamma: p.gamma, b: p.b, classes: p.ft } };
}

/** docs/model.md's closed form for Φ = (b + z)^γ with e_Z = min ĉ/α̂. */
function closedForm(p: Params, eX: number) {
  const { sigma, gamma, b } = p;
  const eZ = Math.min(...p.ft.map((c) => c.cost / c.alpha));
  const eta = sigma + gamma;
  const kappa = eta * Math.pow(eX / sigma, sigma / eta) * Math.pow(eZ / gamma, gamma / eta);
  const Qb = Math.pow((Math.pow(b, eta / sigma) * eZ * sigma) / (eX * gamma), sigma);
  return {
    eZ,
    Qb,
    cost: (Q: number) => (Q <= Qb ? eX * Math.pow(Q * Math.pow(b, -gamma), 1 / sigma) : kappa * Math.pow(Q, 1 / eta) - eZ * b),
    marginal: (Q: number) =>
      Q <= Qb ? (eX / sigma) * Math.pow(b, -gamma / sigma) * Math.pow(Q, 1 / sigma - 1) : (kappa / eta) * Math.pow(Q, 1 / eta - 1),
  };
}

function psi(p: Params, X: ArrayLike<number>): number {
  const { rho, classes } = p.tokens;
  if (rho === 0) return Math.exp(p.sigma * classes.reduce((s, c, j) => s + c.alpha * Math.log(X[j]), 0));
  return Math.pow(classes.reduce((s, c, j) => s + c.alpha * Math.pow(X[j], rho), 0), p.sigma / rho);
}

const FACTORS = [1e-12, 1e-3, 0.1, 0.5, 0.999, 1 - 1e-9, 1, 1 + 1e-9, 1.001, 2, 10, 1e3, 1e12];

describe("baseline fine-tuning (b + Σ α̂ z)^γ", () => {
  for (const [i, p] of PARAMS.entries()) {
    const tech = buildTechnology(baselineSpec(p));
    const cf = closedForm(p, tech.eX);

    it(`case ${i}: C matches docs/model.md's closed form on both sides of Q_b and at Q_b (1e-11)`, () => {
      expect(tech.kind).toBe("baseline");
      expect(Number.isNaN(tech.kappa)).toBe(true);
      close(tech.eZ, cf.eZ, 1e-15, "eZ = min ĉ/α̂");
      for (const f of FACTORS) {
        const Q = cf.Qb * f;
        close(tech.cost(Q), cf.cost(Q), 1e-11, { case: i, Q, Qb: cf.Qb, factor: f });
      }
    });

    it(`case ${i}: C' matches the closed-form derivative (1e-11) and a central difference (1e-7); C'(0) = 0`, () => {
      for (const f of FACTORS) {
        const Q = cf.Qb * f;
        close(tech.marginalCost(Q), cf.marginal(Q), 1e-11, { case: i, Q, factor: f });
        if (Math.abs(f - 1) > 1e-3) {
          const h = 1e-5 * Q;
          close(tech.marginalCost(Q), (tech.cost(Q + h) - tech.cost(Q - h)) / (2 * h), 1e-7, { case: i, Q, check: "FD" });
        }
      }
      expect(tech.cost(0)).toBe(0);
      expect(tech.marginalCost(0)).toBe(0);
      // C'(Q) ~ Q^(1/σ − 1) → 0 as Q → 0
      close(tech.marginalCost(cf.Qb * 1e-200), cf.marginal(cf.Qb * 1e-200), 1e-11, { case: i, Q: cf.Qb * 1e-200 });
    });

    it(`case ${i}: C strictly increasing and strictly convex over 40 orders of magnitude`, () => {
      let prevC = 0;
      let prevM = 0;
      for (let e = -20; e <= 20; e += 0.05) {
        const Q = cf.Qb * Math.pow(10, e);
        const C = tech.cost(Q);
        const M = tech.marginalCost(Q);
        if (!(C > prevC && M > prevM)) throw new Error(`case ${i}: not increasing/convex at Q=${Q}: C ${prevC} → ${C}, C' ${prevM} → ${M}`);
        prevC = C;
        prevM = M;
      }
    });

    it(`case ${i}: budgets produce Q at cost C(Q), no fine-tuning below Q_b, only the cheapest class above (1e-11)`, () => {
      const X = new Float64Array(p.tokens.classes.length);
      const Z = new Float64Array(p.ft.length);
      for (const f of FACTORS) {
        const Q = cf.Qb * f;
        tech.budgets(Q, X, Z);
        const Zagg = p.ft.reduce((s, c, k) => s + c.alpha * Z[k], 0);
        const spend = p.tokens.classes.reduce((s, c, j) => s + c.cost * X[j], 0) + p.ft.reduce((s, c, k) => s + c.cost * Z[k], 0);
        const ctx = { case: i, Q, factor: f, X: Array.from(X), Z: Array.from(Z) };
        close(psi(p, X) * Math.pow(p.b + Zagg, p.gamma), Q, 1e-11, { ...ctx, check: "Ψ(X)Φ(Z) = Q" });
        close(spend, tech.cost(Q), 1e-11, { ...ctx, check: "spend = C(Q)" });
        if (f <= 1) expect(Zagg, JSON.stringify(ctx)).toBeLessThanOrEqual(1e-9 * p.b);
        else expect(Zagg).toBeGreaterThan(0);
        for (let k = 0; k < p.ft.length; k++) {
          if (p.ft[k].cost / p.ft[k].alpha > cf.eZ) expect(Z[k]).toBe(0);
        }
      }
      if (i === 2) {
        tech.budgets(cf.Qb * 10, X, Z);
        expect(Z[0]).toBe(Z[1]); // tied classes: equal quantities
      }
    });

    it(`case ${i}: qualityForMarginalCost inverts C' (1e-12) over 60 orders of magnitude of Q`, () => {
      for (let e = -30; e <= 30; e += 0.5) {
        const Q = cf.Qb * Math.pow(10, e);
        close(tech.qualityForMarginalCost(tech.marginalCost(Q)), Q, 1e-12, { case: i, Q });
      }
      expect(tech.qualityForMarginalCost(0)).toBe(0);
      expect(tech.qualityForMarginalCost(-3)).toBe(0);
    });
  }

  it("property: closed form holds for random parameters and qualities (1e-11)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 0.9, noNaN: true }),
        fc.double({ min: 0.02, max: 0.98, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: -6, max: 6, noNaN: true }),
        (sigma, gFrac, logB, cX, cZ, logF) => {
          const gamma = gFrac * (0.99 - sigma);
          const p: Params = {
            sigma,
            gamma,
            b: Math.pow(10, logB),
            tokens: { rho: 0.5, classes: [{ name: "x", alpha: 1, cost: cX }] },
            ft: [{ name: "z", alpha: 1, cost: cZ }],
          };
          const tech = buildTechnology(baselineSpec(p));
          const cf = closedForm(p, tech.eX);
          const Q = cf.Qb * Math.pow(10, logF);
          close(tech.cost(Q), cf.cost(Q), 1e-11, { p, Q, check: "cost" });
          close(tech.marginalCost(Q), cf.marginal(Q), 1e-11, { p, Q, check: "marginal" });
          // C'(Q) behaves like Q^(1/σ − 1): computing it costs ~|(1/σ) ln Q| ulps (pow), and
          // inverting multiplies relative errors by up to η/(1 − η) (19 for η = 0.95). The round
          // trip is judged at that error bound, never looser than needed.
          const cond = Math.max(1, tech.eta / (1 - tech.eta));
          const powUlps = 1 + Math.abs(Math.log(Q)) / p.sigma;
          close(tech.qualityForMarginalCost(tech.marginalCost(Q)), Q, Math.max(1e-12, 16 * cond * powUlps * 2.22e-16), { p, Q, check: "inverse" });
        },
      ),
      { numRuns: 300 },
    );
  });
});

interface PerClass {
  sigma: number;
  eX: number;
  classes: { name: string; cost: number; b: number; gamma: number }[];
}

function perClassSpec(p: PerClass): TechnologySpec {
  return {
    sigma: p.sigma,
    tokens: { rho: 1, classes: [{ name: "x", alpha: 1, cost: p.eX }] },
    fineTuning: { kind: "baselinePerClass", classes: p.classes },
  };
}

/**
 * Brute force: cyclic coordinate descent on f(z) = e_X (Q/Φ(z))^(1/σ) + Σ ĉ z over z ≥ 0, each
 * coordinate minimized exactly by bisection on its (monotone) partial derivative. Independent
 * of the engine's reduction to the scalar μ.
 */
function bruteForce(p: PerClass, Q: number): { cost: number; z: number[] } {
  const K = p.classes.length;
  const z = new Array<number>(K).fill(0);
  const logPhi = () => p.classes.reduce((s, c, k) => s + c.gamma * Math.log(c.b + z[k]), 0);
  const f = () => p.eX * Math.exp((Math.log(Q) - logPhi()) / p.sigma) + p.classes.reduce((s, c, k) => s + c.cost * z[k], 0);
  const dfdz = (k: number, zk: number) => {
    const saved = z[k];
    z[k] = zk;
    const spend = p.eX * Math.exp((Math.log(Q) - logPhi()) / p.sigma);
    z[k] = saved;
    return p.classes[k].cost - ((p.classes[k].gamma / p.sigma) * spend) / (p.classes[k].b + zk);
  };
  let prev = Infinity;
  for (let sweep = 0; sweep < 100000; sweep++) {
    for (let k = 0; k < K; k++) {
      if (dfdz(k, 0) >= 0) {
        z[k] = 0;
        continue;
      }
      let lo = 0;
      let hi = Math.max(1, 2 * z[k]);
      while (dfdz(k, hi) < 0) hi *= 2;
      for (let it = 0; it < 200 && hi - lo > 1e-17 * hi; it++) {
        const mid = 0.5 * (lo + hi);
        if (dfdz(k, mid) < 0) lo = mid;
        else hi = mid;
      }
      z[k] = 0.5 * (lo + hi);
    }
    const val = f();
    if (prev - val <= 1e-16 * val && sweep > 2) return { cost: val, z: [...z] };
    prev = val;
  }
  throw new Error(`brute force did not converge for ${JSON.stringify({ p, Q })}`);
}

describe("per-class baseline fine-tuning Π (b_k + z_k)^(γ_k)", () => {
  it("with one class it agrees with the baseline technology to 1e-12 (cost, C', inverse, budgets)", () => {
    for (const p of PARAMS) {
      const one = { ...p, ft: [{ name: "sft", alpha: 1, cost: p.ft[0].cost }] };
      const base = buildTechnology(baselineSpec(one));
      const per = buildTechnology({
        sigma: p.sigma,
        tokens: p.tokens,
        fineTuning: { kind: "baselinePerClass", classes: [{ name: "sft", cost: p.ft[0].cost, b: p.b, gamma: p.gamma }] },
      });
      expect(per.kind).toBe("baselinePerClass");
      expect(per.gamma).toBe(p.gamma);
      expect(per.eX).toBe(base.eX);
      const Qb = closedForm(one, base.eX).Qb;
      const Xb = new Float64Array(p.tokens.classes.length);
      const Xp = new Float64Array(p.tokens.classes.length);
      const Zb = new Float64Array(1);
      const Zp = new Float64Array(1);
      for (let e = -12; e <= 12; e += 0.25) {
        const Q = Qb * Math.pow(10, e);
        const ctx = { p: one, Q };
        close(per.cost(Q), base.cost(Q), 1e-12, { ...ctx, f: "cost" });
        close(per.marginalCost(Q), base.marginalCost(Q), 1e-12, { ...ctx, f: "marginalCost" });
        const m = base.marginalCost(Q);
        close(per.qualityForMarginalCost(m), base.qualityForMarginalCost(m), 1e-12, { ...ctx, f: "qualityForMarginalCost" });
        base.budgets(Q, Xb, Zb);
        per.budgets(Q, Xp, Zp);
        for (let j = 0; j < Xb.length; j++) close(Xp[j], Xb[j], 1e-12, { ...ctx, f: "X", j });
        // Z is b + Z − b: near Q_b only its absolute error ~1e-16·b is meaningful
        close(Zp[0], Zb[0], 1e-12, { ...ctx, f: "Z" }, 1e-14 * p.b);
      }
    }
  });

  const perCases: PerClass[] = [
    { sigma: 0.4, eX: 1, classes: [{ name: "a", cost: 0.5, b: 1, gamma: 0.2 }, { name: "b", cost: 2, b: 0.1, gamma: 0.3 }] },
    {
      sigma: 0.15,
      eX: 0.3,
      classes: [
        { name: "a", cost: 1, b: 2, gamma: 0.4 },
        { name: "b", cost: 0.05, b: 0.01, gamma: 0.1 },
        { name: "c", cost: 3, b: 5, gamma: 0.3 },
      ],
    },
  ];

  it("agrees with brute-force coordinate descent to 1e-8 across the regimes where classes switch on", () => {
    for (const p of perCases) {
      const tech = buildTechnology(perClassSpec(p));
      const Z = new Float64Array(p.classes.length);
      const X = new Float64Array(1);
      const activeCounts = new Set<number>();
      for (let e = -4; e <= 8; e += 0.5) {
        const Q = Math.pow(10, e);
        const bf = bruteForce(p, Q);
        const ctx = { p, Q, brute: bf };
        close(tech.cost(Q), bf.cost, 1e-8, ctx);
        expect(tech.cost(Q)).toBeLessThanOrEqual(bf.cost * (1 + 1e-14));
        tech.budgets(Q, X, Z);
        for (let k = 0; k < Z.length; k++) close(Z[k], bf.z[k], 1e-5, { ...ctx, k }, 1e-6 * p.classes[k].b);
        activeCounts.add(Array.from(Z).filter((z) => z > 0).length);
        // budgets: Ψ(X)Φ(Z) = Q and spend = C
        const phi = p.classes.reduce((s, c, k) => s * Math.pow(c.b + Z[k], c.gamma), 1);
        close(Math.pow(X[0], p.sigma) * phi, Q, 1e-11, { ...ctx, check: "Ψ(X)Φ(Z) = Q" });
        close(p.eX * X[0] + p.classes.reduce((s, c, k) => s + c.cost * Z[k], 0), tech.cost(Q), 1e-11, { ...ctx, check: "spend" });
      }
      // the grid crosses every regime: none, some and all classes bought
      expect(activeCounts.has(0) && activeCounts.has(p.classes.length) && activeCounts.size >= 3).toBe(true);
    }
  });

  it("property: random per-class technologies agree with brute force (1e-8); C' = FD (1e-6); inverse (1e-12)", () => {
    const cls = fc.record({
      cost: fc.double({ min: 0.01, max: 10, noNaN: true }),
      b: fc.double({ min: 0.01, max: 10, noNaN: true }),
      w: fc.double({ min: 0.05, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 0.8, noNaN: true }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.array(cls, { minLength: 1, maxLength: 3 }),
        fc.double({ min: -3, max: 6, noNaN: true }),
        (sigma, gFrac, eX, raw, logQ) => {
          const total = raw.reduce((s, c) => s + c.w, 0);
          const gammaTotal = gFrac * (0.97 - sigma);
          const p: PerClass = {
            sigma,
            eX,
            classes: raw.map((c, k) => ({ name: `k${k}`, cost: c.cost, b: c.b, gamma: (gammaTotal * c.w) / total })),
          };
          const tech = buildTechnology(perClassSpec(p));
          const Q = Math.pow(10, logQ);
          const bf = bruteForce(p, Q);
          close(tech.cost(Q), bf.cost, 1e-8, { p, Q, check: "brute force" });
          const h = 1e-5 * Q;
          close(tech.marginalCost(Q), (tech.cost(Q + h) - tech.cost(Q - h)) / (2 * h), 1e-6, { p, Q, check: "FD" });
          close(tech.qualityForMarginalCost(tech.marginalCost(Q)), Q, 1e-12, { p, Q, check: "inverse" });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("is strictly increasing and convex with C'(0) = 0", () => {
    for (const p of perCases) {
      const tech = buildTechnology(perClassSpec(p));
      expect(tech.marginalCost(0)).toBe(0);
      let prevC = 0;
      let prevM = 0;
      for (let e = -30; e <= 30; e += 0.1) {
        const Q = Math.pow(10, e);
        const C = tech.cost(Q);
        const M = tech.marginalCost(Q);
        if (!(C > prevC && M > prevM)) throw new Error(`not increasing/convex at Q=${Q}: C ${prevC} → ${C}, C' ${prevM} → ${M}`);
        prevC = C;
        prevM = M;
      }
    }
  });
});

describe("the kink of the quality at Q_b, where fine-tuning starts (a test author's σ = 0.05 monopolies)", () => {
  // One token class (ρ = 1) at c_X and one fine-tuning class at c_Z: below Q_b no fine-tuning,
  // C = c_X (Q b^(−γ))^(1/σ); above, C = κ Q^(1/η) − c_Z b, κ = η (c_X/σ)^(σ/η) (c_Z/γ)^(γ/η);
  // Q_b = (b^(η/σ) c_Z σ/(c_X γ))^σ. C' is continuous at Q_b and C'' jumps, so the quality a type
  // gets has a kink at the type whose virtual type is C'(Q_b): the profit integral stepped over it
  // and was off by 1e-9 of profit while reported "certified, gap 0", and the envelope check's rent
  // integral failed a menu that was exact.
  const tech = (gamma: number, b: number, cX: number, cZ: number) => ({
    sigma: 0.05,
    tokens: { rho: 1, classes: [{ name: "x", alpha: 1, cost: cX }] },
    fineTuning: { kind: "baseline" as const, gamma, b, classes: [{ name: "z", alpha: 1, cost: cZ }] },
  });
  /** the monopoly's profit on θ ~ U[0, 1] (h = 2θ − 1) in closed form, split at h_b = C'(Q_b) */
  function closedProfit(gamma: number, b: number, cX: number, cZ: number): { profit: number; hb: number } {
    const sigma = 0.05;
    const eta = sigma + gamma;
    const kappa = eta * Math.pow(cX / sigma, sigma / eta) * Math.pow(cZ / gamma, gamma / eta);
    const Qb = Math.pow((Math.pow(b, eta / sigma) * cZ * sigma) / (cX * gamma), sigma);
    const hb = (kappa / eta) * Math.pow(Qb, 1 / eta - 1);
    const s = sigma / (1 - sigma);
    const A = Math.pow((sigma * Math.pow(b, gamma / sigma)) / cX, s); // Q = A h^s below h_b
    const m = eta / (1 - eta);
    const B = Math.pow(eta / kappa, m); // Q = B h^m above
    const lower = hb >= 1 ? 1 : hb;
    const I1 = ((A - cX * Math.pow(b, -gamma / sigma) * Math.pow(A, 1 / sigma)) * Math.pow(lower, s + 2)) / (s + 2);
    const I2 = hb >= 1 ? 0 : ((B - kappa * Math.pow(B, 1 / eta)) * (1 - Math.pow(hb, m + 2))) / (m + 2) + cZ * b * (1 - hb);
    return { profit: 0.5 * (I1 + I2), hb };
  }
  const cases: [number, number, number, number][] = [
    [0.2298926635980606, 2.844848134077681, 0.05, 0.05],
    [0.15398115903139112, 0.7211850609975222, 0.05, 0.09801685858883191],
    [0.018, 0.05632522225524144, 0.05, 0.05],
  ];

  it("the technology names C'(Q_b) as its kink: C'' jumps there (log C' has slope 1/σ − 1 below, 1/η − 1 above)", () => {
    for (const [gamma, b, cX, cZ] of cases) {
      const c = buildTechnology(tech(gamma, b, cX, cZ) as unknown as TechnologySpec);
      const { hb } = closedProfit(gamma, b, cX, cZ);
      expect(c.marginalCostKinks).toHaveLength(1);
      close(c.marginalCostKinks![0], hb, 1e-12, `C'(Q_b) at γ = ${gamma}, b = ${b}`);
      const Qb = c.qualityForMarginalCost(hb);
      const slope = (q0: number, q1: number) => Math.log(c.marginalCost(q1) / c.marginalCost(q0)) / Math.log(q1 / q0);
      close(slope(Qb * 0.999, Qb * 0.9999), 1 / 0.05 - 1, 1e-6, "below Q_b");
      close(slope(Qb * 1.0001, Qb * 1.001), 1 / (0.05 + gamma) - 1, 1e-6, "above Q_b");
    }
  });

  it("the monopoly's profit equals its closed form to 1e-13, and its checks pass", async () => {
    const { parseScenario } = await import("../engine/scenario/load.js");
    const { solveScenario } = await import("../solvers/solve.js");
    for (const [gamma, b, cX, cZ] of cases) {
      const s = solveScenario(parseScenario({ name: "kink", buyers: { theta: { dist: "uniform", min: 0, max: 1 } }, technology: tech(gamma, b, cX, cZ), market: { kind: "monopoly" }, grid: { points: 101 } }));
      const { profit, hb } = closedProfit(gamma, b, cX, cZ);
      expect(hb, "the kink lies among the served types").toBeLessThan(1);
      const got = s.scalars.profit as number;
      expect(Math.abs(got - profit) / profit, `γ = ${gamma}, b = ${b}, c_Z = ${cZ}: profit ${got}, closed form ${profit}, tolerance 1e-13`).toBeLessThan(1e-13);
      expect(s.checks.passed, s.checks.failures.join("; ")).toBe(true);
      expect(s.certificate.certified).toBe(true);
    }
  });
});
