// Small dense linear algebra for the finite-type solvers (solvers/distributions-dual.ts): Cholesky
// for the symmetric positive definite Newton matrices (with a growing diagonal shift when rounding
// makes a semidefinite block look indefinite) and LU with partial pivoting for the symmetric
// indefinite KKT systems of the active-set steps. Row-major Float64Arrays; no allocation beyond a
// copy where the input must survive. Written here rather than taken from ml-matrix: these loops are
// the solver's hot path, and plain typed-array loops are several times faster.

import { NumericalError } from "../errors.js";

/** In-place Cholesky of the k×k row-major matrix at a (lower triangle); false if not PD.
 *  Row-oriented (dot products of contiguous row prefixes, unrolled by four). */
export function cholesky(a: Float64Array, k: number): boolean {
  for (let j = 0; j < k; j++) {
    const rj = j * k;
    let s = a[rj + j];
    for (let l = 0; l < j; l++) s -= a[rj + l] * a[rj + l];
    if (!(s > 0)) return false;
    const ljj = Math.sqrt(s);
    a[rj + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < k; i++) {
      const ri = i * k;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      let l = 0;
      for (; l + 3 < j; l += 4) {
        t0 += a[ri + l] * a[rj + l];
        t1 += a[ri + l + 1] * a[rj + l + 1];
        t2 += a[ri + l + 2] * a[rj + l + 2];
        t3 += a[ri + l + 3] * a[rj + l + 3];
      }
      for (; l < j; l++) t0 += a[ri + l] * a[rj + l];
      a[ri + j] = (a[ri + j] - (t0 + t1 + t2 + t3)) * inv;
    }
  }
  return true;
}

/** Solve L Lᵀ x = b in place (b overwritten by x). */
export function cholSolve(L: Float64Array, k: number, b: Float64Array, off = 0): void {
  for (let i = 0; i < k; i++) {
    let s = b[off + i];
    for (let l = 0; l < i; l++) s -= L[i * k + l] * b[off + l];
    b[off + i] = s / L[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = b[off + i];
    for (let l = i + 1; l < k; l++) s -= L[l * k + i] * b[off + l];
    b[off + i] = s / L[i * k + i];
  }
}

/** Cholesky with a growing diagonal shift when rounding makes a PSD block look indefinite. */
export function choleskyShifted(a: Float64Array, k: number, where: string): Float64Array {
  let shift = 0;
  let maxDiag = 0;
  for (let i = 0; i < k; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * k + i]));
  for (let attempt = 0; attempt < 40; attempt++) {
    const c = Float64Array.from(a);
    if (shift > 0) for (let i = 0; i < k; i++) c[i * k + i] += shift;
    if (cholesky(c, k)) return c;
    shift = shift === 0 ? 1e-15 * Math.max(maxDiag, 1e-300) : shift * 10;
  }
  throw new NumericalError("token distributions", `${where}: Newton matrix not positive definite`);
}

/** Solve the dense n×n system A x = b by LU with partial pivoting (A, b not modified); null if singular. */
export function luSolve(Ain: Float64Array, n: number, b: Float64Array): Float64Array | null {
  const A = Float64Array.from(Ain);
  const x = Float64Array.from(b);
  for (let k = 0; k < n; k++) {
    let piv = k;
    let best = Math.abs(A[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(A[i * n + k]);
      if (v > best) {
        best = v;
        piv = i;
      }
    }
    if (!(best > 0)) return null;
    if (piv !== k) {
      for (let j = 0; j < n; j++) {
        const t = A[k * n + j];
        A[k * n + j] = A[piv * n + j];
        A[piv * n + j] = t;
      }
      const t = x[k];
      x[k] = x[piv];
      x[piv] = t;
    }
    const akk = A[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = A[i * n + k] / akk;
      if (f === 0) continue;
      A[i * n + k] = f;
      for (let j = k + 1; j < n; j++) A[i * n + j] -= f * A[k * n + j];
      x[i] -= f * x[k];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let j = i + 1; j < n; j++) s -= A[i * n + j] * x[j];
    x[i] = s / A[i * n + i];
  }
  return x;
}
