// A throwaway figure drawn in memory (SVG, PDF, pgfplots and caption; no file is written) by a
// figure thread started early beside a sweep's computation, so that the sweep's own figures,
// drawn once its last point is solved, find the figure layer warm. Why: the first figure a
// thread draws pays one-time costs that the next ones do not — V8 compiling vega's, pdfkit's
// and fontkit's code as it first runs, fontkit building its shaping tables on the first text it
// measures, pdfkit reading its standard font for the first document. Measured on the 100,000-point
// benchmark sweep (4 figures, drawn after its last point, on the sweep's critical path): 0.53–0.59 s
// cold, 0.30–0.42 s after a first pass over the same figures (3 runs each, load average ~2).
// The thread is otherwise idle while the points are solved, so the warm-up costs the sweep
// nothing on a machine with a free core; a draw request that arrives meanwhile stops it at its
// next stage (figure-thread.ts), so a short sweep waits at most one stage of a small figure.
// The figure drawn has what a sweep's figures have: lines with a gap (NaN), ringed dots (the
// uncertified points), a reference line with a label, sub- and superscripts, a legend inside,
// and with `heatmap` a small colour map with contour levels (a sweep over two parameters).
// Rendering is deterministic and keeps no state that changes later output: vega's id counter is
// reset at each render (svg.ts), text widths are cached by their text (fonts.ts).

import { renderCaption } from "./caption.js";
import { heatmapCellsOf, svgToPdf } from "./pdf.js";
import { renderPgfplots } from "./pgfplots.js";
import { renderSvgDetailed } from "./svg.js";
import { CONTOUR_COLOR } from "./style.js";
import type { FigureSpec } from "./types.js";

/** The warm-up figures: a line figure, and a heatmap when asked. */
export function warmUpSpecs(heatmap: boolean): FigureSpec[] {
  const n = 40;
  const x = Float64Array.from({ length: n }, (_, i) => 0.05 + (0.24 * i) / (n - 1));
  const y1 = Float64Array.from(x, (v, i) => (i === 7 ? NaN : 1 - v * v));
  const y2 = Float64Array.from(x, (v) => 0.8 - v);
  const line: FigureSpec = {
    name: "warm-up",
    caption: "A figure drawn in memory to warm the figure layer (never written).",
    x: { label: { text: "Fringe cost c_F", tex: "Fringe cost $c_F$" } },
    y: { label: { text: "Type θ_{low}", tex: "Type $\\theta_{\\mathrm{low}}$" }, shorter: [{ text: "θ", tex: "$\\theta$" }] },
    series: [
      { name: { text: "θ_low", tex: "$\\theta_{\\mathrm{low}}$" }, x, y: y1 },
      { name: { text: "θ^*", tex: "$\\theta^*$" }, x, y: y2, style: "dashed" },
      { name: { text: "not certified", tex: "not certified" }, x: [x[3]], y: [y1[3]], ring: true },
    ],
    vlines: [{ x: 0.2, label: { text: "c_F = 0.2", tex: "$c_F = 0.2$" } }],
  };
  if (!heatmap) return [line];
  const hx = [0.1, 0.2, 0.3, 0.4];
  const hy = [1, 10, 100];
  const z = hy.flatMap((b) => hx.map((a) => a * Math.log10(b + 1)));
  const map: FigureSpec = {
    name: "warm-up-map",
    caption: "A colour map drawn in memory to warm the figure layer (never written).",
    x: { label: { text: "Fringe cost c_F", tex: "Fringe cost $c_F$" } },
    y: { label: { text: "Scale w", tex: "Scale $w$" }, scale: "log" },
    // a contour line over the cells, as a sweep's heatmap has (sweep-figures.ts)
    series: [{ name: { text: "0.1", tex: "0.1" }, x: [0.15, 0.25, 0.35], y: [3, 2, 1.5], column: "contour_1", style: "solid", color: CONTOUR_COLOR }],
    heatmap: { x: hx, y: hy, z, label: { text: "Profit", tex: "Profit" }, levels: [0.1] },
  };
  return [line, map];
}

/**
 * Draw the warm-up figures in memory, stage by stage, until `stop()` says a real request is
 * waiting. Never throws: a warm-up that fails leaves the real figures to report their own errors.
 */
export async function warmUpFigures(heatmap: boolean, stop: () => boolean): Promise<void> {
  try {
    for (const spec of warmUpSpecs(heatmap)) {
      if (stop()) return;
      const { spec: drawn, svgForPdf, domains, legend } = await renderSvgDetailed(spec);
      if (stop()) return;
      const cells = drawn.heatmap ? heatmapCellsOf(svgForPdf) : undefined;
      await svgToPdf(svgForPdf, drawn.name, { heatmap: drawn.heatmap !== undefined, cells });
      if (stop()) return;
      renderPgfplots(drawn, { domains, legend });
      renderCaption(drawn);
    }
  } catch {
    // (nothing to report: see the header)
  }
}
