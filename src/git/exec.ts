/**
 * The only place that spawns git. Arguments are argv arrays (never a shell string), pathspecs
 * go after `--`, output is read raw (`-z` where git offers it) and `LC_ALL=C` keeps messages and
 * sorting stable. A failure is a typed `GitError` carrying argv, exit code and stderr.
 */
import { execa } from "execa";
import { GitError, environmentError } from "../errors.ts";
import { awaitWithGroupAbort } from "../util/process-group.ts";
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
  /** Stops git and what it started after this long (0 or unset: no limit). */
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
  exitCode: number | undefined;
  stdout: string | Uint8Array;
  stderr: string | Uint8Array;
  isCanceled: boolean;
  timedOut: boolean;
  shortMessage?: string;
  code?: string;
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

/**
 * A signal that aborts when `signal` does or `ms` pass: a timeout then stops git's process group
 * like an abort (execa's own timeout signals git alone, and a hook or an alias's shell it started
 * keeps the pipes, and the call, open). Made before git starts, so a bad `ms` starts nothing.
 */
function groupTimeout(ms: number, signal: AbortSignal | undefined) {
  if (!Number.isFinite(ms) || ms < 0 || ms > 2 ** 31 - 1)
    throw new RangeError(`git timeout out of range: ${ms} ms`);
  const controller = new AbortController();
  let fired = false;
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => {
    fired = true;
    controller.abort(new DOMException("git timed out", "TimeoutError"));
  }, ms);
  return {
    signal: controller.signal,
    fired: () => fired,
    dispose() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    },
  };
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
    const timeout = runOptions.timeoutMs ? groupTimeout(runOptions.timeoutMs, signal) : undefined;
    const subprocess = execa(binary, argv, {
      cwd,
      env: { ...env, ...runOptions.env },
      extendEnv: false,
      input: runOptions.input,
      reject: false,
      stripFinalNewline: false,
      encoding,
      maxBuffer: MAX_BUFFER,
      stdin: runOptions.input === undefined ? "ignore" : "pipe",
      // Own process group, so an abort reaches the hooks and helpers git starts.
      detached: true,
    });
    // execa's result type depends on `encoding` at the type level; one shape is enough here.
    const result = (await awaitWithGroupAbort(subprocess, timeout?.signal ?? signal).finally(() =>
      timeout?.dispose(),
    )) as unknown as RawResult;
    if (timeout?.fired() && !signal?.aborted) result.timedOut = true;
    options.trace?.(
      `git ${argv.map((a) => JSON.stringify(a)).join(" ")} → ${result.exitCode ?? "killed"} in ${Math.round(performance.now() - started)} ms (${cwd})`,
    );
    if (signal?.aborted) throw signal.reason ?? new DOMException("aborted", "AbortError");
    const stderr =
      typeof result.stderr === "string" ? result.stderr : Buffer.from(result.stderr).toString();
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
    return { stdout: result.stdout, stderr, exitCode: result.exitCode };
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
