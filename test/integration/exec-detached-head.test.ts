/**
 * exec on a detached HEAD. There is no branch to merge into, and moving a detached HEAD would
 * leave the work reachable from nothing the user named, so — whatever --merge says — the run
 * keeps its work on `spe/<id>`, warns once, and succeeds (status "done", exit 0). HEAD stays
 * detached at the same commit; no branch but `spe/<id>` moves; the index, the working tree and
 * the stash are untouched. The user merges `spe/<id>` where they want it.
 */
import { expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import {
  anthropicEnv,
  goodSession,
  projectFiles,
  seedSpec,
  squareSource,
  twoStepPlan,
} from "../helpers/exec-fixtures.ts";
import { withMockModelServer } from "../helpers/mock-model-server.ts";
import { makeUserChanges, userState } from "../helpers/user-state.ts";

const userFiles = { staged: "README.md", unstaged: "package.json", stashed: "test/math.test.js" };

it("keeps the work on spe/<id> and leaves the detached HEAD where it was", async () => {
  await withMockModelServer(async (server) => {
    await withGitRepo(async (repo) => {
      const head = await repo.commit("project", projectFiles());
      const id = await seedSpec(repo, { ...twoStepPlan, steps: [twoStepPlan.steps[0]] });
      await repo.git(["checkout", "-q", "--detach"]);
      await makeUserChanges(repo, userFiles);
      const before = await userState(repo, userFiles);
      server.reply("anthropic", ...goodSession.s1);

      const ctx = testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) });
      const result = (await exec(ctx, { merge: "ff" })) as ExecSummary;
      expect(result.status).toBe("done");
      expect(result.merge).toEqual({ mode: "none", result: "skipped", reason: "--merge none" });
      expect(ctx.log.lines).toContainEqual(
        expect.objectContaining({
          level: "warn",
          text: "HEAD is detached: the work stays on its branch (--merge none)",
        }),
      );
      expect(ctx.log.lines.map((l) => l.text)).toContain(
        `exec: the work is on branch spe/${id}; merge it when you like`,
      );

      expect(await repo.gitRaw(["symbolic-ref", "-q", "HEAD"])).toMatchObject({ exitCode: 1 });
      expect(await repo.git(["rev-parse", "HEAD"])).toBe(head);
      expect(await repo.git(["rev-parse", "main"])).toBe(head);
      expect(await repo.git(["rev-parse", `spe/${id}~1`])).toBe(head);
      expect(await repo.git(["show", `spe/${id}:src/math.js`])).toBe(squareSource.trimEnd());
      expect(await userState(repo, userFiles)).toEqual(before);
      expect(await repo.git(["worktree", "list", "--porcelain"])).not.toContain("spe/worktrees");
    });
  });
});
