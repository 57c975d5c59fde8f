/**
 * What a sandboxed command may see and touch, and the bubblewrap argv that enforces it. Pure:
 * no fs, no process; the caller (sandbox.ts) resolves paths and checks which exist.
 *
 * Mount order matters: bwrap applies its options in order, each mount on top of the earlier
 * ones. The whole root is read-only; places that hold other people's secrets or live sockets
 * (homes, /tmp, /run) are covered; the scratch home, the allowlisted paths, the repository's
 * common git dir (read-only) and the worktree (read-write) are then mounted on top; the covers
 * are made read-only last, so a write anywhere else fails with EROFS instead of vanishing into
 * a tmpfs. Every capability is dropped and no namespace can be made inside, so the mounts stay.
 */

export interface SandboxMounts {
  /** The scratch worktree: the only place (with the private dirs) the command may write. */
  worktree: string;
  /** Paths inside the worktree that stay read-only (its `.git` file, hard-linked trees). */
  worktreeReadOnly: readonly string[];
  /**
   * Where the worktree is also seen (and the command starts), when not at its own path: an
   * agent CLI that refuses to edit anything under a `.git` directory (Claude Code calls those
   * "sensitive files") sees the worktree at a path without one. A bind mount, not a symlink:
   * the CLI resolves symlinks before that check.
   */
  worktreeAlias?: string;
  /** The repository's common git dir: objects, refs, config, hooks, notes. Read-only. */
  commonDir: string;
  /** The user's work tree root: hidden (it may hold uncommitted work and local secrets). */
  toplevel: string;
  /** The repository's other checkouts (linked worktrees, other runs'): hidden too. */
  otherCheckouts: readonly string[];
  /** `$HOME` as the command sees it, backed by `scratchHome`. */
  home: string;
  /** A private directory that stands in for `$HOME`. */
  scratchHome: string;
  /** A private directory that stands in for /tmp (`TMPDIR`). */
  scratchTmp: string;
  /** An empty regular file (a device node would not open: bind mounts are nodev). */
  emptyFile: string;
  /** Directories covered with an empty read-only tmpfs (other homes, /run…), when they exist. */
  hidden: readonly string[];
  /** Extra paths bound read-only at the same place (tool chains under `$HOME`). */
  readOnly: readonly string[];
  /** Extra paths bound read-write at the same place (caches the config allows). */
  writable: readonly string[];
  /** Host files bound read-only at a path inside (the network bridge script). */
  files: readonly { source: string; target: string }[];
  /** Host sockets bound at a path inside (the proxy socket). */
  sockets: readonly { source: string; target: string }[];
}

/** Files in $HOME that stay empty and read-only in the scratch home. */
export const protectedHomeFiles = [
  ".bashrc",
  ".bash_profile",
  ".bash_login",
  ".bash_logout",
  ".profile",
  ".zshrc",
  ".zshenv",
  ".zprofile",
  ".gitconfig",
  ".npmrc",
  ".netrc",
  ".pypirc",
];

/** Directories in $HOME that stay empty and read-only (credentials). */
export const protectedHomeDirs = [".ssh", ".gnupg", ".aws", ".docker", ".kube"];

/** Whether `child` is `parent` or inside it (both absolute, normalized). */
export function isInside(child: string, parent: string): boolean {
  if (parent === "/") return child.startsWith("/");
  return child === parent || child.startsWith(`${parent}/`);
}

/** The bwrap options (before `--`) for `mounts`, with `cwd` as the working directory. */
export function bwrapArgs(mounts: SandboxMounts, cwd: string): string[] {
  const args = [
    // Namespaces: own users (no capability survives), PIDs (/proc shows only the sandbox),
    // network (only a loopback; hosts go through the proxy socket), IPC, hostname, cgroups.
    "--unshare-user",
    "--unshare-pid",
    "--unshare-net",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    "--disable-userns",
    "--cap-drop",
    "ALL",
    "--die-with-parent",
    "--new-session",
    "--ro-bind",
    "/",
    "/",
    "--dev",
    "/dev",
    "--proc",
    "/proc",
    "--bind",
    mounts.scratchTmp,
    "/tmp",
  ];
  // `--remount-ro` acts on the topmost mount at a path: no cover where something else is
  // mounted exactly, and none inside the worktree (it is mounted on top of what covers it).
  const mounted = [
    mounts.home,
    mounts.commonDir,
    mounts.worktree,
    ...mounts.readOnly,
    ...mounts.writable,
  ];
  const covers: string[] = [];
  const cover = (dir: string) => {
    if (dir === "/" || mounted.includes(dir) || covers.includes(dir)) return;
    if (isInside(dir, mounts.worktree)) return;
    args.push("--tmpfs", dir);
    covers.push(dir);
  };
  const bindHome = () => {
    args.push("--bind", mounts.scratchHome, mounts.home);
    // Shell start-up files and credential stores: empty and read-only, so nothing can plant a
    // command for later or find a key there (the scratch home is otherwise writable).
    for (const name of protectedHomeFiles)
      args.push("--ro-bind", mounts.emptyFile, `${mounts.home}/${name}`);
    for (const name of protectedHomeDirs) cover(`${mounts.home}/${name}`);
  };
  for (const dir of mounts.hidden) cover(dir);
  // The user's checkouts are covered read-only whatever they are under (/tmp, $HOME), so a
  // write there fails instead of landing in a scratch copy; a $HOME inside one is bound after
  // it. Checkouts inside the git dir (other runs' worktrees) are covered after it is mounted.
  const checkouts = [mounts.toplevel, ...mounts.otherCheckouts];
  const inGitDir = (dir: string) => isInside(dir, mounts.commonDir);
  const homeInsideCheckout = checkouts.some((dir) => isInside(mounts.home, dir));
  if (!homeInsideCheckout) bindHome();
  for (const dir of checkouts) if (!inGitDir(dir)) cover(dir);
  if (homeInsideCheckout) bindHome();
  for (const p of mounts.readOnly) args.push("--ro-bind", p, p);
  for (const p of mounts.writable) args.push("--bind", p, p);
  args.push("--ro-bind", mounts.commonDir, mounts.commonDir);
  // git spe's own area (other runs' worktrees and states, caches, locks): covered whole, so a
  // run that starts or ends meanwhile cannot make a mount point appear or vanish.
  const speDir = `${mounts.commonDir}/spe`;
  if (isInside(mounts.worktree, speDir)) cover(speDir);
  for (const dir of checkouts) if (inGitDir(dir) && !isInside(dir, speDir)) cover(dir);
  args.push("--bind", mounts.worktree, mounts.worktree);
  for (const p of mounts.worktreeReadOnly) args.push("--ro-bind", p, p);
  const alias = mounts.worktreeAlias;
  if (alias !== undefined) {
    args.push("--bind", mounts.worktree, alias);
    for (const p of mounts.worktreeReadOnly)
      args.push("--ro-bind", p, aliasPath(mounts.worktree, alias, p));
  }
  for (const f of mounts.files) args.push("--ro-bind", f.source, f.target);
  for (const s of mounts.sockets) args.push("--bind", s.source, s.target);
  // Covers become read-only last: the mounts on top of them keep their own flags.
  for (const dir of covers) args.push("--remount-ro", dir);
  args.push("--chdir", alias === undefined ? cwd : aliasPath(mounts.worktree, alias, cwd));
  return args;
}

/** `p` (the worktree or inside it) as seen at the worktree's alias. */
export function aliasPath(worktree: string, alias: string, p: string): string {
  return p === worktree ? alias : `${alias}${p.slice(worktree.length)}`;
}
