/**
 * `refs/notes/spe` through git plumbing. A notes ref is a commit history whose tree maps an
 * annotated object id (as a path, possibly split into fan-out directories `ab/cdef…`) to a note
 * blob. git spe reads one notes commit at a time (`ls-tree -r` + `cat-file --batch`), so what it
 * read and the value it later replaces are the same snapshot; it writes a new commit whose parent
 * is that snapshot and moves the ref with the old value checked (`update-ref <ref> <new> <old>`).
 * A concurrent change, even by a plain `git notes` command that ignores our lock, makes the
 * update fail instead of being overwritten, and the write is redone on the new value. Commits
 * chain to their parents, so every note blob ever written stays reachable from the ref.
 *
 * None of this goes through `git notes`, so a user's GIT_NOTES_REF or core.notesRef cannot
 * redirect it. Trees are written flat (no fan-out), which git reads like any other notes tree.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { GitError, workFailed } from "../errors.ts";
import type { Git } from "../git/exec.ts";
import { splitNul } from "../git/parse-z.ts";
import type { RepoPaths } from "../git/repo.ts";
import { withNotesLock, type NotesLockOptions } from "./notes-lock.ts";

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

/** The text of each blob, by id (`cat-file --batch`, one process for all of them). */
export async function readBlobs(git: Git, oids: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...new Set(oids)];
  const texts = new Map<string, string>();
  if (wanted.length === 0) return texts;
  const { stdout } = await git.runBuffer(["cat-file", "--batch"], {
    input: wanted.join("\n") + "\n",
  });
  const bytes = Buffer.from(stdout);
  let at = 0;
  while (at < bytes.length) {
    const end = bytes.indexOf(10, at);
    if (end < 0) break;
    const [oid = "", type = "", size = ""] = bytes.toString("utf8", at, end).split(" ");
    at = end + 1;
    if (type === "missing") continue;
    const length = Number(size);
    if (type === "blob") texts.set(oid, bytes.toString("utf8", at, at + length));
    at += length + 1;
  }
  return texts;
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

async function compareAndSwap(git: Git, next: string, current: string | undefined) {
  try {
    // An empty old value means "must not exist yet".
    await git.run(["update-ref", "-m", "git spe", notesRef, next, current ?? ""]);
    return true;
  } catch (error) {
    // "is at … but expected …", "reference already exists", or git's own ref lock held.
    if (error instanceof GitError && /cannot lock ref/.test(error.stderr)) return false;
    throw error;
  }
}

export interface UpdateNotesOptions extends NotesLockOptions {
  /** Called just before the ref is moved (tests use it to race a concurrent writer). */
  beforeUpdate?: () => Promise<void>;
}

/**
 * Moves `refs/notes/spe` to what `compute` makes of its current value (undefined: leave it),
 * holding the notes lock, with the old value checked; `compute` runs again when the ref moved.
 */
export async function updateNotes(
  repo: NotesRepo,
  compute: (current: string | undefined) => Promise<string | undefined>,
  options: UpdateNotesOptions = {},
): Promise<{ before: string | undefined; after: string | undefined }> {
  return withNotesLock(
    repo.paths.commonDir,
    async () => {
      for (let attempt = 1; ; attempt++) {
        const current = await resolveCommit(repo.git, notesRef);
        const next = await compute(current);
        if (next === undefined || next === current) return { before: current, after: current };
        await options.beforeUpdate?.();
        if (await compareAndSwap(repo.git, next, current)) return { before: current, after: next };
        if (attempt >= 20) {
          throw workFailed(`${notesRef} kept changing while git spe was writing it`, {
            hint: "Another program is writing it in a loop; try again when it has finished.",
          });
        }
        await sleep(attempt * 20 * Math.random());
      }
    },
    options,
  );
}
