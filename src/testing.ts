/**
 * `git-spe/testing`: a harness for plugin authors' tests. It calls a plugin's hooks, validators,
 * selectors and providers exactly as git spe does (same services, same error wrapping, same
 * validator timeout), in a directory of the test's choosing, and records what the plugin logged.
 *
 * ```ts
 * import { testPlugin } from "git-spe/testing";
 * const t = testPlugin(myPlugin(), { cwd: tempDir });
 * expect(await t.validate("lint")).toMatchObject({ ok: true });
 * expect(t.messages("info")).toContain("linted 3 files");
 * ```
 */
import type { SpeConfig, SpeConfigInput } from "./config/schema.ts";
import { validateConfig } from "./config/validate.ts";
import { createGit } from "./git/exec.ts";
import { createMemoryLogger } from "./log.ts";
import { gitAtRoot, type PluginEnvironment } from "./plugins/environment.ts";
import type { LifecycleEvents, LifecycleHookName } from "./plugins/events.ts";
import { runHook } from "./plugins/lifecycle.ts";
import { createPluginProvider } from "./plugins/providers.ts";
import { pluginSelector } from "./plugins/selectors.ts";
import { createPluginServices, type CallScope } from "./plugins/services.ts";
import type {
  PluginProvider,
  PluginServices,
  SpePlugin,
  ValidationStage,
} from "./plugins/types.ts";
import { callPluginValidator } from "./plugins/validators.ts";

export interface PluginTestOptions {
  /** Where the plugin acts: a worktree for hooks from worktree:ready on and for validators. */
  cwd: string;
  /** The user's work tree root (default: `cwd`); selectors and spec/plan hooks act here. */
  root?: string;
  /** Config as in .spe.config.ts, without `plugins` (the plugin under test is the only one). */
  config?: Omit<SpeConfigInput, "plugins">;
  /** Default: process.env. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  specId?: string;
  runId?: string;
  stepId?: string;
}

export interface LogLine {
  level: string;
  text: string;
}

export interface ValidatorRun {
  ok: boolean;
  /** The reason, when the validator skipped itself (then `ok` is true). */
  skipped?: string;
  output: string;
  timedOut: boolean;
}

export interface PluginTester {
  readonly plugin: SpePlugin;
  readonly config: SpeConfig;
  /** Every line logged, as git spe prints them ("<plugin>: …"). */
  readonly logs: readonly LogLine[];
  /** The plugin's messages without its name prefix, optionally of one level. */
  messages(level?: string): string[];
  /** The services a plugin function gets (cwd defaults to `options.cwd`). */
  services(scope?: CallScope): PluginServices;
  runHook<K extends LifecycleHookName>(name: K, event: LifecycleEvents[K]): Promise<void>;
  validate(name: string, stage?: ValidationStage): Promise<ValidatorRun>;
  select(name: string, argument?: string): Promise<string[]>;
  provider(kind: string, model?: string): Promise<PluginProvider>;
}

export function testPlugin(plugin: SpePlugin, options: PluginTestOptions): PluginTester {
  const validation = validateConfig({ ...options.config, plugins: [plugin] });
  if (!validation.ok)
    throw new Error(`invalid plugin or config:\n  ${validation.problems.join("\n  ")}`);
  const config = validation.config;
  const env = options.env ?? process.env;
  const root = options.root ?? options.cwd;
  const signal = options.signal ?? new AbortController().signal;
  const log = createMemoryLogger();
  const git = createGit({ cwd: root, env, signal });
  const penv: PluginEnvironment = {
    root,
    config,
    env,
    signal,
    log,
    gitAt: gitAtRoot(root, git),
    plugins: [{ plugin, origin: "plugins[0]" }],
  };
  const ids = {
    ...(options.specId ? { specId: options.specId } : {}),
    ...(options.runId ? { runId: options.runId } : {}),
    ...(options.stepId ? { stepId: options.stepId } : {}),
  };
  const prefix = `${plugin.name}: `;
  return {
    plugin,
    config,
    logs: log.lines,
    messages: (level) =>
      log.lines
        .filter((l) => level === undefined || l.level === level)
        .map((l) => (l.text.startsWith(prefix) ? l.text.slice(prefix.length) : l.text)),
    services: (scope = {}) =>
      createPluginServices(penv, plugin, { cwd: options.cwd, ...ids, ...scope }),
    runHook: (name, event) => runHook(penv, name, event, { cwd: options.cwd, ...ids }),
    async validate(name, stage = "step") {
      const outcome = await callPluginValidator(penv, plugin, name, stage, {
        cwd: options.cwd,
        ...ids,
      });
      if (!outcome.run)
        return { ok: true, skipped: outcome.skipped ?? "", output: "", timedOut: false };
      const { exitCode, output, timedOut } = outcome.run;
      return { ok: exitCode === 0 && !timedOut, output, timedOut };
    },
    select: (name, argument) =>
      pluginSelector(penv, [{ name, argument }])({
        name,
        ...(argument !== undefined ? { argument } : {}),
      }),
    provider: (kind, model) =>
      createPluginProvider({ ref: model ? `${kind}:${model}` : kind, kind, model }, config, env, {
        log,
        cwd: options.cwd,
      }),
  };
}

export { lifecycleHookOrder } from "./plugins/events.ts";
