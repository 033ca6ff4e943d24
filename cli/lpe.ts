// The `lpe` command: argument parsing and dispatch only (INTERFACE.md "Command line").
// Each command lives in cli/commands/ and is imported only when it runs, so `lpe validate`
// never loads the solvers and nothing but `figures`/`solve` loads the plotting stack.

import yargs from "yargs";
import { processIo, type Io } from "./io.js";

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const run = (p: Promise<number>) =>
    p.then((c) => {
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
          .option("set", { type: "string", array: true, describe: "override PATH=VALUE (dotted path into the scenario)" })
          .option("figures", { type: "boolean", default: true, describe: "draw the scenario's figures (--no-figures to skip)" }),
      (a) => run(import("./commands/solve.js").then((m) => m.runSolve(a as never, io))),
    )
    .command(
      "eval <file>",
      "evaluate the solved menu exactly at chosen types",
      (y) =>
        y
          .positional("file", { type: "string", demandOption: true })
          .option("at", { type: "string", demandOption: true, describe: "comma-separated types θ" })
          .option("json", { type: "boolean" })
          .option("set", { type: "string", array: true }),
      (a) => run(import("./commands/eval.js").then((m) => m.runEval(a as never, io))),
    )
    .command(
      "sweep <file>",
      "run the scenario's sweep grid on a worker pool, streaming rows to <out>/<name>/sweep.csv",
      (y) =>
        y
          .positional("file", { type: "string", demandOption: true })
          .option("workers", { type: "number", describe: "worker threads (default: number of cores)" })
          .option("out", { type: "string", default: "results" })
          .option("resume", { type: "boolean", describe: "finish an interrupted sweep without redoing finished points" })
          .option("shard", { type: "string", describe: "I/N: run the I-th of N deterministic slices (1-based)" })
          .option("batch-size", { type: "number", describe: "points per message to a worker" })
          .option("emit-slurm", { type: "boolean", describe: "write a SLURM job-array script instead of running" })
          .option("figures", { type: "boolean", default: true, describe: "draw each output against each swept parameter (--no-figures to skip)" })
          .option("set", { type: "string", array: true }),
      (a) => run(import("./commands/sweep.js").then((m) => m.runSweep(a as never, io))),
    )
    .command(
      "merge <dirs..>",
      "join shard outputs into one sweep.csv",
      (y) =>
        y
          .positional("dirs", { type: "string", array: true, demandOption: true })
          .option("out", { type: "string" })
          .option("figures", { type: "boolean", default: true, describe: "draw the sweep's curves (--no-figures to skip)" }),
      (a) => run(import("./commands/merge.js").then((m) => m.runMerge(a as never, io))),
    )
    .command(
      "figures [files..]",
      "regenerate figures from scenarios (default: every scenario under scenarios/) into <out>/<name>/figures/",
      (y) =>
        y
          .positional("files", { type: "string", array: true, describe: "scenario files (default: all of scenarios/)" })
          .option("only", { type: "string", array: true, describe: "draw only the named figure(s)" })
          .option("out", { type: "string", default: "results" }),
      (a) => run(import("./commands/figures.js").then((m) => m.runFigures(a as never, io))),
    )
    .command(
      "validate <files..>",
      "check scenario files (schema and economics), each problem with its JSON path",
      (y) => y.positional("files", { type: "string", array: true, demandOption: true }).option("set", { type: "string", array: true }),
      (a) =>
        run(import("./commands/validate.js").then((m) => Promise.resolve(m.runValidate(a.files as string[], (a.set as string[]) ?? [], io)))),
    )
    .command(
      "schema",
      "print the scenario JSON Schema",
      (y) => y,
      () => run(import("./commands/schema.js").then((m) => Promise.resolve(m.runSchema(io)))),
    )
    .demandCommand(1, "name a command: solve, eval, sweep, merge, figures, validate or schema")
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
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
