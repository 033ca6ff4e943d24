// The commands of `lpe` as data: each command's positionals and options (what yargs is told, so
// `lpe --help` and its checks come from here) and how it runs (its module, imported only when it
// runs, so `lpe validate` never loads the solvers and nothing but `figures`/`solve` loads the
// plotting stack). One table serves both parsers of cli/lpe.ts: the quick one of a plain command
// line (quick-parse.ts) and yargs (yargs-parse.ts) for everything else.

import type { Io } from "./io.js";

export interface OptionSpec {
  type: "string" | "number" | "boolean";
  describe: string;
  default?: string | number | boolean;
  requiresArg?: boolean;
  demandOption?: boolean;
}

export interface PositionalSpec {
  name: string;
  type: "string";
  array?: boolean;
  demandOption?: boolean;
  describe?: string;
}

/** Parsed arguments as yargs hands them to a command. */
export type ParsedArgs = Record<string, unknown>;

export interface CommandSpec {
  name: string;
  /** yargs's command string, e.g. "solve <file>" */
  usage: string;
  describe: string;
  positionals: PositionalSpec[];
  /** in the order of the help text */
  options: [string, OptionSpec][];
  run: (args: ParsedArgs, io: Io) => Promise<number>;
}

// Not `array: true`: an array option is greedy and would swallow a file named after it
// (`lpe solve --set a=1 FILE`); repeated flags are collected into an array anyway.
const SET_OPTION: OptionSpec = {
  type: "string",
  requiresArg: true,
  describe: "override PATH=VALUE, a dotted path into the scenario (repeatable)",
};
const UNSET_OPTION: OptionSpec = {
  type: "string",
  requiresArg: true,
  describe: "remove PATH from the scenario before the --set overrides (repeatable)",
};

// A string, not a number: `none` lifts the limit, and the text is checked (parseWorkLimit) with a
// message naming the option, where yargs would turn "2m" into NaN without a word.
const WORK_LIMIT_OPTION: OptionSpec = {
  type: "string",
  requiresArg: true,
  describe: "estimated computing time to allow, in seconds, or none (default 20: bigger scenarios are refused with an estimate)",
};

/** Options that may be given several times: always an array when present. */
export const REPEATABLE = ["set", "unset", "only"];

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "solve",
    usage: "solve <file>",
    describe: "solve one scenario; write <out>/<name>/summary.json, curves.csv and figures",
    positionals: [{ name: "file", type: "string", demandOption: true, describe: "scenario JSON file" }],
    options: [
      ["json", { type: "boolean", describe: "print the result object to stdout" }],
      ["out", { type: "string", default: "results", describe: "output directory" }],
      ["set", SET_OPTION],
      ["unset", UNSET_OPTION],
      ["work-limit", WORK_LIMIT_OPTION],
      ["figures", { type: "boolean", default: true, describe: "draw the scenario's figures (--no-figures to skip)" }],
      ["require-certified", { type: "boolean", describe: "exit 4 when the result is written but not certified optimal to 1e-9 of profit (for scripts)" }],
    ],
    run: (a, io) => import("./commands/solve.js").then((m) => m.runSolve(a as never, io)),
  },
  {
    name: "eval",
    usage: "eval <file>",
    describe: "evaluate the solved menu exactly at chosen types",
    positionals: [{ name: "file", type: "string", demandOption: true, describe: "scenario JSON file" }],
    options: [
      ["at", { type: "string", demandOption: true, requiresArg: true, describe: "comma-separated types θ, e.g. 0.5,0.7,0.9" }],
      ["json", { type: "boolean", describe: "print the result object to stdout" }],
      ["set", SET_OPTION],
      ["unset", UNSET_OPTION],
      ["work-limit", WORK_LIMIT_OPTION],
    ],
    run: (a, io) => import("./commands/eval.js").then((m) => m.runEval(a as never, io)),
  },
  {
    name: "sweep",
    usage: "sweep <file>",
    describe: "run the scenario's sweep grid on a worker pool, streaming rows to <out>/<name>/sweep.csv",
    positionals: [{ name: "file", type: "string", demandOption: true, describe: "scenario JSON file with a sweep block" }],
    options: [
      ["workers", { type: "number", describe: "worker threads (default: number of cores)" }],
      ["out", { type: "string", default: "results", describe: "output directory: rows go to <out>/<name>/sweep.csv (with --set, <name> has the overrides appended: the run says the folder)" }],
      ["resume", { type: "boolean", describe: "finish an interrupted sweep without redoing finished points" }],
      ["shard", { type: "string", describe: "I/N: run the I-th of N deterministic slices (1-based)" }],
      ["batch-size", { type: "number", describe: "points per message to a worker" }],
      ["emit-slurm", { type: "boolean", describe: "write a SLURM job-array script instead of running (README: Sweeps on a cluster)" }],
      [
        "cpus-per-task",
        { type: "number", requiresArg: true, describe: "with --emit-slurm: CPUs of each array task (default: 1, more for shards estimated over an hour, at most 4)" },
      ],
      ["time", { type: "string", requiresArg: true, describe: "with --emit-slurm: time limit of each array task (default: 3x the estimate, at least 00:15:00)" }],
      ["mem", { type: "string", requiresArg: true, describe: "with --emit-slurm: memory of each array task, e.g. 2G (default: 1.5x the estimate, at least 1G)" }],
      ["figures", { type: "boolean", default: true, describe: "draw each output against each swept parameter (--no-figures to skip)" }],
      ["set", SET_OPTION],
      ["unset", UNSET_OPTION],
      ["work-limit", WORK_LIMIT_OPTION],
    ],
    run: (a, io) => import("./commands/sweep.js").then((m) => m.runSweep(a as never, io)),
  },
  {
    name: "calibrate",
    usage: "calibrate <file>",
    describe:
      "fit the scenario's calibrate block (free parameters to targets); write <out>/<name>/calibrated.json, calibration.json, calibration.csv and figures",
    positionals: [{ name: "file", type: "string", demandOption: true, describe: "scenario JSON file with a calibrate block" }],
    options: [
      ["out", { type: "string", default: "results", describe: "output directory: files go to <out>/<name>/" }],
      ["workers", { type: "number", describe: "worker threads (default: number of cores)" }],
      ["figures", { type: "boolean", default: true, describe: "draw the fit and the profiles (--no-figures to skip)" }],
      ["set", SET_OPTION],
      ["unset", UNSET_OPTION],
      ["work-limit", WORK_LIMIT_OPTION],
    ],
    run: (a, io) => import("./commands/calibrate.js").then((m) => m.runCalibrate(a as never, io)),
  },
  {
    name: "merge",
    usage: "merge <dirs..>",
    describe: "join shard outputs into one sweep.csv",
    positionals: [{ name: "dirs", type: "string", array: true, demandOption: true, describe: "the shard-I-of-N folders, or the folder holding them" }],
    options: [
      ["out", { type: "string", describe: "output directory (default: the shards' common parent); writes <out>/<name>/sweep.csv" }],
      ["figures", { type: "boolean", default: true, describe: "draw the sweep's curves (--no-figures to skip)" }],
    ],
    run: (a, io) => import("./commands/merge.js").then((m) => m.runMerge(a as never, io)),
  },
  {
    name: "figures",
    usage: "figures [files..]",
    describe: "regenerate figures from scenarios (default: every scenario under scenarios/) into <out>/<name>/figures/",
    positionals: [{ name: "files", type: "string", array: true, describe: "scenario files (default: all of scenarios/)" }],
    options: [
      ["only", { type: "string", requiresArg: true, describe: "draw only the named figure (repeatable)" }],
      ["out", { type: "string", default: "results", describe: "output directory: figures go to <out>/<name>/figures/" }],
      [
        "workers",
        {
          type: "number",
          requiresArg: true,
          describe:
            "N > 1: the figures' sweeps on this thread and N − 1 pool threads, and a thread drawing every other figure (default: all cores when one is idle, else 1)",
        },
      ],
      ["work-limit", WORK_LIMIT_OPTION],
      ["gallery", { type: "boolean", describe: "write <out>/index.html, every figure drawn with its caption and files (default: when no files are given)" }],
    ],
    run: (a, io) => import("./commands/figures.js").then((m) => m.runFigures(a as never, io)),
  },
  {
    name: "explore",
    usage: "explore <file>",
    describe:
      "edit a scenario in a local web page and watch its menu, scalars, checks and figures update live (127.0.0.1, token in the printed URL)",
    positionals: [{ name: "file", type: "string", demandOption: true, describe: "scenario JSON file (Save writes it back)" }],
    options: [
      ["port", { type: "number", default: 0, requiresArg: true, describe: "port on 127.0.0.1 (0: a free port)" }],
      ["open", { type: "boolean", default: false, describe: "open the page in the default browser" }],
    ],
    run: (a, io) => import("./commands/explore.js").then((m) => m.runExplore(a as never, io)),
  },
  {
    name: "validate",
    usage: "validate <files..>",
    describe: "check scenario files (schema and economics), each problem with its JSON path",
    positionals: [{ name: "files", type: "string", array: true, demandOption: true, describe: "scenario JSON files" }],
    options: [
      ["set", SET_OPTION],
      ["unset", UNSET_OPTION],
      ["work-limit", WORK_LIMIT_OPTION],
    ],
    run: (a, io) =>
      import("./commands/validate.js").then((m) =>
        m.runValidate(a.files as string[], (a.set as string[] | undefined) ?? [], io, (a.unset as string[] | undefined) ?? [], a["work-limit"] as string | undefined),
      ),
  },
  {
    name: "schema",
    usage: "schema",
    describe: "print the scenario JSON Schema",
    positionals: [],
    options: [],
    run: (_a, io) => import("./commands/schema.js").then((m) => Promise.resolve(m.runSchema(io))),
  },
];
