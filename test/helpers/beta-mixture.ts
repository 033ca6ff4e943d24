// Mixtures of betas on [0, 1]: the tests' standard source of non-monotone virtual types
// (bimodal type distributions that must be ironed).
import assert from "node:assert/strict";
import { buildDistribution } from "../../engine/distributions/from-spec.js";
import type { ContinuousDistribution } from "../../engine/distributions/types.js";

/** Σ_k w_k Beta(a_k, b_k) on [0, 1]. */
export function betaMixture(shapes: [number, number][], weights: number[]): ContinuousDistribution {
  const d = buildDistribution(
    { dist: "mixture", components: shapes.map(([a, b]) => ({ dist: "beta", a, b, min: 0, max: 1 })), weights },
    "buyers.theta",
  );
  assert(!d.discrete, "a mixture of betas is continuous");
  return d;
}

/** 0.5·Beta(2, 8) + 0.5·Beta(8, 2): the bimodal example of the issues and of docs/model.md tests. */
export const bimodal = (): ContinuousDistribution => betaMixture([[2, 8], [8, 2]], [0.5, 0.5]);
