// A JSON path from its segments, as messages name it: "a.b[0].c", with a key that is not an
// identifier written ["market.fringe.cost"]. Its own module (no Node built-ins) so that the
// figure catalogue, which the page of lpe explore loads, can name paths too.

import { formatPath } from "../errors.js";

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
