/**
 * Merging two histories of `refs/notes/spe` (ours and a fetched copy of a remote's) so that both
 * sides' records survive. Three-way, per annotated object, against the merge base:
 *
 * - changed on one side only → that side's note (a note removed on one side stays removed);
 * - changed on both sides → the JSON-level merge of the two notes (notes-document.ts: union of
 *   spec ids, the newer `updatedAt` wins per spec, other record maps unioned);
 * - removed on one side and changed on the other → the changed note: nothing is lost.
 *
 * The result is ONE commit whose parents are both sides, so every blob of both histories stays
 * reachable, and the caller moves the ref with the old value checked (notes-update.ts). This does
 * what `git notes merge -s ours` followed by `git notes add -f` for each note changed on both
 * sides would do, without a series of unchecked ref updates, without NOTES_MERGE_* state left
 * behind when something fails half-way, and without a user's GIT_NOTES_REF getting in the way.
 */
import type { Git } from "../git/exec.ts";
import { mergeNotes, parseNote, serializeNote } from "./notes-document.ts";
import { readBlobs } from "../git/blobs.ts";
import {
  readNotesAt,
  writeBlob,
  writeNotesCommit,
  type NotesRepo,
  type TreeEntry,
} from "./notes-ref.ts";

/** Which note an object gets: one of the blobs, or "merge" when both sides changed it. */
export function chooseNote(
  ours: string | undefined,
  theirs: string | undefined,
  base: string | undefined,
): string | undefined | "merge" {
  if (ours === theirs || theirs === base) return ours;
  if (ours === base) return theirs;
  if (ours === undefined) return theirs;
  if (theirs === undefined) return ours;
  return "merge";
}

async function mergeBase(git: Git, a: string, b: string): Promise<string | undefined> {
  const result = await git.run(["merge-base", "--end-of-options", a, b], { okExitCodes: [1] });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

export interface NotesMergeResult {
  commit: string;
  /** How many objects' notes were merged at the JSON level (changed on both sides). */
  mergedNotes: number;
}

export async function mergeNotesCommits(
  repo: NotesRepo,
  ours: string,
  theirs: string,
  message: string,
): Promise<NotesMergeResult> {
  const { git } = repo;
  const [base, local, remote] = await Promise.all([
    mergeBase(git, ours, theirs).then((commit) => readNotesAt(git, commit)),
    readNotesAt(git, ours),
    readNotesAt(git, theirs),
  ]);
  const notes = new Map<string, string>();
  const conflicts: [object: string, ours: string, theirs: string][] = [];
  for (const object of new Set([...local.notes.keys(), ...remote.notes.keys()])) {
    const [o, t] = [local.notes.get(object), remote.notes.get(object)];
    const choice = chooseNote(o, t, base.notes.get(object));
    if (choice === "merge") conflicts.push([object, o as string, t as string]);
    else if (choice !== undefined) notes.set(object, choice);
  }
  const texts = await readBlobs(
    git,
    conflicts.flatMap(([, o, t]) => [o, t]),
  );
  for (const [object, o, t] of conflicts) {
    const merged = mergeNotes(parseNote(texts.get(o) ?? ""), parseNote(texts.get(t) ?? ""));
    notes.set(object, await writeBlob(git, serializeNote(merged)));
  }
  const others = new Map<string, TreeEntry>();
  for (const entry of [...remote.others, ...local.others]) others.set(entry.path, entry);
  const tree = { notes, others: [...others.values()] };
  const commit = await writeNotesCommit(repo, tree, [ours, theirs], message);
  return { commit, mergedNotes: conflicts.length };
}
