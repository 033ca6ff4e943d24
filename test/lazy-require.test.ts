// The lazily loaded CommonJS packages (engine/lazy-require.ts): from the build's bundled vendor
// files when they exist (scripts/bundle.mjs), with the same functions as node_modules gives.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { requirePackage, VENDOR_DIR, VENDOR_GROUPS } from "../engine/lazy-require.js";

const root = new URL("..", import.meta.url).pathname;
const require = createRequire(import.meta.url);

describe("lazily loaded packages", () => {
  it("the build bundles every group, and a process loads the packages from them, not from node_modules", () => {
    for (const file of Object.keys(VENDOR_GROUPS)) expect(existsSync(join(root, VENDOR_DIR, file)), file).toBe(true);
    // the compiled engine, as the CLI runs it: which files did loading the packages read?
    const script = `
      import { createRequire } from "node:module";
      import { requirePackage, VENDOR_GROUPS } from ${JSON.stringify(join(root, "dist/engine/lazy-require.js"))};
      for (const ids of Object.values(VENDOR_GROUPS)) for (const id of ids) requirePackage(id);
      console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const loaded: string[] = JSON.parse(r.stdout);
    expect(loaded.filter((f) => f.includes("node_modules"))).toEqual([]);
    for (const file of Object.keys(VENDOR_GROUPS)) expect(loaded).toContain(join(root, VENDOR_DIR, file));
  });

  it("gives the same functions as node_modules: the same numbers on a spread of arguments", () => {
    type F = (...a: number[]) => number;
    const same = (id: string, args: number[][], pick: (m: unknown) => F = (m) => m as F) => {
      const a = pick(requirePackage(id));
      const b = pick(require(id));
      for (const x of args) expect(Object.is(a(...x), b(...x)), `${id}(${x})`).toBe(true);
    };
    const xs = [-3, -0.5, 0, 1e-8, 0.3, 1, 2.5, 7, 30];
    same("@stdlib/math-base-special-erfc", xs.map((x) => [x]));
    same("@stdlib/math-base-special-betainc", [[0.3, 2, 5], [0.99, 0.5, 0.5], [1e-9, 3.7, 1.2], [0.5, 200, 200]]);
    same("@stdlib/stats-base-dists-beta-pdf", [[0.3, 2, 5], [0.999, 1.5, 14.5], [0, 0.5, 0.5]]);
    same("@stdlib/stats-base-dists-beta-quantile", [[0.3, 2, 5], [1e-12, 0.5, 0.5], [0.999, 40, 3]]);
    const rng = (m: unknown) => {
      const g = (m as { alea: (s: string) => () => number }).alea("lpe");
      return () => g() + g();
    };
    same("seedrandom", [[], [], []], rng);
  });

  it("mathjs: the bundled parser (its named exports alone) reads formulas into the same trees, with the same erf and gamma", () => {
    type M = { create: (deps: object) => { parse: (s: string) => unknown; erf: (x: number) => number; gamma: (x: number) => number }; parseDependencies: object; erfDependencies: object; gammaDependencies: object };
    const make = (m: M) => m.create({ parseDependencies: m.parseDependencies, erfDependencies: m.erfDependencies, gammaDependencies: m.gammaDependencies });
    const bundled = requirePackage("mathjs") as M;
    // only what the engine uses: the rest of mathjs (0.4–0.7 s to load) is left out
    expect(Object.keys(bundled).sort()).toEqual(["create", "erfDependencies", "gammaDependencies", "parseDependencies"]);
    const [a, b] = [make(bundled), make(require("mathjs") as M)];
    for (const f of ["1 + 0.9*sin(6*pi*theta)", "exp(-(theta - 0.5)^2 / 0.01) * gamma(theta + 1)", "-theta^-0.5 + 2 theta", "max(theta, 1e-3, erf(theta))", "(1 - theta)^(b - 1) * theta"]) {
      expect(JSON.stringify(a.parse(f)), f).toBe(JSON.stringify(b.parse(f)));
    }
    for (const x of [-2, -0.3, 0, 1e-9, 0.5, 3, 10]) {
      expect(Object.is(a.erf(x), b.erf(x)), `erf(${x})`).toBe(true);
      if (x > 0) expect(Object.is(a.gamma(x), b.gamma(x)), `gamma(${x})`).toBe(true);
    }
  });
});
