// Sweeps against tampered, hostile or broken surroundings (issue 16): `lpe merge` refuses a
// shard whose rows were edited after its run (naming shard, line and grid point) and one whose
// sweep.json names a path or lacks fields; a point whose outputs are not all finite is not `ok`;
// the SLURM script runs no command hidden in a path; temporary files of dead runs are removed
// by the next run (and a failed rename leaves none); a full disk is reported once.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compiledLpe, type Run } from "./helpers/cli-in-process.js";
import { writeFileAtomic } from "../engine/results/atomic-write.js";
import { AtomicTextWriter } from "../engine/results/sweep-csv.js";

const ROOT = join(import.meta.dirname, "..");
const FIX = join(ROOT, "test", "fixtures", "sweeps");

let lpe: (...argv: string[]) => Promise<Run>;

const tmp = () => mkdtempSync(join(tmpdir(), "lpe-integrity-"));
const read = (...p: string[]) => readFileSync(join(...p), "utf8");
/** no JavaScript error text leaks to the user */
const clean = (r: Run) => expect(r.err).not.toMatch(/internal error|Cannot read properties|undefined|\n\s+at /);

beforeAll(async () => {
  lpe = await compiledLpe();
});

// Shards of the 21-point monopoly-2d sweep (7 rows each) and the single run they must merge into.
let single: string;
let sharded: string;
beforeAll(async () => {
  single = tmp();
  sharded = tmp();
  const file = join(FIX, "monopoly-2d.json");
  expect((await lpe("sweep", file, "--workers", "1", "--no-figures", "--out", single)).code).toBe(0);
  for (const i of [1, 2, 3]) expect((await lpe("sweep", file, "--workers", "1", "--out", sharded, "--shard", `${i}/3`)).code).toBe(0);
});

/** A copy of the shards with `edit` applied to the text of shard-2-of-3/<file>. */
function tamperedCopy(file: string, edit: (text: string) => string): string {
  const copy = tmp();
  cpSync(join(sharded, "monopoly-2d"), join(copy, "monopoly-2d"), { recursive: true });
  const path = join(copy, "monopoly-2d", "shard-2-of-3", file);
  const before = readFileSync(path, "utf8");
  const after = edit(before);
  expect(after, "the edit must change the file").not.toBe(before);
  writeFileSync(path, after);
  return join(copy, "monopoly-2d");
}

/** Edit line `n` (1-based, header = 1) of a CSV text. */
const onLine = (n: number, f: (line: string) => string) => (text: string) =>
  text
    .split("\n")
    .map((l, i) => (i === n - 1 ? f(l) : l))
    .join("\n");
/** Replace cell `k` of a row. */
const cell = (k: number, f: (c: string) => string) => (line: string) =>
  line
    .split(",")
    .map((c, i) => (i === k ? f(c) : c))
    .join(",");

/** Each edit of shard 2's JSON `file` makes the merge refuse with exit 2, the message `said`
 *  naming the file and how to restore it, and nothing written. */
async function refusesEdits(file: string, edits: [string, (m: Record<string, any>) => void, RegExp][]): Promise<void> {
  for (const [what, edit, said] of edits) {
    const parent = tamperedCopy(file, (t) => {
      const m = JSON.parse(t);
      edit(m);
      return JSON.stringify(m);
    });
    const out = tmp();
    const r = await lpe("merge", parent, "--out", out, "--no-figures");
    expect(r.code, what).toBe(2);
    expect(r.err, what).toMatch(said);
    expect(r.err, what).toContain(`shard-2-of-3/${file}`);
    expect(r.err, what).toContain("run shard 2/3 again");
    clean(r);
    expect(existsSync(join(out, "monopoly-2d")), what).toBe(false);
  }
}

describe("lpe merge checks the shards' row digests", () => {
  it("merges untampered shards into the bytes of a single run, and records the digests it checks", async () => {
    const out = tmp();
    const r = await lpe("merge", join(sharded, "monopoly-2d"), "--out", out, "--no-figures");
    expect(r.code).toBe(0);
    expect(read(out, "monopoly-2d", "sweep.csv")).toBe(read(single, "monopoly-2d", "sweep.csv"));
    const shard = JSON.parse(read(sharded, "monopoly-2d", "shard-2-of-3", "sweep.json"));
    expect(shard.digests["sweep.csv"]).toMatchObject({ algorithm: "sha256", points: 7, pointsPerDigest: 1 });
    expect(shard.digests["sweep.csv"].digests).toHaveLength(7);
    // the merged file records its own digests, the same as a single run's
    const merged = JSON.parse(read(out, "monopoly-2d", "sweep.json"));
    const one = JSON.parse(read(single, "monopoly-2d", "sweep.json"));
    expect(merged.digests).toEqual(one.digests);
    expect(merged.digests["sweep.csv"].digests).toHaveLength(21);
  });

  // shard 2/3 holds grid points 7..13; line 4 of its sweep.csv is point 9; profit is cell 4 (after point, two params, status)
  const tampers: [string, (t: string) => string, number, number][] = [
    ["one digit of a profit cell flipped", onLine(4, cell(4, (c) => c.replace(/[1-8]/, (d) => String(Number(d) + 1)))), 4, 9],
    ["a profit cell set to 1e308", onLine(5, cell(4, () => "1e308")), 5, 10],
    ["a profit cell emptied", onLine(2, cell(4, () => "")), 2, 7],
    ["ok changed to other text", onLine(8, cell(3, () => "fine")), 8, 13],
    ["the last digit of the last row changed", (t) => t.replace(/\d\n$/, (m) => `${(Number(m[0]) + 1) % 10}\n`), 8, 13],
  ];
  it.each(tampers)("refuses %s, naming the shard, the line and the grid point", async (_what, edit, line, point) => {
    const parent = tamperedCopy("sweep.csv", edit);
    const out = tmp();
    const r = await lpe("merge", parent, "--out", out, "--no-figures");
    expect(r.code).toBe(2);
    expect(r.err).toContain(`shard-2-of-3/sweep.csv: line ${line} (grid point ${point}): not what the shard run wrote`);
    expect(r.err).toMatch(/run shard 2\/3 again/);
    clean(r);
    expect(existsSync(join(out, "monopoly-2d"))).toBe(false);
  });

  it("refuses text after a shard's rows, and shows it (a blank line too)", async () => {
    for (const [extra, said] of [
      ["\n", 'text after the 7 rows of shard 2, from line 9: "\\n"'],
      ["14,1,2,ok,1\n", 'text after the 7 rows of shard 2, from line 9: "14,1,2,ok,1\\n"'],
    ]) {
      const r = await lpe("merge", tamperedCopy("sweep.csv", (t) => t + extra), "--out", tmp(), "--no-figures");
      expect(r.code).toBe(2);
      expect(r.err).toContain(`shard-2-of-3/sweep.csv: ${said}`);
      clean(r);
    }
  });

  it("says a shard's sweep.csv saved with Windows line endings is that, not an unexpected header (a reviewer's)", async () => {
    const r = await lpe("merge", tamperedCopy("sweep.csv", (t) => t.replace(/\n/g, "\r\n")), "--out", tmp(), "--no-figures");
    expect(r.code).toBe(2);
    expect(r.err).toContain("shard-2-of-3/sweep.csv: its lines end in CR LF (Windows line endings");
    expect(r.err).not.toContain("unexpected header");
    clean(r);
  });

  it("merges once the tampered shard is run again as the message says, into its own folder", async () => {
    const parent = tamperedCopy("sweep.csv", onLine(4, cell(4, (c) => c.replace(/[1-8]/, (d) => String(Number(d) + 1)))));
    const refused = await lpe("merge", parent, "--out", tmp(), "--no-figures");
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`run shard 2/3 again (it replaces ${join(parent, "shard-2-of-3")})`);
    // the shard's run again, over its files, with nothing deleted first
    const again = await lpe("sweep", join(FIX, "monopoly-2d.json"), "--workers", "1", "--out", dirname(parent), "--shard", "2/3");
    expect(again.code, again.err).toBe(0);
    const out = tmp();
    expect((await lpe("merge", parent, "--out", out, "--no-figures")).code).toBe(0);
    expect(read(out, "monopoly-2d", "sweep.csv")).toBe(read(single, "monopoly-2d", "sweep.csv"));
  });

  it("refuses a sweep.json whose recorded scenario, seed or name was edited (a reviewer's merge captioned an edited c_L over rows computed at another)", async () => {
    const edits: [string, (m: Record<string, any>) => void, RegExp][] = [
      ["a cost in the recorded scenario", (m) => (m.scenario.technology.aggregate.kappa = 0.31), /its recorded scenario does not hash to its scenarioSha256/],
      ["the recorded scenario removed", (m) => delete m.scenario, /records no scenario/],
      ["the seed", (m) => (m.seed = 99), /seed 99 differs from the recorded scenario's/],
    ];
    await refusesEdits("sweep.json", edits);
    // untampered: the merged sweep.json keeps the provenance, and reruns
    const out = tmp();
    expect((await lpe("merge", join(sharded, "monopoly-2d"), "--out", out, "--no-figures")).code).toBe(0);
    const merged = JSON.parse(read(out, "monopoly-2d", "sweep.json"));
    expect(merged.scenario).toEqual(JSON.parse(read(sharded, "monopoly-2d", "shard-1-of-3", "sweep.json")).scenario);
    expect(merged.scenarioFile).toBeDefined();
    // a result file without its record is refused as a rerun with that said, not read as a scenario
    delete merged.scenario;
    const stripped = join(tmp(), "sweep.json");
    writeFileSync(stripped, JSON.stringify(merged));
    const rerun = await lpe("sweep", stripped, "--out", tmp(), "--no-figures");
    expect(rerun.code).toBe(2);
    expect(rerun.err).toContain("this result file records no scenario to rerun");
    clean(rerun);
  });

  it("refuses a finished shard's manifest.json that disagrees with its sweep.json (a reviewer's edited `done` and scenario hash merged without a word)", async () => {
    const edits: [string, (m: Record<string, any>) => void, RegExp][] = [
      ["done", (m) => (m.done = 5), /manifest\.json: done is 5 where sweep\.json says \d+/],
      ["the scenario's hash", (m) => (m.identity.scenarioSha256 = "0".repeat(64)), /manifest\.json: identity\.scenarioSha256 is "0{64}" where sweep\.json says "[0-9a-f]{64}"/],
      ["complete", (m) => (m.complete = false), /manifest\.json: complete is false where sweep\.json says true/],
    ];
    await refusesEdits("manifest.json", edits);
  });

  it("names what is wrong with a shard copied under another name, a stray shard-4-of-3 folder, or a folder in a file's place (a reviewer's)", async () => {
    // a truncated sweep.json in a folder not named shard-I-of-N: the JSON is what is wrong
    const copy = tmp();
    cpSync(join(sharded, "monopoly-2d", "shard-1-of-3"), join(copy, "b"), { recursive: true });
    writeFileSync(join(copy, "b", "sweep.json"), readFileSync(join(copy, "b", "sweep.json"), "utf8").slice(0, 100));
    const truncated = await lpe("merge", join(copy, "b"), "--out", tmp(), "--no-figures");
    expect(truncated.code).toBe(2);
    expect(truncated.err).toContain(`${join(copy, "b", "sweep.json")} is not valid JSON`);
    // shard-4-of-3 is no shard: ignored, the three real ones merge (no advice to run --shard 4/3)
    const parent = tamperedCopy("sweep.json", (t) => t + " ");
    mkdirSync(join(parent, "shard-4-of-3"));
    const stray = await lpe("merge", parent, "--out", tmp(), "--no-figures");
    expect(stray.code, stray.err).toBe(0);
    expect(stray.err).not.toMatch(/4\/3/);
    // a folder where sweep.csv should be: the path is named
    rmSync(join(parent, "shard-2-of-3", "sweep.csv"));
    mkdirSync(join(parent, "shard-2-of-3", "sweep.csv"));
    const folder = await lpe("merge", parent, "--out", tmp(), "--no-figures");
    expect(folder.code).toBe(3);
    expect(folder.err).toContain(`cannot read ${JSON.stringify(join(parent, "shard-2-of-3", "sweep.csv"))}: it is a folder, not a file (EISDIR)`);
  });

  it("refuses an edited sweep-curves.csv, naming the grid point whose curve changed", async () => {
    const base = tmp();
    for (const i of [1, 2]) expect((await lpe("sweep", join(FIX, "lf-curves.json"), "--workers", "1", "--out", base, "--shard", `${i}/2`)).code).toBe(0);
    const path = join(base, "lf-curves", "shard-2-of-2", "sweep-curves.csv");
    const lines = readFileSync(path, "utf8").split("\n");
    // shard 2/2 holds points 1 and 2, 11 curve lines each: line 14 is point 2's second line
    expect(lines[13].startsWith("2,")).toBe(true);
    lines[13] = lines[13].replace(/,(\d)\.(\d)/, (_m, a, b) => `,${a}.${(Number(b) + 1) % 10}`);
    writeFileSync(path, lines.join("\n"));
    const r = await lpe("merge", join(base, "lf-curves"), "--out", tmp(), "--no-figures");
    expect(r.code).toBe(2);
    expect(r.err).toContain("shard-2-of-2/sweep-curves.csv: lines 13–23 (grid point 2): not what the shard run wrote");
    clean(r);
  });
});

// Above 100,000 points (no curve files) merge streams the shards' rows: each checked and copied,
// in pieces of 4 MiB, so that its memory does not grow with the grid (workers/sweep-merge.ts
// streamMergedRows). 150,000 points in 3 shards: each shard's sweep.csv (5.3 MB) is read in two
// pieces, with a row and a digest block across the seam.
describe("lpe merge of a large grid (streamed)", () => {
  const P = 150_000;
  let big: string;
  let bigSingle: string;
  let bigFile: string;
  beforeAll(async () => {
    big = tmp();
    bigSingle = tmp();
    bigFile = join(big, "lf-big.json");
    writeFileSync(
      bigFile,
      JSON.stringify({
        name: "lf-big",
        buyers: { theta: { dist: "uniform", min: 0, max: 1 } },
        technology: { sigma: 0.5 },
        market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } },
        sweep: { params: { "market.fringe.cost": { linspace: [0.05, 0.29, P] } }, outputs: ["thetaLow", "thetaHigh", "profit", "fringeSpendShare"] },
      }),
    );
    expect((await lpe("sweep", bigFile, "--workers", "1", "--out", bigSingle)).code).toBe(0);
    for (const i of [1, 2, 3]) expect((await lpe("sweep", bigFile, "--workers", "1", "--no-figures", "--out", big, "--shard", `${i}/3`)).code).toBe(0);
  }, 120_000);

  /** A copy of the large shards with `edit` applied to shard-2-of-3/sweep.csv; with `forge`, its
   *  sweep.json's digests recomputed for the edited rows (what only a deliberate forger does). */
  function bigTampered(edit: (text: string) => string, forge = false): string {
    const copy = tmp();
    cpSync(join(big, "lf-big"), join(copy, "lf-big"), { recursive: true });
    const path = join(copy, "lf-big", "shard-2-of-3", "sweep.csv");
    const before = readFileSync(path, "utf8");
    const after = edit(before);
    expect(after, "the edit must change the file").not.toBe(before);
    writeFileSync(path, after);
    if (forge) {
      const metaPath = join(copy, "lf-big", "shard-2-of-3", "sweep.json");
      const meta = JSON.parse(readFileSync(metaPath, "utf8"));
      const d = meta.digests["sweep.csv"];
      const lines = after.split("\n").slice(1, -1).map((l) => l + "\n");
      const digests: string[] = [];
      for (let b = 0; b < lines.length; b += d.pointsPerDigest) digests.push(createHash("sha256").update(lines.slice(b, b + d.pointsPerDigest).join("")).digest("hex"));
      d.digests = digests;
      writeFileSync(metaPath, JSON.stringify(meta));
    }
    return join(copy, "lf-big");
  }

  it("gives the single run's sweep.csv, digests and figures, byte for byte", async () => {
    const out = tmp();
    const r = await lpe("merge", join(big, "lf-big"), "--out", out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`${P} points`);
    expect(read(out, "lf-big", "sweep.csv")).toBe(read(bigSingle, "lf-big", "sweep.csv"));
    const merged = JSON.parse(read(out, "lf-big", "sweep.json"));
    const one = JSON.parse(read(bigSingle, "lf-big", "sweep.json"));
    expect(merged.digests).toEqual(one.digests);
    expect(merged.failures).toBe(0);
    const figures = readdirSync(join(bigSingle, "lf-big", "figures")).sort();
    expect(figures.length).toBeGreaterThan(0);
    expect(readdirSync(join(out, "lf-big", "figures")).sort()).toEqual(figures);
    for (const f of figures) expect(readFileSync(join(out, "lf-big", "figures", f)).equals(readFileSync(join(bigSingle, "lf-big", "figures", f))), f).toBe(true);
    // no curve files above 100,000 points, as in the single run
    expect(existsSync(join(out, "lf-big", "curves"))).toBe(false);
  }, 60_000);

  it("refuses a digit changed in a digest block read across two pieces, naming its lines and grid points", async () => {
    // shard 2's line 39,796 straddles the first 4 MiB piece's end; ⌈50,000 / 1,024⌉ = 49 points per
    // digest, blocks counted from the shard's first point 50,000: line 39,800 (point 89,798) is in
    // block 812, points 89,788–89,836, lines 39,790–39,838, which begins in the first piece
    const r = await lpe("merge", bigTampered(onLine(39_800, cell(4, (c) => c.replace(/[1-8]/, (d) => String(Number(d) + 1))))), "--out", tmp(), "--no-figures");
    expect(r.code).toBe(2);
    expect(r.err).toContain("shard-2-of-3/sweep.csv: lines 39790–39838 (grid points 89788–89836): not what the shard run wrote");
    clean(r);
  });

  it("refuses missing rows and text after the rows, and writes nothing", async () => {
    const cases: [(t: string) => string, string][] = [
      [(t) => t.slice(0, t.lastIndexOf("\n", t.length - 2) + 1), "shard-2-of-3/sweep.csv: 49999 rows, expected 50000"],
      [(t) => t + "x\n", 'text after the 50000 rows of shard 2, from line 50002: "x\\n"'],
    ];
    for (const [edit, said] of cases) {
      const out = tmp();
      const r = await lpe("merge", bigTampered(edit), "--out", out, "--no-figures");
      expect(r.code).toBe(2);
      expect(r.err).toContain(said);
      clean(r);
      expect(existsSync(join(out, "lf-big"))).toBe(false);
    }
  });

  it("checks every row's point and grid value even where the digests were forged to match", async () => {
    // line 30,000 is grid point 50,000 + 29,998: its c_F cell replaced by its neighbour's
    const r = await lpe("merge", bigTampered(onLine(30_000, cell(1, () => "0.1")), true), "--out", tmp(), "--no-figures");
    expect(r.code).toBe(2);
    expect(r.err).toContain("shard-2-of-3/sweep.csv: line 30000 (row 29999) is not grid point 79998 of this sweep");
    clean(r);
  });

  it("keeps the status of a row that is not ok (quoted, with its comma), and counts it", async () => {
    const status = '"uncertified (optimality gap 1.00e-3 of profit, forged)"';
    const out = tmp();
    const r = await lpe("merge", bigTampered(onLine(2, cell(2, () => status)), true), "--out", out, "--no-figures");
    expect(r.code, r.err).toBe(4);
    const meta = JSON.parse(read(out, "lf-big", "sweep.json"));
    expect(meta.failures).toBe(1);
    expect(meta.uncertified).toBe(1);
    const row = read(out, "lf-big", "sweep.csv").split("\n")[50_001];
    expect(row.startsWith(`50000,`) && row.includes(`,${status},`)).toBe(true);
  });
});

describe("lpe merge treats shard files as untrusted", () => {
  /** A copy of the shards with shard-2-of-3/sweep.json's object changed by `edit`. */
  const metaEdited = (edit: (m: Record<string, unknown>) => void) =>
    tamperedCopy("sweep.json", (t) => {
      const m = JSON.parse(t);
      edit(m);
      return JSON.stringify(m, null, 2);
    });

  it("refuses a name that is a path and writes nothing outside --out", async () => {
    const base = tmp();
    const parent = metaEdited((m) => (m.name = "../../../somewhere/ESCAPED"));
    const out = join(base, "a", "b", "c");
    const r = await lpe("merge", parent, "--out", out, "--no-figures");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/shard-2-of-3\/sweep\.json: field name: expected a name of ASCII letters, digits, '\.', '_', '-'.* got "\.\.\/\.\.\/\.\.\/somewhere\/ESCAPED"/);
    clean(r);
    expect(readdirSync(base)).toEqual([]);
    // and the default output (beside the shards) is not reached either
    expect(readdirSync(parent).sort()).toEqual(["shard-1-of-3", "shard-2-of-3", "shard-3-of-3"]);
  });

  const broken: [string, (m: Record<string, unknown>) => void, RegExp][] = [
    ["no grid", (m) => delete m.grid, /field grid is missing \(expected object\)/],
    ["no digests", (m) => delete m.digests, /field digests is missing/],
    ["no shard", (m) => delete m.shard, /field shard is missing/],
    ["a text grid size", (m) => ((m.grid as { size: unknown }).size = "21"), /field grid\.size: expected number, got "21"/],
    ["a shard that is a number", (m) => (m.shard = 5), /field shard: expected object, got 5/],
    ["outputs that are not a list", (m) => (m.outputs = "profit"), /field outputs: expected array, got "profit"/],
    ["a digest that is not hexadecimal", (m) => ((m.digests as { "sweep.csv": { digests: string[] } })["sweep.csv"].digests[3] = "zz"), /field digests\["sweep\.csv"\]\.digests\[3\]: expected 64 hexadecimal digits, got "zz"/],
    ["a digest list of the wrong length", (m) => (m.digests as { "sweep.csv": { digests: string[] } })["sweep.csv"].digests.pop(), /field digests\["sweep\.csv"\] does not cover the file's 7 grid points/],
    ["a grid edited without its hash", (m) => ((m.grid as { params: Record<string, { values: number[] }> }).params["technology.aggregate.kappa"].values[0] = 0.7), /field gridSha256 does not match the grid/],
    ["a grid size that is not the grid's", (m) => ((m.grid as { size: number }).size = 20), /field grid\.size is 20, but the grid has 21 points|field shard is not a slice/],
    ["nothing in it", (m) => Object.keys(m).forEach((k) => delete m[k]), /field name is missing/],
  ];
  it.each(broken)("refuses a sweep.json with %s, naming the file and the field", async (_what, edit, message) => {
    const r = await lpe("merge", metaEdited(edit), "--out", tmp(), "--no-figures");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^lpe: .*shard-2-of-3\/sweep\.json: /);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    clean(r);
  });

  it("refuses a sweep.json that is not JSON, and an unfinished shard whose manifest lacks fields", async () => {
    const parent = tamperedCopy("sweep.json", (t) => t.slice(0, 40));
    const r = await lpe("merge", parent, "--out", tmp(), "--no-figures");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/shard-2-of-3\/sweep\.json is not valid JSON/);
    clean(r);
    const unfinished = tamperedCopy("manifest.json", (t) => {
      const m = JSON.parse(t);
      delete m.identity.shard;
      return JSON.stringify(m);
    });
    rmSync(join(unfinished, "shard-2-of-3", "sweep.json"));
    const u = await lpe("merge", unfinished, "--out", tmp(), "--no-figures");
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/shard-2-of-3\/manifest\.json: field identity\.shard is missing/);
    clean(u);
  });

  it("refuses to resume from a manifest with mistyped fields, and when the parameters were reordered", async () => {
    const out = tmp();
    const file = join(out, "s.json");
    const scen = JSON.parse(read(FIX, "monopoly-2d.json"));
    writeFileSync(file, JSON.stringify(scen));
    expect((await lpe("sweep", file, "--workers", "1", "--no-figures", "--out", out, "--shard", "1/2")).code).toBe(0);
    const manifest = join(out, "monopoly-2d", "shard-1-of-2", "manifest.json");
    const m = JSON.parse(readFileSync(manifest, "utf8"));
    writeFileSync(manifest, JSON.stringify({ ...m, complete: false, done: "7" }));
    const r = await lpe("sweep", file, "--workers", "1", "--no-figures", "--out", out, "--shard", "1/2", "--resume");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/shard-1-of-2\/manifest\.json: field done: expected number, got "7"; delete .* to start the sweep over/);
    clean(r);
    // the same axes in another order walk the grid in another order: not the same sweep
    writeFileSync(manifest, JSON.stringify({ ...m, complete: false }));
    const params = scen.sweep.params;
    scen.sweep.params = { "technology.aggregate.kappa": params["technology.aggregate.kappa"], "technology.sigma": params["technology.sigma"] };
    writeFileSync(file, JSON.stringify(scen));
    const re = await lpe("sweep", file, "--workers", "1", "--no-figures", "--out", out, "--shard", "1/2", "--resume");
    expect(re.code).toBe(2);
    expect(re.err).toMatch(/cannot resume the sweep in .*: the sweep grid has changed/);
  });
});

describe("sweep rows", () => {
  it("are ok only when every output is a finite number", async () => {
    const out = tmp();
    const r = await lpe("sweep", join(FIX, "lf-not-finite.json"), "--workers", "2", "--no-figures", "--out", out);
    // every row written, some points failed: exit status 4
    expect(r.code).toBe(4);
    const rows = read(out, "lf-not-finite", "sweep.csv").trimEnd().split("\n").slice(1).map((l) => l.split(",").slice(1));
    expect(rows.map((c) => c[0])).toEqual(["0.3", "0.499", "0.4999", "0.4999999999", "0.4999999999999999"]);
    for (const c of rows) {
      const outputs = c.slice(2);
      if (c[1] === "ok") expect(outputs.every((x) => x !== "" && Number.isFinite(Number(x)))).toBe(true);
      else expect(c[1]).toBe("not finite: profit");
    }
    // the base point solves; near γ = 1 − σ the profit integral is NaN: failed, with the finite outputs kept
    expect(rows[0][1]).toBe("ok");
    expect(rows.slice(1).map((c) => c[1])).toEqual(Array(4).fill("not finite: profit"));
    expect(Number(rows[1][2])).toBeGreaterThan(0.5);
    expect(rows[1][4]).toBe("");
    expect(r.out).toMatch(/5 points, 4 failed/);
    expect(JSON.parse(read(out, "lf-not-finite", "sweep.json")).failures).toBe(4);
  });

  it("fail when the fringe's cost is so small that the profit is not finite", async () => {
    const out = tmp();
    const scen = JSON.parse(read(FIX, "lf-not-finite.json"));
    scen.sweep.params = { "market.fringe.cost": { values: [0.2, 1e-300] } };
    const file = join(out, "s.json");
    writeFileSync(file, JSON.stringify(scen));
    expect((await lpe("sweep", file, "--workers", "1", "--no-figures", "--out", out)).code).toBe(4);
    const rows = read(out, "lf-not-finite", "sweep.csv").trimEnd().split("\n");
    expect(rows[1]).toMatch(/^0,0\.2,ok,/);
    expect(rows[2]).toMatch(/^1,1e-300,not finite: profit,/);
  });
});

describe("the SLURM script", () => {
  it("runs no command hidden in the output path: every value reaches sbatch and lpe literally", async () => {
    const base = tmp();
    const pwned = join(base, "PWNED");
    const out = join(base, `o$(touch ${pwned})'"; touch ${pwned}; #`);
    const r = await lpe("sweep", join(FIX, "monopoly-2d.json"), "--emit-slurm", "--shard", "3", "--out", out, "--set", "technology.aggregate.gamma=0.3");
    expect(r.code).toBe(0);
    const dir = join(out, "monopoly-2d--technology.aggregate.gamma-0.3");
    const script = join(dir, "sweep.slurm");
    expect(existsSync(script)).toBe(true);
    // fake sbatch and node that record their arguments, NUL-separated, one call per line
    const bin = join(base, "bin");
    mkdirSync(bin);
    const log = join(base, "calls");
    for (const [name, reply] of [["sbatch", "4242"], ["node", ""]]) {
      writeFileSync(join(bin, name), `#!/bin/bash\n{ printf '%s\\0' ${name} "$@"; echo; } >> "$LPE_TEST_LOG"\necho ${reply}\n`);
      chmodSync(join(bin, name), 0o755);
    }
    // no cluster to ask about its nodes and limits
    for (const name of ["sinfo", "scontrol"]) {
      writeFileSync(join(bin, name), "#!/bin/bash\nexit 1\n");
      chmodSync(join(bin, name), 0o755);
    }
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH}`, LPE_TEST_LOG: log };
    for (const k of Object.keys(env)) if (k.startsWith("SLURM_")) delete env[k];
    const calls = () => (existsSync(log) ? readFileSync(log, "utf8").trimEnd().split("\n").map((l) => l.split("\0").slice(0, -1)) : []);

    // submitting: the array, then the merge job (task 0 of the same file)
    const submit = spawnSync("bash", [script], { env, encoding: "utf8" });
    expect(submit.status, submit.stderr).toBe(0);
    expect(existsSync(pwned)).toBe(false);
    const [array, merge] = calls();
    expect(array).toEqual(["sbatch", "--parsable", script]);
    expect(merge).toContain(`--output=${dir}/slurm-merge-%A.out`);
    expect(merge).toContain("--dependency=afterok:4242");
    expect(merge.slice(-2)).toEqual(["--output=" + `${dir}/slurm-merge-%A.out`, script]);
    expect(existsSync(pwned)).toBe(false);

    // the merge job, as SLURM runs it
    rmSync(log);
    const job = spawnSync("bash", [script], { env: { ...env, SLURM_JOB_ID: "4243", SLURM_ARRAY_TASK_ID: "0" }, encoding: "utf8" });
    expect(job.status, job.stderr).toBe(0);
    expect(calls()).toEqual([["node", join(ROOT, "bin", "lpe.js"), "merge", dir]]);
    expect(existsSync(pwned)).toBe(false);

    // an array task
    rmSync(log);
    const task = spawnSync("bash", [script], { env: { ...env, SLURM_JOB_ID: "4244", SLURM_ARRAY_TASK_ID: "2", SLURM_CPUS_PER_TASK: "4" }, encoding: "utf8" });
    expect(task.status, task.stderr).toBe(0);
    expect(calls()).toEqual([
      ["node", join(ROOT, "bin", "lpe.js"), "sweep", join(FIX, "monopoly-2d.json"), "--out", out, "--set", "technology.aggregate.gamma=0.3", "--shard", "2/3", "--workers", "4", "--resume"],
    ]);
    expect(existsSync(pwned)).toBe(false);
    // the #SBATCH output path as sbatch reads it: in double quotes, \\ and \" escaped, % doubled
    const text = readFileSync(script, "utf8");
    expect(text).toContain(`#SBATCH --output="${dir.replace(/[\\"]/g, (c) => `\\${c}`)}/slurm-%A_%a.out"`);
  });

  it("refuses an output path with a line break, which could end a comment and start a command", async () => {
    const base = tmp();
    const r = await lpe("sweep", join(FIX, "monopoly-2d.json"), "--emit-slurm", "--out", join(base, "x\ntouch PWNED"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out: holds a line break or another control character/);
    expect(readdirSync(base)).toEqual([]);
  });
});

describe("temporary files", () => {
  const children: ReturnType<typeof spawn>[] = [];
  afterAll(() => {
    for (const c of children) c.kill();
  });
  /** the pid of a process that has exited */
  const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;
  const livePid = () => {
    const c = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    children.push(c);
    return c.pid!;
  };

  it("left by a killed sweep are removed by --resume; a live run's and other files are kept", async () => {
    const out = tmp();
    const file = join(FIX, "monopoly-2d.json");
    expect((await lpe("sweep", file, "--workers", "1", "--no-figures", "--out", out)).code).toBe(0);
    const dir = join(out, "monopoly-2d");
    mkdirSync(join(dir, "figures"));
    const reference = read(dir, "sweep.csv");
    const m = JSON.parse(read(dir, "manifest.json"));
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ ...m, complete: false }));
    const dead = deadPid();
    const live = livePid();
    const stale = [
      join(dir, `.sweep.csv.${dead}.0.tmp`),
      join(dir, `.manifest.json.${dead}.7.tmp`),
      join(dir, "curves", `.profit-vs-technology.sigma.csv.${dead}.3.tmp`),
      join(dir, "figures", `profit-vs-technology.sigma.svg.${dead}.12.tmp`),
    ];
    const kept = [join(dir, `.sweep.csv.${live}.0.tmp`), join(dir, "figures", `profit-vs-technology.sigma.pdf.${live}.4.tmp`), join(dir, "notes.1.2.tmp"), join(dir, ".sweep.csv.bak")];
    for (const p of [...stale, ...kept]) writeFileSync(p, "partial");
    const r = await lpe("sweep", file, "--workers", "1", "--no-figures", "--out", out, "--resume");
    expect(r.code).toBe(0);
    for (const p of stale) expect(existsSync(p), p).toBe(false);
    for (const p of kept) expect(existsSync(p), p).toBe(true);
    expect(read(dir, "sweep.csv")).toBe(reference);
  });

  it("left by a failed rename are removed by the next solve, and a failed rename leaves none", async () => {
    const out = tmp();
    const file = join(ROOT, "scenarios", "examples", "tutorial-monopoly.json");
    const name = JSON.parse(readFileSync(file, "utf8")).name as string;
    const dir = join(out, name);
    mkdirSync(join(dir, "figures"), { recursive: true });
    const stale = join(dir, `.summary.json.${deadPid()}.0.tmp`);
    writeFileSync(stale, "{");
    // (solve publishes its result set by swapping folders, so the failed rename itself is
    // exercised on the atomic writers below)
    const r = await lpe("solve", file, "--no-figures", "--out", out);
    expect(r.code).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("of an atomic write are removed when the rename fails", () => {
    const dir = tmp();
    mkdirSync(join(dir, "target", "x"), { recursive: true });
    expect(() => writeFileAtomic(join(dir, "target"), "data")).toThrow();
    const w = new AtomicTextWriter(join(dir, "target"));
    w.write("rows\n");
    expect(() => w.commit()).toThrow();
    expect(readdirSync(dir)).toEqual(["target"]);
  });
});

describe("a full disk", () => {
  it("is reported once, not twice", () => {
    const mnt = tmp();
    const mount = `mount -t tmpfs -o size=8k tmpfs '${mnt}'`;
    const probe = spawnSync("unshare", ["-r", "-m", "sh", "-c", mount], { encoding: "utf8" });
    if (probe.status !== 0) {
      console.log(`full-disk test not run: cannot mount a tmpfs here (unshare -r -m: ${(probe.stderr || String(probe.error)).trim()})`);
      return;
    }
    const lpeBin = join(ROOT, "bin", "lpe.js");
    const run = spawnSync("unshare", ["-r", "-m", "sh", "-c", `${mount} && exec '${process.execPath}' '${lpeBin}' sweep '${join(FIX, "lf-fringe-cost.json")}' --workers 1 --no-figures --out '${mnt}'`], {
      encoding: "utf8",
    });
    expect(run.status).not.toBe(0);
    const lines = run.stderr.trim().split("\n");
    expect(lines.filter((l) => /ENOSPC|no space left/i.test(l))).toHaveLength(1);
    expect(lines).toHaveLength(1);
  });
});

describe("links planted in a results folder (a security reviewer's): refused, nothing written or deleted through them", () => {
  // Result folders and shards travel between machines; a link inside one made lpe truncate and
  // overwrite (`rows.part -> ~/.bashrc`, by --resume) or empty (`curves -> elsewhere`, by merge)
  // the files it pointed to. Each is now refused with exit 3, naming the link, and the files it
  // points to keep their bytes.
  const victim = () => {
    const dir = tmp();
    writeFileSync(join(dir, "notes.txt"), "a colleague's notes\n");
    writeFileSync(join(dir, "survey-2025.csv"), "id,answer\n1,yes\n");
    return dir;
  };
  const unchanged = (dir: string) => {
    expect(readdirSync(dir).sort()).toEqual(["notes.txt", "survey-2025.csv"]);
    expect(read(dir, "notes.txt")).toBe("a colleague's notes\n");
    expect(read(dir, "survey-2025.csv")).toBe("id,answer\n1,yes\n");
  };
  const refused = (r: Run, link: string) => {
    expect(r.code, r.err).toBe(3);
    expect(r.err).toContain(`${link} is a symbolic link`);
    clean(r);
  };

  it("--resume with rows.part linked to a file elsewhere", async () => {
    const out = tmp();
    const file = join(FIX, "monopoly-2d.json");
    expect((await lpe("sweep", file, "--workers", "1", "--no-figures", "--out", out)).code).toBe(0);
    const dir = join(out, "monopoly-2d");
    // the sweep made unfinished again (its manifest says nothing is done), with a link planted
    const m = JSON.parse(read(dir, "manifest.json"));
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ ...m, complete: false, done: 0, doneRanges: [] }));
    const v = victim();
    symlinkSync(join(v, "notes.txt"), join(dir, "rows.part"));
    refused(await lpe("sweep", file, "--workers", "1", "--no-figures", "--out", out, "--resume"), join(dir, "rows.part"));
    unchanged(v);
  });

  it("lpe merge with curves/ linked to a folder elsewhere", async () => {
    const copy = tmp();
    cpSync(join(sharded, "monopoly-2d"), join(copy, "monopoly-2d"), { recursive: true });
    const v = victim();
    symlinkSync(v, join(copy, "monopoly-2d", "curves"));
    refused(await lpe("merge", join(copy, "monopoly-2d"), "--no-figures"), join(copy, "monopoly-2d", "curves"));
    unchanged(v);
  });

  it("a fresh sweep with figures/ linked to a folder elsewhere", async () => {
    const out = tmp();
    mkdirSync(join(out, "monopoly-2d"));
    const v = victim();
    symlinkSync(v, join(out, "monopoly-2d", "figures"));
    refused(await lpe("sweep", join(FIX, "monopoly-2d.json"), "--workers", "1", "--out", out), join(out, "monopoly-2d", "figures"));
    unchanged(v);
  });

  it("lpe solve with figure-sweeps/ linked to a folder elsewhere", async () => {
    const out = tmp();
    mkdirSync(join(out, "leader-fringe-sweep"));
    const v = victim();
    symlinkSync(v, join(out, "leader-fringe-sweep", "figure-sweeps"));
    refused(await lpe("solve", join(ROOT, "scenarios", "examples", "leader-fringe-sweep.json"), "--out", out), join(out, "leader-fringe-sweep", "figure-sweeps"));
    unchanged(v);
  });

  it("--out itself may be a link (a results folder pointing to scratch space)", async () => {
    const target = tmp();
    const out = join(tmp(), "results");
    symlinkSync(target, out);
    expect((await lpe("sweep", join(FIX, "monopoly-2d.json"), "--workers", "1", "--no-figures", "--out", out)).code).toBe(0);
    expect(existsSync(join(target, "monopoly-2d", "sweep.csv"))).toBe(true);
  });
});

describe("a shard whose recorded scenario is not a valid scenario (a security reviewer's)", () => {
  // sweep.json's scenario is the merged sweep's provenance and its figures' units and captions;
  // edited, with its hash recomputed, it was merged as it stood (`technology: {sigma: {}}`), and
  // `figures.caption: {a: 1}` broke the figures. Now refused, naming the file and the field.
  for (const [what, edit, field] of [
    ["σ an object", (s: Record<string, unknown>) => ({ ...s, technology: { ...(s.technology as object), sigma: {} } }), "scenario.technology.sigma"],
    ["a caption that is not text", (s: Record<string, unknown>) => ({ ...s, figures: { caption: { a: 1 } } }), "scenario.figures.caption"],
    ["a grid of other parameters", (s: Record<string, unknown>) => ({ ...s, sweep: { ...(s.sweep as object), params: { "=HYPERLINK(1)": { values: [1, 2, 3] } } } }), "scenario"],
  ] as const) {
    it(`refuses ${what}, naming the file and ${field}`, async () => {
      const { scenarioSha256 } = await import("../engine/scenario/load.js");
      const dir = tamperedCopy("sweep.json", (text) => {
        const meta = JSON.parse(text);
        meta.scenario = edit(meta.scenario);
        meta.scenarioSha256 = scenarioSha256(meta.scenario);
        return JSON.stringify(meta, null, 1);
      });
      const r = await lpe("merge", dir, "--no-figures");
      expect(r.code, r.err).toBe(2);
      expect(r.err).toContain(join(dir, "shard-2-of-3", "sweep.json"));
      expect(r.err).toContain(field);
      clean(r);
      expect(existsSync(join(dir, "sweep.csv"))).toBe(false);
    });
  }
});
