/**
 * The one top-level error mapper: every error becomes a message on stderr (and a JSON error
 * document on stdout under --json) and an exit code.
 */
import { builtinProviders, isBuiltinProvider } from "../config/providers.ts";
import { ExitCode, GitError, ProviderError, SpeError, isAbortError } from "../errors.ts";
import type { Logger } from "../log.ts";

export interface ErrorReport {
  kind:
    "usage" | "config" | "environment" | "failed" | "git" | "provider" | "interrupted" | "internal";
  message: string;
  hints: string[];
  exitCode: number;
}

/** What to do about a model back end's failure: a bad key, or a failure worth waiting out. */
function providerHints(error: ProviderError): string[] {
  const name = error.provider;
  if (!isBuiltinProvider(name)) return [];
  const api = builtinProviders[name].kind === "api";
  if (api && (error.status === 401 || error.status === 403))
    return [
      `Check the ${name} API key: keys are read only from the environment (providers.${name}.apiKeyEnv names another variable).`,
    ];
  if (!error.retryable) return [];
  return [
    api
      ? `Try again in a while. providers.${name}.maxRetries and providers.${name}.timeoutSec in .spe.config.ts set how often a failed call is retried and how long an answer is waited for.`
      : `Try again in a while. providers.${name}.timeoutSec in .spe.config.ts sets how long the agent may run.`,
  ];
}

export function describeError(error: unknown, signal?: AbortSignal): ErrorReport {
  if (isAbortError(error, signal)) {
    return {
      kind: "interrupted",
      message: "interrupted",
      hints: [],
      exitCode: ExitCode.interrupted,
    };
  }
  if (error instanceof SpeError) {
    const kind =
      error.name === "ConfigError"
        ? "config"
        : error.exitCode === ExitCode.usage
          ? "usage"
          : error.exitCode === ExitCode.environment
            ? "environment"
            : "failed";
    return { kind, message: error.message, hints: error.hints, exitCode: error.exitCode };
  }
  if (error instanceof GitError) {
    return { kind: "git", message: error.message, hints: [], exitCode: ExitCode.failed };
  }
  if (error instanceof ProviderError) {
    return {
      kind: "provider",
      message: error.message,
      hints: providerHints(error),
      exitCode: ExitCode.failed,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    kind: "internal",
    message: `internal error: ${message}`,
    hints: [
      "This is a bug in git spe. Please report it with the command you ran and the output of git spe doctor --debug.",
    ],
    exitCode: ExitCode.failed,
  };
}

export function reportError(
  error: unknown,
  log: Logger,
  options: { debug: boolean; signal?: AbortSignal },
): number {
  const report = describeError(error, options.signal);
  log.error(report.message);
  for (const hint of report.hints) log.info(`hint: ${hint}`);
  if (error instanceof GitError && error.stderr.trim() !== "")
    log.debug(`git stderr:\n${error.stderr.trim()}`);
  if (options.debug && error instanceof Error && error.stack) log.debug(error.stack);
  log.json({ ok: false, error: report });
  return report.exitCode;
}
