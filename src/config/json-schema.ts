/** `schema.json` for editors, generated from the zod schema (the input side: defaults optional). */
import { z } from "zod";
import { configSchema } from "./schema.ts";

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, {
    io: "input",
    // plugins are objects with functions: JSON Schema can only say "any".
    unrepresentable: "any",
  });
  return { ...schema, title: "git spe configuration" };
}

export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
