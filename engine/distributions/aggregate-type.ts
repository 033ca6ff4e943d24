// Aggregate type θ(w) = (∫ w_i^(1/(1−σ)) di)^(1−σ) of a task-weight profile and the buyer's
// split of a token budget across tasks (docs/model.md section 1, Lemma 1). A profile is a weight per
// task bin; the n bins have equal measure 1/n, so the integral is the mean over bins.
// The powered terms are scaled by the largest weight (no overflow for large weights or σ
// near 1) and summed in ascending order, which is both more accurate and independent of the
// order of the bins: a permutation of a profile gets exactly the same θ, as Lemma 1 says it
// must (profiles with equal θ are merged exactly in the empirical type distribution).

import { InputError } from "../errors.js";

let scratch = new Float64Array(64);

function checkSigma(sigma: number): void {
  if (!(sigma > 0 && sigma < 1)) throw new InputError("technology.sigma", `must be in (0, 1), got ${sigma}`);
}

/** Largest weight of bins [start, start + n); InputError for a negative or non-finite weight. */
function largestWeight(weights: ArrayLike<number>, start: number, n: number): number {
  let wmax = 0;
  for (let i = start; i < start + n; i++) {
    const w = weights[i];
    if (!(w >= 0 && w < Infinity)) throw new InputError(`weights[${i}]`, `task weights must be finite and ≥ 0, got ${w}`);
    if (w > wmax) wmax = w;
  }
  return wmax;
}

/** θ of the profile in bins [start, start + n) of `weights` (row of a row-major table). */
export function aggregateTypeOfRow(weights: ArrayLike<number>, start: number, n: number, sigma: number): number {
  checkSigma(sigma);
  if (!(n >= 1)) throw new InputError("weights", "a profile needs at least one task bin");
  const wmax = largestWeight(weights, start, n);
  if (wmax === 0) return 0;
  const p = 1 / (1 - sigma);
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  const terms = scratch.subarray(0, n);
  for (let i = 0; i < n; i++) terms[i] = Math.pow(weights[start + i] / wmax, p);
  terms.sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += terms[i];
  return wmax * Math.pow(sum / n, 1 - sigma);
}

/** θ(w) = (mean over the equal task bins of w_i^(1/(1−σ)))^(1−σ)  (Lemma 1). */
export function aggregateType(weights: ArrayLike<number>, sigma: number): number {
  return aggregateTypeOfRow(weights, 0, weights.length, sigma);
}

/**
 * Lemma 1's split: the fraction of the budget of every token class given to bin i,
 * w_i^(1/(1−σ)) / Σ_j w_j^(1/(1−σ)) (sums to 1; the density over tasks i ∈ [0, 1] is n times it).
 * A profile of zero weights has θ = 0 and uses no tokens; it gets equal fractions 1/n.
 * Writes into `out` (length ≥ n) and returns it.
 */
export function taskShares<T extends { [i: number]: number; length: number }>(weights: ArrayLike<number>, sigma: number, out: T): T {
  checkSigma(sigma);
  const n = weights.length;
  if (out.length < n) throw new InputError("out", `needs room for ${n} shares, has ${out.length}`);
  const wmax = largestWeight(weights, 0, n);
  if (wmax === 0) {
    for (let i = 0; i < n; i++) out[i] = 1 / n;
    return out;
  }
  const p = 1 / (1 - sigma);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.pow(weights[i] / wmax, p);
    out[i] = v;
    sum += v;
  }
  for (let i = 0; i < n; i++) out[i] /= sum;
  return out;
}
