/**
 * One streamed Messages API turn: the unit both the `anthropic` provider and the built-in
 * executor's tool loop are made of. Given system, messages and tools (including Anthropic's
 * client tools `text_editor_20250728` / `bash_20250124`), it returns the final assistant
 * message with all its content blocks (text, tool_use), usage, cost and stop reason. The turn
 * is always streamed: long answers never hit the SDK's non-streaming limits, text arrives as
 * it is written, and an answer cut off before `message_stop` is an error, not a partial result.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { SpeConfig } from "../config/schema.ts";
import { anthropicError } from "./anthropic-errors.ts";
import { computeCost } from "./cost.ts";
import { findPrice } from "./prices.ts";
import { truncatedStream } from "./provider-errors.ts";
import type { ModelUsage } from "./types.ts";

export interface AnthropicTurnRequest {
  /** A string, or blocks (e.g. with `cache_control`). */
  system?: string | Anthropic.TextBlockParam[];
  messages: Anthropic.MessageParam[];
  tools?: Anthropic.ToolUnion[];
  toolChoice?: Anthropic.ToolChoice;
  outputConfig?: Anthropic.OutputConfig;
  maxTokens: number;
  signal?: AbortSignal;
  onText?: (delta: string) => void;
}

export interface AnthropicTurnResult {
  /** The complete assistant message; append it to `messages` for the next turn. */
  message: Anthropic.Message;
  usage: ModelUsage;
  /** USD; undefined when the model's price is unknown. */
  costUsd: number | undefined;
  /** "end_turn", "tool_use", "max_tokens", "refusal", … */
  stopReason: string;
  model: string;
  durationMs: number;
}

export interface AnthropicTurnContext {
  client: Anthropic;
  model: string;
  prices: SpeConfig["prices"];
  timeoutMs: number;
}

export function usageOf(usage: Anthropic.Usage): ModelUsage {
  return {
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    cacheReadTokens: usage.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
  };
}

export async function runAnthropicTurn(
  context: AnthropicTurnContext,
  request: AnthropicTurnRequest,
): Promise<AnthropicTurnResult> {
  const { client, model } = context;
  const { signal } = request;
  signal?.throwIfAborted();
  const started = performance.now();
  let message: Anthropic.Message;
  try {
    const stream = client.messages.stream(
      {
        model,
        max_tokens: request.maxTokens,
        messages: request.messages,
        ...(request.system === undefined ? {} : { system: request.system }),
        ...(request.tools ? { tools: request.tools } : {}),
        ...(request.toolChoice ? { tool_choice: request.toolChoice } : {}),
        ...(request.outputConfig ? { output_config: request.outputConfig } : {}),
      },
      { signal },
    );
    if (request.onText) stream.on("text", request.onText);
    message = await stream.finalMessage();
  } catch (error) {
    throw anthropicError(error, { signal, timeoutMs: context.timeoutMs });
  }
  // finalMessage() only resolves after message_stop; a missing stop reason would mean the
  // message_delta never came, which a well-formed stream cannot do.
  if (!message.stop_reason) throw truncatedStream("anthropic", "no stop_reason");
  const usage = usageOf(message.usage);
  return {
    message,
    usage,
    costUsd: computeCost(usage, findPrice("anthropic", model, context.prices)),
    stopReason: message.stop_reason,
    model: message.model || model,
    durationMs: Math.round(performance.now() - started),
  };
}
