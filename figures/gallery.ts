// The figure gallery, results/index.html (written by `lpe figures` over the shipped scenarios,
// i.e. `npm start`): every figure as its SVG, with its caption, the scenario it comes from and
// links to its SVG, PDF, pgfplots .tex and CSV. One self-contained file — inline style, no
// script, no font or image from the network, relative links only — so it reads offline, from
// the folder or a copy of it. Pure: the entries in, the page's text out. Every text that comes
// from a scenario (names, descriptions, captions) is escaped for HTML.

export interface GalleryFigure {
  /** file stem: <dir>/<stem>.svg, .pdf, .tex, .csv, .caption.txt */
  stem: string;
  caption: string;
}

export interface GalleryScenario {
  name: string;
  /** the scenario file, relative to the gallery's folder */
  file: string;
  description?: string;
  market: string;
  /** the figures' folder, relative to the gallery's folder */
  dir: string;
  figures: GalleryFigure[];
}

/** Text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A relative link: each path segment percent-encoded (a name may hold spaces, #, ?). */
export function hrefOf(path: string): string {
  return path
    .split("/")
    .map((seg) => (seg === ".." || seg === "." ? seg : encodeURIComponent(seg)))
    .join("/");
}

const FORMATS: readonly [string, string][] = [
  ["svg", "SVG"],
  ["pdf", "PDF"],
  ["tex", "pgfplots .tex"],
  ["csv", "CSV"],
];

const STYLE = `
body { font-family: "DejaVu Sans", "Bitstream Vera Sans", sans-serif; margin: 0 auto; max-width: 72rem; padding: 1.5rem; color: #111; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .2rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
p.lead, p.scenario { color: #333; margin: .3rem 0; }
nav ol { columns: 2; padding-left: 1.2rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(21rem, 1fr)); gap: 1.2rem; margin-top: .8rem; }
figure { margin: 0; border: 1px solid #ddd; padding: .6rem; background: #fff; }
figure img { width: 100%; height: auto; display: block; }
figcaption { font-size: .82rem; line-height: 1.35; margin-top: .4rem; }
figcaption .stem { font-family: monospace; font-weight: bold; }
.links { font-size: .82rem; margin-top: .35rem; }
.links a { margin-right: .7rem; }
`;

export function galleryHtml(scenarios: readonly GalleryScenario[], title = "lpe figures"): string {
  const count = scenarios.reduce((a, s) => a + s.figures.length, 0);
  const anchor = (s: GalleryScenario) => `scenario-${s.name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const out: string[] = [];
  out.push("<!DOCTYPE html>");
  out.push('<html lang="en">');
  out.push("<head>");
  out.push('<meta charset="utf-8">');
  out.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  out.push(`<title>${escapeHtml(title)}</title>`);
  out.push(`<style>${STYLE}</style>`);
  out.push("</head>");
  out.push("<body>");
  out.push(`<h1>${escapeHtml(title)}</h1>`);
  out.push(
    `<p class="lead">${count} figure${count === 1 ? "" : "s"} from ${scenarios.length} scenario${scenarios.length === 1 ? "" : "s"}, each as SVG, PDF (fonts embedded), pgfplots <code>.tex</code> with its CSV, and a caption. Written by <code>lpe figures</code>; regenerate rather than edit.</p>`,
  );
  out.push("<nav><ol>");
  for (const s of scenarios) out.push(`<li><a href="#${anchor(s)}">${escapeHtml(s.name)}</a> (${s.figures.length})</li>`);
  out.push("</ol></nav>");
  for (const s of scenarios) {
    out.push(`<section id="${anchor(s)}">`);
    out.push(`<h2>${escapeHtml(s.name)}</h2>`);
    out.push(
      `<p class="scenario">Scenario <a href="${escapeHtml(hrefOf(s.file))}"><code>${escapeHtml(s.file)}</code></a>, market <code>${escapeHtml(s.market)}</code>${s.description ? `: ${escapeHtml(s.description)}` : ""}</p>`,
    );
    out.push('<div class="grid">');
    for (const f of s.figures) {
      const path = (ext: string) => escapeHtml(hrefOf(`${s.dir}/${f.stem}.${ext}`));
      out.push("<figure>");
      out.push(`<img src="${path("svg")}" alt="${escapeHtml(`${f.stem}: ${f.caption}`)}">`);
      out.push(`<figcaption><span class="stem">${escapeHtml(f.stem)}</span>. ${escapeHtml(f.caption)}</figcaption>`);
      out.push(`<div class="links">${FORMATS.map(([ext, word]) => `<a href="${path(ext)}">${word}</a>`).join("")}<a href="${path("caption.txt")}">caption</a></div>`);
      out.push("</figure>");
    }
    out.push("</div>");
    out.push("</section>");
  }
  out.push("</body>");
  out.push("</html>");
  return out.join("\n") + "\n";
}
