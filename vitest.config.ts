import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export default defineConfig({
  resolve: {
    // Plugins and their tests import the public API by package name, as a third party would.
    alias: [
      { find: /^git-spe$/, replacement: here("./src/index.ts") },
      { find: /^git-spe\/testing$/, replacement: here("./src/testing.ts") },
      { find: /^git-spe\/plugins\/([\w-]+)$/, replacement: here("./plugins/$1/index.ts") },
    ],
  },
  test: {
    setupFiles: ["test/helpers/setup.ts"],
    globalSetup: ["test/helpers/global-setup.ts"],
    // Most tests wait on git, bwrap and node subprocesses, not on this process: on a 2-core
    // machine vitest's default (cores - 1 = one file at a time) leaves the CPUs idle.
    maxWorkers: 3,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], testTimeout: 60_000 },
      },
    ],
  },
});
