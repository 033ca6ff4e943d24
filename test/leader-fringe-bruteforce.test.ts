// Acceptance test: the analytic leader–fringe solution (Proposition 4, P2 parameters) against the
// EXACT optimum of the discretized screening problem, computed here from scratch.
//
// Discrete problem. Types θ_i = (i + 1/2)/n, i = 0..n−1, each with weight w = 1/n. The leader
// offers items (q, t); a buyer of type θ who takes item (q, t) gets u(θ, q) − t, where u includes
// the optimal fringe top-up (γ_F = 0: u = u0(θ) + c_F q^(η/σ) for q ≤ q̂(θ), θq^η above), or
// takes the outside option u0(θ). Write g(θ, q) = u(θ, q) − u0(θ) and R_i = U_i − u0(θ_i) ≥ 0.
//
// Derivation of the exact method.
// (1) Increasing differences: g_θ(θ, q) = max(q, q̂(θ))^η − q̂(θ)^η is nondecreasing in q, so
//     g(θ', q) − g(θ, q) is nondecreasing in q for θ' > θ.
// (2) Monotone allocations are without loss. If θ_i < θ_j and q_i > q_j in an IC menu, adding the
//     two IC constraints gives g(θ_j,q_j) − g(θ_i,q_j) ≥ g(θ_j,q_i) − g(θ_i,q_i), and (1) gives the
//     reverse, so both hold with equality and both types are indifferent between the two items;
//     swapping the items leaves every buyer's utility and every choice set unchanged and changes
//     profit by (w_j − w_i)(margin_i − margin_j) = 0 since all weights are equal. Each swap removes
//     an inversion, so some monotone menu earns the same profit.
// (3) For a monotone allocation the local downward constraints R_{i+1} ≥ R_i + D_i(q_i),
//     D_i(q) = g(θ_{i+1}, q) − g(θ_i, q) ≥ 0, together with R_0 ≥ 0, are necessary; the
//     recursion R_0 = 0, R_{i+1} = R_i + D_i(q_i) satisfies them with equality, is therefore the
//     pointwise smallest feasible rent, and satisfies every IC (downward: chain the local ones with
//     (1); upward: R_{i+1} − R_i = D_i(q_i) ≤ D_i(q_{i+1}) by (1)) and every IR (D_i ≥ 0).
//     The menu is verified below against all n² IC pairs anyway.
// (4) Profit = Σ_i w(g_i(q_i) − c_L q_i) − Σ_i w(n−1−i) D_i(q_i) = Σ_i φ_i(q_i): separable. Each φ_i
//     is maximized exactly over q ≥ 0 on its three analytic pieces: [0, q̂_i] (convex: endpoints),
//     [q̂_i, q̂_{i+1}] (concave: bisection on φ'), [q̂_{i+1}, ∞) (closed form). If the maximizers are
//     nondecreasing their sum is the exact discrete optimum; an exact DP over (type, item) with
//     the monotonicity constraint, on an item set that contains every maximizer, every q̂_i and
//     a fine geometric grid, confirms it (DP_i(k) = φ_i(q_k) + max_{k' ≤ k} DP_{i−1}(k')).
//
// Checks: (a) the discrete optimum exceeds the continuum profit by an O(1/n) discretization error
// only (n·gap stays bounded) and the Richardson extrapolation 2·opt(2n) − opt(n) lands on the
// analytic profit; (b) the gap shrinks as n = 50, 100, 200, 400 doubles. The exact optima also
// reproduce the independent values in P2.json's diagnostics (discreteBruteForce "exact").
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { uniform } from "../engine/distributions/uniform.js";
import { solveLeaderFringe } from "../solvers/leader-fringe.js";
import { expectClose } from "./helpers/close.js";

const P2 = JSON.parse(readFileSync(new URL("./fixtures/reference/P2.json", import.meta.url), "utf8"));

const sigma = 0.5;
const eta = 0.8;
const cL = 0.3;
const cF = 0.2;
const T = (th: number) => Math.pow((th * sigma) / cF, 1 / (1 - sigma));
const qhat = (th: number) => Math.pow(T(th), sigma / eta);
const u0 = (th: number) => (cF * T(th) * (1 - sigma)) / sigma;
/** g(θ, q) = u(θ, q) − u0(θ), written from docs/model.md 3c independently of the engine. */
const g = (th: number, q: number) => (q <= qhat(th) ? cF * Math.pow(q, eta / sigma) : th * Math.pow(q, eta) - u0(th));

interface Discrete {
  theta: Float64Array;
  w: number;
  phi(i: number, q: number): number;
  argmax(i: number): number;
}

function discreteProblem(n: number): Discrete {
  const theta = Float64Array.from({ length: n }, (_, i) => (i + 0.5) / n);
  const w = 1 / n;
  const M = (i: number) => (n - 1 - i) * w;
  const phi = (i: number, q: number): number => {
    const own = w * (g(theta[i], q) - cL * q);
    return i === n - 1 ? own : own - M(i) * (g(theta[i + 1], q) - g(theta[i], q));
  };
  const argmax = (i: number): number => {
    const th = theta[i];
    const qa = qhat(th);
    const cands = [0, qa];
    if (i === n - 1) {
      cands.push(Math.max(qa, Math.pow((eta * th) / cL, 1 / (1 - eta))));
    } else {
      const th1 = theta[i + 1];
      const qb = qhat(th1);
      cands.push(qb);
      // [q̂_i, q̂_{i+1}]: φ = w(θ_i q^η − u0_i − c_L q) − M(c_F q^(η/σ) − θ_i q^η + u0_i), concave.
      const m = M(i);
      const dphi = (q: number) => w * (th * eta * Math.pow(q, eta - 1) - cL) - m * (cF * (eta / sigma) * Math.pow(q, eta / sigma - 1) - th * eta * Math.pow(q, eta - 1));
      if (dphi(qa) > 0 && dphi(qb) < 0) {
        let lo = qa;
        let hi = qb;
        for (let k = 0; k < 200 && hi - lo > 1e-15 * hi; k++) {
          const mid = 0.5 * (lo + hi);
          if (dphi(mid) > 0) lo = mid;
          else hi = mid;
        }
        cands.push(0.5 * (lo + hi));
      }
      // [q̂_{i+1}, ∞): (wθ_i − M(θ_{i+1} − θ_i)) q^η − w c_L q + const.
      const k = w * th - m * (th1 - th);
      if (k > 0) cands.push(Math.max(qb, Math.pow((eta * k) / (w * cL), 1 / (1 - eta))));
    }
    let best = 0;
    let bv = -Infinity;
    for (const q of cands) {
      const v = phi(i, q);
      if (v > bv) {
        bv = v;
        best = q;
      }
    }
    return best;
  };
  return { theta, w, phi, argmax };
}

/** Minimal rents of a monotone allocation and the menu's profit; all-pairs IC/IR verification. */
function menuOf(d: Discrete, q: Float64Array): { profit: number; icMax: number; irMin: number } {
  const n = q.length;
  const R = new Float64Array(n);
  for (let i = 1; i < n; i++) R[i] = R[i - 1] + g(d.theta[i], q[i - 1]) - g(d.theta[i - 1], q[i - 1]);
  const t = Float64Array.from(q, (qi, i) => g(d.theta[i], qi) - R[i]);
  let profit = 0;
  for (let i = 0; i < n; i++) profit += d.w * (t[i] - cL * q[i]);
  let icMax = -Infinity;
  let irMin = Infinity;
  for (let i = 0; i < n; i++) {
    const own = g(d.theta[i], q[i]) - t[i];
    irMin = Math.min(irMin, own);
    for (let j = 0; j < n; j++) if (j !== i) icMax = Math.max(icMax, g(d.theta[i], q[j]) - t[j] - own);
  }
  return { profit, icMax, irMin };
}

/** Exact DP over (type, item) with q nondecreasing. */
function monotoneDP(d: Discrete, items: Float64Array): number {
  const n = d.theta.length;
  const K = items.length;
  let prev = new Float64Array(K);
  let cur = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    let run = -Infinity;
    for (let k = 0; k < K; k++) {
      run = Math.max(run, i === 0 ? 0 : prev[k]);
      cur[k] = d.phi(i, items[k]) + run;
    }
    [prev, cur] = [cur, prev];
  }
  let best = -Infinity;
  for (let k = 0; k < K; k++) best = Math.max(best, prev[k]);
  return best;
}

describe("discretized leader–fringe problem: exact optimum against the analytic solution (P2)", () => {
  const analytic = solveLeaderFringe(
    {
      sigma,
      leader: { name: "leader", gamma: eta - sigma, eta, cost: cL },
      fringe: { name: "fringe", gamma: 0, eta: sigma, cost: cF },
      dist: uniform(0, 1, "buyers.theta"),
    },
    { gridPoints: 11, scalarsOnly: true },
  );
  const profitAnalytic = analytic.scalars.profit as number;
  const ns = [50, 100, 200, 400];
  const results = ns.map((n) => {
    const d = discreteProblem(n);
    const q = Float64Array.from({ length: n }, (_, i) => d.argmax(i));
    let monotone = true;
    for (let i = 1; i < n; i++) if (q[i] < q[i - 1]) monotone = false;
    let exact = 0;
    for (let i = 0; i < n; i++) exact += d.phi(i, q[i]);
    const menu = menuOf(d, q);
    const qAnalytic = Float64Array.from(d.theta, (th) => analytic.pointAt(th).qL as number);
    const alloc = menuOf(d, qAnalytic);
    return { n, d, q, monotone, exact, menu, alloc };
  });

  it("the pointwise maximizers are monotone and form an IC, IR menu whose profit is their sum", () => {
    for (const r of results) {
      expect(r.monotone, `n=${r.n}: pointwise maximizers must be nondecreasing`).toBe(true);
      expectClose(r.menu.profit, r.exact, 1e-12, 0, `n=${r.n}: Σ w(t − c_L q) of the rent recursion vs Σ φ_i`);
      expect(r.menu.icMax, `n=${r.n}: largest all-pairs IC gain`).toBeLessThanOrEqual(1e-12);
      expect(r.menu.irMin, `n=${r.n}: smallest rent over the outside option`).toBeGreaterThanOrEqual(0);
    }
  });

  it("an exact monotone DP over (type, item) finds the same optimum (and nothing better)", () => {
    for (const r of results.slice(0, 3)) {
      const set = new Set<number>([0]);
      for (let i = 0; i < r.n; i++) {
        set.add(r.q[i]);
        set.add(qhat(r.d.theta[i]));
      }
      const qmax = Math.max(...r.q);
      for (let k = 0; k <= 1500; k++) set.add(1e-3 * Math.pow((2 * qmax) / 1e-3, k / 1500));
      const items = Float64Array.from([...set].sort((x, y) => x - y));
      const dp = monotoneDP(r.d, items);
      expectClose(dp, r.exact, 1e-13, 0, `n=${r.n}: DP over ${items.length} items vs pointwise optimum`);
      // Without the analytic maximizers the DP (a grid search) can only do worse.
      const grid = Float64Array.from([0, ...Array.from({ length: 1501 }, (_, k) => 1e-3 * Math.pow((2 * qmax) / 1e-3, k / 1500))]);
      const dpGrid = monotoneDP(r.d, grid);
      expect(dpGrid, `n=${r.n}: grid DP ${dpGrid} ≤ exact ${r.exact}`).toBeLessThanOrEqual(r.exact + 1e-15);
      expect((r.exact - dpGrid) / r.exact, `n=${r.n}: grid DP close to exact`).toBeLessThan(1e-5);
    }
  });

  it("the exact optima reproduce P2.json's independent discrete brute force", () => {
    const diag = P2.diagnostics.discreteBruteForce as { N: number; exact: number; analytic_alloc: number }[];
    for (const r of results) {
      const ref = diag.find((x) => x.N === r.n);
      if (!ref) continue;
      expectClose(r.exact, ref.exact, 1e-11, 0, `exact discrete optimum, n=${r.n}`);
      expectClose(r.alloc.profit, ref.analytic_alloc, 1e-9, 0, `analytic allocation with exact discrete rents, n=${r.n}`);
    }
    expect(results.filter((r) => diag.some((x) => x.N === r.n)).length).toBe(3);
  });

  it("(a) the analytic profit is beaten only by an O(1/n) discretization error, (b) which shrinks with n", () => {
    let prevGap = Infinity;
    for (const r of results) {
      const gap = r.exact - profitAnalytic;
      expect(gap, `n=${r.n}: discrete optimum ${r.exact} vs analytic ${profitAnalytic}`).toBeGreaterThan(0);
      expect(gap, `n=${r.n}: gap must shrink (previous ${prevGap})`).toBeLessThan(prevGap);
      // n·gap ≈ 2.2: the 1/n error of midpoint types against a continuum with a steep q at θ = 1
      expect(r.n * gap, `n=${r.n}: n·gap = ${r.n * gap} must stay bounded`).toBeLessThan(3);
      expect(r.n * gap).toBeGreaterThan(1.5);
      // The analytic allocation is feasible for the discrete problem and not better than optimal.
      expect(r.alloc.profit, `n=${r.n}: analytic allocation`).toBeLessThanOrEqual(r.exact + 1e-14);
      expect(r.alloc.icMax, `n=${r.n}: analytic allocation IC`).toBeLessThanOrEqual(1e-12);
      prevGap = gap;
    }
    const rich = (a: number, b: number) => 2 * results[b].exact - results[a].exact;
    const e1 = Math.abs(rich(1, 2) - profitAnalytic) / profitAnalytic;
    const e2 = Math.abs(rich(2, 3) - profitAnalytic) / profitAnalytic;
    expect(e1, `Richardson (100, 200) relative gap`).toBeLessThan(2e-4);
    expect(e2, `Richardson (200, 400) relative gap ${e2} must shrink from ${e1}`).toBeLessThan(e1);
    expect(e2).toBeLessThan(5e-5);
    // The discrete allocation error of the analytic menu also shrinks.
    const allocGap = results.map((r) => (r.exact - r.alloc.profit) / r.exact);
    for (let k = 1; k < allocGap.length; k++) expect(allocGap[k], `allocation gaps ${allocGap}`).toBeLessThan(allocGap[k - 1]);
  });
});
