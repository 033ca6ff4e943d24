// Rewrites the SVG that vega emits into its final, portable form: every `<text>` whose
// content carries label markup becomes `<tspan>`s (italic variables; sub/superscripts set
// smaller and moved with `dy`, which every SVG viewer and svg-to-pdfkit honour, unlike
// `baseline-shift`); the root gets a physical size in points (1 user unit = 1 pt).

import { type Run, isPlain, parseLabel } from "./label.js";
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

/** The `<tspan>` markup for styled runs set at `fontSize`. */
export function runsToTspans(runs: readonly Run[], fontSize: number): string {
  let shift = 0; // current baseline offset in user units, positive = down (SVG y axis)
  let out = "";
  for (const r of runs) {
    const target = r.level === -1 ? SUBSCRIPT_SHIFT_EM * fontSize : r.level === 1 ? -SUPERSCRIPT_SHIFT_EM * fontSize : 0;
    const attrs: string[] = [];
    if (target !== shift) attrs.push(`dy="${num(target - shift)}"`);
    shift = target;
    if (r.level !== 0) attrs.push(`font-size="${num(fontSize * SCRIPT_SCALE)}"`);
    if (r.italic) attrs.push(`font-style="italic"`);
    out += attrs.length ? `<tspan ${attrs.join(" ")}>${escapeXml(r.text)}</tspan>` : escapeXml(r.text);
  }
  return out;
}

const TEXT_ELEMENT = /<text([^>]*)>([^<]*)<\/text>/g;
const FONT_SIZE_ATTR = /\sfont-size="([0-9.]+)(?:px)?"/;

/**
 * Replace the content of text elements that show one of `labels` (axis titles, legend
 * entries, annotations) by styled tspans. Only known labels are touched: a tick label such
 * as "1e-7" must not have its "e" set as a variable.
 */
export function styleTextElements(svg: string, labels: ReadonlySet<string>): string {
  return svg.replace(TEXT_ELEMENT, (whole, attrs: string, content: string) => {
    const text = unescapeXml(content).trim();
    if (!labels.has(text)) return whole;
    const runs = parseLabel(text);
    if (isPlain(runs)) return whole;
    const size = FONT_SIZE_ATTR.exec(attrs);
    if (!size) return whole;
    return `<text${attrs}>${runsToTspans(runs, parseFloat(size[1]))}</text>`;
  });
}

/** Give the root element a size in points and an explicit viewBox in user units. */
export function setPhysicalSize(svg: string, widthPt: number, heightPt: number): string {
  return svg.replace(/<svg\b([^>]*)>/, (_m, attrs: string) => {
    const rest = attrs.replace(/\s(width|height|viewBox)="[^"]*"/g, "");
    return `<svg${rest} width="${num(widthPt)}pt" height="${num(heightPt)}pt" viewBox="0 0 ${num(widthPt)} ${num(heightPt)}">`;
  });
}
