// The names of the figures lpe draws and the markets each is drawn for: plain data, so that
// `lpe validate` (and every command, before it writes anything) checks a scenario's
// `figures.only` without loading the figure layer. The builders that draw them are in
// figures/scenario-figures.ts; a test keeps both lists equal.

import type { Problem } from "./economic-checks.js";
import type { MarketSpec, Scenario } from "./spec-types.js";
import { closestNames, didYouMean } from "./closest.js";
import { formatJsonPath } from "./json-path.js";

type Kind = MarketSpec["kind"];

const TWO_MODEL: readonly Kind[] = ["efficient", "multiModelMonopoly", "leaderFringe", "compare"];
const MONOPOLY: readonly Kind[] = ["monopoly"];

/** Every figure lpe draws (by file stem) and the markets it can be drawn for, in catalogue order. */
export const FIGURE_MARKETS: Readonly<Record<string, readonly Kind[]>> = {
  quality: MONOPOLY,
  transfers: MONOPOLY,
  "marginal-price": MONOPOLY,
  markup: MONOPOLY,
  "virtual-type": MONOPOLY,
  "token-budgets": MONOPOLY,
  "value-scale-types": ["monopoly", "tiers"],
  "tiers-quality": ["tiers"],
  "tiers-profit-share": ["tiers"],
  "leader-quantity": TWO_MODEL,
  "fringe-quantity": TWO_MODEL,
  "thresholds-cost": TWO_MODEL,
  "thresholds-gamma": TWO_MODEL,
  "regimes-profit": TWO_MODEL,
  "regimes-consumer-surplus": TWO_MODEL,
  "regimes-welfare": TWO_MODEL,
  "regimes-fringe-share": TWO_MODEL,
  "cost-decline-profit": ["leaderFringe"],
  "cost-decline-prices": ["leaderFringe"],
  "cost-decline-open-share": ["leaderFringe"],
  "calibration-targets": ["monopoly", "tiers", "efficient", "multiModelMonopoly", "leaderFringe", "compare"],
  "distributions-quality": ["tokenDistributions"],
  "distributions-transfers": ["tokenDistributions"],
};

export const FIGURE_NAMES: readonly string[] = Object.keys(FIGURE_MARKETS);

/** What a figure of the scenario's market kind needs beyond it, said where `--only` asked for
 *  it and nothing was drawn ("no figures for market kind monopoly" misled a reviewer), and where
 *  figures.only names calibration-targets or value-scale-types without what it needs (the input
 *  alone decides those two; such a name was dropped silently). */
export const FIGURE_NEEDS: Readonly<Record<string, string>> = {
  "value-scale-types": "needs buyers given by value and scale (buyers.valueScale)",
  "calibration-targets": "needs a calibrate block",
  "virtual-type": "is drawn where the virtual type is ironed (it is monotone here)",
  "token-budgets": "needs token or fine-tuning classes (technology.tokens, technology.fineTuning)",
  "cost-decline-profit": "needs figures.costDecline",
  "cost-decline-prices": "needs figures.costDecline",
  "cost-decline-open-share": "needs figures.costDecline",
  "regimes-profit": "needs a compare market",
  "regimes-consumer-surplus": "needs a compare market",
  "regimes-welfare": "needs a compare market",
  "regimes-fringe-share": "needs a compare market",
  "thresholds-gamma": "needs a compare market",
};

/** True when the scenario's market names both a leader and a fringe. */
export const twoModels = (s: Scenario): boolean => "leader" in s.market && !!s.market.leader && !!s.market.fringe;

/** Figures that can be drawn for this scenario's market (two-model figures need both models:
 *  an `efficient` market may name just one, from `technology`). */
export function availableFigures(s: Scenario): string[] {
  return FIGURE_NAMES.filter((n) => FIGURE_MARKETS[n].includes(s.market.kind) && (FIGURE_MARKETS[n] !== TWO_MODEL || twoModels(s)));
}

/** Problems of `figures.only`: a name that is no figure, or no figure of this market. */
export function figureSelectionProblems(s: Scenario): Problem[] {
  const avail = availableFigures(s);
  const out: Problem[] = [];
  s.figures?.only?.forEach((n, i) => {
    // (figures of the market that this scenario's data cannot give: refused, not dropped silently)
    const lacking = (n === "calibration-targets" && !s.calibrate) || (n === "value-scale-types" && avail.includes(n) && !("valueScale" in s.buyers));
    if (lacking) out.push({ path: `figures.only[${i}]`, message: `"${n}" ${FIGURE_NEEDS[n]}` });
    if (avail.includes(n)) return;
    // (a typo gets the closest name, as the --only flag's does: a reviewer's)
    const known = Object.hasOwn(FIGURE_MARKETS, n) ? `it is not drawn for a ${s.market.kind} market` : `no such figure${didYouMean(closestNames(n, avail))}`;
    out.push({ path: `figures.only[${i}]`, message: `${JSON.stringify(n.length > 60 ? n.slice(0, 60) + "…" : n)}: ${known}; figures for this market: ${avail.join(", ") || "none"}` });
  });
  return out;
}

/**
 * figures.scales sets the scale of a swept path's axis or an output's in the sweep's figures (the
 * only figures it concerns): a key that is neither a path of sweep.params nor a name of
 * sweep.outputs is a typo, said with the path and a "did you mean", never silently ignored.
 */
export function scaleProblems(s: Scenario): Problem[] {
  const scales = s.figures?.scales;
  if (!scales) return [];
  const known = s.sweep ? [...Object.keys(s.sweep.params), ...s.sweep.outputs] : [];
  const out: Problem[] = [];
  for (const key of Object.keys(scales)) {
    if (known.includes(key)) continue;
    out.push({
      path: formatJsonPath(["figures", "scales", key]),
      message: s.sweep
        ? `${JSON.stringify(key.length > 60 ? key.slice(0, 60) + "…" : key)} is neither a swept path nor a sweep output${didYouMean(closestNames(key, known))}; this sweep's: ${known.join(", ")}`
        : "scales apply to a sweep's figures (its swept paths and outputs), and this scenario has no sweep block",
    });
  }
  return out;
}

const FIGURE_FILE = /^([a-z][a-z-]*)\.(?:svg|pdf|tex|csv|caption\.txt)(?:\.\d+\.\d+\.tmp)?$/;

/** True for a file of one of these figures (or its temporary file), e.g. "quality.svg"; false
 *  for other files in a figures folder, such as a sweep's "profit-vs-market.fringe.cost.svg". */
export function isScenarioFigureFile(fileName: string, among: readonly string[] = FIGURE_NAMES): boolean {
  const m = FIGURE_FILE.exec(fileName);
  return m !== null && among.includes(m[1]);
}
