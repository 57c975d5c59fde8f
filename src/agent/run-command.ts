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
 * Every command goes through the run's sandbox (src/sandbox): confined, bwrap is what is
 * spawned and the command runs in its own PID namespace, so whatever it leaves behind dies with
 * it; a wrapper inside reports on fd 3 whether anything was left, for the same notice.
 *
 * Raw `child_process.spawn` rather than execa: this needs one shared pipe, streaming into a
 * bounded buffer, and control over when the call is over, which execa's buffering hides.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import type { Sandbox, SandboxUse } from "../sandbox/sandbox.ts";
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
  /** Where and how it runs: confined to the worktree, or not ("off"). */
  sandbox: Sandbox;
  use: SandboxUse;
  /** Variables of `env` to keep besides the sandbox's allowlist. */
  passEnv?: readonly string[];
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
  /** Hosts the sandbox's proxy refused while the command ran. */
  deniedHosts: string[];
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

/**
 * Inside the sandbox the outer shell waits instead of exec'ing (its own messages go nowhere),
 * then reports on fd 3: "left" when the PID namespace still holds a process that is not init,
 * itself or its parent (the network bridge) — it dies with the namespace when the shell exits —
 * and "signal N" when the command's shell died of signal N. (From outside only bwrap's exit
 * code is seen, 128+N; a command that itself exits 129–159 reads as that signal, as in shells.)
 */
const confinedScript =
  'exec 2>/dev/null; "$1" -c "$2" "$0" 2>&1 3>&-; s=$?; for p in /proc/[0-9]*; do n=${p#/proc/}; ' +
  'if [ "$n" != 1 ] && [ "$n" != $$ ] && [ "$n" != "$PPID" ]; then echo left >&3; break; fi; done; ' +
  'if [ $s -gt 128 ] && [ $s -lt 160 ]; then echo "signal $((s - 128))" >&3; fi; exit $s';

function confinedShellArgs(shell: string, command: string): string[] {
  const name = /(^|\/)bash$/.test(shell) ? "bash" : "sh";
  return ["-c", confinedScript, name, shell, command];
}

function signalName(n: number): NodeJS.Signals | undefined {
  const entry = Object.entries(constants.signals).find(([, value]) => value === n);
  return entry?.[0] as NodeJS.Signals | undefined;
}

/** Resolves when the shell and its pipe are done; rejects with the abort reason on abort. */
export async function runCommand(request: CommandRequest): Promise<CommandResult> {
  const { signal, sandbox } = request;
  signal.throwIfAborted();
  const args = sandbox.confined
    ? confinedShellArgs(request.shell, request.command)
    : shellArgs(request.shell, request.command);
  const plan = await sandbox.spawn(request.use, {
    argv: [request.shell, ...args],
    cwd: request.cwd,
    env: request.env,
    ...(request.passEnv ? { passEnv: request.passEnv } : {}),
  });
  signal.throwIfAborted();
  sandbox.takeDeniedHosts();
  return new Promise<CommandResult>((resolve, reject) => {
    const output = new CappedOutput(request.maxOutputBytes);
    const child = spawn(plan.file, plan.args, {
      cwd: plan.cwd,
      env: plan.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe", sandbox.confined ? "pipe" : "ignore"],
    });
    const pid = child.pid;
    let timedOut = false;
    let leftovers = false;
    // What the wrapper reports is a few bytes; a command that reached the pipe gets no more
    // than that read (more is dropped), so it cannot exhaust git spe's memory through it.
    let report = "";
    child.stdio[3]?.on("data", (chunk: Buffer) => {
      if (report.length < 64) report += chunk.toString("latin1", 0, 64);
    });
    child.stdio[3]?.on("error", () => {});
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const later = (ms: number, fn: () => void) => setTimeout(fn, ms).unref();
    const stop = () => {
      if (pid !== undefined) terminateGroup(pid, request.killGraceMs);
      // Something that left the group may still hold the pipe: stop waiting for it.
      later(request.killGraceMs + 1000, () => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        child.stdio[3]?.destroy();
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
      if (!timedOut && !signal.aborted && pid !== undefined && signalGroup(pid, "SIGTERM")) {
        leftovers = true;
        stop();
      }
    });
    const finish = (error?: Error) => {
      clearTimeout(timeout);
      signal.removeEventListener("abort", onAbort);
      // Escalation timers stay armed: a group that ignored SIGTERM still gets its SIGKILL.
      if (signal.aborted) reject(signal.reason);
      else if (error) reject(error);
      else {
        const signalled = /^signal (\d+)$/m.exec(report);
        const name = signalled ? signalName(Number(signalled[1])) : undefined;
        resolve({
          output: output.text(),
          cutBytes: output.cutBytes,
          exitCode: name ? null : (exit?.code ?? null),
          exitSignal: name ?? exit?.signal ?? null,
          timedOut,
          leftovers: leftovers || /^left$/m.test(report),
          deniedHosts: sandbox.takeDeniedHosts(),
        });
      }
    };
    child.once("error", (error) => finish(error));
    child.once("close", () => finish());
  });
}
