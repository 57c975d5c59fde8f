/**
 * exec without the executor's API key stops before the run exists: exit 3 naming the variable,
 * and no run state, branch, worktree or lock to abort — the next exec, with the key, just runs.
 */
import fs from "node:fs/promises";
import { expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import type { SpeError } from "../../src/errors.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { anthropicEnv, goodSession, projectFiles, seedSpec } from "../helpers/exec-fixtures.ts";
import { withMockModelServer } from "../helpers/mock-model-server.ts";

it("refuses before creating anything, and a run with the key then starts cleanly", async () => {
  await withMockModelServer(async (server) => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", projectFiles());
      await seedSpec(repo);
      const refs = async () => repo.git(["for-each-ref", "--format=%(refname) %(objectname)"]);
      const before = await refs();
      const worktreesBefore = await repo.git(["worktree", "list", "--porcelain"]);

      const noKey = { ...anthropicEnv(server.anthropicBaseUrl), ANTHROPIC_API_KEY: undefined };
      const error = await exec(testCommandContext(repo.dir, { env: noKey }), {}).catch(
        (e: unknown) => e,
      );
      expect((error as SpeError).exitCode).toBe(3);
      expect((error as SpeError).message).toMatch(/no API key; set ANTHROPIC_API_KEY/);
      expect(server.requests).toHaveLength(0);
      expect(await refs()).toBe(before);
      expect(await repo.git(["worktree", "list", "--porcelain"])).toBe(worktreesBefore);
      const speDir = repo.path(".git", "spe");
      const left = await fs.readdir(speDir, { recursive: true }).catch(() => [] as string[]);
      expect(left.filter((f) => /runs\/|worktrees\/|\.lock$/.test(f))).toEqual([]);

      server.reply("anthropic", ...goodSession.s1, ...goodSession.s2);
      const ctx = testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) });
      const result = (await exec(ctx, {})) as ExecSummary;
      expect(result.status).toBe("merged");
    });
  });
});
