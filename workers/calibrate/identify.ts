// The identification report of a calibration (README "lpe calibrate"): what the targets pin down
// at the optimum, and whether the starts agree.
//
// Local identification. J is the Jacobian of the targets with respect to the parameters at the
// optimum (central differences; reported in natural units, ∂fitted_i/∂x_j). Its rank is judged
// on the dimensionless S = ∂r_i/∂u_j (r the standardized residuals, u_j = ln x_j for log-scaled
// parameters, x_j/(max − min) otherwise), so units do not decide it. From the eigen-decomposition
// of SᵀS: singular values s = √λ, rank = #{s > RANK_TOL·s_max}, condition number s_max/s_min
// (null when a singular value is zero, i.e. infinite), and the null directions (eigenvectors of
// the small eigenvalues, and of the missing ones when there are fewer targets than parameters).
// A parameter is unidentified when it moves along a null direction (|component| ≥ 0.1): the
// targets then fix only a combination of it and the others, not its value.
//
// Global identification. The converged starts are grouped by their final points (distinct when
// more than DISTINCT apart in the unit cube of the design); several groups with the same best
// objective mean a ridge or several exact fits, several groups with different objectives mean
// local optima. Either way the report says so and lists the groups.

import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import type { FitResult } from "./fit.js";
import type { CalibrationProblem } from "./problem.js";

export const RANK_TOL = 1e-6;
export const DISTINCT = 1e-4;
const NULL_COMPONENT = 0.1;

export interface Optimum {
  params: Record<string, number>;
  /** the targets' outputs there */
  fitted: Record<string, number>;
  objective: number;
  starts: number[];
}

export interface Identification {
  rank: number;
  conditionNumber: number | null;
  unidentified: string[];
  singularValues: number[];
  /** unit vectors in (u_1..u_k) along which the targets do not change, by parameter path */
  nullDirections: Record<string, number>[];
  atBounds: string[];
  /** true when every converged start reached the same point */
  startsAgree: boolean;
  optima: Optimum[];
  warnings: string[];
}

export interface JacobianReport {
  params: string[];
  targets: string[];
  /** values[i][j] = ∂ fitted_i / ∂ x_j at the optimum */
  values: number[][];
}

/** Central-difference Jacobians at x: natural (∂fitted/∂x) and scaled (∂r/∂u). */
export function jacobianAt(problem: CalibrationProblem, x: readonly number[]): { natural: number[][]; scaled: number[][] } {
  const k = problem.k;
  const m = problem.m;
  const natural = Array.from({ length: m }, () => new Array<number>(k).fill(0));
  const scaled = Array.from({ length: m }, () => new Array<number>(k).fill(0));
  for (let j = 0; j < k; j++) {
    const p = problem.params[j];
    // Step in u (ln x or x/width), kept inside the bounds.
    const u = p.log ? Math.log(x[j]) : x[j] / (p.max - p.min);
    const h = 1e-5 * Math.max(1, Math.abs(u));
    const toX = (v: number) => (p.log ? Math.exp(v) : v * (p.max - p.min));
    let up = u + h;
    let dn = u - h;
    if (toX(up) > p.max) [up, dn] = [u, u - 2 * h];
    else if (toX(dn) < p.min) [up, dn] = [u + 2 * h, u];
    const xu = x.slice();
    const xd = x.slice();
    xu[j] = Math.min(Math.max(toX(up), p.min), p.max);
    xd[j] = Math.min(Math.max(toX(dn), p.min), p.max);
    const fu = problem.evaluate(xu);
    const fd = problem.evaluate(xd);
    for (let i = 0; i < m; i++) {
      const t = problem.targets[i];
      const du = fu[i] - fd[i];
      scaled[i][j] = du / t.scale / (up - dn);
      natural[i][j] = du / (xu[j] - xd[j]);
    }
  }
  return { natural, scaled };
}

/** Rank, condition number and null directions of the scaled Jacobian S (m × k). */
export function localIdentification(problem: CalibrationProblem, S: number[][]): Pick<Identification, "rank" | "conditionNumber" | "unidentified" | "singularValues" | "nullDirections"> {
  const k = problem.k;
  if (!S.every((row) => row.every(Number.isFinite))) {
    // An output is not a number next to the optimum: nothing can be said locally.
    return { rank: 0, conditionNumber: null, unidentified: problem.params.map((p) => p.path), singularValues: [], nullDirections: [] };
  }
  const StS = new Matrix(k, k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (const row of S) s += row[a] * row[b];
      StS.set(a, b, s);
    }
  }
  const eig = new EigenvalueDecomposition(StS, { assumeSymmetric: true });
  const order = eig.realEigenvalues.map((l, i) => [Math.max(l, 0), i] as const).sort((p, q) => q[0] - p[0]);
  const singular = order.map(([l]) => Math.sqrt(l));
  const smax = singular[0] ?? 0;
  const thr = RANK_TOL * smax;
  // At most min(m, k) singular values can be nonzero.
  const possible = Math.min(problem.m, k);
  const rank = smax > 0 ? singular.filter((s, i) => i < possible && s > thr).length : 0;
  const smin = singular[k - 1];
  const conditionNumber = rank === k && smin > 0 ? smax / smin : null;
  const nullDirections: Record<string, number>[] = [];
  const unidentified = new Set<string>();
  for (let r = rank; r < k; r++) {
    const col = order[r][1];
    const v: Record<string, number> = {};
    for (let j = 0; j < k; j++) {
      const c = eig.eigenvectorMatrix.get(j, col);
      v[problem.params[j].path] = c;
      if (Math.abs(c) >= NULL_COMPONENT) unidentified.add(problem.params[j].path);
    }
    nullDirections.push(v);
  }
  return {
    rank,
    conditionNumber,
    unidentified: problem.params.map((p) => p.path).filter((p) => unidentified.has(p)),
    singularValues: singular,
    nullDirections,
  };
}

/** Group converged starts by their final points (in the design's unit cube). */
export function groupOptima(problem: CalibrationProblem, starts: readonly FitResult[]): Optimum[] {
  const groups: { u: number[]; best: FitResult; members: number[] }[] = [];
  starts.forEach((s, i) => {
    if (!s.converged) return;
    const u = s.final.map((x, j) => problem.toUnit(j, x));
    const g = groups.find((gr) => Math.max(...gr.u.map((v, j) => Math.abs(v - u[j]))) <= DISTINCT);
    if (g) {
      g.members.push(i);
      if (s.objective < g.best.objective) g.best = s;
    } else groups.push({ u, best: s, members: [i] });
  });
  groups.sort((a, b) => a.best.objective - b.best.objective);
  return groups.map((g) => ({
    params: Object.fromEntries(problem.params.map((p, j) => [p.path, g.best.final[j]])),
    fitted: Object.fromEntries(problem.targets.map((t, i) => [t.name, g.best.fitted[i]])),
    objective: g.best.objective,
    starts: g.members,
  }));
}
