/**
 * exec in a shallow clone (`git clone --depth 1 file://…`): the scratch worktree, the step
 * commits, the merge-base checks and the fast-forward all work on the one commit there is; the
 * clone stays shallow at the same boundary and the user's changes are untouched.
 */
import fs from "node:fs/promises";
import { expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { makeTempDir, openTestRepo, withGitRepo } from "../helpers/git-repo.ts";
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

it("runs and merges in a depth-1 clone, which stays shallow", async () => {
  await withMockModelServer(async (server) => {
    await withGitRepo(async (origin) => {
      await origin.commit("project", projectFiles());
      const tip = await origin.commit("more history", { "CHANGELOG.md": "- project\n" });
      const dir = await makeTempDir();
      try {
        await origin.git(["clone", "-q", "--depth", "1", `file://${origin.dir}`, dir]);
        const repo = openTestRepo(dir);
        expect(await repo.git(["rev-parse", "--is-shallow-repository"])).toBe("true");
        const shallow = await fs.readFile(repo.path(".git", "shallow"), "utf8");
        expect(shallow).toBe(`${tip}\n`);
        const id = await seedSpec(repo, { ...twoStepPlan, steps: [twoStepPlan.steps[0]] });
        await makeUserChanges(repo, userFiles);
        const before = await userState(repo, userFiles);
        server.reply("anthropic", ...goodSession.s1);

        const result = (await exec(
          testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
          {},
        )) as ExecSummary;
        expect(result.status).toBe("merged");
        expect(result.merge?.result).toBe("fast-forward");
        expect(await repo.git(["rev-parse", "HEAD~1"])).toBe(tip);
        expect(await repo.git(["log", "-1", "--format=%(trailers:key=Spe-Spec,valueonly)"])).toBe(
          `${id}\n`,
        );
        expect(await repo.read("src/math.js")).toBe(squareSource);
        expect(await repo.git(["rev-parse", "--is-shallow-repository"])).toBe("true");
        expect(await fs.readFile(repo.path(".git", "shallow"), "utf8")).toBe(shallow);
        expect(await userState(repo, userFiles)).toEqual(before);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    });
  });
});
