/**
 * The only place that spawns git. Arguments are argv arrays (never a shell string), pathspecs
 * go after `--`, output is read raw (`-z` where git offers it) and `LC_ALL=C` keeps messages and
 * sorting stable. A failure is a typed `GitError` carrying argv, exit code and stderr.
 */
import { spawn as spawnChild } from "node:child_process";
import { GitError, environmentError } from "../errors.ts";
import { terminateGroup } from "../util/process-group.ts";
import { cleanGitEnv } from "./env.ts";

export interface GitRunOptions {
  /** Pathspecs, appended after `--` so a path like `-rf` is never read as an option. */
  paths?: readonly string[];
  input?: string | Uint8Array;
  /** Exit codes that are answers, not failures (`git config --get` → 1 when unset). */
  okExitCodes?: readonly number[];
  /** Extra environment on top of the wrapper's. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface GitResult<T = string> {
  stdout: T;
  stderr: string;
  exitCode: number;
}

export interface Git {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  run(args: readonly string[], options?: GitRunOptions): Promise<GitResult>;
  runBuffer(args: readonly string[], options?: GitRunOptions): Promise<GitResult<Uint8Array>>;
  /** stdout with the trailing newline removed. */
  text(args: readonly string[], options?: GitRunOptions): Promise<string>;
  /**
   * A git for another directory; `isolate` drops the caller's GIT_DIR/GIT_INDEX_FILE/…;
   * `untrusted` (a worktree the model wrote in) also turns off everything by which git would
   * run a program found in it (see untrustedWorktreeConfig).
   */
  at(cwd: string, options?: { isolate?: boolean; untrusted?: boolean }): Git;
}

export interface CreateGitOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Default git binary: "git" from PATH. */
  gitBinary?: string;
  /** Called after every git call (for --debug). */
  trace?: (line: string) => void;
}

const MAX_BUFFER = 1024 * 1024 * 1024;

interface RawResult {
  /** Undefined when git did not start or was killed. */
  exitCode: number | undefined;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
  /** Why there is no exit code: the spawn error's code (ENOENT) or the signal that killed it. */
  code?: string;
  shortMessage?: string;
}

/**
 * One git process with plain node:child_process (execa costs a 240 KB module at start-up and
 * about a millisecond of CPU per call, and git spe makes hundreds of git calls): its own process
 * group, so an abort, a timeout or too much output stops the hooks and helpers git started too
 * (SIGTERM to the group, SIGKILL after 3 s; git removes its lock files on SIGTERM).
 */
function runProcess(
  binary: string,
  argv: readonly string[],
  options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    input?: string | Uint8Array;
    timeoutMs?: number;
    signal?: AbortSignal;
  },
): Promise<RawResult> {
  return new Promise((resolve) => {
    const child = spawnChild(binary, argv, {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      detached: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    let overflow = false;
    let escalation: NodeJS.Timeout | undefined;
    let settled = false;
    const stop = () => {
      if (child.pid !== undefined && escalation === undefined)
        escalation = terminateGroup(child.pid, 3000);
    };
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BUFFER) {
        overflow = true;
        stop();
      } else into.push(chunk);
    };
    child.stdout?.on("data", collect(stdout));
    child.stderr?.on("data", collect(stderr));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stop();
          }, options.timeoutMs);
    const onAbort = () => stop();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) stop();
    const finish = (result: Omit<RawResult, "stdout" | "stderr" | "timedOut">) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (escalation) clearTimeout(escalation);
      options.signal?.removeEventListener("abort", onAbort);
      resolve({
        ...result,
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr).toString(),
        timedOut,
        ...(overflow ? { shortMessage: `more than ${MAX_BUFFER} bytes of output` } : {}),
      });
    };
    child.on("error", (error: NodeJS.ErrnoException) =>
      finish({ exitCode: undefined, code: error.code, shortMessage: error.message }),
    );
    child.on("close", (code, signal) =>
      finish(
        code === null || overflow
          ? { exitCode: undefined, shortMessage: `killed by ${signal ?? "a signal"}` }
          : { exitCode: code },
      ),
    );
    if (child.stdin) {
      // git may exit before reading all of its input (a failing command): not an error here.
      child.stdin.on("error", () => {});
      child.stdin.end(options.input);
    }
  });
}

/**
 * Settings for git run by git spe (outside the sandbox) in a worktree the model wrote in: an
 * embedded repository the model made there could otherwise name a program git runs for the
 * superproject (`core.fsmonitor`, hooks) once `add -A` records it as a submodule. Given as
 * GIT_CONFIG_COUNT/KEY/VALUE so they outrank any repository's config, nested ones included.
 */
export const untrustedWorktreeConfig: readonly (readonly [string, string])[] = [
  ["core.fsmonitor", "false"],
  ["core.hooksPath", "/dev/null"],
  ["diff.ignoreSubmodules", "all"],
  ["status.submoduleSummary", "false"],
  ["submodule.recurse", "false"],
  ["fetch.recurseSubmodules", "false"],
];

/** `env` with `settings` added as GIT_CONFIG_COUNT/KEY/VALUE entries after any already there. */
export function withGitConfig(
  env: NodeJS.ProcessEnv,
  settings: readonly (readonly [string, string])[],
): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  const start = Number(env.GIT_CONFIG_COUNT) || 0;
  settings.forEach(([key, value], i) => {
    out[`GIT_CONFIG_KEY_${start + i}`] = key;
    out[`GIT_CONFIG_VALUE_${start + i}`] = value;
  });
  out.GIT_CONFIG_COUNT = String(start + settings.length);
  return out;
}

export function createGit(options: CreateGitOptions): Git {
  const { cwd, signal: defaultSignal } = options;
  const binary = options.gitBinary ?? "git";
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), LC_ALL: "C" };

  async function spawn(
    args: readonly string[],
    runOptions: GitRunOptions,
    encoding: "utf8" | "buffer",
  ): Promise<GitResult<string | Uint8Array>> {
    const argv = runOptions.paths ? [...args, "--", ...runOptions.paths] : [...args];
    const signal = runOptions.signal ?? defaultSignal;
    signal?.throwIfAborted();
    const started = performance.now();
    const result = await runProcess(binary, argv, {
      cwd,
      env: { ...env, ...runOptions.env },
      ...(runOptions.input === undefined ? {} : { input: runOptions.input }),
      ...(runOptions.timeoutMs === undefined ? {} : { timeoutMs: runOptions.timeoutMs }),
      ...(signal ? { signal } : {}),
    });
    options.trace?.(
      `git ${argv.map((a) => JSON.stringify(a)).join(" ")} → ${result.exitCode ?? "killed"} in ${Math.round(performance.now() - started)} ms (${cwd})`,
    );
    if (signal?.aborted) throw signal.reason ?? new DOMException("aborted", "AbortError");
    const stderr = result.stderr;
    if (result.exitCode === undefined) {
      if (result.code === "ENOENT") {
        throw environmentError(`git not found: "${binary}" is not on PATH`, {
          hint: "Install git 2.38 or newer and make sure it is on PATH.",
        });
      }
      throw new GitError(
        argv,
        undefined,
        result.timedOut ? "timed out" : (result.shortMessage ?? stderr),
      );
    }
    if (result.exitCode !== 0 && !(runOptions.okExitCodes ?? []).includes(result.exitCode)) {
      throw new GitError(argv, result.exitCode, stderr);
    }
    const stdout = encoding === "utf8" ? result.stdout.toString() : result.stdout;
    return { stdout, stderr, exitCode: result.exitCode };
  }

  const git: Git = {
    cwd,
    env,
    run: (args, runOptions = {}) => spawn(args, runOptions, "utf8") as Promise<GitResult<string>>,
    runBuffer: (args, runOptions = {}) =>
      spawn(args, runOptions, "buffer") as Promise<GitResult<Uint8Array>>,
    async text(args, runOptions = {}) {
      const { stdout } = await git.run(args, runOptions);
      return stdout.endsWith("\n") ? stdout.slice(0, -1) : stdout;
    },
    at(otherCwd, atOptions = {}) {
      const base = atOptions.isolate ? cleanGitEnv(env) : env;
      return createGit({
        cwd: otherCwd,
        env: atOptions.untrusted ? withGitConfig(base, untrustedWorktreeConfig) : base,
        signal: defaultSignal,
        gitBinary: binary,
        trace: options.trace,
      });
    },
  };
  return git;
}
