/**
 * An error sent inside a 200 stream (Anthropic's `event: error` with overloaded_error, a Gemini
 * or OpenAI error chunk) fails the call with the API's message, after partial text arrived.
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

const cases: { ref: string; api: MockApi; afterEvents: number; expected: string }[] = [
  {
    ref: "anthropic",
    api: "anthropic",
    afterEvents: 4,
    expected: "anthropic: overloaded_error during the answer: Overloaded",
  },
  {
    ref: "google",
    api: "gemini",
    afterEvents: 1,
    expected: "google: HTTP 503 UNAVAILABLE: Overloaded",
  },
  {
    ref: "openai:local",
    api: "openai",
    afterEvents: 2,
    expected: "openai: error during the answer: Overloaded",
  },
];

describe.each(cases)("$ref", ({ ref, api, afterEvents, expected }) => {
  it("fails with the error the stream carried", async () => {
    server.reply(
      api,
      mockReply.text("Partial words before the server gives up.", {
        streamError: {
          afterEvents,
          status: 503,
          message: "Overloaded",
          errorType: api === "anthropic" ? "overloaded_error" : undefined,
        },
      }),
    );
    const config = configSchema.parse({
      providers: {
        anthropic: { baseUrl: server.anthropicBaseUrl },
        google: { baseUrl: server.geminiBaseUrl },
        openai: { baseUrl: server.openaiBaseUrl },
      },
    });
    const provider = await createProvider(ref, config, {
      ANTHROPIC_API_KEY: "k-dummy",
      GEMINI_API_KEY: "k-dummy",
    });
    const deltas: string[] = [];
    const error = await provider
      .call({ system: "s", prompt: "p", onText: (d) => deltas.push(d) })
      .catch((e: unknown) => e);
    expect(deltas.length).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toBe(expected);
    expect((error as ProviderError).retryable).toBe(true);
  });
});
