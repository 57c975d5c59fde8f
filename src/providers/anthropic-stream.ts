/**
 * Builds the final Messages API message from the raw stream events, in place of the SDK's
 * `MessageStream`, for two things it cannot do:
 *
 * - Tool input that does not parse. With fine-grained tool streaming the API passes the model's
 *   `input_json_delta`s through unvalidated, so a tool call's JSON can be broken; the SDK then
 *   throws and the whole turn is lost. Here the block keeps `input: {}` (what the API accepts
 *   when the message is sent back) and the parse error is kept by block id, for the caller to
 *   report to the model.
 * - A stream that goes silent. The SDK's `timeout` only covers the wait for the response
 *   headers; `idleMs` bounds the wait for each next event once the stream is open.
 */
import type Anthropic from "@anthropic-ai/sdk";
import { oneLine } from "./provider-errors.ts";

export interface StreamedMessage {
  /** The complete message, or undefined when the stream ended before `message_stop`. */
  message: Anthropic.Message | undefined;
  /** tool_use id → why its streamed input is not JSON (the block's input is `{}`). */
  invalidToolInputs: Map<string, string>;
}

type ToolBlock = Anthropic.ToolUseBlock | Anthropic.ServerToolUseBlock;

const isToolBlock = (block: Anthropic.ContentBlock | undefined): block is ToolBlock =>
  block?.type === "tool_use" || block?.type === "server_tool_use";

function applyDelta(
  block: Anthropic.ContentBlock | undefined,
  delta: Anthropic.RawContentBlockDelta,
) {
  if (delta.type === "text_delta" && block?.type === "text") block.text += delta.text;
  else if (delta.type === "citations_delta" && block?.type === "text")
    block.citations = [...(block.citations ?? []), delta.citation];
  else if (delta.type === "thinking_delta" && block?.type === "thinking")
    block.thinking += delta.thinking;
  else if (delta.type === "signature_delta" && block?.type === "thinking")
    block.signature = delta.signature;
}

function applyUsage(usage: Anthropic.Usage, delta: Anthropic.MessageDeltaUsage): void {
  // Cumulative totals, omitted (null) when they do not apply: overwrite, never add.
  usage.output_tokens = delta.output_tokens;
  if (delta.input_tokens != null) usage.input_tokens = delta.input_tokens;
  if (delta.cache_creation_input_tokens != null)
    usage.cache_creation_input_tokens = delta.cache_creation_input_tokens;
  if (delta.cache_read_input_tokens != null)
    usage.cache_read_input_tokens = delta.cache_read_input_tokens;
  if (delta.server_tool_use != null) usage.server_tool_use = delta.server_tool_use;
  if (delta.output_tokens_details != null)
    usage.output_tokens_details = delta.output_tokens_details;
}

/** Reads `events` to the end; throws whatever the iteration throws (an `event: error`, a cut). */
export async function readMessageStream(
  events: AsyncIterable<Anthropic.RawMessageStreamEvent>,
  onEvent: () => void,
  onText?: (delta: string) => void,
): Promise<StreamedMessage> {
  let message: Anthropic.Message | undefined;
  let done = false;
  const json = new Map<number, string>();
  const invalidToolInputs = new Map<string, string>();
  for await (const event of events) {
    onEvent();
    if (event.type === "message_start") {
      message = { ...event.message, content: [], usage: { ...event.message.usage } };
      continue;
    }
    if (!message) continue;
    switch (event.type) {
      case "content_block_start":
        message.content[event.index] = { ...event.content_block };
        if (isToolBlock(event.content_block)) json.set(event.index, "");
        break;
      case "content_block_delta": {
        const block = message.content[event.index];
        if (event.delta.type === "input_json_delta" && json.has(event.index))
          json.set(event.index, `${json.get(event.index)}${event.delta.partial_json}`);
        else applyDelta(block, event.delta);
        if (event.delta.type === "text_delta" && block?.type === "text") onText?.(event.delta.text);
        break;
      }
      case "content_block_stop": {
        const block = message.content[event.index];
        const text = json.get(event.index);
        if (!isToolBlock(block) || text === undefined) break;
        try {
          block.input = text.trim() === "" ? {} : JSON.parse(text);
        } catch (error) {
          block.input = {};
          invalidToolInputs.set(block.id, oneLine((error as Error).message, 200));
        }
        break;
      }
      case "message_delta":
        message.stop_reason = event.delta.stop_reason;
        message.stop_sequence = event.delta.stop_sequence;
        applyUsage(message.usage, event.usage);
        break;
      case "message_stop":
        done = true;
        break;
    }
  }
  return { message: done ? message : undefined, invalidToolInputs };
}
