// The names a scenario may ask for, per market, with what each means: scalar outputs
// (sweep.outputs), curve columns (sweep.curves) and figures (figures.only). They become enums
// with descriptions in the JSON Schema (json-schema.ts), so that editors complete them and
// schema validators reject a typo. The run itself checks names against what the market's solver
// actually produces (workers/sweep-outputs.ts, also used by `lpe validate`);
// test/output-names.test.ts solves every market and checks that each name the solvers produce is
// listed here, and that every figure of the catalogue (figure-catalogue.ts) has a description.

import { FIGURE_MARKETS, FIGURE_NAMES } from "./figure-catalogue.js";
import type { MarketSpec } from "./spec-types.js";

export type MarketKind = MarketSpec["kind"];
export type Described = Readonly<Record<string, string>>;

export const MARKET_KINDS: readonly MarketKind[] = ["monopoly", "tiers", "efficient", "multiModelMonopoly", "leaderFringe", "compare", "tokenDistributions"];

/** The observables of every market (README "Observables", solvers/observables.ts; the names in observable-names.ts). */
const OBSERVABLES: Described = {
  taskTokens: "E[Σ_j X_j]: task tokens per buyer, all models",
  fineTuningTokens: "E[Σ_k Z_k]: fine-tuning tokens per buyer, all models",
  cost: "E[C(Q)]: token cost at marginal cost",
  revenue: "E[total payment to sellers] = profit + cost",
  averagePrice: "revenue / taskTokens: average price per task token",
  servedShare: "mass of buyers who pay something",
  meanPayment: "revenue / servedShare: mean payment of a served buyer",
  medianPayment: "median payment over served buyers",
  medianPricePerToken: "token-weighted median price per task token",
};

/** Observables of the two-model markets. */
const TWO_MODEL_OBSERVABLES: Described = {
  leaderTaskTokens: "E[X_L]: the leader model's task tokens per buyer",
  fringeTaskTokens: "E[X_F]: the fringe model's task tokens per buyer",
  leaderFineTuningTokens: "E[Z_L]: the leader model's fine-tuning tokens per buyer",
  fringeFineTuningTokens: "E[Z_F]: the fringe model's fine-tuning tokens per buyer",
  leaderTokenShare: "E[X_L] / (E[X_L] + E[X_F])",
  fringeTokenShare: "E[X_F] / (E[X_L] + E[X_F]): the open-weight share of tokens",
  leaderCost: "the leader's token cost at marginal cost",
  fringeCost: "the fringe's token cost",
  leaderRevenue: "E[t]: payments to the leader",
  fringeRevenue: "payments to the fringe (at cost)",
  leaderAveragePrice: "leaderRevenue / leaderTaskTokens: the leader's average price per task token",
  fringePrice: "the fringe's price per task token (at cost)",
  priceRatio: "leaderAveragePrice / fringePrice",
  leaderServedShare: "1 − fringeOnlyShare: mass of buyers who buy from the leader",
};

const COMMON: Described = {
  profit: "the seller's profit, E[t − cost]",
  consumerSurplus: "E[U], the buyers' net utility (with a fringe: the outside option included)",
  welfare: "profit + consumer surplus",
  optimalityGap: "the optimality certificate's gap: (upper bound − profit)/profit, 0 for a closed form; empty where there is no bound",
  ...OBSERVABLES,
};

/**
 * Scalar names that are patterns rather than a list: a volume by token class
 * ("taskTokens.input", "leaderTaskTokens.sft"), and the currency twin "<money scalar>InCurrency"
 * of a scenario with `units` (a compare market prefixes both with the regime).
 */
export const SCALAR_PATTERNS: readonly { pattern: string; description: string }[] = [
  {
    pattern: "^(?:(?:efficient|multiModelMonopoly|leaderFringe)\\.)?(?:taskTokens|fineTuningTokens|leaderTaskTokens|fringeTaskTokens|leaderFineTuningTokens|fringeFineTuningTokens)\\..+$",
    description: "tokens of one class: <volume>.<class name>",
  },
  { pattern: "^[A-Za-z.]+InCurrency$", description: "a money-valued scalar in currency (scenarios with units): <name>InCurrency" },
];

const MONOPOLY: Described = {
  ...COMMON,
  thetaStar: "θ*, the lowest served type",
  kappa: "κ of the cost of quality C(Q) = κ Q^(1/η)",
  eta: "η = σ + γ",
  eX: "unit cost e_X of the task-token aggregate (none for an aggregate technology)",
  eZ: "unit cost e_Z of the fine-tuning aggregate (none without CES fine-tuning)",
  servedShare: "share of types served, 1 − F(θ*)",
  efficientWelfare: "welfare of the efficient allocation C'(Qᵉ) = θ",
  deadweightLoss: "efficient welfare − welfare",
};

const TIERS: Described = {
  ...COMMON,
  count: "tiers asked for",
  tiersOffered: "tiers with distinct qualities in the optimal list",
  cuts: "lowest type of each tier, ascending (a list: not a sweep output)",
  qualities: "quality of each tier (a list: not a sweep output)",
  prices: "price of each tier (a list: not a sweep output)",
  thetaStar: "lowest served type (the first cut)",
  continuousProfit: "profit of the continuous menu",
  profitShare: "profit / profit of the continuous menu",
};

const TWO_MODEL_SHARES: Described = {
  fringeOnlyShare: "mass of types using the fringe (cheap) model only",
  fringeSpend: "E[c_F q_F], spending on fringe tokens at cost",
  leaderSpend: "E[c_L q_L], spending on leader tokens at cost",
  fringeSpendShare: "fringe share of token spending at cost",
  ...TWO_MODEL_OBSERVABLES,
};

const EFFICIENT: Described = {
  ...COMMON,
  thetaSwitch: "type at which buyers switch model (two models; none with one)",
  kappa: "κ of the cost of quality (one model)",
  eta: "η = σ + γ (one model)",
  thetaSwitches: "every switch type (a list: not a sweep output)",
  thetaSwitchClosedForm: "θ_e from V_L(θ_e) = V_F(θ_e), docs/model.md (3.6)",
  leaderOnlyShare: "mass of types using the leader model only",
  ...TWO_MODEL_SHARES,
};

const MULTI_MODEL: Described = {
  ...COMMON,
  thetaStar: "lowest served type",
  thetaSwitch: "type at which the monopolist switches buyers to the leader model",
  thetaSwitches: "every switch type (a list: not a sweep output)",
  switchLevel: "the level a_e of the virtual type at the switch",
  servedShare: "share of types served",
  efficientWelfare: "welfare of the efficient allocation",
  deadweightLoss: "efficient welfare − welfare",
  ...TWO_MODEL_SHARES,
};

const LEADER_FRINGE: Described = {
  ...COMMON,
  rentOverOutsideOption: "E[R], the buyers' rent over the outside option",
  thetaLow: "θ_low: below it buyers use the fringe only",
  thetaHigh: "θ_high: above it the leader sells q^int (= θ_low when the middle region is empty)",
  region2Empty: "1 when the middle region (limit quality q̂) is empty, else 0",
  etaL: "η_L = σ + γ_L",
  etaF: "η_F = σ + γ_F",
  thetaLowFormula: "θ_low by its closed form, docs/model.md (3.17); infinite as γ_L → 0 (a sweep leaves the cell empty, the point ok)",
  thetaHighRoot: "root of q^int = q̂",
  lagrangianGap: "general path: the Lagrangian bound on what any mechanism could add, relative to profit",
  optimalityCertified: "general path: 1 when that bound is at rounding level",
  dualBound: "finitely many types: the LP-duality bound on the profit of any mechanism",
  ...TWO_MODEL_SHARES,
};

/** Menus of token distributions against token budgets (README "Menus of token distributions"). */
const TOKEN_DISTRIBUTIONS: Described = {
  profit: "the seller's profit under full contracting (menus of token distributions)",
  consumerSurplus: "E[U] under full contracting",
  welfare: "profit + consumer surplus under full contracting",
  optimalityGap: COMMON.optimalityGap,
  budgetProfit: "profit of the token-budget menu for the same buyers",
  budgetConsumerSurplus: "consumer surplus under token budgets",
  budgetWelfare: "welfare under token budgets",
  contractingGain: "profit − budgetProfit: the value of contracting on tasks",
  contractingGainRelative: "contractingGain / budgetProfit",
  consumerSurplusChange: "consumer surplus, full contracting minus budgets",
  welfareChange: "welfare, full contracting minus budgets",
  servedShare: "mass of types served under full contracting",
  budgetServedShare: "mass of types served under token budgets",
  bunchedShare: "mass of types sharing their item with another type (full contracting)",
  budgetBunchedShare: "mass of types sharing their budget with a type of another θ",
  bindingPairs: "binding IC pairs (which type envies which)",
  upwardBindingPairs: "binding IC pairs where the envious type has the lower θ",
  nonLocalBindingPairs: "binding IC pairs not between neighbours in θ",
  participationBindingShare: "mass of types with zero rent (participation binds)",
  types: "number of distinct task-profile types",
  bins: "number of task bins M",
  dualBound: "Lagrangian-duality bound on the profit of any mechanism",
  kappa: "κ of the cost of quality (CES)",
  eta: "η = σ + γ",
};

const prefixed = (prefix: string, d: Described): Described => Object.fromEntries(Object.entries(d).map(([k, v]) => [`${prefix}.${k}`, `${prefix}: ${v}`]));

/** Scalar results by market (lists included; sweep outputs must be numbers). */
export const MARKET_SCALARS: Readonly<Record<MarketKind, Described>> = {
  monopoly: MONOPOLY,
  tiers: TIERS,
  efficient: EFFICIENT,
  multiModelMonopoly: MULTI_MODEL,
  leaderFringe: LEADER_FRINGE,
  compare: {
    ...COMMON,
    ...prefixed("efficient", EFFICIENT),
    ...prefixed("multiModelMonopoly", MULTI_MODEL),
    ...prefixed("leaderFringe", { ...LEADER_FRINGE, deadweightLoss: "efficient welfare − welfare" }),
  },
  tokenDistributions: TOKEN_DISTRIBUTIONS,
};

/**
 * The scalars every solver of every market produces, as numbers (test/output-names.test.ts
 * solves each market on each solver path and checks): a sweep asking only for these, and for no
 * curves, needs no probe solve to learn its names (workers/sweep-outputs.ts).
 */
export const UNIVERSAL_SCALARS: ReadonlySet<string> = new Set(["profit", "consumerSurplus", "welfare", "optimalityGap"]);

/** Scalars that are lists, hence not sweep outputs. */
export const LIST_SCALARS: ReadonlySet<string> = new Set(["cuts", "qualities", "prices", "thetaSwitches", "efficient.thetaSwitches", "multiModelMonopoly.thetaSwitches"]);

const TYPE_LAW: Described = {
  f: "density of θ at the grid type (continuous type laws)",
  F: "cdf of θ at the grid type (continuous type laws)",
};

/** Observable curve columns (solvers/observables.ts). */
const ONE_MODEL_OBSERVABLE_CURVES: Described = {
  taskTokens: "task tokens of the type's item",
  averagePrice: "t / task tokens: the type's price per task token",
  marginalPricePerToken: "the tariff's marginal price per task token (monopoly)",
};
const TWO_MODEL_OBSERVABLE_CURVES: Described = {
  XL: "the type's leader task tokens",
  XF: "the type's fringe task tokens",
  payment: "the type's total payment",
  leaderAveragePrice: "the leader's price per task token to the type (leader–fringe)",
  leaderMarginalPrice: "the leader tariff's marginal price per task token (leader–fringe)",
};

const MENU: Described = {
  Q: "quality Q(θ)",
  Qe: "efficient quality Qᵉ(θ)",
  t: "transfer t(θ)",
  U: "buyer's net utility U(θ)",
  fee: "fee above cost t − C(Q)",
  markup: "average markup t / C(Q)",
  marginalPrice: "marginal price T'(Q(θ)) = θ",
  h: "virtual type h(θ)",
  hbar: "ironed virtual type h̄(θ)",
  p: "probability of the type (finitely many types)",
};

const TWO_MODEL_CURVES: Described = {
  model: "model used: 0 none, 1 leader, 2 fringe, 3 both",
  weight: "the weight a of the pointwise problem (θ or h̄(θ))",
  qL: "leader quality variable q_L",
  qF: "fringe quality variable q_F",
  QL: "leader quality Q_L = q_L^η_L",
  QF: "fringe quality Q_F = q_F^η_F",
  u: "u_θ = (q_L^(η_L/σ) + q_F^(η_F/σ))^σ",
  t: "transfer t(θ)",
  U: "buyer's net utility U(θ)",
  cost: "token cost c_L q_L + c_F q_F",
  fee: "transfer − token cost",
};

const LEADER_FRINGE_CURVES: Described = {
  qL: "leader quality variable q_L",
  qF: "fringe top-up q_F",
  QL: "leader quality Q_L = q_L^η_L",
  QF: "fringe quality Q_F",
  t: "transfer to the leader t(θ)",
  U: "buyer's net utility U(θ), outside option included",
  u0: "outside option u_0(θ)",
  qhat: "limit quality q̂(θ)",
  R: "rent over the outside option R(θ)",
  region: "leader–fringe region: 1 fringe only; 2 the limit quality q̂ (no rent over the outside option); 3 a leader item with a rent: q^int above θ_high, or a rent segment's own allocation (γ_F > 0, possibly below q̂; the solver notes name each segment)",
};

/** Curve columns by market (besides the token budgets X.<class>, Z.<class> of a monopoly or tiers with token classes). */
export const MARKET_CURVES: Readonly<Record<MarketKind, Described>> = {
  monopoly: { ...MENU, ...TYPE_LAW, ...ONE_MODEL_OBSERVABLE_CURVES },
  tiers: { tier: "tier of the type (0: not served)", Q: MENU.Q, t: MENU.t, U: MENU.U, fee: MENU.fee, markup: MENU.markup, ...TYPE_LAW, ...ONE_MODEL_OBSERVABLE_CURVES },
  efficient: { Q: MENU.Q, t: "price t = C(Qᵉ)", U: MENU.U, ...TWO_MODEL_CURVES, ...TYPE_LAW, ...ONE_MODEL_OBSERVABLE_CURVES, ...TWO_MODEL_OBSERVABLE_CURVES },
  multiModelMonopoly: { ...TWO_MODEL_CURVES, ...TYPE_LAW, ...TWO_MODEL_OBSERVABLE_CURVES },
  leaderFringe: {
    ...LEADER_FRINGE_CURVES,
    ...TYPE_LAW,
    p: "probability of the atom (discrete types)",
    F: "cdf of θ at the type (discrete types: the probability of this atom and those below)",
    ...TWO_MODEL_OBSERVABLE_CURVES,
  },
  compare: {
    ...prefixed("efficient", { ...TWO_MODEL_CURVES, ...TYPE_LAW, ...TWO_MODEL_OBSERVABLE_CURVES }),
    ...prefixed("multiModelMonopoly", { ...TWO_MODEL_CURVES, ...TYPE_LAW, ...TWO_MODEL_OBSERVABLE_CURVES }),
    ...prefixed("leaderFringe", { ...LEADER_FRINGE_CURVES, ...TYPE_LAW, ...TWO_MODEL_OBSERVABLE_CURVES }),
    ...TYPE_LAW,
  },
  tokenDistributions: {
    type: "the type's index in the scenario (list row, sample, value–scale cell); rows in order of θ(w)",
    p: MENU.p,
    Q: "aggregate quality A(Q) = ((1/M) Σ_b Q_b^(1/σ))^σ of the type's item (full contracting)",
    t: "price (full contracting)",
    U: "rent (full contracting)",
    fee: "price − cost C(Q) (full contracting)",
    budgetQ: "the type's quality under token budgets",
    budgetT: "the type's price under token budgets",
    budgetU: "the type's rent under token budgets",
    budgetFee: "price − cost under token budgets",
    envies: "binding IC pairs where the type is the envious one",
    envied: "binding IC pairs where the type's item is envied",
  },
};

/** Budget columns of a monopoly with token classes, by class name. */
export const BUDGET_COLUMN_PATTERN = "^[XZ]\\..+$";

/** Per-bin quality columns of the tokenDistributions market: Q.<bin>, budgetQ.<bin> (bins from 1). */
export const BIN_COLUMN_PATTERN = "^(?:budget)?Q\\.[1-9][0-9]*$";

/** What each figure of the catalogue (figure-catalogue.ts) shows. */
export const FIGURE_DESCRIPTIONS: Described = {
  quality: "Q(θ) against the efficient Qᵉ(θ); θ* and bunching marked",
  transfers: "t(θ)",
  "marginal-price": "the marginal price by type",
  markup: "the average markup t/C(Q) by type",
  "virtual-type": "h and the ironed h̄ (when ironed)",
  "token-budgets": "the budgets X_j(θ), Z_k(θ) (with token classes)",
  "value-scale-types": "curves w s^(1−σ) = θ in the (s, w) plane (value–scale buyers)",
  "tiers-quality": "the N-tier menu against the continuous one",
  "tiers-profit-share": "profit share of the best N-tier list, N = 1…10",
  "leader-quantity": "q_L(θ) with the leader–fringe regions, against the efficient allocation and the multi-model monopolist",
  "fringe-quantity": "q_F(θ), likewise",
  "thresholds-cost": "θ_low, θ_high and the switch types against c_F",
  "thresholds-gamma": "θ_low, θ_high and the switch types against γ_L",
  "regimes-profit": "profit of the three regimes against c_F",
  "regimes-consumer-surplus": "consumer surplus of the three regimes against c_F",
  "regimes-welfare": "welfare of the three regimes against c_F",
  "regimes-fringe-share": "fringe share of the three regimes against c_F",
  "cost-decline-profit": "the leader's profit as the fringe's cost declines (figures.costDecline)",
  "cost-decline-prices": "the leader's average price and the fringe's price as the fringe's cost declines",
  "cost-decline-open-share": "the open-weight share of tokens as the fringe's cost declines",
  "calibration-targets": "a calibration's targets against the fitted values (lpe calibrate)",
  "distributions-quality": "each type's aggregate quality under token distributions and under token budgets, against θ(w)",
  "distributions-transfers": "each type's price under token distributions and under token budgets, against θ(w)",
};

/** Figures each market can draw (two-model figures need both models in an efficient market). */
export const MARKET_FIGURES: Readonly<Record<MarketKind, Described>> = Object.fromEntries(
  MARKET_KINDS.map((k) => [k, Object.fromEntries(FIGURE_NAMES.filter((n) => FIGURE_MARKETS[n].includes(k)).map((n) => [n, FIGURE_DESCRIPTIONS[n] ?? n]))]),
) as Record<MarketKind, Described>;
