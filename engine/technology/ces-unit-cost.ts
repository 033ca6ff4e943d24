// Unit cost and cost-minimizing input mix of a CES aggregate (docs/model.md section 1, "Cost of
// quality"): A(X) = (Σ_j α_j X_j^ρ)^(1/ρ) bought at prices c_j costs e·A with
//   e = (Σ_j α_j^s c_j^(1−s))^(1/(1−s)),  s = 1/(1−ρ),
// and the cheapest mix is X_j = A (e α_j / c_j)^s.
//
// Numerics. With r_j = log(c_j/α_j) and t = 1 − s = −ρ/(1−ρ) ∈ (−∞, 1), e is the α-weighted
// power mean of c_j/α_j with exponent t:  log e = (1/t) log Σ_j α_j exp(t r_j).  This needs
// Σα = 1 (the ρ → 0 limit, Cobb–Douglas Π (c_j/α_j)^(α_j), exists only then; callers
// normalize α). Three regimes keep it accurate everywhere:
//   - |t| tiny (|ρ| ≲ 1e-7, including ρ = 0): cumulant series around the mean μ = Σ α r;
//   - |t|·max|r − μ| ≤ 1: centred form μ + log1p(Σ α expm1(t (r − μ)))/t, whose absolute error
//     is ~eps·max|r − μ| however small t is (a plain log-sum would lose eps/|t|);
//   - otherwise: log-sum-exp shifted by the largest exponent, so no overflow for ρ → 1
//     (t → −∞, s → ∞) nor for large negative ρ (Leontief-like, t → 1).
// ρ = 1 exactly (perfect substitutes): e = min c_j/α_j and A goes to the cheapest classes; tied
// classes (equal c_j/α_j as doubles) get equal token quantities A/Σ_tied α, which is the
// limit of the CES mix as ρ ↑ 1.

const SERIES_T = 1e-7;

/** Unit cost e of the CES aggregate with weights α (Σα = 1, α > 0), prices c > 0, ρ ≤ 1. */
export function cesUnitCost(alpha: ArrayLike<number>, cost: ArrayLike<number>, rho: number): number {
  const J = alpha.length;
  if (rho === 1) {
    let best = Infinity;
    for (let j = 0; j < J; j++) best = Math.min(best, cost[j] / alpha[j]);
    return best;
  }
  const t = -rho / (1 - rho);
  let mu = 0;
  for (let j = 0; j < J; j++) mu += alpha[j] * Math.log(cost[j] / alpha[j]);
  const spread = maxDeviation(alpha, cost, mu);
  if (Math.abs(t) * spread <= 1) return Math.exp(mu + centredLogMean(alpha, cost, mu, t));
  const ref = referenceLog(alpha, cost, t);
  return Math.exp(ref + shiftedLogSum(alpha, cost, ref, t) / t);
}

/**
 * Cost-minimizing inputs for aggregate level A = `level` ≥ 0, written into `out` (length J):
 * X_j = A (e α_j/c_j)^s, so that A(X) = level and Σ c_j X_j = e·level. ρ = 0 gives
 * X_j = A α_j e/c_j; ρ = 1 puts everything on the cheapest c_j/α_j (ties: equal quantities).
 */
export function cesInputs(
  alpha: ArrayLike<number>,
  cost: ArrayLike<number>,
  rho: number,
  level: number,
  out: { length: number; [j: number]: number },
): void {
  const J = alpha.length;
  if (rho === 1) {
    let best = Infinity;
    for (let j = 0; j < J; j++) best = Math.min(best, cost[j] / alpha[j]);
    let tiedWeight = 0;
    for (let j = 0; j < J; j++) if (cost[j] / alpha[j] === best) tiedWeight += alpha[j];
    for (let j = 0; j < J; j++) out[j] = cost[j] / alpha[j] === best ? level / tiedWeight : 0;
    return;
  }
  const s = 1 / (1 - rho);
  const t = -rho / (1 - rho);
  let mu = 0;
  for (let j = 0; j < J; j++) mu += alpha[j] * Math.log(cost[j] / alpha[j]);
  const spread = maxDeviation(alpha, cost, mu);
  if (Math.abs(t) * spread <= 1) {
    // log X_j − log A = s (L − d_j) with L = log e − μ, d_j = r_j − μ.
    const sL = Math.abs(t) < SERIES_T ? s * centredLogMean(alpha, cost, mu, t) : -centredLogSum(alpha, cost, mu, t) / rho;
    for (let j = 0; j < J; j++) out[j] = level * Math.exp(sL - s * (Math.log(cost[j] / alpha[j]) - mu));
    return;
  }
  // log X_j − log A = s (ref − r_j) + (s/t)·lse, and s/t = −1/ρ: no product of a huge s with
  // a rounded log e, which would lose all digits as ρ → 1.
  const ref = referenceLog(alpha, cost, t);
  const lseOverRho = shiftedLogSum(alpha, cost, ref, t) / rho;
  for (let j = 0; j < J; j++) out[j] = level * Math.exp(s * (ref - Math.log(cost[j] / alpha[j])) - lseOverRho);
}

function maxDeviation(alpha: ArrayLike<number>, cost: ArrayLike<number>, mu: number): number {
  let m = 0;
  for (let j = 0; j < alpha.length; j++) m = Math.max(m, Math.abs(Math.log(cost[j] / alpha[j]) - mu));
  return m;
}

/** log Σ α_j exp(t d_j) with d_j = r_j − μ, computed as log1p(Σ α_j expm1(t d_j)) (Σα = 1). */
function centredLogSum(alpha: ArrayLike<number>, cost: ArrayLike<number>, mu: number, t: number): number {
  let S = 0;
  for (let j = 0; j < alpha.length; j++) S += alpha[j] * Math.expm1(t * (Math.log(cost[j] / alpha[j]) - mu));
  return Math.log1p(S);
}

/** L(t) = (1/t) log Σ α_j exp(t d_j) = log e − μ; the cumulant series κ2 t/2 + κ3 t²/6 for tiny t. */
function centredLogMean(alpha: ArrayLike<number>, cost: ArrayLike<number>, mu: number, t: number): number {
  if (Math.abs(t) < SERIES_T) {
    let k2 = 0;
    let k3 = 0;
    for (let j = 0; j < alpha.length; j++) {
      const d = Math.log(cost[j] / alpha[j]) - mu;
      k2 += alpha[j] * d * d;
      k3 += alpha[j] * d * d * d;
    }
    return t * (k2 / 2 + (t * k3) / 6);
  }
  return centredLogSum(alpha, cost, mu, t) / t;
}

/** The r_j with the largest t·r_j (min r for t < 0, max r for t > 0): shifting by it keeps every exponent ≤ 0. */
function referenceLog(alpha: ArrayLike<number>, cost: ArrayLike<number>, t: number): number {
  let ref = t < 0 ? Infinity : -Infinity;
  for (let j = 0; j < alpha.length; j++) {
    const r = Math.log(cost[j] / alpha[j]);
    ref = t < 0 ? Math.min(ref, r) : Math.max(ref, r);
  }
  return ref;
}

function shiftedLogSum(alpha: ArrayLike<number>, cost: ArrayLike<number>, ref: number, t: number): number {
  let S = 0;
  for (let j = 0; j < alpha.length; j++) S += alpha[j] * Math.exp(t * (Math.log(cost[j] / alpha[j]) - ref));
  return Math.log(S);
}

/** One CES group of token classes (task tokens, or fine-tuning tokens), α normalized to Σα = 1. */
export interface CesGroup {
  readonly names: readonly string[];
  readonly alpha: readonly number[];
  readonly cost: readonly number[];
  readonly rho: number;
}
