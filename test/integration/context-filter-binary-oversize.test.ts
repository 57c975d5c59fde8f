import { describe, expect, it } from "vitest";
import { pack, paths, skippedAs } from "../helpers/context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

describe("context filters: binary and over-size files", () => {
  it("lists a binary file without reading it into the pack", async () => {
    await withGitRepo(async (repo) => {
      const png = Buffer.from([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
      ]);
      await repo.write("logo.png", png);
      await repo.write("text.txt", "plain\n");
      await repo.git(["add", "-A"]);
      await repo.git(["commit", "-q", "-m", "binary"]);
      const result = await pack(repo);
      expect(paths(result)).toEqual(["README.md", "text.txt"]);
      expect(result.skipped).toContainEqual({ path: "logo.png", reason: "binary", detail: "16 B" });
      expect((await pack(repo, { format: "xml" })).output).toContain("logo.png (binary: 16 B)");
    });
  });

  it("skips files over context.maxFileBytes and says how big they were", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("big", {
        ".sperc.json": JSON.stringify({ context: { maxFileBytes: 1000 } }),
        "big.txt": "x".repeat(1001),
        "fits.txt": "y".repeat(1000),
      });
      const result = await pack(repo);
      expect(paths(result)).toEqual([".sperc.json", "README.md", "fits.txt"]);
      expect(skippedAs(result, "too-large")).toEqual(["big.txt"]);
      expect(result.skipped.find((s) => s.path === "big.txt")?.detail).toBe("1001 B > 1000 B");
    });
  });
});
