/**
 * The environment a model's commands run with: the caller's, minus anything that would let a
 * command reach a model provider with our credentials or leak them into output the model reads
 * (API keys, tokens, provider base URLs and settings), and minus the variables that pin git to
 * the caller's repository or configuration, so `git status` in the worktree means the worktree.
 */
import type { SpeConfig } from "../config/schema.ts";
import { cleanGitEnv } from "../git/env.ts";

/** Key variables the config names (`providers.<name>.apiKeyEnv`): scrubbed like the standard ones. */
export function configuredSecretNames(config: SpeConfig): string[] {
  return Object.values(config.providers).flatMap((p) => (p.apiKeyEnv ? [p.apiKeyEnv] : []));
}

/** Whole families of provider settings: keys, base URLs, project and model selection. */
const providerPrefixes = ["ANTHROPIC_", "CLAUDE_", "GEMINI_", "GOOGLE_GENAI_", "OPENAI_"];

const providerNames = new Set([
  "GOOGLE_API_KEY",
  "GOOGLE_GEMINI_BASE_URL",
  "GOOGLE_APPLICATION_CREDENTIALS",
]);

/** Credentials by naming convention: GITHUB_TOKEN, NPM_TOKEN, AWS_SECRET_ACCESS_KEY, … */
const secretSuffixes = ["_API_KEY", "_TOKEN", "_SECRET", "_SECRET_KEY", "_ACCESS_KEY", "_PASSWORD"];

/** `git -c` settings of the caller (a hook's environment): not for another worktree. */
const gitConfigVariable = /^GIT_CONFIG_(PARAMETERS|COUNT|KEY_\d+|VALUE_\d+)$/;

export function isScrubbedVariable(name: string, extraNames: ReadonlySet<string>): boolean {
  const upper = name.toUpperCase();
  return (
    extraNames.has(upper) ||
    providerNames.has(upper) ||
    providerPrefixes.some((prefix) => upper.startsWith(prefix)) ||
    secretSuffixes.some((suffix) => upper.endsWith(suffix)) ||
    gitConfigVariable.test(upper)
  );
}

/**
 * A copy of `env` for model commands. `extraNames` adds variables to remove, e.g. the one a
 * config's `providers.<name>.apiKeyEnv` names. Names compare case-insensitively.
 */
export function commandEnvironment(
  env: NodeJS.ProcessEnv,
  extraNames: Iterable<string> = [],
): NodeJS.ProcessEnv {
  const extra = new Set([...extraNames].map((name) => name.toUpperCase()));
  const out = cleanGitEnv(env);
  for (const name of Object.keys(out)) {
    if (isScrubbedVariable(name, extra)) delete out[name];
  }
  // stdin is closed anyway; this makes git fail fast instead of trying to ask for credentials.
  out.GIT_TERMINAL_PROMPT = "0";
  return out;
}
