/**
 * Structured output on Anthropic: a forced tool whose input is the JSON for models that accept
 * forcing a tool, and `output_config.format` for the 5-series, which answers a forced
 * tool_choice with a 400 (Sonnet 5.5, Opus 5.5) or thinks by default.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import { anthropicJsonMode } from "../../src/providers/anthropic.ts";
import { createProvider } from "../../src/providers/create-provider.ts";
import {
  mockReply,
  startMockModelServer,
  type MockModelServer,
} from "../helpers/mock-model-server.ts";

const env = { ANTHROPIC_API_KEY: "sk-ant-dummy-json-0002" };
const planSchema = {
  type: "object",
  properties: { title: { type: "string" }, steps: { type: "array", items: { type: "string" } } },
  required: ["title", "steps"],
};
const plan = { title: "Add a flag", steps: ["S1: parse it", "S2: use it"] };
let server: MockModelServer;
beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());

const providerFor = (ref: string) =>
  createProvider(
    ref,
    configSchema.parse({ providers: { anthropic: { baseUrl: server.anthropicBaseUrl } } }),
    env,
  );

describe("anthropic structured output", () => {
  it("forces the named tool and returns its input as the JSON", async () => {
    server.reply("anthropic", mockReply.toolCall("plan", plan));
    const provider = await providerFor("anthropic:claude-sonnet-4-6");
    const result = await provider.call({
      system: "Plan.",
      prompt: "Plan the change.",
      jsonSchema: { name: "plan", description: "The plan", schema: planSchema },
    });
    expect(result.json).toEqual(plan);
    expect(JSON.parse(result.text)).toEqual(plan);
    expect(result.stopReason).toBe("tool_use");
    expect(server.requestsTo("anthropic").at(-1)!.body).toMatchObject({
      tools: [{ name: "plan", description: "The plan", input_schema: planSchema }],
      tool_choice: { type: "tool", name: "plan" },
    });
  });

  it("says so, and passes the text on, when the model answers without calling the forced tool", async () => {
    server.reply("anthropic", mockReply.text("Here is a plan: …"));
    const provider = await providerFor("anthropic:claude-haiku-4-5");
    const result = await provider.call({
      system: "",
      prompt: "Plan.",
      jsonSchema: { name: "plan", schema: planSchema },
    });
    expect(result.json).toBeUndefined();
    expect(result.jsonError).toMatch(/did not call the "plan" tool/);
    expect(result.text).toBe("Here is a plan: …");
  });

  it("uses output_config.format on the 5-series (the default model)", async () => {
    expect(anthropicJsonMode("claude-sonnet-5-5")).toBe("output-format");
    server.reply("anthropic", mockReply.text(JSON.stringify(plan)));
    const provider = await providerFor("anthropic");
    const result = await provider.call({
      system: "Plan.",
      prompt: "Plan.",
      jsonSchema: { name: "plan", schema: planSchema },
    });
    expect(result.json).toEqual(plan);
    const body = server.requestsTo("anthropic").at(-1)!.body as Record<string, unknown>;
    expect(body.output_config).toEqual({ format: { type: "json_schema", schema: planSchema } });
    expect(body).not.toHaveProperty("tool_choice");
  });

  it("marks an answer that is not JSON, with the stop reason, instead of inventing JSON", async () => {
    server.reply("anthropic", mockReply.text('{"title": "cut', { stopReason: "max_tokens" }));
    const provider = await providerFor("anthropic:claude-opus-5-5");
    const result = await provider.call({
      system: "",
      prompt: "Plan.",
      jsonSchema: { name: "plan", schema: planSchema },
    });
    expect(result.json).toBeUndefined();
    expect(result.jsonError).toMatch(/not valid JSON \(stop reason: max_tokens\)/);
    expect(result.text).toBe('{"title": "cut');
  });
});
