/** What an agent CLI back end is built from, after config and PATH are resolved. */
import type { SpeConfig } from "../config/schema.ts";
import type { CliRun } from "./agent-cli.ts";
import type { ThinkingSetting } from "./thinking.ts";
import type { ModelCallRequest } from "./types.ts";

/** How much the agent may do when it runs as an executor; unset leaves the CLI's defaults. */
export interface AgentOptions {
  /** claude `--permission-mode` (`acceptEdits`, `plan`, …); gemini `--approval-mode`. */
  permissionMode?: string;
  /** claude `--allowedTools` (gemini-cli's `--allowed-tools` is deprecated and not passed). */
  allowedTools?: readonly string[];
  /** claude `--max-turns`. */
  maxTurns?: number;
}

export interface CliProviderSettings {
  /** Undefined: the CLI's default model. */
  model: string | undefined;
  /** Absolute path of the executable, found on PATH. */
  bin: string;
  /** The environment the CLI runs with (it reads its own key from it). */
  env: NodeJS.ProcessEnv;
  /** Default working directory when a call gives no `cwd`. */
  cwd: string;
  timeoutMs: number | undefined;
  prices: SpeConfig["prices"];
  agent: AgentOptions;
  installHint: string;
  /** In a sandbox: the variables of `env` the CLI needs (its key, base URL, settings). */
  passEnv: string[];
  /** In a sandbox: "host:port" of its API (the only host it may reach unless the config adds). */
  apiHost: string;
  /** The phase's `thinking` (undefined: the CLI's default). */
  thinking?: ThinkingSetting;
}

/** Linux caps one argv string at 128 KiB (MAX_ARG_STRLEN); longer text goes on stdin. */
export function fitsInArg(text: string): boolean {
  return Buffer.byteLength(text, "utf8") <= 100_000;
}

/** A prompt argument that cannot be mistaken for an option. */
export function promptArg(prompt: string): string {
  return prompt.startsWith("-") ? ` ${prompt}` : prompt;
}

/** How one call runs the CLI: its arguments, stdin, and settings files for a sandboxed run. */
export interface CliInvocation {
  args: string[];
  input: string | undefined;
  /** Written into the sandbox's scratch `$HOME` (relative paths), only when sandboxed. */
  homeFiles?: Readonly<Record<string, string>>;
  /** Variables added to the CLI's environment (and passed into its sandbox). */
  env?: Readonly<Record<string, string>>;
}

/** A CLI run of one call: `invocation` (from claudeCodeArgs, geminiCliArgs) with the settings. */
export function cliRun(
  provider: string,
  settings: CliProviderSettings,
  request: ModelCallRequest,
  invocation: CliInvocation,
): CliRun {
  return {
    provider,
    bin: settings.bin,
    args: invocation.args,
    input: invocation.input,
    cwd: request.cwd ?? settings.cwd,
    env: { ...settings.env, ...invocation.env },
    signal: request.signal,
    timeoutMs: settings.timeoutMs,
    installHint: settings.installHint,
    ...(request.sandbox
      ? {
          sandbox: {
            sandbox: request.sandbox,
            passEnv: [...settings.passEnv, ...Object.keys(invocation.env ?? {})],
            hosts: [settings.apiHost],
            ...(invocation.homeFiles ? { homeFiles: invocation.homeFiles } : {}),
          },
        }
      : {}),
  };
}
