// `lpe eval FILE --at θ1,θ2,… [--json] [--set …] [--unset …]`: the solved menu evaluated exactly at the
// chosen types (no grid rounding). Writes nothing.

import { InputError } from "../../engine/errors.js";
import { jsonNumbers } from "../../engine/results/number-format.js";
import { loadScenarioFile } from "../../engine/scenario/load.js";
import { estimateWork, parseWorkLimit } from "../../engine/scenario/limits.js";
import { assembleResult, prepareSolvers, solveScenario } from "../../solvers/solve.js";
import { checkResultNames } from "../../solvers/target-names.js";
import { engineBuild } from "../../engine/build-id.js";
import { parseNumberList, reportError, type Io } from "../io.js";
import { formatReport } from "../report.js";

export interface EvalArgs {
  file: string;
  at: string;
  json?: boolean;
  set?: string[];
  unset?: string[];
  /** --work-limit: seconds of estimated computing allowed, or none */
  workLimit?: string;
  "work-limit"?: string;
}

export async function runEval(args: EvalArgs, io: Io): Promise<number> {
  try {
    const loaded = loadScenarioFile(args.file, args.set ?? [], args.unset ?? [], { figures: false, workLimitMs: parseWorkLimit(args.workLimit ?? args["work-limit"]) });
    const at = parseNumberList(args.at, "--at");
    await prepareSolvers(loaded.scenario);
    // as lpe solve: a solve estimated to take seconds says so first (a reviewer's eval ran 57 s without a word)
    const seconds = estimateWork(loaded.scenario, false).solveMs / 1000;
    if (seconds >= 2) io.err(`lpe: note: this solve takes about ${Math.ceil(seconds)} s; Ctrl-C stops it at once`);
    const solution = solveScenario(loaded.scenario);
    // the same names as `lpe solve` checks (a reviewer's target typo passed eval, failed solve)
    for (const n of checkResultNames(loaded.scenario, solution)) io.err(`lpe: note: ${n}`);
    const th = solution.curves.theta;
    const [lo, hi] = [th[0], th[th.length - 1]];
    // A type within 1e-12 (relative) of an end is that end: a θ copied from lpe's own 12-digit
    // output was refused at the top and bottom types only (the solvers match types with this
    // tolerance inside the support; a reviewer's).
    const near = (t: number, end: number) => Math.abs(t - end) <= 1e-12 * Math.max(1, Math.abs(end));
    if (th.length > 0) for (let i = 0; i < at.length; i++) at[i] = near(at[i], lo) ? Math.max(at[i], lo) : near(at[i], hi) ? Math.min(at[i], hi) : at[i];
    const outside = at.find((t) => !(t >= lo && t <= hi));
    if (outside !== undefined && th.length > 0) {
      throw new InputError("--at", `type ${outside} is outside the support of the types [${lo}, ${hi}]`);
    }
    const result = assembleResult(loaded.scenario, solution, { sha256: loaded.sha256, evalAt: at, build: engineBuild(), provenance: { ...loaded.provenance, scenario: loaded.resolved } });
    if (args.json) io.out(JSON.stringify(result, jsonNumbers, 2));
    else io.out(formatReport(result, true));
    return result.checks.passed ? 0 : 1;
  } catch (e) {
    return reportError(e, io, args.file);
  }
}
