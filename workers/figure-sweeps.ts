// The sweeps behind figures drawn against a parameter (thresholds against c_F or γ_L, regimes
// against c_F, profit share against the number of tiers, a falling cost): the figure layer
// declares each as a scenario with a `sweep` block (figures/figure-needs.ts), and this module
// computes it with the sweep machinery of `lpe sweep` — the grid, the point solver, the
// runner on the main thread plus the worker pool, and the durable store, so a killed
// `lpe figures` resumes where it stopped. Each sweep lives in <dir>/<id>/ (manifest and part
// files while it runs, sweep.csv when done: the table the figure is drawn from). A finished
// table is recomputed on the next run (the solver may have changed since); an unfinished one of
// the same sweep is resumed; anything else in the folder is replaced. A finished sweep leaves
// only its sweep.csv (the same bytes on every run).

import { poolMinSecondsFromEnv } from "./sweep-options.js";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { scenarioSha256 } from "../engine/scenario/load.js";
import { recordedWorkLimit } from "../engine/scenario/limits.js";
import type { Scenario } from "../engine/scenario/spec-types.js";
import { ENGINE_VERSION } from "../engine/version.js";
import { solveScenario } from "../solvers/solve.js";
import type { MarketSolution } from "../solvers/types.js";
import type { WorkerPool } from "./pool.js";
import type { SweepTable } from "./sweep-curves.js";
import { gridSha256 } from "./sweep-files.js";
import { checkSweepNames } from "./sweep-outputs.js";
import { makeSweepContext, solveRange, type SweepJob } from "./sweep-point.js";
import { writeSweepTables } from "./sweep-results.js";
import { runSweepPoints } from "./sweep-runner.js";
import { identityMismatch, MANIFEST, readManifest, SweepStore, type SweepIdentity } from "./sweep-store.js";

/** One sweep a figure needs: a scenario (plain JSON) whose `sweep` block names the grid and outputs. */
export interface FigureSweepRequest {
  /** folder name of its table (letters, digits, `.`, `_`, `-`), unique within a scenario's figures */
  id: string;
  /** the scenario to sweep, with its `sweep` block ({ params, outputs }) */
  scenario: { sweep: { params: Record<string, unknown>; outputs: string[] } } & Record<string, unknown>;
}

export interface FigureSweepOptions {
  /** where the tables go: <dir>/<id>/ */
  dir: string;
  /** threads beyond the main one (kept open: the caller closes it) */
  pool?: WorkerPool;
  note?: (s: string) => void;
  /** asked between batches: true stops the sweep (what is done is kept; FigureSweepInterrupted) */
  shouldStop?: () => boolean;
  /** the run's --work-limit (ms): a scenario allowed past the default limit has its figures'
   *  points (each a solve of its size) held to the same limit */
  workLimitMs?: number;
}

/** A figure sweep stopped before its end (shouldStop): the next run resumes it. */
export class FigureSweepInterrupted extends Error {
  constructor(
    readonly id: string,
    readonly done: number,
    readonly size: number,
  ) {
    super(`figure sweep ${id} interrupted with ${done} of ${size} points done; the next run resumes it`);
  }
}

const ID = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Compute one figure sweep (resuming an unfinished run of it); returns its table. */
export async function runFigureSweep(req: FigureSweepRequest, opts: FigureSweepOptions): Promise<SweepTable> {
  if (!ID.test(req.id)) throw new Error(`figure sweep id ${JSON.stringify(req.id)} is not a folder name`);
  const job: SweepJob = { raw: req.scenario, outputs: [...req.scenario.sweep.outputs], curves: [], workLimitMs: opts.workLimitMs };
  const ctx = makeSweepContext(job);
  checkSweepNames(ctx);
  const dir = join(opts.dir, req.id);
  const sha = scenarioSha256(req.scenario);
  const identity: SweepIdentity = {
    name: ctx.base.name,
    engineVersion: ENGINE_VERSION,
    scenarioSha256: sha,
    gridSha256: gridSha256(ctx.base.sweep!),
    gridSize: ctx.grid.size,
    params: [...ctx.grid.paths],
    outputs: job.outputs,
    curves: [],
    shard: null,
    ...(recordedWorkLimit(opts.workLimitMs) !== undefined ? { workLimitSeconds: recordedWorkLimit(opts.workLimitMs) } : {}),
  };
  // resume only an unfinished run of this very sweep; start afresh otherwise
  const m = readManifest(dir);
  const resume = m !== undefined && !m.complete && identityMismatch(m.identity, identity) === undefined;
  if (m !== undefined && !resume) rmSync(dir, { recursive: true, force: true });
  const { store } = SweepStore.open(dir, identity, 0, ctx.grid.size, { resume, note: opts.note });
  if (store.resumedCount > 0) opts.note?.(`figure sweep ${req.id}: resuming with ${store.resumedCount} of ${store.size} points done`);
  try {
    const threads = Math.min(1 + (opts.pool?.threads ?? 0), store.size - store.doneCount);
    const executor = opts.pool && threads > 1 ? opts.pool.forJob(job, `figure:${sha}`) : undefined;
    const poolMinSeconds = poolMinSecondsFromEnv();
    const { stopped } = await runSweepPoints({ local: (a, b) => solveRange(ctx, a, b), pool: executor, store, shouldStop: opts.shouldStop, poolMinSeconds, poolFirst: poolMinSeconds === 0 });
    if (stopped) throw new FigureSweepInterrupted(req.id, store.doneCount, store.size);
    const table: SweepTable = { grid: ctx.grid, outputs: job.outputs, start: 0, end: ctx.grid.size, values: store.values, failures: store.failures };
    writeSweepTables(dir, table, false);
    store.finish();
    // the table is what stays: a finished figure sweep is recomputed anyway, and its manifest
    // (timings) would make the folder's bytes differ from run to run
    rmSync(join(dir, MANIFEST), { force: true });
    return table;
  } catch (e) {
    store.close();
    throw e;
  }
}

/** Compute every request (in order, each on all threads); returns the tables by id. */
export async function runFigureSweeps(requests: readonly FigureSweepRequest[], opts: FigureSweepOptions): Promise<Map<string, SweepTable>> {
  const out = new Map<string, SweepTable>();
  for (const r of requests) {
    if (out.has(r.id)) continue;
    out.set(r.id, await runFigureSweep(r, opts));
  }
  return out;
}

/** What a scenario's figures need beyond its own solution (figures/scenario-figures.ts figureNeeds). */
export interface FigureNeeds {
  sweeps: FigureSweepRequest[];
  /** other scenarios to solve whole (e.g. the continuous menu beside a tiered one), by id */
  solves: { id: string; scenario: Scenario }[];
}

/** The computed needs, handed to the figure builders. */
export interface FigureInputs {
  sweeps: ReadonlyMap<string, SweepTable>;
  solutions: ReadonlyMap<string, MarketSolution>;
}

export const NO_FIGURE_INPUTS: FigureInputs = { sweeps: new Map(), solutions: new Map() };

/** Compute a scenario's figure needs: its sweeps on the runner, its extra solves here. */
export async function computeFigureInputs(needs: FigureNeeds, opts: FigureSweepOptions): Promise<FigureInputs> {
  const solutions = new Map<string, MarketSolution>();
  for (const s of needs.solves) if (!solutions.has(s.id)) solutions.set(s.id, solveScenario(s.scenario));
  const sweeps = needs.sweeps.length > 0 ? await runFigureSweeps(needs.sweeps, opts) : new Map<string, SweepTable>();
  return { sweeps, solutions };
}
