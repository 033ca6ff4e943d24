// The checks of `lpe validate` applied to scenario text instead of a file: JSON syntax (line and
// column), schema, economics, size limits and, when asked, the sweep block (output names and
// grid points, as `lpe sweep` will check them). `lpe explore` runs it in the page as the
// scenario is typed (without the sweep block, which solves) and in the server before Save,
// so the page and the file on disk see exactly the messages and JSON paths `lpe validate`
// prints. Pure: no file access.

import { InputError, NumericalError } from "../engine/errors.js";
import { parseJsonText, validateScenario, type Problem } from "../engine/scenario/load.js";
import type { Scenario } from "../engine/scenario/spec-types.js";

export type { Problem } from "../engine/scenario/load.js";

export interface TextCheck {
  problems: Problem[];
  /** the parsed JSON (undefined when the text is not JSON) */
  raw?: unknown;
  /** defaults filled; only when there are no problems */
  scenario?: Scenario;
  /** what the sweep check covered, in `lpe validate`'s words ("sweep: all 241 grid points checked") */
  note?: string;
}

/** Problems of scenario `text`, in `lpe validate`'s words (which put the file's name before each). */
export function checkScenarioText(text: string): TextCheck {
  let raw: unknown;
  try {
    raw = parseJsonText(text);
  } catch (e) {
    if (e instanceof InputError) return { problems: [{ path: e.path, message: e.message }] };
    throw e;
  }
  const { scenario, problems } = validateScenario(raw);
  return scenario ? { problems, raw, scenario } : { problems: problems.map(forExplore), raw };
}

/** A refusal for the estimated computing time alone (as forExplore words it). */
export function isWorkLimitProblem(p: Problem): boolean {
  return p.message.includes("; lpe explore keeps this limit (");
}

/** `lpe explore` has no --work-limit (its page solves again at every edit, so a scenario past the
 *  limit is no scenario to explore): the refusal's hint points to the commands that have it. */
function forExplore(p: Problem): Problem {
  const m = /, or allow it with --work-limit (\d+)(?: \(or --work-limit \d+ with --no-figures\))?$/.exec(p.message);
  return m ? { ...p, message: `${p.message.slice(0, m.index)}; lpe explore keeps this limit (its page solves again at every edit): run it with lpe solve or lpe sweep --work-limit ${m[1]}` } : p;
}

/** As checkScenarioText, plus the sweep block's checks when there is one (loads the solvers). */
export async function checkScenarioTextFully(text: string): Promise<TextCheck> {
  const checked = checkScenarioText(text);
  if (!checked.scenario?.sweep) return checked;
  const [{ sweepProblems }, { prepareSolvers }] = await Promise.all([import("../workers/sweep-validate.js"), import("../solvers/solve.js")]);
  try {
    await prepareSolvers(checked.scenario);
  } catch (e) {
    if (e instanceof InputError || e instanceof NumericalError) return { ...checked, problems: [{ path: "", message: e.message }], scenario: undefined };
    throw e;
  }
  const sweep = sweepProblems({ scenario: checked.scenario, raw: checked.raw } as Parameters<typeof sweepProblems>[0]);
  const note = sweep.checked === sweep.size ? `sweep: all ${sweep.size} grid points checked` : `sweep: ${sweep.checked} of ${sweep.size} grid points checked, a deterministic sample`;
  if (sweep.problems.length === 0) return { ...checked, note };
  return { problems: sweep.problems.map(forExplore), raw: checked.raw, note };
}

/** A problem as `lpe validate` prints it for `file` (without the newline). */
export function problemLine(file: string, p: Problem): string {
  return `${file}: ${p.path ? `${p.path}: ` : ""}${p.message}`;
}
