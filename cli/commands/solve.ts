// `lpe solve FILE [--json] [--out DIR] [--set PATH=VALUE]… [--no-figures]`: load and validate
// the scenario (nothing is written if that fails), solve it, write
// DIR/<name>/summary.json, curves.csv and the scenario's figures, all atomically.

import { basename, join } from "node:path";
import { writeFileAtomic } from "../../engine/results/atomic-write.js";
import { removeStaleTempFiles } from "../../engine/results/temp-files.js";
import { curvesToCsv } from "../../engine/results/curves-csv.js";
import { jsonNumbers } from "../../engine/results/number-format.js";
import { loadScenarioFile } from "../../engine/scenario/load.js";
import { assembleResult, prepareSolvers, solveScenario } from "../../solvers/solve.js";
import { reportError, type Io } from "../io.js";
import { certificateLine, formatReport } from "../report.js";

export interface SolveArgs {
  file: string;
  json?: boolean;
  out?: string;
  set?: string[];
  figures?: boolean;
}

export async function runSolve(args: SolveArgs, io: Io): Promise<number> {
  try {
    const loaded = loadScenarioFile(args.file, args.set ?? []);
    const scenario = loaded.scenario;
    await prepareSolvers(scenario);
    const solution = solveScenario(scenario);
    const result = assembleResult(scenario, solution, { sha256: loaded.sha256 });
    const dir = join(args.out ?? "results", scenario.name);
    removeStaleTempFiles([dir, join(dir, "figures")]);
    const summary = JSON.stringify(result, jsonNumbers, 2) + "\n";
    writeFileAtomic(join(dir, "summary.json"), summary);
    writeFileAtomic(join(dir, "curves.csv"), curvesToCsv(solution.curves));
    const written = [join(dir, "summary.json"), join(dir, "curves.csv")];
    if (args.figures !== false) {
      const { drawScenarioFigures } = await import("../../engine/figures/scenario-figures.js");
      const files = await drawScenarioFigures(scenario, solution, join(dir, "figures"));
      const stems = [...new Set(files.map((f) => basename(f).replace(/\.(svg|pdf|tex|csv|caption\.txt)$/, "")))];
      if (stems.length) written.push(`${join(dir, "figures")}/{${stems.join(",")}}.{svg,pdf,tex,csv,caption.txt}`);
    }
    if (!result.checks.certified) io.err(`lpe: ${scenario.name}: ${certificateLine(result.checks)}`);
    if (args.json) io.out(summary);
    else {
      io.out(formatReport(result));
      io.out(`wrote ${written.join(", ")}`);
    }
    return result.checks.passed ? 0 : 1;
  } catch (e) {
    return reportError(e, io, args.file);
  }
}
