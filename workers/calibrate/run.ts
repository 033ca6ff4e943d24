// `lpe calibrate`'s computation, without I/O: the multistart fits (one task per start of the
// seeded design), the best fit, the Jacobian and identification report at it, and one profile
// per parameter (the objective along that parameter with the others re-optimized, from the best
// fit: a flat profile is a parameter the targets do not pin down, a second dip another optimum).
// Tasks are independent and deterministic, so they run on the worker pool in any order and the
// result is the same for any number of workers; with one worker they run on the calling thread.

import { InputError, NumericalError, type ErrorData } from "../../engine/errors.js";
import { latinHypercube } from "./design.js";
import { fitFrom, flatTargets, type FitResult } from "./fit.js";
import { groupOptima, jacobianAt, localIdentification, type Identification, type JacobianReport } from "./identify.js";
import { CalibrationProblem } from "./problem.js";

export type CalibrationTask =
  | { kind: "start"; index: number; x0: number[] }
  | { kind: "profile"; param: number; value: number; x0: number[] };

export type TaskAnswer = { ok: true; fit: FitResult } | { ok: false; error: ErrorData };

/** Runs one task (the same on the main thread and in a pool thread). */
/** The reason of a start that stopped on a plateau (calibrate below). */
export const STALLED = "stalled on a flat region";

export function runTask(problem: CalibrationProblem, task: CalibrationTask): FitResult {
  if (task.kind === "start") return fitFrom(problem, task.x0);
  const x = task.x0.slice();
  x[task.param] = task.value;
  return fitFrom(problem, x, task.param);
}

export function taskAnswer(problem: CalibrationProblem, task: CalibrationTask): TaskAnswer {
  try {
    return { ok: true, fit: runTask(problem, task) };
  } catch (e) {
    if (e instanceof InputError || e instanceof NumericalError) return { ok: false, error: e.toData() };
    return { ok: false, error: { code: "NUMERICAL", message: e instanceof Error ? e.message : String(e), path: "calibration" } };
  }
}

/** Runs tasks on pool threads (when given) and on the calling thread (`local`). */
export interface TaskExecutor {
  readonly threads: number;
  run(task: CalibrationTask): Promise<TaskAnswer>;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runTasks(
  tasks: readonly CalibrationTask[],
  local: ((t: CalibrationTask) => TaskAnswer) | undefined,
  pool: TaskExecutor | undefined,
  onDone?: (done: number) => void,
): Promise<TaskAnswer[]> {
  const out: TaskAnswer[] = new Array(tasks.length);
  let next = 0;
  let done = 0;
  const inflight = new Set<Promise<void>>();
  const record = (i: number, a: TaskAnswer) => {
    out[i] = a;
    onDone?.(++done);
  };
  for (;;) {
    while (pool && inflight.size < pool.threads && next < tasks.length) {
      const i = next++;
      const p: Promise<void> = pool
        .run(tasks[i])
        .then((a) => record(i, a))
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
    if (local && next < tasks.length) {
      const i = next++;
      record(i, local(tasks[i]));
      await yieldToEventLoop();
      continue;
    }
    if (inflight.size === 0) break;
    await Promise.race(inflight);
  }
  return out;
}

export interface TargetReport {
  observed: number;
  fitted: number;
  /** fitted − observed */
  residual: number;
  /** (fitted − observed)/|observed| (null for observed 0) */
  relativeMiss: number | null;
  /** the standardized residual whose square enters the objective */
  standardized: number;
  weight?: number;
  se?: number;
  met: boolean;
}

export interface StartReport {
  index: number;
  initial: Record<string, number>;
  final: Record<string, number>;
  objective: number;
  converged: boolean;
  reason: string;
  iterations: number;
  evaluations: number;
  atBounds: string[];
}

export interface ProfileReport {
  /** "others re-optimized": at each value the other parameters are fitted again */
  mode: string;
  values: number[];
  objective: (number | null)[];
}

export interface CalibrationResult {
  params: Record<string, number>;
  targets: Record<string, TargetReport>;
  objective: number;
  converged: boolean;
  /** set when the fit failed: the reason, naming the targets that cannot be met */
  failure: string | null;
  unmetTargets: string[];
  identification: Identification;
  jacobian: JacobianReport;
  starts: StartReport[];
  profiles: Record<string, ProfileReport>;
  design: { kind: string; seed: number; starts: number };
  evaluations: number;
}

const named = (problem: CalibrationProblem, x: readonly number[]) => Object.fromEntries(problem.params.map((p, j) => [p.path, x[j]]));

/** The design's starting points (natural parameters). */
export function startingPoints(problem: CalibrationProblem): number[][] {
  return latinHypercube(problem.starts, problem.k, problem.seed).map((u) => u.map((v, j) => problem.fromUnit(j, v)));
}

/** Values at which a parameter's profile is drawn: evenly spaced (log-spaced) over its bounds, plus
 *  the fit, plus the parameter's value at each other distinct optimum the starts found (`others`:
 *  the profile then shows their dips as deep as they are; a reviewer's second exact fit, at
 *  σ = 0.544 between two grid values, showed as a shallow dip read as a worse local optimum). */
export function profileValues(problem: CalibrationProblem, j: number, fitted: number, others: readonly number[] = []): number[] {
  const P = problem.profilePoints;
  if (P < 2) return [];
  const vals = Array.from({ length: P }, (_, i) => problem.fromUnit(j, i / (P - 1)));
  vals.push(fitted, ...others.filter(Number.isFinite));
  return [...new Set(vals)].sort((a, b) => a - b);
}

function fail(answer: TaskAnswer): FitResult {
  if (answer.ok) return answer.fit;
  const e = answer.error;
  if (e.code === "BAD_INPUT") throw new InputError(e.path ?? "", e.message.startsWith(`${e.path}: `) ? e.message.slice((e.path ?? "").length + 2) : e.message);
  throw new NumericalError(e.path ?? "calibration", e.message);
}

export interface CalibrateOptions {
  pool?: TaskExecutor;
  /** run tasks on the calling thread too (default true) */
  local?: boolean;
  onProgress?: (stage: "starts" | "profiles", done: number, total: number) => void;
}

export async function calibrate(problem: CalibrationProblem, opts: CalibrateOptions = {}): Promise<CalibrationResult> {
  const local = opts.local === false ? undefined : (t: CalibrationTask) => taskAnswer(problem, t);
  const x0s = startingPoints(problem);
  const startTasks: CalibrationTask[] = x0s.map((x0, index) => ({ kind: "start", index, x0 }));
  const answers = await runTasks(startTasks, local, opts.pool, (d) => opts.onProgress?.("starts", d, startTasks.length));
  const fits = answers.map(fail);
  let evaluations = fits.reduce((a, f) => a + f.evaluations, 0);

  // Best: the smallest objective among converged starts, else among all.
  const pool = fits.some((f) => f.converged) ? fits.filter((f) => f.converged) : fits;
  const best = pool.reduce((a, b) => (b.objective < a.objective ? b : a));
  const x = best.final;

  // A start that stopped, worse than the best, where a target it misses does not move with the
  // parameters (and does at the best point) stalled on a plateau: it is not a local optimum of
  // the fit, and is not counted as converged nor as another optimum.
  const before = problem.evaluations;
  const worse = fits.filter((f) => f.converged && f !== best && f.objective > best.objective * (1 + 1e-6) + 1e-20);
  if (worse.length > 0) {
    const flatAtBest = new Set(flatTargets(problem, x));
    for (const f of worse) {
      const stalled = flatTargets(problem, f.final).filter((i) => !flatAtBest.has(i));
      if (stalled.length === 0) continue;
      const names = stalled.map((i) => `${problem.targets[i].name} (${f.fitted[i].toPrecision(4)})`);
      f.converged = false;
      f.reason = `${STALLED}: ${names.join(", ")} ${names.length === 1 ? "does" : "do"} not move with the parameters there`;
    }
  }

  const { natural, scaled } = jacobianAt(problem, x);
  evaluations += problem.evaluations - before;
  const local_ = localIdentification(problem, scaled);
  const optima = groupOptima(problem, fits);
  const warnings: string[] = [];
  const k = problem.k;
  const m = problem.m;
  // Outputs that are not numbers at the best fit (a price where nothing is sold): the fit and
  // its identification say nothing there (a reviewer read "NOT IDENTIFIED … (null directions: )"
  // and an objective of 1e12, the penalty)
  const undefinedAt = problem.targets.filter((_, i) => !Number.isFinite(best.fitted[i])).map((t) => t.name);
  const assessable = scaled.every((row) => row.every(Number.isFinite));
  if (!assessable) {
    warnings.push(
      `NOT ASSESSED: ${undefinedAt.length ? `${undefinedAt.join(", ")} ${undefinedAt.length === 1 ? "is" : "are"} not a number at the best fit found` : "an output is not a number next to the best fit found"}, ` +
        "so whether the targets pin down the parameters cannot be judged there",
    );
  } else if (local_.rank < k) {
    warnings.push(
      `NOT IDENTIFIED: the ${m} target${m === 1 ? "" : "s"} pin${m === 1 ? "s" : ""} down ${local_.rank} combination${local_.rank === 1 ? "" : "s"} of the ${k} parameters; ` +
        `${local_.unidentified.join(", ") || "some parameters"} can move together without changing the fit (null direction${local_.nullDirections.length === 1 ? "" : "s"}: ` +
        local_.nullDirections.map((v) => `(${Object.entries(v).map(([p, c]) => `${p} ${c.toFixed(3)}`).join(", ")})`).join("; ") +
        ")",
    );
  } else if (local_.conditionNumber !== null && local_.conditionNumber > 1e8) {
    warnings.push(`WEAKLY IDENTIFIED: condition number ${local_.conditionNumber.toExponential(2)} of the scaled Jacobian`);
  }
  const tied = optima.filter((o) => o.objective <= optima[0].objective * (1 + 1e-6) + 1e-20);
  const startsAgree = optima.length <= 1;
  if (tied.length > 1) {
    warnings.push(
      `STARTS DISAGREE: ${tied.length} different parameter values fit equally well (objective ${optima[0].objective.toExponential(2)}); the calibration is not unique: ` +
        tied.map((o) => `{${Object.entries(o.params).map(([p, v]) => `${p} = ${v.toPrecision(6)}`).join(", ")}} from start${o.starts.length > 1 ? "s" : ""} ${o.starts.join(", ")}`).join("; "),
    );
  }
  if (optima.length > tied.length) {
    const show = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(", ");
    warnings.push(
      `STARTS DISAGREE: ${optima.length - tied.length} start group${optima.length - tied.length > 1 ? "s" : ""} stopped at worse local optima (` +
        optima
          .slice(tied.length)
          .map((o) => `objective ${o.objective.toExponential(2)} at ${show(o.params)}, where ${show(o.fitted)}, from start${o.starts.length > 1 ? "s" : ""} ${o.starts.join(", ")}`)
          .join("; ") +
        "); the best is reported",
    );
  }
  const atBounds = best.atBounds;
  if (atBounds.length) warnings.push(`AT A BOUND: ${atBounds.join(", ")} ended at a bound; the fit may need wider bounds`);

  const targets: Record<string, TargetReport> = {};
  const unmet: string[] = [];
  problem.targets.forEach((t, i) => {
    const fitted = best.fitted[i];
    const residual = fitted - t.observed;
    const relativeMiss = t.observed !== 0 ? residual / Math.abs(t.observed) : null;
    const standardized = residual / t.scale;
    const miss = relativeMiss !== null ? Math.abs(relativeMiss) : Math.abs(residual) / (t.se ?? 1);
    const met = Number.isFinite(fitted) && miss <= problem.tolerance;
    if (!met) unmet.push(t.name);
    targets[t.name] = { observed: t.observed, fitted, residual, relativeMiss, standardized, ...(t.weight !== undefined ? { weight: t.weight } : {}), ...(t.se !== undefined ? { se: t.se } : {}), met };
  });
  const anyConverged = fits.some((f) => f.converged);
  let failure: string | null = null;
  // Unmet targets fail the fit when the parameters could meet them all (no more targets than
  // parameters); with more targets than parameters a miss is the fit's verdict, reported.
  const order = [...unmet].sort((a, b) => Math.abs(targets[b].standardized) - Math.abs(targets[a].standardized));
  const describe = (name: string) => {
    const t = targets[name];
    if (!Number.isFinite(t.fitted)) {
      const i = problem.targets.findIndex((x) => x.name === name);
      const nowhere = fits.every((f) => !Number.isFinite(f.fitted[i]));
      return `${name} is not a number ${nowhere ? `where every one of the ${fits.length} starts ended` : "at the best fit found"}: the output is undefined there (a price or a share of sales where nothing is sold, say); choose bounds where the market produces it`;
    }
    // (with more targets than parameters a miss is the weighted compromise between the targets,
    // not the bounds' doing unless a parameter is at one: "cannot be met inside the bounds" was
    // said of every target of a reviewer's fit of 3 targets with 2 parameters, none at a bound)
    const why = m > k && atBounds.length === 0 ? "is missed at the weighted compromise between the targets" : "cannot be met inside the bounds";
    return `${name} = ${t.observed} ${why} (best fit ${t.fitted.toPrecision(6)}, miss ${t.relativeMiss !== null ? `${(t.relativeMiss * 100).toPrecision(3)}%` : t.residual.toExponential(2)})`;
  };
  if (!anyConverged) {
    failure = `no start converged (${fits.map((f) => f.reason).filter((r, i, a) => a.indexOf(r) === i).join("; ")})` + (order.length ? `; ${order.map(describe).join("; ")}` : "");
  } else if (m <= k && order.length > 0) {
    failure = order.map(describe).join("; ") + (atBounds.length ? `; ${atBounds.join(", ")} at a bound` : "");
  } else if (order.length > 0) {
    warnings.push(`TARGETS MISSED (more targets than parameters): ${order.map(describe).join("; ")}`);
  }

  // Profiles, from the best fit.
  const profileTasks: CalibrationTask[] = [];
  const profileIndex: [number, number][] = [];
  const profiles: Record<string, ProfileReport> = {};
  // (the other optima: their values are profiled too, each from its own optimum)
  const otherOptima = optima.slice(1).map((o) => problem.params.map((q) => o.params[q.path]));
  problem.params.forEach((p, j) => {
    const values = profileValues(problem, j, x[j], otherOptima.map((o) => o[j]));
    profiles[p.path] = { mode: k > 1 ? "others re-optimized" : "objective (one parameter)", values, objective: values.map(() => null) };
    values.forEach((v, i) => {
      const from = otherOptima.find((o) => o[j] === v && v !== x[j]);
      profileTasks.push({ kind: "profile", param: j, value: v, x0: (from ?? x).slice() });
      profileIndex.push([j, i]);
    });
  });
  if (profileTasks.length > 0) {
    const pa = await runTasks(profileTasks, local, opts.pool, (d) => opts.onProgress?.("profiles", d, profileTasks.length));
    pa.forEach((a, t) => {
      const [j, i] = profileIndex[t];
      if (a.ok) {
        evaluations += a.fit.evaluations;
        profiles[problem.params[j].path].objective[i] = Number.isFinite(a.fit.objective) && !a.fit.reason.startsWith("failed") ? a.fit.objective : null;
      }
    });
  }

  return {
    params: named(problem, x),
    targets,
    // (a penalty, 1e12, stands for the outputs that are not numbers while fitting: not an
    // objective to report — a reviewer found it in calibration.json, .csv and a caption)
    objective: undefinedAt.length > 0 ? NaN : best.objective,
    converged: anyConverged && best.converged,
    failure,
    unmetTargets: order,
    identification: { ...local_, atBounds, startsAgree, optima, warnings },
    jacobian: { params: problem.params.map((p) => p.path), targets: problem.targets.map((t) => t.name), values: natural },
    starts: fits.map((f, index) => ({
      index,
      initial: named(problem, f.initial),
      final: named(problem, f.final),
      objective: f.fitted.every(Number.isFinite) ? f.objective : NaN,
      converged: f.converged,
      reason: f.reason,
      iterations: f.iterations,
      evaluations: f.evaluations,
      atBounds: f.atBounds,
    })),
    profiles,
    design: { kind: `Latin hypercube, maximin of 32 seeded candidates`, seed: problem.seed, starts: problem.starts },
    evaluations,
  };
}
