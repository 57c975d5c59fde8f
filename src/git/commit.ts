/**
 * Commits made by git spe in a scratch worktree: every change staged (`add -A`, .gitignore
 * honoured) and committed with the user's hooks off; and snapshots of a worktree's state as a
 * commit that no branch points at, built in a private index so nothing else moves.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { environmentError, GitError } from "../errors.ts";
import type { Git } from "./exec.ts";
import { noHooks } from "./worktree.ts";

/** Fails early, with the command to run, when git has no identity to commit with. */
export async function requireCommitIdentity(git: Git): Promise<void> {
  try {
    await git.run(["var", "GIT_COMMITTER_IDENT"]);
  } catch (error) {
    if (error instanceof GitError) {
      throw environmentError("git has no name and email to commit with", {
        hint: 'git config --global user.name "Your Name" && git config --global user.email you@example.com',
      });
    }
    throw error;
  }
}

/** Stages everything in the worktree and commits it; resolves to the new commit. */
export async function commitWorktree(worktreeGit: Git, message: string): Promise<string> {
  await worktreeGit.run(["add", "-A"]);
  await worktreeGit.run(
    [...noHooks, "commit", "--quiet", "--allow-empty", "--no-verify", "--file=-"],
    { input: message },
  );
  return worktreeGit.text(["rev-parse", "HEAD"]);
}

/**
 * The worktree's current state (tracked and untracked, .gitignore honoured) as a commit whose
 * parent is HEAD, without touching the worktree's index, HEAD or any branch.
 */
export async function snapshotWorktree(
  worktreeGit: Git,
  tempDir: string,
  message: string,
): Promise<string> {
  await fs.mkdir(tempDir, { recursive: true });
  const index = path.join(tempDir, `index-${process.pid}-${randomBytes(4).toString("hex")}`);
  const env = { GIT_INDEX_FILE: index };
  try {
    await worktreeGit.run(["read-tree", "HEAD"], { env });
    await worktreeGit.run(["add", "-A"], { env });
    const tree = await worktreeGit.text(["write-tree"], { env });
    return await worktreeGit.text(["commit-tree", tree, "-p", "HEAD", "-F", "-"], {
      input: message,
    });
  } finally {
    await fs.rm(index, { force: true });
  }
}

/** Discards uncommitted changes and untracked files in a scratch worktree (never the user's). */
export async function resetScratchWorktree(worktreeGit: Git): Promise<void> {
  await worktreeGit.run([...noHooks, "reset", "--quiet", "--hard", "HEAD"]);
  await worktreeGit.run(["clean", "-fdq"]);
}
