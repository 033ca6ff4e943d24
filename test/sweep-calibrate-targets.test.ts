// A sweep does not use the calibrate block, but a name there that the market does not produce is
// said (workers/sweep-outputs.ts, calibrateTargetNotes): `lpe solve` and `lpe calibrate` refuse
// such a file, and a clean-clone reviewer's typo ("fringeTokenShar") ran through `lpe sweep`
// unsaid. The sweep still runs (exit 0); a correct name gives no note.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "lpe-sweep-targets-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function scenario(target: string) {
  return {
    name: "targets",
    buyers: { theta: { dist: "uniform", min: 0, max: 1 } },
    technology: { sigma: 0.5 },
    market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } },
    sweep: { params: { "market.fringe.cost": { linspace: [0.1, 0.2, 3] } }, outputs: ["profit"] },
    calibrate: { params: { "market.fringe.cost": { min: 0.05, max: 0.29 } }, targets: { [target]: { value: 0.3 } } },
  };
}

function sweep(target: string) {
  const file = join(tmp, `${target}.json`);
  writeFileSync(file, JSON.stringify(scenario(target)));
  const r = spawnSync(process.execPath, [join(root, "bin/lpe.js"), "sweep", file, "--no-figures", "--workers", "1", "--out", tmp], { encoding: "utf8" });
  return { code: r.status, err: r.stderr };
}

describe("lpe sweep and the calibrate block's target names", () => {
  it("a target the market does not produce: a note with its path and a did-you-mean, and the sweep runs", () => {
    const r = sweep("fringeTokenShar");
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/^lpe: note: calibrate\.targets\.fringeTokenShar: unknown output "fringeTokenShar" \(did you mean "fringeTokenShare"\?\) \(the sweep does not use the calibrate block; `lpe solve` and `lpe calibrate` refuse this\)$/m);
  });
  it("a target it produces: no note", () => {
    const r = sweep("fringeTokenShare");
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/calibrate\.targets/);
  });
});
