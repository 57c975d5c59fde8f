/**
 * The built-in step executor: one fresh Anthropic session per step, looping streamed turns
 * while the model calls the editor and bash client tools, until it stops on its own ("done")
 * or `maxTurns` turns have been answered ("turn-limit"). Usage and cost are summed over the
 * turns. Provider errors and aborts propagate; tool failures go back to the model as
 * `is_error` results (see client-tools.ts).
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { AnthropicProvider } from "../providers/anthropic.ts";
import { ephemeral, messageText } from "../providers/anthropic-turn.ts";
import { type ModelUsage, addCost, addUsage, emptyUsage } from "../providers/types.ts";
import { findShell } from "../util/find-executable.ts";
import type { StepExecutionRequest, StepExecutionResult, StepExecutor } from "./types.ts";
import { moveCacheBreakpoints, movingBreakpoints } from "./cache-breakpoints.ts";
import { type ToolContext, clientTools, runToolCall } from "./client-tools.ts";
import { commandEnvironment } from "./command-env.ts";
import { createPathConfinement } from "./confine-path.ts";
import { defaultKillGraceMs } from "./run-command.ts";
import { type ToolOutcome, errorText } from "./tool-result.ts";

export interface BuiltinExecutorOptions {
  /** The Anthropic back end, from `createAnthropicTurnProvider`. */
  provider: AnthropicProvider;
  /** Model turns per step; after this many the session stops with outcome "turn-limit". */
  maxTurns: number;
  /** `max_tokens` of each turn. */
  maxTokens: number;
  /** Limit for one command; its whole process group is killed when it is over. */
  commandTimeoutMs: number;
  /** Cap on one tool result in bytes: command output and editor views. Default 30,000. */
  maxOutputBytes?: number;
  /**
   * The environment commands start from. Provider keys and settings, anything named like a
   * credential and git's repository-pinning variables are removed (see command-env.ts).
   */
  env: NodeJS.ProcessEnv;
  /** More variables to remove from the command environment, e.g. a configured `apiKeyEnv`. */
  secretEnvNames?: readonly string[];
  /** Time between SIGTERM and SIGKILL when a command is stopped. Default 2,000 ms. */
  killGraceMs?: number;
}

export const defaultMaxOutputBytes = 30_000;

/** A tool call at the end of an answer cut off by max_tokens has incomplete input: not run. */
function cutOff(call: Anthropic.ToolUseBlock): ToolOutcome {
  return {
    content: errorText(
      "your answer reached max_tokens while writing this tool call, so its input is incomplete and it was not run; make smaller edits (several str_replace calls instead of one large create)",
    ),
    isError: true,
    summary: `${call.name} (cut off at max_tokens)`,
  };
}

/** Tool input the model streamed that is not JSON: not run, and the model is told why. */
function notJson(call: Anthropic.ToolUseBlock, why: string): ToolOutcome {
  return {
    content: errorText(
      `the input of this ${call.name} call is not valid JSON (${why}), so it was not run; send the call again with its input as one JSON object`,
    ),
    isError: true,
    summary: "(input is not JSON)",
  };
}

export function createBuiltinExecutor(options: BuiltinExecutorOptions): StepExecutor {
  if (!Number.isInteger(options.maxTurns) || options.maxTurns < 1)
    throw new RangeError(`maxTurns must be a positive integer, got ${options.maxTurns}`);
  const { provider } = options;
  const maxOutputBytes = options.maxOutputBytes ?? defaultMaxOutputBytes;
  const env = commandEnvironment(options.env, options.secretEnvNames);
  let shell: Promise<string> | undefined;

  async function execute(request: StepExecutionRequest): Promise<StepExecutionResult> {
    const started = performance.now();
    const { signal, log, onEvent } = request;
    signal.throwIfAborted();
    const confinement = await createPathConfinement(request.worktree);
    shell ??= findShell(env);
    const context: ToolContext = {
      editor: { confinement, maxViewBytes: maxOutputBytes },
      bash: {
        cwd: confinement.root,
        env,
        shell: await shell,
        timeoutMs: options.commandTimeoutMs,
        maxOutputBytes,
        killGraceMs: options.killGraceMs ?? defaultKillGraceMs,
        signal,
        sandbox: request.sandbox,
        use: "bash",
      },
      signal,
      log,
    };
    const system: Anthropic.TextBlockParam[] | undefined =
      request.system.trim() === ""
        ? undefined
        : [{ type: "text", text: request.system, cache_control: ephemeral }];
    const messages: Anthropic.MessageParam[] = [
      { role: "user", content: [{ type: "text", text: request.prompt, cache_control: ephemeral }] },
    ];
    const moving = movingBreakpoints((system ? 1 : 0) + 1);
    const onText = onEvent ? (delta: string) => onEvent({ type: "text", delta }) : undefined;
    let usage: ModelUsage = emptyUsage();
    let costUsd: number | undefined = 0;
    let model = provider.model;
    let toolCalls = 0;
    let summary = "";

    const result = (outcome: StepExecutionResult["outcome"], turns: number) => ({
      summary,
      outcome,
      turns,
      toolCalls,
      usage,
      costUsd,
      model,
      durationMs: Math.round(performance.now() - started),
    });

    for (let turn = 1; ; turn += 1) {
      onEvent?.({ type: "turn", turn });
      moveCacheBreakpoints(messages, moving);
      const answer = await provider.turn({
        system,
        messages,
        tools: clientTools,
        maxTokens: options.maxTokens,
        signal,
        onText,
      });
      usage = addUsage(usage, answer.usage);
      costUsd = addCost(costUsd, answer.costUsd);
      model = answer.model;
      summary = messageText(answer.message).trim() || summary;
      messages.push({ role: "assistant", content: answer.message.content });
      const calls = answer.message.content.filter(
        (block): block is Anthropic.ToolUseBlock => block.type === "tool_use",
      );
      log.debug(`executor turn ${turn}: ${answer.stopReason}, ${calls.length} tool call(s)`);
      if (calls.length === 0) return result("done", turn);

      const results: Anthropic.ToolResultBlockParam[] = [];
      for (const [i, call] of calls.entries()) {
        const last = i === calls.length - 1;
        const invalid = answer.invalidToolInputs.get(call.id);
        const outcome =
          answer.stopReason === "max_tokens" && last
            ? cutOff(call)
            : invalid !== undefined
              ? notJson(call, invalid)
              : await runToolCall(call, context);
        toolCalls += 1;
        log.debug(
          `executor tool ${call.name}: ${outcome.summary}${outcome.isError ? " (error)" : ""}`,
        );
        onEvent?.({
          type: "tool",
          name: call.name,
          summary: outcome.summary,
          ok: !outcome.isError,
        });
        results.push({
          type: "tool_result",
          tool_use_id: call.id,
          content: outcome.content,
          ...(outcome.isError ? { is_error: true } : {}),
        });
      }
      messages.push({ role: "user", content: results });
      if (turn >= options.maxTurns) return result("turn-limit", turn);
    }
  }

  return { name: `anthropic:${provider.model}`, execute };
}
