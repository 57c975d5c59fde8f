/** What an HTTP API back end is built from, after config and environment are resolved. */
import type { SpeConfig } from "../config/schema.ts";
import type { Logger } from "../log.ts";
import type { ThinkingSetting } from "./thinking.ts";

export interface ApiProviderSettings {
  model: string;
  /** Undefined: the SDK's own default endpoint. */
  baseUrl: string | undefined;
  /** Never logged, never put in an error message; sent only in the API's auth header. */
  apiKey: string | undefined;
  /** Per attempt. */
  timeoutMs: number;
  /** Retries after the first attempt, for rate limits, overload, 5xx and connection failures. */
  maxRetries: number;
  /** Config `prices` overrides. */
  prices: SpeConfig["prices"];
  /** First retry delay for back ends without `retry-after` handling of their own (tests shorten it). */
  retryDelayMs?: number;
  /** SDK diagnostics (retries, warnings) go to `log.debug`/`log.warn` when given. */
  log?: Logger;
  /** The phase's `thinking` (undefined: the model's default). */
  thinking?: ThinkingSetting;
}

export const defaultTimeoutSec = 600;
export const defaultMaxRetries = 4;
export const defaultRetryDelayMs = 1000;
/** Output budget when the caller sets none; streaming makes long answers safe. */
export const defaultMaxOutputTokens = 32_000;
