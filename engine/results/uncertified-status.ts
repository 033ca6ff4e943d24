// The status text of a result that is not certified optimal to 1e-9 of profit: the `status` cell
// of such a row of sweep.csv (workers/sweep-point.ts) and of every row of such a solve's
// curves.csv (curves-csv.ts), one wording for both files. The gap is the certificate's, relative
// to profit (docs/model.md, the certificates of section 3c).

/** What a gap says: "optimality gap 3.10e-4 of profit" (`whose`: "its" for one of several markets). */
function gapText(gap: number | null, whose = ""): string {
  if (gap === null) return "no optimality bound";
  // (a positive bound over a profit of 0: the gap relative to profit is infinite)
  if (gap === Infinity) return `${whose ? "its " : ""}profit 0 against a positive optimality bound`;
  return `optimality gap ${gap.toExponential(2)} of ${whose ? `${whose} ` : ""}profit`;
}

/**
 * The status of a row whose result is not certified optimal to 1e-9 of profit. `parts`: in a
 * comparison of markets, those not certified, each named with its own gap (its own profit's):
 * "uncertified (leaderFringe: optimality gap 1.04e-2 of its profit)", not the largest gap alone
 * as if the whole row, efficient allocation included, were in doubt. `reportedMenu` (and a
 * part's): the menu reported in place of the solver's own uncertified one, e.g. "uncertified
 * (optimality gap 1.23e-3 of profit, reporting a finite menu of 124 items, the screening LP's
 * on 200 atoms of the law)".
 */
export function uncertifiedStatus(gap: number | null, parts?: readonly { name: string; optimalityGap: number | null; reportedMenu?: string }[], reportedMenu?: string): string {
  if (parts && parts.length > 0) return `uncertified (${parts.map((p) => `${p.name}: ${gapText(p.optimalityGap, "its")}${menuText(p.reportedMenu)}`).join("; ")})`;
  return `uncertified (${gapText(gap)}${menuText(reportedMenu)})`;
}

/** ", reporting <menu>" where the menu reported is not the solver's own construction (Certificate.reportedMenu). */
function menuText(menu: string | undefined): string {
  return menu ? `, reporting ${menu}` : "";
}

/** The largest optimality gap among a sweep's uncertified points, read back from their status
 *  cells (uncertifiedStatus above: "optimality gap 1.51e-2 of profit"; in a comparison
 *  the largest of its markets'), and its point; gap Infinity for a point with no bound or a
 *  profit of 0 against a positive bound. Undefined when no point is uncertified. */
export function largestGap(failures: ReadonlyMap<number, string>): { gap: number; point: number } | undefined {
  let best: { gap: number; point: number } | undefined;
  for (const [point, status] of failures) {
    if (!status.startsWith("uncertified")) continue;
    const gaps = [...status.matchAll(/optimality gap (\S+) of/g)].map((m) => Number(m[1]));
    const unbounded = /no optimality bound|profit 0 against/.test(status) || gaps.length === 0 || gaps.some((g) => !Number.isFinite(g));
    const gap = unbounded ? Infinity : Math.max(...gaps);
    if (!best || gap > best.gap || (gap === best.gap && point < best.point)) best = { gap, point };
  }
  return best;
}
