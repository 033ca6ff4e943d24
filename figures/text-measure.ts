// The width of label text, as the layout modules (legend placement, reference-line labels) ask
// for it, without tying them to a way of reading fonts: in Node, fonts.ts installs a measurer
// over the shipped DejaVu Sans (fontkit, the same files the PDF embeds) when it is imported; a
// browser drawing the same vega-lite specifications installs its own (e.g. over the same font
// files fetched, or a canvas). Without one, measuring throws: a silent estimate would let a
// figure's layout, hence its bytes, depend on which modules happened to load first.

import type { Run } from "./label.js";

/** Width in pt of styled runs (label.ts) set at `fontSize` pt. */
export type RunsMeasurer = (runs: readonly Run[], fontSize: number) => number;

let measurer: RunsMeasurer | undefined;

export function setRunsMeasurer(m: RunsMeasurer): void {
  measurer = m;
}

export function runsWidth(runs: readonly Run[], fontSize: number): number {
  if (!measurer) throw new Error("no text measurer installed: import figures/fonts.js (Node) or call setRunsMeasurer first");
  return measurer(runs, fontSize);
}
