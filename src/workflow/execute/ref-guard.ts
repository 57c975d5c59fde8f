/**
 * What an executor must not move in its own worktree: HEAD (branch and commit) and the scratch
 * branch. Checked after each executor session; everything else the orchestrator alone writes
 * (other refs, the stash, config, hooks) is watched by repo-guard.ts.
 */
import type { Git } from "../../git/exec.ts";
import { readRef, symbolicHead } from "../../git/refs.ts";

export interface RefGuard {
  head: string | undefined;
  symbolic: string | undefined;
  branch: string | undefined;
}

export async function captureRefs(worktreeGit: Git, branchRef: string): Promise<RefGuard> {
  return {
    head: await readRef(worktreeGit, "HEAD"),
    symbolic: await symbolicHead(worktreeGit),
    branch: await readRef(worktreeGit, branchRef),
  };
}

/** Problems found (empty when nothing moved). */
export async function checkRefs(
  worktreeGit: Git,
  branchRef: string,
  before: RefGuard,
): Promise<string[]> {
  const after = await captureRefs(worktreeGit, branchRef);
  const problems: string[] = [];
  if (after.symbolic !== before.symbolic)
    problems.push(
      `HEAD now points at ${after.symbolic ?? "a detached commit"}, not ${before.symbolic}`,
    );
  if (after.head !== before.head)
    problems.push(`HEAD moved from ${before.head?.slice(0, 12)} to ${after.head?.slice(0, 12)}`);
  if (after.branch !== before.branch) problems.push(`${branchRef} moved`);
  return problems;
}
