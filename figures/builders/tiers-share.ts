// Finite menus (docs/model.md "Finite menus"): the profit of the best N-tier price list as a share
// of the continuous menu's profit, for N = 1…10 — how much a short price list gives up. Each N
// is the scenario solved with market.count = N (scalars only); the scenario's own N is marked,
// and added to the points when it is above 10 (a reviewer's N = 50 was named in the caption's
// "Vertical line" on an axis that stopped at 10.5, with no line drawn).

import type { Scenario } from "../../engine/scenario/spec-types.js";
import type { FigureSpec } from "../types.js";
import { scenarioCaption } from "./caption.js";
import { L } from "./notation.js";
import { num, uncertifiedDots, type FigureData } from "./parameter-sweep.js";

export const TIER_COUNTS = Array.from({ length: 10 }, (_, k) => k + 1);

export function tiersShareFigure(scenario: Scenario, data: FigureData): FigureSpec {
  if (scenario.market.kind !== "tiers") throw new Error(`figure tiers-profit-share needs a tiers market, got ${scenario.market.kind}`);
  const own = scenario.market.count;
  const counts = own > TIER_COUNTS.length ? [...TIER_COUNTS, own] : TIER_COUNTS;
  const last = counts.length - 1;
  const rows = data.sweep("tiers-market.count", scenario, "market.count", counts, ["profitShare"]);
  const share = rows.map((r) => num(r, "profitShare"));
  const lowest = Math.min(...share.filter(Number.isFinite));
  const dots = uncertifiedDots(data, "tiers-market.count", counts, share, "profitShare");
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
  const range = own > TIER_COUNTS.length ? `N = 1 to ${TIER_COUNTS.length} and the scenario's N = ${own}` : `N = 1 to ${TIER_COUNTS.length}`;
  return {
    name: "tiers-profit-share",
    caption: scenarioCaption(
      scenario,
      `Profit of the best menu of N tiers as a share of the profit of the optimal continuous menu of token budgets, ${range}: ${pct(share[0])} with one tier, ${pct(share[1])} with two, ${pct(share[last])} with ${counts[last]}.` +
        (own >= 1 ? ` Vertical line: the scenario's N = ${own}` : ""),
    ),
    x: { label: L("Number of tiers N", "Number of tiers $N$"), column: "N", domain: [0.5, counts[last] + 0.5], integer: true },
    y: { label: L("Share of continuous-menu profit", "Share of continuous-menu profit"), domain: [Math.min(0.9, Math.floor(lowest * 10) / 10), 1] },
    series: [{ name: L("profit share", "profit share"), x: counts, y: share, column: "profitShare", marker: true }, ...dots],
    vlines: own >= 1 ? [{ x: own, label: L(`N = ${own}`, `$N = ${own}$`) }] : [],
    // (a legend only for the dots of points not certified optimal)
    ...(dots.length ? {} : { legend: "none" as const }),
  };
}
