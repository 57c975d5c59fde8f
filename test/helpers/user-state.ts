/**
 * What a user has in a checkout besides commits — a staged edit, an unstaged edit, an untracked
 * file, a stash entry — made and captured so a test can assert that a run left all of it alone,
 * even when the run's merge moved the branch.
 */
import type { TestRepo } from "./git-repo.ts";

export interface UserFiles {
  /** Tracked files the run does not touch: one gets a staged edit, one an unstaged edit. */
  staged: string;
  unstaged: string;
  /** A tracked file whose edit is stashed. */
  stashed: string;
}

export async function makeUserChanges(repo: TestRepo, files: UserFiles): Promise<void> {
  await repo.write(files.stashed, "stashed by the user\n");
  await repo.git(["stash", "push", "-q", "--", files.stashed]);
  await repo.write(files.staged, "staged by the user\n");
  await repo.git(["add", "--", files.staged]);
  await repo.write(files.unstaged, "unstaged by the user\n");
  await repo.write("user-notes.txt", "untracked, the user's\n");
}

/** The index entries, diffs and status of the user's files, and the stash list. */
export async function userState(repo: TestRepo, files: UserFiles) {
  const paths = ["--", files.staged, files.unstaged, files.stashed, "user-notes.txt"];
  return {
    index: await repo.git(["ls-files", "-s", ...paths]),
    staged: await repo.git(["diff", "--cached", ...paths]),
    unstaged: await repo.git(["diff", ...paths]),
    status: await repo.git(["status", "--porcelain", "-z", "--untracked-files=all", ...paths]),
    untracked: await repo.read("user-notes.txt"),
    stash: await repo.git(["stash", "list", "--format=%H %gs"]),
  };
}
