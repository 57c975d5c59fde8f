import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { SpeError } from "../../src/errors.ts";
import { pack, paths } from "../helpers/context.ts";
import { withGitRepo, type TestRepo } from "../helpers/git-repo.ts";

async function manyFiles(repo: TestRepo) {
  const files: Record<string, string> = {};
  for (let i = 0; i < 30; i++)
    files[`src/module-${String(i).padStart(2, "0")}.ts`] =
      `export const value${i} = ${i};\n`.repeat(1 + (i % 7) * 5);
  files["src/important.ts"] = "export function important() { return 42; }\n".repeat(40);
  await repo.commit("many", files);
}

describe("context --budget", () => {
  it("is never exceeded, counted exactly on the rendered document, in every format", async () => {
    await withGitRepo(async (repo) => {
      await manyFiles(repo);
      for (const format of ["xml", "markdown"] as const) {
        const frame = countTokens(
          (await pack(repo, { format, selectors: { pathspecs: ["README.md"] } })).output,
        );
        for (const budget of [frame + 50, frame + 300, frame + 1000, frame + 5000]) {
          const result = await pack(repo, { format, budget });
          expect(countTokens(result.output), `${format} ${budget}`).toBeLessThanOrEqual(budget);
          expect(result.totalTokens).toBe(countTokens(result.output));
        }
      }
      const json = await pack(repo, { format: "json", budget: 500 });
      expect(json.files.reduce((sum, f) => sum + f.tokens, 0)).toBeLessThanOrEqual(500);
    });
  });

  it("drops the lowest-ranked files first and reports what it dropped", async () => {
    await withGitRepo(async (repo) => {
      await manyFiles(repo);
      const important = countTokens("export function important() { return 42; }\n".repeat(40));
      // The explicit path outranks everything --all adds, though it is the largest file.
      const result = await pack(repo, {
        format: "json",
        budget: important + 60,
        selectors: { all: true, pathspecs: ["src/important.ts"] },
      });
      expect(paths(result)).toContain("src/important.ts");
      expect(result.dropped.length).toBeGreaterThan(0);
      expect(result.dropped.every((f) => f.rank < 5)).toBe(true);
      expect(
        result.skipped
          .filter((s) => s.reason === "budget")
          .map((s) => s.path)
          .sort(),
      ).toEqual(result.dropped.map((f) => f.path).sort());
    });
  });

  it("refuses a budget smaller than the document's frame", async () => {
    await withGitRepo(async (repo) => {
      const error = await pack(repo, { format: "xml", budget: 10 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpeError);
      expect((error as SpeError).message).toMatch(
        /^--budget 10 is smaller than the document's frame alone \(\d+ tokens\)$/,
      );
    });
  });
});
