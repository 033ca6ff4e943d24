// A run's result *set* (e.g. summary.json, curves.csv and figures/ of `lpe solve`) published as
// a whole: the set is built in a temporary folder beside the target, then swapped in by
// renames (the old folder aside, the new one in, the old one removed). A reader, a failed run
// or a killed run therefore finds the previous complete set or the new complete set, never a
// mix (a σ = 0.5 summary beside σ = 0.4 figures) and never a half-written set.
//
// The target folder may also hold other commands' files (a sweep's sweep.csv and figures live
// in the same results/<name>/): the caller's `carry` rule names them, and they are moved from
// the old folder into the new one after the swap. The list is written first to a journal in
// the new folder, so that a run killed at any point is finished on the next run (recoverResultSet):
//   killed while building            → the temporary folder is removed
//   killed after moving the old aside → the old set is put back (the new one was never complete)
//   killed after the swap            → the journal's entries are carried over, the old set removed
// Temporary folders are named .<name>.lpe-new-<pid>-<n> and .<name>.lpe-old-<pid>-<n>; those of a
// live process (another run in progress) are left alone.

import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, realpathSync, renameSync, rmdirSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { EnvironmentError } from "../errors.js";
import { ensureDir, writeFileAtomic } from "./atomic-write.js";
import { isSystemError } from "./system-errors.js";

/**
 * Which entries of the current folder to carry into the new set, by path relative to it
 * ("sweep.csv", "figures/profit-vs-c.svg"): true carries the entry, false drops it with the old
 * set, "split" (for a folder) decides entry by entry inside it. Entries the new set also has
 * are never carried: the new set's own files win.
 */
export type CarryRule = (rel: string) => boolean | "split";

export const JOURNAL = ".lpe-carry.json";
const NEW = "lpe-new";
const OLD = "lpe-old";

interface Journal {
  aside: string;
  entries: string[];
}

let counter = 0;

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (e) {
    if (isSystemError(e) && e.code === "ENOENT") return false;
    throw e;
  }
}

function isDir(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return isSystemError(e) && e.code === "EPERM";
  }
}

/** Make the renames durable (best effort: not every file system can fsync a folder). */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // nothing more can be done here; the renames themselves have happened
  }
}

/** Entries of `old` to carry into `fresh` under `carry`, as relative paths. */
function carriedEntries(old: string, fresh: string, carry: CarryRule): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(old, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (r === JOURNAL) continue;
      const decision = carry(r);
      if (decision === "split" && isDir(join(old, r))) walk(r);
      else if (decision === true && !exists(join(fresh, r))) out.push(r);
    }
  };
  walk("");
  return out;
}

/** Move the journal's entries from `aside` into `target` (entries already moved are skipped). */
function moveCarried(aside: string, target: string, entries: readonly string[]): void {
  for (const rel of entries) {
    const from = join(aside, rel);
    if (!exists(from)) continue;
    const to = join(target, rel);
    mkdirSync(dirname(to), { recursive: true });
    if (exists(to)) continue; // the new set's own file wins
    renameSync(from, to);
  }
}

function readJournal(dir: string): Journal | undefined {
  try {
    const j = JSON.parse(readFileSync(join(dir, JOURNAL), "utf8")) as Journal;
    return typeof j.aside === "string" && Array.isArray(j.entries) && j.entries.every((e) => typeof e === "string" && !e.split("/").includes("..")) ? j : undefined;
  } catch {
    return undefined;
  }
}

/** Leftovers of runs on `target` (temporary folders beside it), with their kind and owner. */
function leftovers(target: string): { path: string; kind: "new" | "old"; pid: number }[] {
  const parent = dirname(target);
  const prefix = `.${basename(target)}.`;
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const re = new RegExp(`^(${NEW}|${OLD})-(\\d+)-\\d+$`);
  const out: { path: string; kind: "new" | "old"; pid: number }[] = [];
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const m = re.exec(n.slice(prefix.length));
    if (m) out.push({ path: join(parent, n), kind: m[1] === NEW ? "new" : "old", pid: Number(m[2]) });
  }
  return out;
}

/**
 * Finish or undo what a killed run left of a publication of `target` (see the header); runs of
 * live processes are left alone. Called by publishResultSet before it starts.
 */
export function recoverResultSet(target: string): void {
  const found = leftovers(target).filter((l) => !alive(l.pid));
  for (const l of found.filter((x) => x.kind === "old")) {
    if (!exists(target)) {
      renameSync(l.path, target); // the new set never arrived: the old one is the latest complete set
      continue;
    }
    const j = readJournal(target);
    if (j && j.aside === basename(l.path)) moveCarried(l.path, target, j.entries);
    rmSync(l.path, { recursive: true, force: true });
  }
  for (const l of found.filter((x) => x.kind === "new")) rmSync(l.path, { recursive: true, force: true });
  if (isDir(target) && exists(join(target, JOURNAL)) && !leftovers(target).some((l) => l.kind === "old")) rmSync(join(target, JOURNAL), { force: true });
}

/** Report paths inside the temporary folder under their final names. */
function renamed(e: unknown, staging: string, target: string): unknown {
  const swap = (s: string) => s.split(staging).join(target);
  if (e instanceof EnvironmentError) return new EnvironmentError(swap(e.path), swap(e.message), e.errno);
  if (isSystemError(e)) {
    if (e.path) e.path = swap(e.path);
    if (e.dest) e.dest = swap(e.dest);
    if (e.message) e.message = swap(e.message);
  }
  return e;
}

function swapIn(target: string, staging: string, carry: CarryRule): void {
  const parent = dirname(target);
  for (let attempt = 0; ; attempt++) {
    const had = exists(target);
    if (had && !isDir(target)) {
      throw new EnvironmentError(target, `cannot write the results to ${JSON.stringify(target)}: it is a file, not a folder (ENOTDIR)`, "ENOTDIR");
    }
    const aside = join(parent, `.${basename(target)}.${OLD}-${process.pid}-${counter++}`);
    const entries = had ? carriedEntries(target, staging, carry) : [];
    rmSync(join(staging, JOURNAL), { force: true });
    if (entries.length > 0) writeFileAtomic(join(staging, JOURNAL), JSON.stringify({ aside: basename(aside), entries } satisfies Journal) + "\n");
    let moved = false;
    if (had) {
      try {
        renameSync(target, aside);
        moved = true;
      } catch (e) {
        if (!(isSystemError(e) && e.code === "ENOENT")) throw e; // ENOENT: another run took it meanwhile
      }
    }
    try {
      renameSync(staging, target);
    } catch (e) {
      if (moved) {
        try {
          renameSync(aside, target);
        } catch {
          rmSync(aside, { recursive: true, force: true }); // yet another run's set is in place
        }
      }
      // Another run published meanwhile: swap again, over its set.
      if (isSystemError(e) && (e.code === "ENOTEMPTY" || e.code === "EEXIST") && attempt < 5) continue;
      throw e;
    }
    if (moved) {
      moveCarried(aside, target, entries);
      rmSync(join(target, JOURNAL), { force: true });
      rmSync(aside, { recursive: true, force: true });
    }
    syncDir(parent);
    return;
  }
}

/**
 * Build a result set with `build(dir)` into a temporary folder beside `target`, then swap it in
 * (carrying other commands' entries of the old folder by `carry`). When `build` or the swap
 * fails, the temporary folder is removed and `target` is as it was; the error names the final
 * paths, not the temporary ones.
 */
export async function publishResultSet<T>(where: string, build: (dir: string) => T | Promise<T>, carry: CarryRule = () => true): Promise<T> {
  // A target that is a symbolic link (results/x → a bigger disk) is published where it points:
  // the link stays, and the set is built on the same file system as the folder it replaces.
  let target = where;
  try {
    if (lstatSync(where).isSymbolicLink() && statSync(where).isDirectory()) target = realpathSync(where);
  } catch {
    // missing, or a dangling link: swapIn reports it
  }
  const parent = dirname(target);
  const created = ensureDir(parent);
  // A failed run leaves nothing, not even the output folder it made for the set.
  const undoParent = () => {
    if (created === undefined) return;
    for (let d = resolve(parent); d.length >= resolve(created).length; d = dirname(d)) {
      try {
        rmdirSync(d);
      } catch {
        return; // not empty (another run's files) or gone
      }
    }
  };
  recoverResultSet(target);
  const staging = join(parent, `.${basename(target)}.${NEW}-${process.pid}-${counter++}`);
  try {
    mkdirSync(staging);
  } catch (e) {
    undoParent();
    throw renamed(e, staging, target);
  }
  try {
    const result = await build(staging);
    swapIn(target, staging, carry);
    return result;
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (!exists(target)) undoParent();
    throw renamed(e, staging, target);
  }
}

/** True when `target` has no leftovers of killed runs beside it (for tests and checks). */
export function isClean(target: string): boolean {
  return leftovers(target).length === 0 && !(existsSync(target) && existsSync(join(target, JOURNAL)));
}
