// Economic validity of a structurally valid scenario: the conditions of docs/model.md that zod's
// structural schema does not express. Every check reports {path, message} and all problems are
// collected (not just the first), so an economist fixes a file in one pass.
//   - technology (docs/model.md 1): 0 < σ < 1, ρ ≤ 1, α_j > 0 with Σα = 1, costs > 0, γ > 0 and
//     σ + γ < 1 (C(Q) strictly convex with C'(0) = 0), class names unique within a group;
//   - models (docs/model.md 3): σ + γ_ℓ < 1, and in leader–fringe markets γ_F ≤ γ_L (3c);
//   - distributions: proper domains, probabilities/weights > 0 summing to 1, types ≥ 0
//     (value–scale s in (0, 1]); density formulas are built as the solver builds them (in the
//     restricted language, finite and ≥ 0 on the whole support, integrable);
//   - markets needing a cost of quality have one; tiers 1..50; grid ≥ 3 points;
//   - sweeps name numeric places of the scenario and have well-formed axes and zip groups.

import { InputError, NumericalError } from "../errors.js";
import { expressionDensity } from "../distributions/expression-density.js";
import { buildBuyers, buildDistribution } from "../distributions/from-spec.js";
import { compileExpression } from "../expression/restricted.js";
import { acceptsNumberAt } from "./schema.js";
import { closest } from "./closest.js";
import { MAX_TASK_TYPES } from "../distributions/task-limits.js";
import { buildTechnology } from "../technology/from-spec.js";
import type { CostOfQuality } from "../technology/types.js";
import type { TypeDistribution } from "../distributions/types.js";
import { MAX_PROFILE_ENTRIES } from "./limits.js";
import { formatJsonPath, getPath, parsePath, type PathSegment } from "./overrides.js";
import type {
  ClassSpec,
  DistSpec,
  FineTuningSpec,
  MarketSpec,
  ModelSpec,
  Scenario,
  SweepAxis,
  SweepSpec,
  CalibrateSpec,
  CostDeclineSpec,
  UnitsSpec,
  TechnologySpec,
} from "./spec-types.js";

export interface Problem {
  /** JSON path of the offending field, e.g. "technology.tokens.classes[0].cost" ("" = the file) */
  path: string;
  message: string;
}

/** Tolerance on sums that must equal 1 (probabilities, CES weights). */
export const SUM_TOLERANCE = 1e-9;
export const MAX_SWEEP_POINTS = 10_000_000;
/** task bins of the token-distribution market */
export const MAX_BINS = 4096;

type Path = readonly PathSegment[];
type Add = (path: Path, message: string) => void;

// 12 significant digits: a sum of 0.3 + 0.3 + 0.3 reads 0.9, still far finer than SUM_TOLERANCE.
const fmt = (x: number): string => String(Number.isFinite(x) ? Number(x.toPrecision(12)) : x);

// ---------------------------------------------------------------- distributions

/** Where a distributed quantity must live: θ and w in [0, ∞); the value–scale share s in (0, 1]. */
interface Support {
  what: string;
  lo: number;
  /** discrete atoms must be strictly above lo (s = 0 is no buyer at all) */
  loExclusiveForAtoms: boolean;
  hi: number;
}

const TYPES: Support = { what: "types are nonnegative", lo: 0, loExclusiveForAtoms: false, hi: Infinity };
const WEIGHTS: Support = { what: "task values are nonnegative", lo: 0, loExclusiveForAtoms: false, hi: Infinity };
const SHARES: Support = { what: "the share of tasks s lies in (0, 1]", lo: 0, loExclusiveForAtoms: true, hi: 1 };

const isDiscrete = (d: DistSpec): boolean =>
  d.dist === "discrete" || (d.dist === "mixture" && d.components.length > 0 && d.components.every(isDiscrete));

function checkRange(d: { min: number; max: number }, path: Path, support: Support, add: Add): void {
  if (!(d.min < d.max)) add([...path, "min"], `min must be below max, got min = ${fmt(d.min)} and max = ${fmt(d.max)}`);
  if (d.min < support.lo) add([...path, "min"], `${support.what}: min must be at least ${support.lo}, got ${fmt(d.min)}`);
  if (d.max > support.hi) add([...path, "max"], `${support.what}: max must be at most ${support.hi}, got ${fmt(d.max)}`);
}

function positiveAt(x: number, path: Path, what: string, add: Add): void {
  if (!(x > 0)) add(path, `${what} must be > 0, got ${fmt(x)}`);
}

/** Each entry > 0 and Σ = 1 within SUM_TOLERANCE; `what` names the entries in messages. */
function checkWeights(ws: readonly number[], path: Path, what: string, add: Add): void {
  let sum = 0;
  let allPositive = true;
  ws.forEach((w, i) => {
    sum += w;
    if (!(w > 0)) {
      allPositive = false;
      add([...path, i], `${what} must be > 0, got ${fmt(w)}`);
    }
  });
  if (allPositive && !(Math.abs(sum - 1) <= SUM_TOLERANCE)) {
    add(path, `${what} must sum to 1 (within ${SUM_TOLERANCE}), got ${fmt(sum)}`);
  }
}

/**
 * The density formula builds into a law exactly as `lpe solve` builds it (one code path): it
 * compiles in the restricted language, is finite and ≥ 0 on the whole support and has a finite,
 * positive integral (expression-density.ts says how each is established).
 */
function checkDensity(d: Extract<DistSpec, { dist: "expression" }>, path: Path, add: Add): void {
  if (!(Number.isFinite(d.min) && Number.isFinite(d.max) && d.min < d.max)) {
    // the range problem is reported by checkRange; the formula alone must still compile
    try {
      compileExpression(d.density, ["theta"], formatJsonPath([...path, "density"]));
    } catch (e) {
      if (e instanceof InputError) add([...path, "density"], e.reason);
      else throw e;
    }
    return;
  }
  try {
    expressionDensity(d.density, d.min, d.max, formatJsonPath(path));
  } catch (e) {
    if (e instanceof InputError || e instanceof NumericalError) {
      const where = formatJsonPath([...path, "density"]);
      const text = e instanceof InputError ? e.reason : e.message;
      add([...path, "density"], text.startsWith(`${where}: `) ? text.slice(where.length + 2) : text);
      return;
    }
    throw e;
  }
}

function checkDist(d: DistSpec, path: Path, support: Support, add: Add): void {
  switch (d.dist) {
    case "uniform":
    case "truncExponential":
      checkRange(d, path, support, add);
      return;
    case "beta":
      positiveAt(d.a, [...path, "a"], "the shape parameter a", add);
      positiveAt(d.b, [...path, "b"], "the shape parameter b", add);
      checkRange(d, path, support, add);
      return;
    case "truncLognormal":
      positiveAt(d.sigma, [...path, "sigma"], "sigma (the standard deviation of log t)", add);
      positiveAt(d.min, [...path, "min"], "a truncated lognormal's min", add);
      checkRange(d, path, support, add);
      return;
    case "truncPareto":
      positiveAt(d.alpha, [...path, "alpha"], "the tail index alpha", add);
      positiveAt(d.min, [...path, "min"], "a truncated Pareto's min", add);
      checkRange(d, path, support, add);
      return;
    case "discrete": {
      if (d.values.length !== d.probs.length) {
        add([...path, "probs"], `needs one probability per value: ${d.values.length} values, ${d.probs.length} probs`);
      }
      d.values.forEach((v, i) => {
        if (i > 0 && !(v > d.values[i - 1])) {
          add([...path, "values", i], `values must be strictly ascending, got ${fmt(d.values[i - 1])} then ${fmt(v)}`);
        }
        const tooLow = support.loExclusiveForAtoms ? !(v > support.lo) : v < support.lo;
        if (tooLow) add([...path, "values", i], `${support.what}, got ${fmt(v)}`);
        if (v > support.hi) add([...path, "values", i], `${support.what}, got ${fmt(v)}`);
      });
      checkWeights(d.probs, [...path, "probs"], "probabilities", add);
      return;
    }
    case "mixture": {
      if (d.components.length !== d.weights.length) {
        add([...path, "weights"], `needs one weight per component: ${d.components.length} components, ${d.weights.length} weights`);
      }
      checkWeights(d.weights, [...path, "weights"], "mixture weights", add);
      const discrete = d.components.map(isDiscrete);
      if (discrete.some((x) => x) && discrete.some((x) => !x)) {
        add([...path, "components"], "mixture components must be all discrete or all continuous");
      }
      d.components.forEach((c, i) => checkDist(c, [...path, "components", i], support, add));
      return;
    }
    case "expression":
      checkRange(d, path, support, add);
      checkDensity(d, path, add);
      return;
  }
}

/** Returns the type distribution when it was built (θ and value–scale types), for checkPrecision. */
function checkBuyers(s: Scenario, add: Add): TypeDistribution | undefined {
  let bad = false;
  const addBuyers: Add = (path, message) => {
    bad = true;
    add(path, message);
  };
  const b = s.buyers;
  if ("theta" in b) checkDist(b.theta, ["buyers", "theta"], TYPES, addBuyers);
  else if ("valueScale" in b) {
    checkDist(b.valueScale.w, ["buyers", "valueScale", "w"], WEIGHTS, addBuyers);
    checkDist(b.valueScale.s, ["buyers", "valueScale", "s"], SHARES, addBuyers);
  } else if (b.profiles.kind === "list") {
    checkProfileList(b.profiles, s.market.kind === "tokenDistributions" ? s.market.bins : undefined, addBuyers);
  } else {
    const p = b.profiles;
    const base = ["buyers", "profiles"];
    if (s.market.kind === "tokenDistributions" && p.tasks !== s.market.bins) {
      add(["market", "bins"], `must equal buyers.profiles.tasks (${fmt(p.tasks)}): each sampled profile has one weight per task bin, got ${fmt(s.market.bins)}`);
    }
    if (p.samples < 1) addBuyers([...base, "samples"], `at least 1 sample, got ${p.samples}`);
    if (p.tasks < 1) addBuyers([...base, "tasks"], `at least 1 task bin, got ${p.tasks}`);
    if (p.kind === "iid") checkDist(p.weight, [...base, "weight"], WEIGHTS, addBuyers);
    else {
      checkDist(p.w, [...base, "w"], WEIGHTS, addBuyers);
      checkDist(p.s, [...base, "s"], SHARES, addBuyers);
    }
  }
  const sigma = s.technology.sigma;
  return !bad && sigma > 0 && sigma < 1 ? buildLikeSolve(s, add) : undefined;
}

/**
 * Build the type distribution as `lpe solve` does (a truncation with no mass in double
 * precision, a value–scale support that does not fit…), so that a scenario validate accepts is
 * not refused by solve. Sampled profiles: their laws are built; the draws are solve's (they
 * cannot fail on valid laws: θ of a profile is computed without overflow).
 */
function buildLikeSolve(s: Scenario, add: Add): TypeDistribution | undefined {
  try {
    const b = s.buyers;
    if ("profiles" in b) {
      const p = b.profiles;
      const base = "buyers.profiles";
      if (p.kind === "list") return; // listed profiles are checked above; nothing is drawn
      if (p.kind === "iid") buildDistribution(p.weight, `${base}.weight`);
      else {
        buildDistribution(p.w, `${base}.w`);
        buildDistribution(p.s, `${base}.s`);
      }
    } else return buildBuyers(b, s.technology.sigma, s.seed);
  } catch (e) {
    if (e instanceof NumericalError) return undefined; // a numerical failure: solve reports it (exit 1)
    if (!(e instanceof InputError)) throw e;
    let at: PathSegment[] = [];
    try {
      at = e.path ? parsePath(e.path) : [];
    } catch {
      at = ["buyers"];
    }
    add(at, e.reason);
  }
  return undefined;
}

/** Listed profiles: equal-length rows of finite weights ≥ 0 (as many as market.bins for the
 *  token-distribution market), not all zero, one probability per row (each > 0, summing to 1). */
function checkProfileList(p: { weights: number[][]; probs: number[] }, bins: number | undefined, add: Add): void {
  const base = ["buyers", "profiles"];
  const width = bins ?? p.weights[0]?.length ?? 0;
  const what = bins === undefined ? "the first profile" : "market.bins";
  let positive = false;
  p.weights.forEach((row, i) => {
    if (row.length !== width) add([...base, "weights", i], `has ${row.length} weights, but ${what} ${bins === undefined ? "has" : "is"} ${width} (one weight per task bin)`);
    row.forEach((x, j) => {
      if (!(x >= 0 && x < Infinity)) add([...base, "weights", i, j], `task weights must be finite and ≥ 0, got ${fmt(x)}`);
      if (x > 0) positive = true;
    });
  });
  if (p.weights.length > 0 && !positive) add([...base, "weights"], "every profile has zero weight on every task: nobody values anything");
  if (p.weights.length * width > MAX_PROFILE_ENTRIES) add([...base, "weights"], `at most ${MAX_PROFILE_ENTRIES} weights in all`);
  if (p.probs.length !== p.weights.length) {
    add([...base, "probs"], `needs one probability per profile: ${p.weights.length} profiles, ${p.probs.length} probs`);
  }
  checkWeights(p.probs, [...base, "probs"], "probabilities", add);
}

// ---------------------------------------------------------------- technology

function checkUniqueNames(classes: readonly { name: string }[], path: Path, add: Add): void {
  const first = new Map<string, number>();
  classes.forEach((c, i) => {
    const j = first.get(c.name);
    if (j === undefined) first.set(c.name, i);
    else add([...path, i, "name"], `duplicate class name "${c.name}" (also ${formatJsonPath([...path, j, "name"])})`);
  });
}

function checkClasses(classes: readonly ClassSpec[], path: Path, add: Add): void {
  checkUniqueNames(classes, path, add);
  classes.forEach((c, i) => positiveAt(c.cost, [...path, i, "cost"], "a token cost", add));
  checkWeights(
    classes.map((c) => c.alpha),
    path,
    "the weights alpha",
    // an entry's problem belongs to its alpha field, the sum's to the class list
    (p, m) => add(p.length > path.length ? [...p, "alpha"] : p, m),
  );
}

function checkRho(rho: number, path: Path, add: Add): void {
  if (!(rho <= 1)) add(path, `the substitution parameter rho must be ≤ 1, got ${fmt(rho)}`);
}

/** Fine-tuning exponent γ and the JSON path it comes from ([] when there is none). */
interface GammaSource {
  gamma: number;
  path: Path;
  label: string;
}

function fineTuningGamma(ft: FineTuningSpec, base: Path): GammaSource | undefined {
  switch (ft.kind) {
    case "none":
      return undefined;
    case "ces":
    case "baseline":
      return { gamma: ft.gamma, path: [...base, "gamma"], label: "γ" };
    case "baselinePerClass":
      return { gamma: ft.classes.reduce((a, c) => a + c.gamma, 0), path: [...base, "classes"], label: "Σγ_k" };
  }
}

function technologyGamma(t: Omit<TechnologySpec, "sigma">, base: Path): GammaSource {
  if (t.aggregate) return { gamma: t.aggregate.gamma, path: [...base, "aggregate", "gamma"], label: "γ" };
  return fineTuningGamma(t.fineTuning, [...base, "fineTuning"]) ?? { gamma: 0, path: [], label: "γ" };
}

function checkEta(sigma: number, g: GammaSource, add: Add, who = ""): void {
  if (!(sigma > 0 && sigma < 1) || g.path.length === 0) return;
  if (!(sigma + g.gamma < 1)) {
    add(
      g.path,
      `σ + ${g.label} must be below 1 so that the cost of quality is strictly convex (docs/model.md 1)${who}: ` +
        `σ = ${fmt(sigma)}, ${g.label} = ${fmt(g.gamma)}, σ + ${g.label} = ${fmt(sigma + g.gamma)}`,
    );
  }
}

function checkFineTuning(ft: FineTuningSpec, base: Path, add: Add): void {
  switch (ft.kind) {
    case "none":
      return;
    case "ces":
      positiveAt(ft.gamma, [...base, "gamma"], "the fine-tuning exponent gamma", add);
      checkRho(ft.rho, [...base, "rho"], add);
      checkClasses(ft.classes, [...base, "classes"], add);
      return;
    case "baseline":
      positiveAt(ft.gamma, [...base, "gamma"], "the fine-tuning exponent gamma", add);
      positiveAt(ft.b, [...base, "b"], "the baseline b", add);
      checkClasses(ft.classes, [...base, "classes"], add);
      return;
    case "baselinePerClass":
      checkUniqueNames(ft.classes, [...base, "classes"], add);
      ft.classes.forEach((c, i) => {
        const p = [...base, "classes", i];
        positiveAt(c.cost, [...p, "cost"], "a fine-tuning token cost", add);
        positiveAt(c.b, [...p, "b"], "the baseline b", add);
        positiveAt(c.gamma, [...p, "gamma"], "the exponent gamma", add);
      });
      return;
  }
}

/** Checks shared by the scenario's technology and a model's technology block. */
function checkTechnologyBody(t: Omit<TechnologySpec, "sigma">, sigma: number, base: Path, add: Add, who = ""): void {
  if (t.tokens) {
    checkRho(t.tokens.rho, [...base, "tokens", "rho"], add);
    checkClasses(t.tokens.classes, [...base, "tokens", "classes"], add);
  }
  checkFineTuning(t.fineTuning, [...base, "fineTuning"], add);
  if (t.aggregate) {
    positiveAt(t.aggregate.kappa, [...base, "aggregate", "kappa"], "the cost scale kappa", add);
    if (!(t.aggregate.gamma >= 0)) add([...base, "aggregate", "gamma"], `gamma must be ≥ 0, got ${fmt(t.aggregate.gamma)}`);
    if (t.tokens) add([...base, "aggregate"], "give either tokens (token classes) or aggregate (κ and γ), not both");
    if (t.fineTuning.kind !== "none") {
      add([...base, "fineTuning"], "aggregate already includes fine-tuning through its gamma: drop fineTuning or aggregate");
    }
  } else if (t.fineTuning.kind !== "none" && !t.tokens) {
    add([...base, "fineTuning"], "fine-tuning multiplies the task-token gain Ψ: give tokens as well");
  }
  const g = technologyGamma(t, base);
  if (g.gamma >= 0) checkEta(sigma, g, add, who);
}

/** The smallest σ accepted: 1/σ stays finite with room (1e-310 still solved in a test; 5e-324 did not). */
export const MIN_SIGMA = 1e-300;

function checkTechnology(s: Scenario, add: Add): void {
  const t = s.technology;
  if (!(t.sigma > 0 && t.sigma < 1)) {
    add(["technology", "sigma"], `σ (returns to task tokens) must satisfy 0 < σ < 1, got ${fmt(t.sigma)}`);
  } else if (t.sigma < MIN_SIGMA) {
    // the model's exponents divide by σ (e = η/σ): at 5e-324 (a fuzzed value) 1/σ is ∞, the
    // cost of quality's κ overflowed or the closed form's menu failed its own checks
    add(["technology", "sigma"], `σ = ${fmt(t.sigma)} is too small to compute with (the exponents η/σ overflow): at least ${fmt(MIN_SIGMA)}`);
  }
  checkTechnologyBody(t, t.sigma, ["technology"], add);
}

// ---------------------------------------------------------------- market

function modelGamma(m: ModelSpec, base: Path): GammaSource {
  if ("technology" in m) return technologyGamma(m.technology, [...base, "technology"]);
  return { gamma: m.gamma, path: [...base, "gamma"], label: "γ" };
}

function checkModel(m: ModelSpec, sigma: number, base: Path, add: Add): void {
  const who = ` for ${base[base.length - 1] as string}`;
  if ("technology" in m) {
    const t = m.technology;
    const tb = [...base, "technology"];
    if (t.sigma !== undefined && t.sigma !== sigma) {
      add([...tb, "sigma"], `σ is common to all models: must equal technology.sigma = ${fmt(sigma)}, got ${fmt(t.sigma)}`);
    }
    if (!t.tokens && !t.aggregate) add(tb, "a model's technology needs tokens or aggregate to compute its cost scale c_ℓ");
    checkTechnologyBody(t, sigma, tb, add, who);
  } else {
    positiveAt(m.cost, [...base, "cost"], "the aggregate cost scale c_ℓ", add);
    if (!(m.gamma >= 0)) add([...base, "gamma"], `the fine-tuning exponent γ must be ≥ 0, got ${fmt(m.gamma)}`);
    else checkEta(sigma, modelGamma(m, base), add, who);
  }
}

function needsCostOfQuality(m: MarketSpec): boolean {
  return m.kind === "monopoly" || m.kind === "tiers" || m.kind === "tokenDistributions" || (m.kind === "efficient" && !m.leader && !m.fringe);
}

/** docs/model.md 4: finitely many task-profile types on market.bins equal task bins. */
function checkTokenDistributions(s: Scenario, m: Extract<MarketSpec, { kind: "tokenDistributions" }>, add: Add): void {
  if (!(Number.isInteger(m.bins) && m.bins >= 1 && m.bins <= MAX_BINS)) add(["market", "bins"], `the number of task bins must be an integer from 1 to ${MAX_BINS}, got ${fmt(m.bins)}`);
  if ("theta" in s.buyers) {
    add(["buyers"], "the tokenDistributions market needs task profiles, not only their aggregate type θ: give buyers.profiles (a list, or sampled) or buyers.valueScale");
  }
  if (m.valueScaleGrid) {
    if (!("valueScale" in s.buyers)) add(["market", "valueScaleGrid"], "applies to buyers.valueScale only (it discretizes w and s)");
    for (const k of ["w", "s"] as const) {
      const v = m.valueScaleGrid[k];
      if (!(Number.isInteger(v) && v >= 1 && v <= 1000)) add(["market", "valueScaleGrid", k], `must be an integer from 1 to 1000, got ${fmt(v)}`);
    }
  }
  if ("profiles" in s.buyers && s.buyers.profiles.kind !== "list" && s.buyers.profiles.samples > MAX_TASK_TYPES) {
    add(["buyers", "profiles", "samples"], `the tokenDistributions market solves at most ${MAX_TASK_TYPES} types, got ${fmt(s.buyers.profiles.samples)} samples`);
  }
  if ("profiles" in s.buyers && s.buyers.profiles.kind === "list" && s.buyers.profiles.weights.length > MAX_TASK_TYPES) {
    add(["buyers", "profiles", "weights"], `the tokenDistributions market solves at most ${MAX_TASK_TYPES} types, got ${s.buyers.profiles.weights.length}`);
  }
}

function checkMarket(s: Scenario, add: Add): void {
  const m = s.market;
  const sigma = s.technology.sigma;
  if (needsCostOfQuality(m) && !s.technology.tokens && !s.technology.aggregate) {
    add(
      ["technology", "tokens"],
      `the ${m.kind} market needs a cost of quality: give technology.tokens (token classes) or technology.aggregate (κ and γ)`,
    );
  }
  if (m.kind === "tokenDistributions") checkTokenDistributions(s, m, add);
  if (m.kind === "tiers" && !(m.count >= 1 && m.count <= 50)) {
    add(["market", "count"], `the number of tiers must be an integer from 1 to 50, got ${fmt(m.count)}`);
  }
  if (m.kind === "efficient" && (m.leader === undefined) !== (m.fringe === undefined)) {
    add(["market", m.leader ? "fringe" : "leader"], "give both leader and fringe, or neither (one model from technology)");
  }
  if (!("leader" in m) || !m.leader || !m.fringe) return;
  checkModel(m.leader, sigma, ["market", "leader"], add);
  checkModel(m.fringe, sigma, ["market", "fringe"], add);
  if (m.kind === "leaderFringe" || m.kind === "compare" || m.kind === "multiModelMonopoly") {
    const gL = modelGamma(m.leader, ["market", "leader"]);
    const gF = modelGamma(m.fringe, ["market", "fringe"]);
    if (gF.gamma > gL.gamma) {
      add(
        gF.path.length > 0 ? gF.path : ["market", "fringe"],
        `the fringe's fine-tuning exponent must not exceed the leader's (docs/model.md 3c): γ_F = ${fmt(gF.gamma)} > γ_L = ${fmt(gL.gamma)}`,
      );
    }
  }
}

// ---------------------------------------------------------------- grid, sweep

function axisLength(a: SweepAxis): number {
  if ("values" in a) return a.values.length;
  return "linspace" in a ? a.linspace[2] : a.logspace[2];
}

/** Why `segs` is not a place a sweep (or `who`) can put a number, or undefined if it is. */
function sweepTargetProblem(s: Scenario, segs: readonly PathSegment[], who = "a sweep"): string | undefined {
  const value = getPath(s, segs);
  if (typeof value === "number") return undefined;
  if (value !== undefined) return `${who} sets numbers, but this field holds ${Array.isArray(value) ? "an array" : value === null ? "null" : typeof value === "object" ? "an object" : `a ${typeof value}`}`;
  // Missing: fine if the schema has a number there (e.g. market.fringe.cost), but never a new array slot.
  let cur: unknown = s;
  for (let i = 0; i < segs.length; i++) {
    if (Array.isArray(cur)) {
      const seg = segs[i];
      if (typeof seg !== "number" || seg >= cur.length) {
        return `${formatJsonPath(segs.slice(0, i))} has ${cur.length} entries; index ${String(seg)} does not exist`;
      }
    }
    if (cur === null || typeof cur !== "object") break;
    cur = (cur as Record<string, unknown>)[String(segs[i])];
    if (cur === undefined) break;
  }
  if (acceptsNumberAt(segs)) return undefined;
  // the numbers this scenario has, as paths: the one closest to the mistyped path, else a few
  const numbers: string[] = [];
  const walk = (v: unknown, at: PathSegment[]) => {
    if (numbers.length >= 2000) return;
    if (typeof v === "number") numbers.push(formatJsonPath(at));
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, i]));
    else if (v !== null && typeof v === "object" && at[0] !== "sweep") for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
  };
  walk(s, []);
  const hint = closest(formatJsonPath(segs), numbers);
  if (hint) return `no scenario field takes a number at this path; did you mean ${hint}?`;
  return `no scenario field takes a number at this path (this scenario's numbers include ${numbers.slice(0, 4).join(", ")})`;
}

function checkSweep(s: Scenario, sw: SweepSpec, add: Add): void {
  const keys = Object.keys(sw.params);
  if (keys.length === 0) add(["sweep", "params"], "a sweep needs at least one parameter");
  const lengths = new Map<string, number>();
  for (const key of keys) {
    const at: Path = ["sweep", "params", key];
    let segs: PathSegment[] | undefined;
    try {
      segs = parsePath(key, formatJsonPath(at));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      add(at, e.reason);
    }
    if (segs) {
      const why = sweepTargetProblem(s, segs);
      if (why) add(at, why);
    }
    const axis = sw.params[key];
    if ("values" in axis) {
      // a value listed twice solves the same point twice, under two grid indices: a typo, said
      // (a reviewer's [0.3, 0.3, 0.4] was accepted silently)
      const seen = new Map<number, number>();
      axis.values.forEach((v, i) => {
        const j = seen.get(v);
        if (j !== undefined) add([...at, "values", i], `${fmt(v)} is listed twice (also at values[${j}]): each value of an axis once`);
        else seen.set(v, i);
      });
    }
    if ("linspace" in axis || "logspace" in axis) {
      const name = "linspace" in axis ? "linspace" : "logspace";
      const n = axisLength(axis);
      if (!(n >= 1)) add([...at, name, 2], `the number of points n must be at least 1, got ${fmt(n)}`);
      if (n > MAX_SWEEP_POINTS) add([...at, name, 2], `at most ${MAX_SWEEP_POINTS} points, got ${fmt(n)}`);
      // the same point solved n times, under n grid indices (as a value listed twice: a
      // reviewer's linspace [0.2, 0.2, 3] solved three identical points, "3 values" said the caption)
      const [a, b] = "linspace" in axis ? axis.linspace : axis.logspace;
      if (n > 1 && Number.isFinite(a) && Number.isFinite(b)) {
        if (a === b) add([...at, name], `from ${fmt(a)} to ${fmt(b)}: its ${fmt(n)} points are all the same value; give two different ends, or a single value`);
        else if (Math.abs(b - a) / (n - 1) < 2 * Number.EPSILON * Math.max(Math.abs(a), Math.abs(b))) {
          add([...at, name], `${fmt(n)} points between ${String(a)} and ${String(b)} are closer than doubles can tell apart: some would repeat; fewer points or ends further apart`);
        }
      }
    }
    lengths.set(key, axisLength(axis));
  }
  const zipped = new Map<string, number>();
  let total = 1;
  (sw.zip ?? []).forEach((group, g) => {
    const known = group.filter((p) => lengths.has(p));
    group.forEach((p, i) => {
      if (!lengths.has(p)) add(["sweep", "zip", g, i], `"${p}" is not a swept parameter; zip groups name keys of sweep.params`);
      const other = zipped.get(p);
      if (other !== undefined && other !== g) add(["sweep", "zip", g, i], `"${p}" is already in zip group ${other}`);
      zipped.set(p, g);
    });
    const ls = known.map((p) => lengths.get(p) as number);
    if (ls.some((l) => l !== ls[0])) {
      add(["sweep", "zip", g], `zipped axes must have equal lengths, got ${known.map((p, i) => `${ls[i]} (${p})`).join(", ")}`);
    }
    if (ls.length > 0) total *= Math.max(...ls);
  });
  for (const [key, l] of lengths) if (!zipped.has(key)) total *= l;
  if (total > MAX_SWEEP_POINTS) add(["sweep", "params"], `the sweep has ${total} points; at most ${MAX_SWEEP_POINTS}`);
  if (sw.outputs.length === 0) add(["sweep", "outputs"], "name at least one output (e.g. profit)");
}

// ---------------------------------------------------------------- calibration, units, counterfactuals

/** A dotted path that names a numeric place of the scenario (problems reported at `at`). */
function checkNumericPath(s: Scenario, key: string, at: Path, who: string, add: Add): void {
  let segs: PathSegment[] | undefined;
  try {
    segs = parsePath(key, formatJsonPath(at));
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    add(at, e.reason);
  }
  if (segs) {
    const why = sweepTargetProblem(s, segs, who);
    if (why) add(at, why);
  }
}

export const MAX_CALIBRATION_STARTS = 1000;

function checkCalibrate(s: Scenario, c: CalibrateSpec, add: Add): void {
  const keys = Object.keys(c.params);
  if (keys.length === 0) add(["calibrate", "params"], "name at least one free parameter (e.g. market.fringe.cost)");
  for (const key of keys) {
    const at: Path = ["calibrate", "params", key];
    checkNumericPath(s, key, at, "a calibration", add);
    const { min, max, log } = c.params[key];
    if (!(Number.isFinite(min) && Number.isFinite(max) && min < max)) add(at, `bounds must be finite with min < max, got [${fmt(min)}, ${fmt(max)}]`);
    else if (log && !(min > 0)) add([...at, "min"], `a log-scaled parameter needs min > 0, got ${fmt(min)}`);
  }
  const names = Object.keys(c.targets);
  if (names.length === 0) add(["calibrate", "targets"], "name at least one target (an output such as fringeTokenShare, with its observed value)");
  for (const name of names) {
    const at: Path = ["calibrate", "targets", name];
    const t = c.targets[name];
    if (!Number.isFinite(t.value)) add([...at, "value"], `the observed value must be a finite number, got ${fmt(t.value)}`);
    // a share (fringeTokenShare, servedShare, profitShare…: every output named …Share is a
    // mass or a ratio in [0, 1]) observed outside [0, 1] is a typo, not a target to fit: the fit
    // ran to a failure instead (a reviewer's fringeTokenShare = 1.5)
    else if (/Share$/.test(name) && !(t.value >= 0 && t.value <= 1)) add([...at, "value"], `${name} is a share, in [0, 1]: got ${fmt(t.value)}`);
    if (t.weight !== undefined && t.se !== undefined) add(at, "give a weight or a standard error (se), not both");
    if (t.weight !== undefined && !(t.weight > 0 && Number.isFinite(t.weight))) add([...at, "weight"], `the weight must be positive and finite, got ${fmt(t.weight)}`);
    if (t.se !== undefined && !(t.se > 0 && Number.isFinite(t.se))) add([...at, "se"], `the standard error must be positive and finite, got ${fmt(t.se)}`);
    if (t.weight === undefined && t.se === undefined && t.value === 0) {
      add([...at, "value"], "a target of 0 has no relative miss: give its standard error (se)");
    }
  }
  if (!(Number.isInteger(c.starts) && c.starts >= 1 && c.starts <= MAX_CALIBRATION_STARTS)) {
    add(["calibrate", "starts"], `between 1 and ${MAX_CALIBRATION_STARTS} starting points, got ${fmt(c.starts)}`);
  }
  if (!(c.tolerance > 0 && c.tolerance < 1)) add(["calibrate", "tolerance"], `the tolerance must lie in (0, 1), got ${fmt(c.tolerance)}`);
  if (!(Number.isInteger(c.profilePoints) && (c.profilePoints === 0 || c.profilePoints >= 2) && c.profilePoints <= 200)) {
    // (one point is no profile: it would draw nothing, silently)
    add(["calibrate", "profilePoints"], `0 (no profiles) or between 2 and 200 points per profile, got ${fmt(c.profilePoints)}`);
  }
}

function checkUnits(u: UnitsSpec, add: Add): void {
  if (!(u.tokens > 0 && Number.isFinite(u.tokens))) add(["units", "tokens"], `the number of tokens per cost unit must be positive and finite, got ${fmt(u.tokens)}`);
  if (!(u.currencyPerCostUnit > 0 && Number.isFinite(u.currencyPerCostUnit))) {
    add(["units", "currencyPerCostUnit"], `must be positive and finite, got ${fmt(u.currencyPerCostUnit)}`);
  }
}

function checkCostDecline(s: Scenario, d: CostDeclineSpec, add: Add): void {
  const at: Path = ["figures", "costDecline"];
  checkNumericPath(s, d.path, [...at, "path"], "a falling cost", add);
  if (!(d.years > 0 && Number.isFinite(d.years))) add([...at, "years"], `the horizon must be positive and finite, got ${fmt(d.years)}`);
  if (!(Number.isInteger(d.points) && d.points >= 2 && d.points <= 1000)) add([...at, "points"], `between 2 and 1000 points, got ${fmt(d.points)}`);
  d.halfLives.forEach((h, i) => {
    if (!(h.years > 0 && Number.isFinite(h.years))) add([...at, "halfLives", i, "years"], `a half-life must be positive and finite, got ${fmt(h.years)}`);
  });
}

// ---------------------------------------------------------------- entry point

/** All economic problems of a structurally valid scenario (defaults filled), in file order. */
export function economicProblems(s: Scenario): Problem[] {
  const problems: Problem[] = [];
  const add: Add = (path, message) => problems.push({ path: formatJsonPath(path), message });
  // (the law built once for both checks: a sweep's validation built it twice a point)
  const buyers = checkBuyers(s, add);
  checkTechnology(s, add);
  checkMarket(s, add);
  if (!(s.grid.points >= 3)) add(["grid", "points"], `at least 3 grid points, got ${fmt(s.grid.points)}`);
  if (s.sweep) checkSweep(s, s.sweep, add);
  if (s.calibrate) checkCalibrate(s, s.calibrate, add);
  if (s.units) checkUnits(s.units, add);
  if (s.figures?.costDecline) checkCostDecline(s, s.figures.costDecline, add);
  if (problems.length === 0) checkPrecision(s, add, buyers);
  return problems;
}

/**
 * The same for the models of a two-model market (leader, fringe: each with its own γ and cost;
 * docs/model.md 3): a model's efficient aggregate quality for the top type is
 * Q = (η θ / c)^(η/(1 − η)), η = σ + γ, and its cost c·Q^(1/η). With γ_L = 0.4999999 at σ = 0.5
 * (exponent 10^7) every point of a sweep failed with "envelope check … NaN", and a discrete market
 * printed a meaningless profit, while validate said ok (a reviewer's). Returns whether a problem
 * was added. Worked in logarithms: the quality itself is what overflows.
 */
/** The path of the γ in η = σ + γ (docs/model.md (1.13)): the fine-tuning block's, else the
 *  aggregate technology's, else σ's own (a reviewer's γ = 0.4999999 was blamed on σ). */
function gammaPath(s: Scenario): Path {
  const t = s.technology as { fineTuning?: { gamma?: unknown }; aggregate?: { gamma?: unknown } };
  if (typeof t.fineTuning?.gamma === "number") return ["technology", "fineTuning", "gamma"];
  if (typeof t.aggregate?.gamma === "number") return ["technology", "aggregate", "gamma"];
  return ["technology", "sigma"];
}

function checkModelPrecision(s: Scenario, top: number, add: Add): boolean {
  const market = s.market as { leader?: { gamma?: unknown; cost?: unknown }; fringe?: { gamma?: unknown; cost?: unknown } };
  for (const key of ["leader", "fringe"] as const) {
    const m = market[key];
    if (!m || typeof m.gamma !== "number" || typeof m.cost !== "number" || !(m.cost > 0)) continue;
    const eta = s.technology.sigma + m.gamma;
    if (!(eta > 0 && eta < 1)) continue;
    const exponent = eta / (1 - eta);
    const logQ = exponent * Math.log((eta * top) / m.cost);
    const logCost = Math.log(m.cost) + logQ / eta;
    const LOG_MAX = Math.log(1e300);
    const blame = exponent > 100 ? ["market", key, "gamma"] : "theta" in s.buyers ? ["buyers", "theta", "max"] : ["buyers"];
    const model = key === "leader" ? "leader's" : "fringe's";
    if (logQ > LOG_MAX || logCost > LOG_MAX) {
      add(
        blame,
        `the ${model} efficient quality for the top type θ = ${fmt(top)} is beyond double precision: it grows as (η θ / c)^(η/(1 − η)), exponent ${fmt(exponent)} ` +
          `(η = σ + γ = ${fmt(eta)}, docs/model.md (1.13)); lower market.${key}.gamma, or bring the types and the cost nearer 1`,
      );
      return true;
    }
    if (Math.log(top) + logQ < Math.log(SMALLEST_SURPLUS)) {
      add(
        blame,
        `the ${model} efficient surplus for the top type θ = ${fmt(top)} is below double precision's working range (${fmt(SMALLEST_SURPLUS)}): quality scales as (η θ / c)^(η/(1 − η)), exponent ${fmt(exponent)} ` +
          `(η = σ + γ = ${fmt(eta)}); lower market.${key}.gamma, or bring the types and the cost nearer 1`,
      );
      return true;
    }
  }
  return false;
}

/**
 * The path of a unit cost (a token or fine-tuning class's, or κ) further from 1 in orders of
 * magnitude than the top type, when one is more than 30 orders away: the likelier culprit when
 * quality leaves double precision (a token cost of 1e-320 was blamed on buyers.theta.max, a
 * reviewer's). Undefined otherwise.
 */
function extremeCost(s: Scenario, top: number): (string | number)[] | undefined {
  const t = s.technology as {
    tokens?: { classes?: { cost?: unknown }[] };
    fineTuning?: { classes?: { cost?: unknown }[] };
    aggregate?: { kappa?: unknown };
  };
  const costs: [(string | number)[], unknown][] = [
    ...(t.tokens?.classes ?? []).map((c, i): [(string | number)[], unknown] => [["technology", "tokens", "classes", i, "cost"], c.cost]),
    ...(t.fineTuning?.classes ?? []).map((c, i): [(string | number)[], unknown] => [["technology", "fineTuning", "classes", i, "cost"], c.cost]),
    [["technology", "aggregate", "kappa"], t.aggregate?.kappa],
  ];
  let worst: (string | number)[] | undefined;
  let far = Math.max(30, Math.abs(Math.log10(top)));
  for (const [path, c] of costs) {
    if (typeof c !== "number" || !(c > 0)) continue;
    const d = Math.abs(Math.log10(c));
    if (d > far) [far, worst] = [d, path];
  }
  return worst;
}

/** The smallest efficient surplus θ·Q of the top type the solvers are held to. */
const SMALLEST_SURPLUS = 1e-280;

/**
 * The top type's efficient quality must be a double: Q grows as the marginal value to the power
 * η/(1 − η) (docs/model.md (1.13)), so σ + γ = 0.9999 (exponent 9999), types of 1e300 or costs of
 * 1e-300 overflow, and the solve failed deep inside with "quality overflows" (a reviewer's).
 * Said here, at the path most likely to blame, before anything is solved. Markets whose models
 * carry their own γ and costs (leader–fringe) have no technology block to check this way.
 */
function checkPrecision(s: Scenario, add: Add, built?: TypeDistribution): void {
  let cost: CostOfQuality;
  let top: number;
  try {
    top = (built ?? buildBuyers(s.buyers, s.technology.sigma, s.seed)).max;
  } catch (e) {
    if (e instanceof InputError || e instanceof NumericalError) return;
    throw e;
  }
  if (!(top > 0 && Number.isFinite(top))) return;
  // (the models' own γ and costs first: a leader–fringe scenario may have no token technology)
  if (checkModelPrecision(s, top, add)) return;
  // No cost of quality of the scenario's own (a leader–fringe market's models carry theirs,
  // checked above): nothing more to check. Said before buildTechnology, whose InputError for it
  // was built and caught at every point of a leader–fringe sweep (~13 µs a point, 4 % of a
  // Beta(2, 2) sweep's).
  if (s.technology.tokens === undefined && s.technology.aggregate === undefined) return;
  try {
    cost = buildTechnology(s.technology);
  } catch (e) {
    if (e instanceof InputError || e instanceof NumericalError) return;
    throw e;
  }
  let q: number;
  try {
    q = cost.qualityForMarginalCost(top);
  } catch (e) {
    if (!(e instanceof NumericalError)) throw e;
    q = Infinity;
  }
  const exponent = cost.eta / (1 - cost.eta);
  // …and not vanish: with types of 1e-300 the surplus θ·Q underflowed, and the closed form
  // returned a profit of 0, every type excluded, "certified" (a reviewer's). Double precision
  // ends near 1e-308; products of a surplus with densities and shares need room below it.
  if (Number.isFinite(q) && top * q < SMALLEST_SURPLUS) {
    add(
      extremeCost(s, top) ?? ("theta" in s.buyers ? ["buyers", "theta", "max"] : ["buyers"]),
      `the efficient surplus of the top type θ = ${fmt(top)} is ${fmt(top * q)}, below double precision's working range (${fmt(SMALLEST_SURPLUS)}): quality scales as the marginal value to the power η/(1 − η) = ${fmt(exponent)} ` +
        `(η = σ + γ = ${fmt(cost.eta)}, docs/model.md (1.13)); bring the types and the token costs nearer 1 (rescaling θ rescales every money figure)`,
    );
    return;
  }
  if (Number.isFinite(q) && Number.isFinite(cost.cost(q))) return;
  add(
    exponent > 100 ? gammaPath(s) : (extremeCost(s, top) ?? ("theta" in s.buyers ? ["buyers", "theta", "max"] : ["buyers"])),
    `the efficient quality of the top type θ = ${fmt(top)} is beyond double precision: quality grows as the marginal value to the power η/(1 − η) = ${fmt(exponent)} ` +
      `(η = σ + γ = ${fmt(cost.eta)}, docs/model.md (1.13)); lower σ + γ, or bring the types and the token costs nearer 1`,
  );
}
