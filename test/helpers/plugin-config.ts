/**
 * A `.spe.config.ts` that lists plugins, for tests that load plugins the way a user does: the
 * config imports them (fixtures by absolute path, first-party ones as "git-spe/plugins/<name>").
 */
import path from "node:path";
import { projectRoot } from "./git-repo.ts";

export const fixture = (name: string): string => path.join(projectRoot, "test", "fixtures", name);

export interface PluginConfigSource {
  /** Module → names imported from it. */
  imports?: Record<string, string[]>;
  /** Expressions in `plugins: [...]`. */
  plugins: string[];
  /** The rest of the config, as JSON. */
  config?: Record<string, unknown>;
}

export function speConfigTs(source: PluginConfigSource): string {
  const imports = Object.entries(source.imports ?? {}).map(
    ([from, names]) => `import { ${names.join(", ")} } from ${JSON.stringify(from)};`,
  );
  return [
    'import { defineConfig } from "git-spe";',
    ...imports,
    "",
    `export default defineConfig({ ...${JSON.stringify(source.config ?? {})}, plugins: [${source.plugins.join(", ")}] });`,
    "",
  ].join("\n");
}
