/**
 * `git spe context --budget N --map`: when the files do not fit whole, the named file is whole,
 * the files it uses (and what they use) come as outlines before unrelated ones, the rest are
 * listed by path only, every selected file is in the directory structure, and the exact count
 * stays within the budget. --map without --budget is refused.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { SpeError } from "../../src/errors.ts";
import { countTokensGuarded, loadTokenCounter } from "../../src/context/tokens.ts";
import { pack } from "../helpers/context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

/** A function whose body has `lines` lines. */
const fn = (name: string, uses: string, lines: number) =>
  `export function ${name}(input: string): string {\n${Array.from({ length: lines }, (_, i) => `  const v${i} = ${uses}(input + "${name} step ${i}");`).join("\n")}\n  return input;\n}\n`;

function project(): Record<string, string> {
  const files: Record<string, string> = {
    "src/app.ts": `import { startServer } from "./server.ts";\n\n${fn("main", "startServer", 30)}`,
    "src/server.ts": `import { parseConfig } from "./core.ts";\n\n${fn("startServer", "parseConfig", 30)}`,
    "src/core.ts": fn("parseConfig", "String", 30),
  };
  // Unrelated modules, each with many functions: their outlines are not small.
  for (let m = 1; m <= 8; m++)
    files[`src/extra/module${m}.ts`] = Array.from({ length: 12 }, (_, f) =>
      fn(`helper${m}x${f}`, "String", 20),
    ).join("\n");
  return files;
}

describe("context --map", () => {
  it("puts every file at a level by rank and stays within the budget", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", project());
      const whole = await pack(repo, { format: "xml", reuse: false });
      const selectors = { all: true, pathspecs: ["src/app.ts"] };
      // A quarter of the whole: every file fits at least as an outline, and the room left
      // makes some outlines whole again.
      const roomy = await pack(repo, {
        format: "xml",
        budget: Math.round(whole.totalTokens / 4),
        map: true,
        selectors,
      });
      expect(roomy.levels?.path.files).toBe(0);
      expect(roomy.levels!.whole.files).toBeGreaterThan(2);
      // Room for every outline (the named file whole) but four of the extra modules'.
      const compressed = await pack(repo, { format: "xml", compress: true, reuse: false });
      const tokensIn = (result: typeof whole, file: string) =>
        result.files.find((f) => f.path === file)!.tokens;
      const budget =
        compressed.totalTokens -
        tokensIn(compressed, "src/app.ts") +
        tokensIn(whole, "src/app.ts") -
        4 * tokensIn(compressed, "src/extra/module1.ts");
      const map = await pack(repo, { format: "xml", budget, map: true, selectors });
      expect(map.totalTokens).toBeLessThanOrEqual(budget);
      const level = (path: string) => map.files.find((f) => f.path === path)?.level ?? "path";
      expect(level("src/app.ts")).toBe("whole");
      expect(level("src/server.ts")).toBe("outline");
      expect(level("src/core.ts")).toBe("outline");
      const extras = Object.keys(project()).filter((p) => p.startsWith("src/extra/"));
      const extraLevels = extras.map(level);
      expect(extraLevels).toContain("path");
      expect(extraLevels).not.toContain("whole");
      // Every selected file is listed in the directory structure.
      const tree = /<directory_structure>\n([^]*?)\n<\/directory_structure>/.exec(map.output)?.[1];
      for (const path of [...Object.keys(project()), "README.md"])
        expect(tree, path).toContain(path.split("/").at(-1));
      // An outline's body is gone, its signature stays.
      const server = map.files.find((f) => f.path === "src/server.ts")!;
      expect(server.content).toContain(
        "export function startServer(input: string): string { /* … 31 lines */ }",
      );
      expect(map.output).toContain("files that did not fit whole are outlines");
      expect(map.levels?.whole.files).toBeGreaterThanOrEqual(1);
      expect(map.levels?.path.files).toBe(extraLevels.filter((l) => l === "path").length);
      // Outlines are cached by their text (the roomy map made them): the same map again parses
      // nothing, one changed file
      // is parsed again, alone.
      expect(roomy.stats.outlined).toBeGreaterThan(0);
      expect(map.stats.outlined).toBe(0);
      const again = await pack(repo, { format: "xml", budget, map: true, selectors });
      expect(again.stats.outlined).toBe(0);
      expect(again.output).toBe(map.output);
      await repo.write("src/core.ts", fn("parseConfig", "String", 31));
      const changed = await pack(repo, { format: "xml", budget, map: true, selectors });
      expect(changed.stats.outlined).toBe(1);
      expect(changed.files.find((f) => f.path === "src/core.ts")?.content).toContain(
        "{ /* … 32 lines */ }",
      );
      await repo.write("src/core.ts", fn("parseConfig", "String", 30));
      // The same budget in json: counted whole (the path-only list included), within it.
      const json = await pack(repo, { format: "json", budget, map: true, selectors });
      const counted = countTokensGuarded(json.output, await loadTokenCounter());
      expect(json.totalTokens).toBe(counted);
      expect(counted).toBeLessThanOrEqual(budget);
      expect(JSON.parse(json.output).skipped).toContainEqual(
        expect.objectContaining({
          reason: "budget",
          detail: expect.stringMatching(/^listed by path only/),
        }),
      );
    });
  });

  it("keeps everything whole when everything fits, and refuses --map without --budget", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("project", { "src/core.ts": fn("parseConfig", "String", 5) });
      const map = await pack(repo, { format: "json", budget: 100_000, map: true });
      expect(map.files.every((f) => f.level === "whole")).toBe(true);
      expect(map.levels?.outline.files).toBe(0);
      const error = await pack(repo, { map: true }).catch((e: unknown) => e);
      expect((error as SpeError).exitCode).toBe(2);
      expect((error as SpeError).message).toBe(
        "--map places files under a budget: give --budget N too",
      );
    });
  });

  it("keys outlines by the text packed, and gives copies of one outline that outline", async () => {
    await withGitRepo(async (repo) => {
      const doc = "/** Parses the input, documented. */\n";
      const module = (name: string) =>
        Array.from({ length: 12 }, (_, f) => doc + fn(`${name}${f}`, "String", 20)).join("\n");
      await repo.commit("project", {
        "src/a.ts": module("alpha"),
        "src/copy-1.ts": module("beta"),
        "src/copy-2.ts": module("beta"),
        "src/big.ts": module("gamma") + module("delta"),
      });
      const selectors = { all: true, pathspecs: ["src/a.ts"] };
      // Outlines of the comment-free text under its own key: a later --compress is not given them.
      const stripped = await pack(repo, {
        format: "xml",
        budget: 4000,
        map: true,
        removeComments: true,
        selectors,
      });
      expect(stripped.levels?.outline.files).toBeGreaterThan(0);
      const compressed = await pack(repo, { format: "xml", compress: true, reuse: false });
      expect(compressed.files.find((f) => f.path === "src/a.ts")?.content).toContain(doc);

      // The outlines are cached, their counts are not: both copies still get theirs.
      const mapped = await pack(repo, { format: "xml", budget: 6000, map: true, selectors });
      expect(mapped.stats.outlined).toBeGreaterThan(0);
      await fs.rm(path.join(repo.dir, ".git", "spe", "cache", "context.json"));
      const map = await pack(repo, { format: "xml", budget: 6000, map: true, selectors });
      expect(map.stats.outlined).toBe(0);
      const level = (p: string) =>
        map.files.find((f) => f.path === p)?.level ??
        (map.dropped.some((f) => f.path === p) ? "path" : "?");
      expect(level("src/copy-1.ts")).toBe("outline");
      expect(level("src/copy-2.ts")).toBe("outline");
      expect(map.totalTokens).toBeLessThanOrEqual(6000);
    });
  });
});
