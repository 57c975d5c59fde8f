/** What a wire format renders for one answer: the JSON body and the equivalent SSE events. */
export interface SseEvent {
  /** The `event:` line; omitted for APIs that send only `data:` lines (Gemini, OpenAI). */
  event?: string;
  data: string;
}

export interface RenderedAnswer {
  json: unknown;
  events: SseEvent[];
}

/** Splits text into small deltas, so a streaming client sees several chunks. */
export function chunkText(text: string, size = 8): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

export function formatSseEvent(event: SseEvent, lineEnd = "\n"): string {
  const lines = event.event === undefined ? [] : [`event: ${event.event}`];
  for (const line of event.data.split("\n")) lines.push(`data: ${line}`);
  return lines.join(lineEnd) + lineEnd + lineEnd;
}
