/**
 * Runs one model command: `bash -c` (or `sh -c`) in the worktree, stdin closed, stdout and
 * stderr on one pipe so they interleave exactly as written, output capped, a timeout.
 *
 * The command runs in its own process group (`detached`), and the group is what gets signalled,
 * as in `util/process-group.ts`: killing only the shell would leave `sleep 100 & wait`'s sleep
 * holding the pipe. SIGTERM first (git removes its lock files on SIGTERM), SIGKILL after a
 * grace period. On timeout or abort the group is stopped; when the shell exits on its own,
 * whatever it left running in the background is stopped too, so no process outlives its tool
 * call (nothing can then race the editor tool or the orchestrator's commit).
 *
 * Raw `child_process.spawn` rather than execa: this needs one shared pipe, streaming into a
 * bounded buffer, and control over when the call is over, which execa's buffering hides.
 */
import { spawn } from "node:child_process";
import { signalGroup, terminateGroup } from "../util/process-group.ts";
import { CappedOutput } from "./capped-output.ts";

/** Time between SIGTERM and SIGKILL when a command is stopped, unless the caller sets one. */
export const defaultKillGraceMs = 2_000;

export interface CommandRequest {
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Absolute path of bash or sh. */
  shell: string;
  timeoutMs: number;
  maxOutputBytes: number;
  /** Time between SIGTERM and SIGKILL. */
  killGraceMs: number;
  signal: AbortSignal;
}

export interface CommandResult {
  /** Capped, with a note where output was cut. */
  output: string;
  cutBytes: number;
  exitCode: number | null;
  /** The signal that ended the shell, if one did. */
  exitSignal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Processes still running in the background when the shell exited (they were stopped). */
  leftovers: boolean;
}

/**
 * The outer shell points stderr at stdout, then execs the real shell on the command, so the
 * command text is run exactly as given (its own `-c` script: line numbers in error messages
 * stay right) with `$0` set to "bash" or "sh" as the model would expect.
 */
function shellArgs(shell: string, command: string): string[] {
  const name = /(^|\/)bash$/.test(shell) ? "bash" : "sh";
  return ["-c", 'exec "$1" -c "$2" "$0" 2>&1', name, shell, command];
}

/** Resolves when the shell and its pipe are done; rejects with the abort reason on abort. */
export function runCommand(request: CommandRequest): Promise<CommandResult> {
  const { signal } = request;
  signal.throwIfAborted();
  return new Promise<CommandResult>((resolve, reject) => {
    const output = new CappedOutput(request.maxOutputBytes);
    const child = spawn(request.shell, shellArgs(request.shell, request.command), {
      cwd: request.cwd,
      env: request.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const pid = child.pid;
    let timedOut = false;
    let leftovers = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const later = (ms: number, fn: () => void) => setTimeout(fn, ms).unref();
    const stop = () => {
      if (pid !== undefined) terminateGroup(pid, request.killGraceMs);
      // Something that left the group may still hold the pipe: stop waiting for it.
      later(request.killGraceMs + 1000, () => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      });
    };
    const onAbort = () => stop();
    signal.addEventListener("abort", onAbort, { once: true });
    const timeout = setTimeout(() => {
      timedOut = true;
      stop();
    }, request.timeoutMs);

    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk));
    child.on("exit", (code, exitSignal) => {
      exit = { code, signal: exitSignal };
      clearTimeout(timeout);
      if (!timedOut && !signal.aborted && pid !== undefined) {
        leftovers = signalGroup(pid, "SIGTERM");
        if (leftovers) stop();
      }
    });
    const finish = (error?: Error) => {
      clearTimeout(timeout);
      signal.removeEventListener("abort", onAbort);
      // Escalation timers stay armed: a group that ignored SIGTERM still gets its SIGKILL.
      if (signal.aborted) reject(signal.reason);
      else if (error) reject(error);
      else
        resolve({
          output: output.text(),
          cutBytes: output.cutBytes,
          exitCode: exit?.code ?? null,
          exitSignal: exit?.signal ?? null,
          timedOut,
          leftovers,
        });
    };
    child.once("error", (error) => finish(error));
    child.once("close", () => finish());
  });
}
