// Checks sweep.outputs and sweep.curves before anything runs or is written: the names a market
// offers are learned by solving one scenario (the base, or the first grid point that solves
// when the base itself does not; no solve when every name is one that every market produces),
// so an unknown name fails at once with its JSON path, the names available, and a "did you
// mean" for typos. `lpe validate` runs the same check.

import { InputError, NumericalError } from "../engine/errors.js";
import type { Problem } from "../engine/scenario/load.js";
import { UNIVERSAL_SCALARS } from "../engine/scenario/output-names.js";
import { solveScenario } from "../solvers/solve.js";
import { checkTargetNames, sweepNameProblemsIn } from "../solvers/target-names.js";
import type { MarketSolution } from "../solvers/types.js";
import { pointValues } from "./sweep-grid.js";
import type { SweepContext } from "./sweep-point.js";

const PROBES = 8;

function probeSolution(ctx: SweepContext, withCurves: boolean): MarketSolution {
  const opts = { scalarsOnly: !withCurves, observables: "all" as const };
  try {
    return solveScenario(ctx.base, opts);
  } catch (first) {
    if (!(first instanceof NumericalError) && !(first instanceof InputError)) throw first;
    const v = new Float64Array(ctx.grid.paths.length);
    for (let i = 0; i < Math.min(PROBES, ctx.grid.size); i++) {
      pointValues(ctx.grid, i, v);
      try {
        return solveScenario(ctx.builder.build(v), opts);
      } catch {
        // try the next point
      }
    }
    throw first;
  }
}

/**
 * Every name in sweep.outputs / sweep.curves that the market does not produce, with its JSON
 * path, the valid names and a "did you mean"; `lpe validate` reports them all, the run the first.
 */
export function sweepNameProblems(ctx: SweepContext): Problem[] {
  const { outputs, curves } = ctx.job;
  // A name listed twice would make two columns of one name in sweep.csv.
  const repeated = [...repeatedNames("sweep.outputs", outputs), ...repeatedNames("sweep.curves", curves)];
  if (repeated.length > 0) return repeated;
  // A batch-kernel sweep has no curves and only outputs among the kernel's scalars (kernelPlan
  // checked them), each a number of every leader–fringe result: nothing to learn by solving a
  // probe (~10 ms of every such sweep's start, with the medians of all observables).
  if (ctx.kernel) return [];
  // Outputs every market produces, and no curves: nothing to learn either, and the probe would
  // cost a whole point (seconds for a finite-type LP or a menu of token distributions) in the
  // set-up of every shard and of `lpe validate`.
  if (curves.length === 0 && outputs.every((name) => UNIVERSAL_SCALARS.has(name))) return [];
  return sweepNameProblemsIn(outputs, curves, probeSolution(ctx, curves.length > 0));
}

function repeatedNames(field: string, names: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  names.forEach((name, i) => {
    const first = names.indexOf(name);
    if (first < i) problems.push({ path: `${field}[${i}]`, message: `"${name}" is listed twice (also ${field}[${first}]); each name gives one column` });
  });
  return problems;
}

/** Throws InputError at sweep.outputs[i] / sweep.curves[i] for a name the market does not produce. */
export function checkSweepNames(ctx: SweepContext): void {
  const [first] = sweepNameProblems(ctx);
  if (first) throw new InputError(first.path, first.message);
}

/**
 * A note for each name in the calibrate block's targets that the market does not produce. The
 * sweep does not use that block, but `lpe solve` and `lpe calibrate` refuse such a file, and a
 * reviewer's typo ("fringeTokenShar") ran through `lpe sweep` unsaid. One probe solve, only when
 * the scenario has a calibrate block; nothing when no point solves (the sweep reports that).
 */
export function calibrateTargetNotes(ctx: SweepContext): string[] {
  const targets = ctx.base.calibrate ? Object.keys(ctx.base.calibrate.targets) : [];
  if (targets.length === 0) return [];
  let sol: MarketSolution;
  try {
    sol = probeSolution(ctx, false);
  } catch {
    return [];
  }
  try {
    checkTargetNames(targets, sol.scalars, sol.market);
    return [];
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    // the message without the market's whole list of names
    return [`${e.message.replace(/; the \S+ market has: .*$/, "")} (the sweep does not use the calibrate block; \`lpe solve\` and \`lpe calibrate\` refuse this)`];
  }
}
