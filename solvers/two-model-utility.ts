// The two-model buyer utility of docs/model.md section 3, U(θ, q1, q2) = θ (q1^(η1/σ) + q2^(η2/σ))^σ,
// and the pointwise problem max_{q1,q2 ≥ 0} a·(q1^(η1/σ) + q2^(η2/σ))^σ − c1 q1 − c2 q2 solved
// globally for any a > 0. It is shared by the efficient allocation (3a, a = θ) and the
// multi-model monopolist (3b, a = h̄(θ)).
//
// Why corners win: for a fixed aggregate S = q1^e1 + q2^e2 (e_ℓ = η_ℓ/σ ≥ 1) the cost
// c1 y1^(1/e1) + c2 (S − y1)^(1/e2) is concave in the split y1, so it is minimized at an end:
// the cheapest way to reach any S uses one model. The global optimum is therefore a single-model
// corner with the closed form V_ℓ(a) = (1 − η_ℓ) a^(1/(1−η_ℓ)) (η_ℓ/c_ℓ)^(η_ℓ/(1−η_ℓ)). The solver
// still computes every interior critical point and compares (a cheap safeguard, reported as
// model 3 if it ever won); the tests confirm the global optimum by brute force.

import { InputError } from "../engine/errors.js";
import { brent } from "../engine/numerics/brent.js";

/** A model of a several-model market by aggregate cost: C_ℓ(Q) = cost·Q^(1/eta), q = Q^(1/eta). */
export interface AggregateModel {
  name: string;
  gamma: number;
  eta: number;
  cost: number;
}

/** Precomputed constants of the pointwise problem for one pair of models. */
export interface TwoModelProblem {
  readonly sigma: number;
  readonly models: readonly [AggregateModel, AggregateModel];
  /** e_ℓ = η_ℓ/σ */
  readonly e: readonly [number, number];
  /** V_ℓ(a) = A_ℓ a^(p_ℓ) */
  readonly A: readonly [number, number];
  readonly p: readonly [number, number];
  /** the level a_e > 0 with V_1(a_e) = V_2(a_e), or null when one model dominates for all a > 0 */
  readonly switchLevel: number | null;
  /** the model used just above a_e (higher η), 1 or 2; at exact ties this model is chosen */
  readonly highModel: 1 | 2;
}

/** The pointwise choice: model 0 none, 1 first, 2 second, 3 both (interior). */
export interface PairChoice {
  model: number;
  q1: number;
  q2: number;
  /** u = (q1^e1 + q2^e2)^σ = u_θ of the buyer's utility */
  u: number;
  /** a·u − c1 q1 − c2 q2 */
  value: number;
}

export function emptyChoice(): PairChoice {
  return { model: 0, q1: 0, q2: 0, u: 0, value: 0 };
}

/** Validates one model of a several-model market (η = σ + γ < 1, cost > 0). */
export function checkModel(sigma: number, m: AggregateModel, path: string): void {
  if (!(sigma > 0 && sigma < 1)) throw new InputError("technology.sigma", `sigma must lie in (0, 1), got ${sigma}`);
  if (!(m.gamma >= 0)) throw new InputError(`${path}.gamma`, `gamma must be ≥ 0, got ${m.gamma}`);
  if (!(Math.abs(m.eta - (sigma + m.gamma)) <= 1e-12)) {
    throw new InputError(path, `eta = ${m.eta} differs from sigma + gamma = ${sigma + m.gamma}`);
  }
  if (!(m.eta < 1)) throw new InputError(`${path}.gamma`, `sigma + gamma must be < 1, got ${m.eta}`);
  if (!(m.cost > 0 && Number.isFinite(m.cost))) throw new InputError(`${path}.cost`, `cost must be positive and finite, got ${m.cost}`);
}

/** V_ℓ(a) = (1 − η) a^(1/(1−η)) (η/c)^(η/(1−η)): the best single-model surplus at weight a. */
export function singleModelValue(eta: number, cost: number, a: number): number {
  if (!(a > 0)) return 0;
  return (1 - eta) * Math.pow(a, 1 / (1 - eta)) * Math.pow(eta / cost, eta / (1 - eta));
}

/** argmax_q a q^η − c q = (a η / c)^(1/(1−η)). */
export function singleModelQuality(eta: number, cost: number, a: number): number {
  if (!(a > 0)) return 0;
  return Math.pow((a * eta) / cost, 1 / (1 - eta));
}

/**
 * The level a_e with V_1(a_e) = V_2(a_e), in closed form: V_ℓ = A_ℓ a^(p_ℓ), p_ℓ = 1/(1−η_ℓ), so
 * a_e = (A_2/A_1)^(1/(p_1 − p_2)). Null when η_1 = η_2 (the cheaper model dominates). For the
 * efficient allocation (a = θ) this is the switch type θ_e of docs/model.md 3a.
 */
export function switchLevelClosedForm(m1: AggregateModel, m2: AggregateModel): number | null {
  if (m1.eta === m2.eta) return null;
  const logA1 = Math.log1p(-m1.eta) + (m1.eta / (1 - m1.eta)) * Math.log(m1.eta / m1.cost);
  const logA2 = Math.log1p(-m2.eta) + (m2.eta / (1 - m2.eta)) * Math.log(m2.eta / m2.cost);
  const p1 = 1 / (1 - m1.eta);
  const p2 = 1 / (1 - m2.eta);
  return Math.exp((logA2 - logA1) / (p1 - p2));
}

export function makeTwoModelProblem(sigma: number, m1: AggregateModel, m2: AggregateModel, paths: [string, string]): TwoModelProblem {
  checkModel(sigma, m1, paths[0]);
  checkModel(sigma, m2, paths[1]);
  const A = (m: AggregateModel) => (1 - m.eta) * Math.pow(m.eta / m.cost, m.eta / (1 - m.eta));
  return {
    sigma,
    models: [m1, m2],
    e: [m1.eta / sigma, m2.eta / sigma],
    A: [A(m1), A(m2)],
    p: [1 / (1 - m1.eta), 1 / (1 - m2.eta)],
    switchLevel: switchLevelClosedForm(m1, m2),
    highModel: m1.eta > m2.eta || (m1.eta === m2.eta && m1.cost <= m2.cost) ? 1 : 2,
  };
}

/** u = (q1^e1 + q2^e2)^σ, the buyer's u_θ for qualities (q1, q2). */
export function aggregateUse(prob: TwoModelProblem, q1: number, q2: number): number {
  return Math.pow(Math.pow(q1, prob.e[0]) + Math.pow(q2, prob.e[1]), prob.sigma);
}

/** Value of the labelled candidate at weight a (labels 0, 1, 2; 3 = interior, NaN if none). */
export function candidateValue(prob: TwoModelProblem, label: number, a: number, scratch: PairChoice): number {
  if (label === 0) return 0;
  if (label === 1 || label === 2) {
    const m = prob.models[label - 1];
    return singleModelValue(m.eta, m.cost, a);
  }
  return interiorCriticalPoint(prob, a, scratch) ? scratch.value : Number.NaN;
}

/**
 * The interior critical point (q1, q2 > 0) of a·S^σ − c1 q1 − c2 q2 if there is one; written into
 * `out` and true when found. With λ = aσS^(σ−1) the first-order conditions give
 * q_ℓ = (c_ℓ/(λ e_ℓ))^(1/(e_ℓ−1)); g(ln λ) = ln λ − ln(aσ) + (1−σ) ln S(λ) is strictly decreasing
 * (slope 1 − (1−σ)η_ℓ/γ_ℓ < 0 because η_ℓ < 1), so the critical point is unique. With γ_ℓ = 0 for
 * one model its condition fixes λ = c_ℓ directly.
 */
export function interiorCriticalPoint(prob: TwoModelProblem, a: number, out: PairChoice): boolean {
  if (!(a > 0)) return false;
  const { sigma, e } = prob;
  const [m1, m2] = prob.models;
  const c = [m1.cost, m2.cost];
  // γ so small that η_ℓ/σ rounds to 1 behaves as γ = 0 (its condition fixes λ).
  const flat1 = !(e[0] > 1);
  const flat2 = !(e[1] > 1);
  let q1: number;
  let q2: number;
  if (flat1 && flat2) {
    return false; // linear in the split: corners attain every critical value
  } else if (flat1 || flat2) {
    const i = flat1 ? 0 : 1; // the γ = 0 model fixes λ = c_i
    const j = 1 - i;
    const lambda = c[i];
    const qj = Math.pow(c[j] / (lambda * e[j]), 1 / (e[j] - 1));
    const S = Math.pow((a * sigma) / lambda, 1 / (1 - sigma));
    const qi = S - Math.pow(qj, e[j]);
    if (!(qi > 0) || !(qj > 0)) return false;
    q1 = i === 0 ? qi : qj;
    q2 = i === 0 ? qj : qi;
  } else {
    const k1 = e[0] / (e[0] - 1);
    const k2 = e[1] / (e[1] - 1);
    const l1 = Math.log(c[0] / e[0]);
    const l2 = Math.log(c[1] / e[1]);
    const lnAS = Math.log(a * sigma);
    const g = (x: number): number => {
      const t1 = k1 * (l1 - x);
      const t2 = k2 * (l2 - x);
      const mx = Math.max(t1, t2);
      const lnS = mx + Math.log(Math.exp(t1 - mx) + Math.exp(t2 - mx));
      return x - lnAS + (1 - sigma) * lnS;
    };
    // Bracket by stepping out from ln(aσ); g is strictly decreasing and unbounded both ways.
    // With γ_ℓ near 0 the exponents k_ℓ overflow: then no finite critical point is resolvable,
    // and none is needed (the corners are optimal regardless).
    let lo = lnAS - 1;
    let hi = lnAS + 1;
    let step = 1;
    for (let guard = 0; !(g(lo) > 0); guard++) {
      if (guard > 200 || Number.isNaN(g(lo))) return false;
      step *= 2;
      lo -= step;
    }
    step = 1;
    for (let guard = 0; !(g(hi) < 0); guard++) {
      if (guard > 200 || Number.isNaN(g(hi))) return false;
      step *= 2;
      hi += step;
    }
    if (!Number.isFinite(g(lo)) || !Number.isFinite(g(hi))) return false;
    const x = brent(g, lo, hi, { where: `two-model utility: interior critical point at a=${a}` }).root;
    q1 = Math.exp((l1 - x) / (e[0] - 1));
    q2 = Math.exp((l2 - x) / (e[1] - 1));
  }
  const u = aggregateUse(prob, q1, q2);
  const value = a * u - c[0] * q1 - c[1] * q2;
  if (!Number.isFinite(value) || !Number.isFinite(u)) return false;
  out.model = 3;
  out.q1 = q1;
  out.q2 = q2;
  out.u = u;
  out.value = value;
  return true;
}

const interiorScratch = emptyChoice();

/**
 * Global maximizer of a·(q1^e1 + q2^e2)^σ − c1 q1 − c2 q2 over q1, q2 ≥ 0, written into `out`.
 * Exact ties between the two corners go to the higher-η model (so that u is right-continuous
 * and nondecreasing in a); the interior point is taken only if it beats both corners.
 */
export function solvePair(prob: TwoModelProblem, a: number, out: PairChoice): PairChoice {
  out.model = 0;
  out.q1 = 0;
  out.q2 = 0;
  out.u = 0;
  out.value = 0;
  if (!(a > 0)) return out;
  const [m1, m2] = prob.models;
  const v1 = singleModelValue(m1.eta, m1.cost, a);
  const v2 = singleModelValue(m2.eta, m2.cost, a);
  const pick = v1 > v2 ? 1 : v2 > v1 ? 2 : prob.highModel;
  const best = pick === 1 ? v1 : v2;
  if (!(best > 0)) return out; // underflow at tiny a: nothing worth buying
  const m = pick === 1 ? m1 : m2;
  const q = singleModelQuality(m.eta, m.cost, a);
  out.model = pick;
  out.q1 = pick === 1 ? q : 0;
  out.q2 = pick === 2 ? q : 0;
  out.u = Math.pow(q, m.eta);
  out.value = best;
  if (interiorCriticalPoint(prob, a, interiorScratch) && interiorScratch.value > best * (1 + 1e-12)) {
    out.model = 3;
    out.q1 = interiorScratch.q1;
    out.q2 = interiorScratch.q2;
    out.u = interiorScratch.u;
    out.value = interiorScratch.value;
  }
  return out;
}

/** A change of the chosen model along the types: below `theta` model `from`, from `theta` on `to`. */
export interface ModelSwitch {
  theta: number;
  from: number;
  to: number;
  /** weight a(θ) at the switch */
  level: number;
}

/**
 * Every change between two served models along a nondecreasing weight a(θ) on the grid `theta`
 * (scanned at the grid, then located exactly: Brent on V_from(a(θ)) − V_to(a(θ)) for two corners,
 * bisection on the label otherwise). Changes from or to "nothing" are θ*, not switches.
 */
export function findModelSwitches(
  prob: TwoModelProblem,
  aOf: (theta: number) => number,
  theta: Float64Array,
  where: string,
): { switches: ModelSwitch[]; iterations: number } {
  const switches: ModelSwitch[] = [];
  const c = emptyChoice();
  const s = emptyChoice();
  let iterations = 0;
  let prev = solvePair(prob, aOf(theta[0]), c).model;
  for (let i = 1; i < theta.length; i++) {
    const cur = solvePair(prob, aOf(theta[i]), c).model;
    if (cur === prev) continue;
    if (prev !== 0 && cur !== 0) {
      let root: number;
      if (prev !== 3 && cur !== 3) {
        const f = (x: number) => {
          const a = aOf(x);
          return candidateValue(prob, cur, a, s) - candidateValue(prob, prev, a, s);
        };
        const r = brent(f, theta[i - 1], theta[i], { where: `${where}: switch from model ${prev} to ${cur}` });
        iterations += r.iterations;
        root = r.root;
      } else {
        let lo = theta[i - 1];
        let hi = theta[i];
        while (hi - lo > 4e-16 * Math.max(Math.abs(lo), Math.abs(hi), 1e-300)) {
          const mid = 0.5 * (lo + hi);
          if (mid <= lo || mid >= hi) break;
          if (solvePair(prob, aOf(mid), c).model === prev) lo = mid;
          else hi = mid;
          iterations++;
        }
        root = hi;
      }
      switches.push({ theta: root, from: prev, to: cur, level: aOf(root) });
    } else if (cur !== 0 && prob.switchLevel !== null) {
      // Service starts inside this cell; the corner switch may hide in the same cell.
      const ae = prob.switchLevel;
      const aLo = aOf(theta[i - 1]);
      const aHi = aOf(theta[i]);
      if (aLo < ae && ae < aHi && cur === prob.highModel) {
        const r = brent((x) => aOf(x) - ae, theta[i - 1], theta[i], { where: `${where}: switch level a_e=${ae}` });
        iterations += r.iterations;
        switches.push({ theta: r.root, from: 3 - prob.highModel, to: cur, level: aOf(r.root) });
      }
    }
    prev = cur;
  }
  return { switches, iterations };
}
