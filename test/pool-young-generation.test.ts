// holdYoungGeneration (workers/pool.ts) in a process of its own (the flag is the process's):
// held, the main thread's young generation does not grow however much survives, also after a
// pool thread has started (V8 puts the flag back when a thread's heap is set up, and the pool
// sets it again); let go, it grows again. Run on the compiled dist/ (as `lpe` runs).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

beforeAll(() => {
  // `npm test` compiles first; this keeps a lone `vitest run` of this file honest too.
  if (!existsSync(join(root, "dist/workers/pool.js"))) spawnSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: root });
});

const SCRIPT = `
import v8 from "node:v8";
import { holdYoungGeneration, startPool } from ${JSON.stringify(join(root, "dist/workers/pool.js"))};
const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;
const keep = [];
// 2,000,000 small objects that survive: V8 would grow the young generation several times
const survive = () => { for (let i = 0; i < 2e6; i++) keep.push({ i }); };
holdYoungGeneration(true);
const pool = await startPool(1);
await pool.forJob({ raw: {}, outputs: [], curves: [] }, "none").whenReady();
// garbage only (a few scavenges, nothing survives): both halves of the young generation in use
let g;
for (let i = 0; i < 1e6; i++) g = { i };
const start = young();
survive();
const held = young();
holdYoungGeneration(false);
survive();
const free = young();
await pool.close();
console.log(JSON.stringify({ start, held, free }));
`;

describe("holdYoungGeneration", () => {
  it("keeps the young generation at its size while held, a pool thread started or not, and lets it grow after", () => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", SCRIPT], { cwd: root, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const { start, held, free } = JSON.parse(r.stdout) as { start: number; held: number; free: number };
    expect(start).toBeGreaterThan(0);
    expect(held).toBe(start);
    expect(free).toBeGreaterThanOrEqual(2 * held);
  });
});
