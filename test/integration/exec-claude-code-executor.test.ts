/**
 * The claude-code executor: the fake `claude` CLI runs once per step in the scratch worktree and
 * edits files there; validation passes; a two-step plan merges.
 */
import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { setupFakeCli } from "../helpers/fake-cli.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { projectFiles, seedSpec, squareSource } from "../helpers/exec-fixtures.ts";

describe("exec with the claude-code executor", () => {
  it("runs claude -p per step in the worktree and merges the validated result", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", projectFiles({ models: { exec: "claude-code" } }));
      const id = await seedSpec(repo);
      await fs.mkdir(repo.path(".git", "fake-cli"));
      const cli = await setupFakeCli(repo.path(".git", "fake-cli"), [
        {
          bin: "claude",
          result: "Added square.",
          files: { "src/math.js": squareSource },
          costUsd: 0.01,
        },
        {
          bin: "claude",
          result: "Documented.",
          files: { "docs/math.md": "# math\n" },
          costUsd: 0.02,
        },
      ]);
      const result = (await exec(
        testCommandContext(repo.dir, { env: cli.env }),
        {},
      )) as ExecSummary;
      expect(result.status).toBe("merged");
      expect(result.costUsd).toBeCloseTo(0.03);
      expect(await repo.read("src/math.js")).toBe(squareSource);
      expect(
        (await repo.git(["log", "-2", "--format=%(trailers:key=Spe-Step,valueonly)", "main"]))
          .split(/\s+/)
          .filter(Boolean),
      ).toEqual(["S2", "S1"]);
      const calls = await cli.log();
      expect(calls).toHaveLength(2);
      expect(calls[0]?.cwd).toBe(result.worktree);
      expect(calls[0]?.prompt).toContain("# Your step: S1");
      expect(calls[1]?.prompt).toContain("# Your step: S2");
      expect(calls[0]?.argv).toEqual(expect.arrayContaining(["--permission-mode", "acceptEdits"]));
      expect(id).toMatch(/add-square/);
    });
  });
});
