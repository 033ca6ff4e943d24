// Sweep grids (order, zip, numpy axis semantics) and shard slices.
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { decimalLinspaceAt } from "../engine/decimal-grid.js";
import { InputError } from "../engine/errors.js";
import { parseShard, parseShardDirName, shardDirName, shardSlice } from "../workers/shard.js";
import { axisValues, buildSweepGrid, paramRange, pointValues } from "../workers/sweep-grid.js";

function allPoints(spec: Parameters<typeof buildSweepGrid>[0]): number[][] {
  const g = buildSweepGrid(spec);
  const v = new Float64Array(g.paths.length);
  const out: number[][] = [];
  for (let i = 0; i < g.size; i++) {
    pointValues(g, i, v);
    out.push([...v]);
  }
  return out;
}

describe("sweep grid", () => {
  it("computes the values of long axes as they are read, the same as the axis held whole, in any order", () => {
    const axes = { a: { linspace: [0.05, 0.29, 100_003] as [number, number, number] }, b: { logspace: [-3, 2, 9_001] as [number, number, number] } };
    for (const [p, axis] of Object.entries(axes)) {
      const g = buildSweepGrid({ params: { [p]: axis } });
      const whole = axisValues(axis);
      const v = new Float64Array(1);
      const order = [...Array(whole.length).keys()];
      // forwards, backwards and scattered
      for (const i of [...order, ...order.slice().reverse(), ...order.slice(0, 2000).map((i) => (i * 7919) % whole.length)]) {
        pointValues(g, i, v);
        if (v[0] !== whole[i]) expect(`${p}[${i}] = ${v[0]}`).toBe(`${p}[${i}] = ${whole[i]}`);
        if (g.axes[0].at(i) !== whole[i]) expect(`at(${i}) = ${g.axes[0].at(i)}`).toBe(`${whole[i]}`);
      }
    }
  });

  // paramRange feeds the batch kernel a parameter's values for a range of points at once: the
  // numbers pointValues gives point by point, for any grid shape and any range
  test.prop(
    [
      fc.array(fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 4090, max: 9000 })), { minLength: 1, maxLength: 3 }),
      fc.boolean(),
      fc.boolean(),
      fc.nat(),
      fc.nat(),
    ],
    { numRuns: 40 },
  )("paramRange gives pointValues' numbers over any range of points (held and computed axes, zip, logspace)", (lengths, zipFirstTwo, log, u, w) => {
    // keep the grid small enough to walk point by point
    while (lengths.reduce((p, n) => p * n, 1) > 60_000) lengths[lengths.indexOf(Math.max(...lengths))] = 3;
    const params: Record<string, { linspace: [number, number, number] } | { logspace: [number, number, number] } | { values: number[] }> = {};
    lengths.forEach((n, k) => {
      params[`p${k}`] = k === 1 && log ? { logspace: [-2, 1, n] } : n < 4 ? { values: Array.from({ length: n }, (_, j) => j / 3 + k) } : { linspace: [0.05, 0.29 + k, n] };
    });
    const zip = zipFirstTwo && lengths.length >= 2 ? [["p0", "p1"]] : undefined;
    if (zip) params.p1 = { linspace: [1, 2, lengths[0]] };
    const g = buildSweepGrid({ params, zip });
    const start = u % g.size;
    const end = start + 1 + (w % (g.size - start));
    const v = new Float64Array(g.paths.length);
    const out = new Float64Array(end - start);
    for (let p = 0; p < g.paths.length; p++) {
      paramRange(g, p, start, end, out);
      for (let i = start; i < end; i++) {
        pointValues(g, i, v);
        if (out[i - start] !== v[p]) expect(`p${p} at point ${i} of [${start}, ${end}): ${out[i - start]}`).toBe(`${v[p]}`);
      }
    }
  });

  it("is the product in the order written, last parameter fastest", () => {
    expect(allPoints({ params: { a: { values: [1, 2] }, b: { values: [10, 20, 30] } } })).toEqual([
      [1, 10], [1, 20], [1, 30], [2, 10], [2, 20], [2, 30],
    ]);
  });

  it("walks a zip group together, at the place of its first member", () => {
    const pts = allPoints({
      params: { a: { values: [1, 2] }, c: { values: [7, 8, 9] }, b: { values: [10, 20] } },
      zip: [["a", "b"]],
    });
    expect(pts).toEqual([
      [1, 7, 10], [1, 8, 10], [1, 9, 10], [2, 7, 20], [2, 8, 20], [2, 9, 20],
    ]);
    const g = buildSweepGrid({ params: { a: { values: [1, 2] }, c: { values: [7, 8, 9] }, b: { values: [10, 20] } }, zip: [["a", "b"]] });
    expect(g.size).toBe(6);
  });

  it("refuses zipped axes of different lengths (when built from an unchecked spec)", () => {
    expect(() => buildSweepGrid({ params: { a: { values: [1, 2] }, b: { values: [1, 2, 3] } }, zip: [["a", "b"]] })).toThrow(/equal lengths/);
    expect(() => buildSweepGrid({ params: { a: { values: [1, 2] }, b: { linspace: [0, 1, 3] } }, zip: [["b", "a"]] })).toThrow(InputError);
  });

  it("has numpy's linspace (exact last value) and logspace (base-10 exponents)", () => {
    const l = axisValues({ linspace: [0.05, 0.29, 100000] });
    expect(l[0]).toBe(0.05);
    expect(l[99999]).toBe(0.29);
    // numpy: arange(n) * step + start, or the short decimal meant, within 4 ulps of the grid's scale
    const step = (0.29 - 0.05) / 99999;
    for (const k of [1, 12345, 99998]) expect(Math.abs(l[k] - (k * step + 0.05))).toBeLessThanOrEqual(2 ** -54);
    const g = axisValues({ logspace: [-2, 1, 4] });
    expect([...g]).toEqual([0.01, 0.1, 1, 10]);
    expect([...axisValues({ linspace: [3, 5, 1] })]).toEqual([3]);
    expect(() => axisValues({ linspace: [0, 1, 0] })).toThrow(InputError);
    // a logspace end that overflows is bad input naming the axis, held or computed
    for (const n of [3, 10_000]) {
      expect(() => buildSweepGrid({ params: { "market.fringe.cost": { logspace: [-2, 400, n] } } })).toThrow(
        'sweep.params["market.fringe.cost"].logspace: 10^400 overflows a double',
      );
    }
    expect([...axisValues({ logspace: [-400, 308, 2] })]).toEqual([0, 1e308]);
  });
});

/** num/den·10^(−digits) as a number parsed from its exact decimal, or undefined if it does not terminate within 20 digits. */
function terminatingDecimal(num: number, den: number, digits: number): number | undefined {
  const sign = num < 0 ? "-" : "";
  let r = Math.abs(num);
  const whole = Math.floor(r / den);
  r -= whole * den;
  let frac = "";
  while (r !== 0 && frac.length < 20) {
    r *= 10;
    frac += String(Math.floor(r / den));
    r %= den;
  }
  return r === 0 ? Number(`${sign}${whole}.${frac || "0"}e-${digits}`) : undefined;
}

describe("grid values are the decimals meant (sweep.csv prints them)", () => {
  it("linspace(0.05, 0.53, 49) holds 0.34, not numpy's 0.33999999999999997; every point of linspace(0.05, 0.29, 25) is its decimal", () => {
    const step = (0.53 - 0.05) / 48;
    expect(0.05 + 29 * step).toBe(0.33999999999999997);
    const v = axisValues({ linspace: [0.05, 0.53, 49] });
    expect(v[29]).toBe(0.34);
    expect(String(v[29])).toBe("0.34");
    expect([...axisValues({ linspace: [0.05, 0.29, 25] })].map(String)).toEqual(Array.from({ length: 25 }, (_, k) => String((5 + k) / 100)));
    // numpy's 0.8250000000000002 is 2 ulps of 0.9 from 0.825 (a reviewer's; one ulp kept numpy's)
    expect(0.3 + 21 * ((0.9 - 0.3) / 24)).toBe(0.8250000000000002);
    expect([...axisValues({ linspace: [0.3, 0.9, 25] })].map(String)).toEqual(Array.from({ length: 25 }, (_, k) => String((300 + 25 * k) / 1000)));
  });

  it("keeps numpy's values where no short decimal is meant, and corrects cancellation near 0", () => {
    expect([...axisValues({ linspace: [0, 1, 4] })]).toEqual([0, 1 / 3, 2 / 3, 1]);
    expect([...axisValues({ linspace: [-0.3, 0.3, 7] })].map(String)).toEqual(["-0.3", "-0.2", "-0.1", "0", "0.1", "0.2", "0.3"]);
    expect([...axisValues({ logspace: [-5, -3, 3] })].map(String)).toEqual(["0.00001", "0.0001", "0.001"]);
    expect([...axisValues({ linspace: [1e-7, 3e-7, 5] })].map(String)).toEqual(["1e-7", "1.5e-7", "2e-7", "2.5e-7", "3e-7"]);
  });

  test.prop([fc.integer({ min: -9999, max: 9999 }), fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 2, max: 400 })])(
    "a point is numpy's double or its exact decimal, within 4 ulps of the grid's scale",
    (ia, span, digits, n) => {
      const a = ia / 10 ** digits;
      const b = (ia + span) / 10 ** digits;
      const v = axisValues({ linspace: [a, b, n] });
      const step = (b - a) / (n - 1);
      const scale = Math.max(Math.abs(a), Math.abs(b));
      for (let k = 0; k < n; k++) {
        const numpy = k === n - 1 ? b : a + k * step;
        // exact decimal: (ia·(n−1) + k·span) / ((n−1)·10^digits), by long division when it terminates
        const exact = terminatingDecimal(ia * (n - 1) + k * span, n - 1, digits);
        if (v[k] !== numpy) expect(v[k], `point ${k} of linspace(${a}, ${b}, ${n})`).toBe(exact);
        // (4 ulps: an ulp of a magnitude in [2^e, 2^(e+1)) is 2^(e−52), at most the magnitude·2^−52)
        expect(Math.abs(v[k] - numpy)).toBeLessThanOrEqual(4 * Math.max(scale, Math.abs(numpy)) * 2 ** -52);
        // a terminating step that numpy misses by at most the computation's error is corrected
        const short = exact !== undefined && String(exact).replace(/e.*$/, "").replace(/[-.]/g, "").replace(/^0+/, "").length <= 15;
        if (exact !== undefined && short && Math.abs(exact - numpy) <= Math.max(scale, Math.abs(numpy)) * 2 ** -53) expect(v[k]).toBe(exact);
      }
    },
  );
});

/** The header's rule of engine/decimal-grid.ts for point k, in BigInt throughout (no fast path). */
function decimalRuleAt(a: number, b: number, n: number, k: number): number {
  const step = (b - a) / (n - 1);
  const v = k === n - 1 ? b : a + k * step;
  if (k === 0 || k === n - 1) return v;
  const parts = (x: number) => {
    const [mant, ex] = x.toExponential().split("e");
    const [w, f = ""] = mant.split(".");
    return { m: BigInt(w + f), e: Number(ex) - f.length };
  };
  const pa = parts(a);
  const pb = parts(b);
  const E = Math.min(pa.e, pb.e);
  const A = pa.m * 10n ** BigInt(pa.e - E);
  const B = pb.m * 10n ** BigInt(pb.e - E);
  // the exact value num/den·10^E, reduced; it terminates when den is 2^i·5^j
  const gcd = (p: bigint, q: bigint): bigint => (q === 0n ? p : gcd(q, p % q));
  let num = A * BigInt(n - 1) + BigInt(k) * (B - A);
  let den = BigInt(n - 1);
  const g = gcd(num < 0n ? -num : num, den);
  num /= g;
  den /= g;
  let i = 0;
  let j = 0;
  let rest = den;
  while (rest % 2n === 0n) (rest /= 2n), i++;
  while (rest % 5n === 0n) (rest /= 5n), j++;
  if (rest !== 1n) return v;
  const t = Math.max(i, j);
  let M = (num * 10n ** BigInt(t)) / den;
  let e = E - t;
  while (M !== 0n && M % 10n === 0n) (M /= 10n), e++;
  if ((M < 0n ? -M : M).toString().length > 15) return v;
  const c = Number(`${M}e${e}`);
  // 4 ulps at the grid's largest magnitude
  const s = Math.max(Math.abs(a), Math.abs(b), Math.abs(v));
  let ex = Math.floor(Math.log2(s));
  if (2 ** ex > s) ex--;
  else if (2 ** (ex + 1) <= s) ex++;
  const ulp = s < 2 ** -1022 ? Number.MIN_VALUE : 2 ** (ex - 52);
  return Math.abs(c - v) <= 4 * ulp ? c : v;
}

describe("decimalLinspaceAt", () => {
  test.prop([
    fc.integer({ min: -99999, max: 99999 }),
    fc.integer({ min: -99999, max: 99999 }),
    fc.integer({ min: -12, max: 3 }),
    fc.integer({ min: 0, max: 7 }),
    fc.integer({ min: 0, max: 7 }),
    fc.constantFrom(1, 3, 7, 9, 11, 21, 999),
    fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }),
  ])(
    "equals the rule computed in BigInt, on grids of every kind (n − 1 = 2^x·5^y·r) and magnitude",
    (ia, ib, digits, x, y, r, where) => {
      const a = Number(`${ia}e${digits}`);
      const b = Number(`${ib}e${digits}`);
      const n = 1 + 2 ** x * 5 ** y * r;
      const at = decimalLinspaceAt(a, b, n);
      const ks = [0, 1, n - 2, n - 1, ...where.map((w) => Math.min(n - 1, Math.floor(w * n)))];
      for (const k of ks) {
        const want = decimalRuleAt(a, b, n, k);
        expect(Object.is(at(k), want), `point ${k} of linspace(${a}, ${b}, ${n}): ${at(k)} vs the rule's ${want}`).toBe(true);
      }
    },
  );
});

describe("shards", () => {
  it("cover the grid exactly once in contiguous blocks", () => {
    for (const [size, n] of [[10, 3], [7, 7], [5, 8], [100000, 6]]) {
      let next = 0;
      for (let i = 1; i <= n; i++) {
        const s = shardSlice(size, i, n);
        expect(s.start).toBe(next);
        expect(s.end).toBeGreaterThanOrEqual(s.start);
        next = s.end;
      }
      expect(next).toBe(size);
    }
  });

  it("parses I/N and rejects bad ones with the option's name", () => {
    expect(parseShard("2/8")).toEqual({ index: 2, count: 8 });
    expect(() => parseShard("0/3")).toThrow(/--shard: shard index must be between 1 and 3/);
    expect(() => parseShard("4/3")).toThrow(InputError);
    expect(() => parseShard("three")).toThrow(/expected I\/N/);
    expect(() => parseShard("5")).toThrow(InputError);
    expect(parseShard("5", "--shard", true)).toEqual({ index: 0, count: 5 });
    expect(parseShardDirName(shardDirName(3, 12))).toEqual({ index: 3, count: 12 });
    expect(parseShardDirName("shard-x")).toBeUndefined();
  });
});
