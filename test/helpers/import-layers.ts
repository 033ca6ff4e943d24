// The layer rule of the code base, checked over the import graph (README "Layout"): data flows
// one way, scenario → model → solver → result → writers, and each top-level folder may import
// only from the folders below it:
//
//   engine/   ← solvers/ ← workers/ ← figures/ ← cli/
//
// engine/ imports nothing from solvers/, workers/, figures/ or cli/; solvers/ nothing from
// workers/ and above; workers/ nothing from figures/ or cli/ (a sweep gets its figure drawer
// handed in by the command); figures/ draws from result objects and sweep tables and runs
// nothing that solves: from solvers/ and workers/ it may import types only (`import type`,
// erased at compile time). bench/ and test/ may import anything.
// A small scanner of TypeScript sources: static imports and re-exports, side-effect imports
// and dynamic import("…") with a literal specifier; only relative specifiers are resolved (a
// package is no layer). Pure functions over file texts, plus one that walks a folder.

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";

export const LAYERS = ["engine", "solvers", "workers", "figures", "cli"] as const;
export type Layer = (typeof LAYERS)[number];

/** What each layer may import at run time, and what it may import as types only. */
export const ALLOWED: Record<Layer, { runtime: readonly Layer[]; typesOnly: readonly Layer[] }> = {
  engine: { runtime: ["engine"], typesOnly: [] },
  solvers: { runtime: ["engine", "solvers"], typesOnly: [] },
  workers: { runtime: ["engine", "solvers", "workers"], typesOnly: [] },
  figures: { runtime: ["engine", "figures"], typesOnly: ["solvers", "workers"] },
  cli: { runtime: ["engine", "solvers", "workers", "figures", "cli"], typesOnly: [] },
};

export interface ImportRef {
  specifier: string;
  typeOnly: boolean;
  line: number;
}

/** The imports of one source text (comments are skipped). */
export function importsOf(source: string): ImportRef[] {
  // blank out comments, keeping line breaks so line numbers stay right
  const text = source.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, " ")).replace(/(^|[^:"'`\\])\/\/[^\n]*/g, (m, pre: string) => pre + " ".repeat(m.length - pre.length));
  const out: ImportRef[] = [];
  const lineAt = (i: number) => text.slice(0, i).split("\n").length;
  const fromRe = /\b(import|export)\s+(type\s+)?([^;'"]*?)\bfrom\s*["']([^"']+)["']/g;
  for (let m; (m = fromRe.exec(text)); ) {
    const clause = m[3].trim();
    // `import { type A, type B } from` is type-only too
    const named = /^\{([\s\S]*)\}$/.exec(clause);
    const allTypes = named !== null && named[1].split(",").map((s) => s.trim()).filter((s) => s).every((s) => s.startsWith("type "));
    out.push({ specifier: m[4], typeOnly: m[2] !== undefined || allTypes, line: lineAt(m.index) });
  }
  const bareRe = /\bimport\s*["']([^"']+)["']/g;
  for (let m; (m = bareRe.exec(text)); ) out.push({ specifier: m[1], typeOnly: false, line: lineAt(m.index) });
  const dynRe = /\bimport\(\s*["']([^"']+)["']\s*\)/g;
  for (let m; (m = dynRe.exec(text)); ) out.push({ specifier: m[1], typeOnly: false, line: lineAt(m.index) });
  return out;
}

/** The layer of a path relative to the repository root (undefined: not a layer, e.g. test/). */
export function layerOf(relPath: string): Layer | undefined {
  const top = normalize(relPath).split(sep)[0];
  return (LAYERS as readonly string[]).includes(top) ? (top as Layer) : undefined;
}

export interface Violation {
  file: string;
  line: number;
  specifier: string;
  from: Layer;
  to: Layer;
  message: string;
}

/** The wrong-way imports of one file (path relative to the root) with the given source text. */
export function violationsOf(file: string, source: string): Violation[] {
  const from = layerOf(file);
  if (!from) return [];
  const out: Violation[] = [];
  for (const ref of importsOf(source)) {
    if (!ref.specifier.startsWith(".")) continue;
    const target = normalize(join(dirname(file), ref.specifier));
    if (target.startsWith("..")) continue;
    const to = layerOf(target);
    if (!to) continue;
    const rule = ALLOWED[from];
    if (rule.runtime.includes(to)) continue;
    if (ref.typeOnly && rule.typesOnly.includes(to)) continue;
    const how = rule.typesOnly.includes(to) ? "may import only types from" : "must not import from";
    out.push({ file, line: ref.line, specifier: ref.specifier, from, to, message: `${file}:${ref.line}: ${from}/ ${how} ${to}/ ("${ref.specifier}")` });
  }
  return out;
}

/** Every .ts file under the layer folders of `root`. */
export function layerFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(relative(root, p));
    }
  };
  assert.ok(existsSync(root), `no folder ${root} to check`);
  for (const layer of LAYERS) {
    try {
      walk(join(root, layer));
    } catch {
      // a layer folder that does not exist has no imports
    }
  }
  return out.sort();
}

/** All wrong-way imports under `root`. */
export function layerViolations(root: string): Violation[] {
  return layerFiles(root).flatMap((f) => violationsOf(f, readFileSync(join(root, f), "utf8")));
}
