/**
 * The `gemini-cli` back end: Gemini CLI headless, `gemini -p <prompt> -o json --skip-trust
 * [-m MODEL] [--approval-mode MODE]` (checked against `gemini --help` of 0.61). On success stdout
 * is one JSON object `{session_id, response, stats}` where `stats.models` holds per-model token
 * counts (`prompt` includes `cached`; `thoughts` are billed as output). On failure the CLI writes
 * `{session_id, error: {type, message, code}}` and exits non-zero. Gemini CLI has no
 * system-prompt-append or schema flag, so the system text and the context go on stdin (which it
 * reads before the prompt) and a JSON answer is asked for in the prompt.
 *
 * Headless Gemini CLI refuses a folder the user has not trusted (exit 55): `--skip-trust`, so
 * calls run only where nothing of the repository's can configure it — the run's sandbox when
 * executing, an empty private directory for spec and plan (see `phaseAgentDir`). In the sandbox
 * its `$HOME` is a scratch directory, so its settings are written there: the auth type from the
 * environment (0.61 takes `GOOGLE_GEMINI_BASE_URL` for a "gateway" auth type that its headless
 * check then refuses, "Invalid auth method selected."), and no usage statistics, telemetry or
 * update checks (hosts the sandbox would refuse anyway). `--allowed-tools` is deprecated in 0.61
 * and not passed: an executor runs with `--approval-mode yolo` inside the sandbox.
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
import { jsonFields, jsonInstruction } from "./json-answer.ts";
import { findPrice } from "./prices.ts";
import { oneLine } from "./provider-errors.ts";
import { geminiCliThinking, type ThinkingSetting } from "./thinking.ts";
import {
  addCost,
  addUsage,
  emptyUsage,
  type ModelCallRequest,
  type ModelCallResult,
  type ModelProvider,
} from "./types.ts";

const provider = "gemini-cli";

interface ModelTokens {
  prompt?: number;
  candidates?: number;
  cached?: number;
  thoughts?: number;
}

interface JsonOutput {
  response?: string;
  /** Per model; `roles.main` marks the model that answered (others: its router, utilities). */
  stats?: { models?: Record<string, { tokens?: ModelTokens; roles?: Record<string, unknown> }> };
  error?: { type?: string; message?: string; code?: string | number };
}

/** Gemini CLI's user settings for a run in the sandbox's scratch `$HOME`. */
export function geminiCliSettings(
  env: NodeJS.ProcessEnv,
  thinking?: ThinkingSetting,
): Record<string, unknown> {
  const modelConfigs = geminiCliThinking(thinking);
  const selectedType =
    env.GOOGLE_GENAI_USE_VERTEXAI === "true"
      ? "vertex-ai"
      : env.GEMINI_API_KEY
        ? "gemini-api-key"
        : undefined;
  return {
    ...(selectedType ? { security: { auth: { selectedType } } } : {}),
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
    ...(modelConfigs ? { modelConfigs } : {}),
  };
}

export function geminiCliArgs(
  settings: CliProviderSettings,
  request: ModelCallRequest,
): CliInvocation {
  let prompt =
    request.prompt + (request.jsonSchema ? jsonInstruction(request.jsonSchema.schema) : "");
  const stdin = [request.system, request.context].filter((part): part is string => Boolean(part));
  if (!fitsInArg(prompt)) {
    stdin.push(prompt);
    prompt = "Follow the instructions above.";
  }
  const args = ["-p", promptArg(prompt), "-o", "json", "--skip-trust"];
  if (settings.model) args.push("-m", settings.model);
  if (settings.agent.permissionMode) args.push("--approval-mode", settings.agent.permissionMode);
  return {
    args,
    input: stdin.length ? stdin.join("\n\n") : undefined,
    homeFiles: {
      ".gemini/settings.json": `${JSON.stringify(geminiCliSettings(settings.env, settings.thinking), null, 2)}\n`,
    },
  };
}

/** The JSON object in a CLI stream, tolerating log lines printed before it. */
function parseOutput(text: string): JsonOutput | undefined {
  const start = text.search(/^\{/m);
  if (start === -1) return undefined;
  try {
    return JSON.parse(text.slice(start)) as JsonOutput;
  } catch {
    return undefined;
  }
}

export function createGeminiCliProvider(settings: CliProviderSettings): ModelProvider {
  return {
    provider,
    model: settings.model ?? "default",
    async call(request: ModelCallRequest): Promise<ModelCallResult> {
      const started = performance.now();
      const outcome = await runCli(
        cliRun(provider, settings, request, geminiCliArgs(settings, request)),
      );
      const output = parseOutput(outcome.stdout);
      if (outcome.exitCode !== 0 || output?.error || typeof output?.response !== "string") {
        const error = output?.error ?? parseOutput(outcome.stderr)?.error;
        const said =
          error?.message ??
          (lastLine(outcome.stderr) ||
            (output
              ? `the CLI exited with code ${outcome.exitCode}`
              : `the CLI printed no JSON answer (exit ${outcome.exitCode})`));
        throw new ProviderError(provider, oneLine(error?.type ? `${error.type}: ${said}` : said));
      }
      const text = output.response;
      request.onText?.(text);
      let usage = emptyUsage();
      let costUsd: number | undefined = 0;
      const models = Object.entries(output.stats?.models ?? {});
      for (const [model, { tokens = {} }] of models) {
        const cached = tokens.cached ?? 0;
        const used = {
          inputTokens: Math.max(0, (tokens.prompt ?? 0) - cached),
          outputTokens: (tokens.candidates ?? 0) + (tokens.thoughts ?? 0),
          cacheReadTokens: cached,
          cacheWriteTokens: 0,
          ...(tokens.thoughts ? { thinkingTokens: tokens.thoughts } : {}),
        };
        usage = addUsage(usage, used);
        const cost = computeCost(used, findPrice(provider, model, settings.prices));
        costUsd = addCost(costUsd, cost);
      }
      const answerJson = request.jsonSchema ? jsonFields(text) : {};
      return {
        text,
        ...answerJson,
        usage,
        costUsd: models.length === 0 ? undefined : costUsd,
        provider,
        model:
          settings.model ??
          (models.find(([, stats]) => stats.roles?.main) ?? models.at(-1))?.[0] ??
          "default",
        durationMs: Math.round(performance.now() - started),
        stopReason: "STOP",
      };
    },
  };
}
