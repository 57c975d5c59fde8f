/**
 * Validators: shell commands run in the scratch worktree, one after another, stopping at the
 * first failure. They run the code the model wrote, so they run as the model's commands do:
 * through the run's sandbox (own process group, timeout, output cap, no API keys).
 */
import { defaultKillGraceMs, runCommand } from "../../agent/run-command.ts";
import type { Sandbox, SandboxUse } from "../../sandbox/sandbox.ts";
import { findShell } from "../../util/find-executable.ts";
import type { CommandRun, ValidationRecord } from "./run-state.ts";

export interface ValidationOptions {
  worktree: string;
  env: NodeJS.ProcessEnv;
  sandbox: Sandbox;
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

export interface ShellCommandOptions {
  cwd: string;
  /** The environment the command starts from; the sandbox keeps what it allows. */
  env: NodeJS.ProcessEnv;
  sandbox: Sandbox;
  /** Default "validate". */
  use?: SandboxUse;
  /** Variables of `env` to keep besides the sandbox's allowlist (a plugin's own settings). */
  passEnv?: readonly string[];
  /** Absolute path of bash or sh, from `findShell`. */
  shell: string;
  timeoutMs: number;
  /** Default 64,000. */
  maxOutputBytes?: number;
  signal: AbortSignal;
}

export interface ShellCommandResult {
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  output: string;
}

/** One command run like a validator (also a plugin's `exec`): timed, output capped. */
export async function runShellCommand(
  command: string,
  options: ShellCommandOptions,
): Promise<ShellCommandResult> {
  const started = performance.now();
  const result = await runCommand({
    command,
    cwd: options.cwd,
    env: options.env,
    shell: options.shell,
    timeoutMs: options.timeoutMs,
    maxOutputBytes: options.maxOutputBytes ?? maxOutputBytes,
    killGraceMs: defaultKillGraceMs,
    signal: options.signal,
    sandbox: options.sandbox,
    use: options.use ?? "validate",
    ...(options.passEnv ? { passEnv: options.passEnv } : {}),
  });
  const use = options.use ?? "validate";
  const denied = [...new Set(result.deniedHosts)];
  const note =
    denied.length > 0
      ? `\n[sandbox: network access denied to ${denied.join(", ")}; allow a host in exec.sandbox.network.${use}]\n`
      : "";
  return {
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    durationMs: Math.round(performance.now() - started),
    output: `${result.output}${note}`,
  };
}

export async function runValidators(
  commands: readonly string[],
  options: ValidationOptions,
): Promise<ValidationRecord> {
  const shell = await findShell(options.env);
  const runs: CommandRun[] = [];
  for (const command of commands) {
    options.onCommand?.(command);
    const result = await runShellCommand(command, {
      cwd: options.worktree,
      env: options.env,
      sandbox: options.sandbox,
      shell,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
    runs.push({ command, ...result });
    if (result.exitCode !== 0 || result.timedOut) return { passed: false, runs };
  }
  return { passed: true, runs };
}

/** How a validator ended, for messages: "timed out", "exited 1", or "failed" (a plugin's). */
/** The last `lines` lines of a command's output, each prefixed with `indent`. */
export function outputTail(output: string | undefined, lines: number, indent = ""): string {
  return (output ?? "")
    .trimEnd()
    .split("\n")
    .slice(-lines)
    .map((l) => `${indent}${l}`)
    .join("\n");
}

export function runStatus(run: CommandRun | undefined): string {
  if (run?.timedOut) return "timed out";
  return run?.plugin ? "failed" : `exited ${run?.exitCode}`;
}
