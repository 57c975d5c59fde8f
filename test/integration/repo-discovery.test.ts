import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SpeError } from "../../src/errors.ts";
import { openRepository } from "../../src/workspace.ts";
import { createGitRepo, withGitRepo, withTempDir } from "../helpers/git-repo.ts";

const open = (cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  openRepository({ cwd, env, signal: new AbortController().signal });

async function refusal(promise: Promise<unknown>): Promise<SpeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SpeError)) throw new Error(`expected a SpeError, got ${String(error)}`);
  return error;
}

describe("repository discovery", () => {
  it("finds the root, git dir, common dir and hooks dir from a subdirectory", async () => {
    await withGitRepo(async (repo) => {
      await fs.mkdir(repo.path("a", "b c"), { recursive: true });
      const { paths, git } = await open(repo.path("a", "b c"));
      expect(paths).toEqual({
        toplevel: repo.dir,
        gitDir: repo.path(".git"),
        commonDir: repo.path(".git"),
        hooksDir: repo.path(".git", "hooks"),
        prefix: "a/b c/",
        isLinkedWorktree: false,
      });
      expect(git.cwd).toBe(repo.dir);
    });
  });

  it("tells a linked worktree's own git dir from the shared one", async () => {
    await withGitRepo(async (repo) => {
      const linked = `${repo.dir}-linked`;
      await repo.git(["worktree", "add", "-q", "-b", "side", linked]);
      try {
        const { paths } = await open(linked);
        expect(paths.toplevel).toBe(linked);
        expect(paths.gitDir).toBe(repo.path(".git", "worktrees", path.basename(linked)));
        expect(paths.commonDir).toBe(repo.path(".git"));
        expect(paths.hooksDir).toBe(repo.path(".git", "hooks"));
        expect(paths.isLinkedWorktree).toBe(true);
      } finally {
        await fs.rm(linked, { recursive: true, force: true });
      }
    });
  });

  it("follows core.hooksPath to where git really runs hooks", async () => {
    await withGitRepo(async (repo) => {
      await repo.git(["config", "core.hooksPath", ".githooks"]);
      expect((await open(repo.dir)).paths.hooksDir).toBe(repo.path(".githooks"));
    });
  });

  it("refuses outside a repository with exit 3 naming the directory", async () => {
    await withTempDir(async (dir) => {
      const error = await refusal(open(dir));
      expect(error.exitCode).toBe(3);
      expect(error.message).toBe(`not a git repository: ${dir}`);
    });
  });

  it("refuses a bare repository with exit 3", async () => {
    const bare = await createGitRepo({ bare: true });
    try {
      const error = await refusal(open(bare.dir));
      expect(error.exitCode).toBe(3);
      expect(error.message).toMatch(/is a bare repository: git spe needs a work tree/);
    } finally {
      await fs.rm(bare.dir, { recursive: true, force: true });
    }
  });

  it("refuses to run from inside the .git directory", async () => {
    await withGitRepo(async (repo) => {
      const error = await refusal(open(repo.path(".git")));
      expect(error.exitCode).toBe(3);
      expect(error.message).toMatch(/inside the git directory/);
    });
  });
});
