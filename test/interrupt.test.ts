// Ctrl-C during `lpe figures`, `lpe solve` and `lpe calibrate`: one line saying what the run kept, exit 130
// (a reviewer's run died silently). `lpe sweep`'s own interrupt and resume are tested in
// sweep-rerun.test.ts and sweep-integrity.test.ts.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");

function run(args: string[], interruptWhen: (out: string) => boolean): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "lpe.js"), ...args], { cwd: ROOT });
    let out = "";
    let err = "";
    let sent = false;
    child.stdout.on("data", (d) => {
      out += d;
      if (!sent && interruptWhen(out)) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

describe("an interrupted lpe figures", () => {
  it("says how many scenarios' figures were written and that the current folder keeps its earlier set; exit 130", async () => {
    const out = mkdtempSync(join(tmpdir(), "lpe-interrupt-"));
    const papers = ["optimal-menu", "thresholds", "fringe-quantity"].map((n) => `scenarios/papers/bergemann-bonatti-smolin-2025/${n}.json`);
    // interrupted once the first scenario's figures are listed (the handler is in place then)
    const r = await run(["figures", ...papers, "--out", out, "--workers", "1"], (o) => o.includes("figures/"));
    expect(r.code, r.err).toBe(130);
    const lines = r.err.trim().split("\n");
    expect(lines[lines.length - 1]).toMatch(/^lpe: interrupted \(SIGINT\): the figures of [1-3] of 3 scenarios were written(; .* keeps its earlier figures \(a folder's figures are replaced as one set\))?$/);
  }, 60_000);
});

describe("an interrupted lpe solve", () => {
  it("a Ctrl-C during a long solve itself (a 500-type LP of about 4 s) stops it at once, nothing published", async () => {
    const out = mkdtempSync(join(tmpdir(), "lpe-interrupt-solve-"));
    const file = join(ROOT, "test", "fixtures", "scenarios", "lf-bimodal-500.json");
    const r = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string; afterSignal: number }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, "bin", "lpe.js"), "solve", file, "--out", out, "--no-figures"], { cwd: ROOT });
      let err = "";
      let sentAt = 0;
      child.stderr.on("data", (d) => (err += d));
      // 1.2 s in: the solve (HiGHS loaded, the LP running) takes seconds more
      const timer = setTimeout(() => {
        sentAt = Date.now();
        child.kill("SIGINT");
      }, 1200);
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, err, afterSignal: Date.now() - sentAt });
      });
    });
    // It said beforehand that Ctrl-C stops it at once, and it did: the signal's own default (a
    // handler would run only after the synchronous solve: a reviewer's SIGTERM waited minutes;
    // before 6 Dec 2026 the run even went on to publish its files and exit 0).
    expect(r.err).toMatch(/lpe: note: this solve takes about \d+ s; Ctrl-C stops it at once \(nothing is written until it ends\)/);
    expect(r.signal === "SIGINT" || r.code === 130, `code ${r.code}, signal ${r.signal}: ${r.err}`).toBe(true);
    expect(r.afterSignal).toBeLessThan(1000);
    expect(readdirSync(out)).toEqual([]);
  }, 120_000);
});

/** `lpe calibrate` of a fit of many starts (several seconds) with `workers`, interrupted by
 *  SIGINT after `afterMs` (the handler is in place once the command runs). */
function interruptedCalibrate(workers: number, afterMs: number): Promise<{ code: number | null; err: string; out: string }> {
  const out = mkdtempSync(join(tmpdir(), "lpe-interrupt-cal-"));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "lpe.js"), "calibrate", "scenarios/calibrated/open-share-30-median-price.json", "--out", out, "--workers", String(workers), "--set", "calibrate.starts=64"], { cwd: ROOT });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill("SIGINT"), afterMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, err, out });
    });
  });
}

describe("an interrupted lpe calibrate", () => {
  for (const [workers, afterMs] of [
    [1, 1500],
    [2, 2500],
  ]) {
    it(`says nothing of the fit was published, exit 130, and leaves no folder (${workers} worker${workers > 1 ? "s" : ""})`, async () => {
      const r = await interruptedCalibrate(workers, afterMs);
      expect(r.code, r.err).toBe(130);
      expect(r.err.trim().split("\n").pop()).toMatch(/^lpe: interrupted \(SIGINT\): the calibration was not finished and nothing of it was published/);
      expect(readdirSync(r.out)).toEqual([]);
    }, 60_000);
  }
  it("with 2 workers runs every fit on pool threads, the calling thread only handing them out (so a signal is answered at once, not after the fit in progress: 13–47 s, a reviewer's)", async () => {
    const { poolThreads } = await import("../workers/calibrate/job.js");
    expect(poolThreads(2)).toBe(2);
    expect(poolThreads(1)).toBe(0);
  });
});

describe("a sweep stopped by SIGTERM (scancel, a batch system's stop)", () => {
  it("saves, says how to resume, and exits 143, as a shell reports SIGTERM (Ctrl-C: 130)", async () => {
    const out = mkdtempSync(join(tmpdir(), "lpe-interrupt-term-"));
    const file = join(ROOT, "test", "fixtures", "sweeps", "monopoly-long.json");
    const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, "bin", "lpe.js"), "sweep", file, "--workers", "1", "--out", out, "--no-figures"], { cwd: ROOT });
      let err = "";
      let sent = false;
      child.stderr.on("data", (d) => (err += d));
      // once points are being recorded (the handlers are in place then)
      const timer = setInterval(() => {
        const rows = join(out, "monopoly-long", "rows.part");
        if (!sent && existsSync(rows) && statSync(rows).size > 0) {
          sent = true;
          child.kill("SIGTERM");
        }
      }, 5);
      child.on("close", (code) => {
        clearInterval(timer);
        resolve({ code, err });
      });
    });
    expect(r.code, r.err).toBe(143);
    expect(r.err).toMatch(/sweep interrupted with \d+ of \d+ points done .*--resume/);
  }, 60_000);
});

/** `lpe sweep` of two points of a 500-type screening LP (about 4 s each), as node's arguments. */
const slowSweep = (out: string, workers: number, name: string) => [
  join(ROOT, "bin", "lpe.js"),
  "sweep",
  join(ROOT, "test", "fixtures", "scenarios", "lf-bimodal-500.json"),
  "--workers",
  String(workers),
  "--no-figures",
  "--out",
  out,
  "--set",
  'sweep={"params":{"market.fringe.cost":{"values":[0.2,0.21]}},"outputs":["profit","thetaLow"]}',
  "--set",
  `name=${name}`,
];

describe("a second Ctrl-C stops a sweep of long points at once", () => {
  // Each point is a screening LP of about 4 s (500 atoms, γ_F > 0), solved in worker threads
  // (sweep-job.ts: points of a second or more), so both threads are inside a point when the
  // signals come. The first Ctrl-C asks the run to finish the points being solved; a second one
  // must not wait for them (a reviewer waited a whole point per thread), and must leave what
  // --resume takes up: the same bytes as a run never interrupted. (With points of 0.2 s the
  // first stop could end before the second signal came, on a loaded machine.)
  it("exits 130 saying so, and --resume gives the bytes of an uninterrupted run", async () => {
    const base = mkdtempSync(join(tmpdir(), "lpe-interrupt-twice-"));
    const args = (out: string) => slowSweep(out, 2, "twice");
    const stopped = join(base, "stopped");
    const r = await new Promise<{ code: number | null; err: string; sentAt: number }>((resolve) => {
      const child = spawn(process.execPath, args(stopped), { cwd: ROOT });
      let err = "";
      let sentAt = 0;
      child.stderr.on("data", (d) => {
        err += d;
        if (sentAt === 0 && err.includes("so that Ctrl-C is answered at once")) {
          sentAt = -1;
          // inside both points by then (the threads load in well under a second)
          setTimeout(() => {
            sentAt = Date.now();
            child.kill("SIGINT");
            setTimeout(() => child.kill("SIGINT"), 100);
          }, 1000);
        }
      });
      child.on("close", (code) => resolve({ code, err, sentAt }));
    });
    expect(r.sentAt, "the sweep ended before it could be interrupted").toBeGreaterThan(0);
    expect(r.code, r.err).toBe(130);
    expect(r.err).toMatch(/lpe: stopped \(SIGINT again\) without waiting for the points being solved: those finished so far are kept in .*twice; finish the sweep with the same command and --resume/);
    expect(existsSync(join(stopped, "twice", "sweep.csv"))).toBe(false);

    const once = (out: string) =>
      new Promise<{ code: number | null; err: string }>((resolve) => {
        const child = spawn(process.execPath, out === stopped ? [...args(out), "--resume"] : args(out), { cwd: ROOT });
        let err = "";
        child.stderr.on("data", (d) => (err += d));
        child.on("close", (code) => resolve({ code, err }));
      });
    const resumed = await once(stopped);
    expect(resumed.code, resumed.err).toBe(0);
    const reference = join(base, "reference");
    expect((await once(reference)).code).toBe(0);
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(join(stopped, "twice", "sweep.csv"), "utf8")).toBe(readFileSync(join(reference, "twice", "sweep.csv"), "utf8"));
  }, 120_000);
});

describe("a sweep of slow points answers Ctrl-C at once, also with one worker", () => {
  // Points of seconds each (a 500-type screening LP) are solved in a worker thread, not on the
  // main thread, whose event loop would not see the signal until the point ended (a reviewer's
  // Ctrl-C, twice, was answered minutes later).
  it("says it is stopping within two seconds of the first Ctrl-C and exits 130 at the second", async () => {
    const out = mkdtempSync(join(tmpdir(), "lpe-interrupt-slow-"));
    const args = slowSweep(out, 1, "slow");
    const r = await new Promise<{ code: number | null; err: string; toStopping: number; toExit: number }>((resolve) => {
      const child = spawn(process.execPath, args, { cwd: ROOT });
      let err = "";
      let firstAt = 0;
      let stoppingAt = 0;
      let secondAt = 0;
      child.stderr.on("data", (d) => {
        err += d;
        if (firstAt === 0 && err.includes("so that Ctrl-C is answered at once")) {
          // inside the first point by then (its thread loads in well under a second)
          setTimeout(() => {
            firstAt = Date.now();
            child.kill("SIGINT");
          }, 1000);
        }
        if (firstAt > 0 && stoppingAt === 0 && err.includes("lpe: stopping:")) {
          stoppingAt = Date.now();
          secondAt = Date.now();
          child.kill("SIGINT");
        }
      });
      child.on("close", (code) => resolve({ code, err, toStopping: stoppingAt - firstAt, toExit: Date.now() - secondAt }));
    });
    expect(r.err).toMatch(/lpe: note: points estimated at [\d.]+ s each are solved in 1 worker thread, so that Ctrl-C is answered at once/);
    expect(r.code, r.err).toBe(130);
    // the note comes after a second (said only when the points in flight keep the run going)
    expect(r.toStopping, r.err).toBeGreaterThan(0);
    expect(r.toStopping).toBeLessThan(2000);
    expect(r.toExit).toBeLessThan(1500);
    expect(r.err).toMatch(/lpe: stopped \(SIGINT again\) without waiting for the points being solved/);
    expect(existsSync(join(out, "slow", "sweep.csv"))).toBe(false);
  }, 120_000);
});

describe("an lpe sweep interrupted while it starts", () => {
  it("says that no point was solved (before its own handler, which says what to resume, is in place); exit 130, nothing written", () => {
    // In a process of its own: the command is called and the signal sent at once, so it
    // arrives while the sweep still loads its modules (a reviewer's Ctrl-C there exited 130 silently).
    const out = mkdtempSync(join(tmpdir(), "lpe-interrupt-sweep-"));
    const script = `
import { runSweep } from ${JSON.stringify(join(ROOT, "dist", "cli", "commands", "sweep.js"))};
import { processIo } from ${JSON.stringify(join(ROOT, "dist", "engine", "io.js"))};
runSweep({ file: ${JSON.stringify(join(ROOT, "bench", "scenarios", "leader-fringe-sweep.json"))}, out: ${JSON.stringify(out)}, workers: 1, figures: false }, processIo);
process.kill(process.pid, "SIGINT");
`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(130);
    expect(r.stderr.trim()).toBe("lpe: interrupted (SIGINT): no point had been solved: run the command again (with --resume if it says the folder holds an unfinished sweep)");
    expect(readdirSync(out)).toEqual([]);
  });
});
