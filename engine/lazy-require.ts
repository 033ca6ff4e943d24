// Load a CommonJS dependency on first use. The special-function packages (@stdlib: a few
// hundred small modules) and seedrandom cost ~100 ms at start-up; most runs (uniform types,
// an `lpe eval` of one scenario) never call them, and start-up is part of speed.
// When the build has bundled them (scripts/bundle.mjs: dist/bundle/vendor/, one minified file
// per group of VENDOR_GROUPS), they are loaded from there: resolving and reading the few hundred
// files of node_modules took ~35 ms for erfc (a lognormal law) and ~150 ms for the Beta
// functions, the bundled files 3 and 18 ms. Without the build (tests from sources) they come from
// node_modules as before: the same code either way, only read from fewer files (or, for the
// packages of VENDOR_NAMES, only the parts of it the engine uses).

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { packageRoot } from "./package-root.js";

const require = createRequire(import.meta.url);

/** The bundled files of the lazily loaded packages, and the packages each holds (loaded together:
 *  the Beta functions share most of their modules). */
export const VENDOR_GROUPS: Record<string, readonly string[]> = {
  "stdlib-beta.cjs": ["@stdlib/math-base-special-betainc", "@stdlib/stats-base-dists-beta-pdf", "@stdlib/stats-base-dists-beta-quantile"],
  "stdlib-erfc.cjs": ["@stdlib/math-base-special-erfc"],
  "seedrandom.cjs": ["seedrandom"],
  "mathjs-parse.cjs": ["mathjs"],
};

/** Packages of which a group holds only the named exports (bundled from their ES modules, so the
 *  rest is left out): the restricted formulas need mathjs's parser and its erf and gamma alone,
 *  and all of mathjs took 0.4–0.7 s to load on every command that read a formula, the parser
 *  alone ~25 ms (engine/expression/restricted.ts). */
export const VENDOR_NAMES: Record<string, readonly string[]> = {
  mathjs: ["create", "parseDependencies", "erfDependencies", "gammaDependencies"],
};

/** Where the build puts the bundled files (relative to the package root). A literal, not a
 *  join() at load time: the explore page's browser bundle has no node:path (its stub throws). */
export const VENDOR_DIR = "dist/bundle/vendor";

/** Load package `id`: from its bundled group where the build made one, else from node_modules. */
export function requirePackage(id: string): unknown {
  const group = Object.keys(VENDOR_GROUPS).find((g) => VENDOR_GROUPS[g].includes(id));
  if (group) {
    let file: string | undefined;
    try {
      file = join(packageRoot(), VENDOR_DIR, group);
    } catch {
      file = undefined; // no package.json above this module: node_modules below
    }
    if (file && existsSync(file)) {
      const loaded = require(file) as Record<string, unknown>;
      // (a group built from ES modules, VENDOR_NAMES, exports its table as the default)
      const exports = (loaded.default ?? loaded) as Record<string, unknown>;
      if (id in exports) return exports[id];
    }
  }
  return require(id);
}

/** A function that loads `id` the first time it is called, then calls it. */
export function lazyFunction<F extends (...args: never[]) => unknown>(id: string): F {
  let f: F | undefined;
  return ((...args: Parameters<F>) => {
    f ??= requirePackage(id) as F;
    return f(...args);
  }) as F;
}

/** A getter that loads `id` on its first call and returns the module. */
export function lazyModule<M>(id: string): () => M {
  let m: M | undefined;
  return () => (m ??= requirePackage(id) as M);
}
