/**
 * OpenAI chat completions wire format (https://platform.openai.com/docs/api-reference/chat):
 * a `chat.completion` JSON body, or SSE `data:` lines of `chat.completion.chunk`, then (with
 * `stream_options.include_usage`) a chunk with empty `choices` and the `usage`, then
 * `data: [DONE]`. Errors are `{"error":{"message","type","param","code"}}`.
 */
import type { MockAnswer, MockFault, RecordedRequest } from "./types.ts";
import { chunkText, type RenderedAnswer } from "./sse.ts";

const errorTypes: Record<number, string> = {
  400: "invalid_request_error",
  401: "invalid_request_error",
  404: "invalid_request_error",
  429: "rate_limit_exceeded",
  500: "server_error",
  503: "server_error",
};

export function openaiErrorBody(fault: MockFault): unknown {
  const type = fault.errorType ?? errorTypes[fault.status] ?? "server_error";
  return { error: { message: fault.message ?? type, type, param: null, code: null } };
}

export function renderOpenAI(
  request: RecordedRequest,
  answer: MockAnswer,
  requestNumber: number,
): RenderedAnswer {
  const id = `chatcmpl-mock-${requestNumber}`;
  const created = 1_700_000_000 + requestNumber;
  const model = answer.model ?? request.model ?? "mock-model";
  const calls = (answer.toolCalls ?? []).map((call, i) => ({
    id: call.id ?? `call_mock_${requestNumber}_${i}`,
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(call.input) },
  }));
  const finishReason = answer.stopReason ?? (calls.length ? "tool_calls" : "stop");
  const cached = answer.usage?.cacheRead ?? 0;
  const prompt = (answer.usage?.input ?? 10) + cached;
  const completion = answer.usage?.output ?? 5;
  const usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached },
    ...(answer.usage?.thoughts
      ? { completion_tokens_details: { reasoning_tokens: answer.usage.thoughts } }
      : {}),
  };
  const text = answer.text ?? null;
  const json = {
    id,
    object: "chat.completion",
    created,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: text,
          ...(calls.length ? { tool_calls: calls } : {}),
        },
        finish_reason: finishReason,
      },
    ],
    usage,
  };

  const chunk = (choices: object[], extra: object = {}) => ({
    data: JSON.stringify({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices,
      ...extra,
    }),
  });
  const events = [
    chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]),
  ];
  // Reasoning as OpenAI-compatible servers stream it (vLLM, DeepSeek, Ollama): its own field.
  for (const reasoning_content of chunkText(answer.thinking ?? ""))
    events.push(chunk([{ index: 0, delta: { reasoning_content }, finish_reason: null }]));
  for (const content of chunkText(text ?? ""))
    events.push(chunk([{ index: 0, delta: { content }, finish_reason: null }]));
  calls.forEach((call, index) =>
    events.push(
      chunk([{ index: 0, delta: { tool_calls: [{ index, ...call }] }, finish_reason: null }]),
    ),
  );
  events.push(chunk([{ index: 0, delta: {}, finish_reason: finishReason }]));
  const streamOptions = (request.body as { stream_options?: { include_usage?: boolean } } | null)
    ?.stream_options;
  if (streamOptions?.include_usage) events.push(chunk([], { usage }));
  events.push({ data: "[DONE]" });
  return { json, events };
}
