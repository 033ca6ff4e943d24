// Sweep grids (order, zip, numpy axis semantics) and shard slices.
import { describe, expect, it } from "vitest";
import { InputError } from "../engine/errors.js";
import { parseShard, parseShardDirName, shardDirName, shardSlice } from "../workers/shard.js";
import { axisValues, buildSweepGrid, pointValues } from "../workers/sweep-grid.js";

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
    // numpy: arange(n) * step + start
    const step = (0.29 - 0.05) / 99999;
    expect(l[12345]).toBe(12345 * step + 0.05);
    const g = axisValues({ logspace: [-2, 1, 4] });
    expect([...g]).toEqual([10 ** -2, 10 ** -1, 10 ** 0, 10 ** 1]);
    expect([...axisValues({ linspace: [3, 5, 1] })]).toEqual([3]);
    expect(() => axisValues({ linspace: [0, 1, 0] })).toThrow(InputError);
  });
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
