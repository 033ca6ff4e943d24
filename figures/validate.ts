// Checks a FigureSpec before anything is drawn. A malformed spec is a bug in the figure
// builder, not bad user input, so this throws a RangeError naming the figure and the field;
// failing loudly beats a silently empty or mislabelled figure in a paper. TeX labels may use
// only known control sequences and balanced braces (escape.ts): a user string that reached
// one unescaped would be code in the paper that \inputs the .tex.

import { texLabelProblem } from "./escape.js";
import { missingGlyphs, runsWidth } from "./fonts.js";
import { parseLabel, plainText } from "./label.js";
import { isMark, SPACING_ACCENT } from "./marks.js";
import { FIGURE_PADDING_PT, FIGURE_WIDTH_PT, FONT_SIZE } from "./style.js";
import type { AxisSpec, FigureSpec, Label } from "./types.js";

const NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
/** CSV column names double as pgfplots keys: keep them to plain identifiers. */
const COLUMN = /^[A-Za-z][A-Za-z0-9_]*$/;

export function validateFigure(spec: FigureSpec): void {
  const fail = (path: string, msg: string): never => {
    throw new RangeError(`figure ${JSON.stringify(spec.name)}: ${path}: ${msg}`);
  };
  if (!NAME.test(spec.name)) fail("name", "must be letters, digits, '_', '-', '.' (a file stem)");
  if (typeof spec.caption !== "string" || !spec.caption.trim()) fail("caption", "is empty");

  const label = (path: string, l: Label | undefined) => {
    if (!l) return;
    if (typeof l.text !== "string" || typeof l.tex !== "string") fail(path, "needs text and tex");
    // The .tex is \input by a paper, maybe with -shell-escape: only known, balanced markup.
    const unsafe = texLabelProblem(l.tex);
    if (unsafe) fail(`${path}.tex`, `${unsafe} (escape user text with texText)`);
    const plain = plainText(l.text);
    const missing = missingGlyphs(plain);
    if (missing.length) fail(`${path}.text`, `DejaVu Sans has no glyph for ${missing.join(" ")}`);
    const chars = [...plain];
    chars.forEach((c, k) => {
      if (!isMark(c)) return;
      const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
      if (k === 0 || isMark(chars[k - 1])) fail(`${path}.text`, `accent ${code} must follow a letter (one accent per letter)`);
      if (!SPACING_ACCENT[c]) fail(`${path}.text`, `accent ${code} cannot be drawn in the PDF; use one of ${Object.keys(SPACING_ACCENT).map((m) => `U+${m.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`).join(" ")}`);
    });
  };
  const axis = (key: "x" | "y", a: AxisSpec) => {
    label(`${key}.label`, a.label);
    if (a.scale !== undefined && a.scale !== "linear" && a.scale !== "log") fail(`${key}.scale`, "linear or log");
    if (a.column !== undefined && !COLUMN.test(a.column)) fail(`${key}.column`, "must be a plain identifier");
    if (a.domain) {
      const [lo, hi] = a.domain;
      if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) fail(`${key}.domain`, "needs finite lo < hi");
      if (a.scale === "log" && lo <= 0) fail(`${key}.domain`, "a log axis needs a positive domain");
    }
  };
  axis("x", spec.x);
  axis("y", spec.y);
  // An x title longer than the figure would make vega shrink the plot to fit it. (A y title
  // longer than the plot is tall — a scenario's long currency name in its unit — is drawn in a
  // figure grown taller, svg.ts, and wrapped in the TeX, pgfplots.ts: a reviewer's units block
  // with "Swiss francs CHF" failed the whole solve here.)
  const room = FIGURE_WIDTH_PT - 2 * FIGURE_PADDING_PT;
  const w = runsWidth(parseLabel(spec.x.label.text), FONT_SIZE.axisTitle);
  if (w > room) fail("x.label.text", `is ${Math.round(w)} pt long, the figure has ${Math.round(room)} pt: shorten it`);

  if (spec.series.length === 0) fail("series", "is empty");
  const names = new Set<string>();
  spec.series.forEach((s, i) => {
    const p = `series[${i}]`;
    label(`${p}.name`, s.name);
    if (names.has(s.name.text)) fail(`${p}.name`, `duplicate series name ${JSON.stringify(s.name.text)}`);
    names.add(s.name.text);
    if (s.column !== undefined && !COLUMN.test(s.column)) fail(`${p}.column`, "must be a plain identifier");
    if (s.x.length !== s.y.length) fail(p, `x has ${s.x.length} values but y has ${s.y.length}`);
    if (s.x.length === 0) fail(p, "has no points");
    for (let k = 0; k < s.x.length; k++) if (!Number.isFinite(s.x[k])) fail(`${p}.x[${k}]`, "is not finite");
  });
  spec.bands?.forEach((b, i) => {
    if (!(Number.isFinite(b.from) && Number.isFinite(b.to) && b.from < b.to)) fail(`bands[${i}]`, "needs finite from < to");
    label(`bands[${i}].label`, b.label);
  });
  spec.vlines?.forEach((v, i) => {
    if (!Number.isFinite(v.x)) fail(`vlines[${i}].x`, "is not finite");
    label(`vlines[${i}].label`, v.label);
  });
  const hm = spec.heatmap;
  if (hm) {
    label("heatmap.label", hm.label);
    const ascending = (v: ArrayLike<number>, key: string) => {
      if (v.length === 0) fail(`heatmap.${key}`, "is empty");
      for (let k = 0; k < v.length; k++) {
        if (!Number.isFinite(v[k])) fail(`heatmap.${key}[${k}]`, "is not finite");
        if (k > 0 && !(v[k] > v[k - 1])) fail(`heatmap.${key}`, "must be strictly ascending");
      }
    };
    ascending(hm.x, "x");
    ascending(hm.y, "y");
    if (hm.z.length !== hm.x.length * hm.y.length) fail("heatmap.z", `has ${hm.z.length} values, x × y is ${hm.x.length * hm.y.length}`);
    hm.columns?.forEach((c, i) => {
      if (!COLUMN.test(c)) fail(`heatmap.columns[${i}]`, "must be a plain identifier");
    });
  }
  const legend = spec.legend ?? "inside";
  if (!["inside", "right", "bottom", "none"].includes(legend)) fail("legend", "inside, right, bottom or none");
}
