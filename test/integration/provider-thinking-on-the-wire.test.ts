/**
 * Config `thinking` on the wire, through the real clients against the mock model server: the
 * Anthropic SDK sends `thinking` (adaptive with `output_config.effort` on the 5-series, a budget
 * on older models, disabled for off), @google/genai sends `thinkingConfig` (a budget for 2.5, a
 * level for 3.x), the OpenAI-compatible back end sends `reasoning_effort`, and Claude Code gets
 * `--effort` or `MAX_THINKING_TOKENS`. A model that thinks: its thinking is never answer text
 * (streamed or final), and its thinking tokens are in usage (and billed as output).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import { createProvider } from "../../src/providers/create-provider.ts";
import type { ThinkingSetting } from "../../src/providers/thinking.ts";
import { setupFakeCli } from "../helpers/fake-cli.ts";
import { withTempDir } from "../helpers/git-repo.ts";
import {
  mockReply,
  startMockModelServer,
  type MockModelServer,
} from "../helpers/mock-model-server.ts";

let server: MockModelServer;
beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());

const config = () =>
  configSchema.parse({
    providers: {
      anthropic: { baseUrl: server.anthropicBaseUrl },
      google: { baseUrl: server.geminiBaseUrl },
      openai: { baseUrl: server.openaiBaseUrl },
    },
  });
const env = {
  ANTHROPIC_API_KEY: "sk-ant-dummy-thinking-01",
  GEMINI_API_KEY: "AIza-dummy-thinking-02",
  OPENAI_API_KEY: "sk-dummy-thinking-03",
};
const provider = (ref: string, thinking?: ThinkingSetting) =>
  createProvider(ref, config(), env, { thinking });

const secretThought = "I should not say this out loud: the answer is 42.";

/** Calls `ref` with streaming on; the answer text and what was streamed as text. */
async function ask(
  ref: string,
  thinking: ThinkingSetting | undefined,
  schema?: Record<string, unknown>,
) {
  let streamed = "";
  const result = await (
    await provider(ref, thinking)
  ).call({
    system: "You answer.",
    prompt: "What is the answer?",
    onText: (delta) => (streamed += delta),
    ...(schema ? { jsonSchema: { name: "answer", schema } } : {}),
  });
  return { result, streamed };
}

const lastBody = (api: "anthropic" | "gemini" | "openai") =>
  server.requestsTo(api).at(-1)!.body as Record<string, unknown>;

describe("anthropic", () => {
  it("5-series: adaptive thinking with the level as effort; the thinking is never answer text", async () => {
    server.reply(
      "anthropic",
      mockReply.text("42.", { thinking: secretThought, usage: { output: 900, thoughts: 700 } }),
    );
    const { result, streamed } = await ask("anthropic:claude-sonnet-5-5", "high");
    const body = lastBody("anthropic");
    expect(body.thinking).toEqual({ type: "adaptive" });
    expect(body.output_config).toEqual({ effort: "high" });
    expect(result.text).toBe("42.");
    expect(streamed).toBe("42.");
    expect(result.usage).toMatchObject({ outputTokens: 900, thinkingTokens: 700 });
    // Billed as output: 900 output tokens at the model's output price.
    expect(result.costUsd).toBeGreaterThan(0);
  });

  it("older models: a budget, max_tokens raised above it; a JSON answer asks for its tool instead of forcing it", async () => {
    server.reply(
      "anthropic",
      mockReply.toolCall("answer", { value: 42 }, { thinking: secretThought }),
    );
    const schema = { type: "object", properties: { value: { type: "number" } } };
    const { result } = await ask("anthropic:claude-sonnet-4-5", 5000, schema);
    const body = lastBody("anthropic");
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 5000 });
    expect(body.max_tokens as number).toBeGreaterThan(5000);
    expect(body.tool_choice).toEqual({ type: "auto" });
    expect(JSON.stringify(body.messages)).toContain("Answer by calling the answer tool.");
    expect(result.json).toEqual({ value: 42 });
    expect(result.text).not.toContain("42.");

    server.reply("anthropic", mockReply.text("Sure."));
    await ask("anthropic:claude-haiku-4-5", "medium");
    expect(lastBody("anthropic").thinking).toEqual({ type: "enabled", budget_tokens: 8192 });
  });

  it("off disables thinking; unset sends nothing", async () => {
    server.reply("anthropic", mockReply.text("a"), mockReply.text("b"));
    await ask("anthropic:claude-opus-5-5", "off");
    expect(lastBody("anthropic").thinking).toEqual({ type: "disabled" });
    await ask("anthropic:claude-opus-5-5", undefined);
    const body = lastBody("anthropic");
    expect(body).not.toHaveProperty("thinking");
    expect(body).not.toHaveProperty("output_config");
  });
});

describe("google", () => {
  it("gemini 2.5 takes a budget, gemini 3 a level; thought parts are never answer text", async () => {
    server.reply(
      "gemini",
      mockReply.text("42.", { thinking: secretThought, usage: { output: 50, thoughts: 400 } }),
      mockReply.text("43."),
      mockReply.text("44."),
    );
    const { result, streamed } = await ask("google:gemini-2.5-pro", "low");
    const generation = (body: Record<string, unknown>) =>
      (body.generationConfig as { thinkingConfig?: unknown }).thinkingConfig;
    expect(generation(lastBody("gemini"))).toEqual({ thinkingBudget: 2048 });
    expect(result.text).toBe("42.");
    expect(streamed).toBe("42.");
    expect(result.usage).toMatchObject({ outputTokens: 450, thinkingTokens: 400 });

    await ask("google:gemini-3-pro-preview", "medium");
    expect(generation(lastBody("gemini"))).toEqual({ thinkingLevel: "MEDIUM" });
    await ask("google:gemini-2.5-flash", "off");
    expect(generation(lastBody("gemini"))).toEqual({ thinkingBudget: 0 });
  });
});

describe("openai-compatible", () => {
  it("reasoning_effort; streamed reasoning_content is never answer text", async () => {
    server.reply(
      "openai",
      mockReply.text("42.", { thinking: secretThought, usage: { output: 300, thoughts: 250 } }),
      mockReply.text("43."),
    );
    const { result, streamed } = await ask("openai:gpt-5.1", "max");
    expect(lastBody("openai").reasoning_effort).toBe("high");
    expect(result.text).toBe("42.");
    expect(streamed).toBe("42.");
    expect(result.usage).toMatchObject({ outputTokens: 300, thinkingTokens: 250 });
    await ask("openai:gpt-5.1", "off");
    expect(lastBody("openai").reasoning_effort).toBe("none");
  });
});

describe("claude-code", () => {
  it("--effort for a level, MAX_THINKING_TOKENS for a budget", async () => {
    await withTempDir(async (dir) => {
      const cli = await setupFakeCli(dir, [
        { bin: "claude", result: "a" },
        { bin: "claude", result: "b", commands: ['echo "budget=$MAX_THINKING_TOKENS"'] },
      ]);
      const call = async (thinking: ThinkingSetting) =>
        (await createProvider("claude-code", config(), cli.env, { cwd: dir, thinking })).call({
          system: "You go.",
          prompt: "Go.",
        });
      await call("max");
      await call(12_000);
      const [level, budget] = await cli.log();
      expect(level!.argv.slice(-2)).toEqual(["--effort", "max"]);
      expect(budget!.argv).not.toContain("--effort");
      expect(budget!.commands![0]!.output.trim()).toBe("budget=12000");
    });
  });
});
