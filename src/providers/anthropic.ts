/**
 * The `anthropic` back end: `@anthropic-ai/sdk`, always streaming. The large stable prefix —
 * the system text and the packed context, which is its own content block before the prompt —
 * carries `cache_control: {type: "ephemeral"}`, so repeated calls of a phase read it from the
 * prompt cache. The SDK's retries (429, 5xx, 529, connection errors; `retry-after` honoured)
 * stay on.
 *
 * Structured output: through a forced tool (`tool_choice: {type: "tool", name}`) whose input is
 * the JSON, for the models that accept forcing a tool. The 5-series runs adaptive thinking by
 * default and Sonnet 5.5 / Opus 5.5 / Fable 5.1 reject a forced tool_choice with a 400
 * ("What's new in Claude Sonnet 5.5": forced tool use is not supported), so those get the
 * API's native structured output, `output_config.format` with a JSON schema, instead.
 */
import Anthropic from "@anthropic-ai/sdk";
import type { Logger } from "../log.ts";
import { type ApiProviderSettings, defaultMaxOutputTokens } from "./api-settings.ts";
import {
  type AnthropicTurnRequest,
  type AnthropicTurnResult,
  ephemeral,
  messageText,
  runAnthropicTurn,
} from "./anthropic-turn.ts";
import { jsonFields } from "./json-answer.ts";
import { anthropicThinks, type ThinkingSetting } from "./thinking.ts";
import type {
  JsonSchemaRequest,
  ModelCallRequest,
  ModelCallResult,
  ModelProvider,
} from "./types.ts";

export interface AnthropicProvider extends ModelProvider {
  readonly provider: "anthropic";
  /** One raw streamed turn (tools, multi-turn messages): the built-in executor's building block. */
  turn(request: AnthropicTurnRequest): Promise<AnthropicTurnResult>;
}

/** How a JSON answer is requested from `model`. */
export function anthropicJsonMode(model: string): "forced-tool" | "output-format" {
  return /^claude-(3|(opus|sonnet|haiku)-4)\b/.test(model) ? "forced-tool" : "output-format";
}

function sdkLogger(log: Logger): Anthropic["logger"] {
  const debug = (message: string) => log.debug(`anthropic sdk: ${message}`);
  return {
    error: debug,
    warn: (message: string) => log.warn(`anthropic sdk: ${message}`),
    info: debug,
    debug,
  };
}

export function createAnthropicClient(settings: ApiProviderSettings): Anthropic {
  return new Anthropic({
    apiKey: settings.apiKey,
    // Explicit, so the SDK does not fall back to reading process.env itself.
    baseURL: settings.baseUrl ?? "https://api.anthropic.com",
    maxRetries: settings.maxRetries,
    timeout: settings.timeoutMs,
    ...(settings.log ? { logger: sdkLogger(settings.log), logLevel: "info" } : { logLevel: "off" }),
  });
}

function buildTurn(
  model: string,
  request: ModelCallRequest,
  thinking: ThinkingSetting | undefined,
): AnthropicTurnRequest {
  const content: Anthropic.TextBlockParam[] = [];
  if (request.context)
    content.push({ type: "text", text: request.context, cache_control: ephemeral });
  content.push({ type: "text", text: request.prompt });
  const turn: AnthropicTurnRequest = {
    messages: [{ role: "user", content }],
    maxTokens: request.maxOutputTokens ?? defaultMaxOutputTokens,
    signal: request.signal,
    onText: request.onText,
  };
  if (request.system)
    turn.system = [{ type: "text", text: request.system, cache_control: ephemeral }];
  const schema = request.jsonSchema;
  if (schema && anthropicJsonMode(model) === "forced-tool") {
    turn.tools = [
      {
        name: schema.name,
        description: schema.description ?? `Record the answer as ${schema.name}.`,
        input_schema: schema.schema as Anthropic.Tool.InputSchema,
      },
    ];
    // The API refuses a forced tool while the model thinks: then the prompt asks for the call.
    if (anthropicThinks(thinking)) {
      turn.toolChoice = { type: "auto" };
      content.push({ type: "text", text: `Answer by calling the ${schema.name} tool.` });
    } else turn.toolChoice = { type: "tool", name: schema.name };
  } else if (schema) {
    turn.outputConfig = { format: { type: "json_schema", schema: schema.schema } };
  }
  return turn;
}

function answerOf(
  { message, invalidToolInputs }: AnthropicTurnResult,
  schema: JsonSchemaRequest | undefined,
  mode: ReturnType<typeof anthropicJsonMode>,
): { text: string; json?: unknown; jsonError?: string } {
  const text = messageText(message);
  if (!schema) return { text };
  if (mode === "forced-tool") {
    const call = message.content.find((b) => b.type === "tool_use" && b.name === schema.name);
    if (!call || call.type !== "tool_use") {
      return {
        text,
        jsonError: `the model did not call the "${schema.name}" tool (stop reason: ${message.stop_reason})`,
      };
    }
    const invalid = invalidToolInputs.get(call.id);
    if (invalid !== undefined)
      return { text, jsonError: `the "${schema.name}" tool input is not valid JSON (${invalid})` };
    return { text: JSON.stringify(call.input, null, 2), json: call.input };
  }
  return { text, ...jsonFields(text, `stop reason: ${message.stop_reason}`) };
}

export function createAnthropicProvider(settings: ApiProviderSettings): AnthropicProvider {
  const client = createAnthropicClient(settings);
  const context = {
    client,
    model: settings.model,
    prices: settings.prices,
    timeoutMs: settings.timeoutMs,
    thinking: settings.thinking,
  };
  return {
    provider: "anthropic",
    model: settings.model,
    turn: (request) => runAnthropicTurn(context, request),
    async call(request: ModelCallRequest): Promise<ModelCallResult> {
      const result = await runAnthropicTurn(
        context,
        buildTurn(settings.model, request, settings.thinking),
      );
      const answer = answerOf(result, request.jsonSchema, anthropicJsonMode(settings.model));
      return {
        ...answer,
        usage: result.usage,
        costUsd: result.costUsd,
        provider: "anthropic",
        model: result.model,
        durationMs: result.durationMs,
        stopReason: result.stopReason,
      };
    },
  };
}
