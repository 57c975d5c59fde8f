/**
 * Reads a streamed chat completion: `chat.completion.chunk` deltas, the usage chunk that
 * `include_usage` adds (empty `choices`), then `data: [DONE]`. A stream that ends without a
 * `finish_reason`, or whose connection breaks, is an error, never a silent partial answer.
 * `[DONE]` itself is not required: some compatible servers end after the finish_reason chunk.
 */
import { ProviderError } from "../errors.ts";
import type { OpenAIUsage } from "./openai-compatible.ts";
import { messageOf, oneLine, seconds, truncatedStream } from "./provider-errors.ts";
import { readSse } from "./sse.ts";

interface Chunk {
  model?: string;
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: OpenAIUsage | null;
  error?: { message?: string } | string;
}

export interface StreamedCompletion {
  text: string;
  finishReason: string | undefined;
  usage: OpenAIUsage | undefined;
  model: string | undefined;
}

const provider = "openai";

export async function readOpenAIStream(
  body: ReadableStream<Uint8Array>,
  onText: (delta: string) => void,
  idleTimeoutMs: number,
): Promise<StreamedCompletion> {
  const reader = body.getReader();
  let idle = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      idle = true;
      void reader.cancel();
    }, idleTimeoutMs);
  };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  }

  const result: StreamedCompletion = {
    text: "",
    finishReason: undefined,
    usage: undefined,
    model: undefined,
  };
  let done = false;
  arm();
  try {
    for await (const message of readSse(chunks(), arm)) {
      if (message.data === "[DONE]") {
        done = true;
        break;
      }
      const chunk = JSON.parse(message.data) as Chunk;
      if (chunk.error) {
        const text =
          typeof chunk.error === "string" ? chunk.error : (chunk.error.message ?? "error");
        throw new ProviderError(provider, oneLine(`error during the answer: ${text}`), {
          retryable: true,
        });
      }
      result.model ??= chunk.model;
      if (chunk.usage) result.usage = chunk.usage;
      for (const choice of chunk.choices ?? []) {
        const delta = choice.delta?.content;
        if (delta) {
          result.text += delta;
          onText(delta);
        }
        if (choice.finish_reason) result.finishReason = choice.finish_reason;
      }
    }
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    if (error instanceof SyntaxError)
      throw truncatedStream(provider, `unreadable chunk: ${error.message}`, error);
    if (error instanceof Error && error.name === "AbortError") throw error;
    throw truncatedStream(provider, oneLine(messageOf(error), 200), error);
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
  if (idle) throw truncatedStream(provider, `no data for ${seconds(idleTimeoutMs)}`);
  if (!result.finishReason)
    throw truncatedStream(
      provider,
      done ? "[DONE] before any finish_reason" : "no finish_reason and no [DONE]",
    );
  return result;
}
