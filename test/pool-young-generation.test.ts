// holdYoungGeneration (workers/young-generation.ts) in a process of its own (the flag is the
// process's): held, the main thread's young generation does not grow however much survives, also
// while and after a pool thread starts (V8 puts the flag back when it sets up the thread's heap;
// the pool sets it again until the thread is up, and the thread, told by the pool, sets it
// again); let go, it grows again, also after another thread has started. Run on the compiled dist/ (as `lpe` runs).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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
const before = young();
const pool = await startPool(1);
// while the thread starts (V8 lets young generations grow again when it sets up the thread's
// heap), the main thread keeps allocating objects that survive, as it does loading its modules,
// in chunks of well under a millisecond with the event loop free between them
const starting = [];
let up = false;
const upPromise = pool.forJob({ raw: {}, outputs: [], curves: [] }, "none").whenReady().then(() => (up = true));
while (!up) {
  for (let i = 0; i < 2000; i++) starting.push({ i });
  await new Promise((r) => setImmediate(r));
}
await upPromise;
const whileStarting = young();
const executor = pool.forJob({ raw: {}, outputs: [], curves: [] }, "none");
await executor.whenReady();
// the thread is up, not failed (a task with no kernel and a job it cannot build fails on its own)
const answer = await executor.run(0, 0).then(() => "ok", (e) => e.message);
// garbage only (a few scavenges, nothing survives): both halves of the young generation in use
let g;
for (let i = 0; i < 1e6; i++) g = { i };
const start = young();
survive();
const held = young();
holdYoungGeneration(false);
// a thread started now does not hold them again
const later = await startPool(1);
await later.forJob({ raw: {}, outputs: [], curves: [] }, "none").whenReady();
survive();
const free = young();
await pool.close();
await later.close();
console.log(JSON.stringify({ before, whileStarting, start, held, free, answer }));
`;

describe("holdYoungGeneration", () => {
  it("keeps the young generation at its size while held, a pool thread started or not, and lets it grow after", () => {
    // a file, not `-e`: the pool thread takes the process's options, and `--input-type` stops a thread
    const dir = mkdtempSync(join(tmpdir(), "lpe-young-"));
    const file = join(dir, "hold.mjs");
    writeFileSync(file, SCRIPT);
    const r = spawnSync(process.execPath, [file], { cwd: root, encoding: "utf8" });
    rmSync(dir, { recursive: true, force: true });
    expect(r.status, r.stderr).toBe(0);
    const { before, whileStarting, start, held, free, answer } = JSON.parse(r.stdout) as Record<string, number> & { answer: string };
    expect(answer).not.toMatch(/worker thread (failed|stopped)/);
    // at most one doubling, in the few ms between V8 setting up the thread's heap and the pool's
    // next hold (without those holds it doubled four times here: 1 → 16 MB)
    expect(whileStarting, "the main thread's young generation grew while the pool thread started").toBeLessThanOrEqual(2 * before);
    expect(start).toBeGreaterThan(0);
    expect(held).toBe(start);
    expect(free).toBeGreaterThanOrEqual(2 * held);
  });
});
