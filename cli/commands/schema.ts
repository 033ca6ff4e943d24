// `lpe schema`: print the scenario JSON Schema (the text committed as schema/scenario.schema.json;
// regenerate it with `node bin/lpe.js schema > schema/scenario.schema.json`).

import { scenarioJsonSchemaText } from "../../engine/scenario/json-schema.js";
import type { CommandIO } from "./validate.js";

export function runSchema(io: Pick<CommandIO, "out">): number {
  io.out(scenarioJsonSchemaText());
  return 0;
}
