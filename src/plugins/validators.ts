/**
 * The project's validators: the shell commands (a step's own, then `validate` of the config)
 * followed by every active plugin's validators, in config order, stopping at the first failure.
 * All of them report into one ValidationRecord; a plugin validator's run is labelled
 * "<plugin>:<name>" and carries `plugin`. `exec` (steps, final validation, merge) and
 * `git spe validate` call runProjectValidators.
 */
import type { SpeConfig } from "../config/schema.ts";
import type { Sandbox } from "../sandbox/sandbox.ts";
import { isAbortError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Workspace } from "../workspace.ts";
import type { CommandRun, ValidationRecord } from "../workflow/execute/run-state.ts";
import { runValidators } from "../workflow/execute/validation.ts";
import { readTestCounts } from "../protected/test-counts.ts";
import {
  activePlugins,
  pluginEnvironment,
  pluginsOf,
  type ActivePlugin,
  type PluginEnvironment,
} from "./environment.ts";
import { createPluginServices, type CallScope } from "./services.ts";
import type { SpePlugin, ValidationResult, ValidationStage } from "./types.ts";

export interface ProjectValidationOptions {
  ws: Workspace;
  /** Where validators run: a scratch or temporary worktree (absolute). */
  worktree: string;
  /** That worktree's sandbox: every command and plugin `exec` runs through it. */
  sandbox: Sandbox;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  log: Logger;
  /** Shell commands to run first; default: `validate` of the config. */
  commands?: readonly string[];
  /** Default "validate". */
  stage?: ValidationStage;
  specId?: string;
  runId?: string;
  stepId?: string;
  /** Called before each validator with its label (a command, or "<plugin>:<name>"). */
  onValidator?: (label: string) => void;
}

const labelsOf = (plugins: readonly ActivePlugin[]) =>
  plugins.flatMap(({ plugin }) =>
    Object.keys(plugin.validators ?? {}).map((name) => `${plugin.name}:${name}`),
  );

/** Labels of everything runProjectValidators would run (plugin validators may still skip). */
export function listProjectValidators(
  config: SpeConfig,
  commands: readonly string[] = config.validate,
): string[] {
  return [...commands, ...labelsOf(activePlugins(config))];
}

export interface ValidatorOutcome {
  /** undefined when the validator skipped itself. */
  run: CommandRun | undefined;
  skipped?: string;
}

/** One plugin validator, bounded by `exec.commandTimeoutSec`; a throw is a failure, not a crash. */
export async function callPluginValidator(
  penv: PluginEnvironment,
  plugin: SpePlugin,
  name: string,
  stage: ValidationStage,
  scope: CallScope = {},
): Promise<ValidatorOutcome> {
  const validator = plugin.validators?.[name];
  if (!validator) throw new Error(`plugin "${plugin.name}" has no validator "${name}"`);
  const label = `${plugin.name}:${name}`;
  const timeout = new AbortController();
  const signal = AbortSignal.any([penv.signal, timeout.signal]);
  const timeoutMs = penv.config.exec.commandTimeoutSec * 1000;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => {
      timeout.abort(new Error(`${label} timed out after ${timeoutMs / 1000} s`));
      resolve("timeout");
    }, timeoutMs);
  });
  let result: ValidationResult | "timeout";
  try {
    const ctx = { ...createPluginServices(penv, plugin, { ...scope, signal }), stage };
    result = await Promise.race([Promise.resolve(validator(ctx)), timedOut]);
  } catch (error) {
    if (isAbortError(error, penv.signal)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    result = { ok: false, output: `the validator threw: ${message}` };
  } finally {
    clearTimeout(timer);
  }
  penv.signal.throwIfAborted();
  const durationMs = Math.round(performance.now() - started);
  if (result === "timeout")
    return {
      run: {
        command: label,
        plugin: plugin.name,
        exitCode: null,
        timedOut: true,
        durationMs,
        output: "",
      },
    };
  if (typeof result !== "object" || result === null)
    result = { ok: false, output: "the validator returned no { ok } or { skipped } result" };
  if ("skipped" in result) return { run: undefined, skipped: String(result.skipped) };
  const ok = result.ok === true;
  return {
    run: {
      command: label,
      plugin: plugin.name,
      exitCode: ok ? 0 : 1,
      timedOut: false,
      durationMs,
      output: typeof result.output === "string" ? result.output : "",
    },
  };
}

export async function runPluginValidators(
  penv: PluginEnvironment,
  stage: ValidationStage,
  scope: CallScope,
  onValidator?: (label: string) => void,
): Promise<ValidationRecord> {
  const runs: CommandRun[] = [];
  for (const { plugin } of pluginsOf(penv)) {
    for (const name of Object.keys(plugin.validators ?? {})) {
      onValidator?.(`${plugin.name}:${name}`);
      const outcome = await callPluginValidator(penv, plugin, name, stage, scope);
      if (!outcome.run) {
        penv.log.debug(`${plugin.name}:${name} skipped: ${outcome.skipped}`);
        continue;
      }
      runs.push(outcome.run);
      if (outcome.run.exitCode !== 0 || outcome.run.timedOut) return { passed: false, runs };
    }
  }
  return { passed: true, runs };
}

export async function runProjectValidators(
  options: ProjectValidationOptions,
): Promise<ValidationRecord> {
  const { ws } = options;
  const commands = options.commands ?? ws.config.validate;
  const penv = pluginEnvironment(options);
  const runs: CommandRun[] = [];
  if (commands.length > 0) {
    const record = await runValidators(commands, {
      worktree: options.worktree,
      env: options.env,
      sandbox: options.sandbox,
      timeoutMs: ws.config.exec.commandTimeoutSec * 1000,
      signal: options.signal,
      ...(options.onValidator ? { onCommand: options.onValidator } : {}),
    });
    if (!record.passed) return withTestCounts(record, penv);
    runs.push(...record.runs);
  }
  const scope: CallScope = {
    cwd: options.worktree,
    ...(options.specId ? { specId: options.specId } : {}),
    ...(options.runId ? { runId: options.runId } : {}),
    ...(options.stepId ? { stepId: options.stepId } : {}),
  };
  const plugins = await runPluginValidators(
    penv,
    options.stage ?? "validate",
    scope,
    options.onValidator,
  );
  return withTestCounts({ passed: plugins.passed, runs: [...runs, ...plugins.runs] }, penv);
}

/** Each run's test counts, when its output has a summary a plugin or git spe can read. */
function withTestCounts(record: ValidationRecord, penv: PluginEnvironment): ValidationRecord {
  const readers = pluginsOf(penv).flatMap(({ plugin }) =>
    plugin.testCounts ? [plugin.testCounts] : [],
  );
  for (const run of record.runs) {
    const tests = readTestCounts(run.output, run.command, readers);
    if (tests) run.tests = tests;
  }
  return record;
}
