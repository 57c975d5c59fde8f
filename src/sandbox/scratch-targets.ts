/**
 * Mount targets that lie in a scratch directory (the scratch $HOME, the scratch /tmp) are paths
 * an earlier command could have changed: bubblewrap follows symlinks in a mount target and makes
 * missing directories, so a planted `~/code -> /oldroot/etc` would have it create directories on
 * the host, or mount somewhere else. Before every spawn each component of such a target that is
 * a symlink (or a file where a directory must be) is removed from the scratch directory.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { isInside, type SandboxMounts } from "./policy.ts";

/** Where `target` (a path inside the sandbox) lives on the host, when in a scratch dir. */
function hostPath(mounts: SandboxMounts, target: string): string | undefined {
  if (isInside(target, mounts.home))
    return path.join(mounts.scratchHome, path.relative(mounts.home, target));
  if (isInside(target, "/tmp")) return path.join(mounts.scratchTmp, path.relative("/tmp", target));
  return undefined;
}

async function clean(host: string, wantFile: boolean): Promise<void> {
  const stat = await fs.lstat(host).catch(() => undefined);
  if (!stat) return;
  const ok = wantFile ? stat.isFile() : stat.isDirectory();
  if (!ok) await fs.rm(host, { recursive: true, force: true });
}

/** Removes what would redirect a mount of `mounts` inside the scratch dirs. */
export async function cleanScratchTargets(
  mounts: SandboxMounts,
  fileTargets: readonly string[],
): Promise<void> {
  const targets = [
    mounts.home,
    mounts.toplevel,
    ...mounts.otherCheckouts,
    mounts.commonDir,
    mounts.worktree,
    ...mounts.readOnly,
    ...mounts.writable,
    ...fileTargets,
  ];
  const files = new Set(fileTargets);
  for (const target of new Set(targets)) {
    const parts = target.split("/").filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const prefix = `/${parts.slice(0, i).join("/")}`;
      // The home mount point itself lies in the scratch /tmp when $HOME is under /tmp.
      const host =
        prefix === mounts.home && isInside(prefix, "/tmp")
          ? path.join(mounts.scratchTmp, path.relative("/tmp", prefix))
          : hostPath(mounts, prefix);
      if (!host || host === mounts.scratchHome || host === mounts.scratchTmp) continue;
      await clean(host, i === parts.length && files.has(target));
    }
  }
}
