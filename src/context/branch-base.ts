/**
 * The base for `--branch` without a value: the upstream of the current branch, then
 * origin/HEAD, then main, then master, like a user would pick for "my changes on this branch".
 */
import { usageError } from "../errors.ts";
import type { Git } from "../git/exec.ts";

async function verify(git: Git, rev: string): Promise<boolean> {
  const { exitCode } = await git.run(
    ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`],
    {
      okExitCodes: [1, 128],
    },
  );
  return exitCode === 0;
}

export async function resolveBranchBase(git: Git, requested: string | undefined): Promise<string> {
  if (requested) {
    if (!(await verify(git, requested))) {
      throw usageError(`--branch ${requested}: not a commit in this repository`, {
        hint: "Name a branch, tag or commit, e.g. --branch=main.",
      });
    }
    return requested;
  }
  const candidates = [
    "@{upstream}",
    "refs/remotes/origin/HEAD",
    "refs/heads/main",
    "refs/heads/master",
  ];
  for (const candidate of candidates) {
    if (await verify(git, candidate)) return candidate;
  }
  throw usageError("--branch: no base found (no upstream, origin/HEAD, main or master)", {
    hint: "Name the base explicitly: --branch=BASE.",
  });
}

/** The merge-base of `base` and HEAD: what "changed on this branch" is measured from. */
export async function mergeBase(git: Git, base: string): Promise<string> {
  const { stdout, exitCode } = await git.run(["merge-base", "--end-of-options", base, "HEAD"], {
    okExitCodes: [1],
  });
  if (exitCode !== 0) throw usageError(`--branch ${base}: no common ancestor with HEAD`);
  return stdout.trim();
}
