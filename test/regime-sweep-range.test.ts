// The thresholds and regime figures sweep a model parameter over a range that covers the
// scenario's own value (figures/builders/regime-sweep.ts). A value beyond the usual range left
// one long step between the grid's end and the value, which the figures took for a jump: a
// break, with the other lines interpolated half-way — numbers in the CSV that no solve gave (a
// clean-clone reviewer's γ_L = 0.49 beyond the usual 0.45, and c_F = 0.5 beyond c_L = 0.3).
// Checked in planning mode (the figure layer's requests, nothing solved): the grid reaches the
// value, and its steps are even (no step longer than 1.01 of the usual one).
import { describe, expect, it } from "vitest";
import { parseScenario } from "../engine/scenario/load.js";
import { FigureData } from "../figures/builders/parameter-sweep.js";
import { FRINGE_COST, LEADER_GAMMA, SWEEP_POINTS, sweepRegimes, type SweptParameter } from "../figures/builders/regime-sweep.js";

function scenario(gammaL: number, cF: number) {
  return parseScenario(
    {
      name: "range",
      buyers: { theta: { dist: "uniform", min: 0, max: 1 } },
      technology: { sigma: 0.5 },
      market: { kind: "compare", leader: { gamma: gammaL, cost: 0.3 }, fringe: { gamma: 0, cost: cF } },
    },
    { figures: false },
  );
}

function steps(values: readonly number[]): number[] {
  return values.slice(1).map((v, i) => v - values[i]);
}

describe("the regime sweep's range covers the scenario's own value", () => {
  const cases: [string, SweptParameter, number, number, number][] = [
    ["γ_L = 0.49 beyond 0.9·(1 − σ) = 0.45", LEADER_GAMMA, 0.49, 0.2, 0.49],
    ["c_F = 0.5 beyond c_L = 0.3", FRINGE_COST, 0.3, 0.5, 0.5],
    ["c_F = 0.01 below c_L/10 = 0.03", FRINGE_COST, 0.3, 0.01, 0.01],
  ];
  it.each(cases)("%s: the grid reaches it with even steps", (_name, param, gammaL, cF, own) => {
    const sw = sweepRegimes(new FigureData(), scenario(gammaL, cF), param, SWEEP_POINTS);
    expect(sw.base).toBe(own);
    expect(sw.values).toContain(own);
    expect(Math.min(...sw.values) <= own && own <= Math.max(...sw.values)).toBe(true);
    const st = steps(sw.values);
    const usual = (Math.max(...sw.values) - Math.min(...sw.values)) / (SWEEP_POINTS - 1);
    expect(Math.max(...st), `steps ${st.map((x) => x.toPrecision(3)).join(" ")}`).toBeLessThan(1.01 * usual);
  });

  it("a value inside the usual range leaves the range as it was (P2: c_F = 0.2 in [0.03, 0.3])", () => {
    const sw = sweepRegimes(new FigureData(), scenario(0.3, 0.2), FRINGE_COST, SWEEP_POINTS);
    expect(Math.min(...sw.values)).toBeCloseTo(0.03, 12);
    expect(Math.max(...sw.values)).toBeCloseTo(0.3, 12);
    expect(sw.values).toContain(0.2);
  });
});
