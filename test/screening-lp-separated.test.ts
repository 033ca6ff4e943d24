// The separated bound of the screening LP (solvers/screening-lp.ts withSeparatedBound): where the
// types' values span so many orders of magnitude that the LP on all of them gives a useless dual
// bound (1e17 to 1e36 times the profit), the types whose whole first-best surplus is negligible
// are set apart with multipliers 0 and the LP on the others bounds the rest — still weak duality
// over all mechanisms. Fixtures and provenance: test/fixtures/screening-lp-separated/README.md.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseScenario } from "../engine/scenario/load.js";
import { prepareSolvers, solveScenario } from "../solvers/solve.js";

const FIX = join(import.meta.dirname, "fixtures", "screening-lp-separated");
const load = (name: string) => parseScenario(JSON.parse(readFileSync(join(FIX, `${name}.json`), "utf8")), { figures: false });

beforeAll(async () => {
  await prepareSolvers(load("lfr2_25"));
});

describe("the separated bound", () => {
  it("certifies the checker's two markets, whose LP bounds were 1e17 and 3e36 times the profit, with their menus unchanged", () => {
    for (const name of ["lfr2_25", "lfr4_17"]) {
      const sol = solveScenario(load(name));
      expect(sol.checks.passed, `${name}: ${sol.checks.failures.join("; ")}`).toBe(true);
      expect(sol.certificate.certified, `${name}: ${sol.certificate.certificate}`).toBe(true);
      expect(sol.certificate.optimalityGap!, name).toBeLessThanOrEqual(1e-9);
      const note = sol.solver.notes.find((n) => n.startsWith("separated bound:"));
      expect(note, sol.solver.notes.join("\n")).toBeDefined();
      // the LP on all types said far more, and the note keeps it
      const [, before] = /the LP on all types bounded it by (\S+)\)/.exec(note!)!;
      expect(Number(before) / (sol.scalars.profit as number)).toBeGreaterThan(1e10);
    }
    // the checker's own lottery LP, a feasible mechanism: 3.7e-13 below lpe's menu
    const p = solveScenario(load("lfr4_17")).scalars.profit as number;
    const independent = 3.504652871160e15;
    expect(p).toBeGreaterThanOrEqual(independent * (1 - 1e-12));
    expect(Math.abs(p - independent) / p, `lpe ${p}, independent ${independent}`).toBeLessThan(1e-12);
  });

  it("leaves a market of no such spread alone: its certificate is the LP's own", () => {
    // the same market with every type within a factor 2 of the others: no type's surplus is negligible
    const raw = JSON.parse(readFileSync(join(FIX, "lfr2_25.json"), "utf8"));
    raw.buyers.theta.values = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
    raw.buyers.theta.probs = [0.2, 0.2, 0.2, 0.2, 0.1, 0.1];
    const sol = solveScenario(parseScenario(raw, { figures: false }));
    expect(sol.checks.passed).toBe(true);
    expect(sol.solver.notes.some((n) => n.startsWith("separated bound:"))).toBe(false);
  });
});
