/**
 * A directory at the top of a worktree that holds this file is mounted read-only in the
 * sandbox: the `node` plugin marks a node_modules it hard-linked from the user's checkout, whose
 * files are the user's own. Plugins may mark what they provide the same way.
 */
import fs from "node:fs/promises";
import path from "node:path";

export const readOnlyMarker = ".git-spe-read-only";

/** The worktree's top-level directories that carry the marker. */
export async function markedReadOnly(worktree: string): Promise<string[]> {
  const entries = await fs.readdir(worktree, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name === ".git") continue;
    const dir = path.join(worktree, entry.name);
    if (await fs.lstat(path.join(dir, readOnlyMarker)).catch(() => undefined)) out.push(dir);
  }
  return out;
}
