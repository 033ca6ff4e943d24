// Writes all formats of one figure: <dir>/<name>.{svg,pdf,tex,csv,caption.txt}. Everything is
// rendered first, then each file is written to a temporary name in the same directory and
// renamed into place, so a reader (or a crash) never sees a half-written figure file.

import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderCaption } from "./caption.js";
import { svgToPdf } from "./pdf.js";
import { renderPgfplots } from "./pgfplots.js";
import { renderSvgDetailed } from "./svg.js";
import type { FigureSpec } from "./types.js";

export const FIGURE_EXTENSIONS = ["svg", "pdf", "tex", "csv", "caption.txt"] as const;

let tmpCounter = 0;

/** Write `files` (path → content) atomically, each by temp file + rename; all or nothing is attempted. */
export function writeAtomically(files: ReadonlyArray<[string, string | Buffer]>): void {
  const staged: [string, string][] = [];
  try {
    for (const [path, content] of files) {
      const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
      staged.push([tmp, path]);
      writeFileSync(tmp, content);
    }
    for (const [tmp, path] of staged) renameSync(tmp, path);
  } catch (e) {
    for (const [tmp] of staged) rmSync(tmp, { force: true });
    throw e;
  }
}

/** Render every format and write them into `dir` (created if needed); returns the paths written. */
export async function writeFigure(dir: string, spec: FigureSpec): Promise<string[]> {
  const { svg, svgForPdf, domains, legend } = await renderSvgDetailed(spec);
  const pdf = await svgToPdf(svgForPdf, spec.name);
  const { tex, csv } = renderPgfplots(spec, { domains, legend });
  const caption = renderCaption(spec);
  const contents: Record<(typeof FIGURE_EXTENSIONS)[number], string | Buffer> = { svg, pdf, tex, csv, "caption.txt": caption };
  mkdirSync(dir, { recursive: true });
  const files = FIGURE_EXTENSIONS.map((ext): [string, string | Buffer] => [join(dir, `${spec.name}.${ext}`), contents[ext]]);
  writeAtomically(files);
  return files.map(([p]) => p);
}
