// "Did you mean": the closest of some names to a mistyped one, by edit distance (a field, an
// output, a sweep path). Used by the scenario loader and the economic checks, hence its own
// module (the checks cannot import the loader, which imports them).

/** Optimal-string-alignment distance: a swapped pair of letters ("sigam") counts as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The best hint among the candidates within a small edit distance (case differences are free),
 * if any: a `preferred` one first (a required field that is missing: "mx" next to a missing
 * "max" means "max", not "mu"), then the smallest distance, then the schema's order.
 */
export function closest(word: string, candidates: readonly string[], preferred: readonly string[] = []): string | undefined {
  const limit = Math.max(1, Math.min(2, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestRank = Infinity;
  // The distance is at least the difference in length and a hint needs ≤ 2: skipping the rest
  // keeps a megabyte-long unknown key from costing a quadratic table.
  for (const c of candidates.filter((c) => Math.abs(c.length - word.length) <= limit)) {
    const d = c.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, c);
    if (d > limit) continue;
    const rank = (preferred.includes(c) ? 0 : 10) + d;
    if (rank < bestRank) {
      bestRank = rank;
      best = c;
    }
  }
  if (best !== undefined || word.length < 4) return best;
  // a name that is part of exactly one candidate: "lognormal" for "truncLognormal" (5 edits away)
  const within = candidates.filter((c) => c.toLowerCase().includes(word.toLowerCase()));
  return within.length === 1 ? within[0] : undefined;
}

/** The words of a camelCase or snake_case name, lower case ("fringeSpendShare" → fringe, spend, share). */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/**
 * Hints for a mistyped result name (an output, a curve): the closest by edit distance, else
 * every name that has all the typed name's words, in the candidates' order, at most `max`
 * ("fringeShare" → fringeOnlyShare, fringeSpendShare, fringeTokenShare: names an economist
 * abbreviates are two words of three, beyond any edit distance worth a hint).
 */
export function closestNames(word: string, candidates: readonly string[], max = 4): string[] {
  const c = closest(word, candidates);
  if (c !== undefined) return [c];
  const want = words(word);
  if (want.length < 2) return [];
  return candidates.filter((name) => {
    const have = words(name);
    return have.length > want.length && want.every((w) => have.includes(w));
  }).slice(0, max);
}

/** " (did you mean "x"?)", " (did you mean one of "x", "y"?)" or "" for closestNames' hints. */
export function didYouMean(hints: readonly string[]): string {
  if (hints.length === 0) return "";
  if (hints.length === 1) return ` (did you mean "${hints[0]}"?)`;
  return ` (did you mean one of ${hints.map((h) => `"${h}"`).join(", ")}?)`;
}
