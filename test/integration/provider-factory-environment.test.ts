/**
 * createProvider resolves a model reference against config and environment: a missing key or
 * agent CLI is an exit-3 error that says what to set or install; base URLs come from config,
 * else the standard variables; a custom apiKeyEnv is honoured; a bad reference is exit 2.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import { ExitCode, SpeError } from "../../src/errors.ts";
import { createProvider } from "../../src/providers/create-provider.ts";
import { pathWithoutAgentClis } from "../helpers/fake-cli.ts";
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

async function speError(promise: Promise<unknown>): Promise<SpeError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SpeError);
  return error as SpeError;
}

describe("missing keys", () => {
  it.each([
    ["anthropic", "ANTHROPIC_API_KEY"],
    ["google:gemini-2.5-pro", "GEMINI_API_KEY or GOOGLE_API_KEY"],
    ["openai:gpt-5.1", "OPENAI_API_KEY"],
  ])("%s names %s", async (ref, variables) => {
    const error = await speError(
      createProvider(ref, configSchema.parse({}), { ANTHROPIC_API_KEY: "" }),
    );
    expect(error.exitCode).toBe(ExitCode.environment);
    expect(error.message).toBe(
      `${ref.split(":")[0]}: no API key; set ${variables} in the environment`,
    );
    expect(error.hints.join("\n")).toContain("apiKeyEnv");
  });

  it("names the variable config apiKeyEnv chose", async () => {
    const config = configSchema.parse({
      providers: { anthropic: { apiKeyEnv: "WORK_CLAUDE_KEY" } },
    });
    const error = await speError(
      createProvider("anthropic", config, { ANTHROPIC_API_KEY: "ignored-dummy" }),
    );
    expect(error.message).toBe("anthropic: no API key; set WORK_CLAUDE_KEY in the environment");
  });

  it("reads the key from the apiKeyEnv variable", async () => {
    server.reply("anthropic", mockReply.text("ok"));
    const config = configSchema.parse({
      providers: { anthropic: { apiKeyEnv: "WORK_CLAUDE_KEY", baseUrl: server.anthropicBaseUrl } },
    });
    const provider = await createProvider("anthropic", config, {
      WORK_CLAUDE_KEY: "sk-work-dummy",
    });
    await provider.call({ system: "", prompt: "hi" });
    expect(server.requestsTo("anthropic").at(-1)!.headers.authorization).toBe(
      "Bearer sk-work-dummy",
    );
  });

  it("GOOGLE_API_KEY is accepted when GEMINI_API_KEY is unset", async () => {
    server.reply("gemini", mockReply.text("ok"));
    const env = {
      GOOGLE_API_KEY: "AIza-google-dummy",
      GOOGLE_GEMINI_BASE_URL: server.geminiBaseUrl,
    };
    await (
      await createProvider("google", configSchema.parse({}), env)
    ).call({ system: "", prompt: "hi" });
    expect(server.requestsTo("gemini").at(-1)!.headers["x-goog-api-key"]).toBe("AIza-google-dummy");
  });

  it("a local OpenAI-compatible server needs no key", async () => {
    const config = configSchema.parse({
      providers: { openai: { baseUrl: "http://127.0.0.1:11434/v1" } },
    });
    await expect(createProvider("openai:llama3.3", config, {})).resolves.toMatchObject({
      model: "llama3.3",
    });
  });
});

describe("base URLs", () => {
  it("takes ANTHROPIC_BASE_URL from the environment", async () => {
    server.reply("anthropic", mockReply.text("via env"));
    const env = { ANTHROPIC_API_KEY: "k-dummy", ANTHROPIC_BASE_URL: server.anthropicBaseUrl };
    const provider = await createProvider("anthropic", configSchema.parse({}), env);
    expect((await provider.call({ system: "", prompt: "hi" })).text).toBe("via env");
  });

  it("prefers config providers.<name>.baseUrl over the variable", async () => {
    server.reply("gemini", mockReply.text("via config"));
    const config = configSchema.parse({ providers: { google: { baseUrl: server.geminiBaseUrl } } });
    const env = { GEMINI_API_KEY: "k-dummy", GOOGLE_GEMINI_BASE_URL: "http://127.0.0.1:9/unused" };
    expect(
      (await (await createProvider("google", config, env)).call({ system: "", prompt: "hi" })).text,
    ).toBe("via config");
  });
});

describe("agent CLIs", () => {
  it.each([
    ["claude-code", "claude", "@anthropic-ai/claude-code"],
    ["gemini-cli", "gemini", "@google/gemini-cli"],
  ])("a missing %s names the package to install", async (ref, bin, pkg) => {
    const error = await speError(
      createProvider(ref, configSchema.parse({}), { PATH: pathWithoutAgentClis() }),
    );
    expect(error.exitCode).toBe(ExitCode.environment);
    expect(error.message).toBe(`${ref}: the "${bin}" CLI is not on PATH; install ${pkg}`);
    expect(error.hints).toEqual([`npm install -g ${pkg}`]);
  });
});

describe("model references", () => {
  it.each([
    ["mystery:model-x", /unknown model provider "mystery"/],
    ["openai", /names no model: write openai:<model>/],
    ["Anthropic:x", /not a model reference/],
  ])("%s is a usage error", async (ref, message) => {
    const error = await speError(
      createProvider(ref, configSchema.parse({}), { OPENAI_API_KEY: "k-dummy" }),
    );
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toMatch(message);
  });
});
