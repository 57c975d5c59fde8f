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

function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // the group is gone
  }
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
    if (signalGroup(pid, "SIGTERM")) {
      escalation = setTimeout(() => signalGroup(pid, "SIGKILL"), options.graceMs ?? 3000);
      escalation.unref();
    }
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
