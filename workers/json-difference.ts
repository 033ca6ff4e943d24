// Where two JSON values first differ, in words: a merge of shards run on different scenarios
// ("first at market.leader.cost: 0.31 here, 0.3 there"), a resume of a sweep whose scenario has
// changed ("… 0.31 then, 0.3 now"). The hashes alone say only that they differ.

import { formatJsonPath } from "../engine/scenario/overrides.js";

/** The first path (keys in sorted order, depth first) at which two JSON values differ. */
export function firstDifference(a: unknown, b: unknown, path: (string | number)[]): { path: (string | number)[]; a: unknown; b: unknown } | undefined {
  if (a === b) return undefined;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], [...path, i]);
      if (d) return d;
    }
    return undefined;
  }
  if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = firstDifference(a[k], b[k], [...path, k]);
      if (d) return d;
    }
    return undefined;
  }
  return { path, a, b };
}

/**
 * " (first at PATH: A here, B there)" for two scenarios (`words` names the two sides), looking
 * past the name (it carries the overrides' suffix, and differs whenever they do) and the
 * description first (alphabetically first, its edit hid a change of the market: a reviewer's);
 * "" where they do not differ or cannot be compared. Two long strings are shown around their
 * first differing character (both cut at 60 characters, "towards" and "toward" looked alike).
 */
export function scenarioDifferenceText(a: unknown, b: unknown, words: [string, string]): string {
  if (a === undefined || b === undefined) return "";
  const model = (v: unknown) => (typeof v === "object" && v !== null && !Array.isArray(v) ? { ...v, name: undefined, description: undefined } : v);
  let d: ReturnType<typeof firstDifference>;
  try {
    d = firstDifference(model(a), model(b), []) ?? firstDifference(a, b, []);
  } catch {
    return ""; // an untrusted file nested deep enough to exhaust the stack
  }
  if (!d) return "";
  let from = 0;
  if (typeof d.a === "string" && typeof d.b === "string") {
    const [x, y] = [d.a, d.b];
    let k = 0;
    while (k < x.length && k < y.length && x[k] === y[k]) k++;
    from = Math.max(0, k - 20);
  }
  const show = (v: unknown) => {
    if (v === undefined) return "absent";
    if (typeof v === "string" && (from > 0 || v.length > 60)) {
      const part = v.slice(from, from + 60);
      return `${from > 0 ? "…" : ""}${JSON.stringify(part)}${from + 60 < v.length ? "…" : ""}`;
    }
    const t = JSON.stringify(v);
    return t.length > 60 ? `${t.slice(0, 60)}…` : t;
  };
  return ` (first at ${formatJsonPath(d.path) || "the top level"}: ${show(d.a)} ${words[0]}, ${show(d.b)} ${words[1]})`;
}
