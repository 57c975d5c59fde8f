/**
 * File sets from git state, always through `-z` so any byte a path may hold survives. Paths are
 * relative to the work tree root: these expect a `Git` whose cwd is the toplevel (ls-files
 * answers relative to cwd) and pass --no-relative so a user's diff.relative cannot shift them.
 */
import type { Git } from "./exec.ts";
import {
  parseLsFilesStageZ,
  parseNameStatusZ,
  splitNul,
  type FileChange,
  type IndexEntry,
} from "./parse-z.ts";

/** Tracked files (the index), optionally limited by pathspecs. */
export async function listTrackedFiles(
  git: Git,
  pathspecs: readonly string[] = [],
): Promise<string[]> {
  const { stdout } = await git.run(["ls-files", "-z", "--cached"], { paths: pathspecs });
  return splitNul(stdout);
}

/** Index entries with mode and blob id: the key for caches that must not re-read a file. */
export async function listIndexEntries(
  git: Git,
  pathspecs: readonly string[] = [],
): Promise<IndexEntry[]> {
  const { stdout } = await git.run(["ls-files", "-z", "--stage"], { paths: pathspecs });
  return parseLsFilesStageZ(stdout);
}

/** Untracked files that are not ignored. */
export async function listUntrackedFiles(
  git: Git,
  pathspecs: readonly string[] = [],
): Promise<string[]> {
  const { stdout } = await git.run(["ls-files", "-z", "--others", "--exclude-standard"], {
    paths: pathspecs,
  });
  return splitNul(stdout);
}

/** The empty tree's id in this repository's hash format (SHA-1 or SHA-256). */
export async function emptyTreeId(git: Git): Promise<string> {
  return git.text(["hash-object", "-t", "tree", "--stdin"], { input: "" });
}

/** The commit HEAD points to, or undefined in a repository with no commits yet. */
export async function resolveHead(git: Git): Promise<string | undefined> {
  const { stdout, exitCode } = await git.run(
    ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"],
    {
      okExitCodes: [1],
    },
  );
  return exitCode === 0 ? stdout.trim() : undefined;
}

const diffArgs = ["diff", "--name-status", "-z", "-M", "--no-relative", "--no-ext-diff"];

/** Staged changes: the index against HEAD (against the empty tree before the first commit). */
export async function listStagedChanges(
  git: Git,
  pathspecs: readonly string[] = [],
): Promise<FileChange[]> {
  const base = (await resolveHead(git)) ?? (await emptyTreeId(git));
  const { stdout } = await git.run([...diffArgs, "--cached", base], { paths: pathspecs });
  return parseNameStatusZ(stdout);
}

/** Unstaged changes to tracked files: the work tree against the index. */
export async function listUnstagedChanges(
  git: Git,
  pathspecs: readonly string[] = [],
): Promise<FileChange[]> {
  const { stdout } = await git.run(diffArgs, { paths: pathspecs });
  return parseNameStatusZ(stdout);
}

/** Changes between two commits. Revisions may come from model output: --end-of-options. */
export async function listCommitChanges(
  git: Git,
  from: string,
  to: string,
  pathspecs: readonly string[] = [],
): Promise<FileChange[]> {
  const { stdout } = await git.run([...diffArgs, "--end-of-options", from, to], {
    paths: pathspecs,
  });
  return parseNameStatusZ(stdout);
}

/** Changes from a commit to the work tree (committed and uncommitted, tracked files). */
export async function listChangesSince(
  git: Git,
  rev: string,
  pathspecs: readonly string[] = [],
): Promise<FileChange[]> {
  const { stdout } = await git.run([...diffArgs, "--end-of-options", rev], { paths: pathspecs });
  return parseNameStatusZ(stdout);
}

/**
 * Blob ids of `paths` in the tree of `rev` (files that do not exist there are absent from the
 * map). Literal pathspecs: a path with `*` in it means that file only.
 */
export async function listTreeBlobs(
  git: Git,
  rev: string,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const blobs = new Map<string, string>();
  if (paths.length === 0) return blobs;
  const { stdout } = await git.run(
    ["--literal-pathspecs", "ls-tree", "-r", "-z", "--full-tree", "--end-of-options", rev],
    { paths },
  );
  for (const record of splitNul(stdout)) {
    const tab = record.indexOf("\t");
    const [, type, oid] = record.slice(0, tab).split(" ");
    if (type === "blob" && oid) blobs.set(record.slice(tab + 1), oid);
  }
  return blobs;
}
