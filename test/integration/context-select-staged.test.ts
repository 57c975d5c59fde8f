import { describe, expect, it } from "vitest";
import { pack, paths, skippedAs } from "../helpers/context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

describe("context --staged", () => {
  it("selects staged additions, modifications and renames (with the old path), lists staged deletions", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("base", {
        "keep.txt": "keep\n",
        "edit.txt": "v1\n",
        "old name.txt": "moved content\n",
        "gone.txt": "bye\n",
      });
      await repo.write("edit.txt", "v2\n");
      await repo.write("-new file.ts", "export {};\n");
      await repo.git(["add", "--", "edit.txt", "-new file.ts"]);
      await repo.git(["mv", "old name.txt", "ünï new name.txt"]);
      await repo.git(["rm", "-q", "gone.txt"]);
      await repo.write("keep.txt", "unstaged change\n");

      const result = await pack(repo, { selectors: { staged: true } });
      expect(paths(result)).toEqual(["-new file.ts", "edit.txt", "ünï new name.txt"]);
      expect(result.files.find((f) => f.path === "ünï new name.txt")?.oldPath).toBe("old name.txt");
      expect(skippedAs(result, "deleted")).toEqual(["gone.txt"]);
      const xml = (await pack(repo, { selectors: { staged: true }, format: "xml" })).output;
      expect(xml).toContain('<file path="ünï new name.txt" old_path="old name.txt">');
      expect(xml).toContain("gone.txt (deleted)");
    });
  });

  it("works before the first commit", async () => {
    await withGitRepo(
      async (repo) => {
        await repo.write("first.txt", "1\n");
        await repo.git(["add", "first.txt"]);
        expect(paths(await pack(repo, { selectors: { staged: true } }))).toEqual(["first.txt"]);
      },
      { initialCommit: false },
    );
  });
});
