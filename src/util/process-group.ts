/**
 * Abort for subprocesses that have children of their own (git running a hook or an alias, a
 * validator running a test runner): killing only the direct child leaves grandchildren holding
 * the pipes open, and the call hangs until they finish. Children are started in their own
 * process group (`detached: true`) and the whole group is signalled. SIGTERM first (git removes
 * its lock files on SIGTERM), SIGKILL if the group is still there after the grace period.
 */
import type { ResultPromise } from "execa";

export interface GroupKillOptions {
  /** Time between SIGTERM and SIGKILL. */
  graceMs?: number;
}

/** Signals the process group `pid` leads; false when the group is gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // the group is gone
  }
}

/**
 * SIGTERM to the group, and SIGKILL after `graceMs` if the SIGTERM reached it. Returns the
 * (unref'd) SIGKILL timer, undefined when the group was already gone; the caller decides
 * whether to clear it.
 */
export function terminateGroup(pid: number, graceMs: number): NodeJS.Timeout | undefined {
  if (!signalGroup(pid, "SIGTERM")) return undefined;
  return setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs).unref();
}

/** Kills `subprocess`'s process group when `signal` aborts; resolves to its result either way. */
export async function awaitWithGroupAbort<T>(
  subprocess: ResultPromise & Promise<T>,
  signal: AbortSignal | undefined,
  options: GroupKillOptions = {},
): Promise<T> {
  if (!signal) return subprocess;
  const pid = subprocess.pid;
  let escalation: NodeJS.Timeout | undefined;
  const onAbort = () => {
    if (pid === undefined) return;
    escalation = terminateGroup(pid, options.graceMs ?? 3000);
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  try {
    return await subprocess;
  } finally {
    signal.removeEventListener("abort", onAbort);
    if (escalation) clearTimeout(escalation);
  }
}
