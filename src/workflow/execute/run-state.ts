/**
 * A run as data: everything `exec` decided and did, saved after every transition to
 * `<common git dir>/spe/runs/<spec>/<run>.json` (write to a temp file, rename), so a run killed
 * at any point can be resumed or aborted from what is on disk.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { ModelUsage } from "../../providers/types.ts";
import type { DriftReport } from "./drift.ts";
import type { TestCounts } from "../../protected/test-counts.ts";
import type { ValidationChange } from "../../protected/classify.ts";

export interface CommandRun {
  /** The shell command, or "<plugin>:<name>" for a plugin's validator. */
  command: string;
  /** Set when a plugin's validator ran (not a shell command). */
  plugin?: string;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** Combined output, the tail kept when long. */
  output: string;
  /** Tests passed/failed/skipped, when the output has a summary that can be read. */
  tests?: TestCounts;
}

/**
 * Every validation a run record holds, labelled: each step attempt's, then the final one and
 * the merge's. Tolerates a record read from elsewhere (notes) with parts missing.
 */
export function runValidations(
  state: Partial<Pick<RunState, "steps" | "finalValidation" | "mergeValidation">>,
): { label: string; validation: ValidationRecord }[] {
  const out: { label: string; validation: ValidationRecord }[] = [];
  for (const step of Array.isArray(state.steps) ? state.steps : [])
    for (const attempt of Array.isArray(step?.attempts) ? step.attempts : [])
      if (attempt?.validation)
        out.push({ label: `${step.id} attempt ${attempt.n}`, validation: attempt.validation });
  if (state.finalValidation) out.push({ label: "final", validation: state.finalValidation });
  if (state.mergeValidation) out.push({ label: "merge", validation: state.mergeValidation });
  return out;
}

/** The first command or validator that failed or timed out. */
export function failedRun(validation: { runs: readonly CommandRun[] }): CommandRun | undefined {
  return validation.runs.find((r) => r.exitCode !== 0 || r.timedOut);
}

export interface ValidationRecord {
  passed: boolean;
  /** The tree that was validated. */
  tree?: string;
  runs: CommandRun[];
}

export interface ExecutorRecord {
  summary: string;
  outcome: "done" | "turn-limit";
  turns: number;
  toolCalls: number;
  usage: ModelUsage;
  costUsd: number | null;
  model: string;
  durationMs: number;
}

export interface AttemptRecord {
  n: number;
  startedAt: string;
  executor?: ExecutorRecord;
  validation?: ValidationRecord;
  /** refs/spe/attempts/<run>/<step>/<n>, when the attempt failed. */
  ref?: string;
  error?: string;
}

export interface StepRecord {
  id: string;
  title: string;
  status: "pending" | "running" | "committed" | "failed";
  attempts: AttemptRecord[];
  commit?: string;
  /** Files the step's commit changed. */
  touched?: string[];
  /** Its changes to what decides "done" (tests, validators' scripts, runner configs, …). */
  validationChanges?: ValidationChange[];
  /**
   * Under `exec --parallel`: the lane the step runs in, from the branch tip it started at
   * (`ready` once bootstrapped). Kept until the step's commit has landed on the run's branch.
   */
  lane?: { worktree: string; base: string; ready?: boolean; afterDone?: boolean };
  /** How many times the step ran again after its commit conflicted on landing. */
  relanded?: number;
  /** Under `exec --parallel`: the merge commit that landed `commit` on the run's branch. */
  landedAs?: string;
}

/** The validation-change check before merging, and what the user decided. */
export interface ValidationGate {
  /** Every validation change of the run, declared ones included. */
  changes: ValidationChange[];
  /** The project validators' test counts on the base, when the final validation had counts. */
  baseline?: { tree: string; runs: { command: string; tests?: TestCounts }[] };
  /** How the undeclared changes were let through; absent while they hold the merge. */
  decision?: {
    accepted: boolean;
    by: "terminal" | "--accept-validation-changes";
    at: string;
    /** The changes the decision was about. */
    changes: ValidationChange[];
  };
}

export type RowStatus = "pending" | "running" | "done" | "failed" | "skipped";

export interface RowRecord {
  name: string;
  status: RowStatus;
  note?: string;
  at?: string;
}

export type RunStatus =
  "running" | "failed" | "interrupted" | "blocked" | "merged" | "done" | "aborted";

export interface MergeRecord {
  mode: "ff" | "merge" | "squash" | "none";
  result: "fast-forward" | "merged" | "squashed" | "skipped" | "blocked";
  target?: string;
  commit?: string;
  backupRef?: string;
  reason?: string;
}

export interface MergeIntent {
  target: string;
  /** Where the target was (what the backup ref keeps). */
  from: string;
  /** Where the target goes. */
  commit: string;
  result: MergeRecord["result"];
  backupRef: string;
}

export interface RunState {
  spe: "run/v1";
  runId: string;
  specId: string;
  status: RunStatus;
  /** Why the run stopped, for people: the last failure or block. */
  message?: string;
  startedAt: string;
  updatedAt: string;
  pid: number;
  /** The branch checked out when exec started (refs/heads/…), null when HEAD was detached. */
  target: string | null;
  /** The commit HEAD was at when exec started. */
  startHead: string;
  /** The commit the scratch branch started from. */
  base: string;
  branch: string;
  worktree: string;
  merge: MergeRecord["mode"];
  keepWorktree: boolean;
  /** Steps run at once (`exec --parallel`); absent or 1: one after another. */
  parallel?: number;
  maxCostUsd: number | null;
  /** AI-PLAN.md as executed: a resume runs the same plan even if the stored one changed. */
  planText: string;
  rows: RowRecord[];
  steps: StepRecord[];
  finalValidation?: ValidationRecord;
  /** The validation of what merges when it is not final validation's tree (the target moved). */
  mergeValidation?: ValidationRecord;
  drift?: DriftReport;
  /** The commands of `validate` when the run started: the run validates with these, whatever the worktree's config says. */
  validate?: string[];
  validationGate?: ValidationGate;
  /** Set by `--resume --accept-validation-changes`: the held-back changes may merge. */
  acceptValidationChanges?: boolean;
  mergeResult?: MergeRecord;
  /**
   * Saved just before the user's branch is moved: a run stopped during the move (killed while
   * git was at it) can tell when resumed whether the move happened, instead of doing it again.
   */
  mergeIntent?: MergeIntent;
  /** Branch tips that moved while model code ran unconfined: never merged. */
  tainted?: { ref: string; commit: string }[];
  usage: ModelUsage;
  /** Total known cost; null once any call's price was unknown. */
  costUsd: number | null;
}

export function runsDir(commonDir: string, specId: string): string {
  return path.join(commonDir, "spe", "runs", specId);
}

export function newRunId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "")
    .replace("T", "T");
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}

export async function saveRunState(
  commonDir: string,
  state: RunState,
  now: Date = new Date(),
): Promise<void> {
  state.updatedAt = now.toISOString();
  const dir = runsDir(commonDir, state.specId);
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${state.runId}.json`);
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await fs.rename(temp, file);
}

/** Every recorded run of a spec, newest first. */
export async function listRuns(commonDir: string, specId: string): Promise<RunState[]> {
  let names: string[];
  try {
    names = await fs.readdir(runsDir(commonDir, specId));
  } catch {
    return [];
  }
  const runs: RunState[] = [];
  for (const name of names.filter((n) => n.endsWith(".json"))) {
    try {
      const state = JSON.parse(
        await fs.readFile(path.join(runsDir(commonDir, specId), name), "utf8"),
      ) as RunState;
      if (state.spe === "run/v1") runs.push(state);
    } catch {
      // a torn or foreign file: not a run
    }
  }
  return runs.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
}

/** A run that did not finish: the one `--resume` continues and `abort` removes. */
export function isUnfinished(state: RunState): boolean {
  return (
    state.status === "running" ||
    state.status === "failed" ||
    state.status === "interrupted" ||
    state.status === "blocked"
  );
}
