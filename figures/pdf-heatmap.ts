// Heatmap cells for the PDF, drawn by pdfkit directly instead of through svg-to-pdfkit. A heatmap
// is thousands of rectangles (a 49 × 69 sweep: 3,381, up to 200 × 200), and svg-to-pdfkit builds
// an element object, parses a path string and a colour for each: about 100 µs a cell, half of
// the time a 2-D sweep spends on its figures. The cells are the same vector rectangles in the
// same colours; only the way they reach the page changes.
//
// The cells are taken out of the SVG that vega drew (figures/svg.ts): each heatmap layer is a
// `<g class="mark-rect role-mark layer_N_marks" clip-path="url(#clipK)">` holding only
// `<path d="Mx,yhWvHh-WZ" fill="…" stroke-width="0"/>` elements, placed by the translations of
// the groups around it and clipped by the rectangle `clipK`. Anything else (another path form,
// a transform on the layer, a colour that is neither #rrggbb nor rgb(), a page background that is
// not the plain white rectangle) and the SVG is left whole: svg-to-pdfkit then draws it as before.
// Paint order: the white background, then the cells, then the rest of the SVG. Only the axes
// (outside the plot area, where the cells are clipped away) come before the cells in the SVG,
// so the picture is the same.

export interface CellLayer {
  /** offset of the layer's coordinates on the page (pt) */
  ox: number;
  oy: number;
  /** clip rectangle in the layer's coordinates: x, y, width, height */
  clip: [number, number, number, number];
  /** x, y, width, height per cell */
  rects: Float64Array;
  /** [r, g, b] per cell (0–255) */
  colors: [number, number, number][];
}

export interface ExtractedHeatmap {
  /** the SVG without its background rectangle and heatmap layers */
  svg: string;
  /** the page background's colour */
  background: string;
  layers: CellLayer[];
}

const NUM = String.raw`(-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)`;
const LAYER_OPEN = /<g class="mark-rect role-mark layer_\d+_marks" clip-path="url\(#(clip\d+)\)"([^>]*)>/g;
const CELL = new RegExp(String.raw`<path d="M${NUM},${NUM}h${NUM}v${NUM}h${NUM}Z" fill="([^"]+)" stroke-width="0"/>`, "y");
const BACKGROUND = /^(<svg\b[^>]*>)<rect width="([^"]+)" height="([^"]+)" fill="(#[0-9a-fA-F]{6})"\/>/;
const TAG = /<g\b[^>]*>|<\/g>/g;
const TRANSLATE = /\stransform="translate\((-?[\d.e+-]+),(-?[\d.e+-]+)\)"/;

function color(s: string): [number, number, number] | undefined {
  const hex = /^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$/.exec(s);
  if (hex) return [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16)];
  const rgb = /^rgb\((\d{1,3}), ?(\d{1,3}), ?(\d{1,3})\)$/.exec(s);
  if (rgb) return [+rgb[1], +rgb[2], +rgb[3]];
  return undefined;
}

/** The offset of the content at `at` in `svg`: the sum of the translations of the open groups. */
function offsetAt(svg: string, at: number): [number, number] | undefined {
  const stack: [number, number][] = [];
  TAG.lastIndex = 0;
  for (let m = TAG.exec(svg); m && m.index < at; m = TAG.exec(svg)) {
    if (m[0] === "</g>") {
      if (stack.pop() === undefined) return undefined;
      continue;
    }
    const t = TRANSLATE.exec(m[0]);
    // a group with another kind of transform (scale, rotate) is not a plain offset
    if (!t && /\stransform=/.test(m[0])) return undefined;
    stack.push(t ? [Number(t[1]), Number(t[2])] : [0, 0]);
  }
  let x = 0;
  let y = 0;
  for (const [dx, dy] of stack) {
    x += dx;
    y += dy;
  }
  return [x, y];
}

/**
 * The heatmap layers of `svg` and the SVG without them (see the header); undefined when the SVG
 * has none or is not in the expected form, in which case svg-to-pdfkit draws it whole.
 * `page` is the page size in pt, which the SVG's viewBox must equal (one unit = 1 pt).
 */
export function extractHeatmapCells(svg: string, page: [number, number]): ExtractedHeatmap | undefined {
  const bg = BACKGROUND.exec(svg);
  if (!bg) return undefined;
  const viewBox = /\sviewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(bg[1]);
  if (!viewBox || Math.abs(Number(viewBox[1]) - page[0]) > 1e-9 || Math.abs(Number(viewBox[2]) - page[1]) > 1e-9) return undefined;
  const layers: CellLayer[] = [];
  const cut: [number, number][] = [];
  LAYER_OPEN.lastIndex = 0;
  for (let m = LAYER_OPEN.exec(svg); m; m = LAYER_OPEN.exec(svg)) {
    if (/\stransform=/.test(m[2])) return undefined;
    const clipDef = new RegExp(`<clipPath id="${m[1]}"><rect x="${NUM}" y="${NUM}" width="${NUM}" height="${NUM}"/></clipPath>`).exec(svg);
    if (!clipDef) return undefined;
    const offset = offsetAt(svg, m.index);
    if (!offset) return undefined;
    const rects: number[] = [];
    const colors: [number, number, number][] = [];
    let at = m.index + m[0].length;
    for (;;) {
      CELL.lastIndex = at;
      const c = CELL.exec(svg);
      if (!c) break;
      const [x, y, w, h, back] = [1, 2, 3, 4, 5].map((k) => Number(c[k]));
      const rgb = color(c[6]);
      // a cell's path closes on itself: M x,y h w v h h −w Z
      if (!rgb || back !== -w || ![x, y, w, h].every(Number.isFinite)) return undefined;
      rects.push(x, y, w, h);
      colors.push(rgb);
      at = CELL.lastIndex;
    }
    if (!svg.startsWith("</g>", at)) return undefined;
    layers.push({ ox: offset[0], oy: offset[1], clip: [1, 2, 3, 4].map((k) => Number(clipDef[k])) as [number, number, number, number], rects: Float64Array.from(rects), colors });
    cut.push([m.index, at + "</g>".length]);
  }
  if (layers.length === 0) return undefined;
  // the layers' text goes; each layer leaves an empty group, so the group nesting stays as it was
  let out = "";
  let from = 0;
  for (const [a, b] of cut) {
    out += svg.slice(from, a) + "<g></g>";
    from = b;
  }
  out += svg.slice(from);
  return { svg: out.replace(BACKGROUND, "$1"), background: bg[4], layers };
}
