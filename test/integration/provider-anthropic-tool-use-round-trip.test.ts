/**
 * The lower-level Anthropic turn the built-in executor will loop on: the model asks for a
 * client tool (text editor / bash), we send the tool_result back, the model answers. Each turn
 * returns the whole assistant message, usage, cost and stop reason.
 */
import type Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import { createAnthropicTurnProvider } from "../../src/providers/create-provider.ts";
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

const tools: Anthropic.ToolUnion[] = [
  { type: "text_editor_20250728", name: "str_replace_based_edit_tool" },
  { type: "bash_20250124", name: "bash" },
];

it("runs a tool_use round trip with Anthropic's client tools", async () => {
  const viewCall = { command: "view", path: "src/index.ts" };
  server.reply(
    "anthropic",
    mockReply.toolCall("str_replace_based_edit_tool", viewCall, {
      id: "toolu_view_1",
      text: "Let me look at the file.",
      usage: { input: 300, output: 40 },
    }),
    mockReply.text("The file exports nothing yet.", {
      usage: { input: 360, output: 12, cacheRead: 250 },
    }),
  );
  const config = configSchema.parse({
    providers: { anthropic: { baseUrl: server.anthropicBaseUrl } },
  });
  const model = await createAnthropicTurnProvider("anthropic:claude-sonnet-5-5", config, {
    ANTHROPIC_API_KEY: "sk-ant-dummy-turn-0003",
  });
  const messages: Anthropic.MessageParam[] = [
    { role: "user", content: "What does src/index.ts export?" },
  ];

  const first = await model.turn({ system: "You edit code.", messages, tools, maxTokens: 2000 });
  expect(first.stopReason).toBe("tool_use");
  expect(first.message.content).toEqual([
    { type: "text", text: "Let me look at the file." },
    { type: "tool_use", id: "toolu_view_1", name: "str_replace_based_edit_tool", input: viewCall },
  ]);
  expect(first.usage).toEqual({
    inputTokens: 300,
    outputTokens: 40,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
  });
  expect(first.costUsd).toBeCloseTo((300 * 2 + 40 * 10) / 1e6, 12);

  messages.push({ role: "assistant", content: first.message.content });
  messages.push({
    role: "user",
    content: [{ type: "tool_result", tool_use_id: "toolu_view_1", content: "1: export {};\n" }],
  });
  const second = await model.turn({ system: "You edit code.", messages, tools, maxTokens: 2000 });
  expect(second.stopReason).toBe("end_turn");
  expect(second.message.content).toMatchObject([
    { type: "text", text: "The file exports nothing yet." },
  ]);
  expect(second.usage.cacheReadTokens).toBe(250);

  const [request1, request2] = server.requestsTo("anthropic");
  expect(request1!.body).toMatchObject({ stream: true, tools, system: "You edit code." });
  expect(request2!.body).toMatchObject({
    messages: [
      { role: "user", content: "What does src/index.ts export?" },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Let me look at the file." },
          {
            type: "tool_use",
            id: "toolu_view_1",
            name: "str_replace_based_edit_tool",
            input: viewCall,
          },
        ],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "toolu_view_1", content: "1: export {};\n" }],
      },
    ],
  });
});
