/**
 * main moves during the run and the run merged with it fails validation: exec stops with main
 * untouched. `--resume` must not then fast-forward main to that merge (the scratch branch now
 * contains main, so it looks mergeable) — the tree that would land on main is validated first,
 * whatever stopped the earlier attempt (a failing validation, a kill in the middle of it). Once
 * the user fixes the run's branch, --resume validates the fix and merges it.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { SpeError } from "../../src/errors.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { anthropicEnv, goodSession, projectFiles, seedSpec } from "../helpers/exec-fixtures.ts";
import { withMockModelServer, type MockReply } from "../helpers/mock-model-server.ts";

const cubeTest =
  'import test from "node:test";\nimport assert from "node:assert/strict";\nimport * as math from "../src/math.js";\n\n' +
  'test("cube", () => assert.equal(math.cube?.(2), 8));\n';

describe("exec --resume after the merge with a moved main failed validation", () => {
  it("validates again instead of merging the failing tree, and merges once it passes", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        const id = await seedSpec(repo);
        const replies: MockReply[] = [...goodSession.s1, ...goodSession.s2];
        let userCommit = "";
        let n = 0;
        server.handle("anthropic", async () => {
          // The user's own commit lands while the run works: a test the run knows nothing of.
          if (n === 0)
            userCommit = await repo.commit("cube test", { "test/cube.test.js": cubeTest });
          return replies[n++] as MockReply;
        });
        const env = anthropicEnv(server.anthropicBaseUrl);

        const first = await exec(testCommandContext(repo.dir, { env }), {}).catch(
          (e: unknown) => e,
        );
        expect(first).toBeInstanceOf(SpeError);
        expect((first as SpeError).message).toBe(
          "not merged: the run merged with the new main fails validation (npm test)",
        );
        expect(await repo.git(["rev-parse", "main"])).toBe(userCommit);

        const again = await exec(testCommandContext(repo.dir, { env }), { resume: true }).catch(
          (e: unknown) => e,
        );
        expect(again).toBeInstanceOf(SpeError);
        expect((again as SpeError).message).toBe(
          "not merged: the run merged with the new main fails validation (npm test)",
        );
        expect(await repo.git(["rev-parse", "main"])).toBe(userCommit);

        // The user fixes the run's branch in its worktree; --resume validates that and merges.
        const worktree = path.join(repo.dir, ".git", "spe", "worktrees", id);
        await repo.write(
          path.relative(repo.dir, path.join(worktree, "src", "cube.js")),
          "export const cube = (x) => x * x * x;\n",
        );
        await repo.git(["-C", worktree, "add", "-A"]);
        const math = await repo.git(["-C", worktree, "show", "HEAD:src/math.js"]);
        await repo.write(
          path.relative(repo.dir, path.join(worktree, "src", "math.js")),
          `${math}\nexport { cube } from "./cube.js";\n`,
        );
        await repo.git(["-C", worktree, "commit", "-qam", "cube"]);
        const fixed = await repo.git(["-C", worktree, "rev-parse", "HEAD^{tree}"]);
        const ctx = testCommandContext(repo.dir, { env });
        const done = (await exec(ctx, { resume: true })) as ExecSummary;
        expect(done.status).toBe("merged");
        expect(await repo.git(["rev-parse", "main^{tree}"])).toBe(fixed);
        expect(ctx.log.lines.map((l) => l.text)).toContain("merge: validating: npm test");
      });
    });
  });
});
