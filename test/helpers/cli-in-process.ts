// The compiled CLI (dist/cli/lpe.js) run in this process, for tests that call many commands:
// the in-process path and the pool's worker threads then run the same JavaScript, and no
// process is started per command. `npm test` compiles first; `rebuild` recompiles anyway (tsc
// emits even when files owned by others have type errors), and without it a lone run of a test
// file on a fresh checkout compiles only when dist/ is missing.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const ROOT = join(import.meta.dirname, "..", "..");

export interface Run {
  code: number;
  out: string;
  err: string;
}

type Main = (argv: string[], io: { out: (s: string) => void; err: (s: string) => void }) => Promise<number>;

export async function compiledLpe(opts: { rebuild?: boolean } = {}): Promise<(...argv: string[]) => Promise<Run>> {
  const entry = join(ROOT, "dist", "cli", "lpe.js");
  if (opts.rebuild || !existsSync(entry)) {
    try {
      execFileSync(join(ROOT, "node_modules", ".bin", "tsc"), ["-p", join(ROOT, "tsconfig.json")], { cwd: ROOT, stdio: "pipe" });
    } catch {
      // type errors elsewhere: the emitted files are still written
    }
  }
  assert.ok(existsSync(join(ROOT, "dist", "workers", "sweep-worker.js")), "dist/ holds the compiled sweep worker");
  const { main } = (await import(pathToFileURL(entry).href)) as { main: Main };
  return async (...argv: string[]) => {
    let out = "";
    let err = "";
    const code = await main(argv, { out: (s) => void (out += s + "\n"), err: (s) => void (err += s + "\n") });
    return { code, out, err };
  };
}
