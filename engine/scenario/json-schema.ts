// The JSON Schema of scenario files (`lpe schema`, committed as schema/scenario.schema.json), so
// that editors complete field names and flag typos and out-of-range numbers while typing.
// Generated from the zod schema for the INPUT side (defaulted fields optional, defaults shown);
// the economic conditions that JSON Schema cannot state (Σα = 1, σ + γ < 1, …) are checked by
// `lpe validate`. The names of sweep.outputs, sweep.curves and figures.only become enums with a
// description each (output-names.ts): all markets' names in the definitions, and per market,
// under `if market.kind is K then …`, only that market's.

import { z } from "zod";
import { BIN_COLUMN_PATTERN, BUDGET_COLUMN_PATTERN, LIST_SCALARS, MARKET_CURVES, MARKET_FIGURES, MARKET_KINDS, MARKET_SCALARS, SCALAR_PATTERNS, type Described } from "./output-names.js";
import { ScenarioSchema } from "./schema.js";

// Relative on purpose: it resolves to wherever the file is read from (all $refs are internal).
export const SCENARIO_SCHEMA_ID = "scenario.schema.json";

type Json = Record<string, unknown>;

const numericScalars = (d: Described): Described => Object.fromEntries(Object.entries(d).filter(([k]) => !LIST_SCALARS.has(k)));
const BUDGETS = { pattern: BUDGET_COLUMN_PATTERN, description: "a token budget of a monopoly with token classes: X.<task-token class> or Z.<fine-tuning class>" };
const BINS = { pattern: BIN_COLUMN_PATTERN, description: "a per-bin quality of the tokenDistributions market: Q.<bin> (full contracting) or budgetQ.<bin> (token budgets), bins from 1" };
const COLUMN_PATTERNS: Partial<Record<(typeof MARKET_KINDS)[number], string>> = { monopoly: BUDGET_COLUMN_PATTERN, tiers: BUDGET_COLUMN_PATTERN, tokenDistributions: BIN_COLUMN_PATTERN };

/** One described constant per name (editors show the description while completing). */
function described(d: Described): Json[] {
  return Object.entries(d).map(([name, description]) => ({ const: name, description }));
}

function union(pick: (k: (typeof MARKET_KINDS)[number]) => Described): Described {
  const out: Record<string, string> = {};
  for (const k of MARKET_KINDS) for (const [n, d] of Object.entries(pick(k))) out[n] ??= d;
  return out;
}

function withNameEnums(schema: Json): Json {
  const defs = schema.$defs as Record<string, Json>;
  const sweepProps = (defs.SweepSpec.properties ?? {}) as Record<string, Json>;
  const figureProps = (defs.FiguresSpec.properties ?? {}) as Record<string, Json>;
  const outputs = numericScalars(union((k) => MARKET_SCALARS[k]));
  sweepProps.outputs.items = { type: "string", anyOf: [...described(outputs), ...SCALAR_PATTERNS] };
  sweepProps.curves.items = { type: "string", anyOf: [...described(union((k) => MARKET_CURVES[k])), BUDGETS, BINS] };
  figureProps.only.items = { type: "string", anyOf: described(union((k) => MARKET_FIGURES[k])) };
  const perMarket = MARKET_KINDS.map((k) => ({
    if: { properties: { market: { properties: { kind: { const: k } }, required: ["kind"] } }, required: ["market"] },
    then: {
      properties: {
        sweep: {
          properties: {
            outputs: { items: { anyOf: [{ enum: Object.keys(numericScalars(MARKET_SCALARS[k])) }, ...SCALAR_PATTERNS.map(({ pattern }) => ({ pattern }))] } },
            curves: { items: COLUMN_PATTERNS[k] ? { anyOf: [{ enum: Object.keys(MARKET_CURVES[k]) }, { pattern: COLUMN_PATTERNS[k] }] } : { enum: Object.keys(MARKET_CURVES[k]) } },
          },
        },
        figures: { properties: { only: { items: { enum: Object.keys(MARKET_FIGURES[k]) } } } },
      },
    },
  }));
  const { $defs, ...rest } = schema;
  return { ...rest, allOf: perMarket, $defs };
}

export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ScenarioSchema, { io: "input" }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return withNameEnums({ $schema, $id: SCENARIO_SCHEMA_ID, title: "lpe scenario", ...rest });
}

/** The committed file's exact text: 2-space JSON and a final newline. */
export function scenarioJsonSchemaText(): string {
  return JSON.stringify(scenarioJsonSchema(), null, 2) + "\n";
}
