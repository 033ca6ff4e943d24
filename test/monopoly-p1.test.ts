// Reference case P1 (test/fixtures/reference/P1.json): the monopoly menu with CES task tokens and CES
// fine-tuning, θ ~ U[0,1], reproduced through the scenario pipeline at every listed tolerance.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";
import { expectClose, type Expected } from "./helpers/close.js";

const P1 = JSON.parse(readFileSync(new URL("./fixtures/reference/P1.json", import.meta.url), "utf8"));

describe("P1 monopoly reference case", () => {
  const scenario = parseScenario(P1.scenario);
  const sol = solveScenario(scenario);
  it("scalars match at the stated tolerances", () => {
    const efficientWelfare = sol.scalars.efficientWelfare;
    for (const [k, e] of Object.entries(P1.expected.scalars as Record<string, Expected>)) {
      const got = k === "efficientWelfare" ? efficientWelfare : sol.scalars[k];
      expectClose(got as number, e.value, e.rtol, e.atol, `P1 scalar ${k}`);
    }
  });
  it("menu points match at the stated tolerances (exact evaluation at θ)", () => {
    for (const pt of P1.expected.points as Record<string, unknown>[]) {
      const theta = pt.theta as number;
      const got = sol.pointAt(theta);
      for (const [k, e] of Object.entries(pt)) {
        if (k === "theta") continue;
        if (k === "X" || k === "Z") {
          for (const [cls, ce] of Object.entries(e as Record<string, Expected>)) {
            expectClose((got[k] as Record<string, number>)[cls], ce.value, ce.rtol, ce.atol, `P1 ${k}.${cls} at θ=${theta}`);
          }
        } else {
          expectClose(got[k] as number, (e as Expected).value, (e as Expected).rtol, (e as Expected).atol, `P1 ${k} at θ=${theta}`);
        }
      }
    }
  });
  it("no ironing, and the checks pass", () => {
    expect(sol.ironing, "P1 has a regular distribution: no bunching").toEqual([]);
    expect(sol.checks.passed, sol.checks.failures.join("; ")).toBe(true);
    expect(sol.checks.icMaxGain).toBeLessThanOrEqual(sol.checks.tolerance);
  });
});
