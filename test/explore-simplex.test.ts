// Entries that sum to 1 move together in `lpe explore` (explore/simplex.ts): rebalance keeps the
// sum and the partners' proportions; the controls name the partners of probabilities, mixture
// weights and CES shares α, and of nothing else (a profile's task weights are free).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scenarioControls, type NumberControl } from "../explore/controls.js";
import { rebalance, simplexPartners } from "../explore/simplex.js";
import { setPath } from "../engine/scenario/overrides.js";
import { validateScenario } from "../engine/scenario/load.js";
import { readFileSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;

describe("rebalance", () => {
  it("keeps the sum at 1 within 1e-9 and the partners' proportions, each partner > 0", () => {
    fc.assert(
      fc.property(fc.double({ min: -0.5, max: 1.5, noNaN: true }), fc.array(fc.double({ min: 1e-3, max: 1, noNaN: true }), { minLength: 1, maxLength: 11 }), (v, ps) => {
        const r = rebalance(v, ps);
        expect(r.value).toBeGreaterThanOrEqual(0);
        expect(r.value).toBeLessThan(1);
        expect(Math.abs(r.value + r.partners.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-9);
        for (const p of r.partners) expect(p).toBeGreaterThan(0);
        const sum = ps.reduce((a, b) => a + b, 0);
        ps.forEach((p, i) => expect(Math.abs(r.partners[i] - (p / sum) * (1 - r.value))).toBeLessThan(1e-9));
      }),
    );
    expect(rebalance(0.5, [0, 0]).partners).toEqual([0.25, 0.25]);
  });
});

describe("the partners a control names", () => {
  const td = JSON.parse(readFileSync(`${root}scenarios/examples/token-distributions.json`, "utf8"));
  const numberAt = (raw: unknown, path: string) => scenarioControls(raw).find((c) => c.path === path) as NumberControl | undefined;
  it("probabilities, and a move through them keeps the scenario valid", () => {
    const c = numberAt(td, "buyers.profiles.probs[0]")!;
    expect(c.partners).toEqual([1, 2, 3, 4, 5].map((i) => ["buyers", "profiles", "probs", i]));
    expect([c.min, c.max]).toEqual([0, 1]);
    const r = rebalance(0.3, c.partners!.map((p) => td.buyers.profiles.probs[p[3] as number]));
    let moved = setPath(td, c.segments, r.value);
    c.partners!.forEach((p, i) => (moved = setPath(moved, p, r.partners[i])));
    expect(validateScenario(moved).problems).toEqual([]);
    // without the partners, the same move is refused (what the reviewer saw)
    expect(validateScenario(setPath(td, c.segments, 0.3)).problems.map((p) => p.message).join(" ")).toMatch(/must sum to 1/);
  });
  it("not a profile's task weights", () => {
    expect(numberAt(td, "buyers.profiles.weights[0][0]")?.partners).toBeUndefined();
  });
  it("token classes' α and a mixture's weights", () => {
    expect(simplexPartners(td, ["technology", "tokens", "classes", 0, "alpha"])).toEqual([["technology", "tokens", "classes", 1, "alpha"]]);
    const mix = { buyers: { theta: { dist: "mixture", components: [{ dist: "beta", a: 2, b: 3 }, { dist: "beta", a: 3, b: 2 }], weights: [0.4, 0.6] } } };
    expect(simplexPartners(mix, ["buyers", "theta", "weights", 1])).toEqual([["buyers", "theta", "weights", 0]]);
    expect(simplexPartners(mix, ["buyers", "theta", "components", 0, "a"])).toEqual([]);
  });
});
