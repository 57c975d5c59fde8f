/**
 * `withGitRepo`: a fresh repository in a temp directory for one test, never inside this
 * project's own repository, removed afterwards.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface GitRunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface TestRepo {
  /** Absolute, symlink-free path of the work tree. */
  dir: string;
  path(...parts: string[]): string;
  /** Runs git in the repository; throws with stderr on failure; returns trimmed stdout. */
  git(
    args: readonly string[],
    options?: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string },
  ): Promise<string>;
  /** Runs git without throwing. */
  gitRaw(
    args: readonly string[],
    options?: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string },
  ): Promise<GitRunResult>;
  write(relative: string, content: string | Uint8Array): Promise<void>;
  read(relative: string): Promise<string>;
  exists(relative: string): Promise<boolean>;
  /** Writes `files`, stages everything, commits; returns the new commit id. */
  commit(message: string, files?: Record<string, string>): Promise<string>;
}

async function runGit(
  cwd: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<GitRunResult> {
  const result = await execa("git", [...args], {
    cwd,
    env: { ...options.env, LC_ALL: "C" },
    input: options.input,
    reject: false,
    stripFinalNewline: false,
  });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
}

export async function makeTempDir(prefix = "git-spe-test-"): Promise<string> {
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
  if (dir === projectRoot || dir.startsWith(projectRoot + path.sep)) {
    throw new Error(`refusing to use ${dir}: it is inside the git spe project`);
  }
  return dir;
}

export function openTestRepo(dir: string): TestRepo {
  const repo: TestRepo = {
    dir,
    path: (...parts) => path.join(dir, ...parts),
    async gitRaw(args, options = {}) {
      return runGit(options.cwd ?? dir, args, options);
    },
    async git(args, options = {}) {
      const result = await runGit(options.cwd ?? dir, args, options);
      if (result.exitCode !== 0) {
        throw new Error(`git ${args.join(" ")} failed (${result.exitCode}): ${result.stderr}`);
      }
      return result.stdout.replace(/\n$/, "");
    },
    async write(relative, content) {
      const file = path.join(dir, relative);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, content);
    },
    read: (relative) => fs.readFile(path.join(dir, relative), "utf8"),
    exists: (relative) =>
      fs.access(path.join(dir, relative)).then(
        () => true,
        () => false,
      ),
    async commit(message, files = {}) {
      for (const [name, content] of Object.entries(files)) await repo.write(name, content);
      await repo.git(["add", "-A"]);
      await repo.git(["commit", "-q", "--allow-empty", "-m", message]);
      return repo.git(["rev-parse", "HEAD"]);
    },
  };
  return repo;
}

export interface GitRepoOptions {
  /** Make an initial commit with a README (default true). */
  initialCommit?: boolean;
  bare?: boolean;
}

/** Creates a repository; the caller removes `dir` (prefer `withGitRepo`). */
export async function createGitRepo(options: GitRepoOptions = {}): Promise<TestRepo> {
  const dir = await makeTempDir();
  const init = await runGit(dir, ["init", "-q", "-b", "main", ...(options.bare ? ["--bare"] : [])]);
  if (init.exitCode !== 0) throw new Error(`git init failed: ${init.stderr}`);
  const repo = openTestRepo(dir);
  if (options.bare) return repo;
  // Repository-local settings, so the repo behaves the same under any global config.
  for (const [key, value] of [
    ["user.name", "Spe Test"],
    ["user.email", "spe-test@example.invalid"],
    ["init.defaultBranch", "main"],
    ["gc.auto", "0"],
    ["maintenance.auto", "false"],
    ["commit.gpgsign", "false"],
  ]) {
    await repo.git(["config", key as string, value as string]);
  }
  const toplevel = await repo.git(["rev-parse", "--show-toplevel"]);
  if (toplevel !== dir) throw new Error(`temp repository resolved to ${toplevel}, expected ${dir}`);
  if (options.initialCommit !== false)
    await repo.commit("initial commit", { "README.md": "# test repo\n" });
  return repo;
}

export async function withGitRepo<T>(
  fn: (repo: TestRepo) => Promise<T>,
  options: GitRepoOptions = {},
): Promise<T> {
  const repo = await createGitRepo(options);
  try {
    return await fn(repo);
  } finally {
    await fs.rm(repo.dir, { recursive: true, force: true });
  }
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await makeTempDir();
  try {
    return await fn(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
