import { describe, expect, it } from "vitest";
import { pack, paths, skippedAs } from "../helpers/context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

describe("context --modified and --untracked", () => {
  it("--modified selects unstaged changes to tracked files and lists work-tree deletions", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("base", { "a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n" });
      await repo.write("a.txt", "a changed\n");
      await repo.write("b.txt", "b staged\n");
      await repo.git(["add", "b.txt"]);
      await repo.git(["rm", "-q", "--cached", "c.txt"]);
      await repo.write("new.txt", "untracked\n");
      const { rmSync } = await import("node:fs");
      rmSync(repo.path("README.md"));

      const result = await pack(repo, { selectors: { modified: true } });
      expect(paths(result)).toEqual(["a.txt"]);
      expect(result.files[0]?.content).toBe("a changed\n");
      expect(skippedAs(result, "deleted")).toEqual(["README.md"]);
    });
  });

  it("--untracked selects untracked files that are not ignored", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("ignore", { ".gitignore": "build/\n*.log\n" });
      await repo.write("notes/todo file.md", "todo\n");
      await repo.write("build/out.js", "generated\n");
      await repo.write("debug.log", "log\n");
      expect(paths(await pack(repo, { selectors: { untracked: true } }))).toEqual([
        "notes/todo file.md",
      ]);
    });
  });

  it("takes the union of selectors", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("base", { "a.txt": "a\n" });
      await repo.write("a.txt", "a2\n");
      await repo.write("u.txt", "u\n");
      expect(paths(await pack(repo, { selectors: { modified: true, untracked: true } }))).toEqual([
        "a.txt",
        "u.txt",
      ]);
    });
  });
});
