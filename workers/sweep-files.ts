// The JSON files a sweep leaves in its folder, checked when they are read back: sweep.json
// (by `lpe merge`, from shard folders that may have been copied, edited or made by someone
// else) and manifest.json (by `--resume` and merge). Both are untrusted input: every field used
// is checked for presence and type, a name must be a scenario name (it becomes a folder name,
// so no path separator and no `..`), and a sweep.json's grid hash must match the grid, outputs
// and curves it lists. A problem is one line naming the file and the field (exit 2), never a
// JavaScript error about `undefined`.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { InputError } from "../engine/errors.js";
import { DIGEST_ALGORITHM, digestCount, type RowDigests } from "../engine/results/row-digest.js";
import { canonicalJson } from "../engine/scenario/load.js";
import { ScenarioSchema, SweepAxisSchema } from "../engine/scenario/schema.js";
import type { SweepSpec } from "../engine/scenario/spec-types.js";
import { buildSweepGrid } from "./sweep-grid.js";

/**
 * The identity of a sweep block as run: its axes, zip groups, outputs and curves, and the order
 * of its parameters (canonical JSON sorts keys, and the order written is the grid's order).
 */
export function gridSha256(sweep: Pick<SweepSpec, "params" | "zip" | "outputs" | "curves">): string {
  const spec = { params: sweep.params, order: Object.keys(sweep.params), zip: sweep.zip ?? [], outputs: sweep.outputs, curves: sweep.curves ?? [] };
  return createHash("sha256").update(canonicalJson(spec), "utf8").digest("hex");
}

const Count = z.number().int().nonnegative();
const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, "expected 64 hexadecimal digits");
/** an output, curve or parameter name: printable, one line */
const Label = z.string().min(1).regex(/^[^\u0000-\u001f\u007f]+$/, "expected a name without control characters");
const Seconds = z.number().nonnegative();

const PhasesSchema = z.object({
  setupSeconds: Seconds,
  computeSeconds: Seconds,
  writeSeconds: Seconds,
  figuresSeconds: Seconds,
  mainThreadShare: z.number().min(0).max(1).optional(),
});

const ShardSchema = z.object({ index: z.number().int().positive(), count: z.number().int().positive(), start: Count, end: Count });

const RowDigestsSchema = z.object({
  algorithm: z.literal(DIGEST_ALGORITHM),
  points: Count,
  pointsPerDigest: z.number().int().positive(),
  digests: z.array(Hex64),
});

export const SweepMetaSchema = z.object({
  name: ScenarioSchema.shape.name,
  engineVersion: z.string(),
  /** the build's commit (engine/build-id.ts); absent in files of older builds */
  engineBuild: z.string().max(64).optional(),
  scenarioSha256: Hex64,
  gridSha256: Hex64,
  seed: z.number().int(),
  grid: z.object({ params: z.record(Label, SweepAxisSchema), zip: z.array(z.array(Label)), size: Count }),
  outputs: z.array(Label).min(1),
  curves: z.array(Label),
  points: Count,
  failures: Count,
  // the two kinds of failures: no numbers (failed), numbers not certified optimal
  failed: Count.optional(),
  uncertified: Count.optional(),
  largestOptimalityGap: z.object({ gap: z.number().nonnegative().nullable(), point: Count }).optional(),
  elapsedSeconds: Seconds,
  computeSeconds: Seconds,
  phases: PhasesSchema.optional(),
  workers: z.number().int().positive(),
  validation: z.string(),
  workLimitSeconds: z.union([z.number().positive(), z.literal("none")]).optional(),
  shard: ShardSchema.nullable(),
  mergedFrom: z.array(z.string()).optional(),
  shardTimings: z
    .array(z.object({ index: z.number().int().positive(), points: Count, elapsedSeconds: Seconds, computeSeconds: Seconds, workers: z.number().int().positive(), phases: PhasesSchema.optional() }))
    .optional(),
  digests: z.object({ "sweep.csv": RowDigestsSchema, "sweep-curves.csv": RowDigestsSchema.optional() }),
  createdBy: z.string(),
  // provenance (SweepMeta): kept, not stripped, so a merge can record the scenario its shards
  // ran (lpe merge checks it against scenarioSha256), and the merged sweep.json can be rerun and
  // its figures keep the scenario's units and scales (a reviewer's merge lost all three)
  scenarioFile: z.string().optional(),
  overrides: z.array(z.string()).optional(),
  scenario: z.record(z.string(), z.unknown()).optional(),
});

export type SweepFileMeta = z.output<typeof SweepMetaSchema>;

export const MANIFEST_FORMAT = "lpe-sweep-manifest/1";

export const ManifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  identity: z.object({
    name: ScenarioSchema.shape.name,
    engineVersion: z.string(),
    engineBuild: z.string().max(64).optional(),
    scenarioSha256: Hex64,
    gridSha256: Hex64,
    gridSize: Count,
    params: z.array(Label),
    outputs: z.array(Label),
    curves: z.array(Label),
    shard: ShardSchema.nullable(),
    workLimitSeconds: z.union([z.number().positive(), z.literal("none")]).optional(),
  }),
  start: Count,
  end: Count,
  done: Count,
  doneRanges: z.array(z.tuple([Count, Count])),
  failures: Count,
  elapsedSeconds: Seconds,
  complete: z.boolean(),
  updatedAt: z.string(),
});

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return v.length === 0 ? "an empty list" : `a list of ${v.length}`;
  if (typeof v === "string") return `"${v.length > 40 ? v.slice(0, 40) + "…" : v}"`;
  if (typeof v === "object") return "an object";
  return String(v);
}

/** A JSON path for messages: a.b[0], with keys that are not identifiers in brackets (digests["sweep.csv"]). */
function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const k of path) {
    if (typeof k === "number") out += `[${k}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(k))) out += out ? `.${String(k)}` : String(k);
    else out += `[${JSON.stringify(String(k))}]`;
  }
  return out;
}

/** `data` checked against `schema`; an InputError names `file`, the field and what is wrong. */
export function checkJsonFile<S extends z.ZodType>(schema: S, data: unknown, file: string, hint = ""): z.output<S> {
  const r = schema.safeParse(data, { reportInput: true });
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = fieldPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  const got = `, got ${describe(input)}`;
  let what: string;
  if (issue.code === "invalid_type" && input === undefined) what = `is missing (expected ${issue.expected})`;
  else if (issue.code === "invalid_type") what = `expected ${issue.expected}${got}`;
  else if (issue.code === "invalid_value") what = `expected ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}${got}`;
  else if (issue.code === "invalid_format" && /(^|\.)name$/.test(field)) what = `expected a name of ASCII letters, digits, '.', '_', '-' starting with a letter or digit (no path)${got}`;
  else what = `${issue.message.replace(/^(Invalid input|Too small|Too big): /, "")}${input !== undefined ? got : ""}`;
  throw new InputError("", `${file}: ${field ? `field ${field}${what.startsWith("is ") ? " " : ": "}` : ""}${what}${hint}`);
}

/** Parse a JSON file; unreadable or malformed text is an InputError naming the file. */
export function readJsonFile(path: string, hint = ""): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError("", `${path} is not readable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})${hint}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError("", `${path} is not valid JSON (${(e as Error).message})${hint}`);
  }
}

/** A shard's (or whole sweep's) sweep.json, checked field by field and against its own grid hash and digests. */
export function readSweepMeta(dir: string): SweepFileMeta {
  const path = join(dir, "sweep.json");
  const meta = checkJsonFile(SweepMetaSchema, readJsonFile(path), path);
  const bad = (field: string, what: string) => new InputError("", `${path}: field ${field} ${what}`);
  if (gridSha256({ params: meta.grid.params, zip: meta.grid.zip, outputs: meta.outputs, curves: meta.curves }) !== meta.gridSha256) {
    throw bad("gridSha256", "does not match the grid, outputs and curves listed in the file (the file was edited)");
  }
  let size: number;
  try {
    size = buildSweepGrid(meta.grid).size;
  } catch (e) {
    if (e instanceof InputError) throw bad("grid", `is not a valid sweep grid (${e.message})`);
    throw e;
  }
  if (size !== meta.grid.size) throw bad("grid.size", `is ${meta.grid.size}, but the grid has ${size} points`);
  const s = meta.shard;
  if (s && !(s.index <= s.count && s.start <= s.end && s.end <= meta.grid.size)) throw bad("shard", `is not a slice of the ${meta.grid.size}-point grid`);
  const points = s ? s.end - s.start : meta.grid.size;
  if (meta.points !== points) throw bad("points", `is ${meta.points}, but the file covers ${points} grid points`);
  if (meta.scenario !== undefined) {
    // The recorded scenario is the merged sweep.json's provenance and its figures' (units, scales,
    // captions): a valid scenario, whose grid is the file's. (A security reviewer's shards with
    // `technology: {sigma: {}}` and a recomputed hash were merged into a sweep.json that
    // described no scenario, and one with `figures.caption: {a: 1}` broke its figures.)
    checkJsonFile(z.object({ scenario: ScenarioSchema }), { scenario: meta.scenario }, path);
    const sweep = (meta.scenario as { sweep?: { params?: unknown; zip?: unknown } }).sweep;
    const own = sweep ? gridSha256({ params: sweep.params as SweepSpec["params"], zip: (sweep.zip ?? []) as string[][], outputs: meta.outputs, curves: meta.curves }) : undefined;
    if (own !== meta.gridSha256) throw bad("scenario.sweep", "is not the grid the file lists (its params, zip, outputs and curves): the file was edited");
  }
  const files: [string, RowDigests | undefined][] = [
    ["sweep.csv", meta.digests["sweep.csv"]],
    ["sweep-curves.csv", meta.digests["sweep-curves.csv"]],
  ];
  for (const [file, d] of files) {
    if (!d) {
      if (file === "sweep-curves.csv" && meta.curves.length > 0) throw bad(`digests["${file}"]`, "is missing (the sweep keeps curves)");
      continue;
    }
    if (d.points !== points || d.digests.length !== digestCount(points, d.pointsPerDigest)) {
      throw bad(`digests["${file}"]`, `does not cover the file's ${points} grid points`);
    }
  }
  return meta;
}
