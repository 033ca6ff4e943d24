// `lpe validate FILE… [--set PATH=VALUE]… [--unset PATH]…`: schema and economic checks of
// scenario files (README "Commands"), every problem on its own line with its JSON
// path, so a file can be fixed in one pass. A sweep block is checked as `lpe sweep` will check
// it (workers/sweep-validate.ts, loaded only then): output and curve names, and every grid
// point as a scenario. Exit status 0 when every file is valid, 2 otherwise (bad input), or the
// worst status of a file that could not be checked at all; later files are checked anyway.

import { sweepAxisNotes, validateScenarioFile, type Problem } from "../../engine/scenario/load.js";
import { parseWorkLimit, workProblems } from "../../engine/scenario/limits.js";
import { reportError } from "../io.js";
import { availableParallelism } from "node:os";
import { durationText } from "../../workers/progress.js";

/** A sweep whose points would take at least this long on one core gets an estimate from validate. */
const LONG_SWEEP_SECONDS = 60;
/** One point's time: "35 ms", "2.1 s". */
const pointTime = (s: number) => (s < 1 ? `${Number((s * 1000).toPrecision(2))} ms` : `${Number(s.toPrecision(2))} s`);

/** Output sinks; each call writes exactly the given text (lines include their "\n"). */
export interface CommandIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

export async function runValidate(files: readonly string[], sets: readonly string[], io: CommandIO, unsets: readonly string[] = [], workLimit?: string): Promise<number> {
  if (files.length === 0) {
    io.err("lpe validate: give at least one scenario file\n");
    return 2;
  }
  let workLimitMs: number | undefined;
  try {
    workLimitMs = parseWorkLimit(workLimit);
  } catch (e) {
    return reportError(e, { out: (t) => io.out(t.endsWith("\n") ? t : t + "\n"), err: (t) => io.err(t.endsWith("\n") ? t : t + "\n") });
  }
  let status = 0;
  for (const file of files) {
    let problems: Problem[];
    let note = "";
    let after = "";
    try {
      // a file with a sweep block is priced as `lpe sweep` runs it (its points), not by the
      // figures `lpe solve` would draw; that limit is then a note, not a problem
      const checked = validateScenarioFile(file, sets, unsets, { sweepPoints: "ifSweep", workLimitMs });
      problems = checked.problems;
      const base = checked.loaded?.scenario;
      if (base?.sweep && problems.length === 0) {
        // (what `lpe solve` of the same file would be held to: the solve and its figures)
        for (const p of workProblems(base, true, false, workLimitMs)) {
          const how = p.path.startsWith("figures") ? "`lpe solve` with its figures" : "`lpe solve`";
          after += `note: ${how} would refuse this scenario (${p.path ? `${p.path}: ` : ""}${p.message}); \`lpe sweep\` runs it\n`;
        }
      }
      if (checked.loaded?.scenario.calibrate && problems.length === 0) {
        // as `lpe calibrate` checks its block before it fits (target names by one solve)
        const [{ calibrateProblems }, { prepareSolvers }] = await Promise.all([import("../../workers/calibrate/checks.js"), import("../../solvers/solve.js")]);
        await prepareSolvers(checked.loaded.scenario);
        const cal = calibrateProblems(checked.loaded.raw, workLimitMs);
        problems.push(...cal.problems);
        for (const n of cal.notes) after += `note: ${n}\n`;
      }
      if (checked.loaded?.scenario.sweep && problems.length === 0) {
        const [{ sweepProblems, sweepSecondsEstimate }, { prepareSolvers }] = await Promise.all([import("../../workers/sweep-validate.js"), import("../../solvers/solve.js")]);
        // the output names are learned by one solve, as the run does
        await prepareSolvers(checked.loaded.scenario);
        const sweep = sweepProblems(checked.loaded, undefined, workLimitMs);
        problems.push(...sweep.problems);
        for (const n of sweepAxisNotes(checked.loaded.scenario)) after += `note: ${n}\n`;
        note = sweep.checked === sweep.size ? (sweep.size === 1 ? " (sweep: its one grid point checked)" : ` (sweep: all ${sweep.size} grid points checked)`) : ` (sweep: ${sweep.checked} of ${sweep.size} grid points checked, a deterministic sample)`;
        // how long the run would take, when that is long enough to plan for
        const estimate = sweep.problems.length === 0 ? sweepSecondsEstimate(checked.loaded, workLimitMs) : undefined;
        if (estimate && estimate.seconds >= LONG_SWEEP_SECONDS) {
          const { seconds, points } = estimate;
          const cores = availableParallelism();
          after +=
            `note: ${points} of the sweep's points, evenly spread, took ${pointTime(seconds / sweep.size)} each on average here (${pointTime(estimate.checkSeconds)} of this check): ` +
            `its ${sweep.size} points would take about ${durationText(seconds)} of one core${cores > 1 ? ` (${durationText(seconds / cores)} with --workers ${cores})` : ""}; ` +
            `a guide: these ran cold, and other points may cost more or less\n`;
        }
      }
    } catch (e) {
      // Whatever went wrong with this file, the files after it are still checked.
      status = Math.max(status, reportError(e, { out: (t) => io.out(t.endsWith("\n") ? t : t + "\n"), err: (t) => io.err(t.endsWith("\n") ? t : t + "\n") }, file));
      continue;
    }
    if (problems.length === 0) {
      io.out(`ok  ${file}${note}\n${after}`);
      continue;
    }
    status = Math.max(status, 2);
    for (const p of problems) io.err(`${file}: ${p.path ? `${p.path}: ` : ""}${p.message}\n`);
  }
  return status;
}
