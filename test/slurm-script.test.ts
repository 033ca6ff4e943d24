// The SLURM path without a cluster (test/slurm-real.test.ts runs it on one): the resources the
// script asks for (defaults from the sweep's size and a timed sample, the user's --cpus-per-task,
// --time and --mem checked for SLURM's syntax, at most 1000 array tasks); the script run with
// stand-ins for sbatch, node, sinfo and scontrol that record their arguments (it submits itself
// by its absolute path from any folder, passes extra options to both jobs, submits the merge
// from the same file, checks node and the cluster's limits, runs `exec node …`); the warning
// for folders in /tmp; `lpe merge` naming unfinished and missing shards with the recovery
// steps; the lock that keeps two runs out of one shard folder; each shard's timings in the
// merged sweep.json.

import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, relative } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compiledLpe, type Run } from "./helpers/cli-in-process.js";
import { checkSlurmMem, checkSlurmTime, formatSlurmTime, MAX_ARRAY_TASKS, MIN_MEM_MB, MIN_TIME_SECONDS, planSlurm, SAFETY } from "../workers/slurm-resources.js";
import { LOCK_FILE, RunLock, STALE_MS } from "../workers/run-lock.js";
import { pidAlive } from "../engine/results/temp-files.js";
import { underLocalTemp } from "../workers/sweep-job.js";

const ROOT = join(import.meta.dirname, "..");
/** bash by its path: the stand-ins' PATH holds only them */
const BASH = spawnSync("bash", ["-c", "command -v bash"], { encoding: "utf8" }).stdout.trim();
const FIX = join(ROOT, "test", "fixtures", "sweeps");

let lpe: (...argv: string[]) => Promise<Run>;
const made: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "lpe-slurm-script-"));
  made.push(d);
  return d;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
const read = (...p: string[]) => readFileSync(join(...p), "utf8");

beforeAll(async () => {
  lpe = await compiledLpe();
});

/** SLURM's time limit in seconds (the formats checkSlurmTime accepts). */
function slurmSeconds(t: string): number {
  const [d, rest] = t.includes("-") ? t.split("-") : ["0", t];
  const parts = rest.split(":").map(Number);
  if (t.includes("-")) {
    const [h, m = 0, s = 0] = parts;
    return Number(d) * 86400 + h * 3600 + m * 60 + s;
  }
  if (parts.length === 1) return parts[0] * 60;
  if (parts.length === 2) return parts[0] * 60 + parts[1];
  return parts[0] * 3600 + parts[1] * 60 + parts[2];
}
const slurmMB = (m: string) => Number.parseInt(m, 10) * ({ K: 1 / 1024, M: 1, G: 1024, T: 1024 ** 2 }[m.slice(-1)] ?? 1);

describe("the resources the script asks for", () => {
  it("cover the estimates with the safety factor, within SLURM's limits, and keep the user's values", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }),
        fc.double({ min: 1e-6, max: 5, noNaN: true }),
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        (gridSize, shards, secondsPerPoint, outputs, curveBytesPerPoint) => {
          const p = planSlurm({ gridSize, outputs, shards, sample: { points: 8, secondsPerPoint, curveBytesPerPoint } });
          expect(p.shards).toBeLessThanOrEqual(MAX_ARRAY_TASKS);
          // no empty task: no more shards than points
          expect(p.shards).toBeLessThanOrEqual(gridSize);
          expect(p.shards * p.pointsPerShard).toBeGreaterThanOrEqual(gridSize);
          expect(p.cappedFrom !== undefined).toBe((shards ?? 0) > MAX_ARRAY_TASKS && gridSize >= MAX_ARRAY_TASKS);
          expect(p.pointsCapFrom !== undefined).toBe((shards ?? 0) > gridSize && gridSize < MAX_ARRAY_TASKS);
          if (shards !== undefined) expect(p.shards).toBe(Math.min(shards, MAX_ARRAY_TASKS, gridSize));
          expect(p.task.cpusPerTask).toBeGreaterThanOrEqual(1);
          expect(p.task.cpusPerTask).toBeLessThanOrEqual(4);
          // one CPU unless a shard would take over an hour on one
          expect(p.task.cpusPerTask > 1).toBe(p.pointsPerShard * secondsPerPoint > 3600);
          expect(p.estimate.taskSeconds).toBeGreaterThanOrEqual((p.pointsPerShard * secondsPerPoint) / p.task.cpusPerTask);
          for (const [time, est] of [
            [p.task.time, p.estimate.taskSeconds],
            [p.merge.time, p.estimate.mergeSeconds],
          ] as const) {
            expect(checkSlurmTime(time)).toBe(time);
            expect(slurmSeconds(time)).toBeGreaterThanOrEqual(Math.max(MIN_TIME_SECONDS, SAFETY * est));
            expect(slurmSeconds(time)).toBeLessThan(Math.max(MIN_TIME_SECONDS, SAFETY * est) + 301);
          }
          for (const [mem, est] of [
            [p.task.mem, p.estimate.taskMemMB],
            [p.merge.mem, p.estimate.mergeMemMB],
          ] as const) {
            expect(checkSlurmMem(mem)).toBe(mem);
            expect(slurmMB(mem)).toBeGreaterThanOrEqual(Math.max(MIN_MEM_MB, 1.5 * est));
          }
          const mine = planSlurm({ gridSize, outputs, shards, cpusPerTask: 3, time: "7:00:00", mem: "5G", sample: { points: 8, secondsPerPoint, curveBytesPerPoint } });
          expect(mine.task).toEqual({ cpusPerTask: 3, time: "7:00:00", mem: "5G" });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("grow with the sweep: more points per shard ask for more time and memory, the merge of more points more time (and memory up to 100,000 points: above, its rows are streamed)", () => {
    const sample = { points: 8, secondsPerPoint: 0.01, curveBytesPerPoint: 0 };
    const small = planSlurm({ gridSize: 10_000, outputs: 4, shards: 10, sample });
    const large = planSlurm({ gridSize: 100_000_000, outputs: 4, shards: 10, sample });
    expect(large.estimate.taskSeconds).toBeGreaterThan(small.estimate.taskSeconds);
    expect(slurmSeconds(large.task.time)).toBeGreaterThan(slurmSeconds(small.task.time));
    expect(slurmMB(large.task.mem)).toBeGreaterThan(slurmMB(small.task.mem));
    expect(slurmMB(large.merge.mem)).toBeGreaterThanOrEqual(slurmMB(small.merge.mem));
    expect(slurmSeconds(large.merge.time)).toBeGreaterThan(slurmSeconds(small.merge.time));
    const merge = (gridSize: number) => planSlurm({ gridSize, outputs: 4, shards: 10, sample }).estimate.mergeMemMB;
    expect(merge(100_000)).toBeGreaterThan(merge(10_000));
    expect(merge(100_000_000)).toBe(merge(1_000_000));
  });

  it("formats times as SLURM reads them", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 * 86400 }), (s) => {
        expect(slurmSeconds(formatSlurmTime(s))).toBe(s);
      }),
    );
    expect(formatSlurmTime(90_061)).toBe("1-01:01:01");
  });

  it("accept SLURM's time and memory formats and refuse others, naming the option", () => {
    for (const t of ["90", "30:00", "04:00:00", "2-00:00:00", "1-12", "1-12:30"]) expect(checkSlurmTime(t)).toBe(t);
    for (const t of ["4h", "", "0", "00:00:00", "-1", "1:2:3:4", "1.5"]) expect(() => checkSlurmTime(t)).toThrow(/^--time: expected a SLURM time limit/);
    expect(checkSlurmMem("500m")).toBe("500M");
    for (const m of ["4G", "2048", "1T"]) expect(checkSlurmMem(m)).toBe(m);
    for (const m of ["4GB", "0", "1.5G", "-2G", "lots"]) expect(() => checkSlurmMem(m)).toThrow(/^--mem: expected a SLURM memory size/);
  });
});

describe("lpe sweep --emit-slurm", () => {
  it("writes the user's --cpus-per-task, --time and --mem, and refuses them without --emit-slurm or in another format", async () => {
    const out = tmp();
    const file = join(FIX, "monopoly-2d.json");
    const r = await lpe("sweep", file, "--emit-slurm", "--shard", "3", "--cpus-per-task", "3", "--time", "2-00:00:00", "--mem", "6g", "--out", out);
    expect(r.code, r.err).toBe(0);
    const text = read(out, "monopoly-2d", "sweep.slurm");
    expect(text).toMatch(/^#SBATCH --cpus-per-task=3$/m);
    expect(text).toMatch(/^#SBATCH --time=2-00:00:00$/m);
    expect(text).toMatch(/^#SBATCH --mem=6G$/m);
    expect(r.out).toContain("each task 3 CPUs, --mem=6G, --time=2-00:00:00");
    const bad = tmp();
    const time = await lpe("sweep", file, "--emit-slurm", "--time", "4 hours", "--out", bad);
    expect(time.code).toBe(2);
    expect(time.err).toMatch(/--time: expected a SLURM time limit such as 90 \(minutes\), 04:00:00 or 2-00:00:00, got "4 hours"/);
    const mem = await lpe("sweep", file, "--mem", "4G", "--out", bad);
    expect(mem.code).toBe(2);
    expect(mem.err).toMatch(/--mem: is an option of --emit-slurm/);
    const cpus = await lpe("sweep", file, "--emit-slurm", "--cpus-per-task", "0", "--out", bad);
    expect(cpus.code).toBe(2);
    expect(cpus.err).toMatch(/--cpus-per-task: expected a whole number ≥ 1/);
    expect(readdirSync(bad)).toEqual([]);
  });

  it("documents its defaults: the estimates, the recovery steps, what must be shared, the module line", async () => {
    const out = tmp();
    const r = await lpe("sweep", join(FIX, "monopoly-2d.json"), "--emit-slurm", "--shard", "3", "--out", out);
    expect(r.code).toBe(0);
    const dir = join(out, "monopoly-2d");
    const text = read(dir, "sweep.slurm");
    expect(text).toMatch(/^#SBATCH --cpus-per-task=1$/m);
    expect(text).toMatch(/^#SBATCH --time=00:15:00$/m);
    expect(text).toMatch(/^#SBATCH --mem=1G$/m);
    expect(text).toMatch(/^#SBATCH --open-mode=append$/m);
    expect(text).toMatch(/^#SBATCH --requeue$/m);
    expect(text).toMatch(/^# module load nodejs\/20$/m);
    expect(text).toMatch(/^MERGE_RESOURCES=\(--cpus-per-task=1 --mem=1G --time=00:15:00\)$/m);
    expect(text).toMatch(/^# Resources, from 21 points, 3 shards of <= 7 and [\d.e+-]+ ms per point timed here:$/m);
    expect(text).toContain(`#   sbatch --array=I ${dir}/sweep.slurm`);
    expect(text).toContain(`#   bash ${dir}/sweep.slurm merge`);
    expect(text).toContain(`# ${ROOT} (built: node_modules/, dist/), the scenario ${join(FIX, "monopoly-2d.json")}`);
    expect(text).not.toMatch(/npx|^\s*cd /m);
    // every #SBATCH line comes before the first command, or sbatch ignores it
    const lines = text.split("\n");
    const lastDirective = lines.map((l) => l.startsWith("#SBATCH")).lastIndexOf(true);
    const firstCommand = lines.findIndex((l, i) => i > 0 && l.trim() !== "" && !l.startsWith("#"));
    expect(lastDirective).toBeLessThan(firstCommand);
    expect(spawnSync("bash", ["-n", join(dir, "sweep.slurm")]).status).toBe(0);
    expect(r.out).toContain(`bash ${dir}/sweep.slurm`);
    expect(r.out).toContain(`sbatch --array=I ${dir}/sweep.slurm`);
  });

  it("runs at most 1000 array tasks, saying so", async () => {
    const out = tmp();
    const file = join(out, "big.json");
    const spec = JSON.parse(read(FIX, "monopoly-2d.json"));
    spec.sweep.params = { "technology.sigma": { linspace: [0.3, 0.6, 2500] } };
    writeFileSync(file, JSON.stringify(spec));
    const r = await lpe("sweep", file, "--emit-slurm", "--shard", "2000", "--out", out);
    expect(r.code).toBe(0);
    expect(read(out, "monopoly-2d", "sweep.slurm")).toMatch(/^#SBATCH --array=1-1000$/m);
    expect(r.err).toContain("--shard 2000 is more array tasks than SLURM's default MaxArraySize (1001) allows: the script runs 1000 shards of up to 3 points each");
  });

  it("warns when the checkout, the scenario or the output folder is in a machine-local temporary folder", async () => {
    expect(underLocalTemp({ a: "/tmp/x", b: "/home/u/x", c: "/tmpx/y", d: "/var/tmp/z", e: "/tmp" }).map((f) => f.what)).toEqual(["a", "d", "e"]);
    const out = tmp();
    const r = await lpe("sweep", join(FIX, "monopoly-2d.json"), "--emit-slurm", "--out", out);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(new RegExp(`warning: (.*, )?the output folder ${out} lies under \\S+, which is local to each machine of a cluster`));
  });
});

describe("the script, run with stand-ins for sbatch, sinfo, scontrol and node", () => {
  /** a folder of stand-in commands; each records its arguments (NUL-separated, one call a line) */
  function fakes(base: string, replies: Record<string, string>) {
    const bin = join(base, "bin");
    mkdirSync(bin, { recursive: true });
    const log = join(base, "calls");
    for (const [name, reply] of Object.entries(replies)) {
      writeFileSync(join(bin, name), `#!/bin/bash\n{ printf '%s\\0' ${name} "$@"; echo; } >> "$LPE_TEST_LOG"\nprintf '%b' ${JSON.stringify(reply)}\n`);
      chmodSync(join(bin, name), 0o755);
    }
    // the few programs the script needs besides bash's builtins (node only as a stand-in)
    for (const tool of ["sed", "head", "sort", "tail", "tr", "dirname", "basename", "hostname", "timeout"]) {
      const path = spawnSync(BASH, ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
      if (path && !existsSync(join(bin, tool))) symlinkSync(path, join(bin, tool));
    }
    const env: NodeJS.ProcessEnv = { PATH: bin, LPE_TEST_LOG: log, HOME: base };
    const calls = () => (existsSync(log) ? readFileSync(log, "utf8").trimEnd().split("\n").map((l) => l.split("\0").slice(0, -1)) : []);
    return { env, calls, log };
  }

  let out: string;
  let dir: string;
  let script: string;
  beforeAll(async () => {
    out = join(tmp(), "out dir");
    const r = await lpe("sweep", join(FIX, "monopoly-2d.json"), "--emit-slurm", "--shard", "3", "--out", out);
    expect(r.code).toBe(0);
    dir = join(out, "monopoly-2d");
    script = join(dir, "sweep.slurm");
  });

  it("submits itself by its absolute path from any folder, with extra options for both jobs, the merge's resources last", () => {
    const base = tmp();
    const { env, calls } = fakes(base, { sbatch: "77;cluster\n", sinfo: "2\n8\n4\n", scontrol: "MaxArraySize            = 1001\n", node: "" });
    const cwd = join(base, "elsewhere");
    mkdirSync(cwd);
    const r = spawnSync(BASH, [relative(cwd, script), "--partition=short", "--account=econ"], { cwd, env, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const sb = calls().filter((c) => c[0] === "sbatch");
    expect(sb[0]).toEqual(["sbatch", "--parsable", "--partition=short", "--account=econ", script]);
    expect(sb[1]).toEqual([
      "sbatch",
      "--parsable",
      "--partition=short",
      "--account=econ",
      "--cpus-per-task=1",
      "--mem=1G",
      "--time=00:15:00",
      "--array=0",
      "--dependency=afterok:77",
      "--kill-on-invalid-dep=yes",
      `--output=${dir}/slurm-merge-%A.out`,
      script,
    ]);
    expect(r.stdout).toContain("submitted array job 77 (3 shards) and its merge, job 77");
    expect(r.stdout).toContain(`recover with: sbatch --array=I ${dir.replace(/ /g, "\\ ")}/sweep.slurm`);
  });

  it("submits the merge alone, after every job of the sweep, with `merge`", () => {
    const base = tmp();
    const { env, calls } = fakes(base, { sbatch: "80\n", sinfo: "", scontrol: "", node: "" });
    const r = spawnSync(BASH, [script, "merge", "--account=econ"], { cwd: base, env, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(calls().filter((c) => c[0] === "sbatch")).toEqual([
      ["sbatch", "--parsable", "--account=econ", "--cpus-per-task=1", "--mem=1G", "--time=00:15:00", "--array=0", "--dependency=singleton", `--output=${dir}/slurm-merge-%A.out`, script],
    ]);
    expect(r.stdout).toContain(`submitted the merge as job 80: it starts once every earlier job named lpe-monopoly-2d has ended`);
  });

  it("submits nothing when no node has the CPUs a task asks for, or the array exceeds MaxArraySize", () => {
    const base = tmp();
    const few = fakes(join(base, "a"), { sbatch: "1\n", sinfo: "1\n1\n", scontrol: "", node: "" });
    const more = spawnSync(BASH, [script, "--cpus-per-task=2"], { env: few.env, encoding: "utf8" });
    expect(more.status).toBe(1);
    expect(more.stderr).toContain("each task asks for 2 CPUs");
    expect(more.stderr).toContain("the largest node of this cluster has 1: the tasks would never start");
    expect(few.calls().filter((c) => c[0] === "sbatch")).toEqual([]);
    // the script's own 1 CPU fits
    expect(spawnSync(BASH, [script], { env: few.env, encoding: "utf8" }).status).toBe(0);
    expect(few.calls().filter((c) => c[0] === "sbatch").length).toBe(2);
    const small = fakes(join(base, "b"), { sbatch: "1\n", sinfo: "", scontrol: "ClusterName = x\nMaxArraySize            = 3\n", node: "" });
    const a = spawnSync(BASH, [script], { env: small.env, encoding: "utf8" });
    expect(a.status).toBe(1);
    expect(a.stderr).toContain("this cluster's MaxArraySize is 3 (array indices up to 2), too small for the 3 shards of this script: emit it again with --shard 2 or fewer");
    expect(small.calls().filter((c) => c[0] === "sbatch")).toEqual([]);
  });

  it("runs `exec node` in a task, and says what to do when node is missing", () => {
    const base = tmp();
    const { env, calls } = fakes(base, { sbatch: "", node: "" });
    const task = spawnSync(BASH, [script], { env: { ...env, SLURM_JOB_ID: "9", SLURM_ARRAY_TASK_ID: "3", SLURM_CPUS_PER_TASK: "2" }, encoding: "utf8" });
    expect(task.status, task.stderr).toBe(0);
    expect(calls()).toEqual([["node", join(ROOT, "bin", "lpe.js"), "sweep", join(FIX, "monopoly-2d.json"), "--out", out, "--shard", "3/3", "--workers", "2", "--resume"]]);
    expect(task.stdout).toMatch(/^lpe: shard 3\/3 on \S+ with 2 CPU\(s\) \(job 9\); should it fail or be cancelled: sbatch --array=3 '.*sweep.slurm', then bash '.*sweep.slurm' merge$/m);
    const bare = tmp();
    const none = fakes(bare, { sbatch: "" });
    const missing = spawnSync(BASH, [script], { env: { ...none.env, SLURM_JOB_ID: "9", SLURM_ARRAY_TASK_ID: "1" }, encoding: "utf8" });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^lpe: node \(Node.js >= 20\) is not on the PATH on \S+: uncomment and adapt the 'module load' line in '.*sweep.slurm'$/m);
  });
});

describe("lpe merge of an unfinished sweep", () => {
  it("names the unfinished and the missing shards and prints the steps that finish them", async () => {
    const out = tmp();
    const file = join(FIX, "monopoly-long.json");
    expect((await lpe("sweep", file, "--workers", "1", "--no-figures", "--out", out, "--shard", "1/3")).code).toBe(0);
    // shard 2 killed while it solves
    const dir = join(out, "monopoly-long");
    const rows = join(dir, "shard-2-of-3", "rows.part");
    const child = spawn(process.execPath, [join(ROOT, "bin", "lpe.js"), "sweep", file, "--workers", "1", "--out", out, "--shard", "2/3"], { stdio: "ignore" });
    const exited = new Promise<void>((res) => child.on("exit", () => res()));
    const t0 = Date.now();
    while (!(existsSync(rows) && statSync(rows).size > 0) && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGKILL");
    await exited;
    expect(existsSync(join(dir, "shard-2-of-3", "sweep.json")), "shard 2 finished before it could be killed").toBe(false);

    const plain = await lpe("merge", dir);
    expect(plain.code).toBe(2);
    expect(plain.err).toMatch(/shard 2\/3 is not finished \(\d+ of 4000 points done\); missing shard 3\/3: every shard must be finished before merging; finish them with the same lpe sweep command \(--shard I\/3\) and --resume, then merge again/);
    // with the SLURM script beside the shards: the exact commands
    expect((await lpe("sweep", file, "--emit-slurm", "--shard", "3", "--out", out)).code).toBe(0);
    const r = await lpe("merge", dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`to finish them with SLURM: sbatch --array=2,3 ${dir}/sweep.slurm, then bash ${dir}/sweep.slurm merge`);
    expect(existsSync(join(dir, "sweep.csv"))).toBe(false);
    // the killed run's lock does not stop its resumption
    expect(existsSync(join(dir, "shard-2-of-3", LOCK_FILE))).toBe(true);
    const resumed = await lpe("sweep", file, "--workers", "1", "--out", out, "--shard", "2/3", "--resume");
    expect(resumed.code, resumed.err).toBe(0);
    expect(existsSync(join(dir, "shard-2-of-3", LOCK_FILE))).toBe(false);
  }, 60_000);

  it("lists every shard's timings in the merged sweep.json", async () => {
    const out = tmp();
    const file = join(FIX, "monopoly-2d.json");
    for (const i of [1, 2, 3]) expect((await lpe("sweep", file, "--workers", "1", "--no-figures", "--out", out, "--shard", `${i}/3`)).code).toBe(0);
    const dir = join(out, "monopoly-2d");
    expect((await lpe("merge", dir, "--no-figures")).code).toBe(0);
    const meta = JSON.parse(read(dir, "sweep.json"));
    const shards = [1, 2, 3].map((i) => JSON.parse(read(dir, `shard-${i}-of-3`, "sweep.json")));
    expect(meta.shardTimings).toEqual(
      shards.map((s) => ({ index: s.shard.index, points: s.points, elapsedSeconds: s.elapsedSeconds, computeSeconds: s.computeSeconds, workers: s.workers, phases: s.phases })),
    );
    expect(meta.elapsedSeconds).toBeCloseTo(
      shards.reduce((a, s) => a + s.elapsedSeconds, 0),
      12,
    );
  });
});

describe("the lock of a sweep folder", () => {
  it("keeps a second run out while the first writes, and is removed when the run ends", async () => {
    const out = tmp();
    const file = join(FIX, "monopoly-long.json");
    const dir = join(out, "monopoly-long", "shard-1-of-2");
    const child = spawn(process.execPath, [join(ROOT, "bin", "lpe.js"), "sweep", file, "--workers", "1", "--out", out, "--shard", "1/2"], { stdio: "ignore" });
    const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
    const rows = join(dir, "rows.part");
    const t0 = Date.now();
    while (!(existsSync(rows) && statSync(rows).size > 0) && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 5));
    const second = await lpe("sweep", file, "--workers", "1", "--out", out, "--shard", "1/2", "--resume");
    const done = existsSync(join(dir, "sweep.json"));
    child.kill("SIGTERM");
    expect(await exited).toBe(done ? 0 : 143);
    expect(done, "the first run finished before the second started").toBe(false);
    expect(second.code).toBe(2);
    expect(second.err).toContain(`${dir} is being written by another lpe run (pid ${child.pid} on ${hostname()}, started `);
    // Ctrl-C or scancel: the run saved, stopped and gave the folder up
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(JSON.parse(read(dir, "manifest.json")).complete).toBe(false);
  }, 60_000);

  it("is taken over when its run is gone: a dead process here, or no refresh for STALE_MS elsewhere", () => {
    const dir = tmp();
    const path = join(dir, LOCK_FILE);
    const write = (h: object, ageMs = 0) => {
      writeFileSync(path, JSON.stringify(h) + "\n");
      const t = new Date(Date.now() - ageMs);
      utimesSync(path, t, t);
    };
    // this very process holds it
    const mine = RunLock.acquire(dir);
    expect(() => RunLock.acquire(dir)).toThrow(/is being written by another lpe run/);
    mine.release();
    expect(existsSync(path)).toBe(false);
    // a dead process on this host
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    write({ pid: dead, host: hostname(), startedAt: "2026-01-01T00:00:00Z" });
    RunLock.acquire(dir).release();
    // another host: refused while fresh, with what to do; taken over once stale
    write({ pid: 1, host: "node-17", startedAt: "2026-01-01T00:00:00Z", slurmJob: "12_3" }, STALE_MS / 2);
    expect(() => RunLock.acquire(dir)).toThrow(
      `${dir} is being written by another lpe run (pid 1 on node-17 (SLURM job 12_3), started 2026-01-01T00:00:00Z): two runs must not write one folder; wait for it to end or stop it; if it is no longer running (killed on node-17), delete ${path}`,
    );
    write({ pid: 1, host: "node-17", startedAt: "2026-01-01T00:00:00Z" }, STALE_MS + 60_000);
    const taken = RunLock.acquire(dir);
    expect(JSON.parse(readFileSync(path, "utf8")).pid).toBe(process.pid);
    // a lock taken over by someone else is not removed by the one who lost it
    write({ pid: 1, host: "node-18", startedAt: "2026-01-02T00:00:00Z" });
    taken.release();
    expect(JSON.parse(readFileSync(path, "utf8")).host).toBe("node-18");
    // a lock being written (no content yet) is respected while recent
    writeFileSync(path, "");
    expect(() => RunLock.acquire(dir)).toThrow(/another lpe run \(a run that is starting\)/);
  });

  it("is taken over from a killed run not yet reaped by its parent (a zombie still answers signal 0)", async () => {
    const dir = tmp();
    const path = join(dir, LOCK_FILE);
    // `sleep 0.5` exits after its parent has exec'd into `sleep 30`, which never reaps it: a
    // zombie (with `sleep 0` the child could exit while the shell was still the parent, and the
    // shell reaped it before its exec: no zombie, /proc/<pid> gone — once in CI, under load)
    const parent = spawn("sh", ["-c", "sleep 0.5 & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const zombie = await new Promise<number>((resolve) => parent.stdout!.once("data", (d: Buffer) => resolve(Number(String(d).trim()))));
      let state = "";
      for (let i = 0; i < 150 && state !== "Z"; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const stat = readFileSync(`/proc/${zombie}/stat`, "utf8");
        state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      }
      expect(state).toBe("Z");
      expect(() => process.kill(zombie, 0)).not.toThrow();
      expect(pidAlive(zombie)).toBe(false);
      expect(pidAlive(parent.pid!)).toBe(true);
      writeFileSync(path, JSON.stringify({ pid: zombie, host: hostname(), startedAt: "2026-01-01T00:00:00Z" }) + "\n");
      const lock = RunLock.acquire(dir);
      expect(JSON.parse(readFileSync(path, "utf8")).pid).toBe(process.pid);
      lock.release();
    } finally {
      parent.kill("SIGKILL");
    }
  });

  it("is taken over at once by the same SLURM task (requeued on another node), not by another task", () => {
    const dir = tmp();
    const path = join(dir, LOCK_FILE);
    const keys = ["SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID", "SLURM_JOB_ID"] as const;
    const saved = keys.map((k) => process.env[k]);
    try {
      process.env.SLURM_ARRAY_JOB_ID = "777";
      process.env.SLURM_JOB_ID = "779";
      // another task of the array, on another node, 6 minutes ago: refused
      process.env.SLURM_ARRAY_TASK_ID = "1";
      writeFileSync(path, JSON.stringify({ pid: 4242, host: "node07", startedAt: "2026-01-01T00:00:00Z", slurmJob: "777_2" }) + "\n");
      const t = new Date(Date.now() - 6 * 60_000);
      utimesSync(path, t, t);
      expect(() => RunLock.acquire(dir)).toThrow(/is being written by another lpe run \(pid 4242 on node07 \(SLURM job 777_2\)/);
      // the same task, requeued: taken over
      process.env.SLURM_ARRAY_TASK_ID = "2";
      const lock = RunLock.acquire(dir);
      expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ pid: process.pid, slurmJob: "777_2" });
      lock.release();
      expect(existsSync(path)).toBe(false);
    } finally {
      keys.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));
    }
  });
});
