// The captions of the leader-quantity and fringe-quantity figures say what the figure shows,
// case by case (figures/builders/leader-fringe-quantities.ts). A clean-clone reviewer's leader
// that serves nobody (γ_L = 0.1 in the paper scenario) got "log scale", "Shaded: the leader–fringe
// regions … above" and "the multi-model monopolist's q_L(θ) above θ_m" under a linear axis of
// zeros, one band and no θ_m; P2 (γ_L = 0.3) keeps its full caption.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../engine/scenario/load.js";
import { quantityFigure } from "../figures/builders/leader-fringe-quantities.js";
import { solveScenario } from "../solvers/solve.js";

const root = new URL("..", import.meta.url).pathname;
const paper = (file: string) => JSON.parse(readFileSync(`${root}scenarios/papers/bergemann-bonatti-smolin-2025/${file}`, "utf8"));

function figure(name: "leader-quantity" | "fringe-quantity", gammaL: number, cF?: number) {
  const raw = paper(`${name}.json`);
  raw.market.leader.gamma = gammaL;
  if (cF !== undefined) raw.market.fringe.cost = cF;
  const scenario = parseScenario(raw, { figures: false });
  return quantityFigure(name, scenario, solveScenario(scenario));
}

describe("quantity figures' captions", () => {
  it("a leader serving nobody: no log scale, one region, no benchmark above θ_m", () => {
    const f = figure("leader-quantity", 0.1);
    expect(f.y.scale).not.toBe("log");
    expect(f.caption).toMatch(/\(0 for every type: nobody uses the leader's model\)/);
    expect(f.caption).toMatch(/Shaded: the leader–fringe region, fringe only, for every type \(the leader serves nobody: θ_low is the top type\)/);
    expect(f.caption).not.toMatch(/log scale|above θ_m|interior quality q\^int\(θ\) above/);
    const g = figure("fringe-quantity", 0.1);
    expect(g.caption).not.toMatch(/below θ_e/);
  });

  it("P2 (γ_L = 0.3): log scale, the three regions, and the benchmarks where they coincide", () => {
    const f = figure("leader-quantity", 0.3);
    expect(f.y.scale).toBe("log");
    expect(f.caption).toMatch(/\(log scale; no line where the leader's model is not used\)/);
    expect(f.caption).toMatch(/Shaded: the leader–fringe regions, fringe only below θ_low, the limit quality q̂\(θ\) between θ_low and θ_high, the interior quality q\^int\(θ\) above/);
    expect(f.caption).toMatch(/the multi-model monopolist's q_L\(θ\) above θ_m/);
    expect(figure("fringe-quantity", 0.3).caption).toMatch(/the efficient q_F\(θ\) below θ_e/);
  });

  it("no limit region (c_F = 0.1: θ_high = θ_low = 0.802): the caption names the two regions drawn, not a third between θ_low and θ_high (a reviewer's)", () => {
    const f = figure("leader-quantity", 0.3, 0.1);
    expect(f.bands!.length).toBe(2);
    expect(f.caption).toMatch(/Shaded: the leader–fringe regions, fringe only below θ_low, the interior quality q\^int\(θ\) above θ_low \(no limit region: θ_high = θ_low\)/);
    expect(f.caption).not.toMatch(/between θ_low and θ_high/);
  });
});
