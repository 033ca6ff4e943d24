// The one-way layers of the code base (test/helpers/import-layers.ts, README "Layout"): no
// import crosses a layer the wrong way in the repository, and the checker does catch one —
// in a synthetic tree written to a temporary folder, and in single files.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { importsOf, layerFiles, layerViolations, violationsOf } from "./helpers/import-layers.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

describe("import layers", () => {
  test("the repository has no wrong-way import", () => {
    // the scan sees the whole code base (a wrong root would pass vacuously)
    const files = layerFiles(ROOT);
    for (const layer of ["engine/", "solvers/", "workers/", "figures/", "cli/"]) expect(files.some((f) => f.startsWith(layer))).toBe(true);
    expect(files.length).toBeGreaterThan(150);
    expect(layerViolations(ROOT).map((v) => v.message)).toEqual([]);
  });

  const tmp = mkdtempSync(join(tmpdir(), "lpe-layers-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const put = (rel: string, text: string) => {
    mkdirSync(dirname(join(tmp, rel)), { recursive: true });
    writeFileSync(join(tmp, rel), text);
  };

  test("a synthetic tree with wrong-way imports fails, naming each", () => {
    put("engine/numerics/a.ts", 'import { solve } from "../../solvers/solve.js";\nexport const a = solve;\n');
    put("solvers/solve.ts", 'import { a } from "../engine/numerics/a.js";\nexport const solve = a;\n');
    put("workers/job.ts", 'import { io } from "../cli/io.js";\nexport const j = io;\n');
    put("figures/draw.ts", 'import type { T } from "../workers/job.js";\nimport { solve } from "../solvers/solve.js";\nexport type X = T;\nexport const d = solve;\n');
    put("figures/lazy.ts", 'export const f = () => import("../workers/job.js");\n');
    put("cli/io.ts", 'import { d } from "../figures/draw.js";\nexport const io = d;\n');
    const found = layerViolations(tmp).map((v) => `${v.file}:${v.line} ${v.from}->${v.to}`);
    expect(found).toEqual([
      "engine/numerics/a.ts:1 engine->solvers",
      "figures/draw.ts:2 figures->solvers",
      "figures/lazy.ts:1 figures->workers",
      "workers/job.ts:1 workers->cli",
    ]);
  });

  test("the right-way tree of the same files passes", () => {
    const ok = mkdtempSync(join(tmpdir(), "lpe-layers-ok-"));
    try {
      mkdirSync(join(ok, "engine"), { recursive: true });
      mkdirSync(join(ok, "figures"), { recursive: true });
      writeFileSync(join(ok, "engine", "a.ts"), "export const a = 1;\n");
      writeFileSync(join(ok, "figures", "b.ts"), 'import { a } from "../engine/a.js";\nimport type { S } from "../solvers/types.js";\nexport const b: S | number = a;\n');
      expect(layerViolations(ok)).toEqual([]);
    } finally {
      rmSync(ok, { recursive: true, force: true });
    }
  });

  test("the scanner: type-only forms, re-exports, dynamic and bare imports; comments ignored", () => {
    const refs = importsOf(
      [
        'import type { A } from "./a.js";',
        'import { type B, type C } from "./b.js";',
        'import { type D, E } from "./d.js";',
        'export { F } from "./f.js";',
        'export type { G } from "./g.js";',
        'import "./side.js";',
        'const m = await import("./dyn.js");',
        '// import { H } from "./commented.js";',
        '/* import { I } from "./block.js"; */',
      ].join("\n"),
    );
    const byName = Object.fromEntries(refs.map((r) => [r.specifier, r.typeOnly]));
    expect(byName).toEqual({ "./a.js": true, "./b.js": true, "./d.js": false, "./f.js": false, "./g.js": true, "./side.js": false, "./dyn.js": false });
    expect(violationsOf("workers/x.ts", 'import { y } from "../figures/y.js";')[0].message).toMatch(/workers\/ must not import from figures\//);
    expect(violationsOf("figures/x.ts", 'import { y } from "../solvers/y.js";')[0].message).toMatch(/figures\/ may import only types from solvers\//);
    expect(violationsOf("test/x.ts", 'import { y } from "../cli/y.js";')).toEqual([]);
  });
});

describe("the vega-lite spec builders run in a browser", () => {
  // What a browser page that draws the same figures imports (figures/vl-spec.ts: FigureSpec →
  // vega-lite; the sweep figure builder: table → FigureSpec): no Node module, no font reader.
  const entries = ["figures/vl-spec.ts", "figures/domain.ts", "figures/scenario-figures.ts", "figures/builders/sweep-figures.ts", "figures/gallery.ts"];

  /** Every runtime import reachable from `file` through relative imports. */
  function runtimeClosure(file: string, seen = new Set<string>()): { files: Set<string>; packages: Set<string> } {
    const packages = new Set<string>();
    const visit = (f: string) => {
      if (seen.has(f)) return;
      seen.add(f);
      for (const ref of importsOf(readFileSync(join(ROOT, f), "utf8"))) {
        if (ref.typeOnly) continue;
        if (ref.specifier.startsWith(".")) visit(join(dirname(f), ref.specifier).replace(/\.js$/, ".ts"));
        else packages.add(ref.specifier);
      }
    };
    visit(file);
    return { files: seen, packages };
  }

  test.each(entries)("%s imports nothing Node-only", (entry) => {
    const { files, packages } = runtimeClosure(entry);
    expect(files.size).toBeGreaterThan(0);
    expect([...packages].filter((p) => p.startsWith("node:") || ["fs", "path", "child_process", "fontkit", "pdfkit", "svg-to-pdfkit"].includes(p))).toEqual([]);
    expect([...files].filter((f) => f.endsWith("fonts.ts") || f.endsWith("write.ts") || f.endsWith("pdf.ts"))).toEqual([]);
  });

  test("the closure check sees a Node import (figures/fonts.ts reads the font files)", () => {
    expect([...runtimeClosure("figures/fonts.ts").packages]).toContain("node:fs");
  });
});
