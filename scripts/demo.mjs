// `npm run demo`: builds dist/ when it is missing or older than the sources, then runs the demo
// (src/demo/main.ts, built to dist/demo.js). Arguments after `--` go to the demo (`--keep`).
// GIT_SPE_DEMO_NO_BUILD=1 (the test suite, which builds first) never rebuilds: a rebuild
// empties dist/ under tests running in parallel.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const built = path.join(root, "dist", "demo.js");

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      latest = Math.max(
        latest,
        fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs,
      );
  }
  return latest;
}

const sources = ["src", "bin", "plugins", "scripts/build.mjs"].map((p) => path.join(root, p));
const stale =
  !fs.existsSync(built) ||
  Math.max(
    ...sources
      .filter((p) => fs.existsSync(p))
      .map((p) => (fs.statSync(p).isDirectory() ? newest(p) : fs.statSync(p).mtimeMs)),
  ) > fs.statSync(built).mtimeMs;
if (stale && process.env.GIT_SPE_DEMO_NO_BUILD === "1" && fs.existsSync(built)) {
  process.stderr.write(
    "demo: dist/ is older than the sources; running it anyway (GIT_SPE_DEMO_NO_BUILD)\n",
  );
} else if (stale) {
  process.stderr.write("demo: building git spe first (npm run build)\n");
  execFileSync(process.execPath, [path.join(root, "scripts", "build.mjs")], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
}
const { main } = await import(built);
process.exitCode = await main(process.argv.slice(2));
