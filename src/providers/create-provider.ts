/**
 * The one way to get a model back end: from a model reference ("google:gemini-2.5-pro",
 * "claude-code"), the config and the environment. Base URLs come from config
 * `providers.<name>.baseUrl`, else the standard variable (ANTHROPIC_BASE_URL,
 * GOOGLE_GEMINI_BASE_URL, OPENAI_BASE_URL); keys only from the environment — the variable named
 * by `providers.<name>.apiKeyEnv`, else the table's. A missing key or CLI is an exit-3 error
 * that says what to set or install. A kind a plugin registers is built by its factory
 * (plugins/providers.ts).
 */
import {
  builtinProviders,
  isBuiltinProvider,
  type ApiProviderInfo,
  type CliProviderInfo,
} from "../config/providers.ts";
import { parseModelRef } from "../config/model-ref.ts";
import type { SpeConfig } from "../config/schema.ts";
import { environmentError, usageError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { findExecutable } from "../util/find-executable.ts";
import type { AnthropicProvider } from "./anthropic.ts";
import { type ApiProviderSettings, defaultMaxRetries, defaultTimeoutSec } from "./api-settings.ts";
import { createClaudeCodeProvider } from "./claude-code.ts";
import type { AgentOptions, CliProviderSettings } from "./cli-settings.ts";
import type { ThinkingSetting } from "./thinking.ts";
import { createGeminiCliProvider } from "./gemini-cli.ts";
import { urlHost } from "../sandbox/hosts.ts";
import { createOpenAIProvider, defaultOpenAIBaseUrl } from "./openai-compatible.ts";
import type { ModelProvider } from "./types.ts";
import {
  createPluginProvider,
  findPluginProvider,
  pluginProviderKinds,
} from "../plugins/providers.ts";

export interface CreateProviderOptions {
  /** SDK diagnostics (retries, warnings) go here; nothing is printed without it. */
  log?: Logger;
  /** Agent CLIs: permissions when the CLI runs as an executor. */
  agent?: AgentOptions;
  /** Agent CLIs: working directory when a call names none (default: the process's). */
  cwd?: string;
  /** First retry delay where the server gives no `retry-after` (Google, OpenAI-compatible). */
  retryDelayMs?: number;
  /** The phase's `thinking` setting (undefined: the model's default). */
  thinking?: ThinkingSetting;
}

/** What each agent CLI reads from the environment, and where its API is by default. */
const cliVariables = {
  "claude-code": {
    prefixes: ["ANTHROPIC_", "CLAUDE_", "DISABLE_"],
    baseUrlEnv: "ANTHROPIC_BASE_URL",
    defaultUrl: "https://api.anthropic.com",
  },
  "gemini-cli": {
    prefixes: ["GEMINI_", "GOOGLE_"],
    baseUrlEnv: "GOOGLE_GEMINI_BASE_URL",
    defaultUrl: "https://generativelanguage.googleapis.com",
  },
} as const;

const nonEmpty = (value: string | undefined) =>
  value === undefined || value.trim() === "" ? undefined : value;

function resolveApiSettings(
  name: string,
  info: ApiProviderInfo,
  model: string,
  config: SpeConfig,
  env: NodeJS.ProcessEnv,
  options: CreateProviderOptions,
): ApiProviderSettings {
  const settings = config.providers[name] ?? {};
  const baseUrl = settings.baseUrl ?? nonEmpty(env[info.baseUrlEnv]);
  const variables = settings.apiKeyEnv ? [settings.apiKeyEnv] : [...info.keyEnv];
  const variable = variables.find((v) => nonEmpty(env[v]) !== undefined);
  // A local OpenAI-compatible server needs no key; OpenAI itself does.
  const keyRequired =
    !info.keyOptional || (baseUrl ?? defaultOpenAIBaseUrl) === defaultOpenAIBaseUrl;
  if (!variable && keyRequired) {
    throw environmentError(
      `${name}: no API key; set ${variables.join(" or ")} in the environment`,
      {
        hint: [
          `export ${variables[0]}=…`,
          `Keys are read only from the environment; providers.${name}.apiKeyEnv in .spe.config.ts names another variable.`,
        ],
      },
    );
  }
  return {
    model,
    baseUrl,
    apiKey: variable ? env[variable] : undefined,
    timeoutMs: (settings.timeoutSec ?? defaultTimeoutSec) * 1000,
    maxRetries: settings.maxRetries ?? defaultMaxRetries,
    prices: config.prices,
    retryDelayMs: options.retryDelayMs,
    log: options.log,
    ...(options.thinking === undefined ? {} : { thinking: options.thinking }),
  };
}

async function resolveCliSettings(
  name: string,
  info: CliProviderInfo,
  model: string | undefined,
  config: SpeConfig,
  env: NodeJS.ProcessEnv,
  options: CreateProviderOptions,
): Promise<CliProviderSettings> {
  const bin = await findExecutable(info.bin, env);
  if (!bin) {
    throw environmentError(
      `${name}: the "${info.bin}" CLI is not on PATH; install ${info.package}`,
      {
        hint: `${info.installHint}`,
      },
    );
  }
  const timeoutSec = config.providers[name]?.timeoutSec;
  const own = cliVariables[name as keyof typeof cliVariables] ?? cliVariables["claude-code"];
  const keyEnv = config.providers[name]?.apiKeyEnv;
  return {
    model,
    bin,
    env,
    passEnv: Object.keys(env).filter(
      (v) => v === keyEnv || own.prefixes.some((prefix) => v.startsWith(prefix)),
    ),
    apiHost:
      urlHost(config.providers[name]?.baseUrl ?? nonEmpty(env[own.baseUrlEnv]) ?? own.defaultUrl) ??
      (urlHost(own.defaultUrl) as string),
    cwd: options.cwd ?? process.cwd(),
    timeoutMs: timeoutSec === undefined ? undefined : timeoutSec * 1000,
    prices: config.prices,
    agent: options.agent ?? {},
    installHint: info.installHint,
    ...(options.thinking === undefined ? {} : { thinking: options.thinking }),
  };
}

function parse(ref: string, config: SpeConfig): { name: string; model: string | undefined } {
  const parsed = parseModelRef(ref);
  if ("error" in parsed) throw usageError(parsed.error);
  if (!isBuiltinProvider(parsed.provider) && !findPluginProvider(config, parsed.provider)) {
    const known = [...Object.keys(builtinProviders), ...pluginProviderKinds(config)];
    throw usageError(
      `unknown model provider "${parsed.provider}" in "${ref}": expected one of ${known.join(", ")}`,
    );
  }
  return { name: parsed.provider, model: parsed.model };
}

export async function createProvider(
  ref: string,
  config: SpeConfig,
  env: NodeJS.ProcessEnv,
  options: CreateProviderOptions = {},
): Promise<ModelProvider> {
  const { name, model } = parse(ref, config);
  if (!isBuiltinProvider(name))
    return createPluginProvider({ ref, kind: name, model }, config, env, options);
  const info = builtinProviders[name as keyof typeof builtinProviders];
  if (info.kind === "cli") {
    const settings = await resolveCliSettings(name, info, model, config, env, options);
    return name === "claude-code"
      ? createClaudeCodeProvider(settings)
      : createGeminiCliProvider(settings);
  }
  const resolved = model ?? info.defaultModel;
  if (!resolved)
    throw usageError(`"${ref}" names no model: write ${name}:<model>, e.g. ${name}:llama3.3`);
  const settings = resolveApiSettings(name, info, resolved, config, env, options);
  // The SDKs load only when a model is called: commands that call none start faster.
  if (name === "anthropic")
    return (await import("./anthropic.ts")).createAnthropicProvider(settings);
  if (name === "google") return (await import("./google.ts")).createGoogleProvider(settings);
  return createOpenAIProvider(settings);
}

/** The Anthropic back end with its raw `turn()`, for the built-in executor's tool loop. */
export async function createAnthropicTurnProvider(
  ref: string,
  config: SpeConfig,
  env: NodeJS.ProcessEnv,
  options: CreateProviderOptions = {},
): Promise<AnthropicProvider> {
  const { name, model } = parse(ref, config);
  if (name !== "anthropic")
    throw usageError(
      `"${ref}" cannot run the built-in executor: it needs an anthropic:<model> reference`,
    );
  const info = builtinProviders.anthropic;
  const { createAnthropicProvider } = await import("./anthropic.ts");
  return createAnthropicProvider(
    resolveApiSettings(name, info, model ?? info.defaultModel, config, env, options),
  );
}
