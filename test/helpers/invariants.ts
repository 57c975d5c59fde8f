/**
 * What a user had before `git spe exec` and must still have after it is killed or interrupted:
 * the checked-out branch and its tip, the index (as `git diff --cached` against HEAD), the
 * working tree (status with every untracked file, the unstaged diff, and the bytes of the files
 * the user left dirty), and the stash. Only the tip may differ, and only when the validated
 * merge completed; everything else is relative to HEAD so a fast-forward leaves it equal.
 * `.spe/` is the dir store's own directory (git spe writes its state there) and is left out.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { TestRepo } from "./git-repo.ts";

export interface UserState {
  branch: string;
  tip: string;
  /** Everything but the tip: must be equal before and after. */
  rest: {
    staged: string;
    unstaged: string;
    status: string;
    files: Record<string, string | null>;
    stashList: string;
    stashTip: string;
    /** git's lock files (index.lock, refs/heads/main.lock, …) but spe/'s and worktrees/'. */
    gitLocks: string[];
  };
}

/** A dirty tree and a stash entry, none of it touching the files a run changes. */
export async function makeUserMess(repo: TestRepo): Promise<string[]> {
  await repo.write("README.md", "# test repo\n\nstashed edit\n");
  await repo.git(["stash", "push", "-q", "-m", "the user's own stash"]);
  await repo.write("README.md", "# test repo\n\nan unsaved edit, not staged\n");
  await repo.write("staged.txt", "staged, never committed\n");
  await repo.git(["add", "--", "staged.txt"]);
  await repo.write("staged.txt", "staged, never committed\nand edited again after staging\n");
  await repo.write("scratch/untracked notes.txt", "the user's untracked notes\n");
  return ["README.md", "staged.txt", "scratch/untracked notes.txt"];
}

async function gitLockFiles(gitDir: string): Promise<string[]> {
  const entries = await fs.readdir(gitDir, { recursive: true });
  return entries
    .filter((e) => e.endsWith(".lock"))
    .filter((e) => !e.startsWith(`spe${path.sep}`) && !e.startsWith(`worktrees${path.sep}`))
    .sort();
}

async function readOrNull(file: string): Promise<string | null> {
  return fs.readFile(file, "utf8").catch(() => null);
}

export async function snapshotUserState(repo: TestRepo, files: string[]): Promise<UserState> {
  const outside = ":(exclude).spe";
  const raw = await repo.gitRaw(["stash", "list"]);
  return {
    branch: await repo.git(["symbolic-ref", "HEAD"]),
    tip: await repo.git(["rev-parse", "HEAD"]),
    rest: {
      staged: await repo.git(["diff", "--cached", "--binary", "--", ".", outside]),
      unstaged: await repo.git(["diff", "--binary", "--", ".", outside]),
      status: await repo.git([
        "status",
        "--porcelain",
        "-z",
        "--untracked-files=all",
        "--",
        ".",
        outside,
      ]),
      files: Object.fromEntries(
        await Promise.all(
          files.map(async (f) => [f, await readOrNull(path.join(repo.dir, f))] as const),
        ),
      ),
      stashList: raw.stdout,
      stashTip: await repo.git(["rev-parse", "refs/stash"]),
      gitLocks: await gitLockFiles(await repo.git(["rev-parse", "--absolute-git-dir"])),
    },
  };
}

/**
 * What surrounds the user's work and must be exactly as before a run, whatever the model did:
 * every ref but the ones a run itself writes (its branch, attempts, a new backup, the merged
 * target), the repository's config, its hooks, the files of a stand-in $HOME, and a directory
 * outside the repository.
 */
export interface Surroundings {
  refs: Record<string, string>;
  config: string;
  hooks: Record<string, string>;
  home: Record<string, string>;
  outside: Record<string, string>;
}

async function readTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const file = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, file);
    if (entry.isFile()) out[rel] = await fs.readFile(file, "utf8");
    else if (entry.isSymbolicLink()) out[rel] = `-> ${await fs.readlink(file)}`;
    else if (entry.isDirectory()) out[`${rel}/`] = "";
  }
  return out;
}

/** Refs a run may add or move: its branch, attempts, new backups, quarantine, and `target`. */
const runRefs = /^refs\/(heads\/spe\/|spe\/attempts\/|spe\/backup\/|spe\/quarantine\/)/;

export async function snapshotSurroundings(
  repo: TestRepo,
  places: { home: string; outside: string; target?: string },
): Promise<Surroundings> {
  const gitDir = await repo.git(["rev-parse", "--absolute-git-dir"]);
  const listing = await repo.git(["for-each-ref", "--format=%(refname) %(objectname)"]);
  const refs: Record<string, string> = {};
  for (const line of listing.split("\n").filter(Boolean)) {
    const [name = "", oid = ""] = line.split(" ");
    if (name === (places.target ?? "refs/heads/main") || name === "refs/stash") continue;
    if (runRefs.test(name) && !name.startsWith("refs/spe/backup/earlier")) continue;
    refs[name] = oid;
  }
  return {
    refs,
    config: await fs.readFile(path.join(gitDir, "config"), "utf8"),
    hooks: await readTree(path.join(gitDir, "hooks")),
    home: await readTree(places.home),
    outside: await readTree(places.outside),
  };
}

/** A stand-in $HOME with the things a hostile command goes for. */
export async function makeCanaryHome(dir: string): Promise<{ home: string; secret: string }> {
  const home = path.join(dir, "home");
  const secret = "CANARY-SSH-PRIVATE-KEY-0451";
  await fs.mkdir(path.join(home, ".ssh"), { recursive: true });
  await fs.writeFile(path.join(home, ".ssh", "id_ed25519"), `${secret}\n`, { mode: 0o600 });
  await fs.writeFile(path.join(home, ".bashrc"), "# the user's bashrc\n");
  await fs.writeFile(path.join(home, ".gitconfig"), "[user]\n\tname = The User\n");
  return { home, secret };
}
