/**
 * The `openai` back end: any server speaking OpenAI's `POST /v1/chat/completions` (OpenAI,
 * Ollama, vLLM, LM Studio, OpenRouter), so everything can run on a local model. Plain `fetch`,
 * no SDK: the protocol is small and the servers differ enough that a thin client is clearer.
 * The key is optional (local servers need none) and goes only in `Authorization: Bearer`.
 * Streaming asks for `stream_options: {include_usage: true}`; JSON answers use
 * `response_format: {type: "json_schema"}`. The context is its own message before the prompt,
 * so prefix caching (automatic on OpenAI) can reuse it.
 */
import { ProviderError } from "../errors.ts";
import { type ApiProviderSettings, defaultRetryDelayMs } from "./api-settings.ts";
import { computeCost } from "./cost.ts";
import { AttemptTimeout, fetchWithRetry } from "./fetch-with-retry.ts";
import { readOpenAIStream } from "./openai-stream.ts";
import { findPrice } from "./prices.ts";
import { abortError, cannotReach, httpError, noAnswerWithin } from "./provider-errors.ts";
import type { ModelCallRequest, ModelCallResult, ModelProvider, ModelUsage } from "./types.ts";
import { jsonFields } from "./json-answer.ts";
import { openaiReasoningEffort, type ThinkingSetting } from "./thinking.ts";

const provider = "openai";
export const defaultOpenAIBaseUrl = "https://api.openai.com/v1";

export interface OpenAIUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

export function openaiUsage(usage: OpenAIUsage | undefined | null): ModelUsage {
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    inputTokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached),
    outputTokens: usage?.completion_tokens ?? 0,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    ...(usage?.completion_tokens_details?.reasoning_tokens
      ? { thinkingTokens: usage.completion_tokens_details.reasoning_tokens }
      : {}),
  };
}

/** The message of an error body: OpenAI `{error: {message}}`, Ollama `{error: "…"}`, or text. */
export function openaiErrorMessage(text: string): { message: string; type?: string } {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const error = body.error;
    if (typeof error === "string") return { message: error };
    if (error && typeof error === "object") {
      const { message, type } = error as { message?: unknown; type?: unknown };
      if (typeof message === "string")
        return { message, type: typeof type === "string" ? type : undefined };
    }
    if (typeof body.message === "string") return { message: body.message };
  } catch {
    // not JSON
  }
  return { message: text || "(empty response)" };
}

function requestBody(
  model: string,
  request: ModelCallRequest,
  stream: boolean,
  thinking: ThinkingSetting | undefined,
): object {
  const effort = openaiReasoningEffort(thinking);
  const messages = [
    ...(request.system ? [{ role: "system", content: request.system }] : []),
    ...(request.context ? [{ role: "user", content: request.context }] : []),
    { role: "user", content: request.prompt },
  ];
  return {
    model,
    messages,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    ...(request.maxOutputTokens === undefined ? {} : { max_tokens: request.maxOutputTokens }),
    ...(effort ? { reasoning_effort: effort } : {}),
    ...(request.jsonSchema
      ? {
          response_format: {
            type: "json_schema",
            json_schema: {
              name: request.jsonSchema.name,
              ...(request.jsonSchema.description
                ? { description: request.jsonSchema.description }
                : {}),
              schema: request.jsonSchema.schema,
            },
          },
        }
      : {}),
  };
}

interface Completion {
  choices?: { message?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: OpenAIUsage | null;
  model?: string;
}

export function createOpenAIProvider(settings: ApiProviderSettings): ModelProvider {
  const baseUrl = (settings.baseUrl ?? defaultOpenAIBaseUrl).replace(/\/+$/, "");
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;

  async function complete(request: ModelCallRequest) {
    const stream = request.onText !== undefined;
    const response = await fetchWithRetry(
      `${baseUrl}/chat/completions`,
      {
        method: "POST",
        headers: stream ? { ...headers, accept: "text/event-stream" } : headers,
        body: JSON.stringify(requestBody(settings.model, request, stream, settings.thinking)),
      },
      {
        maxRetries: settings.maxRetries,
        timeoutMs: settings.timeoutMs,
        firstDelayMs: settings.retryDelayMs ?? defaultRetryDelayMs,
        signal: request.signal,
        onRetry: (reason, waitMs) =>
          settings.log?.debug(
            `openai: ${reason} from ${baseUrl}, retrying in ${Math.round(waitMs)} ms`,
          ),
      },
    );
    if (!response.ok) {
      const { message, type } = openaiErrorMessage(await response.text());
      throw httpError(provider, response.status, message, { type });
    }
    if (request.onText && response.body)
      return readOpenAIStream(response.body, request.onText, settings.timeoutMs);
    const body = (await response.json()) as Completion;
    const choice = body.choices?.[0];
    return {
      text: choice?.message?.content ?? "",
      finishReason: choice?.finish_reason ?? undefined,
      usage: body.usage ?? undefined,
      model: body.model,
    };
  }

  return {
    provider,
    model: settings.model,
    async call(request: ModelCallRequest): Promise<ModelCallResult> {
      request.signal?.throwIfAborted();
      const started = performance.now();
      let answer: Awaited<ReturnType<typeof complete>>;
      try {
        answer = await complete(request);
      } catch (error) {
        if (request.signal?.aborted) throw abortError(request.signal);
        if (error instanceof ProviderError) throw error;
        if (error instanceof AttemptTimeout) throw noAnswerWithin(provider, settings.timeoutMs);
        throw cannotReach(provider, baseUrl, error);
      }
      const answerJson = request.jsonSchema
        ? jsonFields(answer.text, `finish_reason ${answer.finishReason}`)
        : {};
      const usage = openaiUsage(answer.usage);
      return {
        text: answer.text,
        ...answerJson,
        usage,
        costUsd: computeCost(usage, findPrice(provider, settings.model, settings.prices)),
        provider,
        model: answer.model ?? settings.model,
        durationMs: Math.round(performance.now() - started),
        stopReason: answer.finishReason,
      };
    },
  };
}
