// The slides' "Leader Quantity" and "Fringe Quantity" figures (Proposition 4 and the
// comparison that follows it): the leader's quality q_L(θ) and the fringe's q_F(θ) by type,
// with the leader–fringe regions shaded — fringe only below θ_low, the limit quality q̂(θ)
// between θ_low and θ_high, the interior quality q^int(θ) above — and, for a `compare`
// scenario, the efficient allocation and the multi-model monopolist on the same axes.
// Band ends are the solver's exact thresholds, not grid types, where the types' regions follow
// them; where they do not (pooled types, a finite menu) the bands follow each type's region.

import type { MarketSolution } from "../../solvers/types.js";
import type { Scenario } from "../../engine/scenario/spec-types.js";
import { breakJumps } from "../jumps.js";
import { LINE_WIDTH_PT, REGION_FILLS } from "../style.js";
import type { AxisSpec, Band, FigureSpec, Series, VLine } from "../types.js";
import { scenarioCaption, supportGapSentence } from "./caption.js";
import { column, gapMask, masked, scalar, sparse, supportGaps, withoutGaps } from "./curves.js";
import { L, REGIME_LABEL, REGIME_ORDER, REGIME_STYLE, THETA_HIGH, THETA_LOW, TYPE_THETA, THETA_EFFICIENT, THETA_STAR, THETA_MULTI, type RegimeName } from "./notation.js";

export const QUANTITY_FIGURES = ["leader-quantity", "fringe-quantity"] as const;
export type QuantityFigure = (typeof QUANTITY_FIGURES)[number];

/** Column/scalar prefix of each regime inside a solution ("" when the solution is that regime). */
function regimesOf(solution: MarketSolution): [RegimeName, string][] {
  if (solution.market === "compare") return REGIME_ORDER.map((r) => [r, `${r}.`]);
  if ((REGIME_ORDER as readonly string[]).includes(solution.market)) return [[solution.market as RegimeName, ""]];
  throw new Error(`leader/fringe quantity figures need a two-model market, got ${solution.market}`);
}

/** "Shaded: …" naming the regions the bands show (an empty one left out: a reviewer's caption named
 *  a limit region between θ_low and θ_high where none was drawn). */
function shadedRegions(bands: readonly Band[], byColumn: boolean): string {
  // the fringe-only region has no fill (REGION_FILLS): it is said to be unshaded, the two
  // shaded ones which is darker (a reviewer read "Shaded: … fringe only below θ_low" over white)
  const has = (fill: string | null) => bands.some((b) => b.fill === fill);
  const limit = has(REGION_FILLS.limit);
  const interior = has(REGION_FILLS.interior);
  const tone = (which: "darker" | "lighter") => (limit && interior ? ` (${which})` : "");
  const unshaded = has(REGION_FILLS.fringeOnly) ? (byColumn ? "; unshaded: fringe only" : "; unshaded below θ_low: fringe only") : "";
  if (byColumn) {
    const kinds = [
      limit ? `the limit quality q̂(θ)${tone("darker")}` : "",
      interior ? `a leader item with a rent over the outside option (q^int(θ), or an item of pooled types or of a finite menu, possibly below q̂(θ) with the fringe topping it up)${tone("lighter")}` : "",
    ].filter((x) => x);
    return `Shaded: each type's leader–fringe region (here the regions do not follow θ_low and θ_high)${kinds.length ? ", " + kinds.join(", ") : ""}${unshaded}`;
  }
  const parts = [
    limit ? `the limit quality q̂(θ) between θ_low and θ_high${tone("darker")}` : "",
    interior ? (limit ? `the interior quality q^int(θ) above θ_high${tone("lighter")}` : "the interior quality q^int(θ) above θ_low (no limit region: θ_high = θ_low)") : "",
  ].filter((x) => x);
  if (parts.length === 0) return unshaded ? "Unshaded: fringe only" : "";
  return `Shaded: the leader–fringe region${parts.length > 1 ? "s" : ""} where the leader sells, ${parts.join(" and ")}${unshaded}`;
}

/** The three leader–fringe regions as bands (empty ones left out), with the thresholds marked.
 *  `byColumn`: the bands follow each type's `region` column rather than the thresholds, which do
 *  not delimit the regions here (see regionRuns). */
export function regionBands(solution: MarketSolution, prefix: string): { bands: Band[]; vlines: VLine[]; byColumn: boolean } {
  const th = solution.curves.theta;
  const lo = th[0];
  const hi = th[th.length - 1];
  const tLow = scalar(solution, `${prefix}thetaLow`);
  const tHigh = scalar(solution, `${prefix}thetaHigh`);
  if (tLow === undefined || tHigh === undefined) throw new Error(`the ${solution.market} solution has no ${prefix}thetaLow/${prefix}thetaHigh`);
  // A band narrower than a quarter of the axis gets no label (it would spill over its
  // neighbours); the thresholds' own labels name it. The middle region is usually that narrow.
  const wide = (a: number, b: number) => b - a >= 0.25 * (hi - lo);
  const bands: Band[] = [];
  // three shades (none, dark, light): the regions read apart at a glance, also in greyscale
  const band = (from: number, to: number, label: Band["label"], fill: string | null) => bands.push(wide(from, to) ? { from, to, label, fill } : { from, to, fill });
  const vlines: VLine[] = [];
  if (tLow > lo && tLow < hi) vlines.push({ x: tLow, label: THETA_LOW });
  if (tHigh > tLow && tHigh < hi) vlines.push({ x: tHigh, label: THETA_HIGH });
  const runs = regionRuns(th, solution.curves.columns[`${prefix}region`], tLow, tHigh);
  if (runs) {
    const look: Record<number, [Band["label"], string | null]> = {
      1: [L("fringe only", "fringe only"), REGION_FILLS.fringeOnly],
      2: [L("limit q̂", "limit $\\hat q$"), REGION_FILLS.limit],
      3: [L("item with a rent", "item with a rent"), REGION_FILLS.interior],
    };
    for (const r of runs) band(r.from, r.to, look[r.region][0], look[r.region][1]);
    return { bands, vlines, byColumn: true };
  }
  if (tLow > lo) band(lo, Math.min(tLow, hi), L("fringe only", "fringe only"), REGION_FILLS.fringeOnly);
  if (tHigh > tLow && tLow < hi) band(tLow, Math.min(tHigh, hi), L("limit q̂", "limit $\\hat q$"), REGION_FILLS.limit);
  if (tHigh < hi) band(Math.max(tHigh, lo), hi, L("leader q^int", "leader $q^{\\mathrm{int}}$"), REGION_FILLS.interior);
  return { bands, vlines, byColumn: false };
}

/**
 * The runs of the types' `region` column (1 fringe only, 2 the limit quality, 3 a leader item
 * with a rent: engine/scenario/output-names.ts) where they do not follow the thresholds — a rent
 * segment of pooled types between θ_low and θ_high (region 3 inside the middle region: the
 * participation multiplier's pools, docs/model.md 3c), a finite menu's items, interleaved atoms of
 * a discrete law — else null. A reviewer's figure shaded "limit q̂" from θ_low to θ_high over types
 * that curves.csv put in region 3. A run ends at a threshold that lies between its last grid type
 * and the next one's, else halfway between them (the grid's resolution). A grid type within
 * 1e-12 of the axis of a threshold may be on either side of it (the segment that claims an end).
 */
export function regionRuns(th: ArrayLike<number>, region: ArrayLike<number> | undefined, tLow: number, tHigh: number): { from: number; to: number; region: number }[] | null {
  if (!region || region.length !== th.length || th.length === 0) return null;
  const n = th.length;
  const eps = 1e-12 * Math.max(1, Math.abs(th[n - 1] - th[0]));
  const near = (x: number, t: number) => Math.abs(x - t) <= eps;
  let agrees = true;
  for (let i = 0; i < n && agrees; i++) {
    const x = th[i];
    const want = x < tLow ? 1 : x < tHigh ? 2 : 3;
    if (region[i] === want) continue;
    // at a threshold, the region on either side of it
    if ((near(x, tLow) && (region[i] === 1 || region[i] === (tHigh > tLow ? 2 : 3))) || (near(x, tHigh) && (region[i] === 2 || region[i] === 3))) continue;
    agrees = false;
  }
  if (agrees) return null;
  const runs: { from: number; to: number; region: number }[] = [];
  let from = th[0];
  for (let i = 0; i + 1 < n; i++) {
    if (region[i + 1] === region[i]) continue;
    const a = th[i];
    const b = th[i + 1];
    const at = [tLow, tHigh].find((t) => t >= a && t <= b);
    const to = at ?? (a + b) / 2;
    runs.push({ from, to, region: region[i] });
    from = to;
  }
  runs.push({ from, to: th[n - 1], region: region[n - 1] });
  return runs.filter((r) => r.to > r.from);
}

/** A log axis from the series' positive values: at most four decades below the largest. */
export function logAxis(label: AxisSpec["label"], series: readonly Series[]): AxisSpec {
  let lo = Infinity;
  let hi = 0;
  for (const s of series) {
    for (let i = 0; i < s.y.length; i++) {
      const v = s.y[i];
      if (v > 0 && Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  if (!(hi > 0)) return { label };
  const top = Math.pow(10, Math.ceil(Math.log10(hi) - 1e-9));
  let bottom = Math.max(Math.pow(10, Math.floor(Math.log10(lo) + 1e-9)), top / 1e4);
  // One value that is a power of ten (all positive values equal): a decade below it.
  if (!(bottom < top)) bottom = top / 10;
  // Values near the underflow (1e-320) have no decade of positive doubles below them.
  if (!(bottom > 0 && bottom < top && Number.isFinite(top))) return { label };
  return { label, scale: "log", domain: [bottom, top] };
}

function switchLines(solution: MarketSolution, regimes: [RegimeName, string][]): VLine[] {
  const out: VLine[] = [];
  for (const [r, p] of regimes) {
    const s = scalar(solution, `${p}thetaSwitch`);
    if (s === undefined) continue;
    if (r === "efficient") out.push({ x: s, label: THETA_EFFICIENT });
    if (r === "multiModelMonopoly") out.push({ x: s, label: THETA_MULTI });
  }
  return out;
}

export function quantityFigure(name: QuantityFigure, scenario: Scenario, solution: MarketSolution): FigureSpec {
  const th = solution.curves.theta;
  const regimes = regimesOf(solution);
  const lf = regimes.find(([r]) => r === "leaderFringe");
  const marker = sparse(solution);
  const leader = name === "leader-quantity";
  const q = leader ? "qL" : "qF";
  const sym = leader ? L("q_L(θ)", "$q_L(\\theta)$") : L("q_F(θ)", "$q_F(\\theta)$");
  const several = regimes.length > 1;
  // Leader–fringe first and solid; the benchmarks dashed on top, so where they coincide with it
  // (fringe use below θ_e, the leader's q^int above θ_m) both stay visible.
  // Jumps (q_F falling to zero at θ_low, a benchmark switching models) are breaks in the line,
  // not vertical strokes: a row is inserted at each (jumps.ts), for every series alike.
  // no line inside a gap of the support: no buyer is there (the caption says where)
  const gaps = gapMask(solution);
  const raw = regimes.map(([, p]) => withoutGaps(column(solution, `${p}${q}`, name), gaps));
  const broken = marker ? { x: th, ys: raw } : breakJumps(th, raw);
  const series: Series[] = regimes.map(([r], k) => ({
    name: several ? REGIME_LABEL[r] : sym,
    x: broken.x,
    y: broken.ys[k],
    column: `${r}_${q}`,
    style: several ? REGIME_STYLE[r] : "solid",
    // the equilibrium's line wide and first, so a benchmark that coincides with it (the
    // monopolist's q_L above θ_m) is drawn dashed on top of it and both stay visible
    ...(several && r === "leaderFringe" ? { width: 2.2 * LINE_WIDTH_PT } : {}),
    marker,
  }));
  if (leader && lf && !several) {
    // The limit quality matters where the leader sells (it is q_L between θ_low and θ_high).
    const from = scalar(solution, `${lf[1]}thetaLow`) ?? th[0];
    const qhat = column(solution, `${lf[1]}qhat`, name);
    const qx = broken.x;
    const shown = masked(qhat, (i) => th[i] >= from && !(gaps && gaps[i]));
    const onX = qx === th ? shown : interpolateOn(th, shown, qx);
    series.push({ name: L("limit quality q̂(θ)", "limit quality $\\hat q(\\theta)$"), x: qx, y: onX, column: "qhat", style: "dotted", marker });
  }
  const y = leader ? logAxis(L("Leader quality q_L", "Leader quality $q_L$"), series) : { label: L("Fringe quality q_F", "Fringe quality $q_F$") };
  const marks = lf ? regionBands(solution, lf[1]) : { bands: [], vlines: [], byColumn: false };
  // Where a benchmark changes model (a jump in its curves), marked beside the thresholds.
  const switches = switchLines(solution, regimes);
  // The multi-model monopolist alone: where it starts serving, θ* (a reviewer missed it; in a
  // comparison the equilibrium's thresholds are the ones marked)
  const star = !several && regimes[0]?.[0] === "multiModelMonopoly" ? scalar(solution, `${regimes[0][1]}thetaStar`) : undefined;
  const starLine = star !== undefined && star > th[0] && star < th[th.length - 1] ? [{ x: star, label: THETA_STAR }] : [];
  marks.vlines = [...marks.vlines, ...starLine, ...switches].sort((a, b) => a.x - b.x);
  const SWITCH_WORDS: Record<string, string> = { [THETA_EFFICIENT.text]: "the efficient allocation", [THETA_MULTI.text]: "the multi-model monopolist" };
  const who = leader ? "The leader's quality q_L(θ) = Q_L^(1/(σ+γ_L))" : "The fringe's quality q_F(θ) = Q_F^(1/(σ+γ_F))";
  const sorted = [...switches].sort((a, b) => a.x - b.x);
  // The caption says what the figure shows, case by case (a reviewer's leader serving nobody got
  // "log scale", "Shaded: …" and "above θ_m" under a linear axis of zeros, no bands, no θ_m).
  const logScale = "scale" in y && y.scale === "log";
  const anyPositive = series.some((sr) => Array.from(sr.y).some((v) => v > 0));
  const scaleWords = !leader ? "" : logScale ? " (log scale; no line where the leader's model is not used)" : anyPositive ? "" : " (0 for every type: nobody uses the leader's model)";
  const lowest = lf ? scalar(solution, `${lf[1]}thetaLow`) : undefined;
  const nobodyServed = lowest !== undefined && lowest >= th[th.length - 1];
  const benchmarkOn = leader ? switches.some((v) => v.label === THETA_MULTI) : switches.some((v) => v.label === THETA_EFFICIENT);
  const sentences = [
    `${who} by type` +
      scaleWords +
      (several ? ": the leader facing a competitive fringe, the efficient allocation and the multi-model monopolist" : ""),
    starLine.length ? "θ*: the lowest type the multi-model monopolist serves" : "",
    lf && marks.bands.length > 0
      ? nobodyServed
        ? "Unshaded: fringe only, for every type (the leader serves nobody: θ_low is the top type)"
        : shadedRegions(marks.bands, marks.byColumn)
      : "",
    leader && lf && !several
      ? fringeGammaZero(scenario)
        ? "Dotted: the limit quality q̂(θ) above θ_low, where the buyer stops topping up from the fringe"
        : "Dotted: the limit quality q̂(θ) above θ_low, at which the rent over the fringe alone stops changing with θ (u_θ = u0′); with γ_F > 0 the buyer tops up from the fringe only below a fixed share of it (docs/model.md 3c), so an item below q̂ need not be topped up"
      : "",
    sorted.length
      ? `${sorted.map((v) => v.label!.text).join(", ")}: the type${sorted.length > 1 ? "s" : ""} at which ${sorted.map((v) => SWITCH_WORDS[v.label!.text]).join(" and ")} switch${sorted.length > 1 ? "" : "es"} from the fringe's model to the leader's`
      : "",
    several && benchmarkOn
      ? `Where a benchmark coincides with the equilibrium (${leader ? "the multi-model monopolist's q_L(θ) above θ_m, the same interior quality" : "the efficient q_F(θ) below θ_e"}), its ${leader ? "dash-dotted" : "dashed"} line lies on the wide solid one`
      : "",
    "A break in a line is a jump of the quantity, not a missing value",
    supportGapSentence("theta" in scenario.buyers ? scenario.buyers.theta : undefined, supportGaps(solution)),
  ];
  const what = sentences.filter((x) => x).join(". ");
  return {
    name,
    caption: scenarioCaption(scenario, what),
    x: { label: TYPE_THETA, column: "theta" },
    y,
    series,
    bands: marks.bands,
    vlines: marks.vlines,
    legend: several || series.length > 1 ? "inside" : "none",
  };
}

/** γ_F = 0 (the fringe's model is not fine-tunable): the buyer tops up exactly below q̂. With
 *  γ_F > 0 the switch is r·q̂ (docs/model.md 3c): a reviewer's items below q̂ were not topped up,
 *  against a caption that said q̂ was where topping up stops. */
function fringeGammaZero(s: Scenario): boolean {
  const f = (s.market as { fringe?: { gamma?: number; technology?: { aggregate?: { gamma: number }; fineTuning?: { kind: string } } } }).fringe;
  if (!f) return false;
  if (typeof f.gamma === "number") return f.gamma === 0;
  const t = f.technology;
  return t?.aggregate ? t.aggregate.gamma === 0 : t?.fineTuning?.kind === "none";
}

/** Values given on grid `x` (ascending) read at `at` (ascending, a superset of x): the same
 *  value at a grid point, linear in between (NaN next to a NaN). */
function interpolateOn(x: ArrayLike<number>, y: ArrayLike<number>, at: ArrayLike<number>): Float64Array {
  const out = new Float64Array(at.length);
  let j = 0;
  for (let k = 0; k < at.length; k++) {
    while (j + 1 < x.length && x[j + 1] <= at[k]) j++;
    if (x[j] === at[k] || j + 1 >= x.length) out[k] = y[j];
    else {
      const t = (at[k] - x[j]) / (x[j + 1] - x[j]);
      out[k] = y[j] + t * (y[j + 1] - y[j]);
    }
  }
  return out;
}
