// Finite mixtures of type distributions (docs/model.md section 2): F = Σ w_k F_k, 1 − F = Σ w_k (1 − F_k)
// (each tail summed on its own, no cancellation), f = Σ w_k f_k (components are 0 outside their
// supports; their ends inside the hull are `kinks`, where f jumps); support = hull of the
// supports; F⁻¹ by Brent. Mixtures are how bimodal types with a non-monotone h arise (ironing).
// Discrete components merge into one discrete distribution.

import { InputError } from "../errors.js";
import { ContinuousBase } from "./continuous-base.js";
import { discreteFromAtoms } from "./discrete.js";
import { fmt, normalizedWeights } from "./param-checks.js";
import type { ContinuousDistribution, DiscreteDistribution, TypeDistribution } from "./types.js";

export class ContinuousMixture extends ContinuousBase {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly components: readonly ContinuousDistribution[];
  readonly weights: Float64Array;
  /** component support ends (and their own kinks) inside the hull: f jumps there */
  readonly kinks: readonly number[];

  /** Trusted constructor: weights > 0 summing to 1. */
  constructor(components: readonly ContinuousDistribution[], weights: Float64Array) {
    super();
    this.components = components;
    this.weights = weights;
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of components) {
      lo = Math.min(lo, c.min);
      hi = Math.max(hi, c.max);
    }
    this.min = lo;
    this.max = hi;
    const kinks = new Set<number>();
    for (const c of components) for (const k of [c.min, c.max, ...(c.kinks ?? [])]) if (k > lo && k < hi) kinks.add(k);
    this.kinks = [...kinks].sort((a, b) => a - b);
    this.label = `mixture(${components.map((c, k) => `${fmt(weights[k])}·${c.label}`).join(" + ")})`;
  }

  cdf(t: number): number {
    if (t <= this.min) return 0;
    if (t >= this.max) return 1;
    const c = this.components;
    let s = 0;
    for (let k = 0; k < c.length; k++) s += this.weights[k] * c[k].cdf(t);
    return Math.min(1, s);
  }

  sf(t: number): number {
    if (t <= this.min) return 1;
    if (t >= this.max) return 0;
    const c = this.components;
    let s = 0;
    for (let k = 0; k < c.length; k++) s += this.weights[k] * c[k].sf(t);
    return Math.min(1, s);
  }

  /** Λ − F(t), F = Σ w_k F_k: a component wholly below t adds w_k exactly, one above adds 0, and
   *  one whose support holds t adds w_k F_k(t) or, above its median, w_k − w_k (1 − F_k(t)); the
   *  constants are subtracted from Λ first, so the part that varies with t carries no rounding of
   *  F near a component's end (a thin tail: Beta(2, 5) at 0.4988 of [0, 0.5], F_k − 1 ≈ −1e-13). */
  override levelMinusCdf(level: number, t: number): number {
    const c = this.components;
    let constant = 0;
    let varying = 0;
    for (let k = 0; k < c.length; k++) {
      const w = this.weights[k];
      if (t >= c[k].max) constant += w;
      else if (t > c[k].min) {
        const u = c[k].cdf(t);
        if (u > 0.5) {
          constant += w;
          varying -= w * c[k].sf(t);
        } else varying += w * u;
      }
    }
    return level - constant - varying;
  }

  pdf(t: number): number {
    const c = this.components;
    let s = 0;
    for (let k = 0; k < c.length; k++) s += this.weights[k] * c[k].pdf(t);
    return s;
  }

  quantile(u: number): number {
    return this.quantileByBrent(u);
  }
}

/** Mixture of already built components; `path` names the scenario's mixture object. */
export function mixture(
  components: readonly TypeDistribution[],
  weights: ArrayLike<number>,
  path: string,
): ContinuousMixture | DiscreteDistribution {
  if (components.length === 0) throw new InputError(`${path}.components`, "needs at least one component");
  if (weights.length !== components.length) {
    throw new InputError(`${path}.weights`, `has ${weights.length} entries for ${components.length} components`);
  }
  const w = normalizedWeights(weights, `${path}.weights`);
  const kind = components[0].discrete;
  for (let k = 1; k < components.length; k++) {
    if (components[k].discrete !== kind) {
      throw new InputError(
        `${path}.components[${k}]`,
        `is ${components[k].discrete ? "discrete" : "continuous"} but components[0] is ${kind ? "discrete" : "continuous"}: a mixture needs components of one kind`,
      );
    }
  }
  if (!kind) return new ContinuousMixture(components as ContinuousDistribution[], w);
  const discrete = components as DiscreteDistribution[];
  let n = 0;
  for (const c of discrete) n += c.values.length;
  const values = new Float64Array(n);
  const probs = new Float64Array(n);
  let i = 0;
  discrete.forEach((c, k) => {
    for (let j = 0; j < c.values.length; j++, i++) {
      values[i] = c.values[j];
      probs[i] = w[k] * c.probs[j];
    }
  });
  return discreteFromAtoms(values, probs, `mixture(${discrete.map((c, k) => `${fmt(w[k])}·${c.label}`).join(" + ")})`);
}
