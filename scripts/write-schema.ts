// Regenerates schema.json from the zod config schema: npm run schema
import fs from "node:fs";
import { renderConfigJsonSchema } from "../src/config/json-schema.ts";

fs.writeFileSync(new URL("../schema.json", import.meta.url), renderConfigJsonSchema());
console.log("wrote schema.json");
