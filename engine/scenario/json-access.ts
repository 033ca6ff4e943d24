// Dotted JSON paths into plain JSON (a scenario): parse "market.fringe.cost", read the value
// there, and a copy with another value there — without mutating the input: setPath copies only
// the objects along the path and shares every other branch. Apart from overrides.ts (which adds
// the command-line overrides and the hashes of their folder names) so that the figure layer, which
// also runs in the browser (lpe explore), can use it without Node's modules.

import { formatJsonPath } from "./json-path.js";
import { InputError } from "../errors.js";

export type PathSegment = string | number;

// a name, an index, or a quoted key (a key with dots: sweep.params["market.fringe.cost"])
const SEGMENT = /^(?:([^.[\]"]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/;

/**
 * "technology.tokens.classes[0].cost" or "technology.tokens.classes.0.cost" ->
 * ["technology", "tokens", "classes", 0, "cost"]. Numeric segments are array indices. A key
 * that holds dots is quoted in brackets, as error messages print it:
 * sweep.params["market.fringe.cost"] -> ["sweep", "params", "market.fringe.cost"].
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
    else if (m[3] !== undefined) out.push(JSON.parse(m[3]) as string);
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

export function segmentsOf(path: string | readonly PathSegment[]): readonly PathSegment[] {
  return typeof path === "string" ? parsePath(path) : path;
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
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
  const shown = typeof path === "string" ? path : formatJsonPath(segs);
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
    const before = formatJsonPath(segs.slice(0, i)) || "the scenario";
    throw new InputError(where, `cannot set "${shown}": ${before} is ${describeKind(cur)}, not an object`);
  };
  return rec(obj, 0);
}
