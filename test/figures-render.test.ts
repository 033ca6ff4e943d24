// The figure layer end to end: a sample figure (two series, a band, reference lines, Greek
// letters, subscripts) rendered to SVG, PDF, pgfplots and caption; byte-for-byte determinism;
// the PDF's embedded font and extractable θ (poppler); both drawings rasterized (rsvg-convert,
// pdftoppm) and checked for actual ink in the palette colours. Plus the small pure pieces.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderCaption, renderPdf, renderPgfplots, renderSvg, writeFigure, type FigureSpec } from "../figures/index.js";
import { vlineLabelLayout, vlineLabelRows } from "../figures/annotations.js";
import { columnName, figureTable } from "../figures/csv.js";
import { linearTickValues, logTickValues, niceLinear, niceLog, resolveDomains } from "../figures/domain.js";
import { fontDir, runsWidth, textWidth } from "../figures/fonts.js";
import { parseLabel, plainText } from "../figures/label.js";
import { bottomLegendColumns, legendPlacement } from "../figures/legend-place.js";
import { axisTickLabels, formatNumber } from "../figures/number.js";
import { PALETTE } from "../figures/style.js";
import { renderSvgDetailed } from "../figures/svg.js";
import { decodePng, countColour, countInk } from "./helpers/png.js";

const L = (text: string, tex: string) => ({ text, tex });
const grid = Array.from({ length: 101 }, (_, i) => i / 100);

function sample(overrides: Partial<FigureSpec> = {}): FigureSpec {
  return {
    name: "sample-figure",
    caption: "Leader–fringe equilibrium, scenario leader-fringe-uniform (σ = 0.5, γ = 0.3, c_F = 0.2)",
    x: { label: L("Type θ", "Type $\\theta$"), column: "theta" },
    y: { label: L("Quality q_L(θ), q_F(θ)", "Quality $q_L(\\theta)$, $q_F(\\theta)$") },
    series: [
      { name: L("q_L(θ)", "$q_L(\\theta)$"), x: grid, y: grid.map((t) => (t < 0.5 ? 0 : (t - 0.5) * 1.4)) },
      { name: L("q_F(θ)", "$q_F(\\theta)$"), x: Float64Array.from(grid), y: grid.map((t) => 0.05 + 0.2 * t * t) },
    ],
    bands: [{ from: 0.3, to: 0.5, label: L("fringe", "fringe") }],
    vlines: [
      { x: 0.3, label: L("θ_low", "$\\theta_{\\mathrm{low}}$") },
      { x: 0.5, label: L("θ_high", "$\\theta_{\\mathrm{high}}$") },
    ],
    ...overrides,
  };
}

/** The external tools the checks need; a missing one fails the test with the install line. */
function requireTool(name: string, debianPackage: string): void {
  const found = spawnSync("sh", ["-c", `command -v ${name}`]).status === 0;
  if (!found) throw new Error(`${name} is not installed: run \`apt-get install -y ${debianPackage}\` (.ci/run does this)`);
}

/** Minimal well-formedness check: every tag closed in order, one root element. */
function assertWellFormed(xml: string): void {
  const stack: string[] = [];
  let roots = 0;
  const body = xml.replace(/^<\?xml[^>]*\?>/, "");
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|<|>/g)) {
    if (m[0] === "<" || m[0] === ">") throw new Error(`stray ${m[0]} at ${m.index}`);
    const [, close, name, , selfClose] = m;
    if (close) {
      if (stack.pop() !== name) throw new Error(`mismatched </${name}> at ${m.index}`);
    } else if (!selfClose) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
  }
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "lpe-figures-"));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("a legend below the plot of more than two rows", () => {
  it("makes the figure taller, one legend row each, so the plot and the y axis' title keep their room (SVG, PDF page, pgfplots axis)", async () => {
    // five entries too long for two columns: the legend goes below in one column (a reviewer's
    // token classes "input (cached prompt tokens)", …, cut the y title to "Tokens in the budge")
    const names = ["input (cached prompt tokens)", "input (uncached prompt tokens)", "output (visible completion)", "output (reasoning)", "sft"];
    const tall = sample({
      legend: "bottom",
      series: names.map((n, i) => ({ name: L(`X_${n}(θ)`, `$X_{\\mathrm{${n}}}(\\theta)$`), x: grid, y: grid.map((t) => t * (i + 1)) })),
      y: { label: L("Tokens in the budget", "Tokens in the budget") },
    });
    const d = resolveDomains(tall);
    const rows = Math.ceil(names.length / bottomLegendColumns(tall, d));
    expect(rows).toBeGreaterThan(2);
    const r = await renderSvgDetailed(tall);
    const expected = 172.8 + (rows - 2) * (8 + 3 + 1);
    expect(r.height).toBeCloseTo(expected, 9);
    expect(r.svg).toMatch(new RegExp(`^<svg [^>]*width="244.8pt" height="${formatNumber(expected)}pt"`));
    const pdf = await renderPdf(tall);
    const box = /\/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]/.exec(pdf.toString("latin1"));
    expect(box, "the PDF's MediaBox").not.toBeNull();
    expect(Number(box![2])).toBeCloseTo(expected, 2);
    // pgfplots: the axis keeps the height it has with two legend rows (the picture grows)
    expect(renderPgfplots(tall).tex).toContain(`height=\\lpefigureheight-${2 * 11 + 8}pt`);
    // two rows or fewer: the house size
    const two = sample({ legend: "bottom" });
    expect((await renderSvgDetailed(two)).height).toBeCloseTo(172.8, 9);
  });
});

describe("renderSvg", () => {
  it("is a well-formed SVG of one-column size with styled labels", async () => {
    const svg = await renderSvg(sample());
    assertWellFormed(svg);
    expect(svg).toMatch(/^<svg [^>]*width="244.8pt" height="172.8pt" viewBox="0 0 244.8 172.8"/);
    // Every label's characters are there; θ is set in italics as a variable.
    for (const ch of ["θ", "Type", "Quality", "fringe", "low", "high"]) expect(svg).toContain(ch);
    expect(svg).toMatch(/<tspan font-style="italic">θ<\/tspan>/);
    // Subscripts are lowered and smaller, never a raw underscore.
    expect(svg).toMatch(/<tspan dy="[0-9.]+" font-size="6" font-style="italic">L<\/tspan>/);
    expect(svg).toMatch(/<tspan dy="[0-9.]+" font-size="6">low<\/tspan>/);
    const texts = [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) => m[1]);
    expect(texts.some((t) => t.includes("_"))).toBe(false);
    // The palette's first two colours draw the two series; no chart title.
    expect(svg).toContain(`stroke="${PALETTE[0]}"`);
    expect(svg).toContain(`stroke="${PALETTE[1]}"`);
    expect(svg).not.toMatch(/role-title/);
  });

  it("gives identical bytes on every run, also when renders overlap", async () => {
    const a = await renderSvg(sample());
    const b = await renderSvg(sample());
    expect(b).toBe(a);
    expect(a).toMatch(/<clipPath id="clip1">/); // vega's global clip-path counter was reset
    const other = sample({ name: "other", bands: undefined });
    const alone = await renderSvg(other);
    const [c, d] = await Promise.all([renderSvg(sample()), renderSvg(other)]);
    expect(c).toBe(a);
    expect(d).toBe(alone);
  });

  it("renders without vega warnings, with explicit log ticks and NaN gaps", async () => {
    const spec = sample({
      name: "log-figure",
      y: { label: L("Profit Π", "Profit $\\Pi$"), scale: "log" },
      series: [
        { name: L("σ = 0.3", "$\\sigma = 0.3$"), x: [0.1, 0.2, 0.3, 0.4], y: [0.002, 0.02, NaN, 2], marker: true },
      ],
      bands: undefined,
      vlines: undefined,
      legend: "right",
    });
    const r = await renderSvgDetailed(spec);
    expect(r.warnings).toEqual([]);
    // (the domain ends on 1-2-5 steps around the data, not whole decades: niceLog)
    expect(r.domains.y.domain).toEqual([0.002, 2]);
    for (const tick of ["0.01", "0.1", ">1<"]) expect(r.svg).toContain(tick);
    // The NaN breaks the line: two separate path pieces ("M" twice) in the line's path.
    const linePath = /<path[^>]*d="(M[^"]*)"[^>]*stroke="#0072B2"/.exec(r.svg);
    expect(linePath).not.toBeNull();
    expect(linePath![1].match(/M/g)!.length).toBe(2);
  });

  it("rejects malformed specs with the field named", async () => {
    await expect(renderSvg(sample({ name: "../escape" }))).rejects.toThrow(/name/);
    const bad = sample();
    bad.series[1] = { ...bad.series[1], y: [1, 2] };
    await expect(renderSvg(bad)).rejects.toThrow(/series\[1\]: x has 101 values but y has 2/);
    await expect(renderSvg(sample({ y: { label: L("y", "y"), scale: "log", domain: [0, 1] } }))).rejects.toThrow(/y.domain/);
    await expect(renderSvg(sample({ vlines: [{ x: 0.5, label: L("q\u20d7", "q") }] }))).rejects.toThrow(/U\+20D7/);
    const long = L("An x axis title far too long for a one-column figure, q_L(θ), and more and more and more", "");
    await expect(renderSvg(sample({ x: { label: long } }))).rejects.toThrow(/x.label.text: is \d+ pt long/);
  });

  it("draws a y title longer than the plot is tall whole: the SVG grows taller, the TeX wraps it (a reviewer's units block with currency \"Swiss francs CHF\" failed the solve)", async () => {
    const text = "Payment, cost, rent (cost units; 1 = 10 Swiss francs CHF)";
    const spec = sample({ y: { label: L(text, text) } });
    const r = await renderSvgDetailed(spec);
    expect(r.spec.y.label.text).toBe(text);
    expect(r.height).toBeGreaterThan(172.8 + 10);
    expect(r.svg).toContain("Swiss francs CHF)");
    const tex = renderPgfplots(spec).tex;
    expect(tex).toMatch(/ylabel style=\{align=center, text width=[0-9.]+pt\}/);
    // a title that fits stays on one line at the house height
    expect(renderPgfplots(sample()).tex).not.toContain("text width");
    expect((await renderSvgDetailed(sample())).height).toBeCloseTo(172.8, 9);
  });
});

describe("renderPdf", () => {
  let pdfPath: string;
  it("gives identical bytes on every run", async () => {
    const a = await renderPdf(sample());
    const b = await renderPdf(sample());
    expect(a.subarray(0, 5).toString()).toBe("%PDF-");
    expect(Buffer.compare(a, b)).toBe(0);
    pdfPath = join(work, "sample.pdf");
    writeFileSync(pdfPath, a);
  });

  it("embeds DejaVu Sans and θ is extractable text", () => {
    requireTool("pdffonts", "poppler-utils");
    requireTool("pdftotext", "poppler-utils");
    const fonts = execFileSync("pdffonts", [pdfPath], { encoding: "utf8" });
    const rows = fonts.split("\n").filter((l) => /DejaVuSans/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(2); // regular and oblique
    for (const row of rows) expect(row).toMatch(/\byes\s+yes\s+yes\b/); // embedded, subset, unicode map
    const text = execFileSync("pdftotext", [pdfPath, "-"], { encoding: "utf8" });
    expect(text).toContain("θ");
    expect(text).toContain("Type");
    expect(text).toMatch(/qL\(θ\)/);
  });

  it("draws accents (h̄) that svg-to-pdfkit would otherwise drop", async () => {
    const r = await renderSvgDetailed(sample({ series: [{ name: L("h̄(θ)", "$\\bar h(\\theta)$"), x: [0, 1], y: [0, 1] }] }));
    expect(r.svg).toContain("h\u0304"); // browsers shape the combining mark themselves
    expect(r.svgForPdf).toContain("\u00AF"); // the PDF gets a spacing macron placed by hand
    expect(r.svgForPdf).not.toContain("\u0304");
  });
});

/** The longest horizontal run of pixels of a colour (within 40 per channel). */
function longestRun(img: ReturnType<typeof decodePng>, hex: string): number {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let best = 0;
  for (let y = 0; y < img.height; y++) {
    let run = 0;
    for (let x = 0; x < img.width; x++) {
      const p = 3 * (y * img.width + x);
      const hit = want.every((c, k) => Math.abs(img.rgb[p + k] - c) <= 40);
      run = hit ? run + 1 : 0;
      if (run > best) best = run;
    }
  }
  return best;
}

describe("rasterized output is a real drawing", () => {
  it("SVG via rsvg-convert and PDF via pdftoppm both show the curves", async () => {
    requireTool("rsvg-convert", "librsvg2-bin");
    requireTool("pdftoppm", "poppler-utils");
    const spec = sample();
    const svgPath = join(work, "raster.svg");
    writeFileSync(svgPath, await renderSvg(spec));
    const pdfPath = join(work, "raster.pdf");
    writeFileSync(pdfPath, await renderPdf(spec));
    execFileSync("rsvg-convert", ["-d", "100", "-p", "100", svgPath, "-o", join(work, "svg.png")]);
    execFileSync("pdftoppm", ["-r", "100", "-png", "-singlefile", pdfPath, join(work, "pdf")]);
    for (const file of ["svg.png", "pdf.png"]) {
      const img = decodePng(readFileSync(join(work, file)));
      // 3.4 × 2.4 in at 100 dpi (renderers round the last pixel differently).
      expect(Math.abs(img.width - 340), file).toBeLessThanOrEqual(1);
      expect(Math.abs(img.height - 240), file).toBeLessThanOrEqual(1);
      const ink = countInk(img);
      // Axes, labels, band and curves: a few percent of the page; a blank render has none.
      expect(ink, file).toBeGreaterThan(0.03 * img.width * img.height);
      expect(ink, file).toBeLessThan(0.5 * img.width * img.height);
      expect(countColour(img, PALETTE[0]), `${file}: blue series`).toBeGreaterThan(100);
      expect(countColour(img, PALETTE[1]), `${file}: vermillion series`).toBeGreaterThan(100);
    }
  });

  it("draws a dots-only series as dots, in the plot and in the legend (no line swatch)", async () => {
    requireTool("rsvg-convert", "librsvg2-bin");
    requireTool("pdftoppm", "poppler-utils");
    // as the calibration-fit figure: one point per target, and the 45° line
    const spec: FigureSpec = {
      name: "dots",
      caption: "Dots.",
      x: { label: { text: "Observed", tex: "Observed" }, scale: "log", domain: [0.2, 10.5] },
      y: { label: { text: "Fitted", tex: "Fitted" }, scale: "log", domain: [0.2, 10.5] },
      series: [
        { name: { text: "share", tex: "share" }, x: [0.3], y: [0.3], line: false },
        { name: { text: "ratio", tex: "ratio" }, x: [7], y: [7], line: false },
        { name: { text: "fitted = observed", tex: "fitted = observed" }, x: [0.2, 10.5], y: [0.2, 10.5], style: "dotted" },
      ],
      legend: "right",
    };
    const svgPath = join(work, "dots.svg");
    writeFileSync(svgPath, await renderSvg(spec));
    const pdfPath = join(work, "dots.pdf");
    writeFileSync(pdfPath, await renderPdf(spec));
    execFileSync("rsvg-convert", ["-d", "200", "-p", "200", svgPath, "-o", join(work, "dots-svg.png")]);
    execFileSync("pdftoppm", ["-r", "200", "-png", "-singlefile", pdfPath, join(work, "dots-pdf")]);
    // the 3 pt dot is ~8 px across at 200 dpi; a legend line would be 22 pt (61 px) long
    for (const file of ["dots-svg.png", "dots-pdf.png"]) {
      const img = decodePng(readFileSync(join(work, file)));
      const n = countColour(img, PALETTE[1]);
      const run = longestRun(img, PALETTE[1]);
      expect(n, `${file}: the vermillion dots (plot and legend) have ink`).toBeGreaterThan(40);
      expect(n, `${file}: two dots, not a blob or a line`).toBeLessThan(200);
      expect(run, `${file}: longest horizontal run of vermillion pixels`).toBeLessThanOrEqual(12);
    }
    const { tex } = renderPgfplots(spec);
    const plots = tex.split("\n").filter((l) => l.startsWith("\\addplot"));
    expect(plots).toHaveLength(3);
    expect(plots[0]).toContain("only marks");
    expect(plots[1]).toContain("only marks");
    expect(plots[2]).not.toContain("only marks");
  });

  it("the pixel check fails on a blank drawing", () => {
    requireTool("rsvg-convert", "librsvg2-bin");
    const blank = join(work, "blank.svg");
    writeFileSync(blank, '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><rect width="100" height="50" fill="#fff"/></svg>');
    execFileSync("rsvg-convert", [blank, "-o", join(work, "blank.png")]);
    const img = decodePng(readFileSync(join(work, "blank.png")));
    expect(countInk(img)).toBe(0);
    expect(countColour(img, PALETTE[0])).toBe(0);
  });
});

describe("renderPgfplots", () => {
  it("reads only columns the csv has, one \\addplot per series, with tex labels", () => {
    const spec = sample();
    const { tex, csv } = renderPgfplots(spec);
    const lines = csv.trimEnd().split("\n");
    const header = lines[0].split(",");
    expect(header).toEqual(["theta", "q_L_theta", "q_F_theta"]);
    expect(lines.length).toBe(1 + grid.length);
    expect(lines.every((l) => l.split(",").length === header.length)).toBe(true);
    const plots = [...tex.matchAll(/\\addplot\[[^\]]*\] table\[x=([\w]+), y=([\w]+), col sep=comma\] \{\\lpefiguredir sample-figure\.csv\};/g)];
    expect(plots.length).toBe(2);
    for (const p of plots) {
      expect(header).toContain(p[1]);
      expect(header).toContain(p[2]);
    }
    expect(tex).toContain("\\begin{tikzpicture}");
    expect(tex).toContain("\\begin{axis}[");
    expect(tex).toContain("xlabel={Type $\\theta$}");
    expect(tex).toContain("\\addlegendentry{$q_L(\\theta)$}");
    expect(tex).toContain("\\fill[lpeBand1] (axis cs:0.3,-0.032) rectangle (axis cs:0.5,0.8);");
    expect(tex).toContain("{$\\theta_{\\mathrm{low}}$}");
    expect(tex).toMatch(/xmin=0, xmax=1, ymin=-0.032, ymax=0.8/);
    expect(tex).toContain("xtick={0,0.2,0.4,0.6,0.8,1}");
    expect(tex.trimEnd().endsWith("\\end{tikzpicture}%")).toBe(true);
  });

  it("switches to an x column per series when grids differ, padding with nan", () => {
    const spec = sample({
      series: [
        { name: L("a", "a"), x: [0, 0.5, 1], y: [1, 2, 3] },
        { name: L("b", "b"), x: [0, 1], y: [0.5, NaN] },
      ],
    });
    const t = figureTable(spec);
    expect(t.header).toEqual(["theta_a", "a", "theta_b", "b"]);
    expect(t.csv).toBe("theta_a,a,theta_b,b\n0,1,0,0.5\n0.5,2,1,nan\n1,3,nan,nan\n");
    const { tex } = renderPgfplots(spec);
    expect(tex).toContain("table[x=theta_b, y=b, col sep=comma]");
    expect(tex).toContain("unbounded coords=jump");
  });
});

describe("renderCaption", () => {
  it("tidies the caption and keys the lines when there is no legend", () => {
    expect(renderCaption(sample())).toBe(
      "Leader–fringe equilibrium, scenario leader-fringe-uniform (σ = 0.5, γ = 0.3, c_F = 0.2).\n",
    );
    expect(renderCaption(sample({ caption: "Menus.  ", legend: "none" }))).toBe("Menus. Lines: solid: q_L(θ); dashed: q_F(θ).\n");
  });
});

describe("writeFigure", () => {
  it("writes all five files atomically and returns their paths", async () => {
    const dir = join(work, "out", "figures");
    const spec = sample();
    const paths = await writeFigure(dir, spec);
    expect(paths).toEqual(["svg", "pdf", "tex", "csv", "caption.txt"].map((e) => join(dir, `sample-figure.${e}`)));
    expect(readdirSync(dir).sort()).toEqual(paths.map((p) => p.slice(dir.length + 1)).sort()); // no temp files left
    expect(readFileSync(paths[0], "utf8")).toBe(await renderSvg(spec));
    expect(Buffer.compare(readFileSync(paths[1]), await renderPdf(spec))).toBe(0);
    expect(readFileSync(paths[2], "utf8")).toBe(renderPgfplots(spec).tex);
    expect(readFileSync(paths[3], "utf8")).toBe(renderPgfplots(spec).csv);
    expect(readFileSync(paths[4], "utf8")).toBe(renderCaption(spec));
  });

  it("writes nothing when the figure is invalid", async () => {
    const dir = join(work, "bad");
    await expect(writeFigure(dir, sample({ series: [] }))).rejects.toThrow(/series/);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });
});

describe("labels", () => {
  it("parses subscripts, superscripts, italics and escapes", () => {
    expect(parseLabel("q_L(θ)")).toEqual([
      { text: "q", italic: true, level: 0 },
      { text: "L", italic: true, level: -1 },
      { text: "(", italic: false, level: 0 },
      { text: "θ", italic: true, level: 0 },
      { text: ")", italic: false, level: 0 },
    ]);
    expect(parseLabel("θ_low")).toEqual([
      { text: "θ", italic: true, level: 0 },
      { text: "low", italic: false, level: -1 },
    ]);
    expect(parseLabel("θ^*")[1]).toEqual({ text: "*", italic: false, level: 1 });
    expect(parseLabel("c_{F,1}")[1]).toEqual({ text: "F", italic: true, level: -1 });
    expect(plainText("c_{F,1}")).toBe("cF,1");
    expect(plainText("a\\_b")).toBe("a_b");
    // Uppercase Greek upright (as in TeX); English "a" between words upright; log upright.
    expect(parseLabel("Profit Π")).toEqual([{ text: "Profit Π", italic: false, level: 0 }]);
    expect(parseLabel("share of a market").every((r) => !r.italic)).toBe(true);
    expect(parseLabel("log w")).toEqual([
      { text: "log ", italic: false, level: 0 },
      { text: "w", italic: true, level: 0 },
    ]);
    // A combining accent stays with its letter.
    expect(parseLabel("h̄")).toEqual([{ text: "h̄", italic: true, level: 0 }]);
    // A magnitude glued to a number is upright ("USD per 1M tokens", as in the .tex); a lone M is a variable.
    expect(parseLabel("Fringe cost c_F (USD per 1M tokens)").filter((r) => r.italic).map((r) => r.text)).toEqual(["c", "F"]);
    expect(parseLabel("10k)").every((r) => !r.italic)).toBe(true);
    expect(parseLabel("Task bins M")[1]).toEqual({ text: "M", italic: true, level: 0 });
    expect(parseLabel("2x").filter((r) => r.italic).map((r) => r.text)).toEqual(["x"]);
    // A letter after a word's apostrophe is part of the word ("Leader's" had an italic s), a
    // variable's prime is not a word
    expect(parseLabel("Leader's price (USD/1M tokens)").every((r) => !r.italic)).toBe(true);
    expect(parseLabel("Leader’s price").every((r) => !r.italic)).toBe(true);
    expect(parseLabel("q' s").filter((r) => r.italic).map((r) => r.text.trim())).toEqual(["q", "s"]);
  });

  it("measures text with the real font (so vega leaves room for it)", () => {
    expect(textWidth("θ", 10)).toBeCloseTo((1253 / 2048) * 10, 6);
    expect(textWidth("W", 10)).toBeGreaterThan(textWidth("i", 10) * 2);
    // A subscript is set smaller, so q_L is narrower than qL.
    expect(runsWidth(parseLabel("q_L"), 10)).toBeLessThan(runsWidth(parseLabel("qL"), 10));
  });

  it("finds the fonts from the source tree and from a compiled dist/ tree", () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const root = dirname(here);
    expect(fontDir(join(root, "figures"))).toBe(join(root, "figures", "fonts"));
    expect(fontDir(join(root, "dist", "figures"))).toBe(join(root, "figures", "fonts"));
    expect(existsSync(join(root, "figures", "fonts", "LICENSE"))).toBe(true);
  });
});

describe("layout decisions", () => {
  it("writes an axis' tick labels in one form: exponents for all when one needs it", () => {
    // powers of ten as a paper writes them, not a calculator's 1e-4 (a reviewer's colour bar)
    expect(axisTickLabels([0.0001, 0.001, 0.01, 0.1, 1]).map((l) => l.text)).toEqual(["10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "10⁰"]);
    expect(axisTickLabels([0.0001, 0.001, 0.01, 0.1, 1]).map((l) => l.tex)).toEqual(["$10^{-4}$", "$10^{-3}$", "$10^{-2}$", "$10^{-1}$", "$10^{0}$"]);
    expect(axisTickLabels([0, 50000, 100000, 150000]).map((l) => l.text)).toEqual(["0", "5·10⁴", "10⁵", "1.5·10⁵"]);
    expect(axisTickLabels([0, 50000, 100000, 150000]).map((l) => l.tex)).toEqual(["0", "$5\\cdot 10^{4}$", "$10^{5}$", "$1.5\\cdot 10^{5}$"]);
    expect(axisTickLabels([0, 0.2, 0.4]).map((l) => l.text)).toEqual(["0", "0.2", "0.4"]);
  });

  it("vega draws the labels tickLabel measures: its expressions give the same text", async () => {
    const vega = await import("vega");
    const { EXPONENT_LABEL_EXPR, TICK_LABEL_EXPR, tickLabel } = await import("../figures/number.js");
    const values = [1e-4, 2.5e-4, 1e-12, 1e6, 3.75e123, -1e-3 * 0.5, -2e7, 1, 0.25, 120, 1e5];
    const texts = async (expr: string) => {
      const spec = {
        data: [{ name: "d", values: values.map((value) => ({ value })) }],
        marks: [{ type: "text", from: { data: "d" }, encode: { enter: { text: { signal: expr } } } }],
      };
      const view = new vega.View(vega.parse(spec as never), { renderer: "none" });
      await view.runAsync();
      // (the scenegraph's type omits its root: the group of the view, then the text mark)
      const root = (view.scenegraph() as unknown as { root: { items: { items: { items: { text: string }[] }[] }[] } }).root;
      return root.items[0].items[0].items.map((i) => i.text.replace(/−/g, "-"));
    };
    expect(await texts(EXPONENT_LABEL_EXPR)).toEqual(values.map((v) => tickLabel(v, true).text));
    expect(await texts(TICK_LABEL_EXPR)).toEqual(values.map((v) => tickLabel(v).text));
  });

  it("formats numbers with at most 12 significant digits", () => {
    expect(formatNumber(0.1 + 0.2)).toBe("0.3");
    expect(formatNumber(-0)).toBe("0");
    expect(formatNumber(1 / 3)).toBe("0.333333333333");
    expect(formatNumber(1.5e-9)).toBe("1.5e-9");
    expect(formatNumber(NaN)).toBe("nan");
    expect(formatNumber(-Infinity)).toBe("-inf");
  });

  it("rounds y ranges outwards and from zero; x spans the data", () => {
    expect(niceLinear(0.013, 0.71)).toEqual([0, 0.8]);
    expect(niceLinear(-0.93, 1.02)).toEqual([-1, 1.5]);
    expect(logTickValues([0.001, 10])).toEqual([0.001, 0.01, 0.1, 1, 10]);
    // beyond 7 decades, every second (third…) one, at exponents divisible by it: 14 decades of an
    // optimality gap labelled one by one touched each other in the .tex (a reviewer's)
    expect(logTickValues([1e-15, 1e-2])).toEqual([1e-14, 1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2]);
    expect(logTickValues([1e-7, 1])).toEqual([1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1].filter((v) => Math.round(Math.log10(v)) % 2 === 0));
    expect(logTickValues([1e-6, 1])).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1]);
    // a log axis ends on 1-2-5 steps: the leader-quantity figure's 1.97–134.85 got 1–1,000,
    // its top third empty (a reviewer's)
    expect(niceLog(1.97, 134.85)).toEqual([1, 200]);
    expect(niceLog(0.002, 2)).toEqual([0.002, 2]);
    expect(niceLog(0.0021, 2.1)).toEqual([0.002, 5]);
    expect(niceLog(5.0000001, 99.999)).toEqual([5, 100]);
    expect(logTickValues([2, 9])).toEqual([2, 5]);
    // two powers of ten alone would leave most of a short axis bare: 1-2-5 steps
    expect(logTickValues([0.2, 10.5])).toEqual([0.2, 0.5, 1, 2, 5, 10]);
    expect(logTickValues([0.01, 0.29])).toEqual([0.01, 0.02, 0.05, 0.1, 0.2]);
    expect(logTickValues([0.01, 1])).toEqual([0.01, 0.1, 1]);
    const d = resolveDomains(sample());
    expect(d.x.domain).toEqual([0, 1]);
    // q_L rests on zero for half the types: the window starts 4 % of its span below, so that
    // line is not hidden under the x axis (ticks unchanged)
    expect(d.y.domain).toEqual([-0.032, 0.8]);
    const lifted = resolveDomains(sample({ series: [sample().series[1]] }));
    expect(lifted.y.domain).toEqual([0, 0.25]);
    expect(d.x.ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(d.y.ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(linearTickValues([0.05, 0.29], 5)).toEqual([0.05, 0.1, 0.15, 0.2, 0.25]);
  });

  it("puts an inside legend in the emptiest corner, below the plot when none is free", () => {
    const rising = sample({ bands: undefined, vlines: undefined });
    expect(legendPlacement(rising, resolveDomains(rising))).toBe("top-left");
    const falling = sample({
      bands: undefined,
      vlines: undefined,
      series: [{ name: L("p(θ)", "$p$"), x: grid, y: grid.map((t) => 1 - t) }],
    });
    expect(legendPlacement(falling, resolveDomains(falling))).toBe("top-right");
    const full = sample({
      bands: undefined,
      vlines: undefined,
      series: [0, 0.25, 0.5, 0.75, 1].map((c, i) => ({ name: L(`s${i}`, `s${i}`), x: grid, y: grid.map(() => c) })),
    });
    expect(legendPlacement(full, resolveDomains(full))).toBe("bottom");
    expect(bottomLegendColumns(full)).toBeGreaterThanOrEqual(2);
  });

  it("sets colliding reference-line labels in one row, pushed apart sideways, inside the plot", () => {
    const close = sample({ vlines: [{ x: 0.5, label: L("θ_low", "") }, { x: 0.56, label: L("θ_high", "") }, { x: 0.9, label: L("θ^*", "") }] });
    const d = resolveDomains(close);
    expect(vlineLabelRows(close, d)).toEqual([0, 0, 0]);
    const places = vlineLabelLayout(close, d);
    const plotW = 3.4 * 72 - 6 - 42;
    const boxes = close.vlines!.map((v, i) => {
      const w = runsWidth(parseLabel(v.label!.text), 8);
      const c = v.x * plotW + places[i].dx;
      return [c - w / 2, c + w / 2];
    });
    // θ_low and θ_high moved apart by as much as they overlapped, symmetrically; θ* stays
    expect(places[0].dx).toBeLessThan(0);
    expect(places[1].dx).toBeGreaterThan(0);
    expect(Math.abs(places[0].dx + places[1].dx)).toBeLessThan(1e-9);
    expect(places[2].dx).toBe(0);
    for (let i = 1; i < boxes.length; i++) expect(boxes[i][0]).toBeGreaterThanOrEqual(boxes[i - 1][1] + 4 - 1e-9);
    // a label at the edge stays inside the plot's width
    const edge = sample({ vlines: [{ x: 0, label: L("θ_low", "") }, { x: 1, label: L("θ_high", "") }] });
    const e = vlineLabelLayout(edge, resolveDomains(edge));
    expect(e[0].dx).toBeGreaterThan(0);
    expect(e[1].dx).toBeLessThan(0);
    // labels wider together than the plot fall back to rows
    const many = sample({ vlines: Array.from({ length: 12 }, (_, i) => ({ x: 0.4 + i * 0.01, label: L(`θ_long${i}`, "") })) });
    expect(Math.max(...vlineLabelRows(many, resolveDomains(many)))).toBeGreaterThan(0);
  });

  it("stacks labels that would be pushed more than half their width off their lines, each centred on its line (a reviewer's θ_low, θ_high, θ_m)", () => {
    // P2's fringe-quantity figure: θ_low = 0.687, θ_high = 0.717, θ_m = 0.75, and θ_e = 0.5
    const p2 = sample({ vlines: [{ x: 0.5, label: L("θ_e", "") }, { x: 0.687, label: L("θ_low", "") }, { x: 0.717, label: L("θ_high", "") }, { x: 0.75, label: L("θ_m", "") }] });
    const places = vlineLabelLayout(p2, resolveDomains(p2));
    expect(places.map((p) => p.dx)).toEqual([0, 0, 0, 0]);
    expect(places.map((p) => p.row)).toEqual([0, 0, 1, 2]);
  });

  it("derives plain column names from labels", () => {
    expect(columnName("q_L(θ)", "y1")).toBe("q_L_theta");
    expect(columnName("Π", "y1")).toBe("Pi");
    expect(columnName("1st", "y1")).toBe("y1_1st");
    expect(columnName("()", "y2")).toBe("y2");
  });
});

describe("spaces next to sub- and superscripts", () => {
  it("become explicit dx offsets, since renderers drop spaces at tspan edges", async () => {
    const { parseLabel } = await import("../figures/label.js");
    const { runsToTspans } = await import("../figures/svg-text.js");
    const svg = runsToTspans(parseLabel("c_F = 0.2"), 8);
    expect(svg, svg).not.toMatch(/> |\u00a0/);
    // The space after the subscript: 651/2048 em at 8 px.
    expect(svg, svg).toMatch(/<tspan dx="2.543" dy="-1.76">= 0.2<\/tspan>/);
  });
});

describe("a y title that the plot's height does not hold (a legend below the plot takes rows of it)", () => {
  // Six horizontal lines over the whole width leave no empty corner: the legend goes below the
  // plot, three rows of two, and the plot is 105 pt high instead of 137 (a reviewer's sweep
  // figure printed "Median price (USD/1M toke").
  const many = (label: string, shorter?: string[]): FigureSpec =>
    sample({
      name: "tall-title",
      bands: [],
      vlines: [],
      y: { label: L(label, label), ...(shorter ? { shorter: shorter.map((t) => L(t, t)) } : {}) },
      series: [0, 0.2, 0.4, 0.6, 0.8, 1].map((v, k) => ({ name: L(`c_F = 0.0${k + 5}`, `$c_F = 0.0${k + 5}$`), x: Float64Array.from([0, 1]), y: Float64Array.from([v, v]) })),
    });
  /** The drawn y title's extent along the figure's height (its centre, inside the plot's group,
   *  which the root group moves down by the padding), and the figure's height. */
  const titleExtent = (svg: string, label: string): { top: number; bottom: number; height: number } => {
    const m = /role-axis-title[^<]*<text[^>]*transform="translate\(([-\d.]+),([-\d.]+)\) rotate\(-90\)/.exec(svg.slice(svg.lastIndexOf("role-axis-title") - 30));
    if (!m) throw new Error("no rotated axis title in the SVG");
    const root = /<g fill="none" stroke-miterlimit="4" transform="translate\(([-\d.]+),([-\d.]+)\)">/.exec(svg);
    if (!root) throw new Error("no root group in the SVG");
    const height = Number(/viewBox="0 0 [\d.]+ ([\d.]+)"/.exec(svg)![1]);
    const w = runsWidth(parseLabel(label), 9);
    const centre = Number(root[2]) + Number(m[2]);
    return { top: centre - w / 2, bottom: centre + w / 2, height };
  };
  it("draws the first shorter form that fits, in the SVG and the .tex alike", async () => {
    // 154, 136 and 100 pt long; the plot holds about 117
    const r = await renderSvgDetailed(many("Median price (USD per 1M tokens)", ["Median price (USD/1M tokens)", "Price (USD/1M tokens)"]));
    expect(r.legend).toBe("bottom");
    const drawn = r.spec.y.label.text;
    expect(drawn).toBe("Price (USD/1M tokens)");
    const e = titleExtent(r.svg, drawn);
    expect(e.top, JSON.stringify(e)).toBeGreaterThanOrEqual(0);
    expect(e.bottom, JSON.stringify(e)).toBeLessThanOrEqual(e.height);
    expect(renderPgfplots(r.spec, { domains: r.domains, legend: r.legend }).tex).toContain(`ylabel={${drawn}}`);
  });
  it("makes the figure taller where no form fits, the title whole", async () => {
    const label = "Leader's price (USD per 1M tokens)"; // 159 pt
    const plain = await renderSvgDetailed(sample({ name: "plain", y: { label: L("Price", "Price") }, bands: [], vlines: [], series: many("x").series }));
    const r = await renderSvgDetailed(many(label));
    expect(r.spec.y.label.text).toBe(label);
    expect(r.height).toBeGreaterThan(plain.height);
    const e = titleExtent(r.svg, label);
    expect(e.top, JSON.stringify(e)).toBeGreaterThanOrEqual(0);
    expect(e.bottom, JSON.stringify(e)).toBeLessThanOrEqual(e.height);
  });
});
