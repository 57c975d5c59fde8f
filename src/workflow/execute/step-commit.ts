/**
 * What becomes of a step's attempt in git: a validated one is committed with the
 * Spe-Spec/Spe-Step/Spe-Run trailers, recorded in the run state and the tree's validation record,
 * then step:after runs; a failed one is kept as a commit on refs/spe/attempts/<run>/<step>/<n>.
 * A commit git made before the run stopped is found again by its trailers.
 */
import path from "node:path";
import { commitWorktree, snapshotWorktree } from "../../git/commit.ts";
import { splitNul } from "../../git/parse-z.ts";
import { updateRef } from "../../git/refs.ts";
import type { ExecContext } from "./context.ts";
import { runHookOf, stepEvent } from "./plugin-hooks.ts";
import { recordPassed } from "./record-passed.ts";
import type { ValidationRecord } from "./run-state.ts";
import { stepValidationChanges } from "./validation-changes.ts";
import { describeChange } from "../../protected/classify.ts";

export async function keepAttempt(
  c: ExecContext,
  stepId: string,
  n: number,
  why: string,
): Promise<string> {
  const wt = c.worktreeGit();
  const ref = `refs/spe/attempts/${c.state.runId}/${stepId}/${n}`;
  const commit = await snapshotWorktree(
    wt,
    path.join(c.pe.ws.paths.commonDir, "spe", "tmp"),
    `git spe: ${stepId} attempt ${n} of run ${c.state.runId}\n\n${why}\n`,
  );
  await updateRef(wt, ref, commit, undefined, `git spe: keep ${stepId} attempt ${n}`);
  return ref;
}

function commitMessage(c: ExecContext, index: number): string {
  const step = c.plan.steps[index] as (typeof c.plan.steps)[number];
  return [
    `${step.id}: ${step.title}`,
    "",
    `Step ${index + 1} of ${c.plan.steps.length} of "${c.plan.title}".`,
    "",
    `Spe-Spec: ${c.state.specId}`,
    `Spe-Step: ${step.id}`,
    `Spe-Run: ${c.state.runId}`,
    "",
  ].join("\n");
}

export async function commitStep(
  c: ExecContext,
  index: number,
  validation: ValidationRecord,
): Promise<void> {
  const commit = await commitWorktree(c.worktreeGit(), commitMessage(c, index));
  return recordCommit(c, index, commit, validation);
}

/** The step's commit in the run state, the tree's validation record, then step:after. */
export async function recordCommit(
  c: ExecContext,
  index: number,
  commit: string,
  validation: ValidationRecord,
): Promise<void> {
  const wt = c.worktreeGit();
  const record = c.state.steps[index] as (typeof c.state.steps)[number];
  const tree = await wt.text(["rev-parse", `${commit}^{tree}`]);
  const { stdout } = await wt.run([
    "diff-tree",
    "--no-commit-id",
    "--name-only",
    "-r",
    "-z",
    "--root",
    commit,
  ]);
  Object.assign(record, { status: "committed", commit, touched: splitNul(stdout) });
  validation.tree = tree;
  await c.save();
  record.validationChanges = await stepValidationChanges(c, index, commit);
  await c.save();
  if (validation.runs.length > 0) {
    await recordPassed(c, tree, validation, record.id);
  }
  const checks =
    validation.runs.length > 0
      ? `validated: ${validation.runs.map((r) => r.command).join(", ")}`
      : "no validators";
  c.pe.log.success(`${record.id} "${record.title}": committed ${commit.slice(0, 12)} (${checks})`);
  for (const change of record.validationChanges)
    if (change.declared === undefined)
      c.pe.log.warn(
        `${record.id}: validation change: ${describeChange(change)} (holds the merge unless accepted)`,
      );
  await afterStep(c, index, validation);
}

export async function afterStep(c: ExecContext, index: number, validation: ValidationRecord) {
  const record = c.state.steps[index] as (typeof c.state.steps)[number];
  await runHookOf(
    c,
    "step:after",
    {
      ...stepEvent(c, index),
      commit: record.commit ?? "",
      touched: record.touched ?? [],
      validation,
      attempts: record.attempts.length,
    },
    record.id,
  );
}

/**
 * The step's commit when git made it but the run stopped before saving that (killed while `git
 * commit` was finishing): the worktree's HEAD, if its trailers name this run and this step.
 * Only a validated attempt is ever committed.
 */
export async function madeButNotRecorded(
  c: ExecContext,
  stepId: string,
): Promise<string | undefined> {
  const wt = c.worktreeGit();
  const format = "%H%x00%(trailers:key=Spe-Run,valueonly)%x00%(trailers:key=Spe-Step,valueonly)";
  const { stdout } = await wt.run(["log", "-1", `--format=${format}`, "HEAD"]);
  const [commit, run, step] = stdout.split("\0").map((field) => field.trim());
  return run === c.state.runId && step === stepId ? commit : undefined;
}
