/**
 * The notes store's view of `refs/notes/spe` at one notes commit: every note parsed, and every
 * copy of every spec. With notes.rewriteRef=refs/notes/spe (set by `git spe init`),
 * `git commit --amend` and rebases copy a note to the rewritten commit, so one spec can sit on
 * several commits. The copy with the newest `state.updatedAt` is the spec; between equally new
 * copies (right after a rewrite) the one on a commit still reachable from HEAD or a branch,
 * remote branch or tag wins, since the old commit is the one that can be pruned.
 */
import { parseNote, type ParsedNote, type SpecFiles } from "./notes-document.ts";
import { readBlobs } from "../git/blobs.ts";
import { readNotesAt, type NotesRepo, type NotesSnapshot } from "./notes-ref.ts";
import { parseStoredState, updatedAtMs } from "./state-file.ts";
import type { SpecState } from "./types.ts";

export interface SpecCopy {
  commit: string;
  files: SpecFiles;
  state: SpecState | undefined;
}

export interface NotesIndex {
  snapshot: NotesSnapshot;
  /** Annotated object → its note, parsed. */
  notes: Map<string, ParsedNote>;
  copies: Map<string, SpecCopy[]>;
}

export async function loadIndex(repo: NotesRepo, commit: string | undefined): Promise<NotesIndex> {
  const snapshot = await readNotesAt(repo.git, commit);
  const blobs = await readBlobs(repo.git, snapshot.notes.values());
  const notes = new Map<string, ParsedNote>();
  const copies = new Map<string, SpecCopy[]>();
  for (const [object, blob] of snapshot.notes) {
    const note = parseNote(blobs.get(blob) ?? "");
    notes.set(object, note);
    for (const [id, files] of Object.entries(note.document.specs)) {
      const state = parseStoredState(files["state.json"], id);
      copies.set(id, [...(copies.get(id) ?? []), { commit: object, files, state }]);
    }
  }
  return { snapshot, notes, copies };
}

async function isReachable(repo: NotesRepo, commit: string): Promise<boolean> {
  const head = await repo.git.run(
    ["merge-base", "--is-ancestor", "--end-of-options", commit, "HEAD"],
    { okExitCodes: [1, 128] },
  );
  if (head.exitCode === 0) return true;
  const refs = await repo.git.run(
    ["for-each-ref", "--count=1", "--format=%(refname)", `--contains=${commit}`].concat([
      "refs/heads/",
      "refs/remotes/",
      "refs/tags/",
    ]),
    { okExitCodes: [1, 128, 129] },
  );
  return refs.exitCode === 0 && refs.stdout.trim() !== "";
}

/**
 * The copy that is the spec: newest valid `updatedAt`, then on a reachable commit. Copies made
 * by a rewrite are usually identical; when only their content matters (`forContent`), such a
 * tie needs no reachability check, which can be slow in a large history.
 */
export async function pickCopy(
  repo: NotesRepo,
  copies: SpecCopy[],
  forContent = false,
): Promise<SpecCopy | undefined> {
  const rank = (c: SpecCopy) => (c.state ? updatedAtMs(c.state) : Number.NEGATIVE_INFINITY);
  const sorted = [...copies].sort((a, b) => rank(b) - rank(a) || a.commit.localeCompare(b.commit));
  const best = sorted[0];
  if (best === undefined) return undefined;
  const tied = sorted.filter((c) => rank(c) === rank(best));
  const same = (c: SpecCopy) => JSON.stringify(c.files) === JSON.stringify(best.files);
  if (tied.length === 1 || (forContent && tied.every(same))) return best;
  for (const copy of tied) if (await isReachable(repo, copy.commit)) return copy;
  return best;
}
