/**
 * `git spe init` installs pre-push and prepare-commit-msg where git really runs hooks: a stub
 * in the hooks directory (an existing hook chained, never overwritten), or a block appended to
 * .husky/<hook>. A second init changes nothing. The prepare-commit-msg hook adds Spe-Spec on a
 * spe/<id> branch.
 */
import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { init } from "../../src/commands/init.ts";
import { prepareCommitMsgHook } from "../../src/commands/hook.ts";
import { hookMarker } from "../../src/hooks/install.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

describe("hook installation", () => {
  it("writes the stubs into the hooks directory, executable, and leaves them alone the second time", async () => {
    await withGitRepo(async (repo) => {
      const first = await init(testCommandContext(repo.dir));
      expect(first.hooks.map((h) => [h.name, h.action])).toEqual([
        ["pre-push", "installed"],
        ["prepare-commit-msg", "installed"],
      ]);
      const stub = await repo.read(".git/hooks/pre-push");
      expect(stub).toContain(hookMarker);
      expect(stub).toContain('git-spe hook pre-push "$@" < "$input"');
      expect((await fs.stat(repo.path(".git/hooks/pre-push"))).mode & 0o111).not.toBe(0);
      const second = await init(testCommandContext(repo.dir));
      expect(second.hooks.map((h) => h.action)).toEqual(["left-alone", "left-alone"]);
      expect(await repo.read(".git/hooks/pre-push")).toBe(stub);
    });
  });

  it("chains a hook that was already there instead of overwriting it", async () => {
    await withGitRepo(async (repo) => {
      await repo.write(".git/hooks/pre-push", "#!/bin/sh\necho mine\n");
      await fs.chmod(repo.path(".git/hooks/pre-push"), 0o755);
      const result = await init(testCommandContext(repo.dir));
      expect(result.hooks[0]).toMatchObject({
        action: "chained",
        note: "your hook runs first (pre-push.spe-chained)",
      });
      expect(await repo.read(".git/hooks/pre-push.spe-chained")).toBe("#!/bin/sh\necho mine\n");
    });
  });

  it("honours core.hooksPath and appends to .husky/<hook> when husky is in use", async () => {
    await withGitRepo(async (repo) => {
      await repo.git(["config", "core.hooksPath", ".husky/_"]);
      await repo.write(".husky/pre-push", "npm run lint\n");
      const result = await init(testCommandContext(repo.dir));
      expect(result.hooks.map((h) => [h.name, h.action])).toEqual([
        ["pre-push", "appended"],
        ["prepare-commit-msg", "installed"],
      ]);
      const husky = await repo.read(".husky/pre-push");
      expect(husky.startsWith("npm run lint\n\n# >>> git spe >>>\n")).toBe(true);
      expect(husky).toContain('    git-spe hook pre-push "$@"');
      expect((await init(testCommandContext(repo.dir))).hooks.map((h) => h.action)).toEqual([
        "left-alone",
        "left-alone",
      ]);
      expect(await repo.read(".husky/pre-push")).toBe(husky);
    });
  });

  it("--hooks none installs nothing", async () => {
    await withGitRepo(async (repo) => {
      const result = await init(testCommandContext(repo.dir), { hooks: "none" });
      expect(result.hooks.every((h) => h.action === "skipped")).toBe(true);
      await expect(fs.access(repo.path(".git/hooks/pre-push"))).rejects.toThrow();
    });
  });
});

describe("prepare-commit-msg", () => {
  it("adds Spe-Spec on a spe/<id> branch, once, and nothing elsewhere", async () => {
    await withGitRepo(async (repo) => {
      await repo.write(".git/COMMIT_EDITMSG", "Fix the thing\n");
      await prepareCommitMsgHook(testCommandContext(repo.dir), ".git/COMMIT_EDITMSG");
      expect(await repo.read(".git/COMMIT_EDITMSG")).toBe("Fix the thing\n");
      await repo.git(["switch", "-q", "-c", "spe/20261121-add-square"]);
      await prepareCommitMsgHook(testCommandContext(repo.dir), ".git/COMMIT_EDITMSG");
      await prepareCommitMsgHook(testCommandContext(repo.dir), ".git/COMMIT_EDITMSG");
      expect(await repo.read(".git/COMMIT_EDITMSG")).toBe(
        "Fix the thing\n\nSpe-Spec: 20261121-add-square\n",
      );
    });
  });
});
