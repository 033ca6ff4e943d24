// Size limits of a scenario (README "Limits"): every accepted input must solve in time and memory
// roughly proportional to its size, so anything that would not is refused up front, with its
// JSON path, the limit and the reason (exit 2), instead of running out of memory or for hours.
//
// Two kinds of checks live here:
//   - `rawSizeProblems` runs on the parsed JSON before the schema (after nesting.ts has bounded
//     its depth): text and field-name lengths and array lengths. It is a single iterative walk,
//     so a 10 MB string costs one pass, and later messages (which quote the input) never meet
//     a huge string; the file's size is checked before it is read (load.ts);
//   - `sizeProblems` runs on a structurally valid scenario: counts (grid points, atoms, samples,
//     token classes, mixture components) and the estimated work of the solve (below).
//
// Work estimate. The solvers' cost is (number of evaluations of the type distribution) × (cost of
// one evaluation). One evaluation of a closed-form law (uniform, beta, truncated exponential,
// lognormal, Pareto) is the unit; a formula density costs EXPRESSION_COST plus 0.03 per operation
// of its formula (formulaCost: each evaluation runs the formula, and its F a series or a short
// integral over one of its panels), a mixture the sum of its components, value–scale types with continuous
// w and s VALUE_SCALE_COST × (cost of w + cost of s) (an integral over s of F_w per evaluation), a
// discrete share or value the number of its atoms × the other's cost. The number of evaluations
// is about EVALS_PER_POINT per grid type plus a fixed part per market (ironing, region scans, the
// tier search; MARKET_OVERHEAD, in grid-point equivalents), plus, for the figures a scenario draws
// by default, the re-solves of the parameter-sweep figures (thresholds, regimes, tiers profit
// share). The constants were measured (bench of each market and law on this project's 2-core
// machine) so that WORK_LIMIT is about 20 s of one core; the estimate is deliberately coarse (a
// factor of 2 either way) but it has no blind spot: every law and market has a cost.

import { formatJsonPath, type PathSegment } from "./overrides.js";
import type { BuyersSpec, DistSpec, MarketSpec, Scenario } from "./spec-types.js";
import { isDiscrete } from "./discrete-law.js";
import { InputError } from "../errors.js";

/** Where a size problem is and what to say (economic-checks' Problem shape). */
export interface SizeProblem {
  path: string;
  message: string;
}

// ---------------------------------------------------------------- limits

/** Largest scenario file read (bytes): a 100,000-atom law is about 2 MB. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
/** Longest text value (description, caption, formula, name…), in characters. */
export const MAX_TEXT_LENGTH = 10_000;
/** Longest field name (sweep parameters are dotted paths, still short). */
export const MAX_KEY_LENGTH = 256;
/** Longest array (discrete atoms, sweep values); longer sweep axes are written with linspace. */
export const MAX_ARRAY_LENGTH = 100_000;
/** Grid types of the curves and checks (curves.csv rows). */
export const MAX_GRID_POINTS = 100_000;
/**
 * Largest sweep whose curves/<output>-vs-<param>.csv files are written. They repeat sweep.csv's
 * columns (reshaped per parameter), so beyond this they would only double the bytes written —
 * half the time of a million-point sweep — for files no one plots point by point; sweep.csv
 * keeps every point and the figures are drawn as usual.
 */
export const MAX_CURVE_FILE_POINTS = 100_000;
/** Atoms of a discrete law, after merging mixtures and value–scale products (curves.csv rows). */
export const MAX_ATOMS = 100_000;
/** Sampled profiles (each one is an atom of the empirical type distribution). */
export const MAX_PROFILE_SAMPLES = 100_000;
/** Task-bin weights drawn (samples × tasks), one quantile each; see also the work limit. */
export const MAX_PROFILE_ENTRIES = 10_000_000;
/** Token classes of one group (task tokens, fine-tuning); each is a column and a figure line. */
export const MAX_CLASSES = 64;
/** Components of one mixture and of all mixtures of a law together. */
export const MAX_MIXTURE_COMPONENTS = 64;

/** Estimated computing time above which a scenario is refused (ms of one core; see the header). */
export const WORK_LIMIT_MS = 20_000;
/** Cost of one evaluation of a law, in units of a uniform law's: beta (incomplete beta function). */
export const BETA_COST = 5;
/** A formula density (a short integral over one of its panels), at least; see formulaCost. */
export const EXPRESSION_COST = 4;
/** A formula density's cost per operation of its formula (formulaOperations), added to EXPRESSION_COST. */
export const EXPRESSION_COST_PER_OPERATION = 0.03;
/** Value–scale types with continuous w and s: this × (cost of w + cost of s), an integral over s each time. */
export const VALUE_SCALE_COST = 35;
/** The factor of value–scale work for each of w and s whose density is infinite at an end. */
export const SINGULAR_VALUE_SCALE_COST = 4;

/** Whether a law's density is infinite at an end of its support or of a component's (a Beta with a or b below 1). */
function singularLaw(d: DistSpec): boolean {
  if (d.dist === "beta") return d.a < 1 || d.b < 1;
  if (d.dist === "mixture") return d.components.some(singularLaw);
  return false;
}
/** Sampling: a beta draw (an inverse incomplete beta function), and draws by Brent on F. */
const BETA_QUANTILE_COST = 3;
const BRENT_EVALUATIONS = 30;
/** Task-weight draws × their quantile cost (≈ 20 s). */
export const SAMPLING_LIMIT = 20_000_000;

// ---------------------------------------------------------------- messages

/** A string for a message: quoted, at most 40 characters of it, with its length when cut. */
export function quoteShort(s: string, max = 40): string {
  if (s.length <= max) return JSON.stringify(s);
  return `${JSON.stringify(s.slice(0, max))}… (${s.length} characters)`;
}

/** A path for a message, with overlong field names cut (a key may be megabytes long). */
export function shortPath(segments: readonly PathSegment[]): string {
  return formatJsonPath(segments.map((s) => (typeof s === "string" && s.length > 40 ? `${s.slice(0, 40)}…` : s)));
}

/** A count with thousands separators, as toLocaleString("en-US") writes it, without that call
 *  for whole numbers: it loads ICU's locale data, ~13 ms and ~6 MB of a process's memory for
 *  one line of text (a sweep's note, a limit's message). */
export function thousands(n: number): string {
  return Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+$)/g, ",") : n.toLocaleString("en-US");
}

// ---------------------------------------------------------------- raw JSON

/**
 * Problems of the parsed JSON that must be refused before anything else looks at it: texts and
 * field names too long, nesting too deep. One iterative pass; reports at most 20 problems.
 */
export function rawSizeProblems(raw: unknown): SizeProblem[] {
  const out: SizeProblem[] = [];
  const stack: { v: unknown; path: PathSegment[] }[] = [{ v: raw, path: [] }];
  while (stack.length > 0 && out.length < 20) {
    const { v, path } = stack.pop()!;
    if (typeof v === "string") {
      if (v.length > MAX_TEXT_LENGTH) {
        out.push({
          path: shortPath(path),
          message: `text of ${thousands(v.length)} characters (${JSON.stringify(v.slice(0, 20))}…); at most ${thousands(MAX_TEXT_LENGTH)} are accepted, as no scenario field needs more`,
        });
      }
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      if (v.length > MAX_ARRAY_LENGTH) {
        out.push({
          path: shortPath(path),
          message: `${thousands(v.length)} items; arrays have at most ${thousands(MAX_ARRAY_LENGTH)} (a discrete law at most ${thousands(MAX_ATOMS)} atoms; write a longer sweep axis with linspace or logspace)`,
        });
        continue;
      }
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i];
      if (k.length > MAX_KEY_LENGTH) {
        out.push({
          path: shortPath(path),
          message: `field name of ${thousands(k.length)} characters (${JSON.stringify(k.slice(0, 20))}…); field names have at most ${MAX_KEY_LENGTH}`,
        });
        continue;
      }
      stack.push({ v: (v as Record<string, unknown>)[k], path: [...path, k] });
    }
  }
  return out;
}

// ---------------------------------------------------------------- work estimate



/** Atoms of a discrete law (mixtures: the sum over components, an upper bound after merging). */
function atomsOf(d: DistSpec): number {
  if (d.dist === "discrete") return d.values.length;
  if (d.dist === "mixture") return d.components.reduce((a, c) => a + atomsOf(c), 0);
  return 0;
}

/**
 * The operations one evaluation of a formula performs: its numbers, names (variables, constants,
 * function calls) and operators, i.e. the nodes of its parse tree but for parentheses (which the
 * compiled formula skips) and the products mathjs reads into "2 theta". Counted on the text, so
 * that pricing a scenario never loads the parser (mathjs, half a second).
 */
export function formulaOperations(src: string): number {
  return (src.match(/(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|[-+*/^]/g) ?? []).length;
}

/**
 * Cost of one evaluation of a formula density, in units of a uniform law's. Its time grows with
 * the formula (a reviewer noted that the estimate ignored its length): a monopoly on 20,000 grid
 * points, whole process, took 1.2 s with (1.2 + sin(θ)) (6 operations), 1.8 s with 10 such terms,
 * 2.5 s with 42 (293 operations) and 2.8 s with 20 Gaussian bumps (about 200), against 1.4 s for
 * all of them under a flat EXPRESSION_COST. (Before F was read off Chebyshev series, 8 Dec 2026,
 * the 42 terms took 13 s.) Measured: about 2.5 units plus 0.025 an operation; priced at 4 + 0.03.
 */
export function formulaCost(src: string): number {
  return EXPRESSION_COST + EXPRESSION_COST_PER_OPERATION * formulaOperations(src);
}

/** Cost of one cdf/sf/pdf evaluation of a law, in units of a uniform law's. */
export function lawCost(d: DistSpec): number {
  switch (d.dist) {
    case "expression":
      return formulaCost(d.density);
    case "beta":
      return BETA_COST;
    case "mixture":
      return d.components.reduce((a, c) => a + lawCost(c), 0);
    default:
      return 1;
  }
}

/** Leaves of a mixture tree (a law that is not a mixture counts 1). */
function mixtureLeaves(d: DistSpec): number {
  return d.dist === "mixture" ? d.components.reduce((a, c) => a + mixtureLeaves(c), 0) : 1;
}

/** The type distribution as the solvers see it: its evaluation cost, or its atoms. */
interface TypeCost {
  /** cost of one evaluation (continuous types), in units of a uniform law's; 0 for discrete types */
  cost: number;
  /** atoms (discrete types: curves.csv has a row per atom), else 0 */
  atoms: number;
  /** in words, for messages */
  what: string;
  /** a mixture, a formula density or value–scale types: h may need ironing, and the
   *  leader–fringe market then takes its general path with pooling segments (far costlier) */
  mayIron?: boolean;
  /** θ uniform: the tiers' quantile-grid cuts have closed forms */
  uniform?: boolean;
}

function lawWords(d: DistSpec): string {
  if (d.dist === "expression") return "a formula density";
  if (d.dist === "mixture") return `a mixture of ${mixtureLeaves(d)} laws`;
  return `a ${d.dist} law`;
}

export function typeCost(b: BuyersSpec): TypeCost {
  if ("theta" in b) {
    const d = b.theta;
    if (isDiscrete(d)) return { cost: 0, atoms: atomsOf(d), what: `${thousands(atomsOf(d))} discrete types` };
    return { cost: lawCost(d), atoms: 0, what: `types from ${lawWords(d)}`, mayIron: d.dist === "mixture" || d.dist === "expression", uniform: d.dist === "uniform" };
  }
  if ("valueScale" in b) {
    const { w, s } = b.valueScale;
    const dw = isDiscrete(w);
    const ds = isDiscrete(s);
    if (dw && ds) return { cost: 0, atoms: atomsOf(w) * atomsOf(s), what: "value–scale types with discrete w and s" };
    if (dw) return { cost: atomsOf(w) * lawCost(s), atoms: 0, what: `value–scale types with ${thousands(atomsOf(w))} values of w`, mayIron: true };
    if (ds) return { cost: atomsOf(s) * lawCost(w), atoms: 0, what: `value–scale types with ${thousands(atomsOf(s))} shares s`, mayIron: true };
    return {
      // (a law with an infinite density at an end, a Beta with a or b below 1, makes each of those
      // integrals singular: measured ~4 times the work per such factor, 3.6× with w ~ Beta(0.5, 5)
      // and 16× with s ~ Beta(5, 0.5) too, which was estimated at 5 s and took 50: an independent
      // checker's)
      cost: VALUE_SCALE_COST * (lawCost(w) + lawCost(s)) * SINGULAR_VALUE_SCALE_COST ** ((singularLaw(w) ? 1 : 0) + (singularLaw(s) ? 1 : 0)),
      atoms: 0,
      what: `value–scale types with continuous w and s (each evaluation is an integral${singularLaw(w) || singularLaw(s) ? `, singular where ${singularLaw(w) && singularLaw(s) ? "w and s each have" : singularLaw(w) ? "w has" : "s has"} a Beta with a or b below 1` : ""})`,
      mayIron: true,
    };
  }
  if (b.profiles.kind === "list") return { cost: 0, atoms: b.profiles.weights.length, what: `${thousands(b.profiles.weights.length)} listed profiles` };
  return { cost: 0, atoms: b.profiles.samples, what: `${thousands(b.profiles.samples)} sampled profiles` };
}

/** Types of the tokenDistributions market: listed or sampled profiles, or the value–scale grid. */
function taskTypeCount(s: Scenario): number {
  const b = s.buyers;
  const m = s.market as { valueScaleGrid?: { w: number; s: number } };
  if ("valueScale" in b) {
    const side = (d: DistSpec, k: number) => (isDiscrete(d) ? atomsOf(d) : k);
    return side(b.valueScale.w, m.valueScaleGrid?.w ?? 8) * side(b.valueScale.s, m.valueScaleGrid?.s ?? 8);
  }
  return typeCost(b).atoms;
}

/** The token-distribution market with N types (bench/results.md): sampled value–scale profiles,
 *  whose nested supports make many pairs bind, take about 2.5 s at N = 100 and 20 s at N = 200,
 *  and listed profiles are priced like them (the worst measured); the value–scale grid's types
 *  (7 s at 256) and iid profiles (3 s at 400) are cheaper. */
function tokenDistributionsMs(n: number, s?: Scenario): number {
  const b = s?.buyers;
  const factor = b && "valueScale" in b ? 0.01 : b && "profiles" in b && b.profiles.kind === "iid" ? 0.005 : 0.025;
  // Fewer task bins put the same types closer together in fewer dimensions: more pairs bind and
  // more types pool, and the time grows as about N^3.6, the faster the fewer the bins. Measured
  // (iid uniform weights, one core, 6 Dec 2026): 8 bins 0.7 s at N = 100, 12 s at 200, 152 s at
  // 430; 4 bins 2.8 s at 100 (and 152 s, uncertified, at 150); 16 bins 4.9 s at 300. The
  // constants above were measured with 32 bins, and put the 8-bin N = 430 at 19 s (a reviewer's).
  const bins = s?.market.kind === "tokenDistributions" ? s.market.bins : 32;
  // (2 bins measured cheaper than 4 — 1.7 s at N = 80 —, so fewer than 4 count as 4)
  const crowded = 6.3e-5 * Math.pow(8 / Math.max(4, bins), 2.3) * Math.pow(n, 3.6);
  // Past about 30 types a bin the certified solve falls off a cliff (its interior-point
  // fallback: 4 bins took 6.5 s at N = 130 and more than 190 s at 145, a reviewer's; and, with
  // other samples, 41 s at N = 120 and 67 s at 125, uncertified, another's): a term that reaches
  // the limit there, at 30·max(4, bins) types, and grows steeply beyond. (It was 33 until 6 Dec
  // 2026, and the estimate said 11 s for the 67-s solve.)
  const cliff = WORK_LIMIT_MS * Math.pow(n / (30 * Math.max(4, bins)), 12);
  return 20 + Math.max(factor * Math.pow(n, 2.5), crowded, cliff);
}

/**
 * Milliseconds (one core of the 2-core machine the constants were measured on) of one market
 * solve: per grid point `point + perCost·c`, fixed `fixed + fixedPerCost·c`, c the type cost.
 * Discrete types (n atoms) take `fixed + atom·n + atomPower·n^atomExponent` instead: the
 * leader–fringe market with finitely many types solves a screening LP, whose time grows about
 * as n² (γ_F > 0: 15 s at 1,000 atoms, 50 s at 2,000) or n^1.5 (γ_F = 0).
 */
interface MarketCost {
  point: number;
  perCost: number;
  fixed: number;
  fixedPerCost: number;
  atom: number;
  atomPower?: number;
  atomExponent?: number;
}

function marketCost(m: MarketSpec, fringeGammaZero: boolean, mayIron: boolean): MarketCost {
  const lp = fringeGammaZero ? { atomPower: 0.03, atomExponent: 1.5 } : { atomPower: 0.015, atomExponent: 2 };
  switch (m.kind) {
    case "monopoly":
      return { point: 0.02, perCost: 0.012, fixed: 20, fixedPerCost: 7, atom: 0.01 };
    case "tiers":
      // the last term: the golden-section fallback at its cap of 200 sweeps (tiers.ts)
      return { point: 0.002, perCost: 0.0005, fixed: 20 + 10 * m.count, fixedPerCost: 6 + 1.2 * m.count + 0.13 * m.count * (40 + m.count), atom: 0.02 + 0.003 * m.count };
    case "efficient":
      return { point: 0.005, perCost: 0.0005, fixed: 5, fixedPerCost: 0.5, atom: 0.01 };
    case "multiModelMonopoly":
      // scalars only (82 re-solves, measured 3 Dec 2026): 2–6 ms for beta types, 8–19 ms for a bimodal mixture (cost 10)
      return { point: 0.1, perCost: 0.02, fixed: 5, fixedPerCost: 2, atom: 0.02 };
    case "leaderFringe":
      // scalars only, measured 3 Dec 2026 (sweeps of 200 points): γ_F = 0, beta 0.4 ms (cost 5),
      // lognormal 0.3 ms, a bimodal beta mixture that is ironed 31 ms (cost 10); γ_F = 0.1,
      // uniform 20 ms, beta 27 ms, lognormal 19 ms, the ironed bimodal mixture 1,005 ms (its
      // pooling segments: leader-fringe-pooling.ts); after the fringe top-up by Newton's method
      // (3 Dec, later), 620 ms, and 300 ms when the betas' a and b are integers (F a binomial
      // sum: beta.ts). A law that may need ironing is priced as the slower of these.
      if (fringeGammaZero) {
        return mayIron
          ? { point: 0.12, perCost: 0.002, fixed: 5, fixedPerCost: 3, atom: 0.05, ...lp }
          : { point: 0.12, perCost: 0.002, fixed: 2, fixedPerCost: 0.3, atom: 0.05, ...lp };
      }
      return mayIron
        ? { point: 0.35, perCost: 0.002, fixed: 20, fixedPerCost: 62, atom: 0.05, ...lp }
        : { point: 0.35, perCost: 0.002, fixed: 20, fixedPerCost: 3, atom: 0.05, ...lp };
    case "compare":
      return fringeGammaZero
        ? { point: 0.2, perCost: 0.01, fixed: 40, fixedPerCost: 12, atom: 0.1, ...lp }
        : { point: 0.5, perCost: 0.015, fixed: 40, fixedPerCost: 18, atom: 0.1, ...lp };
    case "tokenDistributions":
      // priced by estimateWork from the number of task-profile types (tokenDistributionsMs)
      return { point: 0, perCost: 0, fixed: 20, fixedPerCost: 0, atom: 0, atomPower: 0.025, atomExponent: 2.5 };
  }
}

/** γ of a model spec is 0 (no fine-tuning): the leader–fringe market takes its explicit path more often. */
function gammaZero(m: unknown): boolean {
  if (!m || typeof m !== "object") return false;
  if ("gamma" in m) return (m as { gamma: number }).gamma === 0;
  const t = (m as { technology?: { aggregate?: { gamma: number }; fineTuning?: { kind: string } } }).technology;
  if (!t) return false;
  return t.aggregate ? t.aggregate.gamma === 0 : t.fineTuning?.kind === "none";
}

function solveMs(market: MarketSpec, tc: TypeCost, points: number, scalarsOnly: boolean): number {
  const mc = marketCost(market, "fringe" in market && gammaZero(market.fringe), tc.mayIron === true);
  if (tc.atoms > 0) return mc.fixed + mc.atom * tc.atoms + (mc.atomPower ?? 0) * Math.pow(tc.atoms, mc.atomExponent ?? 1);
  const n = scalarsOnly ? 0 : points;
  return mc.fixed + mc.fixedPerCost * tc.cost + n * (mc.point + mc.perCost * tc.cost) + (market.kind === "tiers" ? tiersCertificateMs(market.count, tc) : 0);
}

/** The tiers' certificate (the chain bound and its branch and bound) on a continuous law, measured
 *  7 Dec 2026 on the example's truncated lognormal and on a beta: 1.9 s at 10 tiers, 6.9 s at 40
 *  (the constants above put them at 0.2 and 0.9 s, and a sweep's Ctrl-C waited for its points: a
 *  reviewer's); uniform types, whose cuts have closed forms, 0.1 s and 1.5 s. */
function tiersCertificateMs(count: number, tc: TypeCost): number {
  return count * (tc.uniform ? 0 : 160) + 0.9 * count * count;
}

export interface WorkEstimate {
  /** the solve (curves and checks included) */
  solveMs: number;
  /** re-solves of the sweep figures the scenario draws (figures.only, else its market's standard set) */
  figuresMs: number;
  /** which figures those are */
  figures: string[];
}

const REGIME_FIGURES = ["thresholds-cost", "regimes-profit", "regimes-consumer-surplus", "regimes-welfare", "regimes-fringe-share"];

/** Estimated work of solving `s` and drawing its figures (README "Limits"); `scalarsOnly`: a
 *  sweep point's solve (no curves, no checks on the grid). */
export function estimateWork(s: Scenario, scalarsOnly = false): WorkEstimate {
  if (s.market.kind === "tokenDistributions") return { solveMs: tokenDistributionsMs(taskTypeCount(s), s), figuresMs: 0, figures: [] };
  const tc = typeCost(s.buyers);
  const solve = solveMs(s.market, tc, s.grid.points, scalarsOnly);
  const only = s.figures?.only;
  const kind = s.market.kind;
  const drawn = (name: string, standard: boolean) => (only ? only.includes(name) : standard);
  const figures: string[] = [];
  let figuresMs = 0;
  if (kind === "tiers" && drawn("tiers-profit-share", true)) {
    figures.push("tiers-profit-share");
    for (let count = 1; count <= 10; count++) figuresMs += solveMs({ kind: "tiers", count }, tc, 0, true);
  }
  const m = s.market;
  if ("leader" in m && m.leader && m.fringe) {
    // thresholds and regimes: the three regimes at ~82 values of the swept parameter, memoized
    const regimes = (["efficient", "multiModelMonopoly", "leaderFringe"] as const).map((k) => ({ kind: k, leader: m.leader, fringe: m.fringe }) as MarketSpec);
    const perSweep = 82 * regimes.reduce((a, r) => a + solveMs(r, tc, 0, true), 0);
    const alongCost = REGIME_FIGURES.filter((f) => drawn(f, f === "thresholds-cost" ? kind === "leaderFringe" || kind === "compare" : kind === "compare"));
    const alongGamma = ["thresholds-gamma"].filter((f) => drawn(f, kind === "compare"));
    if (alongCost.length) figuresMs += perSweep;
    // along γ_L the fringe keeps its γ_F but the leader's varies: priced like γ_F > 0
    if (alongGamma.length) figuresMs += perSweep;
    figures.push(...alongCost, ...alongGamma);
  }
  return { solveMs: solve, figuresMs, figures };
}

// ---------------------------------------------------------------- checks

type Add = (path: PathSegment[], message: string) => void;

function checkDistCounts(d: DistSpec, path: PathSegment[], add: Add): void {
  if (d.dist === "discrete") {
    for (const key of ["values", "probs"] as const) {
      if (d[key].length > MAX_ATOMS) {
        add([...path, key], `${thousands(d[key].length)} entries; a discrete law has at most ${thousands(MAX_ATOMS)} atoms (each is a row of curves.csv and of every check)`);
      }
    }
    return;
  }
  if (d.dist !== "mixture") return;
  const leaves = mixtureLeaves(d);
  if (d.components.length > MAX_MIXTURE_COMPONENTS || leaves > MAX_MIXTURE_COMPONENTS) {
    add([...path, "components"], `${thousands(leaves)} component laws; a mixture has at most ${MAX_MIXTURE_COMPONENTS} in all (each is evaluated at every use of the law)`);
    return;
  }
  d.components.forEach((c, i) => checkDistCounts(c, [...path, "components", i], add));
}

function checkClassCount(classes: readonly unknown[] | undefined, path: PathSegment[], add: Add): void {
  if (classes && classes.length > MAX_CLASSES) {
    add(path, `${thousands(classes.length)} classes; at most ${MAX_CLASSES} per group (each is a curve column and a line of the token-budgets figure)`);
  }
}

interface TechnologyLike {
  tokens?: { classes: unknown[] };
  fineTuning?: { kind: string; classes?: unknown[] };
}

function checkTechnologyCounts(t: TechnologyLike, base: PathSegment[], add: Add): void {
  checkClassCount(t.tokens?.classes, [...base, "tokens", "classes"], add);
  checkClassCount(t.fineTuning?.classes, [...base, "fineTuning", "classes"], add);
}

/** Quantile cost of one draw of a law, in units of a uniform law's (Brent on F where F⁻¹ has no closed form). */
function quantileCost(d: DistSpec): number {
  switch (d.dist) {
    case "uniform":
    case "truncExponential":
    case "truncPareto":
    case "truncLognormal":
    case "discrete":
      return 1;
    case "beta":
      return BETA_QUANTILE_COST;
    default:
      return BRENT_EVALUATIONS * lawCost(d);
  }
}

/**
 * Counts of a structurally valid scenario: grid points, atoms, samples, classes, mixture
 * components. Checked before the economic checks, which build every formula density.
 */
export function countProblems(s: Scenario): SizeProblem[] {
  const out: SizeProblem[] = [];
  const add: Add = (path, message) => out.push({ path: formatJsonPath(path), message });
  const b = s.buyers;
  if ("theta" in b) checkDistCounts(b.theta, ["buyers", "theta"], add);
  else if ("valueScale" in b) {
    checkDistCounts(b.valueScale.w, ["buyers", "valueScale", "w"], add);
    checkDistCounts(b.valueScale.s, ["buyers", "valueScale", "s"], add);
  } else if (b.profiles.kind === "list") {
    const rows = b.profiles.weights.length;
    const entries = b.profiles.weights.reduce((a, r) => a + r.length, 0);
    if (rows > MAX_PROFILE_SAMPLES) add(["buyers", "profiles", "weights"], `${thousands(rows)} profiles; at most ${thousands(MAX_PROFILE_SAMPLES)}`);
    else if (entries > MAX_PROFILE_ENTRIES) add(["buyers", "profiles", "weights"], `${thousands(entries)} task weights; at most ${thousands(MAX_PROFILE_ENTRIES)}`);
  } else {
    const p = b.profiles;
    const base = ["buyers", "profiles"];
    if (p.kind === "iid") checkDistCounts(p.weight, [...base, "weight"], add);
    else {
      checkDistCounts(p.w, [...base, "w"], add);
      checkDistCounts(p.s, [...base, "s"], add);
    }
    if (p.samples > MAX_PROFILE_SAMPLES) {
      add([...base, "samples"], `${thousands(p.samples)} samples; at most ${thousands(MAX_PROFILE_SAMPLES)} (each sample is a type of the empirical distribution: a row of curves.csv)`);
    } else if (p.samples * p.tasks > MAX_PROFILE_ENTRIES) {
      add([...base, "tasks"], `samples × tasks = ${thousands(p.samples * p.tasks)} task weights to draw; at most ${thousands(MAX_PROFILE_ENTRIES)}`);
    } else if (out.length === 0) {
      const draws = p.kind === "iid" ? p.samples * p.tasks * quantileCost(p.weight) : p.samples * (quantileCost(p.w) + quantileCost(p.s));
      if (draws > SAMPLING_LIMIT) {
        add([...base, "samples"], `drawing these profiles costs about ${thousands(draws)} evaluations (a formula or mixture law is inverted numerically at every draw); at most ${thousands(SAMPLING_LIMIT)} (about 20 s): draw fewer samples or tasks, or use a closed-form law`);
      }
    }
  }
  checkTechnologyCounts(s.technology, ["technology"], add);
  const m = s.market as { leader?: unknown; fringe?: unknown };
  for (const role of ["leader", "fringe"] as const) {
    const model = m[role];
    if (model && typeof model === "object" && "technology" in model) checkTechnologyCounts((model as { technology: TechnologyLike }).technology, ["market", role, "technology"], add);
  }
  if (s.grid.points > MAX_GRID_POINTS) {
    add(["grid", "points"], `${thousands(s.grid.points)} grid points; at most ${thousands(MAX_GRID_POINTS)} (curves.csv has a row per grid type; figures are smooth with a few hundred)`);
  }
  if (out.length > 0) return out;
  const tc = typeCost(b);
  if (tc.atoms > MAX_ATOMS && !("profiles" in b)) {
    add(["buyers"], `${tc.what} give up to ${thousands(tc.atoms)} distinct types; at most ${thousands(MAX_ATOMS)} (each is a row of curves.csv and of every check)`);
  }
  return out;
}

const seconds = (ms: number) => (ms >= 10_000 ? `${thousands(Math.round(ms / 1000))} s` : ms >= 100 ? `${(ms / 1000).toFixed(1)} s` : `${Number(ms.toPrecision(2))} ms`);

/**
 * `--work-limit SECONDS` (or `none`) as milliseconds: the limit a user who knows a scenario is
 * big sets for one run (the default, WORK_LIMIT_MS, protects a user from a file that would run
 * for hours; a scenario cannot raise its own limit, only the command line can). Undefined when
 * the option is absent; InputError (exit 2) names the option for anything but seconds > 0.
 */
export function parseWorkLimit(x: unknown): number | undefined {
  if (x === undefined) return undefined;
  const text = typeof x === "number" ? String(x) : typeof x === "string" ? x.trim() : "";
  if (text === "none") return Infinity;
  // decimal seconds as typed, exponent allowed (90, 0.5, 3600, 1e4); no hex, no Infinity
  const n = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(n > 0) || !Number.isFinite(n)) {
    throw new InputError("--work-limit", `expected the computing time to allow, in seconds (a number > 0, e.g. 120) or none, got ${JSON.stringify(typeof x === "string" ? x : String(x))}`);
  }
  return n * 1000;
}

/** `--work-limit` to pass on (SLURM scripts, messages): seconds as typed back, or none. */
export function workLimitText(ms: number): string {
  return ms === Infinity ? "none" : String(ms / 1000);
}

/** The run's limit under `--work-limit` (ms), for result files: undefined at the default. */
export function recordedWorkLimit(ms: number | undefined): number | "none" | undefined {
  return ms === undefined || ms === WORK_LIMIT_MS ? undefined : ms === Infinity ? "none" : ms / 1000;
}

/** What a refused scenario can do about the limit: the option, with a value that should let it
 *  run (twice the estimate, rounded up: the estimate can be off by a factor of 2 either way). */
function suggestedLimit(estimateMs: number): number {
  const s = (2 * estimateMs) / 1000;
  const step = s < 10 ? 1 : s < 100 ? 10 : s < 1000 ? 60 : 600;
  return Math.ceil(s / step) * step;
}

/** The hint: ", or allow it with --work-limit N" for the run as asked (`estimateMs`), and, when
 *  its figures' re-solves are what makes it long (`withoutFiguresMs` well below), the limit
 *  without them: " (or --work-limit M with --no-figures)". */
function raiseHint(estimateMs: number, withoutFiguresMs = estimateMs): string {
  const all = suggestedLimit(estimateMs);
  const bare = suggestedLimit(withoutFiguresMs);
  return `, or allow it with --work-limit ${all}${bare < all / 2 ? ` (or --work-limit ${bare} with --no-figures)` : ""}`;
}

/** The work estimate against the limit (`limitMs`, default WORK_LIMIT_MS): the solve, then (with
 *  `figures`) the solve with its figures' sweeps. */
export function workProblems(s: Scenario, figures = true, scalarsOnly = false, limitMs: number = WORK_LIMIT_MS): SizeProblem[] {
  if (limitMs === Infinity) return [];
  const w = estimateWork(s, scalarsOnly);
  // what the hint must allow: the solve and, when drawn, its figures' re-solves (a hint that
  // covered the solve alone was refused again for the figures, a reviewer's)
  const all = figures ? w.solveMs + w.figuresMs : w.solveMs;
  const tc = typeCost(s.buyers);
  const limit = `the limit is ${seconds(limitMs)}`;
  const market = `a ${s.market.kind} market`;
  if (w.solveMs > limitMs && s.market.kind === "tokenDistributions") {
    let most = 1;
    while (tokenDistributionsMs(most + 1, s) <= limitMs) most++;
    const b = s.buyers;
    const path = "valueScale" in b ? "market.valueScaleGrid" : "profiles" in b && b.profiles.kind === "list" ? "buyers.profiles.weights" : "buyers.profiles.samples";
    return [{ path, message: `${thousands(taskTypeCount(s))} task-profile types in a tokenDistributions market need about ${seconds(w.solveMs)} of computing (the certified solve grows faster than the number of types); ${limit}: use at most ${thousands(most)} types${raiseHint(all, w.solveMs)}` }];
  }
  if (w.solveMs > limitMs) {
    if (tc.atoms > 0) {
      // the most types that fit (the time grows with them)
      let lo = 1;
      let hi = tc.atoms;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (solveMs(s.market, { ...tc, atoms: mid }, 0, false) <= limitMs) lo = mid;
        else hi = mid;
      }
      const b = s.buyers;
      const path = "profiles" in b ? "buyers.profiles.samples" : "theta" in b ? "buyers.theta" : "buyers.valueScale";
      return [{ path, message: `${tc.what} in ${market} need about ${seconds(w.solveMs)} of computing (its solver's time grows faster than the number of types); ${limit}: use at most ${thousands(lo)} types${raiseHint(all, w.solveMs)}` }];
    }
    // the largest grid that fits, if the grid is what makes it too big
    const small = solveMs(s.market, tc, 3, false);
    const perPoint = (solveMs(s.market, tc, 1003, false) - small) / 1000;
    const room = Math.floor((limitMs - small) / perPoint);
    if (!scalarsOnly && room >= 3 && room < s.grid.points) {
      return [{ path: "grid.points", message: `${thousands(s.grid.points)} grid points with ${tc.what} in ${market} need about ${seconds(w.solveMs)} of computing; ${limit}: use at most ${thousands(room)} grid points${raiseHint(all, w.solveMs)}` }];
    }
    return [{ path: "buyers", message: `${tc.what} in ${market} need about ${seconds(w.solveMs)} of computing even on a small grid; ${limit}: use a law that is cheaper to evaluate (fewer mixture components, closed-form laws instead of formulas)${raiseHint(all, w.solveMs)}` }];
  }
  if (figures && w.solveMs + w.figuresMs > limitMs) {
    const others = s.market.kind === "tiers" ? '["tiers-quality"]' : '["leader-quantity", "fringe-quantity"]';
    return [{ path: "figures", message: `${w.figures.length === 1 ? `the figure ${w.figures[0]} re-solves` : `the figures ${w.figures.join(", ")} re-solve`} the scenario along a parameter; with ${tc.what} that needs about ${seconds(w.solveMs + w.figuresMs)} of computing; ${limit}: list other figures in figures.only (e.g. ${others}), use a law that is cheaper to evaluate, or solve with --no-figures${raiseHint(w.solveMs + w.figuresMs, w.solveMs)}` }];
  }
  return [];
}
