import { describe, expect, it } from "vitest";
import { oddPaths, pack, paths } from "../helpers/context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

describe("context --all (the default)", () => {
  it("packs every tracked file, odd paths included, byte for byte, and no untracked file", async () => {
    await withGitRepo(async (repo) => {
      const files = Object.fromEntries(
        oddPaths.map((p, i) => [p, `content ${i} of ${JSON.stringify(p)}\n`]),
      );
      await repo.commit("odd paths", files);
      await repo.write("untracked.txt", "not in git\n");

      const result = await pack(repo);
      expect(paths(result)).toEqual([...oddPaths, "README.md"].sort());
      for (const [p, content] of Object.entries(files)) {
        expect(result.files.find((f) => f.path === p)?.content).toBe(content);
      }
      // Explicit --all is the same selection.
      expect(paths(await pack(repo, { selectors: { all: true } }))).toEqual(paths(result));
    });
  });

  it("renders odd paths safely in XML and markdown", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("odd", {
        "new\nline.txt": "x\n",
        'quote"amp&.txt': "y\n",
        "-leading-dash.ts": "z\n",
      });
      const xml = (await pack(repo, { format: "xml" })).output;
      expect(xml).toContain('<file path="new&#10;line.txt">\nx\n</file>');
      expect(xml).toContain('<file path="quote&quot;amp&amp;.txt">');
      expect(xml).toContain('<file path="-leading-dash.ts">');
      expect(xml).toMatch(/<directory_structure>\n[^]*new\\nline\.txt[^]*<\/directory_structure>/);
      const md = (await pack(repo, { format: "markdown" })).output;
      expect(md).toContain("## File: new\\nline.txt\n");
    });
  });

  it("follows repomix's XML layout", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("src", {
        "src/a.ts": "export const a = 1;\n",
        "src/sub/b.ts": "export const b = 2;\n",
      });
      const xml = (await pack(repo, { format: "xml" })).output;
      const order = [
        "<file_summary>",
        "<purpose>",
        "<file_format>",
        "<usage_guidelines>",
        "<notes>",
        "</file_summary>",
        "<directory_structure>",
        "<files>",
        '<file path="README.md">',
        '<file path="src/a.ts">',
        '<file path="src/sub/b.ts">',
        "</files>",
      ];
      const positions = order.map((tag) => xml.indexOf(tag));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(xml).toContain(
        "<directory_structure>\nsrc/\n  sub/\n    b.ts\n  a.ts\nREADME.md\n</directory_structure>",
      );
    });
  });
});
