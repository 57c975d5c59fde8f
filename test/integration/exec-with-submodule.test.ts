/**
 * exec in a repository with a submodule. The scratch worktree does not check the submodule out
 * (the run has no business there); the merge keeps the gitlink as it was, and the user's
 * submodule checkout — its HEAD and an uncommitted file in it — is untouched.
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

it("runs and merges with a submodule present, leaving the submodule alone", async () => {
  await withMockModelServer(async (server) => {
    await withGitRepo(async (library) => {
      await library.commit("library", { "lib.js": "export const lib = 1;\n" });
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        await repo.git([
          "-c",
          "protocol.file.allow=always",
          "submodule",
          "add",
          "-q",
          `file://${library.dir}`,
          "vendor/lib",
        ]);
        await repo.git(["commit", "-q", "-m", "vendor/lib as a submodule"]);
        await repo.write("vendor/lib/local.txt", "the user's file inside the submodule\n");
        const gitlink = await repo.git(["ls-tree", "HEAD", "vendor/lib"]);
        const submodule = await repo.git(["submodule", "status"]);
        await seedSpec(repo, { ...twoStepPlan, steps: [twoStepPlan.steps[0]] });
        await makeUserChanges(repo, userFiles);
        const before = await userState(repo, userFiles);
        server.reply("anthropic", ...goodSession.s1);

        const result = (await exec(
          testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
          {},
        )) as ExecSummary;
        expect(result.status).toBe("merged");
        expect(result.drift?.clean).toBe(true);
        expect(await repo.git(["diff-tree", "-r", "--name-only", "HEAD~1", "HEAD"])).toBe(
          "src/math.js",
        );
        expect(await repo.read("src/math.js")).toBe(squareSource);
        expect(await repo.git(["ls-tree", "HEAD", "vendor/lib"])).toBe(gitlink);
        expect(await repo.git(["submodule", "status"])).toBe(submodule);
        expect(await repo.read("vendor/lib/local.txt")).toBe(
          "the user's file inside the submodule\n",
        );
        expect(await repo.git(["-C", "vendor/lib", "status", "--porcelain"])).toBe("?? local.txt");
        expect(await userState(repo, userFiles)).toEqual(before);
      });
    });
  });
});
