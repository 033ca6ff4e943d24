// Every scenario shipped under scenarios/ (found by walking the folder, so a new file is picked
// up without touching this test) loads, passes the schema and the economic checks, names a
// unique output folder, points its "$schema" at schema/scenario.schema.json, asks only for
// figures its market can draw, and solves with all a-posteriori checks passing.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findScenarioFiles } from "../cli/commands/figures.js";
import { checkFigureSelection } from "../figures/scenario-figures.js";
import { loadScenarioFile } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const scenarioDir = join(root, "scenarios");
const schemaFile = join(root, "schema", "scenario.schema.json");
const files = findScenarioFiles(scenarioDir);

describe("the scenario collection", () => {
  it("is found recursively, papers and examples included", () => {
    const rel = files.map((f) => relative(scenarioDir, f));
    expect(rel).toContain(join("papers", "bergemann-bonatti-smolin-2025", "thresholds.json"));
    expect(rel).toContain(join("examples", "monopoly-ironed-bimodal.json"));
    expect(rel.filter((f) => f.startsWith("papers")).length).toBeGreaterThanOrEqual(7);
    expect([...rel].sort()).toEqual(rel);
  });

  it("gives every scenario its own output folder (unique names)", () => {
    const names = files.map((f) => loadScenarioFile(f).scenario.name);
    const dup = names.filter((n, i) => names.indexOf(n) !== i);
    expect(dup).toEqual([]);
  });
});

describe.each(files.map((f) => [relative(root, f), f]))("%s", (_rel, file) => {
  it("validates, describes itself and points at the schema", () => {
    const { scenario, raw } = loadScenarioFile(file);
    expect(scenario.description?.trim().length ?? 0).toBeGreaterThan(40);
    const ref = (raw as { $schema?: string }).$schema;
    expect(ref, "a $schema reference lets editors check the file").toBeTypeOf("string");
    expect(resolve(dirname(file), ref!)).toBe(schemaFile);
    expect(existsSync(schemaFile)).toBe(true);
    expect(() => checkFigureSelection(scenario)).not.toThrow();
    // Files are plain JSON, 2-space indented, ending with a newline (diffs stay readable).
    expect(readFileSync(file, "utf8").endsWith("}\n")).toBe(true);
  });

  it("solves with every check passing", () => {
    const { scenario } = loadScenarioFile(file);
    const sol = solveScenario(scenario);
    expect(sol.checks.failures).toEqual([]);
    expect(sol.checks.passed).toBe(true);
    expect(sol.curves.theta.length).toBeGreaterThanOrEqual(3);
    for (const k of ["profit", "consumerSurplus", "welfare"]) {
      const key = sol.market === "compare" ? `leaderFringe.${k}` : k;
      expect(Number.isFinite(sol.scalars[key] as number), `${key} is finite`).toBe(true);
    }
  });
});
