import { describe, expect, it } from "vitest";
import { describeError, reportError } from "../../src/cli/report-error.ts";
import {
  ConfigError,
  GitError,
  ProviderError,
  environmentError,
  notImplemented,
  usageError,
  workFailed,
} from "../../src/errors.ts";
import { createMemoryLogger } from "../../src/log.ts";

describe("the top-level error mapper", () => {
  it.each([
    [usageError("bad flag"), "usage", 2],
    [new ConfigError("invalid configuration in x:", ["store: nope"]), "config", 2],
    [notImplemented("spec"), "usage", 2],
    [environmentError("not a git repository"), "environment", 3],
    [workFailed("validation failed"), "failed", 1],
    [new GitError(["merge"], 1, "conflict"), "git", 1],
    [new ProviderError("anthropic", "400 bad request", { status: 400 }), "provider", 1],
    [new TypeError("x is undefined"), "internal", 1],
  ])("maps %s", (error, kind, exitCode) => {
    expect(describeError(error)).toMatchObject({ kind, exitCode });
  });

  it("maps anything thrown after an abort to 130", () => {
    const controller = new AbortController();
    controller.abort();
    expect(describeError(new Error("socket closed"), controller.signal)).toMatchObject({
      kind: "interrupted",
      exitCode: 130,
    });
  });

  it("prints the message and hints on stderr and a JSON document under --json", () => {
    const log = createMemoryLogger({ json: true });
    const code = reportError(
      environmentError("not a git repository: /x", { hint: "run git init" }),
      log,
      { debug: false },
    );
    expect(code).toBe(3);
    expect(log.lines).toEqual([
      { level: "error", text: "not a git repository: /x" },
      { level: "info", text: "hint: run git init" },
    ]);
    expect(log.jsonValues).toEqual([
      {
        ok: false,
        error: {
          kind: "environment",
          message: "not a git repository: /x",
          hints: ["run git init"],
          exitCode: 3,
        },
      },
    ]);
  });

  it("hints at the key for a 401, at the retry settings for a retryable failure, none for a 400", () => {
    const hints = (error: ProviderError) => describeError(error).hints;
    expect(hints(new ProviderError("google", "HTTP 401 x", { status: 401 }))).toEqual([
      "Check the google API key: keys are read only from the environment (providers.google.apiKeyEnv names another variable).",
    ]);
    expect(hints(new ProviderError("openai", "no answer within 5 s", { retryable: true }))).toEqual(
      [
        "Try again in a while. providers.openai.maxRetries and providers.openai.timeoutSec in .spe.config.ts set how often a failed call is retried and how long an answer is waited for.",
      ],
    );
    expect(hints(new ProviderError("claude-code", "no answer", { retryable: true }))).toEqual([
      "Try again in a while. providers.claude-code.timeoutSec in .spe.config.ts sets how long the agent may run.",
    ]);
    expect(hints(new ProviderError("anthropic", "HTTP 400 bad", { status: 400 }))).toEqual([]);
    expect(hints(new ProviderError("my-plugin", "down", { retryable: true }))).toEqual([]);
  });

  it("labels unexpected errors as bugs and says how to report them", () => {
    const report = describeError(new TypeError("boom"));
    expect(report.message).toBe("internal error: boom");
    expect(report.hints[0]).toMatch(/bug in git spe/);
  });
});
