// The model's symbols as figure labels, written once so every figure names a quantity the
// same way (Unicode markup for SVG/PDF, LaTeX for pgfplots), in the slides' notation.

import type { Scenario } from "../../engine/scenario/spec-types.js";
import { unitSuffix } from "../symbols.js";
import type { Label } from "../types.js";

export const L = (text: string, tex: string): Label => ({ text, tex });

/** A label with the unit the scenario's `units` give its quantity (symbols.ts unitSuffix). */
export function withUnit(label: Label, kind: "money" | "price" | "tokens", scenario: Pick<Scenario, "units">): Label {
  const u = unitSuffix(kind, scenario.units);
  return u.text ? { text: label.text + u.text, tex: label.tex + u.tex } : label;
}

export const TYPE_THETA = L("Type θ", "Type $\\theta$");
export const THETA_STAR = L("θ^*", "$\\theta^*$");
// θ_low and θ_high are written alike in every format (the slides' under- and overbars would
// not survive SVG text, and one notation across SVG, PDF and .tex avoids two names for a symbol).
export const THETA_LOW = L("θ_low", "$\\theta_{\\mathrm{low}}$");
export const THETA_HIGH = L("θ_high", "$\\theta_{\\mathrm{high}}$");
export const THETA_EFFICIENT = L("θ_e", "$\\theta_e$");
export const THETA_MULTI = L("θ_m", "$\\theta_m$");

/** Regime names as used in legends (docs/model.md 3a–3c). */
export const REGIME_LABEL = {
  efficient: L("efficient", "efficient"),
  multiModelMonopoly: L("multi-model monopolist", "multi-model monopolist"),
  leaderFringe: L("leader vs fringe", "leader vs fringe"),
} as const;

export type RegimeName = keyof typeof REGIME_LABEL;
/** Legend order, hence colour: the leader–fringe equilibrium (the slides' focus) first; the
 *  short "efficient" second, which lets a legend below the plot fit in two columns. */
export const REGIME_ORDER: readonly RegimeName[] = ["leaderFringe", "efficient", "multiModelMonopoly"];
/** One look per regime in every figure; solid for the equilibrium, the benchmarks dashed on top. */
export const REGIME_STYLE = { leaderFringe: "solid", efficient: "dashed", multiModelMonopoly: "dashdot" } as const;
