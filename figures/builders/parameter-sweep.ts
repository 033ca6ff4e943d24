// Scalar outputs of a scenario along one parameter, for figures drawn against a parameter
// (thresholds against c_F, regimes against c_F, profit share against the number of tiers, a
// falling cost). The figure layer solves nothing: a builder *declares* each sweep — the
// scenario with a `sweep` block over the parameter's values and the outputs it reads — and
// reads the table the sweep runner computed (workers/figure-sweeps.ts). FigureSweeps runs in
// two modes: planning (no tables yet: it records the requests and answers NaN rows, so the
// builders can run once to say what they need) and reading (it answers from the tables).
// Grids are modest and always contain the scenario's own value exactly, so a figure passes
// through the solved scenario (e.g. P2's thresholds at c_F = 0.2).

import { modelCost } from "../../engine/technology/model-cost.js";
import type { MarketSpec, ModelSpec, Scenario } from "../../engine/scenario/spec-types.js";
import type { MarketSolution } from "../../solvers/types.js";
import type { SweepTable } from "../../workers/sweep-curves.js";
import type { FigureInputs, FigureNeeds, FigureSweepRequest } from "../../workers/figure-sweeps.js";
import type { Series } from "../types.js";

/** One point's outputs by name (NaN: absent, e.g. no switch type, or the point failed). */
export type Scalars = Record<string, number>;

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

/** The value at a dotted path ("market.fringe.cost", "technology.tokens.classes[1].cost"); a
 *  small walker of its own, so that the figure builders import nothing Node-only. */
function valueAt(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[m[1] ?? Number(m[2])];
  }
  return v;
}

/** The number at a dotted path of the scenario (e.g. "market.fringe.cost"). */
export function numberAt(s: Scenario, path: string): number {
  const v = valueAt(s, path);
  if (typeof v !== "number") throw new Error(`scenario ${s.name}: ${path} is not a number`);
  return v;
}

/** The scenario to sweep: `s` over `values` of `path`, reporting `outputs` (its own sweep,
 *  figures and calibrate blocks left out: a figure's sweep draws no figures of its own). */
export function sweepScenario(s: Scenario, path: string, values: readonly number[], outputs: readonly string[]): FigureSweepRequest["scenario"] {
  const { sweep: _sweep, figures: _figures, calibrate: _calibrate, ...rest } = s;
  return { ...rest, sweep: { params: { [path]: { values: [...values] } }, outputs: [...outputs] } };
}

/** The sweeps and solves of a scenario's figures: declared while planning, read back when drawing. */
/** The points a figure was drawn from that are not certified optimal (their status says why). */
export interface UncertifiedUse {
  /** sweep points served, and how many of them are uncertified */
  points: number;
  uncertified: number;
  /** sweep points that failed (no optimum found: not drawn), and the first one's status */
  failed: number;
  failure?: string;
  /** companion solves served that are not certified */
  solves: number;
}

export class FigureData {
  private readonly sweeps = new Map<string, FigureSweepRequest>();
  private readonly solves = new Map<string, Scenario>();
  private used: UncertifiedUse = { points: 0, uncertified: 0, failed: 0, solves: 0 };

  /** What the builders were served since the last call (then counted afresh): for the caption. */
  takeUncertified(): UncertifiedUse {
    const u = this.used;
    this.used = { points: 0, uncertified: 0, failed: 0, solves: 0 };
    return u;
  }

  /** Without inputs: planning (requests are recorded, NaN rows answered). */
  constructor(private readonly inputs?: FigureInputs) {}

  get planning(): boolean {
    return this.inputs === undefined;
  }

  /** What the builders asked for so far. */
  needs(): FigureNeeds {
    return { sweeps: [...this.sweeps.values()], solves: [...this.solves].map(([id, scenario]) => ({ id, scenario })) };
  }

  /** Outputs of `s` along `values` of the parameter at `path`, one row per value; `id` names the sweep's table. */
  sweep(id: string, s: Scenario, path: string, values: readonly number[], outputs: readonly string[]): Scalars[] {
    if (!this.inputs) {
      if (!this.sweeps.has(id)) this.sweeps.set(id, { id, scenario: sweepScenario(s, path, values, outputs) });
      return values.map(() => Object.fromEntries(outputs.map((o) => [o, NaN])));
    }
    const t = this.inputs.sweeps.get(id);
    if (!t) throw new Error(`the figure sweep ${id} was not computed`);
    this.used.points += t.end - t.start;
    for (const status of t.failures.values()) {
      if (status.startsWith("uncertified")) this.used.uncertified++;
      else {
        this.used.failed++;
        this.used.failure ??= status;
      }
    }
    return tableRows(t, values.length);
  }

  /** Indices of the points of figure sweep `id` that are not certified optimal (none while
   *  planning): a figure draws them again as dots of their own (uncertifiedDots). */
  uncertifiedPoints(id: string, part?: string): number[] {
    const t = this.inputs?.sweeps.get(id);
    if (!t) return [];
    const out: number[] = [];
    for (const [i, status] of t.failures) if (status.startsWith("uncertified") && (part === undefined || namesPart(status, part))) out.push(i - t.start);
    return out.sort((a, b) => a - b);
  }

  /** The solution of another scenario (undefined while planning). */
  solution(id: string, s: Scenario): MarketSolution | undefined {
    if (!this.inputs) {
      if (!this.solves.has(id)) this.solves.set(id, s);
      return undefined;
    }
    const sol = this.inputs.solutions.get(id);
    if (!sol) throw new Error(`the figure's companion solve ${id} was not computed`);
    if (!sol.certificate.certified) this.used.solves++;
    return sol;
  }
}

/** A one-parameter table as rows of named outputs. */
export function tableRows(t: SweepTable, n: number): Scalars[] {
  const K = t.outputs.length;
  if (t.end - t.start !== n) throw new Error(`a figure sweep has ${t.end - t.start} points, the figure expects ${n}`);
  const values = t.values;
  if (!values) throw new Error("a figure sweep's table kept no values");
  return Array.from({ length: n }, (_, i) => Object.fromEntries(t.outputs.map((o, k) => [o, values[i * K + k]])));
}

/** A numeric output, NaN when absent (e.g. no switch type): a gap in the curve. */
export function num(s: Scalars, name: string): number {
  const v = s[name];
  return typeof v === "number" ? v : NaN;
}

/** Whether a comparison's uncertified status names market `part` ("uncertified (leaderFringe: …;
 *  multiModelMonopoly: …)", engine/results/uncertified-status.ts); a status that names no market
 *  (one market swept) names every part. */
function namesPart(status: string, part: string): boolean {
  if (!/^uncertified \(\w+: /.test(status)) return true;
  return status.startsWith(`uncertified (${part}: `) || status.includes(`; ${part}: `);
}

/** The legend's name of the dots that mark points not certified optimal (as in a sweep's figures). */
export const UNCERTIFIED_DOTS = { text: "not certified optimal", tex: "not certified optimal" };

/**
 * The points of figure sweep `id` that are not certified optimal, as a series of dots of their
 * own (none when every point is certified): a figure taken out of its caption (the SVG, the PDF,
 * the CSV) still shows which points are not proven optimal, as a sweep's figures do.
 */
export function uncertifiedDots(data: FigureData, id: string, x: ArrayLike<number>, y: ArrayLike<number>, column: string): Series[] {
  return uncertifiedDotsOnLines(data, id, x, [{ y }], column);
}

/**
 * As uncertifiedDots, for several lines of one sweep of a comparison of markets: one series of
 * rings (one legend entry) on each line at the points where its market (`part`; any, when none is
 * named) is not certified.
 * The thresholds and regimes figures drew none (the README said they did).
 */
export function uncertifiedDotsOnLines(data: FigureData, id: string, x: ArrayLike<number>, lines: readonly { y: ArrayLike<number>; part?: string }[], column: string): Series[] {
  const ux: number[] = [];
  const uy: number[] = [];
  for (const { y, part } of lines) {
    for (const i of data.uncertifiedPoints(id, part)) {
      if (i < x.length && Number.isFinite(y[i])) {
        ux.push(x[i]);
        uy.push(y[i]);
      }
    }
  }
  if (ux.length === 0) return [];
  return [{ name: UNCERTIFIED_DOTS, x: ux, y: uy, line: false, ring: true, column: `${column}_uncertified` }];
}
