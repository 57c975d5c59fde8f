/**
 * Runs a headless agent CLI (`claude -p`, `gemini -p`) as a child process: in its own process
 * group so that an abort or timeout kills the agent and every tool process it started, with the
 * large context on stdin (argv is limited to 128 KiB per argument on Linux), stdout read line by
 * line as it arrives.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import type { Sandbox } from "../sandbox/sandbox.ts";
import { ProviderError, environmentError } from "../errors.ts";
import { stripAnsi } from "../util/ansi.ts";
import { awaitWithGroupAbort } from "../util/process-group.ts";
import { abortError, oneLine, seconds } from "./provider-errors.ts";

export interface CliRun {
  provider: string;
  /** Absolute path of the executable. */
  bin: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  input?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Each stdout line as it arrives. */
  onLine?: (line: string) => void;
  /** What to install when the binary is gone. */
  installHint: string;
  /** Run confined: the worktree's sandbox, and what the CLI needs from outside it. */
  sandbox?: {
    sandbox: Sandbox;
    passEnv: readonly string[];
    hosts: readonly string[];
    /** The CLI's settings, written into the sandbox's scratch `$HOME`. */
    homeFiles?: Readonly<Record<string, string>>;
  };
}

export interface CliOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

interface RawOutcome {
  exitCode?: number;
  signal?: string;
  stdout: string;
  stderr: string;
  code?: string;
}

const maxBuffer = 512 * 1024 * 1024;

/** The last meaningful stderr line, for "the CLI said …" messages. */
export function lastLine(text: string): string {
  const lines = stripAnsi(text)
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? "";
}

/**
 * Where the CLI is installed (the directory of its bin and of the package its real path is in):
 * readable in the sandbox even when it lives under $HOME or in the user's checkout.
 */
async function installationDirs(bin: string): Promise<string[]> {
  const real = await fs.realpath(bin).catch(() => bin);
  const dirs = [path.dirname(bin), path.dirname(real)];
  for (let dir = path.dirname(real); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (await fs.stat(path.join(dir, "package.json")).catch(() => undefined)) {
      dirs.push(dir);
      break;
    }
  }
  return [...new Set(dirs)];
}

export async function runCli(run: CliRun): Promise<CliOutcome> {
  run.signal?.throwIfAborted();
  const timeout = run.timeoutMs === undefined ? undefined : AbortSignal.timeout(run.timeoutMs);
  const stop = [run.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
  const onLine = run.onLine;
  const plan = run.sandbox
    ? await run.sandbox.sandbox.spawn("agent", {
        argv: [run.bin, ...run.args],
        cwd: run.cwd,
        env: run.env,
        passEnv: run.sandbox.passEnv,
        hosts: run.sandbox.hosts,
        readOnly: await installationDirs(run.bin),
        // Claude Code will not edit a file under a `.git` directory, where the worktree is.
        atAlias: true,
        ...(run.sandbox.homeFiles ? { homeFiles: run.sandbox.homeFiles } : {}),
      })
    : { file: run.bin, args: run.args, cwd: run.cwd, env: run.env };
  const subprocess = execa(plan.file, plan.args, {
    cwd: plan.cwd,
    env: plan.env,
    extendEnv: false,
    reject: false,
    maxBuffer,
    ...(run.input === undefined ? { stdin: "ignore" as const } : { input: run.input }),
    ...(onLine
      ? {
          stdout: [
            function* (line: unknown) {
              onLine(String(line));
              yield line;
            },
          ],
        }
      : {}),
    // Own process group, so an abort reaches the tools the agent started too.
    detached: true,
  });
  const raw = (await awaitWithGroupAbort(
    subprocess,
    stop.length === 0 ? undefined : AbortSignal.any(stop),
  )) as unknown as RawOutcome;
  if (run.signal?.aborted) throw abortError(run.signal);
  if (timeout?.aborted)
    throw new ProviderError(
      run.provider,
      `no answer within ${seconds(run.timeoutMs ?? 0)}; the agent was stopped`,
      {
        retryable: true,
      },
    );
  if (raw.code === "ENOENT" || raw.code === "EACCES")
    throw environmentError(`${run.provider}: cannot run ${run.bin}`, {
      hint: `Install it: ${run.installHint}`,
    });
  if (raw.exitCode === undefined)
    throw new ProviderError(
      run.provider,
      oneLine(
        `the CLI was killed (${raw.signal ?? "no exit code"})${raw.stderr ? `: ${lastLine(raw.stderr)}` : ""}`,
      ),
    );
  return { exitCode: raw.exitCode, stdout: raw.stdout, stderr: raw.stderr };
}
