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
