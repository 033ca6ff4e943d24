// The body of `lpe calibrate FILE [--out DIR] [--workers N] [--set …] [--unset …]` (cli/commands/calibrate.ts
// starts the pool, then calls this): load and check everything (exit 2 before anything is
// written: the schema, the calibrate block, the target names against the market's outputs),
// run the calibration (run.ts), solve the market at the fit once more for its optimality
// certificate and checks (said on the terminal, and in calibration.json and .csv, as lpe solve
// says them), then publish DIR/<name>/ — calibrated.json (a valid scenario with
// the fitted values and a description of how they were obtained), calibration.json,
// calibration.csv and figures/ (calibration-fit, profile-<path>) — as one result set beside the
// folder's other files (a solve's or a sweep's, which are carried over).
// Exit status: 0 when the fit succeeded (warnings, e.g. non-identification, are printed loudly
// on stderr and recorded); 1 when it failed (no start converged, or a target that cannot be met
// inside the bounds, named): then calibration.json/.csv and the figures are still written, for
// diagnosis, but no calibrated.json.
// The output bytes do not depend on --workers (every task is deterministic); timings go to the
// terminal only.

import { join } from "node:path";
import { InputError } from "../../engine/errors.js";
import { checkDirCreatable, writeFileAtomic } from "../../engine/results/atomic-write.js";
import { csvText } from "../../engine/results/csv-cell.js";
import { formatNumber, jsonNumbers } from "../../engine/results/number-format.js";
import { publishResultSet, recoverResultSet, type CarryRule } from "../../engine/results/result-set.js";
import { removeStaleTempFiles } from "../../engine/results/temp-files.js";
import { loadScenarioFile, parseScenario } from "../../engine/scenario/load.js";
import { parseWorkLimit } from "../../engine/scenario/limits.js";
import { setPath } from "../../engine/scenario/overrides.js";
import type { Scenario } from "../../engine/scenario/spec-types.js";
import { ENGINE_VERSION } from "../../engine/version.js";
import { engineBuild } from "../../engine/build-id.js";
import { prepareSolvers, solveScenario } from "../../solvers/solve.js";
import { certificateVerdict, type Certificate } from "../../solvers/types.js";
import { reportError, type Io } from "../../engine/io.js";
import { positiveInt, workerCount } from "../sweep-options.js";
import { CalibrationProblem } from "./problem.js";
import { calibrateProblems } from "./checks.js";
import { calibrate, STALLED, type CalibrationResult, type TaskExecutor } from "./run.js";

export interface CalibrateArgs {
  file: string;
  out?: string;
  workers?: number;
  set?: string[];
  unset?: string[];
  figures?: boolean;
  /** --work-limit: seconds of estimated computing allowed per solve, or none */
  workLimit?: string;
  "work-limit"?: string;
}

export const CALIBRATED_JSON = "calibrated.json";
export const CALIBRATION_JSON = "calibration.json";
export const CALIBRATION_CSV = "calibration.csv";

/** The calibration's own files in DIR/<name>/ (everything else there is carried over). */
const OWN = /^(?:calibrated\.json|calibration\.json|calibration\.csv|\.(?:calibrated\.json|calibration\.json|calibration\.csv)\.\d+\.\d+\.tmp)$/;
const OWN_FIGURE = /^(?:calibration-fit|profile-[A-Za-z0-9._-]+?)\.(?:svg|pdf|tex|csv|caption\.txt)(?:\.\d+\.\d+\.tmp)?$/;

export const calibrationCarry: CarryRule = (rel) => {
  if (rel === "figures") return "split";
  if (rel.startsWith("figures/")) {
    const f = rel.slice("figures/".length);
    return f.includes("/") || !OWN_FIGURE.test(f);
  }
  return !OWN.test(rel);
};

const g6 = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(6))) : "not a number");

/** The calibrated scenario: the file's JSON (after --set) with the fitted values and a description. */
export function calibratedScenario(
  raw: unknown,
  problem: CalibrationProblem,
  r: CalibrationResult,
  origin: { name: string; overrides: readonly string[] } = { name: String((raw as { name?: unknown }).name ?? ""), overrides: [] },
): unknown {
  // The run's own name (with the overrides' suffix: the folder it was written to), so that
  // solving the calibrated file never writes into the folder of the scenario without them.
  let out = setPath(raw, ["name"], origin.name, "name");
  for (const p of problem.params) out = setPath(out, p.segments, r.params[p.path], `calibrate.params.${p.path}`);
  const converged = r.starts.filter((s) => s.converged).length;
  const id = r.identification;
  const how =
    `Calibrated by lpe ${ENGINE_VERSION} (lpe calibrate): ` +
    problem.params.map((p) => `${p.path} = ${g6(r.params[p.path])} (free in [${p.min}, ${p.max}]${p.log ? ", log scale" : ""})`).join(", ") +
    ` fitted to ` +
    problem.targets.map((t) => `${t.name} = ${t.observed} (fitted ${g6(r.targets[t.name].fitted)}${r.targets[t.name].met === false ? ", MISSED" : ""})`).join(", ") +
    ` by least squares from ${problem.starts} starts of a seeded Latin hypercube (seed ${problem.seed}), ${converged} converged` +
    (id.startsAgree ? ", all at the same optimum" : ", NOT all at the same optimum") +
    `; identification: rank ${id.rank} of ${problem.k}` +
    (id.conditionNumber !== null ? `, condition number ${g6(id.conditionNumber)}` : "") +
    (id.unidentified.length ? `, NOT pinned down: ${id.unidentified.join(", ")}` : "") +
    "." +
    // the text before this describes the scenario file; the overrides changed it
    (origin.overrides.length ? ` The scenario file was changed by ${origin.overrides.join(" ")} before calibrating (the description before this sentence is the file's own).` : "");
  // A calibrated file calibrated again keeps its own text, not the previous run's account.
  const own = String((raw as { description?: unknown }).description ?? "").split(" Calibrated by lpe ")[0].replace(/^Calibrated by lpe .*$/s, "").trim();
  return setPath(out, ["description"], own ? `${own} ${how}` : how, "description");
}

/** Whether the market at the fit is solved to a certified optimum (as `lpe solve` says it), and
 *  whether its a-posteriori checks pass. */
export interface FitOptimality extends Certificate {
  checksPassed: boolean;
  checkFailures: string[];
}

/**
 * The equilibrium at the fitted parameters, solved once more as `lpe solve` solves it: its
 * certificate and checks. Why: the fitted numbers are the model's outputs at that point, and a
 * calibration whose market is not certified optimal there fits an allocation that may not be the
 * equilibrium; a reviewer found no word of it in the terminal or the files (only `lpe solve` of
 * calibrated.json said "optimality: certified"). Null when no scenario at the fit could be built.
 */
export function fitOptimality(fitted: Scenario | undefined): FitOptimality | null {
  if (!fitted) return null;
  try {
    const s = solveScenario(fitted);
    return { ...s.certificate, checksPassed: s.checks.passed, checkFailures: [...s.checks.failures] };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { certified: false, optimalityGap: null, certificate: `not certified: the market at the fit could not be solved (${why})`, checksPassed: false, checkFailures: [] };
  }
}

/** The optimality line (as lpe solve prints it), for the terminal and calibration.csv. */
export function fitOptimalityText(o: FitOptimality): string {
  return certificateVerdict(o) + (o.checksPassed ? "" : `; checks FAILED${o.checkFailures.length ? `: ${o.checkFailures.join("; ")}` : ""}`);
}

/**
 * The calibration's status, first in calibration.json and calibration.csv: "calibrated";
 * "calibrated, targets missed (more targets than parameters): a, b" when the least-squares fit
 * misses targets it could not all meet (the run succeeds, exit 0, as the README says: the miss is
 * the fit's verdict — a reviewer read a plain "calibrated" beside 36 % misses as a fit that met
 * them); or "FAILED: " and why.
 */
export function calibrationStatus(r: Pick<CalibrationResult, "failure" | "unmetTargets">): string {
  if (r.failure !== null) return `FAILED: ${r.failure}`;
  return r.unmetTargets.length > 0 ? `calibrated, targets missed (more targets than parameters): ${r.unmetTargets.join(", ")}` : "calibrated";
}

/** calibration.csv: targets, parameters, then every start (one row per start and parameter). */
export function calibrationCsv(problem: CalibrationProblem, r: CalibrationResult, optimality: FitOptimality | null = null): string {
  const rows: string[] = ["row,name,start,initial,final,observed,fitted,residual,standardized,objective,converged"];
  const n = formatNumber;
  // first: whether the calibration succeeded (the param rows' `converged` is the optimizer's,
  // 1 for a fit that misses a target; a reviewer read such a file as a valid calibration)
  rows.push(["status", csvText(calibrationStatus(r)), "", "", "", "", "", "", "", "", r.failure === null ? "1" : "0"].join(","));
  // then whether the market at the fit is certified optimal (1) or not (0), as lpe solve says it
  if (optimality) rows.push(["optimality", csvText(fitOptimalityText(optimality)), "", "", "", "", "", "", "", "", optimality.certified && optimality.checksPassed ? "1" : "0"].join(","));
  for (const t of problem.targets) {
    const x = r.targets[t.name];
    rows.push(["target", csvText(t.name), "", "", "", n(x.observed), n(x.fitted), n(x.residual), n(x.standardized), "", x.met ? "1" : "0"].join(","));
  }
  // (an undefined objective, an output not a number at the fit: an empty cell)
  const obj = (v: number) => (Number.isFinite(v) ? n(v) : "");
  for (const p of problem.params) rows.push(["param", csvText(p.path), "", "", n(r.params[p.path]), "", "", "", "", obj(r.objective), r.converged ? "1" : "0"].join(","));
  for (const s of r.starts) {
    for (const p of problem.params) {
      rows.push(["start", csvText(p.path), String(s.index), n(s.initial[p.path]), n(s.final[p.path]), "", "", "", "", obj(s.objective), s.converged ? "1" : "0"].join(","));
    }
  }
  return rows.join("\n") + "\n";
}

function summary(problem: CalibrationProblem, r: CalibrationResult, seconds: number): string[] {
  const lines: string[] = [];
  const w = Math.max(...problem.params.map((p) => p.path.length), ...problem.targets.map((t) => t.name.length));
  lines.push("fitted parameters:");
  for (const p of problem.params) lines.push(`  ${p.path.padEnd(w)}  ${g6(r.params[p.path])}   [${p.min}, ${p.max}]${p.log ? " log" : ""}`);
  lines.push("targets (observed → fitted, residual):");
  for (const t of problem.targets) {
    const x = r.targets[t.name];
    lines.push(`  ${t.name.padEnd(w)}  ${t.observed} → ${g6(x.fitted)}   ${x.residual.toExponential(2)}${x.met ? "" : "   NOT MET"}`);
  }
  const id = r.identification;
  const stalled = r.starts.filter((s) => s.reason.startsWith(STALLED)).length;
  const converged = r.starts.filter((s) => s.converged).length;
  // (a start neither converged nor stalled is counted too: a reviewer's 8th start went unmentioned)
  const other = r.starts.filter((s) => !s.converged && !s.reason.startsWith(STALLED));
  const stops = [stalled > 0 ? `${stalled} stalled on a flat region` : "", other.length > 0 ? `${other.length} stopped otherwise: ${[...new Set(other.map((s) => s.reason))].join("; ")}` : ""].filter(Boolean);
  const undefinedAt = problem.targets.filter((t) => !Number.isFinite(r.targets[t.name].fitted)).map((t) => t.name);
  lines.push(
    (undefinedAt.length > 0
      ? `identification: not assessed (${undefinedAt.join(", ")} not a number at the best fit)`
      : `identification: rank ${id.rank} of ${problem.k}, condition number ${id.conditionNumber === null ? "∞" : g6(id.conditionNumber)}` +
        `, unidentified: ${id.unidentified.length ? id.unidentified.join(", ") : "none"}`) +
      `; starts: ${converged} of ${r.starts.length} converged` +
      (stops.length > 0 ? ` (${stops.join(", ")})` : "") +
      `, ${id.optima.length} distinct optim${id.optima.length === 1 ? "um" : "a"}`,
  );
  lines.push(`objective ${undefinedAt.length > 0 ? "undefined (an output is not a number)" : r.objective.toExponential(3)}; ${r.evaluations} solves in ${seconds.toFixed(2)} s`);
  return lines;
}

/** The calibration's figures as data (figures/builders/calibration.ts draws them). */
export interface CalibrationFigureData {
  /** why the calibration failed (a target not met, no start converged); null when it succeeded */
  failure: string | null;
  params: Record<string, number>;
  targets: Record<string, { observed: number; fitted: number; met?: boolean; relativeMiss?: number | null }>;
  objective: number;
  profiles: Record<string, { mode: string; values: number[]; objective: (number | null)[] }>;
  logParams: readonly string[];
  /** the other distinct optima the starts found (their parameters and objective), best first */
  otherOptima?: { params: Record<string, number>; objective: number }[];
}

/** Draws the calibration's figures into a folder, returning their names; handed in by the
 *  command (workers/ imports nothing from figures/). */
export type CalibrationFigureWriter = (dir: string, scenario: Scenario, data: CalibrationFigureData) => Promise<string[]>;

export async function runCalibrationJob(args: CalibrateArgs, io: Io, pool?: TaskExecutor & { close(): Promise<void> }, figures?: CalibrationFigureWriter): Promise<number> {
  const t0 = performance.now();
  try {
    // ---- everything that can be wrong with the input, before anything is written
    const workLimitMs = parseWorkLimit(args.workLimit ?? args["work-limit"]);
    const loaded = loadScenarioFile(args.file, args.set ?? [], args.unset ?? [], { workLimitMs });
    const scenario = loaded.scenario;
    if (!scenario.calibrate) throw new InputError("calibrate", "the scenario has no calibrate block: add calibrate.params and calibrate.targets");
    positiveInt(args.workers, "--workers");
    await prepareSolvers(scenario);
    // (the block, whole-number free parameters, target names: what validate checks too)
    const checked = calibrateProblems(loaded.raw, workLimitMs);
    if (checked.problems.length > 0) throw new InputError(checked.problems[0].path, checked.problems[0].message);
    for (const n of checked.notes) io.err(`lpe: note: ${n}`);
    const problem = new CalibrationProblem(loaded.raw, workLimitMs);
    const dir = join(args.out ?? "results", scenario.name);
    // a folder that cannot be made is said before the fit, not after it (exit 3)
    checkDirCreatable(dir);

    // ---- the calibration
    // (with a pool the calling thread runs no fit itself: poolThreads)
    const result = await calibrate(problem, { pool, local: pool ? false : undefined });
    const seconds = (performance.now() - t0) / 1000;

    // ---- the files
    // the scenario at the best fit: written as calibrated.json when the calibration succeeded, and
    // the scenario the figures' captions describe either way (they gave the file's values before
    // the fit, beside the fitted ones: a reviewer's two values of γ_L in one caption)
    const atFit = calibratedScenario(loaded.raw, problem, result, { name: scenario.name, overrides: loaded.provenance.overrides });
    // (a failed fit's point may not be a valid scenario, e.g. no start converged: the captions then
    // keep the file's values, and say the calibration failed; a successful fit's must be valid)
    let atFitScenario: Scenario | undefined;
    try {
      atFitScenario = parseScenario(atFit, { workLimitMs });
    } catch (e) {
      if (result.failure === null || !(e instanceof InputError)) throw e;
    }
    const fittedScenario = atFitScenario ?? scenario;
    // the market at the fit, solved as lpe solve would: certified optimal or not (fitOptimality)
    const optimality = fitOptimality(atFitScenario);
    const body = {
      name: scenario.name,
      // first, so that a reader of the file alone sees a failed calibration as one (`converged`
      // below is the optimizer's, and is true for a fit that misses a target)
      status: calibrationStatus(result),
      // the market at the fit: its optimality certificate and checks (null: no scenario there)
      optimalityAtFit: optimality,
      params: result.params,
      targets: result.targets,
      objective: result.objective,
      converged: result.converged,
      failure: result.failure,
      identification: result.identification,
      jacobian: result.jacobian,
      starts: result.starts,
      profiles: result.profiles,
      design: result.design,
      evaluations: result.evaluations,
      meta: {
        engineVersion: ENGINE_VERSION,
        engineBuild: engineBuild(),
        scenarioSha256: loaded.sha256,
        seed: problem.seed,
        gridPoints: scenario.grid.points,
        createdBy: `lpe ${ENGINE_VERSION}`,
        // the full resolved scenario and how it came about, as summary.json records them
        scenarioFile: loaded.provenance.scenarioFile,
        overrides: loaded.provenance.overrides,
        scenario: loaded.resolved,
      },
    };
    const json = JSON.stringify(body, jsonNumbers, 2) + "\n";
    const csv = calibrationCsv(problem, result, optimality);
    const calibrated = result.failure === null ? atFit : undefined;
    const drawFigures = args.figures !== false ? figures : undefined;
    removeStaleTempFiles([dir, join(dir, "figures")]);
    recoverResultSet(join(dir, "figures"));
    const written = await publishResultSet(
      dir,
      async (stage) => {
        const files: string[] = [];
        if (calibrated !== undefined) {
          writeFileAtomic(join(stage, CALIBRATED_JSON), JSON.stringify(calibrated, jsonNumbers, 2) + "\n");
          files.push(join(dir, CALIBRATED_JSON));
        }
        writeFileAtomic(join(stage, CALIBRATION_JSON), json);
        writeFileAtomic(join(stage, CALIBRATION_CSV), csv);
        files.push(join(dir, CALIBRATION_JSON), join(dir, CALIBRATION_CSV));
        if (drawFigures) {
          const stems = await drawFigures(join(stage, "figures"), fittedScenario, {
            failure: result.failure,
            params: result.params,
            targets: result.targets,
            objective: result.objective,
            profiles: result.profiles,
            logParams: problem.params.filter((p) => p.log).map((p) => p.path),
            otherOptima: result.identification.optima.slice(1).map((o) => ({ params: o.params, objective: o.objective })),
          });
          // (one figure without braces, as lpe solve lists it)
          if (stems.length) files.push(`${join(dir, "figures")}/${stems.length === 1 ? stems[0] : `{${stems.join(",")}}`}.{svg,pdf,tex,csv,caption.txt}`);
        }
        return files;
      },
      calibrationCarry,
    );

    for (const l of summary(problem, result, seconds)) io.out(l);
    if (optimality) {
      const line = `optimality at the fit: ${fitOptimalityText(optimality)}`;
      io.out(line);
      // (an uncertified equilibrium is said on stderr too, as lpe solve says it)
      if (!optimality.certified || !optimality.checksPassed) io.err(`lpe: ${scenario.name}: ${line}`);
    }
    for (const w of result.identification.warnings) io.err(`lpe: WARNING: ${w}`);
    io.out(`wrote ${written.join(", ")}`);
    if (result.failure !== null) {
      io.err(`lpe: calibration failed: ${result.failure}; no ${CALIBRATED_JSON} written (see ${join(dir, CALIBRATION_JSON)})`);
      return 1;
    }
    return 0;
  } catch (e) {
    return reportError(e, io, args.file);
  }
}

/** Pool threads for N workers (default: all cores; at most the cores, workers/sweep-options.ts
 *  workerCount): N ≥ 2 workers are N pool threads, the calling thread only hands out the fits and
 *  so stays free to answer Ctrl-C at once (it ran fits too until 7 Dec 2026, and a signal then
 *  waited for the fit in progress: 13–47 s, a reviewer's); one worker is the calling thread alone
 *  (no thread to start; a signal waits for the fit in progress, seconds). */
export function poolThreads(workers: number | undefined): number {
  const n = workerCount(positiveInt(workers, "--workers"));
  return n >= 2 ? n : 0;
}
