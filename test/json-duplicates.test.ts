// Duplicate keys in a scenario's JSON (engine/scenario/json-duplicates.ts): JSON.parse keeps the
// last one silently, so the loader refuses the file (exit 2) naming the key's JSON path and both
// places. Property tests against a reference that walks the value's structure, not its text.
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../engine/errors.js";
import { findDuplicateKey, lineColumn } from "../engine/scenario/json-duplicates.js";
import { loadScenarioFile, parseJsonText } from "../engine/scenario/load.js";
import type { PathSegment } from "../engine/scenario/overrides.js";

/** A JSON value whose objects are lists of entries, so a key may repeat. */
type V = number | string | boolean | null | { arr: V[] } | { obj: [string, V][] };

// keys from a short list most of the time, so objects often repeat one
const keyArb = fc.oneof(
  { arbitrary: fc.constantFrom("a", "b", "market.fringe.cost", 'q"uote', "back\\slash", "ü"), weight: 4 },
  { arbitrary: fc.string({ maxLength: 3 }), weight: 1 },
);
const primitive: fc.Arbitrary<V> = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 6 }), fc.boolean(), fc.constant(null));
const valueAt = (depth: number): fc.Arbitrary<V> => (depth === 0 ? primitive : fc.oneof({ arbitrary: containerAt(depth), weight: 3 }, { arbitrary: primitive, weight: 2 }));
const containerAt = (depth: number): fc.Arbitrary<V> =>
  fc.oneof(fc.record({ arr: fc.array(valueAt(depth - 1), { maxLength: 4 }) }), fc.record({ obj: fc.array(fc.tuple(keyArb, valueAt(depth - 1)), { maxLength: 4 }) }));
/** A value whose root is an array or an object (a scenario's root is an object), at most 4 deep. */
const valueArb: fc.Arbitrary<V> = containerAt(4);
const wsArb = fc.constantFrom("", " ", "\n", "\t  ", "\r\n");

function serialize(v: V, ws: string): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if ("arr" in v) return `[${ws}${v.arr.map((x) => serialize(x, ws)).join(`,${ws}`)}${ws}]`;
  return `{${ws}${v.obj.map(([k, x]) => `${JSON.stringify(k)}${ws}:${ws}${serialize(x, ws)}`).join(`,${ws}`)}${ws}}`;
}

/** The first repeated key in text order, by the structure: its path, or undefined. */
function reference(v: V, path: PathSegment[] = []): PathSegment[] | undefined {
  if (v === null || typeof v !== "object") return undefined;
  if ("arr" in v) {
    for (let i = 0; i < v.arr.length; i++) {
      const r = reference(v.arr[i], [...path, i]);
      if (r) return r;
    }
    return undefined;
  }
  const seen = new Set<string>();
  for (const [k, x] of v.obj) {
    if (seen.has(k)) return [...path, k];
    seen.add(k);
    const r = reference(x, [...path, k]);
    if (r) return r;
  }
  return undefined;
}

describe("findDuplicateKey", () => {
  it("finds the first repeated key of any JSON text in text order, with its path, or none (property)", () => {
    fc.assert(
      fc.property(valueArb, wsArb, (v, ws) => {
        const text = serialize(v, ws);
        JSON.parse(text); // valid JSON, as the loader guarantees first
        const want = reference(v);
        const got = findDuplicateKey(text);
        expect(got?.path).toEqual(want);
        if (got) {
          const key = got.path[got.path.length - 1] as string;
          // both offsets are at the key's opening quote, the first before the second
          expect(JSON.parse(text.slice(got.first, got.first + JSON.stringify(key).length))).toBe(key);
          expect(JSON.parse(text.slice(got.second, got.second + JSON.stringify(key).length))).toBe(key);
          expect(got.first).toBeLessThan(got.second);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("sees no duplicate in any JSON.stringify output (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(findDuplicateKey(JSON.stringify(v, null, 1))).toBeUndefined();
      }),
    );
  });

  it("counts lines and columns from 1", () => {
    expect(lineColumn("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });
});

describe("a scenario file with a repeated key", () => {
  it("is bad input naming the key's path and both places", () => {
    const text = '{\n  "name": "dup",\n  "technology": { "sigma": 0.5,\n    "sigma": 0.7 }\n}\n';
    let err: unknown;
    try {
      parseJsonText(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).path).toBe("technology.sigma");
    expect((err as InputError).message).toBe(
      'technology.sigma: "sigma" is given twice in the same object (line 3, column 19 and line 4, column 5); JSON would silently keep the last: remove one',
    );
  });

  it("is refused by the loader before anything runs", () => {
    const dir = mkdtempSync(join(tmpdir(), "lpe-dup-"));
    const file = join(dir, "s.json");
    writeFileSync(
      file,
      JSON.stringify({ name: "dup", buyers: { theta: { dist: "uniform", min: 0, max: 1 } }, technology: { sigma: 0.5 }, market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } } }).replace(
        '"cost":0.3',
        '"cost":0.3,"gamma":0.2',
      ),
    );
    expect(() => loadScenarioFile(file, [], [])).toThrow(/market\.leader\.gamma: "gamma" is given twice/);
  });
});
