import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { pack } from "../helpers/context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

describe("the context cache", () => {
  it("makes a second pack of an unchanged tree tokenize and scan nothing", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("files", {
        "a.ts": "export const a = 1;\n",
        "b.md": "# b\n",
        "c/d.json": "{}\n",
      });
      const first = await pack(repo, { format: "xml" });
      expect(first.stats).toMatchObject({ read: 4, tokenized: 4, scanned: 4 });

      const second = await pack(repo, { format: "xml" });
      expect(second.stats).toMatchObject({ read: 4, tokenized: 0, scanned: 0 });
      expect(second.output).toBe(first.output);
      expect(second.totalTokens).toBe(first.totalTokens);

      await repo.write("a.ts", "export const a = 2;\n");
      const third = await pack(repo, { format: "xml" });
      expect(third.stats).toMatchObject({ tokenized: 1, scanned: 1 });
    });
  });

  it("counts and scans identical files once within a pack", async () => {
    await withGitRepo(async (repo) => {
      const same = "export const shared = 'same bytes in three places';\n";
      await repo.commit("copies", { "a/x.ts": same, "b/x.ts": same, "c/y.ts": same });
      const result = await pack(repo);
      expect(result.stats).toMatchObject({ read: 4, tokenized: 2, scanned: 2 });
      expect(
        new Set(result.files.filter((f) => f.path.endsWith(".ts")).map((f) => f.tokens)).size,
      ).toBe(1);
    });
  });

  it("lives in the common git dir, shared by linked worktrees", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("files", { "a.ts": "export const a = 1;\n" });
      await pack(repo);
      expect(await fs.stat(repo.path(".git", "spe", "cache", "context.json"))).toBeTruthy();
      const linked = `${repo.dir}-wt`;
      await repo.git(["worktree", "add", "-q", "-b", "side", linked]);
      try {
        const { openTestRepo } = await import("../helpers/git-repo.ts");
        const fromLinked = await pack(openTestRepo(linked));
        expect(fromLinked.stats).toMatchObject({ tokenized: 0, scanned: 0 });
      } finally {
        await fs.rm(linked, { recursive: true, force: true });
      }
    });
  });

  it("recovers from a corrupt cache file", async () => {
    await withGitRepo(async (repo) => {
      await fs.mkdir(repo.path(".git", "spe", "cache"), { recursive: true });
      await fs.writeFile(repo.path(".git", "spe", "cache", "context.json"), "{ not json");
      const result = await pack(repo);
      expect(result.files.map((f) => f.path)).toEqual(["README.md"]);
      expect(result.stats.tokenized).toBe(1);
    });
  });
});
