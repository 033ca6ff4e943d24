// Scenario distribution specs → type distributions (README "Scenario reference", `buyers`;
// docs/model.md section 2 and "Value–scale types"). Every error is an InputError at the JSON path of
// the offending field (e.g. `buyers.theta.components[1].a`).

import { InputError } from "../errors.js";
import type { BuyersSpec, DistSpec } from "../scenario/spec-types.js";
import { beta } from "./beta.js";
import { discrete } from "./discrete.js";
import { expressionDensity } from "./expression-density.js";
import { mixture } from "./mixture.js";
import { profilesDistribution } from "./profiles.js";
import { truncExponential } from "./trunc-exponential.js";
import { truncLognormal } from "./trunc-lognormal.js";
import { truncPareto } from "./trunc-pareto.js";
import type { TypeDistribution } from "./types.js";
import { uniform } from "./uniform.js";
import { valueScale } from "./value-scale.js";

/** Mixtures nest; a bound keeps a malicious file from exhausting the stack. */
const MAX_DEPTH = 16;

export function buildDistribution(spec: DistSpec, path: string): TypeDistribution {
  return build(spec, path, 0);
}

function build(spec: DistSpec, path: string, depth: number): TypeDistribution {
  if (spec === null || typeof spec !== "object") throw new InputError(path, "expected a distribution object");
  switch (spec.dist) {
    case "uniform":
      return uniform(spec.min, spec.max, path);
    case "beta":
      return beta(spec.a, spec.b, spec.min ?? 0, spec.max ?? 1, path);
    case "truncExponential":
      return truncExponential(spec.rate, spec.min, spec.max, path);
    case "truncLognormal":
      return truncLognormal(spec.mu, spec.sigma, spec.min, spec.max, path);
    case "truncPareto":
      return truncPareto(spec.alpha, spec.min, spec.max, path);
    case "discrete":
      if (!Array.isArray(spec.values)) throw new InputError(`${path}.values`, "expected an array of numbers");
      if (!Array.isArray(spec.probs)) throw new InputError(`${path}.probs`, "expected an array of numbers");
      return discrete(spec.values, spec.probs, path);
    case "mixture": {
      if (depth >= MAX_DEPTH) throw new InputError(path, `mixtures nested more than ${MAX_DEPTH} deep`);
      if (!Array.isArray(spec.components)) throw new InputError(`${path}.components`, "expected an array of distributions");
      if (!Array.isArray(spec.weights)) throw new InputError(`${path}.weights`, "expected an array of numbers");
      const components = spec.components.map((c, k) => build(c, `${path}.components[${k}]`, depth + 1));
      return mixture(components, spec.weights, path);
    }
    case "expression":
      return expressionDensity(spec.density, spec.min, spec.max, path);
    default:
      throw new InputError(`${path}.dist`, `unknown distribution "${String((spec as { dist: unknown }).dist)}"`);
  }
}

/** The aggregate-type distribution of the scenario's buyers (θ, value–scale or sampled profiles). */
export function buildBuyers(buyers: BuyersSpec, sigma: number, seed: number): TypeDistribution {
  if ("theta" in buyers) return buildDistribution(buyers.theta, "buyers.theta");
  if ("valueScale" in buyers) {
    const vs = buyers.valueScale;
    const w = buildDistribution(vs.w, "buyers.valueScale.w");
    const s = buildDistribution(vs.s, "buyers.valueScale.s");
    return valueScale(w, s, sigma, "buyers.valueScale");
  }
  if ("profiles" in buyers) return profilesDistribution(buyers.profiles, sigma, seed, "buyers.profiles");
  throw new InputError("buyers", "expected one of theta, valueScale, profiles");
}
