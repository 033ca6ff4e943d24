// Jumps in figure lines (figures/jumps.ts): an isolated jump is a break in the line (a row with
// NaN for the jumping series, the others interpolated); a series with more than MAX_BREAKS jumps
// is a step function — a finite menu offered to a continuum of types — and is drawn with its
// risers, not broken at every step (171 steps read as a dashed line).
import { describe, expect, it } from "vitest";
import { breakJumps, MAX_BREAKS } from "../figures/jumps.js";

const x = Float64Array.from({ length: 401 }, (_, i) => i / 400);

describe("breakJumps", () => {
  it("breaks a line at an isolated jump, and only the jumping series", () => {
    const jump = x.map((t) => (t < 0.5 ? t : t + 1));
    const smooth = x.map((t) => t * t);
    const { x: bx, ys } = breakJumps(x, [jump, smooth]);
    expect(bx.length).toBe(x.length + 1);
    const k = ys[0].findIndex((v) => Number.isNaN(v));
    expect(bx[k]).toBeGreaterThan(0.49);
    expect(bx[k]).toBeLessThan(0.51);
    expect(Number.isNaN(ys[1][k])).toBe(false);
  });

  it(`draws a series with more than ${MAX_BREAKS} jumps (a step function) unbroken`, () => {
    const steps = x.map((t) => Math.floor(t * 20) * 2);
    const { x: bx, ys } = breakJumps(x, [steps]);
    expect(bx.length).toBe(x.length);
    expect(ys[0].some((v) => Number.isNaN(v))).toBe(false);
    // and a step function beside a series with one jump: only the latter is broken
    const jump = x.map((t) => (t < 0.5 ? t : t + 1));
    const both = breakJumps(x, [steps, jump]);
    expect(both.x.length).toBe(x.length + 1);
    expect(both.ys[0].some((v) => Number.isNaN(v))).toBe(false);
    expect(both.ys[1].filter((v) => Number.isNaN(v)).length).toBe(1);
  });

  it("breaks a quantity switched on from 0, however small the jump against its range (q_L from 0 to q̂(θ_low), a reviewer's CSV ramp); a quantity rising continuously from 0 is not broken", () => {
    // 0 below 0.5, then 1.97 rising to ~135 (the jump is 1.5 % of the range: below JUMP_SHARE)
    const on = x.map((t) => (t < 0.5 ? 0 : 1.97 + 266 * (t - 0.5) ** 2 * 2));
    const { x: bx, ys } = breakJumps(x, [on]);
    expect(bx.length).toBe(x.length + 1);
    const k = ys[0].findIndex((v) => Number.isNaN(v));
    expect(bx[k]).toBeGreaterThan(0.49);
    expect(bx[k]).toBeLessThan(0.51);
    // Q(θ) = (θ − θ*) for θ ≥ θ*: continuous from 0, no break
    const ramp = x.map((t) => Math.max(0, t - 0.5));
    expect(breakJumps(x, [ramp]).x.length).toBe(x.length);
  });
});
