// Menus of token distributions against menus of token budgets (docs/model.md section 4), drawn per
// type against its aggregate type θ(w): the aggregate quality A(Q) = ((1/M) Σ Q_b^(1/σ))^σ of
// each type's item (what a budget of that size would deliver, so the two menus are on one axis)
// and the price it pays. Types are finitely many and need not be ordered by θ, so every type is
// a marker; the lines only join neighbours in θ (dashed against solid tells the menus apart in
// print), and the caption says so: a reviewer read the lines through 6 types as items for the
// types in between, which the menu does not have.

import type { MarketSolution } from "../../solvers/types.js";
import type { Scenario } from "../../engine/scenario/spec-types.js";
import type { FigureSpec } from "../types.js";
import { fmt, scenarioCaption } from "./caption.js";
import { column, scalar } from "./curves.js";
import { L, TYPE_THETA, withUnit } from "./notation.js";

export type DistributionsFigure = "distributions-quality" | "distributions-transfers";

export function distributionsFigure(name: DistributionsFigure, scenario: Scenario, solution: MarketSolution): FigureSpec {
  const th = solution.curves.theta;
  const gain = scalar(solution, "contractingGain");
  const rel = scalar(solution, "contractingGainRelative");
  const gainText = gain === undefined ? "" : `; value of contracting on tasks: profit +${fmt(gain)}${rel === undefined ? "" : ` (+${Number((100 * rel).toPrecision(3))}%)`}`;
  const quality = name === "distributions-quality";
  // (value–scale buyers' aggregate type is θ = w·s^(1−σ), s rounded up to whole bins: not θ(w) of a profile w)
  const theta = "valueScale" in scenario.buyers ? "θ = w·s^(1−σ)" : "θ(w)";
  const [own, bud] = quality ? ["Q", "budgetQ"] : ["t", "budgetT"];
  return {
    name,
    caption: scenarioCaption(
      scenario,
      (quality
        ? `Aggregate quality of each type's item under full contracting (token distributions) and under token budgets, against the type's aggregate type ${theta}`
        : `Price each type pays under full contracting (token distributions) and under token budgets, against its aggregate type ${theta}`) +
        `; dots: the ${th.length} types, lines: only joining neighbours in θ` +
        gainText,
    ),
    x: { label: TYPE_THETA, column: "theta" },
    y: { label: quality ? L("Aggregate quality A(Q)", "Aggregate quality $A(Q)$") : withUnit(L("Price t", "Price $t$"), "money", scenario) },
    series: [
      { name: L("token budgets", "token budgets"), x: th, y: column(solution, bud, name), column: bud, style: "dashed", marker: true },
      { name: L("token distributions", "token distributions"), x: th, y: column(solution, own, name), column: own, style: "solid", marker: true },
    ],
    vlines: [],
  };
}
