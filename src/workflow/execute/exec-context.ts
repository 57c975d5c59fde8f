/**
 * Making a run's ExecContext (context.ts), and a lane's under `exec --parallel` (parallel.ts):
 * the same run state and saves, its own worktree, git, sandbox, executor and status line.
 */
import { usageError } from "../../errors.ts";
import type { Git } from "../../git/exec.ts";
import { laneLogger } from "../../log.ts";
import { parsePlan, PlanParseError } from "../../plan/parse.ts";
import type { Sandbox } from "../../sandbox/sandbox.ts";
import { serialQueue } from "../../util/serial.ts";
import type { PhaseEnvironment } from "../phase-environment.ts";
import { branchRef, type ExecContext } from "./context.ts";
import { createStepExecutor } from "./executor-factory.ts";
import { saveRunState, type RunState } from "./run-state.ts";

const maxTurnsPerStep = 60;

export interface ContextParts {
  pe: PhaseEnvironment;
  state: RunState;
  spec: string;
  sandbox: Sandbox;
  openSandbox: (worktree: string) => Promise<Sandbox>;
  save: () => Promise<void>;
  /** Another worktree of the run (a lane): its path, HEAD as the guarded ref. */
  worktree?: string;
}

/** A run's context, or a lane's: its own worktree, git, sandbox and executor. */
function contextFor(parts: ContextParts): ExecContext {
  const { pe, state } = parts;
  let executor: ReturnType<typeof createStepExecutor> | undefined;
  let worktreeGit: Git | undefined;
  const worktree = parts.worktree ?? state.worktree;
  return {
    pe,
    state,
    plan: parsePlan(state.planText).plan,
    spec: parts.spec,
    sandbox: parts.sandbox,
    openSandbox: parts.openSandbox,
    worktree,
    guardRef: parts.worktree ? "HEAD" : branchRef(state),
    save: parts.save,
    worktreeGit: () => (worktreeGit ??= pe.ws.git.at(worktree, { isolate: true, untrusted: true })),
    executor: () =>
      (executor ??= createStepExecutor({
        config: pe.ws.config,
        env: pe.env,
        log: pe.log,
        maxTurns: maxTurnsPerStep,
      })),
  };
}

/**
 * The run's context, saving one save at a time (each writes the state as it is when its turn
 * comes); a saved plan that no longer passes the plan rules is a clear refusal.
 */
export function savedContext(parts: Omit<ContextParts, "save">): ExecContext {
  const { pe, state } = parts;
  const queue = serialQueue();
  try {
    return contextFor({
      ...parts,
      save: () => queue(() => saveRunState(pe.ws.paths.commonDir, state, pe.now())),
    });
  } catch (error) {
    if (!(error instanceof PlanParseError)) throw error;
    throw usageError(
      `the plan saved with run ${state.runId} does not pass the plan rules of this version:\n${error.message}`,
      {
        hint: [
          `Drop the run: git spe abort ${state.specId}`,
          `Then plan again: git spe plan ${state.specId}`,
        ],
      },
    );
  }
}

/**
 * A step's lane: the run's context with the lane's worktree, sandbox and status line, stopped by
 * `signal` (the run's, or the scheduler's own).
 */
export function laneContext(
  c: ExecContext,
  lane: { worktree: string; sandbox: Sandbox; stepId: string; signal: AbortSignal },
): ExecContext {
  return contextFor({
    pe: { ...c.pe, log: laneLogger(c.pe.log, lane.stepId), signal: lane.signal },
    state: c.state,
    spec: c.spec,
    sandbox: lane.sandbox,
    openSandbox: c.openSandbox,
    save: c.save,
    worktree: lane.worktree,
  });
}
