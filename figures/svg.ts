// FigureSpec → SVG string, through vega-lite and headless vega (no canvas, no DOM). Text is
// measured with the shipped font (fonts.ts) so vega's layout leaves room for every label;
// vega's global SVG id counter is reset so the same spec always gives the same bytes.

import * as vega from "vega";
import { compile } from "vega-lite";
import { resolveDomains, type ResolvedDomains } from "./domain.js";
import { runsWidth } from "./fonts.js";
import { parseLabel } from "./label.js";
import { FIGURE_PADDING_PT, FIGURE_WIDTH_PT, FONT_SIZE } from "./style.js";
import { setPhysicalSize, styleTextElements } from "./svg-text.js";
import type { FigureSpec, Label } from "./types.js";
import { validateFigure } from "./validate.js";
import { vegaLiteChart, type VlChart } from "./vl-spec.js";

interface TextItem {
  fontSize?: number;
  limit?: number;
}
interface TextMetrics {
  width: (item: TextItem, text: unknown) => number;
}

/** Vega's text-width hook (absent from its typings): measure the markup as it will be drawn. */
function installTextMetrics(): void {
  const metrics = (vega as unknown as { textMetrics: TextMetrics }).textMetrics;
  metrics.width = (item, text) => {
    const size = item.fontSize != null ? +item.fontSize || 0 : 11;
    const s = text == null ? "" : String(text).trim();
    return size > 0 && s ? runsWidth(parseLabel(s), size) : 0;
  };
}

let queue: Promise<unknown> = Promise.resolve();
/**
 * Run renders one after another: vega numbers clip paths with a process-wide counter, so two
 * interleaved renders would get each other's ids and their bytes would depend on timing.
 */
function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

/** Every label text the figure shows, to be styled after rendering. */
function labelTexts(spec: FigureSpec): Set<string> {
  const all = [
    spec.x.label,
    spec.y.label,
    // (a series with a fixed colour, a contour line, is kept out of the legend: its name, the
    // level "1e-8", is not shown as a label, and styled as one it set the "e" of the colour
    // bar's tick "1e-8" in italic)
    ...spec.series.filter((s) => s.color === undefined).map((s) => s.name),
    ...(spec.bands ?? []).map((b) => b.label),
    ...(spec.vlines ?? []).map((v) => v.label),
    spec.heatmap?.label,
  ];
  return new Set(all.flatMap((l) => (l ? [l.text.trim()] : [])));
}

export interface RenderedSvg {
  /** the figure as drawn: the spec given, or with a shorter y title (AxisSpec.shorter) */
  spec: FigureSpec;
  svg: string;
  /** The same drawing with combining accents placed by hand, for svg-to-pdfkit (marks.ts). */
  svgForPdf: string;
  domains: ResolvedDomains;
  legend: VlChart["legend"];
  /** the figure's height in pt (the house height, or more for a tall legend below the plot) */
  height: number;
  /** What vega-lite and vega complained about (nothing, for a well-formed figure). */
  warnings: string[];
}

/** Room for the y axis' title, in pt: vega centres it on the plot (from `top`, `height` high), and
 *  it must stay 1 pt inside the figure's edges (`figure` high). */
export function yTitleRoom(top: number, height: number, figure: number): number {
  const centre = top + height / 2;
  return 2 * Math.min(centre - 1, figure - centre - 1);
}

/** The SVG plus the layout decisions the other formats must repeat (axis ranges, legend, and the
 *  y title where a shorter one had to be drawn). */
export async function renderSvgDetailed(given: FigureSpec): Promise<RenderedSvg> {
  validateFigure(given);
  const domains = resolveDomains(given);
  installTextMetrics();
  const draw = async (spec: FigureSpec, extra = 0) => {
    const chart = vegaLiteChart(spec, domains, extra);
    const warnings: string[] = [];
    const logger = vega.logger(vega.Warn, undefined, (_method, level, args) => {
      warnings.push(`${level} ${args.map(String).join(" ")}`);
    });
    const vgSpec = compile(chart.spec, { logger }).spec;
    const view = new vega.View(vega.parse(vgSpec), { renderer: "none", logger });
    let svg: string;
    let room: number;
    try {
      svg = await oneAtATime(() => {
        vega.resetSVGDefIds();
        return view.toSVG();
      });
      // (the origin is the plot's, inside the figure's padding)
      room = yTitleRoom(FIGURE_PADDING_PT + view.origin()[1], view.height(), chart.height);
    } finally {
      view.finalize();
    }
    return { spec, chart, svg, warnings, room };
  };
  let r = await draw(given);
  // A y title longer than the plot's height allows runs off the figure ("Median price (USD/1M
  // toke" under a legend of three rows below the plot, a reviewer's): the first shorter form that
  // fits is drawn instead; where none does, the shortest, and the figure grows taller by what it
  // lacks (the plot with it, and the room by as much: the title is centred on the plot).
  const width = (l: Label) => runsWidth(parseLabel(l.text), FONT_SIZE.axisTitle);
  if (width(given.y.label) > r.room) {
    const shorter = given.y.shorter ?? [];
    const fits = shorter.find((l) => width(l) <= r.room);
    const pick = fits ?? shorter[shorter.length - 1] ?? given.y.label;
    const spec = pick === given.y.label ? given : { ...given, y: { ...given.y, label: pick } };
    if (fits) r = await draw(spec);
    else {
      // (the legend below takes part of the added height too: grown again by what is still
      // lacking, a few times at most)
      let extra = 0;
      for (let k = 0; k < 4 && width(pick) > r.room; k++) {
        extra += Math.ceil(width(pick) - r.room + 1);
        r = await draw(spec, extra);
      }
    }
  }
  const { spec, chart, svg, warnings } = r;
  const labels = labelTexts(spec);
  const finish = (placeMarks: boolean) =>
    setPhysicalSize(styleTextElements(svg, labels, placeMarks), FIGURE_WIDTH_PT, chart.height);
  return { spec, svg: spec.heatmap ? crispCells(finish(false)) : finish(false), svgForPdf: finish(true), domains, legend: chart.legend, height: chart.height, warnings };
}

/**
 * A heatmap's cell layers drawn without anti-aliasing (shape-rendering="crispEdges", which SVG
 * viewers honour): a cell reaches into its right and upper neighbours, drawn over it (vl-spec.ts),
 * and where an anti-aliased edge of the neighbour fell on the reaching cell's own edge, a blend of
 * the two colours stayed as a hairline — a reviewer's 4 × 300 heatmap showed green lines across
 * its yellow column in the SVG (not in the PDF). With crisp edges each pixel takes the colour of
 * the last cell over its centre. The SVG drawn for the PDF is left as it is (pdf-heatmap.ts reads
 * its cell layers by their exact markup; the PDF showed no hairlines).
 */
function crispCells(svg: string): string {
  return svg.replace(/(<g class="mark-rect role-mark layer_\d+_marks" clip-path="url\(#clip\d+\)")/g, '$1 shape-rendering="crispEdges"');
}

/** The figure as a standalone SVG document, 3.4 × 2.4 in, byte-identical for equal specs. */
export async function renderSvg(spec: FigureSpec): Promise<string> {
  return (await renderSvgDetailed(spec)).svg;
}
