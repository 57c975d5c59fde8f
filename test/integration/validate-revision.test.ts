/**
 * `git spe validate REV`: the temporary worktree is prepared like exec's (node_modules from the
 * user's tree, so a project with dependencies can run its tests), and plugin validators run after
 * the `validate` commands; the record is by tree and a failure names the validator.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validate } from "../../src/commands/validate.ts";
import { SpeError } from "../../src/errors.ts";
import { readTreeValidation } from "../../src/workflow/validation-records.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { fixture, speConfigTs } from "../helpers/plugin-config.ts";
import { reviewMarker } from "../fixtures/probe-plugin.ts";

const lockfile = {
  name: "app",
  version: "1.0.0",
  lockfileVersion: 3,
  requires: true,
  packages: {
    "": { name: "app", version: "1.0.0", dependencies: { dep: "file:vendor/dep" } },
    "node_modules/dep": { resolved: "vendor/dep", link: true },
    "vendor/dep": { version: "1.0.0" },
  },
};

describe("git spe validate", () => {
  it("gives the temporary worktree the user's node_modules, so tests that need a dependency pass", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("app", {
        "package.json": JSON.stringify({
          name: "app",
          version: "1.0.0",
          dependencies: { dep: "file:vendor/dep" },
          scripts: { test: "node -e \"require('dep')\"" },
        }),
        "package-lock.json": `${JSON.stringify(lockfile, null, 2)}\n`,
        "vendor/dep/package.json": '{"name":"dep","version":"1.0.0"}',
        "vendor/dep/index.js": "module.exports = 1;\n",
        ".gitignore": "node_modules/\n",
        ".sperc.json": JSON.stringify({ validate: ["npm test"] }),
      });
      // The user's installed dependencies: untracked, ignored, present only in their tree.
      await fs.mkdir(repo.path("node_modules/dep"), { recursive: true });
      await fs.writeFile(repo.path("node_modules/dep/index.js"), "module.exports = 1;\n");
      const ctx = testCommandContext(repo.dir);
      const result = await validate(ctx);
      expect(result.passed).toBe(true);
      expect(ctx.log.lines.map((l) => l.text)).toContain(
        "node: node_modules hard-linked into the worktree (same lockfile)",
      );
      const tree = await repo.git(["rev-parse", "HEAD^{tree}"]);
      expect(await readTreeValidation(path.join(repo.dir, ".git"), tree)).toMatchObject({
        passed: true,
        commands: ["npm test"],
      });
      // Nothing of the temporary worktree is left.
      expect(await repo.git(["worktree", "list", "--porcelain"])).not.toContain("spe/validate");
      expect(await repo.git(["status", "--porcelain"])).toBe("");
    });
  });

  it("runs plugin validators after the commands and fails naming the plugin's validator", async () => {
    await withGitRepo(async (repo) => {
      const config = (validate: string[]) =>
        speConfigTs({
          imports: { [fixture("probe-plugin.ts")]: ["probe"] },
          plugins: ["probe()"],
          config: { validate },
        });
      await repo.commit("project", {
        "src/math.js": "export const add = (a, b) => a + b;\n",
        ".spe.config.ts": config(["true"]),
      });
      const failed = await validate(testCommandContext(repo.dir)).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(SpeError);
      expect((failed as SpeError).exitCode).toBe(1);
      expect((failed as SpeError).message).toMatch(
        /^validation of HEAD \([0-9a-f]{12}\) failed: probe:marker/,
      );
      expect((failed as SpeError).message).toContain(
        `src/math.js lacks the line "${reviewMarker}"`,
      );
      const tree = await repo.git(["rev-parse", "HEAD^{tree}"]);
      expect(await readTreeValidation(path.join(repo.dir, ".git"), tree)).toMatchObject({
        passed: false,
        commands: ["true", "probe:marker"],
      });

      await repo.commit("reviewed", {
        "src/math.js": `${reviewMarker}\nexport const add = (a, b) => a + b;\n`,
      });
      const passed = await validate(testCommandContext(repo.dir));
      expect(passed.passed).toBe(true);
      expect(passed.runs.map((r) => r.command)).toEqual(["true", "probe:marker"]);
    });
  });

  it("refuses a project with no validators at all, naming both ways to add one", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("bare", { "a.txt": "a\n" });
      const error = await validate(testCommandContext(repo.dir)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpeError);
      expect((error as SpeError).exitCode).toBe(2);
      expect((error as SpeError).message).toBe(
        "no validators are configured, so nothing can be validated",
      );
    });
  });
});
