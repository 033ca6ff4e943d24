// Bad scenarios are reported with the exact JSON path and what was expected, never a stack
// trace: through loadScenarioFile on temporary files (first problem, as `lpe solve` sees it),
// validateScenario (all problems) and `lpe validate` (one line per problem, exit 2).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { InputError } from "../engine/errors.js";
import { loadScenarioFile, parseScenario, scenarioSha256, validateScenario } from "../engine/scenario/load.js";
import { setPath } from "../engine/scenario/overrides.js";
import { runValidate } from "../cli/commands/validate.js";

const fixturePath = (name: string) => fileURLToPath(new URL(`./fixtures/scenarios/${name}`, import.meta.url));
const fixture = (name: string): unknown => JSON.parse(readFileSync(fixturePath(name), "utf8"));
const P1 = fixture("P1.json");
const P2 = fixture("P2.json");

const dir = mkdtempSync(join(tmpdir(), "lpe-bad-input-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
function writeScenario(content: unknown): string {
  const file = join(dir, `s${counter++}.json`);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return file;
}

/** The InputError of loading `raw` from a file (with `sets`), or fail. */
function loadError(raw: unknown, sets: string[] = []): InputError {
  const file = writeScenario(raw);
  try {
    loadScenarioFile(file, sets);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw new Error(`expected an InputError, got ${String(e)}`);
  }
  throw new Error("expected the scenario to be rejected, but it loaded");
}

/** Assert the error's path and that its one-line message is "<path>: <detail>" with detail matching. */
function expectProblem(e: InputError, path: string, detail: RegExp): void {
  expect(e.path, `path of: ${e.message}`).toBe(path);
  expect(e.message.includes("\n"), `one line: ${e.message}`).toBe(false);
  expect(e.message.startsWith(path ? `${path}: ` : ""), `message starts with the path: ${e.message}`).toBe(true);
  expect(e.message, "detail").toMatch(detail);
}

const withTheta = (theta: unknown) => setPath(P1, "buyers.theta", theta);

describe("one bad field, through loadScenarioFile", () => {
  test("a string where a cost belongs, three levels deep", () => {
    const e = loadError(setPath(P1, "technology.tokens.classes[1].cost", "abc"));
    expectProblem(e, "technology.tokens.classes[1].cost", /^technology\.tokens\.classes\[1\]\.cost: expected a number, got the string "abc"$/);
  });

  test("a missing sigma", () => {
    const raw = structuredClone(P1) as { technology: Record<string, unknown> };
    delete raw.technology.sigma;
    expectProblem(loadError(raw), "technology.sigma", /^technology\.sigma: required number is missing$/);
  });

  test("a sigma too small to compute with (5e-324: 1/σ is ∞; a fuzzed value whose closed-form menu failed its checks) is refused at its path; 1e-300 is not", () => {
    expectProblem(loadError(setPath(P1, "technology.sigma", 5e-324)), "technology.sigma", /^technology\.sigma: σ = 5e-324 is too small to compute with \(the exponents η\/σ overflow\): at least 1e-300$/);
    expect(() => parseScenario(setPath(P1, "technology.sigma", 1e-300))).not.toThrow();
  });

  test("a misspelt field gets a hint", () => {
    const raw = structuredClone(P1) as { technology: Record<string, unknown> };
    raw.technology.sigam = raw.technology.sigma;
    delete raw.technology.sigma;
    expectProblem(loadError(raw), "technology.sigam", /unknown field "sigam"; did you mean "sigma"\?/);
  });

  test("a field written one level too high gets its path as a hint (a reviewer's sigma = 0.4)", () => {
    const raw = structuredClone(P1) as Record<string, unknown>;
    raw.sigma = 0.4;
    expectProblem(loadError(raw), "sigma", /unknown field "sigma"; did you mean "technology\.sigma"\? allowed fields here: \$schema, name/);
  });

  test("a distribution's name without its truncation prefix gets the full name as a hint", () => {
    expectProblem(loadError(withTheta({ dist: "lognormal", mu: 0, sigma: 1, min: 0.1, max: 3 })), "buyers.theta.dist", /unknown distribution "lognormal"; did you mean "truncLognormal"\? expected one of/);
    expectProblem(loadError(withTheta({ dist: "pareto", alpha: 2, min: 1, max: 3 })), "buyers.theta.dist", /did you mean "truncPareto"\?/);
  });

  test("an unknown distribution lists the known ones", () => {
    const e = loadError(withTheta({ dist: "gaussian", min: 0, max: 1 }));
    expectProblem(e, "buyers.theta.dist", /unknown distribution "gaussian"; expected one of uniform, beta, truncExponential, truncLognormal, truncPareto, discrete, mixture, expression/);
  });

  test("an unknown market kind and a missing discriminator", () => {
    expectProblem(loadError(setPath(P2, "market.kind", "leaderFringes")), "market.kind", /unknown market kind "leaderFringes"; did you mean "leaderFringe"\?/);
    expectProblem(loadError(setPath(P1, "market", {})), "market.kind", /required field "kind" is missing; expected one of monopoly, tiers/);
  });

  test("σ + γ ≥ 1 for the fine-tuning technology", () => {
    const e = loadError(setPath(P1, "technology.fineTuning.gamma", 0.5));
    expectProblem(e, "technology.fineTuning.gamma", /σ \+ γ must be below 1 .*σ = 0\.5, γ = 0\.5, σ \+ γ = 1$/);
  });

  test("σ + γ_L ≥ 1 for the leader, and a fringe exponent above the leader's", () => {
    expectProblem(loadError(setPath(P2, "market.leader.gamma", 0.5)), "market.leader.gamma", /σ \+ γ must be below 1 .*for leader/);
    expectProblem(
      loadError(setPath(P2, "market.fringe.gamma", 0.35)),
      "market.fringe.gamma",
      /the fringe's fine-tuning exponent must not exceed the leader's \(docs\/model\.md 3c\): γ_F = 0\.35 > γ_L = 0\.3/,
    );
  });

  test("probabilities summing to 0.9 are reported with the actual sum", () => {
    const e = loadError(withTheta({ dist: "discrete", values: [0.2, 0.5, 0.9], probs: [0.3, 0.3, 0.3] }));
    expectProblem(e, "buyers.theta.probs", /probabilities must sum to 1 \(within 1e-9\), got 0\.9$/);
  });

  test("a negative cost, and a zero fringe cost", () => {
    expectProblem(loadError(setPath(P1, "technology.tokens.classes[0].cost", -1)), "technology.tokens.classes[0].cost", /must be > 0, got -1$/);
    expectProblem(loadError(setPath(P2, "market.fringe.cost", 0)), "market.fringe.cost", /must be > 0, got 0$/);
  });

  test("min > max", () => {
    const e = loadError(withTheta({ dist: "uniform", min: 2, max: 1 }));
    expectProblem(e, "buyers.theta.min", /min must be below max, got min = 2 and max = 1/);
  });

  test("negative types", () => {
    const e = loadError(withTheta({ dist: "uniform", min: -1, max: 1 }));
    expectProblem(e, "buyers.theta.min", /types are nonnegative: min must be at least 0, got -1/);
  });

  test("a file that is not JSON gives line and column", () => {
    const file = writeScenario('{\n  "name": "x",\n  "buyers": }\n');
    let err: unknown;
    try {
      loadScenarioFile(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expectProblem(err as InputError, "", /^not valid JSON: unexpected "}" at line 3, column 13$/);
    expect(() => loadScenarioFile(writeScenario('{"a": [1, 2,]}'))).toThrow(/trailing comma is not allowed in JSON\) at line 1, column 13/);
  });

  test("a missing file", () => {
    expect(() => loadScenarioFile(join(dir, "does-not-exist.json"))).toThrow(/cannot read scenario file ".*does-not-exist\.json": no such file/);
  });

  const expressionCases: [string, RegExp][] = [
    ["import('fs')", /function "import" is not allowed/],
    ["f(theta) = theta", /defining a function/],
    ["zeros(1e5, 1e5)", /function "zeros" is not allowed/],
    ["theta * y", /unknown variable "y"/],
  ];
  test.each(expressionCases)("a density formula %s is refused at its path", (density, detail) => {
    const e = loadError(withTheta({ dist: "expression", density, min: 0, max: 1 }));
    expectProblem(e, "buyers.theta.density", detail);
  });

  test("a density formula that goes negative is refused", () => {
    const e = loadError(withTheta({ dist: "expression", density: "theta - 0.5", min: 0, max: 1 }));
    // the first of the 401 sample midpoints, (0 + 0.5)/401, where the formula is 0.5/401 − 0.5
    expectProblem(e, "buyers.theta.density", /density is negative at theta = 0\.00124688279301\d* \(-0\.49875311720\d*\)/);
  });
});

describe("all problems at once, through validateScenario", () => {
  test("structural problems are all listed, unknown fields first", () => {
    const r = validateScenario(fixture("broken-structure.json"));
    expect(r.scenario).toBeUndefined();
    expect(r.problems).toEqual([
      { path: "technology.sigam", message: 'unknown field "sigam"; did you mean "sigma"?' },
      { path: "buyers.theta.dist", message: expect.stringMatching(/^unknown distribution "gaussian"/) },
      { path: "technology.sigma", message: "required number is missing" },
      { path: "technology.tokens.classes[1].cost", message: 'expected a number, got the string "abc"' },
    ]);
  });

  test("economic problems are all listed", () => {
    const r = validateScenario(fixture("broken-economics.json"));
    expect(r.problems.map((p) => p.path)).toEqual(["buyers.theta.probs", "technology.tokens.classes[0].cost", "technology.fineTuning.gamma"]);
  });

  test("economic checks wait for a valid structure", () => {
    const raw = setPath(fixture("broken-economics.json"), "grid", { points: "many" });
    expect(validateScenario(raw).problems).toEqual([{ path: "grid.points", message: 'expected a number, got the string "many"' }]);
  });

  const bad: [string, unknown, string, RegExp][] = [
    ["non-integer grid", setPath(P1, "grid", { points: 2.5 }), "grid.points", /expected an integer, got 2\.5/],
    // (the whole form of a fixed-length list: "expected at least 3 items, got 2" read as if 4 would do)
    ["a linspace of two numbers", setPath(P1, "sweep", { params: { "technology.sigma": { linspace: [0.3, 0.6] } } }), 'sweep.params["technology.sigma"].linspace', /^expected exactly 3 numbers \[from, to, n\], got 2$/],
    ["a logspace of four numbers", setPath(P1, "sweep", { params: { "technology.sigma": { logspace: [-1, -0.5, 5, 7] } } }), 'sweep.params["technology.sigma"].logspace', /^expected exactly 3 numbers \[a, b, n\], got 4$/],
    ["too few grid points", setPath(P1, "grid", { points: 2 }), "grid.points", /at least 3 grid points, got 2/],
    ["tiers out of range", setPath(P1, "market", { kind: "tiers", count: 51 }), "market.count", /integer from 1 to 50, got 51/],
    ["sigma out of range", setPath(P1, "technology.sigma", 1), "technology.sigma", /0 < σ < 1, got 1/],
    ["rho above 1", setPath(P1, "technology.tokens.rho", 1.5), "technology.tokens.rho", /must be ≤ 1, got 1\.5/],
    ["alphas not summing to 1", setPath(P1, "technology.tokens.classes[0].alpha", 0.3), "technology.tokens.classes", /weights alpha must sum to 1 .*got 0\.9/],
    ["duplicate class names", setPath(P1, "technology.tokens.classes[1].name", "input"), "technology.tokens.classes[1].name", /duplicate class name "input"/],
    ["beta shape", withTheta({ dist: "beta", a: 0, b: 1 }), "buyers.theta.a", /must be > 0, got 0/],
    ["lognormal at 0", withTheta({ dist: "truncLognormal", mu: 0, sigma: 1, min: 0, max: 2 }), "buyers.theta.min", /must be > 0, got 0/],
    ["pareto alpha", withTheta({ dist: "truncPareto", alpha: -1, min: 1, max: 2 }), "buyers.theta.alpha", /must be > 0, got -1/],
    ["values not ascending", withTheta({ dist: "discrete", values: [0.5, 0.5], probs: [0.5, 0.5] }), "buyers.theta.values[1]", /strictly ascending/],
    ["probs length", withTheta({ dist: "discrete", values: [0.5, 0.6], probs: [1] }), "buyers.theta.probs", /one probability per value: 2 values, 1 probs/],
    ["mixture weights", withTheta({ dist: "mixture", components: [{ dist: "uniform", min: 0, max: 1 }, { dist: "uniform", min: 1, max: 2 }], weights: [0.5, 0.6] }), "buyers.theta.weights", /mixture weights must sum to 1 .*got 1\.1/],
    ["mixed mixture", withTheta({ dist: "mixture", components: [{ dist: "uniform", min: 0, max: 1 }, { dist: "discrete", values: [1], probs: [1] }], weights: [0.5, 0.5] }), "buyers.theta.components", /all discrete or all continuous/],
    ["nested component", withTheta({ dist: "mixture", components: [{ dist: "uniform", min: 0, max: 1 }, { dist: "uniform", min: 3, max: 2 }], weights: [0.5, 0.5] }), "buyers.theta.components[1].min", /min must be below max/],
    ["share above 1", setPath(P1, "buyers", { valueScale: { w: { dist: "uniform", min: 0, max: 1 }, s: { dist: "uniform", min: 0, max: 2 } } }), "buyers.valueScale.s.max", /s lies in \(0, 1\]: max must be at most 1, got 2/],
    ["share atom at 0", setPath(P1, "buyers", { valueScale: { w: { dist: "uniform", min: 0, max: 1 }, s: { dist: "discrete", values: [0, 1], probs: [0.5, 0.5] } } }), "buyers.valueScale.s.values[0]", /\(0, 1\], got 0/],
    ["both theta and valueScale", setPath(P1, "buyers.valueScale", { w: {}, s: {} }), "buyers.valueScale", /cannot be combined .*\{ theta \} or \{ valueScale \} or \{ profiles \}/],
    ["misspelt buyers key", setPath(P1, "buyers", { thetta: { dist: "uniform", min: 0, max: 1 } }), "buyers", /expected one of the forms .*"thetta" \(did you mean "theta"\?\)/],
    ["no cost of quality", setPath(P2, "market", { kind: "monopoly" }), "technology.tokens", /monopoly market needs a cost of quality/],
    ["leader misses cost", setPath(P2, "market.leader", { gamma: 0.3 }), "market.leader.cost", /required number is missing/],
    ["leader misspelt", setPath(P2, "market.leader", { gama: 0.3, cost: 0.3 }), "market.leader.gama", /did you mean "gamma"\?/],
    // each form once (a reviewer's message listed the two forms four times over)
    ["leader with both forms", setPath(P2, "market.leader.technology", { sigma: 0.5 }), "market.leader.technology", /cannot be combined with the other fields here; expected one of the forms \{ gamma, cost \} or \{ technology \}$/],
    ["model sigma differs", setPath(P2, "market.leader", { technology: { sigma: 0.4, aggregate: { kappa: 1, gamma: 0.3 } } }), "market.leader.technology.sigma", /must equal technology\.sigma = 0\.5, got 0\.4/],
    ["per-class gammas too large", setPath(P1, "technology.fineTuning", { kind: "baselinePerClass", classes: [{ name: "a", cost: 1, b: 1, gamma: 0.3 }, { name: "b", cost: 1, b: 1, gamma: 0.3 }] }), "technology.fineTuning.classes", /σ \+ Σγ_k must be below 1/],
    ["bad folder name", setPath(P1, "name", "../escape"), "name", /names the output folder/],
    // (a reviewer's "CON" was accepted: no folder of that name can be made on Windows)
    ["a device name Windows reserves", setPath(P1, "name", "CON"), "name", /"CON" is a device name Windows reserves/],
    ["a reserved device name with an extension", setPath(P1, "name", "nul.txt"), "name", /"nul\.txt" is a device name Windows reserves/],
    ["a name ending in a dot", setPath(P1, "name", "run."), "name", /"run\." ends in "\.", which Windows drops/],
    ["sweep over a non-number", setPath(P1, "sweep", { params: { "market.kind": { values: [1] } }, outputs: ["profit"] }), 'sweep.params["market.kind"]', /sweep sets numbers, but this field holds a string/],
    ["sweep over nothing", setPath(P1, "sweep", { params: { "market.fringe.costs": { values: [1] } }, outputs: ["profit"] }), 'sweep.params["market.fringe.costs"]', /no scenario field takes a number at this path \(this scenario's numbers include buyers\.theta\.min, .*technology\.sigma/],
    ["sweep over a mistyped number", setPath(P1, "sweep", { params: { "technology.sigm": { values: [0.4] } }, outputs: ["profit"] }), 'sweep.params["technology.sigm"]', /no scenario field takes a number at this path; did you mean technology\.sigma\?/],
    ["sweep past an array", setPath(P1, "sweep", { params: { "technology.tokens.classes[2].cost": { values: [1] } }, outputs: ["profit"] }), 'sweep.params["technology.tokens.classes[2].cost"]', /has 2 entries; index 2 does not exist/],
    ["sweep with n = 0", setPath(P1, "sweep", { params: { "technology.sigma": { linspace: [0.1, 0.2, 0] } }, outputs: ["profit"] }), 'sweep.params["technology.sigma"].linspace[2]', /at least 1, got 0/],
    // (a reviewer's [0.3, 0.3, 0.4] was accepted silently)
    ["sweep with a value listed twice", setPath(P1, "sweep", { params: { "technology.sigma": { values: [0.3, 0.3, 0.4] } }, outputs: ["profit"] }), 'sweep.params["technology.sigma"].values[1]', /0\.3 is listed twice \(also at values\[0\]\): each value of an axis once/],
    ["sweep over a linspace with equal ends", setPath(P1, "sweep", { params: { "technology.sigma": { linspace: [0.3, 0.3, 3] } }, outputs: ["profit"] }), 'sweep.params["technology.sigma"].linspace', /from 0\.3 to 0\.3: its 3 points are all the same value/],
    ["sweep over a logspace whose points doubles cannot tell apart", setPath(P1, "sweep", { params: { "technology.sigma": { logspace: [-0.5, -0.49999999999999994, 50] } }, outputs: ["profit"] }), 'sweep.params["technology.sigma"].logspace', /50 points between -0\.5 and -0\.49999999999999994 are closer than doubles can tell apart/],
    ["sweep with a fractional n", setPath(P1, "sweep", { params: { "technology.sigma": { logspace: [0.1, 0.2, 2.5] } }, outputs: ["profit"] }), 'sweep.params["technology.sigma"].logspace[2]', /expected an integer, got 2\.5/],
    ["sweep without outputs", setPath(P1, "sweep", { params: { "technology.sigma": { values: [0.3] } }, outputs: [] }), "sweep.outputs", /expected at least 1 item, got 0/],
    ["zip of unequal axes", setPath(P1, "sweep", { params: { "technology.sigma": { values: [0.3, 0.4] }, "market.fringe.cost": { values: [1] } }, zip: [["technology.sigma", "market.fringe.cost"]], outputs: ["profit"] }), "sweep.zip[0]", /equal lengths, got 2 \(technology\.sigma\), 1 \(market\.fringe\.cost\)/],
    ["zip of an unswept path", setPath(P1, "sweep", { params: { "technology.sigma": { values: [0.3] } }, zip: [["technology.sigma", "seed"]], outputs: ["profit"] }), "sweep.zip[0][1]", /"seed" is not a swept parameter/],
  ];
  test.each(bad)("%s", (_name, raw, path, detail) => {
    const r = validateScenario(raw);
    expect(r.scenario, "no scenario for a bad input").toBeUndefined();
    const hit = r.problems.find((p) => p.path === path);
    expect(hit, `a problem at ${path} among ${JSON.stringify(r.problems)}`).toBeDefined();
    expect(hit?.message).toMatch(detail);
    expect(() => parseScenario(raw)).toThrow(InputError);
  });

  test("a legal sweep over a field absent from the scenario (market.fringe.cost) passes", () => {
    const raw = setPath(P1, "sweep", { params: { "market.fringe.cost": { linspace: [0.05, 0.29, 25] } }, outputs: ["profit"] });
    expect(validateScenario(raw).problems).toEqual([]);
  });
});

describe("--set overrides", () => {
  test("overrides apply before validation and enter the hash", () => {
    const file = writeScenario(P1);
    const plain = loadScenarioFile(file);
    const over = loadScenarioFile(file, ["technology.tokens.classes[0].cost=2", "buyers.theta.max=2", "grid.points=101"]);
    expect(over.scenario.technology.tokens?.classes[0].cost).toBe(2);
    expect("theta" in over.scenario.buyers && over.scenario.buyers.theta).toMatchObject({ max: 2 });
    expect(over.scenario.grid.points).toBe(101);
    expect(over.sha256).not.toBe(plain.sha256);
    // the hash of the resolved scenario: defaults filled, the overrides' folder suffix in its name
    expect(over.sha256).toBe(scenarioSha256(over.resolved));
    expect(over.resolved.name).toBe("P1--technology.tokens.classes.0.cost-2--buyers.theta.max-2--grid.points-101");
    expect(plain.sha256).toBe(scenarioSha256(parseScenario(P1)));
    // spelling out a default or pointing $schema elsewhere is the same scenario
    const explicit = loadScenarioFile(writeScenario({ ...(P1 as object), $schema: "elsewhere.json", grid: { points: 401 }, seed: 1 }));
    expect(explicit.sha256).toBe(plain.sha256);
    expect(over.file).toBe(file);
  });

  test("an override can fix a broken file, or break a good one at the overridden path", () => {
    const broken = writeScenario(setPath(P1, "technology.sigma", "half"));
    expect(loadScenarioFile(broken, ["technology.sigma=0.5"]).scenario.technology.sigma).toBe(0.5);
    const e = loadError(P2, ["market.fringe.cost=abc"]);
    expectProblem(e, "market.fringe.cost", /expected a number, got the string "abc"/);
  });

  test("a --set of 1e999 (Infinity after JSON parsing) is refused", () => {
    expectProblem(loadError(P1, ["technology.sigma=1e999"]), "technology.sigma", /expected a finite number, got a number beyond double precision \(read as Infinity: its magnitude exceeds 1\.8e308\)$/);
  });

  test("a malformed --set is reported at --set", () => {
    expectProblem(loadError(P1, ["technology.sigma"]), "--set", /malformed --set "technology\.sigma"; expected PATH=VALUE/);
    expectProblem(loadError(P1, ["technology..sigma=1"]), "--set", /empty segment/);
    expectProblem(loadError(P1, ["name.first=1"]), "--set", /name is a string, not an object/);
  });
});

describe("lpe validate", () => {
  const run = async (files: string[], sets: string[] = []) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runValidate(files, sets, { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join(""), err: err.join("") };
  };

  test("valid files print ok and exit 0 (with a sweep: how many grid points were checked)", async () => {
    const files = ["P1.json", "P2.json", "valid-leader-fringe.json"].map(fixturePath);
    const r = await run(files);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toBe(files.map((f) => `ok  ${f}${f.endsWith("valid-leader-fringe.json") ? " (sweep: all 15 grid points checked)" : ""}\n`).join(""));
  });

  test("the interface document's example sweep is checked as the run would: outputs its monopoly lacks, and a swept path it lacks", async () => {
    const f = fixturePath("interface-example.json");
    const r = await run([f]);
    expect(r.code).toBe(2);
    const lines = r.err.trimEnd().split("\n");
    expect(lines[0].startsWith(`${f}: sweep.outputs[0]: unknown output "thetaLow"; the monopoly market has: profit, consumerSurplus, welfare, thetaStar, kappa, eta,`)).toBe(true);
    // a fringe cost in a monopoly fails every grid point alike: said once, as `lpe sweep` refuses it
    expect(lines[2]).toBe(
      `${f}: sweep.params["market.fringe.cost"]: market has no field "fringe" in this scenario (other kinds of market or type law have one: check market.kind and buyers); every grid point would fail`,
    );
    expect(lines).toHaveLength(3);
  });

  test("each problem is one line '<file>: <path>: <message>' on stderr, exit 2", async () => {
    const good = fixturePath("P1.json");
    const bad = fixturePath("broken-economics.json");
    const r = await run([good, bad]);
    expect(r.code).toBe(2);
    expect(r.out).toBe(`ok  ${good}\n`);
    const lines = r.err.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`${bad}: buyers.theta.probs: probabilities must sum to 1 (within 1e-9), got 0.9`);
    expect(lines[1]).toBe(`${bad}: technology.tokens.classes[0].cost: a token cost must be > 0, got -1`);
    expect(lines[2]).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: technology\\.fineTuning\\.gamma: σ \\+ γ must be below 1`));
  });

  test("non-JSON, missing files and bad --set are reported without a path segment", async () => {
    const notJson = writeScenario("not json");
    const r = await run([notJson, join(dir, "missing.json")]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${notJson}: not valid JSON: unexpected "n" at line 1, column 1\n`);
    expect(r.err).toMatch(/missing\.json: cannot read scenario file ".*missing\.json": no such file\n/);
    const s = await run([fixturePath("P1.json")], ["oops"]);
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/P1\.json: --set: malformed --set "oops"/);
  });

  test("no files is bad input", async () => {
    expect((await run([])).code).toBe(2);
  });
});
