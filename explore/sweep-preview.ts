// The sweep block of a scenario, previewed in `lpe explore`: for each swept parameter, the
// sweep's output curves along that parameter with every other parameter at its current value
// in the page (not the full grid: that is `lpe sweep`'s job). Each curve has at most
// PREVIEW_POINTS points — the parameter's own axis when it is that short, else the same
// linspace/logspace with PREVIEW_POINTS points, or PREVIEW_POINTS values picked evenly from a
// `values` list (ends kept) — solved by the same code as a sweep's points (workers/sweep-point.ts)
// and drawn by the same figure builder as `lpe sweep`'s figures, with a reference line at the
// parameter's current value. Pure: the worker calls it chunk by chunk so a newer edit can
// supersede it.

import { getPath } from "../engine/scenario/overrides.js";
import type { Scenario, SweepAxis } from "../engine/scenario/spec-types.js";
import { makeSweepContext, solveRange, type SweepContext } from "../workers/sweep-point.js";
import { axisValues } from "../workers/sweep-grid.js";
import { sweepFigureSpecs, type FigureSpec, type SweepTable } from "./figure-specs.js";

/** Points per previewed curve. */
export const PREVIEW_POINTS = 121;

export interface PreviewPlan {
  param: string;
  ctx: SweepContext;
  /** grid points, outputs.length values each (point-major) */
  values: Float64Array;
  failures: Map<number, string>;
  size: number;
}

/** The axis a preview uses for one parameter's curve. */
export function previewAxis(axis: SweepAxis): SweepAxis {
  if ("linspace" in axis) return axis.linspace[2] <= PREVIEW_POINTS ? axis : { linspace: [axis.linspace[0], axis.linspace[1], PREVIEW_POINTS] };
  if ("logspace" in axis) return axis.logspace[2] <= PREVIEW_POINTS ? axis : { logspace: [axis.logspace[0], axis.logspace[1], PREVIEW_POINTS] };
  const v = axisValues(axis);
  if (v.length <= PREVIEW_POINTS) return axis;
  return { values: Array.from({ length: PREVIEW_POINTS }, (_, i) => v[Math.round((i * (v.length - 1)) / (PREVIEW_POINTS - 1))]) };
}

interface RawSweep {
  params: Record<string, SweepAxis>;
  outputs: string[];
  zip?: unknown;
  curves?: unknown;
}

/** One plan per swept parameter of the raw (validated) scenario. */
export function previewPlans(raw: unknown): PreviewPlan[] {
  const sweep = (raw as { sweep?: RawSweep }).sweep;
  if (!sweep) return [];
  return Object.keys(sweep.params).map((param) => {
    // The scenario with a one-parameter sweep: the other parameters keep their values in the page.
    const { zip: _zip, curves: _curves, ...rest } = sweep;
    void _zip;
    void _curves;
    const one = { ...(raw as object), sweep: { ...rest, params: { [param]: previewAxis(sweep.params[param]) } } };
    const ctx = makeSweepContext({ raw: one, outputs: [...sweep.outputs], curves: [] });
    return { param, ctx, values: new Float64Array(ctx.grid.size * sweep.outputs.length).fill(NaN), failures: new Map(), size: ctx.grid.size };
  });
}

/** Solve points [start, end) of a plan into it. */
export function solvePreview(plan: PreviewPlan, start: number, end: number): void {
  const r = solveRange(plan.ctx, start, end);
  plan.values.set(r.values, start * plan.ctx.job.outputs.length);
  r.failedAt.forEach((at, i) => plan.failures.set(start + at, r.failedStatus[i]));
}

/** The figures of a solved plan, as `lpe sweep` draws them, with the current value marked. */
export function previewFigures(plan: PreviewPlan, raw: unknown, scenario: Scenario): FigureSpec[] {
  const table: SweepTable = { grid: plan.ctx.grid, outputs: plan.ctx.job.outputs, start: 0, end: plan.size, values: plan.values, failures: plan.failures };
  const current = getPath(raw, plan.param);
  return sweepFigureSpecs(table, scenario).map((spec) =>
    typeof current === "number" ? { ...spec, vlines: [...(spec.vlines ?? []), { x: current, label: { text: "now", tex: "now" } }] } : spec,
  );
}
