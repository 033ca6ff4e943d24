// Finitely many types (docs/model.md section 2 with a discrete F; also the empirical distribution
// of sampled profiles and mixtures of discrete components). F and 1 − F come from cumulative
// sums taken from each end, so the upper tail has no cancellation; F⁻¹(u) = the smallest atom
// with F ≥ u, read from the same table as F, so quantile(cdf(v)) = v for every atom v.

import { InputError, NumericalError } from "../errors.js";
import { fmt, normalizedWeights, requireFinite } from "./param-checks.js";
import type { DiscreteDistribution } from "./types.js";

export class Discrete implements DiscreteDistribution {
  readonly discrete = true as const;
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly values: Float64Array;
  readonly probs: Float64Array;
  /** cum[i] = P(θ ≤ values[i]), cum[n−1] = 1 */
  private readonly cum: Float64Array;
  /** above[i] = P(θ > values[i]), summed from the top */
  private readonly above: Float64Array;

  /** Trusted constructor: values strictly ascending, probs > 0 summing to 1. */
  constructor(values: Float64Array, probs: Float64Array, label?: string) {
    const n = values.length;
    this.values = values;
    this.probs = probs;
    this.min = values[0];
    this.max = values[n - 1];
    this.cum = new Float64Array(n);
    this.above = new Float64Array(n);
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += probs[i];
      this.cum[i] = acc;
    }
    this.cum[n - 1] = 1;
    acc = 0;
    for (let i = n - 1; i >= 0; i--) {
      this.above[i] = acc;
      acc += probs[i];
    }
    this.label =
      label ?? (n <= 6 ? `discrete {${Array.from(values, fmt).join(", ")}}` : `discrete (${n} atoms on [${fmt(this.min)}, ${fmt(this.max)}])`);
  }

  /** Index of the last atom ≤ t, −1 if none. */
  private lastAtOrBelow(t: number): number {
    const v = this.values;
    let lo = -1;
    let hi = v.length; // invariant: v[lo] ≤ t < v[hi]
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (v[mid] <= t) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  cdf(t: number): number {
    if (t !== t) return NaN;
    const i = this.lastAtOrBelow(t);
    return i < 0 ? 0 : this.cum[i];
  }

  sf(t: number): number {
    if (t !== t) return NaN;
    const i = this.lastAtOrBelow(t);
    return i < 0 ? 1 : this.above[i];
  }

  quantile(u: number): number {
    if (!(u >= 0 && u <= 1)) throw new NumericalError(`${this.label}: quantile`, `probability must be in [0, 1], got ${u}`);
    const c = this.cum;
    let lo = -1;
    let hi = c.length - 1; // invariant: c[lo] < u ≤ c[hi]
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (c[mid] >= u) hi = mid;
      else lo = mid;
    }
    return this.values[hi];
  }
}

/** Validated finite type set (scenario `dist: "discrete"`). */
export function discrete(values: ArrayLike<number>, probs: ArrayLike<number>, path: string): Discrete {
  const n = values.length;
  if (n === 0) throw new InputError(`${path}.values`, "needs at least one value");
  if (probs.length !== n) throw new InputError(`${path}.probs`, `has ${probs.length} entries, values has ${n}`);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    v[i] = requireFinite(values[i], `${path}.values[${i}]`);
    if (i > 0 && !(v[i] > v[i - 1])) throw new InputError(`${path}.values[${i}]`, `values must be strictly ascending: ${v[i]} after ${v[i - 1]}`);
  }
  return new Discrete(v, normalizedWeights(probs, `${path}.probs`));
}

/**
 * Atoms in any order, equal values merged exactly (their probabilities summed), probabilities
 * rescaled to sum to 1. Used for mixtures of discrete components, products of discrete w and s,
 * and sampled profiles.
 */
export function discreteFromAtoms(values: ArrayLike<number>, probs: ArrayLike<number>, label?: string): Discrete {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((i, j) => values[i] - values[j]);
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  let m = 0;
  let total = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const x = values[i];
    if (!Number.isFinite(x) || !(probs[i] >= 0)) {
      throw new NumericalError("discrete atoms", `atom ${x} with probability ${probs[i]}`);
    }
    if (probs[i] === 0) continue;
    if (m > 0 && v[m - 1] === x) p[m - 1] += probs[i];
    else {
      v[m] = x;
      p[m] = probs[i];
      m++;
    }
    total += probs[i];
  }
  if (m === 0) throw new NumericalError("discrete atoms", "no atom with positive probability");
  const vv = v.slice(0, m);
  const pp = p.slice(0, m);
  for (let i = 0; i < m; i++) pp[i] /= total;
  return new Discrete(vv, pp, label);
}
