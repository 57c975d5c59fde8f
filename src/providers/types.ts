/**
 * One interface for a model call, whatever answers it: an HTTP API through its official SDK
 * (anthropic, google, openai-compatible) or a headless agent CLI (claude-code, gemini-cli).
 */

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the provider's prompt cache. */
  cacheReadTokens: number;
  /** Input tokens written to the provider's prompt cache. */
  cacheWriteTokens: number;
  /** Of `outputTokens`, the model's thinking, where the provider reports it. */
  thinkingTokens?: number;
}

export interface JsonSchemaRequest {
  /** A short identifier ("plan"); used as the forced tool's name on Anthropic. */
  name: string;
  description?: string;
  /** A JSON Schema object (e.g. from `z.toJSONSchema`). */
  schema: Record<string, unknown>;
}

import type { Sandbox } from "../sandbox/sandbox.ts";

export interface ModelCallRequest {
  /** System instructions. Stable across calls of a phase, so cacheable. */
  system: string;
  /**
   * The packed repository context: large and stable, sent as its own part before `prompt` and
   * marked for prompt caching where the provider supports it.
   */
  context?: string;
  /** The task for this call, after the context. */
  prompt: string;
  /** When given, the answer must be JSON matching this schema; `json` then holds it parsed. */
  jsonSchema?: JsonSchemaRequest;
  maxOutputTokens?: number;
  signal?: AbortSignal;
  /** Streamed answer text as it arrives (progress display). */
  onText?: (delta: string) => void;
  /** Agent CLIs only: the directory the CLI runs in (the scratch worktree when executing). */
  cwd?: string;
  /** Agent CLIs executing a step: the worktree's sandbox the CLI runs in. */
  sandbox?: Sandbox;
}

export interface ModelCallResult {
  text: string;
  /**
   * The parsed JSON answer when `jsonSchema` was given and the answer is JSON. A model may
   * answer otherwise (prose, markdown, a cut-off answer): then `json` is undefined, `jsonError`
   * says why, and `text` holds what it said, for the caller to judge or to ask for a repair.
   */
  json?: unknown;
  jsonError?: string;
  usage: ModelUsage;
  /** USD; undefined when the model's price is unknown (never a guessed number). */
  costUsd: number | undefined;
  provider: string;
  model: string;
  durationMs: number;
  /** Provider's reason the answer ended ("end_turn", "max_tokens", "STOP", …). */
  stopReason?: string;
}

export interface ModelProvider {
  /** "anthropic", "google", "openai", "claude-code", "gemini-cli" or a plugin's kind. */
  readonly provider: string;
  readonly model: string;
  call(request: ModelCallRequest): Promise<ModelCallResult>;
}

export const emptyUsage = (): ModelUsage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
});

export function addUsage(a: ModelUsage, b: ModelUsage): ModelUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    ...(a.thinkingTokens || b.thinkingTokens
      ? { thinkingTokens: (a.thinkingTokens ?? 0) + (b.thinkingTokens ?? 0) }
      : {}),
  };
}

/** Sums two costs in USD; unknown (undefined) if either is. */
export function addCost(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a + b;
}
