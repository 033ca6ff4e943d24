// Tidy curves.csv: one row per grid type, a `theta` column then one column per curve, in the
// solver's order, numbers in the engine's round-trip format. Column names (X.<class> carries a
// user's class name) are CSV text cells: quoted and formula-guarded (csv-cell.ts).

import { csvTextRow } from "./csv-cell.js";

/** A solution's grid curves (solvers/types.ts re-exports this: engine/ imports nothing from solvers/). */
export interface Curves {
  theta: Float64Array;
  /** column name → values on the grid, in `order` */
  columns: Record<string, Float64Array>;
  order: string[];
}
import { formatNumber } from "./number-format.js";

export function curvesToCsv(curves: Curves): string {
  const cols = curves.order.map((c) => curves.columns[c]);
  const lines: string[] = [csvTextRow(["theta", ...curves.order])];
  const n = curves.theta.length;
  for (let i = 0; i < n; i++) {
    let line = formatNumber(curves.theta[i]);
    for (const c of cols) line += "," + formatNumber(c[i]);
    lines.push(line);
  }
  return lines.join("\n") + "\n";
}
