/**
 * The spec and plan phases end to end as functions, against the real @google/genai client and
 * the mock Gemini API: AI-SPEC.md and AI-PLAN.md land in .spe/<id>/, the requests carry the
 * packed repository, and the plan records its base commit and the blobs of the files it cites.
 */
import { describe, expect, it } from "vitest";
import { plan } from "../../src/commands/plan.ts";
import { spec } from "../../src/commands/spec.ts";
import { parsePlan } from "../../src/plan/parse.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";
import { geminiEnv, makeProject, planAnswer, specAnswer } from "../helpers/phase-fixtures.ts";

describe("spec then plan", () => {
  it("writes AI-SPEC.md and AI-PLAN.md from the packed repository", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        const head = await makeProject(repo);
        server.reply(
          "gemini",
          mockReply.text(JSON.stringify(specAnswer), { usage: { input: 1200, output: 300 } }),
        );
        const env = geminiEnv(server.geminiBaseUrl);

        const specResult = await spec(testCommandContext(repo.dir, { env }), {
          request: "add a square function to src/calc.js",
        });
        expect(specResult.id).toMatch(/^\d{8}-add-a-square-function$/);
        expect(specResult.questions).toEqual([
          {
            question: "Should square accept strings?",
            proposedAnswer: "No, numbers only.",
            answer: "No, numbers only.",
            how: "accepted",
          },
        ]);
        const dir = `.spe/${specResult.id}`;
        expect(await repo.read(`${dir}/USER-SPEC.md`)).toBe(
          "add a square function to src/calc.js\n",
        );
        const aiSpec = await repo.read(`${dir}/AI-SPEC.md`);
        expect(aiSpec).toContain("# Add a square function");
        expect(aiSpec).toContain("## Acceptance criteria\n\n- `square(3)` returns 9");
        expect(aiSpec).toContain("   - Answer (accepted): No, numbers only.");
        expect(JSON.parse(await repo.read(`${dir}/state.json`))).toMatchObject({
          id: specResult.id,
          phase: "spec",
          status: "specified",
          base: head,
        });

        const specRequest = server.requestsTo("gemini")[0];
        expect(specRequest?.rawBody).toContain('<file path=\\"src/calc.js\\">');
        expect(specRequest?.rawBody).toContain("add a square function to src/calc.js");

        server.reply(
          "gemini",
          mockReply.text(JSON.stringify(planAnswer), { usage: { input: 1500, output: 400 } }),
        );
        const planResult = await plan(testCommandContext(repo.dir, { env }), {});
        expect(planResult.id).toBe(specResult.id);
        expect(planResult.planned?.steps).toBe(2);
        const planRequest = server.requestsTo("gemini")[1];
        expect(planRequest?.rawBody).toContain('<file path=\\"test/calc.test.js\\">');
        expect(planRequest?.rawBody).toContain("# Add a square function");

        const doc = parsePlan(await repo.read(`${dir}/AI-PLAN.md`));
        expect(doc.meta).toEqual({
          id: specResult.id,
          spec: specResult.id,
          base: head,
          cited: {
            "src/calc.js": await repo.git(["rev-parse", "HEAD:src/calc.js"]),
            "test/calc.test.js": await repo.git(["rev-parse", "HEAD:test/calc.test.js"]),
            "test/square.test.js": "absent",
          },
        });
        expect(doc.plan.steps.map((s) => s.title)).toEqual(["Add square", "Test square"]);
        const state = JSON.parse(await repo.read(`${dir}/state.json`));
        expect(state).toMatchObject({
          phase: "plan",
          status: "planned",
          usage: { spec: { inputTokens: 1200 }, plan: { inputTokens: 1500 } },
        });
        expect(Object.keys(state.plan.packed)).toEqual(
          expect.arrayContaining(["src/calc.js", "package.json"]),
        );
      });
    });
  });

  it("takes the answer a person gives at a question", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await makeProject(repo);
        server.reply("gemini", mockReply.text(JSON.stringify(specAnswer)));
        const ctx = testCommandContext(repo.dir, { env: geminiEnv(server.geminiBaseUrl) });
        const asked: string[] = [];
        ctx.ask = async (question) => {
          asked.push(question);
          return "Yes, numeric strings too.";
        };
        const result = await spec(ctx, { request: "add square" });
        expect(asked).toEqual(["Should square accept strings?"]);
        expect(result.questions[0]).toMatchObject({
          answer: "Yes, numeric strings too.",
          how: "answered",
        });
        expect(await repo.read(`.spe/${result.id}/AI-SPEC.md`)).toContain(
          "   - Answer (answered): Yes, numeric strings too.",
        );
      });
    });
  });
});
