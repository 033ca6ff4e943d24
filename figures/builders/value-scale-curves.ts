// The slides' value–scale "indifference curves": buyers (w, s) with value w on a share s of the
// tasks have aggregate type θ = w s^(1−σ), so the curves w s^(1−σ) = const are the equivalence
// classes that buy the same item. Drawn in the (s, w) plane for the menu's item boundaries:
// the lowest served type θ* (buyers below it are excluded) and served types a quarter, half and
// three quarters of the way up the served range, labelled with the quality they buy — or, for a
// tiered menu, the tier cuts.

import type { MarketSolution } from "../../solvers/types.js";
import type { DistSpec, Scenario } from "../../engine/scenario/spec-types.js";
import type { FigureSpec, Series } from "../types.js";
import { fmt, scenarioCaption } from "./caption.js";
import { scalar } from "./curves.js";
import { L } from "./notation.js";

/** Support [min, max] of a distribution spec. */
export function support(d: DistSpec): [number, number] {
  switch (d.dist) {
    case "discrete":
      return [Math.min(...d.values), Math.max(...d.values)];
    case "mixture": {
      const parts = d.components.map(support);
      return [Math.min(...parts.map((p) => p[0])), Math.max(...parts.map((p) => p[1]))];
    }
    default:
      return [d.min, d.max];
  }
}

const CURVE_POINTS = 121;

/** The curve w = θ s^(σ−1) inside the box, from where it enters at the top (w = w_max). */
export function isoTypeCurve(theta: number, sigma: number, [s0, s1]: [number, number], wMax: number): { x: number[]; y: number[] } {
  const k = 1 - sigma;
  const start = Math.max(s0, Math.pow(theta / wMax, 1 / k));
  const x: number[] = [];
  const y: number[] = [];
  if (!(start < s1)) return { x, y };
  for (let i = 0; i < CURVE_POINTS; i++) {
    // Denser near the entry, where the curve bends most.
    const u = i / (CURVE_POINTS - 1);
    const s = i === CURVE_POINTS - 1 ? s1 : start + (s1 - start) * u * u;
    x.push(s);
    y.push(i === 0 && start > s0 ? wMax : theta * Math.pow(s, -k));
  }
  return { x, y };
}

export function valueScaleFigure(scenario: Scenario, solution: MarketSolution): FigureSpec | undefined {
  if (!("valueScale" in scenario.buyers)) return undefined;
  const vs = scenario.buyers.valueScale;
  const sigma = scenario.technology.sigma;
  const sBox = support(vs.s);
  const [wMin, wMax] = support(vs.w);
  const levels: { theta: number; name: string; tex: string }[] = [];
  const cuts = solution.scalars.cuts;
  if (Array.isArray(cuts) && cuts.length > 0) {
    cuts.forEach((a, k) => levels.push({ theta: a, name: `tier ${k + 1}: θ = ${fmt(a)}`, tex: `tier ${k + 1}: $\\theta = ${fmt(a)}$` }));
  } else {
    const ts = scalar(solution, "thetaStar");
    const th = solution.curves.theta;
    const Q = solution.curves.columns.Q;
    if (ts === undefined || !Q) return undefined;
    levels.push({ theta: ts, name: `lowest served θ^* = ${fmt(Number(ts.toFixed(3)))}`, tex: `lowest served $\\theta^* = ${fmt(Number(ts.toFixed(3)))}$` });
    // Served types spread evenly over the served range, each with the quality it buys.
    const top = th[th.length - 1];
    for (const f of [0.25, 0.5, 0.75]) {
      const t = ts + f * (top - ts);
      const q = solution.pointAt(t).Q as number;
      // three significant digits of the value snapped to 12 (Q = 3/8 computed as
      // 0.37499999999999994 read "0.37" beside 1/8's "0.13" at two digits: a reviewer's)
      const qs = fmt(Number(Number(q.toPrecision(12)).toPrecision(3)));
      levels.push({ theta: t, name: `θ = ${fmt(Number(t.toFixed(3)))}, Q = ${qs}`, tex: `$\\theta = ${fmt(Number(t.toFixed(3)))}$, $Q = ${qs}$` });
    }
  }
  const series: Series[] = levels
    .map((lv, k) => ({ lv, k, c: isoTypeCurve(lv.theta, sigma, sBox, wMax) }))
    .filter((e) => e.c.x.length > 0)
    .map(({ lv, k, c }) => ({ name: L(lv.name, lv.tex), x: c.x, y: c.y, column: `w_${k + 1}` }));
  if (series.length === 0) return undefined;
  return {
    name: "value-scale-types",
    caption: scenarioCaption(
      scenario,
      `Value–scale types (s, w): value w per task on a share s of the tasks. Each curve w·s^(1−σ) = θ joins the types with the same aggregate type θ, who buy the same item (the slides' indifference curves); ` +
        (Array.isArray(cuts) && cuts.length > 0 ? "curves: the lowest type of each tier" : "curves: the lowest served type θ* (types below it are excluded) and served types with the quality Q they buy"),
    ),
    x: { label: L("Scale s (share of tasks)", "Scale $s$ (share of tasks)"), column: "s", domain: [sBox[0], sBox[1]] },
    y: { label: L("Value per task w", "Value per task $w$"), domain: [wMin, wMax] },
    series,
  };
}
