// Golden-section search (and Brent's method, brentMax) for the maximum of a unimodal function on [lo, hi]. Used to refine a
// maximum bracketed by a scan (screening LP pricing, the Lagrangian certificate's top-up
// branch). Written by hand: a dozen lines, and the callers need the bracket semantics exactly.

/** Maximizer and value of f on [lo, hi] (f unimodal there), to |hi − lo| ≤ rtol·|hi|. */
export function goldenMax(f: (x: number) => number, lo: number, hi: number, rtol = 1e-10, maxIter = 100): { x: number; value: number } {
  const m = golden((x) => -f(x), lo, hi, rtol, 0, maxIter);
  return { x: m.x, value: -m.value };
}

/**
 * Minimizer and value of f on [lo, hi] (f unimodal there) by golden section, to |hi − lo| ≤ tol,
 * stopping early at the first point where `stop(x, f(x))` holds (`stopped`: that point is
 * returned). Used where any point below a level will do (the certificate's multipliers).
 */
export function goldenMin(
  f: (x: number) => number,
  lo: number,
  hi: number,
  tol: number,
  maxIter = 200,
  stop?: (x: number, fx: number) => boolean,
): { x: number; value: number; stopped: boolean } {
  return golden(f, lo, hi, 0, tol, maxIter, stop);
}

/** Golden-section minimum of g until |hi − lo| ≤ max(rtol·|hi|, atol), or a point where `stop` holds. */
function golden(
  g: (x: number) => number,
  lo: number,
  hi: number,
  rtol: number,
  atol: number,
  maxIter: number,
  stop?: (x: number, gx: number) => boolean,
): { x: number; value: number; stopped: boolean } {
  const gr = 0.5 * (Math.sqrt(5) - 1);
  let l = lo;
  let r = hi;
  let x1 = r - gr * (r - l);
  let x2 = l + gr * (r - l);
  let g1 = g(x1);
  let g2 = g(x2);
  for (let it = 0; it < maxIter && r - l > Math.max(rtol * Math.abs(r), atol); it++) {
    if (stop?.(x1, g1)) return { x: x1, value: g1, stopped: true };
    if (stop?.(x2, g2)) return { x: x2, value: g2, stopped: true };
    if (g1 <= g2) {
      r = x2;
      x2 = x1;
      g2 = g1;
      x1 = r - gr * (r - l);
      g1 = g(x1);
    } else {
      l = x1;
      x1 = x2;
      g1 = g2;
      x2 = l + gr * (r - l);
      g2 = g(x2);
    }
  }
  if (stop?.(x1, g1)) return { x: x1, value: g1, stopped: true };
  if (stop?.(x2, g2)) return { x: x2, value: g2, stopped: true };
  return g1 < g2 ? { x: x1, value: g1, stopped: false } : { x: x2, value: g2, stopped: false };
}

/**
 * Maximizer and value of f on [lo, hi] (f unimodal there) by Brent's method (golden section
 * with parabolic steps, Brent 1973 ch. 5): ~10–15 evaluations where a smooth maximum needs
 * golden section's 60 to reach the same x. Stops when x is known to rtol·|x| + 1e-300. Near a
 * smooth maximum the value is then exact to ~(rtol·|x|)²·|f''|, far below rounding for
 * rtol = 1e-9. Values of −∞ (outside a branch's domain) are taken as the worst.
 */
export function brentMax(f: (x: number) => number, lo: number, hi: number, rtol = 1e-9, maxIter = 100): { x: number; value: number } {
  const c = 0.5 * (3 - Math.sqrt(5));
  let a = Math.min(lo, hi);
  let b = Math.max(lo, hi);
  // minimize g = −f
  let x = a + c * (b - a);
  let w = x;
  let v = x;
  let fx = -f(x);
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0;
  for (let it = 0; it < maxIter; it++) {
    const m = 0.5 * (a + b);
    const tol1 = rtol * Math.abs(x) + 1e-300;
    const t2 = 2 * tol1;
    if (Math.abs(x - m) <= t2 - 0.5 * (b - a)) break;
    let p = 0;
    let q = 0;
    let r = 0;
    if (Math.abs(e) > tol1) {
      // parabola through (v, fv), (w, fw), (x, fx)
      r = (x - w) * (fx - fv);
      q = (x - v) * (fx - fw);
      p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      else q = -q;
      r = e;
      e = d;
    }
    if (Math.abs(p) < Math.abs(0.5 * q * r) && p > q * (a - x) && p < q * (b - x)) {
      d = p / q;
      const u = x + d;
      // not too close to the bracket's ends
      if (u - a < t2 || b - u < t2) d = x < m ? tol1 : -tol1;
    } else {
      e = (x < m ? b : a) - x;
      d = c * e;
    }
    const u = x + (Math.abs(d) >= tol1 ? d : d > 0 ? tol1 : -tol1);
    const fu = -f(u);
    if (fu <= fx) {
      if (u < x) b = x;
      else a = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return { x, value: -fx };
}
