/**
 * Lifecycle hooks: their names, the order they run in, and what each one is told.
 *
 * Order of one `git spe run` (or of `spec`, `plan`, `exec` run one after another):
 *
 * ```
 * spec:before → spec:after → plan:before → plan:after →
 * exec:before → worktree:ready → for each step: step:before → (executor) → validators →
 * step:after → final validators → merge:before → merge:after → exec:after
 * ```
 *
 * - Plugins run in config order; within one hook each plugin's function runs once and is
 *   awaited before the next plugin's.
 * - A hook that throws stops the phase: the error names the plugin and the hook, and an
 *   `exec` run is saved as failed, so `git spe exec --resume` retries from that point.
 * - `*:after` hooks run only when what they follow succeeded. A failed step, a failed
 *   validation or a blocked merge ends the run with its error instead.
 * - `exec --resume` runs `exec:before` again (with `resumed: true`), then only what is left:
 *   `worktree:ready` once per run, `step:*` for the steps not committed yet.
 * - Where a hook acts (`ctx.cwd`): the user's work tree root for `spec:*`, `plan:*`,
 *   `exec:before` and `exec:after`; the scratch worktree from `worktree:ready` to
 *   `merge:after`. `ctx.root` is always the user's work tree root.
 * - Events are frozen copies: changing one changes nothing in git spe.
 */
import type { MergeRecord, RunStatus, ValidationRecord } from "../workflow/execute/run-state.ts";
import type { DriftReport } from "../workflow/execute/drift.ts";
import type { Plan, PlanStep } from "../plan/schema.ts";
import type { ModelUsage } from "../providers/types.ts";
import type { DeepReadonly, PluginServices } from "./types.ts";

/** Every hook name, in the order the hooks run. */
export const lifecycleHookOrder = [
  "spec:before",
  "spec:after",
  "plan:before",
  "plan:after",
  "exec:before",
  "worktree:ready",
  "step:before",
  "step:after",
  "merge:before",
  "merge:after",
  "exec:after",
] as const;

export type LifecycleHookName = (typeof lifecycleHookOrder)[number];

export interface SpecBeforeEvent {
  /** The request: the one-line request or USER-SPEC.md. */
  request: string;
  /** `--id`, when given. */
  id: string | undefined;
  /** HEAD when the spec is made; undefined in a repository without commits. */
  base: string | undefined;
}

export interface SpecAfterEvent {
  id: string;
  title: string;
  /** Where the spec is stored (".spe/<id>" or the notes ref). */
  location: string;
  base: string | undefined;
  questions: { question: string; answer: string; how: "accepted" | "answered" }[];
}

export interface PlanBeforeEvent {
  id: string;
  /** AI-SPEC.md. */
  spec: string;
  /** The commit the plan is made against. */
  base: string;
}

export interface PlanAfterEvent {
  id: string;
  base: string;
  location: string;
  plan: Plan;
}

/** What every `exec` event carries. */
export interface RunEvent {
  specId: string;
  runId: string;
  /** The run's branch, `spe/<id>`. */
  branch: string;
  /** The scratch worktree (absolute). */
  worktree: string;
  /** The commit the run's branch started from. */
  base: string;
}

export interface ExecBeforeEvent extends RunEvent {
  /** The branch the result merges into (refs/heads/…); null when HEAD was detached. */
  target: string | null;
  merge: MergeRecord["mode"];
  /** True when this is `exec --resume` of a run that stopped. */
  resumed: boolean;
  plan: Plan;
}

export interface WorktreeReadyEvent {
  /** "exec": a run's scratch worktree; "validate": `git spe validate`'s temporary worktree. */
  purpose: "exec" | "validate";
  /** The worktree to make runnable (absolute); the same as `ctx.cwd`. */
  worktree: string;
  /** The user's work tree, where installed dependencies may be linked from. */
  root: string;
  /** `exec.worktree.deps`: how dependencies should be provided. */
  deps: "link" | "install" | "none";
  specId?: string;
  runId?: string;
  branch?: string;
}

export interface StepBeforeEvent extends RunEvent {
  step: PlanStep;
  /** 0-based position of the step in the plan. */
  index: number;
  total: number;
}

export interface StepAfterEvent extends StepBeforeEvent {
  /** The step's commit on the run's branch. */
  commit: string;
  /** Files the commit changed. */
  touched: string[];
  /** The validation the step passed. */
  validation: ValidationRecord;
  /** Attempts recorded for the step, across resumes (1 = done without a repair). */
  attempts: number;
}

export interface MergeBeforeEvent extends RunEvent {
  mode: MergeRecord["mode"];
  /** refs/heads/… or null (detached HEAD: nothing is merged). */
  target: string | null;
  /** The run branch's tip that is about to be merged. */
  tip: string;
}

export interface MergeAfterEvent extends RunEvent {
  /** What happened: fast-forward, merged, squashed or skipped (`--merge none`). */
  result: MergeRecord;
}

export interface ExecAfterEvent extends RunEvent {
  status: RunStatus;
  steps: { id: string; title: string; status: string; commit?: string }[];
  finalValidation: ValidationRecord | undefined;
  merge: MergeRecord | undefined;
  drift: DriftReport | undefined;
  usage: ModelUsage;
  costUsd: number | null;
}

export interface LifecycleEvents {
  "spec:before": SpecBeforeEvent;
  "spec:after": SpecAfterEvent;
  "plan:before": PlanBeforeEvent;
  "plan:after": PlanAfterEvent;
  "exec:before": ExecBeforeEvent;
  "worktree:ready": WorktreeReadyEvent;
  "step:before": StepBeforeEvent;
  "step:after": StepAfterEvent;
  "merge:before": MergeBeforeEvent;
  "merge:after": MergeAfterEvent;
  "exec:after": ExecAfterEvent;
}

/** What a hook receives: the services, the hook's name and its (frozen) event. */
export interface HookContext<K extends LifecycleHookName> extends PluginServices {
  hook: K;
  event: DeepReadonly<LifecycleEvents[K]>;
}

export type LifecycleHook<K extends LifecycleHookName> = (
  ctx: HookContext<K>,
) => void | Promise<void>;

export type LifecycleHooks = { [K in LifecycleHookName]?: LifecycleHook<K> };
