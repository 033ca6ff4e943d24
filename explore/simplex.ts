// Entries of a scenario that must sum to 1 — a discrete law's probabilities, a mixture's
// weights, the CES shares α of token or fine-tuning classes (docs/model.md 1): moving one of
// them in `lpe explore` moves the others in proportion, so the scenario stays valid (a
// reviewer's every move of a probability slider gave "probabilities must sum to 1"). Pure, and
// small: the page loads it (the controls, computed in the worker, name each entry's partners).

import type { PathSegment } from "../engine/scenario/overrides.js";

/** The smallest share left to the other entries: each must stay > 0. */
const LEAVE = 1e-6;

/**
 * The entry's new value, clamped to [0, 1 − LEAVE], and its partners' values scaled so that all
 * sum to 1 (equal shares of the rest if the partners were all 0).
 */
export function rebalance(value: number, partners: readonly number[]): { value: number; partners: number[] } {
  if (partners.length === 0) return { value, partners: [] };
  const v = Math.min(1 - LEAVE, Math.max(0, value));
  const rest = 1 - v;
  const sum = partners.reduce((a, b) => a + Math.max(0, b), 0);
  // 10 significant digits keep the JSON readable; the sum stays within 1e-9 of 1 (the checks'
  // tolerance) for up to 12 entries, the most that get sliders
  const round = (x: number) => Number(x.toPrecision(10));
  return { value: v, partners: partners.map((p) => round(sum > 0 ? (Math.max(0, p) / sum) * rest : rest / partners.length)) };
}

/**
 * The paths of the entries that sum to 1 with the number at `segments` (not itself), or none:
 * `…probs[i]`; `…weights[i]` of a mixture; `technology.tokens.classes[i].alpha` and
 * `technology.fineTuning.classes[i].alpha`.
 */
export function simplexPartners(raw: unknown, segments: readonly PathSegment[]): PathSegment[][] {
  const at = (segs: readonly PathSegment[]): unknown => segs.reduce<unknown>((o, s) => (o !== null && typeof o === "object" ? (o as Record<string | number, unknown>)[s] : undefined), raw);
  const n = segments.length;
  const last = segments[n - 1];
  if (typeof last === "number" && n >= 2) {
    const key = segments[n - 2];
    const parent = at(segments.slice(0, n - 2)) as { dist?: unknown } | undefined;
    const list = at(segments.slice(0, n - 1));
    const simplex = key === "probs" || (key === "weights" && parent?.dist === "mixture");
    if (simplex && Array.isArray(list)) return list.map((_, i) => [...segments.slice(0, n - 1), i]).filter((_, i) => i !== last);
    return [];
  }
  if (last === "alpha" && n === 5 && segments[0] === "technology" && segments[2] === "classes" && typeof segments[3] === "number") {
    const classes = at(segments.slice(0, 3));
    if (Array.isArray(classes)) return classes.map((_, i) => [...segments.slice(0, 3), i, "alpha"]).filter((_, i) => i !== segments[3]);
  }
  return [];
}
