// Figures of a discrete type law (a reviewer's five atoms): over the types, dots at the atoms and
// no lines (a line between two atoms shows types that do not exist, and q_F's drop at θ_low as a
// slope); against the fringe's cost, the thresholds jump from atom to atom, drawn as breaks in
// the line (a row of nan in the figure's data), not as vertical strokes.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compiledLpe, ROOT, type Run } from "./helpers/cli-in-process.js";

let lpe: (...argv: string[]) => Promise<Run>;
const out = mkdtempSync(join(tmpdir(), "lpe-discrete-figures-"));

beforeAll(async () => {
  lpe = await compiledLpe();
});

describe("figures of five atoms (leader–fringe, γ_F = 0)", () => {
  it("draws dots at the atoms, breaks at the thresholds' jumps", async () => {
    const r = await lpe(
      "solve",
      join(ROOT, "scenarios/examples/leader-fringe-sweep.json"),
      "--out",
      out,
      "--set",
      'buyers.theta={"dist":"discrete","values":[0.2,0.4,0.6,0.8,1.0],"probs":[0.2,0.2,0.2,0.2,0.2]}',
      "--set",
      "name=atoms",
    );
    expect(r.code, r.err).toBe(0);
    const dir = join(out, "atoms", "figures");
    for (const f of ["fringe-quantity", "leader-quantity"]) {
      const tex = readFileSync(join(dir, `${f}.tex`), "utf8");
      const plots = tex.split("\n").filter((l) => l.startsWith("\\addplot"));
      expect(plots.length, f).toBeGreaterThan(0);
      for (const p of plots) expect(p, f).toContain("only marks");
      expect(readFileSync(join(dir, `${f}.caption.txt`), "utf8")).toContain("Dots: the types of the discrete law");
    }
    // θ_low takes the atoms' values only; where it changes, a nan row lies between the two costs
    const rows = readFileSync(join(dir, "thresholds-cost.csv"), "utf8").trim().split("\n");
    expect(rows[0]).toBe("cF,thetaLow,thetaHigh,thetaEfficient,thetaMultiModel");
    const pts = rows.slice(1).map((l) => l.split(",").map((v) => (v === "nan" ? NaN : Number(v))));
    const finite = pts.filter((p) => Number.isFinite(p[1]));
    for (const p of finite) expect([0.2, 0.4, 0.6, 0.8, 1].some((a) => Math.abs(p[1] - a) < 1e-12), `θ_low ${p[1]} at c_F ${p[0]}`).toBe(true);
    let jumps = 0;
    for (let i = 0; i + 1 < pts.length; i++) {
      const [a, b] = [pts[i][1], pts[i + 1][1]];
      if (Number.isFinite(a) && Number.isFinite(b)) expect(a, `θ_low joined across a jump at c_F ${pts[i][0]}–${pts[i + 1][0]}`).toBe(b);
      if (Number.isNaN(b) && Number.isFinite(a)) jumps++;
    }
    expect(jumps).toBeGreaterThanOrEqual(1);
  });
});

describe("the multi-model monopolist's quantity figures", () => {
  it("mark θ*, where it starts serving, beside θ_m (a reviewer missed θ*)", async () => {
    const { parseScenario } = await import("../engine/scenario/load.js");
    const { prepareSolvers, solveScenario } = await import("../solvers/solve.js");
    const { quantityFigure } = await import("../figures/builders/leader-fringe-quantities.js");
    const scenario = parseScenario({
      name: "mm",
      buyers: { theta: { dist: "uniform", min: 0, max: 1 } },
      technology: { sigma: 0.5 },
      market: { kind: "multiModelMonopoly", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } },
    });
    await prepareSolvers(scenario);
    const sol = solveScenario(scenario);
    const star = sol.scalars.thetaStar as number;
    expect(star).toBeGreaterThan(0);
    for (const name of ["fringe-quantity", "leader-quantity"] as const) {
      const f = quantityFigure(name, scenario, sol);
      expect((f.vlines ?? []).map((v) => [v.label?.text, v.x])).toEqual([
        ["θ^*", star],
        ["θ_m", sol.scalars.thetaSwitch],
      ]);
      expect(f.caption).toContain("θ*: the lowest type the multi-model monopolist serves");
    }
  });
});
