/**
 * What a user had before `git spe exec` and must still have after it is killed or interrupted:
 * the checked-out branch and its tip, the index (as `git diff --cached` against HEAD), the
 * working tree (status with every untracked file, the unstaged diff, and the bytes of the files
 * the user left dirty), and the stash. Only the tip may differ, and only when the validated
 * merge completed; everything else is relative to HEAD so a fast-forward leaves it equal.
 * `.spe/` is the dir store's own directory (git spe writes its state there) and is left out.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { TestRepo } from "./git-repo.ts";

export interface UserState {
  branch: string;
  tip: string;
  /** Everything but the tip: must be equal before and after. */
  rest: {
    staged: string;
    unstaged: string;
    status: string;
    files: Record<string, string | null>;
    stashList: string;
    stashTip: string;
    /** git's lock files (index.lock, refs/heads/main.lock, …) but spe/'s and worktrees/'. */
    gitLocks: string[];
  };
}

/** A dirty tree and a stash entry, none of it touching the files a run changes. */
export async function makeUserMess(repo: TestRepo): Promise<string[]> {
  await repo.write("README.md", "# test repo\n\nstashed edit\n");
  await repo.git(["stash", "push", "-q", "-m", "the user's own stash"]);
  await repo.write("README.md", "# test repo\n\nan unsaved edit, not staged\n");
  await repo.write("staged.txt", "staged, never committed\n");
  await repo.git(["add", "--", "staged.txt"]);
  await repo.write("staged.txt", "staged, never committed\nand edited again after staging\n");
  await repo.write("scratch/untracked notes.txt", "the user's untracked notes\n");
  return ["README.md", "staged.txt", "scratch/untracked notes.txt"];
}

async function gitLockFiles(gitDir: string): Promise<string[]> {
  const entries = await fs.readdir(gitDir, { recursive: true });
  return entries
    .filter((e) => e.endsWith(".lock"))
    .filter((e) => !e.startsWith(`spe${path.sep}`) && !e.startsWith(`worktrees${path.sep}`))
    .sort();
}

async function readOrNull(file: string): Promise<string | null> {
  return fs.readFile(file, "utf8").catch(() => null);
}

export async function snapshotUserState(repo: TestRepo, files: string[]): Promise<UserState> {
  const outside = ":(exclude).spe";
  const raw = await repo.gitRaw(["stash", "list"]);
  return {
    branch: await repo.git(["symbolic-ref", "HEAD"]),
    tip: await repo.git(["rev-parse", "HEAD"]),
    rest: {
      staged: await repo.git(["diff", "--cached", "--binary", "--", ".", outside]),
      unstaged: await repo.git(["diff", "--binary", "--", ".", outside]),
      status: await repo.git([
        "status",
        "--porcelain",
        "-z",
        "--untracked-files=all",
        "--",
        ".",
        outside,
      ]),
      files: Object.fromEntries(
        await Promise.all(
          files.map(async (f) => [f, await readOrNull(path.join(repo.dir, f))] as const),
        ),
      ),
      stashList: raw.stdout,
      stashTip: await repo.git(["rev-parse", "refs/stash"]),
      gitLocks: await gitLockFiles(await repo.git(["rev-parse", "--absolute-git-dir"])),
    },
  };
}
