// The figure thread's warm-up (figures/warm-up.ts): a throwaway figure drawn in memory while a
// sweep computes. It must draw every stage without error (else it warms nothing, silently), write
// no file, leave the figures drawn after it byte-identical to those drawn cold, and stop at its
// next stage once a real request has come.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { heatmapCellsOf, svgToPdf } from "../figures/pdf.js";
import { renderPgfplots } from "../figures/pgfplots.js";
import { renderSvgDetailed } from "../figures/svg.js";
import { warmUpFigures, warmUpSpecs } from "../figures/warm-up.js";
import { writeFigure } from "../figures/write.js";
import type { FigureSpec } from "../figures/types.js";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "lpe-warm-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A sweep-like figure of its own (not the warm-up's): two lines over a log axis. */
const figure: FigureSpec = {
  name: "profit-vs-w",
  caption: "Sweep of a test: profit against the value scale.",
  x: { label: { text: "Value scale w", tex: "Value scale $w$" }, scale: "log" },
  y: { label: { text: "Profit", tex: "Profit" } },
  series: [
    { name: { text: "q_L", tex: "$q_L$" }, x: [1, 3, 10, 30, 100], y: [0.1, 0.25, 0.4, 0.52, 0.6] },
    { name: { text: "q_F", tex: "$q_F$" }, x: [1, 3, 10, 30, 100], y: [0.3, 0.2, 0.15, NaN, 0.1], style: "dotted" },
  ],
};

describe("the figure thread's warm-up", () => {
  it("its figures (a line figure, and a heatmap) go through every stage without error", async () => {
    const specs = warmUpSpecs(true);
    expect(specs.map((s) => s.heatmap !== undefined)).toEqual([false, true]);
    for (const spec of specs) {
      const { spec: drawn, svg, svgForPdf, domains, legend } = await renderSvgDetailed(spec);
      expect(svg.startsWith("<svg"), spec.name).toBe(true);
      const cells = drawn.heatmap ? heatmapCellsOf(svgForPdf) : undefined;
      if (drawn.heatmap) expect(cells, "the heatmap's cells read from its SVG").toBeDefined();
      const pdf = await svgToPdf(svgForPdf, drawn.name, { heatmap: drawn.heatmap !== undefined, cells });
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      expect(renderPgfplots(drawn, { domains, legend }).tex).toContain("\\begin{tikzpicture}");
    }
  });

  it("writes no file, and a figure drawn after it has the bytes of the same figure drawn before it", async () => {
    const before = tmp();
    const after = tmp();
    const cwd = process.cwd();
    const files = (d: string) => readdirSync(d).sort();
    const cwdFiles = files(cwd);
    const tmpFiles = files(tmpdir()).filter((f) => !dirs.some((d) => d.endsWith(f)));
    await writeFigure(before, figure);
    let stages = 0;
    await warmUpFigures(true, () => (stages++, false));
    // every stage was reached: 3 checks per figure, 2 figures
    expect(stages).toBe(6);
    await writeFigure(after, figure);
    expect(files(cwd)).toEqual(cwdFiles);
    expect(files(tmpdir()).filter((f) => !dirs.some((d) => d.endsWith(f)))).toEqual(tmpFiles);
    expect(files(after)).toEqual(files(before));
    for (const f of files(before)) expect(readFileSync(join(after, f)).equals(readFileSync(join(before, f))), f).toBe(true);
  });

  it("stops at its next stage once told to (a request has come)", async () => {
    let asked = 0;
    await warmUpFigures(true, () => ++asked > 1);
    // the first check let it render one SVG, the second stopped it
    expect(asked).toBe(2);
  });
});
