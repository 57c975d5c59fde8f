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
  /** git in the scratch worktree, without the caller's GIT_* variables. */
  worktreeGit(): Git;
  /** The step executor, created on first use. */
  executor(): Promise<StepExecutor>;
  /** The run's sandbox: every command in the worktree (model, validators, bootstrap) runs in it. */
  sandbox: Sandbox;
}

export const branchRef = (state: RunState) => `refs/heads/${state.branch}`;
