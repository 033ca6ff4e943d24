// The figure gallery (figures/gallery.ts, written by `lpe figures` as <out>/index.html): in a
// real headless browser (Debian's chromium via puppeteer-core, test/helpers/chromium.ts) it
// loads from disk with no console error, page error or failed request, every figure is
// displayed (loaded, with a size), and a screenshot is not blank; every link points at a file
// that exists; scenario text is escaped.

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Io } from "../cli/io.js";
import { GALLERY_FILE, runFigures } from "../cli/commands/figures.js";
import { escapeHtml, galleryHtml, hrefOf } from "../figures/gallery.js";
import { assertNoProblems, browserRequired, findChromium, launchChromium, nonBackgroundShare, watchPage } from "./helpers/chromium.js";
import { decodePng } from "./helpers/png.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const files = [
  join(root, "scenarios", "papers", "bergemann-bonatti-smolin-2025", "leader-quantity.json"),
  join(root, "scenarios", "examples", "tutorial-monopoly.json"),
];

let out: string;
let code: number;
let lines: string[];

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "lpe-gallery-"));
  lines = [];
  const io: Io = { out: (s) => lines.push(s), err: () => {} };
  code = await runFigures({ files, out, gallery: true }, io);
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("the figure gallery", () => {
  it("lists every figure drawn, with its caption, scenario and files, all links resolving", () => {
    expect(code).toBe(0);
    const html = readFileSync(join(out, GALLERY_FILE), "utf8");
    const figureLines = lines.filter((l) => /^[a-z-]+: .*\{svg,pdf,tex,csv,caption\.txt\}$/.test(l));
    expect(figureLines.length).toBeGreaterThanOrEqual(5);
    expect((html.match(/<figure>/g) ?? []).length).toBe(figureLines.length);
    for (const l of figureLines) {
      const stem = l.slice(0, l.indexOf(":"));
      expect(html).toContain(`<span class="stem">${stem}</span>`);
    }
    // the caption is the caption file's text
    const cap = readFileSync(join(out, "bbs2025-leader-quantity", "figures", "leader-quantity.caption.txt"), "utf8").trim();
    expect(html).toContain(escapeHtml(cap));
    const hrefs = [...html.matchAll(/(?:href|src)="([^"#]+)"/g)].map((m) => decodeURIComponent(m[1].replace(/&amp;/g, "&")));
    expect(hrefs.length).toBeGreaterThan(5 * figureLines.length);
    for (const h of hrefs) expect(existsSync(join(out, h)), h).toBe(true);
    // offline: nothing is fetched from the network
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });

  it("escapes scenario text and percent-encodes paths", () => {
    const html = galleryHtml([
      { name: "x<y", file: "../a b/#c.json", description: '<script>alert("x")</script> & co', market: "monopoly", dir: "x<y/figures", figures: [{ stem: "quality", caption: "a < b" }] },
    ]);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co");
    expect(html).toContain('href="../a%20b/%23c.json"');
    expect(html).toContain('src="x%3Cy/figures/quality.svg"');
    expect(hrefOf("../x/y z.svg")).toBe("../x/y%20z.svg");
  });

  it("loads in headless chromium: no errors, every image displayed, not blank", async (ctx) => {
    const found = findChromium();
    if ("reason" in found) {
      if (browserRequired) throw new Error(`browser test required but ${found.reason}`);
      console.log(`gallery browser check not run: ${found.reason}`);
      ctx.annotate?.(`not run: ${found.reason}`);
      return;
    }
    const browser = await launchChromium(found.path);
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 1200, height: 900 });
      const problems = watchPage(page);
      await page.goto(pathToFileURL(join(out, GALLERY_FILE)).href, { waitUntil: "load" });
      assertNoProblems(problems);
      const images = await page.$$eval("img", (imgs) => imgs.map((i) => ({ src: i.getAttribute("src"), complete: i.complete, w: i.naturalWidth, h: i.naturalHeight, shown: i.getBoundingClientRect().width })));
      expect(images.length).toBeGreaterThanOrEqual(5);
      for (const im of images) {
        expect(im.complete, im.src ?? "").toBe(true);
        expect(im.w, im.src ?? "").toBeGreaterThan(0);
        expect(im.h, im.src ?? "").toBeGreaterThan(0);
        expect(im.shown, im.src ?? "").toBeGreaterThan(100);
      }
      const shot = decodePng(Buffer.from(await page.screenshot({ type: "png" })));
      const rgba = new Uint8Array(shot.width * shot.height * 4);
      for (let i = 0; i < shot.width * shot.height; i++) rgba.set(shot.rgb.subarray(3 * i, 3 * i + 3), 4 * i);
      expect(nonBackgroundShare(rgba, shot.width, shot.height)).toBeGreaterThan(0.02);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
