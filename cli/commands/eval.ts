// `lpe eval FILE --at θ1,θ2,… [--json] [--set …] [--unset …]`: the solved menu evaluated exactly at the
// chosen types (no grid rounding). Writes nothing.

import { InputError } from "../../engine/errors.js";
import { jsonNumbers } from "../../engine/results/number-format.js";
import { loadScenarioFile } from "../../engine/scenario/load.js";
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
}

export async function runEval(args: EvalArgs, io: Io): Promise<number> {
  try {
    const loaded = loadScenarioFile(args.file, args.set ?? [], args.unset ?? [], { figures: false });
    const at = parseNumberList(args.at, "--at");
    await prepareSolvers(loaded.scenario);
    const solution = solveScenario(loaded.scenario);
    // the same names as `lpe solve` checks (a reviewer's target typo passed eval, failed solve)
    for (const n of checkResultNames(loaded.scenario, solution)) io.err(`lpe: note: ${n}`);
    const th = solution.curves.theta;
    const [lo, hi] = [th[0], th[th.length - 1]];
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
