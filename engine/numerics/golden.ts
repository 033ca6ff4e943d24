// Golden-section search for the maximum of a unimodal function on [lo, hi]. Used to refine a
// maximum bracketed by a scan (screening LP pricing, the Lagrangian certificate's top-up
// branch). Written by hand: a dozen lines, and the callers need the bracket semantics exactly.

/** Maximizer and value of f on [lo, hi] (f unimodal there), to |hi − lo| ≤ rtol·|hi|. */
export function goldenMax(f: (x: number) => number, lo: number, hi: number, rtol = 1e-10, maxIter = 100): { x: number; value: number } {
  const gr = 0.5 * (Math.sqrt(5) - 1);
  let l = lo;
  let r = hi;
  let x1 = r - gr * (r - l);
  let x2 = l + gr * (r - l);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let it = 0; it < maxIter && r - l > rtol * Math.abs(r); it++) {
    if (f1 < f2) {
      l = x1;
      x1 = x2;
      f1 = f2;
      x2 = l + gr * (r - l);
      f2 = f(x2);
    } else {
      r = x2;
      x2 = x1;
      f2 = f1;
      x1 = r - gr * (r - l);
      f1 = f(x1);
    }
  }
  return f1 > f2 ? { x: x1, value: f1 } : { x: x2, value: f2 };
}
