// Whole-process timing: run a command several times under /usr/bin/time, keep its wall time,
// CPU time (user + system), peak resident memory, the 1-minute load average just before it and
// its standard output, and summarize by the median (the machine has 2 cores shared with other
// work, so single runs are noisy; CPU time is less disturbed by the load than wall time).

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";

export interface ProcessRun {
  wallSeconds: number;
  /** user + system CPU seconds (NaN without /usr/bin/time) */
  cpuSeconds: number;
  /** 1-minute load average just before the run */
  load1: number;
  /** peak resident set size in MB (1e6 bytes); NaN without /usr/bin/time */
  maxRssMB: number;
  stdout: string;
}

export interface TimedCommand {
  runs: ProcessRun[];
  medianWall: number;
  medianRssMB: number;
  /** the command line as a person would type it */
  display: string;
}

const GNU_TIME = "/usr/bin/time";

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

export function runOnce(cmd: string, args: string[], cwd: string, before?: () => void): ProcessRun {
  before?.();
  const dir = mkdtempSync(join(tmpdir(), "lpe-bench-time-"));
  const timeFile = join(dir, "time");
  const load1 = loadavg()[0];
  try {
    if (existsSync(GNU_TIME)) {
      const r = spawnSync(GNU_TIME, ["-f", "%e %M %U %S", "-o", timeFile, cmd, ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 28 });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr.slice(-2000)}`);
      const [wall, rss, user, sys] = readFileSync(timeFile, "utf8").trim().split(/\s+/).slice(-4).map(Number);
      return { wallSeconds: wall, cpuSeconds: user + sys, load1, maxRssMB: (rss * 1024) / 1e6, stdout: r.stdout };
    }
    const t0 = performance.now();
    const stdout = execFileSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 1 << 28 });
    return { wallSeconds: (performance.now() - t0) / 1000, cpuSeconds: NaN, load1, maxRssMB: NaN, stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function timeCommand(cmd: string, args: string[], opts: { cwd: string; repeats: number; display?: string; before?: () => void }): TimedCommand {
  const runs: ProcessRun[] = [];
  for (let i = 0; i < opts.repeats; i++) runs.push(runOnce(cmd, args, opts.cwd, opts.before));
  return {
    runs,
    medianWall: median(runs.map((r) => r.wallSeconds)),
    medianRssMB: median(runs.map((r) => r.maxRssMB)),
    display: opts.display ?? [cmd, ...args].join(" "),
  };
}
