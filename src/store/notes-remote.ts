/** Remotes for `git spe notes push|pull`: which one, whether it is safe, where its notes go. */
import { createHash } from "node:crypto";
import { usageError, workFailed, type GitError } from "../errors.ts";
import type { Git } from "../git/exec.ts";

export function checkRemoteName(remote: string): string {
  const control = [...remote].some((c) => c.charCodeAt(0) < 0x20 || c === "\u007f");
  if (remote === "" || remote.startsWith("-") || control) {
    throw usageError(`invalid remote ${JSON.stringify(remote)}`, {
      hint: "Give a remote name or URL; git remote -v lists the remotes.",
    });
  }
  return remote;
}

/** The current branch's upstream remote, else "origin". */
export async function defaultRemote(git: Git): Promise<string> {
  const branch = await git.run(["symbolic-ref", "-q", "--short", "HEAD"], { okExitCodes: [1] });
  const name = branch.stdout.trim();
  if (branch.exitCode === 0 && name !== "") {
    const remote = await git.run(["config", "--get", `branch.${name}.remote`], {
      okExitCodes: [1],
    });
    const value = remote.stdout.trim();
    if (remote.exitCode === 0 && value !== "" && value !== ".") return value;
  }
  return "origin";
}

/** The private ref a remote's notes are fetched into; a URL or odd name gets a hashed name. */
export function trackingRef(remote: string): string {
  const plain =
    /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/.test(remote) && !remote.endsWith(".lock");
  const name = plain
    ? remote
    : `url-${createHash("sha256").update(remote).digest("hex").slice(0, 16)}`;
  return `refs/spe/remotes/${name}/notes`;
}

export function remoteFailure(action: string, remote: string, error: GitError) {
  const reason =
    error.stderr
      .trim()
      .split("\n")
      .at(-1)
      ?.replace(/^fatal: /, "") ?? "";
  if (/does not appear to be a git repository|no such remote/i.test(error.stderr)) {
    return usageError(`cannot ${action} ${remote}: ${reason}`, {
      hint: "git remote -v lists the remotes.",
    });
  }
  return workFailed(`cannot ${action} ${remote}: ${reason}`);
}
