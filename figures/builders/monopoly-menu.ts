// Figures of the monopoly menu of token budgets (docs/model.md section 2, Proposition 2), read off
// the solved grid curves: quality Q(θ) against the efficient Qᵉ(θ) with θ* marked, transfers
// with the cost of the item and the buyer's rent, the marginal price T'(Q(θ)) = θ against the
// marginal cost C'(Q(θ)) = h̄(θ), the average markup t/C(Q), the (ironed) virtual type, and
// the token budgets X_j(θ), Z_k(θ). Ironing intervals are shaded as bunching bands.

import type { MarketSolution } from "../../solvers/types.js";
import type { Scenario } from "../../engine/scenario/spec-types.js";
import { labelText, texMath } from "../escape.js";
import type { Band, FigureSpec, Series, VLine } from "../types.js";
import { fmt, scenarioCaption, supportGapSentence } from "./caption.js";
import { column, gapMask, masked, minus, scalar, sparse, supportGaps, withoutGaps } from "./curves.js";
import { breakJumps } from "../jumps.js";
import { L, THETA_STAR, TYPE_THETA, withUnit } from "./notation.js";

export const MONOPOLY_FIGURES = ["quality", "transfers", "marginal-price", "markup", "virtual-type", "token-budgets"] as const;
export type MonopolyFigure = (typeof MONOPOLY_FIGURES)[number];

/** The ironing intervals split at θ*: the served part, bunched on one item, and the part below
 *  θ*, whose types are excluded (Q = 0: not a bunch; a reviewer's captions called an interval
 *  wholly below θ* "bunched on one item"). */
function ironingParts(solution: MarketSolution): { served: [number, number][]; excluded: [number, number][] } {
  const ts = scalar(solution, "thetaStar");
  const served: [number, number][] = [];
  const excluded: [number, number][] = [];
  // a part narrower than 1e-9 of the axis is none (θ* 1.3e-15 below the top of an interval that
  // ends at a gap's upper end: a reviewer's caption said "bunched on [0.700, 0.700]")
  const th = solution.curves.theta;
  const tiny = 1e-9 * (th.length > 1 ? th[th.length - 1] - th[0] : 1);
  for (const [a, b] of solution.ironing) {
    const cut = ts !== undefined && Number.isFinite(ts) ? Math.min(Math.max(ts, a), b) : a;
    if (cut - a > tiny) excluded.push([a, cut]);
    if (b - cut > tiny) served.push([cut, b]);
  }
  return { served, excluded };
}

/** The bunching intervals of the ironed menu (their served parts), shaded. */
function bunchingBands(solution: MarketSolution): Band[] {
  return ironingParts(solution).served.map(([a, b]) => ({ from: a, to: b, label: L("bunching", "bunching") }));
}

/** θ*, when some types are excluded. */
function exclusionLine(solution: MarketSolution): VLine[] {
  const ts = scalar(solution, "thetaStar");
  const th = solution.curves.theta;
  return ts !== undefined && th.length > 0 && ts > th[0] && ts < th[th.length - 1] ? [{ x: ts, label: THETA_STAR }] : [];
}

/** A negative number with a true minus sign, as in the rest of the caption. */
const signed = (v: number) => fmt(v).replace(/^-/, "−");

function ironingNote(solution: MarketSolution): string {
  if (solution.ironing.length === 0) return "";
  const { served, excluded } = ironingParts(solution);
  const list = (ivs: [number, number][]) => ivs.map(([a, b]) => `[${a.toFixed(3)}, ${b.toFixed(3)}]`).join(", ");
  const parts = [
    served.length ? `types in ${list(served)} are bunched on one item${served.length > 1 ? " each" : ""} (shaded)` : "",
    excluded.length ? `types in ${list(excluded)}, ironed too, are below θ* and excluded (nothing is sold to them)` : "",
  ].filter((p) => p);
  return ` The virtual type is ironed: ${parts.join("; ")}.`;
}

/** `text`, then `sentence` (when there is one) as a sentence of its own. */
const withSentence = (text: string, sentence: string) => (sentence ? `${text.trim().replace(/[.]$/, "")}. ${sentence}` : text);

function base(scenario: Scenario, solution: MarketSolution, name: string, what: string, y: FigureSpec["y"], series: Series[]): FigureSpec {
  const th = solution.curves.theta;
  // No line inside a gap of the support (no buyer is there), and a jump of a quantity (Q at θ*,
  // h̄ across a gap) is a break, not a vertical stroke, as in the leader–fringe figures (jumps.ts);
  // few grid types (finitely many buyers) are marked, not broken.
  const gaps = gapMask(solution);
  let drawn = series.map((s) => (s.x === th ? { ...s, y: withoutGaps(s.y, gaps) } : s));
  let jumps = false;
  // (not the markup, which rises steeply but continuously near θ* on its log axis)
  if (!sparse(solution) && name !== "markup" && drawn.length > 0 && drawn.every((s) => s.x === th)) {
    const b = breakJumps(th, drawn.map((s) => s.y));
    jumps = b.x.length > th.length;
    drawn = drawn.map((s, k) => ({ ...s, x: b.x, y: b.ys[k] }));
  }
  const gapWords = supportGapSentence("theta" in scenario.buyers ? scenario.buyers.theta : undefined, supportGaps(solution));
  const lead = withSentence(withSentence(solution.ironing.length ? `${what}.${ironingNote(solution)}` : what, jumps ? "A break in a line is a jump of the quantity, not a missing value" : ""), gapWords);
  return {
    name,
    caption: scenarioCaption(scenario, lead),
    x: { label: TYPE_THETA, column: "theta" },
    y,
    series: drawn,
    bands: bunchingBands(solution),
    vlines: exclusionLine(solution),
  };
}

export function monopolyFigure(name: MonopolyFigure, scenario: Scenario, solution: MarketSolution): FigureSpec | undefined {
  const th = solution.curves.theta;
  const marker = sparse(solution);
  const Q = column(solution, "Q", name);
  const served = (i: number) => Q[i] > 0;
  switch (name) {
    case "quality":
      return base(
        scenario,
        solution,
        name,
        "Quality of the optimal menu of token budgets Q(θ) against the efficient quality Qᵉ(θ) (C′(Qᵉ) = θ); types below θ* are excluded",
        { label: L("Aggregate quality Q", "Aggregate quality $Q$") },
        [
          { name: L("menu Q(θ)", "menu $Q(\\theta)$"), x: th, y: Q, column: "Q", marker },
          { name: L("efficient Q^e(θ)", "efficient $Q^e(\\theta)$"), x: th, y: column(solution, "Qe", name), column: "Qe", style: "dashed", marker },
        ],
      );
    case "transfers": {
      const t = column(solution, "t", name);
      return base(
        scenario,
        solution,
        name,
        "Transfer t(θ) paid for each item, the seller's cost C(Q(θ)) of that item, and the buyer's information rent U(θ) = θQ(θ) − t(θ)",
        { label: withUnit(L("Payment, cost, rent", "Payment, cost, rent"), "money", scenario) },
        [
          { name: L("transfer t(θ)", "transfer $t(\\theta)$"), x: th, y: t, column: "t", marker },
          { name: L("cost C(Q(θ))", "cost $C(Q(\\theta))$"), x: th, y: minus(t, column(solution, "fee", name)), column: "cost", style: "dashed", marker },
          { name: L("rent U(θ)", "rent $U(\\theta)$"), x: th, y: column(solution, "U", name), column: "U", style: "dotted", marker },
        ],
      );
    }
    case "marginal-price":
      return base(
        scenario,
        solution,
        name,
        "Marginal price of the nonlinear tariff T′(Q(θ)) = θ against the marginal cost C′(Q(θ)) = h̄(θ) on the served types; the gap (1 − F)/f is the price of screening" +
          (solution.ironing.length ? " (on a bunching interval the tariff has a kink at the bunched item, and each θ there is one of its supporting marginal prices)" : ""),
        { label: L("Price or cost per unit of quality Q", "Price or cost per unit of quality $Q$") },
        [
          { name: L("marginal price", "marginal price"), x: th, y: masked(column(solution, "marginalPrice", name), served), column: "marginalPrice", marker },
          { name: L("marginal cost", "marginal cost"), x: th, y: masked(column(solution, "hbar", name), served), column: "marginalCost", style: "dashed", marker },
        ],
      );
    case "markup":
      return {
        ...base(
          scenario,
          solution,
          name,
          "Average markup t(θ)/C(Q(θ)) of each item on the served types (log scale); small buyers pay mostly the fixed part of the tariff",
          { label: L("Average markup t/C(Q)", "Average markup $t/C(Q)$"), scale: "log" },
          [{ name: L("markup t(θ)/C(Q(θ))", "markup $t(\\theta)/C(Q(\\theta))$"), x: th, y: masked(column(solution, "markup", name), served), column: "markup", marker }],
        ),
        legend: "none",
      };
    case "virtual-type": {
      const h = column(solution, "h", name);
      // h → −∞ where f vanishes (the ends of a beta, the gap between modes): show the window
      // [θ_min − (θ_max − θ_min), θ_max], where h of a uniform runs, and let the dives leave it.
      // Values far below are drawn at a floor (out of sight): no drawing format takes −10^29.
      const lo = th[0];
      const hi = th[th.length - 1];
      const bottom = lo - (hi - lo);
      const floor = lo - 100 * (hi - lo);
      const atFloor = (v: Float64Array) => Float64Array.from(v, (x) => (x < floor ? floor : x));
      return base(
        scenario,
        solution,
        name,
        `Virtual type h(θ) = θ − (1 − F(θ))/f(θ) and its ironed version h̄(θ), which sets the menu's marginal cost C′(Q) = h̄; h leaves the window where the density is nearly zero (values below ${signed(floor)} are recorded as ${signed(floor)})`,
        { label: L("Virtual type", "Virtual type"), domain: [bottom, hi] },
        [
          { name: L("h(θ)", "$h(\\theta)$"), x: th, y: atFloor(h), column: "h", marker },
          { name: L("ironed h̄(θ)", "ironed $\\bar h(\\theta)$"), x: th, y: atFloor(column(solution, "hbar", name)), column: "hbar", style: "dashed", marker },
        ],
      );
    }
    case "token-budgets": {
      const cols = solution.curves.order.filter((c) => c.startsWith("X.") || c.startsWith("Z."));
      if (cols.length === 0) return undefined;
      const series: Series[] = cols.map((c) => {
        const cls = c.slice(2);
        const sym = c[0];
        // The class name is the user's: escaped for the label markup and for TeX.
        // the symbol alone: the class name is its subscript (a legend of short entries fits
        // beside or in columns below the plot, not in a box taller than the plot)
        const name = L(`${sym}_{${labelText(cls)}}(θ)`, `$${sym}_{\\mathrm{${texMath(cls)}}}(\\theta)$`);
        return { name, x: th, y: solution.curves.columns[c], column: `${sym}_${cls.replace(/[^A-Za-z0-9]/g, "_")}`, marker };
      });
      return base(
        scenario,
        solution,
        name,
        "Cost-minimizing token budgets of each item: task tokens X_j(θ) and fine-tuning tokens Z_k(θ) by class",
        { label: withUnit(L("Tokens in the budget", "Tokens in the budget"), "tokens", scenario) },
        series,
      );
    }
  }
}
