// The emitted SLURM script on a real SLURM: a private one-node cluster (test/helpers/slurm-cluster.ts,
// 2 CPUs, MaxArraySize 10, localhost only) started for this file and stopped by PID after it.
// 1. A sweep emitted and submitted with `bash` from a folder other than the checkout, by a
//    relative path, with a user's #SBATCH edit and an extra sbatch option: the tasks and the
//    merge run that file (absolute path) with the edit and the option, the output folder has a
//    space in it, and the merged sweep.csv and curves are byte-identical to a single run.
// 2. One task of a second submission is cancelled while it runs: lpe saves and stops with it,
//    the merge is cancelled instead of pending forever, `lpe merge` prints the recovery steps,
//    and following them literally gives the single run's sweep.csv byte for byte.
// 3. The script refuses, before submitting anything, tasks that no node can run and an array
//    larger than the cluster's MaxArraySize.
// Where SLURM cannot start (packages missing, not root), the file prints one line saying why and
// each test checks only that SLURM was not required (.ci/run requires it where it could install
// it as root). Every wait is bounded.

import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandLines, running, startCluster, waitFor, type Cluster } from "./helpers/slurm-cluster.js";

const ROOT = join(import.meta.dirname, "..");
const LPE = join(ROOT, "bin", "lpe.js");
const FIX = join(ROOT, "test", "fixtures", "sweeps");
const REQUIRED = process.env.LPE_SLURM_TEST === "require";
const ENDED = new Set(["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE"]);

let cluster: Cluster | undefined;
let notRun = "";
let work = "";

beforeAll(async () => {
  if (!existsSync(join(ROOT, "dist", "bundle", "lpe.js"))) spawnSync("npm", ["run", "build"], { cwd: ROOT, timeout: 120_000 });
  const r = await startCluster({ cpus: 2, maxArraySize: 10 });
  if ("reason" in r) {
    notRun = r.reason;
    console.log(`SLURM test not run: ${notRun}`);
    return;
  }
  cluster = r.cluster;
  work = mkdtempSync(join(tmpdir(), "lpe-slurm-work-"));
}, 90_000);

afterAll(() => {
  if (!cluster) return;
  const pids = cluster.stop();
  expect(pids.filter(running), "cluster processes still running after stop").toEqual([]);
  rmSync(cluster.dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}, 60_000);

/** The cluster, or undefined after checking that this machine did not have to run SLURM. */
function slurm(): Cluster | undefined {
  if (!cluster) expect(REQUIRED, `SLURM is required here (LPE_SLURM_TEST=require) but did not start: ${notRun}`).toBe(false);
  return cluster;
}

function lpe(c: Cluster, args: string[], cwd: string) {
  return spawnSync(process.execPath, [LPE, ...args], { cwd, env: c.env, encoding: "utf8", timeout: 120_000 });
}

function state(c: Cluster, id: string): string | undefined {
  return c.job(id)?.JobState;
}

/** Wait until every job has ended (bounded); returns their states. */
async function waitEnded(c: Cluster, ids: string[], timeoutMs: number): Promise<Record<string, string | undefined>> {
  await waitFor(() => ids.every((id) => ENDED.has(state(c, id) ?? "")), timeoutMs, 300);
  return Object.fromEntries(ids.map((id) => [id, state(c, id)]));
}

const read = (...p: string[]) => readFileSync(join(...p), "utf8");
const tasks = (jid: string, n: number) => Array.from({ length: n }, (_, k) => `${jid}_${k + 1}`);
/** jobs known to the controller, finished ones included */
const jobCount = (c: Cluster) => c.run("scontrol", ["show", "job", "-o"]).stdout.split("\n").filter((l) => l.startsWith("JobId=")).length;

describe("the emitted SLURM script on a one-node SLURM", () => {
  it("runs a sweep submitted with bash from another folder; the merge equals a single run byte for byte", async () => {
    const c = slurm();
    if (!c) return;
    const scenDir = join(work, "scenario dir");
    mkdirSync(scenDir);
    const scen = join(scenDir, "m 2d.json");
    cpSync(join(FIX, "monopoly-2d.json"), scen);
    const set = "technology.aggregate.gamma=0.25";
    const single = join(work, "single");
    expect(lpe(c, ["sweep", scen, "--workers", "1", "--out", single, "--set", set], work).status).toBe(0);

    const outA = join(work, "out A");
    const emit = lpe(c, ["sweep", scen, "--emit-slurm", "--shard", "3", "--out", outA, "--set", set], work);
    expect(emit.status, emit.stderr).toBe(0);
    // the scenario and the output folder are in /tmp: not shared on a cluster, and it says so
    expect(emit.stderr).toMatch(/warning: (.*, )?the scenario file .* lies under .*, the output folder .* lies under .*, which is local to each machine/);
    // with --set the sweep's folder carries the override (the unmodified scenario's is never replaced)
    const folder = "monopoly-2d--technology.aggregate.gamma-0.25";
    const dir = join(outA, folder);
    const script = join(dir, "sweep.slurm");
    // a user's edit: another partition
    writeFileSync(script, read(script).replace("#SBATCH --requeue\n", "#SBATCH --requeue\n#SBATCH --partition=other\n"));

    const elsewhere = join(work, "elsewhere");
    mkdirSync(elsewhere);
    const t0 = Date.now();
    const sub = spawnSync("bash", [relative(elsewhere, script), "--nice=7"], { cwd: elsewhere, env: c.env, encoding: "utf8", timeout: 60_000 });
    expect(sub.status, sub.stderr).toBe(0);
    const [, jid, mid] = /submitted array job (\d+) \(3 shards\) and its merge, job (\d+)/.exec(sub.stdout) ?? [];
    expect(jid, sub.stdout).toBeDefined();
    // the array and the merge are this file, by its absolute path, with the edit and the option
    const merge = c.job(mid)!;
    expect(merge.Command).toBe(realpathSync(script));
    expect(merge.Partition).toBe("other");
    expect(merge.Nice).toBe("7");
    expect(merge.ArrayTaskId).toBe("0");
    expect(merge.TimeLimit).toBe("00:15:00");
    expect(merge.MinMemoryNode).toBe("1G");
    expect(merge["CPUs/Task"]).toBe("1");
    const first = c.job(`${jid}_1`)!;
    expect(first.Command).toBe(realpathSync(script));
    expect(first.Partition).toBe("other");
    expect(first.Nice).toBe("7");

    const states = await waitEnded(c, [...tasks(jid, 3), mid], 90_000);
    const seconds = (Date.now() - t0) / 1000;
    expect(states).toEqual(Object.fromEntries([...tasks(jid, 3), mid].map((id) => [id, "COMPLETED"])));
    console.log(`SLURM: 21 points in 3 tasks, submission to merged sweep.csv in ${seconds.toFixed(1)} s`);
    expect(read(dir, "sweep.csv")).toBe(read(single, folder, "sweep.csv"));
    for (const f of readdirSync(join(single, folder, "curves"))) expect(read(dir, "curves", f), f).toBe(read(single, folder, "curves", f));
    // each task logged to the quoted --output path (a folder with a space), appending
    expect(read(dir, `slurm-${jid}_2.out`)).toMatch(/^lpe: shard 2\/3 on \S+ with 1 CPU\(s\)/);
    expect(read(dir, `slurm-merge-${mid}.out`)).toContain(`merged 3 shards into ${dir}/sweep.csv: 21 points`);
    const meta = JSON.parse(read(dir, "sweep.json"));
    expect(meta.shardTimings.map((t: { index: number }) => t.index)).toEqual([1, 2, 3]);
    expect(meta.elapsedSeconds).toBeCloseTo(meta.shardTimings.reduce((a: number, t: { elapsedSeconds: number }) => a + t.elapsedSeconds, 0), 9);
  }, 150_000);

  it("cancels the merge with a cancelled task; lpe saves and stops; the printed recovery steps finish the sweep", async () => {
    const c = slurm();
    if (!c) return;
    // long enough (a few seconds a shard) to cancel a task while it solves
    const scen = join(work, "long.json");
    const spec = JSON.parse(read(FIX, "monopoly-long.json"));
    delete spec.$schema;
    spec.name = "slurm-long";
    spec.sweep.params = { "technology.sigma": { linspace: [0.2, 0.6, 10000] }, "technology.aggregate.kappa": { values: [0.5, 1] } };
    writeFileSync(scen, JSON.stringify(spec));
    const single = join(work, "single-long");
    const t0 = Date.now();
    expect(lpe(c, ["sweep", scen, "--workers", "2", "--no-figures", "--out", single], work).status).toBe(0);
    const tReference = Date.now();

    const outB = join(work, "out 100%");
    const emit = lpe(c, ["sweep", scen, "--emit-slurm", "--shard", "2", "--out", outB], work);
    expect(emit.status, emit.stderr).toBe(0);
    const dir = join(outB, "slurm-long");
    const script = join(dir, "sweep.slurm");
    const sub = spawnSync("bash", [script], { cwd: work, env: c.env, encoding: "utf8", timeout: 60_000 });
    expect(sub.status, sub.stderr).toBe(0);
    const [, jid, mid] = /submitted array job (\d+) \(2 shards\) and its merge, job (\d+)/.exec(sub.stdout) ?? [];
    expect(sub.stdout).toContain("recover with: sbatch --array=I");

    // cancel task 2 once it has recorded points (lpe appends each batch to rows.part as it
    // arrives, after its signal handlers are in place)
    const rows = join(dir, "shard-2-of-2", "rows.part");
    const solving = () => existsSync(rows) && statSync(rows).size > 0 && !existsSync(join(dir, "shard-2-of-2", "sweep.json"));
    expect(await waitFor(solving, 60_000, 25), "task 2 never started recording points").toBe(true);
    const tCancel = Date.now();
    expect(c.run("scancel", [`${jid}_2`]).status).toBe(0);
    const states = await waitEnded(c, [...tasks(jid, 2), mid], 90_000);
    const tEnded = Date.now();
    expect(states).toEqual({ [`${jid}_1`]: "COMPLETED", [`${jid}_2`]: "CANCELLED", [mid]: "CANCELLED" });
    expect(c.job(mid)!.Reason).toBe("DependencyNeverSatisfied");
    // lpe received SIGTERM, saved and stopped with its task: no process of shard 2 is left
    const shard2 = (p: { argv: string[] }) => p.argv.includes("2/2") && p.argv.includes(outB);
    expect(await waitFor(() => !commandLines().some(shard2), 10_000)).toBe(true);
    const log2 = read(dir, `slurm-${jid}_2.out`);
    const [, saved, of] = /sweep interrupted with (\d+) of (\d+) points done/.exec(log2) ?? [];
    expect(log2).toContain("sweep interrupted");
    expect(Number(saved)).toBeGreaterThan(0);
    expect(Number(saved)).toBeLessThan(Number(of));
    expect(JSON.parse(read(dir, "shard-2-of-2", "manifest.json")).done).toBe(Number(saved));

    // the user tries to merge; lpe names the unfinished shard and prints the recovery steps
    const early = lpe(c, ["merge", dir], work);
    expect(early.status).toBe(2);
    expect(early.stderr).toContain(`shard 2/2 is not finished (${saved} of ${of} points done)`);
    const [, resubmit, mergeAgain] = /to finish them with SLURM: (.*), then (.*)$/m.exec(early.stderr) ?? [];
    expect(resubmit).toMatch(/^sbatch --array=2 /);
    expect(mergeAgain).toMatch(/^bash .* merge$/);
    // followed literally
    const tRecover = Date.now();
    const step1 = spawnSync("bash", ["-c", resubmit], { cwd: work, env: c.env, encoding: "utf8", timeout: 60_000 });
    expect(step1.status, step1.stderr).toBe(0);
    const [, rid] = /Submitted batch job (\d+)/.exec(step1.stdout) ?? [];
    const step2 = spawnSync("bash", ["-c", mergeAgain], { cwd: work, env: c.env, encoding: "utf8", timeout: 60_000 });
    expect(step2.status, step2.stderr).toBe(0);
    const [, mid2] = /submitted the merge as job (\d+)/.exec(step2.stdout) ?? [];
    const after = await waitEnded(c, [`${rid}_2`, mid2], 90_000);
    expect(after).toEqual({ [`${rid}_2`]: "COMPLETED", [mid2]: "COMPLETED" });
    expect(read(dir, `slurm-${rid}_2.out`)).toContain(`resuming: ${saved} of ${of} points already done`);
    expect(read(dir, "sweep.csv")).toBe(read(single, "slurm-long", "sweep.csv"));
    const m2 = c.job(mid2)!;
    const s = (a: number, b: number) => ((b - a) / 1000).toFixed(1);
    console.log(
      `SLURM: 20000 points: single run ${s(t0, tReference)} s; emit to cancel ${s(tReference, tCancel)} s; cancel to all ended ${s(tCancel, tEnded)} s; ` +
        `recovery steps to merged sweep.csv ${s(tRecover, Date.now())} s (merge job ${m2.RunTime}, requested ${m2.TimeLimit}, ${m2.MinMemoryNode})`,
    );
  }, 240_000);

  it("refuses, before submitting anything, tasks no node can run and an array beyond MaxArraySize", async () => {
    const c = slurm();
    if (!c) return;
    const before = jobCount(c);
    const out = join(work, "refused");
    const scen = join(FIX, "monopoly-2d.json");
    expect(lpe(c, ["sweep", scen, "--emit-slurm", "--shard", "3", "--cpus-per-task", "4", "--out", join(out, "cpus")], work).status).toBe(0);
    const cpus = spawnSync("bash", [join(out, "cpus", "monopoly-2d", "sweep.slurm")], { cwd: work, env: c.env, encoding: "utf8", timeout: 60_000 });
    expect(cpus.status).toBe(1);
    expect(cpus.stderr).toContain("each task asks for 4 CPUs");
    expect(cpus.stderr).toContain("the largest node of this cluster has 2");
    expect(lpe(c, ["sweep", scen, "--emit-slurm", "--shard", "12", "--out", join(out, "array")], work).status).toBe(0);
    const array = spawnSync("bash", [join(out, "array", "monopoly-2d", "sweep.slurm")], { cwd: work, env: c.env, encoding: "utf8", timeout: 60_000 });
    expect(array.status).toBe(1);
    expect(array.stderr).toContain("this cluster's MaxArraySize is 10 (array indices up to 9), too small for the 12 shards");
    expect(jobCount(c)).toBe(before);
  }, 120_000);
});
