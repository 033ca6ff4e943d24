// Checks sweep.outputs and sweep.curves before anything runs or is written: the names a market
// offers are learned by solving one scenario (the base, or the first grid point that solves
// when the base itself does not), so an unknown name fails at once with its JSON path, the
// names available, and a "did you mean" for typos.

import { InputError, NumericalError } from "../engine/errors.js";
import { closest } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";
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

function unknownName(kind: string, name: string, known: readonly string[], market: string): string {
  const c = closest(name, known);
  return `unknown ${kind} "${name}"${c ? ` (did you mean "${c}"?)` : ""}; the ${market} market has: ${known.join(", ")}`;
}

/** Throws InputError at sweep.outputs[i] / sweep.curves[i] for a name the market does not produce. */
export function checkSweepNames(ctx: SweepContext): void {
  const { outputs, curves } = ctx.job;
  const sol = probeSolution(ctx, curves.length > 0);
  const scalars = Object.keys(sol.scalars);
  outputs.forEach((name, i) => {
    if (!Object.hasOwn(sol.scalars, name)) throw new InputError(`sweep.outputs[${i}]`, unknownName("output", name, scalars, sol.market));
    const v = sol.scalars[name];
    if (Array.isArray(v)) throw new InputError(`sweep.outputs[${i}]`, `"${name}" is a list, not a number; sweep outputs are numbers (${scalars.filter((s) => !Array.isArray(sol.scalars[s])).join(", ")})`);
  });
  const cols = sol.curves.order;
  curves.forEach((name, i) => {
    if (!cols.includes(name)) throw new InputError(`sweep.curves[${i}]`, unknownName("curve", name, cols, sol.market));
  });
}
