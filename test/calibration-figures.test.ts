// The calibration figures' labels (figures/builders/calibration.ts): a profile's x axis is the
// parameter's label with its symbol and unit (as a sweep's), the fit's legend names each target
// by its label, not its identifier, and stands below the plot (a long label does not squeeze it).
import { describe, expect, it } from "vitest";
import { calibrationFitFigure, profileFigure } from "../figures/builders/calibration.js";
import { parseScenario } from "../engine/scenario/load.js";
import { figureTable } from "../figures/csv.js";

const scenario = parseScenario({
  name: "cal",
  buyers: { theta: { dist: "uniform", min: 0, max: 1 } },
  technology: { sigma: 0.5 },
  market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } },
  units: { currency: "USD" },
});

const data = {
  params: { "market.fringe.cost": 0.107 },
  targets: { fringeTokenShare: { observed: 0.3, fitted: 0.3 }, medianPricePerTokenInCurrency: { observed: 0.73, fitted: 0.73 } },
  objective: 1e-20,
  profiles: { "market.fringe.cost": { values: [0.05, 0.1, 0.2], objective: [0.5, 0.01, 0.4], mode: "the only free parameter" } },
  logParams: [],
} as never;

describe("calibration figures", () => {
  it("label a profile's axis like a sweep's: symbol and unit", () => {
    const f = profileFigure(scenario, data, "market.fringe.cost")!;
    expect(f.x.label.text).toBe("Fringe cost c_F (USD per 1M tokens)");
  });

  it("name each target by its label in the legend, below the plot", () => {
    const f = calibrationFitFigure(scenario, data);
    expect(f.series.map((s) => s.name.text)).toEqual(["Fringe token share", "Median price (USD per 1M tokens)", "fitted = observed"]);
    expect(f.legend).toBe("bottom");
    // the caption names the targets in words, as a paper would (a reviewer's); the figure's CSV
    // keeps the identifiers a reader looks up in calibration.json, as its columns' names
    expect(f.caption).toMatch(/fringe token share: observed 0\.3/);
    expect(f.caption).not.toContain("fringeTokenShare");
    expect(figureTable(f).header).toEqual(expect.arrayContaining(["fringeTokenShare"]));
  });
});
