// The catalogue of names a scenario may ask for (engine/scenario/output-names.ts) against what
// the engine produces: every scalar and curve column any market's solver returns, on every
// solver path (continuous and finitely many types, explicit and general leader–fringe, one and
// two models), is listed with a description for its market; the figure lists equal the figure
// catalogue; and the JSON Schema turns them into enums, per market.

import { describe, expect, it } from "vitest";
import { FIGURES } from "../figures/scenario-figures.js";
import { scenarioJsonSchema } from "../engine/scenario/json-schema.js";
import { parseScenario } from "../engine/scenario/load.js";
import { FIGURE_MARKETS, FIGURE_NAMES } from "../engine/scenario/figure-catalogue.js";
import { OBSERVABLE_NAMES } from "../engine/scenario/observable-names.js";
import { BIN_COLUMN_PATTERN, BUDGET_COLUMN_PATTERN, FIGURE_DESCRIPTIONS, LIST_SCALARS, MARKET_CURVES, MARKET_FIGURES, MARKET_KINDS, MARKET_SCALARS, SCALAR_PATTERNS, UNIVERSAL_SCALARS, type MarketKind } from "../engine/scenario/output-names.js";
import { prepareSolvers, solveScenario } from "../solvers/solve.js";

const uniform = { theta: { dist: "uniform", min: 0, max: 1 } };
const discrete = { theta: { dist: "discrete", values: [0.2, 0.5, 0.8, 1], probs: [0.25, 0.25, 0.25, 0.25] } };
const tokens = {
  sigma: 0.5,
  tokens: { rho: 0.5, classes: [{ name: "input", alpha: 0.4, cost: 0.1 }, { name: "output", alpha: 0.6, cost: 0.3 }] },
  fineTuning: { kind: "ces", gamma: 0.3, rho: 0.5, classes: [{ name: "sft", alpha: 1, cost: 0.2 }] },
};
const aggregate = { sigma: 0.5, aggregate: { kappa: 1, gamma: 0.2 } };
const models = { leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0, cost: 0.2 } };

const CASES: [string, Record<string, unknown>][] = [
  ["monopoly, token classes", { buyers: uniform, technology: tokens, market: { kind: "monopoly" } }],
  ["monopoly, finitely many types", { buyers: discrete, technology: aggregate, market: { kind: "monopoly" } }],
  ["monopoly, sampled profiles", { buyers: { profiles: { kind: "iid", samples: 50, tasks: 4, weight: { dist: "uniform", min: 0, max: 1 } } }, technology: aggregate, market: { kind: "monopoly" } }],
  ["tiers", { buyers: uniform, technology: aggregate, market: { kind: "tiers", count: 3 } }],
  ["efficient, one model", { buyers: uniform, technology: tokens, market: { kind: "efficient" } }],
  ["efficient, two models", { buyers: uniform, technology: { sigma: 0.5 }, market: { kind: "efficient", ...models } }],
  ["multi-model monopolist", { buyers: uniform, technology: { sigma: 0.5 }, market: { kind: "multiModelMonopoly", ...models } }],
  ["multi-model monopolist, finitely many types", { buyers: discrete, technology: { sigma: 0.5 }, market: { kind: "multiModelMonopoly", ...models } }],
  ["leader–fringe, explicit", { buyers: uniform, technology: { sigma: 0.5 }, market: { kind: "leaderFringe", ...models } }],
  ["leader–fringe, general (γ_F > 0)", { buyers: uniform, technology: { sigma: 0.5 }, market: { kind: "leaderFringe", leader: models.leader, fringe: { gamma: 0.1, cost: 0.2 } } }],
  ["leader–fringe, finitely many types", { buyers: discrete, technology: { sigma: 0.5 }, market: { kind: "leaderFringe", ...models } }],
  ["leader–fringe, finitely many types, γ_F > 0 (the screening LP)", { buyers: discrete, technology: { sigma: 0.5 }, market: { kind: "leaderFringe", leader: models.leader, fringe: { gamma: 0.1, cost: 0.2 } } }],
  ["compare", { buyers: uniform, technology: { sigma: 0.5 }, market: { kind: "compare", ...models } }],
  ["token distributions, listed profiles", { buyers: { profiles: { kind: "list", weights: [[1, 0.2], [0.3, 1], [0.8, 0.8]], probs: [0.3, 0.3, 0.4] } }, technology: tokens, market: { kind: "tokenDistributions", bins: 2 } }],
];

describe("every name a solver produces is in the catalogue, with a description", () => {
  for (const [label, body] of CASES) {
    it(label, async () => {
      const scenario = parseScenario({ name: "names", grid: { points: 21 }, ...body });
      await prepareSolvers(scenario);
      const sol = solveScenario(scenario);
      const kind = scenario.market.kind as MarketKind;
      const scalars = MARKET_SCALARS[kind];
      const patterned = (name: string) => SCALAR_PATTERNS.some(({ pattern }) => new RegExp(pattern).test(name));
      for (const [name, v] of Object.entries(sol.scalars)) {
        if (patterned(name)) continue;
        expect(scalars[name], `scalar "${name}" of the ${kind} market (${label}) is not in engine/scenario/output-names.ts: add it with a description`).toBeTypeOf("string");
        expect(Array.isArray(v), `"${name}" is ${Array.isArray(v) ? "" : "not "}a list: LIST_SCALARS must say so`).toBe(LIST_SCALARS.has(name));
      }
      // the names a sweep may ask for without a probe solve (workers/sweep-outputs.ts)
      for (const name of UNIVERSAL_SCALARS) {
        expect(Object.hasOwn(sol.scalars, name), `"${name}" is missing from the ${kind} market (${label}): UNIVERSAL_SCALARS must not list it`).toBe(true);
        expect(Array.isArray(sol.scalars[name]), name).toBe(false);
      }
      const curves = MARKET_CURVES[kind];
      for (const c of sol.curves.order) {
        const known =
          typeof curves[c] === "string" ||
          (kind === "monopoly" && new RegExp(BUDGET_COLUMN_PATTERN).test(c)) ||
          (kind === "tokenDistributions" && new RegExp(BIN_COLUMN_PATTERN).test(c));
        expect(known, `curve column "${c}" of the ${kind} market (${label}) is not in engine/scenario/output-names.ts`).toBe(true);
      }
    });
  }

  it("describes every observable (engine/scenario/observable-names.ts) for some market", () => {
    for (const n of OBSERVABLE_NAMES) expect(MARKET_KINDS.some((k) => typeof MARKET_SCALARS[k][n] === "string"), n).toBe(true);
  });

  it("covers every market kind", () => {
    const seen = new Set(CASES.map(([, b]) => (b.market as { kind: string }).kind));
    expect([...seen].sort()).toEqual([...MARKET_KINDS].sort());
  });
});

describe("figures and schema", () => {
  it("the figure lists per market are the figure catalogue's, each figure described", () => {
    for (const kind of MARKET_KINDS) {
      const drawn = FIGURE_NAMES.filter((n) => FIGURE_MARKETS[n].includes(kind));
      expect(Object.keys(MARKET_FIGURES[kind]).sort(), kind).toEqual(drawn.sort());
    }
    for (const n of Object.keys(FIGURES)) expect(FIGURE_DESCRIPTIONS[n], `figure "${n}" has no description in engine/scenario/output-names.ts`).toBeTypeOf("string");
  });

  it("the JSON Schema lists the names with descriptions, and narrows them per market", () => {
    const s = scenarioJsonSchema() as {
      $defs: Record<string, { properties: Record<string, { items: { anyOf: { const?: string; description?: string; pattern?: string }[] } }> }>;
      allOf: { if: { properties: { market: { properties: { kind: { const: string } } } } }; then: { properties: Record<string, { properties: Record<string, { items: { enum?: string[]; anyOf?: { enum?: string[]; pattern?: string }[] } }> }> } }[];
    };
    for (const [def, field] of [["SweepSpec", "outputs"], ["SweepSpec", "curves"], ["FiguresSpec", "only"]] as const) {
      const items = s.$defs[def].properties[field].items.anyOf;
      expect(items.length, `${def}.${field}`).toBeGreaterThan(5);
      for (const i of items) expect(i.description, `${def}.${field} ${i.const ?? i.pattern}`).toMatch(/\S/);
    }
    const outputs = s.$defs.SweepSpec.properties.outputs.items.anyOf.map((i) => i.const);
    expect(outputs).toContain("thetaLow");
    expect(outputs).not.toContain("cuts");
    expect(s.allOf.map((a) => a.if.properties.market.properties.kind.const)).toEqual([...MARKET_KINDS]);
    const lf = s.allOf.find((a) => a.if.properties.market.properties.kind.const === "leaderFringe")!;
    const lfOutputs = lf.then.properties.sweep.properties.outputs.items.anyOf![0].enum;
    expect(lfOutputs).toContain("thetaHigh");
    expect(lfOutputs).toContain("fringeTokenShare");
    expect(lfOutputs).not.toContain("thetaStar");
    expect(lf.then.properties.figures.properties.only.items.enum).not.toContain("quality");
  });
});
