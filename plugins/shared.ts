/**
 * What the first-party plugins share. A plain file, not a folder: scripts/build.mjs builds every
 * folder under plugins/ as a plugin. Like the plugins, it uses only the public API.
 */
import fs from "node:fs/promises";
import type { PluginExecResult } from "git-spe";

export const exists = (file: string): Promise<boolean> =>
  fs.lstat(file).then(
    () => true,
    () => false,
  );

/** Throws when a worktree dependency command failed: its exit and the last 15 lines it printed. */
export function checkDepsCommand(result: PluginExecResult, what: string): void {
  if (result.ok) return;
  const tail = result.output.trimEnd().split("\n").slice(-15).join("\n");
  throw Object.assign(
    new Error(
      `${what} failed (${result.timedOut ? "timed out" : `exit ${result.exitCode}`}):\n${tail}`,
    ),
    { hint: 'Fix it, or set exec.worktree.deps to "none" in .spe.config.ts.' },
  );
}
