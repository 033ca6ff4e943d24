// The full parse of an `lpe` command line, with yargs: help, version, usage errors and every
// spelling of an option (README "Commands"). Loaded only when the quick parse (quick-parse.ts)
// declines a command line: yargs with its help renderer costs ~80 ms of start-up (loading it,
// measuring the help text's widths, building the help of the command that runs), a good part of
// a small sweep's or an `lpe eval`'s whole run.

import yargs from "yargs";
import { ENGINE_VERSION } from "../engine/version.js";
import { COMMANDS, REPEATABLE, type CommandSpec, type ParsedArgs } from "./command-table.js";
import type { Io } from "./io.js";

/** `lpe --help`'s examples: a command and what it does. */
/** The exit statuses, at the end of `lpe --help` and of each command's help. */
const EXIT_STATUS =
  "Exit status: 0 ok; 1 a numerical failure or a failed check (reported with its cause); 2 bad input (one line naming the JSON path); 3 the machine refused (disk full, read-only, permissions: one line naming the path); " +
  "4 a sweep or merge that wrote every row but in which some points failed or are not certified optimal (see the status column), or a solve with --require-certified whose result is written but not certified optimal; 130 interrupted (finish with --resume).";

const EXAMPLES: [string, string][] = [
  ["solve scenarios/examples/tutorial-monopoly.json", "solve a scenario into results/tutorial-monopoly/"],
  ["eval FILE --at 0.55,0.7,0.9 --json", "the menu at chosen types, exactly"],
  ["solve FILE --set market.fringe.cost=0.25", "override a parameter (results go to results/<name>--market.fringe.cost-0.25/)"],
  ["solve FILE --set market.kind=multiModelMonopoly", "change the market's kind"],
  ["solve results/NAME/summary.json", "rerun the scenario a result records"],
  ["sweep FILE --workers 2", "run the scenario's sweep grid"],
  ["calibrate scenarios/calibrated/open-share-30.json", "fit free parameters to market facts"],
  ["explore FILE", "edit FILE in a local page; menu, thresholds and figures follow live"],
];
import { closest } from "../engine/scenario/closest.js";

/** Runs a command with its parsed arguments: its exit code. */
export type Dispatch = (command: CommandSpec, args: ParsedArgs) => Promise<number>;

/** Parse `argv` with yargs and run the command through `dispatch`; the exit code (2 for a usage error). */
export async function parseWithYargs(argv: string[], io: Io, dispatch: Dispatch): Promise<number> {
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
  let parser = yargs(argv)
    .scriptName("lpe")
    .usage("$0 <command> [options]\n\nOptimal pricing of large language models: menus of token budgets, several-model markets, sweeps and figures.");
  for (const c of COMMANDS) {
    parser = parser.command(
      c.usage,
      c.describe,
      (y) => {
        for (const p of c.positionals) {
          const { name, ...spec } = p;
          y = y.positional(name, spec);
        }
        // an option with a value needs it (a bare `--out` at the end, or followed by another
        // option, is a usage error, not the default silently)
        for (const [name, spec] of c.options) y = y.option(name, spec.type === "boolean" ? spec : { requiresArg: true, ...spec });
        // a command's own help says the exit statuses too (`lpe sweep --help` did not say what 4 is)
        return y.epilog(EXIT_STATUS);
      },
      (a) => run(() => dispatch(c, a)),
    );
  }
  parser = parser
    .middleware((a) => {
      for (const k of REPEATABLE) if (a[k] !== undefined && !Array.isArray(a[k])) a[k] = [a[k]];
    })
    .check((a) => {
      // an option given twice is refused, not resolved by the last (or an array of both
      // reaching a command that expects one value)
      const command = COMMANDS.find((c) => c.name === a._[0]);
      // words after "--" land here, and no command reads them: `lpe validate A.json -- B.json`
      // checked A alone and said ok (a reviewer's)
      if (command && a._.length > 1) return `${a._.slice(1).map((w) => JSON.stringify(String(w))).join(", ")}: not read by lpe ${command.name} (after "--"?); put every file and option before it`;
      for (const [name, spec] of command?.options ?? []) {
        if (REPEATABLE.includes(name) || !Array.isArray(a[name])) continue;
        const given = (a[name] as unknown[]).map((v) => (spec.type === "boolean" ? `--${v === false ? "no-" : ""}${name}` : `--${name} ${String(v)}`));
        return `--${name} is given ${given.length} times (${given.join(", ")}): give it once`;
      }
      return true;
    })
    .demandCommand(1, "name a command: solve, eval, sweep, calibrate, merge, figures, explore, validate or schema")
    // Examples in the epilogue, each command on its own line and what it does below it: yargs'
    // example table gave commands a column of ~40 characters and cut the scenario paths in it
    // mid-word ("tutorial-mo / nopoly.json"), which cannot be copied (a reviewer's).
    .epilog(
      [
        "Examples:",
        ...EXAMPLES.flatMap(([command, what]) => [`  lpe ${command}`, `      ${what}`]),
        "",
        EXIT_STATUS,
        "Scenario format: schema/scenario.schema.json (lpe schema) and README.md.",
      ].join("\n"),
    )
    .strict()
    .recommendCommands()
    .help()
    .version(ENGINE_VERSION)
    .exitProcess(false)
    .fail((msg, err) => {
      // (a failed .check comes with its message as both msg and err)
      if (err && !msg) throw err;
      failed = true;
      messages.push(msg);
      code = 2;
    });
  const messages: string[] = [];
  await parser.parseAsync();
  // yargs reports a usage error in several calls (a guess, then the unknown words; a missing
  // positional twice): one line says it all.
  if (messages.length > 0) io.err(`lpe: ${usageLine(argv, messages)} (see lpe --help)`);
  return code;
}

/** The one line for a usage error, from yargs's messages. */
function usageLine(argv: readonly string[], messages: readonly string[]): string {
  const first = argv[0];
  if (first !== undefined && !first.startsWith("-") && !COMMANDS.some((c) => c.name === first)) {
    const guess = messages.map((m) => /^Did you mean (\S+)\?$/.exec(m)?.[1]).find((g) => g !== undefined);
    return `unknown command ${JSON.stringify(first)}: ${guess ? `did you mean ${guess}?` : `the commands are ${COMMANDS.map((c) => c.name).join(", ")}`}`;
  }
  const msg = messages.find((m) => !m.startsWith("Did you mean")) ?? messages[0];
  // "Not enough non-option arguments: got 0, need at least 1": name what is missing
  const command = COMMANDS.find((c) => c.name === first);
  if (command && /^Not enough non-option arguments/.test(msg)) {
    const what = command.positionals.map((p) => p.name).join(", ");
    const usage = command.usage.replace(/<(\w+)\.\.>/, (_, w: string) => `${w.toUpperCase()}…`).replace(/<(\w+)>/, (_, w: string) => w.toUpperCase());
    return `${command.name} needs ${/dirs/.test(what) ? "the folders of the shards to merge" : /files/.test(what) ? "one or more scenario files" : "a scenario file"}: lpe ${usage}`;
  }
  const bare = /^Not enough arguments following: (\S+)$/.exec(msg);
  if (bare) return `--${bare[1]} needs a value (--${bare[1]} VALUE or --${bare[1]}=VALUE)`;
  // "Unknown arguments: bogus-flag, bogusFlag": yargs adds the camelCase spelling of each
  const unknown = /^(Unknown arguments?): (.*)$/.exec(msg);
  if (unknown) {
    const dashed = singleDashOption(argv);
    if (dashed !== undefined) return dashed;
    const words = unknown[2].split(", ");
    const kebab = (w: string) => w.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const kept = words.filter((w) => !(/[A-Z]/.test(w) && words.includes(kebab(w))));
    return `${kept.length > 1 ? "Unknown arguments" : "Unknown argument"}: ${kept.join(", ")}${optionHint(argv, kept)}`;
  }
  return msg;
}

/** The options of `command` as typed after "--", a flag's negation too ("--nofigures" → --no-figures). */
function optionNames(command: string | undefined): string[] {
  const options = COMMANDS.find((c) => c.name === command)?.options ?? [];
  return [...options.map(([name]) => name), ...options.filter(([, o]) => o.type === "boolean").map(([name]) => `no-${name}`), "help"];
}

/**
 * "-workers" read by yargs as the short flags w, o, r, k, e, s: say that options take two
 * dashes, naming the option meant when it is one of the command's (or close to one).
 */
function singleDashOption(argv: readonly string[]): string | undefined {
  const word = argv.find((a) => /^-[A-Za-z][A-Za-z-]+(=.*)?$/.test(a));
  if (word === undefined) return undefined;
  const name = word.slice(1).split("=")[0];
  const names = optionNames(argv[0]);
  const guess = names.includes(name) ? name : closest(name, names);
  return `Unknown argument: ${word} (options take two dashes${guess !== undefined ? `: did you mean --${guess}?` : ""})`;
}

/**
 * "; did you mean --set?" for a mistyped option of the command: the closest of its options by
 * edit distance (`--sett`, `--se`), tried on the first unknown word that has one.
 */
function optionHint(argv: readonly string[], unknown: readonly string[]): string {
  const names = optionNames(argv[0]);
  for (const word of unknown) {
    // yargs reads "--no-figure" as the flag "figure" set to false
    const negated = argv.some((a) => a === `--no-${word}` || a.startsWith(`--no-${word}=`));
    const typed = negated ? `no-${word}` : word;
    const guess = closest(typed, names);
    if (guess !== undefined && guess !== typed) return `; did you mean --${guess}?`;
  }
  return "";
}
