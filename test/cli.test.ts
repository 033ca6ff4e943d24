// The `lpe` command end to end (compiled dist/, as a user runs it): the reference cases
// through `lpe eval --json`, `lpe solve` outputs, and bad input — exit 2, one line naming the
// JSON path, no stack trace, nothing written.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { expectClose, type Expected } from "./helpers/close.js";
import { uncertifiedStatus } from "../engine/results/uncertified-status.js";
import { csvText } from "../engine/results/csv-cell.js";

/** The cells of one CSV line (RFC 4180 quotes undone): a status names a menu after a comma. */
function csvCells(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)) out.push(m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]);
  return out;
}

const root = new URL("..", import.meta.url).pathname;
const lpe = (args: string[], cwd = root) => {
  const r = spawnSync(process.execPath, [join(root, "bin/lpe.js"), ...args], { cwd, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const tmp = mkdtempSync(join(tmpdir(), "lpe-cli-"));
const caseFile = (id: string) => {
  const c = JSON.parse(readFileSync(join(root, `test/fixtures/reference/${id}.json`), "utf8"));
  const f = join(tmp, `${id}.json`);
  writeFileSync(f, JSON.stringify(c.scenario));
  return { c, f };
};

beforeAll(() => {
  // `npm test` compiles first; this keeps a lone `vitest run test/cli.test.ts` honest too.
  if (!existsSync(join(root, "dist/cli/lpe.js"))) spawnSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: root });
});

function checkPoints(c: { expected: { points: Record<string, unknown>[] } }, points: Record<string, unknown>[], id: string) {
  c.expected.points.forEach((pt, i) => {
    const got = points[i];
    expect(got.theta).toBe(pt.theta);
    for (const [k, e] of Object.entries(pt)) {
      if (k === "theta") continue;
      if (k === "region") {
        expect(got.region, `${id} region at θ=${pt.theta}`).toBe(e);
        continue;
      }
      if (k === "X" || k === "Z") {
        for (const [cls, ce] of Object.entries(e as Record<string, Expected>)) {
          expectClose((got[k] as Record<string, number>)[cls], ce.value, ce.rtol, ce.atol, `${id} ${k}.${cls} at θ=${pt.theta}`);
        }
        continue;
      }
      const ex = e as Expected;
      expectClose(got[k] as number, ex.value, ex.rtol, ex.atol, `${id} ${k} at θ=${pt.theta}`);
    }
  });
}

describe("lpe eval reproduces the reference cases", () => {
  for (const id of ["P1", "P2"]) {
    it(`${id} at every listed type and scalar, at the stated tolerances`, () => {
      const { c, f } = caseFile(id);
      const at = c.expected.points.map((p: { theta: number }) => p.theta).join(",");
      const r = lpe(["eval", f, "--at", at, "--json"]);
      expect(r.code, r.err).toBe(0);
      const res = JSON.parse(r.out);
      for (const [k, e] of Object.entries(c.expected.scalars)) {
        if (typeof e === "boolean") {
          expect(res.scalars[k], `${id} ${k}`).toBe(e);
          continue;
        }
        const got = k === "thetaLowFormula" ? res.scalars.thetaLow : k === "thetaHighRoot" ? res.scalars.thetaHigh : res.scalars[k];
        expectClose(got, (e as Expected).value, (e as Expected).rtol, (e as Expected).atol, `${id} scalar ${k}`);
      }
      checkPoints(c, res.points, id);
      expect(res.checks.passed).toBe(true);
      expect(res.meta.scenarioSha256).toMatch(/^[0-9a-f]{64}$/);
    });
  }
});

describe("lpe solve", () => {
  it("writes summary.json and curves.csv with the reproducibility meta", () => {
    const { f } = caseFile("P1");
    const out = join(tmp, "out-solve");
    const r = lpe(["solve", f, "--out", out, "--no-figures"]);
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, "P1", "summary.json"), "utf8"));
    expect(summary.meta.engineVersion).toBe(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version);
    expect(summary.meta.seed).toBe(1);
    expect(summary.meta.gridPoints).toBe(401);
    const csv = readFileSync(join(out, "P1", "curves.csv"), "utf8").trim().split("\n");
    expect(csv.length).toBe(402);
    expect(csv[0].startsWith("theta,Q,")).toBe(true);
    expect(readdirSync(join(out, "P1")).filter((x) => x.endsWith(".tmp"))).toEqual([]);
  });
  it("the terminal's numbers read back as summary.json's to 12 digits, tiny and huge ones too", () => {
    // a reviewer's expensive tokens: profit 1.23e-10 was printed 1.23e-1 (the exponent's zero
    // trimmed as if it ended the mantissa); σ = 0.69 gave 5.15e+2 for 5.15e+20
    const f = join(root, "scenarios/examples/tutorial-monopoly.json");
    for (const [name, sets] of [
      ["tiny", ["--set", "technology.tokens.classes[0].cost=15.5", "--set", "technology.tokens.classes[1].cost=46.5", "--set", "technology.fineTuning.classes[0].cost=31"]],
      ["huge", ["--set", "technology.sigma=0.69"]],
    ] as const) {
      const out = join(tmp, `out-${name}`);
      const r = lpe(["solve", f, "--out", out, "--no-figures", "--set", `name=${name}`, ...sets]);
      expect(r.code, r.err).toBe(0);
      const summary = JSON.parse(readFileSync(join(out, name, "summary.json"), "utf8"));
      for (const key of ["profit", "welfare"]) {
        const line = r.out.split("\n").find((l) => l.trim().startsWith(`${key} `));
        expect(line, `${name}: the ${key} line of\n${r.out}`).toBeDefined();
        const printed = Number(line!.trim().split(/\s+/)[1]);
        const want = summary.scalars[key] as number;
        expect(Math.abs(printed - want) / Math.abs(want), `${name} ${key}: printed ${printed}, summary.json ${want}`).toBeLessThan(1e-11);
      }
    }
  });
  it("reportNumber keeps the exponent: any finite double reads back to 12 significant digits", async () => {
    const { reportNumber } = await import("../cli/report.js");
    const fc = await import("fast-check");
    expect(reportNumber(1.2302090985491958e-10)).toBe("1.23020909855e-10");
    expect(reportNumber(5.15083722543e20)).toBe("5.15083722543e+20");
    expect(reportNumber(2.5e250)).toBe("2.5e+250");
    expect(reportNumber(0.25)).toBe("0.25");
    expect(reportNumber(100)).toBe("100");
    expect(reportNumber(1e-7)).toBe("1e-7");
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const back = Number(reportNumber(x));
        return x === 0 ? back === 0 : Math.abs(back - x) <= 5e-12 * Math.abs(x);
      }),
      { numRuns: 20000 },
    );
  });
  it("shows the thresholds' closed-form candidates apart, under a heading, after the equilibrium's (a reviewer could not tell which to cite)", () => {
    const { f } = caseFile("P2");
    const r = lpe(["solve", f, "--out", join(tmp, "p2-report"), "--no-figures"]);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split("\n");
    const heading = lines.findIndex((l) => l.startsWith("  diagnostics (closed-form candidates of the thresholds"));
    expect(heading).toBeGreaterThan(0);
    const at = (name: string) => lines.findIndex((l) => new RegExp(`^ +${name} +\\S`).test(l));
    for (const name of ["thetaLow", "thetaHigh"]) expect(at(name), name).toBeLessThan(heading);
    for (const name of ["thetaLowFormula", "thetaHighRoot"]) {
      expect(at(name), name).toBeGreaterThan(heading);
      expect(lines[at(name)].startsWith("    "), name).toBe(true);
    }
    // every scalar of summary.json is shown once
    const summary = JSON.parse(readFileSync(join(tmp, "p2-report", "P2", "summary.json"), "utf8"));
    for (const name of Object.keys(summary.scalars)) expect(lines.filter((l) => new RegExp(`^ +${name} +\\S`).test(l)), name).toHaveLength(1);
  });

  it("with units: the figures' axes and captions say them, and the terminal's currency scalars carry theirs (a reviewer's USD appeared nowhere)", () => {
    const out = join(tmp, "units");
    const r = lpe(["solve", join(root, "scenarios/examples/tutorial-monopoly.json"), "--out", out, "--set", 'units={"currency":"USD","tokens":1000000}', "--set", "name=tu"]);
    expect(r.code, r.err).toBe(0);
    const fig = (stem: string, ext: string) => readFileSync(join(out, "tu", "figures", `${stem}.${ext}`), "utf8");
    expect(fig("transfers", "tex")).toContain("ylabel={Payment, cost, rent (USD)}");
    expect(fig("token-budgets", "tex")).toContain("ylabel={Tokens in the budget (millions)}");
    expect(fig("transfers", "caption.txt")).toContain("Units: money in USD, prices per 1M tokens, volumes in units of 1M tokens.");
    expect(r.out).toMatch(/^  profitInCurrency +\S+ USD$/m);
    expect(r.out).toMatch(/^  averagePriceInCurrency +\S+ USD per 1M tokens$/m);
    // without units: no unit anywhere
    const plain = lpe(["solve", join(root, "scenarios/examples/tutorial-monopoly.json"), "--out", out, "--set", "name=tp"]);
    expect(plain.code, plain.err).toBe(0);
    expect(readFileSync(join(out, "tp", "figures", "transfers.tex"), "utf8")).toContain("ylabel={Payment, cost, rent}");
    expect(readFileSync(join(out, "tp", "figures", "transfers.caption.txt"), "utf8")).not.toContain("Units:");
  });

  it("--set overrides a parameter and the hash changes", () => {
    const { f } = caseFile("P1");
    const a = JSON.parse(lpe(["eval", f, "--at", "0.9", "--json"]).out);
    const b = JSON.parse(lpe(["eval", f, "--at", "0.9", "--json", "--set", "technology.sigma=0.4"]).out);
    expect(b.meta.scenarioSha256).not.toBe(a.meta.scenarioSha256);
    expect(b.scalars.eta).toBeCloseTo(0.7, 14);
  });
});

describe("bad input: exit 2, one line with the JSON path, no stack trace, nothing written", () => {
  const base = () => JSON.parse(readFileSync(join(root, "test/fixtures/reference/P1.json"), "utf8")).scenario;
  const cases: [string, (s: any) => unknown, RegExp][] = [
    ["a string where a cost belongs, three levels deep", (s) => ((s.technology.tokens.classes[1].cost = "abc"), s), /technology\.tokens\.classes\[1\]\.cost/],
    ["a missing sigma", (s) => (delete s.technology.sigma, s), /technology\.sigma/],
    ["an unknown distribution", (s) => ((s.buyers.theta.dist = "gaussian"), s), /buyers\.theta\.dist/],
    ["σ + γ ≥ 1", (s) => ((s.technology.fineTuning.gamma = 0.6), s), /technology\.fineTuning\.gamma|technology\.sigma/],
    ["probabilities summing to 0.9", (s) => ((s.buyers.theta = { dist: "discrete", values: [0.2, 0.5, 1], probs: [0.3, 0.3, 0.3] }), s), /buyers\.theta\.probs/],
    ["a negative cost", (s) => ((s.technology.tokens.classes[0].cost = -1), s), /technology\.tokens\.classes\[0\]\.cost/],
    ["min > max", (s) => ((s.buyers.theta.min = 2), s), /buyers\.theta/],
    ["an expression that tries import", (s) => ((s.buyers.theta = { dist: "expression", density: "import('fs')", min: 0, max: 1 }), s), /buyers\.theta\.density/],
    ["an expression that defines a function", (s) => ((s.buyers.theta = { dist: "expression", density: "f(x) = x", min: 0, max: 1 }), s), /buyers\.theta\.density/],
    ["an expression that allocates zeros(1e5, 1e5)", (s) => ((s.buyers.theta = { dist: "expression", density: "zeros(1e5, 1e5)", min: 0, max: 1 }), s), /buyers\.theta\.density/],
    // qualities beyond double precision (a reviewer's: exit 1, "quality overflows", no path)
    ["σ + γ = 0.9999: qualities overflow", (s) => ((s.technology.sigma = 0.6999), (s.technology.fineTuning.gamma = 0.3), s), /^lpe: .*technology\.fineTuning\.gamma: the efficient quality of the top type θ = 1 is beyond double precision/],
    // (the γ of η = σ + γ named: a reviewer's fineTuning.gamma = 0.4999999 was blamed on σ)
    ["types of 1e300: qualities overflow", (s) => ((s.buyers.theta.max = 1e300), s), /^lpe: .*buyers\.theta\.max: the efficient quality of the top type θ = 1e\+300 is beyond double precision/],
    // …and below it (a reviewer's 1e-300: profit 0, every type excluded, "certified")
    ["types of 1e-300: surplus underflows", (s) => ((s.buyers.theta.max = 1e-300), s), /^lpe: .*buyers\.theta\.max: the efficient surplus of the top type θ = 1e-300 is 0, below double precision's working range/],
  ];
  for (const [what, mutate, path] of cases) {
    it(what, () => {
      const f = join(tmp, `bad-${what.replace(/\W+/g, "-")}.json`);
      writeFileSync(f, JSON.stringify(mutate(base())));
      const out = join(tmp, `out-${what.replace(/\W+/g, "-")}`);
      const r = lpe(["solve", f, "--out", out]);
      expect(r.code, r.err).toBe(2);
      const lines = r.err.trim().split("\n");
      expect(lines.length, r.err).toBe(1);
      expect(lines[0]).toMatch(path);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(existsSync(out), "nothing written").toBe(false);
    });
  }
  it("a file that is not JSON", () => {
    const f = join(tmp, "not-json.json");
    writeFileSync(f, "{ \"name\": \"x\", ");
    const r = lpe(["solve", f, "--out", join(tmp, "out-nj")]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n").length).toBe(1);
    expect(r.err).toMatch(/JSON/);
  });
  it("a misspelled option stops the run: exit 2, nothing solved or written", () => {
    const { f } = caseFile("P1");
    const out = join(tmp, "out-typo-option");
    const r = lpe(["solve", f, "--sett", "technology.sigma=0.3", "--out", out]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/sett/);
    expect(existsSync(out)).toBe(false);
  });
  it("options may come before the file; --set repeats", () => {
    const { f } = caseFile("P1");
    const r = lpe(["eval", "--set", "technology.sigma=0.4", "--set", "buyers.theta.max=2", "--json", "--at", "1.5", f]);
    expect(r.code, r.err).toBe(0);
    const res = JSON.parse(r.out);
    expect(res.scalars.eta).toBeCloseTo(0.7, 14);
    expect(res.points[0].theta).toBe(1.5);
  });
  it("a type outside the support in --at is bad input (exit 2, names --at)", () => {
    const { f } = caseFile("P1");
    const r = lpe(["eval", f, "--at", "2"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--at: .*outside the support/);
  });
  it("a type between the atoms of a discrete law is said to be one (a reviewer found it evaluated silently)", () => {
    const f = join(tmp, "three-atoms.json");
    writeFileSync(
      f,
      JSON.stringify({
        name: "three-atoms",
        buyers: { theta: { dist: "discrete", values: [0.2, 0.5, 0.9], probs: [0.3, 0.4, 0.3] } },
        technology: { sigma: 0.5, aggregate: { kappa: 1, gamma: 0.2 } },
        market: { kind: "monopoly" },
      }),
    );
    const on = JSON.parse(lpe(["eval", f, "--at", "0.5,0.9", "--json"]).out);
    expect(on.solver.notes.join(" ")).not.toMatch(/not an atom/);
    const r = lpe(["eval", f, "--at", "0.5,0.6,0.9", "--json"]);
    expect(r.code).toBe(0);
    const off = JSON.parse(r.out);
    expect(off.solver.notes.join(" ")).toMatch(/θ = 0\.6 is not an atom of the discrete type law \(3 atoms, 0\.2 to 0\.9\)/);
    // θ = 0.6 takes the item of the atom 0.5 (the 0.9 item leaves it negative utility), priced for that atom
    const [a, b] = [off.points[0], off.points[1]];
    expect(b.Q).toBe(a.Q);
    expect(b.t).toBe(a.t);
    expect(b.marginalPrice).toBe(0.5);
    expect(Math.abs(b.U - 0.1 * a.Q)).toBeLessThan(1e-15);
    // a type within 1e-12 of an end is that end (a θ copied from 12-digit output was refused at the ends only)
    const ends = JSON.parse(lpe(["eval", f, "--at", "0.1999999999999,0.9000000000001", "--json"]).out);
    expect(ends.points.map((p: { theta: number }) => p.theta)).toEqual([0.2, 0.9]);
    const beyond = lpe(["eval", f, "--at", "0.9001"]);
    expect(beyond.code).toBe(2);
    expect(beyond.err).toMatch(/--at: type 0\.9001 is outside the support of the types \[0\.2, 0\.9\]/);
    // a virtual value is an atom's: none between atoms (the atom below's was shown, a reviewer's)
    expect(typeof a.h).toBe("number");
    expect(b.h).toBeUndefined();
    expect(b.hbar).toBeUndefined();
    expect(lpe(["eval", f, "--at", "0.6"]).out).toMatch(/note: θ = 0\.6 is not an atom/);
    // the excluded atom 0.2 and a type above it choose the empty item: no marginal price either
    const low = JSON.parse(lpe(["eval", f, "--at", "0.2,0.3", "--json"]).out);
    for (const p of low.points) {
      expect(p.Q).toBe(0);
      expect(p.marginalPrice).toBeUndefined();
    }
  });
  it("unknown command and bad --at are usage errors (exit 2)", () => {
    expect(lpe(["frobnicate"]).code).toBe(2);
    const { f } = caseFile("P1");
    const r = lpe(["eval", f, "--at", "0.5,abc"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--at/);
  });
});

describe("--at is read as typed (a reviewer found these read otherwise, silently)", () => {
  it("an empty item, a hex number or a number below the doubles' range is refused, naming it", async () => {
    const { parseNumberList } = await import("../engine/io.js");
    expect(() => parseNumberList("0.5,,0.7", "--at")).toThrow(/--at: item 2 of "0.5,,0.7" is empty/);
    expect(() => parseNumberList("0x1", "--at")).toThrow(/expected a decimal number, got "0x1"/);
    expect(() => parseNumberList("1e-400", "--at")).toThrow(/"1e-400" is too small for a double/);
    // a decimal beyond the doubles' range is said to be that (it read "expected a decimal number")
    expect(() => parseNumberList("1e400", "--at")).toThrow(/"1e400" is too large for a double/);
    expect(() => parseNumberList("Infinity", "--at")).toThrow(/expected a decimal number/);
    expect(() => parseNumberList("", "--at")).toThrow(/expected a comma-separated list/);
    // what a scenario file would hold is read as it would be; a trailing comma is forgiven
    expect(parseNumberList("0.5, 0.7,1e-3,0,-0.25,2E2,", "--at")).toEqual([0.5, 0.7, 1e-3, 0, -0.25, 200]);
  });

  it("the table's columns do not move with the order of the types asked for", async () => {
    const { pointsTable } = await import("../cli/report.js");
    const served = { theta: 0.9, Q: 1, t: 2, markup: 1.5, h: 0.8 };
    const excluded = { theta: 0.5, Q: 0, t: 0, h: 0 };
    const header = (rows: Record<string, number>[]) => pointsTable(rows as never).split("\n")[0].trim().split(/\s+/);
    expect(header([excluded, served])).toEqual(["theta", "Q", "t", "markup", "h"]);
    expect(header([served, excluded])).toEqual(["theta", "Q", "t", "markup", "h"]);
  });
});

describe("rerunning a result with more overrides", () => {
  it("names the folder after what the result holds: a path set again shows once, with its new value", async () => {
    const { nameWithOverrides } = await import("../engine/scenario/load.js");
    const { f } = caseFile("P1");
    const out = join(tmp, "rerun-names");
    expect(lpe(["solve", f, "--set", "technology.sigma=0.4", "--no-figures", "--out", out]).code).toBe(0);
    const first = nameWithOverrides("P1", ["technology.sigma=0.4"]);
    expect(existsSync(join(out, first, "summary.json"))).toBe(true);
    const r = lpe(["solve", join(out, first, "summary.json"), "--set", "technology.sigma=0.3", "--no-figures", "--out", out]);
    expect(r.code, r.err).toBe(0);
    const again = nameWithOverrides("P1", ["technology.sigma=0.3"]);
    const summary = JSON.parse(readFileSync(join(out, again, "summary.json"), "utf8"));
    expect(summary.meta.scenario.technology.sigma).toBe(0.3);
    expect(summary.meta.scenario.name).toBe(again);
    // the history of overrides is kept in the provenance
    expect(summary.meta.overrides).toEqual(["--set technology.sigma=0.4", "--set technology.sigma=0.3"]);
    // another path is added to the name
    const r2 = lpe(["solve", join(out, first, "summary.json"), "--set", "buyers.theta.max=2", "--no-figures", "--out", out]);
    expect(r2.code, r2.err).toBe(0);
    expect(existsSync(join(out, nameWithOverrides("P1", ["technology.sigma=0.4", "buyers.theta.max=2"]), "summary.json"))).toBe(true);
  });
});

describe("lpe solve --require-certified", () => {
  // one tier of uniform types (a random market of scripts/random-market-scan.mjs): certified
  const tiers = (count: number) => {
    const f = join(tmp, `tiers-${count}.json`);
    writeFileSync(
      f,
      JSON.stringify({
        name: `tiers-${count}`,
        buyers: { theta: { dist: "uniform", min: 0.45232654616810686, max: 1.1568494409121803 } },
        technology: { sigma: 0.3832536002077412, aggregate: { kappa: 1.0976562865533197, gamma: 0.19595521490366907 } },
        market: { kind: "tiers", count },
      }),
    );
    return f;
  };
  // a leader–fringe market of the same scan (seed 7, market 9) is written but not certified: its
  // Lagrangian bound stops 1 % above the menu (six tiers were, until the tiers bound's cells of 6 Dec 2026)
  const uncertified = () => join(import.meta.dirname, "fixtures", "scenarios", "lf-uncertified.json");
  it("exits 4 for a result written but not certified, 0 without the flag, 0 for a certified one", () => {
    const out = join(tmp, "require-certified");
    const lf = lpe(["solve", uncertified(), "--out", out, "--no-figures", "--require-certified"]);
    expect(lf.code, lf.err).toBe(4);
    expect(lf.err).toMatch(/NOT CERTIFIED/);
    expect(lf.err).toMatch(/exit 4: --require-certified and the result is not certified optimal \(the files are written\)/);
    const summary = JSON.parse(readFileSync(join(out, "lf-uncertified", "summary.json"), "utf8"));
    expect(summary.checks.certified).toBe(false);
    expect(lpe(["solve", uncertified(), "--out", out, "--no-figures"]).code).toBe(0);
    const one = lpe(["solve", tiers(1), "--out", out, "--no-figures", "--require-certified"]);
    expect(one.code, one.err).toBe(0);
  });

  it("says in every row of curves.csv that a result is not certified (a last column, status), and adds nothing to a certified one's", () => {
    const out = join(tmp, "curves-status");
    expect(lpe(["solve", uncertified(), "--out", out, "--no-figures"]).code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, "lf-uncertified", "summary.json"), "utf8"));
    const [header, ...rows] = readFileSync(join(out, "lf-uncertified", "curves.csv"), "utf8").trimEnd().split("\n");
    expect(header.split(",").at(-1)).toBe("status");
    expect(rows.length).toBeGreaterThan(100);
    // (the rule's menu is not certified; the restricted class's menu by PAV earns more and is reported)
    expect(summary.checks.reportedMenu).toBe("the restricted class's menu by pool-adjacent violators on 16384 cells");
    const status = uncertifiedStatus(summary.checks.optimalityGap, undefined, summary.checks.reportedMenu);
    expect(status).toMatch(/^uncertified \(optimality gap \d\.\d\de-\d+ of profit, reporting the restricted class's menu by pool-adjacent violators on 16384 cells\)$/);
    for (const row of rows) expect(row.endsWith(`,${csvText(status)}`), row).toBe(true);
    // a comparison of markets names the one not certified, with its own gap (the efficient
    // allocation's columns are exact)
    expect(lpe(["solve", uncertified(), "--out", out, "--no-figures", "--set", "market.kind=compare", "--set", "name=lf-compare"]).code).toBe(0);
    const compared = JSON.parse(readFileSync(join(out, "lf-compare", "summary.json"), "utf8"));
    expect(compared.checks.uncertifiedParts.map((p: { name: string }) => p.name)).toEqual(["leaderFringe"]);
    const lfGap = compared.scalars["leaderFringe.optimalityGap"];
    const compareRows = readFileSync(join(out, "lf-compare", "curves.csv"), "utf8").trimEnd().split("\n").slice(1);
    for (const row of compareRows) expect(csvCells(row).at(-1), row).toBe(`uncertified (leaderFringe: optimality gap ${lfGap.toExponential(2)} of its profit, reporting ${summary.checks.reportedMenu})`);
    expect(lpe(["solve", tiers(1), "--out", out, "--no-figures"]).code).toBe(0);
    const certified = readFileSync(join(out, "tiers-1", "curves.csv"), "utf8");
    expect(certified.split("\n")[0].split(",")).not.toContain("status");
    expect(certified).not.toMatch(/uncertified/);
  });

  it("a sweep's curve files say which points are not certified (a status column, as sweep.csv's)", () => {
    const out = join(tmp, "sweep-curves-status");
    const r = lpe(["sweep", uncertified(), "--workers", "1", "--no-figures", "--out", out, "--set", 'sweep={"params":{"market.fringe.cost":{"values":[0.69,0.7]}},"outputs":["profit"]}', "--set", "name=lf-sweep-status"]);
    expect(r.code, r.err).toBe(4);
    const sweep = readFileSync(join(out, "lf-sweep-status", "sweep.csv"), "utf8").trimEnd().split("\n").slice(1);
    const statuses = sweep.map((l) => csvCells(l)[2]);
    expect(statuses[0]).toMatch(/^uncertified \(optimality gap/);
    expect(statuses[1]).toBe("ok");
    const curve = readFileSync(join(out, "lf-sweep-status", "curves", "profit-vs-market.fringe.cost.csv"), "utf8").trimEnd().split("\n");
    expect(curve[0]).toBe("market.fringe.cost,profit,status");
    expect(curve.slice(1).map((l) => csvCells(l)[2])).toEqual(statuses);
  });

  it("a sweep's figure captions name the seed of sampled task-weight profiles, in one run and merged from shards (they read \"seed undefined\")", () => {
    const out = join(tmp, "sweep-seed");
    const f = join(tmp, "iid-sweep.json");
    writeFileSync(
      f,
      JSON.stringify({
        name: "iid-sweep",
        seed: 7,
        buyers: { profiles: { kind: "iid", samples: 40, tasks: 3, weight: { dist: "uniform", min: 0, max: 1 } } },
        technology: { sigma: 0.4, aggregate: { kappa: 0.5, gamma: 0.2 } },
        market: { kind: "monopoly" },
        sweep: { params: { "technology.sigma": { linspace: [0.3, 0.5, 3] } }, outputs: ["profit"] },
      }),
    );
    const one = lpe(["sweep", f, "--workers", "1", "--out", out]);
    expect(one.code, one.err).toBe(0);
    const caption = readFileSync(join(out, "iid-sweep", "figures", "profit-vs-technology.sigma.caption.txt"), "utf8");
    expect(caption).toContain("40 sampled task-weight profiles (iid, 3 task bins, seed 7)");
    for (const k of [1, 2]) expect(lpe(["sweep", f, "--workers", "1", "--no-figures", "--out", join(out, "shards"), "--shard", `${k}/2`]).code).toBe(0);
    const merged = lpe(["merge", join(out, "shards", "iid-sweep"), "--out", join(out, "merged")]);
    expect(merged.code, merged.err).toBe(0);
    const mergedCaption = readdirSync(join(out, "merged"), { recursive: true }).map(String).find((p) => p.endsWith("profit-vs-technology.sigma.caption.txt"));
    expect(mergedCaption, readdirSync(join(out, "merged"), { recursive: true }).join(", ")).toBeDefined();
    expect(readFileSync(join(out, "merged", mergedCaption!), "utf8")).toContain("(iid, 3 task bins, seed 7)");
  });
});

describe("the checks line says when its tolerance is beyond the profit (a reviewer's support up to 1e9)", () => {
  const checks = (tolerance: number) => ({ passed: true, skipped: false, icMaxGain: 0, irMinSlack: 0, envelopeMaxError: 0, tolerance, scale: tolerance / 1e-9, monotone: true, excludedZero: true, failures: [] });
  it("adds a line when the tolerance exceeds the profit, none otherwise", async () => {
    const { checksLine } = await import("../cli/report.js");
    const wide = checksLine(checks(4.26e36) as never, 77657.5);
    expect(wide.split("\n")).toHaveLength(2);
    expect(wide).toMatch(/^checks: passed .*\n {2}\(the tolerance, 1e-9 of the largest payment and utility on the grid, exceeds the profit 77657\.5: at this scale the checks say little/);
    expect(checksLine(checks(4.26e-9) as never, 0.071).split("\n")).toHaveLength(1);
    // no profit (a comparison of markets, a leader that earns nothing): nothing to compare with
    expect(checksLine(checks(1) as never, 0).split("\n")).toHaveLength(1);
    expect(checksLine(checks(1) as never, undefined).split("\n")).toHaveLength(1);
  });
});
