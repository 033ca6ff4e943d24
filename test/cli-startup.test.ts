// What a plain `lpe` command loads before its own module: cli/lpe.ts and what it imports
// statically (the command table, the quick parse, the terminal), none of yargs, the scenario
// schema (zod) or the solvers: those come with the command that needs them (dynamic imports),
// so a small sweep's or an `lpe eval`'s start-up is not spent on them. Also: the sweep's note
// spells large counts as toLocaleString("en-US") does, without loading ICU's locale data.
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import { thousands } from "../engine/scenario/limits.js";

const ROOT = join(import.meta.dirname, "..");

/** Static (not `import type`, not dynamic) imports of a source file, as written. */
function staticImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(/^(?:import|export) (?!type )[^;]*?from "([^"]+)"|^import "([^"]+)"/gm)].map((m) => m[1] ?? m[2]);
}

/** Every module a source file loads statically, transitively: repository files and packages. */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (!spec.startsWith(".")) seen.add(spec);
      else visit(normalize(join(dirname(file), spec.replace(/\.js$/, ".ts"))));
    }
  };
  visit(entry);
  return seen;
}

describe("start-up of a plain command", () => {
  it("cli/lpe.ts loads neither yargs, zod nor the solvers", () => {
    const loaded = [...staticClosure("cli/lpe.ts")];
    // the walk does follow imports (a broken walk would pass vacuously)
    expect(loaded).toEqual(expect.arrayContaining(["cli/lpe.ts", "cli/quick-parse.ts", "cli/command-table.ts", "engine/io.ts"]));
    for (const m of loaded) expect(m).not.toMatch(/^(yargs|zod|mathjs)|yargs-parse|scenario\/|^solvers\/|^workers\/|^figures\//);
  });

  it("spells counts with thousands separators as toLocaleString(\"en-US\") does", () => {
    const ns = [0, 7, 42, 999, 1000, 1001, 12_345, 100_000, 999_999, 1_000_000, 10_000_000, 123_456_789, Number.MAX_SAFE_INTEGER];
    for (let n = 1; n < 1e15; n = n * 7 + 3) ns.push(n);
    for (const n of ns) expect(thousands(n), String(n)).toBe(n.toLocaleString("en-US"));
  });
});
