// The lock that keeps two runs from writing one sweep folder at once (the same shard started
// by hand beside its SLURM task, a task resubmitted while the first still runs, two array
// tasks given the same index): `run.lock` in the folder, created exclusively (O_EXCL), holding
// who took it (pid, host, start time, SLURM job). Both runs would otherwise append to the same
// part files and one would overwrite the other's manifest. A lock left by a run that died is
// taken over: at once when its process is gone (same host); otherwise once it has not been
// refreshed for STALE_MS, since a process on another machine of a cluster cannot be checked
// (the holder refreshes it whenever it syncs its rows, at least every few seconds while it
// solves), or at once when it was taken by the same SLURM task (a requeued task restarting on
// another node). A run that ends, even by Ctrl-C or scancel, removes its lock.

import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { InputError } from "../engine/errors.js";
import { pidAlive } from "../engine/results/temp-files.js";

export const LOCK_FILE = "run.lock";
/** A lock not refreshed for this long belongs to a dead run. */
export const STALE_MS = 10 * 60_000;

interface Holder {
  pid: number;
  host: string;
  startedAt: string;
  slurmJob?: string;
}

function readHolder(path: string): Holder | "gone" | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw e;
  }
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    if (typeof h.pid === "number" && typeof h.host === "string" && typeof h.startedAt === "string") return h as Holder;
  } catch {
    // being written right now, or cut short
  }
  return undefined;
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Infinity;
  }
}

export class RunLock {
  private released = false;
  private constructor(
    readonly path: string,
    private readonly text: string,
  ) {}

  /** Take the lock of `dir` (which exists), or throw an InputError naming the run that holds it. */
  static acquire(dir: string): RunLock {
    const path = join(dir, LOCK_FILE);
    const me: Holder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
    const job = process.env.SLURM_ARRAY_JOB_ID ? `${process.env.SLURM_ARRAY_JOB_ID}_${process.env.SLURM_ARRAY_TASK_ID}` : process.env.SLURM_JOB_ID;
    if (job) me.slurmJob = job;
    const text = JSON.stringify(me) + "\n";
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        writeFileSync(path, text, { flag: "wx" });
        return new RunLock(path, text);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const holder = readHolder(path);
      if (holder === "gone") continue;
      const age = ageMs(path);
      const sameHost = holder !== undefined && holder.host === me.host;
      // The same SLURM task (array job and index, or job id): SLURM runs one instance of a task
      // at a time, so the holder is this task's earlier run, requeued after its node failed
      // (it restarts on another node, well within STALE_MS: the lock must not stop it).
      const requeued = holder !== undefined && me.slurmJob !== undefined && holder.slurmJob === me.slurmJob;
      const dead = requeued || age > STALE_MS || (holder === undefined ? age > 10_000 : sameHost && !pidAlive(holder.pid));
      if (!dead) {
        const who = holder
          ? `pid ${holder.pid} on ${holder.host}${holder.slurmJob ? ` (SLURM job ${holder.slurmJob})` : ""}, started ${holder.startedAt}`
          : "a run that is starting";
        const remote = holder && !sameHost ? `; if it is no longer running (killed on ${holder.host}), delete ${path}` : "";
        throw new InputError("", `${dir} is being written by another lpe run (${who}): two runs must not write one folder; wait for it to end or stop it${remote}`);
      }
      rmSync(path, { force: true });
    }
    throw new InputError("", `${dir}: could not take ${LOCK_FILE} (other runs keep taking it)`);
  }

  /** Mark the lock as alive (its modification time). */
  refresh(): void {
    if (this.released) return;
    try {
      const now = new Date();
      utimesSync(this.path, now, now);
    } catch {
      // best effort: a lock that cannot be touched ages, and is then taken over
    }
  }

  /** Remove the lock, if it is still this run's. */
  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      if (readFileSync(this.path, "utf8") === this.text) rmSync(this.path, { force: true });
    } catch {
      // already gone
    }
  }
}
