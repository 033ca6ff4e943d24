// Tidy curves.csv: one row per grid type, a `theta` column then one column per curve, in the
// solver's order, numbers in the engine's round-trip format. Column names (X.<class> carries a
// user's class name) are CSV text cells: quoted and formula-guarded (csv-cell.ts).
// A result not certified optimal to 1e-9 of profit gets a last column, `status`, saying so on
// every row in sweep.csv's words (uncertified-status.ts): the file is often read alone, away
// from summary.json and the terminal that say it too. A certified result's file has no such
// column (the same bytes as before it existed).

import { csvText, csvTextRow } from "./csv-cell.js";

/** A solution's grid curves (solvers/types.ts re-exports this: engine/ imports nothing from solvers/). */
export interface Curves {
  theta: Float64Array;
  /** column name → values on the grid, in `order` */
  columns: Record<string, Float64Array>;
  order: string[];
}
import { formatNumber } from "./number-format.js";

/** `status`: the uncertified status (uncertifiedStatus) of a result not certified optimal, else undefined. */
export function curvesToCsv(curves: Curves, status?: string): string {
  const cols = curves.order.map((c) => curves.columns[c]);
  const lines: string[] = [csvTextRow(status === undefined ? ["theta", ...curves.order] : ["theta", ...curves.order, "status"])];
  const statusCell = status === undefined ? "" : "," + csvText(status);
  const n = curves.theta.length;
  for (let i = 0; i < n; i++) {
    let line = formatNumber(curves.theta[i]);
    for (const c of cols) line += "," + formatNumber(c[i]);
    lines.push(line + statusCell);
  }
  return lines.join("\n") + "\n";
}
