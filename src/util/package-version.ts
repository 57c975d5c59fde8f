import { createRequire } from "node:module";

const requireHere = createRequire(import.meta.url);

/**
 * The installed version of a dependency. Read with require: a bundled
 * `import … with { type: "json" }` of an external package loses its attribute.
 */
export function packageVersion(name: string): string {
  return (requireHere(`${name}/package.json`) as { version: string }).version;
}
