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
import { LINE_WIDTH_PT } from "../style.js";

const STYLE_WORDS: Record<string, string> = { solid: "solid", dashed: "dashed", dashdot: "dash-dotted", dotted: "dotted" };

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

/** Whether two curves are the same at every point drawn (to 1e-9 of the larger magnitude; both
 *  missing counts as the same): one line then hides the other. */
export function coincide(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  let any = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (!(Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y), 1e-300))) return false;
    any = true;
  }
  return any;
}

export function regimeFigure(name: RegimeFigure, scenario: Scenario, data: FigureData): FigureSpec {
  const m = MEASURES[name];
  const sw = sweepRegimes(data, scenario, FRINGE_COST, SWEEP_POINTS);
  const x = sw.values;
  const ys = REGIME_ORDER.map((r) => sw.scalars[r].map((s) => num(s, m.scalar)));
  // Two markets with the same values at every c_F drawn (the efficient allocation and the
  // multi-model monopolist's fringe share, with uniform types: the monopolist gives each type
  // its efficient model choice at h(θ) = 2θ − 1, a reviewer's): the earlier one's line is drawn
  // wider, so that the later one, on top, leaves it visible, and the caption says so
  const wide = new Set<number>();
  const same: string[] = [];
  for (let i = 0; i < ys.length; i++) {
    for (let j = i + 1; j < ys.length; j++) {
      if (!coincide(ys[i], ys[j])) continue;
      wide.add(i);
      const [a, b] = [REGIME_ORDER[i], REGIME_ORDER[j]];
      same.push(`The "${REGIME_LABEL[a].text}" and "${REGIME_LABEL[b].text}" curves coincide at every c_F drawn (to 1e-9): the ${STYLE_WORDS[REGIME_STYLE[b]]} line lies on the ${STYLE_WORDS[REGIME_STYLE[a]]} one, drawn wider`);
    }
  }
  const sameText = same.map((x) => `. ${x}`).join("");
  return {
    name,
    caption: scenarioCaption(
      scenario,
      `${m.words}${sameText}. Vertical line: the scenario's c_F = ${fmt(sw.base)}; all other parameters as in the scenario`,
    ),
    x: { label: pathLabel("market.fringe.cost", scenario.units), column: "cF" },
    y: { label: m.scalar === "fringeSpendShare" ? m.label : withUnit(m.label, "money", scenario) },
    series: [
      ...REGIME_ORDER.map((r, i) => ({
        name: REGIME_LABEL[r],
        x,
        y: ys[i],
        column: r,
        style: REGIME_STYLE[r],
        ...(wide.has(i) ? { width: 2.2 * LINE_WIDTH_PT } : {}),
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
