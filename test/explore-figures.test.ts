// The explore page keeps each figure's vega View and, when only the data and label offsets
// change, replaces them instead of building the View again (explore/figure-specs.ts). A kept
// View must draw exactly what a new one draws: here the leader–fringe figures along a path of
// fringe costs, each drawing compared with a drawing from a new View (clip-path ids are vega's
// global counters, so they are numbered alike before comparing), and the path must actually
// reuse Views (label offsets moving every step must not force a rebuild).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";
import { drawnWithData, dropFigure, figureNames, figureSpec, prepareFigureData, renderFigure } from "../explore/figure-specs.js";

const root = new URL("..", import.meta.url).pathname;
const raw = JSON.parse(readFileSync(join(root, "scenarios/examples/leader-fringe-sweep.json"), "utf8"));
const sameIds = (svg: string) => svg.replace(/clip\d+/g, "clip");

describe("explore figures: a kept View draws what a new View draws", () => {
  it("along fringe costs 0.2 … 0.29 (leader–fringe, 401 types)", async () => {
    let drawn = 0;
    let kept = 0;
    for (const cost of [0.2, 0.2036, 0.2072, 0.2144, 0.2324, 0.25, 0.29, 0.1]) {
      const r = structuredClone(raw);
      r.market.fringe.cost = cost;
      const scenario = parseScenario(r);
      const solution = solveScenario(scenario);
      const names = figureNames(scenario, solution);
      const data = prepareFigureData(scenario, solution, names.filter(drawnWithData));
      for (const name of names) {
        const spec = figureSpec(name, scenario, solution, data);
        if (!spec) continue;
        const again = await renderFigure(name, spec);
        dropFigure(name);
        const fresh = await renderFigure(name, spec);
        expect(fresh.rebuilt).toBe(true);
        expect(sameIds(again.svg), `${name} at c_F = ${cost}`).toBe(sameIds(fresh.svg));
        drawn++;
        if (!again.rebuilt) kept++;
      }
    }
    expect(drawn).toBeGreaterThanOrEqual(16);
    // every figure after the first cost, but for axis changes (new ticks rebuild the View)
    expect(kept).toBeGreaterThanOrEqual(drawn / 2);
  }, 60_000);
});
