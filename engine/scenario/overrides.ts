// The command-line overrides `--set PATH=VALUE` and `--unset PATH` (README "Commands"), on the
// dotted JSON paths of json-access.ts (re-exported here). Unsets apply first, then sets, so that
// `--unset market --set market.kind=monopoly` builds a new object and
// `--set market.kind=monopoly --unset market.leader --unset market.fringe` changes a market's kind.
// A run with overrides gets its own output folder: the scenario's name plus a suffix spelled
// from the overrides (overrideSuffix), unless the overrides set `name` themselves.
// Sweeps reuse getPath/setPath to place one grid point's numbers into the scenario (cheap per
// sweep point, and the raw scenario that the SHA-256 is taken of stays untouched).

import { formatJsonPath } from "./json-path.js";
import { createHash } from "node:crypto";
import { InputError } from "../errors.js";

export type { PathSegment } from "./json-access.js";
import { getPath, isPlainObject, parsePath, segmentsOf, setPath, type PathSegment } from "./json-access.js";
export { getPath, parsePath, setPath };
export { formatJsonPath };

/** VALUE of a --set: JSON when it parses (numbers, booleans, arrays, objects, "quoted"), else the raw string. */
export function parseSetValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A copy of `obj` without the value at `path` (an array element is spliced out); objects along
 * the path are copied, everything else is shared. Throws InputError at `where` when nothing is
 * there to remove, naming what the parent holds.
 */
export function unsetPath(obj: unknown, path: string | readonly PathSegment[], where = "--unset"): unknown {
  const segs = segmentsOf(path);
  const shown = typeof path === "string" ? path : formatJsonPath(segs);
  if (segs.length === 0) throw new InputError(where, "cannot remove the whole scenario");
  const parentPath = segs.slice(0, -1);
  const parent = getPath(obj, parentPath);
  const last = segs[segs.length - 1];
  const has = Array.isArray(parent) ? typeof last === "number" && last < parent.length : isPlainObject(parent) && Object.hasOwn(parent, String(last));
  if (!has) {
    const where2 = parentPath.length ? formatJsonPath(parentPath) : "the scenario";
    const holds = isPlainObject(parent) ? `${where2} has ${Object.keys(parent).join(", ") || "no fields"}` : Array.isArray(parent) ? `${where2} has ${parent.length} entries` : `${where2} does not exist`;
    throw new InputError(where, `nothing to remove at "${shown}": ${holds}`);
  }
  const rec = (cur: unknown, i: number): unknown => {
    const seg = segs[i];
    if (Array.isArray(cur)) {
      const copy = cur.slice();
      if (i === segs.length - 1) copy.splice(seg as number, 1);
      else copy[seg as number] = rec(cur[seg as number], i + 1);
      return copy;
    }
    const copy: Record<string, unknown> = { ...(cur as Record<string, unknown>) };
    if (i === segs.length - 1) delete copy[String(seg)];
    else copy[String(seg)] = rec(copy[String(seg)], i + 1);
    return copy;
  };
  return rec(obj, 0);
}

function splitSet(set: string): [string, string] {
  // the first "=" outside a quoted key
  let eq = -1;
  let quoted = false;
  for (let i = 0; i < set.length && eq < 0; i++) {
    if (set[i] === "\\" && quoted) i++;
    else if (set[i] === '"') quoted = !quoted;
    else if (set[i] === "=" && !quoted) eq = i;
  }
  if (eq <= 0) {
    throw new InputError("--set", `malformed --set "${set}"; expected PATH=VALUE, e.g. market.fringe.cost=0.25`);
  }
  return [set.slice(0, eq).trim(), set.slice(eq + 1).trim()];
}

/**
 * The keys of sweep.params and calibrate.params are paths themselves: `--set
 * sweep.params.market.fringe.cost=…` would make a key "market" holding { fringe: { cost } }, and
 * the message was about an unknown field "fringe" (a reviewer's). Said at once, with the form
 * that works.
 */
function dottedKeyHint(raw: unknown, segs: readonly PathSegment[], where: "--set" | "--unset"): void {
  if (segs.length <= 3 || (segs[0] !== "sweep" && segs[0] !== "calibrate") || segs[1] !== "params" || typeof segs[2] !== "string") return;
  // a key quoted in brackets is a path already (a new entry given field by field)
  if (segs[2].includes(".")) return;
  const params = getPath(raw, segs.slice(0, 2));
  if (isPlainObject(params) && Object.hasOwn(params, segs[2])) return;
  // (a last segment that names a field of an entry — a bound, an axis — is that field)
  const last = segs[segs.length - 1];
  const field = typeof last === "string" && ENTRY_FIELDS.has(last) ? last : undefined;
  const key = segs.slice(2, field ? -1 : undefined).join(".");
  throw new InputError(
    where,
    `${segs[0]}.params.${segs.slice(2).join(".")}: the keys of ${segs[0]}.params are paths themselves; quote the key in brackets: ${segs[0]}.params[${JSON.stringify(key)}]${field ? `.${field}` : ""}${where === "--set" ? "=VALUE" : ""}`,
  );
}

/** Fields of a sweep axis or a calibration parameter. */
const ENTRY_FIELDS = new Set(["min", "max", "log", "linspace", "logspace", "values"]);

/** Apply every `--unset PATH`, then every `PATH=VALUE`, each in order; the input is not mutated. */
export function applyOverrides(raw: unknown, sets: readonly string[], unsets: readonly string[] = []): unknown {
  let out = raw;
  for (const path of unsets) {
    const segments = parsePath(path.trim(), "--unset");
    dottedKeyHint(out, segments, "--unset");
    out = unsetPath(out, segments, "--unset");
  }
  for (const set of sets) {
    const [path, value] = splitSet(set);
    const segments = parsePath(path, "--set");
    dottedKeyHint(out, segments, "--set");
    out = setPath(out, segments, parseSetValue(value), "--set");
  }
  return out;
}

/** The overrides as given, in the order they apply: ["--unset market.leader", "--set market.kind=monopoly"]. */
export interface Overrides {
  sets: string[];
  unsets: string[];
}

/** The --set and --unset values of a list as overrideList writes it (undefined: another form). */
export function parseOverrideList(list: readonly string[]): Overrides | undefined {
  const out: Overrides = { sets: [], unsets: [] };
  for (const o of list) {
    if (o.startsWith("--set ")) out.sets.push(o.slice(6));
    else if (o.startsWith("--unset ")) out.unsets.push(o.slice(8));
    else return undefined;
  }
  return out;
}

/**
 * The overrides of a rerun of a result (recorded in its provenance as overrideList gave them),
 * followed by the rerun's own: an earlier --set or --unset of a path the rerun sets or unsets
 * again is dropped (it no longer shows in the result), so the folder name says what the result
 * holds (`recorded`: parseOverrideList of the result's list).
 */
export function combinedOverrides(recorded: Overrides, sets: readonly string[], unsets: readonly string[]): Overrides {
  const { sets: recSets, unsets: recUnsets } = recorded;
  const key = (path: string) => parsePath(path.trim(), "--set").map(String).join(".");
  // a path set again keeps its place with its new value (the last one given)
  const newSet = new Map(sets.map((x) => [key(splitSet(x)[0]), x]));
  const newUnset = new Set(unsets.map(key));
  const placed = new Set<string>();
  const merged: string[] = [];
  for (const x of recSets) {
    const k = key(splitSet(x)[0]);
    if (newUnset.has(k) || placed.has(k)) continue;
    const now = newSet.get(k);
    if (now !== undefined) placed.add(k);
    merged.push(now ?? x);
  }
  for (const x of sets) if (!placed.has(key(splitSet(x)[0]))) merged.push(x);
  return {
    sets: merged,
    unsets: [...recUnsets.filter((u) => !newSet.has(key(u)) && !newUnset.has(key(u))), ...unsets],
  };
}

export function overrideList(sets: readonly string[], unsets: readonly string[] = []): string[] {
  return [...unsets.map((p) => `--unset ${p.trim()}`), ...sets.map((s) => `--set ${s.trim()}`)];
}

const SUFFIX_MAX = 80;

/**
 * The output-folder suffix of a run with overrides, so that it never replaces the folder of the
 * unmodified scenario: "--technology.sigma-0.4" for `--set technology.sigma=0.4`,
 * "--no-market.leader" for `--unset market.leader`, joined in the order they apply (an index
 * reads as a segment: classes[0] → classes.0). When a value
 * holds characters a folder name cannot (JSON objects, spaces) or the suffix would exceed 80
 * characters, it is "--set-" and the first 10 hex digits of the SHA-256 of the override list
 * instead. Empty without overrides, and when the overrides set `name` (the user chose the folder).
 */
export function overrideSuffix(sets: readonly string[], unsets: readonly string[] = []): string {
  if (sets.length === 0 && unsets.length === 0) return "";
  if (sets.some((s) => splitSet(s)[0] === "name")) return "";
  // paths as dotted segments: classes[0] reads classes.0 (brackets cannot be in a folder name)
  const dotted = (path: string, where: string) => parsePath(path.trim(), where).map(String).join(".");
  const parts = [
    ...unsets.map((p) => `no-${dotted(p, "--unset")}`),
    ...sets.map((s) => {
      const [path, value] = splitSet(s);
      return `${dotted(path, "--set")}-${value}`;
    }),
  ];
  const plain = parts.join("--");
  if (/^[A-Za-z0-9._-]+$/.test(plain) && plain.length <= SUFFIX_MAX) return `--${plain}`;
  const hash = createHash("sha256").update(overrideList(sets, unsets).join("\n"), "utf8").digest("hex");
  return `--set-${hash.slice(0, 10)}`;
}
