/**
 * A run saved by an earlier version whose plan breaks a plan rule added since (here a `.git`
 * component below the top level) is not resumed and is not an internal error: exit 2 naming the
 * saved plan's line, and how to drop the run; `git spe abort` then removes it.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { abort, exec } from "../../src/commands/exec.ts";
import type { SpeError } from "../../src/errors.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { anthropicEnv, projectFiles, seedSpec } from "../helpers/exec-fixtures.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";

it("refuses --resume with exit 2 and the line, and abort removes the run", async () => {
  await withMockModelServer(async (server) => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", projectFiles());
      const id = await seedSpec(repo);
      const env = anthropicEnv(server.anthropicBaseUrl);
      server.reply("anthropic", mockReply.text("Nothing."), mockReply.text("Still nothing."));
      const failed = await exec(testCommandContext(repo.dir, { env }), {}).catch((e: unknown) => e);
      expect((failed as SpeError).exitCode).toBe(1);

      const runs = path.join(repo.dir, ".git", "spe", "runs", id);
      const [name] = await fs.readdir(runs);
      const file = path.join(runs, name as string);
      const state = JSON.parse(await fs.readFile(file, "utf8"));
      expect(state.planText).toContain("`docs/math.md`");
      state.planText = state.planText.replace("`docs/math.md`", "`vendor/.git/config`");
      await fs.writeFile(file, JSON.stringify(state));

      const error = await exec(testCommandContext(repo.dir, { env }), { resume: true }).catch(
        (e: unknown) => e,
      );
      expect((error as SpeError).exitCode).toBe(2);
      expect((error as SpeError).message).toMatch(
        new RegExp(
          `^the plan saved with run ${state.runId} does not pass the plan rules of this version:\\nAI-PLAN.md:\\d+: .*vendor/\\.git/config.* is inside \\.git`,
        ),
      );
      expect((error as SpeError).hints).toContain(`Drop the run: git spe abort ${id}`);

      await abort(testCommandContext(repo.dir), id);
      expect(await repo.git(["branch", "--list", `spe/${id}`])).toBe("");
      expect(await fs.readdir(path.join(repo.dir, ".git", "spe", "worktrees"))).toEqual([]);
    });
  });
});
