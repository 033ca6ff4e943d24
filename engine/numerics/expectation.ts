// E[g(θ); from ≤ θ ≤ to] = ∫ g f dθ for a continuous type distribution. First in θ with the
// endpoint-clustering substitution; if that cannot reach the tolerance (a density with an
// integrable singularity at an end that is not 0, whose mass within one ulp of the end is
// above 1e-13), again in quantile space ∫ g(F⁻¹(u)) du, which has no density in it at all.

import type { ContinuousDistribution } from "../distributions/types.js";
import { NumericalError } from "../errors.js";
import { integratePiecewise } from "./piecewise-integral.js";

export function expectation(
  g: (theta: number) => number,
  dist: ContinuousDistribution,
  from: number,
  to: number,
  breaks: readonly number[],
  where: string,
  epsrel = 1e-13,
): number {
  try {
    return integratePiecewise((t) => g(t) * dist.pdf(t), from, to, breaks, { epsrel, endpoints: true, where });
  } catch (e) {
    if (!(e instanceof NumericalError)) throw e;
    const ua = dist.cdf(from);
    const ub = dist.cdf(to);
    const ubreaks = breaks.map((b) => dist.cdf(b));
    return integratePiecewise((u) => g(dist.quantile(u)), ua, ub, ubreaks, {
      epsrel,
      endpoints: true,
      where: `${where} (in quantile space)`,
    });
  }
}
