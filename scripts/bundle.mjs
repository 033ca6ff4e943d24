// Bundle the compiled CLI (dist/cli/lpe.js) into dist/bundle/ with esbuild: one file per
// lazily imported command instead of ~150 small ES modules, which saves ~80 ms of start-up on
// every `lpe` call (start-up is part of speed: a one-scenario solve takes ~20 ms). Heavy,
// rarely used packages stay external and are still loaded only by the commands that need them;
// the piscina worker runs from dist/workers/ (compiled by tsc).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
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
await build({ ...common, entryPoints: ["dist/figures/figure-thread.js"], outfile: "dist/bundle/figures/figure-thread.js" });

await build({
  ...common,
  entryPoints: ["dist/cli/lpe.js"],
  outdir: "dist/bundle",
  splitting: true,
});
await import("./bundle-explore.mjs");
