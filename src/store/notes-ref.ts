/**
 * `refs/notes/spe` through git plumbing. A notes ref is a commit history whose tree maps an
 * annotated object id (as a path, possibly split into fan-out directories `ab/cdef…`) to a note
 * blob. git spe reads one notes commit at a time (`ls-tree -r` + `cat-file --batch`, rather than
 * `git notes list`, which reads whatever the ref is at that moment), so what it read is exactly
 * the value its update later replaces (notes-update.ts). New commits chain to their parents, so
 * every note blob ever written stays reachable from the ref.
 *
 * None of this goes through `git notes`, so a user's GIT_NOTES_REF or core.notesRef cannot
 * redirect it. Trees are written flat (no fan-out), which git reads like any other notes tree.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

import type { Git } from "../git/exec.ts";
import { splitNul } from "../git/parse-z.ts";
import type { RepoPaths } from "../git/repo.ts";

export const notesRef = "refs/notes/spe";

export interface NotesRepo {
  git: Git;
  paths: Pick<RepoPaths, "commonDir">;
}

export interface TreeEntry {
  mode: string;
  oid: string;
  path: string;
}

export interface NotesSnapshot {
  /** The notes commit read; undefined when the ref does not exist. */
  commit: string | undefined;
  /** Annotated object id → note blob id. */
  notes: Map<string, string>;
  /** Entries of the notes tree that are not notes: kept as they are. */
  others: TreeEntry[];
}

/** The commit `rev` names; undefined when it names none. `rev` is never read as an option. */
export async function resolveCommit(git: Git, rev: string): Promise<string | undefined> {
  const args = ["rev-parse", "-q", "--verify", "--end-of-options", `${rev}^{commit}`];
  const result = await git.run(args, { okExitCodes: [1, 128] });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

const noteObjectId = (entryPath: string): string | undefined => {
  const parts = entryPath.split("/");
  if (parts.slice(0, -1).some((part) => !/^[0-9a-f]{2}$/.test(part))) return undefined;
  const id = parts.join("");
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(id) ? id : undefined;
};

export async function readNotesAt(git: Git, commit: string | undefined): Promise<NotesSnapshot> {
  const snapshot: NotesSnapshot = { commit, notes: new Map(), others: [] };
  if (commit === undefined) return snapshot;
  const listing = await git.run(["ls-tree", "-r", "-z", "--full-tree", commit]);
  for (const record of splitNul(listing.stdout)) {
    const match = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(record);
    if (!match) continue;
    const [, mode = "", type = "", oid = "", entryPath = ""] = match;
    const object = type === "blob" ? noteObjectId(entryPath) : undefined;
    if (object !== undefined) snapshot.notes.set(object, oid);
    else snapshot.others.push({ mode, oid, path: entryPath });
  }
  return snapshot;
}

export async function writeBlob(git: Git, text: string): Promise<string> {
  return git.text(["hash-object", "-w", "--stdin"], { input: text });
}

/** A notes commit with `notes` (flat) and `others`, on top of `parents`. */
export async function writeNotesCommit(
  repo: NotesRepo,
  tree: { notes: Map<string, string>; others: TreeEntry[] },
  parents: string[],
  message: string,
): Promise<string> {
  const { git } = repo;
  const suffix = `${process.pid}.${randomBytes(4).toString("hex")}`;
  const index = path.join(repo.paths.commonDir, "spe", `notes-index.${suffix}.tmp`);
  await fs.mkdir(path.dirname(index), { recursive: true });
  const lines = [
    ...tree.others.map((e) => `${e.mode} ${e.oid}\t${e.path}\0`),
    ...[...tree.notes].map(([object, blob]) => `100644 ${blob}\t${object}\0`),
  ];
  try {
    // A private index: the user's index (or a hook's GIT_INDEX_FILE) is never touched.
    const env = { GIT_INDEX_FILE: index };
    await git.run(["update-index", "-z", "--index-info"], { input: lines.join(""), env });
    const treeId = await git.text(["write-tree"], { env });
    const parentArgs = parents.flatMap((parent) => ["-p", parent]);
    return await git.text(["commit-tree", treeId, ...parentArgs, "-m", message]);
  } finally {
    await fs.rm(index, { force: true });
  }
}
