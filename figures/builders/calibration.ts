// Figures of `lpe calibrate`: how well the fit meets its targets, and how well the targets pin
// down each parameter.
//   calibration-fit       each target's fitted value against its observed value, with the
//                         45° line (log axes when every value is positive: targets of different
//                         units, a share and a price ratio, then sit on one chart);
//   profile-<path>        the objective (weighted sum of squared standardized misses) along one
//                         parameter over its bounds, the other parameters re-fitted at each value
//                         (a profile, as for a profile likelihood): a sharp minimum at the fit
//                         means the parameter is pinned down; a flat floor means it is not; a
//                         second dip means another optimum. The fitted value is marked.
// Plain data in, FigureSpecs out (the caption names the scenario and the engine version).

import type { Scenario } from "../../engine/scenario/spec-types.js";
import type { FigureSpec, Series } from "../types.js";
import { fmt, inSentence, scenarioCaption } from "./caption.js";
import { L } from "./notation.js";
import { outputLabel, pathLabel, shortLabel } from "../symbols.js";

/** A parameter by its symbol ("c_F"), as the captions of the other figures name it. */
const symbolOf = (path: string) => inSentence(shortLabel(path, "path"));

/** The parts of a calibration result the figures draw (defined beside the job that makes them). */
export type { CalibrationFigureData } from "../../workers/calibrate/job.js";
import type { CalibrationFigureData } from "../../workers/calibrate/job.js";


export function calibrationFitFigure(scenario: Scenario, data: CalibrationFigureData, name = "calibration-fit"): FigureSpec {
  const names = Object.keys(data.targets);
  const obs = names.map((n) => data.targets[n].observed);
  const fit = names.map((n) => data.targets[n].fitted);
  const all = [...obs, ...fit].filter(Number.isFinite);
  const log = all.length > 0 && all.every((v) => v > 0);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const pad = log ? [lo / 1.5, hi * 1.5] : [lo - 0.1 * (hi - lo || 1), hi + 0.1 * (hi - lo || 1)];
  // each target by its label (the symbol table's, with units: "Fringe token share"), not its
  // identifier; the legend goes below the plot, where a long label does not squeeze it
  const series: Series[] = names.map((n, i) => ({ name: outputLabel(n, scenario.units, true), x: [obs[i]], y: [fit[i]], line: false, column: n.replace(/[^A-Za-z0-9]+/g, "_") }));
  series.push({ name: L("fitted = observed", "fitted = observed"), x: pad, y: pad, style: "dotted", column: "diagonal" });
  const model = name === "calibration-fit" ? "fitted" : "in the scenario";
  // a target the fit misses says so, by how much (a reviewer's caption listed 4.47 beside an
  // observed 7 without a word)
  const missed = (n: string) => {
    const t = data.targets[n];
    if (t.met !== false) return "";
    return typeof t.relativeMiss === "number" && Number.isFinite(t.relativeMiss) ? `, MISSED by ${(t.relativeMiss * 100).toPrecision(3)}%` : ", MISSED";
  };
  // (targets and parameters by their labels and symbols, not their identifiers and paths: a reviewer's)
  const words = names.map((n, i) => `${inSentence(outputLabel(n, scenario.units, true))}: observed ${fmt(obs[i])}, ${model} ${Number.isFinite(fit[i]) ? fmt(fit[i]) : "not a number"}${name === "calibration-fit" ? missed(n) : ""}`).join("; ");
  return {
    name,
    caption: scenarioCaption(
      scenario,
      name === "calibration-fit"
        ? `${data.failure ? `Calibration FAILED (${data.failure}); the best fit is shown. ` : ""}Calibration targets: each target's fitted value against its observed value (${words}); on the dotted line the fit is exact. Fitted parameters: ${Object.entries(data.params)
            .map(([p, v]) => `${symbolOf(p)} = ${fmt(v)}`)
            .join(", ")}; objective ${Number.isFinite(data.objective) ? data.objective.toExponential(2) : "undefined (a target's output is not a number at the fit)"}`
        : `Calibration targets of the scenario: each target's value in the solved scenario against its observed value (${words}); on the dotted line the scenario meets the target. Parameters: ${Object.entries(data.params)
            .map(([p, v]) => `${symbolOf(p)} = ${fmt(v)}`)
            .join(", ")}`,
    ),
    x: { label: L("Observed", "Observed"), column: "observed", scale: log ? "log" : "linear", domain: [pad[0], pad[1]] },
    y: { label: L("Fitted", "Fitted"), scale: log ? "log" : "linear", domain: [pad[0], pad[1]] },
    series,
    legend: "bottom",
  };
}

export function profileFigure(scenario: Scenario, data: CalibrationFigureData, path: string): FigureSpec | undefined {
  const p = data.profiles[path];
  if (!p || p.values.length < 2) return undefined;
  const y = p.objective.map((v) => (v === null ? NaN : v));
  const finite = y.filter(Number.isFinite);
  if (finite.length === 0) return undefined;
  const log = data.logParams.includes(path);
  const fitted = data.params[path];
  // the other optima's values of this parameter (another fit the starts found: not drawn as a
  // shallow dip between grid values, the profile samples it; run.ts profileValues)
  const others = (data.otherOptima ?? [])
    .map((o) => ({ value: o.params[path], objective: o.objective }))
    .filter((o) => Number.isFinite(o.value) && o.value !== fitted);
  return {
    name: `profile-${path.replace(/[^A-Za-z0-9._-]+/g, "_")}`,
    caption: scenarioCaption(
      scenario,
      `${data.failure ? `Calibration FAILED (${data.failure}). ` : ""}Profile of the calibration objective (weighted sum of squared standardized target misses) along ${inSentence(pathLabel(path, scenario.units))}, ${p.mode === "others re-optimized" ? "the other free parameters fitted again at each value" : "the only free parameter"}; ` +
        `a flat floor means the targets do not pin the parameter down. Vertical line: the fitted value ${fmt(fitted)}` +
        (others.length
          ? `; ${others.length === 1 ? "another" : `${others.length} other`} vertical line${others.length === 1 ? "" : "s"}: ${others.length === 1 ? "another optimum" : "other optima"} the starts found, ${others.map((o) => `${fmt(o.value)} (objective ${o.objective.toPrecision(3)})`).join(", ")}, profiled from ${others.length === 1 ? "it" : "each"} as well`
          : ""),
    ),
    x: { label: pathLabel(path, scenario.units), column: "value", scale: log ? "log" : "linear" },
    y: { label: L("Objective", "Objective") },
    series: [{ name: L("objective", "objective"), x: p.values, y, column: "objective", marker: true }],
    vlines: [{ x: fitted, label: L(`fit ${fmt(fitted)}`, `fit ${fmt(fitted)}`) }, ...others.map((o) => ({ x: o.value, label: L(`optimum ${fmt(o.value)}`, `optimum ${fmt(o.value)}`) }))],
    legend: "none",
  };
}

/** `lpe figures` for a scenario with a calibrate block: its targets against the solved scenario. */
export function calibrationTargetsFigure(scenario: Scenario, scalars: Readonly<Record<string, unknown>>): FigureSpec | undefined {
  const cal = scenario.calibrate;
  if (!cal) return undefined;
  const targets: CalibrationFigureData["targets"] = {};
  for (const [n, t] of Object.entries(cal.targets)) {
    const v = scalars[n];
    targets[n] = { observed: t.value, fitted: typeof v === "number" ? v : NaN };
  }
  const params: Record<string, number> = {};
  for (const p of Object.keys(cal.params)) {
    const v = p.split(".").reduce<unknown>((o, k) => (o !== null && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), scenario);
    if (typeof v === "number") params[p] = v;
  }
  return calibrationFitFigure(scenario, { failure: null, params, targets, objective: NaN, profiles: {}, logParams: [] }, "calibration-targets");
}

export function calibrationFigures(scenario: Scenario, data: CalibrationFigureData): FigureSpec[] {
  const out = [calibrationFitFigure(scenario, data)];
  for (const path of Object.keys(data.profiles)) {
    const f = profileFigure(scenario, data, path);
    if (f) out.push(f);
  }
  return out;
}
