// Scalar outputs of a scenario along one parameter, for figures drawn against a parameter
// (thresholds against c_F, regimes against c_F, profit share against the number of tiers).
// Each point is the scenario with the parameter set by its dotted path, re-validated, and
// solved with `scalarsOnly`. Grids are modest and always contain the scenario's own value
// exactly, so a figure passes through the solved scenario (e.g. P2's thresholds at c_F = 0.2).
// Results are memoized per figure run: thresholds and regimes share one sweep per regime.

import { modelCost } from "../../engine/technology/model-cost.js";
import { parseScenario } from "../../engine/scenario/load.js";
import { getPath, setPath } from "../../engine/scenario/overrides.js";
import type { MarketSpec, ModelSpec, Scenario } from "../../engine/scenario/spec-types.js";
import { solveScenario } from "../../solvers/solve.js";
import type { ScalarValue } from "../../solvers/types.js";

export type Scalars = Record<string, ScalarValue>;

/** Round to 12 significant digits, so 0.05 + 3·0.05 is written 0.2. */
const tidy = (v: number) => (v === 0 ? 0 : Number(v.toPrecision(12)));

/**
 * n evenly spaced values on [lo, hi] plus `include` (the scenario's own values, kept exactly);
 * grid values within a thousandth of a step of an included value give way to it.
 */
export function parameterGrid(lo: number, hi: number, n: number, include: readonly number[] = []): number[] {
  const step = (hi - lo) / (n - 1);
  const grid = Array.from({ length: n }, (_, k) => tidy(lo + k * step));
  const keep = grid.filter((g) => !include.some((v) => Math.abs(g - v) < 1e-3 * step));
  return [...new Set([...keep, ...include])].sort((a, b) => a - b);
}

/** A two-model market with both models by aggregate `gamma` and `cost` (technology blocks reduced to c_ℓ). */
export function withAggregateModels(s: Scenario): Scenario {
  const m = s.market;
  if (!("leader" in m) || !m.leader || !m.fringe) throw new Error(`scenario ${s.name}: market ${m.kind} does not name a leader and a fringe`);
  const agg = (spec: ModelSpec, role: "leader" | "fringe"): ModelSpec => {
    const c = modelCost(spec, s.technology.sigma, `market.${role}`);
    return { ...(spec.name !== undefined ? { name: spec.name } : {}), gamma: c.gamma, cost: c.cost };
  };
  return { ...s, market: { ...m, leader: agg(m.leader, "leader"), fringe: agg(m.fringe, "fringe") } as MarketSpec };
}

/** The same models under another market structure (efficient, multiModelMonopoly, leaderFringe). */
export function withMarketKind(s: Scenario, kind: "efficient" | "multiModelMonopoly" | "leaderFringe" | "compare"): Scenario {
  const m = s.market;
  if (!("leader" in m) || !m.leader || !m.fringe) throw new Error(`scenario ${s.name}: market ${m.kind} does not name a leader and a fringe`);
  return { ...s, market: { kind, leader: m.leader, fringe: m.fringe } };
}

/** The number at a dotted path of the scenario (e.g. "market.fringe.cost"). */
export function numberAt(s: Scenario, path: string): number {
  const v = getPath(s, path);
  if (typeof v !== "number") throw new Error(`scenario ${s.name}: ${path} is not a number`);
  return v;
}

export class ScalarSweeper {
  private readonly memo = new Map<string, Scalars>();

  /** Scalars of `s` with each path set to its value (one solve, memoized). */
  solveAt(s: Scenario, sets: Record<string, number>): Scalars {
    let raw: unknown = s;
    for (const [path, v] of Object.entries(sets)) raw = setPath(raw, path, v, `figure sweep ${path}`);
    const key = JSON.stringify(raw);
    const hit = this.memo.get(key);
    if (hit) return hit;
    const scalars = solveScenario(parseScenario(raw), { scalarsOnly: true }).scalars;
    this.memo.set(key, scalars);
    return scalars;
  }

  /** Scalars along `values` of the parameter at `path`. */
  sweep(s: Scenario, path: string, values: readonly number[]): Scalars[] {
    return values.map((v) => this.solveAt(s, { [path]: v }));
  }
}

/** A numeric scalar, NaN when absent or null (e.g. no switch type): a gap in the curve. */
export function num(s: Scalars, name: string): number {
  const v = s[name];
  return typeof v === "number" ? v : NaN;
}
