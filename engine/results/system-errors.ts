// The operating system's file errors (a full disk, a read-only or missing folder, missing
// permissions, a name too long…) as one line a person can act on: what lpe tried to do, the
// path, the cause in words and the system's code, e.g.
//   cannot write "results/x/figures/quality.pdf": no space left on the device (ENOSPC)
// Such failures are neither bad input nor a solver failure: they get an exit status of their
// own (3, EnvironmentError), never "internal error".

import { EnvironmentError } from "../errors.js";

/** The cause of each system error code, in words. */
const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "the file is too large for the file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "it is a folder, not a file",
  EEXIST: "something else already exists there",
  ENOTEMPTY: "the folder is not empty",
  ENAMETOOLONG: "the name is too long for the file system",
  ENOENT: "no such file or folder",
  ELOOP: "too many levels of symbolic links",
  EMFILE: "too many open files",
  ENFILE: "too many open files on the system",
  EIO: "input/output error (a failing disk or a lost network file system?)",
  EBUSY: "the file or folder is busy",
  EXDEV: "it is on another file system",
  ETXTBSY: "the file is busy",
  ENXIO: "no such device",
  ENODEV: "no such device",
  ESTALE: "stale network file handle",
  EAGAIN: "the resource is temporarily unavailable",
  EINVAL: "the operation is not valid for this file",
};

/** What lpe was doing, from the failing system call. */
const VERBS: Readonly<Record<string, string>> = {
  open: "write",
  write: "write",
  fsync: "write",
  close: "write",
  ftruncate: "write",
  read: "read",
  mkdir: "create the folder",
  rename: "move",
  rmdir: "remove",
  unlink: "remove",
  rm: "remove",
  scandir: "list the folder",
  opendir: "list the folder",
  stat: "inspect",
  lstat: "inspect",
  fstat: "inspect",
  copyfile: "copy",
  chmod: "change the permissions of",
  utime: "touch",
  access: "access",
  realpath: "resolve",
};

interface SystemError {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
  message?: string;
}

/** True for an error thrown by a system call (Node's ErrnoException: code "E…", and a syscall or errno). */
export function isSystemError(e: unknown): e is SystemError {
  if (e === null || typeof e !== "object") return false;
  const o = e as Record<string, unknown>;
  return typeof o.code === "string" && /^E[A-Z0-9]+$/.test(o.code) && (typeof o.syscall === "string" || typeof o.errno === "number");
}

/** The cause of a system error code in words, with the code, e.g. "permission denied (EACCES)". */
export function describeErrno(code: string): string {
  return `${CAUSES[code] ?? "system error"} (${code})`;
}

/**
 * The EnvironmentError for a system error (undefined for anything else). `shown` maps the path
 * in the error to the one the user knows (a file staged under a temporary name is reported
 * under its final name).
 */
export function environmentError(e: unknown, shown: (path: string) => string = (p) => p): EnvironmentError | undefined {
  if (e instanceof EnvironmentError) return e;
  if (!isSystemError(e)) return undefined;
  const verb = (e.syscall && VERBS[e.syscall]) ?? "access";
  const cause = describeErrno(e.code);
  const path = e.path !== undefined ? shown(e.path) : undefined;
  let what: string;
  if (path !== undefined && e.dest !== undefined && e.syscall === "rename") what = `cannot move ${JSON.stringify(path)} to ${JSON.stringify(shown(e.dest))}`;
  else if (path !== undefined) what = `cannot ${verb} ${JSON.stringify(path)}`;
  else what = `cannot ${verb} a file`;
  return new EnvironmentError(path ?? "", `${what}: ${cause}`, e.code);
}

/**
 * Run `f`, an operation on a temporary stand-in for the file `path` (its temporary name, or a
 * bare file descriptor: write(2) and fsync(2) errors carry no path at all): a system error is
 * reported as a failure to write `path` itself.
 */
export function withPath<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isSystemError(e)) {
      e.path = path;
      delete e.dest;
      e.syscall = e.syscall === "read" ? "read" : "write";
    }
    throw e;
  }
}
