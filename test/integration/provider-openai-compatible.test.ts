/**
 * The openai back end against any /v1/chat/completions server: a local server needs no key
 * (no Authorization header at all), OpenAI's gets `Authorization: Bearer`; streaming asks for
 * usage; JSON goes through response_format json_schema; config prices give an unknown model a
 * cost.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import { createProvider } from "../../src/providers/create-provider.ts";
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

describe("openai-compatible provider", () => {
  it("talks to a keyless local server and streams with usage", async () => {
    server.reply(
      "openai",
      mockReply.text("Local models work too.", { usage: { input: 50, cacheRead: 30, output: 6 } }),
    );
    const config = configSchema.parse({
      providers: { openai: { baseUrl: server.openaiBaseUrl } },
      prices: { "openai:llama3.3": { input: 0.5, output: 1, cacheRead: 0.25 } },
    });
    const provider = await createProvider("openai:llama3.3", config, {});
    const deltas: string[] = [];
    const result = await provider.call({
      system: "Be brief.",
      context: "ctx",
      prompt: "Hi",
      onText: (d) => deltas.push(d),
    });

    expect(result.text).toBe("Local models work too.");
    expect(deltas.join("")).toBe(result.text);
    expect(deltas.length).toBeGreaterThan(1);
    expect(result).toMatchObject({
      provider: "openai",
      model: "llama3.3",
      stopReason: "stop",
      usage: { inputTokens: 50, outputTokens: 6, cacheReadTokens: 30, cacheWriteTokens: 0 },
    });
    expect(result.costUsd).toBeCloseTo((50 * 0.5 + 6 * 1 + 30 * 0.25) / 1e6, 12);

    const [request] = server.requestsTo("openai");
    expect(request!.path).toBe("/v1/chat/completions");
    expect(request!.headers).not.toHaveProperty("authorization");
    expect(request!.body).toEqual({
      model: "llama3.3",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "ctx" },
        { role: "user", content: "Hi" },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("asks for JSON with response_format and sends the key as a bearer token", async () => {
    server.reply("openai", mockReply.text('{"ok":true}'));
    const config = configSchema.parse({ providers: { openai: { baseUrl: server.openaiBaseUrl } } });
    const provider = await createProvider("openai:gpt-5.1", config, {
      OPENAI_API_KEY: "sk-dummy-openai-0005",
    });
    const schema = { type: "object", properties: { ok: { type: "boolean" } } };
    const result = await provider.call({
      system: "",
      prompt: "JSON please",
      jsonSchema: { name: "answer", schema },
      maxOutputTokens: 100,
    });

    expect(result.json).toEqual({ ok: true });
    expect(result.costUsd).toBeUndefined(); // no price known for this model
    const request = server.requestsTo("openai").at(-1)!;
    expect(request.headers.authorization).toBe("Bearer sk-dummy-openai-0005");
    expect(request.body).toEqual({
      model: "gpt-5.1",
      messages: [{ role: "user", content: "JSON please" }],
      max_tokens: 100,
      response_format: { type: "json_schema", json_schema: { name: "answer", schema } },
    });
  });

  it("takes the base URL from OPENAI_BASE_URL", async () => {
    server.reply("openai", mockReply.text("via env"));
    const provider = await createProvider("openai:qwen3", configSchema.parse({}), {
      OPENAI_BASE_URL: server.openaiBaseUrl,
    });
    expect((await provider.call({ system: "", prompt: "x" })).text).toBe("via env");
  });
});
