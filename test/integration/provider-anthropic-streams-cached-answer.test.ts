/**
 * The anthropic back end streams through the real @anthropic-ai/sdk: text arrives in deltas,
 * system and context are marked for prompt caching (the context as its own block before the
 * prompt), and usage and cost come from the stream.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import { createProvider } from "../../src/providers/create-provider.ts";
import {
  mockReply,
  startMockModelServer,
  type MockModelServer,
} from "../helpers/mock-model-server.ts";

const key = "sk-ant-dummy-streams-0001";
let server: MockModelServer;
beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());

describe("anthropic provider", () => {
  it("streams the answer, marks the stable prefix for caching and prices the usage", async () => {
    server.reply(
      "anthropic",
      mockReply.text("The repository has two packages.", {
        usage: { input: 120, output: 30, cacheRead: 4000, cacheWrite: 1000 },
      }),
    );
    const config = configSchema.parse({
      providers: { anthropic: { baseUrl: server.anthropicBaseUrl } },
    });
    const provider = await createProvider("anthropic", config, { ANTHROPIC_API_KEY: key });
    const deltas: string[] = [];

    const result = await provider.call({
      system: "You write specs.",
      context: '<files><file path="a.ts">export {}</file></files>',
      prompt: "Describe the repository.",
      maxOutputTokens: 1000,
      onText: (delta) => deltas.push(delta),
    });

    expect(result.text).toBe("The repository has two packages.");
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe(result.text);
    expect(result).toMatchObject({
      provider: "anthropic",
      model: "claude-sonnet-5-5",
      stopReason: "end_turn",
      usage: { inputTokens: 120, outputTokens: 30, cacheReadTokens: 4000, cacheWriteTokens: 1000 },
    });
    // claude-sonnet-5-5: $2 in, $10 out, $0.10 cache read, $2.50 cache write per million.
    expect(result.costUsd).toBeCloseTo((120 * 2 + 30 * 10 + 4000 * 0.1 + 1000 * 2.5) / 1e6, 12);

    const [request] = server.requestsTo("anthropic");
    expect(request!.path).toBe("/v1/messages");
    // @anthropic-ai/sdk 1.x sends the key as a bearer token (older versions used x-api-key).
    expect(request!.headers.authorization).toBe(`Bearer ${key}`);
    expect(request!.body).toMatchObject({
      model: "claude-sonnet-5-5",
      max_tokens: 1000,
      stream: true,
      system: [{ type: "text", text: "You write specs.", cache_control: { type: "ephemeral" } }],
      messages: [
        {
          role: "user",
          content: [
            {
              type: "text",
              text: '<files><file path="a.ts">export {}</file></files>',
              cache_control: { type: "ephemeral" },
            },
            { type: "text", text: "Describe the repository." },
          ],
        },
      ],
    });
    // Only the stable prefix is cached, not the prompt.
    const content = (request!.body as { messages: { content: object[] }[] }).messages[0]!.content;
    expect(content[1]).not.toHaveProperty("cache_control");
  });

  it("streams even without a text callback, and a call without context has one block", async () => {
    server.reply("anthropic", mockReply.text("ok"));
    const config = configSchema.parse({
      providers: { anthropic: { baseUrl: server.anthropicBaseUrl } },
    });
    const provider = await createProvider("anthropic:claude-opus-5-5", config, {
      ANTHROPIC_API_KEY: key,
    });
    const result = await provider.call({ system: "", prompt: "Say ok." });
    expect(result.text).toBe("ok");
    const request = server.requestsTo("anthropic").at(-1)!;
    expect(request.body).toMatchObject({
      model: "claude-opus-5-5",
      stream: true,
      max_tokens: 32000,
    });
    expect(request.body).not.toHaveProperty("system");
    expect((request.body as { messages: { content: unknown[] }[] }).messages[0]!.content).toEqual([
      { type: "text", text: "Say ok." },
    ]);
  });
});
