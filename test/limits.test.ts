// Bounded work (issue 16, point 10): every input the issue blew up with is refused up front by
// `lpe validate` (exit 2, the JSON path, the limit and the reason, a short message, in seconds),
// the largest accepted inputs solve in bounded time with figures of at most a few thousand points
// while curves.csv keeps every grid type, the IC check covers every pair of a single-model menu
// exactly (and every neighbour otherwise), and figures thin long curves without losing their
// extremes or gaps.
import fc from "fast-check";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../cli/lpe.js";
import { decimateFigure, MAX_POINTS } from "../figures/decimate.js";
import type { FigureSpec } from "../figures/types.js";
import { closest } from "../engine/scenario/load.js";
import { MAX_ATOMS, MAX_CLASSES, MAX_GRID_POINTS, MAX_PROFILE_SAMPLES } from "../engine/scenario/limits.js";
import { checkLinearMenu, checkMenu, linearIcGain } from "../solvers/checks.js";

const root = new URL("..", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "lpe-limits-"));
const tutorial = JSON.parse(readFileSync(join(root, "scenarios/examples/tutorial-monopoly.json"), "utf8"));
delete tutorial.$schema;

let fileNo = 0;
/** The tutorial scenario changed by `edit`, written as `text` or JSON; returns its path. */
function scenarioFile(edit: (s: Record<string, any>) => void, text?: (s: unknown) => string): string {
  const s = structuredClone(tutorial);
  edit(s);
  const f = join(tmp, `s${++fileNo}.json`);
  writeFileSync(f, text ? text(s) : JSON.stringify(s));
  return f;
}

async function lpe(...argv: string[]): Promise<{ code: number; out: string; err: string; seconds: number }> {
  let out = "";
  let err = "";
  const t0 = performance.now();
  const code = await main(argv, { out: (s) => void (out += s.endsWith("\n") ? s : s + "\n"), err: (s) => void (err += s.endsWith("\n") ? s : s + "\n") });
  return { code, out, err, seconds: (performance.now() - t0) / 1000 };
}

/** validate refuses the file: exit 2, a line naming `path` and matching `why`, short, quick. */
async function expectRefused(file: string, path: string, why: RegExp): Promise<void> {
  const r = await lpe("validate", file);
  expect(r.code, r.err).toBe(2);
  const line = r.err.split("\n").find((l) => l.startsWith(`${file}: ${path}${path ? ": " : ""}`));
  expect(line, r.err).toBeDefined();
  expect(line).toMatch(why);
  expect(r.err.length, "the message quotes at most a few dozen characters of the input").toBeLessThan(1000);
  expect(r.seconds).toBeLessThan(20);
  // solve goes through the same checks: the same refusal, nothing written
  const out = join(tmp, `out${fileNo}`);
  const s = await lpe("solve", file, "--no-figures", "--out", out);
  expect(s.code, s.err).toBe(2);
  expect(s.err).toContain(path);
}

const ONE_MIB = 1024 * 1024;

describe("the issue's blow-ups are refused up front with the limit and the reason", () => {
  it("profiles {iid, samples 1e7}", async () => {
    const f = scenarioFile((s) => {
      s.buyers = { profiles: { kind: "iid", samples: 1e7, tasks: 1, weight: { dist: "uniform", min: 0, max: 1 } } };
    });
    await expectRefused(f, "buyers.profiles.samples", new RegExp(`10,000,000 samples; at most ${MAX_PROFILE_SAMPLES.toLocaleString("en-US")} \\(each sample is a type`));
  });

  it("a menu of token distributions with few bins for its types (a reviewer's ran 152 s against an estimate of 19 s)", async () => {
    const td = JSON.parse(readFileSync(join(root, "scenarios/examples/token-distributions.json"), "utf8"));
    delete td.$schema;
    delete td.sweep;
    const file = (samples: number, bins: number) => {
      const f = join(tmp, `td${++fileNo}.json`);
      writeFileSync(f, JSON.stringify({ ...td, buyers: { profiles: { kind: "iid", samples, tasks: bins, weight: { dist: "uniform", min: 0, max: 1 } } }, market: { kind: "tokenDistributions", bins } }));
      return f;
    };
    await expectRefused(file(430, 8), "buyers.profiles.samples", /430 task-profile types in a tokenDistributions market need about [\d,]+ s of computing .*the limit is 20 s: use at most 2\d\d/);
    // 150 types on 4 bins: 152 s, uncertified, when measured; 145: more than 190 s (a second
    // reviewer's); 125: 67 s, uncertified, and 120: 41 s (a third's, other samples); 130: 6.5 s
    // with the first samples. 16 bins for the same types are quick
    await expectRefused(file(150, 4), "buyers.profiles.samples", /150 task-profile types .* the limit is 20 s/);
    await expectRefused(file(145, 4), "buyers.profiles.samples", /145 task-profile types .* the limit is 20 s: use at most 119 types/);
    await expectRefused(file(125, 4), "buyers.profiles.samples", /125 task-profile types .* the limit is 20 s: use at most 119 types/);
    expect((await lpe("validate", file(119, 4))).code).toBe(0);
    expect((await lpe("validate", file(150, 16))).code).toBe(0);
  });

  it("20,000 token classes", async () => {
    const f = scenarioFile((s) => {
      s.technology.tokens.classes = Array.from({ length: 20_000 }, (_, i) => ({ name: `c${i}`, alpha: 1 / 20_000, cost: 0.1 }));
    });
    await expectRefused(f, "technology.tokens.classes", new RegExp(`20,000 classes; at most ${MAX_CLASSES} per group`));
  });

  it("grid.points 1e6", async () => {
    const f = scenarioFile((s) => void (s.grid.points = 1e6));
    await expectRefused(f, "grid.points", new RegExp(`1,000,000 grid points; at most ${MAX_GRID_POINTS.toLocaleString("en-US")}`));
  });

  it("value–scale lognormal types at 1e6 and at 1e5 grid points; the suggested grid is accepted", async () => {
    const vs = { valueScale: { w: { dist: "truncLognormal", mu: 0, sigma: 0.5, min: 0.2, max: 4 }, s: { dist: "uniform", min: 0, max: 1 } } };
    await expectRefused(scenarioFile((s) => ((s.buyers = vs), (s.grid.points = 1e6))), "grid.points", /at most 100,000/);
    // within the grid limit, but each evaluation is an integral: the work estimate says how far to go
    const f = scenarioFile((s) => ((s.buyers = vs), (s.grid.points = 1e5)));
    await expectRefused(f, "grid.points", /continuous w and s .* need about [\d,]+ s of computing; the limit is 20 s: use at most [\d,]+ grid points/);
    const r = await lpe("validate", f);
    const room = Number(/use at most ([\d,]+) grid points/.exec(r.err)![1].replaceAll(",", ""));
    expect(room).toBeGreaterThan(1000);
    expect(room).toBeLessThan(1e5);
    expect((await lpe("validate", f, "--set", `grid.points=${room}`)).code).toBe(0);
    expect((await lpe("validate", f, "--set", `grid.points=${room + 100}`)).code).toBe(2);
  });

  it("a discrete law with 1e6 atoms", async () => {
    const n = 1e6;
    const f = scenarioFile((s) => {
      s.buyers = { theta: { dist: "discrete", values: Array.from({ length: n }, (_, i) => (i + 1) / n), probs: Array.from({ length: n }, () => 1 / n) } };
    });
    await expectRefused(f, "buyers.theta.values", new RegExp(`1,000,000 items; arrays have at most 100,000 \\(a discrete law at most ${MAX_ATOMS.toLocaleString("en-US")} atoms`));
  });

  it("a 10 MiB unknown key: no 'did you mean' search, the key is not echoed", async () => {
    const f = scenarioFile(() => {}, (s) => JSON.stringify({ ...(s as object), ["x".repeat(10 * ONE_MIB)]: 1 }));
    await expectRefused(f, "", /field name of 10,485,760 characters \("x{20}"…\); field names have at most 256/);
  });

  it("a 10 MB market.kind", async () => {
    const f = scenarioFile((s) => void (s.market.kind = "m".repeat(10_000_000)));
    await expectRefused(f, "market.kind", /text of 10,000,000 characters \("m{20}"…\); at most 10,000 are accepted/);
  });

  it("a long unknown key below the limits is quoted short, and the hint search is fast", async () => {
    const key = "sigma" + "a".repeat(200);
    const f = scenarioFile((s) => void (s.technology[key] = 1));
    const r = await lpe("validate", f);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown field "sigmaa{35}"… \(205 characters\); allowed fields: sigma, tokens/);
    const t0 = performance.now();
    expect(closest("x".repeat(10 * ONE_MIB), ["sigma", "tokens", "fineTuning"])).toBeUndefined();
    expect(closest("sigam", ["sigma", "tokens", "fineTuning"])).toBe("sigma");
    expect(performance.now() - t0).toBeLessThan(200);
  });
});

describe("the largest accepted inputs solve in bounded time", () => {
  it(`grid.points ${MAX_GRID_POINTS} with figures: curves.csv keeps every type, figures draw a few thousand points`, { timeout: 120_000 }, async () => {
    const f = scenarioFile((s) => void (s.grid.points = MAX_GRID_POINTS));
    const out = join(tmp, "largest-grid");
    const r = await lpe("solve", f, "--out", out);
    expect(r.code, r.err).toBe(0);
    const dir = join(out, tutorial.name);
    expect(readFileSync(join(dir, "curves.csv"), "utf8").trimEnd().split("\n").length).toBe(MAX_GRID_POINTS + 1);
    const csvs = readdirSync(join(dir, "figures")).filter((n) => n.endsWith(".csv"));
    expect(csvs.length).toBeGreaterThan(3);
    for (const c of csvs) {
      const rows = readFileSync(join(dir, "figures", c), "utf8").trimEnd().split("\n").length - 1;
      expect(rows, c).toBeGreaterThan(500);
      expect(rows, c).toBeLessThanOrEqual(4000);
    }
    expect(r.seconds).toBeLessThan(90);
  });

  it(`a discrete law of ${MAX_ATOMS} atoms and ${MAX_PROFILE_SAMPLES} sampled profiles`, { timeout: 120_000 }, async () => {
    const n = MAX_ATOMS;
    const atoms = scenarioFile((s) => {
      s.buyers = { theta: { dist: "discrete", values: Array.from({ length: n }, (_, i) => (i + 1) / n), probs: Array.from({ length: n }, () => 1 / n) } };
    });
    const a = await lpe("solve", atoms, "--no-figures", "--out", join(tmp, "atoms"));
    expect(a.code, a.err).toBe(0);
    expect(a.seconds).toBeLessThan(60);
    const profiles = scenarioFile((s) => {
      s.buyers = { profiles: { kind: "iid", samples: MAX_PROFILE_SAMPLES, tasks: 2, weight: { dist: "uniform", min: 0, max: 1 } } };
    });
    const p = await lpe("solve", profiles, "--no-figures", "--out", join(tmp, "profiles"));
    expect(p.code, p.err).toBe(0);
    expect(p.seconds).toBeLessThan(60);
  });
});

describe("the incentive check covers every pair", () => {
  /** Q = θ, t = θ²/2 on a grid: exactly IC (a type loses (θ_i − θ_j)²/2 by taking j's item). */
  const menu = (n: number) => {
    const theta = Float64Array.from({ length: n }, (_, i) => i / (n - 1));
    return { theta, alloc: Float64Array.from(theta), t: Float64Array.from(theta, (x) => (x * x) / 2) };
  };

  it("single-model menus: the O(n log n) envelope equals the brute-force maximum over all pairs", () => {
    const grid = fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(grid, grid, grid, fc.boolean(), (th, qs, ts, descending) => {
        const n = Math.min(th.length, qs.length, ts.length);
        const theta = Float64Array.from(th.slice(0, n).map((x) => x / 8)).sort();
        if (descending) theta.reverse();
        const q = Float64Array.from(qs.slice(0, n), (x) => x / 4);
        const t = Float64Array.from(ts.slice(0, n), (x) => x / 4);
        const U = Float64Array.from({ length: n }, (_, i) => theta[i] * q[i] - t[i]);
        let brute = n === 1 ? 0 : -Infinity;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) brute = Math.max(brute, theta[i] * q[j] - t[j] - U[i]);
        expect(linearIcGain(theta, t, q, U).gain).toBe(brute);
      }),
    );
  });

  it("a deviation of one type off the old thinned subset is found, in both checks", () => {
    const n = 2001;
    const m = menu(n);
    const k = 1001; // the old check looked at every fifth type of 2001 only
    m.t[k] += 1e-6; // type k now prefers its neighbours' items by about 1e-6 − (Δθ)²/2 ≈ 8.8e-7
    const linear = checkLinearMenu({ ...m, envelopeRate: (s) => s, thetaStar: null });
    expect(linear.passed).toBe(false);
    expect(linear.failures[0]).toContain(`type θ=${m.theta[k]} gains`);
    expect(linear.icMaxGain).toBeGreaterThan(8e-7);
    const general = checkMenu({ ...m, grossValue: (th, j) => th * m.alloc[j], outside: () => 0, envelopeRate: (s) => s, thetaStar: null });
    expect(general.icMaxGain).toBeCloseTo(linear.icMaxGain, 15);
    expect(general.failures.some((f) => f.startsWith(`incentive compatibility: type θ=${m.theta[k]} gains`))).toBe(true);
    // and the untouched menu passes
    expect(checkLinearMenu({ ...menu(n), envelopeRate: (s) => s, thetaStar: null }).passed).toBe(true);
  });
});

describe("figures thin long curves", () => {
  const spec = (series: FigureSpec["series"]): FigureSpec => ({
    name: "f",
    caption: "c",
    x: { label: { text: "x", tex: "x" } },
    y: { label: { text: "y", tex: "y" } },
    series,
  });

  it("at most 4,000 points per x grid, first and last point, every extreme, NaN gaps kept; short figures untouched", () => {
    const curve = fc.record({
      n: fc.integer({ min: 2, max: 20_000 }),
      freq: fc.double({ min: 0, max: 500, noNaN: true }),
      gapAt: fc.double({ min: 0, max: 1, noNaN: true }),
      gapWidth: fc.integer({ min: 0, max: 50 }),
      spike: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(curve, { minLength: 1, maxLength: 3 }), fc.boolean(), (curves, shared) => {
        const n0 = curves[0].n;
        const series = curves.map((c, i) => {
          const n = shared ? n0 : c.n;
          const x = Float64Array.from({ length: n }, (_, k) => k / (n - 1));
          const y = Float64Array.from(x, (v) => Math.sin(c.freq * v) + v);
          y[Math.floor(c.spike * (n - 1))] = 10 + i; // a one-point peak
          const g = Math.floor(c.gapAt * (n - 1));
          for (let k = g; k < Math.min(n, g + c.gapWidth); k++) y[k] = NaN;
          return { name: { text: `s${i}`, tex: `s${i}` }, x, y };
        });
        const input = spec(series);
        const out = decimateFigure(input);
        if (series.every((s) => s.x.length <= MAX_POINTS)) {
          expect(out).toBe(input);
          return;
        }
        out.series.forEach((s, i) => {
          const src = series[i];
          expect(s.x.length).toBe(s.y.length);
          expect(s.x.length).toBeLessThanOrEqual(Math.min(src.x.length, MAX_POINTS));
          expect(s.x[0]).toBe(src.x[0]);
          expect(s.x[s.x.length - 1]).toBe(src.x[src.x.length - 1]);
          for (let k = 1; k < s.x.length; k++) expect(s.x[k]).toBeGreaterThan(s.x[k - 1]);
          const finite = (a: ArrayLike<number>) => Array.from(a).filter((v) => !Number.isNaN(v));
          expect(Math.max(...finite(s.y))).toBe(Math.max(...finite(src.y)));
          expect(Math.min(...finite(s.y))).toBe(Math.min(...finite(src.y)));
          expect(Array.from(s.y).some(Number.isNaN)).toBe(Array.from(src.y).some(Number.isNaN));
        });
        if (shared) for (const s of out.series) expect(s.x).toBe(out.series[0].x);
      }),
      { numRuns: 15 },
    );
  });
});

describe("the work estimate of value–scale types whose w or s has an infinite density at an end", () => {
  // an independent checker's: w ~ Beta(0.5, 5), s ~ Beta(5, 0.5), σ = 0.7, a monopoly on 401
  // types was estimated at 5 s and took 50 s (this machine, idle); with w alone singular, 11 s;
  // with neither, 3.2 s against 5 s estimated. Each singular factor now counts 4 times.
  const scenario = (w: object, s: object) => ({
    name: "vs",
    buyers: { valueScale: { w, s } },
    technology: { sigma: 0.7, aggregate: { kappa: 1.3, gamma: 0.1 } },
    market: { kind: "monopoly" },
    grid: { points: 401 },
  });
  it("is at least the measured time for one and two singular factors, and the two-factor market is refused (over 20 s) with the reason", async () => {
    const { estimateWork } = await import("../engine/scenario/limits.js");
    const { parseScenario } = await import("../engine/scenario/load.js");
    const seconds = (w: object, s: object) => estimateWork(parseScenario(scenario(w, s), { figures: false }), false).solveMs / 1000;
    const regular = seconds({ dist: "beta", a: 2, b: 5 }, { dist: "beta", a: 5, b: 2 });
    const one = seconds({ dist: "beta", a: 0.5, b: 5 }, { dist: "beta", a: 5, b: 2 });
    expect(regular).toBeGreaterThanOrEqual(3.2);
    expect(one).toBeGreaterThanOrEqual(11);
    const dir = mkdtempSync(join(tmpdir(), "lpe-vs-"));
    const file = join(dir, "vs.json");
    writeFileSync(file, JSON.stringify(scenario({ dist: "beta", a: 0.5, b: 5 }, { dist: "beta", a: 5, b: 0.5 })));
    let err = "";
    const code = await main(["validate", file], { out: () => {}, err: (s) => void (err += s) });
    expect(code).toBe(2);
    expect(err).toMatch(/singular where w and s each have a Beta with a or b below 1\) in a monopoly market need about (\d+) s/);
    expect(Number(/need about (\d+) s/.exec(err)![1])).toBeGreaterThanOrEqual(50);
  });
});
