/**
 * Merging a run back into the branch that was checked out when it started, only if nothing can
 * go wrong: the target moved meanwhile → the merge is checked with merge-tree and, if clean, done
 * in the scratch worktree and validated again; the user's uncommitted changes touch the merged
 * files → refused; otherwise a backup ref, then the target moves to a validated tree (in the
 * user's checkout with `merge --ff-only`, which refuses rather than overwrite anything).
 *
 * The move is saved as an intent first and, once begun, is not interrupted: `git merge
 * --ff-only` updates the index and working tree before the branch, so stopping it in between
 * (a SIGTERM while the user's reference-transaction hook runs) would leave the run's changes
 * staged on top of the old commit. A run stopped while git was moving the branch (SIGKILL: git
 * goes on) finds the move done when resumed and records it rather than moving it again.
 */
import fs from "node:fs";
import path from "node:path";
import { workFailed } from "../../errors.ts";
import type { Git } from "../../git/exec.ts";
import { checkMerge } from "../../git/merge-tree.ts";
import { parseStatusPathsZ, splitNul } from "../../git/parse-z.ts";
import { isAncestor, readRef, updateRef } from "../../git/refs.ts";
import { listWorktrees, noHooks } from "../../git/worktree.ts";
import { shellQuote } from "../../util/shell-quote.ts";
import { recordPassed } from "./record-passed.ts";
import { branchRef, type ExecContext } from "./context.ts";
import { failureHints } from "./hints.ts";
import { failedRun, type MergeRecord } from "./run-state.ts";
import { validateWorktree } from "./step.ts";
import { runValidate } from "./validation-changes.ts";
import { validatorsFor } from "./validation.ts";
import { listProjectValidators } from "../../plugins/validators.ts";

const shortRef = (ref: string) => ref.replace(/^refs\/heads\//, "");

function block(c: ExecContext, reason: string, hint: string[]): never {
  c.state.status = "blocked";
  c.state.mergeResult = {
    mode: c.state.merge,
    result: "blocked",
    ...(c.state.target ? { target: c.state.target } : {}),
    reason,
  };
  throw workFailed(`not merged: ${reason}`, {
    hint: [
      `The work stays on branch ${c.state.branch}; ${c.state.target ? `${shortRef(c.state.target)} is unchanged.` : ""}`,
      ...hint,
    ],
  });
}

/** For the git calls that move the user's branch: never aborted once started. */
const uninterrupted = { signal: new AbortController().signal };

/** `checkout`: where the target is checked out, if it is. */
function reportMerged(c: ExecContext, record: MergeRecord, checkout: string | undefined): void {
  const target = record.target as string;
  const commit = (record.commit as string).slice(0, 12);
  c.pe.log.success(`exec: merged into ${shortRef(target)}: ${commit} (${record.result})`);
  const reset = shellQuote(["git", "reset", "--keep", record.backupRef as string]);
  const undo = checkout
    ? // Without a cd only where it means that checkout: the worktree exec runs in, not one inside it.
      sameDirectory(c.pe.ws.paths.toplevel, checkout)
      ? reset
      : `${shellQuote(["cd", checkout])} && ${reset}`
    : shellQuote(["git", "update-ref", target, record.backupRef as string]);
  c.pe.log.info(
    `  backup of the previous ${shortRef(target)}: ${record.backupRef} (undo: ${undo})`,
  );
}

/** Whether two paths name the same directory (symbolic links resolved where they exist). */
function sameDirectory(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

/** A resumed run whose earlier attempt moved the target before it stopped: the merge is done. */
async function movedBefore(c: ExecContext, git: Git): Promise<boolean> {
  const intent = c.state.mergeIntent;
  if (!intent) return false;
  const now = await readRef(git, intent.target);
  if (!now || (now !== intent.commit && !(await isAncestor(git, intent.commit, now)))) return false;
  const { target, commit, result, backupRef } = intent;
  c.state.mergeResult = { mode: c.state.merge, result, target, commit, backupRef };
  c.pe.log.info(`exec: ${shortRef(target)} was moved before the run stopped`);
  const checkout = (await listWorktrees(git)).find((w) => w.branch === target);
  reportMerged(c, c.state.mergeResult, checkout?.path);
  return true;
}

/**
 * The tree that lands on the target passed validation in this run: final validation's, or else
 * (the moved target was merged in, or someone committed to the run's branch) it is validated now
 * in the worktree. Resumed after a stop in the middle of that validation, or after it failed,
 * the branch already contains the merge and looks mergeable: this is what still checks it.
 */
async function requireValidated(
  c: ExecContext,
  git: Git,
  finalTip: string,
  target: string,
): Promise<void> {
  const { state } = c;
  const tree = await git.text(["rev-parse", `${finalTip}^{tree}`]);
  const passed = [state.finalValidation, state.mergeValidation];
  if (passed.some((v) => v?.passed && v.tree === tree)) return;
  const commands = validatorsFor(c.plan.validate, runValidate(c));
  // No validators at all: the steps were committed unchecked, and so is the merge.
  if (listProjectValidators(c.pe.ws.config, commands).length === 0) return;
  const validation = await validateWorktree(c, commands, "merge", "merge");
  validation.tree = tree;
  state.mergeValidation = validation;
  await c.save();
  if (!validation.passed) {
    const run = failedRun(validation);
    const parents = (await git.text(["rev-list", "--parents", "-n", "1", finalTip])).split(" ");
    const what =
      parents.length > 2 ? `the run merged with the new ${shortRef(target)}` : state.branch;
    block(c, `${what} fails validation (${run?.command})`, failureHints(state));
  }
  await recordPassed(c, tree, validation, "merge");
}

function trailers(c: ExecContext): string {
  return `Spe-Spec: ${c.state.specId}\nSpe-Run: ${c.state.runId}\n`;
}

export async function mergeBack(c: ExecContext): Promise<void> {
  const { state } = c;
  const git = c.pe.ws.git.at(c.pe.ws.paths.toplevel, { isolate: true });
  const tip = (await readRef(git, branchRef(state))) as string;
  if (state.merge === "none" || state.target === null) {
    state.mergeResult = { mode: state.merge, result: "skipped", reason: "--merge none" };
    c.pe.log.info(`exec: the work is on branch ${state.branch}; merge it when you like`);
    return;
  }
  if (await movedBefore(c, git)) return;
  const target = state.target;
  const targetNow = await readRef(git, target);
  if (!targetNow) block(c, `${shortRef(target)} no longer exists`, []);

  // A branch tip made while model code ran unconfined is never merged, nor anything built on it.
  for (const taint of state.tainted ?? [])
    if (taint.ref === target && (await isAncestor(git, taint.commit, targetNow)))
      block(
        c,
        `${shortRef(target)} holds ${taint.commit.slice(0, 12)}, made while model code ran with the sandbox off`,
        [
          `Inspect it: git log ${taint.commit.slice(0, 12)}`,
          `If it is not yours, drop it: git reset --keep ${taint.commit.slice(0, 12)}~1 (on ${shortRef(target)})`,
        ],
      );

  let finalTip = tip;
  if (!(await isAncestor(git, targetNow, tip))) {
    const check = await checkMerge(git, targetNow, tip);
    if (!check.clean) {
      block(
        c,
        `${shortRef(target)} moved during the run and merging it with ${state.branch} conflicts in: ${check.conflicts.join(", ")}`,
        [
          `Merge it yourself: git merge ${state.branch}`,
          `Or drop it: git spe abort ${state.specId}`,
        ],
      );
    }
    c.pe.log.info(
      `exec: ${shortRef(target)} moved during the run; merging it into ${state.branch} and validating the result`,
    );
    const wt = c.worktreeGit();
    await wt.run([
      ...noHooks,
      "merge",
      "--quiet",
      "--no-ff",
      "--no-edit",
      "-m",
      `Merge ${shortRef(target)} into ${state.branch}\n\n${trailers(c)}`,
      targetNow,
    ]);
    finalTip = await wt.text(["rev-parse", "HEAD"]);
  }
  await requireValidated(c, git, finalTip, target);

  const checkout = (await listWorktrees(git)).find((w) => w.branch === target);
  const changed = splitNul(
    (await git.run(["diff", "--name-only", "-z", "--no-renames", targetNow, finalTip])).stdout,
  );
  if (checkout) {
    const dirty = parseStatusPathsZ(
      (
        await git
          .at(checkout.path, { isolate: true })
          // No optional locks: this must not take the user's index.lock (or leave it behind when
          // a Ctrl-C stops it) nor rewrite their index.
          .run(["--no-optional-locks", "status", "--porcelain", "-z", "--untracked-files=all"])
      ).stdout,
    );
    const overlap = changed.filter((p) => dirty.includes(p));
    if (overlap.length > 0) {
      block(
        c,
        `your uncommitted changes in ${checkout.path} touch files the run changes: ${overlap.join(", ")}`,
        [
          `Commit or stash them, then: git spe exec ${state.specId} --resume  (merges without running the steps again)`,
        ],
      );
    }
  }

  const tree = await git.text(["rev-parse", `${finalTip}^{tree}`]);
  let commit = finalTip;
  let result: MergeRecord["result"] = "fast-forward";
  if (state.merge === "merge") {
    commit = await git.text(["commit-tree", tree, "-p", targetNow, "-p", finalTip, "-F", "-"], {
      input: `Merge ${state.branch}: ${c.plan.title}\n\n${trailers(c)}`,
    });
    result = "merged";
  } else if (state.merge === "squash") {
    const steps = c.plan.steps.map((s) => `- ${s.id}: ${s.title}`).join("\n");
    commit = await git.text(["commit-tree", tree, "-p", targetNow, "-F", "-"], {
      input: `${c.plan.title}\n\n${steps}\n\n${trailers(c)}`,
    });
    result = "squashed";
  }
  const backupRef = `refs/spe/backup/${state.runId}`;
  state.mergeIntent = { target, from: targetNow, commit, result, backupRef };
  await c.save();
  c.pe.signal.throwIfAborted();
  // An earlier attempt of this run that stopped before the move may have written the backup.
  const previous = await readRef(git, backupRef);
  if (previous !== targetNow)
    await updateRef(
      git,
      backupRef,
      targetNow,
      previous,
      `git spe: ${shortRef(target)} before run ${state.runId}`,
      uninterrupted,
    );
  if (checkout) {
    // The user's hooks run (unless they are kept in the work tree: see openRepository).
    const moved = await git
      .at(checkout.path, { isolate: true })
      .run(["merge", "--ff-only", "--quiet", commit], { okExitCodes: [1, 128], ...uninterrupted });
    if (moved.exitCode !== 0)
      block(
        c,
        `git merge --ff-only in ${checkout.path} refused: ${moved.stderr.trim().split("\n")[0]}`,
        [],
      );
  } else {
    await updateRef(
      git,
      target,
      commit,
      targetNow,
      `git spe: merge run ${state.runId}`,
      uninterrupted,
    );
  }
  state.mergeResult = { mode: state.merge, result, target, commit, backupRef };
  reportMerged(c, state.mergeResult, checkout?.path);
}
