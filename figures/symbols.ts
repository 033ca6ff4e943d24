// One symbol table for the names a sweep's figures show: scenario paths (`market.fringe.cost`)
// and outputs (`profit`), each as words plus the model's symbol (docs/model.md notation) and,
// when the scenario has `units`, the unit — "Fringe cost c_F (USD per 1M tokens)", "Profit Π".
// Used for axis titles, colour-bar titles and legend entries alike, in SVG, PDF and .tex, so a
// paper never shows a raw identifier in typewriter type. Names not in the table are shown as
// written, as plain upright text (escaped for the label markup and for TeX).

import type { UnitsSpec } from "../engine/scenario/spec-types.js";
import { labelText, texText } from "./escape.js";
import type { Label } from "./types.js";

interface Entry {
  /** words before the symbol ("" for a bare symbol) */
  words: string;
  /** symbol in label markup and in TeX math (without $) */
  sym?: [string, string];
  /** what the quantity is measured in, under `units` */
  unit?: "price" | "money" | "tokens";
  /** shorter words, for an axis too short for `words` with the unit (outputLabel's `compact`) */
  short?: string;
}

const e = (words: string, sym?: [string, string], unit?: Entry["unit"], short?: string): Entry => ({ words, ...(sym ? { sym } : {}), ...(unit ? { unit } : {}), ...(short ? { short } : {}) });

/** Scenario paths a sweep may vary. */
const PATHS: Record<string, Entry> = {
  "technology.sigma": e("Task-token exponent", ["σ", "\\sigma"]),
  "technology.tokens.rho": e("Token substitution", ["ρ", "\\rho"]),
  "technology.fineTuning.gamma": e("Fine-tuning returns", ["γ", "\\gamma"]),
  "technology.fineTuning.rho": e("Fine-tuning substitution", ["ρ̂", "\\hat\\rho"]),
  "technology.fineTuning.b": e("Baseline", ["b", "b"]),
  "technology.aggregate.kappa": e("Cost scale", ["κ", "\\kappa"]),
  "technology.aggregate.gamma": e("Fine-tuning returns", ["γ", "\\gamma"]),
  "market.fringe.cost": e("Fringe cost", ["c_F", "c_F"], "price"),
  "market.leader.cost": e("Leader cost", ["c_L", "c_L"], "price"),
  "market.fringe.gamma": e("Fringe fine-tuning returns", ["γ_F", "\\gamma_F"]),
  "market.leader.gamma": e("Leader fine-tuning returns", ["γ_L", "\\gamma_L"]),
  "market.count": e("Number of tiers", ["N", "N"]),
  "market.bins": e("Task bins", ["M", "M"]),
  "buyers.theta.min": e("Lowest type", ["θ_min", "\\theta_{\\min}"]),
  "buyers.theta.max": e("Highest type", ["θ_max", "\\theta_{\\max}"]),
  "buyers.theta.a": e("Beta shape", ["a", "a"]),
  "buyers.theta.b": e("Beta shape", ["b", "b"]),
  "buyers.theta.rate": e("Rate", ["λ", "\\lambda"]),
  "buyers.theta.mu": e("Log-mean", ["μ", "\\mu"]),
  // (σ_θ, not σ: σ is the task-token exponent, in the same captions; not s, the value–scale share)
  "buyers.theta.sigma": e("Log-sd", ["σ_θ", "\\sigma_\\theta"]),
  "buyers.theta.alpha": e("Pareto exponent", ["α", "\\alpha"]),
};

/** Outputs (scalars of the result). */
const OUTPUTS: Record<string, Entry> = {
  profit: e("Profit", ["Π", "\\Pi"], "money"),
  consumerSurplus: e("Consumer surplus", ["CS", "\\mathit{CS}"], "money"),
  welfare: e("Welfare", ["W", "W"], "money"),
  revenue: e("Revenue", ["R", "R"], "money"),
  cost: e("Cost", undefined, "money"),
  thetaStar: e("Lowest served type", ["θ^*", "\\theta^*"]),
  thetaLow: e("Threshold", ["θ_low", "\\theta_{\\mathrm{low}}"]),
  thetaHigh: e("Threshold", ["θ_high", "\\theta_{\\mathrm{high}}"]),
  thetaSwitch: e("Switch type", ["θ_s", "\\theta_s"]),
  kappa: e("Cost scale", ["κ", "\\kappa"]),
  eta: e("Returns to scale", ["η", "\\eta"]),
  profitShare: e("Share of continuous-menu profit"),
  fringeOnlyShare: e("Fringe-only share"),
  fringeSpendShare: e("Fringe spending share"),
  fringeTokenShare: e("Fringe token share"),
  rentOverOutsideOption: e("Rent over outside option"),
  servedShare: e("Served share"),
  leaderServedShare: e("Leader's served share"),
  // (what it divides, as a symbol: a reviewer's colour bar said "Price ratio" alone)
  priceRatio: e("Price ratio", ["p̄_L/p_F", "\\bar p_L/p_F"]),
  averagePrice: e("Average price per token", undefined, "price", "Average price"),
  leaderAveragePrice: e("Leader's average price per token", undefined, "price", "Leader's price"),
  fringePrice: e("Fringe price per token", undefined, "price", "Fringe price"),
  meanPayment: e("Mean payment", undefined, "money"),
  medianPayment: e("Median payment", undefined, "money"),
  medianPricePerToken: e("Median price per token", undefined, "price", "Median price"),
  taskTokens: e("Task tokens", undefined, "tokens"),
  fineTuningTokens: e("Fine-tuning tokens", undefined, "tokens"),
  contractingGain: e("Value of contracting on tasks", undefined, "money"),
  contractingGainRelative: e("Relative value of contracting on tasks", undefined, undefined, "Relative contracting gain"),
  budgetProfit: e("Profit under token budgets", ["Π_b", "\\Pi_b"], "money"),
  deadweightLoss: e("Deadweight loss", undefined, "money"),
  efficientWelfare: e("Efficient welfare", ["W^e", "W^{e}"], "money"),
  continuousProfit: e("Profit of the continuous menu", undefined, "money", "Continuous-menu profit"),
  eX: e("Unit cost of task tokens", ["e_X", "e_X"]),
  eZ: e("Unit cost of fine-tuning tokens", ["e_Z", "e_Z"]),
  count: e("Tiers asked for", ["N", "N"]),
  tiersOffered: e("Tiers offered"),
  thetaSwitchClosedForm: e("Switch type, closed form", ["θ_e", "\\theta_e"]),
  switchLevel: e("Virtual type at the switch", ["a_e", "a_e"]),
  leaderOnlyShare: e("Leader-only share"),
  leaderTokenShare: e("Leader token share"),
  leaderSpend: e("Leader spending at cost", undefined, "money", "Leader spending"),
  fringeSpend: e("Fringe spending at cost", undefined, "money", "Fringe spending"),
  leaderRevenue: e("Leader's revenue", undefined, "money"),
  fringeRevenue: e("Fringe revenue", undefined, "money"),
  leaderCost: e("Leader's total cost", undefined, "money"),
  fringeCost: e("Fringe total cost", undefined, "money"),
  leaderTaskTokens: e("Leader task tokens", undefined, "tokens"),
  fringeTaskTokens: e("Fringe task tokens", undefined, "tokens"),
  leaderFineTuningTokens: e("Leader fine-tuning tokens", undefined, "tokens"),
  fringeFineTuningTokens: e("Fringe fine-tuning tokens", undefined, "tokens"),
  etaL: e("Leader returns to scale", ["η_L", "\\eta_L"]),
  etaF: e("Fringe returns to scale", ["η_F", "\\eta_F"]),
  thetaLowFormula: e("Threshold by its closed form", ["θ_low", "\\theta_{\\mathrm{low}}"]),
  thetaHighRoot: e("Threshold from its root", ["θ_high", "\\theta_{\\mathrm{high}}"]),
  region2Empty: e("Middle region empty (1 = yes)"),
  lagrangianGap: e("Lagrangian gap relative to profit"),
  optimalityCertified: e("Optimality certified (1 = yes)"),
  dualBound: e("Dual bound on profit", undefined, "money"),
  // (relative to profit, as its symbol says, with B the upper bound on profit: the caption says so;
  // longer words did not fit a plot with a legend below. A reviewer's colour bar said "Optimality
  // gap" alone)
  optimalityGap: e("Optimality gap", ["(B − Π)/Π", "(B - \\Pi)/\\Pi"]),
  budgetConsumerSurplus: e("Consumer surplus under token budgets", undefined, "money", "Budget consumer surplus"),
  budgetWelfare: e("Welfare under token budgets", undefined, "money", "Budget welfare"),
  consumerSurplusChange: e("Change in consumer surplus", ["ΔCS", "\\Delta\\mathit{CS}"], "money"),
  welfareChange: e("Change in welfare", ["ΔW", "\\Delta W"], "money"),
  budgetServedShare: e("Served share under token budgets", undefined, undefined, "Budget served share"),
  bunchedShare: e("Bunched share"),
  budgetBunchedShare: e("Bunched share under token budgets", undefined, undefined, "Budget bunched share"),
  bindingPairs: e("Binding IC pairs"),
  upwardBindingPairs: e("Upward binding IC pairs"),
  nonLocalBindingPairs: e("Non-local binding IC pairs"),
  participationBindingShare: e("Share with binding participation"),
  types: e("Task-profile types"),
  bins: e("Task bins", ["M", "M"]),
};

/** Regime prefixes of a `compare` market's scalars. */
const REGIMES: Record<string, string> = { efficient: "efficient", multiModelMonopoly: "multi-model monopolist", leaderFringe: "leader vs fringe" };

function unitText(kind: Entry["unit"], units: UnitsSpec | undefined, inCurrency: boolean): string | undefined {
  if (!kind) return undefined;
  if (kind === "tokens") return undefined;
  // Without units only the *InCurrency outputs carry a currency; costs are in cost units.
  if (!units || (!inCurrency && kind !== "price")) return undefined;
  if (!inCurrency && units.currencyPerCostUnit !== 1) return undefined;
  const per = `${units.currency} ${perTokens(units.tokens)}`;
  return kind === "price" ? per : units.currency;
}

/**
 * The unit of an axis of a scenario's own figures under `units` (README "Units"), as a suffix of
 * its label: money ("(USD)"; "(cost units; 1 = 2.5 USD)" when a cost unit is not one unit of
 * the currency), a price per token ("(USD per 1M tokens)"), or tokens ("(millions)": a model
 * token stands for units.tokens real ones). The figures plot the model's units; this says what they stand for (a reviewer's
 * menu figures said nothing of the scenario's USD). Empty without `units`.
 */
export function unitSuffix(kind: "money" | "price" | "tokens", units: UnitsSpec | undefined): { text: string; tex: string } {
  if (!units) return { text: "", tex: "" };
  // money and prices as a currency output says them (unitText), after the cost unit's worth when
  // a cost unit is not one unit of the currency
  const inCurrency = kind === "tokens" ? "" : (unitText(kind, units, true) ?? "");
  const cpu = units.currencyPerCostUnit;
  const s = kind === "tokens" ? tokenScale(units.tokens) : cpu === 1 ? inCurrency : `cost units; 1 = ${cpu} ${inCurrency}`;
  return s ? { text: ` (${labelText(s)})`, tex: ` (${texText(s)})` } : { text: "", tex: "" };
}

/** What the scenario's units make of its figures' numbers, for a caption ("" without `units`). */
export function unitsSentence(units: UnitsSpec | undefined): string {
  if (!units) return "";
  const money = units.currencyPerCostUnit === 1 ? `money in ${units.currency}` : `money in cost units of ${units.currencyPerCostUnit} ${units.currency}`;
  const volumes = units.tokens === 1 ? "volumes in tokens" : `volumes in units of ${tokenCount(units.tokens)} tokens`;
  return `Units: ${money}, prices ${perTokens(units.tokens)}, ${volumes}`;
}

/** How many real tokens one of the model's stands for, as an axis says it: "millions", "×500". */
function tokenScale(n: number): string {
  const words: Record<number, string> = { 1: "", 1e3: "thousands", 1e6: "millions", 1e9: "billions" };
  return words[n] ?? `×${tokenCount(n)}`;
}

/** The unit of an `…InCurrency` output under `units` ("USD per 1M tokens" for a price per
 *  token, "USD" for money), or "" (another name, or no units): the terminal's report prints it
 *  after the number. */
export function currencyUnit(name: string, units: UnitsSpec | undefined): string {
  if (!name.endsWith("InCurrency")) return "";
  const entry = OUTPUTS[name.slice(0, -"InCurrency".length)];
  return (entry && unitText(entry.unit, units, true)) ?? "";
}

/** "per 1M tokens"; "per token" for one (not "per 1 tokens", a reviewer's). */
function perTokens(n: number): string {
  return n === 1 ? "per token" : `per ${tokenCount(n)} tokens`;
}

/** 1e6 → "1M", 1000 → "1k", else the shortest decimal. */
function tokenCount(n: number): string {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}

function build(entry: Entry, unit: string | undefined, suffix = ""): Label {
  const [symText, symTex] = entry.sym ?? ["", ""];
  const text = [entry.words, symText].filter((s) => s).join(" ") + labelText(suffix) + (unit ? ` (${labelText(unit)})` : "");
  const tex = [texText(entry.words), symTex ? `$${symTex}$` : ""].filter((s) => s).join(" ") + texText(suffix) + (unit ? ` (${texText(unit)})` : "");
  return { text, tex };
}

/** A raw name as plain upright text (never typewriter type). */
function raw(name: string): Label {
  return { text: labelText(name), tex: texText(name) };
}

/** The names of a scenario's token and fine-tuning classes, in order (for their paths' labels). */
export interface ClassNames {
  tokens?: readonly string[];
  fineTuning?: readonly string[];
}

/** The label of a scenario path (a sweep parameter); `classes`: the scenario's class names, so
 *  that a class's cost reads "Cost of output tokens c_2" rather than "Token cost c_2". */
export function pathLabel(path: string, units?: UnitsSpec, classes?: ClassNames): Label {
  const entry = PATHS[path];
  if (entry) return build(entry, unitText(entry.unit, units, false));
  // token and fine-tuning classes by index: technology.tokens.classes[1].cost
  const cls = /^technology\.(tokens|fineTuning)\.classes\[(\d+)\]\.(cost|alpha)$/.exec(path);
  if (cls) {
    const fine = cls[1] === "fineTuning";
    const k = +cls[2];
    const sym: [string, string] = cls[3] === "cost" ? [fine ? `ĉ_${k + 1}` : `c_${k + 1}`, `${fine ? "\\hat c" : "c"}_{${k + 1}}`] : [`α_${k + 1}`, `\\alpha_{${k + 1}}`];
    const name = (fine ? classes?.fineTuning : classes?.tokens)?.[k];
    const what = name ? `${name} ${fine ? "fine-tuning" : "tokens"}` : undefined;
    const words = cls[3] === "cost" ? (what ? `Cost of ${what}` : `${fine ? "Fine-tuning" : "Token"} cost`) : what ? `Weight of ${what}` : "Weight";
    return build(e(words, sym, cls[3] === "cost" ? "price" : undefined), unitText(cls[3] === "cost" ? "price" : undefined, units, false));
  }
  return raw(path);
}

/** The label of an output (a scalar name, possibly regime-prefixed, per class, or InCurrency);
 *  `compact`: with the entry's shorter words, where it has them (for a short axis). */
export function outputLabel(name: string, units?: UnitsSpec, compact = false): Label {
  const dot = name.indexOf(".");
  if (dot > 0 && REGIMES[name.slice(0, dot)]) {
    const inner = outputLabel(name.slice(dot + 1), units, compact);
    const regime = REGIMES[name.slice(0, dot)];
    return { text: `${inner.text}, ${labelText(regime)}`, tex: `${inner.tex}, ${texText(regime)}` };
  }
  const inCurrency = name.endsWith("InCurrency");
  const base = inCurrency ? name.slice(0, -"InCurrency".length) : name;
  const found = OUTPUTS[base];
  const entry = found && compact && found.short ? { ...found, words: found.short } : found;
  if (entry) return build(entry, unitText(entry.unit, units, inCurrency));
  // per class: taskTokens.input
  const k = base.indexOf(".");
  if (k > 0 && OUTPUTS[base.slice(0, k)]) return build(OUTPUTS[base.slice(0, k)], undefined, ` (${base.slice(k + 1)})`);
  return raw(name);
}

/** The bare symbol of a path or output when it has one ("c_F"), else its label: for legends and captions. */
export function shortLabel(name: string, kind: "path" | "output", classes?: ClassNames): Label {
  const entry = (kind === "path" ? PATHS : OUTPUTS)[name];
  if (entry?.sym) return { text: entry.sym[0], tex: `$${entry.sym[1]}$` };
  return kind === "path" ? pathLabel(name, undefined, classes) : outputLabel(name);
}
