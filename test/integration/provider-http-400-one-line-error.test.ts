/**
 * A request the API rejects (400) is not retried and surfaces as one ProviderError line:
 * provider, HTTP status, the error type and the API's own message.
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

const cases: { ref: string; api: MockApi; expected: string }[] = [
  {
    ref: "anthropic",
    api: "anthropic",
    expected:
      "anthropic: HTTP 400 invalid_request_error: max_tokens: 999999 > 128000, which is the maximum allowed",
  },
  {
    ref: "google",
    api: "gemini",
    expected:
      "google: HTTP 400 INVALID_ARGUMENT: max_tokens: 999999 > 128000, which is the maximum allowed",
  },
  {
    ref: "openai:local",
    api: "openai",
    expected:
      "openai: HTTP 400 invalid_request_error: max_tokens: 999999 > 128000, which is the maximum allowed",
  },
];

describe.each(cases)("$ref", ({ ref, api, expected }) => {
  it("reports a 400 as one line, without retrying", async () => {
    server.reply(
      api,
      mockReply.fault(400, "max_tokens: 999999 > 128000,\n which is the maximum allowed"),
    );
    const config = configSchema.parse({
      providers: {
        anthropic: { baseUrl: server.anthropicBaseUrl },
        google: { baseUrl: server.geminiBaseUrl },
        openai: { baseUrl: server.openaiBaseUrl },
      },
    });
    const provider = await createProvider(ref, config, {
      ANTHROPIC_API_KEY: "k1-dummy",
      GEMINI_API_KEY: "k2-dummy",
    });
    const before = server.requestsTo(api).length;
    const error = await provider
      .call({ system: "s", prompt: "p", maxOutputTokens: 999_999 })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toBe(expected);
    expect((error as ProviderError).message).not.toContain("\n");
    expect(error).toMatchObject({ status: 400, retryable: false });
    expect(server.requestsTo(api).length - before).toBe(1);
  });
});

it("a non-JSON error page (a proxy's 502) is still one line with its status once", async () => {
  server.reply(
    "anthropic",
    mockReply.fault(502, undefined, { body: "<html>\n<body>Bad gateway</body>\n</html>" }),
  );
  const config = configSchema.parse({
    providers: { anthropic: { baseUrl: server.anthropicBaseUrl, maxRetries: 0 } },
  });
  const provider = await createProvider("anthropic", config, { ANTHROPIC_API_KEY: "k1-dummy" });
  await expect(provider.call({ system: "s", prompt: "p" })).rejects.toMatchObject({
    message: "anthropic: HTTP 502 <html> <body>Bad gateway</body> </html>",
    status: 502,
    retryable: true,
  });
});
