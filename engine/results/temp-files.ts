// The temporary files of atomic writes, and the removal of those a dead run left behind.
// Every results file is written to a temporary name beside its target, then renamed over it
// (atomic-write.ts, sweep-csv.ts, figures/write.ts). A run killed while writing (or whose rename
// failed) leaves its temporary files behind: up to tens of MB for a large sweep, which
// `--resume` would never reuse. The next run writing into the same folder removes them.
// Only names of this program's schemes are touched, `.<file>.<pid>.<n>.tmp` (results files)
// and `<figure>.<ext>.<pid>.<n>.tmp` (figures), and only when process <pid> is no longer
// alive (or is this very process, for a file older than it: a pid reused after a reboot), so a
// concurrent live run's files are left alone.

import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";

let counter = 0;

/** The temporary name beside `path` for an atomic write by this process. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);
}

const RESULT_TEMP = /^\..+\.(\d+)\.\d+\.tmp$/;
const FIGURE_TEMP = /^.+\.(?:svg|pdf|tex|csv|caption\.txt)\.(\d+)\.\d+\.tmp$/;

/** The pid in a temporary file name of this program's schemes, or undefined for any other name. */
export function tempFilePid(name: string): number | undefined {
  const m = RESULT_TEMP.exec(name) ?? FIGURE_TEMP.exec(name);
  return m ? Number(m[1]) : undefined;
}

/**
 * Whether process `pid` is running (EPERM: it exists but belongs to someone else). A zombie is
 * not: a process killed (kill -9, a timeout) stays in the process table until its parent reaps
 * it, and signal 0 still reaches it; a reviewer's `--resume` right after such a kill was refused
 * for ~2 s as "being written by another lpe run". Its state is read from /proc (Linux; where
 * there is no /proc, signal 0 alone decides).
 */
export function pidAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return !isZombie(pid);
}

/** Whether /proc says `pid` is a zombie, dead (Z, X) or gone; false where there is no /proc. */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch (e) {
    // gone since the signal (its entry removed), unless this system has no /proc at all
    return (e as NodeJS.ErrnoException).code === "ENOENT" && existsSync("/proc/self/stat");
  }
  // "pid (comm) S …": the command may hold spaces and parentheses, the state follows the last ")"
  const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  return state === "Z" || state === "X";
}

const processStartMs = Date.now() - process.uptime() * 1000;

/**
 * Remove the temporary files directly in each of `dirs` (missing folders are skipped) for which
 * `remove(pid, modified ms)` says so; returns the paths removed. Failures to list or remove are
 * ignored: cleaning is best effort and must never stop the run that does it.
 */
function removeTempFiles(dirs: readonly string[], remove: (pid: number, mtimeMs: number) => boolean): string[] {
  const removed: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const pid = tempFilePid(name);
      if (pid === undefined) continue;
      const path = join(dir, name);
      try {
        const st = statSync(path);
        if (!st.isFile() || !remove(pid, st.mtimeMs)) continue;
        rmSync(path, { force: true });
        removed.push(path);
      } catch {
        // gone meanwhile, or not ours to remove
      }
    }
  }
  return removed;
}

/** Remove the stale temporary files directly in each of `dirs`: of dead processes, or this one's from before it started. */
export function removeStaleTempFiles(dirs: readonly string[]): string[] {
  return removeTempFiles(dirs, (pid, mtimeMs) => (pid === process.pid ? mtimeMs < processStartMs - 1000 : !pidAlive(pid)));
}

/** Remove this process's own temporary files directly in `dir` (a drawing thread stopped mid-file). */
export function removeOwnTempFiles(dir: string): void {
  removeTempFiles([dir], (pid) => pid === process.pid);
}
