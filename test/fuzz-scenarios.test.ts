// Acceptance fuzz test (issue 16): fast-check mutates the shipped scenarios (scenarios/**/*.json)
// — numbers (0, negative, huge, tiny, 5e-324, 1e308, numbers written as strings), strings (long,
// Unicode, path-like, TeX- and shell-like), deleted and duplicated keys, other kinds, wrong
// types, deep nesting, long arrays, unknown keys — and runs the CLI in-process on each: `validate`,
// then `solve --no-figures` (with figures for a few). For every case: the exit status is 0, 1, 2
// or 3; no stack trace and no "internal error" on any output; no file appears outside the case's
// output folder (nor in the repository); when validate says ok, solve does not call the input
// bad (exit 2); each command finishes in bounded time, and the heap stays bounded.
//
// 2,000 cases by default (CI, fixed seed); LPE_FUZZ_RUNS=20000 for more, LPE_FUZZ_SEED for
// another seed, LPE_FUZZ_COLLECT=1 to run all cases and list every failure. The base scenarios
// get a 21-point grid and the value–scale ones (ten times slower to solve) are drawn less
// often, so that a case costs milliseconds; grid sizes are themselves fuzzed.
import fc from "fast-check";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../cli/lpe.js";

const root = new URL("..", import.meta.url).pathname;
const RUNS = Number(process.env.LPE_FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.LPE_FUZZ_SEED ?? 16_10_12);
/** Wall-clock bound of one command (the machine is shared: the work limit itself is ~20 s of one core). */
const COMMAND_SECONDS = Number(process.env.LPE_FUZZ_COMMAND_SECONDS ?? 60);
/** Heap growth allowed over the whole run, after a garbage collection. */
const HEAP_GROWTH_MB = 400;
/** LPE_FUZZ_COLLECT=1: run every case and list all failures at the end (exploration), instead of stopping at the first. */
const COLLECT = process.env.LPE_FUZZ_COLLECT === "1";
const failures: string[] = [];

v8.setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

// ---------------------------------------------------------------- the shipped scenarios

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsonFiles(join(dir, e.name)) : e.name.endsWith(".json") ? [join(dir, e.name)] : [],
  );
}
const BASES = jsonFiles(join(root, "scenarios"))
  .sort()
  .map((f) => {
    const s = JSON.parse(readFileSync(f, "utf8"));
    delete s.$schema;
    s.grid = { ...(s.grid ?? {}), points: 21 };
    return s as Record<string, unknown>;
  });

// ---------------------------------------------------------------- hostile values

const NUMBERS: unknown[] = [
  0, -0, -1, 1, 2, 0.5, 3.5, 64, 65, 401, 99_999, 100_001, 1e6, 1e9, 1e15, 2 ** 53 + 2, 1e300, 1e308, -1e308, 1e-300, 5e-324, -5e-324,
  0.999999999, 1 - 1e-16, 1e-9, -1e-9, "NaN", "Infinity", "-Infinity", "1e999", "0x10", "", "1,5", "0.5",
];
const STRINGS: unknown[] = [
  "", " ", "x".repeat(300), "y".repeat(10_001), "θσγ€𝔘", "nul\u0000byte", "\u202eevil", "../../../tmp/ESCAPED", "/etc/passwd", "a/b", "C:\\x",
  "\\input{/etc/hostname}", "out}\\immediate\\write18{touch PWNED}\\addlegendentry{", "$(touch PWNED)", "`id`", "=1+2", "-cmd", "in,put", "new\nline",
  '"quoted"', "%comment", "uniform", "discrete", "mixture", "expression", "monopoly", "compare", "tiers", "ces", "baseline", "1/theta",
  "theta^-0.5", "exp(-theta)", "import('fs')", "1 - 2*exp(-1e8*(theta - 0.5)^2)", "abs(sin(1e9*theta))", "sigam", "NaN",
];
const KINDS: Record<string, string[]> = {
  dist: ["uniform", "beta", "truncExponential", "truncLognormal", "truncPareto", "discrete", "mixture", "expression", "normal"],
  kind: ["monopoly", "tiers", "efficient", "multiModelMonopoly", "leaderFringe", "compare", "none", "ces", "baseline", "baselinePerClass", "iid", "valueScale", "duopoly"],
};
const TYPES: unknown[] = [null, true, false, [], {}, "1", 1, [1, 2], { a: 1 }, [[]], [{}]];
const KEYS = ["sigam", "Sigma", "extra", "x".repeat(300), "__proto__", "constructor", "toString", "θ", ""];

// ---------------------------------------------------------------- mutations

interface Op {
  kind: "scale" | "number" | "string" | "delete" | "duplicate" | "kind" | "type" | "nest" | "grow" | "key";
  pick: number;
  value: number;
}
interface Plan {
  base: number;
  ops: Op[];
  figures: boolean;
}

type Path = (string | number)[];
type Json = unknown;

/** Every path in v with its value, depth first. */
function paths(v: Json, at: Path = [], out: [Path, Json][] = []): [Path, Json][] {
  out.push([at, v]);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function setAt(root: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], root);
  parent[path[path.length - 1]] = value;
  return root;
}

/** Apply the plan; returns the JSON text (duplicated keys need text). */
function mutate(plan: Plan): string {
  let s: Json = structuredClone(BASES[plan.base]);
  let duplicate: { path: Path; key: string; value: Json } | undefined;
  const nests: [string, string][] = [];
  for (const op of plan.ops) {
    const all = paths(s);
    const choose = <T>(xs: T[]): T | undefined => (xs.length ? xs[op.pick % xs.length] : undefined);
    const pool = <T>(xs: T[]): T => xs[op.value % xs.length];
    switch (op.kind) {
      case "scale": {
        // a plausible change that often stays valid, so that the solvers see many cases
        const t = choose(all.filter(([, v]) => typeof v === "number"));
        if (t) s = setAt(s, t[0], (t[1] as number) * pool([0.5, 0.9, 1.1, 2, 10, 0.1, 0.99, 1.5, 100, 1e-3]));
        break;
      }
      case "number": {
        const t = choose(all.filter(([, v]) => typeof v === "number"));
        if (t) s = setAt(s, t[0], pool(NUMBERS));
        break;
      }
      case "string": {
        const t = choose(all.filter(([p, v]) => typeof v === "string" && p.length > 0));
        if (t) s = setAt(s, t[0], pool(STRINGS));
        break;
      }
      case "kind": {
        const t = choose(all.filter(([p, v]) => typeof v === "string" && (p[p.length - 1] === "dist" || p[p.length - 1] === "kind")));
        if (t) s = setAt(s, t[0], pool(KINDS[t[0][t[0].length - 1] as string]));
        break;
      }
      case "type": {
        const t = choose(all.filter(([p]) => p.length > 0));
        if (t) s = setAt(s, t[0], structuredClone(pool(TYPES)));
        break;
      }
      case "delete": {
        const t = choose(all.filter(([p]) => p.length > 0 && typeof p[p.length - 1] === "string"));
        if (t) delete t[0].slice(0, -1).reduce<any>((o, k) => o[k], s)[t[0][t[0].length - 1]];
        break;
      }
      case "key": {
        const t = choose(all.filter(([, v]) => v !== null && typeof v === "object" && !Array.isArray(v)));
        // defineProperty: a plain assignment to "__proto__" would not add a field
        if (t) Object.defineProperty(t[1], pool(KEYS), { value: pool(NUMBERS), enumerable: true, writable: true, configurable: true });
        break;
      }
      case "duplicate": {
        const t = choose(all.filter(([p]) => p.length > 0 && typeof p[p.length - 1] === "string"));
        if (t) duplicate = { path: t[0].slice(0, -1), key: t[0][t[0].length - 1] as string, value: op.value % 2 ? pool(NUMBERS) : pool(STRINGS) };
        break;
      }
      case "nest": {
        // written as text after serialization (deep trees would overflow this test's own recursion)
        const t = choose(all.filter(([p]) => p.length > 0));
        if (!t) break;
        const depth = pool([3, 10, 40, 70, 300, 5000]);
        const inner = serialize(t[1]);
        const mixture = op.value % 3 === 0 && t[1] !== null && typeof t[1] === "object" && "dist" in (t[1] as object);
        const [open, close] = mixture ? ['{"dist":"mixture","weights":[1],"components":[', "]}"] : op.value % 3 === 1 ? ["[", "]"] : ['{"x":', "}"];
        const marker = `\u0001nest${nests.length}\u0001`;
        nests.push([JSON.stringify(marker), open.repeat(depth) + inner + close.repeat(depth)]);
        s = setAt(s, t[0], marker);
        break;
      }
      case "grow": {
        const t = choose(all.filter(([, v]) => Array.isArray(v) && v.length > 0));
        if (t) {
          const times = pool([2, 3, 10, 70, 1000]);
          s = setAt(s, t[0], Array.from({ length: times }, () => structuredClone(t[1] as unknown[])).flat());
        }
        break;
      }
    }
  }
  let text = serialize(s, duplicate);
  for (const [marker, deep] of nests.reverse()) text = text.replace(marker, () => deep);
  return text;
}

/** JSON text; `duplicate` adds a second entry for one key of one object (JSON.parse keeps the last). */
function serialize(v: Json, duplicate?: { path: Path; key: string; value: Json }, at: Path = []): string {
  if (Array.isArray(v)) return `[${v.map((x, i) => serialize(x, duplicate, [...at, i])).join(",")}]`;
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  const entries = Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${serialize(x, duplicate, [...at, k])}`);
  if (duplicate && duplicate.path.length === at.length && duplicate.path.every((p, i) => p === at[i])) {
    entries.push(`${JSON.stringify(duplicate.key)}:${JSON.stringify(duplicate.value)}`);
  }
  return `{${entries.join(",")}}`;
}

const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom<Op["kind"]>("scale", "scale", "scale", "scale", "number", "number", "string", "delete", "duplicate", "kind", "kind", "type", "nest", "grow", "key"),
  pick: fc.nat(),
  value: fc.nat(),
});
/** Bases by weight: value–scale types cost about ten times more per solve (their ironing integrates). */
const CHEAP = BASES.map((b, i) => [b, i] as const).filter(([b]) => !("valueScale" in (b.buyers as object))).map(([, i]) => i);
const COSTLY = BASES.map((_, i) => i).filter((i) => !CHEAP.includes(i));
const plan: fc.Arbitrary<Plan> = fc.record({
  base: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...CHEAP) }, { weight: 1, arbitrary: fc.constantFrom(...COSTLY) }),
  ops: fc.array(op, { minLength: 1, maxLength: 2 }),
  figures: fc.nat({ max: 199 }).map((n) => n === 0),
});

// ---------------------------------------------------------------- running a case

const fuzzRoot = mkdtempSync(join(tmpdir(), "lpe-fuzz-"));
afterAll(() => rmSync(fuzzRoot, { recursive: true, force: true }));

interface Run {
  code: number;
  text: string;
  seconds: number;
}

async function lpe(argv: string[]): Promise<Run> {
  let text = "";
  const t0 = performance.now();
  const code = await main(argv, { out: (s) => void (text += s + "\n"), err: (s) => void (text += s + "\n") });
  return { code, text, seconds: (performance.now() - t0) / 1000 };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => !e.isDirectory())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

const stats = { time: { validate: 0, solve: 0, figures: 0 }, cases: 0, validOk: 0, solved: 0, codes: {} as Record<string, number>, slowest: { seconds: 0, what: "" }, largest: { bytes: 0, seconds: 0, what: "" } };

function expectClean(r: Run, what: string): void {
  expect([0, 1, 2, 3], `${what}: exit ${r.code}\n${r.text}`).toContain(r.code);
  expect(r.text, `${what}: a stack trace`).not.toMatch(/^\s+at /m);
  expect(r.text, `${what}: an internal error`).not.toMatch(/internal error/i);
  expect(r.seconds, `${what}: took ${r.seconds.toFixed(1)} s`).toBeLessThan(COMMAND_SECONDS);
}

async function runCase(p: Plan): Promise<void> {
  const n = ++stats.cases;
  const dir = join(fuzzRoot, `c${n}`);
  const out = join(dir, "out");
  mkdirSync(dir);
  const file = join(dir, "scenario.json");
  const text = mutate(p);
  writeFileSync(file, text);
  const what = `case ${n} (base ${p.base}, ops ${JSON.stringify(p.ops)}): ${text.length > 600 ? text.slice(0, 600) + "…" : text}`;
  try {
    const v = await lpe(["validate", file]);
    expectClean(v, `validate ${what}`);
    const s = await lpe(["solve", file, "--out", out, ...(p.figures ? [] : ["--no-figures"])]);
    expectClean(s, `solve ${what}`);
    stats.time.validate += v.seconds;
    stats.time[p.figures ? "figures" : "solve"] += s.seconds;
    if (v.code === 0) {
      stats.validOk++;
      expect(s.code, `validate said ok, solve said bad input: ${what}\n${s.text}`).not.toBe(2);
    }
    stats.codes[`${v.code}/${s.code}`] = (stats.codes[`${v.code}/${s.code}`] ?? 0) + 1;
    if (s.code === 0 || s.code === 1) {
      stats.solved++;
      if (text.length > stats.largest.bytes) stats.largest = { bytes: text.length, seconds: s.seconds, what: `case ${n}` };
    }
    if (s.seconds + v.seconds > stats.slowest.seconds) stats.slowest = { seconds: s.seconds + v.seconds, what: `case ${n}: ${s.text.split("\n")[0]}` };
    // nothing but the scenario file and the output folder
    const stray = filesUnder(dir).filter((f) => f !== "scenario.json" && !f.startsWith(`out/`));
    expect(stray, `files outside the output folder: ${what}`).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("fuzzed shipped scenarios", () => {
  it(`${RUNS} mutated scenarios through validate and solve`, { timeout: Math.max(300_000, RUNS * 500) }, async () => {
    expect(BASES.length).toBeGreaterThanOrEqual(10);
    const repoBefore = readdirSync(root).sort();
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    let heapMax = heap0;
    await fc.assert(
      fc.asyncProperty(plan, async (p) => {
        if (!COLLECT) await runCase(p);
        else {
          try {
            await runCase(p);
          } catch (e) {
            failures.push(`${JSON.stringify(p)}\n${(e as Error).message.split("\n").slice(0, 4).join("\n")}`);
          }
        }
        if (stats.cases % 100 === 0) {
          gc();
          heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
          expect((heapMax - heap0) / 2 ** 20, `heap growth after ${stats.cases} cases`).toBeLessThan(HEAP_GROWTH_MB);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(readdirSync(root).sort(), "files appeared in the repository").toEqual(repoBefore);
    if (failures.length) console.log(`fuzz failures (${failures.length}):\n${failures.join("\n\n")}`);
    expect(failures).toEqual([]);
    console.log(
      `fuzz: ${stats.cases} cases (seed ${SEED}); validate ok ${stats.validOk}, solved (exit 0/1) ${stats.solved}; ` +
        `exit codes validate/solve ${JSON.stringify(stats.codes)}; slowest ${stats.slowest.seconds.toFixed(2)} s (${stats.slowest.what}); ` +
        `largest solved input ${stats.largest.bytes} bytes in ${stats.largest.seconds.toFixed(2)} s (${stats.largest.what}); ` +
        `heap growth ${((heapMax - heap0) / 2 ** 20).toFixed(0)} MB; seconds in validate ${stats.time.validate.toFixed(0)}, solve ${stats.time.solve.toFixed(0)}, solve with figures ${stats.time.figures.toFixed(0)}`,
    );
    // the mutations must reach the solvers, not only the parser
    expect(stats.solved).toBeGreaterThan(RUNS / 10);
  });
});
