/**
 * Where this copy of git spe's public entry lives, so a `.spe.config.ts` that does
 * `import { defineConfig } from "git-spe"` loads even when git spe is installed globally and the
 * user's project has no `git-spe` in node_modules: the loader aliases the import to us.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function findSelfEntry(from: string = fileURLToPath(import.meta.url)): string {
  if (cached) return cached;
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      const pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string };
      if (pkg.name === "git-spe") {
        // Built package first; the TypeScript source when running from a checkout (tests).
        const candidates = [path.join(dir, "dist", "index.js"), path.join(dir, "src", "index.ts")];
        const found = candidates.find((file) => fs.existsSync(file));
        if (found) return (cached = found);
      }
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`cannot find the git-spe package around ${from}`);
}

/**
 * Import aliases for configs: "git-spe" and its subpath exports ("git-spe/testing",
 * "git-spe/plugins/<name>") resolved to this copy, built or source alike.
 */
export function selfAliases(): Record<string, string> {
  const entry = findSelfEntry();
  const built = entry.endsWith(".js");
  const dir = path.dirname(entry);
  const aliases: Record<string, string> = {
    "git-spe": entry,
    "git-spe/testing": path.join(dir, built ? "testing.js" : "testing.ts"),
  };
  const pluginsDir = built ? path.join(dir, "plugins") : path.join(dir, "..", "plugins");
  const entries = fs.existsSync(pluginsDir) ? fs.readdirSync(pluginsDir) : [];
  for (const name of entries) {
    if (built && name.endsWith(".js"))
      aliases[`git-spe/plugins/${name.slice(0, -3)}`] = path.join(pluginsDir, name);
    else if (!built && fs.existsSync(path.join(pluginsDir, name, "index.ts")))
      aliases[`git-spe/plugins/${name}`] = path.join(pluginsDir, name, "index.ts");
  }
  return aliases;
}
