// Where "Save as" in `lpe explore` may write: a new name for the scenario inside the scenario's
// own folder (or a folder below it that exists), nowhere else. The page is reachable only with
// the token, but the server must still never become a way to write arbitrary files: `..`
// segments, absolute paths outside the folder, symbolic links leading out (a link as the file
// or as a folder on the way) and names that are not `.json` are all refused with a one-line
// reason. Existing files are replaced only when the caller says so.

import { lstatSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

export class SaveRefused extends Error {
  constructor(
    message: string,
    /** HTTP status the server answers with */
    readonly status = 403,
  ) {
    super(message);
    this.name = "SaveRefused";
  }
}

const MAX_NAME = 255;

function inside(folder: string, p: string): boolean {
  const rel = relative(folder, p);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * The absolute path "Save as `requested`" writes for the scenario `scenarioFile`, or SaveRefused.
 * `requested` is relative to the scenario's folder, or absolute but inside it.
 */
export function saveAsTarget(scenarioFile: string, requested: unknown, overwrite = false): string {
  if (typeof requested !== "string" || requested.trim() === "") throw new SaveRefused("give a file name, e.g. my-scenario.json", 400);
  if (requested.length > MAX_NAME || requested.includes("\0")) throw new SaveRefused("the file name is too long or contains a NUL character", 400);
  if (requested.split(/[\\/]/).includes("..")) throw new SaveRefused(`"${requested}": ".." is not allowed; Save as writes only inside the scenario's folder`);
  if (!requested.endsWith(".json") || basename(requested) === ".json") throw new SaveRefused(`"${requested}": a scenario file name must end in .json`, 400);
  const folder = realpathSync(dirname(resolve(scenarioFile)));
  const lexical = isAbsolute(requested) ? resolve(requested) : resolve(folder, requested);
  // An absolute path may name the folder by another spelling (a link above it): compare real paths.
  let parent: string;
  try {
    parent = realpathSync(dirname(lexical));
  } catch {
    throw new SaveRefused(`"${requested}": the folder ${JSON.stringify(dirname(lexical))} does not exist`, 400);
  }
  if (!inside(folder, parent)) throw new SaveRefused(`"${requested}" is outside the scenario's folder ${JSON.stringify(folder + sep)}; Save as writes only there`);
  const target = join(parent, basename(lexical));
  let stat: ReturnType<typeof lstatSync> | undefined;
  try {
    stat = lstatSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new SaveRefused(`"${requested}": ${(e as Error).message}`, 400);
  }
  if (stat?.isSymbolicLink()) throw new SaveRefused(`"${requested}" is a symbolic link; Save as does not write through links`);
  if (stat && !stat.isFile()) throw new SaveRefused(`"${requested}" exists and is not a regular file`, 400);
  if (stat && !overwrite) throw new SaveRefused(`"${requested}" exists; confirm to replace it`, 409);
  return target;
}
