import { describe, expect, it } from "vitest";
import { pack, paths, skippedAs } from "../helpers/context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

describe("context filters: .speignore and context.exclude", () => {
  it("keeps out files matched by .speignore (gitignore syntax) and by config excludes", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("files", {
        ".speignore": "# lockfiles\npackage-lock.json\ngenerated/\n*.min.js\n!keep.min.js\n",
        ".sperc.json": JSON.stringify({
          context: { exclude: ["docs/**/*.pdf.txt", "Secret Plans.md"] },
        }),
        "package-lock.json": "{}\n",
        "generated/api.ts": "x\n",
        "vendor/lib.min.js": "y\n",
        "vendor/keep.min.js": "z\n",
        "docs/a/b.pdf.txt": "w\n",
        "Secret Plans.md": "v\n",
        "secret plans.md": "case matters\n",
        "src/main.ts": "m\n",
      });
      const result = await pack(repo);
      expect(paths(result)).toEqual([
        ".speignore",
        ".sperc.json",
        "README.md",
        "secret plans.md",
        "src/main.ts",
        "vendor/keep.min.js",
      ]);
      expect(skippedAs(result, "ignored")).toEqual([
        "Secret Plans.md",
        "docs/a/b.pdf.txt",
        "generated/api.ts",
        "package-lock.json",
        "vendor/lib.min.js",
      ]);
      // Ignored files are not advertised to the model.
      const xml = (await pack(repo, { format: "xml" })).output;
      expect(xml).not.toContain("generated/api.ts");
    });
  });
});
