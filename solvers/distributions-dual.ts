// Menus of token distributions (full contracting, docs/model.md section 4) for finitely many types,
// solved to a certified optimum on the Lagrangian dual (closed-form items, active-set Newton, pair
// generation, an interior-point fallback; a primal interior point when the items stay short).
//
// The problem. Types n = 1..N with task-weight profiles w^n ∈ R^M_+ on M equal-mass task bins and
// probabilities p_n. An item is a per-bin quality profile Q ∈ R^M_+ and a price t; type n values it
// at u_n(Q) = (1/M) Σ_b w^n_b Q_b. Fine-tuning is shared across tasks, so (docs/model.md 1, with task
// gain Ψ(x_b)Φ(z) and Ψ homogeneous of degree σ in the CES aggregate of cost e_X) the cheapest way
// to deliver Q is
//     C(Q) = min_z e_X Φ(z)^(−1/σ) (1/M) Σ_b Q_b^(1/σ) + ĉ·z = C_b(A(Q)),
//     A(Q) = ((1/M) Σ_b Q_b^(1/σ))^σ,
// where C_b is the engine's cost of aggregate quality for token budgets (any fine-tuning family:
// the identity only uses that Φ(z) multiplies every task). For CES fine-tuning this is
// C(Q) = κ ((1/M) Σ Q_b^(1/σ))^(σ/η). A is a power mean of order 1/σ > 1 (a norm), C_b is convex
// and increasing, so C is convex, and the seller's problem
//     max Σ_n p_n (t_n − C(Q^n))  s.t.  u_n(Q^n) − t_n ≥ u_n(Q^k) − t_k (IC_nk),  u_n(Q^n) − t_n ≥ 0 (IR_n)
// is a convex program with linear constraints. (Lotteries cannot help: values are linear in Q and
// C is convex, so the mean of a lottery is cheaper and worth the same to everybody.)
//
// Duality. With multipliers λ_kn ≥ 0 on IC_kn ("k envies n's item") and μ_n ≥ 0 on IR_n,
// stationarity in t_n gives μ_n = p_n − Σ_k λ_nk + Σ_k λ_kn, and the Lagrangian separates by item:
//     D(λ) = Σ_n max_{Q ≥ 0} [ (1/M) v^n·Q − p_n C(Q) ],   v^n = p_n w^n − Σ_k λ_kn (w^k − w^n),
// the "virtual profile": own weights less the information rents of the types that envy n. By
// Hölder, (1/M) v·Q ≤ θ(v⁺) A(Q) with θ(v) = ((1/M) Σ v_b^(1/(1−σ)))^(1−σ) (Lemma 1's aggregate
// type), with equality at Q_b ∝ (v_b⁺)^(σ/(1−σ)); so the inner maximum is in closed form:
//     D(λ) = Σ_n p_n C_b*(θ(v^n⁺)/p_n),   Q^n_b = q_n (v^n_b⁺/θ(v^n⁺))^(σ/(1−σ)),   C_b'(q_n) = θ(v^n⁺)/p_n,
// (C_b* the convex conjugate). Every λ ≥ 0 with μ(λ) ≥ 0 gives an upper bound D(λ) on the profit of
// every mechanism (weak duality), and D is convex and smooth in λ.
//
// Method, and why this one. The dual is a smooth convex program over the IC multipliers with
// only the simple constraints λ ≥ 0 and μ(λ) ≥ 0 (linear), its value, gradient and Hessian in
// closed form — the Hessian block diagonal by item (D is a sum over items n of functions of the
// multipliers λ_·n of the types envying n). It is solved on its own terms:
//   1. An active-set method (a crossover in interior-point terms): on a face — λ_e = 0 off a set B
//      of binding pairs, μ_n = 0 for the types whose participation is slack — D is smooth and is
//      minimized by Newton steps on the equality-constrained problem (KKT systems by LU with
//      pivoting; backtracking on D; a bound reached leaves the face); at the face's minimum the
//      multipliers of the flow equalities are the rents, and pricing lets in every pair with a
//      negative envy slack and frees every type with a negative rent. It starts from the token-budget
//      menu's face (each type envies the next one down in θ with the mass above it as multiplier:
//      exact for proportional profiles up to ironing), scaled toward λ = 0 (nothing binds, D = the
//      first-best surplus) when that lowers D.
//   2. Pair generation around it: the menu Q(λ) is checked against all N² pairs (below) and the
//      violated ones are generated; a pair never generated has λ = 0, a valid multiplier of the
//      full problem. The first pairs are each type's neighbours in θ and its few nearest-to-binding
//      pairs in the budget menu.
//   3. Only if that does not certify: a primal–dual interior-point method on the dual (Newton
//      steps on the log-barrier with primal–dual scaling, Mehrotra's barrier parameter, Armijo
//      backtracking, fraction to the boundary, Levenberg damping when the quadratic model is poor),
//      with pair generation and pruning, handing its iterates back to the active-set method.
// Why not the alternatives: an outer approximation of C by supporting hyperplanes in HiGHS's LP (or
// column generation over items, its dual) converges like Kelley's cutting planes — sublinearly on a
// smooth strictly convex cost in M dimensions — and its IC duals are only as accurate as the
// linearization, while the certificate needs multipliers to ~1e-9 of profit; a general convex
// solver over the N·M primal qualities faces N² dense IC rows of M + 2 nonzeros. The interior point
// alone converges only at the rate √τ where the dual optimum is not unique (bunched types, pairs
// binding both ways, no strict complementarity) and its items inherit that error; on the right face
// the active-set Newton steps reach the optimum to rounding. The closed-form inner maximum makes the
// dual small and exact, and needs no WebAssembly.
//
// Certificate, recomputed in double precision and trusting nothing of the iteration: the dual
// bound D(λ) at the multipliers (plus Σ|μ_n| U_n-bound when rounding leaves some μ_n < 0), and the
// profit of a feasible menu: the items Q(λ) — also with near-identical items pooled and tiny ones
// set to zero, and the hint (the budget menu) — each with the smallest rents that satisfy all N²
// IC pairs and IR (longest paths; an envy cycle, which no transfers implement, is pooled), the most
// profitable kept. The reported gap (D − P)/|P| bounds what any mechanism could add. Binding IC
// pairs (which type envies which) are those with a positive multiplier and no slack in that menu.
// With σ < ~0.2, Q_b ∝ (v_b⁺)^(σ/(1−σ)) is so steep where a bin's virtual weight vanishes that
// the items are ill-conditioned in λ: when the gap is still open at the end (and N·(M + 1) ≤ 400),
// the primal problem is solved by an interior point (distributions-primal.ts), whose items and
// multipliers are certified the same way. Known limit: a few markets with σ ≈ 0.03 still stop
// short (gaps of 1e-9 to 2e-5 found by a property test); the gap is then reported, not hidden.

import { NumericalError } from "../engine/errors.js";
import { cholSolve, choleskyShifted, luSolve } from "../engine/numerics/dense-linear.js";
import type { CostOfQuality } from "../engine/technology/types.js";
import { aggregateQuality, allValues, implementableMenu, poolNearIdentical, profileValue, snapTiny } from "./finite-type-menu.js";
import { solvePrimal } from "./distributions-primal.js";

/** Largest N·(M + 1) for the primal interior point (dense Newton systems of that order). */
const PRIMAL_MAX_UNKNOWNS = 400;

export { aggregateQuality, profileValue };

export interface ProfileTypes {
  /** number of types */
  n: number;
  /** number of equal-mass task bins */
  m: number;
  /** n × m, row-major: w[i·m + b] is type i's weight on task bin b (≥ 0) */
  w: Float64Array;
  /** probabilities, > 0, summing to 1 */
  p: Float64Array;
}

export interface DistributionProblem extends ProfileTypes {
  sigma: number;
  /** the cost of aggregate quality C_b (the token-budget menu's); C(Q) = C_b(A(Q)) */
  cost: CostOfQuality;
}

export interface DistributionOptions {
  /** relative profit gap at which the solution is called certified (default 1e-9) */
  certifyTol?: number;
  /** starting menu (n × m qualities and n transfers), e.g. the token-budget menu as profiles:
   *  the candidate IC pairs are those nearest to binding in it */
  hint?: { Q: Float64Array; t: Float64Array };
  /** candidate pairs per envious type at the start (default 3) */
  initialPairs?: number;
  maxIterations?: number;
  /** progress lines, for debugging */
  trace?: (line: string) => void;
}

export interface BindingPair {
  /** the envious type (index into the problem's types) */
  envier: number;
  /** the type whose item it is indifferent to */
  envied: number;
  /** the IC multiplier λ (a shadow price in units of probability mass) */
  multiplier: number;
}

export interface DistributionSolution {
  /** n × m per-bin qualities */
  Q: Float64Array;
  /** A(Q^n), the aggregate quality of each item */
  aggregate: Float64Array;
  /** C(Q^n) */
  cost: Float64Array;
  t: Float64Array;
  /** rents U_n = u_n(Q^n) − t_n (the smallest IC/IR-compatible ones) */
  R: Float64Array;
  profit: number;
  dualBound: number;
  /** (dualBound − profit) / max(|profit|, 1e-6·first-best surplus) */
  gap: number;
  certified: boolean;
  binding: BindingPair[];
  /** types whose participation constraint binds (zero rent) */
  participationBinding: number[];
  iterations: number;
  /** IC pairs generated (of n(n − 1)) */
  pairs: number;
  pairRounds: number;
  notes: string[];
}

/** The conjugate of the cost of aggregate quality: q(y) with C_b'(q) = y, C_b*(y) = y q − C_b(q), q'(y). */
export class CostConjugate {
  private readonly ces: boolean;
  constructor(private readonly cost: CostOfQuality) {
    this.ces = Number.isFinite(cost.kappa);
  }
  at(y: number): { q: number; value: number; dq: number } {
    if (!(y > 0)) return { q: 0, value: 0, dq: 0 };
    const c = this.cost;
    const q = c.qualityForMarginalCost(y);
    if (this.ces) {
      // C = κ q^(1/η): C(q) = η y q, q'(y) = q η/((1 − η) y); no cancellation.
      return { q, value: (1 - c.eta) * y * q, dq: (q * c.eta) / ((1 - c.eta) * y) };
    }
    const h = 1e-5;
    const dq = (c.qualityForMarginalCost(y * (1 + h)) - c.qualityForMarginalCost(y * (1 - h))) / (2 * h * y);
    return { q, value: y * q - c.cost(q), dq };
  }
}

/** Per type: the Lagrangian's best item for the virtual profile v (length m). */
interface ItemEval {
  /** p C_b*(θ(v⁺)/p) */
  phi: number;
  theta: number;
  q: number;
  dq: number;
}

function evalItem(
  v: Float64Array,
  m: number,
  p: number,
  sigma: number,
  conj: CostConjugate,
  Qout: Float64Array | null,
  qOff: number,
  d: Float64Array | null,
  e: Float64Array | null,
): ItemEval {
  const r1 = 1 / (1 - sigma);
  let vmax = 0;
  for (let b = 0; b < m; b++) if (v[b] > vmax) vmax = v[b];
  if (!(vmax > 0)) {
    if (Qout) for (let b = 0; b < m; b++) Qout[qOff + b] = 0;
    if (d) d.fill(0, 0, m);
    if (e) e.fill(0, 0, m);
    return { phi: 0, theta: 0, q: 0, dq: 0 };
  }
  let s = 0;
  for (let b = 0; b < m; b++) if (v[b] > 0) s += Math.pow(v[b] / vmax, r1);
  const theta = vmax * Math.pow(s / m, 1 - sigma);
  const c = conj.at(theta / p);
  if (Qout || d || e) {
    for (let b = 0; b < m; b++) {
      const a = v[b] > 0 ? v[b] / theta : 0;
      const db = a > 0 ? Math.pow(a, r1 - 1) : 0;
      if (Qout) Qout[qOff + b] = c.q * db;
      if (d) d[b] = db;
      if (e) e[b] = a > 0 ? db / a : 0;
    }
  }
  return { phi: p * c.value, theta, q: c.q, dq: c.dq };
}

// ------------------------------------------------------------------ the solver

const KAPPA = 1e10;
/** relative complementarity at which the active-set phase first starts */
const POLISH_START = 1e-3;

interface Edges {
  from: number[];
  to: number[];
  lam: number[];
  z: number[];
  inE: number[][];
  outE: number[][];
  key: Map<number, number>;
}

interface Cert {
  D: number;
  P: number;
  Q: Float64Array;
  R: Float64Array;
  G: Float64Array[];
  lam: Float64Array;
  /** the pairs λ refers to (envier, envied), as generated when it was computed */
  from: Int32Array;
  to: Int32Array;
}

export function solveDistributions(P: DistributionProblem, opts: DistributionOptions = {}): DistributionSolution {
  const { n: N, m: M, w, p, sigma } = P;
  const tol = opts.certifyTol ?? 1e-9;
  const target = tol / 10;
  const maxIt = opts.maxIterations ?? 300;
  const trace = opts.trace;
  const conj = new CostConjugate(P.cost);
  const r1 = 1 / (1 - sigma);
  const notes: string[] = [];
  const vtmp = new Float64Array(M);

  // Types of zero weight everywhere value nothing: excluded, never envied or envious.
  const active: number[] = [];
  const thetaW = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    for (let b = 0; b < M; b++) vtmp[b] = w[i * M + b];
    thetaW[i] = evalItem(vtmp, M, 1, sigma, conj, null, 0, null, null).theta;
    if (thetaW[i] > 0) active.push(i);
  }
  // First-best surplus W_fb = Σ p C_b*(θ(w)): welfare of any mechanism is at most W_fb.
  let firstBest = 0;
  for (const i of active) firstBest += p[i] * conj.at(thetaW[i]).value;
  const scaleOf = (profit: number) => Math.max(Math.abs(profit), 1e-6 * firstBest, 1e-300);

  // ---- candidate IC pairs (edges k → n: k envies n's item)
  const E: Edges = { from: [], to: [], lam: [], z: [], inE: Array.from({ length: N }, () => []), outE: Array.from({ length: N }, () => []), key: new Map() };
  const bornAt = new Map<number, number>();
  const prunedOnce = new Set<number>();
  let iterations = 0;
  const addEdge = (k: number, nn: number, lam: number, z: number): boolean => {
    if (k === nn || E.key.has(k * N + nn)) return false;
    if (!bornAt.has(k * N + nn)) bornAt.set(k * N + nn, iterations);
    const id = E.from.length;
    E.from.push(k);
    E.to.push(nn);
    E.lam.push(lam);
    E.z.push(z);
    E.inE[nn].push(id);
    E.outE[k].push(id);
    E.key.set(k * N + nn, id);
    return true;
  };
  // Start the interior point strictly inside: every μ_n = p_n − Σ out + Σ in stays ≥ 3p_n/4
  // when each pair's multiplier is p_min/4 over the largest out-degree.
  const startInside = (): void => {
    let pmin = Infinity;
    let maxOut = 1;
    for (const i of active) {
      pmin = Math.min(pmin, p[i]);
      maxOut = Math.max(maxOut, E.outE[i].length);
    }
    for (let e = 0; e < E.lam.length; e++) E.lam[e] = (0.25 * pmin) / maxOut;
  };
  {
    // Neighbours in θ (both ways), and each type's L0 nearest-to-binding pairs in the hint menu.
    const byTheta = [...active].sort((a, b) => thetaW[a] - thetaW[b] || a - b);
    for (let r = 0; r + 1 < byTheta.length; r++) {
      addEdge(byTheta[r + 1], byTheta[r], 0, 0);
      addEdge(byTheta[r], byTheta[r + 1], 0, 0);
    }
    const L0 = opts.initialPairs ?? 3;
    if (opts.hint && L0 > 0) {
      const { Q: hq, t: ht } = opts.hint;
      for (const k of active) {
        const Uk = profileValue(w, k * M, hq, k * M, M) - ht[k];
        const sl: [number, number][] = [];
        for (const j of active) if (j !== k) sl.push([Uk - (profileValue(w, k * M, hq, j * M, M) - ht[j]), j]);
        sl.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        for (const [, j] of sl.slice(0, L0)) addEdge(k, j, 0, 0);
      }
    }
    startInside();
  }

  // ---- the dual function, its items and derivatives
  const muOf = (lam: ArrayLike<number>, out: Float64Array) => {
    for (let i = 0; i < N; i++) out[i] = p[i];
    for (let e = 0; e < E.from.length; e++) {
      out[E.from[e]] -= lam[e];
      out[E.to[e]] += lam[e];
    }
  };
  const virtualProfile = (nn: number, lam: ArrayLike<number>, v: Float64Array, ins: readonly number[] = E.inE[nn]) => {
    const wn = nn * M;
    for (let b = 0; b < M; b++) v[b] = p[nn] * w[wn + b];
    for (const e of ins) {
      const l = lam[e];
      if (l === 0) continue;
      const wk = E.from[e] * M;
      for (let b = 0; b < M; b++) v[b] += l * (w[wn + b] - w[wk + b]);
    }
  };
  const dualValue = (lam: ArrayLike<number>): number => {
    let f = 0;
    for (const i of active) {
      virtualProfile(i, lam, vtmp);
      f += evalItem(vtmp, M, p[i], sigma, conj, null, 0, null, null).phi;
    }
    return f;
  };
  /** The Lagrangian's items; with vRel > 0, bins whose virtual weight is below vRel times the
   *  item's largest count as excluded (with σ small, Q_b ∝ (v_b⁺)^(σ/(1−σ)) turns a rounding-level
   *  v_b into a visible quality). */
  const itemsOf = (lam: ArrayLike<number>, vRel = 0): Float64Array => {
    const Q = new Float64Array(N * M);
    for (const i of active) {
      virtualProfile(i, lam, vtmp);
      if (vRel > 0) {
        let vmax = 0;
        for (let b = 0; b < M; b++) vmax = Math.max(vmax, vtmp[b]);
        for (let b = 0; b < M; b++) if (vtmp[b] < vRel * vmax) vtmp[b] = Math.min(vtmp[b], 0);
      }
      evalItem(vtmp, M, p[i], sigma, conj, Q, i * M, null, null);
    }
    return Q;
  };
  const dBuf = new Float64Array(M);
  const eBuf = new Float64Array(M);
  const qBuf = new Float64Array(M);
  /** For item nn and the pairs `ins` into it: ∂D/∂λ_e = (1/M)(w^n − w^k)·Q^n and the Hessian block
   *  (J_eᵀ ∇²φ_n J_e', J_e = w^n − w^k), ∇²φ = (q'/p)∇θ∇θᵀ + q∇²θ (diagonal plus rank one). */
  const derivatives = (nn: number, lam: ArrayLike<number>, ins: readonly number[], grad: Float64Array, gOff: number): Float64Array => {
    virtualProfile(nn, lam, vtmp);
    const it = evalItem(vtmp, M, p[nn], sigma, conj, qBuf, 0, dBuf, eBuf);
    const k = ins.length;
    const wn = nn * M;
    const B = new Float64Array(k * k);
    const c = new Float64Array(k);
    const J = new Float64Array(k * M); // rows J_e scaled by sqrt(e_b)
    for (let a = 0; a < k; a++) {
      const wk = E.from[ins[a]] * M;
      let g = 0;
      let s = 0;
      for (let b = 0; b < M; b++) {
        const jb = w[wn + b] - w[wk + b];
        g += jb * qBuf[b];
        s += dBuf[b] * jb;
        J[a * M + b] = eBuf[b] > 0 ? jb * Math.sqrt(eBuf[b]) : 0;
      }
      grad[gOff + a] = g / M;
      c[a] = s;
    }
    if (it.theta > 0) {
      const coefRank = (it.dq / p[nn] - (it.q * (r1 - 1)) / it.theta) / (M * M);
      const coefDiag = (it.q * (r1 - 1)) / (M * it.theta);
      for (let a = 0; a < k; a++) {
        for (let bb = 0; bb <= a; bb++) {
          let s = 0;
          for (let b = 0; b < M; b++) s += J[a * M + b] * J[bb * M + b];
          const h = coefRank * c[a] * c[bb] + coefDiag * s;
          B[a * k + bb] = h;
          B[bb * k + a] = h;
        }
      }
    }
    return B;
  };

  // ---- the exact certificate at λ
  const certify = (lamIn: ArrayLike<number>, extra?: Float64Array): Cert | null => {
    // (a NaN multiplier would drop its item from D as if it were worth nothing: a bound below a
    // feasible menu's profit, found by a property test)
    for (let e = 0; e < lamIn.length; e++) if (!Number.isFinite(lamIn[e])) return null;
    const lam = Float64Array.from(lamIn, (x) => Math.max(0, x));
    const mu = new Float64Array(N);
    muOf(lam, mu);
    const D0 = dualValue(lam);
    // The primal: the Lagrangian's items, and the same with near-identical items pooled (bunched
    // types, whose items the iteration leaves apart by its error) and tiny items set to zero
    // (where the dual is flat, φ_n ~ (v⁺)^(1/(1−η)) near an excluded type's boundary, the iterate
    // leaves excluded types a quality of 1e-11 or so, which costs first-order rents). The most
    // profitable of these feasible menus is the primal bound.
    let bestMenu: { Q: Float64Array; G: Float64Array[]; R: Float64Array; P: number } | null = null;
    const raws = [0, 1e-12, 1e-9, 1e-6].map((v) => itemsOf(lam, v));
    const tried: Float64Array[] = [];
    const same = (a: Float64Array, b: Float64Array) => a.every((x, k) => x === b[k]);
    for (let c = 0; c < 16; c++) {
      const raw = raws[c >> 2];
      const eps = [0, 1e-8, 1e-6, 1e-4][c & 3];
      const Qc = eps === 0 ? raw : snapTiny(poolNearIdentical(raw, p, N, M, eps) ?? raw, N, M, eps);
      if (tried.some((q) => same(q, Qc))) continue;
      tried.push(Qc);
      const menu = implementableMenu(Qc, w, p, N, M);
      if (!menu) continue;
      let Pr = 0;
      for (let j = 0; j < N; j++) Pr += p[j] * (menu.G[j][j] - P.cost.cost(aggregateQuality(menu.Q, j * M, M, sigma)) - menu.R[j]);
      // Later candidates are cleaner (tiny items zero, bunched items equal): they win ties within
      // 1e-12 of profit, so that excluded types report exactly the null item.
      if (!bestMenu || Pr >= bestMenu.P - 1e-12 * Math.abs(bestMenu.P)) bestMenu = { Q: menu.Q, G: menu.G, R: menu.R, P: Pr };
    }
    // The hint (e.g. the token-budget menu as profiles) is feasible too: the primal never falls
    // below it; so are the interior point's items (distributions-primal.ts).
    for (const Qx of [opts.hint?.Q, extra]) {
      if (!Qx) continue;
      const menu = implementableMenu(Qx, w, p, N, M);
      if (menu) {
        let Pr = 0;
        for (let j = 0; j < N; j++) Pr += p[j] * (menu.G[j][j] - P.cost.cost(aggregateQuality(menu.Q, j * M, M, sigma)) - menu.R[j]);
        if (!bestMenu || Pr > bestMenu.P) bestMenu = { Q: menu.Q, G: menu.G, R: menu.R, P: Pr };
      }
    }
    if (!bestMenu) return null;
    // Weak duality needs μ ≥ 0; rounding can leave μ_n ≈ −1e-19. The bound is then D(λ) + Σ |μ_n| U_n,
    // and any mechanism earning at least the menu's profit P has p_n U_n ≤ Σ p U = welfare − profit
    // ≤ W_fb − P: a rigorous correction.
    let D = D0;
    for (const i of active) if (mu[i] < 0) D += (-mu[i] * Math.max(0, firstBest - bestMenu.P)) / p[i];
    return { D, P: bestMenu.P, Q: bestMenu.Q, R: bestMenu.R, G: bestMenu.G, lam, from: Int32Array.from(E.from), to: Int32Array.from(E.to) };
  };

  // ---- pairs to add, from the Lagrangian's items (pooled where an envy cycle makes them
  // unimplementable: a cycle would otherwise pump the rents and hide violations): (a) pairs the
  // rents implied by the generated pairs alone violate, by how much; (b) pairs that bind in the
  // menu's smallest rents over all pairs but are not generated (tight, violation 0).
  const missingPairs = (Qraw: Float64Array): [number, number, number][] => {
    // On the items as they are, and on the items with envy cycles pooled: a cycle inside the
    // generated pairs (degenerate near-equal items) pumps the restricted rents and can hide a
    // violation; a cycle through missing pairs is exactly what must be found, and pooling it away
    // would hide it. The union of both lists is returned (an extra pair costs little).
    const found = new Map<number, [number, number, number]>();
    const scan = (G: Float64Array[]) => {
      let top = 0;
      for (let i = 0; i < N; i++) top = Math.max(top, Math.abs(G[i][i]));
      const R = new Float64Array(N);
      for (let pass = 0; pass <= N; pass++) {
        let changed = false;
        for (let e = 0; e < E.from.length; e++) {
          const k = E.from[e];
          const j = E.to[e];
          const v = R[j] + G[j][k] - G[j][j];
          if (v > R[k] + 1e-15 * Math.max(top, Math.abs(v))) {
            R[k] = v;
            changed = true;
          }
        }
        if (!changed) break;
      }
      for (const k of active) {
        for (const j of active) {
          if (j === k || E.key.has(k * N + j)) continue;
          const v = R[j] + G[j][k] - G[j][j] - R[k];
          if (v > 1e-13 * top) {
            const old = found.get(k * N + j);
            if (!old || old[0] < v) found.set(k * N + j, [v, k, j]);
          }
        }
      }
    };
    scan(allValues(Qraw, w, N, M));
    const menu = implementableMenu(Qraw, w, p, N, M);
    if (menu && menu.pooled > 0) scan(menu.G);
    return [...found.values()];
  };

  // ---- polish (an active-set crossover): minimize D on the face the interior point identified —
  // λ_e = 0 off the binding pairs B, μ_n = 0 for the types whose participation is slack — by
  // Newton steps on the equality-constrained problem (KKT systems solved by LU with pivoting),
  // with backtracking on D and the bounds λ_B ≥ 0, μ ≥ 0 kept (a pair reaching 0 leaves B, a type
  // reaching μ = 0 joins the equalities). Where the dual optimum is not unique (bunched types,
  // pairs binding both ways, no strict complementarity) the interior point gets there only at the
  // rate √τ and its items inherit that error; on the face D is smooth and its minimum is reached
  // to rounding, and the items — unique there — with it.
  interface Face {
    lam: Float64Array;
    inB: Uint8Array;
    free: Uint8Array;
  }
  /** The face an interior iterate points at: pairs whose multiplier dominates their slack, types
   *  whose μ dominates their rent (biased to leave pairs out: entering is priced in bulk, leaving
   *  costs a step each). */
  const faceOf = (lamIn: ArrayLike<number>, zIn: ArrayLike<number>, muIn: Float64Array, yIn: Float64Array, vs: number): Face => {
    const K = E.from.length;
    const F: Face = { lam: new Float64Array(K), inB: new Uint8Array(K), free: new Uint8Array(N) };
    for (let e = 0; e < K; e++) {
      if (lamIn[e] * vs > 100 * zIn[e]) {
        F.inB[e] = 1;
        F.lam[e] = Math.max(0, lamIn[e]);
      }
    }
    for (const i of active) if (muIn[i] * vs > 100 * yIn[i]) F.free[i] = 1;
    return F;
  };
  /** Pricing on a face where D is minimal: the multipliers ν of the flow equalities are the rents.
   *  A generated pair off B with a negative reduced cost ∂D/∂λ_e + ν_k − ν_n (a negative envy
   *  slack) enters B; a type with a negative rent has its participation bind (μ freed). Returns
   *  the number of changes (0: the face's minimum is the minimum over the generated pairs). */
  const priceFace = (lam: Float64Array, inB: Uint8Array, free: Uint8Array, Jl: number[], nu: ArrayLike<number>, vs: number): number => {
    const K = E.from.length;
    const gAll = new Float64Array(K);
    for (const nn of active) {
      const ins = E.inE[nn];
      if (ins.length === 0) continue;
      const g = new Float64Array(ins.length);
      derivatives(nn, lam, ins, g, 0);
      ins.forEach((e, a) => (gAll[e] = g[a]));
    }
    const nuOf = new Float64Array(N);
    Jl.forEach((i, r) => (nuOf[i] = nu[r]));
    let changed = 0;
    const tolP = 1e-12 * vs;
    const entering: [number, number][] = [];
    for (let e = 0; e < K; e++) {
      if (inB[e]) continue;
      const rc = gAll[e] + nuOf[E.from[e]] - nuOf[E.to[e]];
      if (rc < -tolP) entering.push([rc, e]);
    }
    entering.sort((a2, b2) => a2[0] - b2[0] || a2[1] - b2[1]);
    const cap = Math.max(4, active.length);
    for (const [, e] of entering.slice(0, cap)) {
      inB[e] = 1;
      changed++;
    }
    let freed = 0;
    for (const i of Jl) {
      if (nuOf[i] < -tolP) {
        free[i] = 1;
        freed++;
      }
    }
    trace?.(`  polish pricing: ${Math.min(entering.length, cap)} of ${entering.length} pairs enter, ${freed} participation constraints bind`);
    return changed + freed;
  };

  const polish = (F0: Face, vs: number): Face | null => {
    const K = E.from.length;
    const lam = new Float64Array(K);
    lam.set(F0.lam);
    const inB = new Uint8Array(K);
    inB.set(F0.inB);
    const free = Uint8Array.from(F0.free);
    const muv = new Float64Array(N);
    const gradB = new Float64Array(K);
    let fcur = dualValue(lam);
    let fPrev = fcur;
    let stalled = 0;
    let lastMoved = Infinity;
    for (let it = 0; it < 100; it++) {
      const Bl: number[] = [];
      for (let e = 0; e < K; e++) if (inB[e]) Bl.push(e);
      // A type with μ fixed at 0 needs a pair of B through it to balance its flow.
      const touched = new Uint8Array(N);
      for (const e of Bl) touched[E.from[e]] = touched[E.to[e]] = 1;
      for (const i of active) if (!touched[i]) free[i] = 1;
      const Jl = active.filter((i) => !free[i]);
      const nb = Bl.length;
      const nj = Jl.length;
      const n = nb + nj;
      if (nb === 0) {
        if (priceFace(lam, inB, free, [], [], vs) === 0) break;
        continue;
      }
      const col = new Int32Array(K).fill(-1);
      Bl.forEach((e, a) => (col[e] = a));
      // KKT matrix [[H_BB, A_Jᵀ], [A_J, 0]] and right-hand side [−∇D_B; p_J − A_J λ].
      const Kk = new Float64Array(n * n);
      const rhs = new Float64Array(n);
      for (const nn of active) {
        const ins = E.inE[nn].filter((e) => inB[e]);
        if (ins.length === 0) continue;
        const Bk = derivatives(nn, lam, ins, gradB, 0);
        const k = ins.length;
        for (let a = 0; a < k; a++) {
          rhs[col[ins[a]]] = -gradB[a];
          for (let bb = 0; bb < k; bb++) Kk[col[ins[a]] * n + col[ins[bb]]] += Bk[a * k + bb];
        }
      }
      let hmax = 0;
      for (let a = 0; a < nb; a++) hmax = Math.max(hmax, Kk[a * n + a]);
      for (let a = 0; a < nb; a++) Kk[a * n + a] += 1e-13 * hmax + 1e-300;
      muOf(lam, muv);
      Jl.forEach((i, r) => {
        rhs[nb + r] = muv[i]; // A_J Δλ must remove μ_i: Δμ_i = −(A Δλ)_i = −μ_i
        for (const e of E.outE[i]) if (inB[e]) {
          Kk[(nb + r) * n + col[e]] += 1;
          Kk[col[e] * n + nb + r] += 1;
        }
        for (const e of E.inE[i]) if (inB[e]) {
          Kk[(nb + r) * n + col[e]] -= 1;
          Kk[col[e] * n + nb + r] -= 1;
        }
      });
      const sol = luSolve(Kk, n, rhs);
      if (!sol) return null;
      // Step: keep λ_B ≥ 0 and the free μ ≥ 0 (ratio test); a blocking bound changes the face.
      let amax = 1;
      let block: { kind: "pair"; e: number } | { kind: "type"; i: number } | null = null;
      for (let a = 0; a < nb; a++) {
        const d = sol[a];
        if (d < 0 && lam[Bl[a]] + amax * d < 0) {
          amax = -lam[Bl[a]] / d;
          block = { kind: "pair", e: Bl[a] };
        }
      }
      const dmu = new Float64Array(N);
      Bl.forEach((e, a) => {
        dmu[E.from[e]] -= sol[a];
        dmu[E.to[e]] += sol[a];
      });
      for (const i of active) {
        if (!free[i] || dmu[i] >= 0) continue;
        if (muv[i] + amax * dmu[i] < 0) {
          amax = Math.max(0, -muv[i] / dmu[i]);
          block = { kind: "type", i };
        }
      }
      const trial = Float64Array.from(lam);
      let a = amax;
      let ok = false;
      for (let bt = 0; bt < 40; bt++) {
        Bl.forEach((e, c) => (trial[e] = Math.max(0, lam[e] + a * sol[c])));
        const ft = dualValue(trial);
        if (ft <= fcur + 1e-15 * Math.abs(fcur)) {
          ok = true;
          fcur = Math.min(fcur, ft);
          break;
        }
        a *= 0.5;
        block = null;
      }
      if (!ok) break;
      let moved = 0;
      let size = 0;
      Bl.forEach((e) => {
        moved = Math.max(moved, Math.abs(trial[e] - lam[e]));
        size = Math.max(size, Math.abs(lam[e]));
      });
      lam.set(trial);
      if (block?.kind === "pair") {
        // every pair reaching 0 together with the blocking one leaves
        Bl.forEach((e, c) => {
          if (sol[c] < 0 && lam[e] <= 1e-12 * size) {
            inB[e] = 0;
            lam[e] = 0;
          }
        });
        inB[block.e] = 0;
        lam[block.e] = 0;
      } else if (block?.kind === "type") free[block.i] = 0;
      trace?.(`  polish step ${it}: dual ${fcur}, ${nb} pairs, ${nj} flow equalities, step ${a.toExponential(2)}${block ? `, blocked by a ${block.kind}` : ""}`);
      // Converged on the face when Newton's step is at rounding level (D is flat near its minimum:
      // its decrease says little about λ, and the items are sensitive to λ), or stalls.
      const decrease = fPrev - fcur;
      fPrev = fcur;
      stalled = decrease <= 1e-16 * Math.abs(fcur) && moved >= 0.5 * lastMoved ? stalled + 1 : 0;
      lastMoved = moved;
      if (block || (moved > 1e-12 * size && stalled < 3)) continue;
      if (priceFace(lam, inB, free, Jl, sol.subarray(nb), vs) === 0) break;
    }
    return { lam, inB, free };
  };

  /** Drops generated pairs that are clearly slack (multiplier negligible against its slack) and
   *  returns how many: the Newton matrix is dense in the pairs, and a dropped pair that matters
   *  again is generated again. */
  const prune = (vs: number, mu: Float64Array): number => {
    const K = E.from.length;
    const keep: number[] = [];
    for (let e = 0; e < K; e++) {
      // Only pairs generated some iterations ago, and each pair at most once (no prune/add cycles).
      const key = E.from[e] * N + E.to[e];
      const old = iterations - (bornAt.get(key) ?? 0) >= 8 && !prunedOnce.has(key);
      const slack = old && E.lam[e] * vs < 1e-4 * E.z[e] && mu[E.to[e]] > 10 * E.lam[e];
      if (slack) prunedOnce.add(key);
      else keep.push(e);
    }
    if (keep.length === K) return 0;
    const old = { from: E.from, to: E.to, lam: E.lam, z: E.z };
    E.from = [];
    E.to = [];
    E.lam = [];
    E.z = [];
    E.key.clear();
    for (let i = 0; i < N; i++) {
      E.inE[i] = [];
      E.outE[i] = [];
    }
    for (const e of keep) addEdge(old.from[e], old.to[e], old.lam[e], old.z[e]);
    muOf(E.lam, mu);
    return K - keep.length;
  };

  // ---- the active-set phase: polish on the generated pairs, certify, add the pairs the polished
  // menu shows missing (they enter through pricing), repeat. Pairs added here wait in `pending`
  // for the interior point, which needs them strictly positive.
  const pending: number[] = [];
  let pairRounds = 0;
  const activeSetPhase = (face: Face, vs: number): void => {
    for (let round = 0; round < 40; round++) {
      const F = polish(face, vs);
      if (!F) return;
      face = F;
      consider(certify(F.lam));
      trace?.(`active set round ${round}: dual ${bestD}, primal ${best ? (best as Cert).P : NaN}, gap ${gapNow().toExponential(2)}`);
      if (gapNow() <= target) return;
      const viol = missingPairs(itemsOf(F.lam));
      viol.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
      const perType = new Map<number, number>();
      let added = 0;
      for (const [, k, j] of viol) {
        const c = perType.get(k) ?? 0;
        if (c >= 4) continue;
        perType.set(k, c + 1);
        if (addEdge(k, j, 0, 0)) {
          pending.push(E.from.length - 1);
          added++;
        }
      }
      if (!added) return;
      pairRounds++;
    }
  };

  // ---- first, the active-set method from the token-budget menu's face: types in order of θ, each
  // envying the next one down with the mass above it as multiplier (λ_{i+1→i} = Σ_{k>i} p_k, the
  // budget menu's multipliers when nothing is ironed), participation binding for the lowest type
  // only. Exact for proportional profiles up to ironing; otherwise pricing and pair generation
  // move it. The interior point below runs only when this does not certify.
  let best: Cert | null = null;
  let bestD = Infinity;
  let bestDCert: Cert | null = null;
  const consider = (c: Cert | null) => {
    if (!c) return;
    if (!best || c.P > best.P) best = c;
    if (c.D < bestD) {
      bestD = c.D;
      bestDCert = c;
    }
  };
  const gapNow = () => (best ? (bestD - best.P) / scaleOf(best.P) : Infinity);
  {
    const byTheta = [...active].sort((a, b) => thetaW[a] - thetaW[b] || a - b);
    const face: Face = { lam: new Float64Array(E.from.length), inB: new Uint8Array(E.from.length), free: new Uint8Array(N) };
    let above = 0;
    for (let r = byTheta.length - 1; r >= 1; r--) {
      above += p[byTheta[r]];
      const e = E.key.get(byTheta[r] * N + byTheta[r - 1]) as number;
      face.inB[e] = 1;
      face.lam[e] = above;
    }
    if (byTheta.length) face.free[byTheta[0]] = 1;
    // Scaled toward λ = 0 (nothing binds: D = the first-best surplus) when profiles are far from
    // proportional and the budget multipliers overshoot: the scale with the least D.
    const full = Float64Array.from(face.lam);
    let bestA = 1;
    let bestF = Infinity;
    for (const a of [1, 0.5, 0.25, 0.1, 0]) {
      const fa = dualValue(full.map((l) => a * l));
      if (fa < bestF) {
        bestF = fa;
        bestA = a;
      }
    }
    for (let e = 0; e < face.lam.length; e++) face.lam[e] = bestA * full[e];
    if (bestA === 0) {
      face.inB.fill(0);
      for (const i of active) face.free[i] = 1;
    } else if (bestA < 1) for (const i of active) face.free[i] = 1;
    activeSetPhase(face, Math.max(bestF, 1e-300));
    trace?.(`budget-face start: gap ${gapNow().toExponential(2)}, ${E.from.length} pairs`);
    // The interior point starts strictly inside, with every generated pair.
    pending.length = 0;
    startInside();
  }

  // ---- primal–dual interior point on the dual
  const y = new Float64Array(N); // duals of μ ≥ 0: the rents
  const mu = new Float64Array(N);
  muOf(E.lam, mu);
  const mCount = () => E.from.length + active.length;
  {
    const tau0 = Math.max(dualValue(E.lam), 1e-300) / mCount();
    for (let e = 0; e < E.lam.length; e++) E.z[e] = tau0 / E.lam[e];
    for (const i of active) y[i] = tau0 / mu[i];
  }

  let nextPairCheck = 1e-1;
  let nextPolish = POLISH_START;
  let converged = false;
  let bestGapSeen = Infinity;
  let lastProgress = 0;
  let lastPairCheck = -10;

  if (gapNow() <= target) converged = true;
  // (a Newton matrix that no diagonal shift makes positive definite — weights of 1e-315 beside
  // ones of 2, found by a property test — ends the interior point: the certificate below, and
  // the primal interior point, go on from the best iterate so far, and say what they reach)
  const factorNewton = (H: Float64Array, K: number): Float64Array | undefined => {
    try {
      return choleskyShifted(H, K, "Newton matrix");
    } catch (err) {
      if (!(err instanceof NumericalError)) throw err;
      notes.push("the dual interior point stopped: its Newton matrix is not positive definite");
      return undefined;
    }
  };
  interior: for (; iterations < maxIt && !converged; iterations++) {
    const K = E.from.length;
    const lam = E.lam;
    const z = E.z;
    let comp = 0;
    for (let e = 0; e < K; e++) comp += lam[e] * z[e];
    for (const i of active) comp += mu[i] * y[i];
    const f = dualValue(lam);
    const relComp = comp / Math.max(Math.abs(f), 1e-300);

    // Once the barrier parameter is small: the active-set phase from the face the iterate points at.
    if (relComp < nextPolish) {
      nextPolish = relComp * 1e-2;
      consider(certify(lam));
      if (gapNow() > target) activeSetPhase(faceOf(lam, z, mu, y, Math.max(Math.abs(f), 1e-300)), Math.max(Math.abs(f), 1e-300));
      trace?.(`certificate: dual ${bestD}, primal ${best ? (best as Cert).P : NaN}, gap ${gapNow().toExponential(2)}`);
      if (gapNow() <= target) {
        converged = true;
        break;
      }
      if (pending.length) {
        // Pairs found by the active-set phase join the interior point strictly inside.
        for (const e of pending) {
          const k = E.from[e];
          const l = Math.min(0.1 * mu[k], 1e-3 * p[k]);
          E.lam[e] = l > 0 ? l : 1e-300;
          mu[k] -= E.lam[e];
          mu[E.to[e]] += E.lam[e];
        }
        pending.length = 0;
        muOf(E.lam, mu);
        const tc = Math.max(comp, 1e-6 * Math.abs(f)) / mCount();
        for (let e = 0; e < E.from.length; e++) E.z[e] = tc / E.lam[e];
        for (const i of active) y[i] = tc / mu[i];
        continue;
      }
    }
    const certGap = gapNow();
    if (certGap < bestGapSeen * 0.5) {
      bestGapSeen = certGap;
      lastProgress = iterations;
    }
    // Pair generation: early (while the iterate is well centred), at every decade of progress,
    // and whenever the restricted problem is solved but the gap is not closed.
    const solvedRestricted = relComp < 1e-13;
    if (relComp < nextPairCheck || (solvedRestricted && iterations - lastPairCheck >= 3)) {
      lastPairCheck = iterations;
      nextPairCheck = relComp * 0.1;
      if (relComp < 1e-2) {
        const dropped = prune(Math.max(Math.abs(f), 1e-300), mu);
        if (dropped) {
          trace?.(`pruned ${dropped} slack pairs, ${E.from.length} left`);
          nextPairCheck = relComp * 1.0001;
          continue;
        }
      }
      const viol = missingPairs(itemsOf(lam));
      let added = 0;
      if (viol.length) {
        pairRounds++;
        viol.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
        const perType = new Map<number, number>();
        for (const [, k, j] of viol) {
          const c = perType.get(k) ?? 0;
          if (c >= 4) continue;
          perType.set(k, c + 1);
          // Enter inside: a small multiplier that leaves μ_k positive.
          const l = Math.min(0.1 * mu[k], 1e-3 * p[k]);
          if (!(l > 0)) continue;
          if (addEdge(k, j, l, 0)) {
            mu[k] -= l;
            mu[j] += l;
            added++;
          }
        }
        trace?.(`pair round ${pairRounds}: ${viol.length} missing, ${added} added, ${E.from.length} pairs, largest violation ${viol[0][0].toExponential(2)}`);
      }
      if (added) {
        // Re-centre: duals on the central path of the current λ for a barrier parameter large
        // enough for the new multipliers to find their level (scaled by the violation).
        muOf(E.lam, mu);
        const push = Math.min(1e-3 * Math.abs(f), 10 * viol[0][0] + 1e-9 * Math.abs(f));
        const tc = Math.max(comp, push) / mCount();
        for (let e = 0; e < E.from.length; e++) E.z[e] = tc / E.lam[e];
        for (const i of active) y[i] = tc / mu[i];
        nextPairCheck = Math.max(nextPairCheck, 1e-5);
        continue;
      }
      if (solvedRestricted && (relComp < 1e-17 || iterations - lastProgress >= 8)) break;
    }

    // ---- Newton system: (∇²D + Z/Λ + Aᵀ (Y/M) A) Δλ = −(∇D − τ/λ + Aᵀ(τ/μ)), dense K × K.
    // Dense on purpose: eliminating the blocks first (an N×N Schur complement) is cheaper but
    // loses all accuracy when blocks are nearly singular — degenerate multipliers, e.g. bunched
    // types, where only a combination of the λ's into an item is determined.
    const grad = new Float64Array(K);
    const H = new Float64Array(K * K);
    const blocks: (Float64Array | null)[] = new Array(N).fill(null);
    for (const nn of active) {
      const ins = E.inE[nn];
      const k = ins.length;
      if (k === 0) continue;
      const gb = new Float64Array(k);
      const B = derivatives(nn, lam, ins, gb, 0);
      for (let a = 0; a < k; a++) grad[ins[a]] = gb[a];
      for (let a = 0; a < k; a++) B[a * k + a] += z[ins[a]] / lam[ins[a]];
      blocks[nn] = B;
      for (let a = 0; a < k; a++) for (let bb = 0; bb < k; bb++) H[ins[a] * K + ins[bb]] += B[a * k + bb];
    }
    const Wd = new Float64Array(N); // y/μ
    for (const i of active) Wd[i] = y[i] / mu[i];
    for (const nn of active) {
      const wn = Wd[nn];
      const inc: number[] = [];
      const sg: number[] = [];
      for (const e of E.outE[nn]) {
        inc.push(e);
        sg.push(1);
      }
      for (const e of E.inE[nn]) {
        inc.push(e);
        sg.push(-1);
      }
      for (let a = 0; a < inc.length; a++) for (let bb = 0; bb < inc.length; bb++) H[inc[a] * K + inc[bb]] += wn * sg[a] * sg[bb];
    }
    const first = factorNewton(H, K);
    if (!first) break interior;
    let HL: Float64Array = first;
    let damp = 0;
    const solveH = (r: Float64Array): Float64Array => {
      const xs = Float64Array.from(r);
      cholSolve(HL, K, xs);
      return xs;
    };
    const applyH = (xv: Float64Array): Float64Array => {
      const out = new Float64Array(K);
      for (let a = 0; a < K; a++) {
        let s = 0;
        const ra = a * K;
        for (let bb = 0; bb < K; bb++) s += H[ra + bb] * xv[bb];
        out[a] = s + damp * H[ra + a] * xv[a];
      }
      return out;
    };
    const rhsFor = (tau: number): Float64Array => {
      const r = new Float64Array(K);
      for (let e = 0; e < K; e++) r[e] = -(grad[e] - tau / lam[e] + tau / mu[E.from[e]] - tau / mu[E.to[e]]);
      return r;
    };
    // Barrier parameter by Mehrotra's heuristic: the affine-scaling step (τ = 0) shows how much
    // complementarity a full step could remove; σ = (what remains)³.
    const tau = (() => {
      const da = solveH(rhsFor(0));
      const dmuA = new Float64Array(N);
      for (let e = 0; e < K; e++) {
        dmuA[E.from[e]] -= da[e];
        dmuA[E.to[e]] += da[e];
      }
      let ap = 1;
      let ad = 1;
      for (let e = 0; e < K; e++) {
        if (da[e] < 0) ap = Math.min(ap, -lam[e] / da[e]);
        const dz = -z[e] - (z[e] / lam[e]) * da[e];
        if (dz < 0) ad = Math.min(ad, -z[e] / dz);
      }
      for (const i of active) {
        if (dmuA[i] < 0) ap = Math.min(ap, -mu[i] / dmuA[i]);
        const dy = -y[i] - (y[i] / mu[i]) * dmuA[i];
        if (dy < 0) ad = Math.min(ad, -y[i] / dy);
      }
      let ca = 0;
      for (let e = 0; e < K; e++) ca += (lam[e] + ap * da[e]) * (z[e] + ad * (-z[e] - (z[e] / lam[e]) * da[e]));
      for (const i of active) ca += (mu[i] + ap * dmuA[i]) * (y[i] + ad * (-y[i] - (y[i] / mu[i]) * dmuA[i]));
      const sg = Math.min(0.5, Math.max(1e-3, Math.pow(Math.max(ca, 0) / comp, 3)));
      return (sg * comp) / mCount();
    })();
    const rhs = rhsFor(tau);
    const barrier = (lv: ArrayLike<number>, mv: ArrayLike<number>, fv: number): number => {
      let s = fv;
      for (let e = 0; e < K; e++) s -= tau * Math.log(lv[e]);
      for (const i of active) s -= tau * Math.log(mv[i]);
      return s;
    };
    const phi0 = barrier(lam, mu, f);
    const ftb = 0.995;
    const trialLam = new Float64Array(K);
    const trialMu = new Float64Array(N);
    let dl: Float64Array = new Float64Array(K);
    let dmu: Float64Array = new Float64Array(N);
    let a = 0;
    let accepted = false;
    // Newton's direction, then Levenberg-damped ones (H + δ diag H) when the barrier's quadratic
    // model is poor (its Hessian is unbounded where a bin's virtual weight tends to 0⁺ with σ < 1/2,
    // and backtracking then collapses): a trust-region safeguard.
    for (let attempt = 0; attempt < 4; attempt++) {
      if (attempt > 0) {
        damp = attempt === 1 ? 1e-2 : damp * 100;
        const Hd = Float64Array.from(H);
        for (let e = 0; e < K; e++) Hd[e * K + e] *= 1 + damp;
        const damped = factorNewton(Hd, K);
        if (!damped) break interior;
        HL = damped;
      }
      dl = solveH(rhs);
      {
        // one step of iterative refinement
        const hx = applyH(dl);
        const res = new Float64Array(K);
        for (let e = 0; e < K; e++) res[e] = rhs[e] - hx[e];
        const corr = solveH(res);
        for (let e = 0; e < K; e++) dl[e] += corr[e];
      }
      dmu = new Float64Array(N);
      for (let e = 0; e < K; e++) {
        dmu[E.from[e]] -= dl[e];
        dmu[E.to[e]] += dl[e];
      }
      // fraction to the boundary, then Armijo backtracking on the barrier function
      let aP = 1;
      for (let e = 0; e < K; e++) if (dl[e] < 0) aP = Math.min(aP, (-ftb * lam[e]) / dl[e]);
      for (const i of active) if (dmu[i] < 0) aP = Math.min(aP, (-ftb * mu[i]) / dmu[i]);
      let slope = 0;
      for (let e = 0; e < K; e++) slope += -rhs[e] * dl[e];
      a = aP;
      accepted = false;
      for (let bt = 0; bt < 60; bt++) {
        for (let e = 0; e < K; e++) trialLam[e] = lam[e] + a * dl[e];
        for (let i = 0; i < N; i++) trialMu[i] = mu[i] + a * dmu[i];
        let ok = true;
        for (let e = 0; e < K && ok; e++) if (!(trialLam[e] > 0)) ok = false;
        for (const i of active) if (!(trialMu[i] > 0)) ok = false;
        if (ok) {
          // When the predicted decrease is below what the barrier function resolves in double
          // precision (~1e-13 of it), Armijo's test is noise: take the Newton step.
          if (-slope < 1e-11 * Math.abs(phi0)) {
            accepted = true;
            break;
          }
          const ph = barrier(trialLam, trialMu, dualValue(trialLam));
          if (ph <= phi0 + 1e-4 * a * slope) {
            accepted = true;
            break;
          }
        }
        a *= 0.5;
      }
      if (accepted && a >= 1e-3 * aP) break;
    }
    if (!accepted) {
      trace?.(`interior point: no descent on the barrier at iteration ${iterations}`);
      break;
    }
    // Dual step (z, y) with its own fraction to the boundary, then kept near the central path.
    const dz = new Float64Array(K);
    for (let e = 0; e < K; e++) dz[e] = tau / lam[e] - z[e] - (z[e] / lam[e]) * dl[e];
    const dy = new Float64Array(N);
    for (const i of active) dy[i] = tau / mu[i] - y[i] - (y[i] / mu[i]) * dmu[i];
    let aD = 1;
    for (let e = 0; e < K; e++) if (dz[e] < 0) aD = Math.min(aD, (-ftb * z[e]) / dz[e]);
    for (const i of active) if (dy[i] < 0) aD = Math.min(aD, (-ftb * y[i]) / dy[i]);
    for (let e = 0; e < K; e++) lam[e] = trialLam[e];
    muOf(lam, mu);
    for (const i of active) if (!(mu[i] > 0)) mu[i] = trialMu[i];
    for (let e = 0; e < K; e++) {
      const ze = z[e] + aD * dz[e];
      z[e] = Math.min(Math.max(ze, tau / (KAPPA * lam[e])), (KAPPA * tau) / lam[e]);
    }
    for (const i of active) {
      const yi = y[i] + aD * dy[i];
      y[i] = Math.min(Math.max(yi, tau / (KAPPA * mu[i])), (KAPPA * tau) / mu[i]);
    }
    trace?.(`iteration ${iterations}: ${K} pairs, dual ${f}, complementarity ${relComp.toExponential(2)}, steps ${a.toExponential(2)} / ${aD.toExponential(2)}`);
  }

  // ---- final certificate
  if (!converged) {
    consider(certify(E.lam));
    const f = dualValue(E.lam);
    activeSetPhase(faceOf(E.lam, E.z, mu, y, Math.max(Math.abs(f), 1e-300)), Math.max(Math.abs(f), 1e-300));
  }
  // Short of the target (a tenth of the tolerance: an independent checker found certified menus
  // stopping 7.7e-10 short, all of it primal): the primal problem by an interior point
  // (distributions-primal.ts), from the best menu, where its dense Newton systems are small
  // enough; its items and IC multipliers are certified like the dual's own (exact profit over
  // all pairs; the bound D at its multipliers).
  if (best && gapNow() > target && active.length * (M + 1) <= PRIMAL_MAX_UNKNOWNS) {
    const start = best as Cert;
    const t0 = new Float64Array(N);
    for (let j = 0; j < N; j++) t0[j] = start.G[j][j] - start.R[j];
    // two step rules: qualities at most doubled a step, then (if still short) also at most halved
    for (const halveAtMost of [false, true]) {
      if (gapNow() <= target) break;
      const primal = solvePrimal({ n: N, m: M, w, p, sigma, cost: P.cost, active }, start.Q, t0, { trace, halveAtMost });
      if (!primal) continue;
      const { from, to, z } = primal.pairs;
      for (let k = 0; k < from.length; k++) if (z[k] > 0) addEdge(from[k], to[k], 0, 0);
      const lamNew = new Float64Array(E.from.length);
      for (let k = 0; k < from.length; k++) if (z[k] > 0) lamNew[E.key.get(from[k] * N + to[k])!] = z[k];
      const before = gapNow();
      consider(certify(lamNew, primal.Q));
      // its multipliers may stay short of the bound where stationarity is met only to ~1e-9
      // (C nearly flat): the dual's own Newton steps on the face they bind, from them
      if (gapNow() > target) {
        const zs = new Float64Array(E.from.length).fill(Infinity);
        for (let k = 0; k < from.length; k++) if (z[k] > 0) zs[E.key.get(from[k] * N + to[k])!] = primal.pairs.s[k];
        const f = dualValue(lamNew);
        activeSetPhase(faceOf(lamNew, zs, primal.irMu, primal.irSlack, Math.max(Math.abs(f), 1e-300)), Math.max(Math.abs(f), 1e-300));
      }
      trace?.(`primal interior point: ${primal.iterations} iterations, m·μ ${primal.relativeGap.toExponential(2)} of φ; gap ${before.toExponential(2)} → ${gapNow().toExponential(2)}`);
      if (gapNow() < before) notes.push(`the primal interior point took the gap from ${before.toExponential(2)} to ${Math.max(0, gapNow()).toExponential(2)} of profit (${primal.iterations} iterations)`);
    }
  }
  const fin = best as Cert | null;
  const finD = bestDCert as Cert | null;
  if (!fin || !finD) throw new NumericalError("token distributions", "no implementable menu from the dual iterates (a positive envy cycle)");
  const scale = scaleOf(fin.P);
  const gap = Math.max(0, bestD - fin.P) / scale;
  if (bestD < fin.P - 1e-9 * scale) notes.push(`dual bound ${bestD} below the menu's profit ${fin.P}: rounding beyond the tolerance`);
  const certified = gap <= tol && bestD >= fin.P - 1e-9 * scale;
  if (!certified) notes.push(`stopped after ${iterations} interior-point iterations at a gap of ${gap.toExponential(2)} of profit`);

  // ---- the reported menu
  const Q = fin.Q;
  const R = fin.R;
  const aggregate = new Float64Array(N);
  const costs = new Float64Array(N);
  const t = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    aggregate[j] = aggregateQuality(Q, j * M, M, sigma);
    costs[j] = P.cost.cost(aggregate[j]);
    t[j] = aggregate[j] === 0 && R[j] === 0 ? 0 : fin.G[j][j] - R[j];
  }
  // Binding pairs: a positive multiplier at the certificate and no slack in the menu; a pair
  // into a null item is a participation constraint, not envy.
  const finLam = finD.lam;
  let lamMax = 0;
  for (let e = 0; e < finLam.length; e++) lamMax = Math.max(lamMax, finLam[e]);
  const binding: BindingPair[] = [];
  const slackTol = 1e-9 * scale;
  for (let e = 0; e < finLam.length; e++) {
    const k = finD.from[e];
    const j = finD.to[e];
    if (aggregate[j] === 0) continue;
    const slack = R[k] - (R[j] + fin.G[j][k] - fin.G[j][j]);
    if (finLam[e] > 1e-9 * lamMax && slack <= slackTol) binding.push({ envier: k, envied: j, multiplier: finLam[e] });
  }
  binding.sort((a, b) => a.envier - b.envier || a.envied - b.envied);
  const participationBinding: number[] = [];
  for (const i of active) if (R[i] <= 1e-12 * scale) participationBinding.push(i);
  return {
    Q,
    aggregate,
    cost: costs,
    t,
    R,
    profit: fin.P,
    dualBound: bestD,
    gap,
    certified,
    binding,
    participationBinding,
    iterations,
    pairs: E.from.length,
    pairRounds,
    notes,
  };
}
