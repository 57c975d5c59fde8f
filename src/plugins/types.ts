/**
 * The public plugin API. `definePlugin` is an identity function that gives editor completion;
 * the loader and lifecycle runner that call these arrive with the plugins issue, which fixes
 * the hook order.
 */
import type { Logger } from "../log.ts";

/** Services handed to plugins instead of internals. */
export interface PluginServices {
  /** The repository's work tree root. */
  cwd: string;
  log: Logger;
  signal: AbortSignal;
  /** Runs git with argv (never a shell string) in `cwd`; resolves to trimmed stdout. */
  git(args: readonly string[]): Promise<string>;
}

export interface ValidationResult {
  ok: boolean;
  /** Output shown to the user and fed back to the model on failure. */
  output?: string;
}

export type LifecycleHookName =
  | "spec:before"
  | "spec:after"
  | "plan:before"
  | "plan:after"
  | "exec:before"
  | "step:before"
  | "step:after"
  | "merge:before"
  | "merge:after"
  | "exec:after";

export type ContextProvider = (services: PluginServices, argument?: string) => Promise<string[]>;
export type Validator = (services: PluginServices) => Promise<ValidationResult>;
export type LifecycleHook = (services: PluginServices, event: Record<string, unknown>) => unknown;
/** Creates a model back end; its contract is fixed by the providers layer. */
export type ProviderFactory = (settings: Record<string, unknown>) => unknown;

export interface SpePlugin {
  name: string;
  contextProviders?: Record<string, ContextProvider>;
  validators?: Record<string, Validator>;
  providers?: Record<string, ProviderFactory>;
  hooks?: Partial<Record<LifecycleHookName, LifecycleHook>>;
}

export function definePlugin<const P extends SpePlugin>(plugin: P): P {
  return plugin;
}
