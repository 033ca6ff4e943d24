// The pipeline's solver step: validated scenario → technology + type distribution → the
// market's solver → MarketSolution; and the assembly of the result object (README "The result object")
// (name, scalars, ironing, points, checks, solver report, reproducibility meta).
// No file access here: the CLI and the sweep runner load scenarios and write results.

import { massSpan } from "../engine/numerics/mass-breaks.js";
import { formatNumber } from "../engine/results/number-format.js";
import { buildBuyers } from "../engine/distributions/from-spec.js";
import type { TypeDistribution } from "../engine/distributions/types.js";
import type { ModelSpec, Scenario } from "../engine/scenario/spec-types.js";
import { buildTechnology } from "../engine/technology/from-spec.js";
import { modelCost } from "../engine/technology/model-cost.js";
import { modelTokenUnits } from "../engine/technology/token-units.js";
import { loadLpSolver } from "../engine/numerics/lp-solver.js";
import { ENGINE_VERSION } from "../engine/version.js";
import { solveCompare } from "./compare.js";
import { solveEfficient } from "./efficient.js";
import { solveLeaderFringe } from "./leader-fringe.js";
import { solveMonopoly } from "./monopoly.js";
import { solveMultiModelMonopoly } from "./multi-model-monopoly.js";
import { solveTiers } from "./tiers.js";
import { addObservables, type ObservableRequest, type TwoModels } from "./observables.js";
import { solveTokenDistributions } from "./token-distributions.js";
import { taskTypes } from "../engine/distributions/task-types.js";
import { OPTIMALITY_GAP_SCALAR, type MarketSolution, type Result } from "./types.js";

export interface SolveOptions {
  /** skip curves and checks (sweep points) */
  scalarsOnly?: boolean;
  /** which costly observables (medians, solvers/observables.ts) to compute: "all", or the names
   *  asked for (sweep outputs, calibration targets). Default: all, none with scalarsOnly. */
  observables?: ObservableRequest;
  /** the buyers' distribution, already built from this scenario's buyers, σ and seed (a sweep
   *  whose points share them builds it once: what is computed per distribution is then kept) */
  buyers?: TypeDistribution;
}

/** Whether solving the scenario needs the LP solver (finitely many types in a market with a
 *  fringe: the leader's problem is the screening LP of solvers/screening-lp.ts). */
export function needsLpSolver(scenario: Scenario): boolean {
  const kind = scenario.market.kind;
  if (kind !== "leaderFringe" && kind !== "compare") return false;
  // Conservative: any discrete law anywhere in the buyers (a mixture, a value–scale factor) or
  // sampled profiles may give finitely many types.
  return "profiles" in scenario.buyers || JSON.stringify(scenario.buyers).includes('"discrete"');
}

/** Whether solving the scenario can use the LP solver when it is loaded: a leader–fringe market
 *  (alone or in a comparison) on a continuous law with γ_F > 0 (or a sweep over γ_F), whose general-path menu, when not
 *  certified, is compared with the screening LP's finite menu on quantile atoms of the law
 *  (solvers/leader-fringe-finite-menu.ts; without HiGHS a note says it was not tried). With
 *  γ_F = 0 the general path's restricted class contains the optimum (docs/model.md 3c), so the
 *  finite menu is not tried and HiGHS (~60 ms to load) is not loaded. */
export function usesLpSolver(scenario: Scenario): boolean {
  // (a comparison solves the same leader–fringe market: without HiGHS its equilibrium differed
  // from the leaderFringe market's wherever the finite menu earns more — a reviewer's)
  if (scenario.market.kind !== "leaderFringe" && scenario.market.kind !== "compare") return false;
  const gammaF = (scenario.market.fringe as { gamma?: number }).gamma;
  const swept = Object.keys(scenario.sweep?.params ?? {});
  return gammaF !== 0 || swept.some((k) => k.startsWith("market.fringe.gamma") || k.startsWith("market.fringe.technology"));
}

/** Loads what the scenario's solver needs or can use beyond plain JavaScript (HiGHS for the LP
 *  paths). Await it before solveScenario; it costs nothing when nothing is needed. */
export async function prepareSolvers(scenario: Scenario): Promise<void> {
  if (needsLpSolver(scenario) || usesLpSolver(scenario)) await loadLpSolver();
}

export function solveScenario(scenario: Scenario, opts: SolveOptions = {}): MarketSolution {
  if (scenario.market.kind === "tokenDistributions") {
    // Finitely many task-profile types (multidimensional), not a law of θ.
    const market = scenario.market;
    const sigma = scenario.technology.sigma;
    const grid = { w: market.valueScaleGrid?.w ?? 8, s: market.valueScaleGrid?.s ?? 8 };
    const types = taskTypes(scenario.buyers, sigma, scenario.seed, market.bins, grid);
    return withGapScalar(checkedCertificate(solveTokenDistributions({ types, sigma, cost: buildTechnology(scenario.technology, "technology") }, { scalarsOnly: opts.scalarsOnly })));
  }
  const dist = opts.buyers ?? buildBuyers(scenario.buyers, scenario.technology.sigma, scenario.seed);
  const sol = withGapScalar(checkedCertificate(withTypeLaw(solveMarket(scenario, dist, opts), dist)));
  if (!opts.scalarsOnly) wideSupportNote(sol, dist);
  return sol;
}

/**
 * A support far wider than the law's mass (engine/numerics/mass-breaks.ts): the scalars are
 * integrated over it all, but the even grid of the curves and the checks puts few types where
 * the buyers are (one of 201 on [0.1, 1e9] for a lognormal(0, 0.6)), which the result says.
 */
function wideSupportNote(sol: MarketSolution, dist: TypeDistribution): void {
  const mass = massSpan(dist);
  if (!mass) return;
  const [a, b] = mass;
  const th = sol.curves.theta;
  let inside = 0;
  for (let i = 0; i < th.length; i++) if (th[i] >= a && th[i] <= b) inside++;
  sol.solver.notes.push(
    `the support [${formatNumber(dist.min)}, ${formatNumber(dist.max)}] is more than 100 times as wide as the law's mass (all but 2e-12 of it in [${formatNumber(Number(a.toPrecision(4)))}, ${formatNumber(Number(b.toPrecision(4)))}]): the scalars integrate over the whole support, but ${inside} of the grid's ${th.length} types fall where the mass is, so the curves and the checks on them see little of the buyers; a support ending nearer the mass (or more grid points) shows them`,
  );
}

/**
 * The certificate's gap as a scalar, `optimalityGap` (null where there is no bound), so that a
 * sweep can write it in a column and plot it against the swept parameter, and a calibration
 * can read it, like any other result.
 */
function withGapScalar(sol: MarketSolution): MarketSolution {
  // (set on the solve's own scalars, which nothing else holds yet: spreading a record of ~40
  // scalars took ~16 µs a point of a general sweep, 5 % of a Beta(2, 2) sweep's)
  sol.scalars[OPTIMALITY_GAP_SCALAR] = sol.certificate.optimalityGap;
  return sol;
}

/**
 * A certificate compares a bound with the profit of the reported menu; where the a-posteriori
 * checks found that menu not incentive compatible (or not individually rational, not monotone…),
 * its profit is no mechanism's and the comparison certifies nothing. An independent reviewer
 * found "checks: FAILED" printed above "optimality: certified" (an ironed interval left at a grid
 * estimate; the menu's profit 3.7e-9 above the true optimum).
 */
export function checkedCertificate(sol: MarketSolution): MarketSolution {
  if (sol.checks.passed) return sol;
  const why = sol.checks.failures[0] ?? "a check failed";
  // No gap either: a gap measures how far a valid mechanism is from the bound, and this menu is
  // not one (an independent checker read "gap 4.5e-7" beside "checks: FAILED" as nearly optimal).
  const g = sol.certificate.optimalityGap;
  return {
    ...sol,
    // (the scalar beside the certificate says the same: an auditor read optimalityCertified true
    // in the scalars of a result whose certificate said "not certified: the checks failed")
    scalars: "optimalityCertified" in sol.scalars ? { ...sol.scalars, optimalityCertified: false } : sol.scalars,
    certificate: {
      certified: false,
      optimalityGap: null,
      certificate:
        `not certified: the a-posteriori checks failed (${why}), so the menu is not a valid mechanism and no gap is given` +
        (g !== null && Number.isFinite(g) ? ` (the bound lies ${g.toExponential(2)} of its profit above it)` : "") +
        `; ${sol.certificate.certificate}`,
    },
  };
}

/**
 * The type law on the curve grid, so that any column can be aggregated over buyers from
 * curves.csv alone: density `f` and cdf `F` at each grid type, appended to the market's columns
 * when θ has a continuous law (a discrete law's atoms and probabilities are in its scenario).
 * The observables (observables.ts) add them to every market but `compare`, whose regimes are
 * solved one by one; a `compare` result gets them here, once, unprefixed.
 */
function withTypeLaw(sol: MarketSolution, dist: TypeDistribution): MarketSolution {
  const theta = sol.curves.theta;
  if (dist.discrete || theta.length === 0 || "f" in sol.curves.columns || "F" in sol.curves.columns) return sol;
  const f = Float64Array.from(theta, (t) => dist.pdf(t));
  const F = Float64Array.from(theta, (t) => dist.cdf(t));
  return { ...sol, curves: { theta, columns: { ...sol.curves.columns, f, F }, order: [...sol.curves.order, "f", "F"] } };
}

function solveMarket(scenario: Scenario, dist: TypeDistribution, opts: SolveOptions): MarketSolution {
  const sigma = scenario.technology.sigma;
  const gridPoints = scenario.grid.points;
  const market = scenario.market;
  const scalarsOnly = opts.scalarsOnly;
  let cost: ReturnType<typeof buildTechnology> | undefined;
  let two: TwoModels | undefined;
  const technology = () => (cost = buildTechnology(scenario.technology, "technology"));
  const models = () => {
    const m = market as { leader: ModelSpec; fringe: ModelSpec };
    const leader = modelCost(m.leader, sigma, "market.leader");
    const fringe = modelCost(m.fringe, sigma, "market.fringe");
    two = {
      leader,
      fringe,
      leaderUnits: modelTokenUnits(m.leader, sigma, "market.leader"),
      fringeUnits: modelTokenUnits(m.fringe, sigma, "market.fringe"),
    };
    return { leader, fringe };
  };
  const solve = (): MarketSolution => {
    switch (market.kind) {
      case "monopoly":
        return solveMonopoly({ dist, cost: technology(), gridPoints, scalarsOnly });
      case "tiers":
        return solveTiers({ dist, cost: technology() }, { gridPoints, count: market.count, scalarsOnly });
      case "efficient": {
        if (market.leader && market.fringe) {
          const { leader, fringe } = models();
          return solveEfficient({ sigma, dist, models: [leader, fringe] }, { gridPoints, scalarsOnly });
        }
        return solveEfficient({ dist, cost: technology() }, { gridPoints, scalarsOnly });
      }
      case "multiModelMonopoly":
        return solveMultiModelMonopoly({ sigma, dist, ...models() }, { gridPoints, scalarsOnly });
      case "leaderFringe":
        return solveLeaderFringe({ sigma, dist, ...models() }, { gridPoints, scalarsOnly });
      case "compare":
        return solveCompare({ sigma, dist, ...models() }, { gridPoints, scalarsOnly });
      case "tokenDistributions":
        throw new Error("the tokenDistributions market is solved by solveScenario before a type law is built");
    }
  };
  const solution = solve();
  addObservables(solution, {
    scenario,
    dist,
    cost,
    models: two,
    request: opts.observables ?? (scalarsOnly ? [] : "all"),
    curves: !scalarsOnly,
  });
  return solution;
}

/** The most types of a discrete law whose points summary.json lists one by one (above, 11 spread by index). */
export const FINITE_POINTS_MAX = 1000;

/**
 * Types at which summary.json reports points when none are asked for: 11 evenly spaced over the
 * grid; for finitely many types, the types themselves (their grid is their atoms): every one up
 * to FINITE_POINTS_MAX — a finite menu is the answer, and a reviewer's 600-atom market listed 11
 * of its items —, else 11 spread by index (a point between two atoms would be the best reply of a
 * type that does not exist; curves.csv has them all).
 */
export function defaultEvalTypes(solution: MarketSolution, finite = false): number[] {
  const th = solution.curves.theta;
  if (th.length === 0) return [];
  const n = th.length;
  if (finite) return n <= FINITE_POINTS_MAX ? Array.from(th) : Array.from({ length: 11 }, (_, k) => th[Math.round((k * (n - 1)) / 10)]);
  const lo = th[0];
  const hi = th[n - 1];
  const out: number[] = [];
  for (let k = 0; k <= 10; k++) out.push(k === 10 ? hi : lo + ((hi - lo) * k) / 10);
  return out;
}

/** Whether the buyers are finitely many θ types (a discrete law of θ). */
/** The first five types of a list, and how many there are beyond. */
function typeList(ts: readonly number[]): string {
  return ts.slice(0, 5).join(", ") + (ts.length > 5 ? `, … (${ts.length} in all)` : "");
}

/** The solution with one more solver note. */
function withNote(solution: MarketSolution, note: string): MarketSolution {
  return { ...solution, solver: { ...solution.solver, notes: [...solution.solver.notes, note] } };
}

/** The types among `at` where a continuous law has no density while 0 < F < 1 (a gap of its support). */
function typesInGaps(at: readonly number[], dist: TypeDistribution): number[] {
  if (dist.discrete) return [];
  return at.filter((t) => {
    const F = dist.cdf(t);
    return dist.pdf(t) === 0 && F > 1e-12 && F < 1 - 1e-12;
  });
}

const finiteLaw = new WeakMap<Scenario, boolean>();

/** Whether the buyers are finitely many types: a discrete law of θ, and also a mixture of
 *  discrete laws, task-weight profiles, value–scale types on finitely many (w, s) — whatever law
 *  the buyers build to (a reviewer's six task profiles were reported at 11 types between them). */
function finiteTypes(scenario: Scenario): boolean {
  const b = scenario.buyers;
  if (!b) return false;
  if ("theta" in b && b.theta.dist === "discrete") return true;
  if ("theta" in b && b.theta.dist !== "mixture") return false;
  // (value–scale types on two continuous laws: no need to build them to know)
  if ("valueScale" in b && [b.valueScale.w, b.valueScale.s].every((x) => x.dist !== "discrete" && x.dist !== "mixture")) return false;
  let known = finiteLaw.get(scenario);
  if (known === undefined) {
    known = buildBuyers(b, scenario.technology.sigma, scenario.seed).discrete;
    finiteLaw.set(scenario, known);
  }
  return known;
}

export function assembleResult(
  scenario: Scenario,
  solution: MarketSolution,
  info: { sha256: string; evalAt?: number[]; build?: string; provenance?: { scenarioFile: string; overrides: string[]; scenario: Record<string, unknown> } },
): Result {
  const th = solution.curves.theta;
  const points = info.evalAt || !solution.points ? (info.evalAt ?? defaultEvalTypes(solution, finiteTypes(scenario))).map((t) => solution.pointAt(t)) : solution.points;
  const offAtoms = info.evalAt && finiteTypes(scenario) ? info.evalAt.filter((t) => !th.includes(t)) : [];
  // A type the menu was not designed for: the buyers are the atoms only. Its row is still
  // meaningful (the item it would choose), but must not pass for one of the scenario's types.
  if (offAtoms.length > 0) {
    solution = withNote(
      solution,
      `θ = ${typeList(offAtoms)} ${offAtoms.length > 1 ? "are not atoms" : "is not an atom"} of the discrete type law (${th.length} atoms, ${th[0]} to ${th[th.length - 1]}): ${offAtoms.length > 1 ? "their rows are" : "its row is"} the item such a buyer would choose from the menu designed for the atoms`,
    );
  }
  // Finitely many types, too many to list: say which are listed, where the rest are.
  if (!info.evalAt && !solution.points && finiteTypes(scenario) && th.length > FINITE_POINTS_MAX) {
    solution = withNote(solution, `points lists 11 of the ${th.length} types (spread by index: more than ${FINITE_POINTS_MAX} are not listed one by one); curves.csv has every type's item, and \`lpe eval --at\` gives any of them`);
  }
  // A type where the law has no density but mass below and above (a gap between a mixture's
  // components): no buyer is there either (a reviewer's `lpe eval --at` inside a gap said nothing).
  const inGaps = info.evalAt && "theta" in scenario.buyers && !finiteTypes(scenario) ? typesInGaps(info.evalAt, buildBuyers(scenario.buyers, scenario.technology.sigma, scenario.seed)) : [];
  if (inGaps.length > 0) {
    solution = withNote(
      solution,
      `θ = ${typeList(inGaps)} ${inGaps.length > 1 ? "lie" : "lies"} in a gap of the type law's support (density 0, types below and above): no buyer is there, and ${inGaps.length > 1 ? "their rows are" : "its row is"} the item such a type would choose`,
    );
  }
  return {
    name: scenario.name,
    market: solution.market,
    scalars: solution.scalars,
    ironing: solution.ironing,
    points,
    checks: { ...solution.checks, ...solution.certificate },
    solver: solution.solver,
    ...(scenario.units ? { units: scenario.units } : {}),
    ...(solution.incentives ? { incentives: solution.incentives } : {}),
    meta: {
      engineVersion: ENGINE_VERSION,
      ...(info.build ? { engineBuild: info.build } : {}),
      scenarioSha256: info.sha256,
      seed: scenario.seed,
      gridPoints: th.length,
      grid: {
        min: th.length ? th[0] : NaN,
        max: th.length ? th[th.length - 1] : NaN,
        points: th.length,
        spacing: finiteTypes(scenario) ? "atoms" : "linear",
      },
      createdBy: `lpe ${ENGINE_VERSION}`,
      ...(info.provenance ?? {}),
    },
  };
}
