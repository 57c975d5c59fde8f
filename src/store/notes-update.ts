/**
 * Moving `refs/notes/spe`: under the notes lock, and with the ref's old value checked
 * (`update-ref <ref> <new> <old>`). When the ref moved meanwhile, even by a plain `git notes`
 * command that ignores the lock, the update fails instead of overwriting that change, and the
 * new value is computed again from the ref's new value.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { GitError, workFailed } from "../errors.ts";
import type { Git } from "../git/exec.ts";
import { withNotesLock, type NotesLockOptions } from "./notes-lock.ts";
import { notesRef, resolveCommit, type NotesRepo } from "./notes-ref.ts";

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
