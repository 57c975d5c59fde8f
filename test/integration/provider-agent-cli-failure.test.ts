/**
 * A failing agent CLI run is a ProviderError carrying what the CLI said: `is_error` results,
 * error subtypes, non-zero exits with only stderr, Gemini's JSON error object, and output that
 * is not what the CLI should print.
 */
import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import { ProviderError } from "../../src/errors.ts";
import { createProvider } from "../../src/providers/create-provider.ts";
import { setupFakeCli, type FakeCliInvocation } from "../helpers/fake-cli.ts";
import { withTempDir } from "../helpers/git-repo.ts";

async function failure(ref: string, invocation: FakeCliInvocation): Promise<ProviderError> {
  return withTempDir(async (dir) => {
    const cli = await setupFakeCli(dir, [invocation]);
    const provider = await createProvider(ref, configSchema.parse({}), cli.env, { cwd: dir });
    const error = await provider.call({ system: "", prompt: "Do it." }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  });
}

describe("claude-code failures", () => {
  it("is_error: the CLI's result message", async () => {
    const error = await failure("claude-code", {
      isError: true,
      result: "Invalid API key · Please run /login",
    });
    expect(error.message).toBe("claude-code: Invalid API key · Please run /login");
  });

  it("an error subtype: the subtype and its errors", async () => {
    const error = await failure("claude-code", {
      subtype: "error_max_turns",
      errors: ["Reached maximum number of turns (30)"],
    });
    expect(error.message).toBe(
      "claude-code: error_max_turns: Reached maximum number of turns (30)",
    );
  });

  it("a non-zero exit without a result: the last stderr line", async () => {
    const error = await failure("claude-code", {
      stdout: "",
      stderr: "starting\nError: connect ECONNREFUSED 127.0.0.1:443",
      exitCode: 1,
    });
    expect(error.message).toBe("claude-code: Error: connect ECONNREFUSED 127.0.0.1:443");
  });

  it("a clean exit without a result event", async () => {
    const error = await failure("claude-code", { stdout: "not json at all\n" });
    expect(error.message).toBe("claude-code: the CLI ended without a result event (exit 0)");
  });
});

describe("gemini-cli failures", () => {
  it("the JSON error object on stdout, where 0.61 prints it", async () => {
    const error = await failure("gemini-cli", {
      isError: true,
      result: "Quota exceeded for quota metric 'Generate Content API requests'",
      errorCode: 429,
    });
    expect(error.message).toBe(
      "gemini-cli: ApiError: Quota exceeded for quota metric 'Generate Content API requests'",
    );
  });

  it("a non-zero exit with plain stderr", async () => {
    const error = await failure("gemini-cli", {
      stdout: "",
      // The real CLI colours this line; the colour codes are not part of the message.
      stderr: "\u001b[31mPlease set an Auth method in your settings.json\u001b[0m",
      exitCode: 41,
    });
    expect(error.message).toBe("gemini-cli: Please set an Auth method in your settings.json");
  });

  it("an answer that is not the JSON output", async () => {
    const error = await failure("gemini-cli", { stdout: "Sure! Here you go.\n" });
    expect(error.message).toBe("gemini-cli: the CLI printed no JSON answer (exit 0)");
  });
});
