// The quick parse of a plain `lpe` command line: a command with its file (or files), options spelled as
// in `lpe --help` (`--name value`, `--name=value`, `--flag`, `--no-flag`), each at most once
// but for the repeatable ones. It gives exactly the arguments yargs gives (test/cli-parse.test.ts
// compares the two), without loading yargs, whose loading and help building are ~80 ms of
// start-up (a 10-point sweep took ~0.3 s in all). Anything else — help, version, a misspelled
// or repeated option, a value that yargs would read otherwise (a negative number, `true` after
// a flag) — is declined (undefined) and left to yargs (yargs-parse.ts),
// which also gives every usage error.

import { COMMANDS, REPEATABLE, type CommandSpec, type OptionSpec, type ParsedArgs } from "./command-table.js";

/** A whole number as yargs reads it for a number option (others are declined). */
const PLAIN_INT = /^(?:0|[1-9]\d{0,14})$/;

/** kebab-case to camelCase, as yargs adds it ("batch-size" → "batchSize"). */
function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** The command and its arguments, or undefined when yargs must parse this command line. */
export function quickParse(argv: readonly string[]): { command: CommandSpec; args: ParsedArgs } | undefined {
  const command = COMMANDS.find((c) => c.name === argv[0]);
  // one positional: a file, or a list of files or folders (validate, merge, figures)
  if (!command || command.positionals.length !== 1) return undefined;
  const positional = command.positionals[0];
  const options = new Map(command.options);
  const values = new Map<string, unknown>();
  const files: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const tok = argv[i];
    if (!tok.startsWith("-")) {
      files.push(tok);
      continue;
    }
    if (!tok.startsWith("--") || tok === "--") return undefined;
    const eq = tok.indexOf("=");
    const name = eq < 0 ? tok.slice(2) : tok.slice(2, eq);
    let spec: OptionSpec | undefined = options.get(name);
    let key = name;
    let value: unknown;
    if (!spec) {
      // --no-flag: a boolean set to false
      const negated = name.startsWith("no-") ? options.get(name.slice(3)) : undefined;
      if (eq >= 0 || negated?.type !== "boolean") return undefined;
      key = name.slice(3);
      spec = negated;
      value = false;
    } else if (spec.type === "boolean") {
      // yargs would take a following true/false as the flag's value
      if (eq >= 0 || argv[i + 1] === "true" || argv[i + 1] === "false") return undefined;
      value = true;
    } else {
      const text = eq >= 0 ? tok.slice(eq + 1) : argv[++i];
      if (text === undefined || text === "" || text.startsWith("-")) return undefined;
      // a string option keeps its text as typed (yargs too: its type is declared)
      if (spec.type === "number" && !PLAIN_INT.test(text)) return undefined;
      value = spec.type === "number" ? Number(text) : text;
    }
    if (REPEATABLE.includes(key)) {
      const list = (values.get(key) as unknown[] | undefined) ?? [];
      list.push(value);
      values.set(key, list);
    } else {
      if (values.has(key)) return undefined;
      values.set(key, value);
    }
  }
  // (none at all, `lpe figures` alone, is left to yargs too)
  if (positional.array ? files.length === 0 : files.length !== 1) return undefined;
  const args: ParsedArgs = { _: [command.name] };
  for (const [name, spec] of command.options) {
    const v = values.has(name) ? values.get(name) : spec.default;
    if (v === undefined) {
      if (spec.demandOption) return undefined;
      continue;
    }
    args[name] = v;
    if (camel(name) !== name) args[camel(name)] = v;
  }
  args[positional.name] = positional.array ? files : files[0];
  args.$0 = "lpe";
  return { command, args };
}
