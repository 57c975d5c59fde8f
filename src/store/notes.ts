/**
 * The `notes` store: a spec's artifacts in the note on `refs/notes/spe` attached to the commit
 * the spec was made against (format: notes-document.ts; plumbing: notes-ref.ts, notes-update.ts).
 *
 * A spec copied to rewritten commits (amend, rebase) is read from its newest copy, and writes go
 * to that copy (notes-index.ts). A new spec needs the commit to attach to (`attachTo`).
 */
import { usageError } from "../errors.ts";
import { emptyDocument, serializeNote } from "./notes-document.ts";
import { loadIndex, pickCopy, type SpecCopy } from "./notes-index.ts";
import {
  notesRef,
  resolveCommit,
  writeBlob,
  writeNotesCommit,
  type NotesRepo,
} from "./notes-ref.ts";
import { updateNotes, type UpdateNotesOptions } from "./notes-update.ts";
import { validateSpecId } from "./spec-id.ts";
import { checkWrite, isArtifactName, updatedAtMs } from "./state-file.ts";
import type { ArtifactStore, SpecEntry } from "./types.ts";

/** Lock wait bound and abort signal; `beforeUpdate` is for tests. */
export type NotesStoreOptions = UpdateNotesOptions;

export function createNotesStore(repo: NotesRepo, options: NotesStoreOptions = {}): ArtifactStore {
  const current = () => resolveCommit(repo.git, notesRef);

  async function findSpec(id: string, forContent: boolean): Promise<SpecCopy | undefined> {
    const index = await loadIndex(repo, await current());
    return pickCopy(repo, index.copies.get(validateSpecId(id)) ?? [], forContent);
  }

  return {
    kind: "notes",

    async list() {
      const index = await loadIndex(repo, await current());
      const entries: SpecEntry[] = [];
      for (const [id, copies] of index.copies) {
        const state = (await pickCopy(repo, copies, true))?.state;
        if (state) entries.push({ id, state });
      }
      return entries.sort(
        (a, b) => updatedAtMs(b.state) - updatedAtMs(a.state) || a.id.localeCompare(b.id),
      );
    },

    async read(id, name) {
      const copy = await findSpec(id, true);
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
      const copy = await findSpec(id, false);
      return copy ? `${notesRef} on ${copy.commit}` : `${notesRef} (no spec ${id} yet)`;
    },

    async writeRun(id, runId, record, commits) {
      validateSpecId(id);
      const value: unknown = JSON.parse(record);
      const targets = await Promise.all(
        [...new Set(commits)].map((c) => resolveCommit(repo.git, c)),
      );
      if (targets.length === 0) return;
      await updateNotes(
        repo,
        async (commit) => {
          const index = await loadIndex(repo, commit);
          const notes = new Map(index.snapshot.notes);
          for (const target of targets) {
            if (target === undefined) continue;
            const note = index.notes.get(target) ?? { document: emptyDocument(), foreign: [] };
            const runs = {
              ...(note.document.records.runs as Record<string, unknown> | undefined),
              [runId]: value,
            };
            const text = serializeNote({
              ...note,
              document: { ...note.document, records: { ...note.document.records, runs } },
            });
            notes.set(target, await writeBlob(repo.git, text));
          }
          return writeNotesCommit(
            repo,
            { notes, others: index.snapshot.others },
            commit ? [commit] : [],
            `git spe: run ${runId} of ${id}`,
          );
        },
        options,
      );
    },
  };
}
