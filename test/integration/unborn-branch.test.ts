/**
 * A repository with no commit yet (an unborn branch, a file staged for the first commit). What
 * needs no commit works: status, a spec in the dir store. What needs one says so with exit 2 and
 * "make a first commit": plan, exec, validate, and the notes store — before any model is called.
 * Nothing is created in git: HEAD stays unborn, the index keeps the staged file, no ref appears.
 */
import { describe, expect, it } from "vitest";
import { exec } from "../../src/commands/exec.ts";
import { plan } from "../../src/commands/plan.ts";
import { spec } from "../../src/commands/spec.ts";
import { status } from "../../src/commands/status.ts";
import { validate } from "../../src/commands/validate.ts";
import type { SpeError } from "../../src/errors.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";
import { geminiEnv, specAnswer } from "../helpers/phase-fixtures.ts";

async function gitState(repo: TestRepo) {
  return {
    head: await repo.git(["symbolic-ref", "HEAD"]),
    unborn: (await repo.gitRaw(["rev-parse", "--verify", "--quiet", "HEAD"])).exitCode,
    refs: await repo.git(["for-each-ref"]),
    index: await repo.git(["ls-files", "-s"]),
  };
}

const refusal = (error: unknown) => ({
  exitCode: (error as SpeError).exitCode,
  message: (error as SpeError).message,
});

describe("an unborn branch", () => {
  it("specs in the dir store; plan, exec and validate ask for a first commit", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(
        async (repo) => {
          await repo.write("src/app.js", "export const app = 1;\n");
          await repo.git(["add", "src/app.js"]);
          const before = await gitState(repo);
          const env = geminiEnv(server.geminiBaseUrl);
          const ctx = () => testCommandContext(repo.dir, { env });

          expect(await status(ctx())).toEqual({ specs: [] });
          server.reply("gemini", mockReply.text(JSON.stringify(specAnswer)));
          const { id } = await spec(ctx(), { request: "add square" });
          expect(await repo.exists(`.spe/${id}/AI-SPEC.md`)).toBe(true);

          expect(refusal(await plan(ctx(), { id }).catch((e: unknown) => e))).toEqual({
            exitCode: 2,
            message: "a plan needs a commit to be made against: make a first commit",
          });
          expect(refusal(await exec(ctx(), { id }).catch((e: unknown) => e))).toEqual({
            exitCode: 2,
            message: `spec ${id} has no plan yet`,
          });
          expect(refusal(await validate(ctx()).catch((e: unknown) => e))).toEqual({
            exitCode: 2,
            message: "HEAD is not a commit in this repository",
          });
          // Only the spec call reached the model.
          expect(server.requestsTo("gemini")).toHaveLength(1);
          expect(await gitState(repo)).toEqual(before);
        },
        { initialCommit: false },
      );
    });
  });

  it("the notes store refuses a spec before calling the model", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(
        async (repo) => {
          await repo.write(".sperc.json", JSON.stringify({ store: "notes" }));
          await repo.git(["add", ".sperc.json"]);
          const before = await gitState(repo);
          server.reply("gemini", mockReply.text(JSON.stringify(specAnswer)));
          const error = await spec(
            testCommandContext(repo.dir, { env: geminiEnv(server.geminiBaseUrl) }),
            { request: "add square" },
          ).catch((e: unknown) => e);
          expect(refusal(error)).toEqual({
            exitCode: 2,
            message:
              "the notes store needs a commit to attach the spec to; make a first commit or use store: dir",
          });
          expect(server.requestsTo("gemini")).toEqual([]);
          expect(await gitState(repo)).toEqual(before);
        },
        { initialCommit: false },
      );
    });
  });
});
