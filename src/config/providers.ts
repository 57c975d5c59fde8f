/**
 * The one table of model back ends: how each is reached, where its key and base URL come from,
 * and its default model. Default model ids are the newest generally available Claude Sonnet and
 * Gemini Pro ids in the installed SDKs' typings (@anthropic-ai/sdk 1.11, @google/genai 2.32;
 * Gemini 3.x Pro ids there are still "-preview").
 */

export interface ApiProviderInfo {
  kind: "api";
  /** Environment variables holding the key, in order of preference. */
  keyEnv: readonly string[];
  /** A local OpenAI-compatible server needs no key. */
  keyOptional: boolean;
  baseUrlEnv: string;
  defaultModel: string | undefined;
}

export interface CliProviderInfo {
  kind: "cli";
  bin: string;
  /** The npm package of the CLI. */
  package: string;
  /** What to install when the binary is missing. */
  installHint: string;
  /** The key it reads from the environment when it has no login of its own (in the sandbox, on CI). */
  keyEnv: readonly string[];
}

export type ProviderInfo = ApiProviderInfo | CliProviderInfo;

export const builtinProviders = {
  anthropic: {
    kind: "api",
    keyEnv: ["ANTHROPIC_API_KEY"],
    keyOptional: false,
    baseUrlEnv: "ANTHROPIC_BASE_URL",
    defaultModel: "claude-sonnet-5-5",
  },
  google: {
    kind: "api",
    keyEnv: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
    keyOptional: false,
    baseUrlEnv: "GOOGLE_GEMINI_BASE_URL",
    defaultModel: "gemini-2.5-pro",
  },
  openai: {
    kind: "api",
    keyEnv: ["OPENAI_API_KEY"],
    keyOptional: true,
    baseUrlEnv: "OPENAI_BASE_URL",
    defaultModel: undefined,
  },
  "claude-code": {
    kind: "cli",
    bin: "claude",
    package: "@anthropic-ai/claude-code",
    installHint: "npm install -g @anthropic-ai/claude-code",
    keyEnv: ["ANTHROPIC_API_KEY"],
  },
  "gemini-cli": {
    kind: "cli",
    bin: "gemini",
    package: "@google/gemini-cli",
    installHint: "npm install -g @google/gemini-cli",
    keyEnv: ["GEMINI_API_KEY"],
  },
} as const satisfies Record<string, ProviderInfo>;

export type BuiltinProviderName = keyof typeof builtinProviders;

export const builtinProviderNames = Object.keys(builtinProviders) as BuiltinProviderName[];

export function isBuiltinProvider(name: string): name is BuiltinProviderName {
  return Object.hasOwn(builtinProviders, name);
}

/** Whether `ref` ("claude-code", "gemini-cli:gemini-2.5-pro") names a built-in agent CLI. */
export function isAgentCli(ref: string): boolean {
  const name = ref.split(":")[0] ?? "";
  return isBuiltinProvider(name) && builtinProviders[name].kind === "cli";
}

export const defaultModels = {
  spec: `google:${builtinProviders.google.defaultModel}`,
  plan: `google:${builtinProviders.google.defaultModel}`,
  exec: `anthropic:${builtinProviders.anthropic.defaultModel}`,
} as const;

export type ModelRole = keyof typeof defaultModels;
export const modelRoles = Object.keys(defaultModels) as ModelRole[];

/** Hosts the dependency bootstrap may reach by default (`exec.sandbox.network.bootstrap`). */
export const defaultBootstrapHosts: readonly string[] = [
  "registry.npmjs.org",
  "registry.yarnpkg.com",
  "pypi.org",
  "files.pythonhosted.org",
];
