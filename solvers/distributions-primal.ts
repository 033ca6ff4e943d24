// Menus of token distributions (docs/model.md section 4): the seller's problem solved in the
// primal by a primal–dual interior-point method, for the menus the dual's items leave short of
// the dual bound (distributions-dual.ts, "Known limit").
//
// Why this step. The dual is solved to rounding and its bound is tight, but the items it reads
// off the multipliers, Q_b ∝ (v_b⁺)^(σ/(1−σ)), are ill-conditioned in them when σ is small: at
// σ = 0.05 a bin whose virtual weight is 1e-10 of the largest gets 30% of the largest bin's
// quality, so an error of 1e-12 in λ moves the items (and the profit) by 1e-3. In the primal the
// same bins are directions in which the cost is nearly flat, and the IC rows pin them. The
// problem is convex with linear constraints,
//     min φ(x) = Σ_n p_n (C(Q^n) − t_n)   s.t.  G x ≤ 0,   x = (Q ∈ R^(N·M), t ∈ R^N),
// G's rows being every IC pair (k envies j: u_k(Q^j) − t_j − u_k(Q^k) + t_k ≤ 0), every
// participation constraint (t_k − u_k(Q^k) ≤ 0) and every bound −Q^n_b ≤ 0; it is solved by
// Mehrotra's predictor–corrector on G x + s = 0, s z = μ (Newton steps on the normal equations
// (∇²φ + Gᵀ S⁻¹ Z G) dx = …, dense Cholesky, one step length for all variables, 0.99 of the way
// to the boundary, shorter while an item would leave Q > 0). On the
// central path the profit is within m·μ of the optimum whatever the multiplicity of optima, so
// the items are as good as the barrier parameter says; nothing of it is trusted: the caller
// certifies the items (exact profit with the smallest IC- and IR-compatible rents over all N²
// pairs) and the IC multipliers z (the dual bound D(z), valid for any z ≥ 0) as it certifies its
// own. Dense in N·(M + 1) unknowns: used up to a few hundred (the caller's limit).
// (Two attempts that failed, kept in the session notes: Newton on the KKT equations of the face
// the dual binds — that face's optimum has a negative multiplier — and sequential QP in HiGHS,
// tens of seconds a step at 40 types.)

import { cholSolve, choleskyShifted } from "../engine/numerics/dense-linear.js";
import type { CostOfQuality } from "../engine/technology/types.js";

export interface PrimalProblem {
  n: number;
  m: number;
  /** n × m task weights, row-major */
  w: Float64Array;
  p: Float64Array;
  sigma: number;
  cost: CostOfQuality;
  /** the types that value something (the others get nothing and enter no constraint) */
  active: readonly number[];
}

export interface PrimalResult {
  /** n × m qualities */
  Q: Float64Array;
  /** the IC pairs: envier, envied, multiplier z and slack s */
  pairs: { from: Int32Array; to: Int32Array; z: Float64Array; s: Float64Array };
  /** per type (0 for inactive ones): the participation multiplier and slack (the rent) */
  irMu: Float64Array;
  irSlack: Float64Array;
  iterations: number;
  /** m·μ / |φ| at the end */
  relativeGap: number;
}

/** C_b'' at A: exact for C_b = κ A^(1/η), else a central difference of C_b'. */
function secondDerivative(cost: CostOfQuality, A: number, d1: number): number {
  if (Number.isFinite(cost.kappa)) return (d1 * (1 / cost.eta - 1)) / A;
  const h = 1e-5 * A;
  return (cost.marginalCost(A + h) - cost.marginalCost(A - h)) / (2 * h);
}

/**
 * The gradient g (length M) and Hessian H (M × M, row-major) of C(Q) = C_b(A(Q)) at a positive
 * item Q (offset off). With q = max Q_b, x_b = Q_b/q, s = (1/M) Σ x_b^(1/σ) (nothing overflows
 * at 1/σ = 33): A = q s^σ, a_b = ∂A/∂Q_b = s^(σ−1) x_b^(1/σ−1)/M, and
 * ∇²A = ((1/σ − 1)/q)(s^(σ−1)/M)[diag(x^(1/σ−2)) − y yᵀ/(M s)], y_b = x_b^(1/σ−1) (positive
 * semidefinite; null along x, A being homogeneous of degree 1); ∇C = C_b'(A) a,
 * ∇²C = C_b''(A) a aᵀ + C_b'(A) ∇²A. Returns C(Q).
 */
function itemDerivatives(P: PrimalProblem, Q: Float64Array, off: number, g: Float64Array, H: Float64Array, x: Float64Array, y: Float64Array): number {
  const { m, sigma, cost } = P;
  let q = 0;
  for (let b = 0; b < m; b++) q = Math.max(q, Q[off + b]);
  const r = 1 / sigma;
  let s = 0;
  for (let b = 0; b < m; b++) {
    x[b] = Q[off + b] / q;
    s += Math.pow(x[b], r);
  }
  s /= m;
  const A = q * Math.pow(s, sigma);
  const d1 = cost.marginalCost(A);
  const d2 = secondDerivative(cost, A, d1);
  const sp = Math.pow(s, sigma - 1);
  for (let b = 0; b < m; b++) y[b] = Math.pow(x[b], r - 1);
  const k = ((r - 1) / q) * (sp / m);
  for (let b = 0; b < m; b++) {
    const ab = (sp * y[b]) / m;
    g[b] = d1 * ab;
    for (let c = 0; c < m; c++) {
      const ac = (sp * y[c]) / m;
      let hA = (-k * y[b] * y[c]) / (m * s);
      if (b === c) hA += k * Math.pow(x[b], r - 2);
      H[b * m + c] = d2 * ab * ac + d1 * hA;
    }
  }
  return cost.cost(A);
}

/**
 * The primal–dual interior point from the menu (Q0, t0) (any: an infeasible start is allowed),
 * until m·μ is `gapTol` of |φ| or `maxIterations`. Null if a Newton system cannot be solved.
 */
export function solvePrimal(
  P: PrimalProblem,
  Q0: Float64Array,
  t0: Float64Array,
  opts: {
    gapTol?: number;
    maxIterations?: number;
    /** no quality less than halved in a step either (slower; steadier where η is small) */
    halveAtMost?: boolean;
    trace?: (line: string) => void;
  } = {},
): PrimalResult | null {
  const { n: N, m: M, w, p, active } = P;
  const gapTol = opts.gapTol ?? 1e-13;
  const maxIt = opts.maxIterations ?? 150;
  const trace = opts.trace;
  const NX = N * M + N;
  const tOf = (i: number) => N * M + i;
  // rows of G, sparse: IC pairs, then participation, then bounds
  const rowStart: number[] = [0];
  const cols: number[] = [];
  const vals: number[] = [];
  const pairFrom: number[] = [];
  const pairTo: number[] = [];
  const pushRow = () => rowStart.push(cols.length);
  for (const k of active) {
    for (const j of active) {
      if (j === k) continue;
      for (let b = 0; b < M; b++) {
        const v = w[k * M + b] / M;
        if (v === 0) continue;
        cols.push(j * M + b, k * M + b);
        vals.push(v, -v);
      }
      cols.push(tOf(j), tOf(k));
      vals.push(-1, 1);
      pushRow();
      pairFrom.push(k);
      pairTo.push(j);
    }
  }
  const nPairs = pairFrom.length;
  for (const k of active) {
    for (let b = 0; b < M; b++) {
      const v = w[k * M + b] / M;
      if (v === 0) continue;
      cols.push(k * M + b);
      vals.push(-v);
    }
    cols.push(tOf(k));
    vals.push(1);
    pushRow();
  }
  const firstBound = rowStart.length - 1;
  for (const k of active) {
    for (let b = 0; b < M; b++) {
      cols.push(k * M + b);
      vals.push(-1);
      pushRow();
    }
  }
  const mRows = rowStart.length - 1;
  const ci = Int32Array.from(cols);
  const cv = Float64Array.from(vals);
  const rs = Int32Array.from(rowStart);
  const Gx = (x: Float64Array, out: Float64Array) => {
    for (let r = 0; r < mRows; r++) {
      let acc = 0;
      for (let e = rs[r]; e < rs[r + 1]; e++) acc += cv[e] * x[ci[e]];
      out[r] = acc;
    }
  };
  const GTv = (v: Float64Array, out: Float64Array) => {
    out.fill(0);
    for (let r = 0; r < mRows; r++) {
      const vr = v[r];
      if (vr === 0) continue;
      for (let e = rs[r]; e < rs[r + 1]; e++) out[ci[e]] += cv[e] * vr;
    }
  };

  // the start: the menu, every quality lifted off zero, slacks and multipliers balanced at μ0
  const X = new Float64Array(NX);
  let qScale = 0;
  for (const i of active) for (let b = 0; b < M; b++) qScale = Math.max(qScale, Q0[i * M + b]);
  if (!(qScale > 0)) return null;
  for (const i of active) {
    for (let b = 0; b < M; b++) X[i * M + b] = Math.max(Q0[i * M + b], 1e-3 * qScale);
    X[tOf(i)] = t0[i];
  }
  const S = new Float64Array(mRows);
  const Z = new Float64Array(mRows);
  const gx = new Float64Array(mRows);
  Gx(X, gx);
  let vScale = 0;
  for (let r = 0; r < mRows; r++) vScale = Math.max(vScale, Math.abs(gx[r]));
  // (a bound row starts feasible, s = Q_b: the steps keep it so, and Q > 0 with s)
  for (let r = 0; r < mRows; r++) S[r] = r >= firstBound ? -gx[r] : Math.max(-gx[r], 1e-2 * Math.max(vScale, 1e-3 * qScale));
  // φ at x, its gradient into g and the items' Hessian blocks (of C, without p) into Hb
  const g = new Float64Array(NX);
  const Hb = new Float64Array(N * M * M);
  const xb = new Float64Array(M);
  const yb = new Float64Array(M);
  const evalPhi = (x: Float64Array): number => {
    let phi = 0;
    for (const i of active) {
      const c = itemDerivatives(P, x, i * M, g.subarray(i * M, (i + 1) * M), Hb.subarray(i * M * M, (i + 1) * M * M), xb, yb);
      phi += p[i] * (c - x[tOf(i)]);
      for (let b = 0; b < M; b++) g[i * M + b] *= p[i];
      g[tOf(i)] = -p[i];
    }
    return phi;
  };
  let phi = evalPhi(X);
  // the scale of φ (and of the gap and residuals): the start menu's profit
  const phiScale = Math.max(Math.abs(phi), 1e-300);
  // (a warm start, μ0 from the start menu's own gap, stalled or diverged on the markets tried:
  // the central path from 10 % of φ is followed instead)
  const mu0 = (0.1 * phiScale) / mRows;
  for (let r = 0; r < mRows; r++) Z[r] = mu0 / S[r];

  const rd = new Float64Array(NX);
  const rp = new Float64Array(mRows);
  const Nm = new Float64Array(NX * NX);
  const rhs = new Float64Array(NX);
  const tmpM = new Float64Array(mRows);
  const dx = new Float64Array(NX);
  const ds = new Float64Array(mRows);
  const dz = new Float64Array(mRows);
  const gtz = new Float64Array(NX);
  let it = 0;
  let mu = 0;
  for (; it < maxIt; it++) {
    phi = evalPhi(X);
    GTv(Z, gtz);
    for (let c = 0; c < NX; c++) rd[c] = g[c] + gtz[c];
    Gx(X, gx);
    for (let r = 0; r < mRows; r++) rp[r] = gx[r] + S[r];
    mu = 0;
    for (let r = 0; r < mRows; r++) mu += S[r] * Z[r];
    mu /= mRows;
    let rdMax = 0;
    for (let c = 0; c < NX; c++) rdMax = Math.max(rdMax, Math.abs(rd[c]));
    let rpMax = 0;
    for (let r = 0; r < mRows; r++) rpMax = Math.max(rpMax, Math.abs(rp[r]));
    if (!Number.isFinite(phi) || !Number.isFinite(mu)) return null;
    const relGap = (mRows * mu) / phiScale;
    trace?.(`primal ${it}: φ ${phi}, gap ${relGap.toExponential(2)}, dual residual ${(rdMax / phiScale).toExponential(2)}, primal residual ${(rpMax / qScale).toExponential(2)}`);
    // (stationarity is met only to ~1e-9 where C is nearly flat, and degrades if μ is pushed
    // further: the certificate judges the multipliers)
    if (relGap < gapTol && rpMax < 1e-12 * qScale && rdMax < 1e-6 * phiScale) break;
    // the normal matrix ∇²φ + Gᵀ (Z/S) G
    Nm.fill(0);
    for (const i of active) {
      for (let b = 0; b < M; b++) for (let c = 0; c < M; c++) Nm[(i * M + b) * NX + i * M + c] = p[i] * Hb[i * M * M + b * M + c];
    }
    for (let r = 0; r < mRows; r++) {
      const d = Z[r] / S[r];
      for (let e = rs[r]; e < rs[r + 1]; e++) {
        const a = d * cv[e];
        const rowOff = ci[e] * NX;
        for (let f = rs[r]; f < rs[r + 1]; f++) Nm[rowOff + ci[f]] += a * cv[f];
      }
    }
    let L: Float64Array;
    try {
      L = choleskyShifted(Nm, NX, "primal interior point");
    } catch {
      return null;
    }
    // a Newton direction for the complementarity target rc (s z − rc = 0 linearized)
    const direction = (rc: Float64Array) => {
      // (∇²φ + Gᵀ S⁻¹Z G) dx = −rd − Gᵀ S⁻¹(−rc + Z rp)
      for (let r = 0; r < mRows; r++) tmpM[r] = (-rc[r] + Z[r] * rp[r]) / S[r];
      GTv(tmpM, rhs);
      for (let c = 0; c < NX; c++) rhs[c] = -rd[c] - rhs[c];
      cholSolve(L, NX, rhs);
      dx.set(rhs);
      Gx(dx, ds);
      for (let r = 0; r < mRows; r++) {
        ds[r] = -rp[r] - ds[r];
        dz[r] = (-rc[r] - Z[r] * ds[r]) / S[r];
      }
    };
    const maxStep = () => {
      let a = 1;
      for (let r = 0; r < mRows; r++) {
        if (ds[r] < 0) a = Math.min(a, -S[r] / ds[r]);
        if (dz[r] < 0) a = Math.min(a, -Z[r] / dz[r]);
      }
      return a;
    };
    // predictor (affine scaling), then Mehrotra's centring and corrector
    const rc = new Float64Array(mRows);
    for (let r = 0; r < mRows; r++) rc[r] = S[r] * Z[r];
    direction(rc);
    const aAff = maxStep();
    let muAff = 0;
    for (let r = 0; r < mRows; r++) muAff += (S[r] + aAff * ds[r]) * (Z[r] + aAff * dz[r]);
    muAff /= mRows;
    // (while stationarity lags far behind complementarity, μ is held: the barrier's path fixes
    // it; pushed to zero first, the iterate stalled on the boundary with a residual of 1e-4 and
    // a profit 2e-9 short)
    const lagging = rdMax / phiScale > 1e3 * relGap;
    const centring = lagging ? 1 : Math.min(1, Math.pow(muAff / mu, 3));
    for (let r = 0; r < mRows; r++) rc[r] = S[r] * Z[r] + ds[r] * dz[r] - centring * mu;
    direction(rc);
    // fraction to the boundary, and no quality more than doubled in one step (nor, if asked,
    // halved): Newton's model of C (a power 1/η of A, 50 at η = 0.02) holds only near the
    // point, and a step from a tiny item's small curvature once multiplied the cost by 1e27
    let alpha = Math.min(1, 0.99 * maxStep());
    for (const i of active) {
      for (let b = 0; b < M; b++) {
        const q = X[i * M + b];
        if (dx[i * M + b] > q) alpha = Math.min(alpha, q / dx[i * M + b]);
        if (opts.halveAtMost && -dx[i * M + b] > 0.5 * q) alpha = Math.min(alpha, (0.5 * q) / -dx[i * M + b]);
      }
    }
    const X0 = X.slice();
    for (let tries = 0; ; tries++) {
      let ok = true;
      for (let c = 0; c < NX; c++) X[c] = X0[c] + alpha * dx[c];
      for (const i of active) for (let b = 0; b < M; b++) if (!(X[i * M + b] > 0)) ok = false;
      if (ok) break;
      if (tries === 60) return null;
      alpha *= 0.5;
    }
    for (let r = 0; r < mRows; r++) {
      S[r] += alpha * ds[r];
      Z[r] += alpha * dz[r];
    }
  }
  if (!X.every(Number.isFinite) || !Z.every(Number.isFinite)) return null;
  const irMu = new Float64Array(N);
  const irSlack = new Float64Array(N);
  active.forEach((i, a) => {
    irMu[i] = Z[nPairs + a];
    irSlack[i] = S[nPairs + a];
  });
  const Q = new Float64Array(N * M);
  for (const i of active) for (let b = 0; b < M; b++) Q[i * M + b] = X[i * M + b];
  return {
    Q,
    pairs: { from: Int32Array.from(pairFrom), to: Int32Array.from(pairTo), z: Z.slice(0, nPairs), s: S.slice(0, nPairs) },
    irMu,
    irSlack,
    iterations: it,
    relativeGap: (mRows * mu) / phiScale,
  };
}
