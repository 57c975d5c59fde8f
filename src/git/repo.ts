/**
 * Repository discovery: where the work tree, this worktree's git dir, the shared (common) git
 * dir and the hooks directory really are. Paths come from `git rev-parse` (never by joining
 * ".git" by hand: a linked worktree has a `.git` file, and core.hooksPath moves the hooks), so
 * it works from a subdirectory, in a linked worktree and inside a hook with GIT_DIR set.
 */
import { GitError, environmentError } from "../errors.ts";
import type { Git } from "./exec.ts";

export interface RepoPaths {
  /** Absolute root of the current work tree. */
  toplevel: string;
  /** Absolute git dir of this worktree (`.git`, or `.git/worktrees/<name>` when linked). */
  gitDir: string;
  /** Absolute git dir shared by all worktrees: refs, objects, config, notes. */
  commonDir: string;
  /** Absolute directory git runs hooks from (honours core.hooksPath). */
  hooksDir: string;
  /** The starting directory relative to `toplevel`: "" at the root, "sub/dir/" below. */
  prefix: string;
  isLinkedWorktree: boolean;
}

function lines(output: string): string[] {
  return output.replace(/\n$/, "").split("\n");
}

export async function discoverRepo(git: Git): Promise<RepoPaths> {
  let first: string[];
  try {
    first = lines(
      await git.text([
        "rev-parse",
        "--is-bare-repository",
        "--is-inside-work-tree",
        "--path-format=absolute",
        "--absolute-git-dir",
        "--git-common-dir",
        "--git-path",
        "hooks",
      ]),
    );
  } catch (error) {
    if (error instanceof GitError && error.exitCode === 128) {
      const reason =
        error.stderr
          .trim()
          .split("\n")[0]
          ?.replace(/^fatal: /, "") ?? "";
      if (/not a git repository/i.test(reason)) {
        throw environmentError(`not a git repository: ${git.cwd}`, {
          hint: "Run git spe inside a git work tree (git init creates one).",
        });
      }
      throw environmentError(`git cannot open the repository at ${git.cwd}: ${reason}`);
    }
    throw error;
  }
  const [bare, insideWorkTree, gitDir = "", commonDir = "", hooksDir = ""] = first;
  if (bare === "true") {
    throw environmentError(`${gitDir} is a bare repository: git spe needs a work tree`, {
      hint: "Clone it (git clone) or add a worktree (git worktree add), and run git spe there.",
    });
  }
  if (insideWorkTree !== "true") {
    throw environmentError(`${git.cwd} is inside the git directory, not the work tree`, {
      hint: "Run git spe from the repository's working directory.",
    });
  }
  const [toplevel = "", prefix = ""] = lines(
    await git.text(["rev-parse", "--show-toplevel", "--show-prefix"]),
  );
  return { toplevel, gitDir, commonDir, hooksDir, prefix, isLinkedWorktree: gitDir !== commonDir };
}
