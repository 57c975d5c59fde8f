/**
 * exec in a sparse checkout (`git sparse-checkout set src`, cone mode). `git worktree add`
 * copies the sparse patterns, but the scratch worktree is made a full checkout, so validation
 * sees every file and a file the model creates outside the patterns can be committed; the merge
 * back honours the user's patterns: that file lands in the commit but not in the working tree,
 * the patterns and the excluded directories stay as they were. `git spe validate`'s temporary
 * worktree is full too.
 */
import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { validate } from "../../src/commands/validate.ts";
import { listRuns } from "../../src/workflow/execute/run-state.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import {
  anthropicEnv,
  goodSession,
  projectFiles,
  seedSpec,
  squareSource,
} from "../helpers/exec-fixtures.ts";
import { withMockModelServer } from "../helpers/mock-model-server.ts";
import { makeUserChanges, userState } from "../helpers/user-state.ts";

const userFiles = { staged: "README.md", unstaged: "package.json", stashed: ".sperc.json" };

describe("a sparse checkout", () => {
  it("exec merges without widening it", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        const id = await seedSpec(repo);
        await repo.git(["sparse-checkout", "set", "src"]);
        expect(await repo.exists("test/math.test.js")).toBe(false);
        await makeUserChanges(repo, userFiles);
        const before = await userState(repo, userFiles);
        server.reply("anthropic", ...goodSession.s1, ...goodSession.s2);

        const result = (await exec(
          testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
          {},
        )) as ExecSummary;
        expect(result.status).toBe("merged");
        expect(result.steps.map((s) => s.status)).toEqual(["committed", "committed"]);
        // npm test ran both tests in the scratch worktree: test/ is there, unlike in the user's.
        const [run] = await listRuns(repo.path(".git"), id);
        expect(run?.steps[0]?.attempts[0]?.validation?.runs[0]?.output).toMatch(/^# pass 2$/m);

        expect(await repo.git(["show", "HEAD:docs/math.md"])).toContain("square(x)");
        expect(await repo.read("src/math.js")).toBe(squareSource);
        expect(await repo.git(["sparse-checkout", "list"])).toBe("src");
        expect(await fs.readdir(repo.dir)).not.toContain("docs");
        expect(await fs.readdir(repo.dir)).not.toContain("test");
        expect(await repo.git(["ls-files", "-t", "--", "docs", "test", "src"])).toBe(
          "S docs/math.md\nH src/math.js\nS test/math.test.js",
        );
        expect(await repo.git(["status", "--porcelain", "--", "docs", "test", "src"])).toBe("");
        expect(await userState(repo, userFiles)).toEqual(before);
      });
    });
  });

  it("git spe validate checks the whole tree, not the sparse part", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", projectFiles({ validate: ["test -f test/math.test.js"] }));
      await repo.git(["sparse-checkout", "set", "src"]);
      const result = await validate(testCommandContext(repo.dir));
      expect(result.passed).toBe(true);
      expect(await repo.git(["sparse-checkout", "list"])).toBe("src");
      expect(await repo.exists("test/math.test.js")).toBe(false);
    });
  });
});
