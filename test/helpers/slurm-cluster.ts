// A private one-node SLURM cluster for tests: munged, slurmctld and slurmd started by hand (no
// systemd) from Debian's slurm-wlm and munge packages, with every file in a temporary folder
// (config, munge key and socket, state, spool, logs, pid files), its own ports, and every
// socket bound to 127.0.0.1 only. Configuration that works in a container: proctrack/linuxproc,
// task/none, select/cons_tres with CR_CPU, ReturnToService=2, SlurmUser=slurm, 2 CPUs.
// Every process of the cluster (daemons, slurmstepd, job processes) inherits SLURM_CONF
// pointing into that folder; `stop` cancels the jobs, then kills exactly those processes by
// PID. Starting needs root (munged runs as the munge user, slurmd as root); when anything is
// missing, `startCluster` returns the reason instead (LPE_SLURM_KEEP=1 keeps the folder of a
// cluster that failed to start, to read its logs).

import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { hostname, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

export interface Cluster {
  /** the temporary folder holding everything */
  dir: string;
  /** environment for client commands (sbatch, squeue…) and anything that submits jobs */
  env: NodeJS.ProcessEnv;
  host: string;
  /** run a SLURM client command (bounded by a timeout) */
  run(cmd: string, args: string[], opts?: { cwd?: string; timeoutMs?: number }): SpawnSyncReturns<string>;
  /** scontrol show job ID, as KEY → value (the first record; for an array, pass ID_TASK) */
  job(id: string): Record<string, string> | undefined;
  /** cancel every job, then kill every process of the cluster by PID; returns the PIDs killed */
  stop(): number[];
}

const SBIN = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"];

function which(cmd: string): string | undefined {
  for (const d of [...(process.env.PATH ?? "").split(":"), ...SBIN]) {
    if (d && existsSync(join(d, cmd))) return join(d, cmd);
  }
  return undefined;
}

function account(name: string): { uid: number; gid: number } | undefined {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
  if (!line) return undefined;
  const f = line.split(":");
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

/** Two free TCP ports on 127.0.0.1. */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once("error", reject);
          s.listen(0, "127.0.0.1", () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Whether process `pid` is running (a zombie is not). */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** PIDs of the processes whose environment holds `marker` (KEY=VALUE). */
export function processesWithEnv(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`, "latin1").split("\0");
      if (env.includes(marker) && running(Number(name))) out.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** The command lines of running processes (for checks that a program has stopped). */
export function commandLines(): { pid: number; argv: string[] }[] {
  const out: { pid: number; argv: string[] }[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").slice(0, -1);
      if (argv.length > 0 && running(Number(name))) out.push({ pid: Number(name), argv });
    } catch {
      // gone
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until `ok()` holds, polling every `everyMs`; false after `timeoutMs`. */
export async function waitFor(ok: () => boolean, timeoutMs: number, everyMs = 200): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (ok()) return true;
    if (Date.now() > end) return false;
    await sleep(everyMs);
  }
}

export interface ClusterOptions {
  cpus?: number;
  /** slurm.conf MaxArraySize */
  maxArraySize?: number;
}

/** Start the cluster, or say why it cannot start here. */
export async function startCluster(opts: ClusterOptions = {}): Promise<{ cluster: Cluster } | { reason: string }> {
  if (process.platform !== "linux") return { reason: "not Linux" };
  if (process.getuid?.() !== 0) return { reason: "not running as root (munged must run as the munge user, slurmd as root)" };
  const bins: Record<string, string | undefined> = {};
  for (const b of ["munged", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "scontrol", "scancel"]) bins[b] = which(b);
  const missing = Object.keys(bins).filter((b) => !bins[b]);
  if (missing.length > 0) return { reason: `${missing.join(", ")} not installed (Debian packages slurm-wlm and munge)` };
  const slurm = account("slurm");
  const munge = account("munge");
  if (!slurm || !munge) return { reason: `no ${slurm ? "munge" : "slurm"} user on this machine` };

  const host = hostname().split(".")[0];
  // slurm.conf's NodeName must be this machine's short name, or slurmd never registers.
  assert(/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(host), `hostname ${JSON.stringify(host)} is not usable as a SLURM NodeName`);
  const dir = mkdtempSync(join(tmpdir(), "lpe-slurm-"));
  chmodSync(dir, 0o755);
  const conf = join(dir, "slurm.conf");
  const marker = `SLURM_CONF=${conf}`;
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SLURM_") && !k.startsWith("SBATCH_")));
  env.SLURM_CONF = conf;
  const mk = (name: string, owner: { uid: number; gid: number }, mode: number) => {
    const p = join(dir, name);
    mkdirSync(p);
    chownSync(p, owner.uid, owner.gid);
    chmodSync(p, mode);
    return p;
  };
  const keyDir = mk("munge-key", munge, 0o700);
  const mungeRun = mk("munge-run", munge, 0o755);
  const state = mk("state", slurm, 0o755);
  const spool = mk("spool", slurm, 0o755);
  const logs = mk("log", slurm, 0o755);
  const key = join(keyDir, "munge.key");
  writeFileSync(key, randomBytes(1024), { mode: 0o400 });
  chownSync(key, munge.uid, munge.gid);
  const [ctldPort, dPort] = await freePorts(2);
  const socket = join(mungeRun, "munge.socket");
  writeFileSync(
    conf,
    [
      "ClusterName=lpetest",
      `SlurmctldHost=${host}(127.0.0.1)`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${dPort}`,
      "AuthType=auth/munge",
      "CredType=cred/munge",
      `AuthInfo=socket=${socket}`,
      // bind to 127.0.0.1 (the address the node resolves to), never to every interface
      "CommunicationParameters=NoCtldInAddrAny,NoInAddrAny",
      "SlurmUser=slurm",
      "SlurmdUser=root",
      `StateSaveLocation=${state}`,
      `SlurmdSpoolDir=${spool}`,
      `SlurmctldPidFile=${logs}/slurmctld.pid`,
      `SlurmdPidFile=${logs}/slurmd.pid`,
      `SlurmctldLogFile=${logs}/slurmctld.log`,
      `SlurmdLogFile=${logs}/slurmd.log`,
      "ProctrackType=proctrack/linuxproc",
      "TaskPlugin=task/none",
      "SelectType=select/cons_tres",
      "SelectTypeParameters=CR_CPU",
      "ReturnToService=2",
      "MpiDefault=none",
      "JobCompType=jobcomp/none",
      "JobAcctGatherType=jobacct_gather/none",
      "AccountingStorageType=accounting_storage/none",
      "KillWait=5",
      "MinJobAge=600",
      `MaxArraySize=${opts.maxArraySize ?? 1001}`,
      // memory as the node has it (slurmd drains a node that has less than it claims)
      `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${opts.cpus ?? 2} RealMemory=${Math.floor((0.8 * totalmem()) / 2 ** 20)} State=UNKNOWN`,
      `PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
      // a second partition, for directives a user adds to the script
      `PartitionName=other Nodes=${host} MaxTime=INFINITE State=UP`,
      "",
    ].join("\n"),
  );

  const run = (cmd: string, args: string[], o: { cwd?: string; timeoutMs?: number } = {}) =>
    spawnSync(bins[cmd] ?? which(cmd) ?? cmd, args, { env, cwd: o.cwd, encoding: "utf8", timeout: o.timeoutMs ?? 30_000 });

  const stop = (): number[] => {
    // the jobs first, so that slurmstepd ends them (their processes get SIGTERM)
    run("scancel", ["--user=root"], { timeoutMs: 10_000 });
    const end = Date.now() + 10_000;
    while (Date.now() < end && processesWithEnv(marker).some((p) => !isDaemon(p))) spawnSync("sleep", ["0.2"]);
    const pids = processesWithEnv(marker);
    for (const p of pids) tryKill(p, "SIGTERM");
    const end2 = Date.now() + 5_000;
    while (Date.now() < end2 && pids.some(running)) spawnSync("sleep", ["0.1"]);
    for (const p of pids) if (running(p)) tryKill(p, "SIGKILL");
    return pids;
  };
  const isDaemon = (pid: number) => {
    try {
      const name = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      return ["slurmctld", "slurmscriptd", "slurmd", "munged"].includes(name);
    } catch {
      return true;
    }
  };
  const job = (id: string): Record<string, string> | undefined => {
    const r = run("scontrol", ["show", "job", "-o", id], { timeoutMs: 10_000 });
    if (r.status !== 0 || !r.stdout.trim()) return undefined;
    const line = r.stdout.split("\n")[0];
    const rec: Record<string, string> = {};
    // KEY=VALUE fields separated by spaces; Command= and paths may hold spaces, so split on " KEY="
    const re = /(?:^| )([A-Za-z:/]+)=/g;
    const marks: { key: string; at: number; from: number }[] = [];
    for (let m = re.exec(line); m; m = re.exec(line)) marks.push({ key: m[1], at: m.index, from: m.index + m[0].length });
    marks.forEach((m, i) => (rec[m.key] = line.slice(m.from, i + 1 < marks.length ? marks[i + 1].at : line.length)));
    return rec;
  };
  const cluster: Cluster = { dir, env, host, run, job, stop };

  const fail = (why: string) => {
    const logText = ["munged.log", "slurmctld.log", "slurmd.log"]
      .map((f) => [join(keyDir, f), join(logs, f)].find(existsSync))
      .filter((p): p is string => p !== undefined)
      .map((p) => readFileSync(p, "utf8").trim().split("\n").slice(-3).join(" / "))
      .join(" | ");
    stop();
    if (!process.env.LPE_SLURM_KEEP) rmSync(dir, { recursive: true, force: true });
    return { reason: `${why}${logText ? ` (logs: ${logText.slice(0, 600)})` : ""}` };
  };
  const daemonEnv = { ...env };
  const m = spawnSync(
    bins.munged!,
    [`--socket=${socket}`, `--key-file=${key}`, `--pid-file=${mungeRun}/munged.pid`, `--log-file=${keyDir}/munged.log`, `--seed-file=${keyDir}/munged.seed`],
    { env: daemonEnv, uid: munge.uid, gid: munge.gid, timeout: 15_000, encoding: "utf8" },
  );
  if (m.status !== 0) return fail(`munged did not start: ${(m.stderr || m.error?.message || "").trim()}`);
  for (const [d, args] of [
    ["slurmctld", ["-f", conf]],
    ["slurmd", ["-f", conf, "-N", host]],
  ] as const) {
    const r = spawnSync(bins[d]!, args, { env: daemonEnv, timeout: 15_000, encoding: "utf8" });
    if (r.status !== 0) return fail(`${d} did not start: ${(r.stderr || r.error?.message || "").trim()}`);
  }
  const idle = await waitFor(() => {
    const r = run("sinfo", ["-h", "-N", "-o", "%T"], { timeoutMs: 5_000 });
    const states = r.stdout.trim().split("\n");
    return r.status === 0 && states.length > 0 && states.every((s) => s === "idle");
  }, 30_000, 300);
  if (!idle) return fail("the node did not become idle within 30 s");
  return { cluster };
}

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
