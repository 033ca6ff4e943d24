// The cost-decline figures' captions (figures/builders/cost-decline.ts), from synthetic sweep
// tables: the cost is named by its label, a half-life's label does not repeat its years, the
// leader's exit is placed between two grid years (not at the first year that shows it), a value
// undefined at the horizon is said once, and the wider first curve is explained.
import { describe, expect, it } from "vitest";
import { costDeclineFigure } from "../figures/builders/cost-decline.js";
import { FigureData } from "../figures/builders/parameter-sweep.js";
import { parseScenario } from "../engine/scenario/load.js";
import { buildSweepGrid } from "../workers/sweep-grid.js";
import type { SweepTable } from "../workers/sweep-curves.js";

const OUTPUTS = ["profit", "leaderAveragePrice", "fringePrice", "priceRatio", "fringeTokenShare", "leaderServedShare"];

function scenario() {
  return parseScenario({
    name: "cd",
    buyers: { theta: { dist: "uniform", min: 0, max: 1 } },
    technology: { sigma: 0.5 },
    market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } },
    figures: { costDecline: { years: 4, points: 5, halfLives: [{ label: "economy tier (1.00 years)", years: 1 }, { label: "mid tier", years: 2 }] } },
  });
}

/** A path's table: the leader serves until (not including) point `exit` (−1: throughout). */
function path(exit: number): SweepTable {
  const grid = buildSweepGrid({ params: { "market.fringe.cost": { values: [0.2, 0.1, 0.05, 0.025, 0.0125] } } as never });
  const values = new Float64Array(5 * OUTPUTS.length);
  for (let i = 0; i < 5; i++) {
    const serves = exit < 0 || i < exit;
    const row = [serves ? 1 - 0.2 * i : 0, serves ? 0.4 : NaN, 0.2 / 2 ** i, serves ? 2 ** i : NaN, serves ? 0.3 + 0.1 * i : 1, serves ? 0.5 : 0];
    values.set(row, i * OUTPUTS.length);
  }
  return { grid, outputs: OUTPUTS, start: 0, end: 5, values, failures: new Map() };
}

function figures(exit1: number, exit2: number) {
  const data = new FigureData({ sweeps: new Map([["cost-decline-1", path(exit1)], ["cost-decline-2", path(exit2)]]), solutions: new Map() });
  const s = scenario();
  return {
    profit: costDeclineFigure("cost-decline-profit", s, data)!,
    prices: costDeclineFigure("cost-decline-prices", s, data)!,
    share: costDeclineFigure("cost-decline-open-share", s, data)!,
  };
}

describe("cost-decline captions", () => {
  it("name the cost by its label, each half-life once, and the exit between two grid years", () => {
    const { profit, prices } = figures(3, -1);
    expect(profit.caption).toMatch(/as the fringe cost c_F = 0\.2 today, halving every 1 year \(economy tier\) or 2 years \(mid tier\);/);
    expect(profit.caption).toMatch(/The leader stops serving anyone between years 2 and 3 at a half-life of 1 year\./);
    expect(profit.caption).toMatch(/The curve of the economy tier is drawn wider, so that it shows where the curves coincide\./);
    // one path without the leader at the horizon: the other's price, and that said once
    expect(prices.caption).toMatch(/after 4 years the leader's price is 0\.4 at a half-life of 2 years \(the leader serves nobody by then on the other path\)/);
    expect(prices.caption).not.toMatch(/none \(the leader serves nobody\)/);
  });

  it("say once that the leader's price is undefined when it serves nobody on any path", () => {
    const { prices, share } = figures(3, 4);
    expect(prices.caption).toMatch(/after 4 years the leader serves nobody on any path, so its price and the price ratio are undefined there\./);
    expect(prices.caption).toMatch(/between years 2 and 3 at a half-life of 1 year; between years 3 and 4 at a half-life of 2 years/);
    expect(share.caption).toMatch(/after 4 years: 1 at a half-life of 1 year, 1 at a half-life of 2 years, against 0\.3 today/);
    // a leader gone from the start
    expect(figures(0, -1).profit.caption).toMatch(/The leader stops serving anyone already today at a half-life of 1 year/);
  });
});
