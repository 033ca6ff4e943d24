// A-posteriori checks of a solved menu (docs/model.md section 5): incentive compatibility over
// pairs of grid types, participation against the outside option, the envelope formula,
// monotone allocation and Q = 0 on excluded types. Every solver calls this on its final menu;
// the checks use only the menu (items and prices) and the buyer's utility, not the solver's
// derivation, so they catch a wrong formula as well as a numerical slip.

import { integratePiecewise } from "../engine/numerics/piecewise-integral.js";
import type { Checks } from "./types.js";

export interface MenuCheckInput {
  /** grid types, ascending */
  theta: Float64Array;
  /** transfer paid by each grid type for its own item */
  t: Float64Array;
  /** allocation that must be nondecreasing (Q, or q_L) */
  alloc: Float64Array;
  /** gross utility of type θ from grid type j's item (fringe top-up included), before paying t_j */
  grossValue(theta: number, j: number): number;
  /** outside option u0(θ) (0 without a fringe) */
  outside(theta: number): number;
  /** u_θ(s, q(s)) along the menu: the envelope integrand (Q(s) for a single model) */
  envelopeRate(s: number): number;
  /** lowest served type θ* (items below must be exactly empty), or null when none is excluded */
  thetaStar: number | null;
  /** types where the allocation has a kink or jump (θ*, ironing ends, thresholds): the
   *  envelope integral is split there, as a careful hand computation would be */
  kinks?: number[];
  /** cap on the number of types used for the O(n²) incentive check (default 401) */
  maxIcTypes?: number;
}

export function checkMenu(input: MenuCheckInput): Checks {
  const { theta, t, alloc } = input;
  const n = theta.length;
  const failures: string[] = [];
  // Own net utility U_i = v(θ_i, item_i) − t_i.
  const U = new Float64Array(n);
  let scale = 1e-300;
  for (let i = 0; i < n; i++) {
    const v = input.grossValue(theta[i], i);
    U[i] = v - t[i];
    scale = Math.max(scale, Math.abs(t[i]), Math.abs(U[i]), Math.abs(v));
  }
  const tolerance = 1e-9 * scale;

  // Incentive compatibility on an evenly thinned subset (every pair of it).
  const m = Math.min(n, input.maxIcTypes ?? 401);
  const pick = new Int32Array(m);
  for (let k = 0; k < m; k++) pick[k] = m === 1 ? 0 : Math.round((k * (n - 1)) / (m - 1));
  let icMaxGain = -Infinity;
  let icWorst = "";
  for (let a = 0; a < m; a++) {
    const i = pick[a];
    for (let b = 0; b < m; b++) {
      const j = pick[b];
      if (i === j) continue;
      const gain = input.grossValue(theta[i], j) - t[j] - U[i];
      if (gain > icMaxGain) {
        icMaxGain = gain;
        icWorst = `type θ=${theta[i]} gains ${gain.toExponential(3)} by taking the item of θ=${theta[j]}`;
      }
    }
  }
  if (m === 1) icMaxGain = 0;
  if (icMaxGain > tolerance) failures.push(`incentive compatibility: ${icWorst} (tolerance ${tolerance.toExponential(3)})`);

  // Participation.
  let irMinSlack = Infinity;
  let irWorst = "";
  for (let i = 0; i < n; i++) {
    const slack = U[i] - input.outside(theta[i]);
    if (slack < irMinSlack) {
      irMinSlack = slack;
      irWorst = `type θ=${theta[i]} gets U − u0 = ${slack.toExponential(3)}`;
    }
  }
  if (irMinSlack < -tolerance) failures.push(`participation: ${irWorst} (tolerance ${tolerance.toExponential(3)})`);

  // Envelope: U(θ_i) − U(θ_0) against ∫ u_θ, integrated independently between grid types.
  let envelopeMaxError = 0;
  let envWorst = "";
  let acc = 0;
  const kinks = [...(input.kinks ?? [])].sort((x, y) => x - y);
  for (let i = 1; i < n; i++) {
    acc += integratePiecewise(input.envelopeRate, theta[i - 1], theta[i], kinks, {
      epsrel: 1e-12,
      epsabs: 1e-15 * scale,
      endpoints: true,
      where: `envelope check on [${theta[i - 1]}, ${theta[i]}]`,
    });
    const err = Math.abs(U[i] - U[0] - acc);
    if (err > envelopeMaxError) {
      envelopeMaxError = err;
      envWorst = `at θ=${theta[i]}: U − U(θmin) = ${U[i] - U[0]} but ∫ u_θ = ${acc}`;
    }
  }
  if (envelopeMaxError > tolerance) failures.push(`envelope: ${envWorst} (tolerance ${tolerance.toExponential(3)})`);

  // Monotone allocation.
  let monotone = true;
  for (let i = 1; i < n; i++) {
    if (alloc[i] < alloc[i - 1] - 1e-12 * Math.max(1, Math.abs(alloc[i - 1]))) {
      monotone = false;
      failures.push(`monotonicity: allocation falls from ${alloc[i - 1]} at θ=${theta[i - 1]} to ${alloc[i]} at θ=${theta[i]}`);
      break;
    }
  }

  // Excluded types get exactly nothing.
  let excludedZero = true;
  if (input.thetaStar !== null) {
    for (let i = 0; i < n && theta[i] < input.thetaStar; i++) {
      if (alloc[i] !== 0 || t[i] !== 0) {
        excludedZero = false;
        failures.push(`exclusion: type θ=${theta[i]} < θ*=${input.thetaStar} gets allocation ${alloc[i]} at price ${t[i]}`);
        break;
      }
    }
  }

  return {
    icMaxGain,
    irMinSlack,
    envelopeMaxError,
    monotone,
    excludedZero,
    scale,
    tolerance,
    passed: failures.length === 0,
    failures,
  };
}

/** The checks of a single-model menu, where type θ values item j at θ·Q_j and the outside
 *  option is 0 (monopoly, tiers, efficient and multi-model menus in aggregate quality). */
export function checkLinearMenu(input: Omit<MenuCheckInput, "grossValue" | "outside">): Checks {
  const q = input.alloc;
  return checkMenu({ ...input, grossValue: (theta, j) => theta * q[j], outside: () => 0 });
}
