// Accents for the PDF (the bar of h̄, the hat of θ̂). SVG viewers shape combining marks
// themselves, but svg-to-pdfkit never draws a zero-width glyph, so in the PDF the accent
// would silently vanish. There each combining accent is replaced by its spacing twin
// (U+0304 → U+00AF …), drawn at a hand-computed spot: centred over the base letter, following
// the slant of the oblique face, lifted above letters taller than x; the pen then moves back.

import { loadedFonts } from "./fonts.js";

/** Is `ch` a combining mark (drawn over the previous character, zero advance)? */
export const isMark = (ch: string): boolean => /\p{M}/u.test(ch);

/** Combining accents the PDF can draw, and the spacing character that stands in for each. */
export const SPACING_ACCENT: Readonly<Record<string, string>> = {
  "\u0300": "\u0060", // grave
  "\u0301": "\u00B4", // acute
  "\u0302": "\u02C6", // circumflex (hat)
  "\u0303": "\u02DC", // tilde
  "\u0304": "\u00AF", // macron (bar)
  "\u0306": "\u02D8", // breve
  "\u0307": "\u02D9", // dot above
  "\u0308": "\u00A8", // diaeresis
  "\u030A": "\u02DA", // ring above
  "\u030C": "\u02C7", // caron (check)
};

export interface PlacedAccent {
  /** The spacing character to draw. */
  char: string;
  /** Pen move before it, from the pen position after the base letter, in pt. */
  dx: number;
  /** Vertical move in SVG coordinates (negative = up), in pt. */
  dy: number;
  /** Its advance width in pt (the pen must move back by dx + advance afterwards). */
  advance: number;
}

/** How to draw combining `mark` over `base`, both set at `fontSize`; undefined if unsupported. */
export function placeAccent(base: string, mark: string, italic: boolean, fontSize: number): PlacedAccent | undefined {
  const char = SPACING_ACCENT[mark];
  if (char === undefined) return undefined;
  const font = italic ? loadedFonts().oblique : loadedFonts().regular;
  const b = font.glyphForCodePoint(base.codePointAt(0)!);
  const a = font.glyphForCodePoint(char.codePointAt(0)!);
  // DejaVu's accents sit right for an x-height letter; lift them by the extra height of taller ones.
  const xTop = font.glyphForCodePoint(0x78).bbox.maxY;
  const lift = Math.max(0, b.bbox.maxY - xTop);
  const slant = Math.tan((-font.italicAngle * Math.PI) / 180);
  const baseMidY = (b.bbox.minY + b.bbox.maxY) / 2;
  const accentMidY = (a.bbox.minY + a.bbox.maxY) / 2 + lift;
  // Centre of the base letter at the accent's height, relative to the pen after the base.
  const target = (b.bbox.minX + b.bbox.maxX) / 2 + slant * (accentMidY - baseMidY) - b.advanceWidth;
  const scale = fontSize / font.unitsPerEm;
  return {
    char,
    dx: (target - (a.bbox.minX + a.bbox.maxX) / 2) * scale,
    dy: -lift * scale,
    advance: a.advanceWidth * scale,
  };
}
