/**
 * A loopback model server that speaks the real wire protocols of the Anthropic Messages API,
 * the Gemini API and OpenAI chat completions, so the official SDKs can be tested unmodified:
 * only the base URL points here. Replies are scripted per API (a queue, then an optional
 * handler function of the request), faults included: HTTP errors in each API's own error
 * format, delays, and streams cut mid-way. Every request is recorded for assertions.
 *
 * ```ts
 * await using server = await startMockModelServer();
 * server.reply("anthropic", mockReply.fault(429, "slow down", { headers: { "retry-after-ms": "1" } }),
 *   mockReply.text("Hello"));
 * // … point a client at server.anthropicBaseUrl …
 * expect(server.requestsTo("anthropic")).toHaveLength(2);
 * ```
 *
 * Routes: `POST /v1/messages` (JSON or SSE when `stream: true`), `POST /v1/messages/count_tokens`,
 * `POST /v1beta/models/{model}:generateContent | :streamGenerateContent?alt=sse | :countTokens`,
 * `POST /v1/chat/completions` (JSON or SSE when `stream: true`). An agent CLI's requests for
 * itself (Gemini CLI's model router) are answered without a script: see side-requests.ts.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { anthropicErrorBody, renderAnthropic } from "./anthropic-wire.ts";
import { geminiErrorBody, renderGemini } from "./gemini-wire.ts";
import { openaiErrorBody, renderOpenAI } from "./openai-wire.ts";
import { sideRequestOf } from "./side-requests.ts";
import {
  isCountEndpoint,
  readBody,
  record,
  route,
  sendJson,
  sendStream,
  waitUnlessClosed,
} from "./transport.ts";
import {
  isFault,
  type MockAnswer,
  type MockApi,
  type MockFault,
  type MockHandler,
  type MockReply,
  type RecordedRequest,
} from "./types.ts";

export type * from "./types.ts";

/** Shorthands for scripted replies. */
export const mockReply = {
  text: (text: string, options: Omit<MockAnswer, "text"> = {}): MockAnswer => ({
    text,
    ...options,
  }),
  toolCall: (
    name: string,
    input: unknown,
    options: Omit<MockAnswer, "toolCalls"> & { id?: string } = {},
  ): MockAnswer => {
    const { id, ...rest } = options;
    return { ...rest, toolCalls: [{ id, name, input }] };
  },
  fault: (status: number, message?: string, options: Omit<MockFault, "status" | "message"> = {}) =>
    ({ status, message, ...options }) satisfies MockFault,
};

export interface MockModelServer extends AsyncDisposable {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** For `@anthropic-ai/sdk` `baseURL` / `ANTHROPIC_BASE_URL` (the SDK appends `/v1/messages`). */
  readonly anthropicBaseUrl: string;
  /** For `@google/genai` `httpOptions.baseUrl` / `GOOGLE_GEMINI_BASE_URL`. */
  readonly geminiBaseUrl: string;
  /** For OpenAI-compatible clients / `OPENAI_BASE_URL` (includes `/v1`). */
  readonly openaiBaseUrl: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Queues replies for one API; each request consumes one. Token counting is not queued. */
  reply(api: MockApi, ...replies: MockReply[]): this;
  /** Answers requests to `api` once its queue is empty (`undefined` removes the handler). */
  handle(api: MockApi, handler: MockHandler | undefined): this;
  /**
   * Recorded requests to one API, optionally one endpoint (`messages`, `generateContent`, …);
   * never side requests (`RecordedRequest.side`), which are only in `requests`.
   */
  requestsTo(api: MockApi, endpoint?: string): RecordedRequest[];
  /** Replies still queued for `api`. */
  pending(api: MockApi): number;
  /** The answer to count_tokens/countTokens requests; default: serialized request length / 4. */
  countTokens: (request: RecordedRequest) => number;
  close(): Promise<void>;
}

const renderers = { anthropic: renderAnthropic, gemini: renderGemini, openai: renderOpenAI };

function errorBody(api: MockApi, fault: MockFault, requestNumber: number): unknown {
  if (fault.body !== undefined) return fault.body;
  if (api === "anthropic") return anthropicErrorBody(fault, requestNumber);
  if (api === "gemini") return geminiErrorBody(fault);
  return openaiErrorBody(fault);
}

export async function startMockModelServer(): Promise<MockModelServer> {
  const requests: RecordedRequest[] = [];
  const queues: Record<MockApi, MockReply[]> = { anthropic: [], gemini: [], openai: [] };
  const handlers: Partial<Record<MockApi, MockHandler>> = {};

  async function respond(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const found = route(req.method ?? "", new URL(req.url ?? "/", "http://mock").pathname);
    const request = record(req, await readBody(req), found);
    requests.push(request);
    const number = requests.length;
    if (!found) {
      sendJson(res, 404, {
        error: `mock model server: no route for ${request.method} ${request.path}`,
      });
      return;
    }
    const { api, endpoint } = found;
    if (isCountEndpoint(endpoint)) {
      const count = server.countTokens(request);
      sendJson(res, 200, api === "anthropic" ? { input_tokens: count } : { totalTokens: count });
      return;
    }
    const side = sideRequestOf(request);
    if (side) request.side = side.name;
    const reply = side
      ? side.answer(request)
      : (queues[api].shift() ?? (await handlers[api]?.(request)));
    if (!reply) {
      // 404 so that no SDK retries it: the test is missing a scripted reply.
      const fault = {
        status: 404,
        message: `mock model server: nothing scripted for ${api} request #${number}`,
      };
      sendJson(res, 404, errorBody(api, fault, number));
      return;
    }
    if (!(await waitUnlessClosed(res, reply.delayMs))) return;
    if (isFault(reply)) {
      sendJson(res, reply.status, errorBody(api, reply, number), reply.headers);
      return;
    }
    const rendered = renderers[api](request, reply, number);
    const errorEvent = () => {
      const fault = { status: 500, ...reply.streamError };
      const data = JSON.stringify(errorBody(api, fault, number));
      return api === "anthropic" ? { event: "error", data } : { data };
    };
    if (request.stream) await sendStream(res, api, rendered, reply, errorEvent);
    else sendJson(res, 200, rendered.json, reply.headers);
  }

  const httpServer = http.createServer((req, res) => {
    respond(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { error: `mock model server crashed: ${String(error)}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let closed: Promise<void> | undefined;

  const server: MockModelServer = {
    url,
    anthropicBaseUrl: url,
    geminiBaseUrl: url,
    openaiBaseUrl: `${url}/v1`,
    requests,
    reply(api, ...replies) {
      queues[api].push(...replies);
      return server;
    },
    handle(api, handler) {
      handlers[api] = handler;
      return server;
    },
    requestsTo: (api, endpoint) =>
      requests.filter(
        (r) =>
          r.api === api &&
          r.side === undefined &&
          (endpoint === undefined ? !isCountEndpoint(r.endpoint) : r.endpoint === endpoint),
      ),
    pending: (api) => queues[api].length,
    countTokens: (request) => Math.ceil(request.rawBody.length / 4),
    close() {
      closed ??= new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      return closed;
    },
    [Symbol.asyncDispose]: () => server.close(),
  };
  return server;
}

/** Runs `fn` with a fresh server and closes it afterwards. */
export async function withMockModelServer<T>(
  fn: (server: MockModelServer) => Promise<T>,
): Promise<T> {
  const server = await startMockModelServer();
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}
