// Bundle the compiled CLI (dist/cli/lpe.js) into dist/bundle/ with esbuild: one file per
// lazily imported command instead of ~150 small ES modules, which saves ~80 ms of start-up on
// every `lpe` call (start-up is part of speed: a one-scenario solve takes ~20 ms). Heavy,
// rarely used packages stay external and are still loaded only by the commands that need them;
// the piscina worker runs from dist/workers/ (compiled by tsc).
import { build } from "esbuild";

await build({
  entryPoints: ["dist/cli/lpe.js"],
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  external: ["vega", "vega-lite", "pdfkit", "svg-to-pdfkit", "fontkit", "piscina", "mathjs", "@stdlib/*", "seedrandom", "cli-progress"],
  // Bundled CommonJS dependencies may call require().
  banner: { js: "import { createRequire as __lpeCreateRequire } from 'node:module'; const require = __lpeCreateRequire(import.meta.url);" },
});
