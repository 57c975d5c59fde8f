/** The repository's checkouts other than a sandbox's worktree: hidden inside it. */
import fs from "node:fs/promises";
import path from "node:path";
import { isDirectory } from "./paths.ts";
import { isInside } from "./policy.ts";

/**
 * The repository's other checkouts, read when a command starts (worktrees come and go during a
 * run): the main one, and every linked one its admin dir names, outside git spe's own area.
 */
export async function otherCheckouts(commonDir: string, worktree: string): Promise<string[]> {
  const out: string[] = [];
  if (path.basename(commonDir) === ".git") out.push(path.dirname(commonDir));
  const admin = path.join(commonDir, "worktrees");
  for (const name of await fs.readdir(admin).catch(() => [] as string[])) {
    const gitFile = await fs.readFile(path.join(admin, name, "gitdir"), "utf8").catch(() => "");
    if (gitFile.trim()) out.push(path.dirname(gitFile.trim()));
  }
  const spe = path.join(commonDir, "spe");
  const live: string[] = [];
  for (const dir of new Set(out))
    if (!isInside(dir, spe) && dir !== worktree && (await isDirectory(dir))) live.push(dir);
  return live;
}
