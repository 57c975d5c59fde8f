import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderConfigJsonSchema } from "../../src/config/json-schema.ts";
import { projectRoot } from "../helpers/git-repo.ts";

describe("schema.json", () => {
  it("is exactly what the zod schema generates (regenerate with npm run schema)", () => {
    const committed = fs.readFileSync(path.join(projectRoot, "schema.json"), "utf8");
    expect(committed).toBe(renderConfigJsonSchema());
  });

  it("describes the store choices and the defaults", () => {
    const schema = JSON.parse(renderConfigJsonSchema()) as {
      properties: Record<string, { enum?: string[]; default?: unknown }>;
      additionalProperties: boolean;
    };
    expect(schema.properties.store?.enum).toEqual(["dir", "notes"]);
    expect(schema.properties.store?.default).toBe("dir");
    expect(schema.additionalProperties).toBe(false);
  });
});
