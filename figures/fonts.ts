// The shipped DejaVu Sans fonts: locating them, and measuring styled text with fontkit.
// Vega has no canvas here, so without a real measurement it guesses widths from character
// counts and labels clip or float; the PDF embeds the very same files, so measured and
// drawn widths agree.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { create, type Font } from "fontkit";
import type { Run } from "./label.js";
import { SCRIPT_SCALE } from "./style.js";
import { setRunsMeasurer } from "./text-measure.js";

const FONT_DIR_IN_PACKAGE = join("figures", "fonts");
export const REGULAR_FILE = "DejaVuSans.ttf";
export const OBLIQUE_FILE = "DejaVuSans-Oblique.ttf";

/**
 * The fonts directory, found by walking up from this module to the package root (the first
 * directory with a package.json that holds the fonts): the same answer whether this runs as
 * figures/*.ts under vitest/tsx or as dist/figures/*.js after tsc (or the bundled thread script).
 */
export function fontDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, FONT_DIR_IN_PACKAGE);
    if (existsSync(join(dir, "package.json")) && existsSync(join(candidate, REGULAR_FILE))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`figure fonts not found: no ${join(FONT_DIR_IN_PACKAGE, REGULAR_FILE)} above ${from}`);
    }
    dir = parent;
  }
}

export interface FontFiles {
  regular: Buffer;
  oblique: Buffer;
}

let files: FontFiles | undefined;
/** The TTF bytes, read once per process. */
export function fontFiles(): FontFiles {
  if (!files) {
    const dir = fontDir();
    files = { regular: readFileSync(join(dir, REGULAR_FILE)), oblique: readFileSync(join(dir, OBLIQUE_FILE)) };
  }
  return files;
}

let fonts: { regular: Font; oblique: Font } | undefined;
/** The parsed fonts (fontkit), loaded once per process. */
export function loadedFonts(): { regular: Font; oblique: Font } {
  if (!fonts) {
    const f = fontFiles();
    fonts = { regular: create(f.regular), oblique: create(f.oblique) };
  }
  return fonts;
}

const widthCache = new Map<string, number>();

/** Advance width in pt of plain text in one style (kerning included, as pdfkit lays it out). */
export function textWidth(text: string, fontSize: number, italic = false): number {
  const key = `${italic ? "i" : "r"}${fontSize}|${text}`;
  let w = widthCache.get(key);
  if (w === undefined) {
    const font = italic ? loadedFonts().oblique : loadedFonts().regular;
    w = (font.layout(text).advanceWidth / font.unitsPerEm) * fontSize;
    widthCache.set(key, w);
  }
  return w;
}

/** Width in pt of styled runs at a base font size; scripts are set at SCRIPT_SCALE. */
export function runsWidth(runs: readonly Run[], fontSize: number): number {
  let w = 0;
  for (const r of runs) w += textWidth(r.text, r.level === 0 ? fontSize : fontSize * SCRIPT_SCALE, r.italic);
  return w;
}

// The layout modules measure through text-measure.ts: in Node, with these fonts.
setRunsMeasurer(runsWidth);

/** Characters of `text` that the regular font has no glyph for (they would print as boxes). */
export function missingGlyphs(text: string): string[] {
  const font = loadedFonts().regular;
  return [...new Set([...text])].filter((c) => !/\s/u.test(c) && !font.hasGlyphForCodePoint(c.codePointAt(0)!));
}
