/**
 * Prompt-cache breakpoints for a long tool loop. Anthropic caches the request prefix up to each
 * `cache_control` block (tools, then system, then messages) and allows at most 4 breakpoints
 * per request. The executor marks the stable start — the system text and the first user
 * message (spec, plan, step, files) — once, and moves the remaining breakpoints along the
 * conversation: the last block of each of the most recent tool-result messages. The newest one
 * writes this turn's prefix to the cache; the one before it is the fallback read when a turn
 * added more blocks than the API's 20-block lookback. `cache_control` is not part of the cache
 * key, so removing an old marker does not invalidate what it cached.
 * Docs: https://platform.claude.com/docs/en/build-with-claude/prompt-caching
 */
import type Anthropic from "@anthropic-ai/sdk";
import { ephemeral } from "../providers/anthropic-turn.ts";

export const maxCacheBreakpoints = 4;

/**
 * Marks the last block of the last `count` user messages after the first one and clears the
 * mark on the earlier ones. Mutates `messages`.
 */
export function moveCacheBreakpoints(messages: Anthropic.MessageParam[], count: number): void {
  const candidates = messages
    .map((message, index) => ({ message, index }))
    .filter(({ message, index }) => index > 0 && message.role === "user")
    .map(({ message }) => message.content)
    .filter((content): content is Anthropic.ContentBlockParam[] => Array.isArray(content));
  candidates.forEach((content, i) => {
    const last = content.at(-1);
    if (!last || (last.type !== "tool_result" && last.type !== "text")) return;
    if (i >= candidates.length - count) last.cache_control = ephemeral;
    else delete last.cache_control;
  });
}

/** How many breakpoints remain for the conversation when `fixed` are spent on its start. */
export function movingBreakpoints(fixed: number): number {
  return Math.max(0, maxCacheBreakpoints - fixed);
}
