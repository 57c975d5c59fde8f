/**
 * The error taxonomy. Library code throws these; only `bin/` turns them into an exit code.
 *
 * - `SpeError`: expected; the message is ready for the user and carries its exit code.
 * - `GitError`: a git invocation failed unexpectedly (argv, exit code, stderr).
 * - `ProviderError`: a model back end failed (provider, HTTP status, whether retrying may help).
 * - `InternalError`: a bug in git spe.
 */

export const ExitCode = {
  ok: 0,
  /** The work failed: validation failed, conflicts. */
  failed: 1,
  /** Usage or configuration error. */
  usage: 2,
  /** Environment error: not a repository, missing key, missing CLI, git too old. */
  environment: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface SpeErrorOptions {
  /** Lines printed after the message: what to do next. */
  hint?: string | string[];
  cause?: unknown;
}

export class SpeError extends Error {
  override name = "SpeError";
  readonly exitCode: ExitCode;
  readonly hints: string[];

  constructor(message: string, exitCode: ExitCode, options: SpeErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.exitCode = exitCode;
    this.hints = options.hint === undefined ? [] : [options.hint].flat();
  }
}

export function usageError(message: string, options?: SpeErrorOptions): SpeError {
  return new SpeError(message, ExitCode.usage, options);
}

export function environmentError(message: string, options?: SpeErrorOptions): SpeError {
  return new SpeError(message, ExitCode.environment, options);
}

export function workFailed(message: string, options?: SpeErrorOptions): SpeError {
  return new SpeError(message, ExitCode.failed, options);
}

/** A configuration that does not validate: one `path: message` line per problem. */
export class ConfigError extends SpeError {
  override name = "ConfigError";
  readonly problems: string[];
  /** The config file, absolute; undefined when the problem is not tied to one file. */
  readonly file: string | undefined;

  constructor(
    headline: string,
    problems: string[],
    options: SpeErrorOptions & { file?: string } = {},
  ) {
    super([headline, ...problems.map((p) => `  ${p}`)].join("\n"), ExitCode.usage, options);
    this.problems = problems;
    this.file = options.file;
  }
}

/** A subcommand that exists in the CLI surface but has not been built yet. */
export function notImplemented(command: string): SpeError {
  return new SpeError(`git spe ${command}: not implemented yet`, ExitCode.usage, {
    hint: "This subcommand is part of the design but not built in this version.",
  });
}

export class GitError extends Error {
  override name = "GitError";
  readonly argv: readonly string[];
  readonly exitCode: number | undefined;
  readonly stderr: string;

  constructor(argv: readonly string[], exitCode: number | undefined, stderr: string) {
    const firstLine = stderr.trim().split("\n")[0] ?? "";
    super(
      `git ${argv.join(" ")} failed` +
        (exitCode === undefined ? "" : ` (exit ${exitCode})`) +
        (firstLine ? `: ${firstLine}` : ""),
    );
    this.argv = argv;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

export class ProviderError extends Error {
  override name = "ProviderError";
  readonly provider: string;
  readonly status: number | undefined;
  readonly retryable: boolean;

  constructor(
    provider: string,
    message: string,
    options: { status?: number; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(`${provider}: ${message}`, { cause: options.cause });
    this.provider = provider;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
  }
}

export class InternalError extends Error {
  override name = "InternalError";
}

/** True for the error an aborted AbortSignal produces, whoever threw it. */
export function isAbortError(error: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  return error instanceof Error && (error.name === "AbortError" || error.name === "Interrupted");
}
