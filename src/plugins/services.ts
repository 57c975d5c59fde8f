/**
 * The services one plugin function gets: git and shell commands at `cwd` (commands run like
 * validators: process group, timeout, group kill, no API keys), a logger that prefixes the
 * plugin's name, the signal, a frozen copy of the config, and the ids at hand.
 */
import path from "node:path";
import type { SpeConfig } from "../config/schema.ts";
import type { Logger } from "../log.ts";
import { isInside } from "../sandbox/policy.ts";
import { type Sandbox, type SandboxUse, unconfinedSandbox } from "../sandbox/sandbox.ts";
import { findShell } from "../util/find-executable.ts";
import { shellQuote } from "../util/shell-quote.ts";
import { runShellCommand } from "../workflow/execute/validation.ts";
import type { PluginEnvironment } from "./environment.ts";
import type { PluginConfig, PluginLogger, PluginServices, SpePlugin } from "./types.ts";

/** Where a call acts and the ids it runs under. */
export interface CallScope {
  /** Default: the user's work tree root. */
  cwd?: string;
  specId?: string;
  runId?: string;
  stepId?: string;
  /** Overrides the environment's signal (a validator's own timeout). */
  signal?: AbortSignal;
  /** What `exec` runs for in the worktree's sandbox (default "validate"). */
  use?: SandboxUse;
}

const frozen = new WeakMap<SpeConfig, PluginConfig>();

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A frozen copy of anything JSON-like (events, the config without its plugins). */
export function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}

export function pluginConfig(config: SpeConfig): PluginConfig {
  let copy = frozen.get(config);
  if (!copy) {
    const { plugins: _plugins, ...rest } = config;
    copy = frozenCopy(rest);
    frozen.set(config, copy);
  }
  return copy;
}

export function pluginLogger(log: Logger, name: string): PluginLogger {
  const prefix = (text: string) => `${name}: ${text}`;
  return {
    info: (text) => log.info(prefix(text)),
    success: (text) => log.success(prefix(text)),
    warn: (text) => log.warn(prefix(text)),
    error: (text) => log.error(prefix(text)),
    debug: (text) => log.debug(prefix(text)),
  };
}

/**
 * A plugin's command inside the sandboxed worktree goes through its sandbox; anywhere else (the
 * user's work tree root: selectors, spec and plan hooks) it is the plugin's own work and runs
 * unconfined. A command aimed at git spe's scratch area without a sandbox is a bug, not a
 * reason to run it unconfined.
 */
function sandboxFor(penv: PluginEnvironment, cwd: string): Sandbox {
  const where = path.resolve(cwd);
  if (penv.sandbox && isInside(where, path.resolve(penv.sandbox.worktree))) return penv.sandbox;
  if (penv.scratchDir && isInside(where, path.resolve(penv.scratchDir)))
    throw new Error(`plugin exec in ${cwd}: a scratch worktree's commands need its sandbox`);
  return unconfinedSandbox({ config: penv.config, worktree: "/" });
}

export function createPluginServices(
  penv: PluginEnvironment,
  plugin: SpePlugin,
  scope: CallScope = {},
): PluginServices {
  const cwd = scope.cwd ?? penv.root;
  const signal = scope.signal ?? penv.signal;
  return {
    cwd,
    root: penv.root,
    config: pluginConfig(penv.config),
    log: pluginLogger(penv.log, plugin.name),
    signal,
    ...(scope.specId ? { specId: scope.specId } : {}),
    ...(scope.runId ? { runId: scope.runId } : {}),
    ...(scope.stepId ? { stepId: scope.stepId } : {}),
    git: (args, options = {}) =>
      penv.gitAt(cwd).text(args, {
        signal,
        ...(options.input !== undefined ? { input: options.input } : {}),
      }),
    async exec(command, options = {}) {
      const shell = await findShell(penv.env);
      const where = options.cwd ?? cwd;
      const result = await runShellCommand(
        typeof command === "string" ? command : shellQuote(command),
        {
          cwd: where,
          env: { ...penv.env, ...options.env },
          sandbox: sandboxFor(penv, where),
          use: scope.use ?? "validate",
          passEnv: Object.keys(options.env ?? {}),
          shell,
          timeoutMs: options.timeoutMs ?? penv.config.exec.commandTimeoutSec * 1000,
          maxOutputBytes: options.maxOutputBytes,
          signal,
        },
      );
      return {
        ok: result.exitCode === 0 && !result.timedOut,
        exitCode: result.exitCode,
        timedOut: result.timedOut,
        output: result.output,
        durationMs: result.durationMs,
      };
    },
  };
}
