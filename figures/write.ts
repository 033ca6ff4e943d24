// Writes all formats of one figure: <dir>/<name>.{svg,pdf,tex,csv,caption.txt}. Everything is
// rendered first, then each file is written to a temporary name in the same directory, fsynced
// and renamed into place, so a reader (or a crash) never sees a half-written figure file.
// A failing write (a full disk…) is reported under the file's own name.

import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { ensureDir } from "../engine/results/atomic-write.js";
import { withPath } from "../engine/results/system-errors.js";
import { renderCaption } from "./caption.js";
import { decimateFigure } from "./decimate.js";
import { heatmapCellsOf, heatmapCellsPdf, svgToPdf } from "./pdf.js";
import { renderPgfplots } from "./pgfplots.js";
import { renderSvgDetailed } from "./svg.js";
import type { FigureSpec } from "./types.js";

export const FIGURE_EXTENSIONS = ["svg", "pdf", "tex", "csv", "caption.txt"] as const;

/** The sixth file of a heatmap of more than TEX_MATRIX_MAX_CELLS cells: its cells alone, as a
 *  PDF the .tex draws (pgfplots.ts). */
export const HEATMAP_CELLS_EXTENSION = "cells.pdf";

/** The most cells a .tex draws as a pgfplots matrix plot: pdflatex's default main memory
 *  (5,000,000 words) compiled 70 × 70 cells and failed at 100 × 100 ("TeX capacity exceeded"). */
export const TEX_MATRIX_MAX_CELLS = 4096;

let tmpCounter = 0;

function writeDurably(path: string, content: string | Buffer): void {
  const buf = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  const fd = openSync(path, "w");
  try {
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Write `files` (path → content) atomically, each by temp file + rename; all or nothing is attempted. */
export function writeAtomically(files: ReadonlyArray<[string, string | Buffer]>): void {
  const staged: [string, string][] = [];
  try {
    for (const [path, content] of files) {
      const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
      staged.push([tmp, path]);
      withPath(path, () => writeDurably(tmp, content));
    }
    for (const [tmp, path] of staged) withPath(path, () => renameSync(tmp, path));
  } catch (e) {
    for (const [tmp] of staged) rmSync(tmp, { force: true });
    throw e;
  }
}

/** Render every format and write them into `dir` (created if needed); returns the paths written.
 *  Long curves are thinned for drawing first (decimate.ts). */
export async function writeFigure(dir: string, full: FigureSpec): Promise<string[]> {
  // (the spec as drawn: with a shorter y title where the label did not fit, in every format)
  const { spec, svg, svgForPdf, domains, legend } = await renderSvgDetailed(decimateFigure(full));
  const hm = spec.heatmap;
  const cells = hm ? heatmapCellsOf(svgForPdf) : undefined;
  const pdf = await svgToPdf(svgForPdf, spec.name, { heatmap: hm !== undefined, cells });
  // a heatmap too large for pgfplots' matrix plot under pdflatex: its cells as a PDF beside the .tex
  const cellsPdf = hm && cells && hm.x.length * hm.y.length > TEX_MATRIX_MAX_CELLS ? await heatmapCellsPdf(cells, spec.name) : undefined;
  const cellsFile = `${spec.name}.${HEATMAP_CELLS_EXTENSION}`;
  const { tex, csv } = renderPgfplots(spec, { domains, legend }, cellsPdf ? cellsFile : undefined);
  const caption = renderCaption(spec);
  const contents: Record<(typeof FIGURE_EXTENSIONS)[number], string | Buffer> = { svg, pdf, tex, csv, "caption.txt": caption };
  ensureDir(dir);
  const files = FIGURE_EXTENSIONS.map((ext): [string, string | Buffer] => [join(dir, `${spec.name}.${ext}`), contents[ext]]);
  if (cellsPdf) files.push([join(dir, cellsFile), cellsPdf]);
  else rmSync(join(dir, cellsFile), { force: true });
  writeAtomically(files);
  return files.map(([p]) => p);
}
