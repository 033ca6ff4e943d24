// The buyer's fringe top-up (docs/model.md 3c). A buyer of type θ who holds leader quality q_L buys
// q_F ≥ 0 from the competitive fringe at marginal cost c_F:
//   u(θ, q_L) = max_{q_F ≥ 0} θ (q_L^(η_L/σ) + q_F^(η_F/σ))^σ − c_F q_F,
// with outside option u0(θ) = u(θ, 0) and, by the envelope theorem, u_θ = (a + q_F^β)^σ at the
// optimum (a = q_L^(η_L/σ), β = η_F/σ ≥ 1).
//
// Why the problem is solved globally: with γ_F > 0 (β > 1) the objective in x = q_F is not
// concave. Its slope θσβ·g(x) − c_F has g(x) = x^(β−1)(a + x^β)^(σ−1), which rises from 0 to a
// single peak at x*^β = (β−1)a/(1−σβ) and then falls to 0 (σβ = η_F < 1). So there are at most
// two critical points: a local minimum below x* and a local maximum x₂ above it. The global
// solution is the better of the corner x = 0 and x₂ (found by Brent on ln-slope, bracketed by
// x* and x_up = (θσβ/c_F)^(1/(1−σβ)), where the bound (a + x^β)^(σ−1) ≤ x^(β(σ−1)) makes the
// slope negative). With γ_F = 0 the problem is concave and explicit: q_F = max(0, T − a),
// T(θ) = (θσ/c_F)^(1/(1−σ)).
//
// The outside option has a closed form for every γ_F: with a = 0 it is the single-model value
// u0 = (1 − η_F) θ^(1/(1−η_F)) (η_F/c_F)^(η_F/(1−η_F)), slope u0' = (θη_F/c_F)^(η_F/(1−η_F)),
// and the limit quality q̂ = u0'^(1/η_L) is the leader quality with u_θ(θ, q̂) = u0'(θ): above
// it the leader's item raises the buyer's rent over the outside option, below it it lowers it
// (γ_F > 0) or leaves it unchanged (γ_F = 0). For γ_F = 0 these reduce to docs/model.md's
// u0 = c_F T (1−σ)/σ, u0' = T^σ, q̂ = T^(σ/η_L).

import { InputError, NumericalError } from "../engine/errors.js";
import { brent } from "../engine/numerics/brent.js";

/** Constants of the top-up problem. */
export interface FringeMarket {
  sigma: number;
  /** η_L = σ + γ_L */
  etaL: number;
  /** η_F = σ + γ_F */
  etaF: number;
  /** c_F > 0 */
  cF: number;
}

export interface TopUp {
  /** fringe quality bought, q_F */
  qF: number;
  /** u(θ, q_L) */
  u: number;
  /** u_θ(θ, q_L) = (q_L^(η_L/σ) + q_F^(η_F/σ))^σ */
  uTheta: number;
}

/** Validates the market constants (InputError with the scenario path). */
export function checkFringeMarket(m: FringeMarket): void {
  if (!(m.sigma > 0 && m.sigma < 1)) throw new InputError("technology.sigma", `sigma must lie in (0, 1), got ${m.sigma}`);
  if (!(m.etaF >= m.sigma && m.etaF < 1)) {
    throw new InputError("market.fringe.gamma", `the fringe needs 0 ≤ γ_F and σ + γ_F < 1, got η_F = ${m.etaF}`);
  }
  if (!(m.etaL >= m.sigma && m.etaL < 1)) {
    throw new InputError("market.leader.gamma", `the leader needs 0 ≤ γ_L and σ + γ_L < 1, got η_L = ${m.etaL}`);
  }
  if (!(m.cF > 0 && Number.isFinite(m.cF))) {
    throw new InputError("market.fringe.cost", `the fringe cost c_F must be positive and finite (u0 is infinite at c_F = 0), got ${m.cF}`);
  }
}

/** u0(θ) = u(θ, 0): the fringe alone. */
export function outsideOption(theta: number, m: FringeMarket): number {
  if (!(theta > 0)) return 0;
  const e = m.etaF;
  return (1 - e) * Math.pow(theta, 1 / (1 - e)) * Math.pow(e / m.cF, e / (1 - e));
}

/** u0'(θ) = u_θ(θ, 0) = (θη_F/c_F)^(η_F/(1−η_F)). */
export function outsideOptionSlope(theta: number, m: FringeMarket): number {
  if (!(theta > 0)) return 0;
  const e = m.etaF;
  return Math.pow((theta * e) / m.cF, e / (1 - e));
}

/** Fringe quality bought by a type that buys nothing from the leader: (θη_F/c_F)^(1/(1−η_F)). */
export function fringeOnlyQuality(theta: number, m: FringeMarket): number {
  if (!(theta > 0)) return 0;
  return Math.pow((theta * m.etaF) / m.cF, 1 / (1 - m.etaF));
}

/** q̂(θ) = u0'(θ)^(1/η_L) = (θη_F/c_F)^(η_F/((1−η_F)η_L)). */
export function limitQuality(theta: number, m: FringeMarket): number {
  if (!(theta > 0)) return 0;
  const e = m.etaF;
  return Math.pow((theta * e) / m.cF, e / ((1 - e) * m.etaL));
}

// Brent's equation state, kept in module scope so that the hot loops of the checks allocate no
// closure per call (the top-up is evaluated O(n²) times there).
let psiK = 0;
let psiA = 0;
let psiB = 1;
let psiS = 0.5;
const psi = (x: number): number => psiK + (psiB - 1) * Math.log(x) + (psiS - 1) * Math.log(psiA + Math.pow(x, psiB));
const psiOptions = { where: "fringe top-up: interior critical point" };

/**
 * The interior local maximum x₂ > 0 of θ(a + x^β)^σ − c_F x (β > 1), or −1 when there is none.
 * ψ(x) = ln(θσβ/c_F) + (β−1) ln x + (σ−1) ln(a + x^β) is the log of slope/c_F plus one; its
 * zeros are the critical points, and x₂ is the one where ψ falls.
 */
function interiorMaximum(theta: number, a: number, m: FringeMarket): number {
  const s = m.sigma;
  const b = m.etaF / s;
  const k = Math.log((theta * s * b) / m.cF);
  // In y = ln x: ψ = k + (β−1)y + (σ−1)ln(a + e^(βy)). ψ rises to its maximum at
  // y* = ln x* (x*^β = (β−1)a/(1−σβ)) and falls after it, towards its zero below y_up (the root
  // with a = 0). Logs of a and of constants replace the powers (ψ(x*) in closed form).
  const yUp = k / (1 - s * b);
  const xUp = Math.exp(yUp);
  if (a === 0) return xUp; // ψ = k + (σβ − 1) y: the single root is y_up itself
  const la = Math.log(a);
  const yStar = (Math.log((b - 1) / (1 - s * b)) + la) / b;
  const top = k + (b - 1) * yStar + (s - 1) * (la + Math.log((b * (1 - s)) / (1 - s * b)));
  if (!(top > 0)) return -1; // slope ≤ c_F everywhere: no interior critical point
  if (!(yUp > yStar)) {
    throw new NumericalError(psiOptions.where, `bracket [${Math.exp(yStar)}, ${xUp}] is empty at θ=${theta}, a=${a}`);
  }
  // Newton's method from y_up: ψ is concave in y and falls on [y*, y_up], so from y_up (ψ ≤ 0)
  // the iterates move left and stay right of the root, converging monotonically (quadratically
  // once close): 2–4 steps of one exp and one log on a sweep's types, where Brent's method took
  // about twelve evaluations of two logs and a power. A root next to y* (ψ' ≈ 0 there, a
  // near-double root) converges slowly: Brent's method then finishes.
  let y = yUp;
  for (let it = 0; it < 40; it++) {
    const e = Math.exp(b * y);
    const S = a + e;
    const f = k + (b - 1) * y + (s - 1) * Math.log(S);
    if (it === 0 && f >= 0) return xUp; // only when a underflows against x_up^β
    const d = b - 1 + ((s - 1) * b * e) / S;
    if (!(d < 0)) break;
    const step = f / d; // ≥ 0 while ψ ≤ 0: y moves left
    if (!(step > 0)) return Math.exp(y);
    const next = y - step;
    if (!(next > yStar)) break;
    // (absolute in y near y = 0, x = 1: a step of 4e-16 in y is 4e-16 of x, the rounding of ψ
    // itself there; 4e-16·|y| alone was out of reach, and at θ = c_F/(σβ), where y_up = 0, the
    // iterates wandered in ψ's rounding until one landed where ψ rounds to > 0 and Brent's
    // bracket [x*, x] had ends of one sign: a numerical failure, 5 Dec 2026)
    if (step <= 4e-16 * Math.max(Math.abs(y), 1)) return Math.exp(next);
    y = next;
  }
  psiK = k;
  psiA = a;
  psiB = b;
  psiS = s;
  const x = Math.exp(y);
  // iterates stay right of the root up to ψ's rounding: where ψ(x) rounds to ≥ 0, x is the root
  if (psi(x) >= 0) return x;
  return brent(psi, Math.exp(yStar), x, psiOptions).root;
}

/**
 * Global solution of the top-up problem at (θ, q_L), written into `out` (allocated when absent).
 * Ties between the corner and the interior maximum go to the interior point (larger u_θ: the
 * right derivative of the convex function θ ↦ u(θ, q_L)).
 */
export function fringeTopUp(theta: number, qL: number, m: FringeMarket, out?: TopUp): TopUp {
  const r = out ?? { qF: 0, u: 0, uTheta: 0 };
  const s = m.sigma;
  const a = qL > 0 ? Math.pow(qL, m.etaL / s) : 0;
  const cornerSlope = qL > 0 ? Math.pow(qL, m.etaL) : 0; // a^σ
  if (!(theta > 0)) {
    // θ = 0 values nothing: any fringe purchase only costs.
    r.qF = 0;
    r.u = 0;
    r.uTheta = cornerSlope;
    return r;
  }
  if (m.etaF === s) {
    const T = Math.pow((theta * s) / m.cF, 1 / (1 - s));
    if (a < T) {
      r.qF = T - a;
      r.u = outsideOption(theta, m) + m.cF * a;
      r.uTheta = Math.pow(T, s);
    } else {
      r.qF = 0;
      r.u = theta * cornerSlope;
      r.uTheta = cornerSlope;
    }
    return r;
  }
  const corner = theta * cornerSlope;
  if (a === 0) {
    r.qF = fringeOnlyQuality(theta, m);
    r.u = outsideOption(theta, m);
    r.uTheta = outsideOptionSlope(theta, m);
    return r;
  }
  const x = interiorMaximum(theta, a, m);
  if (x > 0) {
    const S = a + Math.pow(x, m.etaF / s);
    const uS = Math.pow(S, s);
    const value = theta * uS - m.cF * x;
    if (value >= corner) {
      r.qF = x;
      r.u = value;
      r.uTheta = uS;
      return r;
    }
  }
  r.qF = 0;
  r.u = corner;
  r.uTheta = cornerSlope;
  return r;
}

/**
 * q_s(θ): the smallest leader quality at which the buyer stops topping up (q_F = 0 for
 * q_L ≥ q_s). The top-up gain max_x θ(a + x^β)^σ − c_F x − θa^σ falls in a (concavity of
 * y ↦ (a + y)^σ), so {q_L : q_F > 0} = [0, q_s). With γ_F = 0, q_s = q̂. Brent on the gain's sign.
 */
export function topUpSwitchQuality(theta: number, m: FringeMarket): number {
  if (!(theta > 0)) return 0;
  const qhat = limitQuality(theta, m);
  // (q̂ = ∞ where it overflows: no finite switch to find)
  if (m.etaF === m.sigma || !(qhat < Infinity)) return qhat;
  // At q̂ the buyer no longer tops up: u_θ(θ, q) ≤ u0' < interior u_θ would contradict the
  // fall of total quality along the interior branch, so [0, q̂] brackets the switch.
  const adv = (q: number): number => topUpAdvantage(theta, q, m);
  if (adv(qhat) >= 0) {
    throw new NumericalError(`fringe top-up switch at θ=${theta}`, `the buyer still tops up at q̂ = ${qhat}`);
  }
  // Brent on the advantage, which crosses 0 continuously at the switch (about 10 evaluations,
  // each a top-up solve; a bisection on the sign of the choice took 50); the switch is the first
  // quality at which the buyer no longer tops up.
  const q = brent(adv, 0, qhat, { where: `fringe top-up switch at θ=${theta}` }).root;
  if (adv(q) < 0) return q;
  // Brent stopped on the buying side (the advantage is flat to rounding where γ_F ≈ 0, or the
  // qualities are near underflow): widen a step until the buyer stops, then bisect on the sign.
  let lo = q;
  let hi = q;
  for (let step = Math.max(4 * Number.EPSILON * q, Number.MIN_VALUE); hi < qhat; step *= 2) {
    hi = Math.min(qhat, q + step);
    if (adv(hi) < 0) break;
    lo = hi;
  }
  for (let i = 0; i < 200 && hi - lo > 4e-16 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (adv(mid) >= 0) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * r = q_s(θ)/q̂(θ), the same at every θ (docs/model.md 3c, "The switch scales with θ"): with
 * κ = (θ/c_F)^(1/(1−η_F)), x = κz and a = κ^β ã, the top-up objective is c_F κ[(ã + z^β)^σ − z]
 * and the corner's c_F κ ã^σ, so whether the buyer tops up depends on ã alone, and q_s, like
 * q̂, is a constant times θ^(η_F/((1−η_F)η_L)). Found once, at θ = c_F/η_F where q̂ = 1 and the
 * switch is best conditioned, it replaces a root per type (the leader–fringe certificate asked
 * for one at every grid type of every sweep point: a quarter of a γ_F > 0 sweep's time). Per
 * type, topUpSwitchQuality's roots agree with r·q̂ to 9e-13 relative (200 random markets, θ from
 * 1e-3 to 5), the spread being their own: at small θ the advantage is flat in q_L.
 */
export function switchRatio(m: FringeMarket): number {
  if (m.etaF === m.sigma) return 1;
  const ref = m.cF / m.etaF;
  return topUpSwitchQuality(ref, m) / limitQuality(ref, m);
}

/**
 * The interior branch's value minus the corner's, θ(a + x₂^β)^σ − c_F x₂ − θa^σ at q_L (γ_F > 0,
 * θ > 0): ≥ 0 exactly where fringeTopUp has the buyer top up (ties go to the interior). The
 * top-up gain max(0, ·) is continuous in q_L, so this crosses 0 continuously at the switch;
 * where the interior maximum no longer exists it is −θa^σ (the gain is 0 there already).
 */
function topUpAdvantage(theta: number, qL: number, m: FringeMarket): number {
  const s = m.sigma;
  const a = qL > 0 ? Math.pow(qL, m.etaL / s) : 0;
  // a = 0 (also where q_L^(η_L/σ) underflows): the buyer takes the fringe alone, as fringeTopUp has it
  if (a === 0) return outsideOption(theta, m);
  const corner = theta * Math.pow(qL, m.etaL);
  const x = interiorMaximum(theta, a, m);
  if (!(x > 0)) return -corner;
  const S = a + Math.pow(x, m.etaF / s);
  return theta * Math.pow(S, s) - m.cF * x - corner;
}
