// The tokenDistributions market as economists use it: scenario files with listed profiles,
// sampled profiles and value–scale buyers, every bad input reported at its JSON path (validate,
// and `lpe solve` with exit 2, nothing written), listed profiles in other markets, and the CLI
// result (incentives, one point per type, the certificate). The example scenario itself is
// solved and checked by scenarios-all.test.ts.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { taskTypes } from "../engine/distributions/task-types.js";
import { validateScenario } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";
import { close } from "./helpers/close.js";

const root = new URL("..", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "lpe-distributions-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => {
  if (!existsSync(join(root, "dist/cli/lpe.js"))) spawnSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: root });
});
const lpe = (args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, "bin/lpe.js"), ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const technology = { sigma: 0.5, aggregate: { kappa: 1, gamma: 0.3 } };
const base = () => ({
  name: "td",
  buyers: {
    profiles: {
      kind: "list",
      weights: [
        [1, 0.2, 0.1],
        [0.2, 1, 0.4],
        [0.9, 0.8, 0.7],
      ],
      probs: [0.3, 0.3, 0.4],
    },
  },
  technology,
  market: { kind: "tokenDistributions", bins: 3 },
});

/** The problems validateScenario reports, as "path: message". */
function problems(raw: unknown): string[] {
  return validateScenario(raw).problems.map((p) => `${p.path}: ${p.message}`);
}

describe("bad input is reported at its JSON path", () => {
  const cases: [string, (s: ReturnType<typeof base>) => void, RegExp][] = [
    ["a row with the wrong number of weights", (s) => s.buyers.profiles.weights[1].push(0.3), /^buyers\.profiles\.weights\[1\]: has 4 weights, but market\.bins is 3/],
    ["a negative weight", (s) => (s.buyers.profiles.weights[2][0] = -1), /^buyers\.profiles\.weights\[2\]\[0\]: task weights must be finite and ≥ 0/],
    ["probabilities not summing to 1", (s) => (s.buyers.profiles.probs = [0.3, 0.3, 0.3]), /^buyers\.profiles\.probs: probabilities must sum to 1/],
    ["one probability too few", (s) => (s.buyers.profiles.probs = [0.5, 0.5]), /^buyers\.profiles\.probs: needs one probability per profile: 3 profiles, 2 probs/],
    ["no task bins", (s) => (s.market.bins = 0), /^market\.bins: /],
    ["nobody values anything", (s) => (s.buyers.profiles.weights = [[0, 0, 0], [0, 0, 0], [0, 0, 0]]), /^buyers\.profiles\.weights: every profile has zero weight/],
  ];
  it.each(cases)("%s", (_name, edit, expected) => {
    const s = base();
    edit(s);
    const ps = problems(s);
    expect(ps.some((p) => expected.test(p)), ps.join("\n")).toBe(true);
  });

  it("buyers given only by θ cannot be contracted on tasks", () => {
    const ps = problems({ ...base(), buyers: { theta: { dist: "uniform", min: 0, max: 1 } } });
    expect(ps.some((p) => /^buyers: the tokenDistributions market needs task profiles/.test(p)), ps.join("\n")).toBe(true);
  });

  it("sampled profiles must have one weight per market bin; the value–scale grid needs value–scale buyers", () => {
    const sampled = { ...base(), buyers: { profiles: { kind: "iid", samples: 5, tasks: 4, weight: { dist: "uniform", min: 0, max: 1 } } } };
    expect(problems(sampled).some((p) => /^market\.bins: must equal buyers\.profiles\.tasks \(4\)/.test(p))).toBe(true);
    const grid = { ...base(), market: { kind: "tokenDistributions", bins: 3, valueScaleGrid: { w: 4, s: 4 } } };
    expect(problems(grid).some((p) => /^market\.valueScaleGrid: applies to buyers\.valueScale only/.test(p))).toBe(true);
    const unknown = { ...base(), market: { kind: "tokenDistributions", bins: 3, bnis: 2 } };
    expect(problems(unknown).join("\n")).toMatch(/market/);
  });

  it("`lpe solve` exits 2 with one line naming the path, and writes nothing", () => {
    const s = base();
    s.buyers.profiles.weights[0] = [1, 0.2];
    const file = join(tmp, "bad.json");
    writeFileSync(file, JSON.stringify(s));
    const out = join(tmp, "out-bad");
    const r = lpe(["solve", file, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/buyers\.profiles\.weights\[0\]: has 2 weights, but market\.bins is 3/);
    expect(r.err).not.toMatch(/\bat .*\.js:\d+/);
    expect(existsSync(out)).toBe(false);
  });
});

describe("the three sources of types", () => {
  it("listed profiles: the CLI result has the certificate, one point per type and the binding structure", () => {
    const file = join(tmp, "listed.json");
    writeFileSync(file, JSON.stringify(base()));
    const r = lpe(["solve", file, "--json", "--out", join(tmp, "out"), "--no-figures"]);
    expect(r.code, r.err).toBe(0);
    const res = JSON.parse(r.out);
    expect(res.market).toBe("tokenDistributions");
    expect(res.checks.certified).toBe(true);
    expect(res.checks.optimalityGap).toBeLessThanOrEqual(1e-9);
    expect(res.points.map((p: { type: number }) => p.type).sort()).toEqual([0, 1, 2]);
    expect(Object.keys(res.points[0].QBins)).toEqual(["1", "2", "3"]);
    expect(Array.isArray(res.incentives.binding)).toBe(true);
    expect(res.scalars.contractingGain).toBeGreaterThanOrEqual(0);
    const csv = readFileSync(join(tmp, "out", "td", "curves.csv"), "utf8").split("\n");
    expect(csv[0]).toMatch(/^theta,type,p,Q,t,U,.*,Q\.1,Q\.2,Q\.3,budgetQ\.1,budgetQ\.2,budgetQ\.3$/);
    expect(csv.filter((l) => l.length > 0)).toHaveLength(4);
  });

  it("listed profiles in the monopoly market: the token-budget menu on θ(w), the same as the comparison's", () => {
    const s = base();
    const mono = validateScenario({ ...s, market: { kind: "monopoly" } }).scenario;
    const td = validateScenario(s).scenario;
    if (!mono || !td) throw new Error("scenarios should validate");
    close(solveScenario(mono).scalars.profit as number, solveScenario(td).scalars.budgetProfit as number, 1e-14, "budget profit");
  });

  it("identical listed profiles are one type with their probabilities summed", () => {
    const types = taskTypes({ profiles: { kind: "list", weights: [[1, 2], [0.5, 0.5], [1, 2]], probs: [0.2, 0.5, 0.3] } }, 0.5, 1, 2);
    expect(types.n).toBe(2);
    expect([...types.source]).toEqual([0, 1]);
    close(types.p[0], 0.5, 1e-15, "merged probability");
    expect(types.notes.join(" ")).toMatch(/row 0 with row 2/);
  });

  it("sampled value–scale profiles with tasks = bins", () => {
    const s = {
      ...base(),
      buyers: { profiles: { kind: "valueScale", samples: 12, tasks: 4, w: { dist: "uniform", min: 0.5, max: 1.5 }, s: { dist: "uniform", min: 0.2, max: 1 } } },
      market: { kind: "tokenDistributions", bins: 4 },
      seed: 7,
    };
    const sc = validateScenario(s).scenario;
    if (!sc) throw new Error(problems(s).join("\n"));
    const sol = solveScenario(sc);
    expect(sol.checks.passed).toBe(true);
    expect(sol.certificate.certified).toBe(true);
    expect(sol.scalars.types).toBe(12);
    expect(sol.scalars.contractingGain as number).toBeGreaterThanOrEqual(0);
  });

  it("value–scale types (w, s): s rounded up to whole bins, θ = w (k/M)^(1−σ) exactly, probabilities summing to 1", () => {
    const types = taskTypes({ valueScale: { w: { dist: "uniform", min: 0, max: 2 }, s: { dist: "beta", a: 2, b: 2, min: 0, max: 1 } } }, 0.4, 1, 8, { w: 5, s: 6 });
    let total = 0;
    for (let i = 0; i < types.n; i++) {
      total += types.p[i];
      const vs = types.valueScale;
      if (!vs) throw new Error("value–scale types carry (w, s)");
      const k = Math.round(vs.s[i] * 8);
      expect(Math.abs(vs.s[i] * 8 - k)).toBeLessThan(1e-12);
      const row = Array.from(types.w.subarray(i * 8, i * 8 + 8));
      expect(row).toEqual(Array.from({ length: 8 }, (_, b) => (b < k ? vs.w[i] : 0)));
      close(types.theta[i], vs.w[i] * Math.pow(k / 8, 0.6), 1e-14, `θ of type ${i}`);
    }
    close(total, 1, 1e-14, "total probability");
    // quantile midpoints of s: 1/12, 3/12, … of Beta(2, 2), rounded up to eighths
    expect(types.notes.join(" ")).toMatch(/rounded up to the next multiple of 1\/8/);
  });

  it("value–scale buyers solve to a certified menu with the value of contracting on tasks reported", () => {
    const s = {
      ...base(),
      buyers: { valueScale: { w: { dist: "uniform", min: 0.2, max: 1.2 }, s: { dist: "uniform", min: 0, max: 1 } } },
      market: { kind: "tokenDistributions", bins: 6, valueScaleGrid: { w: 4, s: 6 } },
    };
    const sc = validateScenario(s).scenario;
    if (!sc) throw new Error(problems(s).join("\n"));
    const sol = solveScenario(sc);
    expect(sol.checks.failures).toEqual([]);
    expect(sol.certificate.certified).toBe(true);
    expect(sol.scalars.types).toBe(24);
    expect(sol.scalars.contractingGain as number).toBeGreaterThan(0);
  });
});

describe("the figures of a menu of token distributions", () => {
  it("say that the dots are the types and the lines only join neighbours, with the gain to 3 significant digits", async () => {
    const { parseScenario } = await import("../engine/scenario/load.js");
    const { prepareSolvers } = await import("../solvers/solve.js");
    const { distributionsFigure } = await import("../figures/builders/distributions-menus.js");
    const raw = JSON.parse(readFileSync(join(new URL("..", import.meta.url).pathname, "scenarios/examples/token-distributions.json"), "utf8"));
    const scenario = parseScenario(raw);
    await prepareSolvers(scenario);
    const sol = solveScenario(scenario);
    const rel = sol.scalars.contractingGainRelative as number;
    for (const name of ["distributions-quality", "distributions-transfers"] as const) {
      const f = distributionsFigure(name, scenario, sol);
      expect(f.caption).toContain("; dots: the 6 types, lines: only joining neighbours in θ");
      expect(f.caption).toContain(`(+${Number((100 * rel).toPrecision(3))}%)`);
      expect(f.caption).not.toMatch(/\+\d+\.\d{4,}%/);
      expect(f.series.every((s) => s.marker === true)).toBe(true);
    }
  });
});

describe("the terminal report of a token-distribution menu", () => {
  it("labels the token-budget menu's bunching as such, not as a pooling of the full-contracting menu", () => {
    const r = lpe(["solve", "scenarios/examples/token-distributions.json", "--no-figures", "--out", tmp]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^ {2}ironing of the token-budget menu \(θ intervals\): \[[0-9.]+, [0-9.]+\]/m);
    expect(r.out).not.toMatch(/^ {2}ironing: /m);
  });
});

describe("lpe eval --at on a token-distribution menu", () => {
  it("a θ within 1e-4 (relative) of one type's θ(w) names that type; far from every type, the nearest are listed", () => {
    // the example's type 1 has θ(w) = 0.56789083458…: the 0.5679 a reader copies from the report
    const near = lpe(["eval", "scenarios/examples/token-distributions.json", "--at", "0.5679"]);
    expect(near.code, near.err).toBe(0);
    expect(near.out).toMatch(/^0\.56789083458 +1 +0\.2 /m);
    const far = lpe(["eval", "scenarios/examples/token-distributions.json", "--at", "0.6"]);
    expect(far.code).toBe(2);
    expect(far.err).toMatch(/--at: θ = 0\.6 is not the aggregate type of any of the 6 types: .*; the nearest: 0\.5678908345\d*, 0\.5766281297\d*, 0\.6964194138\d*$/m);
  });
});
