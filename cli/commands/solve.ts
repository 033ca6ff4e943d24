// `lpe solve FILE [--json] [--out DIR] [--set PATH=VALUE]… [--unset PATH]… [--no-figures]`: load
// and validate the scenario (figure selection included: nothing is written if that fails), solve
// it, and publish DIR/<name>/ — summary.json, curves.csv and the scenario's figures — as one set:
// it is built in a temporary folder beside DIR/<name> and swapped in
// (engine/results/result-set.ts), so a failed, full-disk or killed run leaves the previous
// complete set, never a mix. Other commands' files in the folder (a sweep's) are carried over.
// FILE may also be a result (results/<name>/summary.json), which reruns the scenario recorded in
// it. With overrides, <name> carries a suffix spelled from them (engine/scenario/overrides.ts), so
// the unmodified scenario's folder is never replaced; `--set name=NEW` chooses the folder instead.

import { basename, join } from "node:path";
import { checkDirCreatable, writeFileAtomic } from "../../engine/results/atomic-write.js";
import { removeStaleTempFiles } from "../../engine/results/temp-files.js";
import { curvesToCsv } from "../../engine/results/curves-csv.js";
import { uncertifiedStatus } from "../../engine/results/uncertified-status.js";
import { jsonNumbers } from "../../engine/results/number-format.js";
import { publishResultSet, recoverResultSet, type CarryRule } from "../../engine/results/result-set.js";
import { onInterrupt, yieldToSignals } from "../interrupt.js";
import { isScenarioFigureFile } from "../../engine/scenario/figure-catalogue.js";
import { loadNotes, loadScenarioFile } from "../../engine/scenario/load.js";
import { estimateWork, parseWorkLimit } from "../../engine/scenario/limits.js";
import { assembleResult, prepareSolvers, solveScenario } from "../../solvers/solve.js";
import { checkResultNames } from "../../solvers/target-names.js";
import { engineBuild } from "../../engine/build-id.js";
import { reportError, type Io } from "../io.js";
import { figureInputsFor } from "../figure-inputs.js";
import { certificateLine, formatReport } from "../report.js";

export interface SolveArgs {
  file: string;
  json?: boolean;
  out?: string;
  set?: string[];
  unset?: string[];
  figures?: boolean;
  /** exit 4 for a result written but not certified optimal (scripts that must not use one) */
  requireCertified?: boolean;
  "require-certified"?: boolean;
  /** --work-limit: seconds of estimated computing allowed, or none */
  workLimit?: string;
  "work-limit"?: string;
}

/** `--require-certified` and the result is written but not certified optimal (as a sweep's 4:
 *  everything written, not everything good) */
export const EXIT_NOT_CERTIFIED = 4;

/** The files of a solve's set (and temporary files of older versions that wrote them in place). */
const SOLVE_SET = /^(?:summary\.json|curves\.csv|\.(?:summary\.json|curves\.csv)\.\d+\.\d+\.tmp)$/;

/**
 * What a new solve set keeps of the old folder: everything that is not the solve's own (a
 * sweep's files), and in figures/ every file that is not one of the scenario figures (a sweep's
 * figures). Scenario figures the new set does not draw go with the old set.
 */
export const solveCarry: CarryRule = (rel) => {
  if (rel === "figures") return "split";
  if (rel.startsWith("figures/")) return !rel.slice("figures/".length).includes("/") && !isScenarioFigureFile(rel.slice("figures/".length));
  return !SOLVE_SET.test(rel);
};

/** Solves estimated to take this long say first that Ctrl-C stops them at once (every solve runs
 *  without a signal handler). */
const LONG_SOLVE_SECONDS = 2;

export async function runSolve(args: SolveArgs, io: Io): Promise<number> {
  let where = "";
  const kept = () => `nothing of this solve was published (its files are published together at the end)${where ? `; ${where} keeps what it held` : ""}`;
  let off = onInterrupt(io, kept);
  try {
    const workLimitMs = parseWorkLimit(args.workLimit ?? args["work-limit"]);
    const loaded = loadScenarioFile(args.file, args.set ?? [], args.unset ?? [], { figures: args.figures !== false, workLimitMs });
    const scenario = loaded.scenario;
    const out = args.out ?? "results";
    await prepareSolvers(scenario);
    // JavaScript takes a signal only between two steps, and the solve is one: with a handler in
    // place, Ctrl-C (or a batch system's SIGTERM) waited for a long solve to end (a reviewer's
    // ran on for minutes after SIGTERM). So every solve runs without one — a signal ends the
    // process at once, with nothing written — and one estimated to take seconds says so first.
    // (Until 7 Dec 2026 only those did, and a value–scale law estimated at 1.3 s that ran for
    // minutes could be stopped by SIGKILL alone: a reviewer's.)
    const seconds = estimateWork(scenario, false).solveMs / 1000;
    // a folder that cannot be made is said before the solve, not after it (exit 3)
    checkDirCreatable(join(out, scenario.name));
    off();
    if (seconds >= LONG_SOLVE_SECONDS) io.err(`lpe: note: this solve takes about ${Math.ceil(seconds)} s; Ctrl-C stops it at once (nothing is written until it ends)`);
    const solution = solveScenario(scenario);
    off = onInterrupt(io, kept);
    // A Ctrl-C pressed during the (synchronous) solve is delivered here, before anything is
    // published: the handler says nothing was written and exits 130 (a reviewer's Ctrl-C during
    // a 300-type LP was acted on only after the files were written, and the run exited 0).
    await yieldToSignals();
    // the calibrate block's targets name outputs of this market (the calibration figure draws
    // each one); a typo in the sweep block's names is noted (`lpe sweep` refuses it)
    for (const n of checkResultNames(scenario, solution)) io.err(`lpe: note: ${n}`);
    // (where the results go, once the scenario has passed every check: the note came before a
    // refusal of a calibrate target's name, which is checked against the solution, a reviewer's)
    for (const n of loadNotes(loaded, out)) io.err(`lpe: note: ${n}`);
    const result = assembleResult(scenario, solution, { sha256: loaded.sha256, build: engineBuild(), provenance: { ...loaded.provenance, scenario: loaded.resolved } });
    const dir = join(out, scenario.name);
    where = dir;
    removeStaleTempFiles([dir, join(dir, "figures")]);
    const summary = JSON.stringify(result, jsonNumbers, 2) + "\n";
    const figureLayer = args.figures !== false ? await import("../../figures/draw-scenario.js") : undefined;
    // the figures' sweeps and extra solves, computed before the result set is staged
    const inputs = figureLayer ? await figureInputsFor(scenario, solution, undefined, dir, undefined, workLimitMs) : undefined;
    await yieldToSignals();
    // Leftovers of a killed `lpe figures` inside the folder, before the folder is carried over.
    recoverResultSet(join(dir, "figures"));
    const figureWarnings: string[] = [];
    const files = await publishResultSet(
      dir,
      async (stage) => {
        writeFileAtomic(join(stage, "summary.json"), summary);
        writeFileAtomic(join(stage, "curves.csv"), curvesToCsv(solution.curves, result.checks.certified ? undefined : uncertifiedStatus(result.checks.optimalityGap, result.checks.uncertifiedParts, result.checks.reportedMenu)));
        return figureLayer && inputs
          ? figureLayer.drawScenarioFigures(scenario, solution, join(stage, "figures"), {
              inputs,
              onFigure: (spec) => {
                if (spec.warnings) figureWarnings.push(`lpe: ${scenario.name}: figure ${spec.name}: ${spec.warnings.join("; ")} (its caption says so)`);
              },
            })
          : [];
      },
      solveCarry,
    );
    const written = [join(dir, "summary.json"), join(dir, "curves.csv")];
    const stems = [...new Set(files.map((f) => basename(f).replace(/\.(svg|pdf|tex|csv|caption\.txt)$/, "")))];
    if (stems.length) written.push(`${join(dir, "figures")}/${stems.length === 1 ? stems[0] : `{${stems.join(",")}}`}.{svg,pdf,tex,csv,caption.txt}`);
    if (!result.checks.certified) io.err(`lpe: ${scenario.name}: ${certificateLine(result.checks)}`);
    for (const w of figureWarnings) io.err(w);
    if (args.json) io.out(summary);
    else {
      io.out(formatReport(result));
      io.out(`wrote ${written.join(", ")}`);
    }
    if (!result.checks.passed) return 1;
    if ((args.requireCertified ?? args["require-certified"]) && !result.checks.certified) {
      // (a script sees exit 4; a person reading the terminal is told why)
      io.err(`lpe: exit ${EXIT_NOT_CERTIFIED}: --require-certified and the result is not certified optimal (the files are written)`);
      return EXIT_NOT_CERTIFIED;
    }
    return 0;
  } catch (e) {
    return reportError(e, io, args.file);
  } finally {
    off();
  }
}
