// Parameter validation shared by the distribution constructors. The scenario validator checks
// the same rules, but constructors are also called directly (sweeps, tests), and the stdlib
// special functions return NaN on bad parameters instead of throwing (TOOLCHAIN.md), so every
// constructor rejects bad input here, with the scenario JSON path, before any NaN can appear.

import { InputError } from "../errors.js";

export function requireFinite(x: number, path: string): number {
  if (typeof x !== "number" || !Number.isFinite(x)) throw new InputError(path, `expected a finite number, got ${String(x)}`);
  return x;
}

export function requirePositive(x: number, path: string): number {
  requireFinite(x, path);
  if (!(x > 0)) throw new InputError(path, `must be > 0, got ${x}`);
  return x;
}

/** A finite support [min, max] with min < max (and min > 0 when `positive`). */
export function requireSupport(min: number, max: number, path: string, positive = false): void {
  requireFinite(min, `${path}.min`);
  requireFinite(max, `${path}.max`);
  if (positive && !(min > 0)) throw new InputError(`${path}.min`, `must be > 0, got ${min}`);
  if (!(min < max)) throw new InputError(`${path}.max`, `must be > min (${min}), got ${max}`);
}

/**
 * Probability weights: finite, > 0, summing to 1 within 1e-9. Returned rescaled to sum to 1
 * exactly in double arithmetic (so a cdf reaches 1 at the top).
 */
export function normalizedWeights(p: ArrayLike<number>, path: string): Float64Array {
  const n = p.length;
  if (n === 0) throw new InputError(path, "needs at least one entry");
  const out = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = p[i];
    requireFinite(v, `${path}[${i}]`);
    if (!(v > 0)) throw new InputError(`${path}[${i}]`, `must be > 0, got ${v}`);
    out[i] = v;
    sum += v;
  }
  if (!(Math.abs(sum - 1) <= 1e-9)) throw new InputError(path, `must sum to 1, sum is ${sum}`);
  for (let i = 0; i < n; i++) out[i] /= sum;
  return out;
}

/** Shortest decimal form, for labels. */
export function fmt(x: number): string {
  return String(x);
}
