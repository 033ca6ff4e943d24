// FigureSpec → a pgfplots picture a LaTeX paper can \input, typeset in the paper's own fonts
// with the `tex` labels, reading its data from <name>.csv. It repeats the SVG's decisions
// (axis ranges, legend corner, colours, dash patterns) so both versions show the same figure.

import { LABEL_ROW_PT, vlineLabelLayout } from "./annotations.js";
import { figureTable, heatmapColumns } from "./csv.js";
// the shipped fonts measure the labels for the layout decisions (text-measure.ts)
import "./fonts.js";
import { centre, resolveDomains, type ResolvedDomains } from "./domain.js";
import { BOTTOM_LEGEND_ROWS_IN_HOUSE, bottomLegendColumns, LEGEND_SYMBOL_PT, legendEntryWidths, legendPlacement, type Placement } from "./legend-place.js";
import { texComment } from "./escape.js";
import { ENGINE_VERSION } from "../engine/version.js";
import { axisTickLabels, formatNumber, needsExponent } from "./number.js";
import * as S from "./style.js";
import type { FigureSpec } from "./types.js";
import { validateFigure } from "./validate.js";
import { runsWidth } from "./fonts.js";
import { parseLabel } from "./label.js";

/** the longest y title drawn on one line (the plot's height, about) */
const Y_TITLE_WRAP_PT = S.FIGURE_HEIGHT_PT - 40;

export interface PgfplotsOutput {
  tex: string;
  csv: string;
}

/**
 * The pgfplots behaviour the figures are laid out for (label placement, tick handling): 1.16
 * (2018), in every TeX distribution of the last years. Set inside each picture, and asked of the
 * document's preamble, where pgfplots looks for it to decide whether to warn.
 */
export const PGFPLOTS_COMPAT = "1.16";

const pt = (v: number) => `${formatNumber(v)}pt`;
const coord = (x: number, y: number) => `(axis cs:${formatNumber(x)},${formatNumber(y)})`;

function dashOption(pattern: readonly number[]): string {
  if (pattern.length === 0) return "solid";
  const parts = pattern.map((v, i) => `${i % 2 === 0 ? "on" : "off"} ${pt(v)}`);
  return `dash pattern=${parts.join(" ")}`;
}

const LEGEND_POSITION: Record<Exclude<Placement, "none">, string> = {
  "top-left": "at={(0.03,0.97)}, anchor=north west",
  "top-right": "at={(0.97,0.97)}, anchor=north east",
  "bottom-right": "at={(0.97,0.03)}, anchor=south east",
  "bottom-left": "at={(0.03,0.03)}, anchor=south west",
  right: "at={(1.03,0.5)}, anchor=west",
  // Below the tick labels and the x label, whatever the axis height.
  bottom: "at={(0.5,0)}, anchor=north, yshift=-30pt, /tikz/every even column/.append style={column sep=6pt}",
};


/** Hex colour without '#', as xcolor's HTML model wants it. */
const html = (c: string) => c.replace(/^#/, "").toUpperCase();

/**
 * The .tex and .csv of a figure. `layout` lets a caller that already rendered the SVG pass
 * the same axis ranges and legend placement; by default they are computed identically here.
 */
export function renderPgfplots(
  spec: FigureSpec,
  layout?: { domains: ResolvedDomains; legend: Placement },
  /** a heatmap's cells as a PDF beside the .tex (pdf.ts heatmapCellsPdf): the file's name, drawn
   *  with \addplot graphics instead of a matrix plot of the CSV (write.ts, above
   *  TEX_MATRIX_MAX_CELLS cells) */
  cellsGraphic?: string,
): PgfplotsOutput {
  validateFigure(spec);
  const domains = layout?.domains ?? resolveDomains(spec);
  const legend = layout?.legend ?? legendPlacement(spec, domains);
  const table = figureTable(spec);
  const [x0, x1] = domains.x.domain;
  const [y0, y1] = domains.y.domain;
  const csvFile = `${spec.name}.csv`;

  // A heatmap's colour scale: pgfplots colours by the meta column (log10 z on a log scale), the
  // colour bar is ticked at the contour levels, labelled with their values.
  const hm = spec.heatmap;
  const hmOptions: string[] = [];
  if (hm) {
    const t = hm.scale === "log" ? Math.log10 : (v: number) => v;
    const zs = Array.from(hm.z).filter((v) => Number.isFinite(v) && (hm.scale !== "log" || v > 0));
    let lo = hm.domain ? t(hm.domain[0]) : zs.length ? t(Math.min(...zs)) : 0;
    let hi = hm.domain ? t(hm.domain[1]) : zs.length ? t(Math.max(...zs)) : 1;
    let levels = hm.levels ?? [];
    if (hi === lo) {
      // one value everywhere: the cells in the middle colour of a bar centred on it, ticked at
      // it, as the SVG draws it (the bar ran from the value to the value + 1: a share of 0.59
      // read on a bar from 0.6 to 1.6, every cell the bottom colour; a reviewer's)
      const half = lo !== 0 ? Math.abs(lo) * 1e-3 : 1;
      lo -= half;
      hi += half;
      if (levels.length === 0 && zs.length > 0) levels = [hm.scale === "log" ? 10 ** (lo + half) : lo + half];
    }
    hmOptions.push(
      `colormap/${S.HEATMAP_SCHEME}`,
      "colorbar",
      `point meta min=${formatNumber(lo)}, point meta max=${formatNumber(hi)}`,
      // (scaled ticks=false: pgfplots otherwise factors a common power out of the bar's labels
      // and prints it above the bar, "·10^-2" beside labels 0.02, 0.04, that already carry it:
      // the values read 100 times too small; a reviewer's)
      `colorbar style={width=${pt(S.COLORBAR_THICKNESS_PT)}, scaled ticks=false, ylabel={${hm.label.tex}}, ylabel style={font=\\small, rotate=180}, tick label style={font=\\footnotesize}` +
        (levels.length ? `, ytick={${levels.map((v) => formatNumber(t(v))).join(",")}}, yticklabels={${axisTickLabels(levels).map((l) => l.tex).join(",")}}` : "") +
        "}",
    );
  }
  const options = [
    // A legend right of or below the plot is outside pgfplots' width and height: take its
    // room from the axis so the whole picture keeps the house size (a legend below of more than
    // BOTTOM_LEGEND_ROWS_IN_HOUSE rows makes it taller instead).
    legend === "right"
      ? `width=\\lpefigurewidth-${pt(Math.ceil(Math.max(...legendEntryWidths(spec)) + 12))}, height=\\lpefigureheight`
      : legend === "bottom"
        ? // (rows beyond BOTTOM_LEGEND_ROWS_IN_HOUSE make the picture taller, as in the SVG: the
          // axis keeps the height it has with that many rows)
          `width=\\lpefigurewidth, height=\\lpefigureheight-${pt(Math.min(BOTTOM_LEGEND_ROWS_IN_HOUSE, Math.ceil(spec.series.length / bottomLegendColumns(spec, domains))) * 11 + 8)}`
        : hm
          ? // the colour bar and its title sit right of the axis
            `width=\\lpefigurewidth-${pt(S.COLORBAR_THICKNESS_PT + 40)}, height=\\lpefigureheight`
          : "width=\\lpefigurewidth, height=\\lpefigureheight",
    `xmin=${formatNumber(x0)}, xmax=${formatNumber(x1)}, ymin=${formatNumber(y0)}, ymax=${formatNumber(y1)}`,
    `xtick={${domains.x.ticks.map(formatNumber).join(",")}}`,
    `ytick={${domains.y.ticks.map(formatNumber).join(",")}}`,
    // large and small magnitudes as 10^6, 2.5·10^-4, the same labels as the SVG (number.ts)
    ...(domains.x.ticks.some(needsExponent) ? [`xticklabels={${axisTickLabels(domains.x.ticks).map((l) => l.tex).join(",")}}`] : []),
    ...(domains.y.ticks.some(needsExponent) ? [`yticklabels={${axisTickLabels(domains.y.ticks).map((l) => l.tex).join(",")}}`] : []),
    ...(domains.x.scale === "log" ? ["xmode=log"] : []),
    ...(domains.y.scale === "log" ? ["ymode=log"] : []),
    `xlabel={${spec.x.label.tex}}`,
    `ylabel={${spec.y.label.tex}}`,
    // a y title longer than the plot is tall (a long currency name in the unit: the SVG grows
    // taller for it, svg.ts) wraps onto two centred lines here
    ...(runsWidth(parseLabel(spec.y.label.text), S.FONT_SIZE.axisTitle) > Y_TITLE_WRAP_PT ? [`ylabel style={align=center, text width=${pt(Y_TITLE_WRAP_PT)}}`] : []),
    "enlargelimits=false",
    "axis lines*=left",
    "axis on top",
    `axis line style={line width=${pt(S.AXIS_LINE_WIDTH_PT)}}`,
    `tick style={line width=${pt(S.AXIS_LINE_WIDTH_PT)}, black}`,
    "tick align=outside",
    `major tick length=${pt(S.TICK_LENGTH_PT)}`,
    "scaled ticks=false",
    // Plain decimals as in the SVG: 0.05 rather than 5·10^-2, 0.001 rather than 10^-3, and no
    // thousands separator (pgf's default writes 1,000 where the SVG and PDF write 1000).
    "tick label style={font=\\footnotesize, /pgf/number format/fixed, /pgf/number format/precision=6, /pgf/number format/1000 sep={}}",
    ...(domains.x.scale === "log" || domains.y.scale === "log" ? ["log ticks with fixed point"] : []),
    // no minor ticks, as in the SVG (pgfplots puts eight in every decade of a log axis: a comb on
    // an axis of eleven decades, a reviewer's optimality gaps from 1e-15 to 1e-4)
    ...(domains.x.scale === "log" ? ["xminorticks=false"] : []),
    ...(domains.y.scale === "log" ? ["yminorticks=false"] : []),
    "label style={font=\\small}",
    "unbounded coords=jump",
    // Curves are clipped to the axis box, annotations (labels above the box) are not.
    "clip mode=individual",
    ...hmOptions,
    ...(legend === "none"
      ? []
      : [
          `legend style={font=\\footnotesize, draw=none, fill=none, ${LEGEND_POSITION[legend]}}`,
          "legend cell align=left",
          ...(legend === "bottom" ? [`legend columns=${bottomLegendColumns(spec, domains)}`] : []),
        ]),
  ];

  const lines: string[] = [];
  lines.push(`% ${spec.name}.tex, written by lpe ${ENGINE_VERSION} from the scenario: regenerate it rather than edit it.`);
  lines.push(`% Needs \\usepackage{pgfplots} and \\pgfplotsset{compat=${PGFPLOTS_COMPAT}} (or newer) in the preamble; without a`);
  lines.push("% compat line pgfplots warns that it runs in backwards compatibility mode. The picture sets");
  lines.push(`% compat=${PGFPLOTS_COMPAT} for itself, so it looks the same whatever the document says.`);
  lines.push("% Data: " + csvFile + " (columns " + table.header.join(", ") + ").");
  lines.push("% If the csv is not in LaTeX's working directory, say \\def\\lpefiguredir{dir/} before \\input;");
  lines.push("% \\def\\lpefigurewidth and \\lpefigureheight change the size (default one column, 3.4 x 2.4 in).");
  // The caption may hold anything (the scenario's own caption text): comment lines only.
  lines.push(texComment(`Caption: ${spec.caption.replace(/\s+/g, " ").trim()}`));
  lines.push("\\providecommand{\\lpefiguredir}{}%");
  lines.push(`\\providecommand{\\lpefigurewidth}{${formatNumber(S.FIGURE_WIDTH_PT / 72)}in}%`);
  lines.push(`\\providecommand{\\lpefigureheight}{${formatNumber(S.FIGURE_HEIGHT_PT / 72)}in}%`);
  lines.push("\\begin{tikzpicture}");
  lines.push(`\\pgfplotsset{compat=${PGFPLOTS_COMPAT}}%`);
  const looks = spec.series.map((s, i) => S.lookOf(s, i));
  looks.forEach((l, i) => lines.push(`\\definecolor{${S.TEX_COLOR_PREFIX}${i + 1}}{HTML}{${html(l.color)}}`));
  S.BAND_GREYS.forEach((g, i) => lines.push(`\\definecolor{lpeBand${i + 1}}{HTML}{${html(g)}}`));
  (spec.bands ?? []).forEach((b, i) => {
    if (b.fill) lines.push(`\\definecolor{lpeRegion${i + 1}}{HTML}{${html(b.fill)}}`);
  });
  lines.push(`\\definecolor{lpeRule}{HTML}{${html(S.VLINE_COLOR)}}`);
  // zeros on a log colour scale are grey (as in the SVG): the window is grey behind the cells
  // when it has zeros and no failed (blank) cells
  const greyBelow = hm !== undefined && hm.scale === "log" && Array.from(hm.z).some((v) => v === 0) && Array.from(hm.z).every((v) => !Number.isNaN(v));
  if (greyBelow) lines.push(`\\definecolor{lpeBelow}{HTML}{${html(S.HEATMAP_BELOW_SCALE)}}`);
  lines.push("\\begin{axis}[");
  lines.push(options.map((o) => `  ${o},`).join("\n"));
  lines.push("]");

  if (hm) {
    const cols = heatmapColumns(spec);
    const cells = hm.x.length * hm.y.length;
    const rows = Math.max(cells, ...spec.series.map((x) => x.x.length));
    const skip = rows > cells ? `, skip coords between index={${cells}}{${rows}}` : "";
    // zeros on a log colour scale are grey (as in the SVG): the window is grey behind the cells
    // when it has zeros and no failed (blank) cells
    if (greyBelow) lines.push(`\\fill[lpeBelow] ${coord(x0, y0)} rectangle ${coord(x1, y1)};`);
    if (cellsGraphic) {
      // (pdflatex's memory holds a matrix plot of some 5,000 cells at most: "TeX capacity
      // exceeded" at 100 × 100, a reviewer's 101 × 201 and 200 × 200 sweeps; the cells are drawn
      // from the PDF beside this file, the same rectangles in the same colours as the SVG's; the
      // CSV keeps every cell's value)
      lines.push(`% ${cells} cells: drawn from ${cellsGraphic} (the same cells as the SVG; their values are in ${csvFile})`);
      lines.push(`\\addplot graphics[xmin=${formatNumber(x0)}, xmax=${formatNumber(x1)}, ymin=${formatNumber(y0)}, ymax=${formatNumber(y1)}] {\\lpefiguredir ${cellsGraphic}};`);
    } else {
      lines.push(
        `\\addplot[matrix plot*, mesh/cols=${hm.x.length}, mesh/rows=${hm.y.length}, point meta=explicit${skip}] table[x=${cols[0]}, y=${cols[1]}, meta=${cols[cols.length - 1]}, col sep=comma] {\\lpefiguredir ${csvFile}};`,
      );
    }
  }
  const inX = (v: number) => v >= x0 && v <= x1;
  const clampX = (v: number) => Math.min(x1, Math.max(x0, v));
  const bands = (spec.bands ?? []).map((b, i) => ({ ...b, i })).filter((b) => b.to > x0 && b.from < x1);
  for (const b of bands) {
    if (b.fill === null) continue;
    const colour = b.fill ? `lpeRegion${b.i + 1}` : `lpeBand${(b.i % S.BAND_GREYS.length) + 1}`;
    lines.push(`\\fill[${colour}] ${coord(clampX(b.from), y0)} rectangle ${coord(clampX(b.to), y1)};`);
  }
  const vlines = (spec.vlines ?? []).filter((v) => inX(v.x));
  const rule = `lpeRule, line width=${pt(S.VLINE_WIDTH_PT)}, ${dashOption(S.VLINE_DASH)}`;
  for (const v of vlines) lines.push(`\\draw[${rule}] ${coord(v.x, y0)} -- ${coord(v.x, y1)};`);

  spec.series.forEach((s, i) => {
    // a series with no point to draw (a heatmap's "no contour" placeholder) is left out: pgfplots
    // warned "the current plot has no coordinates" on every compile (a reviewer's)
    let drawable = false;
    for (let j = 0; j < s.x.length && !drawable; j++) drawable = Number.isFinite(s.x[j]) && Number.isFinite(s.y[j]);
    if (!drawable) return;
    const look = looks[i];
    const style = [
      `color=${S.TEX_COLOR_PREFIX}${i + 1}`,
      `line width=${pt(s.width ?? S.LINE_WIDTH_PT)}`,
      dashOption(S.DASH[look.style]),
      s.ring
        ? `mark=o, mark size=${pt((S.RING_DIAMETER_PT - S.RING_STROKE_PT) / 2)}, mark options={solid, line width=${pt(S.RING_STROKE_PT)}}`
        : s.marker || s.line === false
          ? // a filled dot of the SVG's diameter: not outlined with the line's width, which made
            // it 4.1 pt across and hid the dashes between the points (a reviewer's)
            `mark=*, mark size=${pt(S.MARKER_DIAMETER_PT / 2)}, mark options={solid, ${s.halo ? `draw=white, line width=${pt(S.HALO_PT)}` : "draw=none"}}`
          : "mark=none",
      ...(s.line === false || s.ring ? ["only marks"] : []),
      // a line's legend sample as the SVG's: the line alone, as long as there (long enough to show
      // the longest dash), without the points' marks (pgfplots' default, 0.6 cm with a mark in
      // its middle, showed γ_F = 0.2's 9 pt dash as a solid line)
      ...(s.line !== false && !s.ring ? [`legend image code/.code={\\draw (0pt,0pt) -- (${pt(LEGEND_SYMBOL_PT)},0pt);}`] : []),
    ];
    const cols = table.columns[i];
    if (cellsGraphic) {
      // (the CSV holds every cell: pgfplots reading it for each line ran out of pdflatex's
      // memory as the matrix plot did; the line's own points, inline, are a few hundred)
      const pts = Array.from(s.x, (x, j) => {
        const y = s.y[j];
        return Number.isFinite(x) && Number.isFinite(y) ? `(${formatNumber(x)},${formatNumber(y)})` : "(nan,nan)";
      });
      lines.push(`\\addplot[${style.join(", ")}] coordinates {${pts.join(" ")}};`);
    } else lines.push(`\\addplot[${style.join(", ")}] table[x=${cols.x}, y=${cols.y}, col sep=comma] {\\lpefiguredir ${csvFile}};`);
    if (legend !== "none") lines.push(`\\addlegendentry{${s.name.tex}}`);
  });

  const places = vlineLabelLayout(spec, domains);
  (spec.vlines ?? []).forEach((v, i) => {
    if (!v.label || !inX(v.x)) return;
    const dx = Number(places[i].dx.toFixed(2));
    const shift = (places[i].row ? `, yshift=${pt(places[i].row * LABEL_ROW_PT)}` : "") + (dx ? `, xshift=${pt(dx)}` : "");
    lines.push(`\\node[anchor=south, inner sep=2pt, font=\\footnotesize${shift}] at ${coord(v.x, y1)} {${v.label.tex}};`);
  });
  for (const b of bands) {
    if (!b.label) continue;
    const cx = centre(clampX(b.from), clampX(b.to), domains.x.scale);
    lines.push(`\\node[anchor=north, inner sep=3pt, font=\\footnotesize] at ${coord(cx, y1)} {${b.label.tex}};`);
  }
  lines.push("\\end{axis}");
  lines.push("\\end{tikzpicture}%");
  return { tex: lines.join("\n") + "\n", csv: table.csv };
}
