// A continuous leader–fringe menu checked by brute force, without the solver's own integrals: each
// of N quantile-midpoint types pays for its own item (pointAt), which gives the profit by the
// midpoint rule on equal-mass cells, and every 4th of them is offered the items of 1,001 types
// spread over the support, and the fringe alone, with the full top-up utility (docs/model.md
// (3.9)). Its own item must be the best: `worstGain` is the largest gain from another.
// (A menu's types of region 2 are indifferent between q̂ and the fringe, so a brute force over
// sampled items alone would send them to the fringe: each type's own item comes from pointAt.)
import type { ContinuousDistribution } from "../../engine/distributions/types.js";
import { fringeTopUp, outsideOption, type FringeMarket } from "../../solvers/fringe-top-up.js";
import type { MarketSolution } from "../../solvers/types.js";
import { expect } from "vitest";
import { buildDistribution } from "../../engine/distributions/from-spec.js";
import { parseScenario } from "../../engine/scenario/load.js";

export function menuByBruteForce(s: MarketSolution, law: ContinuousDistribution, market: FringeMarket, cL: number, N = 20_000): { profit: number; worstGain: number } {
  const items: { q: number; t: number }[] = [];
  for (let i = 0; i <= 1000; i++) {
    const p = s.pointAt(law.min + ((law.max - law.min) * i) / 1000);
    if ((p.qL as number) > 0) items.push({ q: p.qL as number, t: p.t as number });
  }
  let own = 0;
  let worst = 0;
  for (let i = 0; i < N; i++) {
    const th = law.quantile((i + 0.5) / N);
    const p = s.pointAt(th);
    const q = p.qL as number;
    const mine = q > 0 ? fringeTopUp(th, q, market).u - (p.t as number) : outsideOption(th, market);
    if (q > 0) own += (p.t as number) - cL * q;
    if (i % 4 !== 0) continue;
    let best = outsideOption(th, market);
    for (const it of items) best = Math.max(best, fringeTopUp(th, it.q, market).u - it.t);
    worst = Math.max(worst, best - mine);
  }
  return { profit: own / N, worstGain: worst };
}

/** The menu by brute force (menuByBruteForce above): each of 20,000 quantile types pays
 *  for its own item (profit to 1e-5) and none gains by another type's item or the fringe alone. */
export function expectBruteForceAgrees(scenario: Record<string, unknown>, sol: MarketSolution, profit: number) {
  const sc = parseScenario(scenario, { figures: false });
  const law = buildDistribution((scenario.buyers as { theta: Parameters<typeof buildDistribution>[0] }).theta, "buyers.theta") as ContinuousDistribution;
  const m = sc.market as { leader: { gamma: number; cost: number }; fringe: { gamma: number; cost: number } };
  const sg = sc.technology.sigma;
  const direct = menuByBruteForce(sol, law, { sigma: sg, etaL: sg + m.leader.gamma, etaF: sg + m.fringe.gamma, cF: m.fringe.cost }, m.leader.cost);
  expect(Math.abs(direct.profit - profit) / profit, `quantile types' payments ${direct.profit}, reported ${profit}, tolerance 1e-5`).toBeLessThan(1e-5);
  expect(direct.worstGain, "the largest gain of a quantile type from another item or the fringe").toBeLessThan(1e-9 * profit);
}
