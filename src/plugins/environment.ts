/**
 * What the plugin runtime needs from the command it runs in, and the plugins that are active
 * for a config: the configured ones in order, after git spe's default `node` bootstrap unless
 * the config lists its own plugin named "node" (see defaults.ts).
 */
import path from "node:path";
import type { SpeConfig } from "../config/schema.ts";
import type { Git } from "../git/exec.ts";
import type { Logger } from "../log.ts";
import type { Sandbox } from "../sandbox/sandbox.ts";
import type { Workspace } from "../workspace.ts";
import { defaultPlugins } from "./defaults.ts";
import type { SpePlugin } from "./types.ts";

export interface PluginEnvironment {
  /** The user's work tree root. */
  root: string;
  config: SpeConfig;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  log: Logger;
  /** git at `cwd`: the caller's repository (and GIT_* environment) at `root`, isolated elsewhere. */
  gitAt(cwd: string): Git;
  /** The plugins to call, in order (default: `activePlugins(config)`). */
  plugins?: readonly ActivePlugin[];
  /** The worktree's sandbox: `exec` of a call acting in that worktree runs through it. */
  sandbox?: Sandbox;
  /** git spe's scratch area (`<common dir>/spe`): no command runs there unsandboxed. */
  scratchDir?: string;
}

export interface ActivePlugin {
  plugin: SpePlugin;
  /** "plugins[2]" for a configured plugin; "default" for one git spe adds. */
  origin: string;
}

/** `PluginEnvironment.gitAt` for a root and the git that runs there. */
export function gitAtRoot(root: string, git: Git): (cwd: string) => Git {
  return (cwd) => (cwd === root ? git : git.at(cwd, { isolate: true, untrusted: true }));
}

/** From a phase's environment (anything with a workspace, env, signal and log). */
export function pluginEnvironment(pe: {
  ws: Workspace;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  log: Logger;
  sandbox?: Sandbox;
}): PluginEnvironment {
  const { ws } = pe;
  return {
    root: ws.paths.toplevel,
    config: ws.config,
    env: pe.env,
    signal: pe.signal,
    log: pe.log,
    gitAt: gitAtRoot(ws.paths.toplevel, ws.git),
    scratchDir: path.join(ws.paths.commonDir, "spe"),
    ...(pe.sandbox ? { sandbox: pe.sandbox } : {}),
  };
}

const cache = new WeakMap<SpeConfig, readonly ActivePlugin[]>();

export function activePlugins(config: SpeConfig): readonly ActivePlugin[] {
  let active = cache.get(config);
  if (!active) {
    const configured = config.plugins.map((plugin, i) => ({ plugin, origin: `plugins[${i}]` }));
    const names = new Set(config.plugins.map((p) => p.name));
    const defaults = defaultPlugins()
      .filter((p) => !names.has(p.name))
      .map((plugin) => ({ plugin, origin: "default" }));
    active = [...defaults, ...configured];
    cache.set(config, active);
  }
  return active;
}

export function pluginsOf(penv: PluginEnvironment): readonly ActivePlugin[] {
  return penv.plugins ?? activePlugins(penv.config);
}
