/**
 * Dependencies in a scratch worktree, per `exec.worktree.deps`: `link` hard-links the user's
 * `node_modules` when the worktree's lockfile is byte-identical to the user's (no download, no
 * disk), else falls back to `install`; `install` runs the package manager's frozen install;
 * `none` does nothing. Without a lockfile nothing is installed (an install would pick versions);
 * that is a warning when package.json declares dependencies, silent otherwise.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { readOnlyMarker, type HookContext } from "git-spe";
import { checkDepsCommand, exists } from "../shared.ts";
import { readNodeProject } from "./project.ts";

async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([
    fs.readFile(a).catch(() => undefined),
    fs.readFile(b).catch(() => undefined),
  ]);
  return x !== undefined && y !== undefined && x.equals(y);
}

/** A copy of `from` made of hard links (symlinks recreated as they are). */
export async function linkTree(
  ctx: Pick<HookContext<"worktree:ready">, "exec">,
  from: string,
  to: string,
): Promise<void> {
  if ((await ctx.exec(["cp", "-al", "--", from, to])).ok) return;
  // BSD cp has no -l: walk the tree.
  await fs.rm(to, { recursive: true, force: true });
  const walk = async (src: string, dst: string): Promise<void> => {
    await fs.mkdir(dst, { recursive: true });
    for (const entry of await fs.readdir(src, { withFileTypes: true })) {
      const s = path.join(src, entry.name);
      const d = path.join(dst, entry.name);
      if (entry.isDirectory()) await walk(s, d);
      else if (entry.isSymbolicLink()) await fs.symlink(await fs.readlink(s), d);
      else if (entry.isFile()) await fs.link(s, d).catch(() => fs.copyFile(s, d));
    }
  };
  await walk(from, to);
}

export async function bootstrapNodeModules(ctx: HookContext<"worktree:ready">): Promise<void> {
  const { worktree, root, deps } = ctx.event;
  if (deps === "none") return;
  const project = await readNodeProject(worktree);
  if (!project) return;
  const target = path.join(worktree, "node_modules");
  if (await exists(target)) return;
  const { lockfile, install } = project.packageManager;
  // The lockfile says what is installed (workspaces included); without one there is nothing to
  // install exactly, which is only worth saying when package.json declares dependencies.
  if (!lockfile) {
    if (project.hasDependencies)
      ctx.log.warn("package.json without a lockfile: dependencies not installed in the worktree");
    return;
  }
  const userModules = path.join(root, "node_modules");
  if (
    deps === "link" &&
    (await exists(userModules)) &&
    (await sameFile(path.join(root, lockfile), path.join(worktree, lockfile)))
  ) {
    await linkTree(ctx, userModules, target);
    // Its files are the user's own (hard links): read-only in the sandbox, so a command
    // cannot change the user's node_modules through them.
    await fs.writeFile(path.join(target, readOnlyMarker), "");
    ctx.log.info("node_modules hard-linked into the worktree (same lockfile)");
    return;
  }
  ctx.log.info(`installing dependencies in the worktree: ${install}`);
  checkDepsCommand(await ctx.exec(install), install);
}
