// Menus of token distributions against menus of token budgets, for the same finitely many
// task-profile types (docs/model.md section 4, the paper's "full contracting" regime): how much does
// contracting on tasks add?
//
// Token budgets (Proposition 2 on atoms, solvers/monopoly-discrete.ts): a type is its aggregate
// type θ(w) (Lemma 1); it spends its budget across tasks itself, so the item it buys delivers
// per-bin qualities Q_b = Q̄ (w_b/θ)^(σ/(1−σ)) (Hölder's equality case) at cost C_b(Q̄).
// Token distributions (solvers/distributions-dual.ts): the seller fixes the per-bin profile.
// Every budget menu is a distribution menu (each budget delivered as the profile its buyer would
// choose); a type deviating to another type's item can no longer re-spread it over its own tasks,
// so deviations are worth less and the same prices stay incentive compatible: full contracting
// never earns less (contractingGain ≥ 0). When every profile is proportional to one shape
// (distribution separability) both coincide (Proposition 3).
//
// Two types in closed form (derivation; test/token-distributions.test.ts checks it against the
// solver). Types L, H with probabilities p_L, p_H. When the profiles are ordered (w^H ≥ w^L bin
// by bin, CES cost): only IR_L and IC_HL bind (λ_HL = p_H), so
//   Q^H = argmax u_H(Q) − C(Q): no distortion at the top, Q^H_b = q(θ_H)(w^H_b/θ_H)^(σ/(1−σ)),
//   Q^L from the virtual profile v_L = w^L − (p_H/p_L)(w^H − w^L):
//       Q^L_b = q(θ(v⁺_L)) (v⁺_L,b/θ(v⁺_L))^(σ/(1−σ)),   C_b'(q(y)) = y,
//   t_L = u_L(Q^L), t_H = u_H(Q^H) − (u_H(Q^L) − u_L(Q^L)).
// (IR_H holds since Q^L ≥ 0, and IC_LH since Q is monotone in the virtual profile for CES:
// Q_b = q(θ)θ^(−σ/(1−σ)) v_b^(σ/(1−σ)) with q(θ) ∝ θ^(η/(1−η)), η ≥ σ.) θ(v⁺_L) ≥ the budget
// menu's virtual type θ_L − (p_H/p_L)(θ_H − θ_L) by the triangle inequality: full contracting
// distorts the low type less. With unordered profiles, three regimes (λ = λ_HL ∈ [0, p_H], the
// virtual profile of L as above with λ/p_L in place of p_H/p_L, v_H = p_H w^H):
//   (i) nothing binds but IR: each type's efficient item is worth at most as much to the other
//       type (u_H(Q^L_e) ≤ u_L(Q^L_e) and u_L(Q^H_e) ≤ u_H(Q^H_e)) — full extraction, first best;
//   (ii) IR_L, IR_H and IC_HL bind, 0 < λ < p_H solving u_H(Q^L(λ)) = u_L(Q^L(λ));
//   (iii) the ordered-profile solution, when u_H(Q^L) ≥ u_L(Q^L) and IC_LH holds there;
// and the same with L and H exchanged. The result's `incentives` field says which.
//
// Outputs: scalars of both regimes and the gain, per-type items side by side (points: one per
// type, with the per-bin qualities; curves: one row per type in order of θ), the binding
// structure (`incentives`: which type envies which, participation, pools), a-posteriori checks
// of both menus over all pairs, and the certificate of the full-contracting optimum.

import { InputError } from "../engine/errors.js";
import { aggregateTypeLaw, type TaskTypes } from "../engine/distributions/task-types.js";
import type { CostOfQuality } from "../engine/technology/types.js";
import { worstChecks } from "./compare.js";
import { solveDistributions } from "./distributions-dual.js";
import { checkFiniteTypeMenu } from "./finite-type-checks.js";
import { emptyChecks } from "./monopoly-continuous.js";
import { solveMonopolyDiscrete } from "./monopoly-discrete.js";
import { boundCertificate, CERTIFY_TOLERANCE, type IncentiveStructure, type MarketSolution, type PointRecord } from "./types.js";

export interface TokenDistributionsInput {
  types: TaskTypes;
  sigma: number;
  /** the cost of aggregate quality C_b (budgets); a profile Q costs C_b(A(Q)) */
  cost: CostOfQuality;
}

const DUALITY_ARGUMENT =
  "Lagrangian duality: the menu's profit against the bound D(λ) = Σ_n p_n C_b*(θ(v_n⁺)/p_n) at the IC multipliers λ (no mechanism — any items, all N² IC pairs — earns more); the token-budget menu it is compared with is Proposition 2 on atoms (closed form)";

/** How close (relative) an `--at` value must be to a type's θ(w) to name it (when no other is as close). */
export const AT_TOLERANCE = 1e-4;

export function solveTokenDistributions(input: TokenDistributionsInput, opts: { scalarsOnly?: boolean } = {}): MarketSolution {
  const { types, sigma, cost } = input;
  const { n, m, w, p, theta, source } = types;
  const scalarsOnly = opts.scalarsOnly;

  // ---- the token-budget menu on θ(w), and each type's budget item as a per-bin profile
  const law = aggregateTypeLaw(types);
  const budget = solveMonopolyDiscrete(law, cost, { gridPoints: law.values.length, scalarsOnly });
  const bQ = new Float64Array(n);
  const bT = new Float64Array(n);
  const bU = new Float64Array(n);
  const bProfile = new Float64Array(n * m);
  const r = sigma / (1 - sigma);
  for (let i = 0; i < n; i++) {
    const pt = budget.pointAt(theta[i]);
    bQ[i] = pt.Q as number;
    bT[i] = pt.t as number;
    bU[i] = pt.U as number;
    if (theta[i] > 0 && bQ[i] > 0) for (let b = 0; b < m; b++) bProfile[i * m + b] = bQ[i] * Math.pow(w[i * m + b] / theta[i], r);
  }

  // ---- full contracting
  const sol = solveDistributions({ n, m, w, p, sigma, cost }, { hint: { Q: bProfile, t: bT } });
  const Q = sol.Q;
  const A = sol.aggregate;
  const t = sol.t;
  const U = sol.R;

  // ---- scalars
  let cs = 0;
  let served = 0;
  let bServed = 0;
  let bCs = 0;
  for (let i = 0; i < n; i++) {
    cs += p[i] * U[i];
    bCs += p[i] * bU[i];
    if (A[i] > 0) served += p[i];
    if (bQ[i] > 0) bServed += p[i];
  }
  const profit = sol.profit;
  const budgetProfit = budget.scalars.profit as number;
  // (within 1e-12 of the budget profit the difference is rounding: −1.1e-16 was reported where
  // the README promises a gain never negative, and 3.1e-13 for proportional profiles, where
  // Proposition 3 says 0; a reviewer's)
  const gainRaw = profit - budgetProfit;
  const gain = Math.abs(gainRaw) <= 1e-12 * Math.max(Math.abs(profit), Math.abs(budgetProfit)) ? 0 : gainRaw;

  // Pools: types sharing one item (equal qualities and price to 1e-9).
  const pools = poolsOf(Q, t, n, m);
  let bunched = 0;
  for (const g of pools) for (const i of g) bunched += p[i];
  let bBunched = 0;
  for (let i = 0; i < n; i++) {
    if (!(bQ[i] > 0)) continue;
    for (let j = 0; j < n; j++) {
      if (j !== i && theta[j] !== theta[i] && bQ[j] === bQ[i]) {
        bBunched += p[i];
        break;
      }
    }
  }
  // Binding structure, by scenario index.
  const rank = new Int32Array(n);
  Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => theta[a] - theta[b] || a - b)
    .forEach((i, k) => (rank[i] = k));
  const binding = sol.binding;
  const upward = binding.filter((b) => theta[b.envier] < theta[b.envied]).length;
  const nonLocal = binding.filter((b) => Math.abs(rank[b.envier] - rank[b.envied]) > 1).length;
  const excluded = Array.from({ length: n }, (_, i) => i).filter((i) => A[i] === 0);
  // participation binds among the types served: an excluded type's (it gets nothing and pays
  // nothing) is listed under `excluded` only (one excluded type was counted here and another
  // not, a reviewer's)
  const irBinding = sol.participationBinding.filter((i) => A[i] > 0);
  let irMass = 0;
  for (const i of irBinding) irMass += p[i];
  const incentives: IncentiveStructure = {
    binding: binding.map((b) => ({ envier: source[b.envier], envied: source[b.envied], multiplier: b.multiplier })),
    participationBinding: irBinding.map((i) => source[i]),
    excluded: excluded.map((i) => source[i]),
    pools: pools.map((g) => g.map((i) => source[i])),
  };

  const scalars: MarketSolution["scalars"] = {
    profit,
    consumerSurplus: cs,
    welfare: profit + cs,
    budgetProfit,
    budgetConsumerSurplus: bCs,
    budgetWelfare: budget.scalars.welfare as number,
    contractingGain: gain,
    contractingGainRelative: budgetProfit > 0 ? gain / budgetProfit : null,
    consumerSurplusChange: cs - bCs,
    welfareChange: profit + cs - (budget.scalars.welfare as number),
    servedShare: served,
    budgetServedShare: bServed,
    bunchedShare: bunched,
    budgetBunchedShare: bBunched,
    bindingPairs: binding.length,
    upwardBindingPairs: upward,
    nonLocalBindingPairs: nonLocal,
    participationBindingShare: irMass,
    types: n,
    bins: m,
    dualBound: sol.dualBound,
    kappa: Number.isFinite(cost.kappa) ? cost.kappa : null,
    eta: cost.eta,
  };

  // ---- notes: the binding structure in words
  const label = (i: number) => `${source[i]}`;
  const notes = [...types.notes];
  notes.push(
    `full contracting ${sol.certified ? "certified by" : "NOT certified (to 1e-9 of profit) by"} Lagrangian duality: menu profit ${profit}, dual bound ${sol.dualBound}, gap ${sol.gap.toExponential(2)} of profit; ` +
      `${sol.pairs} of ${n * (n - 1)} IC pairs generated in ${sol.pairRounds} rounds, ${sol.iterations} interior-point iterations`,
  );
  notes.push(
    `binding IC (envier → envied, by scenario index): ${binding.length} pairs, ${upward} upward in θ, ${nonLocal} non-local` +
      (binding.length ? `: ${binding.slice(0, 12).map((b) => `${label(b.envier)} → ${label(b.envied)}`).join(", ")}${binding.length > 12 ? ", …" : ""}` : ""),
  );
  notes.push(
    `participation binds for ${irBinding.length} served type(s)` +
      (irBinding.length ? `: ${irBinding.slice(0, 12).map(label).join(", ")}${irBinding.length > 12 ? ", …" : ""}` : "") +
      (excluded.length ? `; excluded (nothing sold): ${excluded.slice(0, 12).map(label).join(", ")}${excluded.length > 12 ? ", …" : ""}` : "") +
      (pools.length ? `; pools (one item each): ${pools.slice(0, 6).map((g) => `{${g.map(label).join(", ")}}`).join(", ")}${pools.length > 6 ? ", …" : ""}` : ""),
  );
  notes.push(...sol.notes);

  // ---- per-type records
  const J = cost.tokenClasses.length;
  const K = cost.fineTuningClasses.length;
  const record = (i: number): PointRecord => {
    const c = cost.cost(A[i]);
    const bc = cost.cost(bQ[i]);
    const rec: PointRecord = {
      theta: theta[i],
      type: source[i],
      p: p[i],
      Q: A[i],
      t: t[i],
      U: U[i],
      cost: c,
      fee: t[i] - c,
      budgetQ: bQ[i],
      budgetT: bT[i],
      budgetU: bU[i],
      budgetFee: bT[i] - bc,
      envies: binding.filter((b) => b.envier === i).length,
      envied: binding.filter((b) => b.envied === i).length,
    };
    if (A[i] > 0) rec.markup = t[i] / c;
    const bins: Record<string, number> = {};
    const bbins: Record<string, number> = {};
    for (let b = 0; b < m; b++) {
      bins[`${b + 1}`] = Q[i * m + b];
      bbins[`${b + 1}`] = bProfile[i * m + b];
    }
    rec.QBins = bins;
    rec.budgetQBins = bbins;
    if (J + K > 0) {
      // Totals of the cost-minimizing inputs: the same as a budget of aggregate quality A(Q)
      // (fine-tuning shared, task tokens spread over bins in proportion to Q_b^(1/σ)).
      const bx = new Float64Array(J);
      const bz = new Float64Array(K);
      cost.budgets(A[i], bx, bz);
      const X: Record<string, number> = {};
      const Z: Record<string, number> = {};
      cost.tokenClasses.forEach((nm, j) => (X[nm] = bx[j]));
      cost.fineTuningClasses.forEach((nm, k) => (Z[nm] = bz[k]));
      rec.X = X;
      rec.Z = Z;
    }
    if (types.valueScale) {
      rec.w = types.valueScale.w[i];
      rec.s = types.valueScale.s[i];
    }
    return rec;
  };
  // A type is named by its θ(w); a value within AT_TOLERANCE (relative) of exactly one type's θ
  // is that type (a reviewer typed the 0.5679 a report printed for 0.56789083458 and was
  // refused): the record carries the type's own θ, so the table shows which was taken.
  const pointAt = (x: number): PointRecord => {
    const near: number[] = [];
    for (let i = 0; i < n; i++) if (Math.abs(theta[i] - x) <= AT_TOLERANCE * Math.max(1, Math.abs(x))) near.push(i);
    if (near.length === 1) return record(near[0]);
    const exact = near.filter((i) => Math.abs(theta[i] - x) <= 1e-12 * Math.max(1, Math.abs(x)));
    if (exact.length >= 1) return record(exact[0]);
    const nearest = Array.from({ length: n }, (_, i) => i)
      .sort((a, b) => Math.abs(theta[a] - x) - Math.abs(theta[b] - x))
      .slice(0, 3)
      .sort((a, b) => theta[a] - theta[b]);
    throw new InputError(
      "--at",
      `θ = ${x} is ${near.length > 1 ? `within ${AT_TOLERANCE} (relative) of ${near.length} types' θ(w)` : `not the aggregate type of any of the ${n} types`}: the tokenDistributions market evaluates its menu at the types' θ(w) (see curves.csv), not between them; the nearest: ${nearest.map((i) => String(theta[i])).join(", ")}`,
    );
  };

  // ---- curves: one row per type, in order of θ
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => rank[a] - rank[b]);
  const colNames = ["type", "p", "Q", "t", "U", "fee", "budgetQ", "budgetT", "budgetU", "budgetFee", "envies", "envied"];
  const binCols: string[] = [];
  for (let b = 1; b <= m; b++) binCols.push(`Q.${b}`);
  for (let b = 1; b <= m; b++) binCols.push(`budgetQ.${b}`);
  const columns: Record<string, Float64Array> = {};
  if (!scalarsOnly) {
    for (const c of [...colNames, ...binCols]) columns[c] = new Float64Array(n);
    order.forEach((i, row) => {
      const rec = record(i);
      for (const c of colNames) columns[c][row] = rec[c] as number;
      for (let b = 0; b < m; b++) {
        columns[`Q.${b + 1}`][row] = Q[i * m + b];
        columns[`budgetQ.${b + 1}`][row] = bProfile[i * m + b];
      }
    });
  }
  const checks = scalarsOnly
    ? emptyChecks()
    : worstChecks([
        ["full contracting", checkFiniteTypeMenu({ n, m, w, Q, t, name: (i) => `type ${source[i]}` })],
        ["token budgets", budget.checks],
        // the budget menu must stay incentive compatible under full contracting (the argument that contracting never loses)
        ["token budgets as distributions", checkFiniteTypeMenu({ n, m, w, Q: bProfile, t: bT, name: (i) => `type ${source[i]}` })],
      ]);
  if (!checks.passed) notes.push(`checks failed: ${checks.failures.join("; ")}`);
  return {
    market: "tokenDistributions",
    scalars,
    ironing: budget.ironing,
    pointAt,
    curves: { theta: scalarsOnly ? new Float64Array(0) : Float64Array.from(order, (i) => theta[i]), columns, order: scalarsOnly ? [] : [...colNames, ...binCols] },
    checks,
    // (a bound below the menu's profit beyond rounding has gap 0 but certifies nothing)
    certificate:
      sol.certified || sol.gap > CERTIFY_TOLERANCE
        ? boundCertificate(sol.gap, DUALITY_ARGUMENT)
        : { certified: false, optimalityGap: null, certificate: `not certified: the dual bound ${sol.dualBound} lies below the menu's profit ${sol.profit} beyond rounding (${DUALITY_ARGUMENT})` },
    solver: {
      method:
        "finite task-profile types: active-set Newton on the Lagrangian dual (closed-form items) from the budget menu's face, IC pairs generated as violated, interior-point fallback, then the primal problem by an interior point if the items stay short; certified by weak duality; budgets by Proposition 2 on θ(w)",
      converged: sol.certified,
      iterations: sol.iterations,
      notes,
    },
    points: scalarsOnly ? undefined : order.map(record),
    incentives,
  };
}

/** Groups (≥ 2) of types whose items coincide: qualities within 1e-9 of the largest and prices
 *  within 1e-9 of the largest (union–find; excluded types are not a pool). */
function poolsOf(Q: Float64Array, t: Float64Array, n: number, m: number): number[][] {
  let qTop = 0;
  let tTop = 0;
  for (let k = 0; k < n * m; k++) qTop = Math.max(qTop, Math.abs(Q[k]));
  for (let i = 0; i < n; i++) tTop = Math.max(tTop, Math.abs(t[i]));
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const served = (i: number) => {
    for (let b = 0; b < m; b++) if (Q[i * m + b] !== 0) return true;
    return false;
  };
  for (let i = 0; i < n; i++) {
    if (!served(i)) continue;
    for (let j = i + 1; j < n; j++) {
      if (!served(j) || Math.abs(t[i] - t[j]) > 1e-9 * tTop) continue;
      let same = true;
      for (let b = 0; b < m && same; b++) if (Math.abs(Q[i * m + b] - Q[j * m + b]) > 1e-9 * qTop) same = false;
      if (same) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groups.get(find(i)) ?? [];
    g.push(i);
    groups.set(find(i), g);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}
