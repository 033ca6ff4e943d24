// What `lpe calibrate` refuses before it fits, shared with `lpe validate` (README "Calibration"),
// with the calibrate block's paths: the block itself (CalibrationProblem), a free parameter that
// is a whole number, target names the market does not produce; and, as notes, bounds at which
// the scenario is invalid.

import { InputError, NumericalError } from "../../engine/errors.js";
import { ScenarioSchema, schemasAt } from "../../engine/scenario/schema.js";
import { getPath } from "../../engine/scenario/overrides.js";
import { integerLeaf } from "../point-scenario.js";
import { CalibrationProblem, checkTargetNames } from "./problem.js";
import { startingPoints } from "./run.js";
/** Values of each free parameter's range tried for a valid scenario. */
const RANGE_PROBES = 65;

/**
 * What `lpe calibrate` refuses before it fits, for `lpe validate` too (README "Calibration"):
 * a free parameter that is a whole number (grid.points, market.count, a seed: the search moves
 * continuously), and target names the market does not produce (learned by one solve, as the
 * run does). Problems carry the calibrate block's paths. Also notes, not problems: a bound at
 * which the scenario is invalid (σ + γ ≥ 1 above some γ): the search then keeps away from that
 * part of the range, and a profile there is empty. `workLimitMs`: the run's --work-limit.
 */
export function calibrateProblems(raw: unknown, workLimitMs?: number): { problems: { path: string; message: string }[]; notes: string[] } {
  let problem: CalibrationProblem;
  try {
    problem = new CalibrationProblem(raw, workLimitMs);
  } catch (e) {
    if (e instanceof InputError) return { problems: [{ path: e.path, message: e.reason }], notes: [] };
    throw e;
  }
  const problems: { path: string; message: string }[] = [];
  for (const p of problem.params) {
    if (schemasAt(ScenarioSchema, p.segments, problem.base).some((s) => integerLeaf(s))) {
      problems.push({ path: `calibrate.params[${JSON.stringify(p.path)}]`, message: `${p.path} is a whole number (a count or a seed); a calibration moves its free parameters continuously: fix it, or sweep it (sweep.params)` });
    }
  }
  if (problems.length > 0) return { problems, notes: [] };
  try {
    checkTargetNames(problem, startingPoints(problem));
  } catch (e) {
    if (e instanceof InputError) problems.push({ path: e.path, message: e.reason });
    else if (!(e instanceof NumericalError)) throw e;
  }
  const notes: string[] = [];
  // each bound with the other parameters at the scenario's own values (a valid scenario)
  const mid = problem.params.map((p, j) => {
    const v = getPath(problem.base, p.segments);
    return typeof v === "number" ? v : problem.fromUnit(j, 0.5);
  });
  // A range with no valid scenario in it at all (σ + γ ≥ 1 over all of γ's range): nothing to
  // fit; the run failed on a trial value the user never wrote, and validate said ok (a
  // reviewer's). Judged on RANGE_PROBES points of the range, the others as in the scenario.
  problem.params.forEach((p, j) => {
    let first: InputError | undefined;
    for (let k = 0; k < RANGE_PROBES; k++) {
      const x = [...mid];
      x[j] = problem.fromUnit(j, k / (RANGE_PROBES - 1));
      try {
        problem.scenarioAt(x);
        return;
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        first ??= e;
      }
    }
    problems.push({
      path: `calibrate.params[${JSON.stringify(p.path)}]`,
      message: `no value of ${p.path} in [${p.min}, ${p.max}] gives a valid scenario (the other parameters as in the scenario; ${RANGE_PROBES} values tried, at ${p.min}: ${first?.message}): choose a range where the scenario is valid`,
    });
  });
  if (problems.length > 0) return { problems, notes };
  problem.params.forEach((p, j) => {
    for (const [end, v] of [["min", p.min], ["max", p.max]] as const) {
      const x = [...mid];
      x[j] = v;
      try {
        problem.scenarioAt(x);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        notes.push(`calibrate.params[${JSON.stringify(p.path)}].${end}: at ${p.path} = ${v} (the others as in the scenario) the scenario is invalid (${e.message}); the fit keeps to the valid part of the range`);
      }
    }
  });
  return { problems, notes };
}
