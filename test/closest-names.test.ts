// "Did you mean" for result names (engine/scenario/closest.ts closestNames): a typo gets the
// nearest name by edit distance; an abbreviation that drops a word gets every name with all the
// words typed; a sweep names them in its message.
import { describe, expect, it } from "vitest";
import { closestNames, didYouMean } from "../engine/scenario/closest.js";
import { makeSweepContext } from "../workers/sweep-point.js";
import { sweepNameProblems } from "../workers/sweep-outputs.js";

const LF = ["profit", "thetaLow", "thetaHigh", "fringeOnlyShare", "fringeSpend", "leaderSpend", "fringeSpendShare", "leaderTokenShare", "fringeTokenShare", "servedShare"];

describe("closestNames", () => {
  it("gives the nearest name for a typo, and every name with the words of an abbreviation", () => {
    expect(closestNames("proift", LF)).toEqual(["profit"]);
    expect(closestNames("thetaHihg", LF)).toEqual(["thetaHigh"]);
    expect(closestNames("fringeShare", LF)).toEqual(["fringeOnlyShare", "fringeSpendShare", "fringeTokenShare"]);
    expect(closestNames("leader_share", LF)).toEqual(["leaderTokenShare"]);
    // one word is not enough to go on, and unrelated words give nothing
    expect(closestNames("share", LF)).toEqual([]);
    expect(closestNames("consumerWelfare", LF)).toEqual([]);
    expect(closestNames("fringeShare", LF, 2)).toEqual(["fringeOnlyShare", "fringeSpendShare"]);
  });

  it("says it in a sentence", () => {
    expect(didYouMean([])).toBe("");
    expect(didYouMean(["profit"])).toBe(' (did you mean "profit"?)');
    expect(didYouMean(["a", "b"])).toBe(' (did you mean one of "a", "b"?)');
  });

  it("names the candidates in a sweep's message for an unknown output", () => {
    const raw = {
      name: "names",
      buyers: { theta: { dist: "uniform", min: 0, max: 1 } },
      technology: { sigma: 0.5 },
      market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } },
      sweep: { params: { "market.fringe.cost": { values: [0.1, 0.2] } }, outputs: ["profit", "fringeShare"] },
    };
    const problems = sweepNameProblems(makeSweepContext({ raw, outputs: raw.sweep.outputs, curves: [] }));
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe("sweep.outputs[1]");
    expect(problems[0].message).toMatch(/^unknown output "fringeShare" \(did you mean one of "fringeOnlyShare", "fringeSpendShare", "fringeTokenShare"\?\); the leaderFringe market has: /);
  });
});
