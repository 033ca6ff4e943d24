// ∫_a^b f split at known kinks (θ*, ironing endpoints, thresholds), so that the adaptive
// rule never straddles a kink: each piece is smooth and converges in a few K15 panels.

import { integrate, type QuadOptions } from "./quadrature.js";

export function integratePiecewise(
  f: (x: number) => number,
  a: number,
  b: number,
  breaks: ArrayLike<number>,
  opts: QuadOptions = {},
): number {
  let sum = 0;
  let left = a;
  for (let k = 0; k < breaks.length; k++) {
    const x = breaks[k];
    if (x > left && x < b) {
      sum += integrate(f, left, x, opts);
      left = x;
    }
  }
  if (b > left) sum += integrate(f, left, b, opts);
  return sum;
}
