// `lpe validate` of a scenario with a sweep block checks the block as `lpe sweep` will, with the
// run's own functions, before anything is solved in bulk:
//   - the output and curve names, by workers/sweep-outputs.ts (one solve of the base scenario
//     tells which names the market produces), each unknown name with the valid ones and a
//     "did you mean";
//   - every grid point as a scenario, by the run's point builder (workers/point-scenario.ts:
//     the schema's leaf check and the economic checks of each point). A point failing here is
//     a row the sweep would record as failed ("bad input: …"); the report gives how many, and
//     the first few with their parameter values and causes.
// Grids above CHECK_ALL_LIMIT points are checked on a deterministic sample, and the report says
// so: every value of every axis at the first and at the last values of the other axes (validity
// usually turns at the end of an axis: a cost running negative), plus an even spread over the
// grid's indices, up to CHECK_ALL_LIMIT points in all.
// And how long the sweep would take, from a few of its points solved here as the run solves
// them (sweepSecondsEstimate): a reviewer's 40,000-point sweep validated without a word
// about its hour of computing.

import { InputError, NumericalError } from "../engine/errors.js";
import { formatNumber } from "../engine/results/number-format.js";
import type { LoadedScenario, Problem } from "../engine/scenario/load.js";
import { pointValues, type SweepGrid } from "./sweep-grid.js";
import { sweepNameProblems } from "./sweep-outputs.js";
import { makeSweepContext, solveRange, type SweepContext } from "./sweep-point.js";

export const CHECK_ALL_LIMIT = 200_000;
/** failed points listed one per line after the count */
export const EXAMPLES = 3;

export interface SweepCheck {
  problems: Problem[];
  /** grid points checked, and the grid's size */
  checked: number;
  size: number;
}

/** Grid indices to check, ascending: all of them, or the deterministic sample of the header. */
export function sampleIndices(grid: SweepGrid, limit = CHECK_ALL_LIMIT): number[] {
  const size = grid.size;
  if (size <= limit) return Array.from({ length: size }, (_, i) => i);
  const picked = new Set<number>();
  const D = grid.dims.length;
  // every axis value (evenly thinned if an axis alone is too long) at both ends of the others
  const perAxis = Math.max(2, Math.floor(limit / (4 * D)));
  for (let d = 0; d < D; d++) {
    const n = grid.dimLength[d];
    const js = n <= perAxis ? Array.from({ length: n }, (_, j) => j) : Array.from({ length: perAxis }, (_, k) => Math.round((k * (n - 1)) / (perAxis - 1)));
    for (const end of [0, 1]) {
      let base = 0;
      for (let e = 0; e < D; e++) if (e !== d) base += (end ? grid.dimLength[e] - 1 : 0) * grid.dimStride[e];
      for (const j of js) picked.add(base + j * grid.dimStride[d]);
    }
  }
  const spread = Math.max(2, limit - picked.size);
  for (let k = 0; k < spread; k++) picked.add(Math.round((k * (size - 1)) / (spread - 1)));
  return [...picked].sort((a, b) => a - b);
}

function pointLabel(ctx: SweepContext, index: number, values: Float64Array): string {
  return `point ${index} (${ctx.grid.paths.map((p, k) => `${p} = ${formatNumber(values[k])}`).join(", ")})`;
}

/** The grid points that are not valid scenarios: a count and the first few, as problems. */
export function gridPointProblems(ctx: SweepContext, limit = CHECK_ALL_LIMIT): SweepCheck {
  const indices = sampleIndices(ctx.grid, limit);
  const values = new Float64Array(ctx.grid.paths.length);
  const failed: Problem[] = [];
  let bad = 0;
  for (const i of indices) {
    pointValues(ctx.grid, i, values);
    try {
      ctx.builder.build(values);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      bad++;
      if (failed.length < EXAMPLES) failed.push({ path: "sweep.params", message: `${pointLabel(ctx, i, values)}: ${e.message}` });
    }
  }
  const size = ctx.grid.size;
  const sampled = indices.length < size;
  const problems: Problem[] = [];
  if (bad > 0) {
    const of = sampled ? `${bad} of the ${indices.length} grid points checked (a deterministic sample of the grid's ${size})` : `${bad} of ${size} grid points`;
    const first = bad > failed.length ? `; the first ${failed.length}:` : ":";
    problems.push({ path: "sweep.params", message: `${of} are not valid scenarios; the sweep would record them as failed rows (exit status 4)${first}` });
    problems.push(...failed);
  }
  return { problems, checked: indices.length, size };
}

/** Everything `lpe sweep` would reject or fail in the scenario's sweep block. */
export function sweepProblems(loaded: LoadedScenario, limit = CHECK_ALL_LIMIT, workLimitMs?: number): SweepCheck {
  const sweep = loaded.scenario.sweep;
  if (!sweep) return { problems: [], checked: 0, size: 0 };
  let ctx: SweepContext;
  const targets: Problem[] = [];
  try {
    ctx = makeSweepContext({ raw: loaded.raw, outputs: [...sweep.outputs], curves: [...(sweep.curves ?? [])], workLimitMs }, targets);
  } catch (e) {
    if (e instanceof InputError) return { problems: [{ path: e.path, message: e.reason }], checked: 0, size: 0 };
    throw e;
  }
  let names: Problem[];
  try {
    names = sweepNameProblems(ctx);
  } catch (e) {
    if (!(e instanceof InputError) && !(e instanceof NumericalError)) throw e;
    names = [{ path: "sweep", message: `cannot tell which outputs the market has: neither the scenario nor its first grid points solve (${e.message})` }];
  }
  // (a swept path the scenario lacks fails every point alike: said once, not point by point;
  // makeSweepContext reports it here)
  if (targets.length > 0) return { problems: [...names, ...targets], checked: 0, size: ctx.grid.size };
  const grid = gridPointProblems(ctx, limit);
  return { problems: [...names, ...grid.problems], checked: grid.checked, size: grid.size };
}

/** Points solved for validate's estimate of a sweep's time, at most. */
export const ESTIMATE_POINTS = 7;
/** validate stops solving points for its estimate once this long has gone into them, solved or failed (one is tried at least). */
export const ESTIMATE_BUDGET_SECONDS = 2;

/**
 * Seconds of one core the whole grid would take, from up to ESTIMATE_POINTS points evenly spread
 * over its indices (as many as ESTIMATE_BUDGET_SECONDS allows, one at least), solved here as the
 * sweep solves them (their mean, times the grid's size), with how many and what they cost. They
 * run cold (the run's later points are faster once compiled) and the others may cost more or
 * less, so this is a guide, not a forecast. Undefined for a batch-kernel sweep (about a
 * microsecond a point) and when none of them solves.
 */
export function sweepSecondsEstimate(loaded: LoadedScenario, workLimitMs?: number): { seconds: number; points: number; checkSeconds: number } | undefined {
  const sweep = loaded.scenario.sweep;
  if (!sweep) return undefined;
  let ctx: SweepContext;
  try {
    ctx = makeSweepContext({ raw: loaded.raw, outputs: [...sweep.outputs], curves: [...(sweep.curves ?? [])], workLimitMs });
  } catch {
    return undefined;
  }
  const size = ctx.grid.size;
  if (ctx.kernel || size === 0) return undefined;
  let seconds = 0;
  let solved = 0;
  // (evenly spread, taken ends first, then middles: each point is a real solve, and validate of
  // 300 discrete types spent 30 s on 7 of them (a reviewer's), so it stops after ESTIMATE_BUDGET_SECONDS)
  const spread = [...new Set(Array.from({ length: ESTIMATE_POINTS }, (_, k) => Math.round((k * (size - 1)) / (ESTIMATE_POINTS - 1))))];
  const picks = [spread[0], spread[spread.length - 1], ...spread.slice(1, -1).sort((a, b) => Math.abs(a - (size - 1) / 2) - Math.abs(b - (size - 1) / 2))].filter((v, i, a) => a.indexOf(v) === i);
  const start = performance.now();
  for (const i of picks) {
    // (failed points count against the budget too: a grid of failing points was tried to its end)
    if ((performance.now() - start) / 1000 >= ESTIMATE_BUDGET_SECONDS) break;
    const t0 = performance.now();
    try {
      solveRange(ctx, i, i + 1);
    } catch {
      continue;
    }
    seconds += (performance.now() - t0) / 1000;
    solved++;
  }
  return solved > 0 ? { seconds: (seconds / solved) * size, points: solved, checkSeconds: (performance.now() - start) / 1000 } : undefined;
}
