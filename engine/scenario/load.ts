// Reading a scenario: JSON text -> `--set` overrides -> zod structure (defaults filled) ->
// economic checks (README "Scenario reference"). Every problem is reported as
// {path, message}: the JSON path of the offending field and, in one line, what was expected and
// what was found, so that `lpe` can exit 2 with a message an economist can act on (never a
// stack trace). zod's own messages are replaced because they do not say which of several
// alternatives (buyers, models) was meant, nor suggest the field a typo was aiming for.
// The scenario's identity for result metadata is the SHA-256 of the canonical JSON (keys sorted)
// of the resolved scenario — after overrides, defaults filled, without `$schema` — so reordering
// keys, spelling out a default or moving the file does not change it, and a rerun from a result
// file (which records that resolved scenario) has the same identity.

import { createHash } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from "node:fs";
import { join } from "node:path";
import type { z } from "zod";
import { InputError } from "../errors.js";
import { ENGINE_VERSION } from "../version.js";
import { economicProblems, type Problem } from "./economic-checks.js";
import { closest } from "./closest.js";
export { closest } from "./closest.js";
import { figureSelectionProblems, scaleProblems } from "./figure-catalogue.js";
import { countProblems, MAX_FILE_BYTES, quoteShort, rawSizeProblems, workProblems } from "./limits.js";
import { nestingProblems } from "./nesting.js";
import { findDuplicateKey, lineColumn } from "./json-duplicates.js";
import { applyOverrides, combinedOverrides, parseOverrideList, formatJsonPath, getPath, overrideList, overrideSuffix, type PathSegment } from "./overrides.js";
import { knownKeysAt, MAX_SCENARIO_NAME, ScenarioSchema, schemasAt } from "./schema.js";
import type { Scenario } from "./spec-types.js";

export type { Problem } from "./economic-checks.js";

// ---------------------------------------------------------------- describing values

function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of ${v.length} item${v.length === 1 ? "" : "s"}`;
  switch (typeof v) {
    case "string":
      return `the string ${quoteShort(v)}`;
    case "number":
      // (JSON reads 1e999 as Infinity: a reviewer's "got Infinity" did not say why)
      return Number.isFinite(v) ? `the number ${String(v)}` : `a number beyond double precision (read as ${String(v)}: its magnitude exceeds 1.8e308)`;
    case "boolean":
      return `the boolean ${String(v)}`;
    case "object":
      return "an object";
    default:
      return typeof v;
  }
}

const TYPE_NAMES: Record<string, string> = {
  number: "a number",
  int: "an integer",
  string: "a string",
  boolean: "true or false",
  object: "an object",
  array: "an array",
  tuple: "an array",
  record: "an object",
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

// ---------------------------------------------------------------- "did you mean": closest.ts

// ---------------------------------------------------------------- zod issues -> problems

type Issue = z.core.$ZodIssue;

/** How badly a union alternative failed at the union's own level (lower = closer to what was meant). */
function branchMismatch(issues: readonly Issue[], raw: unknown, base: readonly PathSegment[]): number {
  let score = 0;
  for (const is of issues) {
    if (is.path.length === 0) {
      if (is.code === "unrecognized_keys") score += is.keys.length;
      else if (is.code === "invalid_type") score += 100;
      else score += 1;
    } else if (is.path.length === 1 && getPath(raw, [...base, ...(is.path as PathSegment[])]) === undefined) {
      score += 1; // a field this alternative requires is missing
    }
  }
  return score;
}

function requiredKeys(s: z.ZodType): string[] {
  const shape = (s as unknown as { _zod: { def: { shape?: Record<string, z.ZodType> } } })._zod.def.shape ?? {};
  return Object.keys(shape).filter((k) => {
    const t = (shape[k] as unknown as { _zod: { def: { type: string } } })._zod.def.type;
    return t !== "optional" && t !== "default";
  });
}

/** Required fields of the object at `path` (any alternative that fits the data) that it lacks. */
function missingRequiredAt(path: readonly PathSegment[], raw: unknown): string[] {
  const value = getPath(raw, path);
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
  const missing = new Set<string>();
  for (const s of schemasAt(ScenarioSchema, path, raw)) for (const k of requiredKeys(s)) if (!Object.hasOwn(value, k)) missing.add(k);
  return [...missing];
}

/** "{ theta } or { valueScale } or { profiles }": the required fields of each alternative at `path`. */
function formsAt(path: readonly PathSegment[]): string {
  // (each form once: a path reached through several unions listed them four times over)
  const forms = schemasAt(ScenarioSchema, path)
    .map((s) => requiredKeys(s))
    .filter((keys) => keys.length > 0)
    .map((keys) => `{ ${keys.join(", ")} }`);
  return [...new Set(forms)].join(" or ");
}

function unionMessage(path: readonly PathSegment[], raw: unknown, branches: readonly Issue[][]): string {
  const value = getPath(raw, path);
  if (value === undefined) return "required object is missing";
  if (branches.every((b) => b.some((is) => is.path.length === 0 && is.code === "invalid_type"))) {
    return `expected an object, got ${describeValue(value)}`;
  }
  const found = typeof value === "object" && value !== null ? Object.keys(value) : [];
  const known = knownKeysAt(path, raw);
  const hints = found
    .filter((k) => !known.includes(k))
    .map((k) => {
      const c = closest(k, known, missingRequiredAt(path, raw));
      return c ? `${quoteShort(k)} (did you mean "${c}"?)` : quoteShort(k);
    });
  const unknown = hints.length > 0 ? `; unknown field${hints.length > 1 ? "s" : ""} ${hints.join(", ")}` : "";
  return `expected one of the forms ${formsAt(path)}, got fields ${found.map((k) => quoteShort(k)).join(", ") || "(none)"}${unknown}`;
}

function discriminatorLabel(path: readonly PathSegment[], key: string): string {
  if (key === "dist") return "distribution";
  const parent = [...path].reverse().find((s) => typeof s === "string" && s !== key);
  return parent ? `${String(parent)} kind` : key;
}

function formatIssue(is: Issue, base: readonly PathSegment[], raw: unknown, out: Problem[]): void {
  const path = [...base, ...(is.path as PathSegment[])];
  const at = formatJsonPath(path);
  const value = getPath(raw, path);
  switch (is.code) {
    case "invalid_type": {
      if (value === undefined) {
        const what = is.expected === "int" ? "integer" : is.expected === "tuple" ? "array" : is.expected;
        out.push({ path: at, message: `required ${what} is missing` });
      } else if (typeof value === "number" && !Number.isFinite(value)) {
        out.push({ path: at, message: Number.isNaN(value) ? `expected a finite number, got NaN` : `expected a finite number, got ${describeValue(value)}` });
      } else if (is.expected === "int" && typeof value === "number") {
        out.push({ path: at, message: `expected an integer, got ${String(value)}` });
      } else {
        out.push({ path: at, message: `expected ${typeName(is.expected)}, got ${describeValue(value)}` });
      }
      return;
    }
    case "unrecognized_keys": {
      const known = knownKeysAt(path, raw);
      for (const key of is.keys) {
        if (known.includes(key)) {
          // zod picked another alternative of a union; the key is right but the combination is not
          out.push({
            path: formatJsonPath([...path, key]),
            message: `${quoteShort(key)} cannot be combined with the other fields here; expected one of the forms ${formsAt(path)}`,
          });
          continue;
        }
        const c = closest(key, known, missingRequiredAt(path, raw));
        // a field of an object one level down, written here ("sigma" for technology.sigma)
        const below = c ? undefined : known.find((k) => knownKeysAt([...path, k], raw).includes(key));
        const hint = c ? `did you mean "${c}"?` : below ? `did you mean "${[...path, below, key].join(".")}"? allowed fields here: ${known.join(", ")}` : `allowed fields: ${known.join(", ")}`;
        out.push({ path: formatJsonPath([...path, key]), message: `unknown field ${quoteShort(key)}; ${hint}` });
      }
      return;
    }
    case "invalid_union": {
      if (is.discriminator !== undefined && is.errors.length === 0) {
        const options = ((is as { options?: unknown[] }).options ?? []).map(String);
        const label = discriminatorLabel(path, is.discriminator);
        const list = `expected one of ${options.join(", ")}`;
        if (value === undefined) {
          out.push({ path: at, message: `required field "${is.discriminator}" is missing; ${list}` });
        } else if (typeof value === "string") {
          const c = closest(value, options);
          out.push({ path: at, message: `unknown ${label} ${quoteShort(value)}; ${c ? `did you mean "${c}"? ` : ""}${list}` });
        } else {
          out.push({ path: at, message: `${list}, got ${describeValue(value)}` });
        }
        return;
      }
      if (is.errors.length === 0) {
        out.push({ path: at, message: "matches several alternatives; make it unambiguous" });
        return;
      }
      const scores = is.errors.map((b) => branchMismatch(b, raw, path));
      const best = Math.min(...scores);
      const winners = scores.filter((s) => s === best).length;
      if (winners === 1) {
        for (const sub of is.errors[scores.indexOf(best)]) formatIssue(sub, path, raw, out);
      } else {
        out.push({ path: at, message: unionMessage(path, raw, is.errors) });
      }
      return;
    }
    case "too_small":
    case "too_big": {
      const small = is.code === "too_small";
      const bound = String(small ? is.minimum : is.maximum);
      if (is.origin === "array" && is.message.startsWith("expected exactly ")) {
        // a fixed-length list's own words (schema.ts: a sweep axis' [from, to, n])
        out.push({ path: at, message: is.message });
      } else if (is.origin === "array" || is.origin === "set") {
        const n = Array.isArray(value) ? value.length : 0;
        const want = is.exact ? `exactly ${bound}` : small ? `at least ${bound}` : `at most ${bound}`;
        out.push({ path: at, message: `expected ${want} item${bound === "1" ? "" : "s"}, got ${n}` });
      } else if (is.origin === "string") {
        const got = typeof value === "string" ? `, got ${value.length}` : "";
        out.push({ path: at, message: small && bound === "1" ? "expected a non-empty string" : `expected a string of ${small ? "at least" : "at most"} ${bound} characters${got}` });
      } else {
        const rel = small ? (is.inclusive ? "≥" : ">") : is.inclusive ? "≤" : "<";
        out.push({ path: at, message: `expected a number ${rel} ${bound}, got ${describeValue(value)}` });
      }
      return;
    }
    case "invalid_format": {
      if (path.length === 1 && path[0] === "name") {
        const reserved = typeof value === "string" && /^(?:CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(?:\.|$)/i.test(value);
        const trailingDot = typeof value === "string" && /^[A-Za-z0-9][A-Za-z0-9._-]*\.$/.test(value);
        out.push({
          path: at,
          message: reserved
            ? `${describeValue(value)} is a device name Windows reserves: no folder of that name can be made there (the name names the output folder, the same on every file system); choose another`
            : trailingDot
              ? `${describeValue(value)} ends in ".", which Windows drops from a folder's name (the name names the output folder, the same on every file system); end it with a letter, digit, "_" or "-"`
              : `expected a name of ASCII letters (A–Z, a–z), digits, ".", "_" or "-" starting with a letter or digit (it names the output folder, the same bytes on every file system), got ${describeValue(value)}`,
        });
      } else if (is.message.startsWith("expected ")) {
        // the schema's own words (e.g. what a class name may contain)
        out.push({ path: at, message: `${is.message}, got ${describeValue(value)}` });
      } else {
        out.push({ path: at, message: `expected a string matching ${is.pattern ?? is.format}, got ${describeValue(value)}` });
      }
      return;
    }
    case "invalid_value": {
      out.push({ path: at, message: `expected ${is.values.map((v) => JSON.stringify(v)).join(" or ")}, got ${describeValue(value)}` });
      return;
    }
    default:
      out.push({ path: at, message: is.message });
  }
}

/** zod issues as problems, unknown fields first (a typo usually explains the "missing" field next to it). */
export function zodProblems(issues: readonly Issue[], raw: unknown): Problem[] {
  const out: Problem[] = [];
  for (const is of issues) formatIssue(is, [], raw, out);
  const seen = new Set<string>();
  const unique = out.filter((p) => {
    const k = `${p.path}\u0000${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const unknown = unique.filter((p) => p.message.startsWith("unknown field"));
  return [...unknown, ...unique.filter((p) => !p.message.startsWith("unknown field"))];
}

// ---------------------------------------------------------------- validation

/**
 * All problems of a raw (parsed JSON) scenario; `scenario` only when there are none. Size limits
 * (limits.ts) come first: a too-large input is refused before the checks that would take long on
 * it (the formula checks build each density, the schema quotes strings in its messages).
 */
/** What the command will do with the scenario: `figures: false` when it draws no scenario figures
 *  (solve --no-figures, eval, sweep), so their computing time is not held against it. */
export interface ValidateOptions {
  figures?: boolean;
  /** the command solves the sweep's points, not the scenario itself: each is priced as a sweep
   *  solves it, scalars only (unless sweep.curves asks for curves on the grid); "ifSweep"
   *  (`lpe validate`): so when the scenario has a sweep block, which is what `lpe sweep` runs,
   *  else as `lpe solve` with figures */
  sweepPoints?: boolean | "ifSweep";
  /** a sweep point (its scenario has no sweep block) whose sweep keeps curves at every point:
   *  priced with its curves, not as scalars only */
  pointCurves?: boolean;
  /** the estimated computing time allowed (ms; `--work-limit`); default WORK_LIMIT_MS */
  workLimitMs?: number;
  /** many scenarios will be checked (a sweep re-validating each point whole): let zod compile its
   *  fast parsers, which pay off from the third parse or so (2.6 µs a parse warm against 9 µs) */
  repeated?: boolean;
}



export function validateScenario(raw: unknown, opts: ValidateOptions = {}): { scenario?: Scenario; problems: Problem[] } {
  // Before anything recursive walks it: a file nested thousands deep must not exhaust the stack.
  const deep = nestingProblems(raw);
  if (deep.length > 0) return { problems: deep };
  const tooBig = rawSizeProblems(raw);
  if (tooBig.length > 0) return { problems: tooBig };
  // jitless: zod would compile a parser for each object schema met (new Function) on its first
  // use, which a scenario checked once never repays (first parse 6 ms → 3.5 ms, measured)
  const r = ScenarioSchema.safeParse(raw, { jitless: opts.repeated !== true });
  if (!r.success) return { problems: zodProblems(r.error.issues, raw) };
  const counts = countProblems(r.data);
  if (counts.length > 0) return { problems: counts };
  let problems = [...economicProblems(r.data), ...figureSelectionProblems(r.data), ...scaleProblems(r.data)];
  if (problems.length === 0) {
    const asSweep = opts.sweepPoints === true || (opts.sweepPoints === "ifSweep" && r.data.sweep !== undefined);
    // a sweep draws its own figures (from its rows), never the solve's
    const figures = opts.figures !== false && !asSweep;
    problems = workProblems(r.data, figures, asSweep && !(r.data.sweep?.curves?.length ?? 0) && !opts.pointCurves, opts.workLimitMs);
  }
  return problems.length > 0 ? { problems } : { scenario: r.data, problems };
}

/** The scenario with defaults filled; throws InputError naming the first problem's path. */
export function parseScenario(raw: unknown, opts: ValidateOptions = {}): Scenario {
  const { scenario, problems } = validateScenario(raw, opts);
  if (!scenario) {
    const first = problems[0];
    throw new InputError(first.path, first.message);
  }
  return scenario;
}

// ---------------------------------------------------------------- canonical identity

/** JSON with object keys sorted recursively (arrays keep their order), no whitespace. */
export function canonicalJson(x: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === "object") {
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o).sort()) out[k] = sort(o[k]);
      return out;
    }
    return v;
  };
  return JSON.stringify(sort(x)) ?? "null";
}

/** Hex SHA-256 of the canonical JSON of a scenario (loaders pass the resolved scenario). */
export function scenarioSha256(raw: unknown): string {
  return createHash("sha256").update(canonicalJson(raw), "utf8").digest("hex");
}

// ---------------------------------------------------------------- JSON text

class JsonSyntax {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** Offset and cause of the first syntax error in `text` (JSON.parse has already failed). */
function locateJsonError(text: string): JsonSyntax {
  let i = 0;
  const fail = (message: string): never => {
    throw new JsonSyntax(i, message);
  };
  const unexpected = (): never => {
    if (i >= text.length) return fail("unexpected end of file");
    const before = text.slice(0, i).trimEnd();
    const trailing = before.endsWith(",") && (text[i] === "}" || text[i] === "]") ? " (a trailing comma is not allowed in JSON)" : "";
    return fail(`unexpected ${JSON.stringify(text[i])}${trailing}`);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const str = () => {
    i++;
    for (;;) {
      if (i >= text.length) fail("unterminated string");
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail("control character (e.g. a line break) inside a string");
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("bad \\u escape");
          i += 6;
          continue;
        }
        if (e === undefined || !"\"\\/bfnrt".includes(e)) fail("bad escape in string");
        i += 2;
        continue;
      }
      i++;
    }
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') {
          if (text[i] === "}") unexpected();
          fail(i >= text.length ? "unexpected end of file" : `expected a "quoted" field name, got ${JSON.stringify(text[i])}`);
        }
        str();
        ws();
        if (text[i] !== ":") fail(i >= text.length ? "unexpected end of file" : `expected ":" after the field name, got ${JSON.stringify(text[i])}`);
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return;
        } else fail(i >= text.length ? "unexpected end of file" : `expected "," or "}", got ${JSON.stringify(text[i])}`);
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return;
        } else fail(i >= text.length ? "unexpected end of file" : `expected "," or "]", got ${JSON.stringify(text[i])}`);
      }
    }
    if (c === '"') return str();
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return;
    }
    for (const lit of ["true", "false", "null"]) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    }
    unexpected();
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${JSON.stringify(text[i])} after the end of the JSON value`);
  } catch (e) {
    if (e instanceof JsonSyntax) return e;
    throw e;
  }
  return new JsonSyntax(text.length, "not valid JSON");
}

/** Parse JSON text; a syntax error becomes an InputError (path "") with line and column. */
export function parseJsonText(text: string): unknown {
  // (no file name in the messages: the command line and the explorer put it before each)
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    let where: JsonSyntax;
    try {
      where = locateJsonError(body);
    } catch {
      // e.g. nesting deep enough to exhaust the stack: fall back to V8's own words
      throw new InputError("", `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    const before = body.slice(0, where.offset);
    const line = before.split("\n").length;
    const column = where.offset - before.lastIndexOf("\n");
    throw new InputError("", `not valid JSON: ${where.message} at line ${line}, column ${column}`);
  }
  const dup = findDuplicateKey(body);
  if (dup) {
    const a = lineColumn(body, dup.first);
    const b = lineColumn(body, dup.second);
    const key = JSON.stringify(dup.path[dup.path.length - 1]);
    throw new InputError(
      formatJsonPath(dup.path),
      `${key} is given twice in the same object (line ${a.line}, column ${a.column} and line ${b.line}, column ${b.column}); JSON would silently keep the last: remove one`,
    );
  }
  return parsed;
}

/** What a non-regular file is, for the message refusing it. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  return "not a regular file";
}

/**
 * A file's bytes as UTF-8 text (a leading byte-order mark dropped), or bad input saying where it
 * is not UTF-8: decoded leniently, a Latin-1 "café" became "caf\uFFFD" in every caption and .tex
 * without a word, and a UTF-16 file failed as `unexpected "\uFFFD" at line 1` (a reviewer's).
 */
export function utf8Text(bytes: Uint8Array, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new InputError("", `scenario file "${file}" is UTF-16 text: save it as UTF-8`);
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const bad = firstInvalidUtf8(bytes, start);
  if (bad >= 0) {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < bad; i++) if (bytes[i] === 0x0a) [line, lineStart] = [line + 1, i + 1];
    const column = Buffer.from(bytes.subarray(lineStart, bad)).toString("utf8").length + 1;
    const hex = bytes[bad].toString(16).toUpperCase().padStart(2, "0");
    throw new InputError("", `scenario file "${file}" is not UTF-8 text: byte 0x${hex} at line ${line}, column ${column} (Latin-1 or Windows-1252?): save it as UTF-8`);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.length - start).toString("utf8");
}

/** Offset of the first byte that does not begin or continue a well-formed UTF-8 sequence
 *  (overlong forms, surrogates and code points above U+10FFFF included), or −1. By hand: a
 *  strict TextDecoder (the test's oracle) says whether a file is UTF-8, not where it is not. */
function firstInvalidUtf8(b: Uint8Array, from: number): number {
  const n = b.length;
  let i = from;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let len: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [len, min] = [2, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [len, min] = [3, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [len, min] = [4, 0x10000];
    else return i;
    if (i + len > n) return i;
    let cp = c & (0xff >> (len + 1));
    for (let k = 1; k < len; k++) {
      const d = b[i + k];
      if ((d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += len;
  }
  return -1;
}

/**
 * The file's text. Opened without blocking and refused unless it is a regular file: reading a
 * named pipe with no writer, or a device such as /dev/zero, would wait or read forever.
 */
function readText(file: string): string {
  // (yargs hands "-" on as "", and "cannot read scenario file \"\"" lost what was typed: a reviewer's)
  if (file === "") throw new InputError("", `no scenario file named (an empty name; "-", standard input, is not read): give a file`);
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError("", `cannot read scenario file "${file}": it is ${kindOf(st)}, not a regular file`);
    if (st.size > MAX_FILE_BYTES) {
      throw new InputError("", `scenario file "${file}" has ${st.size} bytes; at most ${MAX_FILE_BYTES} (32 MiB) are read (a 100,000-atom law takes about 2 MB)`);
    }
    return utf8Text(readFileSync(fd), file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory"
          : code === "EACCES"
            ? "permission denied"
            : code === "ENOTDIR"
              ? "a part of the path is a file, not a directory"
              : code === "ENAMETOOLONG"
                ? "the name is too long"
                : String((e as Error).message);
    throw new InputError("", `cannot read scenario file "${file}": ${why}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

// ---------------------------------------------------------------- files

/** Where a resolved scenario came from: the scenario file and every override applied to it. */
export interface Provenance {
  /** the scenario file as named on the first command line (a result file names its origin) */
  scenarioFile: string;
  /** overrides in the order applied, as typed: "--unset market.leader", "--set market.kind=monopoly" */
  overrides: string[];
}

export interface LoadedScenario {
  /** defaults filled; `name` carries the override suffix (its output folder) */
  scenario: Scenario;
  /** the JSON the scenario was validated from: the file's (or a result's recorded scenario) after overrides */
  raw: unknown;
  /** SHA-256 of the canonical JSON of `resolved` */
  sha256: string;
  file: string;
  /** the complete scenario as computed, for result files: `scenario` without `$schema` */
  resolved: Record<string, unknown>;
  provenance: Provenance;
  /** set when `file` is a result (summary.json, sweep.json): the engine version that wrote it */
  fromResult?: { engineVersion: string };
}

/**
 * The recorded scenario and provenance when `json` is a result written by lpe (summary.json:
 * `meta.scenario`; sweep.json: `scenario` beside `gridSha256`), so that a result file alone
 * reruns itself (`lpe solve results/<name>/summary.json`).
 */
function recordedScenario(json: unknown): { scenario: unknown; provenance: Provenance; engineVersion: string } | undefined {
  if (json === null || typeof json !== "object" || Array.isArray(json) || "buyers" in json) return undefined;
  const o = json as Record<string, unknown>;
  const meta = (o.meta !== null && typeof o.meta === "object" ? o.meta : "gridSha256" in o ? o : undefined) as Record<string, unknown> | undefined;
  // a result without its recorded scenario (edited, or merged from shards whose record was) was
  // read as a scenario, and the message was about its own fields ("grid.params: unknown field")
  if (meta && typeof meta.engineVersion === "string" && (meta.scenario === null || typeof meta.scenario !== "object")) {
    throw new InputError("scenario", "this result file records no scenario to rerun (it was edited, or written without one): run the scenario file it came from");
  }
  if (!meta || meta.scenario === null || typeof meta.scenario !== "object" || typeof meta.engineVersion !== "string") return undefined;
  const overrides = Array.isArray(meta.overrides) ? meta.overrides.map(String) : [];
  return { scenario: meta.scenario, provenance: { scenarioFile: String(meta.scenarioFile ?? ""), overrides }, engineVersion: meta.engineVersion };
}

/** The resolved scenario as recorded in results: defaults filled, `$schema` dropped (a path relative to the input file). */
function resolvedRecord(scenario: Scenario): Record<string, unknown> {
  const { $schema: _drop, ...rest } = scenario as Scenario & { $schema?: string };
  void _drop;
  return rest as Record<string, unknown>;
}

/**
 * Read, override and validate a scenario file (or a result file, whose recorded scenario is
 * used), collecting every problem (for `lpe validate`). Unreadable or non-JSON files and bad
 * overrides give a single problem. With overrides the scenario's name gets their suffix
 * (overrides.ts overrideSuffix), and an unknown field under an overridden object gets a hint to
 * remove it with --unset.
 */
export function validateScenarioFile(
  file: string,
  sets: readonly string[] = [],
  unsets: readonly string[] = [],
  opts: ValidateOptions = {},
): { problems: Problem[]; loaded?: LoadedScenario } {
  let raw: unknown;
  let recorded: ReturnType<typeof recordedScenario>;
  try {
    const json = parseJsonText(readText(file));
    recorded = recordedScenario(json);
    raw = applyOverrides(recorded ? recorded.scenario : json, sets, unsets);
  } catch (e) {
    if (e instanceof InputError) return { problems: [{ path: e.path, message: e.reason }] };
    throw e;
  }
  const { scenario, problems } = validateScenario(raw, opts);
  if (!scenario) return { problems: withUnsetHints(problems, sets, unsets) };
  scenario.name = rerunName(scenario.name, recorded?.provenance.overrides, sets, unsets);
  const resolved = resolvedRecord(scenario);
  const provenance: Provenance = {
    scenarioFile: recorded ? recorded.provenance.scenarioFile : file,
    overrides: [...(recorded?.provenance.overrides ?? []), ...overrideList(sets, unsets)],
  };
  const loaded: LoadedScenario = { scenario, raw, sha256: scenarioSha256(resolved), file, resolved, provenance };
  if (recorded) loaded.fromResult = { engineVersion: recorded.engineVersion };
  return { problems, loaded };
}

/**
 * The name of a run with overrides. A rerun of a result with more overrides: its recorded name
 * already carries the suffix of the overrides it was run with, so the name is made afresh from
 * the scenario's own name and the combined overrides (a path set again shows once, with its new
 * value: `--technology.sigma-0.3`, not `--technology.sigma-0.4--technology.sigma-0.3`). When
 * the recorded name does not end in that suffix (a long name cut and hashed), the suffix is
 * appended as for a scenario file.
 */
function rerunName(name: string, recorded: readonly string[] | undefined, sets: readonly string[], unsets: readonly string[]): string {
  if (!recorded || recorded.length === 0 || (sets.length === 0 && unsets.length === 0)) return nameWithOverrides(name, sets, unsets);
  const before = parseOverrideList(recorded);
  if (!before || sets.some((x) => x.trim().startsWith("name="))) return nameWithOverrides(name, sets, unsets);
  let suffix: string;
  try {
    suffix = overrideSuffix(before.sets, before.unsets);
  } catch {
    return nameWithOverrides(name, sets, unsets);
  }
  if (!name.endsWith(suffix) || suffix.length === 0) return nameWithOverrides(name, sets, unsets);
  const combined = combinedOverrides(before, sets, unsets);
  return nameWithOverrides(name.slice(0, name.length - suffix.length), combined.sets, combined.unsets);
}

/** "unknown field" under an object that an override touched: say how to remove it. */
function withUnsetHints(problems: Problem[], sets: readonly string[], unsets: readonly string[]): Problem[] {
  const touched = [...sets.map((x) => x.slice(0, Math.max(0, x.indexOf("="))).trim()), ...unsets.map((x) => x.trim())];
  if (touched.length === 0) return problems;
  return problems.map((p) => {
    if (!p.message.startsWith("unknown field") || !p.path) return p;
    // The field is the one a --set wrote: its path is misspelled (--set technology.sigam=0.4), and
    // the remedy is that --set spelled right, not --unset (a reviewer was told to remove it).
    const own = sets.find((x) => x.slice(0, Math.max(0, x.indexOf("="))).trim() === p.path);
    if (own !== undefined) {
      const meant = /did you mean "([^"]+)"\?/.exec(p.message)?.[1];
      const value = own.slice(own.indexOf("=") + 1);
      const fixed = meant ? `${p.path.slice(0, p.path.length - p.path.replace(/^.*[.[]/, "").length)}${meant}` : undefined;
      return { path: p.path, message: `${p.message} (from --set ${own.trim()}${fixed ? `: give --set ${fixed}=${value}` : ": a misspelled path?"})` };
    }
    const parent = p.path.replace(/(\.[^.[\]]+|\[[^\]]*\])$/, "");
    if (!touched.some((t) => t === parent || t.startsWith(`${parent}.`) || t.startsWith(`${parent}[`))) return p;
    return { path: p.path, message: `${p.message} (after the overrides; remove it with --unset ${p.path})` };
  });
}

/** Read, override and validate a scenario file; throws InputError naming the first problem. */
export function loadScenarioFile(file: string, sets: readonly string[] = [], unsets: readonly string[] = [], opts: ValidateOptions = {}): LoadedScenario {
  const { problems, loaded } = validateScenarioFile(file, sets, unsets, opts);
  if (!loaded) throw new InputError(problems[0].path, problems[0].message);
  return loaded;
}

/** Notes for the person at the terminal: where overrides send the results, an older result rerun. */
/** A one-point linspace or logspace is its start alone, as numpy's: said (by lpe sweep and lpe
 *  validate), since the end written beside it is then not used (a reviewer's [a, b, 1] kept a
 *  without a word). */
export function sweepAxisNotes(scenario: Scenario): string[] {
  const notes: string[] = [];
  for (const [path, axis] of Object.entries(scenario.sweep?.params ?? {})) {
    const spec = "linspace" in axis ? (["linspace", axis.linspace] as const) : "logspace" in axis ? (["logspace", axis.logspace] as const) : undefined;
    if (spec && spec[1][2] === 1 && spec[1][0] !== spec[1][1]) {
      notes.push(`sweep.params[${JSON.stringify(path)}]: ${spec[0]} [${spec[1].join(", ")}] is the one value ${spec[0] === "linspace" ? spec[1][0] : `10^${spec[1][0]}`} (numpy's convention): ${spec[1][1]} is not used`);
    }
  }
  return notes;
}

export function loadNotes(loaded: LoadedScenario, out: string, opts: { sweep?: boolean } = {}): string[] {
  const notes: string[] = [];
  // a --set of a swept path sets the base value only, which every point's axis value replaces
  // (a reviewer's sweep wrote a new folder with the same rows and said nothing)
  const swept = opts.sweep ? Object.keys(loaded.scenario.sweep?.params ?? {}) : [];
  for (const o of loaded.provenance.overrides) {
    if (!o.startsWith("--set ")) continue;
    const path = o.slice(6, o.indexOf("=") > 0 ? o.indexOf("=") : undefined);
    const axis = swept.find((p) => p === path || p.startsWith(`${path}.`) || p.startsWith(`${path}[`));
    if (axis) notes.push(`${o} sets a swept path (sweep.params ${JSON.stringify(axis)}): every point takes the axis' value instead; change the axis with --set 'sweep.params=…'`);
  }
  if (opts.sweep) notes.push(...sweepAxisNotes(loaded.scenario));
  const given = (loaded.raw as { name?: unknown }).name;
  if (typeof given === "string" && given !== loaded.scenario.name) {
    notes.push(`with overrides the results go to ${join(out, loaded.scenario.name)}/, not ${join(out, given)}/ (--set name=NEW chooses the folder)`);
  }
  if (loaded.fromResult && loaded.fromResult.engineVersion !== ENGINE_VERSION) {
    notes.push(`${loaded.file} was written by lpe ${loaded.fromResult.engineVersion}; rerunning its scenario with lpe ${ENGINE_VERSION}`);
  }
  return notes;
}

/**
 * The scenario's name with its overrides' suffix (overrides.ts overrideSuffix), kept within
 * MAX_SCENARIO_NAME: the name is recorded in summary.json and sweep.json, which a rerun and
 * `lpe merge` validate again. When name and suffix are longer, the name is cut and ends in
 * "--set-" and 10 hex digits of the SHA-256 of the whole name and the override list.
 */
export function nameWithOverrides(name: string, sets: readonly string[], unsets: readonly string[] = []): string {
  const suffix = overrideSuffix(sets, unsets);
  if (name.length + suffix.length <= MAX_SCENARIO_NAME) return name + suffix;
  const hash = createHash("sha256").update([name, ...overrideList(sets, unsets)].join("\n"), "utf8").digest("hex");
  const tail = `--set-${hash.slice(0, 10)}`;
  return name.slice(0, MAX_SCENARIO_NAME - tail.length).replace(/[-.]+$/, "") + tail;
}
