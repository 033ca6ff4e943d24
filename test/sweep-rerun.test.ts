// A sweep run again into the folder of an earlier one: curves/ and figures/ then describe only
// the new sweep.csv (an earlier run's other outputs, and its figures under --no-figures, are
// removed; a scenario figure of `lpe solve` stays), for `lpe sweep` and `lpe merge` alike. And
// Ctrl-C while a sweep draws its figures stops the drawing (exit 130) with the numbers complete;
// --resume then draws the figures from the same points, writing the same sweep.csv bytes.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compiledLpe, type Run } from "./helpers/cli-in-process.js";

const ROOT = join(import.meta.dirname, "..");
const FIX = join(ROOT, "test", "fixtures", "sweeps");

let lpe: (...argv: string[]) => Promise<Run>;
const tmp = () => mkdtempSync(join(tmpdir(), "lpe-rerun-"));
const ls = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

beforeAll(async () => {
  lpe = await compiledLpe();
});

describe("a sweep rerun into the same folder", () => {
  it("leaves in curves/ and figures/ only the files of the new sweep.csv, and keeps a scenario figure", async () => {
    const out = tmp();
    const file = join(FIX, "monopoly-2d.json");
    const dir = join(out, "monopoly-2d");
    expect((await lpe("sweep", file, "--workers", "1", "--out", out)).code).toBe(0);
    const before = ls(join(dir, "figures"));
    expect(before.some((f) => f.startsWith("welfare-vs-"))).toBe(true);
    expect(ls(join(dir, "curves")).some((f) => f.startsWith("welfare-vs-"))).toBe(true);
    // a scenario figure of `lpe solve` and a calibration's figures in the same folder are not the sweep's
    const others = ["calibration-fit.svg", "profile-technology.sigma.pdf", "virtual-type.svg"];
    for (const f of others) writeFileSync(join(dir, "figures", f), "<svg/>");

    const again = await lpe("sweep", file, "--workers", "1", "--out", out, "--set", 'sweep.outputs=["profit"]', "--set", "name=monopoly-2d");
    expect(again.code).toBe(0);
    // the figures drawn are listed, as lpe solve lists its own
    expect(again.out).toContain(`figures: ${join(dir, "figures")}/{profit-vs-technology.sigma,profit-vs-technology.aggregate.kappa}.{svg,pdf,tex,csv,caption.txt}`);
    expect(readFileSync(join(dir, "sweep.csv"), "utf8").split("\n")[0]).toBe("point,technology.sigma,technology.aggregate.kappa,status,profit");
    const curves = ls(join(dir, "curves"));
    expect(curves).toEqual(["profit-vs-technology.aggregate.kappa.csv", "profit-vs-technology.sigma.csv"]);
    const figures = ls(join(dir, "figures"));
    expect(figures.filter((f) => !others.includes(f)).every((f) => f.startsWith("profit-vs-")), figures.join(", ")).toBe(true);
    expect(figures).toContain("profit-vs-technology.sigma.svg");
    for (const f of others) expect(figures).toContain(f);

    // --no-figures: the earlier sweep's figures go too (they showed its sweep.csv), with a note
    const bare = await lpe("sweep", file, "--workers", "1", "--out", out, "--no-figures", "--set", 'sweep.outputs=["welfare"]', "--set", "name=monopoly-2d");
    expect(bare.code).toBe(0);
    expect(bare.err).toMatch(/note: removed \d+ figure files of the earlier sweep in .*figures: they showed its sweep\.csv/);
    expect(ls(join(dir, "figures"))).toEqual(others);
    expect(ls(join(dir, "curves"))).toEqual(["welfare-vs-technology.aggregate.kappa.csv", "welfare-vs-technology.sigma.csv"]);
  });

  it("a sweep run with --no-figures gets its figures from --resume, drawn from sweep.csv without solving: the bytes of a run with figures", async () => {
    const file = join(FIX, "monopoly-2d.json");
    const bare = tmp();
    const dir = join(bare, "monopoly-2d");
    expect((await lpe("sweep", file, "--workers", "1", "--out", bare, "--no-figures")).code).toBe(0);
    expect(ls(join(dir, "figures"))).toEqual([]);
    const csv = readFileSync(join(dir, "sweep.csv"));
    const again = await lpe("sweep", file, "--workers", "1", "--out", bare, "--resume");
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^sweep already complete: .*\nfigures \(drawn from sweep\.csv, none were there\): /);
    expect(readFileSync(join(dir, "sweep.csv")).equals(csv)).toBe(true);
    const full = tmp();
    expect((await lpe("sweep", file, "--workers", "1", "--out", full)).code).toBe(0);
    const drawn = ls(join(dir, "figures"));
    expect(drawn).toEqual(ls(join(full, "monopoly-2d", "figures")));
    expect(drawn.length).toBeGreaterThan(0);
    for (const f of drawn) expect(readFileSync(join(dir, "figures", f)).equals(readFileSync(join(full, "monopoly-2d", "figures", f))), f).toBe(true);
    // asked again, with its figures there: nothing drawn, nothing said about figures
    const third = await lpe("sweep", file, "--workers", "1", "--out", bare, "--resume");
    expect(third.out).not.toMatch(/figures/);
  });

  it("a finished sweep asked again counts its rows, not sweep.json's numbers, and refuses a changed sweep.csv in a whole sweep's words, before saying anything", async () => {
    const file = join(FIX, "monopoly-2d.json");
    const out = tmp();
    const dir = join(out, "monopoly-2d");
    expect((await lpe("sweep", file, "--workers", "1", "--out", out, "--no-figures")).code).toBe(0);
    // sweep.json's counts edited: not believed (a reviewer's)
    const metaPath = join(dir, "sweep.json");
    const meta = JSON.parse(readFileSync(metaPath, "utf8"));
    writeFileSync(metaPath, JSON.stringify({ ...meta, failures: 3, uncertified: 3, largestOptimalityGap: { gap: 1e-12, point: 3 } }));
    const again = await lpe("sweep", file, "--workers", "1", "--out", out, "--no-figures", "--resume");
    expect(again.code).toBe(0);
    expect(again.out).toBe(`sweep already complete: ${join(dir, "sweep.csv")}, all certified optimal to 1e-9 of profit\n`);
    expect(again.err).not.toMatch(/NOT CERTIFIED/);
    // a number of sweep.csv changed: refused (exit 2), nothing said before, no shard in the words
    writeFileSync(metaPath, JSON.stringify(meta));
    const csv = readFileSync(join(dir, "sweep.csv"), "utf8").split("\n");
    csv[2] = csv[2].replace(/,ok,(\d)/, (_m, d) => `,ok,${(Number(d) + 1) % 10}`);
    writeFileSync(join(dir, "sweep.csv"), csv.join("\n"));
    const changed = await lpe("sweep", file, "--workers", "1", "--out", out, "--resume");
    expect(changed.code).toBe(2);
    expect(changed.out).toBe("");
    expect(changed.err).toMatch(/sweep\.csv: line 3 \(grid point 1\): not what the run wrote .*run the sweep again without --resume/);
    expect(changed.err).not.toMatch(/shard/);
    expect(ls(join(dir, "figures"))).toEqual([]);
  });

  it("lpe merge into a folder holding an earlier sweep removes that sweep's curves and figures", async () => {
    const out = tmp();
    const file = join(FIX, "monopoly-2d.json");
    const dir = join(out, "monopoly-2d");
    // an earlier whole run with three outputs, then shards of a one-output sweep of the same name
    expect((await lpe("sweep", file, "--workers", "1", "--out", out)).code).toBe(0);
    for (const i of [1, 2]) {
      const r = await lpe("sweep", file, "--workers", "1", "--out", out, "--shard", `${i}/2`, "--set", 'sweep.outputs=["thetaStar"]', "--set", "name=monopoly-2d");
      expect(r.code).toBe(0);
    }
    const merged = await lpe("merge", dir);
    expect(merged.code).toBe(0);
    expect(ls(join(dir, "curves"))).toEqual(["thetaStar-vs-technology.aggregate.kappa.csv", "thetaStar-vs-technology.sigma.csv"]);
    const figures = ls(join(dir, "figures"));
    expect(figures.length).toBeGreaterThan(0);
    expect(figures.every((f) => f.startsWith("thetaStar-vs-")), figures.join(", ")).toBe(true);
  });
});

describe("lpe merge keeps the scenario its shards ran", () => {
  it("records it in sweep.json (rerunnable), and draws the figures with its units and scales, as a single run does", async () => {
    // a reviewer's merge lost the scenario (the shard files' schema stripped it): the merged
    // sweep.json could not be rerun, and its figures lost "(USD)" and a log scale
    const raw = JSON.parse(readFileSync(join(FIX, "monopoly-2d.json"), "utf8"));
    raw.units = { currency: "USD", tokens: 1e6 };
    raw.figures = { scales: { profit: "log" } };
    const [a, b] = [tmp(), tmp()];
    const file = join(a, "units-2d.json");
    raw.name = "units-2d";
    writeFileSync(file, JSON.stringify(raw));
    expect((await lpe("sweep", file, "--workers", "1", "--out", a)).code).toBe(0);
    for (const shard of ["1/2", "2/2"]) expect((await lpe("sweep", file, "--workers", "1", "--out", b, "--shard", shard)).code).toBe(0);
    const merged = await lpe("merge", join(b, "units-2d"));
    expect(merged.code, merged.err).toBe(0);
    const single = JSON.parse(readFileSync(join(a, "units-2d", "sweep.json"), "utf8"));
    const joined = JSON.parse(readFileSync(join(b, "units-2d", "sweep.json"), "utf8"));
    expect(joined.scenario).toEqual(single.scenario);
    expect(joined.scenarioFile).toBe(single.scenarioFile);
    expect(readFileSync(join(b, "units-2d", "sweep.csv"), "utf8")).toBe(readFileSync(join(a, "units-2d", "sweep.csv"), "utf8"));
    const figures = ls(join(a, "units-2d", "figures")).filter((f) => f.endsWith(".tex") || f.endsWith(".svg"));
    expect(figures.length).toBeGreaterThan(0);
    expect(ls(join(b, "units-2d", "figures")).filter((f) => f.endsWith(".tex") || f.endsWith(".svg"))).toEqual(figures);
    for (const f of figures) expect(readFileSync(join(b, "units-2d", "figures", f), "utf8"), f).toBe(readFileSync(join(a, "units-2d", "figures", f), "utf8"));
    expect(readFileSync(join(b, "units-2d", "figures", "profit-vs-technology.sigma.tex"), "utf8")).toContain("ymode=log");
    // and the merged sweep.json runs again as a scenario
    const rerun = await lpe("sweep", join(b, "units-2d", "sweep.json"), "--workers", "1", "--out", tmp(), "--no-figures");
    expect(rerun.code, rerun.err).toBe(0);
  });
});

describe("more workers than cores", () => {
  it("runs, with a note saying what the extra threads cost, and the same bytes", async () => {
    const file = join(FIX, "monopoly-2d.json");
    const [a, b] = [tmp(), tmp()];
    const many = await lpe("sweep", file, "--workers", String(availableParallelism() + 1), "--out", a, "--no-figures");
    expect(many.code).toBe(0);
    expect(many.err).toContain(`lpe: note: --workers ${availableParallelism() + 1} is more than the ${availableParallelism()} core`);
    const one = await lpe("sweep", file, "--workers", "1", "--out", b, "--no-figures");
    expect(one.err).not.toMatch(/more than the/);
    expect(readFileSync(join(a, "monopoly-2d", "sweep.csv"), "utf8")).toBe(readFileSync(join(b, "monopoly-2d", "sweep.csv"), "utf8"));
  });
});

describe("--set of a swept path", () => {
  it("says that every point takes the axis' value instead (the rows are those of the base run)", async () => {
    const file = join(ROOT, "scenarios", "examples", "leader-fringe-sweep.json");
    const [a, b] = [tmp(), tmp()];
    const set = await lpe("sweep", file, "--out", a, "--no-figures", "--set", "market.fringe.cost=0.1");
    expect(set.code, set.err).toBe(0);
    expect(set.err).toContain(`lpe: note: --set market.fringe.cost=0.1 sets a swept path (sweep.params "market.fringe.cost"): every point takes the axis' value instead`);
    const base = await lpe("sweep", file, "--out", b, "--no-figures");
    expect(base.err).not.toMatch(/sets a swept path/);
    expect(readFileSync(join(a, "leader-fringe-sweep--market.fringe.cost-0.1", "sweep.csv"), "utf8")).toBe(readFileSync(join(b, "leader-fringe-sweep", "sweep.csv"), "utf8"));
  });
});

describe("the engine's build in the results", () => {
  it("is recorded in summary.json and sweep.json (dist/build-info.json's commit); a merge of shards from different builds says so", async () => {
    const info = JSON.parse(readFileSync(join(ROOT, "dist", "build-info.json"), "utf8")) as { commit: string | null; modified: boolean };
    const build = info.commit ? info.commit.slice(0, 12) + (info.modified ? "+modified" : "") : "unknown";
    const out = tmp();
    const solved = await lpe("solve", join(ROOT, "scenarios", "examples", "tutorial-monopoly.json"), "--out", out, "--no-figures");
    expect(solved.code, solved.err).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "tutorial-monopoly", "summary.json"), "utf8")).meta.engineBuild).toBe(build);
    const file = join(FIX, "monopoly-2d.json");
    for (const i of [1, 2]) expect((await lpe("sweep", file, "--out", out, "--no-figures", "--shard", `${i}/2`)).code).toBe(0);
    const shard2 = join(out, "monopoly-2d", "shard-2-of-2", "sweep.json");
    const meta = JSON.parse(readFileSync(shard2, "utf8"));
    expect(meta.engineBuild).toBe(build);
    // a shard computed by another build (as if the repository had moved on between the two)
    writeFileSync(shard2, JSON.stringify({ ...meta, engineBuild: "0123456789ab" }, null, 2) + "\n");
    const merged = await lpe("merge", join(out, "monopoly-2d"), "--out", join(out, "m"), "--no-figures");
    expect(merged.code, merged.err).toBe(0);
    expect(merged.err).toContain(`the shards were computed by different builds of lpe`);
    expect(JSON.parse(readFileSync(join(out, "m", "monopoly-2d", "sweep.json"), "utf8")).engineBuild).toBe(`${build}, 0123456789ab`);
    // a sweep resumed by another build than the one that started it says so
    const again = tmp();
    expect((await lpe("sweep", file, "--out", again, "--no-figures")).code).toBe(0);
    const manifest = join(again, "monopoly-2d", "manifest.json");
    const m = JSON.parse(readFileSync(manifest, "utf8"));
    expect(m.identity.engineBuild).toBe(build);
    writeFileSync(manifest, JSON.stringify({ ...m, identity: { ...m.identity, engineBuild: "0123456789ab" } }));
    const resumed = await lpe("sweep", file, "--out", again, "--no-figures", "--resume");
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.err).toContain(`lpe: note: resuming with another build of lpe`);
    expect(resumed.err).toContain(`than the one that started the sweep (commit 0123456789ab)`);
  });
});

describe("more shards than points", () => {
  it("says that some shards hold no points; the merge of all of them is the whole sweep", async () => {
    const file = join(FIX, "monopoly-2d.json");
    const out = tmp();
    const n = 40;
    let noted = 0;
    for (let i = 1; i <= n; i++) {
      const r = await lpe("sweep", file, "--out", out, "--no-figures", "--shard", `${i}/${n}`);
      expect(r.code, r.err).toBe(0);
      if (/fewer than the 40 shards, so (some shards hold|this shard holds) no points/.test(r.err)) noted++;
    }
    const whole = await lpe("sweep", file, "--out", tmp(), "--no-figures");
    const points = Number(/: (\d+) points?/.exec(whole.out)![1]);
    expect(points).toBeLessThan(n);
    expect(noted).toBe(n);
    const merged = await lpe("merge", join(out, "monopoly-2d"), "--out", join(out, "m"));
    expect(merged.code, merged.err).toBe(0);
    expect(merged.out).toContain(`${points} points`);
  });
});

describe("a shard whose sweep.json went missing", () => {
  it("is named as such by lpe merge, and --resume writes it again", async () => {
    const out = tmp();
    const file = join(FIX, "monopoly-2d.json");
    const dir = join(out, "monopoly-2d");
    for (const i of [1, 2]) expect((await lpe("sweep", file, "--workers", "1", "--out", out, "--shard", `${i}/2`, "--no-figures")).code).toBe(0);
    const shard1 = join(dir, "shard-1-of-2");
    const rows = readFileSync(join(shard1, "sweep.csv"), "utf8");
    rmSync(join(shard1, "sweep.json"));
    const early = await lpe("merge", dir, "--no-figures");
    expect(early.code).toBe(2);
    expect(early.err).toMatch(/shard 1\/2 is not finished \(all 10 points done, but no sweep\.json\)/);
    // --resume does not take the folder for complete: the shard is solved again, same bytes
    const again = await lpe("sweep", file, "--workers", "1", "--out", out, "--shard", "1/2", "--no-figures", "--resume");
    expect(again.code, again.err).toBe(0);
    expect(again.out).not.toMatch(/already complete/);
    expect(readFileSync(join(shard1, "sweep.csv"), "utf8")).toBe(rows);
    expect(existsSync(join(shard1, "sweep.json"))).toBe(true);
    expect((await lpe("merge", dir, "--no-figures")).code).toBe(0);
  });
});

describe("Ctrl-C while a sweep draws its figures", () => {
  it("stops the drawing with exit 130, keeps sweep.csv and sweep.json, and --resume draws the figures", async () => {
    const out = tmp();
    const dir = join(out, "lf-2d");
    // 3,381 points solve in well under a second; the heatmaps with contours take seconds
    const args = [
      "sweep",
      join(FIX, "lf-fringe-cost.json"),
      "--workers",
      "1",
      "--out",
      out,
      "--set",
      "name=lf-2d",
      "--set",
      'sweep.params={"market.fringe.cost":{"linspace":[0.05,0.29,49]},"market.leader.gamma":{"linspace":[0.05,0.45,69]}}',
    ];
    const child = spawn(process.execPath, [join(ROOT, "bin", "lpe.js"), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
    const csvPath = join(dir, "sweep.csv");
    const t0 = Date.now();
    // sweep.csv is published before the figures are awaited
    while (!existsSync(csvPath) && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGINT");
    const code = await exited;
    expect(code, err).toBe(130);
    expect(err).toMatch(/interrupted while drawing the figures: .*sweep\.csv and sweep\.json are complete \(3381 points, all certified optimal to 1e-9 of profit\), \d+ figures? drawn; draw them all with the same command and --resume/);
    const rows = readFileSync(csvPath, "utf8");
    expect(rows.trimEnd().split("\n").length).toBe(1 + 3381);
    expect(JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")).points).toBe(3381);
    expect(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")).complete).toBe(false);
    // no temporary file of the stopped drawing is left
    expect(ls(join(dir, "figures")).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    // a plain rerun is refused as for any unfinished sweep; --resume draws the figures
    const plain = await lpe(...args);
    expect(plain.code).toBe(2);
    expect(plain.err).toMatch(/holds a sweep interrupted after all its 3381 points were solved \(its figures or files were not all written\): add --resume/);
    const resumed = await lpe(...args, "--resume");
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.err).toMatch(/resuming: 3381 of 3381 points already done/);
    expect(readFileSync(csvPath, "utf8")).toBe(rows);
    const figures = ls(join(dir, "figures"));
    // (one map per output over both axes, c_F on x)
    for (const o of ["thetaLow", "thetaHigh", "profit", "fringeSpendShare"]) {
      expect(figures).toContain(`${o}-vs-market.fringe.cost.svg`);
      expect(figures).not.toContain(`${o}-vs-market.leader.gamma.svg`);
    }
    expect(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")).complete).toBe(true);
    expect(existsSync(join(dir, "rows.part"))).toBe(false);
  }, 120_000);
});
