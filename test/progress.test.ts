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

  it("writes a plain line with the rate and the ETA when stderr is not a terminal", async () => {
    let written = "";
    const stream = { isTTY: false, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    const realNow = Date.now;
    let now = realNow();
    Date.now = () => now;
    try {
      const p = await makeProgress(10, 0, "lpe sweep x", stream);
      now += PLAIN_EVERY_MS + 1;
      p.update(2);
    } finally {
      Date.now = realNow;
    }
    expect(written).toMatch(/^lpe sweep x: 2\/10 points \(20\.0%\), 2\.5 s\/point, ETA 21 s\n$/);
  });

  it("formats its counts without toLocaleString, which loads ICU's locale data (~5 MB of a long sweep's memory)", async () => {
    const spy = vi.spyOn(Number.prototype, "toLocaleString");
    let written = "";
    const stream = { isTTY: false, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    const realNow = Date.now;
    let now = realNow();
    Date.now = () => now;
    try {
      expect(rateText(1234567.4)).toBe("1,234,567 points/s");
      expect(rateText(1 / 12345)).toBe("12,345 s/point");
      const p = await makeProgress(10_000_000, 0, "lpe sweep x", stream);
      now += PLAIN_EVERY_MS + 1;
      p.update(6_000_000);
      expect(written).toContain("1,199,760 points/s");
      expect(spy).not.toHaveBeenCalled();
    } finally {
      Date.now = realNow;
      spy.mockRestore();
    }
  });
});
