/**
 * A streamed answer that stops before the protocol's end marker (message_stop, a final
 * finishReason, finish_reason/[DONE]) is an error, never a silent partial answer: whether the
 * connection drops or the server just ends the response early.
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

const text = "This answer is long enough to arrive in several chunks before it is cut.";
const cases: { ref: string; api: MockApi; keep: number }[] = [
  { ref: "anthropic", api: "anthropic", keep: 6 },
  { ref: "google", api: "gemini", keep: 3 },
  { ref: "openai:local", api: "openai", keep: 4 },
];

describe.each(cases)("$ref", ({ ref, api, keep }) => {
  const run = async () => {
    const config = configSchema.parse({
      providers: {
        anthropic: { baseUrl: server.anthropicBaseUrl, maxRetries: 0 },
        google: { baseUrl: server.geminiBaseUrl, maxRetries: 0 },
        openai: { baseUrl: server.openaiBaseUrl, maxRetries: 0 },
      },
    });
    const provider = await createProvider(ref, config, {
      ANTHROPIC_API_KEY: "k-dummy",
      GEMINI_API_KEY: "k-dummy",
    });
    const deltas: string[] = [];
    const error = await provider
      .call({ system: "s", prompt: "p", onText: (d) => deltas.push(d) })
      .then(
        () => new Error("resolved with a partial answer"),
        (e: unknown) => e,
      );
    return { error, deltas };
  };

  it("rejects when the connection drops mid-stream", async () => {
    server.reply(api, mockReply.text(text, { truncateAfterEvents: keep }));
    const { error, deltas } = await run();
    expect(deltas.join("").length).toBeGreaterThan(0); // part of the answer did arrive
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toMatch(
      new RegExp(`^${ref.split(":")[0]}: the answer stream was cut off`),
    );
    expect((error as ProviderError).retryable).toBe(true);
  });

  it("rejects when the server ends the response before the end marker", async () => {
    server.reply(api, mockReply.text(text, { endAfterEvents: keep }));
    const { error, deltas } = await run();
    expect(deltas.join("")).not.toBe(text);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toMatch(/cut off|ended without/);
  });
});
