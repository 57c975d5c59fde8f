import { describe, expect, it } from "vitest";
import { pack } from "../helpers/context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

describe("context --diff and --log", () => {
  it("appends the diff of the selected change sets, only for packed files", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("base", {
        "a.ts": "export const a = 1;\n",
        "b.ts": "export const b = 1;\n",
        ".speignore": "b.ts\n",
      });
      await repo.write("a.ts", "export const a = 2;\n");
      await repo.write("b.ts", "export const b = 2;\n");
      await repo.git(["add", "a.ts"]);
      const result = await pack(repo, {
        selectors: { staged: true, modified: true },
        diff: true,
        format: "xml",
      });
      const diff = /<git_diff>\n([^]*)\n<\/git_diff>/.exec(result.output)?.[1] ?? "";
      expect(diff).toContain("diff --git a/a.ts b/a.ts");
      expect(diff).toContain("-export const a = 1;\n+export const a = 2;");
      expect(diff).not.toContain("b.ts");
    });
  });

  it("appends the last N commit subjects", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("second commit", { "x.txt": "x\n" });
      await repo.commit("third commit", { "y.txt": "y\n" });
      const result = await pack(repo, { log: 2, format: "markdown" });
      expect(result.output).toMatch(
        /# Git Log\n```\n[0-9a-f]{7,} \d{4}-\d\d-\d\d third commit\n[0-9a-f]{7,} \d{4}-\d\d-\d\d second commit\n```/,
      );
    });
  });

  it("fences markdown content that itself holds code fences", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("doc", { "doc.md": "text\n````js\ncode\n````\n" });
      const result = await pack(repo, { format: "markdown" });
      expect(result.output).toContain(
        "## File: doc.md\n`````markdown\ntext\n````js\ncode\n````\n`````",
      );
    });
  });
});
