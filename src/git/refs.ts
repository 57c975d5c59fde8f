/** Reading and moving refs, with the old value checked on every update. */
import type { Git, GitRunOptions } from "./exec.ts";
import { splitNul } from "./parse-z.ts";

export async function readRef(git: Git, ref: string): Promise<string | undefined> {
  const { stdout, exitCode } = await git.run(
    ["rev-parse", "--verify", "--quiet", "--end-of-options", ref],
    { okExitCodes: [1] },
  );
  return exitCode === 0 ? stdout.trim() : undefined;
}

/** Moves `ref` to `value` only if it is still at `expected` (undefined: must not exist yet). */
export async function updateRef(
  git: Git,
  ref: string,
  value: string,
  expected: string | undefined,
  reason: string,
  options: GitRunOptions = {},
): Promise<void> {
  const zero = "0".repeat(value.length);
  await git.run(["update-ref", "-m", reason, ref, value, expected ?? zero], options);
}

/** Deletes `ref`, only if it still points at `expected` when given. */
export async function deleteRef(git: Git, ref: string, expected?: string): Promise<void> {
  await git.run(["update-ref", "-d", ref, ...(expected ? [expected] : [])]);
}

/** refname → object id for every ref matching `patterns` (for-each-ref patterns). */
export async function snapshotRefs(
  git: Git,
  patterns: readonly string[],
): Promise<Map<string, string>> {
  const { stdout } = await git.run([
    "for-each-ref",
    "--format=%(refname)%00%(objectname)%00",
    ...patterns,
  ]);
  const fields = splitNul(stdout.replace(/\n/g, ""));
  const refs = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2)
    refs.set(fields[i] as string, fields[i + 1] as string);
  return refs;
}

export interface StashEntry {
  oid: string;
  message: string;
}

/** The user's stash list (the reflog of refs/stash), newest first. */
export async function stashList(git: Git): Promise<StashEntry[]> {
  const { stdout, exitCode } = await git.run(
    ["reflog", "show", "-z", "--format=%H%x1f%gs", "refs/stash", "--"],
    { okExitCodes: [128] },
  );
  if (exitCode !== 0) return [];
  return splitNul(stdout).map((record) => {
    const [oid = "", message = ""] = record.split("\u001f");
    return { oid: oid.trim(), message };
  });
}

/** Puts back stash entries that disappeared (a dropped or popped entry), oldest first. */
export async function restoreStashEntries(git: Git, missing: readonly StashEntry[]): Promise<void> {
  for (const entry of [...missing].reverse())
    await git.run(["stash", "store", "-m", entry.message, entry.oid]);
}

/** The full name of the branch HEAD points to (`refs/heads/…`), or undefined when detached. */
export async function symbolicHead(git: Git): Promise<string | undefined> {
  const { stdout, exitCode } = await git.run(["symbolic-ref", "-q", "HEAD"], { okExitCodes: [1] });
  return exitCode === 0 ? stdout.trim() : undefined;
}

export async function isAncestor(git: Git, ancestor: string, descendant: string): Promise<boolean> {
  const { exitCode } = await git.run(
    ["merge-base", "--is-ancestor", "--end-of-options", ancestor, descendant],
    { okExitCodes: [1] },
  );
  return exitCode === 0;
}
