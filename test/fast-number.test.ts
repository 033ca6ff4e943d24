// writeShortest (engine/results/fast-number.ts) writes exactly the characters of String(x),
// the number format of every CSV, for doubles of every kind: random bit patterns over the whole
// range, values in [0, 1), short decimals, the grid values of linspace and logspace axes, powers
// of two and ten and their neighbours, the switch points of the notation (1e-7, 1e21) and the
// ends of the fast path's range. The fast path (not String(x)) writes the numbers of a sweep —
// 15, 16 and 17 significant digits, powers of ten and two and their neighbours — and gives way
// to String(x) at exact rounding ties and outside [1e-280, 1e280]. formatRows writes the grid
// index cells across powers of ten, and has room for the longest numbers.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fallbackCount, PRIMING, primeShortest, writeShortest } from "../engine/results/fast-number.js";
import { BufferPool } from "../workers/buffer-pool.js";
import { linspace } from "../engine/grid.js";
import { buildSweepGrid } from "../workers/sweep-grid.js";
import { formatRows, inOrderCurves } from "../workers/sweep-rows.js";

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

/** mismatches(xs), and how many of the numbers (xs and their negatives) String(x) wrote. */
function fallbacksOver(xs: readonly number[]): { bad: string[]; fallbacks: number } {
  const before = fallbackCount();
  const bad = mismatches(xs);
  return { bad, fallbacks: fallbackCount() - before };
}

/** The doubles next to x, `d` steps away on either side (x itself included). */
function around(x: number, d: number): number[] {
  const f = new Float64Array(1);
  const u = new BigUint64Array(f.buffer);
  f[0] = x;
  const bits = u[0];
  const out: number[] = [];
  for (let i = -d; i <= d; i++) {
    u[0] = bits + BigInt(i);
    out.push(f[0]);
  }
  return out;
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

  it("writes numbers of 15, 16 and 17 significant digits by its fast path", () => {
    // decimals of random digits from 1e-7 to 1e7 (a sweep's outputs are mostly in [1e-3, 1e3]):
    // the fast path gives way only within 1e-6 of a unit of the 17th digit of a tie or of an end
    // of the rounding interval (measured: ~1 in 100,000 of these). Above, doubles have so few
    // fractional bits that short decimals often lie exactly on a tie: only the bytes are checked.
    let seed = 77;
    const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (const digits of [15, 16, 17]) {
      const xs: number[] = [];
      const large: number[] = [];
      for (let i = 0; i < 100_000; i++) {
        const m = 1 + 9 * (next() + next() / 2 ** 32); // a mantissa in [1, 10) of 53 random bits
        xs.push(Number(m.toPrecision(digits) + `e${(i % 15) - 7}`));
        if (i % 10 === 0) large.push(Number(m.toPrecision(digits) + `e${8 + (i % 13)}`));
      }
      const { bad, fallbacks } = fallbacksOver(xs);
      expect(bad).toEqual([]);
      expect(fallbacks).toBeLessThan(20); // of 200,000
      expect(mismatches(large)).toEqual([]);
      // the numbers of digits written: at most `digits` (trailing zeros go), and as many for a
      // good share (a 17-digit decimal's double is often identified by 16)
      const lengths = xs.map((x) => String(x).replace(/e.*|\./g, "").replace(/^0+/, "").length);
      expect(Math.max(...lengths)).toBe(digits);
      expect(lengths.filter((n) => n === digits).length).toBeGreaterThan(0.2 * xs.length);
    }
  });

  it("writes powers of ten and two, and the doubles next to them, by its fast path", () => {
    const tens: number[] = [];
    for (let e = -279; e <= 279; e++) tens.push(...around(Number(`1e${e}`), 3), ...around(Number(`9.999999999999999e${e}`), 3));
    const t = fallbacksOver(tens);
    expect(t.bad).toEqual([]);
    expect(t.fallbacks).toBeLessThan(0.01 * 2 * tens.length);
    // at a power of two the interval is twice as wide above as below
    const twos: number[] = [];
    for (let e = -930; e <= 930; e++) twos.push(...around(2 ** e, 2));
    const w = fallbacksOver(twos);
    expect(w.bad).toEqual([]);
    expect(w.fallbacks).toBeLessThan(0.01 * 2 * twos.length);
  });

  it("gives way to String(x) at exact rounding ties, and decides the doubles next to them", () => {
    // x = m / 2^k (m odd) is exactly the decimal m·5^k × 10^−k; with 18 significant digits its
    // last is a 5: the two 17-digit decimals around x are equally close (which String(x) picks is
    // the runtime's to say)
    const ties: number[] = [];
    const near: number[] = [];
    for (const k of [10, 14, 17, 20, 22, 24]) {
      // the odd m with 18 digits in m·5^k, 100 of them evenly spread
      const p5 = 5n ** BigInt(k);
      const lo = (10n ** 17n + p5 - 1n) / p5;
      const hi = (10n ** 18n - 1n) / p5;
      const step = (hi - lo) / 100n + 1n;
      for (let m = lo; m <= hi; m += step) {
        const odd = m % 2n === 0n ? m + 1n : m;
        if (odd > hi) continue;
        const x = Number(odd) / 2 ** k;
        ties.push(x);
        near.push(...around(x, 2).filter((y) => y !== x));
      }
    }
    expect(ties.length).toBeGreaterThan(400);
    const t = fallbacksOver(ties);
    expect(t.bad).toEqual([]);
    expect(t.fallbacks).toBe(2 * ties.length);
    // a step of an ulp (over a unit of the 17th digit) away, the fast path decides
    const n = fallbacksOver(near);
    expect(n.bad).toEqual([]);
    expect(n.fallbacks).toBeLessThan(0.01 * 2 * near.length);
  });

  it("gives way to String(x) for denormals, and huge and tiny numbers", () => {
    const xs = [5e-324, 2.5e-310, Number.MIN_VALUE * 12345, 2.2250738585072014e-308, 1e-300, 9.99e-281, 1.0000000000000002e280 * 10, 1e300, Number.MAX_VALUE, 1.7e308];
    const { bad, fallbacks } = fallbacksOver(xs);
    expect(bad).toEqual([]);
    expect(fallbacks).toBe(2 * xs.length);
    // and at the ends of its range, the fast path
    const ends = fallbacksOver([1e-280, 1e280, 1.5e-280, 9.9e279]);
    expect(ends.bad).toEqual([]);
    expect(ends.fallbacks).toBe(0);
  });
});

describe("priming the formatter", () => {
  it("takes the fast path's fallbacks among its numbers and leaves the fallback count alone", () => {
    // each fallback site of writeShortestAt must have run once before V8 compiles it (else the
    // compiled code is thrown away when a sweep first meets it): the list holds one number for
    // each reachable site (out of range; near a tie; a decimal on an end of the interval; two
    // equally close), and each is written as String(x)
    const { bad, fallbacks } = fallbacksOver([...PRIMING]);
    expect(bad).toEqual([]);
    // (each number is written twice, as x and −x: 0 once)
    expect(fallbacks).toBeGreaterThanOrEqual(2 * 4);
    const before = fallbackCount();
    primeShortest();
    expect(fallbackCount()).toBe(before);
  });
});

describe("formatRows' cells", () => {
  it("come from the buffer pool when given one, and the parameters' scratch buffer goes back to it", () => {
    const grid = buildSweepGrid({ params: { a: { linspace: [0.05, 0.29, 1000] } } });
    const values = Float64Array.from({ length: 2000 }, (_, i) => Math.sqrt(i + 1));
    const pool = new BufferPool();
    const once = () => {
      const f = formatRows(grid, 2, inOrderCurves(grid, 2), 0, 1000, values, () => undefined, pool);
      const text = [f.rows, ...f.curves].map((b) => dec.decode(b));
      for (const b of [f.rows, f.rowEnds, ...f.curves]) pool.give(b.buffer);
      return text;
    };
    const first = once();
    const allocated = pool.allocated;
    expect(once()).toEqual(first);
    expect(pool.allocated).toBe(allocated);
    // the same bytes without a pool
    const f = formatRows(grid, 2, inOrderCurves(grid, 2), 0, 1000, values, () => undefined);
    expect([f.rows, ...f.curves].map((b) => dec.decode(b))).toEqual(first);
  });

  it("write the grid index in decimal across powers of ten", () => {
    const grid = buildSweepGrid({ params: { a: { linspace: [0, 1, 2_000_000_001] } } });
    const values = new Float64Array(3).fill(0.25);
    const dec = new TextDecoder();
    for (let e = 0; e <= 9; e++) {
      const start = Math.max(0, 10 ** e - 1);
      const rows = dec.decode(formatRows(grid, 1, [], start, start + 3, values, () => undefined).rows).split("\n");
      expect(rows.slice(0, 3).map((r) => r.split(",")[0])).toEqual([start, start + 1, start + 2].map(String));
    }
  });

  it("have room for the longest numbers (25 characters) in the rows and curve files", () => {
    // -0.0000012345678901234567: a curve row of two such cells is 52 bytes; with room for 50 a
    // batch of 27 rows ran off its buffer
    const x = -1.2345678901234567e-6;
    const dec = new TextDecoder();
    for (const n of [1, 26, 27, 52, 100]) {
      const grid = buildSweepGrid({ params: { a: { values: Array<number>(n).fill(x) } } });
      const values = new Float64Array(2 * n).fill(x);
      const f = formatRows(grid, 2, inOrderCurves(grid, 2), 0, n, values, () => undefined);
      expect(dec.decode(f.rows)).toBe(Array.from({ length: n }, (_, i) => `${i},${x},ok,${x},${x}\n`).join(""));
      for (const c of f.curves) expect(dec.decode(c)).toBe(`${x},${x}\n`.repeat(n));
    }
  });
});
