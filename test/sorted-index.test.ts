// indexOfSorted (engine/numerics/sorted-index.ts) against Array.prototype.indexOf on ascending
// arrays of distinct numbers: every member at its index, every other number (and NaN) −1.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { indexOfSorted } from "../engine/numerics/sorted-index.js";

describe("indexOfSorted", () => {
  it("agrees with indexOf on ascending arrays, for members and non-members", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 60 }),
        fc.array(fc.double({ noNaN: true }), { maxLength: 20 }),
        (xs, probes) => {
          const values = Float64Array.from(xs).sort();
          // (−0 and 0 are one value to a typed array's sort and to ===)
          for (let i = 0; i < values.length; i++) expect(indexOfSorted(values, values[i])).toBe(values.indexOf(values[i]));
          for (const x of probes) expect(indexOfSorted(values, x), `${x} in ${values}`).toBe(values.indexOf(x));
          expect(indexOfSorted(values, NaN)).toBe(-1);
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });
});
