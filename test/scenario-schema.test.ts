// The scenario schema: defaults, the committed JSON Schema, the canonical hash, the path
// helpers used by --set and sweeps, and the schema walkers.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, expectTypeOf, test } from "vitest";
import fc from "fast-check";
import type { z } from "zod";
import { InputError } from "../engine/errors.js";
import { scenarioJsonSchema, scenarioJsonSchemaText } from "../engine/scenario/json-schema.js";
import { canonicalJson, nameWithOverrides, parseScenario, scenarioSha256, validateScenario } from "../engine/scenario/load.js";
import { applyOverrides, formatJsonPath, getPath, parsePath, setPath } from "../engine/scenario/overrides.js";
import { acceptsNumberAt, knownKeysAt, ScenarioSchema } from "../engine/scenario/schema.js";
import type { Scenario } from "../engine/scenario/spec-types.js";
import { runSchema } from "../cli/commands/schema.js";

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/scenarios/${name}`, import.meta.url)), "utf8"));
const P1 = fixture("P1.json") as Record<string, unknown>;

const minimal = {
  name: "minimal",
  buyers: { theta: { dist: "beta", a: 2, b: 2 } },
  technology: { sigma: 0.5, aggregate: { kappa: 1, gamma: 0 } },
  market: { kind: "monopoly" },
};

function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === "object") {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

describe("types", () => {
  test("the parsed scenario is a spec-types Scenario (checked by tsc -p tsconfig.test.json)", () => {
    expectTypeOf<z.output<typeof ScenarioSchema>>().toExtend<Scenario>();
    const s: Scenario = parseScenario(minimal);
    expect(s.name).toBe("minimal");
  });
});

describe("defaults", () => {
  test("grid, seed, fine-tuning and beta bounds are filled", () => {
    const s = parseScenario(minimal);
    expect(s.grid).toEqual({ points: 401 });
    expect(s.seed).toBe(1);
    expect(s.technology.fineTuning).toEqual({ kind: "none" });
    expect("theta" in s.buyers && s.buyers.theta).toEqual({ dist: "beta", a: 2, b: 2, min: 0, max: 1 });
  });

  test("given values win over defaults, and a partial grid gets its points default", () => {
    const s = parseScenario({ ...minimal, grid: {}, seed: 9 });
    expect(s.grid.points).toBe(401);
    expect(s.seed).toBe(9);
    expect(parseScenario({ ...minimal, grid: { points: 11 } }).grid.points).toBe(11);
  });

  test("default objects are fresh per parse (mutating one result does not leak into the next)", () => {
    const a = parseScenario(minimal);
    (a.grid as { points: number }).points = 5;
    (a.technology.fineTuning as { kind: string }).kind = "mutated";
    const b = parseScenario(minimal);
    expect(b.grid.points).toBe(401);
    expect(b.technology.fineTuning.kind).toBe("none");
  });

  test("parsing does not mutate the raw input", () => {
    const raw = deepFreeze(structuredClone(minimal));
    expect(() => parseScenario(raw)).not.toThrow();
    expect(raw).toEqual(minimal);
  });
});

describe("JSON Schema", () => {
  const committedFile = fileURLToPath(new URL("../schema/scenario.schema.json", import.meta.url));

  test("schema/scenario.schema.json is byte-identical to the generated schema", () => {
    const committed = readFileSync(committedFile, "utf8");
    expect(committed === scenarioJsonSchemaText(), "schema/scenario.schema.json is stale: regenerate it with `node bin/lpe.js schema > schema/scenario.schema.json`").toBe(true);
  });

  test("`lpe schema` prints exactly that text", () => {
    let printed = "";
    expect(runSchema({ out: (s) => (printed += s) })).toBe(0);
    expect(printed).toBe(scenarioJsonSchemaText());
    expect(printed.endsWith("}\n")).toBe(true);
  });

  test("input side: defaulted fields are optional, with their defaults shown; unknown fields are refused", () => {
    const js = scenarioJsonSchema() as {
      $id: string;
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { default?: unknown }>;
      $defs: Record<string, unknown>;
    };
    expect(js.$id).toBe("scenario.schema.json");
    expect(js.required.sort()).toEqual(["buyers", "market", "name", "technology"]);
    expect(js.additionalProperties).toBe(false);
    expect(js.properties.grid.default).toEqual({ points: 401 });
    expect(js.properties.seed.default).toBe(1);
    for (const id of ["DistSpec", "MixtureSpec", "TechnologySpec", "MarketSpec", "ModelSpec", "ClassSpec", "SweepAxis"]) {
      expect(js.$defs, `$defs.${id}`).toHaveProperty(id);
    }
    const tech = js.$defs.TechnologySpec as { properties: { sigma: Record<string, unknown> }; required: string[] };
    expect(tech.properties.sigma).toMatchObject({ type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 });
    expect(tech.required).toEqual(["sigma"]);
  });
});

describe("canonical JSON and SHA-256", () => {
  test("keys are sorted recursively, arrays keep their order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  test("the hash of {} is the SHA-256 digest of the two bytes \"{}\"", () => {
    expect(scenarioSha256({})).toBe("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  });

  /** The same JSON with object keys in a random order at every level. */
  const shuffled = (x: unknown, rnd: () => number): unknown => {
    if (Array.isArray(x)) return x.map((v) => shuffled(v, rnd));
    if (x !== null && typeof x === "object") {
      const keys = Object.keys(x);
      for (let i = keys.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [keys[i], keys[j]] = [keys[j], keys[i]];
      }
      return Object.fromEntries(keys.map((k) => [k, shuffled((x as Record<string, unknown>)[k], rnd)]));
    }
    return x;
  };

  test("stable under key order, sensitive to values", () => {
    const base = scenarioSha256(P1);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        let state = seed;
        const rnd = () => ((state = (state * 48271) % 2147483647) / 2147483647);
        expect(scenarioSha256(shuffled(P1, rnd)), `seed ${seed}`).toBe(base);
      }),
    );
    expect(scenarioSha256(setPath(P1, "technology.sigma", 0.51))).not.toBe(base);
    expect(scenarioSha256(setPath(P1, "technology.tokens.classes[1].cost", 0.30000000000000004))).not.toBe(base);
  });
});

describe("paths and overrides", () => {
  test("parsePath reads dots, [i] and numeric segments", () => {
    expect(parsePath("technology.tokens.classes[0].cost")).toEqual(["technology", "tokens", "classes", 0, "cost"]);
    expect(parsePath("technology.tokens.classes.0.cost")).toEqual(["technology", "tokens", "classes", 0, "cost"]);
    expect(parsePath("$schema")).toEqual(["$schema"]);
    for (const bad of ["", "a..b", "a.", ".a", "a[x]", "a[0]b", "__proto__.x"]) {
      expect(() => parsePath(bad), bad).toThrow(InputError);
    }
  });

  test("a key with dots is quoted in brackets, as messages print it, and read back (a reviewer could not reach one)", () => {
    expect(parsePath('sweep.params["market.fringe.cost"].linspace[2]')).toEqual(["sweep", "params", "market.fringe.cost", "linspace", 2]);
    expect(parsePath('calibrate.params["a \\"b\\" = c"]')).toEqual(["calibrate", "params", 'a "b" = c']);
    // every path formatJsonPath prints is one parsePath reads back
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ minLength: 1 }).filter((k) => k !== "__proto__" && !/^\d+$/.test(k)), fc.nat(20)), { minLength: 1, maxLength: 5 }).filter((p) => typeof p[0] === "string"), (segments) => {
        expect(parsePath(formatJsonPath(segments))).toEqual(segments);
      }),
    );
    const raw = { sweep: { params: { "market.fringe.cost": { linspace: [0.1, 0.2, 3] } }, outputs: ["profit"] } };
    expect(applyOverrides(raw, ['sweep.params["market.fringe.cost"].linspace=[0.1,0.3,5]'])).toEqual({ sweep: { params: { "market.fringe.cost": { linspace: [0.1, 0.3, 5] } }, outputs: ["profit"] } });
    expect(applyOverrides(raw, [], ['sweep.params["market.fringe.cost"]'])).toEqual({ sweep: { params: {}, outputs: ["profit"] } });
    // a new entry given field by field (a second reviewer's was refused with the hint to do this)
    expect(applyOverrides(raw, ['sweep.params["market.leader.gamma"].values=[0.2,0.3]'])).toEqual({
      sweep: { params: { "market.fringe.cost": { linspace: [0.1, 0.2, 3] }, "market.leader.gamma": { values: [0.2, 0.3] } }, outputs: ["profit"] },
    });
    // the dotted form is refused with the quoted one in the message
    expect(() => applyOverrides(raw, ['sweep.params.technology.sigma={"linspace":[0.3,0.5,3]}'])).toThrow(/quote the key in brackets: sweep\.params\["technology\.sigma"\]=VALUE/);
    expect(() => applyOverrides({ calibrate: { params: {} } }, ["calibrate.params.market.fringe.cost.max=0.25"])).toThrow(/calibrate\.params\["market\.fringe\.cost"\]\.max=VALUE/);
    // --unset too: the hint, with the path as the option takes it (no "=VALUE")
    expect(() => applyOverrides(raw, [], ["sweep.params.market.fringe.cost"])).toThrow(/^--unset: .*quote the key in brackets: sweep\.params\["market\.fringe\.cost"\]$/);
    // a message naming a path prints a bracketed key bracketed
    expect(() => applyOverrides(raw, [], ['sweep.params["market.fringe.cost"].log'])).toThrow(/nothing to remove at "sweep\.params\["market\.fringe\.cost"\]\.log": sweep\.params\["market\.fringe\.cost"\] has linspace$/);
  });

  test("formatJsonPath quotes keys that are not identifiers", () => {
    expect(formatJsonPath(["technology", "tokens", "classes", 1, "cost"])).toBe("technology.tokens.classes[1].cost");
    expect(formatJsonPath(["sweep", "params", "market.fringe.cost", "linspace", 2])).toBe('sweep.params["market.fringe.cost"].linspace[2]');
  });

  test("getPath returns the value or undefined, own properties only", () => {
    expect(getPath(P1, "technology.tokens.classes[1].name")).toBe("output");
    expect(getPath(P1, "technology.tokens.classes[2].name")).toBeUndefined();
    expect(getPath(P1, "market.fringe.cost")).toBeUndefined();
    expect(getPath(P1, "name.length")).toBeUndefined();
    expect(getPath({}, "constructor")).toBeUndefined();
  });

  test("setPath and applyOverrides do not mutate their input and share untouched branches", () => {
    const raw = deepFreeze(structuredClone(P1));
    const before = JSON.stringify(raw);
    const out = applyOverrides(raw, ["technology.tokens.classes[0].cost=2", "market.fringe.cost=0.25", "buyers.theta.max=2"]) as typeof P1;
    expect(JSON.stringify(raw)).toBe(before);
    expect(getPath(out, "technology.tokens.classes[0].cost")).toBe(2);
    expect(getPath(out, "market")).toEqual({ kind: "monopoly", fringe: { cost: 0.25 } });
    expect(getPath(out, "buyers.theta.max")).toBe(2);
    // untouched branches are the very same objects
    expect(getPath(out, "technology.fineTuning")).toBe(getPath(raw, "technology.fineTuning"));
    expect(getPath(out, "technology.tokens.classes[1]")).toBe(getPath(raw, "technology.tokens.classes[1]"));
    expect(getPath(out, "technology.tokens.classes")).not.toBe(getPath(raw, "technology.tokens.classes"));
  });

  test("values are JSON when they parse, else strings", () => {
    const out = applyOverrides({}, ["a=0.25", "b=true", "c=[1,2]", 'd={"x":1}', "e=abc", 'f="quoted"', "g=", "h=a=b"]);
    expect(out).toEqual({ a: 0.25, b: true, c: [1, 2], d: { x: 1 }, e: "abc", f: "quoted", g: "", h: "a=b" });
  });

  test("missing intermediates are created: arrays before [i], objects otherwise", () => {
    expect(setPath({}, "a.b[0].c", 1)).toEqual({ a: { b: [{ c: 1 }] } });
    expect(setPath({ a: [1, 2] }, "a[2]", 3)).toEqual({ a: [1, 2, 3] });
  });

  test("impossible sets are InputErrors at --set", () => {
    const bad: [unknown, string][] = [
      [{ a: [1] }, "a[3]=1"],
      [{ a: 1 }, "a.b=1"],
      [{ a: [1] }, "a.x=1"],
      [{}, "=1"],
      [{}, "novalue"],
      [{}, "a..b=1"],
    ];
    for (const [raw, set] of bad) {
      let err: unknown;
      try {
        applyOverrides(raw, [set]);
      } catch (e) {
        err = e;
      }
      expect(err, set).toBeInstanceOf(InputError);
      expect((err as InputError).path, set).toBe("--set");
    }
  });
});

describe("a name with its overrides' suffix", () => {
  test("stays a valid name (at most 100 characters), distinct for distinct overrides, unchanged when short", () => {
    expect(nameWithOverrides("lf", ["technology.sigma=0.45"])).toBe("lf--technology.sigma-0.45");
    const long = "a-scenario-name-of-sixty-one-characters-for-the-sweep-example";
    expect(long.length).toBe(61);
    const sets = ["market.leader.cost=0.31", "technology.sigma=0.45"];
    const a = nameWithOverrides(long, sets);
    const b = nameWithOverrides(long, ["market.leader.cost=0.32", "technology.sigma=0.45"]);
    expect(a.length).toBeLessThanOrEqual(100);
    expect(a).toMatch(/^a-scenario-name-of-sixty-one-characters-for-the-sweep-example--set-[0-9a-f]{10}$/);
    expect(a).not.toBe(b);
    // the recorded name passes validation again (a rerun from summary.json, lpe merge)
    const raw = JSON.parse(readFileSync(new URL("../scenarios/examples/leader-fringe-sweep.json", import.meta.url), "utf8"));
    expect(validateScenario({ ...raw, name: a }).problems).toEqual([]);
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,99}$/), fc.array(fc.stringMatching(/^[a-z]{1,30}=[0-9.]{1,20}$/), { minLength: 1, maxLength: 6 }), (name, s) => {
        expect(nameWithOverrides(name, s).length).toBeLessThanOrEqual(100);
      }),
    );
  });
});

describe("schema walkers", () => {
  test("acceptsNumberAt follows every alternative of unions", () => {
    expect(acceptsNumberAt(["market", "fringe", "cost"])).toBe(true);
    expect(acceptsNumberAt(["technology", "tokens", "classes", 3, "alpha"])).toBe(true);
    expect(acceptsNumberAt(["buyers", "theta", "components", 0, "probs", 1])).toBe(true);
    expect(acceptsNumberAt(["market", "kind"])).toBe(false);
    expect(acceptsNumberAt(["market", "fringe", "costs"])).toBe(false);
    expect(acceptsNumberAt(["technology"])).toBe(false);
  });

  test("knownKeysAt narrows discriminated unions by the data", () => {
    expect(knownKeysAt(["technology"]).sort()).toEqual(["aggregate", "fineTuning", "sigma", "tokens"]);
    expect(knownKeysAt(["buyers", "theta"], { buyers: { theta: { dist: "beta" } } }).sort()).toEqual(["a", "b", "dist", "max", "min"]);
    expect(knownKeysAt(["buyers"]).sort()).toEqual(["profiles", "theta", "valueScale"]);
  });
});

describe("valid scenarios", () => {
  test.each(["P1.json", "P2.json", "interface-example.json", "valid-leader-fringe.json"])("%s validates with no problems", (name) => {
    const r = validateScenario(fixture(name));
    expect(r.problems, JSON.stringify(r.problems)).toEqual([]);
    expect(r.scenario?.name).toBeTypeOf("string");
  });
});
