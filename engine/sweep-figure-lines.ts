// Which lines of a sweep a line figure may draw (workers/sweep-curves.ts FigureSample keeps their
// points while a streamed sweep runs; figures/builders/sweep-figures.ts draws from them). One
// function for both, because the two once chose differently: the figure chose its lines among
// all lines with a value to draw, the sample kept only six evenly chosen ones, and a reviewer's
// 3-parameter sweep drew lines made of the few points other figures' samples held (the rest
// blank, and the caption blamed empty cells of sweep.csv that were not empty).

/** Lines per figure at most. */
export const LINES_DRAWN = 6;
/** Candidate lines per figure at most: those a figure may draw where some have no value. */
export const LINE_CANDIDATES = 24;

/** Evenly spaced picks of `count` out of `n` (all when n ≤ count), ends included. */
export function picks(n: number, count: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.round((i * (n - 1)) / (count - 1)));
}

/** The candidate lines among `n` (indices, ascending): the LINES_DRAWN evenly chosen, and up to
 *  LINE_CANDIDATES evenly chosen besides, drawn from where the first have no value. */
export function lineCandidates(n: number): number[] {
  return [...new Set([...picks(n, LINES_DRAWN), ...picks(n, LINE_CANDIDATES)])].sort((a, b) => a - b);
}

/** The lines drawn, given which candidates have a value to draw: the LINES_DRAWN evenly chosen
 *  when each has one (the usual case: the figure is as it always was), else LINES_DRAWN evenly
 *  chosen among the candidates that have one (all candidates when none has). */
export function linesDrawn(n: number, hasValue: (line: number) => boolean): number[] {
  const first = picks(n, LINES_DRAWN);
  if (first.every(hasValue)) return first;
  const withValue = lineCandidates(n).filter(hasValue);
  const among = withValue.length > 0 ? withValue : lineCandidates(n);
  return picks(among.length, LINES_DRAWN).map((i) => among[i]);
}

/** The dimensions of a sweep's grid with more than one value: those its figures draw against
 *  (an axis of one value is a parameter held at that value). */
export function varyingDims(dimLength: ArrayLike<number>): number[] {
  return Array.from({ length: dimLength.length }, (_, e) => e).filter((e) => dimLength[e] > 1);
}
