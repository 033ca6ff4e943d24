// Bundle the compiled CLI (dist/cli/lpe.js) into dist/bundle/ with esbuild: one file per
// lazily imported command instead of ~150 small ES modules, which saves ~80 ms of start-up on
// every `lpe` call (start-up is part of speed: a one-scenario solve takes ~20 ms). Heavy,
// rarely used packages stay external and are still loaded only by the commands that need them;
// the piscina worker runs from dist/workers/ (compiled by tsc).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join, sep } from "node:path";
import { build } from "esbuild";

// zod's translations of its messages (z.locales: ~40 languages, 366 kB of the 780 kB zod adds
// to the bundle, ~12 ms of compiling on every command that reads a scenario) are left out: lpe
// speaks English only, and the English messages (zod's default, locales/en.js) are kept.
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) =>
      a.importer.includes(`${sep}node_modules${sep}zod${sep}`)
        ? { path: "zod/v4/locales/index.js", namespace: "english-only", pluginData: join(dirname(a.importer), "..", "locales") }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "english-only" }, (a) => ({ contents: 'export { default as en } from "./en.js";', resolveDir: a.pluginData, loader: "js" }));
  },
};

// The figure layer's packages (vega, vega-lite, pdfkit, svg-to-pdfkit, fontkit) are bundled into
// the figure thread and into the chunks of the commands that draw: loaded from node_modules they
// are ~600 ES and CommonJS files, and resolving and reading them took ~350 ms of a figure
// thread's start (bundled: ~150 ms), before the first figure of every sweep and `lpe figures`.
// Two of their file look-ups need help once bundled:
//  - pdfkit loads its standard fonts (Helvetica is every document's default font, unused by lpe's
//    figures but loaded) with a require() relative to its own file: made static requires of the
//    same files here, so that they are bundled;
//  - fontkit reads WOFF2 fonts with the brotli package, whose decoder builds a 120 kB dictionary
//    when loaded (~20 ms): lpe's figures embed the TrueType files it ships (figures/fonts/), so
//    brotli is replaced by a function that says WOFF2 is not supported.
const figurePackages = {
  name: "figure-packages",
  setup(b) {
    b.onLoad({ filter: /[\\/]pdfkit[\\/]js[\\/]pdfkit\.node\.mjs$/ }, (a) => {
      const text = readFileSync(a.path, "utf8");
      const fixed = text.replace(/require\$1\('#standard-fonts\/(\w+)'\)/g, (_m, f) => `require("pdfkit/standard-fonts/${f}")`);
      if (fixed === text) throw new Error("scripts/bundle.mjs: pdfkit no longer loads its standard fonts as expected; update the figure-packages plugin");
      return { contents: fixed, loader: "js" };
    });
    b.onResolve({ filter: /^brotli\/decompress(\.js)?$/ }, (a) => ({ path: a.path, namespace: "no-woff2" }));
    b.onLoad({ filter: /.*/, namespace: "no-woff2" }, () => ({
      contents: 'export default function () { throw new Error("WOFF2 fonts are not supported (lpe embeds TrueType fonts)"); }',
      loader: "js",
    }));
  },
};
const figureExternal = ["vega", "vega-lite", "pdfkit", "svg-to-pdfkit", "fontkit"];

// chunks of earlier builds (their names carry a hash) would pile up
rmSync("dist/bundle", { recursive: true, force: true });

// The build's commit, recorded in every result beside the version (engine/build-id.ts): 0.1.0
// spans hundreds of commits, some of which changed numbers. "modified": tracked files differ from
// the commit. No git (a tarball): no commit, and results say "unknown".
{
  const git = (...a) => spawnSync("git", a, { encoding: "utf8" });
  const head = git("rev-parse", "HEAD");
  const commit = head.status === 0 ? head.stdout.trim() : null;
  const modified = commit ? git("diff", "--quiet", "HEAD", "--").status === 1 : false;
  mkdirSync("dist", { recursive: true });
  writeFileSync("dist/build-info.json", JSON.stringify({ commit, modified }) + "\n");
}

const common = {
  bundle: true,
  minifyWhitespace: true,
  minifySyntax: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  external: ["vega", "vega-lite", "pdfkit", "svg-to-pdfkit", "fontkit", "piscina", "highs", "mathjs", "@stdlib/*", "seedrandom", "cli-progress"],
  plugins: [zodEnglishOnly],
  // Bundled CommonJS dependencies may call require().
  banner: { js: "import { createRequire as __lpeCreateRequire } from 'node:module'; const require = __lpeCreateRequire(import.meta.url);" },
};

// The sweep's pool threads: bundled, a thread starts in about half the time. Split, so that a
// thread of a batch-kernel sweep loads only the kernel, the grid and the row formatter, and the
// schema and the solvers (its dynamic imports) only when a job takes the general path.
await build({ ...common, entryPoints: { "sweep-worker": "dist/workers/sweep-worker.js" }, outdir: "dist/bundle/workers", splitting: true });
await build({ ...common, entryPoints: ["dist/workers/calibrate/worker.js"], outfile: "dist/bundle/workers/calibrate-worker.js" });
// The thread that draws figures beside the main one (lpe figures, sweeps) loads vega and pdfkit
// (external, as above) and the figure layer: bundled, it is ready sooner.
const withFigures = {
  ...common,
  external: [...common.external.filter((e) => !figureExternal.includes(e)), "canvas"],
  plugins: [...common.plugins, figurePackages],
};
await build({ ...withFigures, entryPoints: ["dist/figures/figure-thread.js"], outfile: "dist/bundle/figures/figure-thread.js" });

await build({
  ...withFigures,
  entryPoints: ["dist/cli/lpe.js"],
  outdir: "dist/bundle",
  splitting: true,
});
// The CommonJS packages loaded on first use (engine/lazy-require.ts), each group bundled into one
// minified file of dist/bundle/vendor/: from node_modules they are a few hundred small files, and
// resolving and reading them took ~35 ms (erfc, for a lognormal law) and ~150 ms (the Beta
// functions) of the first solve that needed them; bundled, 3 and 18 ms. The groups are the
// engine's own list (VENDOR_GROUPS), read from its compiled module.
{
  const { VENDOR_GROUPS, VENDOR_NAMES, VENDOR_DIR } = await import("../dist/engine/lazy-require.js");
  for (const [file, ids] of Object.entries(VENDOR_GROUPS)) {
    // a package of VENDOR_NAMES: its named exports only, imported from its ES modules so that
    // esbuild leaves the rest out (all of mathjs: 0.4–0.7 s to load; its parser: ~25 ms)
    const named = ids.filter((id) => VENDOR_NAMES[id]);
    const entry = named.length
      ? named.map((id, k) => `import { ${VENDOR_NAMES[id].map((n) => `${n} as p${k}_${n}`).join(", ")} } from ${JSON.stringify(id)};`).join("\n") +
        `\nconst g = {\n${ids.map((id) => (VENDOR_NAMES[id] ? `  ${JSON.stringify(id)}: { ${VENDOR_NAMES[id].map((n) => `${n}: p${named.indexOf(id)}_${n}`).join(", ")} },` : `  ${JSON.stringify(id)}: require(${JSON.stringify(id)}),`)).join("\n")}\n};\nexport default g;\n`
      : `module.exports = {\n${ids.map((id) => `  ${JSON.stringify(id)}: require(${JSON.stringify(id)}),`).join("\n")}\n};\n`;
    await build({
      stdin: { contents: entry, resolveDir: process.cwd(), sourcefile: `vendor-${file}`, loader: "js" },
      bundle: true,
      minify: true,
      format: "cjs",
      platform: "node",
      target: "node20",
      logLevel: "warning",
      outfile: join(VENDOR_DIR, file),
    });
  }
}
await import("./bundle-explore.mjs");
