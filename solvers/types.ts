// What every market solver returns (README "The result object"): scalars, ironing
// intervals, an exact evaluator at any θ, grid curves, a-posteriori checks (docs/model.md
// section 5) and a convergence report. The pipeline (solvers/solve.ts) adds name and meta.

export type ScalarValue = number | boolean | null | number[];

export interface Checks {
  /** largest gain any grid type gets from taking another grid type's item (fringe top-up
   *  included where there is a fringe); ≤ tolerance when incentive compatible */
  icMaxGain: number;
  /** smallest U(θ) − u0(θ) over the grid (u0 = 0 without a fringe); ≥ −tolerance */
  irMinSlack: number;
  /** largest |U(θ) − U(θ_min) − ∫ u_θ(s, q(s)) ds| over the grid */
  envelopeMaxError: number;
  /** allocation nondecreasing in θ */
  monotone: boolean;
  /** Q = 0 exactly on excluded types (θ < θ*); true where nobody is excluded */
  excludedZero: boolean;
  /** scale of the tolerances: max over the grid of |t|, |U| and |θ Q| (at least 1e-300) */
  scale: number;
  /** 1e-9 · scale */
  tolerance: number;
  passed: boolean;
  /** true when the checks were not run (scalar-only sweep points) */
  skipped?: boolean;
  /** one line per failed check, with where (θ) and by how much */
  failures: string[];
}

/** The optimality certificate of a result (README "The result object": checks.certified,
 *  optimalityGap, certificate). Feasibility (the checks above) is not optimality: this says by
 *  which argument the result is optimal, and how far from optimal it can be. */
export interface Certificate {
  /** optimal to `certifyTolerance` (1e-9) of profit by the stated argument */
  certified: boolean;
  /** (upper bound − profit) / |profit|; 0 for a closed form; null when no bound was computed */
  optimalityGap: number | null;
  /** which argument: the proposition of a closed form, LP duality, a Lagrangian bound… */
  certificate: string;
  /** a comparison of markets (compare.ts): the markets not certified, each with its own gap
   *  (relative to its own profit); absent when every part is certified, or for one market */
  uncertifiedParts?: { name: string; optimalityGap: number | null; reportedMenu?: string }[];
  /** the menu reported when it is not the solver's own construction but one put in its place
   *  because that one was not certified and this one earns more (the leader–fringe general path:
   *  the restricted class's menu by PAV, or the screening LP's finite menu on atoms of the law);
   *  a sweep's status names it (a reviewer could not tell from sweep.csv which menu a row gave) */
  reportedMenu?: string;
}

/** The relative profit gap below which a result is called certified optimal. */
export const CERTIFY_TOLERANCE = 1e-9;

/** The scalar every result carries the certificate's gap in (solve.ts), a sweep output like any
 *  other; a sweep and its figures treat it apart (an infinite gap is a status, not a failure). */
export const OPTIMALITY_GAP_SCALAR = "optimalityGap";

/**
 * Scalars that report a closed form for diagnosis rather than an outcome of the market: θ_low's
 * formula (docs/model.md 3.17) is +∞ at γ_L = 0 and overflows as γ_L → 0 (its exponent
 * η_L(1 − σ)/(η_L − σ) grows without bound) while θ_low itself, clamped to the support, and
 * every outcome stay finite. A sweep leaves such a cell empty and keeps the point's status;
 * any other output that is not finite fails the point. `output` may carry a compare
 * scenario's "<model>." prefix.
 */
export function isDiagnosticScalar(output: string): boolean {
  return output === "thetaLowFormula" || output.endsWith(".thetaLowFormula");
}

/** A certificate's verdict as the terminal says it (lpe solve's `optimality:` line, lpe
 *  calibrate's at the fit): "certified (gap …; argument)" or "NOT CERTIFIED to 1e-9 of profit (…)". */
export function certificateVerdict(c: Certificate): string {
  const gap = c.optimalityGap === null ? "no bound" : `gap ${c.optimalityGap === 0 ? "0" : c.optimalityGap.toExponential(2)} of profit`;
  return c.certified ? `certified (${gap}; ${c.certificate})` : `NOT CERTIFIED to 1e-9 of profit (${gap}; ${c.certificate})`;
}

export function closedFormCertificate(argument: string): Certificate {
  return { certified: true, optimalityGap: 0, certificate: `exact by closed form: ${argument}` };
}

export function boundCertificate(gap: number | null, argument: string): Certificate {
  const ok = gap !== null && Number.isFinite(gap) && gap <= CERTIFY_TOLERANCE;
  return { certified: ok, optimalityGap: gap, certificate: argument };
}

export function uncertified(reason: string): Certificate {
  return { certified: false, optimalityGap: null, certificate: `not certified: ${reason}` };
}

export interface SolverReport {
  method: string;
  converged: boolean;
  iterations: number;
  notes: string[];
}

/** One type's item and outcome. Monopoly: Q, t, U, fee, markup, X, Z, marginalPrice.
 *  Several models: qL, qF, QL, QF, t, U, u0, region… */
export interface PointRecord {
  theta: number;
  [key: string]: number | Record<string, number>;
}

/** The grid curves of a solution (defined in engine/results/curves-csv.ts, which writes them). */
export type { Curves } from "../engine/results/curves-csv.js";
import type { Curves } from "../engine/results/curves-csv.js";

/** Which incentive constraints bind in a finite-type menu (the token-distribution market):
 *  types are named by their index in the scenario (list row, sample, value–scale cell). */
export interface IncentiveStructure {
  /** binding IC pairs: `envier` is indifferent to the item of `envied` (multiplier λ > 0) */
  binding: { envier: number; envied: number; multiplier: number }[];
  /** types whose participation binds (zero rent), excluded types included */
  participationBinding: number[];
  /** types with the null item */
  excluded: number[];
  /** groups of two or more types sharing one item (bunching) */
  pools: number[][];
}

export interface MarketSolution {
  market: string;
  scalars: Record<string, ScalarValue>;
  /** ironing (bunching) intervals [θ_a, θ_b], ascending */
  ironing: [number, number][];
  /** exact evaluation of the solved menu at any type θ (no grid rounding) */
  pointAt(theta: number): PointRecord;
  curves: Curves;
  checks: Checks;
  certificate: Certificate;
  solver: SolverReport;
  /** the result's `points` when no types are asked for (finite-type markets: one per type) */
  points?: PointRecord[];
  incentives?: IncentiveStructure;
}

export interface ResultMeta {
  engineVersion: string;
  /** the build's commit (engine/build-id.ts), "+modified" for a build from changed files */
  engineBuild?: string;
  scenarioSha256: string;
  seed: number;
  gridPoints: number;
  grid: { min: number; max: number; points: number; spacing: "linear" | "atoms" };
  createdBy: string;
  /** provenance: the scenario file as given, the overrides applied to it in order ("--set a=1"),
   *  and the complete resolved scenario (defaults filled), so the result reruns itself */
  scenarioFile?: string;
  overrides?: string[];
  scenario?: Record<string, unknown>;
}

/** The result object (README "The result object") (summary.json, `--json`). */
export interface Result {
  name: string;
  market: string;
  scalars: Record<string, ScalarValue>;
  ironing: [number, number][];
  points: PointRecord[];
  checks: Checks & Certificate;
  solver: SolverReport;
  /** the scenario's `units` (costs in currency per `tokens` tokens), when it has them */
  units?: { currency: string; tokens: number; currencyPerCostUnit: number };
  /** finite-type markets: which incentive constraints bind */
  incentives?: IncentiveStructure;
  meta: ResultMeta;
}
