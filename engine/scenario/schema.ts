// The zod schema of a scenario file (README "Scenario reference"; types in spec-types.ts).
// It checks structure only: types, required fields, unknown keys (strict objects, so a typo
// such as "sigam" is an error rather than a silently ignored field), integers, and fills the
// defaults. Numeric ranges (0 < σ < 1, costs > 0, Σα = 1, …) are checked by economic-checks.ts,
// so that a file with several wrong numbers gets all of them reported at once; the ranges are
// still written into the JSON Schema (as `.meta` keywords) so that editors can flag them early.
// Also here: small walkers over the schema (which keys an object accepts, where a number may go),
// used for "did you mean" hints and for checking sweep parameter paths.

import { z } from "zod";
import type { DistSpec, Scenario } from "./spec-types.js";
import type { PathSegment } from "./overrides.js";
import { OBSERVABLE_NAMES } from "./observable-names.js";

const OUTPUT_NAMES = `any scalar of the market, e.g. profit, thetaLow; the observables (README): ${OBSERVABLE_NAMES.join(", ")}, and with \`units\` their …InCurrency twins`;

// ---------------------------------------------------------------- scalars

const positive = (description: string) => z.number().meta({ description, exclusiveMinimum: 0 });
const nonnegative = (description: string) => z.number().meta({ description, minimum: 0 });
const rho = (description: string) => z.number().meta({ description, maximum: 1 });
const lower = (description = "lowest value of the support") => z.number().meta({ description });
const upper = (description = "highest value of the support (must exceed min)") => z.number().meta({ description });

// ---------------------------------------------------------------- names

/**
 * Token-class and model names become CSV column names (`X.<class>`), JSON keys and figure legend
 * entries: letters, digits, space, `.`, `_`, `-`, `+`, `(`, `)`, starting with a letter or digit
 * and not ending in a space. Nothing a spreadsheet, TeX or a shell would read as code.
 */
export const LABEL_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9 ._+()-]*[A-Za-z0-9._+()-])?$/;
export const MAX_LABEL_NAME = 64;
export const MAX_SCENARIO_NAME = 100;

const labelName = (description: string) =>
  z
    .string()
    .min(1)
    .max(MAX_LABEL_NAME)
    .regex(LABEL_NAME, {
      error: `expected a name of ASCII letters (A–Z, a–z), digits, spaces, ".", "_", "-", "+", "(" or ")" starting with a letter or digit (it becomes a column name and a legend entry)`,
    })
    .meta({ description });

// ---------------------------------------------------------------- distributions

const Uniform = z
  .strictObject({ dist: z.literal("uniform"), min: lower(), max: upper() })
  .meta({ title: "Uniform", description: "Uniform on [min, max]." });

const Beta = z
  .strictObject({
    dist: z.literal("beta"),
    a: positive("first shape parameter a > 0"),
    b: positive("second shape parameter b > 0"),
    min: lower().default(0),
    max: upper().default(1),
  })
  .meta({ title: "Beta", description: "Beta(a, b) rescaled from [0, 1] to [min, max] (defaults 0 and 1)." });

const TruncExponential = z
  .strictObject({
    dist: z.literal("truncExponential"),
    rate: z.number().meta({ description: "density ∝ exp(−rate·t); any finite rate (negative: increasing density)" }),
    min: lower(),
    max: upper(),
  })
  .meta({ title: "Truncated exponential", description: "Density proportional to exp(−rate·t) on [min, max]." });

const TruncLognormal = z
  .strictObject({
    dist: z.literal("truncLognormal"),
    mu: z.number().meta({ description: "mean of log t" }),
    sigma: positive("standard deviation of log t (> 0)"),
    min: positive("lowest value of the support (> 0)"),
    max: upper(),
  })
  .meta({ title: "Truncated lognormal", description: "log t ~ N(mu, sigma²), truncated to [min, max] with 0 < min." });

const TruncPareto = z
  .strictObject({
    dist: z.literal("truncPareto"),
    alpha: positive("tail index alpha > 0: density ∝ t^(−alpha−1)"),
    min: positive("lowest value of the support (> 0)"),
    max: upper(),
  })
  .meta({ title: "Truncated Pareto", description: "Density proportional to t^(−alpha−1) on [min, max] with 0 < min." });

const Discrete = z
  .strictObject({
    dist: z.literal("discrete"),
    values: z.array(z.number()).min(1).meta({ description: "the types, strictly ascending" }),
    probs: z.array(z.number()).min(1).meta({ description: "their probabilities: each > 0, summing to 1" }),
  })
  .meta({ title: "Discrete", description: "Finitely many types with given probabilities." });

const Expression = z
  .strictObject({
    dist: z.literal("expression"),
    density: z
      .string()
      .meta({
        description:
          "density formula in theta, e.g. \"exp(-theta^2/2)\"; normalized by the engine on [min, max]. " +
          "Allowed: numbers, theta, pi, e, + − * / ^, parentheses and the functions exp, log, log10, log2, " +
          "log1p, expm1, sqrt, cbrt, pow, abs, min, max, sin, cos, tan, asin, acos, atan, atan2, sinh, cosh, tanh, erf, gamma.",
      }),
    min: lower(),
    max: upper(),
  })
  .meta({ title: "Density formula", description: "A density given by a formula in theta (restricted math parser)." });

const DistUnion = z
  .discriminatedUnion("dist", [
    Uniform,
    Beta,
    TruncExponential,
    TruncLognormal,
    TruncPareto,
    Discrete,
    z
      .strictObject({
        dist: z.literal("mixture"),
        get components(): z.ZodArray<z.ZodType<DistSpec, unknown>> {
          return z.array(DistSchema).min(1).meta({ description: "component distributions: all continuous or all discrete" });
        },
        weights: z.array(z.number()).min(1).meta({ description: "component weights: each > 0, summing to 1" }),
      })
      .meta({ id: "MixtureSpec", title: "Mixture", description: "A finite mixture of distributions." }),
    Expression,
  ])
  .meta({
    id: "DistSpec",
    title: "Distribution",
    description: "A distribution of a scalar (the aggregate type θ, or w and s of value–scale types), chosen by `dist`.",
  });

// Annotated, not cast: tsc checks that the union's output is a DistSpec (the getter above needs the name).
export const DistSchema: z.ZodType<DistSpec, unknown> = DistUnion;

// ---------------------------------------------------------------- buyers

const Profiles = z
  .discriminatedUnion("kind", [
    z
      .strictObject({
        kind: z.literal("iid"),
        samples: z.number().int().meta({ description: "number of sampled buyer profiles", minimum: 1 }),
        tasks: z.number().int().meta({ description: "number of equal task bins", minimum: 1 }),
        weight: DistSchema.meta({ description: "distribution of the weight w_i of each task bin (w_i ≥ 0)" }),
      })
      .meta({ title: "iid task weights", description: "w_i drawn independently from `weight` on each task bin." }),
    z
      .strictObject({
        kind: z.literal("valueScale"),
        samples: z.number().int().meta({ description: "number of sampled buyer profiles", minimum: 1 }),
        tasks: z.number().int().meta({ description: "number of equal task bins", minimum: 1 }),
        w: DistSchema.meta({ description: "value per task, w ≥ 0" }),
        s: DistSchema.meta({ description: "share of tasks used, s in (0, 1]" }),
      })
      .meta({ title: "Value–scale profiles", description: "w_i = w on the first share s of the task bins, 0 elsewhere." }),
    z
      .strictObject({
        kind: z.literal("list"),
        weights: z
          .array(z.array(z.number()).min(1))
          .min(1)
          .meta({ description: "one row per type: its weights w_b ≥ 0 on the equal-mass task bins (all rows of equal length)" }),
        probs: z.array(z.number()).min(1).meta({ description: "probability of each type: each > 0, summing to 1" }),
      })
      .meta({ title: "Listed profiles", description: "Finitely many types given explicitly by their task-weight profiles and probabilities." }),
  ])
  .meta({ id: "ProfilesSpec", title: "Task-weight profiles", description: "Buyers given by task-weight profiles (Lemma 1): sampled with `seed`, or listed." });

export const BuyersSchema = z
  .union([
    z
      .strictObject({ theta: DistSchema.meta({ description: "distribution of the aggregate type θ ≥ 0" }) })
      .meta({ title: "Aggregate type", description: "The distribution of the aggregate type θ." }),
    z
      .strictObject({
        valueScale: z
          .strictObject({
            w: DistSchema.meta({ description: "value per task, w ≥ 0" }),
            s: DistSchema.meta({ description: "scale: share of tasks used, s in (0, 1]" }),
          })
          .meta({ description: "independent w and s; θ = w·s^(1−σ)" }),
      })
      .meta({ title: "Value–scale types", description: "Types (w, s): value w on a share s of the tasks, θ = w·s^(1−σ)." }),
    z.strictObject({ profiles: Profiles }).meta({ title: "Task-weight profiles" }),
  ])
  .meta({
    id: "BuyersSpec",
    title: "Buyers",
    description: "Exactly one of `theta`, `valueScale` or `profiles`.",
  });

// ---------------------------------------------------------------- technology

export const ClassSchema = z
  .strictObject({
    name: labelName("class name (e.g. input, output, cached); unique within its group; letters, digits, space, . _ - + ( )"),
    alpha: positive("CES weight α > 0; the weights of a group sum to 1"),
    cost: positive("marginal cost per token of this class (> 0)"),
  })
  .meta({ id: "ClassSpec", title: "Token class" });

const BaselineClass = z
  .strictObject({
    name: labelName("class name, unique among the fine-tuning classes; letters, digits, space, . _ - + ( )"),
    cost: positive("marginal cost per fine-tuning token of this class (> 0)"),
    b: positive("free baseline b_k > 0 (fine-tuning is optional: z_k = 0 is allowed)"),
    gamma: positive("exponent γ_k > 0; σ + Σ_k γ_k < 1"),
  })
  .meta({ id: "BaselineClassSpec", title: "Fine-tuning class with baseline" });

const Tokens = z
  .strictObject({
    rho: rho("CES substitution parameter ρ ≤ 1 (1: perfect substitutes, 0: Cobb–Douglas, very negative: Leontief)"),
    classes: z.array(ClassSchema).min(1).meta({ description: "task-token classes j with weights α_j and costs c_j" }),
  })
  .meta({
    id: "TokensSpec",
    title: "Task tokens",
    description: "CES task-token aggregate Ψ(x) = (Σ_j α_j x_j^ρ)^(σ/ρ).",
  });

export const FineTuningSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("none") }).meta({ title: "No fine-tuning", description: "Φ ≡ 1 (γ = 0)." }),
    z
      .strictObject({
        kind: z.literal("ces"),
        gamma: positive("returns to fine-tuning γ > 0, with σ + γ < 1"),
        rho: rho("CES substitution parameter ρ̂ ≤ 1 across fine-tuning classes"),
        classes: z.array(ClassSchema).min(1).meta({ description: "fine-tuning token classes k with weights α̂_k and costs ĉ_k" }),
      })
      .meta({ title: "CES fine-tuning", description: "Φ(z) = (Σ_k α̂_k z_k^ρ̂)^(γ/ρ̂)." }),
    z
      .strictObject({
        kind: z.literal("baseline"),
        gamma: positive("returns to fine-tuning γ > 0, with σ + γ < 1"),
        b: positive("free baseline b > 0 (so buying no fine-tuning is possible)"),
        classes: z.array(ClassSchema).min(1).meta({ description: "fine-tuning token classes k with weights α̂_k and costs ĉ_k" }),
      })
      .meta({ title: "Fine-tuning with a baseline", description: "Φ(z) = (b + Σ_k α̂_k z_k)^γ." }),
    z
      .strictObject({
        kind: z.literal("baselinePerClass"),
        classes: z.array(BaselineClass).min(1).meta({ description: "fine-tuning classes k with baselines b_k and exponents γ_k" }),
      })
      .meta({ title: "Per-class baselines", description: "Φ(z) = Π_k (b_k + z_k)^(γ_k)." }),
  ])
  .meta({ id: "FineTuningSpec", title: "Fine-tuning technology", description: "The fine-tuning aggregate Φ, chosen by `kind` (default none)." });

const Aggregate = z
  .strictObject({
    kappa: positive("cost scale κ > 0 of C(Q) = κ Q^(1/(σ+γ))"),
    gamma: nonnegative("fine-tuning exponent γ ≥ 0 (η = σ + γ < 1)"),
  })
  .meta({ id: "AggregateCostSpec", title: "Aggregate cost of quality", description: "Shortcut C(Q) = κ Q^(1/(σ+γ)) without token classes." });

const technologyShape = {
  tokens: Tokens.optional(),
  fineTuning: FineTuningSchema.default(() => ({ kind: "none" as const })),
  aggregate: Aggregate.optional(),
};

export const TechnologySchema = z
  .strictObject({
    sigma: z.number().meta({
      description: "returns to task tokens σ, 0 < σ < 1 (the exponent of Ψ)",
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
    }),
    ...technologyShape,
  })
  .meta({
    id: "TechnologySpec",
    title: "Technology",
    description:
      "Gain Ψ(x)Φ(z) and the seller's token costs. A cost of quality needs `tokens` (optionally with `fineTuning`) or `aggregate`.",
  });

const ModelTechnology = z
  .strictObject({
    sigma: z.number().optional().meta({ description: "must equal technology.sigma when given (σ is common to all models)" }),
    ...technologyShape,
  })
  .meta({ id: "ModelTechnologySpec", title: "A model's technology", description: "The model's own token classes and fine-tuning, from which its cost scale c_ℓ is computed." });

export const ModelSchema = z
  .union([
    z
      .strictObject({
        name: labelName("label used in outputs; letters, digits, space, . _ - + ( )").optional(),
        gamma: nonnegative("fine-tuning exponent γ_ℓ ≥ 0, with σ + γ_ℓ < 1"),
        cost: positive("aggregate cost scale c_ℓ > 0: C_ℓ(Q) = c_ℓ Q^(1/(σ+γ_ℓ))"),
      })
      .meta({ title: "Model by aggregate cost" }),
    z
      .strictObject({
        name: labelName("label used in outputs; letters, digits, space, . _ - + ( )").optional(),
        technology: ModelTechnology,
      })
      .meta({ title: "Model by technology" }),
  ])
  .meta({
    id: "ModelSpec",
    title: "Model",
    description: "A model of a several-model market: either `gamma` and `cost`, or a `technology` block.",
  });

// ---------------------------------------------------------------- market

export const MarketSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("monopoly") }).meta({ title: "Monopoly menu", description: "Optimal menu of token budgets (Proposition 2)." }),
    z
      .strictObject({
        kind: z.literal("tiers"),
        count: z.number().int().meta({ description: "number of tiers, 1 to 50", minimum: 1, maximum: 50 }),
      })
      .meta({ title: "Finite menu", description: "Best menu with `count` tiers." }),
    z
      .strictObject({ kind: z.literal("efficient"), leader: ModelSchema.optional(), fringe: ModelSchema.optional() })
      .meta({ title: "Efficient allocation", description: "One model (from `technology`) when leader/fringe are absent, else the two-model allocation." }),
    z
      .strictObject({ kind: z.literal("multiModelMonopoly"), leader: ModelSchema, fringe: ModelSchema })
      .meta({ title: "Multi-model monopolist", description: "One seller owns both models and screens (docs/model.md 3b)." }),
    z
      .strictObject({ kind: z.literal("leaderFringe"), leader: ModelSchema, fringe: ModelSchema })
      .meta({ title: "Leader vs competitive fringe", description: "Proposition 4: the fringe sells at marginal cost c_F." }),
    z
      .strictObject({ kind: z.literal("compare"), leader: ModelSchema, fringe: ModelSchema })
      .meta({ title: "Comparison", description: "Efficient, multi-model monopolist and leader–fringe side by side." }),
    z
      .strictObject({
        kind: z.literal("tokenDistributions"),
        bins: z.number().int().meta({ description: "number M of equal-mass task bins (each profile has M weights), 1 to 4096", minimum: 1, maximum: 4096 }),
        valueScaleGrid: z
          .strictObject({
            w: z.number().int().default(8).meta({ description: "values of w: quantile midpoints (a discrete w keeps its atoms)", minimum: 1, maximum: 1000 }),
            s: z.number().int().default(8).meta({ description: "values of s: quantile midpoints rounded up to whole bins (a discrete s keeps its atoms, rounded)", minimum: 1, maximum: 1000 }),
          })
          .optional()
          .meta({ description: "discretization of buyers.valueScale into finitely many types (default 8 × 8)" }),
      })
      .meta({
        title: "Menus of token distributions",
        description: "Full contracting on per-task qualities for finitely many task-profile types (docs/model.md 4), against the token-budget menu.",
      }),
  ])
  .meta({ id: "MarketSpec", title: "Market", description: "Market structure, chosen by `kind`." });

// ---------------------------------------------------------------- grid, sweep, figures

const Grid = z
  .strictObject({
    points: z.number().int().default(401).meta({ description: "number of grid types (≥ 3)", minimum: 3 }),
  })
  .meta({ id: "GridSpec", title: "Type grid" });

// (a list of the wrong length is told the whole form: zod's own "expected at least 3 items, got
// 2" and "expected at most 3 items, got 4" read as if other lengths would do, a reviewer's)
const triple = (what: string) =>
  z
    .tuple([z.number(), z.number(), z.number().int()], {
      error: (iss) =>
        iss.code === "too_small" || iss.code === "too_big"
          ? `expected exactly 3 numbers ${what.slice(0, what.indexOf(":"))}, got ${Array.isArray(iss.input) ? iss.input.length : "another length"}`
          : undefined,
    })
    .meta({ description: what });

export const SweepAxisSchema = z
  .union([
    z.strictObject({ linspace: triple("[from, to, n]: n evenly spaced values") }).meta({ title: "Linear spacing" }),
    z.strictObject({ logspace: triple("[a, b, n]: n values 10^x, x evenly spaced from a to b (like numpy)") }).meta({ title: "Log spacing" }),
    z.strictObject({ values: z.array(z.number()).min(1).meta({ description: "the values, in order" }) }).meta({ title: "Explicit values" }),
  ])
  .meta({ id: "SweepAxis", title: "Sweep axis" });

const Sweep = z
  .strictObject({
    params: z.record(z.string(), SweepAxisSchema).meta({
      description: "dotted scenario path (e.g. market.fringe.cost) → axis; the grid is their product, in the order written",
    }),
    zip: z.array(z.array(z.string()).min(1)).optional().meta({ description: "groups of swept paths walked together (equal lengths) instead of crossed" }),
    outputs: z.array(z.string()).min(1).meta({ description: `scalar outputs kept per point: ${OUTPUT_NAMES}` }),
    curves: z.array(z.string()).optional().meta({ description: "curve columns kept per point" }),
  })
  .meta({ id: "SweepSpec", title: "Parameter sweep" });

const CostDecline = z
  .strictObject({
    path: z.string().default("market.fringe.cost").meta({ description: "dotted path of the cost that falls (default market.fringe.cost)" }),
    years: positive("horizon of the figures, in years"),
    points: z.number().int().default(25).meta({ description: "points per curve (2 to 1000)", minimum: 2, maximum: 1000 }),
    halfLives: z
      .array(
        z.strictObject({
          label: labelName("legend entry, e.g. economy tier"),
          years: positive("half-life of the cost, in years"),
        }),
      )
      .min(1)
      .meta({ description: "one curve per half-life: the cost at t years is its scenario value times 2^(−t/half-life)" }),
  })
  .meta({
    id: "CostDeclineSpec",
    title: "Falling cost",
    description: "Counterfactual figures (cost-decline-*): the market as a cost keeps falling at given half-lives.",
  });

const Figures = z
  .strictObject({
    only: z.array(z.string()).optional().meta({ description: "figure names to draw (default: the market's standard set)" }),
    caption: z.string().optional(),
    costDecline: CostDecline.optional(),
    scales: z
      .record(z.string(), z.enum(["linear", "log"]))
      .optional()
      .meta({
        description:
          "axis scale of a swept parameter or an output in the sweep's figures, by its name (e.g. { \"profit\": \"linear\" }); default: log when the positive values span more than two decades (a logspace axis: log)",
      }),
  })
  .meta({ id: "FiguresSpec", title: "Figures" });

// ---------------------------------------------------------------- units, calibration

const Units = z
  .strictObject({
    currency: labelName("currency of the costs, e.g. USD"),
    tokens: positive("how many tokens one token of the model stands for: costs are per this many tokens (default 1e6: per million tokens)").default(1e6),
    currencyPerCostUnit: positive("currency amount of one unit of the scenario's costs (default 1: costs are given in the currency)").default(1),
  })
  .meta({
    id: "UnitsSpec",
    title: "Units",
    description:
      "Token costs in currency: every cost in the scenario is currencyPerCostUnit × currency per `tokens` tokens. Prices and payments are then reported in currency too (the …InCurrency outputs).",
  });

const CalibrateParam = z
  .strictObject({
    min: z.number().meta({ description: "lower bound" }),
    max: z.number().meta({ description: "upper bound (> min)" }),
    log: z.boolean().default(false).meta({ description: "search and report on a log scale (min > 0)" }),
  })
  .meta({ id: "CalibrateParam", title: "Free parameter" });

const CalibrateTarget = z
  .strictObject({
    value: z.number().meta({ description: "observed value of the output" }),
    weight: positive("weight of the relative miss (fitted − value)/|value| in the objective (default 1)").optional(),
    se: positive("standard error: the miss counts as (fitted − value)/se (instead of a weight)").optional(),
  })
  .meta({ id: "CalibrateTarget", title: "Target" });

const Calibrate = z
  .strictObject({
    params: z.record(z.string(), CalibrateParam).meta({ description: "dotted scenario path (e.g. market.fringe.cost) → bounds of the free parameter" }),
    targets: z.record(z.string(), CalibrateTarget).meta({
      description: `output name → observed value with a weight or a standard error; outputs: ${OUTPUT_NAMES}`,
    }),
    starts: z.number().int().default(8).meta({ description: "number of starting points (a seeded Latin hypercube over the bounds), 1 to 1000", minimum: 1, maximum: 1000 }),
    seed: z.number().int().optional().meta({ description: "seed of the starting design (default: the scenario's seed)" }),
    tolerance: positive("relative miss below which a target counts as met (default 1e-6)").default(1e-6),
    profilePoints: z.number().int().default(13).meta({ description: "points per profile plot (0 for none, at most 200)", minimum: 0, maximum: 200 }),
  })
  .meta({
    id: "CalibrateSpec",
    title: "Calibration",
    description: "Free parameters and targets for `lpe calibrate`: weighted least squares from a multistart design.",
  });

// ---------------------------------------------------------------- scenario

/** A scenario name: the same folder name on every file system (load.ts says why one is refused). */
// (case spelled out, no flag: the JSON Schema's pattern, which editors use, has no flags)
export const SCENARIO_NAME = /^(?!(?:[Cc][Oo][Nn]|[Pp][Rr][Nn]|[Aa][Uu][Xx]|[Nn][Uu][Ll]|[Cc][Oo][Mm][1-9]|[Ll][Pp][Tt][1-9])(?:\.|$))[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_-])?$/;

export const ScenarioSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: "path or URL of this JSON Schema, for editors" }),
    name: z
      .string()
      .max(MAX_SCENARIO_NAME)
      // (not a device name Windows reserves, with or without an extension, nor ending in "." —
      // Windows drops it —: a folder of that name cannot be made there, a reviewer's "CON")
      .regex(SCENARIO_NAME)
      .meta({ description: `scenario name; also the output folder name (letters, digits, '.', '_', '-'; at most ${MAX_SCENARIO_NAME} characters; not a name Windows reserves, such as CON or NUL, nor ending in '.')` }),
    description: z.string().optional(),
    buyers: BuyersSchema,
    technology: TechnologySchema,
    market: MarketSchema,
    grid: Grid.default(() => ({ points: 401 })),
    sweep: Sweep.optional(),
    figures: Figures.optional(),
    units: Units.optional(),
    calibrate: Calibrate.optional(),
    seed: z.number().int().default(1).meta({ description: "random seed (sampled profiles)" }),
  })
  .meta({
    title: "lpe scenario",
    description: "An LLM pricing scenario: buyers' types, the token technology, the market structure and what to compute.",
  });

export type ScenarioOutput = z.output<typeof ScenarioSchema>;

// Compile-time contract: the parsed scenario must be a spec-types Scenario (tsc fails otherwise).
const _outputIsScenario: (x: ScenarioOutput) => Scenario = (x) => x;
void _outputIsScenario;

// ---------------------------------------------------------------- schema walkers

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
  valueType?: z.ZodType;
  items?: z.ZodType[];
  values?: unknown[];
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(s: z.ZodType): z.ZodType {
  for (;;) {
    const d = defOf(s);
    if (d.innerType && ["optional", "default", "nullable", "nonoptional", "readonly", "prefault", "catch"].includes(d.type)) s = d.innerType;
    else if (d.type === "lazy" && d.getter) s = d.getter();
    else if (d.type === "pipe" && d.in) s = d.in;
    else return s;
  }
}

/** Literal value of a union option's discriminator, if it has one. */
function discriminatorValue(option: z.ZodType, key: string): unknown[] {
  const d = defOf(unwrap(option));
  const field = d.shape?.[key];
  if (!field) return [];
  return defOf(unwrap(field)).values ?? [];
}

/**
 * Every schema (unwrapped) that can sit at `path` inside `root`. Unions contribute all their
 * options, except that a discriminated union whose discriminator is known from `data` (the raw
 * input along the path, optional) is narrowed to the matching option.
 */
export function schemasAt(root: z.ZodType, path: readonly PathSegment[], data?: unknown): z.ZodType[] {
  const out: z.ZodType[] = [];
  const visit = (s: z.ZodType, i: number, here: unknown, depth: number): void => {
    if (depth > 200) return;
    s = unwrap(s);
    const d = defOf(s);
    if (d.type === "union" && d.options) {
      let options = d.options;
      const key = d.discriminator;
      if (key && here && typeof here === "object" && key in here) {
        const v = (here as Record<string, unknown>)[key];
        const narrowed = options.filter((o) => discriminatorValue(o, key).includes(v));
        if (narrowed.length > 0) options = narrowed;
      }
      for (const o of options) visit(o, i, here, depth + 1);
      return;
    }
    if (i === path.length) {
      out.push(s);
      return;
    }
    const seg = path[i];
    const next = here !== null && typeof here === "object" ? (here as Record<string, unknown>)[String(seg)] : undefined;
    if (d.type === "object" && d.shape && typeof seg === "string" && Object.hasOwn(d.shape, seg)) {
      visit(d.shape[seg], i + 1, next, depth + 1);
    } else if (d.type === "array" && d.element && typeof seg === "number") {
      visit(d.element, i + 1, next, depth + 1);
    } else if (d.type === "tuple" && d.items && typeof seg === "number" && seg < d.items.length) {
      visit(d.items[seg], i + 1, next, depth + 1);
    } else if (d.type === "record" && d.valueType) {
      visit(d.valueType, i + 1, next, depth + 1);
    }
  };
  visit(root, 0, data, 0);
  return out;
}

/** Field names an object at `path` may have (all union alternatives that fit `data`). */
export function knownKeysAt(path: readonly PathSegment[], data?: unknown, root: z.ZodType = ScenarioSchema): string[] {
  const keys = new Set<string>();
  for (const s of schemasAt(root, path, data)) {
    const shape = defOf(s).shape;
    if (shape) for (const k of Object.keys(shape)) keys.add(k);
  }
  return [...keys];
}

/** True when some alternative of the schema takes a number at `path` (e.g. market.fringe.cost); with
 *  `data`, only the alternatives its own discriminators choose (its market kind, its law). */
export function acceptsNumberAt(path: readonly PathSegment[], root: z.ZodType = ScenarioSchema, data?: unknown): boolean {
  return schemasAt(root, path, data).some((s) => defOf(s).type === "number");
}
