// Figure captions: what the figure shows, then the scenario that produced it — name, σ, the
// technology (token classes and costs, or γ and c of each model), the type distribution —
// and the engine version, so a figure pasted into a paper can always be traced and redrawn.

import type { DistSpec, FineTuningSpec, MarketSpec, ModelSpec, Scenario, TechnologySpec } from "../../engine/scenario/spec-types.js";
import { unitsSentence } from "../symbols.js";

/** A parameter as written in a caption: at most 6 significant digits, no trailing zeros; NaN
 *  marks a swept parameter in a sweep figure's caption ("γ_F = swept"). */
export function fmt(x: number): string {
  if (Number.isNaN(x)) return "swept";
  return String(Number(x.toPrecision(6)));
}

const list = (xs: readonly number[]) => xs.map(fmt).join(", ");

/** One distribution in words, e.g. "U[0, 1]", "Beta(2, 5) on [0, 1]". */
/** A label's plain text inside a sentence: markup escapes read as their characters, and lower
 *  case first ("against fringe cost c_F", not "Fringe cost"; an acronym, "IC pairs", keeps its
 *  capitals). */
export const inSentence = (l: { text: string }): string => l.text.replace(/\\(.)/g, "$1").replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());

export function describeDist(d: DistSpec, v = "θ"): string {
  switch (d.dist) {
    case "uniform":
      return `U[${fmt(d.min)}, ${fmt(d.max)}]`;
    case "beta":
      return `Beta(${fmt(d.a)}, ${fmt(d.b)}) on [${fmt(d.min)}, ${fmt(d.max)}]`;
    case "truncExponential":
      return `exponential (rate ${fmt(d.rate)}) truncated to [${fmt(d.min)}, ${fmt(d.max)}]`;
    case "truncLognormal":
      // (σ_w for the law of w: a reviewer read σ_θ under "w ~")
      return `lognormal (μ ${fmt(d.mu)}, σ_${v} ${fmt(d.sigma)}) truncated to [${fmt(d.min)}, ${fmt(d.max)}]`;
    case "truncPareto":
      return `Pareto (α ${fmt(d.alpha)}) truncated to [${fmt(d.min)}, ${fmt(d.max)}]`;
    case "discrete":
      return d.values.length <= DISCRETE_LISTED ? `discrete on {${list(d.values)}} with probabilities {${list(d.probs)}}` : describeAtoms(d.values, d.probs);
    case "mixture":
      return `mixture ${d.components.map((c, k) => `${fmt(d.weights[k])}·${describeDist(c, v)}`).join(" + ")}`;
    case "expression":
      return `density ∝ ${d.density} on [${fmt(d.min)}, ${fmt(d.max)}]`;
  }
}

/** Atoms a caption lists one by one; beyond, it summarizes them (a reviewer's caption of 300
 *  atoms ran to 7 KB). */
const DISCRETE_LISTED = 12;

/** n atoms in words: their range, mean and standard deviation, and whether they are equally likely. */
function describeAtoms(values: readonly number[], probs: readonly number[]): string {
  const total = probs.reduce((a, b) => a + b, 0);
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += (probs[i] / total) * values[i];
  let variance = 0;
  for (let i = 0; i < values.length; i++) variance += (probs[i] / total) * (values[i] - mean) ** 2;
  const equal = probs.every((p) => Math.abs(p - probs[0]) <= 1e-12 * Math.abs(probs[0]));
  // (by a loop: Math.min(...values) spreads up to 100,000 atoms into one call's arguments)
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return `discrete, ${values.length} ${equal ? "equally likely " : ""}atoms on [${fmt(lo)}, ${fmt(hi)}] (mean ${fmt(mean)}, standard deviation ${fmt(Math.sqrt(variance))}; the scenario file lists them)`;
}

export function describeBuyers(s: Scenario): string {
  const b = s.buyers;
  if ("theta" in b) return `θ ~ ${describeDist(b.theta)}`;
  if ("valueScale" in b) return `value–scale types w ~ ${describeDist(b.valueScale.w, "w")}, s ~ ${describeDist(b.valueScale.s, "s")} independent, θ = w·s^(1−σ)`;
  const p = b.profiles;
  if (p.kind === "list") return `${p.weights.length} listed task-weight profiles on ${p.weights[0]?.length ?? 0} task bins`;
  return `${p.samples} sampled task-weight profiles (${p.kind}, ${p.tasks} task bins, seed ${s.seed})`;
}

function describeFineTuning(f: FineTuningSpec): string {
  switch (f.kind) {
    case "none":
      return "no fine-tuning";
    case "ces":
      return `CES fine-tuning γ = ${fmt(f.gamma)}, ρ̂ = ${fmt(f.rho)} (${f.classes.map((c) => `${c.name} ĉ = ${fmt(c.cost)}`).join(", ")})`;
    case "baseline":
      return `fine-tuning (b + z)^γ with b = ${fmt(f.b)}, γ = ${fmt(f.gamma)} (${f.classes.map((c) => `${c.name} ĉ = ${fmt(c.cost)}`).join(", ")})`;
    case "baselinePerClass":
      return `fine-tuning ∏_k (b_k + z_k)^γ_k (${f.classes.map((c) => `${c.name}: b = ${fmt(c.b)}, γ = ${fmt(c.gamma)}, ĉ = ${fmt(c.cost)}`).join("; ")})`;
  }
}

function describeTechnology(t: Omit<TechnologySpec, "sigma">): string {
  if (t.aggregate) return `C(Q) = κQ^(1/(σ+γ)) with κ = ${fmt(t.aggregate.kappa)}, γ = ${fmt(t.aggregate.gamma)}`;
  const parts: string[] = [];
  if (t.tokens) {
    const cls = t.tokens.classes.map((c) => `${c.name} α = ${fmt(c.alpha)}, c = ${fmt(c.cost)}`).join("; ");
    parts.push(`task tokens ρ = ${fmt(t.tokens.rho)} (${cls})`);
  }
  parts.push(describeFineTuning(t.fineTuning));
  return parts.join(", ");
}

function describeModel(m: ModelSpec, sub: string): string {
  if ("technology" in m) return `model ${sub}: ${describeTechnology(m.technology)}`;
  return `γ_${sub} = ${fmt(m.gamma)}, c_${sub} = ${fmt(m.cost)}`;
}

function describeMarket(m: MarketSpec): string {
  switch (m.kind) {
    case "monopoly":
      return "monopoly menu of token budgets";
    case "tiers":
      return `best menu of ${m.count} tier${m.count === 1 ? "" : "s"}`;
    case "efficient":
      return m.leader && m.fringe ? `efficient allocation, ${describeModel(m.leader, "L")}; ${describeModel(m.fringe, "F")}` : "efficient allocation";
    case "multiModelMonopoly":
      return `multi-model monopolist, ${describeModel(m.leader, "L")}; ${describeModel(m.fringe, "F")}`;
    case "leaderFringe":
      return `leader vs competitive fringe, ${describeModel(m.leader, "L")}; ${describeModel(m.fringe, "F")}`;
    case "compare":
      return `${describeModel(m.leader, "L")}; ${describeModel(m.fringe, "F")}`;
    case "tokenDistributions":
      return `menus of token distributions on ${m.bins} task bins against token budgets`;
  }
}

/** The scenario's parameters in one clause: σ, technology, market, types. */
export function describeScenario(s: Scenario): string {
  const several = ["multiModelMonopoly", "leaderFringe", "compare"].includes(s.market.kind) || (s.market.kind === "efficient" && !!s.market.leader);
  const tech = several ? "" : `, ${describeTechnology(s.technology)}`;
  return `σ = ${fmt(s.technology.sigma)}${tech}; ${describeMarket(s.market)}; ${describeBuyers(s)}`;
}

/**
 * The full caption: `what` (a sentence on what is drawn), the scenario's own caption text if it
 * has one, then its name and parameters and the engine version.
 */
export function scenarioCaption(s: Scenario, what: string): string {
  const own = s.figures?.caption?.trim();
  const lead = what.trim().replace(/[.]$/, "");
  const units = unitsSentence(s.units);
  return `${lead}.${own ? ` ${own.replace(/[.]$/, "")}.` : ""} Scenario ${s.name}: ${describeScenario(s)}.${units ? ` ${units}.` : ""}`;
}

/**
 * The gaps between a mixture's components (open intervals no component's support reaches), from
 * the law as written: exact, also where narrower than the grid's spacing (a reviewer's gap of
 * 0.001 between U[0.2, 0.75] and U[0.751, 1] went unmentioned when only the grid was read).
 * Components with weight 0 count for nothing; a law that is not a mixture has none here.
 */
export function lawGaps(d: DistSpec): [number, number][] {
  if (d.dist !== "mixture") return [];
  const pieces: [number, number][] = [];
  const collect = (x: DistSpec, w: number) => {
    if (!(w > 0)) return;
    if (x.dist === "mixture") x.components.forEach((c, k) => collect(c, x.weights[k]));
    else if (x.dist === "discrete") {
      // (by a loop: a law may list 100,000 atoms, too many for Math.min's arguments)
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of x.values) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      pieces.push([lo, hi]);
    }
    else pieces.push([x.min, x.max]);
  };
  collect(d, 1);
  pieces.sort((a, b) => a[0] - b[0]);
  const gaps: [number, number][] = [];
  let reach = pieces.length ? pieces[0][1] : 0;
  for (const [a, b] of pieces.slice(1)) {
    if (a > reach) gaps.push([reach, a]);
    reach = Math.max(reach, b);
  }
  return gaps;
}

/**
 * "No types in (0.75, 0.8) (a gap of the law's support): the lines break there": the law's own
 * gaps (lawGaps, exact), and any other run of grid types without density (supportGaps: a formula
 * density that vanishes inside its support), those to the grid's resolution. "" for none.
 */
export function supportGapSentence(law: DistSpec | undefined, gridGaps: readonly [number, number][]): string {
  const exact = law ? lawGaps(law) : [];
  const other = gridGaps.filter(([a, b]) => !exact.some(([x, y]) => a >= x && b <= y));
  if (exact.length + other.length === 0) return "";
  const r = (x: number) => fmt(Number(x.toPrecision(3)));
  const parts = [
    ...exact.map(([a, b]) => `in (${fmt(a)}, ${fmt(b)})`),
    ...other.map(([a, b]) => (a === b ? `around ${r(a)}` : `in [${r(a)}, ${r(b)}]`) + " (to the grid's resolution)"),
  ];
  const n = parts.length;
  return `No types ${parts.join(", ")} (${n > 1 ? "gaps" : "a gap"} of the law's support): ${gridGaps.length > 0 ? "the lines break there" : "narrower than the grid's spacing, so the lines do not show it"}`;
}
