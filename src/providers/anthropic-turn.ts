/**
 * One streamed Messages API turn: the unit both the `anthropic` provider and the built-in
 * executor's tool loop are made of. Given system, messages and tools (including Anthropic's
 * client tools `text_editor_20250728` / `bash_20250124`), it returns the final assistant
 * message with all its content blocks (text, tool_use), usage, cost and stop reason. The turn
 * is always streamed: long answers never hit the SDK's non-streaming limits, text arrives as
 * it is written, and an answer cut off before `message_stop` — or silent for longer than the
 * timeout — is an error, not a partial result (anthropic-stream.ts reads the events).
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { SpeConfig } from "../config/schema.ts";
import { anthropicError } from "./anthropic-errors.ts";
import { computeCost } from "./cost.ts";
import { findPrice } from "./prices.ts";
import { readMessageStream, type StreamedMessage } from "./anthropic-stream.ts";
import { abortError, seconds, truncatedStream } from "./provider-errors.ts";
import { anthropicThinking, type ThinkingSetting } from "./thinking.ts";
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
  /**
   * tool_use id → why the input the model streamed for it is not JSON; such a block's `input`
   * is `{}`. The call must not be run: report it to the model.
   */
  invalidToolInputs: ReadonlyMap<string, string>;
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
  /** Config `thinking` of the phase: `thinking` and `output_config.effort` on every turn. */
  thinking?: ThinkingSetting;
}

/** `cache_control` of a block that ends a cached prefix (the default 5-minute TTL). */
export const ephemeral = { type: "ephemeral" } as const;

/** The text blocks of an answer, joined. */
export function messageText(message: Anthropic.Message): string {
  return message.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("");
}

export function usageOf(usage: Anthropic.Usage): ModelUsage {
  const thinking = usage.output_tokens_details?.thinking_tokens;
  return {
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    cacheReadTokens: usage.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
    ...(thinking ? { thinkingTokens: thinking } : {}),
  };
}

const stalled = (timeoutMs: number, cause?: unknown) =>
  truncatedStream("anthropic", `no data for ${seconds(timeoutMs)}`, cause);

export async function runAnthropicTurn(
  context: AnthropicTurnContext,
  request: AnthropicTurnRequest,
): Promise<AnthropicTurnResult> {
  const { client, model } = context;
  const { signal } = request;
  signal?.throwIfAborted();
  const started = performance.now();
  // Once the stream is open, each next event must come within the timeout (the SDK's own
  // timeout ends with the response headers).
  const idle = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), context.timeoutMs);
  };
  let streamed: StreamedMessage;
  const think = anthropicThinking(model, context.thinking, request.maxTokens);
  const outputConfig = think.effort
    ? { ...request.outputConfig, effort: think.effort }
    : request.outputConfig;
  try {
    const events = await client.messages.create(
      {
        model,
        max_tokens: think.maxTokens,
        messages: request.messages,
        stream: true,
        ...(request.system === undefined ? {} : { system: request.system }),
        ...(request.tools ? { tools: request.tools } : {}),
        ...(request.toolChoice ? { tool_choice: request.toolChoice } : {}),
        ...(think.thinking ? { thinking: think.thinking } : {}),
        ...(outputConfig ? { output_config: outputConfig } : {}),
      },
      { signal: signal ? AbortSignal.any([signal, idle.signal]) : idle.signal },
    );
    arm();
    streamed = await readMessageStream(events, arm, request.onText);
  } catch (error) {
    if (idle.signal.aborted && !signal?.aborted) throw stalled(context.timeoutMs, error);
    throw anthropicError(error, { signal, timeoutMs: context.timeoutMs });
  } finally {
    clearTimeout(timer);
  }
  // The SDK's stream ends quietly, without throwing, when its signal aborts.
  if (signal?.aborted) throw abortError(signal);
  if (idle.signal.aborted) throw stalled(context.timeoutMs);
  const { message } = streamed;
  if (!message) throw truncatedStream("anthropic", "no message_stop");
  // A well-formed stream sets the stop reason in message_delta, before message_stop.
  if (!message.stop_reason) throw truncatedStream("anthropic", "no stop_reason");
  const usage = usageOf(message.usage);
  return {
    message,
    invalidToolInputs: streamed.invalidToolInputs,
    usage,
    costUsd: computeCost(usage, findPrice("anthropic", model, context.prices)),
    stopReason: message.stop_reason,
    model: message.model || model,
    durationMs: Math.round(performance.now() - started),
  };
}
