// SVG → PDF with pdfkit + svg-to-pdfkit, DejaVu Sans embedded (subset) so θ, σ, γ print
// and are searchable. Deterministic bytes: fixed dates and metadata (pdfkit derives the
// document ID and the font-subset tag from them), no other clock or randomness involved.

import PDFDocument from "pdfkit";
import SVGtoPDF from "svg-to-pdfkit";
import { loadedFonts } from "./fonts.js";
import { extractHeatmapCells, type ExtractedHeatmap } from "./pdf-heatmap.js";
import { FIGURE_HEIGHT_PT, FIGURE_WIDTH_PT } from "./style.js";
import { renderSvgDetailed } from "./svg.js";
import type { FigureSpec } from "./types.js";
import { ENGINE_VERSION } from "../engine/version.js";

/** A fixed timestamp: the figure's bytes must depend on its content only. */
const FIXED_DATE = new Date(Date.UTC(2000, 0, 1, 0, 0, 0));
const REGULAR = "DejaVuSans";
const OBLIQUE = "DejaVuSans-Oblique";

/**
 * Draw an SVG (renderSvgDetailed's svgForPdf, sized in pt) onto a one-page PDF of the same size.
 * With `heatmap`, the heatmap's cells are drawn by pdfkit directly (pdf-heatmap.ts).
 */
export function svgToPdf(svg: string, title: string, opts: { heatmap?: boolean; cells?: ExtractedHeatmap } = {}): Promise<Buffer> {
  const heightPt = pageHeight(svg);
  const doc = new PDFDocument({
    size: [FIGURE_WIDTH_PT, heightPt],
    margin: 0,
    compress: true,
    info: { Title: title, Producer: `lpe ${ENGINE_VERSION}`, Creator: `lpe ${ENGINE_VERSION}`, CreationDate: FIXED_DATE, ModDate: FIXED_DATE },
  });
  // the fonts parsed once per process (fonts.ts), not from their bytes in every document: pdfkit
  // takes a fontkit font as it is, and the tables fontkit decodes on first use (glyph outlines,
  // metrics, layout tables) are then decoded once, not once per figure (most of a figure's time)
  const fonts = loadedFonts();
  doc.registerFont(REGULAR, fonts.regular as never);
  doc.registerFont(OBLIQUE, fonts.oblique as never);
  const warnings: string[] = [];
  // (the cells as the caller took them out of this SVG, heatmapCellsOf, or taken out here)
  const cells = opts.cells ?? (opts.heatmap ? heatmapCellsOf(svg) : undefined);
  if (cells) {
    doc.rect(0, 0, FIGURE_WIDTH_PT, heightPt).fill(cells.background);
    for (const layer of cells.layers) {
      doc.save();
      doc.translate(layer.ox, layer.oy);
      doc.rect(...layer.clip).clip();
      const r = layer.rects;
      for (let i = 0; i < layer.colors.length; i++) doc.rect(r[4 * i], r[4 * i + 1], r[4 * i + 2], r[4 * i + 3]).fill(layer.colors[i]);
      doc.restore();
    }
    svg = cells.svg;
  }
  SVGtoPDF(doc, svg, 0, 0, {
    width: FIGURE_WIDTH_PT,
    height: heightPt,
    fontCallback: (_family, _bold, italic) => (italic ? OBLIQUE : REGULAR),
    warningCallback: (m) => warnings.push(m),
  });
  if (warnings.length) throw new Error(`svg-to-pdfkit could not draw the figure: ${warnings.join("; ")}`);
  return documentBytes(doc);
}

/** The page height of an SVG drawn for the PDF, in pt: the house height, or more where a tall
 *  legend below the plot made the figure taller (legend-place.ts, figureHeightPt). */
function pageHeight(svg: string): number {
  return Number(/<svg\b[^>]*\sheight="([0-9.]+)pt"/.exec(svg)?.[1] ?? FIGURE_HEIGHT_PT);
}

/** A heatmap's cell layers in an SVG drawn for the PDF (pdf-heatmap.ts): taken out once, for the
 *  PDF and for the cells' own PDF (a 200 × 200 heatmap's SVG is 6 MB of text). */
export function heatmapCellsOf(svg: string): ExtractedHeatmap | undefined {
  return extractHeatmapCells(svg, [FIGURE_WIDTH_PT, pageHeight(svg)]);
}

/**
 * A heatmap's cells alone, on a page the size of its plot area (the clip rectangle of its one
 * cell layer): what the .tex draws with \addplot graphics where pgfplots' own matrix plot would
 * not compile (pgfplots.ts TEX_MATRIX_MAX_CELLS). The cells, colours and positions are the ones
 * the SVG and the PDF draw, as vector rectangles (`cells`: heatmapCellsOf the SVG). Undefined
 * when its cell layers are clipped to different rectangles.
 */
export function heatmapCellsPdf(cells: ExtractedHeatmap, title: string): Promise<Buffer> | undefined {
  // the plot area on the page; every cell layer (a sweep's heatmap draws its failed points' cells
  // as a second one) must be clipped to the same
  const [first] = cells.layers;
  const x0 = first.ox + first.clip[0];
  const y0 = first.oy + first.clip[1];
  const [cw, ch] = [first.clip[2], first.clip[3]];
  if (!(cw > 0 && ch > 0)) return undefined;
  const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  for (const l of cells.layers) {
    if (!same(l.ox + l.clip[0], x0) || !same(l.oy + l.clip[1], y0) || !same(l.clip[2], cw) || !same(l.clip[3], ch)) return undefined;
  }
  const doc = new PDFDocument({
    size: [cw, ch],
    margin: 0,
    compress: true,
    info: { Title: title, Producer: `lpe ${ENGINE_VERSION}`, Creator: `lpe ${ENGINE_VERSION}`, CreationDate: FIXED_DATE, ModDate: FIXED_DATE },
  });
  doc.rect(0, 0, cw, ch).fill(cells.background);
  doc.save();
  doc.rect(0, 0, cw, ch).clip();
  for (const layer of cells.layers) {
    const dx = layer.ox - x0;
    const dy = layer.oy - y0;
    const r = layer.rects;
    for (let i = 0; i < layer.colors.length; i++) doc.rect(r[4 * i] + dx, r[4 * i + 1] + dy, r[4 * i + 2], r[4 * i + 3]).fill(layer.colors[i]);
  }
  doc.restore();
  return documentBytes(doc);
}

/** The figure as a one-page PDF, 3.4 × 2.4 in, fonts embedded, byte-identical for equal specs. */
export async function renderPdf(spec: FigureSpec): Promise<Buffer> {
  return svgToPdf((await renderSvgDetailed(spec)).svgForPdf, spec.name, { heatmap: spec.heatmap !== undefined });
}

/** A finished document's bytes. */
function documentBytes(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.end();
  });
}
