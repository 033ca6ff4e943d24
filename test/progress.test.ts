// The sweep's progress line (workers/progress.ts): its speed as people read it, and the plain
// lines written for logs (stderr not a terminal).
import { describe, expect, it, vi } from "vitest";
import { makeProgress, PLAIN_EVERY_MS, rateText } from "../workers/progress.js";

describe("sweep progress", () => {
  it("says points per second, or seconds per point below one a second (a reviewer read '0 points/s')", () => {
    expect(rateText(12345.6)).toBe("12,346 points/s");
    expect(rateText(1)).toBe("1 points/s");
    expect(rateText(0.4)).toBe("2.5 s/point");
    expect(rateText(1 / 42)).toBe("42 s/point");
    expect(rateText(0)).toBe("…");
    expect(rateText(Number.NaN)).toBe("…");
  });

  /** The plain line written after PLAIN_EVERY_MS, on a log (stderr not a terminal), for `done` of `total`. */
  async function plainLine(total: number, done: number): Promise<string> {
    let written = "";
    const stream = { isTTY: false, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    const realNow = Date.now;
    let now = realNow();
    Date.now = () => now;
    try {
      const p = await makeProgress(total, 0, "lpe sweep x", stream);
      now += PLAIN_EVERY_MS + 1;
      p.update(done);
    } finally {
      Date.now = realNow;
    }
    return written;
  }

  it("writes a plain line with the rate and the ETA when stderr is not a terminal", async () => {
    expect(await plainLine(10, 2)).toMatch(/^lpe sweep x: 2\/10 points \(20\.0%\), 2\.5 s\/point, ETA 21 s\n$/);
  });

  it("formats its counts without toLocaleString, which loads ICU's locale data (~5 MB of a long sweep's memory)", async () => {
    const spy = vi.spyOn(Number.prototype, "toLocaleString");
    try {
      expect(rateText(1234567.4)).toBe("1,234,567 points/s");
      expect(rateText(1 / 12345)).toBe("12,345 s/point");
      expect(await plainLine(10_000_000, 6_000_000)).toContain("1,199,760 points/s");
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
