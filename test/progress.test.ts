// The sweep's progress line (workers/progress.ts): its speed as people read it, and the plain
// lines written for logs (stderr not a terminal).
import { describe, expect, it } from "vitest";
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
});
