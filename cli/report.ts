// The human-readable report of `lpe solve` / `lpe eval` (the JSON result is the contract;
// this is for a person at a terminal).

import { certificateVerdict, type Certificate, type Checks, type PointRecord, type Result } from "../solvers/types.js";
import { currencyUnit } from "../figures/symbols.js";

/** x to 12 significant digits, trailing zeros of the mantissa dropped (1.5e-7, 0.25, 1e+20).
 *  The exponent is left alone: trimming zeros off the whole string once turned 1.23e-10 into
 *  1.23e-1 (a reviewer's profit read off by 10⁹). */
export function reportNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const [m, e] = x.toPrecision(12).split("e");
  const mantissa = m.includes(".") ? m.replace(/\.?0+$/, "") : m;
  return e === undefined ? mantissa : `${mantissa}e${e}`;
}

/** 12 significant digits; null (a quantity the scenario does not define, e.g. eX without token
 *  classes — `null` in the JSON) reads "n/a". */
function num(x: unknown): string {
  if (typeof x === "number") return reportNumber(x);
  if (Array.isArray(x)) return "[" + x.map(num).join(", ") + "]";
  if (x === null || x === undefined) return "n/a";
  return String(x);
}

export function checksLine(c: Checks, profit?: unknown): string {
  if (c.skipped) return "checks: skipped";
  const head = c.passed ? "checks: passed" : "checks: FAILED";
  const detail = `IC max gain ${c.icMaxGain.toExponential(2)}, IR min slack ${c.irMinSlack.toExponential(2)}, envelope error ${c.envelopeMaxError.toExponential(2)}, tolerance ${c.tolerance.toExponential(2)}, ${c.monotone ? "monotone" : "NOT monotone"}, ${c.excludedZero ? "excluded types get nothing" : "excluded types served"}`;
  // The tolerance scales with the largest payment and utility on the grid: on a support far wider
  // than the law's mass (θ up to 1e9) it passed 1e36 beside a profit of 8e4, and "passed" read
  // as a proof (a reviewer's). Said when it exceeds the profit itself.
  const loose =
    c.passed && typeof profit === "number" && profit > 0 && c.tolerance > profit
      ? `\n  (the tolerance, 1e-9 of the largest payment and utility on the grid, exceeds the profit ${reportNumber(profit)}: at this scale the checks say little about the types where the buyers are)`
      : "";
  return `${head} (${detail})` + loose + (c.failures.length ? "\n  " + c.failures.join("\n  ") : "");
}

/** Whether the result is proven optimal, and by what: a result that is only feasible says so. */
export function certificateLine(c: Certificate): string {
  return `optimality: ${certificateVerdict(c)}`;
}

/** One column per number of the points, nested records (budgets X, Z) as "X.input", …: what --json has. */
export function pointsTable(points: PointRecord[]): string {
  if (points.length === 0) return "";
  const flat = points.map((p) => {
    const row: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p)) {
      if (v !== null && typeof v === "object") for (const [c, x] of Object.entries(v)) row[`${k}.${c}`] = x;
      else row[k] = v;
    }
    return row;
  });
  // columns in the order of the fullest record (a type with no item lacks markup and marginal
  // price: the columns must not move with the order the types were asked in)
  const keys: string[] = [];
  const fullest = [...flat].sort((a, b) => Object.keys(b).length - Object.keys(a).length);
  for (const r of fullest) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  const rows = flat.map((r) => keys.map((k) => (k in r ? num(r[k]) : "")));
  const widths = keys.map((k, j) => Math.max(k.length, ...rows.map((r) => r[j].length)));
  const fmt = (cells: string[]) => cells.map((c, j) => c.padStart(widths[j])).join("  ");
  return [fmt(keys), ...rows.map(fmt)].join("\n");
}

/** Scalars the report shows apart, under a heading (formatReport). */
const DIAGNOSTIC_SCALARS = ["thetaLowFormula", "thetaHighRoot"];

/** The report of `lpe solve` (and, with `withPoints`, of `lpe eval`): scalars, ironing, notes, the points, the checks. */
export function formatReport(r: Result, withPoints = false): string {
  const lines = [`${r.name} — ${r.market} (${r.solver.method})`];
  const width = Math.max(...Object.keys(r.scalars).map((k) => k.length));
  // The closed-form candidates of the leader–fringe thresholds (docs/model.md (3.17)) before they
  // are clamped and ordered come last, under a heading: printed among the scalars, beside θ_low and
  // θ_high of different values, a reviewer could not tell which were the equilibrium's.
  const entries = Object.entries(r.scalars);
  const diagnostic = (k: string) => DIAGNOSTIC_SCALARS.includes(k);
  // (…InCurrency scalars with their unit: a reviewer read a bare 0.73)
  const unit = (k: string, v: unknown) => {
    const u = typeof v === "number" && Number.isFinite(v) ? currencyUnit(k, r.units) : "";
    return u ? ` ${u}` : "";
  };
  for (const [k, v] of entries) if (!diagnostic(k)) lines.push(`  ${k.padEnd(width)}  ${num(v)}${unit(k, v)}`);
  const candidates = entries.filter(([k]) => diagnostic(k));
  if (candidates.length > 0) {
    lines.push("  diagnostics (closed-form candidates of the thresholds, before they are clamped to the support and ordered; thetaLow and thetaHigh above are the equilibrium's):");
    for (const [k, v] of candidates) lines.push(`    ${k.padEnd(width - 2)}  ${num(v)}`);
  }
  // (menus of token distributions report the token-budget menu's bunching: said, since it is not
  // a pooling of the full-contracting menu — a reviewer read it as one beside bunchedShare 0)
  const ironingLabel = r.market === "tokenDistributions" ? "ironing of the token-budget menu (θ intervals)" : "ironing";
  if (r.ironing.length) lines.push(`  ${ironingLabel}: ${r.ironing.map(([a, b]) => `[${num(a)}, ${num(b)}]`).join(", ")}`);
  for (const n of r.solver.notes) lines.push(`  note: ${n}`);
  if (withPoints && r.points.length > 0) lines.push(pointsTable(r.points));
  lines.push(checksLine(r.checks, r.scalars.profit));
  lines.push(certificateLine(r.checks));
  return lines.join("\n");
}
