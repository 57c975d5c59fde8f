/**
 * The `google` back end: `@google/genai` v2 against the Gemini API. The SDK has no timeout and
 * no retries unless asked, so both are set explicitly (`httpOptions.timeout`, per attempt, and
 * `httpOptions.retryOptions` for 408/429/5xx). JSON answers use `responseMimeType:
 * "application/json"` with `responseJsonSchema` (plain JSON Schema, as `z.toJSONSchema` makes).
 * The packed context is its own part before the prompt; Gemini caches common prefixes
 * implicitly, so no marker is needed. Usage: `promptTokenCount` includes cached tokens, and
 * thinking tokens are billed as output.
 */
import {
  ApiError,
  type GenerateContentConfig,
  type GenerateContentResponse,
  type ThinkingConfig,
  GoogleGenAI,
} from "@google/genai";
import { ProviderError } from "../errors.ts";
import { type ApiProviderSettings, defaultRetryDelayMs } from "./api-settings.ts";
import { computeCost } from "./cost.ts";
import { findPrice } from "./prices.ts";
import {
  abortError,
  cannotReach,
  httpError,
  messageOf,
  noAnswerWithin,
  oneLine,
  truncatedStream,
} from "./provider-errors.ts";
import type { ModelCallRequest, ModelCallResult, ModelProvider, ModelUsage } from "./types.ts";
import { jsonFields } from "./json-answer.ts";
import { geminiThinking, type ThinkingSetting } from "./thinking.ts";

const provider = "google";

export function createGoogleClient(settings: ApiProviderSettings): GoogleGenAI {
  const firstDelaySec = (settings.retryDelayMs ?? defaultRetryDelayMs) / 1000;
  return new GoogleGenAI({
    apiKey: settings.apiKey,
    // Explicit, so the SDK does not switch to Vertex AI from GOOGLE_GENAI_USE_VERTEXAI.
    vertexai: false,
    httpOptions: {
      ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
      timeout: settings.timeoutMs,
      retryOptions: {
        attempts: settings.maxRetries + 1,
        initialDelay: firstDelaySec,
        maxDelay: Math.max(firstDelaySec, 60),
        httpStatusCodes: [408, 429, 500, 502, 503, 504],
      },
    },
  });
}

export function geminiUsage(response: GenerateContentResponse | undefined): ModelUsage {
  const meta = response?.usageMetadata;
  const cached = meta?.cachedContentTokenCount ?? 0;
  return {
    inputTokens: Math.max(0, (meta?.promptTokenCount ?? 0) - cached),
    outputTokens: (meta?.candidatesTokenCount ?? 0) + (meta?.thoughtsTokenCount ?? 0),
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    ...(meta?.thoughtsTokenCount ? { thinkingTokens: meta.thoughtsTokenCount } : {}),
  };
}

/** Answer text without thought summaries; the `.text` getter would warn about other parts. */
function textOf(response: GenerateContentResponse): string {
  const parts = response.candidates?.[0]?.content?.parts ?? [];
  return parts.map((part) => (part.text !== undefined && !part.thought ? part.text : "")).join("");
}

function googleError(error: unknown, signal: AbortSignal | undefined, timeoutMs: number): unknown {
  if (signal?.aborted) return abortError(signal);
  if (error instanceof ProviderError) return error;
  if (error instanceof ApiError) {
    // The SDK's message is the JSON error body {"error":{"code","message","status"}}, after
    // "got status: …. " when the error came inside a stream.
    let detail: { message?: string; status?: string } | undefined;
    try {
      const json = error.message.slice(error.message.indexOf("{"));
      detail = (JSON.parse(json) as { error?: typeof detail }).error;
    } catch {
      detail = undefined;
    }
    return httpError(provider, error.status, detail?.message ?? error.message, {
      type: detail?.status,
      cause: error,
    });
  }
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError"))
    return noAnswerWithin(provider, timeoutMs, error);
  if (error instanceof TypeError && error.message === "fetch failed")
    return cannotReach(provider, "the API", error);
  return truncatedStream(provider, oneLine(messageOf(error), 200), error);
}

function requestFor(
  model: string,
  request: ModelCallRequest,
  thinking: ThinkingSetting | undefined,
) {
  const config: GenerateContentConfig = { abortSignal: request.signal };
  const thinkingConfig = geminiThinking(model, thinking);
  if (thinkingConfig) config.thinkingConfig = thinkingConfig as ThinkingConfig;
  if (request.system) config.systemInstruction = request.system;
  if (request.maxOutputTokens !== undefined) config.maxOutputTokens = request.maxOutputTokens;
  if (request.jsonSchema) {
    config.responseMimeType = "application/json";
    config.responseJsonSchema = request.jsonSchema.schema;
  }
  const parts = [...(request.context ? [{ text: request.context }] : []), { text: request.prompt }];
  return { model, contents: [{ role: "user", parts }], config };
}

/** Streams the answer; the last chunk must carry a finishReason, else the stream was cut. */
async function streamAnswer(
  client: GoogleGenAI,
  params: ReturnType<typeof requestFor>,
  onText: (delta: string) => void,
): Promise<{ text: string; last: GenerateContentResponse | undefined; finishReason?: string }> {
  let text = "";
  let last: GenerateContentResponse | undefined;
  let finishReason: string | undefined;
  for await (const chunk of await client.models.generateContentStream(params)) {
    const delta = textOf(chunk);
    if (delta) {
      text += delta;
      onText(delta);
    }
    last = chunk;
    finishReason = chunk.candidates?.[0]?.finishReason ?? finishReason;
  }
  if (!finishReason && !last?.promptFeedback?.blockReason)
    throw truncatedStream(provider, "no finishReason in the last chunk");
  return { text, last, finishReason };
}

export function createGoogleProvider(settings: ApiProviderSettings): ModelProvider {
  const client = createGoogleClient(settings);
  const price = () => findPrice(provider, settings.model, settings.prices);
  return {
    provider,
    model: settings.model,
    async call(request: ModelCallRequest): Promise<ModelCallResult> {
      request.signal?.throwIfAborted();
      const started = performance.now();
      const params = requestFor(settings.model, request, settings.thinking);
      let text: string;
      let last: GenerateContentResponse | undefined;
      let finishReason: string | undefined;
      try {
        if (request.onText)
          ({ text, last, finishReason } = await streamAnswer(client, params, request.onText));
        else {
          last = await client.models.generateContent(params);
          text = textOf(last);
          finishReason = last.candidates?.[0]?.finishReason;
        }
      } catch (error) {
        throw googleError(error, request.signal, settings.timeoutMs);
      }
      const blocked = last?.promptFeedback?.blockReason;
      if (blocked) throw new ProviderError(provider, `the prompt was blocked (${blocked})`);
      if (!text && finishReason && finishReason !== "STOP")
        throw new ProviderError(
          provider,
          `the model returned no answer (finishReason ${finishReason})`,
        );
      const answerJson = request.jsonSchema ? jsonFields(text, `finishReason ${finishReason}`) : {};
      const usage = geminiUsage(last);
      return {
        text,
        ...answerJson,
        usage,
        costUsd: computeCost(usage, price()),
        provider,
        model: last?.modelVersion ?? settings.model,
        durationMs: Math.round(performance.now() - started),
        stopReason: finishReason,
      };
    },
  };
}
