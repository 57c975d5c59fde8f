/** The HTTP side of the mock model server: routing, request records, JSON and SSE replies. */
import type http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { formatSseEvent, type RenderedAnswer, type SseEvent } from "./sse.ts";
import type { MockAnswer, MockApi, RecordedRequest } from "./types.ts";

export interface Route {
  api: MockApi;
  endpoint: string;
  model?: string;
}

export function route(method: string, pathname: string): Route | undefined {
  if (method !== "POST") return undefined;
  if (pathname === "/v1/messages") return { api: "anthropic", endpoint: "messages" };
  if (pathname === "/v1/messages/count_tokens")
    return { api: "anthropic", endpoint: "count_tokens" };
  if (pathname === "/v1/chat/completions") return { api: "openai", endpoint: "chat.completions" };
  const gemini =
    /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/.exec(
      pathname,
    );
  if (gemini) return { api: "gemini", endpoint: gemini[2]!, model: decodeURIComponent(gemini[1]!) };
  return undefined;
}

export function isCountEndpoint(endpoint: string): boolean {
  return endpoint === "count_tokens" || endpoint === "countTokens";
}

export async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function record(
  req: http.IncomingMessage,
  raw: string,
  found: Route | undefined,
): RecordedRequest {
  let body: unknown = raw;
  try {
    body = raw === "" ? undefined : JSON.parse(raw);
  } catch {
    // keep the raw text
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = [value].flat().join(", ");
  }
  const fields = (body ?? {}) as { model?: unknown; stream?: unknown };
  return {
    api: found?.api,
    endpoint: found?.endpoint ?? "unknown",
    method: req.method ?? "",
    path: req.url ?? "",
    headers,
    body,
    rawBody: raw,
    model: found?.model ?? (typeof fields.model === "string" ? fields.model : undefined),
    stream: found?.endpoint === "streamGenerateContent" || fields.stream === true,
  };
}

/** Resolves after `ms`, or early (false) when the client went away. */
export async function waitUnlessClosed(
  res: http.ServerResponse,
  ms: number | undefined,
): Promise<boolean> {
  if (!ms) return !res.destroyed;
  const gone = new AbortController();
  const onClose = () => gone.abort();
  res.once("close", onClose);
  try {
    await sleep(ms, undefined, { signal: gone.signal });
    return true;
  } catch {
    return false;
  } finally {
    res.off("close", onClose);
  }
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": typeof body === "string" ? "text/plain" : "application/json",
    ...headers,
  });
  res.end(text);
}

/**
 * Writes `rendered.events` as SSE, applying the answer's stream faults; `errorEvent` renders
 * `answer.streamError` in the API's format.
 */
export async function sendStream(
  res: http.ServerResponse,
  api: MockApi,
  rendered: RenderedAnswer,
  answer: MockAnswer,
  errorEvent: () => SseEvent,
): Promise<void> {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    ...answer.headers,
  });
  // Gemini separates events with CRLF, as the real service does.
  const lineEnd = api === "gemini" ? "\r\n" : "\n";
  const write = (text: string) => new Promise<void>((resolve) => res.write(text, () => resolve()));
  for (const [index, event] of rendered.events.entries()) {
    if (answer.truncateAfterEvents !== undefined && index >= answer.truncateAfterEvents) {
      // The connection drops before the protocol's end marker. Let what was written reach the
      // client first: destroying a socket discards its unsent buffer.
      await sleep(20);
      res.socket?.destroy();
      return;
    }
    if (answer.endAfterEvents !== undefined && index >= answer.endAfterEvents) break;
    if (answer.stallAfterEvents !== undefined && index >= answer.stallAfterEvents) {
      await waitUnlessClosed(res, 10 * 60_000);
      return;
    }
    if (answer.streamError && index >= answer.streamError.afterEvents) {
      await write(formatSseEvent(errorEvent(), lineEnd));
      break;
    }
    if (index > 0 && !(await waitUnlessClosed(res, answer.eventDelayMs))) return;
    await write(formatSseEvent(event, lineEnd));
  }
  res.end();
}
