// Rewrites the SVG that vega emits into its final, portable form: every `<text>` whose
// content carries label markup becomes `<tspan>`s (italic variables; sub/superscripts set
// smaller and moved with `dy`, which every SVG viewer and svg-to-pdfkit honour, unlike
// `baseline-shift`); the root gets a physical size in points (1 user unit = 1 pt).

import { type Run, isPlain, parseLabel } from "./label.js";
import { isMark, placeAccent } from "./marks.js";
import { SCRIPT_SCALE, SUBSCRIPT_SHIFT_EM, SUPERSCRIPT_SHIFT_EM } from "./style.js";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, e: string) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Fixed short decimals so the output bytes never depend on float noise. */
const num = (v: number) => String(Number(v.toFixed(3)));

interface Piece {
  text: string;
  italic: boolean;
  script: boolean;
  /** Pen moves before this piece, in user units (SVG dy: positive = down). */
  dx: number;
  dy: number;
}

/**
 * Styled runs as positioned pieces. With `placeMarks` (for the PDF), each combining accent
 * becomes a spacing accent moved over its base letter (marks.ts); the text after it moves back.
 */
function pieces(runs: readonly Run[], fontSize: number, placeMarks: boolean): Piece[] {
  const out: Piece[] = [];
  let shift = 0; // current baseline offset, positive = down
  let pending = { dx: 0, dy: 0 }; // moves owed to the next piece
  for (const r of runs) {
    const target = r.level === -1 ? SUBSCRIPT_SHIFT_EM * fontSize : r.level === 1 ? -SUPERSCRIPT_SHIFT_EM * fontSize : 0;
    pending.dy += target - shift;
    shift = target;
    const size = r.level === 0 ? fontSize : fontSize * SCRIPT_SCALE;
    const push = (text: string) => {
      out.push({ text, italic: r.italic, script: r.level !== 0, dx: pending.dx, dy: pending.dy });
      pending = { dx: 0, dy: 0 };
    };
    if (!placeMarks) {
      push(r.text);
      continue;
    }
    const chars = [...r.text];
    let text = "";
    for (let k = 0; k < chars.length; k++) {
      const base = chars[k - 1];
      const accent = base !== undefined && isMark(chars[k]) ? placeAccent(base, chars[k], r.italic, size) : undefined;
      if (accent) {
        if (text) push(text);
        text = "";
        pending.dx += accent.dx;
        pending.dy += accent.dy;
        push(accent.char);
        pending = { dx: -(accent.dx + accent.advance), dy: -accent.dy };
      } else {
        text += chars[k];
      }
    }
    if (text) push(text);
  }
  return out;
}

/** Advance of a space in DejaVu Sans (651/2048 em). */
const SPACE_EM = 651 / 2048;

/** The `<tspan>` markup for styled runs set at `fontSize`. */
export function runsToTspans(runs: readonly Run[], fontSize: number, placeMarks = false): string {
  let out = "";
  // Renderers collapse or drop a space at the edge of a tspan (rsvg drew "c_F = 0.2" as
  // "c_F= 0.2", even with a no-break space): edge spaces become explicit dx offsets instead.
  let carry = 0;
  for (const p of pieces(runs, fontSize, placeMarks)) {
    const size = p.script ? fontSize * SCRIPT_SCALE : fontSize;
    const text = p.text.trim();
    let dx = p.dx;
    if (!text) {
      carry += p.text.length * SPACE_EM * size;
      if (Math.abs(p.dy) < 1e-9 && Math.abs(dx) < 1e-9) continue;
    } else {
      dx += carry + (p.text.length - p.text.trimStart().length) * SPACE_EM * size;
      carry = (p.text.length - p.text.trimEnd().length) * SPACE_EM * size;
    }
    const attrs: string[] = [];
    if (Math.abs(dx) > 1e-9) attrs.push(`dx="${num(dx)}"`);
    if (Math.abs(p.dy) > 1e-9) attrs.push(`dy="${num(p.dy)}"`);
    if (p.script) attrs.push(`font-size="${num(size)}"`);
    if (p.italic) attrs.push(`font-style="italic"`);
    out += attrs.length ? `<tspan ${attrs.join(" ")}>${escapeXml(text)}</tspan>` : escapeXml(text);
  }
  return out;
}

const TEXT_ELEMENT = /<text([^>]*)>([^<]*)<\/text>/g;
const FONT_SIZE_ATTR = /\sfont-size="([0-9.]+)(?:px)?"/;

/**
 * Replace the content of text elements that show one of `labels` (axis titles, legend
 * entries, annotations) by styled tspans. Only known labels are touched: a tick label such
 * as "1e-7" must not have its "e" set as a variable. `placeMarks` is for the PDF (marks.ts).
 */
export function styleTextElements(svg: string, labels: ReadonlySet<string>, placeMarks = false): string {
  return svg.replace(TEXT_ELEMENT, (whole, attrs: string, content: string) => {
    const text = unescapeXml(content).trim();
    if (!labels.has(text)) return whole;
    const runs = parseLabel(text);
    if (isPlain(runs)) return whole;
    const size = FONT_SIZE_ATTR.exec(attrs);
    if (!size) return whole;
    return `<text${attrs}>${runsToTspans(runs, parseFloat(size[1]), placeMarks)}</text>`;
  });
}

/** Give the root element a size in points and an explicit viewBox in user units. */
export function setPhysicalSize(svg: string, widthPt: number, heightPt: number): string {
  return svg.replace(/<svg\b([^>]*)>/, (_m, attrs: string) => {
    const rest = attrs.replace(/\s(width|height|viewBox)="[^"]*"/g, "");
    return `<svg${rest} width="${num(widthPt)}pt" height="${num(heightPt)}pt" viewBox="0 0 ${num(widthPt)} ${num(heightPt)}">`;
  });
}
