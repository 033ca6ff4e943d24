// Warm starts of the batch kernel (workers/sweep-kernel.ts WARM_CHAIN): along a sweep a point's
// root finders start from the point before's roots. What must hold: a point's numbers depend on
// its grid index alone, however the grid is cut into ranges and in whatever order (the same
// bytes for any number of workers, shards or batch sizes); the first point of each chain is
// solved exactly as a single solve is; every other point agrees with its cold start to the
// rounding of the roots; and the warm start does save iterations (else it is dead code).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LF_UNIFORM_SCALARS, lfUniformColumns, solveLfUniformBatch, SOLVED, type LfUniformInputs } from "../solvers/leader-fringe-uniform-batch.js";
import { solveKernelRange, WARM_CHAIN } from "../workers/sweep-kernel.js";
import { makeSweepContext, type SweepContext } from "../workers/sweep-point.js";

const OUTPUTS = ["thetaLow", "thetaHigh", "profit", "fringeSpendShare", "welfare", "rentOverOutsideOption", "thetaHighRoot"];

const market = fc.record({
  sigma: fc.double({ min: 0.05, max: 0.9, noNaN: true }),
  gFrac: fc.double({ min: 0.02, max: 0.95, noNaN: true }),
  cL: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
  cF: fc.double({ min: 0.02, max: 1.5, noNaN: true }),
  min: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
  width: fc.double({ min: 0.2, max: 2, noNaN: true }),
  swept: fc.constantFrom("market.fringe.cost", "market.leader.cost", "market.leader.gamma", "technology.sigma", "buyers.theta.max"),
  span: fc.double({ min: 0.05, max: 0.8, noNaN: true }),
});
type Market = typeof market extends fc.Arbitrary<infer T> ? T : never;

function context(m: Market, n: number): SweepContext {
  const gamma = (1 - m.sigma) * m.gFrac;
  const base: Record<string, number> = {
    "technology.sigma": m.sigma,
    "market.leader.gamma": gamma,
    "market.leader.cost": m.cL,
    "market.fringe.cost": m.cF,
    "buyers.theta.max": m.min + m.width,
  };
  const v = base[m.swept];
  // a sweep of σ or γ_L stays inside σ + γ_L < 1
  const hi = m.swept === "technology.sigma" || m.swept === "market.leader.gamma" ? v + Math.min(m.span * v, 0.9 * (1 - m.sigma - gamma)) : v * (1 + m.span);
  const raw = {
    name: "warm-start",
    buyers: { theta: { dist: "uniform", min: m.min, max: base["buyers.theta.max"] } },
    technology: { sigma: m.sigma },
    market: { kind: "leaderFringe", leader: { gamma, cost: m.cL }, fringe: { gamma: 0, cost: m.cF } },
    sweep: { params: { [m.swept]: { linspace: [v, hi, n] } }, outputs: OUTPUTS },
  };
  const ctx = makeSweepContext({ raw, outputs: OUTPUTS, curves: [] });
  if (!ctx.kernel) throw new Error("not a kernel sweep");
  return ctx;
}

function solveRanges(ctx: SweepContext, ranges: [number, number][]): Float64Array {
  const K = OUTPUTS.length;
  const all = new Float64Array(ctx.grid.size * K).fill(-1);
  for (const [a, b] of ranges) {
    const values = new Float64Array((b - a) * K);
    const code = new Uint8Array(b - a);
    solveKernelRange(ctx.kernel!, ctx.grid, a, b, values, code);
    all.set(values, a * K);
  }
  return all;
}

/** |x − y| ≤ rtol·max(|y|, scale) */
const agree = (x: number, y: number, rtol: number, scale = 0) => x === y || Math.abs(x - y) <= rtol * Math.max(Math.abs(y), scale);

describe("the batch kernel's warm starts", () => {
  it("give every point the same bits however the grid is cut into ranges, in any order, on fresh or used plans", () => {
    fc.assert(
      fc.property(market, fc.array(fc.integer({ min: 1, max: 1199 }), { maxLength: 12 }), fc.boolean(), (m, cuts, reverse) => {
        const n = 1200;
        const whole = solveRanges(context(m, n), [[0, n]]);
        const ends = [...new Set([0, ...cuts, n])].sort((a, b) => a - b);
        const ranges = ends.slice(1).map((b, i) => [ends[i], b] as [number, number]);
        // one plan for every range (consecutive: the chain goes on) or a fresh one per range (each
        // range inside a chain solves the chain's first points again)
        const shared = context(m, n);
        const inOrder = solveRanges(shared, reverse ? [...ranges].reverse() : ranges);
        const fresh = new Float64Array(n * OUTPUTS.length);
        for (const r of ranges) fresh.set(solveRanges(context(m, n), [r]).subarray(r[0] * OUTPUTS.length, r[1] * OUTPUTS.length), r[0] * OUTPUTS.length);
        expect(Array.from(inOrder)).toEqual(Array.from(whole));
        expect(Array.from(fresh)).toEqual(Array.from(whole));
      }),
      { numRuns: 40, seed: 2612 },
    );
  });

  it("solve a chain's first point as a single solve does, and the others as a cold start does to the rounding of the roots", () => {
    const S = LF_UNIFORM_SCALARS.length;
    const cols = lfUniformColumns(LF_UNIFORM_SCALARS);
    const money = new Set(["profit", "consumerSurplus", "welfare", "rentOverOutsideOption", "fringeSpend", "leaderSpend"]);
    let compared = 0;
    for (const m of fc.sample(market, { numRuns: 60, seed: 2613 })) {
      const ctx = context(m, 2 * WARM_CHAIN + 7);
      const n = ctx.grid.size;
      // the kernel's own inputs for the grid: those the sweep fills, taken from its plan
      solveKernelRange(ctx.kernel!, ctx.grid, 0, n, new Float64Array(n * OUTPUTS.length), new Uint8Array(n));
      const src = ctx.kernel!.inputs;
      const inp = (chain: number): LfUniformInputs => ({ ...src, n, chain, first: 0, warm: new Float64Array(2) });
      const run = (chain: number, one?: number) => {
        const values = new Float64Array(n * S);
        const code = new Uint8Array(n);
        const iterations = new Int32Array(n);
        if (one === undefined) solveLfUniformBatch(inp(chain), { values, stride: S, columns: cols, code, iterations });
        else {
          const pick = (a: Float64Array) => a.slice(one, one + 1);
          solveLfUniformBatch(
            { n: 1, sigma: pick(src.sigma), etaL: pick(src.etaL), cL: pick(src.cL), cF: pick(src.cF), thetaMin: pick(src.thetaMin), thetaMax: pick(src.thetaMax) },
            { values: values.subarray(0, S), stride: S, columns: cols, code },
          );
        }
        return { values, code, iterations };
      };
      const warm = run(WARM_CHAIN);
      const cold = run(0);
      for (const start of [0, WARM_CHAIN, 2 * WARM_CHAIN]) {
        const single = run(0, start);
        expect(Array.from(warm.values.subarray(start * S, (start + 1) * S)), `chain start ${start} of ${JSON.stringify(m)}`).toEqual(Array.from(single.values.subarray(0, S)));
      }
      for (let i = 0; i < n; i++) {
        expect(warm.code[i]).toBe(cold.code[i]);
        if (cold.code[i] !== SOLVED) continue;
        compared++;
        const scale = Math.abs(cold.values[i * S + LF_UNIFORM_SCALARS.indexOf("welfare")]) + Math.abs(cold.values[i * S + LF_UNIFORM_SCALARS.indexOf("consumerSurplus")]);
        LF_UNIFORM_SCALARS.forEach((name, k) => {
          const x = warm.values[i * S + k];
          const y = cold.values[i * S + k];
          // thresholds: the roots' rounding where their equations are flattest (~3e-14 seen);
          // money on the market's scale (a sliver of served types has a tiny, ill-conditioned profit)
          const ok = money.has(name) ? agree(x, y, 1e-12, scale) : agree(x, y, 1e-12);
          expect(ok, `${name}: warm ${x}, cold ${y} at point ${i} of ${JSON.stringify(m)}`).toBe(true);
        });
      }
    }
    expect(compared).toBeGreaterThan(20000);
  });

  it("save root-finder iterations on the benchmark's sweep", () => {
    const m: Market = { sigma: 0.5, gFrac: 0.6, cL: 0.3, cF: 0.05, min: 0, width: 1, swept: "market.fringe.cost", span: 4.8 };
    const ctx = context(m, 200_000);
    const n = ctx.grid.size;
    solveKernelRange(ctx.kernel!, ctx.grid, 0, n, new Float64Array(n * OUTPUTS.length), new Uint8Array(n));
    const src = ctx.kernel!.inputs;
    const mean = (chain: number) => {
      const iterations = new Int32Array(n);
      const S = LF_UNIFORM_SCALARS.length;
      solveLfUniformBatch({ ...src, n, chain, first: 0, warm: new Float64Array(2) }, { values: new Float64Array(n * S), stride: S, columns: lfUniformColumns(LF_UNIFORM_SCALARS), code: new Uint8Array(n), iterations });
      return iterations.reduce((s, x) => s + x, 0) / n;
    };
    // cold: two Householder steps per root (θ_high, and the cut-off where region 2 is empty);
    // warm, with c_F 1.2e-6 apart: one (the step is below the acceptance threshold), but at each
    // chain's first point
    const cold = mean(0);
    const warm = mean(WARM_CHAIN);
    expect(cold).toBeGreaterThan(2.9);
    expect(warm, `cold ${cold}`).toBeLessThan(2.1);
  });
});
