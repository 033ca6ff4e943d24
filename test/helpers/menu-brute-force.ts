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
