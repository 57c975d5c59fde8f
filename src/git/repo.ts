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

/** Where git puts each path, in one call; `--show-toplevel` fails outside a work tree. */
const discovery = [
  "rev-parse",
  "--is-bare-repository",
  "--is-inside-work-tree",
  "--path-format=absolute",
  "--absolute-git-dir",
  "--git-common-dir",
  "--git-path",
  "hooks",
] as const;

export async function discoverRepo(git: Git): Promise<RepoPaths> {
  // The usual case in one git start: a work tree, so --show-toplevel answers too.
  const all = await git.text([...discovery, "--show-toplevel", "--show-prefix"]).then(
    (output) => lines(output),
    () => undefined,
  );
  if (all && all[0] === "false" && all[1] === "true" && all.length >= 6) {
    const [, , gitDir = "", commonDir = "", hooksDir = "", toplevel = "", prefix = ""] = all;
    return {
      toplevel,
      gitDir,
      commonDir,
      hooksDir,
      prefix,
      isLinkedWorktree: gitDir !== commonDir,
    };
  }
  // Not a work tree (or git failed): the two-step discovery says which and why.
  let first: string[];
  try {
    first = lines(await git.text([...discovery]));
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
