// The captions of the leader-quantity and fringe-quantity figures say what the figure shows,
// case by case (figures/builders/leader-fringe-quantities.ts). A clean-clone reviewer's leader
// that serves nobody (γ_L = 0.1 in the paper scenario) got "log scale", "Shaded: the leader–fringe
// regions … above" and "the multi-model monopolist's q_L(θ) above θ_m" under a linear axis of
// zeros, one band and no θ_m; P2 (γ_L = 0.3) keeps its full caption.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../engine/scenario/load.js";
import { quantityFigure, regionBands, regionRuns } from "../figures/builders/leader-fringe-quantities.js";
import { REGION_FILLS } from "../figures/style.js";
import { thresholdFigure } from "../figures/builders/thresholds.js";
import { FigureData } from "../figures/builders/parameter-sweep.js";
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
    expect(f.caption).toMatch(/Unshaded: fringe only, for every type \(the leader serves nobody: θ_low is the top type\)/);
    expect(f.caption).not.toMatch(/Shaded:/);
    expect(f.caption).not.toMatch(/log scale|above θ_m|interior quality q\^int\(θ\) above/);
    const g = figure("fringe-quantity", 0.1);
    expect(g.caption).not.toMatch(/below θ_e/);
  });

  it("P2 (γ_L = 0.3): log scale, the three regions, and the benchmarks where they coincide", () => {
    const f = figure("leader-quantity", 0.3);
    expect(f.y.scale).toBe("log");
    expect(f.caption).toMatch(/\(log scale; no line where the leader's model is not used\)/);
    // (fringe only has no fill: a reviewer read "Shaded: … fringe only" over white)
    expect(f.caption).toMatch(/Shaded: the leader–fringe regions where the leader sells, the limit quality q̂\(θ\) between θ_low and θ_high \(darker\) and the interior quality q\^int\(θ\) above θ_high \(lighter\); unshaded below θ_low: fringe only/);
    // the multi-model monopolist is drawn dash-dotted (REGIME_STYLE), and the caption says so
    expect(f.caption).toMatch(/its dash-dotted line lies on the wide solid one/);
    expect(f.series.find((sr) => sr.column === "multiModelMonopoly_qL")?.style).toBe("dashdot");
    expect(f.caption).toMatch(/the multi-model monopolist's q_L\(θ\) above θ_m/);
    expect(figure("fringe-quantity", 0.3).caption).toMatch(/the efficient q_F\(θ\) below θ_e/);
  });

  it("no limit region (c_F = 0.1: θ_high = θ_low = 0.802): the caption names the two regions drawn, not a third between θ_low and θ_high (a reviewer's)", () => {
    const f = figure("leader-quantity", 0.3, 0.1);
    expect(f.bands!.length).toBe(2);
    expect(f.caption).toMatch(/Shaded: the leader–fringe region where the leader sells, the interior quality q\^int\(θ\) above θ_low \(no limit region: θ_high = θ_low\); unshaded below θ_low: fringe only/);
    expect(f.caption).not.toMatch(/between θ_low and θ_high/);
  });
});

describe("region bands where the types' regions do not follow θ_low and θ_high", () => {
  // A reviewer's figure shaded "limit q̂" from θ_low to θ_high over types that curves.csv put in
  // region 3 (a rent segment of pooled types, a finite menu's items). This market (two uniforms
  // with a gap, gap-rising-b.json) has a rent segment from about 0.67 to the gap's upper end 0.8.
  const raw = JSON.parse(readFileSync(`${root}test/fixtures/leader-fringe-multiplier/gap-rising-b.json`, "utf8")).scenario;
  const scenario = parseScenario(raw, { figures: false });
  const solution = solveScenario(scenario);

  it("shades each type by its region column, with the thresholds still marked", () => {
    const th = solution.curves.theta;
    const region = solution.curves.columns.region;
    const { bands, vlines, byColumn } = regionBands(solution, "");
    expect(byColumn).toBe(true);
    // every grid type lies in a band of its own region's fill (ends: either side)
    const fill = { 1: REGION_FILLS.fringeOnly, 2: REGION_FILLS.limit, 3: REGION_FILLS.interior } as Record<number, string | null>;
    for (let i = 0; i < th.length; i++) {
      const inside = bands.filter((b) => th[i] >= b.from && th[i] <= b.to);
      expect(inside.some((b) => b.fill === fill[region[i]]), `θ = ${th[i]}, region ${region[i]}`).toBe(true);
    }
    // the bands tile the axis
    expect(bands[0].from).toBe(th[0]);
    expect(bands.at(-1)!.to).toBe(th[th.length - 1]);
    for (let k = 1; k < bands.length; k++) expect(bands[k].from).toBe(bands[k - 1].to);
    // the first band ends at θ_low exactly (a threshold between two grid types)
    expect(bands[0].to).toBe(solution.scalars.thetaLow);
    expect(vlines.map((v) => v.x)).toEqual([solution.scalars.thetaLow, solution.scalars.thetaHigh]);
    const f = quantityFigure("leader-quantity", scenario, solution);
    expect(f.caption).toMatch(/Shaded: each type's leader–fringe region \(here the regions do not follow θ_low and θ_high\), the limit quality q̂\(θ\) \(darker\), a leader item with a rent.*\(lighter\); unshaded: fringe only/);
    expect(f.caption).not.toMatch(/between θ_low and θ_high/);
    // γ_F = 0.1: topping up stops at r·q̂, not at q̂ (a reviewer's items below q̂ were not topped up)
    expect(f.caption).toMatch(/with γ_F > 0 the buyer tops up from the fringe only below a fixed share of it/);
    expect(f.caption).not.toMatch(/where the buyer stops topping up/);
    const zero = parseScenario({ ...raw, market: { ...raw.market, fringe: { ...raw.market.fringe, gamma: 0 } } }, { figures: false });
    expect(quantityFigure("leader-quantity", zero, solveScenario(zero)).caption).toMatch(/Dotted: the limit quality q̂\(θ\) above θ_low, where the buyer stops topping up from the fringe/);
  });

  it("thresholds-cost: the caption says the regions may not follow the thresholds, except for uniform types (Proposition 4)", () => {
    const mixed = thresholdFigure("thresholds-cost", scenario, new FigureData(), 0.2, 1);
    expect(mixed.caption).toMatch(/where types pool with a rent or a finite menu is reported, items of their own/);
    const p2 = parseScenario(paper("thresholds.json"), { figures: false });
    expect(thresholdFigure("thresholds-cost", p2, new FigureData(), 0, 1).caption).not.toMatch(/pool/);
  });

  it("regionRuns: none where the column follows the thresholds (a grid type at a threshold on either side), runs ending at a threshold or halfway between grid types", () => {
    const th = [0, 0.25, 0.5, 0.75, 1];
    expect(regionRuns(th, [1, 1, 2, 3, 3], 0.4, 0.7)).toBeNull();
    expect(regionRuns(th, [1, 2, 2, 3, 3], 0.25, 0.75)).toBeNull();
    expect(regionRuns(th, [1, 1, 3, 3, 3], 0.5, 0.5)).toBeNull();
    expect(regionRuns(th, [1, 1, 3, 2, 3], 0.4, 0.9)).toEqual([
      { from: 0, to: 0.4, region: 1 },
      { from: 0.4, to: 0.625, region: 3 },
      { from: 0.625, to: 0.9, region: 2 },
      { from: 0.9, to: 1, region: 3 },
    ]);
    expect(regionRuns(th, undefined, 0.4, 0.9)).toBeNull();
  });
});
