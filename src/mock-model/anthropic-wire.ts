/**
 * Anthropic Messages API wire format (https://docs.anthropic.com/en/api/messages-streaming):
 * a `message` JSON body, or SSE with `event:` lines — message_start, content_block_start,
 * ping, content_block_delta (text_delta / input_json_delta), content_block_stop, message_delta
 * (stop_reason and cumulative usage), message_stop. Errors are
 * `{"type":"error","error":{"type","message"},"request_id"}`.
 */
import type { MockAnswer, MockFault, RecordedRequest } from "./types.ts";
import { chunkText, type RenderedAnswer, type SseEvent } from "./sse.ts";

const errorTypes: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

export function anthropicErrorBody(fault: MockFault, requestNumber: number): unknown {
  const type = fault.errorType ?? errorTypes[fault.status] ?? "api_error";
  return {
    type: "error",
    error: { type, message: fault.message ?? type.replace(/_/g, " ") },
    request_id: `req_mock_${requestNumber}`,
  };
}

type Block =
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: unknown };

export function renderAnthropic(
  request: RecordedRequest,
  answer: MockAnswer,
  requestNumber: number,
): RenderedAnswer {
  const blocks: Block[] = [];
  /** By block index: input JSON to stream as is (see MockToolCall.rawInputJson). */
  const rawInputs = new Map<number, string>();
  if (answer.thinking !== undefined)
    blocks.push({
      type: "thinking",
      thinking: answer.thinking,
      signature: `mock-signature-${requestNumber}`,
    });
  if (answer.text !== undefined) blocks.push({ type: "text", text: answer.text });
  for (const [i, call] of (answer.toolCalls ?? []).entries()) {
    if (call.rawInputJson !== undefined) rawInputs.set(blocks.length, call.rawInputJson);
    blocks.push({
      type: "tool_use",
      id: call.id ?? `toolu_mock_${requestNumber}_${i}`,
      name: call.name,
      input: call.input,
    });
  }
  const stopReason = answer.stopReason ?? (answer.toolCalls?.length ? "tool_use" : "end_turn");
  const usage = {
    input_tokens: answer.usage?.input ?? 10,
    output_tokens: answer.usage?.output ?? 5,
    cache_read_input_tokens: answer.usage?.cacheRead ?? 0,
    cache_creation_input_tokens: answer.usage?.cacheWrite ?? 0,
    ...(answer.usage?.thoughts
      ? { output_tokens_details: { thinking_tokens: answer.usage.thoughts } }
      : {}),
  };
  const message = {
    id: `msg_mock_${requestNumber}`,
    type: "message",
    role: "assistant",
    model: answer.model ?? request.model ?? "claude-mock",
    content: blocks,
    stop_reason: stopReason,
    stop_sequence: null,
    usage,
  };

  const events: SseEvent[] = [];
  const send = (event: string, data: object) =>
    events.push({ event, data: JSON.stringify({ type: event, ...data }) });
  send("message_start", {
    message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
  });
  blocks.forEach((block, index) => {
    if (block.type === "thinking") {
      send("content_block_start", {
        index,
        content_block: { type: "thinking", thinking: "", signature: "" },
      });
      for (const thinking of chunkText(block.thinking))
        send("content_block_delta", { index, delta: { type: "thinking_delta", thinking } });
      send("content_block_delta", {
        index,
        delta: { type: "signature_delta", signature: block.signature },
      });
    } else if (block.type === "text") {
      send("content_block_start", { index, content_block: { type: "text", text: "" } });
      if (index === 0) send("ping", {});
      for (const text of chunkText(block.text))
        send("content_block_delta", { index, delta: { type: "text_delta", text } });
    } else {
      send("content_block_start", {
        index,
        content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
      });
      const json = rawInputs.get(index) ?? JSON.stringify(block.input);
      for (const partial_json of chunkText(json, 16))
        send("content_block_delta", { index, delta: { type: "input_json_delta", partial_json } });
    }
    send("content_block_stop", { index });
  });
  send("message_delta", {
    delta: { stop_reason: stopReason, stop_sequence: null },
    // Current API versions repeat the cumulative counters here, not only output_tokens.
    usage,
  });
  send("message_stop", {});
  return { json: message, events };
}
