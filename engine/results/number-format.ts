// One number format for every CSV the engine writes: the shortest decimal that round-trips to
// the same double (JavaScript's own), so files are exact, compact and byte-identical however
// they were computed (1 or N workers, resumed or not). Non-finite values become empty cells.

export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return "";
  if (Object.is(x, -0)) return "0";
  return String(x);
}

/** JSON replacer: NaN and ±∞ are not JSON; write them as null. */
export function jsonNumbers(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return null;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as Float64Array);
  return value;
}
