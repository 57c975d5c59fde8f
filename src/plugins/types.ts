/**
 * The public plugin API. A plugin is a plain object made with `definePlugin` (an identity
 * function that gives editor completion) and listed in `plugins` of `.spe.config.ts`:
 *
 * - `contextProviders`: new context selectors, used with `--select NAME[=ARG]` on `context`,
 *   `spec` and `plan`; the files they return rank like `--grep` matches.
 * - `validators`: run with the project's `validate` commands, after every step and at the end
 *   of `exec` and by `git spe validate`; a failure goes back to the model like a failing command.
 * - `providers`: model back ends for a new provider kind (`models.exec: "mine:model"`).
 * - `hooks`: lifecycle hooks; their names, order and events are in events.ts.
 *
 * Every plugin function gets one `ctx`: the services below (git, exec, log, signal, config and
 * the ids of the spec, run and step at hand) plus what is particular to it. Plugins import
 * nothing from git spe but this API.
 */
import type { StepExecutionRequest, StepExecutionResult } from "../agent/types.ts";
import type { SpeConfig } from "../config/schema.ts";
import type { ModelProvider } from "../providers/types.ts";
import type { LifecycleHooks } from "./events.ts";
import type { TestCountReader, TestCounts } from "../protected/test-counts.ts";

export type { TestCountReader, TestCounts };

export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer U)[]
    ? readonly DeepReadonly<U>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** The resolved config as plugins see it: frozen, without the plugin objects. */
export type PluginConfig = DeepReadonly<Omit<SpeConfig, "plugins">>;

/** git spe's logger; every line is prefixed with the plugin's name. */
export interface PluginLogger {
  info(text: string): void;
  success(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  /** Shown with --debug. */
  debug(text: string): void;
}

export interface PluginExecOptions {
  /** Default: `ctx.cwd`. */
  cwd?: string;
  /** Default: `exec.commandTimeoutSec`. */
  timeoutMs?: number;
  /** Added to the command's environment. */
  env?: Record<string, string>;
  /** Output beyond this is cut in the middle (default 64 KB). */
  maxOutputBytes?: number;
}

export interface PluginExecResult {
  /** Exit code 0 and not timed out. */
  ok: boolean;
  exitCode: number | null;
  timedOut: boolean;
  /** stdout and stderr interleaved, capped. */
  output: string;
  durationMs: number;
}

/** Services handed to every plugin function instead of git spe's internals. */
export interface PluginServices {
  /**
   * Where this call acts: the user's work tree root for selectors and the spec, plan and
   * exec:before/after hooks; the scratch worktree from worktree:ready to merge:after and for
   * validators (under `git spe validate`: its temporary worktree).
   */
  cwd: string;
  /** The user's work tree root (where the config is). */
  root: string;
  config: PluginConfig;
  log: PluginLogger;
  /** Aborted on Ctrl-C, and for a validator when it runs out of time. */
  signal: AbortSignal;
  specId?: string;
  runId?: string;
  /** "S1", … inside a step (its hooks and validators). */
  stepId?: string;
  /**
   * Runs git with argv (never a shell string) in `cwd`; resolves to stdout without its final
   * newline; rejects when git exits non-zero. Outside the user's work tree the caller's
   * GIT_DIR/GIT_INDEX_FILE are dropped, so git means that worktree.
   */
  git(args: readonly string[], options?: { input?: string }): Promise<string>;
  /**
   * Runs a shell command (a string for `bash -c`, or argv, quoted for you) the way validators
   * run: own process group, killed with its children on timeout or abort, stdin closed, API
   * keys and provider settings removed from the environment. Never rejects on a non-zero exit.
   */
  exec(command: string | readonly string[], options?: PluginExecOptions): Promise<PluginExecResult>;
}

/** A context provider's `ctx`: `argument` is ARG of `--select NAME=ARG`. */
export interface SelectorContext extends PluginServices {
  argument: string | undefined;
}

/**
 * Returns the files to pack: paths relative to the work tree root (or absolute inside it).
 * Paths that do not exist are listed as deleted, like other selectors' missing files.
 */
export type ContextProvider = (
  ctx: SelectorContext,
) => readonly string[] | Promise<readonly string[]>;

/** Why validators run: after a step, at the end of a run, after merging a moved target, or `git spe validate`. */
export type ValidationStage = "step" | "final" | "merge" | "validate";

export interface ValidatorContext extends PluginServices {
  stage: ValidationStage;
}

/**
 * `ok: false` fails the validation: `output` is shown and, in a step, goes back to the model.
 * `skipped` (a reason) means the validator does not apply here; nothing is recorded.
 */
export type ValidationResult = { ok: boolean; output?: string } | { skipped: string };

/** Runs with `exec.commandTimeoutSec`; on timeout `ctx.signal` aborts and the validation fails. */
export type Validator = (ctx: ValidatorContext) => ValidationResult | Promise<ValidationResult>;

export interface ProviderFactoryContext {
  /** The provider kind: the key in `providers` of the plugin. */
  kind: string;
  /** The model reference as written ("mine:model-a"). */
  ref: string;
  /** What follows "kind:"; undefined for a bare "mine". */
  model: string | undefined;
  /** `providers.<kind>` of the config ({} when absent). */
  settings: DeepReadonly<SpeConfig["providers"][string]>;
  /** The key from the variable `settings.apiKeyEnv` names, when set; keys never come from the config. */
  apiKey: string | undefined;
  env: Readonly<NodeJS.ProcessEnv>;
  /** The directory git spe runs in. */
  cwd: string;
  log: PluginLogger;
}

/**
 * A model back end. As a phase model (`models.spec`, `models.plan`) only `call` is used. As
 * the executor (`models.exec`) `execute` is used when present; otherwise `call` is asked to do
 * the step with `cwd` set to the worktree, as the agent CLIs are.
 */
export interface PluginProvider extends ModelProvider {
  execute?(request: StepExecutionRequest): Promise<StepExecutionResult>;
}

export type ProviderFactory = (
  ctx: ProviderFactoryContext,
) => PluginProvider | Promise<PluginProvider>;

export interface SpePlugin {
  /** Unique among the configured plugins; prefixes its log lines and names its validators. */
  name: string;
  /**
   * More paths that decide "done" (gitignore-style patterns, from the repository root): a step
   * that changes one is held back before merging as a validation change, like `exec.protect`.
   */
  protect?: readonly string[];
  /**
   * Reads how many tests a validator ran from its output (for a runner git spe does not know);
   * tried before the built-in readers. Return undefined when the output is not yours.
   */
  testCounts?: TestCountReader;
  contextProviders?: Record<string, ContextProvider>;
  validators?: Record<string, Validator>;
  providers?: Record<string, ProviderFactory>;
  hooks?: LifecycleHooks;
}

/** Identity function: gives editor completion and type checking for a plugin object. */
export function definePlugin<const P extends SpePlugin>(plugin: P): P {
  return plugin;
}
