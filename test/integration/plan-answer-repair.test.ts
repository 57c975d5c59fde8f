/**
 * A plan answer that is neither valid plan JSON nor valid AI-PLAN.md gets one repair request
 * listing the problems; a second bad answer is a clear exit-1 error and nothing is written.
 * A valid AI-PLAN.md markdown answer is accepted as it is.
 */
import { describe, expect, it } from "vitest";
import { plan } from "../../src/commands/plan.ts";
import { spec } from "../../src/commands/spec.ts";
import { SpeError } from "../../src/errors.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import {
  mockReply,
  withMockModelServer,
  type MockModelServer,
} from "../helpers/mock-model-server.ts";
import { geminiEnv, makeProject, planAnswer, specAnswer } from "../helpers/phase-fixtures.ts";

async function specified(server: MockModelServer, repo: TestRepo) {
  await makeProject(repo);
  server.reply("gemini", mockReply.text(JSON.stringify(specAnswer)));
  const ctx = () => testCommandContext(repo.dir, { env: geminiEnv(server.geminiBaseUrl) });
  const { id } = await spec(ctx(), { request: "add square" });
  return { id, ctx };
}

describe("plan answers that need a repair", () => {
  it("asks once more with the problems, then accepts the repaired plan", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id, ctx } = await specified(server, repo);
        const broken = {
          ...planAnswer,
          steps: [
            {
              ...planAnswer.steps[0],
              id: "S2",
              files: [{ path: "../outside.js", action: "modify" }],
            },
          ],
        };
        server.reply(
          "gemini",
          mockReply.text(JSON.stringify(broken)),
          mockReply.text(JSON.stringify(planAnswer)),
        );
        const result = await plan(ctx(), { id });
        expect(result.planned?.steps).toBe(2);
        const [, first, repair] = server.requestsTo("gemini");
        expect(first?.rawBody).not.toContain("could not be used");
        expect(repair?.rawBody).toContain("Your previous answer could not be used");
        expect(repair?.rawBody).toContain(
          "steps[0].id: steps are numbered in order: expected S1 here",
        );
        expect(repair?.rawBody).toContain(
          'steps[0].files[0].path: path \\"../outside.js\\" leaves the repository',
        );
        expect(result.planned?.usage.inputTokens).toBeGreaterThan(0);
      });
    });
  });

  it("fails with exit 1 after a second bad answer and writes no plan", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id, ctx } = await specified(server, repo);
        server.reply(
          "gemini",
          mockReply.text("I would rather not."),
          mockReply.text('{"title": "x"}'),
        );
        const error = await plan(ctx(), { id }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SpeError);
        expect((error as SpeError).exitCode).toBe(1);
        expect((error as SpeError).message).toMatch(
          /^plan: the model's plan is still not valid after one repair:\n {2}summary: /,
        );
        expect(await repo.exists(`.spe/${id}/AI-PLAN.md`)).toBe(false);
      });
    });
  });

  it("accepts an answer written as AI-PLAN.md markdown", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const { id, ctx } = await specified(server, repo);
        const markdown =
          "# Add square\n\nSmall change.\n\n## S1: Add it\n\nfiles: modify `src/calc.js`\n\nExport square.\n";
        server.reply("gemini", mockReply.text(markdown));
        const result = await plan(ctx(), { id });
        expect(result.planned?.steps).toBe(1);
        expect(result.markdown).toContain("## S1: Add it\n\nfiles: modify `src/calc.js`");
        expect(result.markdown).toMatch(/^---\nspe: plan\/v1\n/);
      });
    });
  });
});
