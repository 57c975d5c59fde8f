/**
 * The step executor for `models.exec`: the built-in tool loop for an `anthropic:` model, or an
 * agent CLI (claude-code, gemini-cli) run with the worktree as its working directory, or a
 * plugin's provider (its `execute`, else its `call` with the worktree as cwd). Other providers
 * cannot edit files and are refused up front.
 */
import { createBuiltinExecutor } from "../../agent/builtin-executor.ts";
import { configuredSecretNames } from "../../agent/command-env.ts";
import type { StepExecutor } from "../../agent/types.ts";
import { parseModelRef } from "../../config/model-ref.ts";
import type { SpeConfig } from "../../config/schema.ts";
import { usageError } from "../../errors.ts";
import type { Logger } from "../../log.ts";
import { createAnthropicTurnProvider, createProvider } from "../../providers/create-provider.ts";
import type { ModelProvider } from "../../providers/types.ts";
import { createPluginProvider, findPluginProvider } from "../../plugins/providers.ts";

export interface ExecutorSettings {
  config: SpeConfig;
  env: NodeJS.ProcessEnv;
  log: Logger;
  maxTurns: number;
}

/** An executor that asks a provider to do the step in the worktree (agent CLIs, plugin agents). */
function callingExecutor(name: string, provider: ModelProvider): StepExecutor {
  return {
    name,
    async execute(request) {
      const result = await provider.call({
        system: request.system,
        prompt: request.prompt,
        cwd: request.worktree,
        signal: request.signal,
        sandbox: request.sandbox,
      });
      return {
        summary: result.text,
        outcome: "done",
        turns: 1,
        toolCalls: 0,
        usage: result.usage,
        costUsd: result.costUsd,
        model: `${result.provider}:${result.model}`,
        durationMs: result.durationMs,
      };
    },
  };
}

export async function createStepExecutor(settings: ExecutorSettings): Promise<StepExecutor> {
  const { config, env, log } = settings;
  const ref = config.models.exec;
  const parsed = parseModelRef(ref);
  const provider = "error" in parsed ? "" : parsed.provider;
  if (provider === "anthropic") {
    const turn = await createAnthropicTurnProvider(ref, config, env, {
      log,
      thinking: config.thinking.exec,
    });
    const executor = createBuiltinExecutor({
      provider: turn,
      maxTurns: settings.maxTurns,
      maxTokens: 16_000,
      commandTimeoutMs: config.exec.commandTimeoutSec * 1000,
      env,
      secretEnvNames: configuredSecretNames(config),
    });
    return { name: `anthropic:${turn.model}`, execute: (request) => executor.execute(request) };
  }
  if (provider === "claude-code" || provider === "gemini-cli") {
    const agent =
      provider === "claude-code"
        ? {
            permissionMode: "acceptEdits",
            // Claude Code 2.1's file tools (MultiEdit and LS are gone; Glob and Grep list and search).
            allowedTools: ["Read", "Edit", "Write", "Glob", "Grep", "Bash"],
            maxTurns: settings.maxTurns,
          }
        : { permissionMode: "yolo" };
    return callingExecutor(
      ref,
      await createProvider(ref, config, env, { log, agent, thinking: config.thinking.exec }),
    );
  }
  if (!("error" in parsed) && findPluginProvider(config, provider)) {
    const plugin = await createPluginProvider(
      { ref, kind: provider, model: parsed.model },
      config,
      env,
      {
        log,
      },
    );
    const execute = plugin.execute?.bind(plugin);
    return execute ? { name: ref, execute } : callingExecutor(ref, plugin);
  }
  throw usageError(`models.exec is "${ref}": executing steps needs a model that can edit files`, {
    hint: 'Use "anthropic:<model>" (the built-in executor), "claude-code", "gemini-cli" or a plugin\'s provider.',
  });
}
