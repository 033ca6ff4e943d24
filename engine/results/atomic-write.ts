// Atomic file writes: write a temporary file beside the target, fsync, then rename over it,
// so a reader (or a crash, or Ctrl-C) never sees a partial results file. A failed write or
// rename removes its temporary file; one left by a killed run is removed by the next run
// (temp-files.ts). Also ensureDir, which creates a folder and, when that fails, names the real
// cause.

import { accessSync, closeSync, constants, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, parse, sep } from "node:path";
import { EnvironmentError } from "../errors.js";
import { environmentError, isSystemError, withPath } from "./system-errors.js";
import { tempPathFor } from "./temp-files.js";


/**
 * mkdir -p `dir`, one folder at a time (not Node's recursive mkdir: it reports a read-only file
 * system or a missing permission as ENOENT, and under /proc it loops for ever), so that a failure
 * names its real cause: a part of the path that is a file, a read-only file system, a
 * permission. Returns the first folder it created (undefined when `dir` existed), as mkdirSync does.
 */
export function ensureDir(dir: string): string | undefined {
  return walkDir(dir, true).first;
}

/**
 * Throws what ensureDir(dir) would (EnvironmentError, exit 3) when `dir` plainly cannot be made,
 * without making anything: a part of its path that is a file, or a deepest existing folder that
 * is not writable (read-only file system, no permission). Run before a long computation whose
 * results go there (lpe solve computed for minutes before finding --out was a file, a reviewer's).
 */
export function checkDirCreatable(dir: string): void {
  const { deepest, missing } = walkDir(dir, false);
  try {
    accessSync(deepest, constants.W_OK);
  } catch (e) {
    if (!isSystemError(e)) throw e;
    // named as the mkdir (or the write inside `dir`) that would fail
    e.path = missing ?? dir;
    e.syscall = missing ? "mkdir" : "open";
    throw environmentError(e) ?? e;
  }
}

/**
 * `dir` part by part from its root: a part that exists must be a folder (ENOTDIR otherwise; a
 * failing stat is said as mkdir's failure). At a missing part, `create` makes it and goes on
 * (ensureDir) or stops (checkDirCreatable). Returns the deepest folder that existed before the
 * first missing part, that part, and the first folder made.
 */
function walkDir(dir: string, create: boolean): { deepest: string; missing?: string; first?: string } {
  const norm = normalize(dir);
  let here = isAbsolute(norm) ? parse(norm).root : "";
  let deepest = here || ".";
  let missing: string | undefined;
  let first: string | undefined;
  for (const part of norm.split(sep).filter(Boolean)) {
    here = here ? join(here, part) : part;
    let isDir: boolean | undefined;
    try {
      isDir = statSync(here).isDirectory();
    } catch (e) {
      if (!isSystemError(e)) throw e;
      if (e.code !== "ENOENT") {
        e.syscall = "mkdir";
        throw environmentError(e) ?? e;
      }
    }
    if (isDir === false) throw new EnvironmentError(here, `cannot create the folder ${JSON.stringify(dir)}: ${JSON.stringify(here)} is a file, not a folder (ENOTDIR)`, "ENOTDIR");
    if (isDir) {
      if (missing === undefined) deepest = here;
      continue;
    }
    missing ??= here;
    if (!create) break;
    try {
      mkdirSync(here);
      first ??= here;
    } catch (e) {
      if (isSystemError(e) && e.code === "EEXIST") continue; // made meanwhile by another run
      if (!isSystemError(e)) throw e;
      throw environmentError(e) ?? e;
    }
  }
  return { deepest, missing, first };
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  ensureDir(dir);
  const tmp = tempPathFor(path);
  // Errors name the file the user asked for, not its temporary name.
  const fd = withPath(path, () => openSync(tmp, "w"));
  try {
    const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    withPath(path, () => {
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    });
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  try {
    withPath(path, () => renameSync(tmp, path));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
