// The calibrate block's target names, and the sweep block's output and curve names, against
// the outputs a solved market produced (README "Calibration", "Sweeps"): `lpe calibrate` and
// `lpe validate` check targets before fitting, and a sweep's set-up checks its names on a probe
// solve (workers/sweep-outputs.ts); `lpe solve`, `lpe eval` and `lpe figures` check them after
// their solve — an unknown target is an error (the calibration-targets figure draws each one),
// an unknown sweep name a note. Each message: the path, a "did you mean" and the market's
// outputs. No I/O.

import { InputError } from "../engine/errors.js";
import { closestNames, didYouMean } from "../engine/scenario/closest.js";
import { CURRENCY_SUFFIX, MONEY_SCALARS } from "./observables.js";
import type { MarketSolution, ScalarValue } from "./types.js";

/** Throws an InputError at calibrate.targets.<name> for a target that is not a numeric output
 *  among `scalars` (the outputs of a solve of the `market` kind, observables included). */
export function checkTargetNames(targets: readonly string[], scalars: Record<string, ScalarValue>, market: string): void {
  const known = Object.keys(scalars).filter((k) => typeof scalars[k] === "number" || scalars[k] === null);
  for (const name of targets) {
    if (!Object.hasOwn(scalars, name)) {
      throw new InputError(`calibrate.targets.${name}`, `unknown output "${name}"${didYouMean(closestNames(name, known))}${currencyHint(name, known)}; the ${market} market has: ${known.join(", ")}`);
    }
    if (Array.isArray(scalars[name]) || typeof scalars[name] === "boolean") {
      throw new InputError(`calibrate.targets.${name}`, `"${name}" is not a number; targets are numeric outputs`);
    }
  }
}

/**
 * The names of sweep.outputs / sweep.curves that a solution of the scenario lacks, with their
 * paths, the market's names and a "did you mean": for a sweep's set-up (workers/sweep-outputs.ts,
 * on a probe solve) and for `lpe solve` and `lpe eval`, which have the solution at hand (a
 * reviewer's typo in sweep.outputs failed validate and sweep, but solve wrote its files). Curve
 * names are judged only when the solution has its curves.
 */
export function sweepNameProblemsIn(outputs: readonly string[], curves: readonly string[], sol: MarketSolution, withNames = true): { path: string; message: string }[] {
  // (the lists — a tier menu's cuts, qualities, prices — are results but not sweep outputs, so
  // the names offered are the numbers only)
  const numbers = Object.keys(sol.scalars).filter((s) => !Array.isArray(sol.scalars[s]));
  const problems: { path: string; message: string }[] = [];
  outputs.forEach((name, i) => {
    const path = `sweep.outputs[${i}]`;
    if (!Object.hasOwn(sol.scalars, name)) problems.push({ path, message: unknownName("output", name, numbers, withNames ? sol.market : undefined) });
    else if (Array.isArray(sol.scalars[name])) {
      problems.push({ path, message: `"${name}" is a list, not a number; sweep outputs are numbers (${numbers.join(", ")})` });
    }
  });
  const cols = sol.curves.order;
  if (cols.length > 0) {
    curves.forEach((name, i) => {
      if (!cols.includes(name)) problems.push({ path: `sweep.curves[${i}]`, message: unknownName("curve", name, cols, withNames ? sol.market : undefined) });
    });
  }
  return problems;
}

/** "unknown output …" with its hints, and the market's names when `market` is given. */
function unknownName(kind: string, name: string, known: readonly string[], market?: string): string {
  return `unknown ${kind} "${name}"${didYouMean(closestNames(name, known))}${kind === "output" ? currencyHint(name, known) : ""}${market ? `; the ${market} market has: ${known.join(", ")}` : ""}`;
}

/**
 * What an unknown "…InCurrency" name lacks: an output in money exists only with a currency (the
 * units block); a ratio, a share or a type has no currency twin, and a units block would not
 * make one (a reviewer was told to add one for priceRatioInCurrency).
 */
function currencyHint(name: string, known: readonly string[]): string {
  if (!name.endsWith(CURRENCY_SUFFIX)) return "";
  const base = name.slice(0, -CURRENCY_SUFFIX.length).replace(/^.*\./, "");
  if (!(MONEY_SCALARS as readonly string[]).includes(base)) return `; only money-valued outputs have an …${CURRENCY_SUFFIX} twin (${MONEY_SCALARS.join(", ")})`;
  return known.some((k) => k.endsWith(CURRENCY_SUFFIX)) ? "" : '; outputs in a currency need a units block ("units": { "currency": "USD" }, README "Scenario reference")';
}

/**
 * The names a scenario's calibrate and sweep blocks ask of its market, against a solution of
 * it (`lpe solve`, `lpe eval`, `lpe figures`): an unknown calibration target throws an
 * InputError (the calibration figure draws each target); the sweep block's unknown names are
 * returned as notes — a solve does not use the sweep block, and a scenario whose market kind
 * is changed with --set keeps its old sweep outputs (README, Quick start), but a typo there is
 * said (a reviewer's solve was silent where validate and sweep refused it).
 */
export function checkResultNames(scenario: { calibrate?: { targets: Record<string, unknown> }; sweep?: { outputs: readonly string[]; curves?: readonly string[] } }, sol: MarketSolution): string[] {
  if (scenario.calibrate) checkTargetNames(Object.keys(scenario.calibrate.targets), sol.scalars, sol.market);
  if (!scenario.sweep) return [];
  // one line: each name with its hint, without the market's whole list of names
  const problems = sweepNameProblemsIn(scenario.sweep.outputs, scenario.sweep.curves ?? [], sol, false);
  if (problems.length === 0) return [];
  const each = problems.map((p) => `${p.path}: ${p.message}`);
  return [`${each.join("; ")} — the ${sol.market} market lacks ${problems.length === 1 ? "it" : "them"} (\`lpe sweep\` and \`lpe validate\` refuse this; the solve does not use the sweep block)`];
}
