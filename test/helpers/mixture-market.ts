// A leader–fringe market on a mixture law, as the random scan (scripts/random-market-scan.mjs)
// prints its markets: the digits as printed, components, weights, σ, and (γ, cost) of the leader
// and of the fringe.

import assert from "node:assert/strict";

export type MixtureComponent = { dist: "uniform"; min: number; max: number } | { dist: "beta"; a: number; b: number; min: number; max: number };

export function mixtureMarket(name: string, components: MixtureComponent[], weights: number[], sigma: number, leader: [number, number], fringe: [number, number]) {
  // (a digit lost in copying a market from the scan's output shows here, not as another market)
  assert(components.length === weights.length, `${name}: ${components.length} components, ${weights.length} weights`);
  assert(Math.abs(weights.reduce((a, b) => a + b, 0) - 1) < 1e-12, `${name}: the weights sum to ${weights.reduce((a, b) => a + b, 0)}, not 1`);
  return {
    name,
    buyers: { theta: { dist: "mixture", components, weights } },
    technology: { sigma },
    market: { kind: "leaderFringe", leader: { gamma: leader[0], cost: leader[1] }, fringe: { gamma: fringe[0], cost: fringe[1] } },
  };
}
