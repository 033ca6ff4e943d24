// The three market structures compared against the fringe's cost c_F (docs/model.md 3a–3c):
// seller profit, consumer surplus (the fringe outside option included), total welfare, and the
// fringe model's share of token spending, for the efficient allocation, the multi-model
// monopolist and the leader facing a competitive fringe, all on the same two models and types.

import type { Scenario } from "../../engine/scenario/spec-types.js";
import type { FigureSpec, Label } from "../types.js";
import { fmt, scenarioCaption } from "./caption.js";
import { L, REGIME_LABEL, REGIME_ORDER, REGIME_STYLE, withUnit } from "./notation.js";
import { num, uncertifiedDotsOnLines, type FigureData } from "./parameter-sweep.js";
import { pathLabel } from "../symbols.js";
import { FRINGE_COST, SWEEP_POINTS, sweepRegimes } from "./regime-sweep.js";

export const REGIME_FIGURES = ["regimes-profit", "regimes-consumer-surplus", "regimes-welfare", "regimes-fringe-share"] as const;
export type RegimeFigure = (typeof REGIME_FIGURES)[number];

const ALL = "for the leader facing a competitive fringe, the efficient allocation and the multi-model monopolist";
const MEASURES: Record<RegimeFigure, { scalar: string; label: Label; words: string }> = {
  "regimes-profit": {
    scalar: "profit",
    label: L("Seller profit", "Seller profit"),
    words: "Seller profit against the fringe's cost c_F, for the leader facing a competitive fringe, the efficient allocation (zero: marginal-cost pricing) and the multi-model monopolist",
  },
  "regimes-consumer-surplus": {
    scalar: "consumerSurplus",
    label: L("Consumer surplus", "Consumer surplus"),
    words: `Consumer surplus ∫U f (the fringe's value as an outside option included) against the fringe's cost c_F, ${ALL}`,
  },
  "regimes-welfare": {
    scalar: "welfare",
    label: L("Total welfare", "Total welfare"),
    words: `Total welfare, profit plus consumer surplus net of both models' token costs, against the fringe's cost c_F, ${ALL}`,
  },
  "regimes-fringe-share": {
    scalar: "fringeSpendShare",
    label: L("Fringe spending share", "Fringe spending share"),
    words: `Share of token spending (at cost) on the fringe's model, cheaper and not fine-tunable, against the fringe's cost c_F, ${ALL}`,
  },
};

export function regimeFigure(name: RegimeFigure, scenario: Scenario, data: FigureData): FigureSpec {
  const m = MEASURES[name];
  const sw = sweepRegimes(data, scenario, FRINGE_COST, SWEEP_POINTS);
  const x = sw.values;
  return {
    name,
    caption: scenarioCaption(
      scenario,
      `${m.words}. Vertical line: the scenario's c_F = ${fmt(sw.base)}; all other parameters as in the scenario`,
    ),
    x: { label: pathLabel("market.fringe.cost", scenario.units), column: "cF" },
    y: { label: m.scalar === "fringeSpendShare" ? m.label : withUnit(m.label, "money", scenario) },
    series: [
      ...REGIME_ORDER.map((r) => ({
        name: REGIME_LABEL[r],
        x,
        y: sw.scalars[r].map((s) => num(s, m.scalar)),
        column: r,
        style: REGIME_STYLE[r],
      })),
      // points of a market not certified optimal, dotted on its line (as a sweep's figures do)
      ...uncertifiedDotsOnLines(
        data,
        `compare-${FRINGE_COST.path}`,
        x,
        REGIME_ORDER.map((r) => ({ y: sw.scalars[r].map((s) => num(s, m.scalar)), part: r })),
        m.scalar,
      ),
    ],
    vlines: [{ x: sw.base, label: L(`c_F = ${fmt(sw.base)}`, `$c_F = ${fmt(sw.base)}$`) }],
  };
}
