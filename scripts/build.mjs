// Build: bin/cli.ts → dist/cli.js (the git-spe binary), src/index.ts → dist/index.js (the API),
// shared code in chunks; then declarations with tsc. Dependencies stay external so a global
// install resolves them from its own node_modules.
import fs from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { build } from "esbuild";

await fs.rm("dist", { recursive: true, force: true });
await build({
  entryPoints: {
    cli: "bin/cli.ts",
    index: "src/index.ts",
    "context-worker": "src/context/worker.ts",
  },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
await fs.chmod("dist/cli.js", 0o755);
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
  stdio: "inherit",
});
console.log("built dist/cli.js, dist/index.js, dist/types/");
