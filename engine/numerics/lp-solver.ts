// The linear-programming solver: HiGHS (npm `highs`, WebAssembly), loaded once per thread.
//
// Why HiGHS and why this shape: the finite-type screening problems (solvers/screening-lp.ts)
// are linear programs solved many times with rows and columns added in between; HiGHS's
// persistent model warm-starts the simplex after each addition, and it is the maintained LP
// solver of the field. Its WebAssembly module loads asynchronously (~70 ms), while the solvers
// are synchronous pure functions, so the commands that may need it call `loadLpSolver()` first
// (solvers/solve.ts `prepareSolvers`) and the solver takes the loaded instance from `lpSolver()`.
// Nothing here trusts HiGHS's tolerances for a certificate: the callers recompute primal
// feasibility and the dual bound in double precision themselves.

import type { Highs } from "highs";
import { NumericalError } from "../errors.js";

let instance: Highs | undefined;
let loading: Promise<Highs> | undefined;

/** Loads HiGHS (once per thread); later calls return the same instance. */
export function loadLpSolver(): Promise<Highs> {
  if (instance) return Promise.resolve(instance);
  loading ??= import("highs").then(async (m) => {
    const load = (m as unknown as { default: (o?: object) => Promise<Highs> }).default;
    instance = await load();
    return instance;
  });
  return loading;
}

/** The loaded HiGHS instance; a NumericalError when `loadLpSolver()` has not completed. */
export function lpSolver(): Highs {
  if (!instance) {
    throw new NumericalError("LP solver", "HiGHS is not loaded: the command must await loadLpSolver() before solving (a bug in lpe)");
  }
  return instance;
}

export function lpSolverLoaded(): boolean {
  return instance !== undefined;
}
