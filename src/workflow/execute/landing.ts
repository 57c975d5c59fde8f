/**
 * Landing a step that committed in its lane (parallel.ts) on the run's branch: a fast-forward
 * when its commit sits on the tip, else a merge commit joining it to the tip ("Land S3: …",
 * Spe-Run and Spe-Landed, no Spe-Spec: the step commit keeps the tree it validated). A conflict
 * sends the step back to pending, its commit kept under refs/spe/attempts/. The ref moves are
 * never cut short by Ctrl-C once begun (a killed update-ref leaves the branch's lock behind).
 */
import { workFailed } from "../../errors.ts";
import { checkMerge } from "../../git/merge-tree.ts";
import { isAncestor, readRef, updateRef } from "../../git/refs.ts";
import { noHooks, removeScratchWorktree } from "../../git/worktree.ts";
import type { serialQueue } from "../../util/serial.ts";
import { branchRef, type ExecContext } from "./context.ts";
import { failureHints } from "./hints.ts";
import type { StepRecord } from "./run-state.ts";

/** `git worktree add/remove`, one at a time for the whole run. */
export type WorktreeQueue = ReturnType<typeof serialQueue>;

type Landing = "landed" | "conflict";

/** For the git calls that move refs while landing: never aborted once started. */
const uninterrupted = { signal: new AbortController().signal };

/**
 * A committed step onto the run's branch: a fast-forward when its commit sits on the tip, else
 * a merge commit of the tip and the step's commit (checked with merge-tree first). "conflict":
 * the step is pending again, its lane's commit kept under refs/spe/attempts/.
 */
export async function landStep(
  c: ExecContext,
  index: number,
  worktrees: WorktreeQueue,
): Promise<Landing> {
  const { state, pe } = c;
  const record = state.steps[index] as StepRecord;
  const lane = record.lane!;
  const laneCommit = record.commit!;
  const git = pe.ws.git.at(pe.ws.paths.toplevel, { isolate: true });
  const ref = branchRef(state);
  const tip = (await readRef(git, ref)) ?? state.base;
  // Landed already (the run stopped after moving the branch, before saving that)?
  const already = tip === laneCommit || (await isAncestor(git, laneCommit, tip));
  let landedAs = already ? undefined : laneCommit;
  if (!already) {
    if (!(await isAncestor(git, tip, laneCommit))) {
      const merge = await checkMerge(git, tip, laneCommit);
      if (!merge.clean) return conflict(c, record, tip, merge.conflicts, worktrees);
      const message = `Land ${record.id}: ${record.title}\n\nSpe-Run: ${state.runId}\nSpe-Landed: ${record.id}\n`;
      landedAs = await git.text(
        ["commit-tree", merge.tree, "-p", tip, "-p", laneCommit, "-F", "-"],
        { input: message },
      );
    }
    // The run's worktree (HEAD on the branch) follows: the branch moves with it, checked. Never
    // cut short by Ctrl-C once begun (a killed update-ref leaves the branch's lock behind).
    const runGit = pe.ws.git.at(state.worktree, { isolate: true, untrusted: true });
    await updateRef(git, ref, landedAs!, tip, `git spe: land ${record.id}`, uninterrupted);
    await runGit.run([...noHooks, "reset", "--quiet", "--hard", landedAs!], uninterrupted);
  }
  if (landedAs && landedAs !== laneCommit) record.landedAs = landedAs;
  delete record.lane;
  await c.save();
  pe.log.info(
    already
      ? `${record.id}: found on ${state.branch} (landed before the run stopped)`
      : `${record.id}: landed on ${state.branch}${landedAs === laneCommit ? ` at ${laneCommit.slice(0, 12)}` : ` by merge ${landedAs!.slice(0, 12)} onto ${tip.slice(0, 12)}`}`,
  );
  await worktrees(() => removeScratchWorktree(pe.ws.git, lane.worktree));
  return "landed";
}

/** The step goes back to pending, its lane's commit kept as an attempt of its own. */
async function conflict(
  c: ExecContext,
  record: StepRecord,
  tip: string,
  files: string[],
  worktrees: WorktreeQueue,
): Promise<Landing> {
  const { state, pe } = c;
  const lane = record.lane!;
  const laneCommit = record.commit!;
  const shown = files.slice(0, 5).join(", ") + (files.length > 5 ? ", …" : "");
  // Each re-run starts from a later tip; more re-runs than steps means something else moves it.
  if ((record.relanded ?? 0) >= state.steps.length) {
    record.status = "failed";
    await c.save();
    throw workFailed(
      `${record.id} still conflicts with ${state.branch} (${shown}) after ${record.relanded} re-runs`,
      { hint: failureHints(state) },
    );
  }
  // The next free attempt ref, or the one a stop here already wrote for this commit.
  let n = record.attempts.length + 1;
  let keep: string;
  for (;;) {
    keep = `refs/spe/attempts/${state.runId}/${record.id}/${n}`;
    const existing = await readRef(pe.ws.git, keep);
    if (existing === laneCommit) break;
    if (existing === undefined) {
      const reason = `git spe: ${record.id} conflicted`;
      await updateRef(pe.ws.git, keep, laneCommit, undefined, reason, uninterrupted);
      break;
    }
    n += 1;
  }
  record.attempts.push({
    n,
    startedAt: pe.now().toISOString(),
    error: `conflicted on landing: ${shown}`,
    ref: keep,
  });
  pe.log.warn(
    `${record.id}: conflicts with the steps landed since its lane started (${shown}); running it again from ${tip.slice(0, 12)}`,
  );
  Object.assign(record, { status: "pending", relanded: (record.relanded ?? 0) + 1 });
  delete record.lane;
  delete record.commit;
  delete record.touched;
  delete record.validationChanges;
  // Saved before the lane goes: a stop meanwhile leaves a pending step and a stray lane, which
  // the step's next run removes.
  await c.save();
  await worktrees(() => removeScratchWorktree(pe.ws.git, lane.worktree));
  return "conflict";
}
