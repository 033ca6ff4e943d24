// Where two scenarios first differ, in the words of a refused merge or resume
// (workers/json-difference.ts): past the name and the description first, and long strings shown
// around their first differing character.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { firstDifference, scenarioDifferenceText } from "../workers/json-difference.js";

const base = {
  name: "lf",
  description: "Proposition 4 with uniform types (sigma 0.5, leader gamma 0.3, fringe costs falling towards zero)",
  market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 } },
};

describe("scenarioDifferenceText", () => {
  it("names a change of the model even where the description changed too (alphabetically first, it hid it: a reviewer's)", () => {
    const other = { ...base, description: base.description.replace("towards", "toward"), market: { ...base.market, leader: { gamma: 0.3, cost: 0.31 } } };
    expect(scenarioDifferenceText(base, other, ["then", "now"])).toBe(" (first at market.leader.cost: 0.3 then, 0.31 now)");
  });
  it("shows two long strings around their first difference (cut at the same 60 characters, they looked alike)", () => {
    const other = { ...base, description: base.description.replace("towards", "toward") };
    const text = scenarioDifferenceText(base, other, ["here", "there"]);
    expect(text).toMatch(/^ \(first at description: …".*towards zero\)" here, …".*toward zero\)" there\)$/);
  });
  it("says nothing where the scenarios are equal or one is missing", () => {
    expect(scenarioDifferenceText(base, structuredClone(base), ["a", "b"])).toBe("");
    expect(scenarioDifferenceText(undefined, base, ["a", "b"])).toBe("");
  });
  it("firstDifference finds a difference exactly where the values differ (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const d = firstDifference(a, b, []);
        expect(d === undefined).toBe(sameJson(a, b));
        // and the values it names are the two sides' values at that path
        if (d) expect([at(a, d.path), at(b, d.path)]).toEqual([d.a, d.b]);
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});

/** The value at a path (undefined where absent). */
function at(v: unknown, path: (string | number)[]): unknown {
  let x = v;
  for (const p of path) x = x !== null && typeof x === "object" ? (x as Record<string, unknown>)[p] : undefined;
  return x;
}

/** Equal as JSON values, object keys in any order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}
