// Counterfactual figures of a falling cost (the scenario's `figures.costDecline`): what happens to
// the leader's profit, the prices per task token and the open-weight (fringe) token share as a
// cost — by default the fringe's c_F — keeps falling at given half-lives, with everything else
// held at the scenario's values. Time t (years) maps to the cost c(t) = c(0)·2^(−t/half-life);
// each half-life is one curve, and the market is re-solved at every point (scalars only).
//   cost-decline-profit      the leader's profit;
//   cost-decline-prices      the leader's average price per task token (solid) and the
//                            fringe's price per task token (dashed), log scale;
//   cost-decline-open-share  the fringe's share of task tokens.

import type { Scenario } from "../../engine/scenario/spec-types.js";
import { labelText, texText } from "../escape.js";
import type { FigureSpec, Series } from "../types.js";
import { fmt, scenarioCaption } from "./caption.js";
import { L } from "./notation.js";
import { LINE_WIDTH_PT } from "../style.js";
import { num, numberAt, type FigureData } from "./parameter-sweep.js";

export const COST_DECLINE_FIGURES = ["cost-decline-profit", "cost-decline-prices", "cost-decline-open-share"] as const;
export type CostDeclineFigure = (typeof COST_DECLINE_FIGURES)[number];

const YEARS = L("Years from now", "Years from now");

/** Years and, per half-life, the scalars along the path of the falling cost. */
/** What the figures read at each point of a path. */
const DECLINE_OUTPUTS = ["profit", "leaderAveragePrice", "fringePrice", "priceRatio", "fringeTokenShare", "leaderServedShare"] as const;

function declinePaths(scenario: Scenario, data: FigureData) {
  const d = scenario.figures?.costDecline;
  if (!d) return undefined;
  const c0 = numberAt(scenario, d.path);
  const years = Array.from({ length: d.points }, (_, i) => (d.years * i) / (d.points - 1));
  const paths = d.halfLives.map((h, k) => ({ label: h.label, halfLife: h.years, rows: data.sweep(`cost-decline-${k + 1}`, scenario, d.path, years.map((t) => c0 * Math.pow(2, -t / h.years)), DECLINE_OUTPUTS) }));
  return { d, c0, years, paths };
}

export function costDeclineFigure(name: CostDeclineFigure, scenario: Scenario, data: FigureData): FigureSpec | undefined {
  const p = declinePaths(scenario, data);
  if (!p) return undefined;
  const { d, c0, years, paths } = p;
  const who = `${d.path} = ${fmt(c0)} today, halving every ${paths.map((x) => `${fmt(x.halfLife)} years`).join(" or ")} (${paths.map((x) => x.label).join(", ")})`;
  // Paths of different half-lives can coincide (the leader's price does not move with the
  // fringe's cost while the fringe does not bind): the first is drawn wider, so that the next,
  // drawn on top of it, leaves it showing on both sides.
  const curve = (key: string, suffix = "", style?: Series["style"]) =>
    paths.map((x, k) => ({
      name: L(`${labelText(x.label)}${suffix}`, `${texText(x.label)}${suffix}`),
      x: years,
      y: x.rows.map((r) => num(r, key)),
      column: `${key}_${x.label.replace(/[^A-Za-z0-9]+/g, "_")}`,
      ...(style ? { style } : {}),
      ...(k === 0 && paths.length > 1 ? { width: 2.6 * LINE_WIDTH_PT } : {}),
    }));
  const last = (x: (typeof paths)[number], key: string) => {
    const v = num(x.rows[x.rows.length - 1], key);
    return Number.isFinite(v) ? fmt(v) : "none (the leader serves nobody)";
  };
  const end = (key: string) => paths.map((x) => `${last(x, key)} at ${fmt(x.halfLife)} years`).join(", ");
  // When the leader stops serving anyone (its price is then undefined: a gap in the curve).
  const exits = paths
    .map((x) => {
      const k = x.rows.findIndex((r) => !(num(r, "leaderServedShare") > 0));
      return k < 0 ? undefined : `from year ${fmt(years[k])} at a half-life of ${fmt(x.halfLife)} years`;
    })
    .filter((e) => e !== undefined);
  const exitNote = exits.length ? `. The leader serves nobody (${exits.join("; ")})` : "";
  switch (name) {
    case "cost-decline-profit":
      return {
        name,
        caption: scenarioCaption(scenario, `The leader's profit as ${who}; after ${fmt(d.years)} years: ${end("profit")}, against ${fmt(num(paths[0].rows[0], "profit"))} today${exitNote}`),
        x: { label: YEARS, column: "years" },
        y: { label: L("Leader profit", "Leader profit") },
        series: curve("profit"),
      };
    case "cost-decline-prices":
      return {
        name,
        caption: scenarioCaption(
          scenario,
          `Prices per task token as ${who}: the leader's volume-weighted average price (solid) and the fringe's price at cost (dashed); after ${fmt(d.years)} years the leader's is ${end("leaderAveragePrice")} and the price ratio ${end("priceRatio")}${exitNote}`,
        ),
        x: { label: YEARS, column: "years" },
        y: { label: L("Price per task token", "Price per task token"), scale: "log" },
        series: [...curve("leaderAveragePrice", ": leader", "solid"), ...curve("fringePrice", ": fringe", "dashed")],
      };
    case "cost-decline-open-share":
      return {
        name,
        caption: scenarioCaption(scenario, `The fringe's (open-weight) share of task tokens as ${who}; after ${fmt(d.years)} years: ${end("fringeTokenShare")}, against ${fmt(num(paths[0].rows[0], "fringeTokenShare"))} today${exitNote}`),
        x: { label: YEARS, column: "years" },
        y: { label: L("Open-weight token share", "Open-weight token share"), domain: [0, 1] },
        series: curve("fringeTokenShare"),
      };
  }
}
