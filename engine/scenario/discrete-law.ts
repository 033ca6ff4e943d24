// Whether a type law (a scenario's distribution block) has finitely many types: a discrete law,
// or a mixture of discrete laws. Used by the work estimate (engine/scenario/limits.ts) and by
// the figures (dots at the atoms, figures/scenario-figures.ts); no Node import, as the figures
// also run in the browser (lpe explore).

import type { DistSpec } from "./spec-types.js";

/** A law of finitely many types (discrete, or a mixture of discrete laws). */
export const isDiscrete = (d: DistSpec): boolean =>
  d.dist === "discrete" || (d.dist === "mixture" && d.components.length > 0 && d.components.every(isDiscrete));
