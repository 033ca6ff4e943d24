// `lpe validate FILE… [--set PATH=VALUE]…`: schema and economic checks of scenario files
// (INTERFACE.md "Command line"), every problem on its own line with its JSON path, so a file
// can be fixed in one pass. Exit status 0 when every file is valid, 2 otherwise (bad input).

import { validateScenarioFile } from "../../engine/scenario/load.js";

/** Output sinks; each call writes exactly the given text (lines include their "\n"). */
export interface CommandIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

export function runValidate(files: readonly string[], sets: readonly string[], io: CommandIO): number {
  if (files.length === 0) {
    io.err("lpe validate: give at least one scenario file\n");
    return 2;
  }
  let allOk = true;
  for (const file of files) {
    const { problems } = validateScenarioFile(file, sets);
    if (problems.length === 0) {
      io.out(`ok  ${file}\n`);
      continue;
    }
    allOk = false;
    for (const p of problems) io.err(`${file}: ${p.path ? `${p.path}: ` : ""}${p.message}\n`);
  }
  return allOk ? 0 : 2;
}
