/**
 * Defense in depth, independent of the sandbox: what the orchestrator alone may write is
 * snapshotted before every phase that runs model code (the executor, validators, the bootstrap)
 * and compared after it — every ref but the run's own, the user's stash, the repository's
 * config files, its hooks, and the worktree's `.git` file. A change fails the step, names what
 * changed, and is put back where it can be: a ref to its old value (the new one kept under
 * refs/spe/quarantine/<run>/…), a file to its old bytes (the new ones kept under
 * <common dir>/spe/quarantine/<run>/), a dropped stash entry stored again.
 *
 * Some changes are not the model's and are let through:
 * - what git spe runs write: run branches (refs/heads/spe/*), attempts, quarantine and new
 *   backup refs (an existing backup moved or deleted is not let through), and a fast-forward of
 *   refs/notes/spe when commands were confined, another run was live around the phase, or this
 *   run had other steps in flight;
 * - remote-tracking refs (a `git fetch` of the user's);
 * - in the sandbox, a branch that is checked out somewhere moving: the git dir is read-only to
 *   every sandboxed command, so that is the user committing meanwhile. Unconfined, such a move
 *   fails the step and its new tip is recorded as tainted: the merge refuses a target holding
 *   it, and the branch itself is not moved back under the user's checkout.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Git } from "../../git/exec.ts";
import { isAncestor, restoreStashEntries, snapshotRefs, type StashEntry } from "../../git/refs.ts";

export interface GuardScope {
  /** git for the repository, without the caller's GIT_* pinning. */
  git: Git;
  commonDir: string;
  /** The worktree the commands run in (its `.git` file and admin dir are watched). */
  worktree: string;
  runId: string;
  /** The run's branch (refs/heads/…): checked by the HEAD guard, not here. */
  runBranch: string | undefined;
  /** Whether commands were confined (the git dir read-only to them). */
  confined: boolean;
  /** Whether this run has several steps in flight (another lane may write notes meanwhile). */
  lanes?: boolean;
  /** Whether another git spe run of this repository is live (its refs may move). */
  otherRunsLive: () => Promise<boolean>;
}

export interface RepoSnapshot {
  refs: Map<string, string>;
  /** Whether another git spe run was live when the snapshot was taken. */
  otherRunsLive: boolean;
  stash: StashEntry[];
  /** Absolute path → content (null: absent) and mode. */
  files: Map<string, { content: Buffer | null; mode: number }>;
  checkedOut: Set<string>;
}

export interface RepoChange {
  what: string;
  /** Put back (false: left as it is, see `tainted`). */
  restored: boolean;
  /** A checked-out branch's new tip, made while model code ran: never to be merged. */
  tainted?: { ref: string; commit: string };
}

const otherRunRefs = /^refs\/(heads\/spe\/|spe\/attempts\/|spe\/quarantine\/|remotes\/)/;

/** core.hooksPath by the config bytes it was read from: one git call per config change. */
const hooksPathCache = new Map<string, { config: string; hooksPath: string }>();

async function configuredHooksPath(scope: GuardScope): Promise<string> {
  const config = await fs.readFile(path.join(scope.commonDir, "config"), "utf8").catch(() => "");
  const cached = hooksPathCache.get(scope.commonDir);
  if (cached?.config === config) return cached.hooksPath;
  const { stdout } = await scope.git.run(["config", "--path", "core.hooksPath"], {
    okExitCodes: [1],
  });
  const hooksPath = stdout.trim();
  hooksPathCache.set(scope.commonDir, { config, hooksPath });
  return hooksPath;
}

async function watchedFiles(scope: GuardScope): Promise<string[]> {
  const files = [
    path.join(scope.commonDir, "config"),
    path.join(scope.commonDir, "config.worktree"),
    path.join(scope.worktree, ".git"),
  ];
  const gitFile = await fs.readFile(path.join(scope.worktree, ".git"), "utf8").catch(() => "");
  const admin = /^gitdir: (.+)$/m.exec(gitFile)?.[1];
  if (admin) files.push(path.join(admin, "config.worktree"));
  const hooksDirs = [path.join(scope.commonDir, "hooks")];
  const custom = await configuredHooksPath(scope);
  if (custom) hooksDirs.push(path.resolve(path.dirname(scope.commonDir), custom));
  for (const dir of hooksDirs) {
    const entries = await fs.readdir(dir, { recursive: true }).catch(() => [] as string[]);
    for (const entry of entries) files.push(path.join(dir, entry));
  }
  return files;
}

/** Branches checked out anywhere: every worktree's HEAD file (`ref: refs/heads/…`). */
async function checkedOutBranches(commonDir: string): Promise<Set<string>> {
  const heads = [path.join(commonDir, "HEAD")];
  const linked = await fs.readdir(path.join(commonDir, "worktrees")).catch(() => [] as string[]);
  for (const name of linked) heads.push(path.join(commonDir, "worktrees", name, "HEAD"));
  const out = new Set<string>();
  for (const head of heads) {
    const text = await fs.readFile(head, "utf8").catch(() => "");
    const ref = /^ref: (refs\/heads\/\S+)/.exec(text)?.[1];
    if (ref) out.add(ref);
  }
  return out;
}

/** The stash's entries, newest first, from its reflog file (what `git stash list` reads). */
async function readStash(commonDir: string): Promise<StashEntry[]> {
  const text = await fs
    .readFile(path.join(commonDir, "logs", "refs", "stash"), "utf8")
    .catch(() => "");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf("\t");
      return { oid: line.split(" ")[1] ?? "", message: tab === -1 ? "" : line.slice(tab + 1) };
    })
    .reverse();
}

async function readState(file: string): Promise<{ content: Buffer | null; mode: number }> {
  const stat = await fs.lstat(file).catch(() => undefined);
  if (!stat) return { content: null, mode: 0 };
  if (stat.isDirectory()) return { content: Buffer.from("(directory)"), mode: stat.mode };
  if (stat.isSymbolicLink())
    return { content: Buffer.from(`-> ${await fs.readlink(file)}`), mode: stat.mode };
  return { content: await fs.readFile(file).catch(() => null), mode: stat.mode };
}

export async function captureRepo(scope: GuardScope): Promise<RepoSnapshot> {
  const refs = await snapshotRefs(scope.git, []);
  refs.delete("refs/stash");
  const files = new Map<string, { content: Buffer | null; mode: number }>();
  for (const file of await watchedFiles(scope)) files.set(file, await readState(file));
  const checkedOut = await checkedOutBranches(scope.commonDir);
  return {
    refs,
    otherRunsLive: await scope.otherRunsLive(),
    stash: await readStash(scope.commonDir),
    files,
    checkedOut,
  };
}

const short = (oid: string | undefined) => (oid ? oid.slice(0, 12) : "(none)");

async function benignRefChange(
  scope: GuardScope,
  ref: string,
  before: string | undefined,
  after: string | undefined,
  otherRunsLive: boolean,
): Promise<boolean> {
  if (ref === scope.runBranch || otherRunRefs.test(ref)) return true;
  if (ref.startsWith("refs/spe/backup/")) return before === undefined;
  if (
    ref === "refs/notes/spe" &&
    before &&
    after &&
    (scope.confined || otherRunsLive || scope.lanes)
  )
    return isAncestor(scope.git, before, after);
  return false;
}

async function restoreRef(
  scope: GuardScope,
  ref: string,
  before: string | undefined,
  after: string | undefined,
): Promise<void> {
  if (after) {
    const keep = `refs/spe/quarantine/${scope.runId}/${ref.replace(/^refs\//, "")}`;
    await scope.git.run(["update-ref", "-m", "git spe: changed while model code ran", keep, after]);
  }
  if (before)
    await scope.git.run(["update-ref", "-m", "git spe: put back", ref, before, after ?? ""]);
  else if (after) await scope.git.run(["update-ref", "-d", ref, after]);
}

async function restoreFile(
  scope: GuardScope,
  file: string,
  before: { content: Buffer | null; mode: number },
): Promise<void> {
  const now = await readState(file);
  if (now.content !== null) {
    const keep = path.join(
      scope.commonDir,
      "spe",
      "quarantine",
      scope.runId,
      file.replace(/^\//, ""),
    );
    await fs.mkdir(path.dirname(keep), { recursive: true });
    await fs.rm(keep, { recursive: true, force: true });
    await fs.rename(file, keep).catch(() => fs.rm(file, { recursive: true, force: true }));
  }
  if (before.content !== null) {
    // Written beside it and renamed over it: a symlink planted at the path meanwhile is
    // replaced, never followed.
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.spe-restore-${randomBytes(6).toString("hex")}`;
    await fs.writeFile(temp, before.content, { mode: before.mode & 0o7777, flag: "wx" });
    await fs.chmod(temp, before.mode & 0o7777);
    await fs.rename(temp, file);
  }
}

/** What changed since `before`, each put back where it can be. */
export async function checkRepo(scope: GuardScope, before: RepoSnapshot): Promise<RepoChange[]> {
  const after = await captureRepo(scope);
  const live = before.otherRunsLive || after.otherRunsLive;
  const changes: RepoChange[] = [];
  for (const ref of new Set([...before.refs.keys(), ...after.refs.keys()])) {
    const old = before.refs.get(ref);
    const now = after.refs.get(ref);
    if (old === now || (await benignRefChange(scope, ref, old, now, live))) continue;
    const what = `${ref} ${old === undefined ? "created" : now === undefined ? "deleted" : "moved"} (${short(old)} → ${short(now)})`;
    if (before.checkedOut.has(ref) && now !== undefined) {
      if (scope.confined) continue; // the user's commit: the git dir is read-only in the sandbox
      changes.push({ what, restored: false, tainted: { ref, commit: now } });
      continue;
    }
    await restoreRef(scope, ref, old, now);
    changes.push({ what, restored: true });
  }
  const kept = new Set(after.stash.map((e) => e.oid));
  const missing = before.stash.filter((e) => !kept.has(e.oid));
  if (missing.length > 0) {
    await restoreStashEntries(scope.git, missing);
    changes.push({
      what: `the stash changed (${missing.length} entr${missing.length === 1 ? "y" : "ies"} gone)`,
      restored: true,
    });
  }
  for (const file of new Set([...before.files.keys(), ...after.files.keys()])) {
    const old = before.files.get(file) ?? { content: null, mode: 0 };
    const now = after.files.get(file) ?? { content: null, mode: 0 };
    const same =
      old.mode === now.mode &&
      (old.content === now.content || (old.content !== null && now.content?.equals(old.content)));
    if (same) continue;
    await restoreFile(scope, file, old);
    const what = old.content === null ? "created" : now.content === null ? "deleted" : "changed";
    changes.push({ what: `${file} ${what}`, restored: true });
  }
  return changes;
}

/** One line naming the changes and what became of them. */
export function describeChanges(changes: readonly RepoChange[]): string {
  return changes
    .map((c) =>
      c.restored ? `${c.what}, put back` : `${c.what}, left as it is and never to be merged`,
    )
    .join("; ");
}
