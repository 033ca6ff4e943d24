// collectGarbage (workers/young-generation.ts), in a process of its own (it sets a V8 flag for
// the process): garbage in the old generation, which V8 keeps until that generation reaches its
// limit, is gone after the call; live objects stay. Run on the compiled dist/ (as `lpe` runs).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

beforeAll(() => {
  if (!existsSync(join(root, "dist/workers/young-generation.js"))) spawnSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: root });
});

const SCRIPT = `
import v8 from "node:v8";
import { collectGarbage } from ${JSON.stringify(join(root, "dist/workers/young-generation.js"))};
const old = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "old_space").space_used_size;
// ~40 MB of small objects kept alive across many scavenges (promoted), then dropped
let keep = [];
for (let i = 0; i < 1e6; i++) keep.push({ i, s: "x" + i });
const live = [];
for (let i = 0; i < 1e5; i++) live.push({ i });
const before = old();
keep = null;
collectGarbage();
const after = old();
collectGarbage();
console.log(JSON.stringify({ before, after, again: old(), live: live.length }));
`;

describe("collectGarbage", () => {
  it("frees the old generation's garbage and keeps what is live", () => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", SCRIPT], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout) as { before: number; after: number; again: number; live: number };
    // at least 20 MB of the dropped objects were in the old generation, and are gone
    expect(m.before - m.after, JSON.stringify(m)).toBeGreaterThan(20e6);
    expect(m.live).toBe(1e5);
    expect(Math.abs(m.again - m.after)).toBeLessThan(2e6);
  });
});
