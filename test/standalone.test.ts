// The repository stands on its own: a clone with nothing beside it passes `npm test`.
// - no file outside bench/ refers to a folder beside the checkout or to an absolute machine
//   path (bench/ may use the maintainers' SciPy peer when it is there, and says so when not);
// - trace files that node writes into the working folder are not in the repository and are
//   ignored;
// - the model document docs/model.md has the section numbering that source files cite, every
//   display equation is numbered within its section, and every citation of the model
//   ("docs/model.md section 3c", "docs/model.md 2") names a section that exists; no file still
//   cites the old MODEL.md (scripts/retarget-model-refs.sh rewrites such citations).

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;
const SKIP_DIRS = new Set(["node_modules", "dist", "results", ".git", "coverage", ".vitest"]);
const TEXT = /\.(ts|js|mjs|cjs|json|md|py|sh|txt|tex|csv|yml|yaml)$|(^|\/)(\.gitignore|run)$/;

function repoFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(p);
      } else if (e.isFile()) out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

const files = repoFiles();
const text = (f: string) => readFileSync(join(root, f), "utf8");
const textFiles = files.filter((f) => TEXT.test(f) && statSync(join(root, f)).size < 4_000_000);
const SELF = "test/standalone.test.ts";

describe("nothing outside the repository is needed", () => {
  // Built from pieces so that this file does not match itself.
  const outside = new RegExp([String.raw`\.\./` + "shared", "/work" + "/", "shared/" + "(?:cases|peers|seeds)"].join("|"));

  it("no file outside bench/ refers to the shared folder beside the checkout or to a path on the maintainers' machines", () => {
    const offenders = textFiles.filter((f) => !f.startsWith("bench/") && f !== SELF && outside.test(text(f)));
    expect(offenders, `files referring outside the repository: ${offenders.join(", ")}`).toEqual([]);
  });

  it("the reference cases the tests use are inside the repository", () => {
    for (const f of ["test/fixtures/reference/P1.json", "test/fixtures/reference/P2.json", "test/fixtures/reference/README.md"]) {
      expect(existsSync(join(root, f)), f).toBe(true);
    }
    for (const f of ["monopoly_uniform", "leader_fringe_explicit", "value_scale", "ironed"]) {
      expect(existsSync(join(root, `test/fixtures/python/${f}.py`)), `${f}.py`).toBe(true);
      expect(existsSync(join(root, `test/fixtures/python/${f}.json`)), `${f}.json`).toBe(true);
    }
  });

  it("no node trace file is committed, and .gitignore ignores them", () => {
    expect(files.filter((f) => /(^|\/)node_trace\.\d+\.log$/.test(f))).toEqual([]);
    const patterns = text(".gitignore")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    const globToRegex = (g: string) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, ".")}$`);
    expect(patterns.some((p) => globToRegex(p).test("node_trace.1.log")), `.gitignore patterns: ${patterns.join(" ")}`).toBe(true);
  });
});

describe("docs/model.md: the project's own model document", () => {
  const doc = text("docs/model.md");
  const lines = doc.split("\n");
  const sections = new Set<string>();
  for (const l of lines) {
    const m = /^#{2,3} (\d[a-z]?)\. /.exec(l);
    if (m) sections.add(m[1]);
  }

  it("keeps the section numbering the source files cite: 1–5 and 3a–3c", () => {
    for (const s of ["1", "2", "3", "3a", "3b", "3c", "4", "5"]) expect(sections.has(s), `section ${s}`).toBe(true);
  });

  it("numbers every display equation within its section, consecutively", () => {
    let section = "";
    const next = new Map<string, number>();
    let blocks = 0;
    for (const l of lines) {
      const h = /^## (\d)\. /.exec(l);
      if (h) section = h[1];
      for (const m of l.matchAll(/\$\$(.*?)\$\$/g)) {
        blocks++;
        const tags = [...m[1].matchAll(/\\tag\{(\d+)\.(\d+)\}/g)];
        expect(tags.length, `one \\tag in: ${m[1].slice(0, 60)}…`).toBe(1);
        const [, s, n] = tags[0];
        expect(s, `equation (${s}.${n}) sits in section ${section}`).toBe(section);
        const want = (next.get(s) ?? 0) + 1;
        expect(Number(n), `equation (${s}.${n}) follows (${s}.${want - 1})`).toBe(want);
        next.set(s, want);
      }
    }
    expect(blocks).toBeGreaterThan(50);
  });

  it("names the paper's results the engine implements", () => {
    for (const r of ["Lemma 1", "Proposition 1", "Proposition 2", "Proposition 3", "Proposition 4"]) expect(doc, r).toContain(r);
  });

  it("every citation of the model names a section that exists; none cites the old MODEL.md", () => {
    const sources = textFiles.filter((f) => /\.(ts|md|json|py|sh)$/.test(f) && f !== SELF && !f.startsWith("test/fixtures/reference/") && f !== "scripts/retarget-model-refs.sh");
    const old: string[] = [];
    const dangling: string[] = [];
    const cite = /docs\/model\.md(?:'s)?,? (?:sections? )?(\d[a-z]?)\b/g;
    for (const f of sources) {
      const t = text(f);
      // the plain name, or escaped in a regular expression (MODEL\.md)
      if (/\bMODEL\\?\.md\b/.test(t)) old.push(f);
      for (const m of t.matchAll(cite)) if (!sections.has(m[1])) dangling.push(`${f}: "${m[0]}"`);
    }
    expect(old, `files still citing MODEL.md (run scripts/retarget-model-refs.sh): ${old.join(", ")}`).toEqual([]);
    expect(dangling, `citations of missing sections: ${dangling.join("; ")}`).toEqual([]);
  });
});
