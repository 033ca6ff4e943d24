// The calibrate block's target names against the outputs a solved market produced (README
// "Calibration"): `lpe calibrate` and `lpe validate` check them before fitting; `lpe solve` and
// `lpe figures` check them after their solve, since the calibration-targets figure draws each
// target against its output. One message everywhere: the target's path, a "did you mean" and
// the market's outputs. No I/O.

import { InputError } from "../engine/errors.js";
import { closestNames, didYouMean } from "../engine/scenario/closest.js";
import type { ScalarValue } from "./types.js";

/** Throws an InputError at calibrate.targets.<name> for a target that is not a numeric output
 *  among `scalars` (the outputs of a solve of the `market` kind, observables included). */
export function checkTargetNames(targets: readonly string[], scalars: Record<string, ScalarValue>, market: string): void {
  const known = Object.keys(scalars).filter((k) => typeof scalars[k] === "number" || scalars[k] === null);
  for (const name of targets) {
    if (!Object.hasOwn(scalars, name)) {
      // (an output in money exists only with a currency: the units block)
      const currency = name.endsWith("InCurrency") && !known.some((k) => k.endsWith("InCurrency")) ? "; outputs in a currency need a units block (\"units\": { \"currency\": \"USD\" }, README \"Scenario reference\")" : "";
      throw new InputError(`calibrate.targets.${name}`, `unknown output "${name}"${didYouMean(closestNames(name, known))}${currency}; the ${market} market has: ${known.join(", ")}`);
    }
    if (Array.isArray(scalars[name]) || typeof scalars[name] === "boolean") {
      throw new InputError(`calibrate.targets.${name}`, `"${name}" is not a number; targets are numeric outputs`);
    }
  }
}
