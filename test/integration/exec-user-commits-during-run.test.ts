/**
 * The user commits to main while the run works. A change elsewhere still merges (main is merged
 * into the run and validated again); a conflicting one leaves main as the user left it and says
 * which files conflict.
 */
import { describe, expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { SpeError } from "../../src/errors.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import { anthropicEnv, goodSession, projectFiles, seedSpec } from "../helpers/exec-fixtures.ts";
import {
  withMockModelServer,
  type MockModelServer,
  type MockReply,
} from "../helpers/mock-model-server.ts";

/** Plays `replies` in order; on the first request the user commits `files` to main. */
function userCommitsDuringRun(
  server: MockModelServer,
  repo: TestRepo,
  files: Record<string, string>,
  replies: MockReply[],
) {
  let n = 0;
  server.handle("anthropic", async () => {
    if (n === 0) await repo.commit("the user's own work", files);
    return replies[n++] as MockReply;
  });
}

describe("exec: the user commits to main during the run", () => {
  it("still merges a change that does not conflict, validated with main's new commit", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        await seedSpec(repo);
        userCommitsDuringRun(server, repo, { "CHANGELOG.md": "- user entry\n" }, [
          ...goodSession.s1,
          ...goodSession.s2,
        ]);
        const result = (await exec(
          testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
          {},
        )) as ExecSummary;
        expect(result.status).toBe("merged");
        expect(await repo.read("CHANGELOG.md")).toBe("- user entry\n");
        expect(await repo.read("src/math.js")).toContain("square");
        const subjects = (await repo.git(["log", "--format=%s", "main"])).split("\n");
        expect(subjects.slice(0, 2)).toEqual([
          expect.stringMatching(/^Merge main into spe\//),
          "S2: Document square",
        ]);
        expect(subjects).toContain("the user's own work");
      });
    });
  });

  it("leaves main alone and names the conflicting file when the change conflicts", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", projectFiles());
        const id = await seedSpec(repo);
        userCommitsDuringRun(
          server,
          repo,
          { "src/math.js": "export const add = (a, b) => a + b;\n" },
          [...goodSession.s1, ...goodSession.s2],
        );
        const error = await exec(
          testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) }),
          {},
        ).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SpeError);
        expect((error as SpeError).exitCode).toBe(1);
        expect((error as SpeError).message).toBe(
          "not merged: main moved during the run and merging it with spe/" +
            id +
            " conflicts in: src/math.js",
        );
        expect(await repo.git(["log", "-1", "--format=%s", "main"])).toBe("the user's own work");
        expect(await repo.read("src/math.js")).toBe("export const add = (a, b) => a + b;\n");
        expect(await repo.git(["status", "--porcelain", "--", ":!.spe"])).toBe("");
        expect(await repo.git(["log", "-1", "--format=%s", `spe/${id}`])).toBe(
          "S2: Document square",
        );
      });
    });
  });
});
