/**
 * The lock that serializes writers of `refs/notes/spe`: `<common git dir>/spe/notes.lock`, shared
 * by every worktree, created exclusively (O_EXCL) and holding the owner's pid, host and a random
 * token. A lock whose process is gone (same host, pid not alive) is taken over; otherwise the
 * caller waits with backoff and fails after a bounded time with an error naming the file.
 *
 * The lock keeps git spe writers from doing work twice; it is not what prevents a lost update.
 * Every update of the notes ref checks the ref's old value (see notes-update.ts), so git spe never
 * overwrites a change it did not read: not when two processes hold the lock at once (a takeover
 * racing a takeover), nor when a plain `git notes add`, which ignores the lock, moves the ref in
 * the middle of a write. (The reverse cannot be prevented: `git notes` itself moves the ref
 * without checking, so it can replace a note commit git spe made at the same moment.)
 */
import path from "node:path";
import { workFailed } from "../errors.ts";
import { acquireFileLock } from "../util/file-lock.ts";
import { shellQuote } from "../util/shell-quote.ts";

export interface NotesLockOptions {
  /** How long to wait for another writer before failing (default 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export const notesLockPath = (commonDir: string) => path.join(commonDir, "spe", "notes.lock");

const formatSeconds = (ms: number) => `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;

/** Runs `fn` holding the notes lock of the repository whose common git dir is `commonDir`. */
export async function withNotesLock<T>(
  commonDir: string,
  fn: () => Promise<T>,
  options: NotesLockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const lock = await acquireFileLock(notesLockPath(commonDir), {
    timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    busy: (holder, file) =>
      workFailed(
        `another git spe process (pid ${holder.pid || "unknown"}) is writing refs/notes/spe: ` +
          `waited ${formatSeconds(timeoutMs)} for ${file}`,
        { hint: `If no git spe process is running, remove the lock: ${shellQuote(["rm", file])}` },
      ),
  });
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
