// `lpe figures [FILE…] [--only NAME…] [--out DIR]` (`npm start` runs it with no files): solve
// each scenario (default: every *.json under scenarios/, recursively, in sorted order) and
// write its figures to DIR/<name>/figures/, one line per figure. A bad scenario is reported with
// its path (exit 2), a failed solve too (exit 1), a full disk or a read-only folder as well
// (exit 3); either way the remaining scenarios still run, and the exit status is the worst seen.
// Each scenario's figures/ is replaced as a whole (built beside it, then swapped in).

import { readdirSync, statSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import type { Scenario } from "../../engine/scenario/spec-types.js";
import { writeFileAtomic } from "../../engine/results/atomic-write.js";
import type { GalleryFigure, GalleryScenario } from "../../figures/gallery.js";
import { InputError } from "../../engine/errors.js";
import { onInterrupt, yieldToSignals } from "../interrupt.js";
import { publishResultSet, recoverResultSet } from "../../engine/results/result-set.js";
import { FIGURE_NEEDS, isScenarioFigureFile } from "../../engine/scenario/figure-catalogue.js";
import { loadScenarioFile } from "../../engine/scenario/load.js";
import { parseWorkLimit } from "../../engine/scenario/limits.js";
import { prepareSolvers, solveScenario } from "../../solvers/solve.js";
import { checkResultNames } from "../../solvers/target-names.js";
import { closestNames, didYouMean } from "../../engine/scenario/closest.js";
import { certificateLine } from "../report.js";
import { reportError, type Io } from "../io.js";
import { figureInputsFor } from "../figure-inputs.js";
import type { WorkerPool } from "../../workers/pool.js";
import { oversubscribed, positiveInt, workerCount } from "../../workers/sweep-options.js";
import type { SpecDrawer } from "../../figures/figure-drawer.js";

export interface FiguresArgs {
  files?: string[];
  only?: string[];
  out: string;
  /** N > 1: the sweeps on this thread and N − 1 pool threads, plus a figure-drawing thread (default: defaultWorkers()) */
  workers?: number;
  /** write DIR/index.html, the gallery of the figures drawn (default: when no FILE is given, as in `npm start`) */
  gallery?: boolean;
  /** --work-limit: seconds of estimated computing allowed per scenario (its solve and figures), or none */
  workLimit?: string;
  "work-limit"?: string;
}

/** The gallery page, in the output folder. */
export const GALLERY_FILE = "index.html";

export const SCENARIO_ROOT = "scenarios";

/** Every .json file under `root`, recursively, sorted by path (a stable order for the log). */
export function findScenarioFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && entry.name.endsWith(".json")) out.push(p);
    }
  };
  walk(root);
  return out;
}

/** "results/x/figures/quality.{svg,pdf,tex,csv,caption.txt}" for the files of one figure. */
function summarize(files: string[]): string {
  const stem = files[0].replace(/\.[^/.]+$/, "");
  const exts = files.map((f) => f.slice(stem.length + 1));
  return `${stem}.{${exts.join(",")}}`;
}

/**
 * Threads by default: all cores when at least one is idle (the 1-minute load average leaves a
 * whole core free), else this thread alone — on a machine whose cores are all busy, more threads
 * only add their start-up (loading vega, pdfkit and the solvers again) to the work. The files
 * are the same bytes either way.
 */
export function defaultWorkers(cores = availableParallelism(), load = loadavg()[0]): number {
  return cores - load >= 1 ? cores : 1;
}

export async function runFigures(args: FiguresArgs, io: Io): Promise<number> {
  const { FIGURE_NAMES } = await import("../../figures/scenario-figures.js");
  const only = args.only ?? [];
  const unknown = only.filter((n) => !FIGURE_NAMES.includes(n));
  if (unknown.length > 0) {
    const hint = unknown.length === 1 ? didYouMean(closestNames(unknown[0], FIGURE_NAMES)) : "";
    return reportError(new InputError("--only", `no figure named ${unknown.map((n) => JSON.stringify(n)).join(", ")}${hint}; figures: ${FIGURE_NAMES.join(", ")}`), io);
  }
  let files = args.files ?? [];
  if (files.length === 0) {
    try {
      if (!statSync(SCENARIO_ROOT).isDirectory()) throw new Error("not a directory");
    } catch {
      return reportError(new InputError("", `no scenario files given and no ${SCENARIO_ROOT}/ directory here (${process.cwd()})`), io);
    }
    files = findScenarioFiles(SCENARIO_ROOT);
  }

  // One pool for every scenario's figure sweeps (threads beyond this one), started now so that
  // its threads load the solvers while this one solves the first scenarios.
  // Likewise a thread that draws every other figure while this one draws the rest (drawing,
  // not solving, is most of `npm start`).
  let pool: WorkerPool | undefined;
  let helper: SpecDrawer | undefined;
  let threads: number;
  let workLimitMs: number | undefined;
  try {
    const requested = positiveInt(args.workers, "--workers");
    workLimitMs = parseWorkLimit(args.workLimit ?? args["work-limit"]);
    threads = workerCount(requested ?? defaultWorkers()) - 1;
    if (requested !== undefined && requested > threads + 1) io.err(`lpe: note: ${oversubscribed(requested, threads + 1)}`);
  } catch (e) {
    return reportError(e, io);
  }
  if (threads > 0) {
    const { startPool } = await import("../../workers/pool.js");
    const { startFigureThread } = await import("../../figures/figure-drawer.js");
    pool = await startPool(threads);
    helper = startFigureThread();
  }
  try {
    return await drawAll(files, args, only, io, { pool, helper }, args.gallery ?? (args.files ?? []).length === 0, workLimitMs);
  } finally {
    await pool?.close();
    await helper?.close();
  }
}

async function drawAll(
  files: string[],
  args: FiguresArgs,
  only: string[],
  io: Io,
  { pool, helper }: { pool?: WorkerPool; helper?: SpecDrawer },
  gallery: boolean,
  workLimitMs: number | undefined,
): Promise<number> {
  const { FIGURE_NAMES, availableFigures, checkFigureSelection } = await import("../../figures/scenario-figures.js");
  const { drawScenarioFigures } = await import("../../figures/draw-scenario.js");
  const { renderCaption } = await import("../../figures/caption.js");
  let status = 0;
  let figures = 0;
  const shown: GalleryScenario[] = [];
  // Every file is read and checked before anything is drawn: bad input (exit 2) writes nothing.
  const seen = new Map<string, string>();
  const seenFiles = new Map<string, string>();
  const scenarios: { file: string; scenario: Scenario }[] = [];
  for (const file of files) {
    try {
      const same = seenFiles.get(resolve(file));
      if (same !== undefined) throw new InputError("", `is given twice${same === file ? "" : ` (as ${same} and as ${file})`}: name each scenario once`);
      seenFiles.set(resolve(file), file);
      const { scenario } = loadScenarioFile(file, [], [], { workLimitMs });
      const first = seen.get(scenario.name);
      if (first !== undefined) throw new InputError("name", `"${scenario.name}" is also the name of ${first}: both would write ${join(args.out, scenario.name)}`);
      seen.set(scenario.name, file);
      checkFigureSelection(scenario);
      scenarios.push({ file, scenario });
    } catch (e) {
      status = Math.max(status, reportError(e, io, file));
    }
  }
  if (status !== 0) {
    io.out(`no figures drawn: the scenario files have errors (above); every file is checked before anything is drawn`);
    return status;
  }
  // --only naming figures that none of the scenarios draws is a mistake (a figure of another
  // market), as a misspelt name is: exit 2 before anything is solved
  if (only.length > 0 && scenarios.length > 0 && !scenarios.some(({ scenario }) => availableFigures(scenario).some((n) => only.includes(n)))) {
    const kinds = [...new Set(scenarios.map(({ scenario }) => scenario.market.kind))];
    return reportError(
      new InputError("--only", `no scenario given draws ${only.join(", ")} (market kind${kinds.length === 1 ? "" : "s"} ${kinds.join(", ")}; ${scenarios.length === 1 ? `its figures: ${availableFigures(scenarios[0].scenario).join(", ") || "none"}` : "see lpe figures --help"})`),
      io,
    );
  }
  let finished = 0;
  let current = "";
  const off = onInterrupt(
    io,
    () =>
      `the figures of ${finished} of ${scenarios.length} scenario${scenarios.length === 1 ? "" : "s"} were written` +
      (current ? `; ${current} keeps its earlier figures (a folder's figures are replaced as one set)` : ""),
  );
  for (const { file, scenario } of scenarios) {
    current = join(args.out, scenario.name, "figures");
    try {
      // --only names no figure of this market: nothing to solve for.
      if (only.length > 0 && !availableFigures(scenario).some((n) => only.includes(n))) {
        io.out(`${scenario.name}: no ${only.length === 1 ? "figure" : "figures"} ${only.join(", ")} for market kind ${scenario.market.kind} (its figures: ${availableFigures(scenario).join(", ") || "none"})`);
        continue;
      }
      // the scenario asks for no figure at all: nothing to solve, nothing to publish
      if (scenario.figures?.only !== undefined && scenario.figures.only.length === 0) {
        io.out(`${scenario.name}: figures.only is empty: no figures drawn`);
        continue;
      }
      await prepareSolvers(scenario);
      const solution = solveScenario(scenario);
      await yieldToSignals(); // a Ctrl-C during the solve stops here, nothing drawn
      // the calibrate block's targets name outputs of this market (the calibration figure draws
      // each one); a typo in the sweep block's names is noted (`lpe sweep` refuses it)
      for (const n of checkResultNames(scenario, solution)) io.err(`lpe: note: ${n}`);
      const dir = join(args.out, scenario.name, "figures");
      // The figures are drawn into a temporary folder and swapped in as a set (a failure leaves
      // the previous figures); the folder's other files (a sweep's figures, and with --only the
      // figures not redrawn) are carried over.
      const lines: string[] = [];
      const warnings: string[] = [];
      const entries: GalleryFigure[] = [];
      // First what a killed `lpe solve` left of the folder around it (its previous set comes back).
      recoverResultSet(join(args.out, scenario.name));
      // A market without figures publishes nothing (not an empty folder over the old one).
      const inputs = await figureInputsFor(scenario, solution, only, join(args.out, scenario.name), pool, workLimitMs);
      await yieldToSignals();
      const draw = (stage: string) =>
        drawScenarioFigures(scenario, solution, stage, {
          inputs,
          only,
          helper,
          onFigure: (spec, files) => {
            lines.push(`${spec.name}: ${summarize(files.map((f) => join(dir, relative(stage, f))))}`);
            if (spec.warnings) warnings.push(`lpe: ${scenario.name}: figure ${spec.name}: ${spec.warnings.join("; ")} (its caption says so)`);
            entries.push({ stem: spec.name, caption: renderCaption(spec).trim() });
          },
        });
      const keep = (rel: string) => !isScenarioFigureFile(rel, only.length > 0 ? only : FIGURE_NAMES);
      const written = availableFigures(scenario).length === 0 ? [] : await publishResultSet(dir, draw, keep);
      figures += lines.length;
      if (entries.length > 0) {
        shown.push({
          name: scenario.name,
          file: relative(args.out, file).split(sep).join("/"),
          ...(scenario.description ? { description: scenario.description } : {}),
          market: scenario.market.kind,
          dir: `${scenario.name}/figures`,
          figures: entries,
        });
      }
      for (const l of lines) io.out(l);
      for (const w of warnings) io.err(w);
      if (written.length === 0)
        io.out(
          only.length > 0
            ? `${scenario.name}: none of the figures asked for is drawn for this scenario (${only.map((n) => `${n} ${FIGURE_NEEDS[n] ?? "is not drawn for it"}`).join("; ")})`
            : `${scenario.name}: no figures for market kind ${scenario.market.kind}`,
        );
      if (!solution.certificate.certified) io.err(`lpe: ${scenario.name}: ${certificateLine(solution.certificate)}`);
      if (!solution.checks.passed) {
        io.err(`lpe: ${file}: the solution fails its checks (${solution.checks.failures.join("; ")}); figures drawn anyway`);
        status = Math.max(status, 1);
      }
    } catch (e) {
      status = Math.max(status, reportError(e, io, file));
    }
    finished++;
  }
  current = "";
  off();
  if (gallery) {
    try {
      const { galleryHtml } = await import("../../figures/gallery.js");
      const path = join(args.out, GALLERY_FILE);
      writeFileAtomic(path, galleryHtml(shown));
      io.out(`gallery: ${path}`);
    } catch (e) {
      status = Math.max(status, reportError(e, io));
    }
  }
  io.out(`${figures} figure${figures === 1 ? "" : "s"} from ${files.length} scenario${files.length === 1 ? "" : "s"}${status ? " (with errors, see above)" : ""}`);
  return status;
}
