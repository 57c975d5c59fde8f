/**
 * What an executor must not move: the worktree's HEAD (branch and commit), the scratch branch,
 * tags, and the user's stash (shared by every worktree). Checked around each step; a changed
 * stash is put back. Other branches are not checked: the user may be working on them meanwhile,
 * and a change there cannot be told apart from theirs.
 */
import type { Git } from "../../git/exec.ts";
import {
  readRef,
  restoreStashEntries,
  snapshotRefs,
  symbolicHead,
  stashList,
  type StashEntry,
} from "../../git/refs.ts";

export interface RefGuard {
  head: string | undefined;
  symbolic: string | undefined;
  branch: string | undefined;
  tags: Map<string, string>;
  stash: StashEntry[];
}

export async function captureRefs(worktreeGit: Git, branchRef: string): Promise<RefGuard> {
  return {
    head: await readRef(worktreeGit, "HEAD"),
    symbolic: await symbolicHead(worktreeGit),
    branch: await readRef(worktreeGit, branchRef),
    tags: await snapshotRefs(worktreeGit, ["refs/tags"]),
    stash: await stashList(worktreeGit),
  };
}

/** Problems found (empty when nothing moved); a changed stash is restored on the way. */
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
  const tags = new Set([...before.tags.keys(), ...after.tags.keys()]);
  for (const tag of tags)
    if (before.tags.get(tag) !== after.tags.get(tag)) problems.push(`${tag} changed`);
  const kept = new Set(after.stash.map((e) => e.oid));
  const missing = before.stash.filter((e) => !kept.has(e.oid));
  const added = after.stash.length - (before.stash.length - missing.length);
  if (missing.length > 0 || added > 0) {
    problems.push(
      `the stash changed (${missing.length} entr${missing.length === 1 ? "y" : "ies"} gone, ${Math.max(0, added)} added)`,
    );
    if (missing.length > 0) await restoreStashEntries(worktreeGit, missing);
  }
  return problems;
}
