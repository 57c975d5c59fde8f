import type { SpeConfigInput } from "./schema.ts";

/** Identity function: gives editor completion and type checking in `.spe.config.ts`. */
export function defineConfig(config: SpeConfigInput): SpeConfigInput {
  return config;
}
