// One section of bench/results.md, written between its markers (`<!-- name -->` … `<!-- /name -->`)
// and leaving the rest of the file as it is: the sections of `npm run bench:distributions` and
// `npm run bench:finite-types` follow the notes marker of `npm run bench` (run.ts), which keeps
// everything after it, so each script rewrites only its own section.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../engine/package-root.js";

/** Replaces the text between `begin` and `end` (markers included in `text`), or appends it; returns the path. */
export function writeResultsSection(begin: string, end: string, text: string): string {
  const path = join(packageRoot(), "bench", "results.md");
  const old = existsSync(path) ? readFileSync(path, "utf8") : "";
  const i = old.indexOf(begin);
  const j = old.indexOf(end);
  const next = i >= 0 && j > i ? old.slice(0, i) + text + old.slice(j + end.length) : old.trimEnd() + "\n\n" + text + "\n";
  writeFileSync(path, next);
  return path;
}
