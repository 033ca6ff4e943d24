// The controls `lpe explore` shows for a scenario: a slider with a number box for every numeric
// parameter in the file, and a selector for each enumeration (the type distribution, the
// market's kind, the fine-tuning form). The scenario schema gives no numeric bounds (the
// economic checks do), so a slider spans the parameter's economic range where the model fixes
// one (σ and γ in [0, 1), weights in [0, 1], ρ ≤ 1), else a span around the current value:
// a decade either side, log-scaled, for costs; 0 to 3× the value for other positive numbers.
// Values typed into the box may leave the span; the next controls message widens it.
// Pure: runs in the page's worker on the parsed JSON.

import { formatJsonPath, getPath, setPath, type PathSegment } from "../engine/scenario/overrides.js";
import { knownKeysAt, ScenarioSchema, schemasAt } from "../engine/scenario/schema.js";
import { simplexPartners } from "./simplex.js";

export interface NumberControl {
  kind: "number";
  /** JSON path as lpe prints it (market.fringe.cost, technology.tokens.classes[0].cost) */
  path: string;
  segments: PathSegment[];
  value: number;
  min: number;
  max: number;
  log: boolean;
  integer: boolean;
  /** the entries that sum to 1 with this one (explore/simplex.ts): the page moves them too */
  partners?: PathSegment[][];
}

export interface EnumControl {
  kind: "enum";
  path: string;
  segments: PathSegment[];
  value: string;
  options: string[];
  /** for each option, the fields its object may have: switching keeps those, sets the rest aside */
  fields: Record<string, string[]>;
}

export type Control = NumberControl | EnumControl;

/** Blocks that are not parameters of the economics, or that the page treats on its own. */
const SKIP_TOP = new Set(["$schema", "name", "description", "units", "sweep", "calibrate", "figures"]);
/** Arrays longer than this (atoms, samples) are edited as JSON, not one slider per entry. */
const MAX_ARRAY_CONTROLS = 12;
/** Sliders beyond this many would bury the page; the JSON editor has the rest. */
export const MAX_CONTROLS = 80;

interface Bounds {
  lo: number;
  hi: number;
  /** whether lo / hi themselves are allowed */
  loOpen: boolean;
  hiOpen: boolean;
}

/** The model's own range of a parameter, by where it sits (docs/model.md). */
function economicBounds(segments: readonly PathSegment[]): Bounds | undefined {
  const key = segments[segments.length - 1];
  const top = segments[0];
  if (top === "technology" && segments.length === 2 && key === "sigma") return { lo: 0, hi: 1, loOpen: true, hiOpen: true };
  if (key === "gamma") return { lo: 0, hi: 1, loOpen: false, hiOpen: true };
  if (key === "alpha" && top === "technology") return { lo: 0, hi: 1, loOpen: false, hiOpen: false };
  if (key === "weight" || key === "weights" || (typeof key === "number" && (segments[segments.length - 2] === "weights" || segments[segments.length - 2] === "probs"))) return { lo: 0, hi: 1, loOpen: false, hiOpen: false };
  if (key === "rho" && top === "technology") return { lo: -2, hi: 1, loOpen: false, hiOpen: false };
  return undefined;
}

const tidy = (v: number) => (v === 0 ? 0 : Number(v.toPrecision(4)));

function numberControl(segments: PathSegment[], value: number, integer: boolean): NumberControl {
  const key = String(segments[segments.length - 1]);
  const log = !integer && value > 0 && /cost/i.test(key);
  const b = economicBounds(segments);
  let lo: number;
  let hi: number;
  if (integer) {
    lo = Math.max(key === "points" ? 2 : key === "count" ? 1 : 0, Math.floor(value / 4));
    hi = Math.max(lo + 10, Math.ceil(value * 4));
  } else if (log) {
    lo = tidy(value / 10);
    hi = tidy(value * 10);
  } else if (b) {
    const span = b.hi - b.lo;
    lo = b.loOpen ? b.lo + span / 1000 : b.lo;
    hi = b.hiOpen ? b.hi - span / 1000 : b.hi;
  } else if (value > 0) {
    lo = 0;
    hi = tidy(3 * value);
  } else if (value < 0) {
    lo = tidy(3 * value);
    hi = 0;
  } else {
    lo = 0;
    hi = 1;
  }
  return { kind: "number", path: formatJsonPath(segments), segments, value, min: Math.min(lo, value), max: Math.max(hi, value), log, integer };
}

/** The literal values a discriminator key takes across the alternatives at `parent`. */
function enumOptions(parent: readonly PathSegment[], key: string): string[] {
  const values = new Set<string>();
  for (const s of schemasAt(ScenarioSchema, parent)) {
    const shape = (s as unknown as { _zod: { def: { shape?: Record<string, { _zod: { def: { type: string; values?: unknown[] } } }> } } })._zod.def.shape;
    const field = shape?.[key]?._zod.def;
    if (field && (field.type === "literal" || field.type === "enum")) for (const v of field.values ?? []) if (typeof v === "string") values.add(v);
  }
  return [...values];
}

let memo: { shape: string; controls: Control[] } | undefined;

/**
 * Every control of a parsed scenario, in file order (at most MAX_CONTROLS). A slider step
 * changes one number, not the file's shape: then the previous controls are reused with the new
 * values (the schema lookups cost a few ms per step otherwise).
 */
export function scenarioControls(raw: unknown): Control[] {
  const shape = JSON.stringify(raw, (_k, v: unknown) => (typeof v === "number" ? 0 : v));
  if (memo?.shape === shape) {
    return memo.controls.map((c) => {
      const v = getPath(raw, c.segments);
      return c.kind === "number"
        ? typeof v === "number" && v >= c.min && v <= c.max
          ? { ...c, value: v }
          : { ...numberControl(c.segments, v as number, c.integer), ...(c.partners ? { partners: c.partners } : {}) }
        : { ...c, value: v as string };
    });
  }
  const controls = buildControls(raw);
  memo = { shape, controls };
  return controls;
}

function buildControls(raw: unknown): Control[] {
  const out: Control[] = [];
  const integerAt = (segments: PathSegment[]) => schemasAt(ScenarioSchema, segments, raw).some((s) => (s as unknown as { isInt?: boolean }).isInt === true);
  const visit = (v: unknown, segments: PathSegment[]) => {
    if (out.length >= MAX_CONTROLS) return;
    if (typeof v === "number" && Number.isFinite(v)) {
      const control = numberControl(segments, v, integerAt(segments));
      const partners = simplexPartners(raw, segments);
      out.push(partners.length > 0 ? { ...control, partners } : control);
    } else if (typeof v === "string" && segments.length > 0) {
      const key = segments[segments.length - 1];
      if (typeof key !== "string") return;
      const options = enumOptions(segments.slice(0, -1), key);
      if (options.length > 1 && options.includes(v)) {
        const parent = segments.slice(0, -1);
        const fields = Object.fromEntries(options.map((o) => [o, knownKeysAt(parent, setPath(raw, segments, o))]));
        out.push({ kind: "enum", path: formatJsonPath(segments), segments, value: v, options, fields });
      }
    } else if (Array.isArray(v)) {
      if (v.length <= MAX_ARRAY_CONTROLS) v.forEach((x, i) => visit(x, [...segments, i]));
    } else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) if (!(segments.length === 0 && SKIP_TOP.has(k))) visit(x, [...segments, k]);
    }
  };
  visit(raw, []);
  return out;
}
