// The scenario file, as TypeScript types (README "Scenario reference").
// This is the contract between the schema (engine/scenario/schema.ts, zod) and every consumer:
// the zod schema's parsed output must be assignable to `Scenario` (a type test keeps them in step).
// Defaults are filled by the schema, so consumers see every field below that has no `?`.

/** A distribution of a scalar (the aggregate type θ, or w and s of value–scale types). */
export type DistSpec =
  | { dist: "uniform"; min: number; max: number }
  /** Beta(a, b) rescaled to [min, max] (defaults 0, 1). */
  | { dist: "beta"; a: number; b: number; min: number; max: number }
  /** density ∝ exp(−rate·t) on [min, max]. */
  | { dist: "truncExponential"; rate: number; min: number; max: number }
  /** log t ~ N(mu, sigma²), truncated to [min, max], 0 < min. */
  | { dist: "truncLognormal"; mu: number; sigma: number; min: number; max: number }
  /** density ∝ t^(−alpha−1) on [min, max], 0 < min. */
  | { dist: "truncPareto"; alpha: number; min: number; max: number }
  /** finitely many types: values strictly ascending, probs > 0 summing to 1. */
  | { dist: "discrete"; values: number[]; probs: number[] }
  /** weights > 0 summing to 1; components all continuous or all discrete. */
  | { dist: "mixture"; components: DistSpec[]; weights: number[] }
  /** density formula in `theta` (restricted parser), normalized by the engine on [min, max]. */
  | { dist: "expression"; density: string; min: number; max: number };

/** Sampled task-weight profiles (Lemma 1): each profile is a weight per task bin. */
export type ProfilesSpec =
  /** w_i iid from `weight` on each of `tasks` equal task bins. */
  | { kind: "iid"; samples: number; tasks: number; weight: DistSpec }
  /** value–scale profiles: w_i = w on the first share s of the task bins, 0 elsewhere. */
  | { kind: "valueScale"; samples: number; tasks: number; w: DistSpec; s: DistSpec }
  /** finitely many types given explicitly: one row of weights on equal task bins per type. */
  | { kind: "list"; weights: number[][]; probs: number[] };

export type BuyersSpec =
  | { theta: DistSpec }
  | { valueScale: { w: DistSpec; s: DistSpec } }
  | { profiles: ProfilesSpec };

export interface ClassSpec {
  name: string;
  alpha: number;
  cost: number;
}

export interface BaselineClassSpec {
  name: string;
  cost: number;
  /** free baseline b_k > 0 of Φ = Π_k (b_k + z_k)^(γ_k) */
  b: number;
  gamma: number;
}

export type FineTuningSpec =
  | { kind: "none" }
  /** Φ(z) = (Σ_k α̂_k z_k^ρ̂)^(γ/ρ̂) */
  | { kind: "ces"; gamma: number; rho: number; classes: ClassSpec[] }
  /** Φ(z) = (b + Σ_k α̂_k z_k)^γ */
  | { kind: "baseline"; gamma: number; b: number; classes: ClassSpec[] }
  /** Φ(z) = Π_k (b_k + z_k)^(γ_k) */
  | { kind: "baselinePerClass"; classes: BaselineClassSpec[] };

export interface TechnologySpec {
  sigma: number;
  /** CES task tokens Ψ(x) = (Σ_j α_j x_j^ρ)^(σ/ρ). Required unless `aggregate` is given
   *  or the market names its models by aggregate cost. */
  tokens?: { rho: number; classes: ClassSpec[] };
  fineTuning: FineTuningSpec; // default { kind: "none" }
  /** Shortcut: C(Q) = kappa Q^(1/(sigma+gamma)) without token classes. */
  aggregate?: { kappa: number; gamma: number };
}

/** A model of a several-model market: by aggregate cost c_ℓ and γ_ℓ, or by a technology block. */
export type ModelSpec =
  | { name?: string; gamma: number; cost: number }
  | { name?: string; technology: Omit<TechnologySpec, "sigma"> & { sigma?: number } };

export type MarketSpec =
  | { kind: "monopoly" }
  | { kind: "tiers"; count: number }
  /** one model (from `technology`) when leader/fringe are absent, else the two-model allocation */
  | { kind: "efficient"; leader?: ModelSpec; fringe?: ModelSpec }
  | { kind: "multiModelMonopoly"; leader: ModelSpec; fringe: ModelSpec }
  | { kind: "leaderFringe"; leader: ModelSpec; fringe: ModelSpec }
  /** efficient, multi-model monopolist and leader–fringe side by side */
  | { kind: "compare"; leader: ModelSpec; fringe: ModelSpec }
  /** menus of token distributions (full contracting on per-task quality) for finitely many
   *  task-profile types on `bins` equal task bins, against the token-budget menu (docs/model.md 4);
   *  `valueScaleGrid` discretizes buyers.valueScale (default 8 × 8) */
  | { kind: "tokenDistributions"; bins: number; valueScaleGrid?: { w: number; s: number } };

export interface GridSpec {
  points: number; // default 401
}

export type SweepAxis =
  | { linspace: [number, number, number] }
  | { logspace: [number, number, number] } // base-10 exponents, like numpy
  | { values: number[] };

export interface SweepSpec {
  /** dotted scenario path -> axis; the grid is their product, in the order written */
  params: Record<string, SweepAxis>;
  /** groups of paths whose axes are walked together (equal lengths) instead of crossed */
  zip?: string[][];
  /** scalar outputs kept per point */
  outputs: string[];
  /** curve columns kept per point (optional) */
  curves?: string[];
}

/** Counterfactual figures: the cost at `path` falls by half every `years` of each half-life. */
export interface CostDeclineSpec {
  path: string; // default "market.fringe.cost"
  /** horizon in years */
  years: number;
  points: number; // default 25
  halfLives: { label: string; years: number }[];
}

export interface FiguresSpec {
  /** figure names to draw for this scenario (default: the market's standard set) */
  only?: string[];
  caption?: string;
  costDecline?: CostDeclineSpec;
  /** axis scale in the sweep's figures by parameter path or output name (default: automatic) */
  scales?: Record<string, "linear" | "log">;
}

/** Every cost in the scenario is `currencyPerCostUnit` × `currency` per `tokens` tokens. */
export interface UnitsSpec {
  currency: string;
  tokens: number; // default 1e6
  currencyPerCostUnit: number; // default 1
}

export interface CalibrateParamSpec {
  min: number;
  max: number;
  log: boolean; // default false
}

export interface CalibrateTargetSpec {
  value: number;
  weight?: number;
  se?: number;
}

/** `lpe calibrate`: free parameters (dotted paths with bounds) and targets (outputs). */
export interface CalibrateSpec {
  params: Record<string, CalibrateParamSpec>;
  targets: Record<string, CalibrateTargetSpec>;
  starts: number; // default 8
  seed?: number;
  tolerance: number; // default 1e-6
  profilePoints: number; // default 13
}

export interface Scenario {
  $schema?: string;
  name: string;
  description?: string;
  buyers: BuyersSpec;
  technology: TechnologySpec;
  market: MarketSpec;
  grid: GridSpec;
  sweep?: SweepSpec;
  figures?: FiguresSpec;
  units?: UnitsSpec;
  calibrate?: CalibrateSpec;
  seed: number; // default 1
}
