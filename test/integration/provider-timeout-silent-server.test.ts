/**
 * `providers.<name>.timeoutSec` bounds a server that goes silent: one that never sends its
 * response headers, and one that stops mid-stream with the connection still open. Either way
 * the call fails with one line that says so, after the configured retries, instead of hanging.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import { ProviderError } from "../../src/errors.ts";
import { createProvider } from "../../src/providers/create-provider.ts";
import {
  mockReply,
  startMockModelServer,
  type MockApi,
  type MockModelServer,
} from "../helpers/mock-model-server.ts";

let server: MockModelServer;
beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());

const cases: { ref: string; api: MockApi; firstTextEvents: number }[] = [
  { ref: "anthropic", api: "anthropic", firstTextEvents: 4 },
  { ref: "google", api: "gemini", firstTextEvents: 1 },
  { ref: "openai:local", api: "openai", firstTextEvents: 2 },
];
const env = { ANTHROPIC_API_KEY: "sk-ant-dummy-timeout", GEMINI_API_KEY: "AIza-dummy-timeout" };

async function failure(ref: string, maxRetries: number) {
  const settings = { timeoutSec: 0.5, maxRetries };
  const config = configSchema.parse({
    providers: {
      anthropic: { baseUrl: server.anthropicBaseUrl, ...settings },
      google: { baseUrl: server.geminiBaseUrl, ...settings },
      openai: { baseUrl: server.openaiBaseUrl, ...settings },
    },
  });
  const provider = await createProvider(ref, config, env, { retryDelayMs: 10 });
  const deltas: string[] = [];
  const error = await provider
    .call({ system: "s", prompt: "p", onText: (d) => deltas.push(d) })
    .then(
      () => new Error("resolved"),
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(ProviderError);
  const message = (error as ProviderError).message;
  expect(message).not.toContain("\n");
  for (const key of Object.values(env)) expect(message).not.toContain(key);
  return { error: error as ProviderError, deltas };
}

describe.each(cases)("$ref", ({ ref, api, firstTextEvents }) => {
  it("gives up on a server that never answers, after its retries", async () => {
    const before = server.requestsTo(api).length;
    server.reply(
      api,
      mockReply.text("too late", { delayMs: 60_000 }),
      mockReply.text("too late", { delayMs: 60_000 }),
    );
    const { error } = await failure(ref, 1);
    expect(error.message).toBe(`${ref.split(":")[0]}: no answer within 0.5 s`);
    expect(error.retryable).toBe(true);
    expect(server.requestsTo(api).length - before).toBe(2);
    expect(server.pending(api)).toBe(0);
  });

  it("gives up on a stream that stalls with the connection open", async () => {
    server.reply(
      api,
      mockReply.text("Some words, then silence for good.", { stallAfterEvents: firstTextEvents }),
    );
    const { error, deltas } = await failure(ref, 0);
    expect(deltas.length).toBeGreaterThan(0);
    expect(error.message).toMatch(
      new RegExp(`^${ref.split(":")[0]}: (no answer within 0\\.5 s|.*no data for 0\\.5 s)`),
    );
    expect(error.retryable).toBe(true);
  });
});
