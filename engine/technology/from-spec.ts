// Builds the cost of quality C(Q) (docs/model.md section 1) from a scenario's `technology` block,
// after checking every assumption the formulas rely on; each violation is an InputError at
// its JSON path. docs/model.md requires 0 < σ < 1 and σ + γ < 1 (so that C is strictly increasing
// and convex with C'(0) = 0), α > 0 with Σα = 1, ρ ≤ 1, positive costs and b > 0.
// α that sum to 1 within 1e-9 are divided by their sum: the ρ → 0 (Cobb–Douglas) limit of the
// unit cost exists only for Σα = 1 exactly, and cesUnitCost relies on it.

import { InputError } from "../errors.js";
import type { ClassSpec, FineTuningSpec, TechnologySpec } from "../scenario/spec-types.js";
import { baselinePerClassTechnology } from "./baseline-per-class-cost.js";
import { baselineTechnology } from "./baseline-cost.js";
import { aggregateTechnology, cesTechnology } from "./ces-cost.js";
import type { CesGroup } from "./ces-unit-cost.js";
import type { CostOfQuality } from "./types.js";

const ALPHA_SUM_TOL = 1e-9;

export function buildTechnology(spec: TechnologySpec, path = "technology"): CostOfQuality {
  const sigma = spec.sigma;
  if (!isFiniteNumber(sigma) || !(sigma > 0 && sigma < 1)) {
    throw new InputError(`${path}.sigma`, `sigma must satisfy 0 < sigma < 1, got ${String(sigma)}`);
  }
  const fineTuning: FineTuningSpec = spec.fineTuning ?? { kind: "none" };

  if (spec.aggregate !== undefined) {
    if (spec.tokens !== undefined) {
      throw new InputError(`${path}.aggregate`, "give either `aggregate` or `tokens`, not both");
    }
    if (fineTuning.kind !== "none") {
      throw new InputError(
        `${path}.fineTuning.kind`,
        "`aggregate` already fixes gamma; fine-tuning must be \"none\" with an aggregate technology",
      );
    }
    const { kappa, gamma } = spec.aggregate;
    if (!isFiniteNumber(kappa) || !(kappa > 0)) {
      throw new InputError(`${path}.aggregate.kappa`, `kappa must be a positive number, got ${String(kappa)}`);
    }
    checkGamma(sigma, gamma, `${path}.aggregate.gamma`, true);
    return aggregateTechnology(sigma, kappa, gamma);
  }

  if (spec.tokens === undefined) {
    throw new InputError(`${path}.tokens`, "task-token classes are required unless `aggregate` is given");
  }
  const tokens = cesGroup(spec.tokens.rho, spec.tokens.classes, `${path}.tokens`);
  const ftPath = `${path}.fineTuning`;

  switch (fineTuning.kind) {
    case "none":
      return cesTechnology(sigma, tokens, null);
    case "ces": {
      checkGamma(sigma, fineTuning.gamma, `${ftPath}.gamma`, false);
      const group = cesGroup(fineTuning.rho, fineTuning.classes, ftPath);
      return cesTechnology(sigma, tokens, { ...group, gamma: fineTuning.gamma });
    }
    case "baseline": {
      checkGamma(sigma, fineTuning.gamma, `${ftPath}.gamma`, false);
      checkPositive(fineTuning.b, `${ftPath}.b`, "b");
      const group = cesGroup(1, fineTuning.classes, ftPath);
      return baselineTechnology(sigma, tokens, { ...group, gamma: fineTuning.gamma, b: fineTuning.b });
    }
    case "baselinePerClass": {
      const classes = fineTuning.classes;
      checkClassList(classes, `${ftPath}.classes`);
      let gamma = 0;
      classes.forEach((c, k) => {
        const at = `${ftPath}.classes[${k}]`;
        checkPositive(c.cost, `${at}.cost`, "cost");
        checkPositive(c.b, `${at}.b`, "b");
        checkPositive(c.gamma, `${at}.gamma`, "gamma");
        gamma += c.gamma;
      });
      if (!(sigma + gamma < 1)) {
        throw new InputError(
          `${ftPath}.classes`,
          `sigma + sum of the classes' gamma must be < 1 (C must be convex), got ${sigma} + ${gamma} = ${sigma + gamma}`,
        );
      }
      return baselinePerClassTechnology(sigma, tokens, {
        names: classes.map((c) => c.name),
        cost: classes.map((c) => c.cost),
        b: classes.map((c) => c.b),
        gamma: classes.map((c) => c.gamma),
      });
    }
    default:
      throw new InputError(
        `${ftPath}.kind`,
        `unknown fine-tuning kind ${JSON.stringify((fineTuning as { kind: unknown }).kind)}; expected none, ces, baseline or baselinePerClass`,
      );
  }
}

/** Validated CES group, α divided by their sum. */
function cesGroup(rho: number, classes: readonly ClassSpec[], path: string): CesGroup {
  if (!isFiniteNumber(rho) || !(rho <= 1)) {
    throw new InputError(`${path}.rho`, `rho must be a finite number <= 1, got ${String(rho)}`);
  }
  checkClassList(classes, `${path}.classes`);
  let sum = 0;
  classes.forEach((c, j) => {
    checkPositive(c.alpha, `${path}.classes[${j}].alpha`, "alpha");
    checkPositive(c.cost, `${path}.classes[${j}].cost`, "cost");
    sum += c.alpha;
  });
  if (!(Math.abs(sum - 1) <= ALPHA_SUM_TOL)) {
    throw new InputError(`${path}.classes`, `the classes' alpha must sum to 1 (within ${ALPHA_SUM_TOL}), got ${sum}`);
  }
  return {
    names: classes.map((c) => c.name),
    alpha: classes.map((c) => c.alpha / sum),
    cost: classes.map((c) => c.cost),
    rho,
  };
}

function checkClassList(classes: readonly { name: string }[], path: string): void {
  if (!Array.isArray(classes) || classes.length === 0) {
    throw new InputError(path, "at least one class is required");
  }
  const seen = new Set<string>();
  classes.forEach((c, j) => {
    if (typeof c.name !== "string" || c.name === "") {
      throw new InputError(`${path}[${j}].name`, "each class needs a non-empty name");
    }
    if (seen.has(c.name)) throw new InputError(`${path}[${j}].name`, `duplicate class name "${c.name}"`);
    seen.add(c.name);
  });
}

function checkGamma(sigma: number, gamma: number, path: string, zeroAllowed: boolean): void {
  if (!isFiniteNumber(gamma) || !(zeroAllowed ? gamma >= 0 : gamma > 0)) {
    const hint = zeroAllowed ? "" : ' (use fine-tuning kind "none" for no fine-tuning)';
    throw new InputError(path, `gamma must be ${zeroAllowed ? ">= 0" : "> 0"}${hint}, got ${String(gamma)}`);
  }
  if (!(sigma + gamma < 1)) {
    throw new InputError(path, `sigma + gamma must be < 1 (C must be convex), got ${sigma} + ${gamma} = ${sigma + gamma}`);
  }
}

function checkPositive(value: number, path: string, what: string): void {
  if (!isFiniteNumber(value) || !(value > 0)) {
    throw new InputError(path, `${what} must be a positive finite number, got ${String(value)}`);
  }
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}
