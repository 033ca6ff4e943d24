// The per-type record of a single-model menu (README "The result object", `points`): quality, transfer, rent,
// fee above cost t − C(Q), average markup t/C(Q) and marginal price where served, and the
// cost-minimizing budgets X, Z keyed by class name (docs/model.md section 2, "Implementation").

import type { CostOfQuality } from "../engine/technology/types.js";
import type { PointRecord } from "./types.js";

export function menuItemRecord(cost: CostOfQuality, theta: number, Q: number, t: number, U: number): PointRecord {
  const c = cost.cost(Q);
  const rec: PointRecord = { theta, Q, t, U, fee: t - c };
  if (Q > 0) {
    rec.markup = t / c;
    rec.marginalPrice = theta;
  }
  const J = cost.tokenClasses.length;
  const K = cost.fineTuningClasses.length;
  if (J + K > 0) {
    const bx = new Float64Array(J);
    const bz = new Float64Array(K);
    cost.budgets(Q, bx, bz);
    const X: Record<string, number> = {};
    const Z: Record<string, number> = {};
    cost.tokenClasses.forEach((name, j) => (X[name] = bx[j]));
    cost.fineTuningClasses.forEach((name, k) => (Z[name] = bz[k]));
    rec.X = X;
    rec.Z = Z;
  }
  return rec;
}
