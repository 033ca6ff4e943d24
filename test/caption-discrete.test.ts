// Captions of figures whose buyers are a discrete law (figures/builders/caption.ts describeDist):
// a few atoms are listed with their probabilities; many are summarized — count, range, mean and
// standard deviation — so that a 300-atom market's caption (7 KB before 6 Dec 2026) fits a paper.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeBuyers, describeDist } from "../figures/builders/caption.js";

describe("a discrete law in a caption", () => {
  it("lists up to 12 atoms with their probabilities", () => {
    expect(describeDist({ dist: "discrete", values: [0.2, 0.5, 0.9], probs: [0.25, 0.25, 0.5] })).toBe("discrete on {0.2, 0.5, 0.9} with probabilities {0.25, 0.25, 0.5}");
  });

  it("summarizes more: count, range, mean and standard deviation, computed from the atoms", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 10, noNaN: true }), { minLength: 13, maxLength: 400 }), fc.boolean(), (raw, equal) => {
        const values = [...new Set(raw)].sort((a, b) => a - b);
        fc.pre(values.length >= 13);
        const probs = values.map((_, i) => (equal ? 1 : 1 + (i % 3)));
        const text = describeDist({ dist: "discrete", values, probs });
        const total = probs.reduce((a, b) => a + b, 0);
        const mean = values.reduce((a, v, i) => a + (probs[i] / total) * v, 0);
        const sd = Math.sqrt(values.reduce((a, v, i) => a + (probs[i] / total) * (v - mean) ** 2, 0));
        const m = /^discrete, (\d+) (equally likely )?atoms on \[([^,]+), ([^\]]+)\] \(mean ([^,]+), standard deviation ([^;]+); the scenario file lists them\)$/.exec(text);
        expect(m, text).not.toBeNull();
        expect(Number(m![1])).toBe(values.length);
        expect(Boolean(m![2])).toBe(equal);
        // (6 significant digits)
        expect(Math.abs(Number(m![3]) - values[0])).toBeLessThanOrEqual(1e-5 * values[0]);
        expect(Math.abs(Number(m![4]) - values[values.length - 1])).toBeLessThanOrEqual(1e-5 * values[values.length - 1]);
        expect(Math.abs(Number(m![5]) - mean)).toBeLessThanOrEqual(1e-5 * mean);
        expect(Math.abs(Number(m![6]) - sd)).toBeLessThanOrEqual(1e-5 * sd + 1e-300);
        expect(text.length).toBeLessThan(200);
      }),
      { numRuns: 200 },
    );
  });
});

describe("captions of value–scale buyers", () => {
  it("name the log-sd of w as σ_w and of s as σ_s, not σ_θ (a reviewer's)", () => {
    const w = { dist: "truncLognormal", mu: 0, sigma: 0.5, min: 0.1, max: 10 } as const;
    const s = { dist: "mixture", components: [{ dist: "truncLognormal", mu: -1, sigma: 0.3, min: 0.01, max: 1 }, { dist: "uniform", min: 0, max: 1 }], weights: [0.5, 0.5] } as const;
    const text = describeBuyers({ buyers: { valueScale: { w, s } } } as unknown as Parameters<typeof describeBuyers>[0]);
    expect(text).toContain("w ~ lognormal (μ 0, σ_w 0.5)");
    expect(text).toContain("σ_s 0.3");
    expect(text).not.toContain("σ_θ");
    expect(describeDist(w)).toContain("σ_θ 0.5");
  });
});

describe("per-class baseline fine-tuning in a caption", () => {
  it("writes the product with ∏, not Π, the profit's symbol (a reviewer's)", async () => {
    const { describeScenario } = await import("../figures/builders/caption.js");
    const { parseScenario } = await import("../engine/scenario/load.js");
    const s = parseScenario({
      name: "b",
      buyers: { theta: { dist: "uniform", min: 0, max: 1 } },
      technology: {
        sigma: 0.5,
        tokens: { rho: 1, classes: [{ name: "tokens", alpha: 1, cost: 1 }] },
        fineTuning: { kind: "baselinePerClass", classes: [{ name: "sft", b: 0.5, gamma: 0.3, cost: 2 }] },
      },
      market: { kind: "monopoly" },
    });
    const text = describeScenario(s);
    expect(text).toContain("fine-tuning ∏_k (b_k + z_k)^γ_k (sft: b = 0.5, γ = 0.3, ĉ = 2)");
    expect(text).not.toContain("Π(");
  });
});
