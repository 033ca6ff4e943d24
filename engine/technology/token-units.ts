// Token volumes of a technology: how many task tokens (summed over the task-token classes) and
// fine-tuning tokens a buyer of quality Q buys at the cost-minimizing budgets (docs/model.md section 1).
// Market observables (token shares, prices per token) count these tokens.
//
// With CES (or no) fine-tuning the budgets are proportional to q = Q^(1/η) (cost is linear in q:
// C = κ q), so a technology is summarized by tokens per unit of q, by class. A model given only by
// an aggregate cost (κ or c_ℓ, and γ) has no classes; then "a token" is defined by a convention:
// the model is read as one task-token class and one fine-tuning class bought at one common unit
// cost e, which the cost function then pins down:
//     κ = η e σ^(−σ/η) γ^(−γ/η)   ⇒   e = κ σ^(σ/η) γ^(γ/η) / η,
// so per unit of q the buyer holds X = (σ/η)κ/e = σ^(1−σ/η) γ^(−γ/η) task tokens and
// Z = (γ/η)κ/e = σ^(−σ/η) γ^(1−γ/η) fine-tuning tokens, and e(X + Z) = κq = C exactly. With γ = 0
// this is the plain reading (X = q, a task token costs κ), and the convention is continuous in γ.
// Baseline fine-tuning (Φ = (b + Σz)^γ, optional fine-tuning) is not a power law: its budgets are
// evaluated at each Q (`linear` false).

import type { ModelSpec } from "../scenario/spec-types.js";
import { buildTechnology } from "./from-spec.js";
import type { CostOfQuality } from "./types.js";

export interface TokenUnits {
  /** budgets are proportional to q = Q^(1/η): the per-q figures below are exact */
  readonly linear: boolean;
  /** η of the technology (q = Q^(1/η)) */
  readonly eta: number;
  /** task-token classes (empty for an aggregate cost: the convention's single class) */
  readonly taskClasses: readonly string[];
  readonly fineTuningClasses: readonly string[];
  /** tokens of each class per unit of q (linear technologies) */
  readonly taskPerQ: Float64Array;
  readonly fineTuningPerQ: Float64Array;
  /** all task tokens, and all fine-tuning tokens, per unit of q (linear technologies) */
  readonly taskTotalPerQ: number;
  readonly fineTuningTotalPerQ: number;
  /** true when "a token" comes from the aggregate-cost convention above */
  readonly convention: boolean;
  /** budgets at Q: total task tokens, total fine-tuning tokens, by class into outX/outZ if given */
  volumes(Q: number, outX?: Float64Array, outZ?: Float64Array): { task: number; fineTuning: number };
}

/** Tokens per unit of q of a model given only by an aggregate cost (the convention above). */
export function aggregateTokensPerQ(sigma: number, gamma: number): { task: number; fineTuning: number } {
  if (!(gamma > 0)) return { task: 1, fineTuning: 0 };
  const eta = sigma + gamma;
  return {
    task: Math.pow(sigma, 1 - sigma / eta) * Math.pow(gamma, -gamma / eta),
    fineTuning: Math.pow(sigma, -sigma / eta) * Math.pow(gamma, 1 - gamma / eta),
  };
}

/** Units of a model of a several-model market given by aggregate cost c_ℓ and γ_ℓ. */
export function aggregateTokenUnits(sigma: number, gamma: number): TokenUnits {
  const k = aggregateTokensPerQ(sigma, gamma);
  return linearUnits(sigma + gamma, [], [], new Float64Array(0), new Float64Array(0), k.task, k.fineTuning, true);
}

/** Token units of a cost of quality (a scenario's technology or a model's technology block). */
export function tokenUnitsOf(cost: CostOfQuality): TokenUnits {
  const J = cost.tokenClasses.length;
  const K = cost.fineTuningClasses.length;
  if (J === 0 && K === 0) return aggregateTokenUnits(cost.sigma, cost.gamma);
  const X = new Float64Array(J);
  const Z = new Float64Array(K);
  if (cost.kind === "ces" || cost.kind === "none") {
    // Q = 1 ⇔ q = 1: the budgets at Q = 1 are the tokens per unit of q.
    cost.budgets(1, X, Z);
    const sx = X.reduce((a, b) => a + b, 0);
    const sz = Z.reduce((a, b) => a + b, 0);
    return linearUnits(cost.eta, cost.tokenClasses, cost.fineTuningClasses, X, Z, sx, sz, false);
  }
  const bx = new Float64Array(J);
  const bz = new Float64Array(K);
  return {
    linear: false,
    eta: cost.eta,
    taskClasses: cost.tokenClasses,
    fineTuningClasses: cost.fineTuningClasses,
    taskPerQ: new Float64Array(J).fill(NaN),
    fineTuningPerQ: new Float64Array(K).fill(NaN),
    taskTotalPerQ: NaN,
    fineTuningTotalPerQ: NaN,
    convention: false,
    volumes(Q, outX, outZ) {
      if (!(Q > 0)) {
        outX?.fill(0);
        outZ?.fill(0);
        return { task: 0, fineTuning: 0 };
      }
      cost.budgets(Q, bx, bz);
      outX?.set(bx);
      outZ?.set(bz);
      return { task: bx.reduce((a, b) => a + b, 0), fineTuning: bz.reduce((a, b) => a + b, 0) };
    },
  };
}

function linearUnits(
  eta: number,
  taskClasses: readonly string[],
  fineTuningClasses: readonly string[],
  taskPerQ: Float64Array,
  fineTuningPerQ: Float64Array,
  taskTotalPerQ: number,
  fineTuningTotalPerQ: number,
  convention: boolean,
): TokenUnits {
  return {
    linear: true,
    eta,
    taskClasses,
    fineTuningClasses,
    taskPerQ,
    fineTuningPerQ,
    taskTotalPerQ,
    fineTuningTotalPerQ,
    convention,
    volumes(Q, outX, outZ) {
      const q = Q > 0 ? Math.pow(Q, 1 / eta) : 0;
      if (outX) for (let j = 0; j < taskPerQ.length; j++) outX[j] = q * taskPerQ[j];
      if (outZ) for (let k = 0; k < fineTuningPerQ.length; k++) outZ[k] = q * fineTuningPerQ[k];
      return { task: q * taskTotalPerQ, fineTuning: q * fineTuningTotalPerQ };
    },
  };
}

/** Token units of a model of a several-model market (its technology block, or the convention). */
export function modelTokenUnits(model: ModelSpec, sigma: number, path: string): TokenUnits {
  if ("technology" in model) return tokenUnitsOf(buildTechnology({ ...model.technology, sigma }, `${path}.technology`));
  return aggregateTokenUnits(sigma, model.gamma);
}
