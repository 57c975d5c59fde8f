/**
 * node(): validators from package.json scripts, through the plugin test harness. Present
 * scripts run with the lockfile's package manager and report their output; npm's placeholder
 * test script, a missing script and a script `validate` already runs are skipped.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { node } from "git-spe/plugins/node";
import { testPlugin } from "git-spe/testing";
import { withTempDir } from "../helpers/git-repo.ts";

async function writeProject(dir: string, scripts: Record<string, string>, lockfile: string) {
  await fs.writeFile(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "p", version: "1.0.0", scripts }),
  );
  await fs.writeFile(path.join(dir, lockfile), "{}\n");
}

describe("node plugin: validators from scripts", () => {
  it("runs the scripts that exist and skips the placeholder and missing ones", async () => {
    await withTempDir(async (dir) => {
      await writeProject(
        dir,
        {
          test: 'echo "Error: no test specified" && exit 1',
          typecheck: "node -e \"console.log('types ok')\"",
          lint: "node -e \"console.log('lint: 2 problems'); process.exit(1)\"",
        },
        "package-lock.json",
      );
      const t = testPlugin(node(), { cwd: dir });
      expect(Object.keys(t.plugin.validators ?? {})).toEqual(["test", "typecheck", "lint"]);
      expect(await t.validate("test")).toEqual({
        ok: true,
        skipped: "the test script is npm's placeholder",
        output: "",
        timedOut: false,
      });
      const typecheck = await t.validate("typecheck");
      expect(typecheck.ok).toBe(true);
      expect(typecheck.output).toContain("types ok");
      const lint = await t.validate("lint");
      expect(lint.ok).toBe(false);
      expect(lint.output).toContain("lint: 2 problems");

      await fs.writeFile(path.join(dir, "package.json"), JSON.stringify({ scripts: {} }));
      expect((await t.validate("lint")).skipped).toBe('no "lint" script');
    });
  });

  it("does not run a script twice when validate already runs it", async () => {
    await withTempDir(async (dir) => {
      await writeProject(dir, { test: "node -e 0" }, "package-lock.json");
      const t = testPlugin(node({ validators: ["test"] }), {
        cwd: dir,
        config: { validate: ["npm  test"] },
      });
      expect((await t.validate("test")).skipped).toBe('"npm  test" is in validate already');
    });
  });

  it("uses the package manager the lockfile names", async () => {
    await withTempDir(async (dir) => {
      const bin = path.join(dir, "bin");
      await fs.mkdir(bin);
      await fs.writeFile(path.join(bin, "pnpm"), '#!/bin/sh\necho "fake pnpm $*"\nexit 3\n', {
        mode: 0o755,
      });
      const project = path.join(dir, "project");
      await fs.mkdir(project);
      await writeProject(project, { lint: "eslint ." }, "pnpm-lock.yaml");
      const t = testPlugin(node(), {
        cwd: project,
        env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` },
      });
      expect(await t.validate("lint")).toEqual({
        ok: false,
        output: "fake pnpm run lint\n",
        timedOut: false,
      });
    });
  });
});
