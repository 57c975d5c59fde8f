/**
 * Scratch worktrees: created for a run on their own branch without running the user's hooks
 * (`core.hooksPath=/dev/null`: a post-checkout hook must not fire in a worktree the user never
 * asked for), always with an environment cleaned of the caller's GIT_DIR/GIT_INDEX_FILE.
 */
import fs from "node:fs/promises";
import type { Git } from "./exec.ts";
import { splitNul } from "./parse-z.ts";

/** Options that keep the user's hooks out of git spe's own git operations. */
export const noHooks = ["-c", "core.hooksPath=/dev/null"] as const;

/**
 * A new worktree on a new `branch` from `base` (without a branch: detached at `base`); with
 * `existing`, on that branch as it is (git interrupted while creating a worktree removes it but
 * keeps the branch it made).
 */
export async function addScratchWorktree(
  git: Git,
  options: {
    path: string;
    branch?: string;
    base: string;
    existing?: boolean;
    /** Leave the files out: `checkOutScratchWorktree` checks them out (git's lock not held). */
    noCheckout?: boolean;
  },
): Promise<void> {
  const isolated = git.at(git.cwd, { isolate: true });
  if (options.existing && options.branch) {
    await isolated.run(["worktree", "prune"]);
    await isolated.run([
      ...noHooks,
      "worktree",
      "add",
      "--quiet",
      "--",
      options.path,
      options.branch,
    ]);
    await checkOutEverything(git, options.path);
    return;
  }
  await isolated.run([
    ...noHooks,
    "worktree",
    "add",
    "--quiet",
    ...(options.noCheckout ? ["--no-checkout"] : []),
    ...(options.branch ? ["-b", options.branch] : ["--detach"]),
    "--",
    options.path,
    options.base,
  ]);
  await checkOutEverything(git, options.path);
}

/** The files of a worktree added with `noCheckout`, as its HEAD has them. */
export async function checkOutScratchWorktree(git: Git, path: string): Promise<void> {
  const worktree = git.at(path, { isolate: true, untrusted: true });
  await worktree.run([...noHooks, "reset", "--quiet", "--hard", "HEAD"]);
}

/**
 * `git worktree add` copies the current worktree's sparse-checkout patterns to the new one (git
 * 2.36+). A run or a validation needs the whole tree: in a sparse scratch worktree the tests
 * outside the patterns would silently not run, and `git add -A` refuses files the model creates
 * there. Disabling it writes only the new worktree's config.worktree; the user's stays sparse.
 */
async function checkOutEverything(git: Git, path: string): Promise<void> {
  const worktree = git.at(path, { isolate: true, untrusted: true });
  const sparse = await worktree.run(["config", "--type=bool", "core.sparseCheckout"], {
    okExitCodes: [1],
  });
  if (sparse.stdout.trim() === "true")
    await worktree.run([...noHooks, "sparse-checkout", "disable"]);
}

/** Removes the worktree (and its admin files); a directory git no longer knows is removed too. */
export async function removeScratchWorktree(git: Git, path: string): Promise<void> {
  // Untrusted: the worktree may hold a repository the model made (see untrustedWorktreeConfig).
  const isolated = git.at(git.cwd, { isolate: true, untrusted: true });
  await isolated.run(["worktree", "remove", "--force", "--force", "--", path], {
    okExitCodes: [128],
  });
  await fs.rm(path, { recursive: true, force: true });
  await isolated.run(["worktree", "prune"]);
}

export interface WorktreeEntry {
  path: string;
  head: string | undefined;
  /** refs/heads/…, undefined when detached. */
  branch: string | undefined;
}

export async function listWorktrees(git: Git): Promise<WorktreeEntry[]> {
  const { stdout } = await git.run(["worktree", "list", "--porcelain", "-z"]);
  const out: WorktreeEntry[] = [];
  let current: WorktreeEntry | undefined;
  for (const record of splitNul(stdout)) {
    if (record === "") {
      current = undefined;
      continue;
    }
    const space = record.indexOf(" ");
    const key = space === -1 ? record : record.slice(0, space);
    const value = space === -1 ? "" : record.slice(space + 1);
    if (key === "worktree")
      out.push((current = { path: value, head: undefined, branch: undefined }));
    else if (current && key === "HEAD") current.head = value;
    else if (current && key === "branch") current.branch = value;
  }
  return out;
}

/** A throwaway worktree at `commit` (detached), for running checks on an exact tree. */
export async function addDetachedWorktree(git: Git, path: string, commit: string): Promise<void> {
  const isolated = git.at(git.cwd, { isolate: true });
  await isolated.run([...noHooks, "worktree", "add", "--quiet", "--detach", "--", path, commit]);
  await checkOutEverything(git, path);
}
