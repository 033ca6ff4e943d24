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
import { L, withUnit } from "./notation.js";
import { LINE_WIDTH_PT } from "../style.js";
import { num, numberAt, type FigureData } from "./parameter-sweep.js";
import { pathLabel } from "../symbols.js";

/** "1 year", "1.55 years" */
const yrs = (v: number): string => `${fmt(v)} year${v === 1 ? "" : "s"}`;

/** A half-life's label without the years it repeats ("mid tier (1.55 years)" → "mid tier"). */
function stripYears(label: string, years: number): string {
  return label.replace(/\s*\(\s*[0-9.]+\s*(?:years?|yrs?|y)\s*\)\s*$/i, (m) => (Math.abs(parseFloat(m.replace(/[^0-9.]/g, "")) - years) <= 0.006 * years ? "" : m)).trim();
}


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
  // "the fringe cost c_F = 0.0418 today, halving every 1.1 years (economy tier) or 1.55 years (mid tier)"
  const cost = pathLabel(d.path, scenario.units).text.replace(/\\(.)/g, "$1");
  const who =
    // (a path without a label of its own is named as written)
    `${cost === d.path ? d.path : `the ${cost.charAt(0).toLowerCase()}${cost.slice(1)}`} = ${fmt(c0)} today, halving every ` +
    paths
      .map((x) => {
        const label = stripYears(x.label, x.halfLife);
        return `${yrs(x.halfLife)}${label ? ` (${label})` : ""}`;
      })
      .join(" or ");
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
  // The value at the horizon on each path; a price is undefined once the leader serves nobody
  // (a gap in its curve), which is said once, not once per path.
  const end = (key: string): string => {
    const parts = paths.map((x) => {
      const v = num(x.rows[x.rows.length - 1], key);
      return Number.isFinite(v) ? `${fmt(v)} at a half-life of ${yrs(x.halfLife)}` : undefined;
    });
    const known = parts.filter((q) => q !== undefined);
    if (known.length === 0) return `undefined on ${paths.length > 1 ? "every path" : "the path"}: the leader serves nobody by then`;
    return known.join(", ") + (known.length < parts.length ? ` (the leader serves nobody by then on the other path${parts.length - known.length > 1 ? "s" : ""})` : "");
  };
  // When the leader stops serving anyone, between two points of the grid (not at the first point
  // that shows it: the grid steps by years / (points − 1)).
  const exits = paths
    .map((x) => {
      const k = x.rows.findIndex((r) => !(num(r, "leaderServedShare") > 0));
      if (k < 0) return undefined;
      return `${k === 0 ? "already today" : `between years ${fmt(years[k - 1])} and ${fmt(years[k])}`} at a half-life of ${yrs(x.halfLife)}`;
    })
    .filter((e) => e !== undefined);
  const exitNote = exits.length ? `. The leader stops serving anyone ${exits.join("; ")}` : "";
  // (the first path's line is drawn wider, so that where two paths coincide both show)
  const widthNote = paths.length > 1 ? `. The curve of the ${stripYears(paths[0].label, paths[0].halfLife) || `${fmt(paths[0].halfLife)}-year half-life`} is drawn wider, so that it shows where the curves coincide` : "";
  switch (name) {
    case "cost-decline-profit":
      return {
        name,
        caption: scenarioCaption(scenario, `The leader's profit as ${who}; after ${yrs(d.years)}: ${end("profit")}, against ${fmt(num(paths[0].rows[0], "profit"))} today${exitNote}${widthNote}`),
        x: { label: YEARS, column: "years" },
        y: { label: withUnit(L("Leader profit", "Leader profit"), "money", scenario) },
        series: curve("profit"),
      };
    case "cost-decline-prices":
      return {
        name,
        caption: scenarioCaption(
          scenario,
          `Prices per task token as ${who}: the leader's volume-weighted average price (solid) and the fringe's price at cost (dashed); ${
            paths.every((x) => !Number.isFinite(num(x.rows[x.rows.length - 1], "leaderAveragePrice")))
              ? `after ${yrs(d.years)} the leader serves nobody on ${paths.length > 1 ? "any path" : "the path"}, so its price and the price ratio are undefined there`
              : `after ${yrs(d.years)} the leader's price is ${end("leaderAveragePrice")}, and the price ratio ${end("priceRatio")}`
          }${exitNote}${widthNote}`,
        ),
        x: { label: YEARS, column: "years" },
        y: { label: withUnit(L("Price per task token", "Price per task token"), "price", scenario), scale: "log" },
        series: [...curve("leaderAveragePrice", ": leader", "solid"), ...curve("fringePrice", ": fringe", "dashed")],
      };
    case "cost-decline-open-share":
      return {
        name,
        caption: scenarioCaption(scenario, `The fringe's (open-weight) share of task tokens as ${who}; after ${yrs(d.years)}: ${end("fringeTokenShare")}, against ${fmt(num(paths[0].rows[0], "fringeTokenShare"))} today${exitNote}${widthNote}`),
        x: { label: YEARS, column: "years" },
        y: { label: L("Open-weight token share", "Open-weight token share"), domain: [0, 1] },
        series: curve("fringeTokenShare"),
      };
  }
}
