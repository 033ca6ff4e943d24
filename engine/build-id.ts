// The build of the engine that computed a result, recorded beside its version: the commit the
// build was made from (scripts/bundle.mjs writes dist/build-info.json), "+modified" when tracked
// files differed from it, "unknown" without git. Why: the version (0.1.0) spans hundreds of
// commits, some of which changed numbers or certificates, and shards merged or a sweep resumed
// across them should say so (a reviewer could not tell which build wrote a result).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "./package-root.js";

let cached: string | undefined;

export function engineBuild(): string {
  if (cached !== undefined) return cached;
  try {
    const info = JSON.parse(readFileSync(join(packageRoot(), "dist", "build-info.json"), "utf8")) as { commit?: unknown; modified?: unknown };
    cached = typeof info.commit === "string" && /^[0-9a-f]{40}$/.test(info.commit) ? info.commit.slice(0, 12) + (info.modified === true ? "+modified" : "") : "unknown";
  } catch {
    cached = "unknown";
  }
  return cached;
}
