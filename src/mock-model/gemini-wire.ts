/**
 * Gemini API wire format (https://ai.google.dev/api/generate-content): a
 * `GenerateContentResponse` JSON body, or SSE (`?alt=sse`) where every `data:` line is a partial
 * response and the last one carries `finishReason` and `usageMetadata`. Errors are
 * `{"error":{"code","message","status"}}`. `promptTokenCount` includes cached tokens.
 */
import type { MockAnswer, MockFault, RecordedRequest } from "./types.ts";
import { chunkText, type RenderedAnswer } from "./sse.ts";

const statusNames: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

export function geminiErrorBody(fault: MockFault): unknown {
  const status = fault.errorType ?? statusNames[fault.status] ?? "UNKNOWN";
  return { error: { code: fault.status, message: fault.message ?? status, status } };
}

export function renderGemini(
  request: RecordedRequest,
  answer: MockAnswer,
  requestNumber: number,
): RenderedAnswer {
  const input = answer.usage?.input ?? 10;
  const cached = answer.usage?.cacheRead ?? 0;
  const output = answer.usage?.output ?? 5;
  const thoughts = answer.usage?.thoughts ?? 0;
  const usageMetadata = {
    promptTokenCount: input + cached,
    candidatesTokenCount: output,
    totalTokenCount: input + cached + output + thoughts,
    ...(cached ? { cachedContentTokenCount: cached } : {}),
    ...(thoughts ? { thoughtsTokenCount: thoughts } : {}),
  };
  const modelVersion = answer.model ?? request.model ?? "gemini-mock";
  const responseId = `mock-response-${requestNumber}`;
  const finishReason = answer.stopReason ?? "STOP";
  const callParts = (answer.toolCalls ?? []).map((call) => ({
    functionCall: { name: call.name, args: call.input },
  }));
  const chunk = (parts: object[], final: boolean) => ({
    candidates: [
      {
        content: { parts, role: "model" },
        ...(final ? { finishReason } : {}),
        index: 0,
      },
    ],
    // Gemini sends running usage on every chunk; the last one is the total.
    usageMetadata: final ? usageMetadata : { promptTokenCount: input + cached },
    modelVersion,
    responseId,
  });

  const text = answer.text ?? "";
  const thought = answer.thinking ? [{ text: answer.thinking, thought: true }] : [];
  const json = chunk([...thought, ...(text ? [{ text }] : []), ...callParts], true);
  const pieces = chunkText(text, 12);
  const events = pieces.map((piece, i) => ({
    data: JSON.stringify(
      chunk(
        [{ text: piece }, ...(i === pieces.length - 1 ? callParts : [])],
        i === pieces.length - 1,
      ),
    ),
  }));
  if (events.length === 0) events.push({ data: JSON.stringify(chunk(callParts, true)) });
  // A thought summary streams first, in its own chunk.
  if (thought.length) events.unshift({ data: JSON.stringify(chunk(thought, false)) });
  return { json, events };
}
