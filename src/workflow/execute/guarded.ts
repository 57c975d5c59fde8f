/**
 * Runs one phase that executes model code (an executor session, validators, the bootstrap)
 * between two snapshots of what only the orchestrator may write (repo-guard.ts). A change
 * fails the phase with one line naming it; what was tainted is kept in the run state so the
 * merge refuses it, also after a resume.
 */
import { isAbortError, workFailed } from "../../errors.ts";
import { specLockHeldByOther } from "./spec-locks.ts";
import { branchRef, type ExecContext } from "./context.ts";
import { failureHints } from "./hints.ts";
import { captureRepo, checkRepo, describeChanges, type GuardScope } from "./repo-guard.ts";

export function guardScope(c: ExecContext): GuardScope {
  const { paths } = c.pe.ws;
  return {
    git: c.pe.ws.git.at(paths.toplevel, { isolate: true }),
    commonDir: paths.commonDir,
    worktree: c.worktree,
    runId: c.state.runId,
    runBranch: branchRef(c.state),
    confined: c.sandbox.confined,
    lanes: (c.state.parallel ?? 1) > 1,
    otherRunsLive: () => specLockHeldByOther(paths.commonDir, c.state.specId),
  };
}

/** `fn` with the repository checked around it; `stepIndex` marks that step failed on a change. */
export async function guarded<T>(
  c: ExecContext,
  label: string,
  fn: () => Promise<T>,
  stepIndex?: number,
): Promise<T> {
  const scope = guardScope(c);
  const before = await captureRepo(scope);
  let outcome: { value: T } | { error: unknown };
  try {
    outcome = { value: await fn() };
  } catch (error) {
    outcome = { error };
  }
  const changes = await checkRepo(scope, before);
  if (changes.length > 0) {
    const tainted = changes.flatMap((change) => (change.tainted ? [change.tainted] : []));
    if (tainted.length > 0) c.state.tainted = [...(c.state.tainted ?? []), ...tainted];
    const message = `${label}: while model code ran, ${describeChanges(changes)}`;
    if (stepIndex !== undefined) {
      const record = c.state.steps[stepIndex];
      if (record) {
        record.status = "failed";
        const last = record.attempts.at(-1);
        if (last) last.error = message;
      }
    }
    await c.save();
    if (!("error" in outcome && isAbortError(outcome.error, c.pe.signal)))
      throw workFailed(`${message}; the step fails`, { hint: failureHints(c.state) });
  }
  if ("error" in outcome) throw outcome.error;
  return outcome.value;
}
