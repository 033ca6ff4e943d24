// A heatmap's .tex under pdflatex: pgfplots' matrix plot of the CSV holds some 5,000 cells in
// pdflatex's default memory ("TeX capacity exceeded" at 100 × 100: a reviewer's 101 × 201 and
// 200 × 200 sweeps did not compile). Above TEX_MATRIX_MAX_CELLS the cells go to a PDF of their
// own beside the .tex (<name>.cells.pdf: the same rectangles and colours as the SVG, on a page
// the size of the plot area), drawn with \addplot graphics over the data ranges; the CSV keeps
// every cell's value. Compiled here with pdflatex where TeX Live with pgfplots is installed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import "../figures/fonts.js";
import { paramCurveFigures } from "../figures/builders/sweep-figures.js";
import { extractHeatmapCells } from "../figures/pdf-heatmap.js";
import { renderSvgDetailed } from "../figures/svg.js";
import { HEATMAP_CELLS_EXTENSION, TEX_MATRIX_MAX_CELLS, writeFigure } from "../figures/write.js";
import { FIGURE_WIDTH_PT } from "../figures/style.js";
import type { SweepTable } from "../workers/sweep-curves.js";
import { buildSweepGrid } from "../workers/sweep-grid.js";

function heatmap(n: number) {
  const grid = buildSweepGrid({ params: { "market.leader.cost": { linspace: [0.2, 0.4, n] }, "market.fringe.cost": { linspace: [0.05, 0.29, n] } } } as never);
  const values = new Float64Array(grid.size);
  for (let i = 0; i < grid.size; i++) {
    const a = grid.axes[0].at(Math.floor(i / n));
    const b = grid.axes[1].at(i % n);
    values[i] = Math.exp(-10 * a) * (1 + b);
  }
  const t: SweepTable = { grid, outputs: ["profit"], start: 0, end: grid.size, values, failures: new Map() };
  const spec = paramCurveFigures(t, { name: "hm" })[0];
  expect(spec.heatmap).toBeDefined();
  return spec;
}

const hasTex = spawnSync("sh", ["-c", "command -v pdflatex && kpsewhich pgfplots.sty"], { encoding: "utf8" });
const canCompile = hasTex.status === 0 && hasTex.stdout.includes("pgfplots.sty");
// (.ci/run installs TeX Live where it can, and then requires the compilation)
if (process.env.LPE_TEX_TEST === "require" && !canCompile) throw new Error("LPE_TEX_TEST=require, but pdflatex with pgfplots is not installed");

function compile(dir: string, tex: string): { status: number | null; log: string } {
  writeFileSync(join(dir, "paper.tex"), `\\documentclass{article}\n\\usepackage{pgfplots}\n\\pgfplotsset{compat=1.18}\n\\begin{document}\n\\input{${tex}}\n\\end{document}\n`);
  const r = spawnSync("pdflatex", ["-interaction=nonstopmode", "-halt-on-error", "paper.tex"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, log: r.stdout.slice(-1500) };
}

describe("a large heatmap's .tex", () => {
  it(`draws more than ${TEX_MATRIX_MAX_CELLS} cells from a PDF of the plot area's cells, not a matrix plot`, async () => {
    const spec = heatmap(80);
    const dir = mkdtempSync(join(tmpdir(), "lpe-texcells-"));
    const files = await writeFigure(dir, spec);
    const cells = join(dir, `${spec.name}.${HEATMAP_CELLS_EXTENSION}`);
    expect(files).toContain(cells);
    const tex = readFileSync(join(dir, `${spec.name}.tex`), "utf8");
    expect(tex).not.toContain("matrix plot");
    // nor does a line read the CSV of every cell (pgfplots read it whole for each contour line,
    // and a second figure of 200 × 200 cells ran out of memory again): their points are inline
    expect(tex).not.toMatch(/table\[[^\]]*\] \{\\lpefiguredir [^}]*\.csv\}/);
    expect(tex).toMatch(/\\addplot\[[^\]]*\] coordinates \{\(/);
    expect(tex).toMatch(new RegExp(`\\\\addplot graphics\\[xmin=[^\\]]+\\] \\{\\\\lpefiguredir ${spec.name.replace(/\./g, "\\.")}\\.cells\\.pdf\\};`));
    // the page is the plot area: the clip rectangle of the SVG's cell layer
    const svg = (await renderSvgDetailed(spec)).svgForPdf;
    const height = Number(/<svg\b[^>]*\sheight="([0-9.]+)pt"/.exec(svg)![1]);
    const layer = extractHeatmapCells(svg, [FIGURE_WIDTH_PT, height])!.layers[0];
    expect(layer.colors.length).toBe(80 * 80);
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(readFileSync(cells, "latin1"));
    expect(box).not.toBeNull();
    expect(Number(box![1])).toBeCloseTo(layer.clip[2], 6);
    expect(Number(box![2])).toBeCloseTo(layer.clip[3], 6);
    // every cell's value stays in the CSV
    expect(readFileSync(join(dir, `${spec.name}.csv`), "utf8").trimEnd().split("\n").length).toBeGreaterThanOrEqual(80 * 80 + 1);
    if (canCompile) {
      const r = compile(dir, `${spec.name}.tex`);
      expect(r.status, r.log).toBe(0);
    }
  }, 60_000);

  it(`keeps the matrix plot up to ${TEX_MATRIX_MAX_CELLS} cells, and removes an earlier cells file of the same figure`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "lpe-texcells-"));
    const big = heatmap(80);
    await writeFigure(dir, big);
    const small = heatmap(60);
    expect(small.name).toBe(big.name);
    const files = await writeFigure(dir, small);
    expect(files.some((f) => f.endsWith(HEATMAP_CELLS_EXTENSION))).toBe(false);
    expect(existsSync(join(dir, `${small.name}.${HEATMAP_CELLS_EXTENSION}`))).toBe(false);
    const tex = readFileSync(join(dir, `${small.name}.tex`), "utf8");
    expect(tex).toContain("matrix plot*, mesh/cols=60, mesh/rows=60");
    if (canCompile) {
      const r = compile(dir, `${small.name}.tex`);
      expect(r.status, r.log).toBe(0);
    }
  }, 60_000);
});
