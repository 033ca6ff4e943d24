// User strings in outputs (issue 16, points 3 and 4): names that become column names and
// legend entries are restricted by the schema (refused with their JSON path); every user
// string is escaped for its target — TeX in the pgfplots .tex (compiled with
// `pdflatex -shell-escape` when TeX is installed), the label markup and XML of the SVG, RFC 4180
// CSV with spreadsheet-formula guards — and the escapes are checked directly on hostile strings.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { monopolyFigure } from "../figures/builders/monopoly-menu.js";
import { labelText, plainLine, texComment, texLabelProblem, texMath, texText } from "../figures/escape.js";
import { plainText } from "../figures/label.js";
import { renderPgfplots } from "../figures/pgfplots.js";
import { renderCaption } from "../figures/caption.js";
import { renderSvg } from "../figures/svg.js";
import { csvText, csvTextValue } from "../engine/results/csv-cell.js";
import { curvesToCsv } from "../engine/results/curves-csv.js";
import { parseSweepCsvRow, sweepCsvHeader, sweepCsvRow } from "../engine/results/sweep-csv.js";
import { loadScenarioFile, validateScenario } from "../engine/scenario/load.js";
import type { Scenario } from "../engine/scenario/spec-types.js";
import { solveScenario } from "../solvers/solve.js";
import { escapeTerminalControls } from "../engine/io.js";
import type { Curves } from "../solvers/types.js";

const root = new URL("..", import.meta.url).pathname;
const tutorial = join(root, "scenarios/examples/tutorial-monopoly.json");
const raw = () => JSON.parse(readFileSync(tutorial, "utf8"));
const lpe = (args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, "bin/lpe.js"), ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** The class name: a legend entry that runs a shell command and reads a file. */
const PWN = "out}\\immediate\\write18{touch PWNED}\\addlegendentry{\\input{secret.txt}";
const HOSTILE = [
  PWN,
  "in,put",
  'say "hi"',
  "two\nlines",
  "cr\rhere",
  "=HYPERLINK(\"http://x\")",
  "+1+1",
  "-2+3",
  "@SUM(A1)",
  "\tTAB",
  "$x^2_{i}$ 100% #1 & ~home \\\\",
  "\\catcode`\\%=12 \\def\\x{y}",
  "<script>alert(1)</script> & &amp;",
  "^^M\\input{secret.txt}",
];

// ---------------------------------------------------------------- a TeX scanner of the test's own

/** Escape sequences that print a character (what an escaped user string may consist of). */
const TEX_ESCAPES = /\\textbackslash\{\}|\\textasciicircum\{\}|\\textasciitilde\{\}|\\backslash\{\}|\\wedge\{\}|\\sim\{\}|\\mbox\{-\}|\\[{}$%#&_ ]/g;
const TEX_SPECIALS = /[\\{}$%#&^_~]/;

/** True when the TeX text, once the printing escapes are removed, has no special character left. */
function inert(tex: string): boolean {
  return !TEX_SPECIALS.test(tex.replace(TEX_ESCAPES, "")) && !/[\r\n]/.test(tex);
}

/** Control words a .tex file uses (\input, \write, …). */
function controlWords(tex: string): Set<string> {
  return new Set([...tex.matchAll(/\\([A-Za-z]+)/g)].map((m) => m[1]));
}

// ---------------------------------------------------------------- names (schema)

describe("names that become columns and legend entries", () => {
  it("the issue's class name is refused by validate with its JSON path (exit 2), and so is in,put", () => {
    const dir = mkdtempSync(join(tmpdir(), "lpe-names-"));
    const s = raw();
    s.technology.tokens.classes[0].name = PWN;
    s.technology.tokens.classes[1].name = "in,put";
    const f = join(dir, "hostile.json");
    writeFileSync(f, JSON.stringify(s));
    const r = lpe(["validate", f]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("technology.tokens.classes[0].name: expected a name of ASCII letters (A–Z, a–z), digits");
    expect(r.err).toContain("technology.tokens.classes[1].name: expected a name of ASCII letters (A–Z, a–z), digits");
    expect(r.err).not.toMatch(/\n\s+at .*:\d+/); // no stack trace
    const out = join(dir, "out");
    expect(lpe(["solve", f, "--out", out]).code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it("every hostile string is refused as a class, fine-tuning class or model name; plain names pass", () => {
    for (const name of HOSTILE) {
      const s = raw();
      s.technology.fineTuning.classes[0].name = name;
      const { problems } = validateScenario(s);
      expect(problems.map((p) => p.path)).toContain("technology.fineTuning.classes[0].name");
      const m = raw();
      m.market = { kind: "leaderFringe", leader: { name, gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } };
      expect(validateScenario(m).problems.map((p) => p.path)).toContain("market.leader.name");
    }
    for (const name of ["cached input", "gpt-4o (2024)", "in+out", "v1.2_b", "X"]) {
      const s = raw();
      s.technology.tokens.classes[0].name = name;
      expect(validateScenario(s).problems).toEqual([]);
    }
    const long = raw();
    long.technology.tokens.classes[0].name = "a".repeat(65);
    expect(validateScenario(long).problems).toEqual([{ path: "technology.tokens.classes[0].name", message: "expected a string of at most 64 characters, got 65" }]);
  });
});

// ---------------------------------------------------------------- TeX

describe("TeX escaping", () => {
  it("texText and texMath leave no special character unescaped, for hostile and arbitrary strings", () => {
    for (const s of HOSTILE) {
      expect(inert(texText(s)), texText(s)).toBe(true);
      expect(inert(texMath(s)), texMath(s)).toBe(true);
    }
    // a hyphen in a name stays a hyphen in math mode (not a minus sign)
    expect(texMath("out-put_2")).toBe("out\\mbox{-}put\\_2");
    expect(texText(PWN)).toBe("out\\}\\textbackslash{}immediate\\textbackslash{}write18\\{touch PWNED\\}\\textbackslash{}addlegendentry\\{\\textbackslash{}input\\{secret.txt\\}");
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (s) => inert(texText(s)) && inert(texMath(s)) && /^[\x20-\x7e]*$/.test(texMath(s))),
    );
  });

  it("a caption cannot leave its TeX comment lines, whatever line breaks it holds", () => {
    const text = "a\nb\r\\input{x}\r\nc\u2028d\u000be\u000cf\u0085g";
    const lines = texComment(text).split("\n");
    expect(lines.length).toBe(8);
    for (const l of lines) expect(l.startsWith("%")).toBe(true);
    expect(texComment(text)).not.toMatch(/\r|\u2028|\u0085|\u000b|\u000c/);
  });

  it("the label markup shows a name literally (plainText undoes labelText) and control characters go", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 40 }), (s) => plainText(labelText(s)) === plainLine(s)));
    expect(plainLine("a\u001b[31mred\u0007\nb")).toBe("a[31mred b");
  });

  it("the figure validator refuses a TeX label with \\input, \\write18 or unbalanced braces", () => {
    expect(texLabelProblem("cached $X_{\\mathrm{cached}}(\\theta)$")).toBeUndefined();
    expect(texLabelProblem(`${texText(PWN)} $X_{\\mathrm{${texMath(PWN)}}}(\\theta)$`)).toBeUndefined();
    expect(texLabelProblem(PWN)).toMatch(/unbalanced|\\immediate/);
    expect(texLabelProblem("\\input{/etc/hostname}")).toContain("\\input");
    expect(texLabelProblem("a}b{")).toContain("unbalanced");
    expect(texLabelProblem("100%")).toContain("unescaped");
  });

  it("token-budgets with the hostile class names: the .tex is inert (compiled with -shell-escape when TeX is installed)", { timeout: 120_000 }, async () => {
    // Built past the schema (which refuses these names): the escaping must hold on its own.
    const s = loadScenarioFile(tutorial).scenario;
    const scenario: Scenario = {
      ...s,
      grid: { points: 21 },
      figures: { caption: "Caption }\\input{secret.txt}\n\\immediate\\write18{touch PWNED}\r\\end{document}" },
      technology: {
        ...s.technology,
        tokens: { rho: 0.5, classes: [ { name: PWN, alpha: 0.4, cost: 0.1 }, { name: "$x^2_{i}$ 100% #1 & ~", alpha: 0.6, cost: 0.3 } ] },
        fineTuning: { kind: "ces", gamma: 0.3, rho: 0.5, classes: [ { name: "\\\\ \\def\\x{y}", alpha: 1, cost: 0.2 } ] },
      },
    };
    const solution = solveScenario(scenario);
    const spec = monopolyFigure("token-budgets", scenario, solution)!;
    const benign = monopolyFigure("token-budgets", loadScenarioFile(tutorial).scenario, solveScenario(loadScenarioFile(tutorial).scenario))!;
    const { tex, csv } = renderPgfplots(spec);
    // Every legend entry is the escaped name; no control word beyond the benign figure's and the escapes'.
    const allowed = new Set([...controlWords(renderPgfplots(benign).tex), "textbackslash", "textasciicircum", "textasciitilde", "backslash", "wedge", "sim"]);
    const extra = [...controlWords(tex.split("\n").filter((l) => !l.startsWith("%")).join("\n"))].filter((w) => !allowed.has(w));
    expect(extra).toEqual([]);
    for (const line of tex.split("\n").filter((l) => l.startsWith("\\addlegendentry{"))) {
      const body = line.slice("\\addlegendentry{".length, -1);
      // the entry is the symbol alone, the class name escaped inside its \mathrm subscript
      expect(body).toMatch(/^\$[XZ]_\{\\mathrm\{.*\}\}\(\\theta\)\$$/);
      expect(texLabelProblem(body)).toBeUndefined();
    }
    // The caption is comment lines only.
    expect(tex.split("\n").filter((l) => l.includes("PWNED")).every((l) => l.startsWith("%") || l.startsWith("\\addlegendentry") || l.startsWith("\\addplot"))).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), "lpe-tex-"));
    writeFileSync(join(dir, "token-budgets.tex"), tex);
    writeFileSync(join(dir, "token-budgets.csv"), csv);
    writeFileSync(join(dir, "secret.txt"), "SECRETTOKEN\n");
    writeFileSync(
      join(dir, "paper.tex"),
      "\\documentclass{article}\n\\usepackage{pgfplots}\n\\pgfplotsset{compat=1.18}\n\\begin{document}\n\\input{token-budgets.tex}\n\\end{document}\n",
    );
    const hasTex = spawnSync("sh", ["-c", "command -v pdflatex && kpsewhich pgfplots.sty"], { encoding: "utf8" });
    if (hasTex.status !== 0 || !hasTex.stdout.includes("pgfplots.sty")) {
      // (.ci/run installs TeX Live where it can, and then requires the compilation)
      expect(process.env.LPE_TEX_TEST, "LPE_TEX_TEST=require, but pdflatex with pgfplots is not installed").not.toBe("require");
      console.log("pdflatex with pgfplots is not installed: the .tex was checked by scanning only, not compiled");
      return;
    }
    const r = spawnSync("pdflatex", ["-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "paper.tex"], { cwd: dir, encoding: "utf8", timeout: 100_000 });
    expect(r.status, r.stdout.slice(-2000)).toBe(0);
    expect(existsSync(join(dir, "PWNED"))).toBe(false);
    const text = spawnSync("pdftotext", ["paper.pdf", "-"], { cwd: dir, encoding: "utf8" });
    if (text.status === 0) {
      expect(text.stdout).not.toContain("SECRETTOKEN");
      expect(text.stdout).toContain("write18"); // the name is printed, as text
    }
    expect(readFileSync(join(dir, "paper.log"), "utf8")).not.toContain("SECRETTOKEN");
  });
});

// ---------------------------------------------------------------- SVG and caption

describe("SVG and caption", () => {
  it("hostile label text comes out as escaped XML text, never as markup", async () => {
    const spec = {
      name: "t",
      caption: "c",
      x: { label: { text: labelText("x <b>&\"'"), tex: "x" } },
      y: { label: { text: "y", tex: "y" } },
      series: [
        { name: { text: labelText("<script>alert(1)</script> & &amp; ]]>"), tex: "a" }, x: [0, 1], y: [0, 1] },
        { name: { text: labelText(PWN), tex: "b" }, x: [0, 1], y: [1, 0] },
      ],
    };
    const svg = await renderSvg(spec);
    expect(svg).not.toMatch(/<script|<b>|]]>/);
    // every & starts an entity
    expect(svg.match(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/g)).toBeNull();
    expect(svg).toContain("&lt;script&gt;");
  });

  it("the caption file is one line of plain text: no control characters from the scenario's caption", () => {
    const c = renderCaption({ name: "q", caption: "Quality.\u001b[2J Mine\u0007 here\r\nnext", x: { label: { text: "x", tex: "x" } }, y: { label: { text: "y", tex: "y" } }, series: [{ name: { text: "a", tex: "a" }, x: [0], y: [0] }] });
    expect(c).toBe("Quality.[2J Mine here next.\n");
  });
});

// ---------------------------------------------------------------- CSV

/** A strict RFC 4180 parser (the test's own): records of fields. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
        if (i < text.length && text[i] !== "," && text[i] !== "\n") throw new Error(`text after a closing quote at ${i}`);
      } else field += text[i++];
    } else if (c === '"') {
      if (field !== "") throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      i++;
    } else if (c === ",") {
      record.push(field);
      field = "";
      i++;
    } else if (c === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else if (c === "\r") throw new Error(`bare CR outside quotes at ${i}`);
    else field += text[i++];
  }
  if (quoted) throw new Error("unterminated quote");
  if (field !== "" || record.length) throw new Error("last record without a line break");
  return records;
}

/** Strings rich in what CSV and spreadsheets treat specially, and arbitrary Unicode. */
const cellText = (maxLength: number) =>
  fc.oneof(fc.string({ unit: fc.constantFrom(",", '"', "\n", "\r", "=", "+", "-", "@", "\t", "'", "a", "1", " "), maxLength }), fc.string({ unit: "binary", maxLength }));

/** What a spreadsheet would take for a formula: a cell starting with = + - @, tab or CR. */
const formulaLike = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(cell);

describe("CSV (RFC 4180, formula-guarded text)", () => {
  it("csvText quotes commas, quotes and line breaks, and guards formula starts inside quotes", () => {
    expect(csvText("plain")).toBe("plain");
    expect(csvText("in,put")).toBe('"in,put"');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText("a\nb")).toBe('"a\nb"');
    expect(csvText("=1+1")).toBe("\"'=1+1\"");
    expect(csvText("-2+3")).toBe("\"'-2+3\"");
    expect(csvText("@SUM(A1)")).toBe("\"'@SUM(A1)\"");
    expect(csvText("'=x")).toBe("\"''=x\"");
  });

  it("csvTextValue undoes csvText exactly, for any string", () => {
    fc.assert(fc.property(cellText(30), (s) => csvTextValue(csvText(s)) === s));
  });

  it("curves.csv with hostile column names: every record has the header's width, no text cell reads as a formula, negative numbers stay numbers", () => {
    const n = 4;
    const theta = Float64Array.from({ length: n }, (_, i) => i / 3);
    const names = HOSTILE.map((h) => `X.${h}`).concat(["=cmd", "-1", "+x", "@x"]);
    const columns: Record<string, Float64Array> = {};
    names.forEach((c, k) => (columns[c] = Float64Array.from({ length: n }, (_, i) => (k % 2 ? -1 : 1) * (i + 0.5) * 1e-3)));
    const curves: Curves = { theta, columns, order: names };
    const text = curvesToCsv(curves);
    const records = parseCsv(text);
    expect(records.length).toBe(n + 1);
    for (const r of records) expect(r.length).toBe(names.length + 1);
    const header = records[0];
    expect(header.slice(1).map((h) => csvTextValue(`"${h.replace(/"/g, '""')}"`))).toEqual(names);
    expect(header.filter(formulaLike)).toEqual([]);
    expect(records[1][2]).toBe("-0.0005");
    expect(text.trimEnd().split("\n").at(-1)!.split(",")[2]).toBe("-0.0035"); // unquoted: a number
  });

  it("curves.csv column names with arbitrary text keep the file rectangular (property)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(cellText(12), { minLength: 1, maxLength: 5 }), (names) => {
        const columns: Record<string, Float64Array> = {};
        for (const c of names) columns[c] = Float64Array.of(-1.5, 2);
        const records = parseCsv(curvesToCsv({ theta: Float64Array.of(0, 1), columns, order: names }));
        return records.length === 3 && records.every((r) => r.length === names.length + 1) && records[0].every((c) => !formulaLike(c));
      }),
    );
  });

  it("sweep.csv statuses are guarded and parsed back exactly", () => {
    for (const status of ["=cmd()", "-oops, with comma", "@x\n\"y\""]) {
      const row = sweepCsvRow(3, [-0.5], status, Float64Array.of(-2), 0, 1);
      const records = parseCsv(sweepCsvHeader(["market.fringe.cost"], ["profit"]) + row);
      expect(records[1]).toEqual(["3", "-0.5", `'${status}`, "-2"]);
      expect(parseSweepCsvRow(row.slice(0, -1), 1, 1)?.status).toBe(status);
    }
  });
});

describe("terminal output", () => {
  const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  it("a bad value with ESC, DEL and the 8-bit CSI (U+009B) is echoed with visible escapes (exit 2)", () => {
    const dir = mkdtempSync(join(tmpdir(), "lpe-term-"));
    const file = join(dir, "s.json");
    const s = raw();
    s.market = { kind: "mono\u001b[31mpoly\u009b2J\u007f\u202egnp.exe" };
    writeFileSync(file, JSON.stringify(s));
    const r = lpe(["validate", file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("market.kind");
    expect(r.err).toContain("\\u001b[31mpoly\\u009b2J\\u007f\\u202egnp.exe");
    expect(CONTROL.test(r.err)).toBe(false);
  });

  it("escapeTerminalControls leaves no control character but tab and line feed, and JSON reads the escaped string back (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const e = escapeTerminalControls(s);
        return !CONTROL.test(e) && JSON.parse(escapeTerminalControls(JSON.stringify(s))) === s;
      }),
    );
  });
});
