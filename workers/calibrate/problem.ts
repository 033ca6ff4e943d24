// The calibration problem of a scenario's `calibrate` block (README "Calibration"):
// free parameters (dotted paths with bounds, optionally log-scaled), targets (outputs with an
// observed value and a weight or a standard error), and the map parameters → fitted outputs →
// standardized residuals whose sum of squares `lpe calibrate` minimizes.
//
// Residuals. A target with a standard error counts its miss in standard errors,
// (fitted − observed)/se; otherwise the miss is relative, √weight·(fitted − observed)/|observed|,
// so that a share of 0.3 and a price ratio of 7 weigh alike. Bounds are respected by a transform:
// the search runs on y ∈ ℝ with z = a + (b − a)/(1 + e^(−y)), z = x (or ln x for a log-scaled
// parameter) and [a, b] the bounds of z, so every trial point lies strictly inside the bounds.
//
// Each point is the base scenario with the parameters written in (workers/point-scenario.ts:
// fast in-place mode, the economic checks re-run), solved with scalars only and just the costly
// observables that are targets.

import { InputError, NumericalError } from "../../engine/errors.js";
import { parseScenario } from "../../engine/scenario/load.js";
import { parsePath, type PathSegment } from "../../engine/scenario/overrides.js";
import type { Scenario } from "../../engine/scenario/spec-types.js";
import { solveScenario } from "../../solvers/solve.js";
import { checkTargetNames as checkTargetsOf } from "../../solvers/target-names.js";
import type { ScalarValue } from "../../solvers/types.js";
import { pointScenarioBuilder, type PointScenarioBuilder } from "../point-scenario.js";
import type { SweepGrid } from "../sweep-grid.js";

export interface FreeParam {
  path: string;
  segments: readonly PathSegment[];
  min: number;
  max: number;
  log: boolean;
}

export interface Target {
  name: string;
  observed: number;
  /** divisor of the miss: se, or |observed|/√weight */
  scale: number;
  weight?: number;
  se?: number;
}

/** The raw scenario without the blocks a point solve must not see (it is not a sweep). */
export function withoutCalibration(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const copy = { ...(raw as Record<string, unknown>) };
  delete copy.calibrate;
  delete copy.sweep;
  return copy;
}

/** Blocks of a scenario that are not the model: no calibration's free parameter lies there. */
const NOT_THE_MODEL = ["calibrate", "sweep", "figures", "name", "description", "$schema"];

export class CalibrationProblem {
  readonly base: Scenario;
  readonly params: FreeParam[];
  readonly targets: Target[];
  readonly tolerance: number;
  readonly starts: number;
  readonly seed: number;
  readonly profilePoints: number;
  private readonly builder: PointScenarioBuilder;
  /** solver evaluations so far */
  evaluations = 0;

  /** `raw`: the scenario's JSON after --set, with its calibrate block; `workLimitMs`: the run's
   *  --work-limit (default: the engine's), held against the scenario and each of its points. */
  constructor(readonly raw: unknown, workLimitMs?: number) {
    const full = parseScenario(raw, { workLimitMs });
    const cal = full.calibrate;
    if (!cal) throw new InputError("calibrate", "the scenario has no calibrate block: add calibrate.params and calibrate.targets");
    const stripped = withoutCalibration(raw);
    this.base = parseScenario(stripped, { workLimitMs });
    this.params = Object.entries(cal.params).map(([path, p]) => {
      // the model's parameters only: a figure's horizon or the calibration's own settings are
      // not facts the targets could pin down (they were accepted, then failed or went unidentified)
      const root = path.split(/[.[]/)[0];
      if (NOT_THE_MODEL.includes(root)) {
        throw new InputError(`calibrate.params[${JSON.stringify(path)}]`, `a calibration moves parameters of the model (under buyers, technology, market or units), not the scenario's ${root} block`);
      }
      return { path, segments: parsePath(path, `calibrate.params.${path}`), min: p.min, max: p.max, log: p.log };
    });
    this.targets = Object.entries(cal.targets).map(([name, t]) => ({
      name,
      observed: t.value,
      scale: t.se ?? Math.abs(t.value) / Math.sqrt(t.weight ?? 1),
      ...(t.weight !== undefined ? { weight: t.weight } : {}),
      ...(t.se !== undefined ? { se: t.se } : {}),
    }));
    this.tolerance = cal.tolerance;
    this.starts = cal.starts;
    this.seed = cal.seed ?? full.seed;
    this.profilePoints = cal.profilePoints;
    const grid = { paths: this.params.map((p) => p.path), segments: this.params.map((p) => p.segments) } as unknown as SweepGrid;
    this.builder = pointScenarioBuilder(stripped, this.base, grid, undefined, workLimitMs);
  }

  get k(): number {
    return this.params.length;
  }

  get m(): number {
    return this.targets.length;
  }

  /** The scenario at parameters x (validated; throws InputError outside the model's domain). */
  scenarioAt(x: ArrayLike<number>): Scenario {
    return this.builder.build(x);
  }

  /** The targets' outputs at parameters x (NaN for an output that is absent or null there). */
  evaluate(x: ArrayLike<number>): Float64Array {
    this.evaluations++;
    const sol = solveScenario(this.scenarioAt(x), { scalarsOnly: true, observables: this.targets.map((t) => t.name) });
    return Float64Array.from(this.targets, (t) => {
      const v = sol.scalars[t.name];
      return typeof v === "number" ? v : NaN;
    });
  }

  residuals(fitted: ArrayLike<number>): Float64Array {
    return Float64Array.from(this.targets, (t, i) => (fitted[i] - t.observed) / t.scale);
  }

  /** Natural parameter → search variable y (logistic transform of x or ln x on its bounds). */
  toSearch(j: number, x: number): number {
    const p = this.params[j];
    const [a, b, z] = p.log ? [Math.log(p.min), Math.log(p.max), Math.log(x)] : [p.min, p.max, x];
    const u = Math.min(Math.max((z - a) / (b - a), 1e-15), 1 - 1e-15);
    return Math.log(u / (1 - u));
  }

  /** Search variable y → natural parameter, strictly inside the bounds. */
  fromSearch(j: number, y: number): number {
    const p = this.params[j];
    const u = 1 / (1 + Math.exp(-y));
    if (p.log) return Math.min(Math.max(Math.exp(Math.log(p.min) + (Math.log(p.max) - Math.log(p.min)) * u), p.min), p.max);
    return Math.min(Math.max(p.min + (p.max - p.min) * u, p.min), p.max);
  }

  /** Unit-cube coordinate of x (log scale for log parameters): what the design and distances use. */
  toUnit(j: number, x: number): number {
    const p = this.params[j];
    return p.log ? (Math.log(x) - Math.log(p.min)) / (Math.log(p.max) - Math.log(p.min)) : (x - p.min) / (p.max - p.min);
  }

  fromUnit(j: number, u: number): number {
    const p = this.params[j];
    return p.log ? Math.exp(Math.log(p.min) + u * (Math.log(p.max) - Math.log(p.min))) : p.min + u * (p.max - p.min);
  }
}

/**
 * Checks the target names against the outputs the market produces (solved once at the base
 * point, or at the first design point that solves): an unknown name is an InputError at
 * calibrate.targets.<name> with a "did you mean"; a list-valued output is refused too.
 */
export function checkTargetNames(problem: CalibrationProblem, probes: readonly (readonly number[])[]): void {
  let scalars: Record<string, ScalarValue> | undefined;
  let market = problem.base.market.kind as string;
  let first: unknown;
  const attempts: (() => Scenario)[] = [() => problem.base, ...probes.map((x) => () => problem.scenarioAt(x))];
  for (const at of attempts) {
    try {
      const sol = solveScenario(at(), { scalarsOnly: true, observables: "all" });
      scalars = sol.scalars;
      market = sol.market;
      break;
    } catch (e) {
      if (!(e instanceof NumericalError) && !(e instanceof InputError)) throw e;
      first ??= e;
    }
  }
  if (!scalars) throw first;
  checkTargetsOf(problem.targets.map((t) => t.name), scalars, market);
}
