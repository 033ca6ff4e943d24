// A clean-clone reviewer's leader–fringe market (5 Dec 2026): a three-component mixture whose
// Beta(2, 5) component ends at 0.5 with a thin tail (F flat to 1e-12 there), γ_F = 0.2. Its rent
// integral failed once (leader-fringe-pooling.test.ts), and at c_F = 0.29 the bound once lay 2 %
// below a feasible menu (leader-fringe-floor-isotonic.test.ts). One figure only: the default
// ones re-solve the market along a parameter, tens of seconds here.
import assert from "node:assert/strict";

export const thinTail = (cost: number) => {
  assert(Number.isFinite(cost) && cost > 0, `the fringe's cost must be a positive number, not ${cost}`);
  return market(cost);
};

const market = (cost: number) => ({
  name: "thin-tail",
  buyers: {
    theta: {
      dist: "mixture",
      components: [
        { dist: "beta", a: 2, b: 5, min: 0, max: 0.5 },
        { dist: "uniform", min: 0.6, max: 0.7 },
        { dist: "uniform", min: 1.2, max: 1.3 },
      ],
      weights: [0.6, 0.3, 0.1],
    },
  },
  technology: { sigma: 0.5 },
  market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0.2, cost } },
  figures: { only: ["leader-quantity"] },
});
