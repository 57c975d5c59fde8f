/**
 * The claude-code executor: the fake `claude` CLI runs once per step in the scratch worktree and
 * edits files there; validation passes; a two-step plan merges.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { agentWorktree } from "../../src/sandbox/types.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { setupFakeCli } from "../helpers/fake-cli.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { projectFiles, seedSpec, squareSource } from "../helpers/exec-fixtures.ts";

describe("exec with the claude-code executor", () => {
  it("runs claude -p per step in the worktree and merges the validated result", async () => {
    await withGitRepo(async (repo) => {
      // The fake reads its script and writes its log outside the worktree: the sandbox lets it
      // (that directory writable, its two variables passed), as a config can.
      const fakeDir = await fs.mkdtemp(path.join(os.tmpdir(), "spe-fake-cli-"));
      await repo.commit(
        "project",
        projectFiles({
          models: { exec: "claude-code" },
          exec: {
            worktree: { deps: "none" },
            maxRepairs: 1,
            sandbox: { writable: [fakeDir], env: ["SPE_FAKE_CLI_SCRIPT", "SPE_FAKE_CLI_LOG"] },
          },
        }),
      );
      const id = await seedSpec(repo);
      const cli = await setupFakeCli(fakeDir, [
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
        testCommandContext(repo.dir, {
          env: {
            ...cli.env,
            ANTHROPIC_API_KEY: "sk-ant-dummy-cli-0001",
            GEMINI_API_KEY: "dummy-not-for-claude",
            OPENAI_API_KEY: "sk-dummy-not-for-claude",
          },
        }),
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
      // In the sandbox the CLI sees the worktree at a path without `.git` in it (Claude Code will
      // not edit under one); the files it wrote there landed in the worktree, as merged above.
      expect(calls[0]?.cwd).toBe(agentWorktree);
      expect(calls[0]?.prompt).toContain("# Your step: S1");
      expect(calls[1]?.prompt).toContain("# Your step: S2");
      expect(calls[0]?.argv).toEqual(expect.arrayContaining(["--permission-mode", "acceptEdits"]));
      expect(id).toMatch(/add-square/);
      // In the sandbox the CLI has its key and base URL, and nothing else of ours.
      expect(calls[0]?.envKeys).toEqual(["ANTHROPIC_API_KEY"]);
      await fs.rm(fakeDir, { recursive: true, force: true });
    });
  });
});
