// The leader–fringe batch kernel (θ ~ U[a, b], γ_F = 0): every scalar agrees to 1e-12 with the
// engine's closed forms as they were before the kernel (test/helpers/lf-uniform-reference.ts,
// Brent roots) and with the general path (adaptive quadrature), on random parameters; results
// do not depend on the batch a point is in; points outside its domain are declined. In a sweep
// the batch path and the per-point path give the same numbers and statuses, point by point.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { uniform } from "../engine/distributions/uniform.js";
import { solveLeaderFringe } from "../solvers/leader-fringe.js";
import {
  LF_UNIFORM_SCALARS,
  lfUniformColumns,
  OUTSIDE_DOMAIN,
  solveLfUniformBatch,
  SOLVED,
  type LfUniformInputs,
} from "../solvers/leader-fringe-uniform-batch.js";
import { makeSweepContext, solveRange } from "../workers/sweep-point.js";
import { isDiagnosticScalar } from "../solvers/types.js";
import { referenceScalars, type ReferenceInput, type ReferenceScalars } from "./helpers/lf-uniform-reference.js";

const S = LF_UNIFORM_SCALARS.length;
const ALL = lfUniformColumns(LF_UNIFORM_SCALARS);

function inputs(points: readonly ReferenceInput[]): LfUniformInputs {
  const col = (f: (p: ReferenceInput) => number) => Float64Array.from(points, f);
  return {
    n: points.length,
    sigma: col((p) => p.sigma),
    etaL: col((p) => p.etaL),
    cL: col((p) => p.cL),
    cF: col((p) => p.cF),
    thetaMin: col((p) => p.min),
    thetaMax: col((p) => p.max),
  };
}

function solveAll(points: readonly ReferenceInput[]): { values: Float64Array; code: Uint8Array } {
  const values = new Float64Array(points.length * S);
  const code = new Uint8Array(points.length);
  solveLfUniformBatch(inputs(points), { values, stride: S, columns: ALL, code });
  return { values, code };
}

/** |x − y| ≤ rtol·max(|y|, scale) (exact equality for ±∞; NaN agrees with NaN: both overflowed) */
function agree(x: number, y: number, rtol: number, scale = 0): boolean {
  if (x === y || (Number.isNaN(x) && Number.isNaN(y))) return true;
  return Math.abs(x - y) <= rtol * Math.max(Math.abs(y), scale);
}

const MONEY = new Set(["profit", "consumerSurplus", "welfare", "rentOverOutsideOption", "fringeSpend", "leaderSpend"]);

/** Profit and rent are differences of integrals: where they vanish (γ_L = 0 and c_F ≈ c_L, no
 *  rent), both computations are rounding noise, so money is compared on the market's own scale. */
function moneyScale(r: { welfare: number; consumerSurplus: number; fringeSpend: number; leaderSpend: number }): number {
  const m = Math.max(Math.abs(r.welfare), Math.abs(r.consumerSurplus), Math.abs(r.fringeSpend) + Math.abs(r.leaderSpend));
  return Number.isFinite(m) ? m : 0;
}

// σ across (0, 1), γ_L from 0 to nearly 1 − σ, costs over two to three decades, supports at 0 or above.
const params = fc.record({
  sigma: fc.double({ min: 0.03, max: 0.95, noNaN: true }),
  gFrac: fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 0.97, noNaN: true })),
  lnCL: fc.double({ min: -2, max: 2, noNaN: true }),
  lnCF: fc.double({ min: -3, max: 3, noNaN: true }),
  min: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true })),
  width: fc.double({ min: 0.2, max: 4, noNaN: true }),
});
const toInput = (p: { sigma: number; gFrac: number; lnCL: number; lnCF: number; min: number; width: number }): ReferenceInput => ({
  sigma: p.sigma,
  etaL: p.sigma + (1 - p.sigma) * p.gFrac,
  cL: Math.exp(p.lnCL),
  cF: Math.exp(p.lnCF),
  min: p.min,
  max: p.min + p.width,
});

describe("leader–fringe batch kernel", () => {
  it("agrees with the closed forms of the engine before the kernel to 1e-12, every scalar, on random parameters", () => {
    fc.assert(
      fc.property(fc.array(params, { minLength: 50, maxLength: 300 }), (ps) => {
        const points = ps.map(toInput);
        const { values, code } = solveAll(points);
        points.forEach((p, i) => {
          expect(code[i], JSON.stringify(p)).toBe(SOLVED);
          const ref = referenceScalars(p);
          const scale = moneyScale(ref);
          // with η_L near 1 the closed forms before the kernel overflowed in (η/c_L)^r1 or
          // θ_max^(r1+1) where the scalars themselves are doubles (3e301), and a share came from a
          // half-overflowed spend; the kernel forms those products from logarithms: there the
          // thresholds are compared here, the scalars against 50 digits below (lf_uniform_extreme.json)
          const overflowed = ["profit", "consumerSurplus", "rentOverOutsideOption", "leaderSpend"].some((k) => !Number.isFinite(ref[k as keyof ReferenceScalars]));
          LF_UNIFORM_SCALARS.forEach((name, s) => {
            const x = values[i * S + s];
            const y = ref[name as keyof ReferenceScalars];
            if (overflowed && !name.startsWith("theta")) return;
            // thresholds are roots to rounding; the integrals are sums of a few powers
            const rtol = name.startsWith("theta") ? 1e-14 : 1e-12;
            expect(agree(x, y, rtol, MONEY.has(name) ? scale : 0), `${name}: kernel ${x}, before ${y} at ${JSON.stringify(p)}`).toBe(true);
          });
        });
      }),
      { numRuns: 25, seed: 15 },
    );
  });

  it("overflows where the closed forms before it overflowed, and agrees wherever they gave a number", () => {
    const base: ReferenceInput = { sigma: 0.5, etaL: 0.8, cL: 0.3, cF: 0.2, min: 0, max: 1 };
    const extremes: ReferenceInput[] = [
      ...[1e-300, 1e-200, 1e-30, 1e10].map((cF) => ({ ...base, cF })),
      ...[0.499, 0.4999, 0.4999999999, 0.4999999999999999].map((g) => ({ ...base, etaL: 0.5 + g })),
      { ...base, sigma: 0.97, etaL: 0.985, cF: 1e-3 },
    ];
    const { values, code } = solveAll(extremes);
    let overflows = 0;
    extremes.forEach((p, i) => {
      expect(code[i]).toBe(SOLVED);
      const ref = referenceScalars(p);
      const scale = moneyScale(ref);
      // Where T = kT θ^p1 overflowed, the closed forms before the kernel also turned some 0·∞
      // into NaN (a zero rent, a zero leader spend) and a NaN total into a spend share of 0;
      // the kernel forms k_D and q̂'s constant from logarithms and may give the limit (0) or NaN
      // there instead. Every number both give agrees, and the profit overflows in both.
      LF_UNIFORM_SCALARS.forEach((name, s) => {
        const x = values[i * S + s];
        const y = ref[name as keyof ReferenceScalars];
        if (!Number.isFinite(x) || !Number.isFinite(y)) return;
        expect(agree(x, y, name.startsWith("theta") ? 1e-14 : 1e-12, MONEY.has(name) ? scale : 0), `${name}: kernel ${x}, before ${y} at ${JSON.stringify(p)}`).toBe(true);
      });
      const profit = LF_UNIFORM_SCALARS.indexOf("profit");
      expect(Number.isFinite(values[i * S + profit]), `profit at ${JSON.stringify(p)}`).toBe(Number.isFinite(ref.profit));
      if (!Number.isFinite(ref.profit)) overflows++;
    });
    expect(overflows).toBeGreaterThan(1);
  });

  it("finds θ_high next to the zero of h, where Brent's bracket had an infinite end", () => {
    // c_L = 1e-280: q^int > q̂ for h above ~1e-280, so θ_high = 1/2 to rounding (the engine
    // before the kernel failed here: its bracket [1/2, 1] had G(1/2) = −∞)
    const { values, code } = solveAll([{ sigma: 0.5, etaL: 0.8, cL: 1e-280, cF: 0.2, min: 0, max: 1 }]);
    expect(code[0]).toBe(SOLVED);
    const root = values[LF_UNIFORM_SCALARS.indexOf("thetaHighRoot")];
    expect(root).toBeGreaterThan(0.5);
    expect(root).toBeLessThanOrEqual(0.5 + 4 * Number.EPSILON);
  });

  it("agrees with the general path (adaptive quadrature, no closed form) to 1e-12", () => {
    const names = ["profit", "consumerSurplus", "welfare", "rentOverOutsideOption", "thetaLow", "thetaHigh", "fringeOnlyShare", "fringeSpend", "leaderSpend", "fringeSpendShare"];
    const ps = fc.sample(params, { numRuns: 14, seed: 151 }).map(toInput);
    // and the benchmark's market at both ends of its sweep (region 2 empty at c_F = 0.05)
    ps.push({ sigma: 0.5, etaL: 0.8, cL: 0.3, cF: 0.05, min: 0, max: 1 }, { sigma: 0.5, etaL: 0.8, cL: 0.3, cF: 0.29, min: 0, max: 1 });
    const { values } = solveAll(ps);
    ps.forEach((p, i) => {
      const general = solveLeaderFringe(
        {
          sigma: p.sigma,
          leader: { name: "leader", gamma: p.etaL - p.sigma, eta: p.etaL, cost: p.cL },
          fringe: { name: "fringe", gamma: 0, eta: p.sigma, cost: p.cF },
          dist: uniform(p.min, p.max, "buyers.theta"),
        },
        { gridPoints: 401, scalarsOnly: true, forceGeneral: true },
      );
      expect(general.solver.method).not.toMatch(/explicit/);
      const scale = moneyScale(general.scalars as never);
      for (const name of names) {
        const x = values[i * S + LF_UNIFORM_SCALARS.indexOf(name as never)];
        const y = general.scalars[name] as number;
        expect(agree(x, y, 1e-12, MONEY.has(name) ? scale : 0), `${name}: kernel ${x}, general path ${y} at ${JSON.stringify(p)}`).toBe(true);
      }
    });
  });

  it("gives the same bits for a point alone, in a batch, and in a batch in another order", () => {
    const ps = fc.sample(params, { numRuns: 200, seed: 152 }).map(toInput);
    const batch = solveAll(ps);
    const reversed = solveAll([...ps].reverse());
    ps.forEach((p, i) => {
      const alone = solveAll([p]).values;
      const back = reversed.values.subarray((ps.length - 1 - i) * S, (ps.length - i) * S);
      const here = batch.values.subarray(i * S, (i + 1) * S);
      expect(Array.from(alone)).toEqual(Array.from(here));
      expect(Array.from(back)).toEqual(Array.from(here));
    });
  });

  it("declines every point outside its domain", () => {
    const ok: ReferenceInput = { sigma: 0.5, etaL: 0.8, cL: 0.3, cF: 0.2, min: 0, max: 1 };
    const bad: Partial<ReferenceInput>[] = [
      { sigma: 0 },
      { sigma: 1 },
      { sigma: NaN },
      { etaL: 0.49 },
      { etaL: 1 },
      { cL: 0 },
      { cL: Infinity },
      { cF: -0.1 },
      { cF: 0 },
      { cF: NaN },
      { min: -0.1 },
      { min: 1 },
      { max: Infinity },
    ];
    const { code } = solveAll([ok, ...bad.map((b) => ({ ...ok, ...b }))]);
    expect(code[0]).toBe(SOLVED);
    for (let i = 1; i < code.length; i++) expect(code[i], JSON.stringify(bad[i - 1])).toBe(OUTSIDE_DOMAIN);
  });
});

describe("a sweep's batch path", () => {
  const scenario = (params: Record<string, unknown>, outputs = ["thetaLow", "thetaHigh", "profit", "fringeSpendShare", "region2Empty", "welfare", "optimalityGap"]) => ({
    name: "lf-batch",
    buyers: { theta: { dist: "uniform", min: 0, max: 1 } },
    technology: { sigma: 0.5 },
    market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } },
    sweep: { params, outputs },
  });

  it("gives the per-point path's numbers and statuses, invalid and non-kernel points included", () => {
    const raw = scenario({
      "technology.sigma": { values: [0.4, 0.5, 1.2] },
      "market.leader.gamma": { values: [0.3, 0, -0.1] },
      "market.fringe.gamma": { values: [0, 0.1] },
      "market.fringe.cost": { values: [0.05, 0.2, -0.1, 0] },
      "buyers.theta.min": { values: [0, 0.3, 2] },
    });
    const fast = makeSweepContext({ raw, outputs: raw.sweep.outputs, curves: [] });
    const slow = makeSweepContext({ raw, outputs: raw.sweep.outputs, curves: [], batchKernel: false });
    expect(fast.kernel).toBeDefined();
    expect(slow.kernel).toBeUndefined();
    const n = fast.grid.size;
    const a = solveRange(fast, 0, n);
    const b = solveRange(slow, 0, n);
    // the same numbers to the rounding of the roots: the batch path starts a point's root
    // finders from the point before's (sweep-kernel.ts WARM_CHAIN), a single solve cold
    expect(a.values.length).toBe(b.values.length);
    for (let i = 0; i < a.values.length; i++) {
      const x = a.values[i];
      const y = b.values[i];
      expect(x === y || (Number.isNaN(x) && Number.isNaN(y)) || Math.abs(x - y) <= 1e-14 * Math.abs(y), `value ${i}: batch ${x}, per point ${y}`).toBe(true);
    }
    expect(a.failedAt).toEqual(b.failedAt);
    expect(a.failedStatus).toEqual(b.failedStatus);
    // valid points: σ < 1, γ_L ≥ 0, c_F > 0 and θ_min < θ_max, 2·2·2·2 with γ_F = 0 (the kernel)
    // and 2·1·2·2 with γ_F = 0.1 ≤ γ_L = 0.3 (the general solver); every other point fails
    expect(n - a.failedAt.length).toBe(24);
    expect(new Set(a.failedStatus.map((s) => s.split(":")[1]))).toEqual(
      new Set([" technology.sigma", " market.leader.gamma", " market.fringe.gamma", " market.fringe.cost", " buyers.theta.min"]),
    );
  });

  it("keeps a point ok whose θ_low formula alone is infinite (γ_L = 0) or overflows (γ_L → 0), its cell empty, on both paths", () => {
    // (3.17): θ_low = (c_F/σ)(c_L/c_F)^(η(1−σ)/(η−σ)), exponent unbounded as η_L → σ; c_L > c_F
    const gammas = [0, 1e-4, 1e-3, 0.3];
    const raw = scenario({ "market.leader.gamma": { values: gammas } }, ["thetaLow", "thetaLowFormula", "profit", "optimalityGap"]);
    for (const batchKernel of [true, false]) {
      const ctx = makeSweepContext({ raw, outputs: raw.sweep.outputs, curves: [], batchKernel });
      expect(ctx.kernel !== undefined).toBe(batchKernel);
      const r = solveRange(ctx, 0, gammas.length);
      expect(r.failedAt, `batch kernel ${batchKernel}: ${r.failedStatus.join("; ")}`).toEqual([]);
      const formula = (i: number) => r.values[i * 4 + 1];
      // γ_L = 0: +∞; 1e-4: (0.3/0.2)^(0.5·0.5001/0.0001) ≈ 10^440 overflows; both empty (NaN)
      expect(Number.isNaN(formula(0)) && Number.isNaN(formula(1))).toBe(true);
      // where it is representable it is the closed form, to rounding
      for (const i of [2, 3]) {
        const eta = 0.5 + gammas[i];
        const closed = (0.2 / 0.5) * Math.pow(0.3 / 0.2, (eta * 0.5) / (eta - 0.5));
        expect(Math.abs(formula(i) - closed), `γ_L = ${gammas[i]}: ${formula(i)} against ${closed}`).toBeLessThanOrEqual(1e-13 * closed);
      }
      // the outcomes stay finite: the leader sells nothing at γ_L = 0, θ_low clamped to θ_max
      for (let i = 0; i < gammas.length; i++) {
        expect(Number.isFinite(r.values[i * 4]) && Number.isFinite(r.values[i * 4 + 2]), `γ_L = ${gammas[i]}`).toBe(true);
      }
      expect(r.values[0]).toBe(1);
    }
    // the exemption is by name: any outcome that is not finite still fails its point
    expect(["thetaLowFormula", "open.thetaLowFormula"].every(isDiagnosticScalar)).toBe(true);
    expect(["thetaLow", "profit", "thetaHighRoot", "thetaLowFormulaX"].some(isDiagnosticScalar)).toBe(false);
  });

  it("is used only where every point is of the kernel's kind", () => {
    const plan = (raw: ReturnType<typeof scenario>, curves: string[] = []) => makeSweepContext({ raw, outputs: raw.sweep.outputs, curves }).kernel;
    const cf = { "market.fringe.cost": { values: [0.1, 0.2] } };
    expect(plan(scenario(cf))).toBeDefined();
    expect(plan(scenario(cf), ["qL"])).toBeUndefined();
    expect(plan(scenario({ "grid.points": { values: [101, 201] } }, ["profit"]))).toBeUndefined();
    const beta = { ...scenario(cf), buyers: { theta: { dist: "beta", a: 2, b: 2, min: 0, max: 1 } } };
    expect(plan(beta)).toBeUndefined();
    const sigmaWithGamma = { ...scenario({ "technology.sigma": { values: [0.4, 0.5] } }), technology: { sigma: 0.5, aggregate: { kappa: 1, gamma: 0.2 } } };
    expect(plan(sigmaWithGamma)).toBeUndefined();
    expect(plan({ ...sigmaWithGamma, sweep: { params: cf, outputs: ["profit"] } })).toBeDefined();
  });
});

describe("the batch kernel with η_L near 1 (test/fixtures/python/lf_uniform_extreme.json)", () => {
  // r1 = 1/(1 − η_L) in the hundreds or thousands: (η/c_L)^r1 and θ_max^(r1+1) over- or
  // underflow a double where the scalars do not. Until 5 Dec 2026 the kernel formed them by pow:
  // at the first case V3's constant underflowed to 0, the cut-off went to θ_max and the point
  // was reported with no leader sales and profit 0, "exact by closed form", where the profit is
  // 2.07e188 (an independent checker's point); at the others, profits overflowed or were NaN.
  // Tolerance 1e-9: one ulp of an input moves these scalars by ~1e-11 to 1e-10 (r1·ln θ_max·ulp/(1 − η)).
  const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "python", "lf_uniform_extreme.json"), "utf8")) as {
    cases: { name: string; scenario: { buyers: { theta: { min: number; max: number } }; technology: { sigma: number }; market: { leader: { gamma: number; cost: number }; fringe: { cost: number } } }; expected: { scalars: Record<string, number> } }[];
  };
  it.each(fixture.cases.map((c) => [c.name, c] as const))("%s: every scalar within 1e-9 of the 50-digit values", (_name, c) => {
    const sc = c.scenario;
    const p: ReferenceInput = { sigma: sc.technology.sigma, etaL: sc.technology.sigma + sc.market.leader.gamma, cL: sc.market.leader.cost, cF: sc.market.fringe.cost, min: sc.buyers.theta.min, max: sc.buyers.theta.max };
    const { values, code } = solveAll([p]);
    expect(code[0]).toBe(SOLVED);
    for (const [name, want] of Object.entries(c.expected.scalars)) {
      const got = values[LF_UNIFORM_SCALARS.indexOf(name as never)];
      expect(Math.abs(got - want) <= 1e-9 * Math.abs(want), `${c.name} ${name}: kernel ${got}, 50 digits ${want}, difference ${got - want}, tolerance 1e-9 relative`).toBe(true);
    }
  });
});
