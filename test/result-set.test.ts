// Result sets (issue 16, points 7 and 8): everything is validated before anything is written
// (figure selection included), and `solve` / `figures` publish their folder as a whole — built
// beside the target and swapped in — so a failed or killed run leaves the previous complete
// set byte for byte, other commands' files (a sweep's) survive, and leftovers of a killed run
// are finished or removed by the next run.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { solveCarry } from "../cli/commands/solve.js";
import { FIGURES } from "../figures/scenario-figures.js";
import { JOURNAL, isClean, publishResultSet, recoverResultSet } from "../engine/results/result-set.js";
import { FIGURE_NAMES, isScenarioFigureFile } from "../engine/scenario/figure-catalogue.js";
import { validateScenario } from "../engine/scenario/load.js";

const root = new URL("..", import.meta.url).pathname;
const tutorial = join(root, "scenarios/examples/tutorial-monopoly.json");
const lfSweep = join(root, "scenarios/examples/leader-fringe-sweep.json");
const lpe = (args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, "bin/lpe.js"), ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** Every file under dir with its bytes (hex), keyed by relative path, dot-files included. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p).toString("hex");
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** A pid that belonged to a process which has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

describe("validate everything before writing anything (point 7)", () => {
  it("solve --set figures.only=[\"nope\"] exits 2 and writes nothing; validate reports it with its path", () => {
    const out = join(mkdtempSync(join(tmpdir(), "lpe-only-")), "out");
    const r = lpe(["solve", tutorial, "--out", out, "--set", 'figures.only=["nope"]']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('figures.only[0]: "nope": no such figure');
    expect(existsSync(out)).toBe(false);
    // a typo gets the closest name, as the --only flag's does
    const typo = lpe(["validate", tutorial, "--set", 'figures.only=["qualty"]']);
    expect(typo.code).toBe(2);
    expect(typo.err).toContain('figures.only[0]: "qualty": no such figure (did you mean "quality"?)');
    const v = lpe(["validate", tutorial, "--set", 'figures.only=["quality","tiers-quality"]']);
    expect(v.code).toBe(2);
    expect(v.err).toContain('figures.only[1]: "tiers-quality": it is not drawn for a monopoly market');
    // figures of the market that the scenario's data cannot give are refused too (a reviewer's
    // calibration-targets without a calibrate block was dropped silently)
    const w = lpe(["validate", tutorial, "--set", 'figures.only=["calibration-targets","value-scale-types"]']);
    expect(w.code).toBe(2);
    expect(w.err).toContain('figures.only[0]: "calibration-targets" needs a calibrate block');
    expect(w.err).toContain('figures.only[1]: "value-scale-types" needs buyers given by value and scale');
  });

  it("lpe figures --only a figure this scenario's data do not call for says why nothing was drawn (not 'no figures for market kind monopoly')", () => {
    const out = mkdtempSync(join(tmpdir(), "lpe-only-why-"));
    const r = lpe(["figures", tutorial, "--only", "value-scale-types", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("tutorial-monopoly: none of the figures asked for is drawn for this scenario (value-scale-types needs buyers given by value and scale (buyers.valueScale))");
    expect(r.out).not.toContain("no figures for market kind");
  });

  it("σ = 5e-324 on a leader–fringe scenario: no internal error, and the summary never without its figures", () => {
    const out = join(mkdtempSync(join(tmpdir(), "lpe-tiny-")), "out");
    const r = lpe(["solve", lfSweep, "--out", out, "--set", "technology.sigma=5e-324", "--set", "name=leader-fringe-sweep"]);
    expect(r.err).not.toContain("internal error");
    expect([1, 2]).toContain(r.code);
    const dir = join(out, "leader-fringe-sweep");
    if (existsSync(join(dir, "summary.json"))) {
      for (const f of ["curves.csv", "figures/leader-quantity.svg", "figures/fringe-quantity.pdf", "figures/thresholds-cost.tex"]) expect(existsSync(join(dir, f)), f).toBe(true);
    } else expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it("the figure catalogue used by validation lists exactly the figures that can be drawn", () => {
    expect(Object.keys(FIGURES)).toEqual([...FIGURE_NAMES]);
    const s = JSON.parse(readFileSync(tutorial, "utf8"));
    s.figures = { only: ["quality", "regimes-profit"] };
    expect(validateScenario(s).problems.map((p) => p.path)).toEqual(["figures.only[1]"]);
  });

  it("figures.only: [] draws nothing and leaves no empty folder", () => {
    const out = mkdtempSync(join(tmpdir(), "lpe-only-empty-"));
    const s = JSON.parse(readFileSync(tutorial, "utf8"));
    s.figures = { only: [] };
    const f = join(out, "only-empty.json");
    writeFileSync(f, JSON.stringify(s));
    const r = lpe(["figures", f, "--out", join(out, "res")]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("tutorial-monopoly: figures.only is empty: no figures drawn");
    expect(existsSync(join(out, "res", "tutorial-monopoly"))).toBe(false);
  });

  it("figures.scales names swept paths and sweep outputs: a typo is a problem with its path and a did-you-mean", () => {
    const s = JSON.parse(readFileSync(lfSweep, "utf8"));
    s.figures = { scales: { profit: "log", "market.fringe.cost": "linear" } };
    expect(validateScenario(s).problems).toEqual([]);
    s.figures = { scales: { proft: "log", "market.fringe.cots": "linear" } };
    const problems = validateScenario(s).problems;
    expect(problems.map((p) => p.path)).toEqual(["figures.scales.proft", 'figures.scales["market.fringe.cots"]']);
    expect(problems[0].message).toMatch(/"proft" is neither a swept path nor a sweep output \(did you mean "profit"\?\)/);
    expect(problems[1].message).toMatch(/did you mean "market\.fringe\.cost"\?/);
    // without a sweep block there is nothing for scales to set
    const t = JSON.parse(readFileSync(tutorial, "utf8"));
    t.figures = { scales: { profit: "log" } };
    expect(validateScenario(t).problems.map((p) => p.message)).toEqual(["scales apply to a sweep's figures (its swept paths and outputs), and this scenario has no sweep block"]);
  });
});

describe("publishResultSet (point 8)", () => {
  const setUp = () => {
    const parent = mkdtempSync(join(tmpdir(), "lpe-set-"));
    const target = join(parent, "scen");
    mkdirSync(join(target, "figures"), { recursive: true });
    writeFileSync(join(target, "summary.json"), "old summary\n");
    writeFileSync(join(target, "curves.csv"), "old curves\n");
    writeFileSync(join(target, "figures", "quality.svg"), "old quality\n");
    writeFileSync(join(target, "figures", "virtual-type.svg"), "old virtual type\n");
    writeFileSync(join(target, "figures", "profit-vs-market.fringe.cost.svg"), "sweep figure\n");
    writeFileSync(join(target, "sweep.csv"), "sweep rows\n");
    mkdirSync(join(target, "shard-1-of-2"));
    writeFileSync(join(target, "shard-1-of-2", "sweep.csv"), "shard rows\n");
    return { parent, target };
  };
  const buildNew = (dir: string) => {
    writeFileSync(join(dir, "summary.json"), "new summary\n");
    writeFileSync(join(dir, "curves.csv"), "new curves\n");
    mkdirSync(join(dir, "figures"));
    writeFileSync(join(dir, "figures", "quality.svg"), "new quality\n");
  };

  it("a build that fails midway leaves the previous set byte-identical and no temporary folder", async () => {
    const { parent, target } = setUp();
    const before = snapshot(parent);
    await expect(
      publishResultSet(
        target,
        (dir) => {
          writeFileSync(join(dir, "summary.json"), "new summary\n");
          throw new Error("figure step failed");
        },
        solveCarry,
      ),
    ).rejects.toThrow("figure step failed");
    expect(snapshot(parent)).toEqual(before);
    expect(isClean(target)).toBe(true);
  });

  it("a published set replaces the solve's files as a whole and keeps the sweep's", async () => {
    const { parent, target } = setUp();
    await publishResultSet(target, buildNew, solveCarry);
    expect(snapshot(target)).toEqual(
      snapshot(
        (() => {
          const want = join(parent, "want");
          buildNew((mkdirSync(want), want));
          writeFileSync(join(want, "figures", "profit-vs-market.fringe.cost.svg"), "sweep figure\n");
          writeFileSync(join(want, "sweep.csv"), "sweep rows\n");
          mkdirSync(join(want, "shard-1-of-2"));
          writeFileSync(join(want, "shard-1-of-2", "sweep.csv"), "shard rows\n");
          return want;
        })(),
      ),
    );
    // the stale virtual-type figure went with the old set
    expect(existsSync(join(target, "figures", "virtual-type.svg"))).toBe(false);
    expect(readdirSync(parent).sort()).toEqual(["scen", "want"]);
  });

  it("recovers every state a killed run can leave", async () => {
    const pid = deadPid();
    // killed while building: the temporary folder goes, the set stays
    {
      const { parent, target } = setUp();
      const before = snapshot(target);
      mkdirSync(join(parent, `.scen.lpe-new-${pid}-0`));
      writeFileSync(join(parent, `.scen.lpe-new-${pid}-0`, "summary.json"), "partial");
      recoverResultSet(target);
      expect(readdirSync(parent)).toEqual(["scen"]);
      expect(snapshot(target)).toEqual(before);
    }
    // killed after moving the old set aside: the old set comes back
    {
      const { parent, target } = setUp();
      const before = snapshot(target);
      const aside = join(parent, `.scen.lpe-old-${pid}-1`);
      const staging = join(parent, `.scen.lpe-new-${pid}-0`);
      mkdirSync(staging);
      buildNew(staging);
      spawnSync("mv", [target, aside]);
      recoverResultSet(target);
      expect(readdirSync(parent)).toEqual(["scen"]);
      expect(snapshot(target)).toEqual(before);
    }
    // killed after the swap, before the sweep's files were carried: they are carried now
    {
      const { parent, target } = setUp();
      const aside = join(parent, `.scen.lpe-old-${pid}-1`);
      spawnSync("mv", [target, aside]);
      mkdirSync(target);
      buildNew(target);
      writeFileSync(join(target, JOURNAL), JSON.stringify({ aside: `.scen.lpe-old-${pid}-1`, entries: ["figures/profit-vs-market.fringe.cost.svg", "shard-1-of-2", "sweep.csv"] }));
      recoverResultSet(target);
      expect(readdirSync(parent)).toEqual(["scen"]);
      expect(readFileSync(join(target, "summary.json"), "utf8")).toBe("new summary\n");
      expect(readFileSync(join(target, "sweep.csv"), "utf8")).toBe("sweep rows\n");
      expect(readFileSync(join(target, "shard-1-of-2", "sweep.csv"), "utf8")).toBe("shard rows\n");
      expect(existsSync(join(target, "figures", "virtual-type.svg"))).toBe(false);
      expect(existsSync(join(target, JOURNAL))).toBe(false);
    }
    // a live process's temporary folder is not touched
    {
      const { parent, target } = setUp();
      mkdirSync(join(parent, `.scen.lpe-new-${process.ppid}-0`));
      recoverResultSet(target);
      expect(existsSync(join(parent, `.scen.lpe-new-${process.ppid}-0`))).toBe(true);
    }
  });

  it("a target that is a symbolic link is published where it points; the link stays", async () => {
    const { parent, target } = setUp();
    const link = join(parent, "link");
    symlinkSync(target, link);
    await publishResultSet(link, buildNew, solveCarry);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(link, "summary.json"), "utf8")).toBe("new summary\n");
    expect(readFileSync(join(link, "sweep.csv"), "utf8")).toBe("sweep rows\n");
    expect(readdirSync(parent).sort()).toEqual(["link", "scen"]);
  });

  it("the solve set's carry rule: the sweep's files and figures are kept, scenario figures are the set's", () => {
    expect(solveCarry("sweep.csv")).toBe(true);
    expect(solveCarry("manifest.json")).toBe(true);
    expect(solveCarry("summary.json")).toBe(false);
    expect(solveCarry(".summary.json.123.0.tmp")).toBe(false);
    expect(solveCarry("figures")).toBe("split");
    expect(solveCarry("figures/profit-vs-market.fringe.cost.svg")).toBe(true);
    expect(solveCarry("figures/quality.caption.txt")).toBe(false);
    expect(isScenarioFigureFile("regimes-fringe-share.pdf")).toBe(true);
    expect(isScenarioFigureFile("quality-vs-sigma.svg")).toBe(false);
  });
});

describe("lpe solve and lpe figures publish whole sets (point 8)", () => {
  it("solve killed after writing the new summary leaves the previous set byte-identical; the next run cleans up", { timeout: 120_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), "lpe-kill-"));
    expect(lpe(["solve", tutorial, "--out", out, "--set", "technology.sigma=0.4", "--set", "name=tutorial-monopoly"]).code).toBe(0);
    writeFileSync(join(out, "tutorial-monopoly", "sweep.csv"), "a sweep's rows\n");
    const before = snapshot(out);
    const child = spawn(process.execPath, [join(root, "bin/lpe.js"), "solve", tutorial, "--out", out], { stdio: "ignore" });
    const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
    let killed = false;
    for (let i = 0; i < 3000 && child.exitCode === null; i++) {
      const staging = readdirSync(out).find((n) => n.startsWith(".tutorial-monopoly.lpe-new-"));
      if (staging && existsSync(join(out, staging, "summary.json"))) {
        child.kill("SIGKILL");
        killed = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await exited;
    expect(killed, "the run finished before it could be killed").toBe(true);
    const after = snapshot(out);
    for (const k of Object.keys(after)) if (k.startsWith(".tutorial-monopoly.lpe-new-")) delete after[k];
    expect(after).toEqual(before);
    // the next run publishes a complete σ = 0.5 set, keeps the sweep's file, and leaves nothing behind
    expect(lpe(["solve", tutorial, "--out", out]).code).toBe(0);
    expect(readdirSync(out)).toEqual(["tutorial-monopoly"]);
    const dir = join(out, "tutorial-monopoly");
    expect(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")).scalars.eta).toBeCloseTo(0.8, 12);
    expect(readFileSync(join(dir, "figures", "quality.caption.txt"), "utf8")).toContain("σ = 0.5,");
    expect(readFileSync(join(dir, "sweep.csv"), "utf8")).toBe("a sweep's rows\n");
  });

  it("solve --no-figures publishes a set without the old figures (no σ = 0.4 figures beside a σ = 0.5 summary)", () => {
    const out = mkdtempSync(join(tmpdir(), "lpe-nofig-"));
    expect(lpe(["solve", tutorial, "--out", out, "--set", "technology.sigma=0.4", "--set", "name=tutorial-monopoly"]).code).toBe(0);
    expect(lpe(["solve", tutorial, "--out", out, "--no-figures"]).code).toBe(0);
    expect(readdirSync(join(out, "tutorial-monopoly")).sort()).toEqual(["curves.csv", "summary.json"]);
  });

  it("figures --only redraws one figure as a set and keeps the others", () => {
    const out = mkdtempSync(join(tmpdir(), "lpe-figset-"));
    expect(lpe(["solve", tutorial, "--out", out, "--set", "technology.sigma=0.4", "--set", "name=tutorial-monopoly"]).code).toBe(0);
    const figs = join(out, "tutorial-monopoly", "figures");
    const transfers = readFileSync(join(figs, "transfers.svg"));
    const mtime = statSync(join(figs, "transfers.svg")).mtimeMs;
    const r = lpe(["figures", tutorial, "--only", "quality", "--out", out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`quality: ${join(figs, "quality")}.{svg,pdf,tex,csv,caption.txt}`);
    expect(readFileSync(join(figs, "quality.caption.txt"), "utf8")).toContain("σ = 0.5,");
    expect(readFileSync(join(figs, "transfers.svg"))).toEqual(transfers);
    expect(statSync(join(figs, "transfers.svg")).mtimeMs).toBe(mtime);
    expect(readdirSync(join(out, "tutorial-monopoly")).filter((n) => n.startsWith("."))).toEqual([]);
    rmSync(out, { recursive: true, force: true });
  });
});
