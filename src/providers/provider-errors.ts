/** Helpers shared by the back ends to turn failures into one-line `ProviderError`s. */
import { ProviderError } from "../errors.ts";

/** Collapses whitespace and truncates, so an API's message fits on one line. */
export function oneLine(text: string, max = 400): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** "0.5 s", "600 s": a timeout as configured (timeoutSec may be fractional). */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** Statuses worth retrying: timeouts, lock conflicts, rate limits, server errors, overload. */
export function isRetryableStatus(status: number | undefined): boolean {
  return (
    status === 408 || status === 409 || status === 429 || (status !== undefined && status >= 500)
  );
}

/** The error an aborted call rejects with: the signal's reason, like `fetch` and execa do. */
export function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/** `provider: HTTP 400 invalid_request_error: <the API's message>` */
export function httpError(
  provider: string,
  status: number,
  message: string,
  options: { type?: string; cause?: unknown } = {},
): ProviderError {
  const kind = options.type ? `${options.type}: ` : "";
  return new ProviderError(provider, oneLine(`HTTP ${status} ${kind}${message}`), {
    status,
    retryable: isRetryableStatus(status),
    cause: options.cause,
  });
}

/** A call that timed out: `provider: no answer within 600 s`. */
export function noAnswerWithin(
  provider: string,
  timeoutMs: number,
  cause?: unknown,
): ProviderError {
  return new ProviderError(provider, `no answer within ${seconds(timeoutMs)}`, {
    retryable: true,
    cause,
  });
}

/** A connection failure: `provider: cannot reach <where>: <why>`. */
export function cannotReach(provider: string, where: string, cause: unknown): ProviderError {
  return new ProviderError(provider, oneLine(`cannot reach ${where}: ${messageOf(cause)}`), {
    retryable: true,
    cause,
  });
}

/** A streamed answer that stopped before the protocol's end marker. */
export function truncatedStream(provider: string, detail: string, cause?: unknown): ProviderError {
  return new ProviderError(
    provider,
    oneLine(
      `the answer stream was cut off before it finished (${detail}); no partial answer is used`,
    ),
    { retryable: true, cause },
  );
}

/** The message of an unknown thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}
