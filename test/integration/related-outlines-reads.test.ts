/**
 * How a step's related outlines read the worktree (the model's worktree, read by git spe outside
 * the sandbox): as packs read, so nothing is read through a symlink, not even through a tracked
 * directory the step replaced with one; and on the analysis pool, through the outline cache, so
 * a second step parses only what changed.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createGit } from "../../src/git/exec.ts";
import { relatedOutlines } from "../../src/workflow/execute/related-outlines.ts";
import { withGitRepo, withTempDir, type TestRepo } from "../helpers/git-repo.ts";

const math = "export function add(a, b) {\n  const sum = a + b;\n  return sum;\n}\n";
const helper = (name: string) =>
  `import { add } from "../src/math.js";\n\nexport function ${name}(x) {\n  const y = add(x, 1);\n  return y * 2;\n}\n`;

const step = {
  id: "S1",
  title: "Change add",
  description: "Change add.",
  files: [{ path: "src/math.js", action: "modify" as const }],
};
const filter = { isIgnored: () => false, maxFileBytes: 1_000_000 };

/** relatedOutlines' arguments for the step above, in this repository as its worktree. */
const argsFor = (repo: TestRepo) => ({
  worktree: repo.dir,
  commonDir: path.join(repo.dir, ".git"),
  git: createGit({ cwd: repo.dir }),
  step,
  filter,
});

describe("a step's related outlines, as read", () => {
  it("reads nothing through a tracked directory replaced by a symlink", async () => {
    await withTempDir(async (outside) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", {
          "src/math.js": math,
          "lib/helpers.js": helper("insideHelper"),
        });
        const args = argsFor(repo);
        // Before: the helper that imports the step's file is shown.
        expect(await relatedOutlines(args)).toContain("export function insideHelper(x)");
        // The directory replaced by a link to a file of the same name outside the worktree.
        await fs.writeFile(path.join(outside, "helpers.js"), helper("outsideOnlyHelper"));
        await fs.rm(repo.path("lib"), { recursive: true });
        await fs.symlink(outside, repo.path("lib"));
        const after = await relatedOutlines(args);
        expect(after).not.toContain("outsideOnlyHelper");
        expect(after).not.toContain("insideHelper");
      });
    });
  });

  it("parses a text once: a second call finds every outline in the cache", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", {
        "src/math.js": math,
        "lib/a.js": helper("helperA"),
        // The same text twice: parsed once.
        "lib/b.js": helper("helperB"),
        "lib/b-copy.js": helper("helperB"),
      });
      const args = argsFor(repo);
      const first = await relatedOutlines(args);
      expect(first).toContain("## lib/a.js (outline)");
      expect(first).toContain("## lib/b-copy.js (outline)");
      expect(first).toContain("export function helperB(x) { /* … 2 lines */ }");
      const cacheFile = repo.path(".git", "spe", "cache", "outlines.json");
      const cached = JSON.parse(await fs.readFile(cacheFile, "utf8")) as {
        entries: Record<string, { d?: string[] }>;
      };
      // src/math.js, lib/a.js and one entry for both copies of lib/b.js, each with its names.
      expect(Object.keys(cached.entries)).toHaveLength(3);
      expect(
        Object.values(cached.entries)
          .map((e) => e.d?.[0])
          .sort(),
      ).toEqual(["add", "helperA", "helperB"]);
      // A second call parses nothing: entries made unparsable in the cache are what it shows.
      const id = Object.keys(cached.entries).find((k) => cached.entries[k]?.d?.[0] === "helperA")!;
      (cached.entries[id] as { t?: string }).t =
        "/* from the cache */\nexport function helperA(x) {}\n";
      await fs.writeFile(cacheFile, JSON.stringify(cached));
      expect(await relatedOutlines(args)).toContain("/* from the cache */");
    });
  });
});
