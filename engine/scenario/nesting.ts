// Nesting limits of a scenario file, checked (without recursion) before anything recursive
// walks it: the schema, the economic checks and the distributions all recurse into mixtures,
// and a file nested a thousand deep would exhaust the call stack ("Maximum call stack size
// exceeded") instead of getting a clear answer. A real scenario is about six levels deep; a
// mixture of mixtures is itself a mixture, so a few levels of them are plenty.

import type { Problem } from "./economic-checks.js";
import { formatJsonPath, type PathSegment } from "./overrides.js";

/** Deepest nesting of objects and arrays in a scenario file. */
export const MAX_JSON_DEPTH = 64;
/** Deepest nesting of mixtures (a mixture inside a mixture's components counts 2). */
export const MAX_MIXTURE_DEPTH = 8;

/** The first place where the raw JSON value nests too deep, as a problem (none when it is fine). */
export function nestingProblems(raw: unknown): Problem[] {
  // Depth-first with an explicit stack; each entry carries its path and depths.
  const stack: { v: unknown; path: PathSegment[]; depth: number; mixtures: number }[] = [{ v: raw, path: [], depth: 0, mixtures: 0 }];
  while (stack.length > 0) {
    const { v, path, depth, mixtures } = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth >= MAX_JSON_DEPTH) {
      return [{ path: formatJsonPath(path), message: `nested more than ${MAX_JSON_DEPTH} levels deep; a scenario needs far fewer` }];
    }
    const isMixture = !Array.isArray(v) && (v as Record<string, unknown>).dist === "mixture";
    const m = mixtures + (isMixture ? 1 : 0);
    if (m > MAX_MIXTURE_DEPTH) {
      return [{ path: formatJsonPath(path), message: `mixtures nested more than ${MAX_MIXTURE_DEPTH} deep; flatten them (the components of a mixture of mixtures can be listed in one mixture, with multiplied weights)` }];
    }
    // Only objects and arrays go on the stack: a million numbers cost nothing here.
    const push = (key: PathSegment, child: unknown) => {
      if (child !== null && typeof child === "object") stack.push({ v: child, path: [...path, key], depth: depth + 1, mixtures: m });
    };
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) push(i, v[i]);
    else for (const key of Object.keys(v).reverse()) push(key, (v as Record<string, unknown>)[key]);
  }
  return [];
}
