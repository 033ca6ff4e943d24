// The figures of a finished sweep (`lpe sweep`, `lpe merge`), drawn from its table only: for
// each swept parameter p and each output, `<output>-vs-<p>`.
//   1 dimension:   the output against p, one line.
//   2 dimensions:  when the other dimension has at most SMALL_MULTIPLES values, one line per
//                  value (a short legend: "c_F = 0.105"); otherwise a heatmap of the output over
//                  p (x) and the other dimension's parameter (y), with white contour lines at
//                  round levels and a colour bar ticked at those levels — not 69 legend entries.
//   more:          one line per combination of the other dimensions' values, at most
//                  SMALL_MULTIPLES of them, evenly chosen (the curves/ CSVs hold every line).
// Labels come from the symbol table (symbols.ts: market.fringe.cost → "Fringe cost c_F", profit
// → "Profit Π", with the scenario's unit); numbers in legends and captions are the shortest
// decimal of the intended value (12 significant digits: 0.105, never 0.10500000000000001). An
// axis — or the colour scale — is logarithmic when its positive values span more than two
// decades (or the parameter's axis is a logspace), unless the scenario's `figures.scales` says
// otherwise. Pure: table in, FigureSpecs out (the vega-lite spec follows from vl-spec.ts).

import type { SweepTable } from "../../workers/sweep-curves.js";
import type { AxisValues } from "../../engine/sweep-axis.js";
import type { SweepFigureScenario } from "../../workers/sweep-figures-hook.js";
import { contourSegments, segmentsToPolyline } from "../contours.js";
import { linearTickValues, logTickValues } from "../domain.js";
import { axisTickLabels, formatNumber, tickLabel } from "../number.js";
import { runsWidth } from "../text-measure.js";
import { parseLabel } from "../label.js";
import { CONTOUR_COLOR, FIGURE_HEIGHT_PT, FIGURE_PADDING_PT, FIGURE_WIDTH_PT, FONT_SIZE, TEXT_COLOR } from "../style.js";
import { outputLabel, pathLabel, shortLabel, type ClassNames } from "../symbols.js";
import type { FigureSpec, Heatmap, Label, ScaleKind, Series } from "../types.js";
import type { CERTIFY_TOLERANCE, OPTIMALITY_GAP_SCALAR } from "../../solvers/types.js";
import { describeScenario, inSentence } from "./caption.js";
import { UNCERTIFIED_DOTS } from "./parameter-sweep.js";
import { getPath, setPath } from "../../engine/scenario/json-access.js";
import { largestGap } from "../../engine/results/uncertified-status.js";
import { LINES_DRAWN, lineCandidates, linesDrawn, picks, varyingDims } from "../../engine/sweep-figure-lines.js";
import type { DistSpec, Scenario } from "../../engine/scenario/spec-types.js";

/** Lines per figure at most; a 2-D sweep whose other axis is longer becomes a heatmap. */
export const SMALL_MULTIPLES = LINES_DRAWN;
/** Points per line at most (evenly chosen, ends kept); the CSVs of curves/ keep every point. */
export const MAX_PLOT_POINTS = 500;
/** Cells per heatmap axis at most (evenly chosen). */
export const MAX_HEATMAP_CELLS = 200;
/** A positive range wider than this ratio gets a log scale… */
export const LOG_SPAN = 100;
/** …measured between these quantiles of the values (chooseScale)… */
export const LOG_TAIL = 0.05;
/** …of at most about this many of them, evenly taken. */
const SCALE_SAMPLE = 10_000;

/** An identifier form of a name (figure CSV columns). */
function ident(s: string): string {
  const t = s.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  return /^[A-Za-z]/.test(t) ? t : `x_${t}`;
}

/** A file-name-safe form of a parameter path (as workers/sweep-curves.ts names the curve CSVs). */
function fileStem(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "");
}


type Grid = SweepTable["grid"];

/** Index along dimension d of grid point i. */
function dimIndex(grid: Grid, i: number, d: number): number {
  return Math.floor(i / grid.dimStride[d]) % grid.dimLength[d];
}

/** Value of parameter q's axis at position j (axes answer `at`, whether held or computed). */
function axisAt(grid: Grid, q: number, j: number): number {
  return grid.axes[q].at(j)!;
}

/** The values of parameter q's axis, read as needed: computed axes are not materialized (a
 *  10,000,000-point axis held as doubles is 80 MB; until 7 Dec 2026 each figure thread held it). */
function axisValues(grid: Grid, q: number): AxisValues {
  return grid.axes[q];
}

const integerAxes = new WeakMap<AxisValues, boolean>();

/** Whether every value of an axis is a whole number (once per axis). */
function allIntegers(axis: AxisValues): boolean {
  let known = integerAxes.get(axis);
  if (known === undefined) {
    known = true;
    for (let i = 0; i < axis.length; i++) {
      if (!Number.isInteger(axis.at(i))) {
        known = false;
        break;
      }
    }
    integerAxes.set(axis, known);
  }
  return known;
}

/** An axis's values as an array (for the legend's digits: a dimension of lines, short). */
function axisArray(axis: AxisValues): number[] {
  return Array.from({ length: axis.length }, (_, i) => axis.at(i));
}

/** Output k at grid point i (NaN when the point failed or is not in the table). A table that
 *  did not keep every point's values answers from its sample of the points figures show. */
function valueAt(t: SweepTable, i: number, k: number): number {
  if (i < t.start || i >= t.end) return NaN;
  const values = t.values as Float64Array | undefined;
  if (values) return values[(i - t.start) * t.outputs.length + k];
  const sample = (t as { sample?: { get(i: number, k: number): number } }).sample;
  return sample ? sample.get(i, k) : NaN;
}

/** Grid indices where dimension d is at its first value: one per line, in grid order. */
function lineStarts(grid: Grid, d: number): number[] {
  const stride = grid.dimStride[d];
  const block = stride * grid.dimLength[d];
  const out: number[] = [];
  for (let a = 0; a < grid.size; a += block) for (let b = 0; b < stride; b++) out.push(a + b);
  return out;
}

/** The scale of a parameter or output: the scenario's choice, else log for a logspace axis or
 *  positive values whose bulk (5th to 95th percentile) spans more than two decades, else linear. */
export function chooseScale(name: string, values: ArrayLike<number> | AxisValues, scenario: SweepFigureScenario, logspace = false): ScaleKind {
  const set = scenario.figures?.scales?.[name];
  if (set) return set;
  if (logspace) return "log";
  if (isAxis(values)) {
    // an axis: judged once (a long computed axis is read, not held)
    let kind = axisScales.get(values);
    if (kind === undefined) axisScales.set(values, (kind = autoScale(values)));
    return kind;
  }
  return autoScale({ length: values.length, at: (i) => values[i] });
}

const axisScales = new WeakMap<AxisValues, ScaleKind>();

function isAxis(v: ArrayLike<number> | AxisValues): v is AxisValues {
  return typeof (v as AxisValues).copy === "function";
}

/** The scale the values call for (chooseScale without the scenario's choice or a logspace axis). */
function autoScale(values: { readonly length: number; at(i: number): number }): ScaleKind {
  // zeros (a leader who sells nothing) do not stand in the way: they are left out of the log
  // scale and said so (0 to 1.3e16 on a linear axis shows one point and a flat line)
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values.at(i);
    if (!Number.isFinite(v) || v === 0) continue;
    if (v < 0) return "linear";
    count++;
  }
  if (count === 0) return "linear";
  // the span of the bulk, from the 5th to the 95th percentile (the extremes with 20 values or
  // fewer): one tiny value at the end of a curve (a profit that vanishes at the last grid point)
  // does not put the other 499 on a log axis, where they would be squeezed into its top decade.
  // A long axis (a million points) is judged on an even sample of SCALE_SAMPLE of its values.
  const step = Math.max(1, Math.ceil(count / SCALE_SAMPLE));
  const pos = new Float64Array(Math.ceil(count / step));
  let m = 0;
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values.at(i);
    if (!Number.isFinite(v) || v === 0) continue;
    if (seen++ % step === 0) pos[m++] = v;
  }
  pos.sort();
  const n = m;
  const lo = pos[Math.floor(LOG_TAIL * (n - 1))];
  const hi = pos[Math.ceil((1 - LOG_TAIL) * (n - 1))];
  return hi / lo > LOG_SPAN ? "log" : "linear";
}

/** The fewest values along each axis of a heatmap for its contour lines to be drawn. */
export const MIN_CONTOUR_VALUES = 8;

/** Round contour levels inside (lo, hi): the colour bar's ticks. */
export function contourLevels(lo: number, hi: number, scale: ScaleKind): number[] {
  if (!(hi > lo)) return [];
  const inside = (v: number) => v > lo && v < hi;
  if (scale === "linear") return linearTickValues([lo, hi], 5).filter(inside);
  const levels = logTickValues([lo, hi]).filter(inside);
  // at most MAX_LEVELS on a log scale: every k-th decade, anchored at the top
  const step = Math.ceil(levels.length / MAX_LEVELS);
  return levels.filter((_, i) => (levels.length - 1 - i) % step === 0);
}

/**
 * The colour range of a heatmap: the values' whole range, unless some cells lie far out. "Far
 * out" is Tukey's: beyond 3 interquartile ranges past the quartiles (in log10 on a log scale).
 * Then the colours span the cells within those fences; the cells beyond are drawn in the end
 * colours; and the caption says how many there are and how far they go. Two reviewer's cases:
 * a profit of 1.8e120 next to σ + γ = 1 coloured every other cell of a sweep the same purple,
 * with 5th–95th percentiles of 0.061 to 2.6e7; and one corner cell of 25.7 among values of
 * 0.08 to 0.58 did the same.
 */
export function colourRange(values: readonly number[], scale: ScaleKind): { domain: [number, number]; clipped: boolean; span: string; words: string } {
  const none = { clipped: false, span: "", words: "" };
  if (values.length === 0) return { domain: [NaN, NaN], ...none };
  const t = scale === "log" ? Math.log10 : (v: number) => v;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => t(sorted[Math.round(q * (sorted.length - 1))]);
  const [min, max] = [sorted[0], sorted[sorted.length - 1]];
  const iqr = at(0.75) - at(0.25);
  const [lowFence, highFence] = [at(0.25) - 3 * iqr, at(0.75) + 3 * iqr];
  const inside = sorted.filter((v) => t(v) >= lowFence && t(v) <= highFence);
  if (!(iqr > 0) || inside.length === sorted.length || inside.length < 2) return { domain: [min, max], ...none };
  const domain: [number, number] = [inside[0], inside[inside.length - 1]];
  const fmt = (v: number) => tickLabel(Number(v.toPrecision(3))).text;
  const below = sorted.length - sorted.filter((v) => v >= domain[0]).length;
  const above = sorted.length - sorted.filter((v) => v <= domain[1]).length;
  const parts = [
    above ? `${above} cell${above === 1 ? "" : "s"} above, up to ${fmt(max)}, in the top colour` : "",
    below ? `${below} cell${below === 1 ? "" : "s"} below, down to ${fmt(min)}, in the bottom colour` : "",
  ].filter(Boolean);
  return { domain, clipped: true, span: `${fmt(domain[0])} to ${fmt(domain[1])}`, words: parts.join(", ") };
}

/**
 * For an output whose values are all whole numbers spanning 1 to 40 (on a linear scale): the
 * lines between its steps, m + ½ for each whole m from lo to hi − 1 (at most MAX_LEVELS, evenly
 * chosen), and whole-number colour-bar ticks (at most MAX_LEVELS + 1). Undefined otherwise.
 */
export function wholeNumberSteps(values: readonly number[], lo: number, hi: number, scale: ScaleKind): { lines: number[]; ticks: number[] } | undefined {
  // (a few dozen steps at most: beyond, whole numbers are read as a continuum)
  if (scale !== "linear" || !(hi - lo >= 1) || hi - lo > 40 || values.length === 0 || !values.every(Number.isInteger)) return undefined;
  const every = <T>(a: T[], most: number) => {
    const step = Math.ceil(a.length / most);
    return a.filter((_, i) => i % step === 0);
  };
  const whole = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  return { lines: every(whole.slice(0, -1).map((m) => m + 0.5), MAX_LEVELS), ticks: every(whole, MAX_LEVELS + 1) };
}

/** Contour levels (and colour-bar ticks) at most. */
export const MAX_LEVELS = 6;

/** "c_F = 0.105": a parameter value in a legend (the symbol, or the label without units). */
function valueLabel(path: string, v: number, digits = 12, classes?: ClassNames): { text: string; tex: string } {
  const s = shortLabel(path, "path", classes);
  const x = formatNumber(Number(v.toPrecision(digits)));
  // (a minus sign, not a hyphen, as the tick labels have it: "μ = −1")
  return { text: `${s.text} = ${x.replace(/-/g, "\u2212")}`, tex: `${s.tex} $= ${x}$` };
}

/**
 * Significant digits for a legend's values of one axis: the fewest, at least 3, that keep every
 * value of the axis apart. A logspace axis' values have no short decimal: "κ = 3.16" for
 * 10^0.5, not "κ = 3.16227766017" (a reviewer's three-parameter sweep); short decimals are
 * unchanged (0.105 stays 0.105 at 3 digits and more).
 */
function legendDigits(values: readonly number[]): number {
  for (let d = 3; d < 12; d++) {
    const seen = new Set(values.map((v) => Number(v.toPrecision(d))));
    if (seen.size === new Set(values).size) return d;
  }
  return 12;
}

/** The certificate's gap among a sweep's outputs (figures/ imports only types from solvers/: the
 *  compiler checks that this is solvers/types.ts's name). */
const GAP_SCALAR: typeof OPTIMALITY_GAP_SCALAR = "optimalityGap";
/** The gap up to which a result is certified optimal (relative to profit; the compiler checks it is solvers/types.ts's). */
const GAP_THRESHOLD: typeof CERTIFY_TOLERANCE = 1e-9;

function caption(scenario: SweepFigureScenario, what: string, t: SweepTable, output?: string, marked?: string): string {
  // points whose numbers are kept but not proven optimal (their status column says why)
  let uncertified = 0;
  let failed = 0;
  let first: string | undefined;
  for (const status of t.failures.values()) {
    if (status.startsWith("uncertified")) uncertified++;
    else {
      failed++;
      first ??= status;
    }
  }
  const notes: string[] = [];
  // with the largest gap, so that the figure says how far from optimal its worst point may be
  const worst = uncertified > 0 ? largestGap(t.failures) : undefined;
  const worstText = worst ? (Number.isFinite(worst.gap) ? `; the largest optimality gap is ${worst.gap.toExponential(2)} of profit` : "; one has no finite optimality bound") : "";
  if (uncertified > 0) notes.push(`${uncertified} of the ${t.end - t.start} points ${uncertified === 1 ? "is" : "are"} not certified optimal to 1e-9 of profit${marked ? ` (${marked} where drawn)` : ""}${worstText}`);
  // a failed point is a gap in its line: say so, not leave the reader to guess
  if (failed > 0) notes.push(`${failed} of the ${t.end - t.start} points failed and ${failed === 1 ? "is" : "are"} not drawn (the first: ${first})`);
  const note = notes.length > 0 ? ` Note: ${notes.join("; ")}.` : "";
  // the gap's own figure says what it measures, and that a curve of certified points is rounding
  const gap =
    output === GAP_SCALAR
      ? ` The gap is (B − Π)/Π, with B the upper bound on profit${leaderMarket(scenario) ? " (where the leader earns nothing, B − Π relative to the top type's outside option u0(θ_max) instead)" : ""}${compareMarket(scenario) ? "; for the comparison of markets, the largest of the three regimes' gaps, each relative to its own profit" : ""}; a point is certified optimal when it is at most 1e-9.${
          uncertified === 0 && failed === 0 ? ` All ${t.end - t.start} points are certified: the values drawn are at most 1e-9 (rounding, or a solver's own closing tolerance).` : ""
        }`
      : "";
  // the thresholds' convention where the leader exits (a reviewer's θ_low map showed 1 there, unexplained)
  // (said where some point has it: a reviewer found it in captions of sweeps where none did; where
  // the law itself is swept, θ_max moves from point to point and it is said whenever it may apply)
  const thresholds = output !== undefined && /(^|\.)(thetaLow|thetaHigh)$/.test(output) && leaderExitsSomewhere(t, output, scenario) ? " Where the leader serves no type, θ_low = θ_high = θ_max (and its profit is 0)." : "";
  // the scenario's own caption text, as a scenario figure's caption has it (figures.caption)
  const own = scenario.figures?.caption?.trim().replace(/[.]$/, "");
  return `Sweep of ${scenario.name}: ${what}.${own ? ` ${own}.` : ""}${gap}${thresholds}${note}${heldFixed(scenario, t)}`;
}

/** Whether some point of the table has the threshold `output` at the top of the law of θ (the
 *  leader serves no type there), or may have (a law that is swept, or one without a top). */
function leaderExitsSomewhere(t: SweepTable, output: string, scenario: SweepFigureScenario): boolean {
  if (t.grid.paths.some((p) => p.startsWith("buyers"))) return true;
  const theta = scenario.buyers && "theta" in scenario.buyers ? scenario.buyers.theta : undefined;
  const top = theta ? highestType(theta) : undefined;
  if (top === undefined) return true;
  const k = t.outputs.indexOf(output);
  for (let i = t.start; i < t.end; i++) if (valueAt(t, i, k) === top) return true;
  return false;
}

/** The top of a law of θ as written (a mixture's highest component end, a discrete law's largest atom). */
function highestType(d: DistSpec): number | undefined {
  if (d.dist === "mixture") {
    const tops = d.components.map(highestType);
    return tops.some((x) => x === undefined) ? undefined : Math.max(...(tops as number[]));
  }
  if (d.dist === "discrete") return d.values.reduce((a, b) => Math.max(a, b), -Infinity);
  return "max" in d && typeof d.max === "number" ? d.max : undefined;
}

/** " Other parameters as in scenario X: σ = …; …; θ ~ … (the swept c_F varies as shown)." — the
 *  parameters a reader needs to reproduce the figure, as a scenario figure's caption gives them. */
function heldFixed(scenario: SweepFigureScenario, t: SweepTable): string {
  if (!scenario.buyers || !scenario.technology || !scenario.market) return "";
  let text: string;
  try {
    // the swept parameters say "swept", not their base values, which no point of the figure has
    // (a reviewer's caption listed "γ_F = 0.1, c_F = 0.1" over a sweep of both)
    // (a parameter "swept" over one value has that value)
    let shown: unknown = scenario;
    t.grid.paths.forEach((p, q) => {
      if (typeof getPath(shown, p) === "number") shown = setPath(shown, p, t.grid.dimLength[t.grid.paramDim[q]] === 1 ? axisAt(t.grid, q, 0) : NaN);
    });
    text = describeScenario(shown as Scenario);
  } catch {
    return "";
  }
  // (lower case inside the sentence: "the swept token cost c_1 varies", not "Token cost")
  const sweptPaths = t.grid.paths.filter((_, q) => t.grid.dimLength[t.grid.paramDim[q]] > 1);
  const swept = sweptPaths.map((p) => inSentence(shortLabel(p, "path", classNamesOf(scenario)))).join(", ");
  return ` Other parameters as in scenario ${scenario.name}: ${text}${sweptPaths.length ? ` (the swept ${swept} ${sweptPaths.length === 1 ? "varies" : "vary"} as shown)` : ""}.`;
}

/** The scenario's token and fine-tuning class names (their paths' labels name them). */
function classNamesOf(scenario: SweepFigureScenario): ClassNames {
  const tech = scenario.technology as { tokens?: { classes?: { name?: string }[] }; fineTuning?: { classes?: { name?: string }[] } } | undefined;
  const names = (c?: { name?: string }[]) => c?.map((x) => x.name ?? "");
  return { tokens: names(tech?.tokens?.classes), fineTuning: names(tech?.fineTuning?.classes) };
}

/** Words for a label in a caption (its plain text; markup characters are readable there). */
const words = (l: { text: string }) => l.text.replace(/\\(.)/g, "$1");

/** An output named inside a sentence: its symbol ("Π"), else its label ("binding IC pairs"). */
const symbolInText = (output: string) => inSentence(shortLabel(output, "output"));

/** "Π = 0", "the fringe token share is 1": an output at a value, inside a sentence. */
function isValue(output: string, value: string): string {
  const hasSymbol = words(shortLabel(output, "output")) !== words(outputLabel(output));
  return hasSymbol ? `${symbolInText(output)} = ${value}` : `the ${symbolInText(output)} is ${value}`;
}

/** "Profit Π (colour)", and "Fringe price per token (USD per 1M tokens; colour)" where the label
 *  ends in brackets of its own (not two brackets in a row, a reviewer's). */
function withAside(label: string, aside: string): string {
  return label.endsWith(")") ? `${label.slice(0, -1)}; ${aside})` : `${label} (${aside})`;
}

/** The regimes of a comparison of markets, as a caption names them. */
const REGIME_WORDS: Readonly<Record<string, string>> = { efficient: "the efficient allocation", multiModelMonopoly: "the multi-model monopolist", leaderFringe: "the leader facing the fringe" };

/** An output as a caption's sentence names it: its label, and in a comparison of markets the
 *  regime it belongs to ("Profit Π of the efficient allocation"; an unprefixed output is the
 *  leader–fringe equilibrium's: solvers/compare.ts). A reviewer read "Profit Π, efficient against
 *  fringe cost c_F", and "Profit Π" with no regime. */
function outputInCaption(output: string, scenario: SweepFigureScenario): string {
  const m = /^(efficient|multiModelMonopoly|leaderFringe)\.(.+)$/.exec(output);
  if (m) return `${words(outputLabel(m[2], scenario.units))} of ${REGIME_WORDS[m[1]]}`;
  const label = words(outputLabel(output, scenario.units));
  return compareMarket(scenario) && output !== GAP_SCALAR ? `${label} of ${REGIME_WORDS.leaderFringe}` : label;
}

const marketKind = (scenario: SweepFigureScenario) => (scenario.market as { kind?: string } | undefined)?.kind;
const compareMarket = (scenario: SweepFigureScenario) => marketKind(scenario) === "compare";
/** Whether the swept market's seller is a leader facing a fringe (its profit is 0 where the
 *  leader serves no type, while the fringe serves them all). */
const leaderMarket = (scenario: SweepFigureScenario) => marketKind(scenario) === "leaderFringe" || compareMarket(scenario);

/** Figure specs of a finished sweep's table (see the header). */
export function paramCurveFigures(t: SweepTable, scenario: SweepFigureScenario): FigureSpec[] {
  const { grid, outputs } = t;
  const specs: FigureSpec[] = [];
  // An axis of one value is no axis: no figure against it, no lines told apart by it, and the
  // caption gives its value (a reviewer's one-point linspace drew six single dots "against" it).
  const varying = varyingDims(grid.dimLength);
  for (let p = 0; p < grid.paths.length; p++) {
    const d = grid.paramDim[p];
    if (grid.dimLength[d] === 1 && varying.length > 0) continue;
    const others = varying.filter((e) => e !== d);
    const heatmap = (q: number, e: number) => grid.dimLength[e] > SMALL_MULTIPLES && grid.dimLength[grid.paramDim[q]] > 1;
    // A two-dimensional sweep's map over the same two axes is drawn once, with the first swept
    // parameter on x: the same map transposed, as a second file per output, was a reviewer's
    // "every heatmap twice", and a parameter zipped with the one on x drew the same cells again
    // (its caption says how the zipped ones move). Where the other way round would be lines,
    // this one is a map.
    if (others.length === 1 && heatmap(p, others[0]) && [...grid.dims[others[0]].filter((q) => heatmap(q, d)), ...grid.dims[d].filter((q) => heatmap(q, others[0]))].some((q) => q < p)) continue;
    for (let k = 0; k < outputs.length; k++) {
      if (others.length === 1 && heatmap(p, others[0])) {
        specs.push(heatmapFigure(t, scenario, p, others[0], k));
      } else {
        specs.push(lineFigure(t, scenario, p, others, k));
      }
    }
  }
  return specs;
}

function lineFigure(t: SweepTable, scenario: SweepFigureScenario, p: number, others: number[], k: number): FigureSpec {
  const classes = classNamesOf(scenario);
  const { grid, outputs } = t;
  const d = grid.paramDim[p];
  const path = grid.paths[p];
  const output = outputs[k];
  const starts = lineStarts(grid, d);
  const len = grid.dimLength[d];
  const js = picks(len, MAX_PLOT_POINTS);
  // the lines are chosen among those with a value to draw (a reviewer's sweep over σ drew three of
  // its six lines at σ = 0.9, where every point failed: legend entries with nothing drawn)
  // (among the candidates a streamed sweep's sample keeps: engine/sweep-figure-lines.ts)
  const hasValue = (c: number) => js.some((j) => Number.isFinite(valueAt(t, starts[c] + j * grid.dimStride[d], k)));
  const chosen = linesDrawn(starts.length, hasValue);
  const candidates = lineCandidates(starts.length);
  const withValues = candidates.filter(hasValue);
  const x = Float64Array.from(js, (j) => axisAt(grid, p, j));
  // a parameter swept over whole numbers (a count of models) or over a few values: a dot at
  // each point, so the line between them is not read as computed
  const marker = x.length <= 30 || (x.length <= MAX_PLOT_POINTS && x.every((v) => Number.isInteger(v)));
  // the parameters that tell the lines apart: the first of each other dimension
  // (every member of a zip group: a legend "μ = −1, σ = 0.3" left out the γ zipped with σ, a reviewer's)
  const keys = others.flatMap((e) => grid.dims[e]);
  const keyDigits = keys.map((q) => legendDigits(axisArray(axisValues(grid, q))));
  const series: Series[] = chosen.map((c, n) => {
    const s = starts[c];
    const y = Float64Array.from(js, (j) => valueAt(t, s + j * grid.dimStride[d], k));
    const parts = keys.map((q, i) => valueLabel(grid.paths[q], axisAt(grid, q, dimIndex(grid, s, grid.paramDim[q])), keyDigits[i], classes));
    const name = keys.length === 0 ? outputLabel(output, scenario.units) : { text: parts.map((l) => l.text).join(", "), tex: parts.map((l) => l.tex).join(", ") };
    return { name, x, y, column: `${ident(output)}_${n + 1}`, ...(marker ? { marker } : {}) };
  });
  const ys = series.flatMap((s) => Array.from(s.y));
  // points that are not certified optimal, drawn again as dots of their own, in the legend: a
  // figure taken out of its caption (the SVG, the PDF, the CSV) still shows which they are
  const ux: number[] = [];
  const uy: number[] = [];
  for (const c of chosen) {
    for (const j of js) {
      const g = starts[c] + j * grid.dimStride[d];
      if (!t.failures.get(g)?.startsWith("uncertified")) continue;
      ux.push(axisAt(grid, p, j));
      uy.push(valueAt(t, g, k));
    }
  }
  if (ux.length > 0) series.push({ name: UNCERTIFIED, x: ux, y: uy, line: false, ring: true, column: `${ident(output)}_uncertified` });
  const xLabel = paramTitle(path, scenario, classes, X_TITLE_ROOM_PT);
  const { label: yLabel, shorter: yShorter } = fitAxisTitle(outputLabel(output, scenario.units), () => outputLabel(output, scenario.units, true));
  const yScale = chooseScale(output, ys, scenario);
  const zeros = yScale === "log" && ys.some((v) => v === 0) ? "; log scale, zero values not drawn" : yScale === "log" ? "; log scale" : "";
  // a point that solved but whose value is not finite (a diagnostic closed form such as θ_low's
  // formula is infinite as γ_L → 0; its cell in sweep.csv is empty) is a gap in its line too
  let valueless = 0;
  for (const c of chosen) for (const j of js) {
    const g = starts[c] + j * grid.dimStride[d];
    if (!t.failures.has(g) && !Number.isFinite(valueAt(t, g, k))) valueless++;
  }
  const gaps = valueless > 0 ? `; ${valueless} solved ${valueless === 1 ? "point has" : "points have"} no finite value (undefined there, such as a price where nothing is sold, or infinite) and ${valueless === 1 ? "is" : "are"} not drawn` : "";
  const empty = candidates.length - withValues.length;
  const shown =
    starts.length > chosen.length
      ? ` (${chosen.length} of ${starts.length} lines shown, evenly chosen${empty > 0 && withValues.length > 0 ? ` among the ${withValues.length} with a value to draw${candidates.length < starts.length ? ` of ${candidates.length} spread evenly` : ""}` : ""})`
      : "";
  const lineParams = others.map((e) => grid.dims[e].map((q) => words(shortLabel(grid.paths[q], "path", classes))).join(" with "));
  const lines = keys.length ? `, one line per value of ${lineParams.join(", ")}${shown}` : "";
  // parameters zipped with this one move along the x axis too: said with their values at the
  // axis' ends (a reviewer's figure of profit against c_F, with c_L moving from 0.5 to 0.3 unseen)
  const along = zippedAlong(grid, p, "x", classes);
  return {
    name: `${fileStem(output)}-vs-${fileStem(path)}`,
    caption: caption(scenario, `${outputInCaption(output, scenario)} against ${inSentence(xLabel)}, ${len} values${lines}${along}${zeros}${gaps}`, t, output, ux.length > 0 ? "ringed" : undefined),
    // (an axis of whole numbers, a count of tiers, is ticked at whole numbers only)
    x: { label: xLabel, scale: chooseScale(path, axisValues(grid, p), scenario, grid.logAxis[p]), column: ident(path), ...(allIntegers(axisValues(grid, p)) ? { integer: true } : {}) },
    y: { label: yLabel, scale: yScale, ...(yShorter.length ? { shorter: yShorter } : {}) },
    series,
    legend: keys.length === 0 && ux.length === 0 ? "none" : "inside",
  };
}

/** The series of a sweep figure's uncertified points (the same name as a scenario figure's dots). */
const UNCERTIFIED = UNCERTIFIED_DOTS;

/** Ascending order of an axis' positions (axes may be written descending or unsorted). */
function ascendingOrder(values: AxisValues, positions: number[]): number[] {
  return [...positions].sort((a, b) => values.at(a) - values.at(b));
}

/** "; along the x axis c_L (zipped with it) moves too, from 0.5 at c_F = 0.05 to 0.3 at 0.29": the
 *  parameters zipped with p, which move along its axis unseen (a reviewer's figure of profit
 *  against c_F, with c_L moving from 0.5 to 0.3; and a heatmap's, whose caption left it out). */
function zippedAlong(grid: Grid, p: number, axis: "x" | "y", classes: ClassNames | undefined): string {
  const d = grid.paramDim[p];
  const len = grid.dimLength[d];
  const partners = grid.paths.map((_, q) => q).filter((q) => q !== p && grid.paramDim[q] === d);
  if (partners.length === 0) return "";
  const at = (q: number, j: number) => formatNumber(Number(axisAt(grid, q, j).toPrecision(12)));
  const v = (q: number, j: number) => valueLabel(grid.paths[q], axisAt(grid, q, j), 12, classes).text.replace(/^.* = /, "");
  const name = (q: number) => words(shortLabel(grid.paths[q], "path", classes));
  return `; along the ${axis} axis ${partners.map((q) => `${name(q)} (zipped with it) moves too, from ${v(q, 0)} at ${name(p)} = ${at(p, 0)} to ${v(q, len - 1)} at ${at(p, len - 1)}`).join("; ")}`;
}

function heatmapFigure(t: SweepTable, scenario: SweepFigureScenario, p: number, e: number, k: number): FigureSpec {
  const classes = classNamesOf(scenario);
  const { grid, outputs } = t;
  const d = grid.paramDim[p];
  const q = grid.dims[e][0];
  const path = grid.paths[p];
  const other = grid.paths[q];
  const output = outputs[k];
  const ix = ascendingOrder(axisValues(grid, p), picks(grid.dimLength[d], MAX_HEATMAP_CELLS));
  const iy = ascendingOrder(axisValues(grid, q), picks(grid.dimLength[e], MAX_HEATMAP_CELLS));
  const x = Float64Array.from(ix, (j) => axisAt(grid, p, j));
  const y = Float64Array.from(iy, (j) => axisAt(grid, q, j));
  const z = new Float64Array(x.length * y.length);
  iy.forEach((jy, b) => ix.forEach((jx, a) => (z[b * x.length + a] = valueAt(t, jx * grid.dimStride[d] + jy * grid.dimStride[e], k))));
  const zScale = chooseScale(output, z, scenario);
  const finite = Array.from(z).filter((v) => Number.isFinite(v) && (zScale === "linear" || v > 0));
  const range = colourRange(finite, zScale);
  const [lo, hi] = range.domain;
  // an output of whole numbers (a count of binding pairs, of types): lines between its steps,
  // at m + ½, and whole-number ticks (lines at the whole values themselves ran along the flat
  // regions and zig-zagged with the grid: a reviewer's bindingPairs heatmap)
  const steps = wholeNumberSteps(finite, lo, hi, zScale);
  const levels = steps ? steps.ticks : contourLevels(lo, hi, zScale);
  // the optimality gap's map: no lines below the certification threshold, where the values are
  // rounding (a reviewer's all-certified map had a tangle of islands at 2e-16 to 1e-15), and a
  // line at the threshold itself where the map spans it, the edge of the certified region
  const gapMap = output === GAP_SCALAR && !steps;
  // a profit of exactly 0 on a linear colour scale (the leader exits, no type is served) looked
  // like a small profit (a reviewer's): its region's edge dashed, through its last cells; and no
  // contour below the smallest positive profit, whose lines would all run along that edge
  const zeroEdge = x.length >= MIN_CONTOUR_VALUES && y.length >= MIN_CONTOUR_VALUES && !steps && zScale === "linear" && /(^|\.)profit$/.test(output) && lo === 0 && hi > 0 && finite.some((v) => v === 0);
  const leastPositive = zeroEdge ? Math.min(...finite.filter((v) => v > 0)) : 0;
  const lineLevels = zeroEdge
    ? levels.filter((l) => l >= leastPositive)
    : steps
    ? steps.lines
    : gapMap
      ? lo < GAP_THRESHOLD && hi > GAP_THRESHOLD
        ? // (the threshold's line, and those a decade or more above it: a line at 1e-8 beside it doubled the edge)
          [GAP_THRESHOLD, ...levels.filter((l) => l >= 10 * GAP_THRESHOLD)]
        : levels.filter((l) => l >= GAP_THRESHOLD)
      : levels;
  const xScale = chooseScale(path, x, scenario, grid.logAxis[p]);
  const yScale = chooseScale(other, y, scenario, grid.logAxis[q]);
  // no contour lines across fewer than MIN_CONTOUR_VALUES values of an axis: a line between two
  // columns a tenth of the axis apart is a guess, and one next to a zero cell (extrapolated from
  // the columns beyond) ran through the grey cells (a reviewer's 4 × 300 heatmap)
  const contoured = x.length >= MIN_CONTOUR_VALUES && y.length >= MIN_CONTOUR_VALUES;
  // (the gap's map: gaps below 1e-16, zeros included, count as 1e-16, rounding, and every line is
  // placed in log z: the 1e-9 line about halfway in decades between a certified cell and an
  // uncertified one, not through the certified cells' centres)
  const zLines = gapMap && zScale === "log" ? z.map((v) => (v >= 0 && v < 1e-16 ? 1e-16 : v)) : z;
  const series: Series[] = (contoured ? lineLevels : []).map((level, n) => {
    const line = segmentsToPolyline(contourSegments(x, y, zLines, level, zScale === "log", gapMap));
    // (the column holds the line's y coordinates, values of the other parameter: named so, not
    // after the output, which a reviewer read as profits)
    return { name: { text: `${formatNumber(level)}`, tex: `${formatNumber(level)}` }, x: line.x, y: line.y, column: `contour_${n + 1}_${ident(other)}`, xColumn: `contour_${n + 1}_${ident(path)}`, style: "solid" as const, color: CONTOUR_COLOR };
  }).filter((s) => s.x.length > 0);
  if (zeroEdge) {
    const line = segmentsToPolyline(contourSegments(x, y, z, hi * 1e-12, false));
    if (line.x.length > 0) series.push({ name: { text: "profit 0", tex: "profit 0" }, x: line.x, y: line.y, column: `zero_edge_${ident(other)}`, xColumn: `zero_edge_${ident(path)}`, style: "dashed", color: CONTOUR_COLOR });
  }
  const xLabel = paramTitle(path, scenario, classes, X_TITLE_ROOM_PT);
  const yLabel = paramTitle(other, scenario, classes, Y_TITLE_ROOM_PT);
  const zLabel = outputLabel(output, scenario.units);
  // (captions name the output by its symbol, as the paper does: "Π = 0", not "profit = 0")
  const zSymbol = symbolInText(output);
  const heatmap: Heatmap = { x, y, z, label: zLabel, scale: zScale, levels, columns: [ident(path), ident(other), ident(output)], ...(range.clipped ? { domain: range.domain } : {}) };
  const span = (v: Float64Array, s: ScaleKind): [number, number] => {
    // the outer cell edges: half a step beyond the first and last values
    if (v.length === 1) return s === "log" ? [v[0] / Math.SQRT2, v[0] * Math.SQRT2] : [v[0] - 0.5, v[0] + 0.5];
    const n = v.length;
    if (s === "log") return [v[0] / Math.sqrt(v[1] / v[0]), v[n - 1] * Math.sqrt(v[n - 1] / v[n - 2])];
    return [v[0] - (v[1] - v[0]) / 2, v[n - 1] + (v[n - 1] - v[n - 2]) / 2];
  };
  // blank cells: failed points, and solved points without a finite value (a ratio where nothing
  // is sold, an infinite closed form)
  let failed = 0;
  let valueless = 0;
  // cells of points not certified optimal, dotted (as a line chart's dots: a reviewer's heatmap of
  // 225 points, 100 of them uncertified, showed none of them)
  const ux: number[] = [];
  const uy: number[] = [];
  iy.forEach((jy, b) => ix.forEach((jx, a) => {
    const g = jx * grid.dimStride[d] + jy * grid.dimStride[e];
    if (Number.isFinite(z[b * x.length + a])) {
      if (t.failures.get(g)?.startsWith("uncertified")) {
        ux.push(x[a]);
        uy.push(y[b]);
      }
      return;
    }
    if (t.failures.has(g)) failed++;
    else valueless++;
  }));
  const drawn = series.length ? series : [{ name: { text: "no contour", tex: "no contour" }, x: [x[0]], y: [NaN], column: `no_contour_${ident(other)}`, xColumn: `no_contour_${ident(path)}`, color: CONTOUR_COLOR }];
  if (ux.length > 0) drawn.push({ name: UNCERTIFIED, x: ux, y: uy, line: false, halo: true, column: `uncertified_${ident(other)}`, xColumn: `uncertified_${ident(path)}`, color: TEXT_COLOR });
  return {
    name: `${fileStem(output)}-vs-${fileStem(path)}`,
    caption: caption(
      scenario,
      `${withAside(outputInCaption(output, scenario), `colour${zScale === "log" ? ", log scale" : ""}`)} over ${inSentence(xLabel)} and ${inSentence(yLabel)}, ${grid.dimLength[d]} × ${grid.dimLength[e]} points` +
        zippedAlong(grid, p, "x", classes) +
        zippedAlong(grid, q, "y", classes) +
        (x.length < grid.dimLength[d] || y.length < grid.dimLength[e] ? ` (${x.length} × ${y.length} drawn, evenly chosen)` : "") +
        (!contoured && lineLevels.length
          ? `; no contour lines: ${x.length < MIN_CONTOUR_VALUES ? `${x.length} values of ${inSentence(xLabel)}` : `${y.length} values of ${inSentence(yLabel)}`} are too few to draw them between (at least ${MIN_CONTOUR_VALUES})`
          : steps && lineLevels.length
            ? `; white lines: the steps of ${zSymbol} from one whole value to the next (at ${lineLevels.map((l) => formatNumber(l)).join(", ")})`
            : gapMap
              ? lineLevels.length
                ? `; white lines: contours at ${axisTickLabels(lineLevels).map((l) => l.text).join(", ")}${lineLevels.includes(GAP_THRESHOLD) ? " (at 1e-9, the edge of the certified region)" : ""}; none below 1e-9, where the gaps are rounding`
                : "; no contour lines below 1e-9, where the gaps are rounding"
              : lineLevels.length
                ? `; white lines: contours at ${axisTickLabels(lineLevels).map((l) => l.text).join(", ")}`
                : "") +
        (range.clipped ? `; colours span ${range.span}, ${range.words}` : "") +
        (finite.length > 0 && lo === hi ? `; ${isValue(output, tickLabel(lo).text)} at every drawn point (one colour)` : "") +
        (zScale === "log" && Array.from(z).some((v) => v === 0) ? `; grey cells: ${gapMap ? "a gap of 0" : isValue(output, "0")}, below the log scale` : "") +
        (failed ? `; blank cells: ${failed} failed point${failed === 1 ? "" : "s"}` : "") +
        (valueless ? `; blank cells: ${valueless} solved point${valueless === 1 ? "" : "s"} without a finite value (undefined there, such as a price where nothing is sold, or infinite)` : "") +
        (series.some((s) => s.column?.startsWith("zero_edge_")) ? `; dashed white line: the edge of the region where ${zSymbol} = 0 (${leaderMarket(scenario) ? "the leader serves no type there" : "no type served there"})` : "") +
        (ux.length ? `; black dots outlined in white: ${ux.length} drawn point${ux.length === 1 ? "" : "s"} not certified optimal` : ""),
      t,
      output,
    ),
    x: { label: xLabel, scale: xScale, domain: span(x, xScale), column: ident(path) },
    y: { label: yLabel, scale: yScale, domain: span(y, yScale) },
    series: drawn,
    legend: "none",
    heatmap,
  };
}

/**
 * Room for a y-axis title: vega centres it on the plot, whose centre lies Y_TITLE_CENTRE_PT below
 * the figure's top edge (7 pt of padding above the plot, 136.8 pt of plot, the x axis below), so a
 * title longer than twice that, less a point each side, runs off the top. The figure's whole
 * height, the bound before, let "Leader's price (USD per 1M tokens)" (159 pt) lose its end.
 */
const Y_TITLE_CENTRE_PT = 75.4;
const Y_TITLE_ROOM_PT = Math.min(2 * (Y_TITLE_CENTRE_PT - 1), FIGURE_HEIGHT_PT - 2 * FIGURE_PADDING_PT);

/** Room for an x-axis title: the figure's width inside its padding (figures/validate.ts). */
const X_TITLE_ROOM_PT = FIGURE_WIDTH_PT - 2 * FIGURE_PADDING_PT;

/** A swept parameter's axis title: with its class's name ("Cost of output tokens c_2") where that
 *  fits in `room`, else without it ("Token cost c_2"; the caption names the class). A class name
 *  of 30 characters, which the schema allows (64), made the x title too long for the figure,
 *  and every figure of the swept cost was skipped (a reviewer's). */
function paramTitle(path: string, scenario: SweepFigureScenario, classes: ClassNames | undefined, room: number): Label {
  const named = pathLabel(path, scenario.units, classes);
  return runsWidth(parseLabel(named.text), FONT_SIZE.axisTitle) <= room ? named : pathLabel(path, scenario.units);
}

/** A y-axis title that fits the axis of a plot of the house height: the label, else its compact
 *  form (shorter words: "Leader's price (USD per 1M tokens)"), else that with "per" in the unit
 *  written "/"; with the forms shorter than the one chosen, for the renderer to draw where a
 *  legend below the plot leaves less height (svg.ts, which makes the figure taller where even the
 *  shortest does not fit: the unit is never dropped). */
function fitAxisTitle(label: Label, compact: () => Label): { label: Label; shorter: Label[] } {
  const width = (l: Label) => runsWidth(parseLabel(l.text), FONT_SIZE.axisTitle);
  const short = compact();
  // "(USD per 1M tokens)" → "(USD/1M tokens)", in the unit's parentheses only
  const slash = (t: string) => t.replace(/\(([^()]*?) per ([^()]*)\)$/, "($1/$2)");
  const forms: Label[] = [label, short, { text: slash(short.text), tex: slash(short.tex) }];
  const distinct = forms.filter((l, i) => forms.findIndex((m) => m.text === l.text) === i);
  const k = distinct.findIndex((l) => width(l) <= Y_TITLE_ROOM_PT);
  // (none fits: the slash form, the shortest)
  const at = k >= 0 ? k : distinct.length - 1;
  return { label: distinct[at], shorter: distinct.slice(at + 1).filter((l) => width(l) < width(distinct[at])) };
}
