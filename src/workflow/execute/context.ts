/** What every row of a run works with. */
import type { StepExecutor } from "../../agent/types.ts";
import type { Git } from "../../git/exec.ts";
import type { Plan } from "../../plan/schema.ts";
import type { Sandbox } from "../../sandbox/sandbox.ts";
import type { PhaseEnvironment } from "../phase-environment.ts";
import type { RunState } from "./run-state.ts";

export interface ExecContext {
  pe: PhaseEnvironment;
  state: RunState;
  plan: Plan;
  /** AI-SPEC.md as it was when the run started. */
  spec: string;
  /** Persists the state now (after every transition). */
  save(): Promise<void>;
  /**
   * The worktree this context's commands run in: the run's own (state.worktree), or a step's
   * lane under `exec --parallel` (parallel.ts).
   */
  worktree: string;
  /**
   * The ref an executor must not move besides HEAD: the run's branch, or HEAD again in a lane
   * (detached; the run's branch moves there as other steps land).
   */
  guardRef: string;
  /** git in `worktree`, without the caller's GIT_* variables. */
  worktreeGit(): Git;
  /** The step executor, created on first use. */
  executor(): Promise<StepExecutor>;
  /** The run's sandbox: every command in the worktree (model, validators, bootstrap) runs in it. */
  sandbox: Sandbox;
  /** A sandbox for another worktree of the run (a lane), disposed by the caller. */
  openSandbox(worktree: string): Promise<Sandbox>;
}

export const branchRef = (state: RunState) => `refs/heads/${state.branch}`;
