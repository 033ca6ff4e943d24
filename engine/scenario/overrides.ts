// Dotted JSON paths into a scenario and `--set PATH=VALUE` overrides (INTERFACE.md "Command line").
// Sweeps reuse getPath/setPath to place one grid point's numbers into the scenario, so both
// work on plain JSON and never mutate their input: setPath copies only the objects along the
// path and shares every other branch with the original (cheap per sweep point, and the raw
// scenario that the SHA-256 is taken of stays untouched).

import { InputError, formatPath } from "../errors.js";

export type PathSegment = string | number;

const SEGMENT = /^(?:([^.[\]]+)|\[(\d+)\])/;

/**
 * "technology.tokens.classes[0].cost" or "technology.tokens.classes.0.cost" ->
 * ["technology", "tokens", "classes", 0, "cost"]. Numeric segments are array indices.
 * Throws InputError at `where` when the path is malformed.
 */
export function parsePath(path: string, where = "--set"): PathSegment[] {
  const out: PathSegment[] = [];
  let rest = path;
  if (rest === "") throw new InputError(where, "empty path; expected a dotted path such as market.fringe.cost");
  while (rest.length > 0) {
    const m = SEGMENT.exec(rest);
    if (!m) throw new InputError(where, `malformed path "${path}" near "${rest}"; expected a dotted path such as technology.tokens.classes[0].cost`);
    if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(/^\d+$/.test(m[1]) ? Number(m[1]) : m[1]);
    rest = rest.slice(m[0].length);
    if (rest.startsWith(".")) {
      rest = rest.slice(1);
      if (rest === "" || rest.startsWith(".") || rest.startsWith("[")) {
        throw new InputError(where, `malformed path "${path}": empty segment`);
      }
    } else if (rest !== "" && !rest.startsWith("[")) {
      throw new InputError(where, `malformed path "${path}" near "${rest}"`);
    }
  }
  for (const s of out) {
    // Assigning "__proto__" on a plain object would replace its prototype instead of adding a field.
    if (s === "__proto__") throw new InputError(where, `path "${path}" may not contain __proto__`);
  }
  return out;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Segments -> "a.b[0].c" (errors.ts formatPath), except that a key which is not an identifier
 * (a sweep parameter such as "market.fringe.cost") is written ["market.fringe.cost"] so the
 * path stays unambiguous.
 */
export function formatJsonPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "string" && !IDENTIFIER.test(s)) out += `[${JSON.stringify(s)}]`;
    else if (typeof s === "number") out += formatPath([s]);
    else out += (out ? "." : "") + formatPath([s]);
  }
  return out;
}

function segmentsOf(path: string | readonly PathSegment[]): readonly PathSegment[] {
  return typeof path === "string" ? parsePath(path) : path;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** The value at `path`, or undefined when any step is missing (own properties only). */
export function getPath(obj: unknown, path: string | readonly PathSegment[]): unknown {
  let cur: unknown = obj;
  for (const seg of segmentsOf(path)) {
    if (Array.isArray(cur)) {
      if (typeof seg !== "number" || seg >= cur.length) return undefined;
      cur = cur[seg];
    } else if (isPlainObject(cur)) {
      const key = String(seg);
      if (!Object.hasOwn(cur, key)) return undefined;
      cur = cur[key];
    } else {
      return undefined;
    }
  }
  return cur;
}

function describeKind(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array";
  return `a ${typeof x}`;
}

/**
 * A copy of `obj` with `value` at `path`; objects along the path are copied, everything else is
 * shared. Missing intermediates are created (an array before a numeric segment, else an object).
 * Throws InputError at `where` when the path runs through a number/string or past an array's end.
 */
export function setPath(
  obj: unknown,
  path: string | readonly PathSegment[],
  value: unknown,
  where = "--set",
): unknown {
  const segs = segmentsOf(path);
  const shown = typeof path === "string" ? path : segs.map(String).join(".");
  const rec = (cur: unknown, i: number): unknown => {
    if (i === segs.length) return value;
    const seg = segs[i];
    if (cur === undefined) cur = typeof seg === "number" ? [] : {};
    if (Array.isArray(cur)) {
      if (typeof seg !== "number") {
        throw new InputError(where, `cannot set "${shown}": "${String(seg)}" is not an index into an array`);
      }
      // A hole in a JSON array cannot be written back to a file, so only overwrite or append.
      if (seg > cur.length) {
        throw new InputError(where, `cannot set "${shown}": index ${seg} is past the end of an array of length ${cur.length}`);
      }
      const copy = cur.slice();
      copy[seg] = rec(cur[seg], i + 1);
      return copy;
    }
    if (isPlainObject(cur)) {
      const key = String(seg);
      const copy: Record<string, unknown> = { ...cur };
      copy[key] = rec(Object.hasOwn(cur, key) ? cur[key] : undefined, i + 1);
      return copy;
    }
    const before = segs.slice(0, i).map(String).join(".") || "the scenario";
    throw new InputError(where, `cannot set "${shown}": ${before} is ${describeKind(cur)}, not an object`);
  };
  return rec(obj, 0);
}

/** VALUE of a --set: JSON when it parses (numbers, booleans, arrays, objects, "quoted"), else the raw string. */
export function parseSetValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Apply each `PATH=VALUE` in order; the input is not mutated. */
export function applyOverrides(raw: unknown, sets: readonly string[]): unknown {
  let out = raw;
  for (const set of sets) {
    const eq = set.indexOf("=");
    if (eq <= 0) {
      throw new InputError("--set", `malformed --set "${set}"; expected PATH=VALUE, e.g. market.fringe.cost=0.25`);
    }
    const segs = parsePath(set.slice(0, eq).trim(), "--set");
    out = setPath(out, segs, parseSetValue(set.slice(eq + 1).trim()), "--set");
  }
  return out;
}
