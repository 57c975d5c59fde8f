/**
 * The scripted-reply vocabulary of the mock model server, shared by its three wire formats
 * (Anthropic Messages, Gemini, OpenAI chat completions). One reply shape is rendered in whichever
 * protocol the request used, so a test can script "the model says X" without caring which
 * provider asks.
 */

export type MockApi = "anthropic" | "gemini" | "openai";

/** One tool call the model makes (Anthropic `tool_use`, Gemini `functionCall`, OpenAI `tool_calls`). */
export interface MockToolCall {
  /** Defaults to a generated id (`toolu_mock_…`, `call_mock_…`). */
  id?: string;
  name: string;
  input: unknown;
  /**
   * Anthropic streaming only: the input JSON exactly as streamed in `input_json_delta`s,
   * instead of `input` serialized — e.g. text that does not parse, as a model can produce.
   */
  rawInputJson?: string;
}

export interface MockUsage {
  /** Uncached input tokens (Anthropic `input_tokens`; added to Gemini/OpenAI prompt counts). */
  input?: number;
  output?: number;
  cacheRead?: number;
  /** Anthropic only: `cache_creation_input_tokens`. */
  cacheWrite?: number;
  /**
   * Thinking tokens: Gemini `thoughtsTokenCount` (beside the candidates, as Gemini counts);
   * Anthropic `output_tokens_details.thinking_tokens` and OpenAI
   * `completion_tokens_details.reasoning_tokens`, both a part of `output`.
   */
  thoughts?: number;
}

/** A successful answer. */
export interface MockAnswer {
  /** Answer text; rendered before any tool calls. */
  text?: string;
  /**
   * The model's thinking, rendered before the text: an Anthropic `thinking` block (with a
   * signature), a Gemini part with `thought: true`, an OpenAI-compatible `reasoning_content`.
   */
  thinking?: string;
  toolCalls?: MockToolCall[];
  /** Defaults: `end_turn`/`tool_use` (Anthropic), `STOP` (Gemini), `stop`/`tool_calls` (OpenAI). */
  stopReason?: string;
  usage?: MockUsage;
  /** Model id reported back; defaults to the requested one. */
  model?: string;
  /** Wait before sending the response headers (abort and timeout tests). */
  delayMs?: number;
  /** Streaming only: wait between events. */
  eventDelayMs?: number;
  /**
   * Streaming only: send this many events, then destroy the socket — a connection cut before
   * the protocol's end marker (`message_stop`, the final `finishReason`, `data: [DONE]`).
   */
  truncateAfterEvents?: number;
  /**
   * Streaming only: send this many events, then end the response normally — a server that
   * stops early without the protocol's end marker, over a healthy connection.
   */
  endAfterEvents?: number;
  /**
   * Streaming only: after `afterEvents` events, send an error in the API's format inside the
   * 200 stream (Anthropic `event: error`, e.g. overloaded_error mid-answer) and end it.
   */
  streamError?: Omit<MockFault, "status" | "headers" | "delayMs"> & {
    afterEvents: number;
    status?: number;
  };
  /** Streaming only: send this many events, then hold the connection open without a word. */
  stallAfterEvents?: number;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

/** An HTTP error, rendered in the API's own error body format unless `body` is given. */
export interface MockFault {
  status: number;
  /** The API's error message. */
  message?: string;
  /** Anthropic `error.type`, OpenAI `error.type`, Gemini `error.status`; defaults per status. */
  errorType?: string;
  /** A raw body instead of the API's error format (object → JSON, string → as is). */
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

export type MockReply = MockAnswer | MockFault;

export function isFault(reply: MockReply): reply is MockFault {
  return typeof (reply as MockFault).status === "number";
}

/** One request as the server saw it. */
export interface RecordedRequest {
  /** Which protocol the path belongs to; `undefined` for an unknown path (answered 404). */
  api: MockApi | undefined;
  /** `messages`, `count_tokens`, `generateContent`, `streamGenerateContent`, `countTokens`, `chat.completions`. */
  endpoint: string;
  method: string;
  /** Path and query, as sent. */
  path: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** Parsed JSON body (or the raw text when it is not JSON). */
  body: unknown;
  rawBody: string;
  /** The model named by the request (body `model` or the Gemini path). */
  model: string | undefined;
  /** Whether the client asked for a streamed answer. */
  stream: boolean;
  /** A request the client made for itself (an agent CLI's model router), answered by the server. */
  side?: string;
}

/** Scripts one API: replies are consumed in order; a handler answers when the queue is empty. */
export type MockHandler = (request: RecordedRequest) => MockReply | Promise<MockReply>;
