// Fixed, locale-free number formatting for the data files (csv, tex): at most 12 significant
// digits, shortest form, so the same figure always writes the same bytes and pgfplots,
// spreadsheets and R all read it back.

/** `v` with at most 12 significant digits; NaN → "nan", ±∞ → "inf"/"-inf" (pgfplots' words). */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  if (v === 0) return "0"; // also -0
  return String(Number(v.toPrecision(12)));
}
