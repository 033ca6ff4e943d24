// The monopoly menu's figures where the virtual type is ironed below θ* (figures/builders/
// monopoly-menu.ts): those types are excluded (Q = 0), not bunched on an item. A reviewer's
// bimodal law (density ∝ exp(−(θ − 0.25)²/0.005) + 0.8·exp(−(θ − 0.8)²/0.004) on [0, 1], σ = 0.5,
// γ = 0.3) is ironed on [0.191, 0.708], all below θ* = 0.713: the quality, marginal-price and
// virtual-type figures shaded it as "bunching" and every caption said its types "are bunched on
// one item".

import { describe, expect, it } from "vitest";
import { monopolyFigure } from "../figures/builders/monopoly-menu.js";
import { parseScenario } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";

const raw = (density: string) => ({
  name: "bimodal",
  buyers: { theta: { dist: "expression", density, min: 0, max: 1 } },
  technology: { sigma: 0.5, aggregate: { kappa: 1, gamma: 0.3 } },
  market: { kind: "monopoly" },
  figures: { only: ["quality"] },
});

describe("monopoly figures with an ironed interval below θ*", () => {
  it("shade no bunching band and say the types are excluded", () => {
    const scenario = parseScenario(raw("exp(-((theta-0.25)^2)/0.005) + 0.8*exp(-((theta-0.8)^2)/0.004)"));
    const sol = solveScenario(scenario);
    const ts = Number(sol.scalars.thetaStar);
    expect(sol.ironing.length).toBe(1);
    expect(sol.ironing[0][1]).toBeLessThan(ts);
    for (const name of ["quality", "marginal-price", "virtual-type"] as const) {
      const f = monopolyFigure(name, scenario, sol)!;
      expect(f.bands ?? [], name).toHaveLength(0);
      expect(f.caption).toMatch(/types in \[0\.191, 0\.708\], ironed too, are below θ\* and excluded/);
      expect(f.caption).not.toMatch(/bunched on one item/);
    }
  });

  it("shade an interval above θ* as bunching, and say its types are bunched on one item", () => {
    // (h̄ is constant on an ironed interval and Q = 0 where h̄ ≤ c′(0) = 0: an interval is served or
    // excluded whole, and the split at θ* only guards a tie)
    const scenario = parseScenario(raw("exp(-((theta-0.6)^2)/0.005) + 0.8*exp(-((theta-0.9)^2)/0.004)"));
    const sol = solveScenario(scenario);
    const ts = Number(sol.scalars.thetaStar);
    expect(sol.ironing.length).toBe(1);
    const [a, b] = sol.ironing[0];
    expect(a).toBeGreaterThan(ts);
    const f = monopolyFigure("quality", scenario, sol)!;
    expect(f.bands).toEqual([{ from: a, to: b, label: { text: "bunching", tex: "bunching" } }]);
    expect(f.caption).toContain(`types in [${a.toFixed(3)}, ${b.toFixed(3)}] are bunched on one item (shaded)`);
    expect(f.caption).not.toContain("excluded (nothing is sold to them)");
  });
});
