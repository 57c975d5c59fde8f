/**
 * Maps what `@anthropic-ai/sdk` throws to our errors. The SDK has already retried what it
 * retries (408, 409, 429, 5xx, 529 and connection failures, honouring `retry-after`), so
 * anything reaching here is final.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from "@anthropic-ai/sdk";
import { ProviderError } from "../errors.ts";
import {
  abortError,
  cannotReach,
  httpError,
  messageOf,
  noAnswerWithin,
  oneLine,
  truncatedStream,
} from "./provider-errors.ts";

const provider = "anthropic";

interface AnthropicErrorBody {
  error?: { type?: string; message?: string };
}

export function anthropicError(
  error: unknown,
  context: { signal?: AbortSignal; timeoutMs: number },
): unknown {
  if (context.signal?.aborted) return abortError(context.signal);
  if (error instanceof ProviderError) return error;
  if (error instanceof APIUserAbortError)
    return new DOMException("This operation was aborted", "AbortError");
  if (error instanceof APIConnectionTimeoutError)
    return noAnswerWithin(provider, context.timeoutMs, error);
  if (error instanceof APIConnectionError) return cannotReach(provider, "the API", error);
  if (error instanceof APIError) {
    const body = error.error as AnthropicErrorBody | undefined;
    const detail = body?.error;
    if (error.status === undefined) {
      // An `event: error` inside an otherwise successful stream (e.g. overloaded mid-answer).
      return new ProviderError(
        provider,
        oneLine(
          `${detail?.type ?? "error"} during the answer: ${detail?.message ?? error.message}`,
        ),
        {
          retryable: detail?.type === "overloaded_error" || detail?.type === "api_error",
          cause: error,
        },
      );
    }
    // Without a JSON error body the SDK's message is "<status> <body or reason>".
    const message = detail?.message ?? error.message.replace(/^\d{3} /, "");
    return httpError(provider, error.status, message, {
      type: detail?.type,
      cause: error,
    });
  }
  // Anything else while reading the stream (the socket closed, "terminated") is a cut-off answer.
  return truncatedStream(provider, oneLine(messageOf(error), 200), error);
}
