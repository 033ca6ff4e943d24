// The batch path of a sweep: when every point of the grid is a leader–fringe market with
// θ ~ U[a, b] and γ_F = 0 whose swept parameters are among σ, γ_L, c_L, γ_F, c_F, a, b, a range
// of points is solved by one call of the batch kernel (solvers/leader-fringe-uniform-batch.ts)
// over typed arrays, instead of building, validating and solving a scenario object per point.
//
// Soundness. The base scenario has passed every check once; a point differs from it only in the
// swept numbers. Those enter the checks only through conditions the kernel tests itself
// (finite, 0 < σ < 1, γ_L ≥ 0, σ + γ_L < 1, γ_F = 0, c_L, c_F > 0, 0 ≤ a < b), plus σ + γ < 1 of
// the scenario's own technology, which is why a sweep of σ qualifies only when that technology
// has no γ. A point that fails one of them is not solved by the kernel but sent back (code ≠ 0)
// to the general path, which gives the same status as before: the validation message, or
// another solver. So the kernel only ever answers points that the general path would have sent
// to the same closed forms (test/lf-uniform-batch.test.ts checks both paths point by point).

import type { Scenario } from "../engine/scenario/spec-types.js";
import { LF_UNIFORM_SCALARS, lfUniformColumns, OUTSIDE_DOMAIN, solveLfUniformBatch, type LfUniformInputs } from "../solvers/leader-fringe-uniform-batch.js";
import { OPTIMALITY_GAP_SCALAR } from "../solvers/types.js";
import { paramRange, type SweepGrid } from "./sweep-grid.js";

/** The kernel's inputs in scenario terms, by JSON path. */
const INPUT_PATHS = [
  "technology.sigma",
  "market.leader.gamma",
  "market.leader.cost",
  "market.fringe.gamma",
  "market.fringe.cost",
  "buyers.theta.min",
  "buyers.theta.max",
] as const;
const SIGMA = 0;

export interface KernelPlan {
  /** per input of INPUT_PATHS: the swept parameter that sets it, or −1 (the base's value) */
  readonly source: Int32Array;
  readonly base: Float64Array;
  /** kernel scalar → position among the sweep's outputs */
  readonly columns: Int32Array;
  readonly outputs: number;
  /** position of `optimalityGap` among the outputs (−1: not asked for) */
  readonly gapColumn: number;
  inputs: LfUniformInputs;
  /** γ_F of each point of a batch (scratch: the kernel takes σ and η_L = σ + γ_L) */
  scratch: Float64Array;
  /** the warm-start chain's state after the last range solved ([θ_high root, cut-off]) … */
  warm: Float64Array;
  /** … and that range's end (−1: none) */
  warmEnd: number;
}

type AggregateModel = { cost?: unknown; gamma?: unknown; technology?: unknown };

function aggregate(m: unknown): m is { cost: number; gamma: number } {
  const x = m as AggregateModel | undefined;
  return !!x && x.technology === undefined && typeof x.cost === "number" && typeof x.gamma === "number";
}

/**
 * The batch plan of a sweep, or undefined when its points are not all of the kernel's kind
 * (another market or law, models given by technology blocks, per-point curves, an output the
 * kernel does not compute, or a swept path outside its inputs).
 */
export function kernelPlan(base: Scenario, grid: SweepGrid, outputs: readonly string[], curves: readonly string[]): KernelPlan | undefined {
  if (curves.length > 0) return undefined;
  const m = base.market;
  if (m.kind !== "leaderFringe" || !aggregate(m.leader) || !aggregate(m.fringe)) return undefined;
  if (!("theta" in base.buyers) || base.buyers.theta.dist !== "uniform") return undefined;
  // (an output named twice would leave one of its columns unwritten)
  if (new Set(outputs).size !== outputs.length || !outputs.every((o) => o === OPTIMALITY_GAP_SCALAR || (LF_UNIFORM_SCALARS as readonly string[]).includes(o))) return undefined;
  const source = new Int32Array(INPUT_PATHS.length).fill(-1);
  for (let p = 0; p < grid.segments.length; p++) {
    const k = (INPUT_PATHS as readonly string[]).indexOf(grid.segments[p].join("."));
    if (k < 0 || source[k] >= 0) return undefined;
    source[k] = p;
  }
  const t = base.technology;
  if (source[SIGMA] >= 0 && (t.aggregate !== undefined || (t.fineTuning?.kind ?? "none") !== "none")) return undefined;
  const theta = base.buyers.theta;
  const warm = new Float64Array(2);
  const baseValues = Float64Array.of(t.sigma, m.leader.gamma, m.leader.cost, m.fringe.gamma, m.fringe.cost, theta.min, theta.max);
  return {
    source,
    base: baseValues,
    columns: lfUniformColumns(outputs),
    outputs: outputs.length,
    gapColumn: outputs.indexOf(OPTIMALITY_GAP_SCALAR),
    inputs: emptyInputs(0, warm),
    scratch: new Float64Array(0),
    warm,
    warmEnd: -1,
  };
}

/** A plan's defining numbers as plain data (they cross to worker threads: kernel-range.ts). */
export interface KernelPlanData {
  source: number[];
  base: number[];
  columns: number[];
  outputs: number;
  gapColumn: number;
}

export function planData(plan: KernelPlan): KernelPlanData {
  return { source: [...plan.source], base: [...plan.base], columns: [...plan.columns], outputs: plan.outputs, gapColumn: plan.gapColumn };
}

export function planFromData(d: KernelPlanData): KernelPlan {
  const warm = new Float64Array(2);
  return {
    source: Int32Array.from(d.source),
    base: Float64Array.from(d.base),
    columns: Int32Array.from(d.columns),
    outputs: d.outputs,
    gapColumn: d.gapColumn,
    inputs: emptyInputs(0, warm),
    scratch: new Float64Array(0),
    warm,
    warmEnd: -1,
  };
}

/** Inputs for n points, of one shape for every call of the kernel from here (a second shape
 *  would make V8's compiled kernel polymorphic, or throw it away). */
function emptyInputs(n: number, warm: Float64Array): LfUniformInputs {
  const a = () => new Float64Array(n);
  return { n: 0, sigma: a(), etaL: a(), cL: a(), cF: a(), thetaMin: a(), thetaMax: a(), chain: WARM_CHAIN, first: 0, warm };
}

/**
 * Warm starts. Along a sweep, a point's roots (θ_high, the cut-off) are within ~1e-7 of the
 * point before's, so the kernel starts its root finders there: one Householder step instead of
 * two, a fifth fewer logarithms, and the benchmark's 1,000,000-point kernel ~17% faster. Which
 * start a root finder took moves its root by rounding (the roots are exact to rounding from any
 * start: thresholds within 3.2e-14 relative of a cold start's on 6,000,000 points of 1,500 random
 * sweeps, where the equation is flattest; there a cold start was as far from the 50-digit root), so for
 * the same bytes whatever the workers, shards or batches, every point's start depends on its
 * grid index alone: chains of WARM_CHAIN points from each multiple of WARM_CHAIN, the first of
 * each cold, as a single solve is. A range that starts inside a chain first solves the chain's
 * points before it (at most WARM_CHAIN − 1, for their roots alone), unless the range before,
 * ending there, was this plan's last.
 */
export const WARM_CHAIN = 256;

/**
 * Solve grid points [start, end) into `values` (point-major, plan.outputs per point); code[i]
 * is 0 for a point solved, else the point must take the general path. Returns how many did not.
 */
export function solveKernelRange(plan: KernelPlan, grid: SweepGrid, start: number, end: number, values: Float64Array, code: Uint8Array): number {
  const lead = start % WARM_CHAIN;
  if (lead > 0 && plan.warmEnd !== start) {
    const k = plan.outputs;
    solveRun(plan, grid, start - lead, start, new Float64Array(lead * k), new Uint8Array(lead));
  }
  const bad = solveRun(plan, grid, start, end, values, code);
  // a point the kernel solves has the closed form of Proposition 4: certified, gap 0, as the
  // general path reports it
  const g = plan.gapColumn;
  if (g >= 0) for (let j = 0; j < end - start; j++) if (code[j] === 0) values[j * plan.outputs + g] = 0;
  return bad;
}

/** Solve [start, end) continuing the plan's warm-start chain (solveKernelRange). */
function solveRun(plan: KernelPlan, grid: SweepGrid, start: number, end: number, values: Float64Array, code: Uint8Array): number {
  const n = end - start;
  if (plan.inputs.sigma.length < n) {
    plan.inputs = emptyInputs(Math.max(n, 2 * plan.inputs.sigma.length), plan.warm);
    plan.scratch = new Float64Array(plan.inputs.sigma.length);
  }
  const inp = plan.inputs;
  inp.n = n;
  const { source, base } = plan;
  // each input's column: the swept parameter's values, a run at a time, or the base's value;
  // γ_L goes into etaL (σ is added below) and γ_F into the scratch column
  const column = [inp.sigma, inp.etaL, inp.cL, plan.scratch, inp.cF, inp.thetaMin, inp.thetaMax];
  for (let k = 0; k < INPUT_PATHS.length; k++) {
    if (source[k] >= 0) paramRange(grid, source[k], start, end, column[k]);
    else column[k].fill(base[k], 0, n);
  }
  const { sigma, etaL } = inp;
  const gammaF = plan.scratch;
  for (let j = 0; j < n; j++) {
    const gammaL = etaL[j];
    // γ_L < 0 may round away in σ + γ_L, and γ_F > 0 is another solver: both leave the kernel
    const ok = gammaL >= 0 && gammaL < Infinity && gammaF[j] === 0;
    const s = sigma[j];
    etaL[j] = s + gammaL;
    if (!ok) sigma[j] = NaN;
  }
  inp.first = start;
  const bad = solveLfUniformBatch(inp, { values, stride: plan.outputs, columns: plan.columns, code });
  plan.warmEnd = end;
  return bad;
}

export { OUTSIDE_DOMAIN };
