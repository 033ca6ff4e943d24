// The human-readable report of `lpe solve` / `lpe eval` (the JSON result is the contract;
// this is for a person at a terminal).

import type { Certificate, Checks, PointRecord, Result } from "../solvers/types.js";

function num(x: unknown): string {
  if (typeof x === "number") return Number.isFinite(x) ? x.toPrecision(12).replace(/\.?0+(e|$)/, "$1") : String(x);
  if (Array.isArray(x)) return "[" + x.map(num).join(", ") + "]";
  return String(x);
}

export function checksLine(c: Checks): string {
  if (c.skipped) return "checks: skipped";
  const head = c.passed ? "checks: passed" : "checks: FAILED";
  const detail = `IC max gain ${c.icMaxGain.toExponential(2)}, IR min slack ${c.irMinSlack.toExponential(2)}, envelope error ${c.envelopeMaxError.toExponential(2)}, tolerance ${c.tolerance.toExponential(2)}, ${c.monotone ? "monotone" : "NOT monotone"}, ${c.excludedZero ? "excluded types get nothing" : "excluded types served"}`;
  return `${head} (${detail})` + (c.failures.length ? "\n  " + c.failures.join("\n  ") : "");
}

/** Whether the result is proven optimal, and by what: a result that is only feasible says so. */
export function certificateLine(c: Certificate): string {
  const gap = c.optimalityGap === null ? "no bound" : `gap ${c.optimalityGap === 0 ? "0" : c.optimalityGap.toExponential(2)} of profit`;
  return c.certified
    ? `optimality: certified (${gap}; ${c.certificate})`
    : `optimality: NOT CERTIFIED to 1e-9 of profit (${gap}; ${c.certificate})`;
}

export function pointsTable(points: PointRecord[]): string {
  if (points.length === 0) return "";
  const keys: string[] = [];
  for (const p of points) for (const k of Object.keys(p)) if (typeof p[k] === "number" && !keys.includes(k)) keys.push(k);
  const rows = points.map((p) => keys.map((k) => (typeof p[k] === "number" ? num(p[k]) : "")));
  const widths = keys.map((k, j) => Math.max(k.length, ...rows.map((r) => r[j].length)));
  const fmt = (cells: string[]) => cells.map((c, j) => c.padStart(widths[j])).join("  ");
  return [fmt(keys), ...rows.map(fmt)].join("\n");
}

export function formatReport(r: Result): string {
  const lines = [`${r.name} — ${r.market} (${r.solver.method})`];
  const width = Math.max(...Object.keys(r.scalars).map((k) => k.length));
  for (const [k, v] of Object.entries(r.scalars)) lines.push(`  ${k.padEnd(width)}  ${num(v)}`);
  if (r.ironing.length) lines.push(`  ironing: ${r.ironing.map(([a, b]) => `[${num(a)}, ${num(b)}]`).join(", ")}`);
  for (const n of r.solver.notes) lines.push(`  note: ${n}`);
  lines.push(checksLine(r.checks));
  lines.push(certificateLine(r.checks));
  return lines.join("\n");
}
