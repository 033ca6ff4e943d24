// The constant c_ℓ of a model in a several-model market (docs/model.md section 3):
// C_ℓ(Q) = c_ℓ Q^(1/η_ℓ), η_ℓ = σ + γ_ℓ with σ common to all models. A model is given either by
// aggregate `cost` and `gamma` (passed through) or by a technology block, whose κ is c_ℓ.
// Baseline fine-tuning has no such constant (its C is not a power of Q), so it is refused.

import { InputError } from "../errors.js";
import type { ModelSpec } from "../scenario/spec-types.js";
import { buildTechnology } from "./from-spec.js";

export interface ModelCost {
  name: string;
  /** γ_ℓ */
  gamma: number;
  /** η_ℓ = σ + γ_ℓ */
  eta: number;
  /** c_ℓ */
  cost: number;
}

/**
 * c_ℓ, γ_ℓ, η_ℓ of `model` under the common σ. `path` is the model's JSON path (e.g.
 * "market.leader"); its last segment names the model when `name` is absent.
 */
export function modelCost(model: ModelSpec, sigma: number, path: string): ModelCost {
  if (!(Number.isFinite(sigma) && sigma > 0 && sigma < 1)) {
    throw new InputError("technology.sigma", `sigma must satisfy 0 < sigma < 1, got ${String(sigma)}`);
  }
  const name = model.name ?? defaultName(path);

  if ("technology" in model) {
    const tech = model.technology;
    if (tech.sigma !== undefined && tech.sigma !== sigma) {
      throw new InputError(
        `${path}.technology.sigma`,
        `sigma is common to all models (docs/model.md section 3): this model states ${tech.sigma}, the scenario ${sigma}; omit it or make them equal`,
      );
    }
    const kind = tech.fineTuning?.kind;
    if (kind === "baseline" || kind === "baselinePerClass") {
      throw new InputError(
        `${path}.technology.fineTuning.kind`,
        `"${kind}" fine-tuning has no constant c_l (its cost is not a power of Q); give the model by aggregate cost and gamma, or use "ces" or "none" fine-tuning`,
      );
    }
    const built = buildTechnology({ ...tech, sigma }, `${path}.technology`);
    return { name, gamma: built.gamma, eta: built.eta, cost: built.kappa };
  }

  const { cost, gamma } = model;
  if (!(typeof cost === "number" && Number.isFinite(cost) && cost > 0)) {
    throw new InputError(`${path}.cost`, `cost must be a positive finite number, got ${String(cost)}`);
  }
  if (!(typeof gamma === "number" && Number.isFinite(gamma) && gamma >= 0)) {
    throw new InputError(`${path}.gamma`, `gamma must be a finite number >= 0, got ${String(gamma)}`);
  }
  if (!(sigma + gamma < 1)) {
    throw new InputError(`${path}.gamma`, `sigma + gamma must be < 1, got ${sigma} + ${gamma} = ${sigma + gamma}`);
  }
  return { name, gamma, eta: sigma + gamma, cost };
}

function defaultName(path: string): string {
  const last = path.split(".").pop() ?? path;
  return last === "" ? "model" : last;
}
