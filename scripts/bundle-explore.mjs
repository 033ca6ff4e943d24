// The `lpe explore` page (explore/web/): a small page script, and a Web Worker bundling the
// engine, the solvers, the figure layer, vega and vega-lite for the browser, so that solving
// and drawing happen in the page without a round trip to the server. Node-only modules are
// replaced: node:module by a static table of the CommonJS packages the engine loads lazily,
// the figure fonts module (fontkit + node:fs) by canvas measurement, HiGHS by a stub (the
// page refuses finite-type markets with a fringe), and every other node: module by a stub
// whose functions throw (file access is on paths the page never takes). The build fails if
// anything else from Node sneaks into the bundle. Output: dist/explore-web/.
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const web = join(root, "explore", "web");
const out = join(root, "dist", "explore-web");
const NODE = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Which stubs the worker needed, for the report below. */
const stubbed = new Set();

const browserPlugin = {
  name: "lpe-browser",
  setup(b) {
    b.onResolve({ filter: /^(node:)?module$/ }, () => ({ path: join(web, "shims", "node-module.ts") }));
    b.onResolve({ filter: /^highs$/ }, () => ({ path: join(web, "shims", "highs.ts") }));
    // The PDF writer (pdfkit, svg-to-pdfkit, fontkit) and the thread pool are reachable only
    // through file-writing paths (drawScenarioFigures, sweeps) that the page never takes.
    b.onResolve({ filter: /^(pdfkit|svg-to-pdfkit|fontkit|piscina)$/ }, (a) => ({ path: a.path, namespace: "package-stub" }));
    b.onLoad({ filter: /.*/, namespace: "package-stub" }, (a) => {
      stubbed.add(a.path);
      const fail = `() => { throw new Error(${JSON.stringify(`${a.path} is not available in the lpe explore page`)}); }`;
      return { contents: `const fail = ${fail};\nexport default fail;\nexport const create = fail;\n`, loader: "js" };
    });
    // The figure layer's fonts module, wherever the figure layer lives (engine/figures/ or figures/).
    b.onResolve({ filter: /[\\/]fonts\.js$/ }, (a) => (/[\\/]figures[\\/]fonts\.js$/.test(resolve(a.resolveDir, a.path)) ? { path: join(web, "shims", "fonts.ts") } : undefined));
    b.onResolve({ filter: /.*/ }, (a) => (NODE.has(a.path) ? { path: a.path.replace(/^node:/, ""), namespace: "node-stub" } : undefined));
    b.onLoad({ filter: /.*/, namespace: "node-stub" }, async (a) => {
      stubbed.add(a.path);
      const real = await import(`node:${a.path}`);
      const names = Object.keys(real).filter((n) => n !== "default" && /^[A-Za-z_$][\w$]*$/.test(n));
      const body = names
        .map((n) => (n === "sep" ? `export const sep = "/";` : typeof real[n] === "function" ? `export const ${n} = unavailable(${JSON.stringify(n)});` : `export const ${n} = {};`))
        .join("\n");
      return {
        contents: `const unavailable = (n) => () => { throw new Error("node:${a.path}." + n + " is not available in the lpe explore page"); };\n${body}\nexport default {};\n`,
        loader: "js",
      };
    });
  },
};

mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: { worker: join(web, "worker.ts"), page: join(web, "page.ts") },
  outdir: out,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "chrome110",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
  define: { "process.env.LPE_DEBUG": "undefined", "process.env.NODE_ENV": '"production"' },
  plugins: [browserPlugin],
  // A module-level read of process (engine/results/temp-files.ts: the process start time) must
  // not throw in the browser; nothing the page runs depends on these values.
  banner: { js: 'globalThis.process ??= { env: {}, pid: 0, platform: "browser", versions: {}, argv: [], uptime: () => 0, cwd: () => "/" };' },
});
for (const f of ["index.html", "style.css"]) copyFileSync(join(web, f), join(out, f));

// Guard: the stubs must be all that Node contributes; a real Node module would break the page.
const text = readFileSync(join(out, "worker.js"), "utf8");
const leaked = [...text.matchAll(/\b(?:require|import)\(\s*["'](node:[^"']+|fs|worker_threads|child_process)["']\)/g)].map((m) => m[1]);
if (leaked.length) throw new Error(`the explore worker bundle loads Node modules: ${[...new Set(leaked)].join(", ")}`);
const inputs = Object.keys(result.metafile.inputs);
if (inputs.some((p) => /(^|[\\/])figures[\\/]fonts\.(ts|js)$/.test(p) || /node_modules[\\/](fontkit|pdfkit|piscina|highs)[\\/]/.test(p))) {
  throw new Error("the explore worker bundle pulled a Node-only package (fontkit, pdfkit, piscina or highs)");
}
if (process.env.LPE_BUNDLE_REPORT) console.log(`explore bundle: stubbed node modules: ${[...stubbed].sort().join(", ") || "none"}`);
