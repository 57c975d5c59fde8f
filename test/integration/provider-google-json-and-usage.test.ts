/**
 * The google back end through the real @google/genai v2 client: system instruction, the
 * context as its own part before the prompt, JSON through responseMimeType + responseJsonSchema,
 * usage from usageMetadata (cached tokens split out, thinking billed as output), plain and
 * streamed answers, the key only in x-goog-api-key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import { createProvider } from "../../src/providers/create-provider.ts";
import {
  mockReply,
  startMockModelServer,
  type MockModelServer,
} from "../helpers/mock-model-server.ts";

const key = "AIza-dummy-google-0004";
let server: MockModelServer;
beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());

const provider = (ref = "google") =>
  createProvider(
    ref,
    configSchema.parse({ providers: { google: { baseUrl: server.geminiBaseUrl } } }),
    {
      GEMINI_API_KEY: key,
    },
  );

describe("google provider", () => {
  it("answers with JSON, system instruction and the context as its own part", async () => {
    const spec = { goal: "Add --dry-run", openQuestions: [] };
    server.reply(
      "gemini",
      mockReply.text(JSON.stringify(spec), {
        usage: { input: 1000, cacheRead: 9000, output: 200, thoughts: 300 },
      }),
    );
    const schema = { type: "object", properties: { goal: { type: "string" } }, required: ["goal"] };
    const result = await (
      await provider()
    ).call({
      system: "You write specs.",
      context: "<files/>",
      prompt: "Write the spec.",
      jsonSchema: { name: "spec", schema },
      maxOutputTokens: 4096,
    });

    expect(result.json).toEqual(spec);
    expect(result).toMatchObject({
      provider: "google",
      model: "gemini-2.5-pro",
      stopReason: "STOP",
      usage: { inputTokens: 1000, outputTokens: 500, cacheReadTokens: 9000, cacheWriteTokens: 0 },
    });
    // gemini-2.5-pro at or under 200k prompt tokens: $1.25 in, $10 out, $0.125 cached.
    expect(result.costUsd).toBeCloseTo((1000 * 1.25 + 500 * 10 + 9000 * 0.125) / 1e6, 12);

    const [request] = server.requestsTo("gemini");
    expect(request!.path).toBe("/v1beta/models/gemini-2.5-pro:generateContent");
    expect(request!.headers["x-goog-api-key"]).toBe(key);
    expect(request!.body).toEqual({
      contents: [{ role: "user", parts: [{ text: "<files/>" }, { text: "Write the spec." }] }],
      systemInstruction: { parts: [{ text: "You write specs." }], role: "user" },
      generationConfig: {
        maxOutputTokens: 4096,
        responseMimeType: "application/json",
        responseJsonSchema: schema,
      },
    });
  });

  it("streams over SSE when a text callback is given", async () => {
    server.reply(
      "gemini",
      mockReply.text("Streaming works across several chunks.", { usage: { input: 7, output: 9 } }),
    );
    const deltas: string[] = [];
    const result = await (
      await provider("google:gemini-2.5-flash")
    ).call({
      system: "",
      prompt: "Stream.",
      onText: (d) => deltas.push(d),
    });
    expect(result.text).toBe("Streaming works across several chunks.");
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe(result.text);
    expect(result.usage).toEqual({
      inputTokens: 7,
      outputTokens: 9,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
    expect(result.costUsd).toBeCloseTo((7 * 0.3 + 9 * 2.5) / 1e6, 12);
    expect(server.requestsTo("gemini").at(-1)!.path).toBe(
      "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
    );
  });

  it("prices a prompt over 200k tokens at the long-context rates", async () => {
    server.reply("gemini", mockReply.text("ok", { usage: { input: 250_000, output: 1000 } }));
    const result = await (await provider()).call({ system: "", prompt: "Big." });
    expect(result.costUsd).toBeCloseTo((250_000 * 2.5 + 1000 * 15) / 1e6, 12);
  });

  it("reports cost as unknown for a model without a price", async () => {
    server.reply("gemini", mockReply.text("ok"));
    const result = await (
      await provider("google:gemini-9-experimental")
    ).call({ system: "", prompt: "Hi." });
    expect(result.costUsd).toBeUndefined();
    expect(result.usage.inputTokens).toBe(10);
  });
});
