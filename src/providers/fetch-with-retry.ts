/**
 * `fetch` with the retry policy the official SDKs use, for back ends that have no SDK here
 * (OpenAI-compatible servers): retry 408, 409, 429, 5xx and connection failures, waiting what
 * `retry-after-ms` / `retry-after` say, else exponential backoff with jitter. Each attempt's
 * timeout covers the wait for the response headers; the caller bounds reading the body.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { isRetryableStatus } from "./provider-errors.ts";

export interface RetryPolicy {
  maxRetries: number;
  timeoutMs: number;
  firstDelayMs: number;
  signal?: AbortSignal;
  /** Told before each retry: why (a status or an error message) and how long it waits. */
  onRetry?: (reason: string, waitMs: number) => void;
}

export class AttemptTimeout extends Error {
  override name = "AttemptTimeout";
}

/** Milliseconds the server asked us to wait, if it said so in a usable form. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = headers.get("retry-after");
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  const wait = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  return Number.isFinite(wait) && wait > 0 && wait <= 60_000 ? wait : undefined;
}

function backoffMs(policy: RetryPolicy, retry: number): number {
  const base = Math.min(policy.firstDelayMs * 2 ** retry, 8 * policy.firstDelayMs, 60_000);
  return base * (1 - Math.random() * 0.25);
}

async function attempt(url: string, init: RequestInit, policy: RetryPolicy): Promise<Response> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new AttemptTimeout()), policy.timeoutMs);
  const signal = policy.signal ? AbortSignal.any([policy.signal, timeout.signal]) : timeout.signal;
  try {
    return await fetch(url, { ...init, signal });
  } catch (error) {
    if (timeout.signal.aborted && !policy.signal?.aborted) throw timeout.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves to the first response that is not worth retrying (a success or a final error), or
 * the last one when retries run out. Rejects on abort, or when the last attempt failed to
 * connect or timed out.
 */
export async function fetchWithRetry(
  url: string,
  init: RequestInit,
  policy: RetryPolicy,
): Promise<Response> {
  for (let retry = 0; ; retry++) {
    const last = retry >= policy.maxRetries;
    let wait: number;
    let reason: string;
    try {
      const response = await attempt(url, init, policy);
      if (response.ok || last || !isRetryableStatus(response.status)) return response;
      wait = retryAfterMs(response.headers) ?? backoffMs(policy, retry);
      reason = `HTTP ${response.status}`;
      await response.body?.cancel();
    } catch (error) {
      if (policy.signal?.aborted || last) throw error;
      wait = backoffMs(policy, retry);
      reason = error instanceof Error ? error.message : String(error);
    }
    policy.onRetry?.(reason, wait);
    await sleep(wait, undefined, { signal: policy.signal });
  }
}
