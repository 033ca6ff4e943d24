// The JSON Schema of scenario files (`lpe schema`, committed as schema/scenario.schema.json), so
// that editors complete field names and flag typos and out-of-range numbers while typing.
// Generated from the zod schema for the INPUT side (defaulted fields optional, defaults shown);
// the economic conditions that JSON Schema cannot state (Σα = 1, σ + γ < 1, …) are checked by
// `lpe validate`.

import { z } from "zod";
import { ScenarioSchema } from "./schema.js";

// Relative on purpose: it resolves to wherever the file is read from (all $refs are internal).
export const SCENARIO_SCHEMA_ID = "scenario.schema.json";

export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ScenarioSchema, { io: "input" }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: SCENARIO_SCHEMA_ID, title: "lpe scenario", ...rest };
}

/** The committed file's exact text: 2-space JSON and a final newline. */
export function scenarioJsonSchemaText(): string {
  return JSON.stringify(scenarioJsonSchema(), null, 2) + "\n";
}
