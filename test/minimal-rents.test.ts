// solvers/screening-lp.ts minimalRents: the smallest rents R ≥ 0 with R_i ≥ R_j + G_j[i] − G_j[j],
// or null when a positive cycle of IC constraints makes the menu unimplementable. Checked against
// Floyd–Warshall longest paths over the same constraint graph (an independent method): for random
// gains, both say null or both give the same rents to 1e-12; and the early cycle detection
// (passes swept up and down, a cycle in the links that raised the rents) is exercised by menus
// with a planted positive cycle, of a length up to the number of types.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { minimalRents } from "../solvers/screening-lp.js";

/** Longest paths from a source linked to every type with weight 0 (R ≥ 0); null on a positive
 *  cycle; "borderline" when the best cycle's gain is within rounding distance of 0 (1e-13 to
 *  1e-8, where the two methods' tolerances may decide differently). */
function floydWarshall(n: number, G: Float64Array[]): Float64Array | null | "borderline" {
  const D = Array.from({ length: n }, (_, j) => Array.from({ length: n }, (_, i) => (i === j ? 0 : G[j][i] - G[j][j])));
  for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) if (D[j][k] + D[k][i] > D[j][i]) D[j][i] = D[j][k] + D[k][i];
  const cycle = Math.max(...D.map((row, i) => row[i]));
  if (cycle > 1e-13 && cycle <= 1e-8) return "borderline";
  if (cycle > 1e-8) return null;
  // R_i = max(0, max_j D[j][i]) (a path from any type j, whose own rent is at least 0)
  return Float64Array.from({ length: n }, (_, i) => Math.max(0, ...D.map((row) => row[i])));
}

describe("minimalRents", () => {
  it("agrees with Floyd–Warshall on random gains: the same rents, or both unimplementable", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 9 }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 81, maxLength: 81 }), (n, w) => {
        // gains G_j[i] = θ_i q_j − c(q_j) like shape: increasing in i for a sorted q, plus noise
        const G = Array.from({ length: n }, (_, j) => Float64Array.from({ length: n }, (_, i) => (i + 1) * (j + 1) * 0.1 + 0.05 * w[j * 9 + i]));
        const a = minimalRents(n, G);
        const b = floydWarshall(n, G);
        fc.pre(b !== "borderline");
        if (b === null) return a === null;
        if (a === null) return false;
        return a.every((v, i) => Math.abs(v - b[i]) <= 1e-12 * Math.max(1, Math.abs(b[i])));
      }),
      { numRuns: 3000 },
    );
  });

  it("finds a planted positive cycle through all n types, and implements the same menu without it", () => {
    for (const n of [3, 50, 400]) {
      // a chain: type i's item gives type i+1 a gain of 1 over its own, and type n−1's gives type 0 one back
      const G = Array.from({ length: n }, () => new Float64Array(n).fill(-1e6));
      for (let j = 0; j < n; j++) G[j][j] = 0;
      for (let j = 0; j + 1 < n; j++) G[j][j + 1] = 1;
      G[n - 1][0] = 1;
      expect(minimalRents(n, G), `n = ${n}: a cycle of gain ${n}`).toBeNull();
      G[n - 1][0] = -n; // the cycle's gain now negative: implementable, rents 0, 1, …, n − 1
      const R = minimalRents(n, G)!;
      expect(R).not.toBeNull();
      for (let i = 0; i < n; i++) expect(R[i]).toBe(i);
    }
  });

  it("a cycle within rounding of zero creeps and is accepted, its rents meeting every constraint; one of 7e-10 a link is not", () => {
    // The chain above with its cycle closed at a gain γ: each pass raises the rents by about γ
    // and no pass leaves them unchanged. At γ = 1e-13 the menu is implementable up to rounding
    // (rents 0, 1, …, n − 1 to the creep); at 3.5e-8 over 50 links (7e-10 a link: below the
    // "clearly positive" 1e-9 of the rents, above the 1e-11 any rents could meet) it is not.
    const n = 50;
    const chain = (gamma: number) => {
      const G = Array.from({ length: n }, () => new Float64Array(n).fill(-1e6));
      for (let j = 0; j < n; j++) G[j][j] = 0;
      for (let j = 0; j + 1 < n; j++) G[j][j + 1] = 1;
      G[n - 1][0] = -(n - 1) + gamma;
      return G;
    };
    const G = chain(1e-13);
    const R = minimalRents(n, G);
    expect(R).not.toBeNull();
    let worst = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) worst = Math.max(worst, R![j] + G[j][i] - G[j][j] - R![i]);
    expect(worst).toBeLessThanOrEqual(1e-11 * (n - 1));
    for (let i = 0; i < n; i++) expect(Math.abs(R![i] - i)).toBeLessThanOrEqual(1e-9);
    expect(minimalRents(n, chain(3.5e-8))).toBeNull();
  });
});
