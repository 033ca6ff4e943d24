// One sweep point's scenario: the base scenario with the point's values placed at the swept
// paths, validated, so that a point outside the model's domain (a negative cost in the grid)
// fails alone with the same message `lpe validate` would give, and the sweep goes on.
//
// Why two modes. The base scenario has passed the full check (zod schema + economic checks)
// once. A sweep only ever writes finite numbers into places that already hold numbers, so
// re-running zod over the whole scenario for every point re-checks a structure that cannot
// have changed. The fast mode therefore keeps a private copy of the parsed base (defaults
// filled, no sweep block), writes the point's numbers into it in place (no allocation: the
// solver keeps no reference to a scenario once solveScenario has returned), checks each number
// against its own leaf schema (finite, integer where required) and re-runs the economic checks,
// which are where the domain conditions (c > 0, σ + γ < 1, min < max, …) live. It is used when
// every swept path holds a number in the parsed base and resolves to a single numeric leaf
// schema that is not an integer (an integer is a count, held to the size limits that only the
// full check applies: a swept grid.points of 5,000,000 went through); otherwise (a path that
// only exists once set, or sits under an undecided union) every point is re-validated in full
// from the raw JSON, on a fresh copy.
// Measured on the leader–fringe sweep of bench/ (bench/results.md, "Design measurements"):
// fast mode 0.6 µs per point, full re-validation 5.3 µs, against 7 µs for the solve itself,
// so full re-validation would cost three quarters of a solve and the fast mode a tenth.

import { InputError } from "../engine/errors.js";
import { validateScenario, zodProblems } from "../engine/scenario/load.js";
import { getPath, setPath, type PathSegment } from "../engine/scenario/overrides.js";
import { economicProblems } from "../engine/scenario/economic-checks.js";
import { workProblems } from "../engine/scenario/limits.js";
import { ScenarioSchema, schemasAt } from "../engine/scenario/schema.js";
import type { Scenario } from "../engine/scenario/spec-types.js";
import type { SweepGrid } from "./sweep-grid.js";

export type ValidationMode = "fast" | "full";

export interface PointScenarioBuilder {
  readonly mode: ValidationMode;
  /** The point's validated scenario (without its sweep block); throws InputError. In the fast
   *  mode the same object is returned, updated, for every point: use it before the next call. */
  build(values: ArrayLike<number>): Scenario;
}

type Leaf = { safeParse(x: unknown): { success: boolean; error?: { issues: unknown[] } } };

function withoutSweep<T extends object>(x: T): T {
  const copy = { ...(x as Record<string, unknown>) };
  delete copy.sweep;
  return copy as T;
}

/** The numeric leaf schema of each swept path, or undefined when the fast mode is not sound. */
function leafSchemas(base: Scenario, segments: readonly (readonly PathSegment[])[]): Leaf[] | undefined {
  const leaves: Leaf[] = [];
  for (const segs of segments) {
    if (typeof getPath(base, segs) !== "number") return undefined;
    const numeric = schemasAt(ScenarioSchema, segs, base).filter(
      (s) => (s as unknown as { _zod: { def: { type: string } } })._zod.def.type === "number",
    );
    if (numeric.length !== 1) return undefined;
    // An integer leaf is a count (grid.points, market.count, profile samples, a value–scale
    // grid): the size limits depend on it (limits.ts), which only the full check applies.
    if (integerLeaf(numeric[0])) return undefined;
    leaves.push(numeric[0] as unknown as Leaf);
  }
  return leaves;
}

export function integerLeaf(schema: unknown): boolean {
  const checks = (schema as { _zod: { def: { checks?: { _zod: { def: { check?: string; format?: string } } }[] } } })._zod.def.checks ?? [];
  return checks.some((c) => c._zod.def.check === "number_format" && /int/.test(c._zod.def.format ?? ""));
}

function firstProblem(problems: readonly { path: string; message: string }[]): InputError {
  return new InputError(problems[0].path, problems[0].message);
}

/**
 * A builder for the points of `grid`. `raw` is the base scenario's JSON (after --set), `base`
 * its parsed form; `mode` forces a mode (tests and the validation benchmark), else the fast
 * mode is used whenever it is sound; `workLimitMs` is the run's `--work-limit` (default: the
 * engine's), against which each point's own estimate is held.
 */
export function pointScenarioBuilder(raw: unknown, base: Scenario, grid: SweepGrid, mode?: ValidationMode, workLimitMs?: number): PointScenarioBuilder {
  const segments = grid.segments;
  // a point is solved for its scalars only unless the sweep keeps curves at every point
  const scalarsOnly = !(base.sweep?.curves?.length ?? 0);
  const leaves = mode === "full" ? undefined : leafSchemas(base, segments);
  if (mode === "fast" && !leaves) throw new Error("fast point validation is not possible for this grid");

  if (leaves) {
    const own = structuredClone(withoutSweep(base));
    const parents = segments.map((segs) => getPath(own, segs.slice(0, -1)) as Record<string | number, unknown>);
    const keys = segments.map((segs) => segs[segs.length - 1]);
    const s = own as unknown;
    return {
      mode: "fast",
      build(values) {
        for (let k = 0; k < segments.length; k++) parents[k][keys[k]] = values[k];
        for (let k = 0; k < segments.length; k++) {
          const r = leaves[k].safeParse(values[k]);
          if (!r.success) {
            const issues = (r.error?.issues ?? []).map((is) => ({ ...(is as object), path: [...segments[k], ...((is as { path: PathSegment[] }).path ?? [])] }));
            throw firstProblem(zodProblems(issues as never, s));
          }
        }
        const problems = economicProblems(s as Scenario);
        if (problems.length > 0) throw firstProblem(problems);
        // the point's own computing time: a swept number can change the solver's path and its
        // cost (γ_F from 0 to 0.1 on 1,400 atoms took 29 s a point)
        const work = workProblems(s as Scenario, false, scalarsOnly, workLimitMs);
        if (work.length > 0) throw firstProblem(work);
        return s as Scenario;
      },
    };
  }

  const start = raw !== null && typeof raw === "object" ? withoutSweep(raw as object) : raw;
  return {
    mode: "full",
    build(values) {
      let s: unknown = start;
      for (let k = 0; k < segments.length; k++) s = setPath(s, segments[k], values[k], grid.paths[k]);
      const { scenario, problems } = validateScenario(s, { figures: false, sweepPoints: true, pointCurves: !scalarsOnly, workLimitMs, repeated: true });
      if (!scenario) throw firstProblem(problems);
      return scenario;
    },
  };
}
