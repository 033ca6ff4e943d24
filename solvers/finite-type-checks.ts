// A-posteriori checks of a menu for finitely many task-profile types (docs/model.md sections 4 and 5),
// where type i values item j (a per-bin quality profile Q^j at price t_j) at
// u_i(Q^j) = (1/M) Σ_b w^i_b Q^j_b. They use only the menu and the buyers' values, not the
// solver's derivation:
//   - incentive compatibility over every ordered pair (types may be ordered in no way, so no
//     local shortcut applies): u_i(Q^j) − t_j ≤ U_i + 1e-9·scale;
//   - participation: U_i ≥ −1e-9·scale;
//   - `monotone`: the pairwise monotonicity IC implies, (w^i − w^j)·(Q^i − Q^j) ≥ 0 (adding IC_ij
//     and IC_ji), the multidimensional counterpart of a nondecreasing allocation;
//   - `excludedZero`: a type with the null item pays exactly nothing.
// There is no envelope identity along a line of types here (envelopeMaxError is 0): the all-pairs
// IC check is the complete test.

import type { Checks } from "./types.js";

export interface FiniteTypeMenu {
  n: number;
  m: number;
  /** n × m task weights */
  w: Float64Array;
  /** n × m qualities of each type's item */
  Q: Float64Array;
  t: Float64Array;
  /** how to name type i in messages (e.g. its row in the scenario) */
  name?: (i: number) => string;
  /** cap on the types used for the O(n² m) pair checks (evenly thinned; default 2000) */
  maxTypes?: number;
}

export function checkFiniteTypeMenu(menu: FiniteTypeMenu): Checks {
  const { n, m, w, Q, t } = menu;
  const name = menu.name ?? ((i: number) => `type ${i}`);
  const value = (i: number, j: number) => {
    let s = 0;
    for (let b = 0; b < m; b++) s += w[i * m + b] * Q[j * m + b];
    return s / m;
  };
  const U = new Float64Array(n);
  let scale = 1e-300;
  for (let i = 0; i < n; i++) {
    const v = value(i, i);
    U[i] = v - t[i];
    scale = Math.max(scale, Math.abs(v), Math.abs(t[i]), Math.abs(U[i]));
  }
  const tolerance = 1e-9 * scale;
  const failures: string[] = [];

  const k = Math.min(n, menu.maxTypes ?? 2000);
  const pick = Int32Array.from({ length: k }, (_, a) => (k === 1 ? 0 : Math.round((a * (n - 1)) / (k - 1))));
  let icMaxGain = n > 1 ? -Infinity : 0;
  let icWorst = "";
  let monoWorst = 0;
  let monoWhere = "";
  for (const i of pick) {
    for (const j of pick) {
      if (i === j) continue;
      const gain = value(i, j) - t[j] - U[i];
      if (gain > icMaxGain) {
        icMaxGain = gain;
        icWorst = `${name(i)} gains ${gain.toExponential(3)} by taking the item of ${name(j)}`;
      }
      if (i < j) {
        let s = 0;
        for (let b = 0; b < m; b++) s += (w[i * m + b] - w[j * m + b]) * (Q[i * m + b] - Q[j * m + b]);
        s /= m;
        if (s < monoWorst) {
          monoWorst = s;
          monoWhere = `${name(i)} and ${name(j)}: (w^i − w^j)·(Q^i − Q^j)/M = ${s.toExponential(3)}`;
        }
      }
    }
  }
  if (icMaxGain > tolerance) failures.push(`incentive compatibility: ${icWorst} (tolerance ${tolerance.toExponential(3)})`);
  const monotone = monoWorst >= -2 * tolerance;
  if (!monotone) failures.push(`pairwise monotonicity: ${monoWhere} < 0`);

  let irMinSlack = Infinity;
  let irWorst = "";
  for (let i = 0; i < n; i++) {
    if (U[i] < irMinSlack) {
      irMinSlack = U[i];
      irWorst = `${name(i)} gets U = ${U[i].toExponential(3)}`;
    }
  }
  if (irMinSlack < -tolerance) failures.push(`participation: ${irWorst} (tolerance ${tolerance.toExponential(3)})`);

  let excludedZero = true;
  for (let i = 0; i < n && excludedZero; i++) {
    let served = false;
    for (let b = 0; b < m; b++) if (Q[i * m + b] !== 0) served = true;
    if (!served && t[i] !== 0) {
      excludedZero = false;
      failures.push(`exclusion: ${name(i)} gets the null item at price ${t[i]}`);
    }
  }
  return {
    icMaxGain,
    irMinSlack,
    envelopeMaxError: 0,
    monotone,
    excludedZero,
    scale,
    tolerance,
    passed: failures.length === 0,
    failures,
  };
}
