// A sweep's figure specs built from its table sent as plain data (workers/sweep-curves.ts
// PlainSweepTable): in the figure thread (figure-thread.ts), which has the fonts the axis titles
// are measured with loaded already, so that the main thread of a sweep loads neither them nor
// the builders. The grid's axes come as arrays of their values (or, long linspace and logspace
// axes, as their specs, computed here as read) and the outputs as the sample of the points the
// figures show; this module gives them back the shape the builders read.

import type { PlainFigureSample, PlainSweepTable, SweepTable } from "../workers/sweep-curves.js";
import { axisOf, type AxisValues } from "../engine/sweep-axis.js";
import type { SweepFigureScenario } from "../workers/sweep-figures-hook.js";
import { indexOfSorted } from "../engine/numerics/sorted-index.js";
import { paramCurveFigures } from "./builders/sweep-figures.js";
import "./fonts.js";
import type { FigureSpec } from "./types.js";

/** An axis held as its values. */
function heldAxis(v: Float64Array): AxisValues {
  return {
    length: v.length,
    at: (k) => v[k],
    get: (k, out, j) => {
      out[j] = v[k];
    },
    copy: (k, count, out, j) => out.set(v.subarray(k, k + count), j),
  };
}

/** The outputs at the sampled points (the builders ask `get(i, k)`: NaN where not sampled). */
function heldSample(p: PlainFigureSample): { get(i: number, k: number): number } {
  const { index, values, K } = p;
  return {
    get(i, k) {
      const s = indexOfSorted(index, i);
      return s < 0 ? NaN : values[s * K + k];
    },
  };
}

/** The table the builders read, from its plain form. */
export function tableFromPlain(p: PlainSweepTable): SweepTable {
  const grid = { ...p.grid, axes: p.grid.axes.map((a) => (a instanceof Float64Array ? heldAxis(a) : axisOf(a))) };
  return { grid, outputs: p.outputs, start: p.start, end: p.end, sample: heldSample(p.sample) as SweepTable["sample"], failures: p.failures };
}

/** The figure specs of a sweep's table (or why they could not be built). */
export function sweepFigureSpecs(p: PlainSweepTable, scenario: SweepFigureScenario): { specs: FigureSpec[] } | { failed: string } {
  try {
    return { specs: paramCurveFigures(tableFromPlain(p), scenario) };
  } catch (e) {
    return { failed: `the sweep's figures could not be built (${(e as Error).message})` };
  }
}
