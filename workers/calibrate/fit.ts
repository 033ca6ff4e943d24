// One local least-squares fit of a calibration problem from one starting point: Levenberg–
// Marquardt (npm ml-levenberg-marquardt, the mljs implementation) on the transformed parameters
// y of problem.ts, with a central-difference Jacobian of the standardized residuals supplied to
// it, run in rounds until one of the stopping rules below holds.
//
// Why rounds and our own stopping rules: the library stops only when the sum of squares falls
// below `errorTolerance` or its iteration budget runs out, and it keeps the best point it has
// seen. That is right for an exactly identified calibration (the sum reaches ~0) but says
// nothing about convergence when the targets cannot all be met. After each round the fit is
// therefore judged on its own terms:
//   exact       the sum of squares is below m·1e-22 (every target met to ~1e-11 of its scale);
//   stationary  every free parameter not pressed against a bound has a residual gradient
//               orthogonal to the residuals (|cos| ≤ 1e-6 between r and ∂r/∂y_j, MINPACK's gtol
//               test), and the last round improved the sum by less than 1e-10 relatively;
//   otherwise a new round starts from the best point, up to MAX_ROUNDS.
// A parameter whose y passed ±BOUND_Y sits within ~1e-7 of its bound's width of the bound: the
// fit treats it as at the bound (a constrained optimum there is stationary for the others) if
// the bound binds, i.e. a step inward does not lower the sum of squares; otherwise it is put
// back inside and the fit goes on (the transform is flat out there: no gradient would).
// A point the model rejects (outside its domain, a solver failure) gets residuals of PENALTY.

import { levenbergMarquardt } from "ml-levenberg-marquardt";
import { InputError, NumericalError } from "../../engine/errors.js";
import type { CalibrationProblem } from "./problem.js";

export const MAX_ITERATIONS = 400;
export const BOUND_Y = 16;
const Y_LIMIT = 30;
const PENALTY = 1e6;
const STEP = 1e-5;
const GTOL = 1e-6;
export const REPAIR_POINTS = 64;
/** How far inside (in the unit cube) a parameter at a bound is tried, and how often per fit. */
const RELEASE_PROBE = 1e-3;
const MAX_RELEASES = 3;

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53];

/** The first n points (from index 1) of the Halton sequence in k dimensions, inside (0, 1)^k. */
export function haltonPoints(n: number, k: number): number[][] {
  const radical = (i: number, b: number) => {
    let f = 1;
    let r = 0;
    for (let x = i; x > 0; x = Math.floor(x / b)) {
      f /= b;
      r += f * (x % b);
    }
    return r;
  };
  return Array.from({ length: n }, (_, i) => Array.from({ length: k }, (_, c) => radical(i + 1, PRIMES[c % PRIMES.length] + (c >= PRIMES.length ? 2 : 0))));
}

export interface FitResult {
  initial: number[];
  final: number[];
  /** weighted sum of squared standardized residuals */
  objective: number;
  fitted: number[];
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** "exact fit", "stationary", "no progress", "iteration limit", or why the start failed */
  reason: string;
  /** paths of parameters that ended at a bound */
  atBounds: string[];
}

interface Eval {
  fitted: Float64Array;
  r: Float64Array;
  failed?: string;
}

/**
 * Fit from `x0` (natural parameters). `fixed`: a parameter held at x0's value (profiles).
 */
export function fitFrom(problem: CalibrationProblem, x0: readonly number[], fixed?: number): FitResult {
  const k = problem.k;
  const m = problem.m;
  const free = Array.from({ length: k }, (_, j) => j).filter((j) => j !== fixed);
  const startEvals = problem.evaluations;
  const full = (y: ArrayLike<number>): number[] => {
    const x = x0.slice();
    free.forEach((j, i) => (x[j] = problem.fromSearch(j, y[i])));
    return x;
  };
  const cache = new Map<string, Eval>();
  const at = (y: ArrayLike<number>): Eval => {
    const key = Array.from(y).join(",");
    const hit = cache.get(key);
    if (hit) return hit;
    let e: Eval;
    try {
      const fitted = problem.evaluate(full(y));
      const r = problem.residuals(fitted);
      e = r.every(Number.isFinite) ? { fitted, r } : { fitted, r: r.map((v) => (Number.isFinite(v) ? v : PENALTY)), failed: "an output is not a number here" };
    } catch (err) {
      if (!(err instanceof InputError) && !(err instanceof NumericalError)) throw err;
      e = { fitted: new Float64Array(m).fill(NaN), r: new Float64Array(m).fill(PENALTY), failed: err.message };
    }
    if (cache.size > 4096) cache.clear();
    cache.set(key, e);
    return e;
  };
  const sse = (r: ArrayLike<number>) => Array.from(r).reduce((a, v) => a + v * v, 0);
  const jacobian = (y: readonly number[]): Float64Array[] => {
    // rows: targets; columns: free parameters (∂r_i/∂y_j by central differences)
    const J = Array.from({ length: m }, () => new Float64Array(free.length));
    for (let c = 0; c < free.length; c++) {
      const h = STEP * Math.max(1, Math.abs(y[c]));
      const up = y.slice();
      const dn = y.slice();
      up[c] += h;
      dn[c] -= h;
      const ru = at(up).r;
      const rd = at(dn).r;
      for (let i = 0; i < m; i++) J[i][c] = (ru[i] - rd[i]) / (2 * h);
    }
    return J;
  };

  const initial = x0.slice();
  let y = free.map((j) => Math.min(Math.max(problem.toSearch(j, x0[j]), -Y_LIMIT), Y_LIMIT));
  // A start where a target is not defined (e.g. the leader serves nobody, so it has no price)
  // sits on a flat objective: it is moved to the nearest point (in the design's unit cube) of a
  // fixed Halton set of REPAIR_POINTS where every target is defined. Deterministic, and
  // independent of the other starts.
  let moved = false;
  if (free.length > 0 && at(y).failed) {
    const u0 = free.map((j) => problem.toUnit(j, x0[j]));
    const candidates = haltonPoints(REPAIR_POINTS, free.length)
      .map((u) => ({ u, d: u.reduce((a, v, c) => a + (v - u0[c]) ** 2, 0) }))
      .sort((a, b) => a.d - b.d);
    for (const { u } of candidates) {
      const yy = free.map((j, c) => problem.toSearch(j, problem.fromUnit(j, u[c])));
      if (!at(yy).failed) {
        y = yy;
        moved = true;
        break;
      }
    }
  }
  if (free.length === 0) {
    const e = at(y);
    return finish(initial, full(y), sse(e.r), e, 0, true, e.failed ? `failed: ${e.failed}` : "no free parameter");
  }
  const exactTol = m * 1e-22;
  // ml-levenberg-marquardt needs at least two data points: a single target gets a zero twin.
  const n = Math.max(m, 2);
  const data = { x: Array.from({ length: n }, (_, i) => i), y: new Array(n).fill(0) };
  const model = (p: number[]) => {
    const r = at(p).r;
    return (i: number) => (i < m ? r[i] : 0);
  };
  const jac = (p: number[]) => {
    const J = jacobian(p);
    return (i: number) => (i < m ? Array.from(J[i]) : new Array(free.length).fill(0));
  };
  let obj = sse(at(y).r);
  let iterations = 0;
  /** LM steps whose damped system was singular (counted as rejected steps) */
  let singularSteps = 0;
  let reason = "iteration limit";
  let converged = false;
  // Marquardt's damping control around the library's step: one library iteration per call,
  // which returns the trial point only if it lowers the sum of squares (else the start point).
  let J = jacobian(y);
  let lambda = Math.max(1e-3 * Math.max(...Array.from({ length: free.length }, (_, c) => J.reduce((a, row) => a + row[c] * row[c], 0))), 1e-12);
  let lastImprovement = Infinity;
  // A parameter pressed against a bound (|y| ≥ BOUND_Y) is held there only if moving it inward
  // does not lower the sum of squares (the bound binds). Otherwise the fit got there by an
  // overshooting step, and the logistic transform, flat out there, leaves it no gradient to come
  // back by: it would stop, called stationary, at a point that is no optimum. Such a parameter is
  // put back at the better point RELEASE_PROBE inside (at most MAX_RELEASES times each).
  const releases = new Int32Array(free.length);
  const release = (): boolean => {
    for (let c = 0; c < free.length; c++) {
      if (Math.abs(y[c]) < BOUND_Y || releases[c] >= MAX_RELEASES) continue;
      const j = free[c];
      const u = problem.toUnit(j, problem.fromSearch(j, y[c]));
      const yy = y.slice();
      yy[c] = problem.toSearch(j, problem.fromUnit(j, y[c] > 0 ? u - RELEASE_PROBE : u + RELEASE_PROBE));
      const e = at(yy);
      if (e.failed || !(sse(e.r) < obj * (1 - 1e-9))) continue;
      releases[c]++;
      y = yy;
      obj = sse(e.r);
      J = jacobian(y);
      lastImprovement = Infinity;
      return true;
    }
    return false;
  };
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    if (obj <= exactTol) {
      reason = "exact fit";
      converged = true;
      break;
    }
    // Stationarity (MINPACK's gtol) on the parameters not pressed against a bound.
    const r = at(y).r;
    const rn = Math.sqrt(sse(r));
    let cosMax = 0;
    for (let c = 0; c < free.length; c++) {
      if (Math.abs(y[c]) >= BOUND_Y) continue;
      let dot = 0;
      let cn = 0;
      for (let i = 0; i < m; i++) {
        dot += J[i][c] * r[i];
        cn += J[i][c] * J[i][c];
      }
      if (cn > 0 && rn > 0) cosMax = Math.max(cosMax, Math.abs(dot) / (Math.sqrt(cn) * rn));
    }
    if (cosMax <= GTOL && lastImprovement < 1e-10) {
      if (release()) continue;
      reason = "stationary";
      converged = true;
      break;
    }
    // A step whose damped linear system is singular (ml-matrix's LU refuses it: a Jacobian with a
    // column of zeros, a target flat in a parameter here) is a rejected step, as one that does not
    // lower the objective: more damping, or the start ends without progress. Thrown, it ended the
    // whole calibration with no file written, though other starts fit the target exactly (a
    // reviewer's fringeTokenShare = 0.94 on open-share-30).
    let res: { parameterValues: number[]; parameterError: number } | undefined;
    try {
      res = levenbergMarquardt(data, model, {
        initialValues: y,
        damping: lambda,
        maxIterations: 1,
        errorTolerance: 0,
        jacobianFunction: jac,
        minValues: new Array(free.length).fill(-Y_LIMIT),
        maxValues: new Array(free.length).fill(Y_LIMIT),
      });
    } catch (err) {
      if (!(err instanceof Error) || !/singular/i.test(err.message)) throw err;
      singularSteps++;
    }
    iterations++;
    if (res && res.parameterError < obj) {
      lastImprovement = (obj - res.parameterError) / obj;
      y = res.parameterValues.slice();
      obj = res.parameterError;
      J = jacobian(y);
      lambda = Math.max(lambda / 9, 1e-15);
    } else {
      lambda *= 11;
      if (lambda > 1e15 && release()) {
        lambda = Math.max(1e-3 * Math.max(...Array.from({ length: free.length }, (_, c) => J.reduce((a, row) => a + row[c] * row[c], 0))), 1e-12);
        continue;
      }
      if (lambda > 1e15) {
        reason = (cosMax <= 1e-3 ? "no progress (nearly stationary)" : "no progress") + (singularSteps > 0 ? `; ${singularSteps} step${singularSteps === 1 ? "" : "s"} refused: a singular linear system` : "");
        if (cosMax <= 1e-4) {
          reason = "stationary (step limit)";
          converged = true;
        }
        break;
      }
    }
  }
  const e = at(y);
  if (e.failed) {
    converged = false;
    reason = `failed: ${e.failed}`;
  }
  const x = full(y);
  const atBounds = free.filter((_, c) => Math.abs(y[c]) >= BOUND_Y).map((j) => problem.params[j].path);
  if (moved) reason += " (from the nearest point of the repair set where every target is defined)";
  const out = finish(initial, x, obj, e, iterations, converged, reason);
  out.evaluations = problem.evaluations - startEvals;
  out.atBounds = atBounds;
  return out;
}

/** How far flatTargets probes, in the design's unit cube (a thousandth of each parameter's
 *  range, on its log scale for log parameters): a neighbourhood, not the edge of the plateau. */
const FLAT_PROBE = 1e-3;
/** A standardized residual that changes by no more than this under every probe is flat. */
const FLAT_CHANGE = 1e-9;

/**
 * The targets (indices) that do not move with the parameters around x: every probe x ± FLAT_PROBE
 * (in the unit cube, one free parameter at a time, within its bounds) changes their standardized
 * residual by at most FLAT_CHANGE. A fit that stops where a target it misses is flat (the fringe
 * shut out, its token share 1e-11 whatever the costs nearby) has stalled on a plateau, not found
 * a local optimum. A probe the model rejects counts as a change.
 */
export function flatTargets(problem: CalibrationProblem, x: readonly number[]): number[] {
  const residualsAt = (xx: number[]): Float64Array | undefined => {
    try {
      const r = problem.residuals(problem.evaluate(xx));
      return r.every(Number.isFinite) ? r : undefined;
    } catch (err) {
      if (!(err instanceof InputError) && !(err instanceof NumericalError)) throw err;
      return undefined;
    }
  };
  const r0 = residualsAt(x.slice());
  if (!r0) return [];
  const flat = new Array<boolean>(problem.m).fill(true);
  for (let j = 0; j < problem.k; j++) {
    const u0 = problem.toUnit(j, x[j]);
    for (const d of [-FLAT_PROBE, FLAT_PROBE]) {
      const u = Math.min(Math.max(u0 + d, 0), 1);
      if (u === u0) continue;
      const xx = x.slice();
      xx[j] = problem.fromUnit(j, u);
      const r = residualsAt(xx);
      for (let i = 0; i < problem.m; i++) if (!r || Math.abs(r[i] - r0[i]) > FLAT_CHANGE * Math.max(1, Math.abs(r0[i]))) flat[i] = false;
    }
  }
  return flat.flatMap((f, i) => (f ? [i] : []));
}

function finish(initial: number[], x: number[], objective: number, e: Eval, iterations: number, converged: boolean, reason: string): FitResult {
  return { initial, final: x, objective, fitted: Array.from(e.fitted), iterations, evaluations: 0, converged, reason, atBounds: [] };
}
