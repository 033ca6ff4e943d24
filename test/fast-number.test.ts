// writeShortest (engine/results/fast-number.ts) writes exactly the characters of String(x),
// the number format of every CSV, for doubles of every kind: random bit patterns over the whole
// range, values in [0, 1), short decimals, the grid values of linspace and logspace axes, powers
// of two and ten and their neighbours, the switch points of the notation (1e-7, 1e21) and the
// ends of the fast path's range.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeShortest } from "../engine/results/fast-number.js";
import { linspace } from "../engine/grid.js";

const buf = new Uint8Array(64);
const dec = new TextDecoder();
const written = (x: number) => dec.decode(buf.subarray(0, writeShortest(buf, 0, x)));
const expected = (x: number) => (Object.is(x, -0) ? "0" : String(x));

/** The doubles of `xs` (and their negatives) whose output differs from String(x). */
function mismatches(xs: Iterable<number>): string[] {
  const bad: string[] = [];
  for (const x of xs) {
    for (const y of [x, -x]) {
      if (!Number.isFinite(y)) continue;
      const got = written(y);
      if (got !== expected(y) && bad.length < 10) bad.push(`${expected(y)} written as ${got}`);
    }
  }
  return bad;
}

function* randomBits(n: number, seed: number): Generator<number> {
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  for (let i = 0; i < n; i++) {
    u[0] = next();
    u[1] = next();
    yield f[0];
  }
}

function* neighbours(x: number): Generator<number> {
  const f = new Float64Array(1);
  const u = new BigUint64Array(f.buffer);
  f[0] = x;
  const bits = u[0];
  for (let d = -3n; d <= 3n; d++) {
    u[0] = bits + d;
    yield f[0];
  }
}

describe("writeShortest", () => {
  it("writes String(x) for random bit patterns over the whole double range", () => {
    expect(mismatches(randomBits(400_000, 15))).toEqual([]);
  });

  it("writes String(x) for values of every scale, short decimals and integers", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1000, maxLength: 1000 }), (xs) => {
        expect(mismatches(xs)).toEqual([]);
      }),
      { numRuns: 100, seed: 151 },
    );
    const short: number[] = [];
    for (let d = 1; d <= 2000; d++) for (let e = -12; e <= 12; e++) short.push(Number(`${d}e${e}`), d / 7 / 10 ** e);
    for (let i = 0; i < 100_000; i++) short.push(i, i * 0.001, 2 ** 53 - i, (i * 1e15) % 2 ** 53);
    expect(mismatches(short)).toEqual([]);
  });

  it("writes String(x) for the values of sweep axes", () => {
    const axes = [linspace(0.05, 0.29, 100_000), linspace(-3, 7, 9_999), linspace(1e-9, 1e-8, 5_000), linspace(0, 1, 1001)];
    for (const v of axes) expect(mismatches(v)).toEqual([]);
    const logs = Array.from(linspace(-300, 300, 20_001), (e) => 10 ** e);
    expect(mismatches(logs)).toEqual([]);
  });

  it("writes String(x) at powers of two and ten, their neighbours, and where the notation changes", () => {
    const xs: number[] = [];
    for (let e = -1074; e <= 1023; e++) xs.push(...neighbours(2 ** e));
    for (let e = -323; e <= 308; e++) xs.push(...neighbours(Number(`1e${e}`)), ...neighbours(Number(`9.999999999999999e${e}`)));
    xs.push(1e21, 1e-7, 1e-6, 123456789012345680000, 0.000001234, 5e-324, Number.MAX_VALUE, Number.MIN_VALUE, 1e-280, 1e280, 0, -0);
    expect(mismatches(xs)).toEqual([]);
  });
});
