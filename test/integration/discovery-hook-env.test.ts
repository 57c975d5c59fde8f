/**
 * Inside a hook git exports GIT_DIR and GIT_INDEX_FILE (a temporary index during
 * `git commit -a` or `git commit <paths>`), sometimes relative to the hook's cwd. Discovery and
 * file sets must use them; work on another worktree must drop them.
 */
import { describe, expect, it } from "vitest";
import { cleanGitEnv } from "../../src/git/env.ts";
import { listStagedChanges } from "../../src/git/files.ts";
import { openRepository } from "../../src/workspace.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

describe("discovery under a hook environment", () => {
  it("honours GIT_INDEX_FILE pointing at a temporary index, given relative to the hook's cwd", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("base", { "tracked.txt": "v1\n", "sub/keep.txt": "k\n" });
      // Build a temporary index that differs from the real one, as `git commit -a` does.
      const tempIndex = ".git/next-index-test.lock";
      const hookEnv = { ...process.env, GIT_INDEX_FILE: tempIndex, GIT_DIR: ".git" };
      await repo.git(["read-tree", "HEAD"], { env: hookEnv });
      await repo.write("tracked.txt", "v2 in the temp index only\n");
      await repo.git(["update-index", "--", "tracked.txt"], { env: hookEnv });

      const { git, paths } = await openRepository({
        cwd: repo.dir,
        env: hookEnv,
        signal: new AbortController().signal,
      });
      expect(paths.toplevel).toBe(repo.dir);
      expect(paths.gitDir).toBe(repo.path(".git"));
      expect(git.env.GIT_INDEX_FILE).toBe(repo.path(".git", "next-index-test.lock"));
      expect(git.env.GIT_DIR).toBe(repo.path(".git"));
      expect(await listStagedChanges(git)).toEqual([{ status: "M", path: "tracked.txt" }]);

      // The real index is untouched, and a git without the hook variables sees it.
      const isolated = git.at(repo.dir, { isolate: true });
      expect(isolated.env.GIT_INDEX_FILE).toBeUndefined();
      expect(await listStagedChanges(isolated)).toEqual([]);
    });
  });

  it("strips every repository-pinning variable for another worktree but keeps config parameters", () => {
    const env = cleanGitEnv({
      GIT_DIR: "/r/.git",
      GIT_WORK_TREE: "/r",
      GIT_INDEX_FILE: "/r/.git/index.lock",
      GIT_COMMON_DIR: "/r/.git",
      GIT_OBJECT_DIRECTORY: "/r/.git/objects",
      GIT_PREFIX: "sub/",
      GIT_CONFIG_PARAMETERS: "'user.name'='X'",
      PATH: "/bin",
    });
    expect(env).toEqual({ GIT_CONFIG_PARAMETERS: "'user.name'='X'", PATH: "/bin" });
  });
});
