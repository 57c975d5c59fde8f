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
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { workFailed } from "../errors.ts";

export interface NotesLockOptions {
  /** How long to wait for another writer before failing (default 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Holder {
  pid: number;
  host: string;
  token: string;
  ino: number;
  mtimeMs: number;
}

export const notesLockPath = (commonDir: string) => path.join(commonDir, "spe", "notes.lock");

async function readHolder(file: string): Promise<Holder | undefined> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(file, "utf8"), fs.stat(file)]);
    const [pid = "", host = "", token = ""] = text.split("\n");
    return { pid: Number(pid), host, token, ino: stat.ino, mtimeMs: stat.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function isStale(holder: Holder): boolean {
  if (!Number.isSafeInteger(holder.pid) || holder.pid <= 0) {
    // Created but not written yet, or written by a crashed process: stale once it is old.
    return Date.now() - holder.mtimeMs > 10_000;
  }
  if (holder.host !== os.hostname()) return false; // cannot tell: wait for it
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

const formatSeconds = (ms: number) => `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;

async function tryCreate(file: string, content: string): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

/** Runs `fn` holding the notes lock of the repository whose common git dir is `commonDir`. */
export async function withNotesLock<T>(
  commonDir: string,
  fn: () => Promise<T>,
  options: NotesLockOptions = {},
): Promise<T> {
  const file = notesLockPath(commonDir);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const token = randomUUID();
  const content = `${process.pid}\n${os.hostname()}\n${token}\n`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let delayMs = 5;
  while (!(await tryCreate(file, content))) {
    const holder = await readHolder(file);
    if (holder === undefined) continue; // released meanwhile
    if (isStale(holder)) {
      // Remove it only if it is still the same file (not a lock someone just took over).
      const again = await readHolder(file);
      if (again?.ino === holder.ino && again.token === holder.token) {
        await fs.rm(file, { force: true });
      }
      continue;
    }
    if (Date.now() >= deadline) {
      throw workFailed(
        `another git spe process (pid ${holder.pid || "unknown"}) is writing refs/notes/spe: ` +
          `waited ${formatSeconds(timeoutMs)} for ${file}`,
        { hint: `If no git spe process is running, remove the lock: rm ${JSON.stringify(file)}` },
      );
    }
    await sleep(delayMs * (0.5 + Math.random()), undefined, { signal: options.signal });
    delayMs = Math.min(delayMs * 2, 250);
  }
  try {
    return await fn();
  } finally {
    const holder = await readHolder(file);
    if (holder?.token === token) await fs.rm(file, { force: true });
  }
}
