// The `lpe` command: argument parsing and dispatch only (README "Commands"). The commands and
// their options are listed in command-table.ts; each command lives in cli/commands/ and is
// imported only when it runs. A plain command line (`lpe sweep FILE --workers 2 …`) is parsed
// by quick-parse.ts, which gives the same arguments as yargs, and `lpe --version` is answered
// here; yargs (yargs-parse.ts: help, usage errors, every other spelling) is loaded only for the
// others, since loading it and building its help text cost ~80 ms of every run (start-up is
// part of speed: a one-scenario solve takes ~20 ms).

import { ENGINE_VERSION } from "../engine/version.js";
import type { CommandSpec, ParsedArgs } from "./command-table.js";
import { processIo, type Io } from "./io.js";
import { quickParse } from "./quick-parse.js";

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const dispatch = (command: CommandSpec, args: ParsedArgs) => {
    // `--out ""` (an unset shell variable) would write into the current folder
    if (args.out === "") {
      io.err("lpe: --out: is empty (an unset shell variable?); name a folder, or leave --out off for the default");
      return Promise.resolve(2);
    }
    return command.run(args, io);
  };
  try {
    // what yargs prints for it
    if (argv.length === 1 && argv[0] === "--version") {
      io.out(ENGINE_VERSION);
      return 0;
    }
    const quick = quickParse(argv);
    if (quick) return await dispatch(quick.command, quick.args);
    const { parseWithYargs } = await import("./yargs-parse.js");
    return await parseWithYargs(argv, io, dispatch);
  } catch (e) {
    io.err(`lpe: ${(e as Error).message}`);
    return 2;
  }
}
