/**
 * The lifecycle hooks of a run, with their events built from the run's state (the order is
 * documented in src/plugins/events.ts). From worktree:ready to merge:after plugins act in the
 * scratch worktree (their `exec` runs in the run's sandbox); exec:before and exec:after act at
 * the user's work tree root.
 */
import { pluginEnvironment } from "../../plugins/environment.ts";
import type { LifecycleEvents, LifecycleHookName, RunEvent } from "../../plugins/events.ts";
import { runHook } from "../../plugins/lifecycle.ts";
import type { ExecContext } from "./context.ts";

export function runEvent(c: ExecContext): RunEvent {
  const { state } = c;
  return {
    specId: state.specId,
    runId: state.runId,
    branch: state.branch,
    worktree: c.worktree,
    base: state.base,
  };
}

export function stepEvent(c: ExecContext, index: number): LifecycleEvents["step:before"] {
  const step = c.plan.steps[index] as (typeof c.plan.steps)[number];
  return { ...runEvent(c), step, index, total: c.plan.steps.length };
}

const atRoot = new Set<LifecycleHookName>(["exec:before", "exec:after"]);

export function runHookOf<K extends LifecycleHookName>(
  c: ExecContext,
  name: K,
  event: LifecycleEvents[K],
  stepId?: string,
): Promise<void> {
  return runHook(pluginEnvironment({ ...c.pe, sandbox: c.sandbox }), name, event, {
    ...(atRoot.has(name) ? {} : { cwd: c.worktree }),
    specId: c.state.specId,
    runId: c.state.runId,
    ...(stepId ? { stepId } : {}),
  });
}

export function execAfterEvent(c: ExecContext): LifecycleEvents["exec:after"] {
  const { state } = c;
  return {
    ...runEvent(c),
    status: state.status,
    steps: state.steps.map((s) => ({
      id: s.id,
      title: s.title,
      status: s.status,
      ...(s.commit ? { commit: s.commit } : {}),
    })),
    finalValidation: state.finalValidation,
    merge: state.mergeResult,
    drift: state.drift,
    usage: state.usage,
    costUsd: state.costUsd,
  };
}
