// The status text of a result that is not certified optimal to 1e-9 of profit: the `status` cell
// of such a row of sweep.csv (workers/sweep-point.ts) and of every row of such a solve's
// curves.csv (curves-csv.ts), one wording for both files. The gap is the certificate's, relative
// to profit (docs/model.md, the certificates of section 3c).

/** The status of a row whose result is not certified optimal to 1e-9 of profit. */
export function uncertifiedStatus(gap: number | null): string {
  if (gap === null) return "uncertified (no optimality bound)";
  // (a positive bound over a profit of 0: the gap relative to profit is infinite)
  if (gap === Infinity) return "uncertified (profit 0 against a positive optimality bound)";
  return `uncertified (optimality gap ${gap.toExponential(2)} of profit)`;
}
