/** Per-spec exec locks, and whether another spec's run holds one right now. */
import fs from "node:fs/promises";
import path from "node:path";
import { isLockStale, readLockHolder } from "../../util/file-lock.ts";

export const specLockPath = (commonDir: string, specId: string) =>
  path.join(commonDir, "spe", "locks", `${specId}.lock`);

/** Whether an exec of a spec other than `specId` is live in this repository. */
export async function specLockHeldByOther(commonDir: string, specId: string): Promise<boolean> {
  const dir = path.join(commonDir, "spe", "locks");
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.endsWith(".lock") || name === `${specId}.lock`) continue;
    const holder = await readLockHolder(path.join(dir, name));
    if (holder && !isLockStale(holder)) return true;
  }
  return false;
}
