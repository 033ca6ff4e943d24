// The tiers-profit-share figure (figures/builders/tiers-share.ts) of a scenario with more than
// 10 tiers: its own N is among the points and the vertical line that the caption names is drawn
// (a reviewer's N = 50 was named in the caption on an axis that stopped at 10.5, no line drawn).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;

describe("tiers-profit-share with N above 10", () => {
  it("adds the scenario's N to the points, stretches the axis to it and draws its line", () => {
    const tmp = mkdtempSync(join(tmpdir(), "lpe-tiers-share-"));
    const file = join(tmp, "t12.json");
    writeFileSync(
      file,
      JSON.stringify({ name: "t12", buyers: { theta: { dist: "uniform", min: 0, max: 1 } }, technology: { sigma: 0.5, aggregate: { kappa: 1, gamma: 0.3 } }, market: { kind: "tiers", count: 12 } }),
    );
    const r = spawnSync(process.execPath, [join(root, "bin/lpe.js"), "solve", file, "--out", tmp], { cwd: root, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const stem = join(tmp, "t12", "figures", "tiers-profit-share");
    const caption = readFileSync(`${stem}.caption.txt`, "utf8");
    expect(caption).toMatch(/N = 1 to 10 and the scenario's N = 12: .* with 12\. Vertical line: the scenario's N = 12\./);
    const rows = readFileSync(`${stem}.csv`, "utf8").trim().split("\n");
    const header = rows[0].split(",");
    const n = rows.slice(1).map((l) => Number(l.split(",")[header.indexOf("N")]));
    expect(n).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12]);
    // the share at N = 12 is the scenario's own profit over the continuous menu's: below 1, above N = 10's
    const share = rows.slice(1).map((l) => Number(l.split(",")[header.indexOf("profitShare")]));
    expect(share[10]).toBeLessThan(1);
    expect(share[10]).toBeGreaterThanOrEqual(share[9] - 1e-12);
    const tex = readFileSync(`${stem}.tex`, "utf8");
    expect(tex).toContain("xmax=12.5");
    expect(tex).toMatch(/axis cs:12,/);
  }, 60_000);
});
