import fs from "node:fs/promises";
import path from "node:path";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { loadOutliner } from "../../src/context/outline.ts";
import { runCli } from "../helpers/cli.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

interface JsonPack {
  files: { path: string; tokens: number; content: string }[];
  skipped: { path: string; reason: string }[];
  totalTokens: number;
}

describe("git spe context, end to end", () => {
  it("writes the document to stdout by default and a summary to stderr", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("files", { "src/a.ts": "export const a = 1;\n" });
      const result = await runCli(["context"], { cwd: repo.dir });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/^This file is a merged representation of the entire codebase/);
      expect(result.stdout).toContain('<file path="src/a.ts">');
      expect(result.stderr).toMatch(/^packed 2 files, [\d,]+ tokens \(xml\) to stdout in \d+ ms$/m);
    });
  });

  it("--output writes a file; --json then prints a summary; --stats lists the top files", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("files", { "big.md": "word ".repeat(500), "small.md": "hi\n" });
      const result = await runCli(
        ["context", "--json", "--stats", "-o", "pack.md", "--format", "markdown"],
        { cwd: repo.dir },
      );
      expect(result.exitCode).toBe(0);
      const summary = JSON.parse(result.stdout) as {
        output: string;
        files: number;
        totalTokens: number;
      };
      expect(summary).toMatchObject({ output: repo.path("pack.md"), files: 3 });
      expect(await repo.read("pack.md")).toContain("## File: big.md");
      expect(result.stderr).toMatch(/top 3 files by tokens:\n\s+[\d,]+ {2}big\.md/);
    });
  });

  it("reuses the stored pack the third time, byte for byte; --no-cache reads every file again", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("files", { "src/a.ts": "export const a = 1;\n", "b.md": "# b\n" });
      // Files changed in the last two seconds are racily clean: their pack is not stored.
      await new Promise((resolve) => setTimeout(resolve, 2100));
      const outputs: string[] = [];
      const stderrs: string[] = [];
      for (const args of [[], [], [], ["--no-cache"]]) {
        const result = await runCli(["context", "-o", "../pack.xml", ...args], { cwd: repo.dir });
        expect(result.exitCode).toBe(0);
        outputs.push(await repo.read("../pack.xml"));
        stderrs.push(result.stderr);
      }
      expect(new Set(outputs).size).toBe(1);
      expect(outputs[0]).toContain('<file path="src/a.ts">\nexport const a = 1;\n</file>');
      const reused = /\(stored pack reused: no selected file changed\)/;
      expect(stderrs.map((s) => reused.test(s))).toEqual([false, false, true, false]);
      expect(stderrs[2]).toMatch(
        /^packed 3 files, [\d,]+ tokens \(xml\) to \.\.\/pack\.xml in \d+ ms/m,
      );
    });
  });

  it("--json alone prints the JSON pack", async () => {
    await withGitRepo(async (repo) => {
      const result = await runCli(["context", "--json"], { cwd: repo.dir });
      const pack = JSON.parse(result.stdout) as JsonPack;
      expect(pack.files.map((f) => f.path)).toEqual(["README.md"]);
      expect(pack.totalTokens).toBe(countTokens("# test repo\n"));
    });
  });

  it("--stdin with git ls-files -z, from a subdirectory", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("files", { "sub/x y.txt": "x\n", "sub/z.txt": "z\n" });
      const list = await repo.git(["ls-files", "-z", "--", "x y.txt"], { cwd: repo.path("sub") });
      const result = await runCli(["context", "--stdin", "--format", "json"], {
        cwd: repo.path("sub"),
        input: `${list}\0`,
      });
      expect((JSON.parse(result.stdout) as JsonPack).files.map((f) => f.path)).toEqual([
        "sub/x y.txt",
      ]);
    });
  });

  it("refuses bad input with exit 2 and changes nothing", async () => {
    await withGitRepo(async (repo) => {
      for (const [args, message] of [
        [["context", "--format", "yaml"], "--format must be one of xml, markdown, json"],
        [["context", "--budget", "-5"], "option --budget needs a value"],
        [["context", "--plan", "x"], "no spec yet"],
        [["context", "no/such/path"], 'no file matches "no/such/path"'],
      ] as const) {
        const result = await runCli(args, { cwd: repo.dir });
        expect(result.exitCode, args.join(" ")).toBe(2);
        expect(result.stderr).toContain(message);
      }
      expect(await repo.git(["status", "--porcelain", "--untracked-files=all"])).toBe("");
    });
  });

  it("spreads a large pack over worker threads with the same counts as one thread", async () => {
    await withGitRepo(async (repo) => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 100; i++) {
        files[`gen/file-${i}.ts`] = Array.from(
          { length: 1500 },
          (_, j) => `export const v${i}_${j} = "${(i * 7919 + j).toString(36)}";`,
        ).join("\n");
      }
      await repo.commit("large", files);
      const total = Object.values(files).reduce((sum, t) => sum + t.length, 0);
      expect(total).toBeGreaterThan(4 * 1024 * 1024);
      const result = await runCli(["context", "--format", "json", "--debug"], { cwd: repo.dir });
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toMatch(
        /context: 101 texts counted, 0 outlined and 101 scanned of 101 files; [2-9] thread\(s\)/,
      );
      const pack = JSON.parse(result.stdout) as JsonPack;
      expect(pack.files).toHaveLength(101);
      for (const file of pack.files) expect(file.tokens, file.path).toBe(countTokens(file.content));
    });
  });

  it("outlines a large --compress pack on worker threads, as this thread would", async () => {
    await withGitRepo(async (repo) => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 100; i++) {
        files[`src/module-${i}.js`] = Array.from(
          { length: 150 },
          (_, j) =>
            `/** Scales by ${j}. */\nexport function scale${i}_${j}(value, factor = ${j}) {\n  const scaled = value * factor + ${i};\n  return Math.round(scaled * 1000) / 1000;\n}\n`,
        ).join("\n");
      }
      // Two copies of one text: outlined once.
      files["src/copy.js"] = files["src/module-0.js"]!;
      await repo.commit("large", files);
      const result = await runCli(["context", "--compress", "--format", "json", "--debug"], {
        cwd: repo.dir,
      });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stderr).toMatch(
        /context: \d texts counted, 100 outlined and \d+ scanned of \d+ files; [2-9] thread\(s\)/,
      );
      const outliner = await loadOutliner(["a.js"]);
      const pack = JSON.parse(result.stdout) as JsonPack;
      const sources = pack.files.filter((f) => f.path.startsWith("src/"));
      expect(sources).toHaveLength(101);
      for (const file of sources) {
        const outline = outliner.outline(files[file.path]!, file.path) as { text: string };
        expect(outline.text).toContain("{ /* … 2 lines */ }");
        expect(file.content, file.path).toBe(outline.text);
        expect(file.tokens, file.path).toBe(countTokens(file.content));
      }
      // Again, with the stored pack bypassed: every outline comes from the cache.
      await fs.rm(path.join(repo.dir, ".git", "spe", "cache", "packs"), {
        recursive: true,
        force: true,
      });
      const again = await runCli(["context", "--compress", "--format", "json", "--debug"], {
        cwd: repo.dir,
      });
      expect(again.stderr).toMatch(/context: 0 texts counted, 0 outlined and 0 scanned/);
      expect(again.stdout).toBe(result.stdout);

      // A map within a budget: the named file whole, outlines for what fits, paths for the rest.
      const out = path.join(repo.dir, "..", "map.xml");
      const map = await runCli(
        ["context", "--all", "src/module-3.js", "--budget", "60000", "--map", "--json", "-o", out],
        { cwd: repo.dir },
      );
      expect(map.exitCode, map.stderr).toBe(0);
      const summary = JSON.parse(map.stdout) as {
        files: number;
        totalTokens: number;
        levels: Record<"whole" | "outline" | "path", { files: number; tokens: number }>;
      };
      expect(summary.totalTokens).toBeLessThanOrEqual(60_000);
      expect(summary.levels.outline.files).toBeGreaterThan(5);
      expect(summary.levels.path.files).toBeGreaterThan(5);
      expect(summary.levels.whole.files + summary.levels.outline.files).toBe(summary.files);
      expect(summary.files + summary.levels.path.files).toBe(pack.files.length);
      const document = await fs.readFile(out, "utf8");
      expect(document).toContain(`<file path="src/module-3.js">\n${files["src/module-3.js"]}`);
      expect(countTokens(document, { disallowedSpecial: new Set() })).toBe(summary.totalTokens);
      expect(map.stderr).toContain(`map: ${summary.levels.whole.files} whole`);
    });
  });
});
