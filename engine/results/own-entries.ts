// The files and folders lpe writes in place, appends to, truncates or empties inside a results
// folder (a sweep's part files, curves/, figures/, figure-sweeps/) must be its own: real files and
// folders, not symbolic links. Why: result folders and sweep shards travel between machines (a
// cluster's scratch, a colleague's archive), and a link planted in one made lpe write through it
// — a security reviewer's `rows.part -> ~/.bashrc` was truncated and filled with binary records
// by `lpe sweep --resume`, and a `curves -> elsewhere` link had `lpe merge` delete the CSV files
// of the folder it pointed to. Files replaced whole by a rename (sweep.csv, sweep.json, every
// figure file) replace a link itself and need no check; the results folder and --out themselves
// may be links (a home folder's results/ pointing to scratch space is common).

import { lstatSync } from "node:fs";
import { join } from "node:path";
import { EnvironmentError } from "../errors.js";

/** Throw if any of `names` inside `dir` is a symbolic link (absent entries are fine). */
export function refuseLinks(dir: string, names: readonly string[]): void {
  for (const name of names) {
    const path = join(dir, name);
    let link = false;
    try {
      link = lstatSync(path).isSymbolicLink();
    } catch {
      continue; // absent (or unreadable: the write itself will say why)
    }
    if (link) {
      throw new EnvironmentError(
        path,
        `${path} is a symbolic link: lpe writes, appends to and deletes files only in its own files and folders inside a results folder (through a link it would change files elsewhere); remove the link (rm ${JSON.stringify(path)}) and run again`,
        "ELOOP",
      );
    }
  }
}
