import { defineConfig } from "tsup";

// One bundle per entry with shared chunks: `dist/cli.js` is the `git-spe` binary and
// `dist/index.js` the programmatic API (`defineConfig`, `definePlugin`, types). Dependencies
// stay external so a global install resolves them from its own node_modules.
export default defineConfig({
  entry: { cli: "bin/cli.ts", index: "src/index.ts" },
  format: ["esm"],
  target: "node20",
  platform: "node",
  splitting: true,
  sourcemap: true,
  clean: true,
  dts: { entry: { index: "src/index.ts" } },
});
