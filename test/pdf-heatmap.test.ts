// A heatmap's cells in the PDF are drawn by pdfkit directly (figures/pdf-heatmap.ts) rather than
// through svg-to-pdfkit: the cells taken from the SVG are exactly its cells (position, size,
// colour), an SVG in another form is left whole, and the two PDFs, rasterized by poppler, show
// the same picture (pixels away from the plot's frame identical to within anti-aliasing).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { inflateSync } from "node:zlib";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { paramCurveFigures } from "../figures/builders/sweep-figures.js";
import { extractHeatmapCells } from "../figures/pdf-heatmap.js";
import { svgToPdf } from "../figures/pdf.js";
import { FIGURE_HEIGHT_PT, FIGURE_WIDTH_PT } from "../figures/style.js";
import { renderSvgDetailed } from "../figures/svg.js";
import { buildSweepGrid } from "../workers/sweep-grid.js";
import { decodePng } from "./helpers/png.js";

const PAGE: [number, number] = [FIGURE_WIDTH_PT, FIGURE_HEIGHT_PT];

/** A 2-D sweep's heatmap figure: 49 × 69 cells, zero (grey on the log scale) for the first five columns. */
function heatmapSpec() {
  const grid = buildSweepGrid({ params: { "market.fringe.cost": { linspace: [0.05, 0.29, 49] }, "market.leader.gamma": { linspace: [0.05, 0.45, 69] } } as never });
  const values = new Float64Array(grid.size);
  for (let i = 0; i < grid.size; i++) {
    const a = Math.floor(i / 69);
    const b = i % 69;
    values[i] = a < 5 ? 0 : Math.exp((6 * a) / 49 + b / 69);
  }
  const spec = paramCurveFigures({ grid, outputs: ["profit"], start: 0, end: grid.size, values, failures: new Map() }, { name: "t" })[0];
  expect(spec.heatmap).toBeDefined();
  return spec;
}

const CELL = /<path d="M([^,]+),([^h]+)h([^v]+)v([^h]+)h[^Z]+Z" fill="([^"]+)" stroke-width="0"\/>/g;

describe("heatmap cells for the PDF", () => {
  it("are the SVG's cells, in its colours, and the rest of the SVG is kept", async () => {
    const { svgForPdf } = await renderSvgDetailed(heatmapSpec());
    const got = extractHeatmapCells(svgForPdf, PAGE)!;
    expect(got).toBeDefined();
    // every cell path of the SVG, in order (the grey layer first, then the coloured one)
    const want = [...svgForPdf.matchAll(CELL)];
    const cells = got.layers.reduce((n, l) => n + l.colors.length, 0);
    expect(cells).toBe(want.length);
    expect(cells).toBe(49 * 69);
    expect(got.layers.map((l) => l.colors.length)).toEqual([5 * 69, 44 * 69]);
    let k = 0;
    for (const layer of got.layers) {
      for (let i = 0; i < layer.colors.length; i++, k++) {
        const w = want[k];
        expect([...layer.rects.subarray(4 * i, 4 * i + 4)]).toEqual([Number(w[1]), Number(w[2]), Number(w[3]), Number(w[4])]);
        const c = layer.colors[i];
        const hex = `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
        expect([hex, `rgb(${c.join(", ")})`]).toContain(w[5]);
      }
      // plot area of the figure, clipped as the SVG clips it
      expect(layer.clip[2]).toBeGreaterThan(100);
      expect(layer.ox).toBeGreaterThan(0);
    }
    expect([...got.svg.matchAll(CELL)].length).toBe(0);
    expect(got.svg).toContain("<text");
    expect(got.svg.length).toBeGreaterThan(1000);
    expect(got.background).toBe("#ffffff");
  });

  it("leave an SVG in another form whole", async () => {
    const { svgForPdf } = await renderSvgDetailed(heatmapSpec());
    expect(extractHeatmapCells(svgForPdf.replace('stroke-width="0"/>', 'stroke-width="0" opacity="0.5"/>'), PAGE)).toBeUndefined();
    expect(extractHeatmapCells(svgForPdf.replace('fill="#d9d9d9"', 'fill="grey"'), PAGE)).toBeUndefined();
    expect(extractHeatmapCells(svgForPdf, [PAGE[0] * 2, PAGE[1]])).toBeUndefined();
    expect(extractHeatmapCells(svgForPdf.replace(/<rect width="[^"]+" height="[^"]+" fill="#ffffff"\/>/, ""), PAGE)).toBeUndefined();
  });

  it("give the picture svg-to-pdfkit gives (rasterized by poppler), and the same bytes every time", async () => {
    const found = spawnSync("sh", ["-c", "command -v pdftoppm"]).status === 0;
    if (!found) throw new Error("pdftoppm is not installed: run `apt-get install -y poppler-utils` (.ci/run does this)");
    const spec = heatmapSpec();
    const { svgForPdf } = await renderSvgDetailed(spec);
    const fast = await svgToPdf(svgForPdf, spec.name, { heatmap: true });
    const whole = await svgToPdf(svgForPdf, spec.name);
    expect(fast.equals(await svgToPdf(svgForPdf, spec.name, { heatmap: true }))).toBe(true);
    expect(fast.equals(whole)).toBe(false);
    // The PDFs' drawing operators: svg-to-pdfkit fills each cell as a closed path
    // (x y m, x2 y l, x2 y2 l, x y2 l, h f), the fast path as x y w h re … f. The same cells in
    // the same colours (the fast path paints the page's white first).
    const content = (pdf: Buffer) =>
      [...pdf.toString("latin1").matchAll(/stream\r?\n([^]*?)\r?\nendstream/g)]
        .map((m) => {
          try {
            return inflateSync(Buffer.from(m[1], "latin1")).toString("latin1");
          } catch {
            return "";
          }
        })
        .join("\n");
    const N = String.raw`(-?[\d.]+)`;
    const viaSvg = [...content(whole).matchAll(new RegExp(String.raw`/DeviceRGB cs\n${N} ${N} ${N} scn\n/Gs\d+ gs\n${N} ${N} m\n${N} ${N} l\n${N} ${N} l\n${N} ${N} l\nh\nf`, "g"))].map((m) =>
      [m[4], m[5], m[6], m[9], m[1], m[2], m[3]].map(Number),
    );
    const direct = [...content(fast).matchAll(new RegExp(String.raw`${N} ${N} ${N} ${N} re\n/DeviceRGB cs\n${N} ${N} ${N} scn\nf`, "g"))].map((m) =>
      [m[1], m[2], Number(m[1]) + Number(m[3]), Number(m[2]) + Number(m[4]), m[5], m[6], m[7]].map(Number),
    );
    // every cell, and the page's white background
    expect(direct.length).toBe(49 * 69 + 1);
    expect(direct[0].map((v) => Number(v.toFixed(6)))).toEqual([0, 0, 244.8, 172.8, 1, 1, 1]);
    expect(viaSvg.length).toBe(direct.length);
    // (svg-to-pdfkit puts a clipped group in a stream of its own: compared as sorted lists)
    const byPlace = (a: number[], b: number[]) => a[1] - b[1] || a[0] - b[0] || a[4] - b[4];
    viaSvg.sort(byPlace);
    direct.sort(byPlace).forEach((cell, k) => {
      for (let c = 0; c < 7; c++) expect(Math.abs(cell[c] - viaSvg[k][c]), `cell ${k}: ${cell} vs ${viaSvg[k]}`).toBeLessThanOrEqual(2e-5);
    });
    // and at the same place on the page: svg-to-pdfkit draws the plot's groups (XObjects) after
    // translating to the plot area; the fast path translates there before clipping the cells
    const groupsAt = /\n1 0 0 1 (\S+) (\S+) cm\n(?:[^\n]*\n){0,12}?\/G\d+ Do\n/.exec(content(whole));
    const cellsAt = /\nq\n1 0 0 1 (\S+) (\S+) cm\n\S+ \S+ \S+ \S+ re\nW n\n/.exec(content(fast));
    expect(groupsAt).not.toBeNull();
    expect(cellsAt).not.toBeNull();
    expect([Number(cellsAt![1]), Number(cellsAt![2])]).toEqual([Number(groupsAt![1]), Number(groupsAt![2])]);
    const dir = mkdtempSync(join(tmpdir(), "lpe-pdf-heatmap-"));
    const raster = (pdf: Buffer, name: string) => {
      writeFileSync(join(dir, `${name}.pdf`), pdf);
      execFileSync("pdftoppm", ["-r", "150", "-png", "-singlefile", join(dir, `${name}.pdf`), join(dir, name)]);
      return decodePng(readFileSync(join(dir, `${name}.png`)));
    };
    const a = raster(fast, "fast");
    const b = raster(whole, "whole");
    expect([a.width, a.height]).toEqual([b.width, b.height]);
    const px = (img: typeof a, x: number, y: number) => [0, 1, 2].map((c) => img.rgb[3 * (y * img.width + x) + c]);
    // Rasterized: inside the plot area, 3 pixels in from its frame (where the cells' clip edge
    // is hard in one drawing and smoothed in the other), the drawings differ only in how a cell
    // edge inside a pixel is smoothed (a path with a graphics state against a rectangle): a few
    // pixels in a hundred. For scale, the same count for svg-to-pdfkit against itself with the
    // cells moved by a quarter of a point.
    const layer = extractHeatmapCells(svgForPdf, PAGE)!.layers[0];
    const scale = a.width / PAGE[0];
    const [x0, y0] = [(layer.ox + layer.clip[0]) * scale + 3, (layer.oy + layer.clip[1]) * scale + 3];
    const [x1, y1] = [(layer.ox + layer.clip[0] + layer.clip[2]) * scale - 3, (layer.oy + layer.clip[1] + layer.clip[3]) * scale - 3];
    const differing = (p: typeof a, q: typeof a) => {
      let n = 0;
      let inside = 0;
      for (let y = Math.ceil(y0); y < y1; y++) {
        for (let x = Math.ceil(x0); x < x1; x++) {
          inside++;
          const u = px(p, x, y);
          const v = px(q, x, y);
          if (Math.max(...u.map((c, k) => Math.abs(c - v[k]))) > 3) n++;
        }
      }
      return { n, inside };
    };
    const moved = svgForPdf.replace(/(<path d="M)([^,]+),/g, (_m, head: string, x: string) => `${head}${Number(x) + 0.25},`);
    const shifted = raster(await svgToPdf(moved, spec.name), "shifted");
    const same = differing(a, b);
    const off = differing(shifted, b);
    expect(same.inside).toBeGreaterThan(50_000);
    expect(same.n / same.inside, `${same.n} of ${same.inside} pixels inside the plot differ`).toBeLessThan(0.03);
    expect(off.n, `a quarter-point shift changes ${off.n} pixels, the fast path ${same.n}`).toBeGreaterThan(2 * same.n);
    // and the picture is a heatmap: many distinct colours
    const colours = new Set<string>();
    for (let y = 0; y < a.height; y += 2) for (let x = 0; x < a.width; x += 2) colours.add(px(a, x, y).join(","));
    expect(colours.size).toBeGreaterThan(100);
  });
});
