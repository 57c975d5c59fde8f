/**
 * Validators: shell commands run in the scratch worktree, one after another, stopping at the
 * first failure. Same process rules as the model's commands (own process group, timeout, output
 * cap, no API keys in the environment).
 */
import { commandEnvironment } from "../../agent/command-env.ts";
import { runCommand } from "../../agent/run-command.ts";
import { findExecutable } from "../../util/find-executable.ts";
import type { CommandRun, ValidationRecord } from "./run-state.ts";

export interface ValidationOptions {
  worktree: string;
  env: NodeJS.ProcessEnv;
  secretEnvNames: readonly string[];
  timeoutMs: number;
  signal: AbortSignal;
  onCommand?: (command: string) => void;
}

const maxOutputBytes = 64_000;

/** The validators of a step: its own first, then the project's, each once. */
export function validatorsFor(
  stepValidate: readonly string[] | undefined,
  projectValidate: readonly string[],
): string[] {
  return [...new Set([...(stepValidate ?? []), ...projectValidate])];
}

export async function runValidators(
  commands: readonly string[],
  options: ValidationOptions,
): Promise<ValidationRecord> {
  const shell =
    (await findExecutable("bash", options.env)) ??
    (await findExecutable("sh", options.env)) ??
    "/bin/sh";
  const env = commandEnvironment(options.env, options.secretEnvNames);
  const runs: CommandRun[] = [];
  for (const command of commands) {
    options.onCommand?.(command);
    const started = performance.now();
    const result = await runCommand({
      command,
      cwd: options.worktree,
      env,
      shell,
      timeoutMs: options.timeoutMs,
      maxOutputBytes,
      killGraceMs: 2_000,
      signal: options.signal,
    });
    runs.push({
      command,
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      durationMs: Math.round(performance.now() - started),
      output: result.output,
    });
    if (result.exitCode !== 0 || result.timedOut) return { passed: false, runs };
  }
  return { passed: true, runs };
}

/** How a validator ended, for messages: "timed out", "exited 1", or "failed" (a plugin's). */
export function runStatus(run: CommandRun | undefined): string {
  if (run?.timedOut) return "timed out";
  return run?.plugin ? "failed" : `exited ${run?.exitCode}`;
}
