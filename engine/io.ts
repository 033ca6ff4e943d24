// How a command talks to the user (lives in engine/ so that workers/, which run commands, need
// nothing from cli/): one place that turns errors into the exit codes of
// README "Commands" (2 bad input with its JSON path, 1 solver/numerical failure, 3 the machine
// refused: a full disk, a read-only or missing folder, permissions), never a stack trace
// unless LPE_DEBUG is set.

import { InputError, NumericalError } from "./errors.js";
import { environmentError } from "./results/system-errors.js";

/** Exit status of an environment failure (disk full, read-only, permissions…): README "Exit status". */
export const EXIT_ENVIRONMENT = 3;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** Control characters a terminal may act on (C0 but tab and line feed, DEL, C1 such as U+009B,
 *  the 8-bit CSI), and the bidirectional overrides and isolates, which make text display in
 *  another order than it is (U+202E: a reviewer's): messages echo the user's own strings (a bad
 *  `market.kind`, a file name), and JSON.stringify, which quotes them, leaves all these raw. */
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `s` with each terminal control character written as its \uXXXX escape (inside a JSON string
 *  literal this is the same string; in a message it is visible and inert). */
export function escapeTerminalControls(s: string): string {
  return s.replace(TERMINAL_CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const line = (s: string) => escapeTerminalControls(s.endsWith("\n") ? s : s + "\n");

export const processIo: Io = {
  out: (s) => process.stdout.write(line(s)),
  err: (s) => process.stderr.write(line(s)),
};

/** Exit code for an error, after reporting it on one line (prefixed with the file, if any). */
export function reportError(e: unknown, io: Io, file?: string): number {
  const where = file ? `${file}: ` : "";
  if (e instanceof InputError) {
    io.err(`lpe: ${where}${e.message}`);
    return 2;
  }
  if (e instanceof NumericalError) {
    // An overflow (Infinity, NaN) mostly comes from a parameter at the edge of the model's
    // domain; say what to look at, since the failing step's words name no field.
    const hint = /not finite|Infinity|NaN|overflow/.test(e.message) ? " (numbers overflowed: is a parameter at the edge of its range, such as a cost near 0 or a type range far from 1?)" : "";
    io.err(`lpe: numerical failure: ${where}${e.message}${hint}`);
    return 1;
  }
  // The path in the message says where; the scenario file is beside the point.
  const env = environmentError(e);
  if (env) {
    io.err(`lpe: ${env.message}`);
    return EXIT_ENVIRONMENT;
  }
  const msg = e instanceof Error ? e.message : String(e);
  io.err(`lpe: internal error: ${where}${msg}${process.env.LPE_DEBUG ? "\n" + (e as Error).stack : " (set LPE_DEBUG=1 for details)"}`);
  return 1;
}

/** Parse "0.5,0.7,0.9" into numbers; an InputError names the option. */
/** A decimal number as a scenario file writes it (JSON's syntax): no hex, no `Infinity`, no `.5`. */
const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export function parseNumberList(text: string, option: string): number[] {
  const all = String(text).split(",").map((s) => s.trim());
  // a trailing comma is forgiven; an empty item between two numbers is a typo, said
  const parts = all.length > 1 && all[all.length - 1] === "" ? all.slice(0, -1) : all;
  if (parts.length === 1 && parts[0] === "") throw new InputError(option, "expected a comma-separated list of numbers");
  return parts.map((p, k) => {
    if (p === "") throw new InputError(option, `item ${k + 1} of "${String(text)}" is empty (two commas in a row?)`);
    const x = Number(p);
    if (!DECIMAL.test(p)) throw new InputError(option, `expected a decimal number, got "${p}"`);
    // (a decimal, too large for a double: said so, not "expected a decimal number", a reviewer's)
    if (!Number.isFinite(x)) throw new InputError(option, `"${p}" is too large for a double (at most about 1.8e308)`);
    // 1e-400 would be read as 0, and 0 is not what was typed
    if (x === 0 && /[1-9]/.test(p.replace(/[eE].*$/, ""))) throw new InputError(option, `"${p}" is too small for a double (it would be read as 0)`);
    return x;
  });
}
