// Finite-type screening with a type-dependent outside option, solved to a certified optimum
// (docs/model.md 3c, equations 3.28–3.29, and section 5; the leader's problem of Proposition 4 beyond its closed form).
//
// The problem. Types i = 1..n with probabilities p_i; an item is a quality q ≥ 0 (cost c·q) and a
// price. Type i's value of quality q over its outside option is g_i(q) = u(θ_i, q) − u0(θ_i)
// (g_i(0) = 0; for the leader–fringe market u includes the buyer's fringe top-up, so g_i need not
// be concave, monotone in i, or single-crossing). With rents R_i = U_i − u0(θ_i) the seller solves
//     max Σ_j p_j (g_j(q_j) − c q_j − R_j)
//     s.t. R_i ≥ R_j + g_i(q_j) − g_j(q_j)  (IC_ij, all i ≠ j),   R_i ≥ 0  (IR_i).
// Relaxed to lotteries over qualities this is a linear program in the weights π_j(q) and R:
//     IC_ij:  R_i − R_j − Σ_q π_j(q) (g_i(q) − g_j(q)) ≥ 0,   conv_j: Σ_q π_j(q) = 1.
//
// Method (why it is exact and not a grid answer):
// 1. Column generation in q. With IC multipliers λ_ij ≥ 0 and conv prices ν_j, a quality q for
//    type j improves the LP iff ψ_j(q) > ν_j, where
//        ψ_j(q) = p_j (g_j(q) − c q) − Σ_i λ_ij (g_i(q) − g_j(q)).
//    ψ_j is maximized over all q ≥ 0 (not a grid): on each smooth piece between the kinks of the
//    g's involved, a scan refined by golden section, and in closed form on the last piece, where
//    every g_i is a_i q^η + const (problem.tail). The maximizer becomes a new column.
// 2. Row generation in IC: only neighbouring pairs at first; after each solve every pair (i, j)
//    is checked against the current solution and the violated ones are added. A pair never added
//    has λ_ij = 0, which is a valid multiplier for the full problem.
// 3. Certificate (weak duality). For any λ ≥ 0 whose rent coefficients
//    r_j = −p_j + Σ_i λ_ji − Σ_i λ_ij are ≤ 0 (the IR multipliers are −r_j), every feasible
//    mechanism — lotteries included, any quality, all n² IC constraints — earns at most
//        D(λ) = Σ_j max_{q ≥ 0} ψ_j(q).
//    HiGHS's duals are clamped to λ ≥ 0 and any r_j > 0 left by its tolerances is routed into a
//    pair (i, j) with r_i < 0 (this only adds terms to ψ), so D is computed from exact
//    multipliers in double precision. The primal side is recomputed exactly too: each type
//    takes the quality its LP weight concentrates on, the smallest rents that make that
//    deterministic menu IC and IR are a longest-path problem (R_i = max(0, max_j R_j + g_i(q_j) −
//    g_j(q_j)), iterated to its fixed point), and its profit P is the engine's answer (with
//    neighbours a hair apart pooled, snapRuns; and where the LP randomizes and no such menu
//    reaches the bound, a rounding dive holds randomized types to one item at a time and solves
//    the LP again for the rest: an independent MILP over deterministic menus found menus up to
//    1 % better than lpe's on 8-type markets, which these two now reach). The
//    reported gap (D − P)/|P| bounds what any mechanism could add; when a lottery beats every
//    deterministic menu the gap stays positive and says so. When no menu read off the LP is
//    implementable (its rounding of lotteries leaves a positive IC cycle; 801 atoms of a bimodal
//    law with γ_F = 0.1 did this), the caller's own menu (problem.fallback) is priced the same
//    way and reported, with its gap.

import type { Highs, Model } from "highs";
import { NumericalError } from "../engine/errors.js";
import { goldenMax } from "../engine/numerics/golden.js";
import { lpSolver } from "../engine/numerics/lp-solver.js";

export interface ScreeningProblem {
  n: number;
  p: Float64Array;
  /** seller's cost per unit of the quality variable */
  cost: number;
  /** g_i(q) = u(θ_i, q) − u0(θ_i); g_i(0) = 0 */
  gain(i: number, q: number): number;
  /** the qualities where g_i is not smooth (kinks, slope jumps), ascending, positive */
  breaks(i: number): number[];
  /** above its last break g_i(q) = tail.coef(i) · q^tail.eta + const (0 < eta < 1) */
  tail: { eta: number; coef(i: number): number };
  /** a positive unit of value (e.g. the buyers' mean outside option): gaps are relative to
   *  max(|profit|, 1e-6 · scale), so that a zero profit is not divided by */
  scale: number;
  /** the size of the values whose difference g_i is (u0(θ_i) for a leader–fringe buyer): g_i is
   *  known only to a few ulps of it (default: scale) */
  gainUnit?(i: number): number;
  /** starting qualities for type i (e.g. a heuristic menu); 0 is always a column */
  initial(i: number): number[];
  /** a deterministic menu (quality per type) to fall back on when none of the menus read off
   *  the LP is implementable (e.g. the solver's restricted-class menu); the gap then bounds
   *  what the LP's lotteries or a better menu could add */
  fallback?: Float64Array;
}

export interface ScreeningOptions {
  /** relative profit tolerance of the certificate (default 1e-9) */
  certifyTol?: number;
  maxRounds?: number;
  /** the LP of withSeparatedBound's retained types (no second separation) */
  separated?: boolean;
}

export interface ScreeningSolution {
  /** the deterministic menu: quality and rent per type */
  q: Float64Array;
  R: Float64Array;
  /** its profit Σ p_j (g_j(q_j) − c q_j − R_j) */
  profit: number;
  /** LP value (lotteries over the generated columns) */
  lpValue: number;
  /** weak-duality upper bound on the profit of every mechanism */
  dualBound: number;
  /** (dualBound − profit) / max(|profit|, 1e-6 · problem.scale) */
  gap: number;
  certified: boolean;
  /** column and row generation stopped with nothing left to add */
  converged: boolean;
  rounds: number;
  columns: number;
  icRows: number;
  /** types whose LP weight is split between items (a lottery) */
  lotteryTypes: number[];
  /** binding IC pairs [i, j]: type i is indifferent to type j's item (λ_ij > 0) */
  binding: [number, number][];
  notes: string[];
}

export interface Column {
  j: number;
  q: number;
  /** g_i(q) for every i */
  g: Float64Array;
}

const SCAN = 32;
/** the scan of the one repricing of a bound found below a feasible menu's profit */
const FINE_SCAN = 1024;

export function solveScreening(problem: ScreeningProblem, opts: ScreeningOptions = {}): ScreeningSolution {
  const sol = solveScreeningLp(problem, opts);
  return sol.certified || opts.separated ? sol : withSeparatedBound(problem, opts, sol);
}

function solveScreeningLp(problem: ScreeningProblem, opts: ScreeningOptions): ScreeningSolution {
  const highs = lpSolver();
  const model = highs.createModel();
  try {
    return run(highs, model, problem, opts);
  } catch (e) {
    if (e instanceof NumericalError) throw e;
    // HiGHS's own errors (a row it refuses, a run that fails) name no cause: say where
    throw new NumericalError("screening LP", `HiGHS failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    model.dispose();
  }
}

/** Types whose whole first-best surplus together is at most this share of the menu's profit may
 *  be set apart by the separated bound (withSeparatedBound). */
const NEGLIGIBLE_SHARE = 1e-11;

/**
 * A second bound where the types' values span too many orders of magnitude for one LP (η near 1
 * and types far apart: an independent checker's markets had dual bounds of 1e17 to 1e38 times the
 * profit of menus its own LP showed optimal, the top type's items being 1e12 times the LP's unit
 * of value). Weak duality holds for any multipliers λ ≥ 0 whose rent coefficients are ≤ 0; take
 * λ_ij = 0 for every pair that involves a type of the set I whose first-best surpluses
 * S_j = max_q p_j (g_j(q) − c q) sum to at most NEGLIGIBLE_SHARE of the profit, and the screening
 * LP's own multipliers on the other types K. Then r_j = −p_j ≤ 0 on I, ψ_j = p_j (g_j − c q) on I,
 * and every mechanism earns at most D_K + Σ_{j ∈ I} S_j, where D_K is the dual bound of the LP on K
 * alone, whose values now span less. Used when it is smaller than the LP's own bound; the menu is
 * the LP's on all types, unchanged.
 */
function withSeparatedBound(P: ScreeningProblem, opts: ScreeningOptions, sol: ScreeningSolution): ScreeningSolution {
  const n = P.n;
  if (n < 2) return sol;
  // (gaps are relative to this: the profit, or a floor where the leader earns about nothing)
  const scale = Math.max(Math.abs(sol.profit), 1e-6 * P.scale, 1e-300);
  const S = Array.from({ length: n }, (_, j) => priceColumn(P, j, []).value);
  const order = S.map((_, j) => j).sort((a, b) => S[a] - S[b]);
  const set: number[] = [];
  let apart = 0;
  for (const j of order) {
    if (apart + S[j] > NEGLIGIBLE_SHARE * scale) break;
    apart += S[j];
    set.push(j);
  }
  // (types of no surplus at all set apart alone change no scale: the LP on the rest is the same
  // problem, solved twice for nothing)
  if (set.length === 0 || set.length === n || !set.some((j) => S[j] > 0)) return sol;
  const inI = new Uint8Array(n);
  for (const j of set) inI[j] = 1;
  const K = Array.from({ length: n }, (_, j) => j).filter((j) => !inI[j]);
  const sub: ScreeningProblem = {
    n: K.length,
    p: Float64Array.from(K, (j) => P.p[j]),
    cost: P.cost,
    gain: (i, q) => P.gain(K[i], q),
    breaks: (i) => P.breaks(K[i]),
    tail: { eta: P.tail.eta, coef: (i) => P.tail.coef(K[i]) },
    scale: P.scale,
    gainUnit: P.gainUnit ? (i) => P.gainUnit!(K[i]) : undefined,
    initial: (i) => [sol.q[K[i]], ...P.initial(K[i])],
    fallback: Float64Array.from(K, (j) => sol.q[j]),
  };
  let subSol: ScreeningSolution;
  try {
    subSol = solveScreeningLp(sub, { ...opts, separated: true });
  } catch {
    return sol;
  }
  // (a sub-bound that is not valid, below its own menu's profit beyond rounding, proves nothing:
  // run() then gives an infinite gap; within rounding, the K-types' optimum is at least their
  // menu's profit, which stands for the bound)
  if (!Number.isFinite(subSol.gap)) return sol;
  const boundK = Math.max(subSol.dualBound, subSol.profit);
  const bound = boundK + apart;
  if (!(bound < sol.dualBound)) return sol;
  const tol = opts.certifyTol ?? 1e-9;
  const gap = Math.max(0, bound - sol.profit) / scale;
  const notes = [
    ...sol.notes,
    `separated bound: the ${set.length} type(s) whose first-best surpluses sum to ${apart.toExponential(2)} (at most ${NEGLIGIBLE_SHARE} of the profit) set apart with multipliers 0, the LP on the other ${K.length} giving ${boundK}: every mechanism earns at most ${bound} (the LP on all types bounded it by ${sol.dualBound}), gap ${gap.toExponential(2)} of profit`,
  ];
  return { ...sol, dualBound: bound, gap, certified: sol.converged && gap <= tol && bound >= sol.profit - 1e-9 * scale, notes };
}

/**
 * The unit of value of the LP: the largest |p_j (g_j(q) − c q)| over the starting columns (the
 * objective's terms). Values are entered in this unit, so that the LP's coefficients are at most about 1
 * whatever the market's scale: with η near 1 or a wide range of types the gains reach 1e37 and
 * more, which HiGHS takes for infinite (≥ 1e20) or cannot pivot on. The IC multipliers do not
 * change with the unit (each IC row and the objective are divided by it alike); the conv prices
 * and the objective are scaled back.
 */
function valueUnit(P: ScreeningProblem): { unit: number; span: number } {
  let v = 0;
  let least = Infinity;
  for (let j = 0; j < P.n; j++) {
    for (const q of P.initial(j)) {
      if (!(q > 0 && Number.isFinite(q))) continue;
      const a = Math.abs(P.p[j] * (P.gain(j, q) - P.cost * q));
      v = Math.max(v, a);
      if (a > 0) least = Math.min(least, a);
    }
  }
  if (!Number.isFinite(v)) throw new NumericalError("screening LP", "a buyer's value of a starting quality overflows a double (types or η too extreme for this market)");
  return { unit: v > 0 ? v : 1, span: v > 0 && least < Infinity ? v / least : 1 };
}

function run(highs: Highs, model: Model, P: ScreeningProblem, opts: ScreeningOptions): ScreeningSolution {
  const { n, p, cost: c } = P;
  const tol = opts.certifyTol ?? 1e-9;
  const maxRounds = opts.maxRounds ?? 200;
  const notes: string[] = [];
  model.options.set({
    output_flag: false,
    primal_feasibility_tolerance: 1e-10,
    dual_feasibility_tolerance: 1e-10,
  });
  model.changeObjectiveSense(highs.constants.objectiveSense.maximize);
  const INF = highs.infinity;
  // the LP's unit of value (its rents R_j are in it): see valueUnit
  const { unit: V, span } = valueUnit(P);
  // what a failed solve says about the cause: values spread over many orders of magnitude
  const spread = span > 1e12 ? `; the types' values of their starting items span ${span.toExponential(0)} (θ's range and η = ${P.tail.eta} make the LP ill-conditioned)` : "";

  // Rows 0..n−1: conv_j. Columns 0..n−1: R_j.
  const none = { indices: new Int32Array(0), values: new Float64Array(0) };
  for (let j = 0; j < n; j++) model.addRow(1, 1, none);
  for (let j = 0; j < n; j++) model.addCol(-p[j], 0, INF, none);
  const cols: Column[] = [];
  const colsOf: number[][] = Array.from({ length: n }, () => []);
  const rowOf = new Map<number, number>(); // i*n + j → row index
  const pairOfRow: number[] = []; // (row − n) → i*n + j
  let nRows = n;

  const gains = (q: number): Float64Array => {
    const g = new Float64Array(n);
    if (q > 0) for (let i = 0; i < n; i++) g[i] = P.gain(i, q);
    return g;
  };
  let refused = 0;
  const addColumn = (j: number, q: number): void => {
    for (const k of colsOf[j]) if (Math.abs(cols[k].q - q) <= 1e-15 * Math.max(q, 1e-300) || cols[k].q === q) return;
    const g = gains(q);
    // An item worth more than 1e12 times the LP's unit of value to some type (early duals can
    // price such a quality, 1e60 in a market whose types span 1e38 in value): HiGHS refuses
    // matrix entries above 1e15, and an item that costs the seller 1e12 times its whole profit
    // is in no optimal menu. It is left out; the dual bound, computed over all qualities, still
    // says whether what is left is optimal.
    let big = Math.abs(p[j] * (g[j] - c * q)) / V;
    for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(g[i] - g[j]) / V);
    if (!(big <= 1e12)) {
      refused++;
      return;
    }
    const idx: number[] = [j];
    const val: number[] = [1];
    for (const [key, row] of rowOf) {
      if (key % n !== j) continue;
      const i = (key - j) / n;
      const a = -(g[i] - g[j]) / V;
      if (a !== 0) {
        idx.push(row);
        val.push(a);
      }
    }
    model.addCol((p[j] * (g[j] - c * q)) / V, 0, INF, { indices: Int32Array.from(idx), values: Float64Array.from(val) });
    colsOf[j].push(cols.length);
    cols.push({ j, q, g });
  };
  const addIc = (i: number, j: number): boolean => {
    const key = i * n + j;
    if (rowOf.has(key)) return false;
    const idx: number[] = [i, j];
    const val: number[] = [1, -1];
    for (const k of colsOf[j]) {
      const a = -(cols[k].g[i] - cols[k].g[j]) / V;
      if (a !== 0) {
        idx.push(n + k);
        val.push(a);
      }
    }
    model.addRow(0, INF, { indices: Int32Array.from(idx), values: Float64Array.from(val) });
    rowOf.set(key, nRows++);
    pairOfRow.push(key);
    return true;
  };

  for (let j = 0; j < n; j++) {
    addColumn(j, 0);
    for (const q of P.initial(j)) if (q > 0 && Number.isFinite(q)) addColumn(j, q);
  }
  for (let i = 0; i + 1 < n; i++) {
    addIc(i, i + 1);
    addIc(i + 1, i);
  }

  let sol = solveLp(highs, model, "initial", spread);
  let lambda: Float64Array = new Float64Array(0);
  let nu: Float64Array = new Float64Array(0);
  // what stopped the column and row generation when HiGHS failed on a round after the first
  let failedRound = "";
  /**
   * Column and row generation from the current solution until neither adds anything (or `limit`
   * rounds): each round adds the violated IC pairs (the 4n worst) and, for every type not in
   * `fixed`, the quality its price ψ_j says improves the LP. Returns the rounds it took.
   */
  const generate = (fixed: Uint8Array | null, limit: number, label: string): { converged: boolean; rounds: number } => {
    for (let r = 0; r < limit; r++) {
      const x = sol.colValue;
      // Row generation: every violated IC pair.
      const viol: [number, number, number][] = [];
      for (let j = 0; j < n; j++) {
        const vj = new Float64Array(n); // Σ_k π_jk (g_i(q_jk) − g_j(q_jk)) for each i
        for (const k of colsOf[j]) {
          const w = x[n + k];
          if (!(w > 0)) continue;
          const g = cols[k].g;
          for (let i = 0; i < n; i++) vj[i] += (w * (g[i] - g[j])) / V;
        }
        for (let i = 0; i < n; i++) {
          if (i === j) continue;
          const v = x[j] + vj[i] - x[i];
          if (v > 1e-12 * (1 + Math.abs(x[i])) && !rowOf.has(i * n + j)) viol.push([v, i, j]);
        }
      }
      viol.sort((a, b) => b[0] - a[0]);
      let added = 0;
      for (const [, i, j] of viol.slice(0, 4 * n)) if (addIc(i, j)) added++;
      // Column generation with the current duals.
      ({ lambda, nu } = duals(sol.rowDual, n, nRows));
      let priced = 0;
      for (let j = 0; j < n; j++) {
        if (fixed?.[j]) continue;
        const best = priceColumn(P, j, lambdaInto(lambda, pairOfRow, n, j));
        // ν_j is in the LP's unit, ψ_j in the market's
        if (best.value > V * (nu[j] + 1e-12 * (Math.abs(nu[j]) + p[j]))) {
          const before = cols.length;
          addColumn(j, best.q);
          if (cols.length > before) priced++;
        }
      }
      if (added === 0 && priced === 0) return { converged: true, rounds: r };
      try {
        sol = solveLp(highs, model, `${label} ${r + 1}`, spread);
      } catch (e) {
        // HiGHS failing on a later round (every retry: 800 atoms of a mixture whose values span
        // 6e15, round 33) ended the whole solve with an error. The last round solved stands: its
        // columns give the menu, its multipliers (the rows added since at 0) a valid bound, by
        // weak duality, and the result is reported not converged, so not certified.
        if (!(e instanceof NumericalError) || fixed) throw e;
        failedRound = `${e.message}; the menu and the bound are those of ${r === 0 ? "the initial solve" : `round ${r}`}, the last solved`;
        return { converged: false, rounds: r };
      }
    }
    return { converged: false, rounds: limit };
  };
  const { converged, rounds } = generate(null, maxRounds, "round");
  /** Type j's column of largest weight in the LP solution x (the first of equals). */
  const heaviest = (x: Float64Array, j: number): number => {
    let bk = colsOf[j][0];
    for (const k of colsOf[j]) if (x[n + k] > x[n + bk]) bk = k;
    return bk;
  };
  /**
   * Rounding by diving, when the LP randomizes and no menu read off it reaches its bound: the
   * randomized types whose heaviest item carries at least 0.9 of their weight, and at least a
   * quarter of them (the heaviest first), are held to that item (their other columns bounded to
   * 0), the LP is solved again with column and row generation for the types still free, and so
   * on until no free type randomizes. Read off the last LP, the menu is deterministic; its exact
   * minimal rents price it. Why: a type's lottery is tied to its neighbours' through the IC
   * constraints, so rounding them all at once (the menus above) or one at a time from a
   * restricted-class menu (the support search) can leave a positive IC cycle or a poor menu —
   * 50 atoms of a mixture with γ_F > 0 were left 3.9 % below the LP's bound. The dual bound is
   * the unrestricted LP's, computed before. Items held together can leave no IC menu (the LP
   * infeasible): half as many are held then, and a single type that cannot be held to any item
   * of its support or to its mean item is left free. Null when HiGHS fails or the menu read off
   * the last LP is not implementable.
   */
  const dive = (): { menu: DeterministicMenu; steps: number } | null => {
    const fixed = new Uint8Array(n);
    // LP solves left (held steps, failed holds and rounds of generation alike)
    let solves = DIVE_SOLVES;
    // types no item of whose support can be held (left to randomize)
    const free = new Uint8Array(n);
    let steps = 0;
    try {
      for (; steps < DIVE_STEPS && solves > 0; steps++) {
        const x = sol.colValue;
        const split: [number, number, number][] = []; // [weight of the heaviest column, type, column]
        for (let j = 0; j < n; j++) {
          if (fixed[j] || free[j]) continue;
          const bk = heaviest(x, j);
          if (x[n + bk] < 1 - 1e-7) split.push([x[n + bk], j, bk]);
        }
        if (split.length === 0) break;
        split.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
        // the types to hold; when holding them all leaves no IC menu (the LP infeasible), half of
        // them; a single type that cannot be held to its heaviest item is tried on its other
        // items in the LP's support, by weight, and else left free for good
        let chosen = split.slice(0, Math.max(Math.ceil(split.length / 4), split.filter((e) => e[0] >= 0.9).length)).map(([, j, bk]) => [j, bk] as [number, number]);
        const hold = (list: [number, number][], upper: number) => {
          for (const [j, bk] of list) {
            for (const k of colsOf[j]) if (k !== bk) model.changeColBounds(n + k, 0, upper);
            fixed[j] = upper === 0 ? 1 : 0;
          }
        };
        const tryHold = (list: [number, number][]): boolean => {
          if (solves <= 0) return false;
          solves--;
          hold(list, 0);
          try {
            sol = solveLp(highs, model, `rounding dive, step ${steps + 1}`, spread);
            return true;
          } catch (e) {
            if (!(e instanceof NumericalError)) throw e;
            hold(list, INF);
            return false;
          }
        };
        let held = false;
        while (!held && chosen.length > 1) {
          held = tryHold(chosen);
          if (!held) chosen = chosen.slice(0, Math.ceil(chosen.length / 2));
        }
        if (!held) {
          const j = chosen[0][0];
          const support = colsOf[j].filter((k) => x[n + k] > 0).sort((a, b) => x[n + b] - x[n + a]);
          for (const k of support) if ((held = tryHold([[j, k]]))) break;
          if (!held) {
            // its mean item, a new column: a lottery's certainty equivalent in quality
            let mean = 0;
            for (const k of support) mean += x[n + k] * cols[k].q;
            const before = cols.length;
            addColumn(j, mean);
            if (cols.length > before) held = tryHold([[j, cols.length - 1]]);
          }
          if (!held && solves > 0) {
            free[j] = 1;
            solves--;
            sol = solveLp(highs, model, `rounding dive, step ${steps + 1}`, spread);
          } else if (!held) break; // (the budget ran out)
        }
        solves -= generate(fixed, Math.min(DIVE_ROUNDS, solves), `rounding dive, step ${steps + 1}, round`).rounds;
      }
    } catch (e) {
      if (e instanceof NumericalError) return null;
      throw e;
    }
    const x = sol.colValue;
    const q = Float64Array.from({ length: n }, (_, j) => cols[heaviest(x, j)].q);
    // (two types a hair apart on one item make a cycle of rounding-level gain the LP's
    // tolerance admits and the exact rents do not: 1.3e-8 on rents of 300, 12 types)
    let menu = menuProfit(P, q, rows) ?? menuProfit(P, snapRuns(q, p), rows);
    // a type left free takes whichever item of its final support the menu does best with
    for (let j = 0; j < n; j++) {
      if (!free[j]) continue;
      for (const k of colsOf[j]) {
        if (!(x[n + k] > 0) || cols[k].q === q[j]) continue;
        const tried = Float64Array.from(menu ? menu.q : q);
        tried[j] = cols[k].q;
        const m = menuProfit(P, tried, rows);
        if (m && (!menu || m.profit > menu.profit)) menu = m;
      }
    }
    return menu ? { menu, steps } : null;
  };
  if (failedRound) notes.push(`column and row generation stopped: ${failedRound}`);
  else if (!converged) notes.push(`column and row generation stopped after ${maxRounds} rounds`);
  if (refused > 0) notes.push(`${refused} priced item(s) worth over 1e12 times the LP's unit of value were left out of the LP (the dual bound still covers every quality)`);

  // Dual bound from exact multipliers; its maximizers are the polished qualities.
  ({ lambda } = duals(sol.rowDual, n, nRows));
  const lam = routeRentExcess(lambda, pairOfRow, n, p);
  let dualBound = 0;
  const argmaxQ = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const best = priceColumn(P, j, lam[j]);
    dualBound += Math.max(0, best.value);
    argmaxQ[j] = best.q;
  }

  // Primal: deterministic menus, each with the smallest IC/IR rents (exact, not HiGHS's): the
  // quality each type's LP weight concentrates on, the LP's mean quality, and the maximizers of
  // the final ψ_j. Column generation tails off with a type's weight split between two nearly
  // equal qualities; the maximizer of ψ_j under the optimal multipliers is the quality those
  // columns approach, so the best of the three closes the gap to rounding level.
  const x = sol.colValue;
  const lotteryTypes: number[] = [];
  const major = new Float64Array(n);
  const mean = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const bk = heaviest(x, j);
    for (const k of colsOf[j]) if (x[n + k] > 0) mean[j] += x[n + k] * cols[k].q;
    major[j] = cols[bk].q;
    if (x[n + bk] < 1 - 1e-7) lotteryTypes.push(j);
  }
  const rows = new GainRows(P, cols);
  let best = bestImplementable(P, [major, mean, argmaxQ, snapRuns(major, p), snapRuns(mean, p), snapRuns(argmaxQ, p)], rows);
  // the restricted-class menu when it is the starting point, and the index of the note saying so
  let fallback: DeterministicMenu | null = null;
  let fallbackNote = -1;
  if (!best && P.fallback) {
    // Dense atoms where the LP randomizes: rounding its lotteries to one item per type can leave
    // an allocation no transfers implement (a positive IC cycle); the caller's own menu then
    // stands, with the dual bound saying how far from optimal it may be.
    best = bestImplementable(P, [P.fallback], rows);
    fallback = best;
    if (best) {
      fallbackNote = notes.length;
      notes.push(
        `none of the deterministic menus read off the LP is implementable (a positive IC cycle: the LP randomizes ${lotteryTypes.length} type(s)); the restricted-class menu is reported and the gap bounds what another mechanism could add`,
      );
    }
  }
  if (!best) throw new NumericalError("screening LP", "no deterministic menu from the LP is implementable (a positive IC cycle)");
  best = snapNearTies(P, best, rows);
  // a menu within the certificate's tolerance of the bound needs no search (the LP randomizing
  // between items its menu does without: 800 atoms spent 2 minutes searching a certified menu)
  const reached = (m: DeterministicMenu) => dualBound - m.profit <= tol * Math.max(Math.abs(m.profit), 1e-6 * P.scale, 1e-300);
  if (lotteryTypes.length > 0 && !reached(best)) {
    const supports = lotteryTypes.map((j) => [...new Set([...colsOf[j].filter((k) => x[n + k] > 0).map((k) => cols[k].q), argmaxQ[j], major[j], mean[j]])]);
    const better = lotterySupportSearch(P, best, lotteryTypes, supports, rows, reached);
    if (better.profit > best.profit) {
      notes.push(`a search over the qualities the LP mixes for its ${lotteryTypes.length} randomized type(s) raised the deterministic menu's profit by ${((better.profit - best.profit) / Math.max(Math.abs(best.profit), 1e-300)).toExponential(2)} of it`);
      best = better;
    }
  }
  // the LP's solution, rows and multipliers, before a dive changes them
  const lpSol = sol;
  const lpRows = pairOfRow.length;
  const lpLambda = lambda;
  if (lotteryTypes.length > 0 && n <= DIVE_MAX_TYPES && converged && !reached(best)) {
    const dived = dive();
    if (dived && dived.menu.profit > best.profit) {
      notes.push(
        `a rounding dive (fixing randomized types to their heaviest item in ${dived.steps} step(s), the LP re-solved for the others each time) raised the deterministic menu's profit by ${((dived.menu.profit - best.profit) / Math.max(Math.abs(best.profit), 1e-300)).toExponential(2)} of it`,
      );
      best = snapNearTies(P, dived.menu, rows);
    }
  }
  best = dropRoundingItems(P, best, rows, notes);
  if (fallbackNote >= 0 && fallback && best.profit > fallback.profit) {
    // (the note said the restricted-class menu is reported; a later step replaced it)
    notes[fallbackNote] = `none of the deterministic menus read off the LP is implementable (a positive IC cycle: the LP randomizes ${lotteryTypes.length} type(s)); the steps below start from the restricted-class menu`;
  }
  const { q, R, profit } = best;
  const scale = Math.max(Math.abs(profit), 1e-6 * P.scale, 1e-300);
  // What rounding leaves undetermined in the profit and the bound: each is a sum of the menu's
  // flows, Σ p_j(g_j − c q_j − R_j), and each gain g_j = u(θ_j, q) − u0(θ_j) a difference of
  // values of the size of the outside option, so their error grows with those gross sizes, not
  // with the net. Where the leader can earn nothing, a "profit" of 7e-15 (a quality of 5e-17
  // whose gain, 9 ulps of an outside option of 6.3, was rounding) was reported not certified,
  // its bound 0 "below" it (random discrete scan, seed 3, market 22, 4 Dec 2026). The bound may
  // lie below the profit by 1e-9 of the floor or by 64 ulps of the gross flows plus the mean
  // outside option, whichever is larger, and still be taken as rounding.
  const gross = grossFlows(P, q, R);
  const allowance = Math.max(1e-9 * scale, ROUNDING_ULPS * Number.EPSILON * gross);
  if (dualBound < profit - allowance) {
    // The bound is Σ_j max_q ψ_j(q): one maximum missed by the scan of SCAN points a piece (a
    // peak narrower than its spacing) leaves it below a feasible menu's profit. Priced again on
    // a scan FINE_SCAN/SCAN times denser, once, before the bound is declared invalid.
    let fine = 0;
    for (let j = 0; j < n; j++) fine += Math.max(0, priceColumn(P, j, lam[j], FINE_SCAN).value);
    if (fine > dualBound) {
      notes.push(`the dual bound was priced again on a ${FINE_SCAN / SCAN}× denser scan: ${dualBound} → ${fine}`);
      dualBound = fine;
    }
  }
  let gap = Math.max(0, dualBound - profit) / scale;
  if (dualBound < profit && dualBound >= profit - allowance && allowance > 1e-9 * Math.abs(profit)) {
    // a profit near 0 (a leader almost powerless) is certified to an absolute accuracy, not to
    // 1e-9 of itself: rounding in values of order 1 is larger than such a profit (an independent
    // reviewer read "gap 0" while the bound lay 15 % below a profit of 2.6e-13)
    const floor =
      allowance > 1e-9 * scale
        ? `${ROUNDING_ULPS} ulps of the sums that make them (the menu's flows and the buyers' mean outside option, ${gross.toExponential(2)} in all)`
        : `1e-9 of the certificate's floor ${scale.toExponential(2)} (1e-6 of the buyers' mean outside option, above this profit)`;
    notes.push(
      `the dual bound ${dualBound} lies ${(profit - dualBound).toExponential(2)} below the menu's profit ${profit}: rounding, within ${floor}, so the profit is certified to ${allowance.toExponential(2)} absolute, not to 1e-9 of itself`,
    );
  }
  if (dualBound < profit - allowance) {
    // a "bound" below a feasible menu's profit bounds nothing: no certificate (it was clamped
    // to a gap of 0 and reported certified; an independent checker found 5 such markets)
    gap = Infinity;
    notes.push(`dual bound ${dualBound} below the menu's profit ${profit}: the pricing search missed a maximum, so the bound is not valid and the menu is not certified`);
  }
  const binding: [number, number][] = [];
  for (let r = 0; r < lpRows; r++) {
    if (lpLambda[r] > 1e-12) {
      const key = pairOfRow[r];
      binding.push([Math.floor(key / n), key % n]);
    }
  }
  binding.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (lotteryTypes.length && gap > tol) {
    notes.push(`the LP randomizes ${lotteryTypes.length} type(s) between items; the best deterministic menu read off it is reported, and the gap bounds what any other mechanism (a lottery, or a better deterministic menu) could add`);
  }
  return {
    q,
    R,
    profit,
    lpValue: lpSol.objective * V,
    dualBound,
    gap,
    certified: converged && gap <= tol && dualBound >= profit - allowance,
    converged,
    rounds: rounds + 1,
    columns: cols.length,
    icRows: pairOfRow.length,
    lotteryTypes,
    binding,
    notes,
  };
}

/**
 * How a round is solved again when a solve fails (see solveLp), in order: the previous round's
 * basis dropped; the primal simplex; the interior-point method with crossover (its vertex gives
 * the duals the column and row generation need). Each is a set of options and the options that
 * undo it.
 */
const RETRIES: { set?: Record<string, string | number>; restore?: Record<string, string | number> }[] = [
  {},
  { set: { simplex_strategy: 4 }, restore: { simplex_strategy: 1 } },
  { set: { solver: "ipm", run_crossover: "on" }, restore: { solver: "choose", run_crossover: "on" } },
];

/**
 * One round's LP, solved to an optimal vertex. HiGHS can end a warm-started round "unknown"
 * (status 15: numerical trouble in the simplex from the previous round's basis; two of seven
 * random 300-type markets of an independent check did) or fail outright (status −1: an
 * independent checker's random seven-type market did in the middle of its rows, and the dual
 * simplex did from scratch on 400 atoms of a three-component mixture with γ_F > 0, where the
 * primal simplex solved it), so a failed round is solved again, from scratch, by each of RETRIES
 * in turn before giving up.
 */
export function solveLp(highs: Highs, model: Model, where: string, cause = ""): { colValue: Float64Array; rowDual: Float64Array; objective: number } {
  const done = (status: number) =>
    status === highs.constants.modelStatus.optimal || status === highs.constants.modelStatus.infeasible || status === highs.constants.modelStatus.unbounded;
  let status: number | undefined;
  try {
    model.run();
    status = model.getModelStatus();
  } catch {
    status = undefined; // HiGHS's error (status −1)
  }
  for (const retry of RETRIES) {
    if (status !== undefined && done(status)) break;
    model.clearSolver();
    if (retry.set) model.options.set(retry.set);
    try {
      model.run();
      status = model.getModelStatus();
    } catch {
      status = undefined;
    } finally {
      if (retry.restore) model.options.set(retry.restore);
    }
  }
  if (status === undefined) throw new NumericalError("screening LP", `HiGHS failed on the ${where} solve (status −1) from the previous basis, from scratch, with the primal simplex and with the interior-point method${cause}`);
  if (status !== highs.constants.modelStatus.optimal) {
    const name = Object.entries(highs.constants.modelStatus).find(([, v]) => v === status)?.[0];
    throw new NumericalError("screening LP", `HiGHS ended the ${where} solve with status ${status}${name ? ` (${name})` : ""}, not optimal${cause}`);
  }
  const s = model.getSolution();
  return { colValue: s.colValue, rowDual: s.rowDual, objective: model.getObjectiveValue() };
}

/** λ_r = max(0, −rowDual) for the IC rows (≥ rows of a maximization have duals ≤ 0), ν_j. */
function duals(rowDual: Float64Array, n: number, nRows: number): { lambda: Float64Array; nu: Float64Array } {
  const nu = rowDual.slice(0, n);
  const lambda = new Float64Array(nRows - n);
  // (rows added after the solve rowDual comes from have multiplier 0: see generate's failures)
  for (let r = n; r < Math.min(nRows, rowDual.length); r++) lambda[r - n] = Math.max(0, -rowDual[r]);
  return { lambda, nu };
}

/** The multipliers on the IC rows (i, j) that price type j's items: [i, λ_ij]. */
function lambdaInto(lambda: Float64Array, pairOfRow: number[], n: number, j: number): [number, number][] {
  const out: [number, number][] = [];
  for (let r = 0; r < pairOfRow.length; r++) {
    if (lambda[r] > 0 && pairOfRow[r] % n === j) out.push([(pairOfRow[r] - j) / n, lambda[r]]);
  }
  return out;
}

/** Per type j the list [i, λ_ij], after routing each positive rent coefficient
 *  r_j = −p_j + Σ_i λ_ji − Σ_i λ_ij into a pair (i*, j) with r_i* most negative, so that every
 *  r ≤ 0 and weak duality holds exactly. */
function routeRentExcess(lambda: Float64Array, pairOfRow: number[], n: number, p: Float64Array): [number, number][][] {
  const into = new Map<number, number>();
  for (let r = 0; r < pairOfRow.length; r++) if (lambda[r] > 0) into.set(pairOfRow[r], lambda[r]);
  const rc = Float64Array.from(p, (x) => -x);
  for (const [key, l] of into) {
    const i = Math.floor(key / n);
    const j = key % n;
    rc[i] += l;
    rc[j] -= l;
  }
  for (let j = 0; j < n; j++) {
    if (!(rc[j] > 0)) continue;
    let s = -1;
    for (let i = 0; i < n; i++) if (i !== j && (s < 0 || rc[i] < rc[s])) s = i;
    const d = rc[j];
    into.set(s * n + j, (into.get(s * n + j) ?? 0) + d);
    rc[j] -= d;
    rc[s] += d;
  }
  const out: [number, number][][] = Array.from({ length: n }, () => []);
  for (const [key, l] of into) out[key % n].push([Math.floor(key / n), l]);
  return out;
}

/** max over q ≥ 0 of ψ_j(q) = p_j (g_j(q) − c q) − Σ λ_ij (g_i(q) − g_j(q)): kinks, a scan of
 *  each smooth piece refined by golden section, and the closed form on the last piece. */
export function priceColumn(P: ScreeningProblem, j: number, lam: [number, number][], scan = SCAN): { q: number; value: number } {
  const pj = P.p[j];
  let wj = pj;
  for (const [, l] of lam) wj += l;
  const psi = (q: number): number => {
    if (q === 0) return 0;
    let v = wj * P.gain(j, q) - pj * P.cost * q;
    for (const [i, l] of lam) v -= l * P.gain(i, q);
    return v;
  };
  const br = new Set<number>(P.breaks(j));
  for (const [i] of lam) for (const b of P.breaks(i)) br.add(b);
  const breaks = [...br].filter((b) => b > 0 && Number.isFinite(b)).sort((a, b) => a - b);
  let bestQ = 0;
  let bestV = 0;
  const consider = (q: number) => {
    const v = psi(q);
    if (v > bestV) {
      bestV = v;
      bestQ = q;
    }
  };
  // Last piece: ψ = A q^η − p_j c q + const with A = w_j a_j − Σ λ_ij a_i.
  const last = breaks.length ? breaks[breaks.length - 1] : 0;
  const eta = P.tail.eta;
  let A = wj * P.tail.coef(j);
  for (const [i, l] of lam) A -= l * P.tail.coef(i);
  const qTail = A > 0 ? Math.pow((eta * A) / (pj * P.cost), 1 / (1 - eta)) : 0;
  if (qTail > last) consider(qTail);
  // Finite pieces [0, b1], [b1, b2], …; the first starts at a tiny fraction of b1 (log scan).
  let lo = 0;
  const ends = breaks.length ? breaks : [qTail > 0 ? qTail : 1];
  for (const hi of ends) {
    consider(hi);
    const a = lo > 0 ? lo : hi * 1e-8;
    scanRefine(psi, a, hi, lo === 0, consider, scan);
    lo = hi;
  }
  return { q: bestQ, value: bestV };
}

function scanRefine(f: (q: number) => number, a: number, b: number, log: boolean, consider: (q: number) => void, scan = SCAN): void {
  if (!(b > a)) return;
  const xs = new Float64Array(scan + 1);
  const vs = new Float64Array(scan + 1);
  for (let k = 0; k <= scan; k++) {
    xs[k] = log ? a * Math.pow(b / a, k / scan) : a + ((b - a) * k) / scan;
    vs[k] = f(xs[k]);
  }
  // Refine every interior local maximum of the scan (usually one).
  for (let k = 1; k < scan; k++) {
    if (!(vs[k] >= vs[k - 1] && vs[k] >= vs[k + 1])) continue;
    const best = goldenMax(f, xs[k - 1], xs[k + 1], 1e-10);
    consider(xs[k]);
    consider(best.x);
  }
}

/** A deterministic menu: a quality per type, the smallest IC/IR rents, and its profit. */
type DeterministicMenu = { q: Float64Array; R: Float64Array; profit: number };

/** The ulps of a menu's gross flows that its profit and bound are known to (see run). */
const ROUNDING_ULPS = 64;

/** The buyers' mean outside option plus the menu's flows, Σ p_j(|g_j(q_j)| + c q_j + R_j): the
 *  size of the sums that make its profit and the dual bound, whose rounding grows with it. */
function grossFlows(P: ScreeningProblem, q: Float64Array, R: Float64Array): number {
  let gross = P.scale;
  for (let j = 0; j < P.n; j++) gross += P.p[j] * (Math.abs(q[j] > 0 ? P.gain(j, q[j]) : 0) + Math.abs(P.cost * q[j]) + Math.abs(R[j]));
  return gross;
}

/**
 * Items worth only rounding to their buyer are not sold. Where the leader can earn nothing, the
 * pricing search found a quality of 5e-17 whose gain to the buyer, 1.2e-14, was 9 ulps of an
 * outside option of 6.3; sold at that "price", the leader appeared to serve 56 % of buyers at
 * 578 times the fringe's price per token (a clean-clone reviewer, 4 Dec 2026; another market
 * sold 7e-18 at 26 ulps of outside options of 3e4). A type's item goes when its gain g_j(q_j) is
 * within ROUNDING_ULPS ulps of the menu's gross flows or of the type's own unit (gainUnit); the
 * menu without those items is kept if it is implementable and earns as much, to that rounding.
 */
function dropRoundingItems(
  P: ScreeningProblem,
  menu: DeterministicMenu,
  rows: GainRows,
  notes: string[],
): DeterministicMenu {
  const gross = grossFlows(P, menu.q, menu.R);
  const q = Float64Array.from(menu.q);
  let dropped = 0;
  let noise = ROUNDING_ULPS * Number.EPSILON * gross;
  for (let j = 0; j < P.n; j++) {
    const own = ROUNDING_ULPS * Number.EPSILON * Math.max(gross, Math.abs(P.gainUnit?.(j) ?? 0));
    if (q[j] > 0 && Math.abs(P.gain(j, q[j])) <= own) {
      q[j] = 0;
      dropped++;
      noise = Math.max(noise, own);
    }
  }
  if (dropped === 0) return menu;
  const m = menuProfit(P, q, rows);
  if (!m || m.profit < menu.profit - noise) return menu;
  notes.push(`${dropped} item(s) worth no more than rounding to their buyer (a gain within ${ROUNDING_ULPS} ulps of the buyer's outside option or of the menu's flows, ≤ ${noise.toExponential(2)}) are not sold`);
  return m;
}

/** The end (exclusive) of the run of types from i whose positive qualities lie within 1e-8 of q_i. */
function nearTieEnd(q: Float64Array, i: number): number {
  let j = i + 1;
  while (j < q.length && q[j] > 0 && Math.abs(q[j] - q[i]) <= 1e-8 * q[i]) j++;
  return j;
}

/**
 * q with every run of neighbouring types whose qualities differ by at most 1e-8 of them put on
 * one item, the quality of the run's most likely type: an allocation read off the LP can give
 * two such types items a hair apart in the wrong order, a positive IC cycle of rounding size that
 * makes the menu unimplementable, where the pooled menu is implementable and earns the same.
 */
function snapRuns(q: Float64Array, p: Float64Array): Float64Array {
  const out = Float64Array.from(q);
  const n = q.length;
  let i = 0;
  while (i < n) {
    const j = nearTieEnd(q, i);
    if (j - i > 1) {
      let m = i;
      for (let k = i + 1; k < j; k++) if (p[k] > p[m]) m = k;
      out.fill(q[m], i, j);
    }
    i = j;
  }
  return out;
}

/** Neighbouring types whose qualities differ only at rounding level (two LP columns a hair
 *  apart, the tail of column generation) are put on one item when that costs no profit: a
 *  bunch should be one item, not a falling allocation by 1e-12. */
function snapNearTies(
  P: ScreeningProblem,
  menu: DeterministicMenu,
  rows: GainRows,
): DeterministicMenu {
  let cur = menu;
  const n = P.n;
  const scale = Math.max(Math.abs(menu.profit), 1e-6 * P.scale, 1e-300);
  let i = 0;
  while (i < n) {
    const j = nearTieEnd(cur.q, i);
    if (j - i > 1 && new Set(cur.q.subarray(i, j)).size > 1) {
      let bestTry: typeof cur | null = null;
      for (const v of new Set(cur.q.subarray(i, j))) {
        const q = Float64Array.from(cur.q);
        q.fill(v, i, j);
        const m = menuProfit(P, q, rows);
        if (m && (!bestTry || m.profit > bestTry.profit)) bestTry = m;
      }
      if (bestTry && bestTry.profit >= cur.profit - 1e-12 * scale) cur = bestTry;
    }
    i = j;
  }
  return cur;
}

/** Steps of the rounding dive, and rounds of column and row generation in each. */
const DIVE_STEPS = 40;
const DIVE_ROUNDS = 50;
/** LP solves a dive may spend in all, and the most types it is tried on: on 800 atoms with 327
 *  randomized types, holding types one or two at a time at seconds a solve, a dive ran for more
 *  than 15 minutes without the first bound and 3 minutes (for nothing) with it, where the
 *  solve without a dive takes 16 s; on 50–80 atoms it takes a second and closes a gap of 3.6 %. */
const DIVE_SOLVES = 60;
const DIVE_MAX_TYPES = 200;

/** Menus tried at most by lotterySupportSearch (each costs one minimalRents: O(n²) a pass). */
const SUPPORT_SEARCH_BUDGET = 4000;

/**
 * Where the LP randomizes some types between items, the deterministic menus read off it (each
 * type's heaviest item, its mean item, the maximizers of ψ_j) may be unimplementable or below the
 * best deterministic menu: an independent checker found a market whose restricted-class fallback
 * was 1.3e-3 below a deterministic menu that reached lpe's own dual bound. Local search: from
 * the best menu so far, give one randomized type another of the qualities the LP mixes for it
 * (or its ψ_j maximizer, heaviest or mean item), keep the change when the menu stays implementable
 * and earns more, and sweep the randomized types until no change helps (at most
 * SUPPORT_SEARCH_BUDGET menus; n·n·budget operations bound the cost).
 */
function lotterySupportSearch(
  P: ScreeningProblem,
  start: DeterministicMenu,
  types: readonly number[],
  supports: readonly number[][],
  rows: GainRows,
  /** true for a menu good enough to stop at */
  done: (m: DeterministicMenu) => boolean,
): DeterministicMenu {
  let cur = start;
  let budget = Math.min(SUPPORT_SEARCH_BUDGET, Math.floor(4e8 / (P.n * P.n)));
  const tol = 1e-13 * Math.max(Math.abs(start.profit), 1e-6 * P.scale, 1e-300);
  for (let improved = true; improved && budget > 0; ) {
    improved = false;
    for (let k = 0; k < types.length && budget > 0; k++) {
      const j = types[k];
      for (const v of supports[k]) {
        if (v === cur.q[j] || !(v >= 0) || budget-- <= 0) continue;
        const q = Float64Array.from(cur.q);
        q[j] = v;
        const m = menuProfit(P, q, rows);
        if (m && m.profit > cur.profit + tol) {
          cur = m;
          improved = true;
          if (done(cur)) return cur;
        }
      }
    }
  }
  return cur;
}

/** The most profitable of the candidate menus that transfers can implement, or null. */
export function bestImplementable(
  P: ScreeningProblem,
  candidates: readonly Float64Array[],
  rows: GainRows,
): DeterministicMenu | null {
  let best: DeterministicMenu | null = null;
  for (const cand of candidates) {
    const menu = menuProfit(P, cand, rows);
    if (menu && (!best || menu.profit > best.profit)) best = menu;
  }
  return best;
}

/**
 * g_i(q) for every type i, by quality q (the gains do not depend on whose item q is): the LP's
 * columns' rows, and each other quality computed once. The menus tried after the LP (candidates,
 * near ties, the search over randomized types' supports) differ from each other in one or a few
 * items, and recomputing all n gains of every item of every menu was most of the time of a
 * 200-type market (5 of 7 s).
 */
export class GainRows {
  private readonly rows = new Map<number, Float64Array>();
  constructor(
    private readonly P: ScreeningProblem,
    cols: readonly Column[],
  ) {
    for (const c of cols) if (!this.rows.has(c.q)) this.rows.set(c.q, c.g);
  }
  of(q: number): Float64Array {
    let g = this.rows.get(q);
    if (!g) {
      g = new Float64Array(this.P.n);
      if (q > 0) for (let i = 0; i < this.P.n; i++) g[i] = this.P.gain(i, q);
      this.rows.set(q, g);
    }
    return g;
  }
}

/** A deterministic menu's profit with the smallest IC/IR rents, or null if unimplementable. */
function menuProfit(
  P: ScreeningProblem,
  q: Float64Array,
  rows: GainRows,
): DeterministicMenu | null {
  const n = P.n;
  const G: Float64Array[] = [];
  for (let j = 0; j < n; j++) G.push(rows.of(q[j]));
  const R = minimalRents(n, G);
  if (!R) return null;
  let profit = 0;
  for (let j = 0; j < n; j++) profit += P.p[j] * (G[j][j] - P.cost * q[j] - R[j]);
  return { q: Float64Array.from(q), R, profit };
}

/** The smallest rents R ≥ 0 with R_i ≥ R_j + G_j[i] − G_j[j] (G_j = gains of type j's item), by
 *  label-correcting longest paths; null when a positive cycle makes the menu unimplementable.
 *  The passes sweep the types up, then down, in turn (Yen's order: a rent passed along a chain
 *  of binding IC constraints in either direction takes one pass, not one per type); either way
 *  the fixed point is the same. What cost most was an unimplementable candidate, which ran all
 *  n passes before it was rejected: the cycle check below ends it early. */
/** max |x_i| */
function largest(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

export function minimalRents(n: number, G: Float64Array[]): Float64Array | null {
  const R = new Float64Array(n);
  // Type i's row of gains, G_j[i] for every j, laid out contiguously (the passes read it n
  // times; read across the n arrays G_j, each read was a cache miss), and each item's own gain.
  const Gt = new Float64Array(n * n);
  const own = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const g = G[j];
    own[j] = g[j];
    for (let i = 0; i < n; i++) Gt[i * n + j] = g[i];
  }
  // pred[i]: the type whose constraint last raised R_i. A cycle among these links is a cycle of
  // IC constraints each of which raised a rent: when its gains sum to more than rounding, no
  // transfers implement the menu, found after a few passes instead of after all n (an
  // unimplementable candidate of 1,400 atoms took 1,400 passes, most of a 26 s validate).
  const pred = new Int32Array(n).fill(-1);
  const mark = new Int32Array(n);
  const positiveCycle = (): boolean => {
    let top = 0;
    for (let i = 0; i < n; i++) top = Math.max(top, Math.abs(R[i]));
    mark.fill(0);
    for (let s = 0; s < n; s++) {
      // walk the links from s; stamp = s + 1 marks this walk
      let i = s;
      while (i >= 0 && mark[i] === 0) {
        mark[i] = s + 1;
        i = pred[i];
      }
      if (i < 0 || mark[i] !== s + 1) continue;
      // a cycle through i: its gain Σ (G_j[k] − G_j[j]) over its links j → k
      let gain = 0;
      let links = 0;
      let k = i;
      do {
        const j = pred[k];
        gain += Gt[k * n + j] - own[j];
        links++;
        k = j;
      } while (k !== i);
      // Clearly beyond rounding; or beyond the tolerance of the final check: the violations of
      // a cycle's constraints sum to its gain whatever the rents, so one of them is at least
      // gain/links for every R (a cycle of 1e-10 a link crept through all n passes before that
      // check rejected it); a cycle nearer rounding goes on to the check.
      if (gain > 1e-9 * Math.max(1, top) || gain / links > 1e-11 * Math.max(1, top)) return true;
    }
    return false;
  };
  // The largest violation of an IC constraint by R, against the size of the rents: a fixed
  // point up to rounding when it is at most 1e-11 of it.
  const settled = (): boolean => {
    let worst = 0;
    let top = 0;
    for (let i = 0; i < n; i++) {
      top = Math.max(top, Math.abs(R[i]));
      for (let j = 0; j < n; j++) if (j !== i) worst = Math.max(worst, R[j] + Gt[i * n + j] - own[j] - R[i]);
    }
    return worst <= 1e-11 * Math.max(1, top);
  };
  for (let pass = 0; pass <= n; pass++) {
    let changed = false;
    // the largest raise of a rent in this pass
    let raise = 0;
    const up = (pass & 1) === 0;
    for (let k = 0; k < n; k++) {
      const i = up ? k : n - 1 - k;
      let r = R[i];
      let from = -1;
      const row = i * n;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const v = R[j] + Gt[row + j] - own[j];
        if (v > r) {
          r = v;
          from = j;
        }
      }
      if (r > R[i]) {
        // Ignore rounding-level increments so that ties cannot cycle forever.
        if (r - R[i] > 1e-15 * Math.max(1, Math.abs(r))) changed = true;
        raise = Math.max(raise, r - R[i]);
        R[i] = r;
        pred[i] = from;
      }
    }
    if (!changed) return R;
    if (pass >= 2 && positiveCycle()) return null;
    // Only creeping left: cycles of near-tied types whose gains sum to rounding (1e-15 to 1e-13
    // of a 200-type menu's rents) raise their rents by that much a pass, and ran all n passes
    // (most of the time of a 400-type market's search over menus, 111 menus × 400 passes). The
    // iteration does not expand differences, so no later pass raises a rent by more than this
    // one did: when that is rounding and R already meets every constraint to the tolerance of
    // the check below, R is the answer it would give, short of the creep.
    if (pass >= 2 && raise <= 1e-13 * Math.max(1, largest(R)) && settled()) return R;
  }
  // No exact fixed point within n passes: accept rounding-level residual cycles (ties between
  // types on equal items), reject genuine positive cycles (an allocation no transfers implement).
  return settled() ? R : null;
}
