// Browser stand-in for the figure layer's fonts module (engine/figures/fonts.ts reads the
// shipped DejaVu Sans TTFs with node:fs and measures with fontkit). In the page's worker, text
// is measured with an OffscreenCanvas in the figures' own font stack, which is what the page
// then draws the SVG text with; so vega's layout leaves room for every label, as in the files.
// Only what the SVG path needs is real: the PDF-only accent placement has no fonts here.

// Through explore/figure-specs.ts, the one module that knows where the figure layer lives.
import { FONT_FAMILY, SCRIPT_SCALE, type Run } from "../../figure-specs.js";

interface Measure {
  font: string;
  measureText(text: string): { width: number };
}

let ctx: Measure | null | undefined;
function context(): Measure | null {
  if (ctx === undefined) {
    const Offscreen = (globalThis as { OffscreenCanvas?: new (w: number, h: number) => { getContext(kind: "2d"): Measure | null } }).OffscreenCanvas;
    ctx = Offscreen ? new Offscreen(1, 1).getContext("2d") : null;
  }
  return ctx;
}

const cache = new Map<string, number>();

/** Advance width of plain text in one style, at `fontSize` (user units = pt in the figures). */
export function textWidth(text: string, fontSize: number, italic = false): number {
  const key = `${italic ? "i" : "r"}${fontSize}|${text}`;
  let w = cache.get(key);
  if (w === undefined) {
    const c = context();
    if (c) {
      // Measured at 100 px and scaled: canvases round small font sizes.
      c.font = `${italic ? "italic " : ""}100px ${FONT_FAMILY}`;
      w = (c.measureText(text).width / 100) * fontSize;
    } else {
      w = 0.6 * fontSize * [...text].length; // DejaVu Sans' average advance, when nothing can measure
    }
    cache.set(key, w);
  }
  return w;
}

export function runsWidth(runs: readonly Run[], fontSize: number): number {
  let w = 0;
  for (const r of runs) w += textWidth(r.text, r.level === 0 ? fontSize : fontSize * SCRIPT_SCALE, r.italic);
  return w;
}

/** The page's fonts are the browser's: it draws whatever glyph it has. */
export function missingGlyphs(_text: string): string[] {
  return [];
}

export function loadedFonts(): never {
  throw new Error("font files are not loaded in the explore page (they are needed only for PDF output)");
}

export function fontFiles(): never {
  return loadedFonts();
}
