/**
 * The `notes` store: a spec's artifacts in the note on `refs/notes/spe` attached to the commit
 * the spec was made against (format: notes-document.ts; plumbing: notes-ref.ts).
 *
 * With notes.rewriteRef=refs/notes/spe (set by `git spe init`), `git commit --amend` and rebases
 * copy the note to the rewritten commit, so one spec can sit on several commits. Copies are
 * deduplicated by spec id: the copy with the newest `state.updatedAt` is the spec, and writes go
 * to it. Between equally new copies (right after a rewrite) the one on a commit that is still
 * reachable from HEAD or a branch, remote branch or tag wins: the old commit is the one that can
 * be pruned.
 */
import { usageError } from "../errors.ts";
import {
  emptyDocument,
  parseNote,
  serializeNote,
  type ParsedNote,
  type SpecFiles,
} from "./notes-document.ts";
import {
  notesRef,
  readBlobs,
  readNotesAt,
  resolveCommit,
  updateNotes,
  writeBlob,
  writeNotesCommit,
  type NotesRepo,
  type NotesSnapshot,
  type UpdateNotesOptions,
} from "./notes-ref.ts";
import { validateSpecId } from "./spec-id.ts";
import { checkWrite, isArtifactName, parseStoredState, updatedAtMs } from "./state-file.ts";
import type { ArtifactStore, SpecEntry, SpecState } from "./types.ts";

/** Lock wait bound and abort signal; `beforeUpdate` is for tests. */
export type NotesStoreOptions = UpdateNotesOptions;

interface SpecCopy {
  commit: string;
  files: SpecFiles;
  state: SpecState | undefined;
}

interface NotesIndex {
  snapshot: NotesSnapshot;
  /** Annotated commit → its parsed note (only notes that are git spe documents or foreign). */
  notes: Map<string, ParsedNote>;
  copies: Map<string, SpecCopy[]>;
}

async function loadIndex(repo: NotesRepo, commit: string | undefined): Promise<NotesIndex> {
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

/** The copy that is the spec: valid state first, newest `updatedAt`, then reachable. */
async function pickCopy(repo: NotesRepo, copies: SpecCopy[]): Promise<SpecCopy | undefined> {
  const rank = (c: SpecCopy) => (c.state ? updatedAtMs(c.state) : Number.NEGATIVE_INFINITY);
  const sorted = [...copies].sort((a, b) => rank(b) - rank(a) || a.commit.localeCompare(b.commit));
  const best = sorted[0];
  if (best === undefined) return undefined;
  const tied = sorted.filter(
    (c) => rank(c) === rank(best) && Boolean(c.state) === Boolean(best.state),
  );
  if (tied.length === 1) return best;
  for (const copy of tied) if (await isReachable(repo, copy.commit)) return copy;
  return best;
}

export function createNotesStore(repo: NotesRepo, options: NotesStoreOptions = {}): ArtifactStore {
  const current = () => resolveCommit(repo.git, notesRef);

  async function findSpec(id: string): Promise<SpecCopy | undefined> {
    const index = await loadIndex(repo, await current());
    return pickCopy(repo, index.copies.get(validateSpecId(id)) ?? []);
  }

  return {
    kind: "notes",

    async list() {
      const index = await loadIndex(repo, await current());
      const entries: SpecEntry[] = [];
      for (const [id, copies] of index.copies) {
        const state = (await pickCopy(repo, copies))?.state;
        if (state) entries.push({ id, state });
      }
      return entries.sort(
        (a, b) => updatedAtMs(b.state) - updatedAtMs(a.state) || a.id.localeCompare(b.id),
      );
    },

    async read(id, name) {
      const copy = await findSpec(id);
      return isArtifactName(name) ? copy?.files[name] : undefined;
    },

    async write(id, files, writeOptions = {}) {
      validateSpecId(id);
      const { attachTo } = writeOptions;
      const attachCommit = attachTo ? await resolveCommit(repo.git, attachTo) : undefined;
      await updateNotes(
        repo,
        async (commit) => {
          const index = await loadIndex(repo, commit);
          const existing = await pickCopy(repo, index.copies.get(id) ?? []);
          checkWrite(id, files, existing !== undefined);
          const target = existing?.commit ?? attachCommit;
          if (target === undefined) {
            throw usageError(
              `the notes store needs a commit to attach spec ${id} to; make a first commit or use store: dir`,
              attachTo ? { hint: `${JSON.stringify(attachTo)} does not name a commit.` } : {},
            );
          }
          const note = index.notes.get(target) ?? { document: emptyDocument(), foreign: [] };
          const specs = { ...note.document.specs, [id]: { ...existing?.files, ...files } };
          const text = serializeNote({ ...note, document: { ...note.document, specs } });
          const notes = new Map(index.snapshot.notes).set(target, await writeBlob(repo.git, text));
          const tree = { notes, others: index.snapshot.others };
          return writeNotesCommit(repo, tree, commit ? [commit] : [], `git spe: write ${id}`);
        },
        options,
      );
    },

    async describe(id) {
      const copy = await findSpec(id);
      return copy ? `${notesRef} on ${copy.commit}` : `${notesRef} (no spec ${id} yet)`;
    },
  };
}
