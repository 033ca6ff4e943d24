// ∫_a^b f split at known kinks (θ*, ironing endpoints, thresholds), so that the adaptive
// rule never straddles a kink: each piece is smooth and converges in a few K15 panels.
// The tolerance is the whole integral's, not each piece's: a piece a few ulps wide between two
// breaks (θ* 9e-16 from an ironed interval's end, a tiers market of the random scan, seed 7
// market 45) cannot be split, and its own error, 2e-18, exceeded 1e-13 of its own value 1e-18
// while being 1e-15 of the integral: the solve failed. Pieces that converge are summed as they
// are; the errors of those that cannot are summed and held to the whole integral's tolerance.

import { NumericalError } from "../errors.js";
import { gaussKronrod, type QuadOptions } from "./quadrature.js";

export function integratePiecewise(
  f: (x: number) => number,
  a: number,
  b: number,
  breaks: ArrayLike<number>,
  opts: QuadOptions = {},
): number {
  let sum = 0;
  let size = 0;
  let stuck = 0;
  let worst: [number, number, number] | undefined;
  const piece = (l: number, r: number) => {
    const q = gaussKronrod(f, l, r, opts);
    sum += q.value;
    size += Math.abs(q.value);
    if (!q.converged) {
      stuck += q.error;
      if (!worst || q.error > worst[2]) worst = [l, r, q.error];
    }
  };
  let left = a;
  for (let k = 0; k < breaks.length; k++) {
    const x = breaks[k];
    if (x > left && x < b) {
      piece(left, x);
      left = x;
    }
  }
  if (b > left) piece(left, b);
  if (worst) {
    // (as integrate: within a small factor of the request, the error estimate being conservative;
    // relative to Σ |piece|, so that pieces of opposite signs make it no stricter than each alone)
    const tol = Math.max(opts.epsabs ?? 0, (opts.epsrel ?? 1e-13) * size);
    if (!(stuck <= 100 * tol)) {
      throw new NumericalError(
        opts.where ?? "quadrature",
        `∫ over [${a}, ${b}] did not reach the tolerance: estimate ${sum}, error ${stuck} > ${tol} (the piece [${worst[0]}, ${worst[1]}] alone ${worst[2]})`,
      );
    }
  }
  return sum;
}
