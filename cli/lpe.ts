// The `lpe` command: argument parsing and dispatch only (README "Commands").
// Each command lives in cli/commands/ and is imported only when it runs, so `lpe validate`
// never loads the solvers and nothing but `figures`/`solve` loads the plotting stack.

import yargs from "yargs";
import { ENGINE_VERSION } from "../engine/version.js";
import { processIo, type Io } from "./io.js";

// Not `array: true`: an array option is greedy and would swallow a file named after it
// (`lpe solve --set a=1 FILE`); repeated flags are collected into an array anyway.
const SET_OPTION = {
  type: "string",
  requiresArg: true,
  describe: "override PATH=VALUE, a dotted path into the scenario (repeatable)",
} as const;
const UNSET_OPTION = {
  type: "string",
  requiresArg: true,
  describe: "remove PATH from the scenario before the --set overrides (repeatable)",
} as const;
const REPEATABLE = ["set", "unset", "only"];

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code = 0;
  // yargs (with exitProcess(false)) still calls the command handler after a validation
  // failure; a failed parse must run nothing.
  let failed = false;
  const run = (p: () => Promise<number>) =>
    failed
      ? Promise.resolve()
      : p().then((c) => {
          code = c;
        });
  const parser = yargs(argv)
    .scriptName("lpe")
    .usage("$0 <command> [options]\n\nOptimal pricing of large language models: menus of token budgets, several-model markets, sweeps and figures.")
    .command(
      "solve <file>",
      "solve one scenario; write <out>/<name>/summary.json, curves.csv and figures",
      (y) =>
        y
          .positional("file", { type: "string", demandOption: true, describe: "scenario JSON file" })
          .option("json", { type: "boolean", describe: "print the result object to stdout" })
          .option("out", { type: "string", default: "results", describe: "output directory" })
          .option("set", SET_OPTION)
          .option("unset", UNSET_OPTION)
          .option("figures", { type: "boolean", default: true, describe: "draw the scenario's figures (--no-figures to skip)" }),
      (a) => run(() => import("./commands/solve.js").then((m) => m.runSolve(a as never, io))),
    )
    .command(
      "eval <file>",
      "evaluate the solved menu exactly at chosen types",
      (y) =>
        y
          .positional("file", { type: "string", demandOption: true, describe: "scenario JSON file" })
          .option("at", { type: "string", demandOption: true, requiresArg: true, describe: "comma-separated types θ, e.g. 0.5,0.7,0.9" })
          .option("json", { type: "boolean", describe: "print the result object to stdout" })
          .option("set", SET_OPTION)
          .option("unset", UNSET_OPTION),
      (a) => run(() => import("./commands/eval.js").then((m) => m.runEval(a as never, io))),
    )
    .command(
      "sweep <file>",
      "run the scenario's sweep grid on a worker pool, streaming rows to <out>/<name>/sweep.csv",
      (y) =>
        y
          .positional("file", { type: "string", demandOption: true, describe: "scenario JSON file with a sweep block" })
          .option("workers", { type: "number", describe: "worker threads (default: number of cores)" })
          .option("out", { type: "string", default: "results", describe: "output directory: rows go to <out>/<name>/sweep.csv" })
          .option("resume", { type: "boolean", describe: "finish an interrupted sweep without redoing finished points" })
          .option("shard", { type: "string", describe: "I/N: run the I-th of N deterministic slices (1-based)" })
          .option("batch-size", { type: "number", describe: "points per message to a worker" })
          .option("emit-slurm", { type: "boolean", describe: "write a SLURM job-array script instead of running (README: Sweeps on a cluster)" })
          .option("cpus-per-task", { type: "number", requiresArg: true, describe: "with --emit-slurm: CPUs of each array task (default: 1, more for shards estimated over an hour, at most 4)" })
          .option("time", { type: "string", requiresArg: true, describe: "with --emit-slurm: time limit of each array task (default: 3x the estimate, at least 00:15:00)" })
          .option("mem", { type: "string", requiresArg: true, describe: "with --emit-slurm: memory of each array task, e.g. 2G (default: 1.5x the estimate, at least 1G)" })
          .option("figures", { type: "boolean", default: true, describe: "draw each output against each swept parameter (--no-figures to skip)" })
          .option("set", SET_OPTION)
          .option("unset", UNSET_OPTION),
      (a) => run(() => import("./commands/sweep.js").then((m) => m.runSweep(a as never, io))),
    )
    .command(
      "calibrate <file>",
      "fit the scenario's calibrate block (free parameters to targets); write <out>/<name>/calibrated.json, calibration.json, calibration.csv and figures",
      (y) =>
        y
          .positional("file", { type: "string", demandOption: true, describe: "scenario JSON file with a calibrate block" })
          .option("out", { type: "string", default: "results", describe: "output directory: files go to <out>/<name>/" })
          .option("workers", { type: "number", describe: "worker threads (default: number of cores)" })
          .option("figures", { type: "boolean", default: true, describe: "draw the fit and the profiles (--no-figures to skip)" })
          .option("set", SET_OPTION)
          .option("unset", UNSET_OPTION),
      (a) => run(() => import("./commands/calibrate.js").then((m) => m.runCalibrate(a as never, io))),
    )
    .command(
      "merge <dirs..>",
      "join shard outputs into one sweep.csv",
      (y) =>
        y
          .positional("dirs", { type: "string", array: true, demandOption: true })
          .option("out", { type: "string", describe: "output directory (default: the shards' common parent); writes <out>/<name>/sweep.csv" })
          .option("figures", { type: "boolean", default: true, describe: "draw the sweep's curves (--no-figures to skip)" }),
      (a) => run(() => import("./commands/merge.js").then((m) => m.runMerge(a as never, io))),
    )
    .command(
      "figures [files..]",
      "regenerate figures from scenarios (default: every scenario under scenarios/) into <out>/<name>/figures/",
      (y) =>
        y
          .positional("files", { type: "string", array: true, describe: "scenario files (default: all of scenarios/)" })
          .option("only", { type: "string", requiresArg: true, describe: "draw only the named figure (repeatable)" })
          .option("out", { type: "string", default: "results", describe: "output directory: figures go to <out>/<name>/figures/" })
          .option("workers", { type: "number", requiresArg: true, describe: "N > 1: the figures' sweeps on this thread and N − 1 pool threads, and a thread drawing every other figure (default: all cores when one is idle, else 1)" })
          .option("gallery", { type: "boolean", describe: "write <out>/index.html, every figure drawn with its caption and files (default: when no files are given)" }),
      (a) => run(() => import("./commands/figures.js").then((m) => m.runFigures(a as never, io))),
    )
    .command(
      "explore <file>",
      "edit a scenario in a local web page and watch its menu, scalars, checks and figures update live (127.0.0.1, token in the printed URL)",
      (y) =>
        y
          .positional("file", { type: "string", demandOption: true, describe: "scenario JSON file (Save writes it back)" })
          .option("port", { type: "number", default: 0, requiresArg: true, describe: "port on 127.0.0.1 (0: a free port)" })
          .option("open", { type: "boolean", default: false, describe: "open the page in the default browser" }),
      (a) => run(() => import("./commands/explore.js").then((m) => m.runExplore(a as never, io))),
    )
    .command(
      "validate <files..>",
      "check scenario files (schema and economics), each problem with its JSON path",
      (y) => y.positional("files", { type: "string", array: true, demandOption: true }).option("set", SET_OPTION).option("unset", UNSET_OPTION),
      (a) =>
        run(() =>
          import("./commands/validate.js").then((m) =>
            m.runValidate(a.files as string[], (a.set as unknown as string[]) ?? [], io, (a.unset as unknown as string[]) ?? []),
          ),
        ),
    )
    .command(
      "schema",
      "print the scenario JSON Schema",
      (y) => y,
      () => run(() => import("./commands/schema.js").then((m) => Promise.resolve(m.runSchema(io)))),
    )
    .middleware((a) => {
      for (const k of REPEATABLE) if (a[k] !== undefined && !Array.isArray(a[k])) a[k] = [a[k]];
    })
    .demandCommand(1, "name a command: solve, eval, sweep, calibrate, merge, figures, explore, validate or schema")
    .example("$0 solve scenarios/examples/tutorial-monopoly.json", "solve a scenario into results/tutorial-monopoly/")
    .example("$0 eval FILE --at 0.55,0.7,0.9 --json", "the menu at chosen types, exactly")
    .example("$0 solve FILE --set market.fringe.cost=0.25", "override a parameter (results go to results/<name>--market.fringe.cost-0.25/)")
    .example("$0 solve FILE --set market.kind=monopoly --unset market.leader --unset market.fringe", "change the market's kind")
    .example("$0 solve results/NAME/summary.json", "rerun the scenario a result records")
    .example("$0 sweep FILE --workers 2", "run the scenario's sweep grid")
    .example("$0 calibrate scenarios/calibrated/open-share-30.json", "fit free parameters to market facts")
    .example("$0 explore FILE", "edit FILE in a local page; menu, thresholds and figures follow live")
    .epilog(
      "Exit status: 0 ok; 1 a numerical failure or a failed check (reported with its cause); 2 bad input (one line naming the JSON path); 3 the machine refused (disk full, read-only, permissions: one line naming the path);\n" +
        "4 a sweep or merge that wrote every row but in which some points failed (see the status column).\n" +
        "Scenario format: schema/scenario.schema.json (lpe schema) and README.md.",
    )
    .strict()
    .help()
    .version(ENGINE_VERSION)
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      failed = true;
      io.err(`lpe: ${msg} (see lpe --help)`);
      code = 2;
    });
  try {
    await parser.parseAsync();
  } catch (e) {
    io.err(`lpe: ${(e as Error).message}`);
    return 2;
  }
  return code;
}
