// Acceptance tests of `lpe sweep` / `lpe merge` (issue 4): the same sweep.csv bytes for 1 and
// 2 workers and any batch size, after a SIGKILL and --resume, and from merging 3 shards; a
// point outside the model's domain fails alone; resuming a changed scenario is refused; bad
// input fails before anything is written.
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compiledLpe, type Run } from "./helpers/cli-in-process.js";

const ROOT = join(import.meta.dirname, "..");
const FIX = join(ROOT, "test", "fixtures", "sweeps");


// The compiled CLI (rebuilt in beforeAll), so the in-process path and the pool's worker threads
// run the same JavaScript.
let lpe: (...argv: string[]) => Promise<Run>;

const tmp = () => mkdtempSync(join(tmpdir(), "lpe-sweep-"));
const csv = (dir: string, name: string) => readFileSync(join(dir, name, "sweep.csv"), "utf8");

beforeAll(async () => {
  lpe = await compiledLpe({ rebuild: true });
  // these sweeps are far too short to be worth a worker thread (sweep-runner.ts POOL_MIN_SECONDS):
  // with 0, `--workers 2` uses its thread from the first batch, so the pool's path is what is tested
  process.env.LPE_POOL_MIN_SECONDS = "0";
  return () => {
    delete process.env.LPE_POOL_MIN_SECONDS;
  };
});

const share = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, name, "sweep.json"), "utf8")).phases.mainThreadShare as number;

describe("lpe sweep", () => {
  it("writes the same sweep.csv bytes for 1 and 2 workers and any batch size", async () => {
    const file = join(FIX, "monopoly-2d.json");
    const dirs = [tmp(), tmp(), tmp()];
    expect((await lpe("sweep", file, "--workers", "1", "--out", dirs[0])).code).toBe(0);
    expect((await lpe("sweep", file, "--workers", "2", "--out", dirs[1])).code).toBe(0);
    expect((await lpe("sweep", file, "--workers", "2", "--batch-size", "4", "--out", dirs[2])).code).toBe(0);
    // the pool thread solved some of the points (the batch of 4: most of them)
    expect(share(dirs[2], "monopoly-2d")).toBeLessThan(1);
    const one = csv(dirs[0], "monopoly-2d");
    const lines = one.trimEnd().split("\n");
    expect(lines[0]).toBe("point,technology.sigma,technology.aggregate.kappa,status,profit,thetaStar,welfare");
    expect(lines.length).toBe(1 + 7 * 3);
    // grid order: kappa (written last) fastest
    expect(lines.slice(1, 5).map((l) => l.split(",").slice(0, 3).join(","))).toEqual(["0,0.3,0.5", "1,0.3,1", "2,0.3,2", "3,0.35,0.5"]);
    expect(lines.slice(1).every((l, i) => l.split(",")[0] === String(i) && l.split(",")[3] === "ok")).toBe(true);
    expect(csv(dirs[1], "monopoly-2d")).toBe(one);
    expect(csv(dirs[2], "monopoly-2d")).toBe(one);
    const meta = JSON.parse(readFileSync(join(dirs[1], "monopoly-2d", "sweep.json"), "utf8"));
    expect(meta).toMatchObject({ points: 21, failures: 0, workers: 2, seed: 1, grid: { size: 21 } });
    expect(meta.scenarioSha256).toMatch(/^[0-9a-f]{64}$/);
    // per-parameter curves: one line per value of the other parameter
    const c = readFileSync(join(dirs[0], "monopoly-2d", "curves", "profit-vs-technology.sigma.csv"), "utf8").trimEnd().split("\n");
    expect(c[0]).toBe("technology.aggregate.kappa,technology.sigma,profit");
    expect(c.length).toBe(1 + 21);
    expect(c[1].startsWith("0.5,0.3,")).toBe(true);
    expect(c[8].startsWith("1,0.3,")).toBe(true);
    // and a figure of it through the figure layer
    const svg = readFileSync(join(dirs[0], "monopoly-2d", "figures", "profit-vs-technology.sigma.svg"), "utf8");
    expect(svg).toMatch(/^<svg|<\?xml/);
    expect(existsSync(join(dirs[0], "monopoly-2d", "figures", "profit-vs-technology.sigma.pdf"))).toBe(true);
  });

  it("gives identical leader–fringe sweeps and per-point curves for 1 and 2 workers", async () => {
    const a = tmp();
    const b = tmp();
    for (const f of ["lf-fringe-cost.json", "lf-curves.json"]) {
      expect((await lpe("sweep", join(FIX, f), "--workers", "1", "--out", a)).code).toBe(0);
      expect((await lpe("sweep", join(FIX, f), "--workers", "2", "--batch-size", "3", "--out", b)).code).toBe(0);
    }
    const one = csv(a, "lf-fringe-cost");
    expect(csv(b, "lf-fringe-cost")).toBe(one);
    const rows = one.trimEnd().split("\n");
    expect(rows.length).toBe(2001);
    expect(rows[1]).toMatch(/^0,0\.05,ok,/);
    expect(rows[2000]).toMatch(/^1999,0\.29,ok,/);
    // c_F = 0.2 is not on this grid; the P2 point is checked by the curves fixture below
    const curves = readFileSync(join(a, "lf-curves", "sweep-curves.csv"), "utf8");
    expect(readFileSync(join(b, "lf-curves", "sweep-curves.csv"), "utf8")).toBe(curves);
    const lines = curves.trimEnd().split("\n");
    expect(lines[0]).toBe("point,theta,qL,qF,t");
    expect(lines.length).toBe(1 + 3 * 11);
    expect(lines.slice(1).map((l) => Number(l.split(",")[0]))).toEqual([...Array(33).keys()].map((i) => Math.floor(i / 11)));
    // P2 (c_F = 0.2, point 1): θ = 0.3 buys only from the fringe, qF = T(θ) = (θσ/c_F)^2 = 0.5625
    // (θ = 0.3 itself: the reported types are the decimals meant, engine/grid.ts reportedTypes;
    // until 7 Dec 2026 this row read 0.30000000000000004)
    const at = lines.find((l) => l.startsWith("1,0.3,"))!.split(",");
    // every θ of the 11-type grid on [0, 1] is its one-decimal value
    expect(lines.slice(1, 12).map((l) => l.split(",")[1])).toEqual(["0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"]);
    expect(Number(at[2])).toBe(0);
    expect(Number(at[3])).toBeCloseTo(0.5625, 12);
    expect(csv(a, "lf-curves")).toMatch(/^point,market\.fringe\.cost,status,profit\n0,0\.1,ok,[\d.]+\n1,0\.2,ok,0\.6556101254/);
  });

  it("reports a negative fringe cost in that point's status and completes every other point", async () => {
    const out = tmp();
    const r = await lpe("sweep", join(FIX, "lf-invalid-cost.json"), "--workers", "2", "--out", out);
    // every row written, but a point failed: exit status 4
    expect(r.code).toBe(4);
    expect(r.out).toMatch(/3 points, 1 failed/);
    const rows = csv(out, "lf-invalid-cost").trimEnd().split("\n");
    expect(rows[2]).toBe('1,-0.1,"bad input: market.fringe.cost: the aggregate cost scale c_ℓ must be > 0, got -0.1",,');
    expect(rows[1]).toMatch(/^0,0\.1,ok,0\.8\d+,0\.48\d+$/);
    expect(rows[3]).toMatch(/^2,0\.2,ok,0\.68682854553199\d*,0\.65561012544172\d*$/);
    // and so does asking again for the finished sweep
    expect((await lpe("sweep", join(FIX, "lf-invalid-cost.json"), "--workers", "1", "--out", out, "--resume")).code).toBe(4);
    const meta = JSON.parse(readFileSync(join(out, "lf-invalid-cost", "sweep.json"), "utf8"));
    expect([meta.failures, meta.failed, meta.uncertified]).toEqual([1, 1, 0]);
  });

  it("reports a point outside the model's domain in its status and completes every other point", async () => {
    const out = tmp();
    const r = await lpe("sweep", join(FIX, "monopoly-kappa-invalid.json"), "--workers", "2", "--out", out);
    expect(r.code).toBe(4);
    expect(r.out).toMatch(/3 points, 1 failed/);
    const rows = csv(out, "monopoly-kappa-invalid").trimEnd().split("\n");
    expect(rows[2]).toMatch(/^1,-1,"bad input: technology\.aggregate\.kappa: the cost scale kappa must be > 0, got -1",,$/);
    for (const i of [1, 3]) {
      const cells = rows[i].split(",");
      expect(cells[0]).toBe(String(i - 1));
      expect(cells[2]).toBe("ok");
      expect(Number(cells[3])).toBeGreaterThan(0);
      expect(Number(cells[4])).toBe(0.5);
    }
  });

  it("fails on bad input before anything is written", async () => {
    const out = tmp();
    const scen = JSON.parse(readFileSync(join(FIX, "monopoly-2d.json"), "utf8"));
    scen.sweep.outputs = ["profit", "proift"];
    const file = join(out, "bad.json");
    writeFileSync(file, JSON.stringify(scen));
    const r = await lpe("sweep", file, "--out", join(out, "results"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/sweep\.outputs\[1\]: unknown output "proift" \(did you mean "profit"\?\); the monopoly market has: .*thetaStar/);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(join(out, "results"))).toBe(false);
    expect((await lpe("sweep", file, "--workers", "0", "--out", join(out, "results"))).err).toMatch(/--workers: expected a whole number ≥ 1, got 0/);
    expect((await lpe("sweep", file, "--workers", "abc", "--out", join(out, "results"))).err).toMatch(/--workers: expected a whole number ≥ 1, got text that is not a number/);
    expect(existsSync(join(out, "results"))).toBe(false);
  });

  it("survives SIGKILL: --resume gives the bytes of an uninterrupted run", async () => {
    const file = join(FIX, "monopoly-long.json");
    const ref = tmp();
    const killed = tmp();
    const dir = join(killed, "monopoly-long");
    const child = spawn(process.execPath, [join(ROOT, "bin", "lpe.js"), "sweep", file, "--workers", "1", "--out", killed], { stdio: "ignore" });
    const exited = new Promise<void>((res) => child.on("exit", () => res()));
    const part = join(dir, "rows.part");
    const t0 = Date.now();
    while (!(existsSync(part) && statSync(part).size > 4000) && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGKILL");
    await exited;
    expect(existsSync(join(dir, "sweep.csv")), "the sweep finished before it could be killed").toBe(false);
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    expect(manifest.complete).toBe(false);
    // as if killed in the middle of writing a record
    appendFileSync(part, "11999,0.01");

    expect((await lpe("sweep", file, "--workers", "1", "--out", ref)).code).toBe(0);
    const resumed = await lpe("sweep", file, "--workers", "2", "--out", killed, "--resume");
    expect(resumed.code).toBe(0);
    expect(resumed.err).toMatch(/resuming: \d+ of 12000 points already done/);
    expect(resumed.err).toMatch(/partial last record/);
    expect(csv(killed, "monopoly-long")).toBe(csv(ref, "monopoly-long"));
    expect(existsSync(part)).toBe(false);
  }, 60_000);

  it("refuses to resume when the scenario has changed", async () => {
    const out = tmp();
    const file = join(out, "s.json");
    cpSync(join(FIX, "monopoly-2d.json"), file);
    expect((await lpe("sweep", file, "--workers", "1", "--out", out, "--shard", "1/2")).code).toBe(0);
    // an unfinished run: the manifest of a shard made incomplete by hand is enough to test the check
    const dir = join(out, "monopoly-2d", "shard-1-of-2");
    const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ ...m, complete: false }));
    const before = readFileSync(join(dir, "sweep.csv"), "utf8");
    // the file edited in place (overrides on the command line would name another folder)
    const edited = JSON.parse(readFileSync(file, "utf8"));
    edited.technology.aggregate.gamma = 0.25;
    writeFileSync(file, JSON.stringify(edited));
    const r = await lpe("sweep", file, "--out", out, "--shard", "1/2", "--resume");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot resume the sweep in .*shard-1-of-2: the scenario has changed since the sweep started \(sha256 [0-9a-f]{12}… then, [0-9a-f]{12}… now\)/);
    // and where (a reviewer's: the hashes alone did not say), from the scenario its sweep.json records
    const recorded = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")).scenario.technology.aggregate.gamma;
    expect(r.err).toContain(`(first at technology.aggregate.gamma: ${JSON.stringify(recorded)} then, 0.25 now)`);
    expect(readFileSync(join(dir, "sweep.csv"), "utf8")).toBe(before);
  });

  it("merges 3 shards into the bytes of a single run, and refuses an incomplete set", async () => {
    const file = join(FIX, "monopoly-2d.json");
    const single = tmp();
    const sharded = tmp();
    expect((await lpe("sweep", file, "--workers", "1", "--out", single)).code).toBe(0);
    for (const i of [1, 2]) expect((await lpe("sweep", file, "--workers", "1", "--out", sharded, "--shard", `${i}/3`)).code).toBe(0);
    const parent = join(sharded, "monopoly-2d");
    const early = await lpe("merge", parent);
    expect(early.code).toBe(2);
    expect(early.err).toMatch(/missing shard 3\/3/);
    expect(existsSync(join(parent, "sweep.csv"))).toBe(false);
    expect((await lpe("sweep", file, "--workers", "2", "--out", sharded, "--shard", "3/3")).code).toBe(0);
    const merged = await lpe("merge", parent);
    expect(merged.code).toBe(0);
    expect(csv(sharded, "monopoly-2d")).toBe(csv(single, "monopoly-2d"));
    expect(readFileSync(join(parent, "curves", "welfare-vs-technology.aggregate.kappa.csv"), "utf8")).toBe(
      readFileSync(join(single, "monopoly-2d", "curves", "welfare-vs-technology.aggregate.kappa.csv"), "utf8"),
    );
    // a shard of another sweep (changed scenario) is refused
    const other = tmp();
    expect((await lpe("sweep", file, "--workers", "1", "--out", other, "--shard", "2/3", "--set", "technology.aggregate.gamma=0.25")).code).toBe(0);
    const mixed = await lpe("merge", join(parent, "shard-1-of-3"), join(other, "monopoly-2d--technology.aggregate.gamma-0.25", "shard-2-of-3"), join(parent, "shard-3-of-3"), "--out", tmp());
    expect(mixed.code).toBe(2);
    expect(mixed.err).toMatch(/shard-2-of-3 does not belong to the same sweep: scenario sha256 [0-9a-f]{12}… differs/);
    // and where: the first field that differs, past the name (which carries the overrides)
    expect(mixed.err).toMatch(/\(first at technology\.aggregate\.gamma: 0\.25 here, [0-9.]+ there\)/);
    // naming the shard folders themselves works too
    const again = tmp();
    const dirs = readdirSync(parent).filter((d) => d.startsWith("shard-")).map((d) => join(parent, d));
    expect((await lpe("merge", ...dirs, "--out", again)).code).toBe(0);
    expect(csv(again, "monopoly-2d")).toBe(csv(single, "monopoly-2d"));
    // re-sharded in place (a shard of 2 beside the 3): refused, and the message says how to merge one set (a reviewer's)
    expect((await lpe("sweep", file, "--workers", "1", "--out", sharded, "--shard", "1/2")).code).toBe(0);
    const both = await lpe("merge", parent, "--out", tmp());
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/does not belong to the same sweep: it is one of [23] shards, .* one of [23]; to merge one set, name its shard folders \(lpe merge .*shard-1-of-[23] … .*shard-([23])-of-\1\)/);
  });

  it("writes a SLURM job-array script with a dependent merge", async () => {
    const out = tmp();
    const r = await lpe("sweep", join(FIX, "monopoly-2d.json"), "--emit-slurm", "--shard", "4", "--workers", "8", "--out", out);
    expect(r.code).toBe(0);
    const path = join(out, "monopoly-2d", "sweep.slurm");
    const text = readFileSync(path, "utf8");
    expect(text).toMatch(/^#SBATCH --array=1-4$/m);
    expect(text).toMatch(/^#SBATCH --cpus-per-task=8$/m);
    expect(text).toContain('--shard "$SLURM_ARRAY_TASK_ID/4" --workers "${SLURM_CPUS_PER_TASK:-1}" --resume');
    expect(text).toMatch(/sbatch .*--dependency=afterok:"\$jid" --kill-on-invalid-dep=yes/);
    expect(text).toContain(`exec node ${join(ROOT, "bin", "lpe.js")} merge ${join(out, "monopoly-2d")}`);
    execFileSync("bash", ["-n", path]);
    expect(r.out).toContain(`bash ${path}`);
    expect(existsSync(join(out, "monopoly-2d", "sweep.csv"))).toBe(false);
  });
});

describe("a second worker only when the sweep is worth it", () => {
  it("a sweep of a few ms keeps to the main thread (same bytes); LPE_POOL_MIN_SECONDS=0 uses the pool at once", async () => {
    const file = join(FIX, "monopoly-2d.json");
    const [a, b] = [tmp(), tmp()];
    process.env.LPE_POOL_MIN_SECONDS = "";
    try {
      expect((await lpe("sweep", file, "--workers", "2", "--batch-size", "2", "--no-figures", "--out", a)).code).toBe(0);
    } finally {
      process.env.LPE_POOL_MIN_SECONDS = "0";
    }
    expect(share(a, "monopoly-2d")).toBe(1);
    expect((await lpe("sweep", file, "--workers", "2", "--batch-size", "2", "--no-figures", "--out", b)).code).toBe(0);
    expect(share(b, "monopoly-2d")).toBeLessThan(1);
    expect(csv(a, "monopoly-2d")).toBe(csv(b, "monopoly-2d"));
    process.env.LPE_POOL_MIN_SECONDS = "soon";
    try {
      const r = await lpe("sweep", file, "--workers", "2", "--no-figures", "--out", tmp());
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/LPE_POOL_MIN_SECONDS: expected a number of seconds ≥ 0, got "soon"/);
    } finally {
      process.env.LPE_POOL_MIN_SECONDS = "0";
    }
  });
});
