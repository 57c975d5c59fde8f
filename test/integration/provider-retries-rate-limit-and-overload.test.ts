/**
 * Rate limits and overload are retried inside the call: 429, then 529 (Anthropic's overloaded)
 * or 503, then success. The mock sees every attempt; the caller sees one answer.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
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

const config = () =>
  configSchema.parse({
    providers: {
      anthropic: { baseUrl: server.anthropicBaseUrl, maxRetries: 2 },
      google: { baseUrl: server.geminiBaseUrl, maxRetries: 2 },
      openai: { baseUrl: server.openaiBaseUrl, maxRetries: 2 },
    },
  });
const env = { ANTHROPIC_API_KEY: "sk-ant-dummy-retry", GEMINI_API_KEY: "AIza-dummy-retry" };
// Fast retries: the SDK honours retry-after-ms; the others use the first-delay option.
const quick = { headers: { "retry-after-ms": "10" } };

it("anthropic: 429, then 529 overloaded, then the answer", async () => {
  server.reply(
    "anthropic",
    mockReply.fault(429, "Number of request tokens has exceeded your per-minute rate limit", quick),
    mockReply.fault(529, "Overloaded", quick),
    mockReply.text("third time lucky"),
  );
  const provider = await createProvider("anthropic", config(), env);
  const result = await provider.call({ system: "s", prompt: "p" });
  expect(result.text).toBe("third time lucky");
  const attempts = server.requestsTo("anthropic");
  expect(attempts).toHaveLength(3);
  expect(attempts.map((r) => r.headers["x-stainless-retry-count"])).toEqual(["0", "1", "2"]);
  expect(server.pending("anthropic")).toBe(0);
});

it("google: 429, then 503, then the answer (explicit retry options)", async () => {
  server.reply(
    "gemini",
    mockReply.fault(429, "Resource exhausted"),
    mockReply.fault(503, "The model is overloaded"),
    mockReply.text("ok"),
  );
  const provider = await createProvider("google", config(), env, { retryDelayMs: 10 });
  expect((await provider.call({ system: "s", prompt: "p" })).text).toBe("ok");
  expect(server.requestsTo("gemini")).toHaveLength(3);
});

it("openai-compatible: 429 with retry-after, then 500, then the answer", async () => {
  server.reply(
    "openai",
    mockReply.fault(429, "Rate limit reached", { headers: { "retry-after": "0.01" } }),
    mockReply.fault(500, "boom"),
    mockReply.text("ok"),
  );
  const provider = await createProvider("openai:local", config(), {}, { retryDelayMs: 10 });
  expect((await provider.call({ system: "s", prompt: "p" })).text).toBe("ok");
  expect(server.requestsTo("openai")).toHaveLength(3);
});

it("gives up after maxRetries with the last error", async () => {
  server.reply(
    "anthropic",
    mockReply.fault(529, "Overloaded", quick),
    mockReply.fault(529, "Overloaded", quick),
    mockReply.fault(529, "Still overloaded", quick),
  );
  const before = server.requestsTo("anthropic").length;
  const provider = await createProvider("anthropic", config(), env);
  await expect(provider.call({ system: "s", prompt: "p" })).rejects.toMatchObject({
    name: "ProviderError",
    status: 529,
    retryable: true,
    message: "anthropic: HTTP 529 overloaded_error: Still overloaded",
  });
  expect(server.requestsTo("anthropic").length - before).toBe(3);
});
