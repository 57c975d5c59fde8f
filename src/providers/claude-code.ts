/**
 * The `claude-code` back end: Claude Code headless, `claude -p <prompt> --output-format
 * stream-json --verbose` (stream-json requires --verbose in print mode). stdout is one JSON
 * event per line: `system`/`init`, `assistant` and `user` messages, and a final `result` with
 * `result`, `is_error`, `subtype`, `usage`, `total_cost_usd`, `num_turns`, `session_id`, and
 * `structured_output` when `--json-schema` was given. The system text is appended to Claude
 * Code's own (`--append-system-prompt`) rather than replacing it; the context goes on stdin,
 * which Claude Code reads before the prompt. As an executor it runs with the worktree as cwd.
 */
import { ProviderError } from "../errors.ts";
import { lastLine, runCli } from "./agent-cli.ts";
import {
  type CliInvocation,
  type CliProviderSettings,
  cliRun,
  fitsInArg,
  promptArg,
} from "./cli-settings.ts";
import { computeCost } from "./cost.ts";
import { jsonFields } from "./json-answer.ts";
import { findPrice } from "./prices.ts";
import { oneLine } from "./provider-errors.ts";
import { claudeCodeThinking } from "./thinking.ts";
import type { ModelCallRequest, ModelCallResult, ModelProvider, ModelUsage } from "./types.ts";

const provider = "claude-code";

interface ResultEvent {
  type: "result";
  subtype?: string;
  is_error?: boolean;
  result?: string;
  errors?: string[];
  stop_reason?: string | null;
  total_cost_usd?: number;
  usage?: {
    input_tokens?: number;
    output_tokens?: number;
    cache_read_input_tokens?: number;
    cache_creation_input_tokens?: number;
  };
  structured_output?: unknown;
}

type StreamEvent =
  | { type: "system"; subtype?: string; model?: string }
  | { type: "assistant"; message?: { content?: { type: string; text?: string }[] } }
  | ResultEvent
  | { type: string };

export function claudeCodeArgs(
  settings: CliProviderSettings,
  request: ModelCallRequest,
): CliInvocation {
  const stdin: string[] = [];
  const thinking = claudeCodeThinking(settings.thinking);
  const { agent } = settings;
  const args = ["-p", promptArg(request.prompt), "--output-format", "stream-json", "--verbose"];
  if (settings.model) args.push("--model", settings.model);
  if (agent.permissionMode) args.push("--permission-mode", agent.permissionMode);
  // One comma-separated value: a variadic option would swallow any argument after it.
  if (agent.allowedTools?.length) args.push("--allowedTools", agent.allowedTools.join(","));
  if (agent.maxTurns !== undefined) args.push("--max-turns", String(agent.maxTurns));
  if (request.system) {
    if (fitsInArg(request.system)) args.push("--append-system-prompt", request.system);
    else stdin.push(request.system);
  }
  if (request.jsonSchema) args.push("--json-schema", JSON.stringify(request.jsonSchema.schema));
  if (request.context) stdin.push(request.context);
  args.push(...thinking.args);
  return {
    args,
    input: stdin.length ? stdin.join("\n\n") : undefined,
    ...(Object.keys(thinking.env).length ? { env: thinking.env } : {}),
  };
}

function parseEvents(stdout: string): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue; // not an event (a stray log line)
    try {
      events.push(JSON.parse(line) as StreamEvent);
    } catch {
      // an unparseable line is not an event either
    }
  }
  return events;
}

function usageOf(result: ResultEvent): ModelUsage {
  return {
    inputTokens: result.usage?.input_tokens ?? 0,
    outputTokens: result.usage?.output_tokens ?? 0,
    cacheReadTokens: result.usage?.cache_read_input_tokens ?? 0,
    cacheWriteTokens: result.usage?.cache_creation_input_tokens ?? 0,
  };
}

function failureMessage(result: ResultEvent | undefined, exitCode: number, stderr: string): string {
  const said = result?.result || result?.errors?.join("; ") || lastLine(stderr);
  const kind = result?.subtype && result.subtype !== "success" ? `${result.subtype}: ` : "";
  const fallback = result
    ? `the CLI exited with code ${exitCode} and no message`
    : `the CLI ended without a result event (exit ${exitCode})`;
  return oneLine(`${kind}${said || fallback}`);
}

export function createClaudeCodeProvider(settings: CliProviderSettings): ModelProvider {
  return {
    provider,
    model: settings.model ?? "default",
    async call(request: ModelCallRequest): Promise<ModelCallResult> {
      const started = performance.now();
      const onText = request.onText;
      const outcome = await runCli({
        ...cliRun(provider, settings, request, claudeCodeArgs(settings, request)),
        onLine: onText
          ? (line) => {
              if (!line.startsWith('{"type":"assistant"')) return;
              const event = JSON.parse(line) as Extract<StreamEvent, { type: "assistant" }>;
              for (const block of event.message?.content ?? [])
                if (block.type === "text" && block.text) onText(block.text);
            }
          : undefined,
      });
      const events = parseEvents(outcome.stdout);
      const result = events.find((e): e is ResultEvent => e.type === "result");
      if (!result || result.is_error || result.subtype !== "success" || outcome.exitCode !== 0)
        throw new ProviderError(provider, failureMessage(result, outcome.exitCode, outcome.stderr));
      const init = events.find((e) => e.type === "system") as { model?: string } | undefined;
      const model = init?.model ?? settings.model ?? "default";
      const text = result.result ?? "";
      const answerJson = !request.jsonSchema
        ? {}
        : result.structured_output !== undefined
          ? { json: result.structured_output }
          : jsonFields(text);
      const usage = usageOf(result);
      return {
        text:
          result.structured_output !== undefined && !text
            ? JSON.stringify(answerJson.json, null, 2)
            : text,
        ...answerJson,
        usage,
        // Claude Code prices its own run; the table is only a fallback.
        costUsd:
          typeof result.total_cost_usd === "number"
            ? result.total_cost_usd
            : computeCost(usage, findPrice("anthropic", model, settings.prices)),
        provider,
        model,
        durationMs: Math.round(performance.now() - started),
        stopReason: result.stop_reason ?? result.subtype,
      };
    },
  };
}
