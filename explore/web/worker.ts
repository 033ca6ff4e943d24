// The explore page's solver: a Web Worker running the engine bundled for the browser
// (scripts/bundle-explore.mjs). For each request — the scenario's text after an edit — it
// checks the text as `lpe validate` does, solves the scenario as `lpe solve` does, and draws its
// figures with the figure layer's own specifications, replying stage by stage (problems and
// controls, then scalars and checks, then one figure at a time, then the sweep preview).
// Between stages it yields to its message queue: a newer request supersedes the one in
// progress, so dragging a slider never queues up stale solves. (A single solve that runs long
// cannot be interrupted from inside; the page restarts the worker for that.)

import { checksLine, certificateLine } from "../../cli/report.js";
import { checkScenarioText } from "../check.js";
import { scenarioControls } from "../controls.js";
import { drawnWithData, dropFigure, figureNames, figureSlots, figureSpec, prepareFigureData, renderFigure, type FigureDataHandle } from "../figure-specs.js";
import { PREVIEW_POINTS, previewFigures, previewPlans, solvePreview } from "../sweep-preview.js";
import { sweepProblems } from "../../workers/sweep-validate.js";
import { needsLpSolver, solveScenario } from "../../solvers/solve.js";
import type { Scenario } from "../../engine/scenario/spec-types.js";
import type { Reply, RunRequest, WorkerRequest } from "./protocol.js";

interface WorkerScope {
  postMessage(m: Reply): void;
  onmessage: ((e: { data: WorkerRequest }) => void) | null;
}
const scope = globalThis as unknown as WorkerScope;
const post = (m: Reply) => scope.postMessage({ ...m, at: performance.timeOrigin + performance.now() });

// Yield to the event loop through a MessageChannel (a zero timeout is clamped to 4 ms).
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldNow = () =>
  new Promise<void>((r) => {
    waiting.push(r);
    channel.port2.postMessage(0);
  });

let pending: RunRequest | undefined;
/** solves run so far (superseded requests are never solved: the page's tests count on it) */
let solves = 0;
let running = false;

/** The vega-lite chart of each figure on the page, as last drawn (JSON, inline data). */
const charts = new Map<string, { name: string; json: string }>();

// Loaded: from now on, silence means a long solve (the page's patience counts from here).
post({ type: "ready", id: 0 });

scope.onmessage = (e) => {
  if (e.data?.type === "spec") {
    const c = charts.get(e.data.slot);
    if (c) post({ type: "spec", id: 0, slot: e.data.slot, name: c.name, json: c.json });
    return;
  }
  if (e.data?.type !== "run") return;
  pending = e.data;
  if (!running) void loop();
};

async function loop(): Promise<void> {
  running = true;
  try {
    while (pending) {
      const req = pending;
      pending = undefined;
      await run(req).catch((err: unknown) => post({ type: "error", id: req.id, stage: "internal", message: err instanceof Error ? err.message : String(err) }));
    }
  } finally {
    running = false;
  }
}

/** Keep a figure's chart for a later "vega-lite" request (serialized only then). */
function keepChart(slot: string, r: { name: string; vegaLite: unknown }): void {
  const chart = r.vegaLite;
  charts.set(slot, {
    name: r.name,
    get json() {
      return JSON.stringify(chart, null, 1);
    },
  });
}

/** Grid points of a sweep block checked in the page (a deterministic sample beyond). */
const SWEEP_CHECK_POINTS = 500;

/** Quiet time after the figures before the sweep preview starts. */
const SWEEP_DELAY_MS = 150;

/** True when a newer request has arrived (checked after each yield). */
const superseded = () => pending !== undefined;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function run(req: RunRequest): Promise<void> {
  const t0 = performance.now();
  const { id } = req;
  const checked = checkScenarioText(req.text);
  const tc = performance.now();
  post({ type: "check", id, problems: checked.problems, controls: checked.raw !== undefined && checked.problems.length === 0 ? scenarioControls(checked.raw) : undefined, ms: [tc - t0, performance.now() - tc] });
  const scenario = checked.scenario;
  if (!scenario) return;
  if (needsLpSolver(scenario)) {
    post({
      type: "error",
      id,
      stage: "solve",
      message: "finitely many types in a market with a fringe need the HiGHS LP solver, which this page does not load: solve this scenario with lpe solve (a continuous type law solves here)",
    });
    return;
  }
  await yieldNow();
  if (superseded()) return;
  let solution: ReturnType<typeof solveScenario>;
  const ts = performance.now();
  try {
    solves++;
    solution = solveScenario(scenario);
  } catch (e) {
    post({ type: "error", id, stage: "solve", message: message(e) });
    return;
  }
  const checks = { ...solution.checks, ...solution.certificate };
  post({
    type: "result",
    id,
    name: scenario.name,
    market: solution.market,
    scalars: solution.scalars,
    checksLine: checksLine(checks),
    certificateLine: certificateLine(checks),
    passed: checks.passed,
    certified: checks.certified,
    notes: solution.solver.notes,
    solveMs: performance.now() - ts,
    solves,
  });

  // Figures: the cheap ones first; those drawn against a parameter solve it along a grid.
  const names = figureNames(scenario, solution);
  const withData = names.filter(drawnWithData);
  const ordered = [...names.filter((n) => !drawnWithData(n)), ...withData];
  post({ type: "figures", id, names: ordered });
  for (const slot of figureSlots()) if (!slot.startsWith("sweep:") && !ordered.includes(slot)) dropFigure(slot);
  let data: FigureDataHandle | undefined;
  for (const name of ordered) {
    await yieldNow();
    if (superseded()) return;
    try {
      const tf = performance.now();
      if (drawnWithData(name) && data === undefined) {
        data = prepareFigureData(scenario, solution, withData);
        await yieldNow();
        if (superseded()) return;
      }
      const spec = figureSpec(name, scenario, solution, data);
      if (!spec) continue;
      const tr = performance.now();
      const r = await renderFigure(name, spec);
      keepChart(name, r);
      post({ type: "figure", id, slot: name, name: r.name, caption: r.caption, svg: r.svg, ms: [tr - tf, performance.now() - tr] });
    } catch (e) {
      post({ type: "error", id, stage: `figure ${name}`, message: message(e) });
    }
  }
  post({ type: "figures-done", id, ms: performance.now() - t0 });

  // The sweep preview waits until the controls rest: while a slider is dragged it would be
  // superseded anyway, and its drawing would compete with the figures being painted.
  if (scenario.sweep) {
    await new Promise((r) => setTimeout(r, SWEEP_DELAY_MS));
    if (superseded()) return;
    await sweepPreview(req, checked.raw, scenario);
  }
  post({ type: "done", id, ms: performance.now() - t0 });
}

async function sweepPreview(req: RunRequest, raw: unknown, scenario: Scenario): Promise<void> {
  const { id } = req;
  // The sweep block's own checks, as lpe validate makes them (on a sample of the grid here;
  // Save checks every point): an unknown output would otherwise draw as an empty curve.
  try {
    const checked = sweepProblems({ scenario, raw } as Parameters<typeof sweepProblems>[0], SWEEP_CHECK_POINTS);
    if (checked.problems.length > 0) {
      post({ type: "check", id, problems: checked.problems });
      return;
    }
  } catch (e) {
    post({ type: "error", id, stage: "sweep", message: message(e) });
    return;
  }
  await yieldNow();
  if (superseded()) return;
  let plans: ReturnType<typeof previewPlans>;
  try {
    plans = previewPlans(raw);
  } catch (e) {
    post({ type: "error", id, stage: "sweep", message: message(e) });
    return;
  }
  post({ type: "sweep", id, params: plans.map((p) => p.param), points: plans.map((p) => p.size), limit: PREVIEW_POINTS });
  const CHUNK = 8;
  for (const plan of plans) {
    for (let s = 0; s < plan.size; s += CHUNK) {
      await yieldNow();
      if (superseded()) return;
      solvePreview(plan, s, Math.min(plan.size, s + CHUNK));
    }
    for (const spec of previewFigures(plan, raw, scenario)) {
      await yieldNow();
      if (superseded()) return;
      try {
        const slot = `sweep:${spec.name}`;
        const r = await renderFigure(slot, spec);
        keepChart(slot, r);
        post({ type: "sweep-figure", id, slot, name: r.name, caption: r.caption, svg: r.svg });
      } catch (e) {
        post({ type: "error", id, stage: `sweep figure ${spec.name}`, message: message(e) });
      }
    }
  }
}
