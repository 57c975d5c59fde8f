/**
 * The spec and plan phases when the model API misbehaves, through the commands and the real
 * SDKs: rate limits and overload are retried and then succeed, or end as one line with a hint
 * (exit 1) once the retries run out; a stream that stalls is stopped after timeoutSec; a forced
 * JSON tool call whose input is not JSON goes to the repair round; an answer that is still not
 * a valid spec after the repair is a clear exit-1 error. Nothing is written when a phase fails.
 */
import { describe, expect, it } from "vitest";
import { describeError } from "../../src/cli/report-error.ts";
import { plan } from "../../src/commands/plan.ts";
import { spec } from "../../src/commands/spec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";
import { mockReply, withMockModelServer } from "../helpers/mock-model-server.ts";
import { geminiEnv, makeProject, planAnswer, specAnswer } from "../helpers/phase-fixtures.ts";

const anthropicKey = "sk-ant-dummy-phase-faults-01";
const quick = { headers: { "retry-after-ms": "1" } };

async function project(repo: TestRepo, config: Record<string, unknown>) {
  await repo.write(".sperc.json", JSON.stringify(config));
  await makeProject(repo);
}

function env(baseUrl: string): NodeJS.ProcessEnv {
  return { ...geminiEnv(baseUrl), ANTHROPIC_API_KEY: anthropicKey, ANTHROPIC_BASE_URL: baseUrl };
}

/** A failed phase as the user sees it: one line, a hint, exit 1, no key, no spec written. */
async function expectCleanFailure(repo: TestRepo, error: unknown, message: string) {
  const report = describeError(error);
  expect(report).toMatchObject({ kind: "provider", exitCode: 1, message });
  expect(report.hints.length).toBeGreaterThan(0);
  expect(JSON.stringify(report)).not.toContain(anthropicKey);
  expect(JSON.stringify(report)).not.toContain("AIza-dummy");
  expect(await repo.exists(".spe")).toBe(false);
}

describe("spec and plan: model API faults", () => {
  it("spec: a 429 with retry-after, then a 529 without, then the answer", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await project(repo, { models: { spec: "anthropic:claude-sonnet-5-5" } });
        server.reply(
          "anthropic",
          mockReply.fault(429, "rate limited", quick),
          mockReply.fault(529, "Overloaded"),
          mockReply.text(JSON.stringify(specAnswer)),
        );
        const ctx = testCommandContext(repo.dir, { env: env(server.url) });
        const { id } = await spec(ctx, { request: "add square" });
        expect(server.requestsTo("anthropic")).toHaveLength(3);
        expect(await repo.read(`.spe/${id}/AI-SPEC.md`)).toContain("# Add a square function");
      });
    });
  });

  it("spec: overload past maxRetries is one line with a hint, exit 1, and writes nothing", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await project(repo, {
          models: { spec: "anthropic:claude-sonnet-5-5" },
          providers: { anthropic: { maxRetries: 1 } },
        });
        server.reply(
          "anthropic",
          mockReply.fault(529, "Overloaded", quick),
          mockReply.fault(529, "Overloaded", quick),
        );
        const ctx = testCommandContext(repo.dir, { env: env(server.url) });
        const error = await spec(ctx, { request: "add square" }).catch((e: unknown) => e);
        await expectCleanFailure(repo, error, "anthropic: HTTP 529 overloaded_error: Overloaded");
        expect(describeError(error).hints.join("\n")).toMatch(
          /providers\.anthropic\.maxRetries and providers\.anthropic\.timeoutSec/,
        );
        expect(server.requestsTo("anthropic")).toHaveLength(2);
      });
    });
  });

  it("spec: a Gemini stream that stalls is stopped after timeoutSec", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await project(repo, { providers: { google: { timeoutSec: 0.5, maxRetries: 0 } } });
        server.reply("gemini", mockReply.text(JSON.stringify(specAnswer), { stallAfterEvents: 1 }));
        const ctx = testCommandContext(repo.dir, { env: env(server.url) });
        const error = await spec(ctx, { request: "add square" }).catch((e: unknown) => e);
        await expectCleanFailure(repo, error, "google: no answer within 0.5 s");
      });
    });
  });

  it("spec: an answer that is still not a spec after the repair is a clear exit-1 error", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await project(repo, {});
        server.reply(
          "gemini",
          mockReply.text("Sure! Here is what I would do: add a function."),
          mockReply.text(JSON.stringify({ ...specAnswer, goal: 42 })),
        );
        const ctx = testCommandContext(repo.dir, { env: env(server.url) });
        const error = await spec(ctx, { request: "add square" }).catch((e: unknown) => e);
        const report = describeError(error);
        expect(report).toMatchObject({ kind: "failed", exitCode: 1 });
        expect(report.message).toMatch(
          /^spec: the model's specification is still not valid after one repair:\n {2}goal: /,
        );
        expect(report.hints).toEqual([
          "Run the spec phase again, or try another model (models.spec in .spe.config.ts).",
        ]);
        expect(server.requestsTo("gemini")).toHaveLength(2);
        expect(server.requestsTo("gemini")[1]?.rawBody).toContain(
          "Your previous answer could not be used",
        );
        expect(await repo.exists(".spe")).toBe(false);
      });
    });
  });

  it("plan: a forced JSON tool call whose input is not JSON is repaired, not a crash", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await project(repo, { models: { plan: "anthropic:claude-sonnet-4-6" } });
        server.reply("gemini", mockReply.text(JSON.stringify(specAnswer)));
        const ctx = () => testCommandContext(repo.dir, { env: env(server.url) });
        const { id } = await spec(ctx(), { request: "add square" });
        const broken = JSON.stringify(planAnswer).replace('"steps":', '"steps"');
        server.reply(
          "anthropic",
          { toolCalls: [{ name: "plan", input: {}, rawInputJson: broken }] },
          mockReply.toolCall("plan", planAnswer),
        );
        const result = await plan(ctx(), { id });
        expect(result.planned?.steps).toBe(2);
        const [first, repair] = server.requestsTo("anthropic");
        expect(first?.body).toMatchObject({ tool_choice: { type: "tool", name: "plan" } });
        expect(repair?.rawBody).toContain("Your previous answer could not be used");
        expect(repair?.rawBody).toContain('the \\"plan\\" tool input is not valid JSON');
      });
    });
  });
});
