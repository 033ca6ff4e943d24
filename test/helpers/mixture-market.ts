// A leader–fringe market on a mixture law, as the random scan (scripts/random-market-scan.mjs)
// prints its markets: the digits as printed, components, weights, σ, and (γ, cost) of the leader
// and of the fringe.

export type MixtureComponent = { dist: "uniform"; min: number; max: number } | { dist: "beta"; a: number; b: number; min: number; max: number };

export function mixtureMarket(name: string, components: MixtureComponent[], weights: number[], sigma: number, leader: [number, number], fringe: [number, number]) {
  return {
    name,
    buyers: { theta: { dist: "mixture", components, weights } },
    technology: { sigma },
    market: { kind: "leaderFringe", leader: { gamma: leader[0], cost: leader[1] }, fringe: { gamma: fringe[0], cost: fringe[1] } },
  };
}
