/**
 * The mock model server itself, as later phases will use it: token counting through the real
 * SDKs, replies computed from the request (multi-turn scripts), and loud failures for requests
 * nobody scripted or paths it does not know.
 */
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import { afterAll, beforeAll, expect, it } from "vitest";
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

const anthropic = () =>
  new Anthropic({
    apiKey: "k-dummy",
    baseURL: server.anthropicBaseUrl,
    maxRetries: 0,
    logLevel: "off",
  });

it("answers count_tokens and countTokens", async () => {
  server.countTokens = (request) => (request.api === "anthropic" ? 321 : 654);
  const counted = await anthropic().messages.countTokens({
    model: "claude-sonnet-5-5",
    messages: [{ role: "user", content: "hi" }],
  });
  expect(counted.input_tokens).toBe(321);
  const gemini = new GoogleGenAI({
    apiKey: "k-dummy",
    vertexai: false,
    httpOptions: { baseUrl: server.geminiBaseUrl },
  });
  const geminiCount = await gemini.models.countTokens({ model: "gemini-2.5-pro", contents: "hi" });
  expect(geminiCount.totalTokens).toBe(654);
  expect(server.requestsTo("anthropic", "count_tokens")).toHaveLength(1);
  expect(server.requestsTo("gemini", "countTokens")[0]!.model).toBe("gemini-2.5-pro");
  expect(server.requestsTo("anthropic")).toHaveLength(0); // counting is not a model call
});

it("computes replies from the request once the queue is empty", async () => {
  server.handle("anthropic", (request) => {
    const turns = (request.body as { messages: unknown[] }).messages.length;
    return turns === 1
      ? mockReply.toolCall("bash", { command: "ls" })
      : mockReply.text(`saw ${turns} messages`);
  });
  try {
    const client = anthropic();
    const first = await client.messages.create({
      model: "m",
      max_tokens: 10,
      messages: [{ role: "user", content: "go" }],
    });
    expect(first.stop_reason).toBe("tool_use");
    const second = await client.messages.create({
      model: "m",
      max_tokens: 10,
      messages: [
        { role: "user", content: "go" },
        { role: "assistant", content: first.content },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: (first.content[0] as { id: string }).id,
              content: "a.ts",
            },
          ],
        },
      ],
    });
    expect(second.content).toMatchObject([{ type: "text", text: "saw 3 messages" }]);
  } finally {
    server.handle("anthropic", undefined);
  }
});

it("fails loudly for an unscripted request or an unknown path", async () => {
  await expect(
    anthropic().messages.create({
      model: "m",
      max_tokens: 10,
      messages: [{ role: "user", content: "?" }],
    }),
  ).rejects.toMatchObject({
    status: 404,
    message: expect.stringContaining("nothing scripted for anthropic"),
  });
  const response = await fetch(`${server.url}/v2/unknown`, { method: "POST", body: "{}" });
  expect(response.status).toBe(404);
  expect(server.requests.at(-1)).toMatchObject({ api: undefined, path: "/v2/unknown" });
});
