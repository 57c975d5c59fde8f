/**
 * git spe's own git runs outside the sandbox, in a worktree the model wrote in, and at the end
 * in the user's checkout: nothing the model wrote may make it run a program. A repository the
 * model made inside the worktree with `core.fsmonitor` set (recorded by `add -A` as a
 * submodule), and a hook the model adds to an in-tree hooks directory (husky's
 * `core.hooksPath`), never run.
 */
import path from "node:path";
import { expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import {
  anthropicEnv,
  bash,
  goodSession,
  projectFiles,
  seedSpec,
  twoStepPlan,
} from "../helpers/exec-fixtures.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { withMockModelServer } from "../helpers/mock-model-server.ts";

it("an embedded repository's core.fsmonitor never runs in git spe's git calls", async () => {
  await withMockModelServer(async (server) => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", projectFiles());
      await seedSpec(repo, twoStepPlan);
      const pwned = path.join(repo.dir, "pwned-by-fsmonitor");
      server.reply(
        "anthropic",
        bash(
          "git init -q sub && echo x > sub/f && git -C sub add f && " +
            "git -C sub -c user.name=m -c user.email=m@m commit -qm m && " +
            `git -C sub config core.fsmonitor "touch '${pwned}'; false"`,
        ),
        ...goodSession.s1,
        ...goodSession.s2,
      );
      const result = (await exec(
        testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
        {},
      )) as ExecSummary;
      expect(result.status).toBe("merged");
      expect(await repo.exists("pwned-by-fsmonitor")).toBe(false);
    });
  });
});

it("a hook the model adds to an in-tree hooks directory does not run at the merge", async () => {
  await withMockModelServer(async (server) => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", { ...projectFiles(), ".husky/.keep": "" });
      await repo.git(["config", "core.hooksPath", ".husky"]);
      await seedSpec(repo, { ...twoStepPlan, steps: [twoStepPlan.steps[0]] });
      const pwned = path.join(repo.dir, "pwned-by-hook");
      server.reply(
        "anthropic",
        bash(
          `printf '#!/bin/sh\\ntouch "${pwned}"\\n' > .husky/post-merge && chmod +x .husky/post-merge && ` +
            "cp .husky/post-merge .husky/reference-transaction",
        ),
        ...goodSession.s1,
      );
      const result = (await exec(
        testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
        {},
      )) as ExecSummary;
      expect(result.status).toBe("merged");
      expect(await repo.exists(".husky/post-merge")).toBe(true);
      expect(await repo.exists("pwned-by-hook")).toBe(false);
    });
  });
});
