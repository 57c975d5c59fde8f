/**
 * An exclusive lock file: created with O_EXCL, holding the owner's pid, host, a random token and
 * one line of description. A lock whose process is gone (same host, pid not alive), or an empty
 * one older than ten seconds, is stale and taken over; otherwise the caller waits with backoff
 * until `timeoutMs` (0: not at all) and then gets the error `busy` makes from the holder.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface LockHolder {
  pid: number;
  host: string;
  token: string;
  /** The description the holder wrote (a run id, …). */
  info: string;
  ino: number;
  mtimeMs: number;
}

export interface FileLockOptions {
  /** How long to wait for a live holder; 0 fails at once. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** One line stored in the lock for whoever finds it taken. */
  info?: string;
  /** The error to throw when the lock stays taken. */
  busy: (holder: LockHolder, file: string) => Error;
}

export interface FileLock {
  readonly file: string;
  /** Removes the lock if it is still ours. */
  release(): Promise<void>;
}

export async function readLockHolder(file: string): Promise<LockHolder | undefined> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(file, "utf8"), fs.stat(file)]);
    const [pid = "", host = "", token = "", info = ""] = text.split("\n");
    return { pid: Number(pid), host, token, info, ino: stat.ino, mtimeMs: stat.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export function isLockStale(holder: LockHolder): boolean {
  if (!Number.isSafeInteger(holder.pid) || holder.pid <= 0) {
    // Created but not written yet, or written by a crashed process: stale once it is old.
    return Date.now() - holder.mtimeMs > 10_000;
  }
  if (holder.host !== os.hostname()) return false; // cannot tell: treat as live
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

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

export async function acquireFileLock(file: string, options: FileLockOptions): Promise<FileLock> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const token = randomUUID();
  const content = `${process.pid}\n${os.hostname()}\n${token}\n${(options.info ?? "").replace(/\n/g, " ")}\n`;
  const deadline = Date.now() + options.timeoutMs;
  let delayMs = 5;
  while (!(await tryCreate(file, content))) {
    const holder = await readLockHolder(file);
    if (holder === undefined) continue; // released meanwhile
    if (isLockStale(holder)) {
      // Remove it only if it is still the same file (not a lock someone just took over).
      const again = await readLockHolder(file);
      if (again?.ino === holder.ino && again.token === holder.token)
        await fs.rm(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) throw options.busy(holder, file);
    await sleep(delayMs * (0.5 + Math.random()), undefined, { signal: options.signal });
    delayMs = Math.min(delayMs * 2, 250);
  }
  return {
    file,
    async release() {
      const holder = await readLockHolder(file);
      if (holder?.token === token) await fs.rm(file, { force: true });
    },
  };
}
