// Tolerance comparisons that print inputs, difference and tolerance on failure (stdlib-js style).
import { expect } from "vitest";

/** |actual − expected| ≤ rtol·|expected| + atol */
export function expectClose(actual: number, expected: number, rtol: number, atol: number, what: string): void {
  const diff = Math.abs(actual - expected);
  const tol = rtol * Math.abs(expected) + atol;
  expect(Number.isFinite(actual), `${what}: got non-finite ${actual}`).toBe(true);
  expect(diff, `${what}: got ${actual}, expected ${expected}, |diff| = ${diff.toExponential(3)} > tol = ${tol.toExponential(3)} (rtol ${rtol}, atol ${atol})`).toBeLessThanOrEqual(tol);
}

export interface Expected {
  value: number;
  rtol: number;
  atol: number;
}

/** expectClose with the argument order most tests use; `context` may be any value (printed as JSON). */
export function close(actual: number, expected: number, rtol: number, context: unknown, atol = 0): void {
  expectClose(actual, expected, rtol, atol, typeof context === "string" ? context : JSON.stringify(context));
}
