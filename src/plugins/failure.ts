/**
 * A plugin function that throws: one SpeError that names the plugin and what it was doing, so
 * the user knows whose code failed. The exit code is 1 (the work failed) unless the plugin threw
 * a SpeError of its own; an `error.hint` (string or lines) becomes the hint. Aborts pass through.
 */
import { ExitCode, isAbortError, SpeError } from "../errors.ts";

export function pluginFailure(
  plugin: string,
  doing: string,
  error: unknown,
  signal?: AbortSignal,
): unknown {
  if (isAbortError(error, signal)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const hint = (error as { hint?: unknown } | null)?.hint;
  const hints =
    typeof hint === "string" || (Array.isArray(hint) && hint.every((h) => typeof h === "string"))
      ? (hint as string | string[])
      : error instanceof SpeError && error.hints.length > 0
        ? error.hints
        : undefined;
  return new SpeError(
    `plugin "${plugin}" failed in ${doing}: ${message}`,
    error instanceof SpeError ? error.exitCode : ExitCode.failed,
    { cause: error, ...(hints ? { hint: hints } : {}) },
  );
}
