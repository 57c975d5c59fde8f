import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { pack } from "../helpers/context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

const sources = {
  "src/server.ts":
    "import http from 'node:http';\n\nexport function start(port: number) {\n  return http.createServer((req, res) => res.end('ok')).listen(port);\n}\n",
  "README.md": "# Demo\n\nA small demo with ünïcödé, emoji 🚀 and CJK 漢字.\n",
  "data/config.json": JSON.stringify(
    { name: "demo", values: Array.from({ length: 50 }, (_, i) => i) },
    null,
    2,
  ),
  "empty.txt": "",
};

describe("context token counts", () => {
  it("equal gpt-tokenizer's o200k count of each file's text", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("sources", sources);
      const result = await pack(repo);
      expect(result.files.map((f) => f.path).sort()).toEqual(Object.keys(sources).sort());
      for (const file of result.files)
        expect(file.tokens, file.path).toBe(countTokens(file.content));
      expect(result.totalTokens).toBe(result.files.reduce((sum, f) => sum + f.tokens, 0));
    });
  });

  it("count the rendered XML document to within one token per file boundary", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("sources", sources);
      const result = await pack(repo, { format: "xml" });
      const exact = countTokens(result.output);
      expect(Math.abs(result.totalTokens - exact)).toBeLessThanOrEqual(result.files.length + 2);
    });
  });

  it("count the text after transforms, not the file on disk", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("commented", {
        "a.ts": "// a long explanatory comment that costs tokens\nexport const a = 1;\n",
      });
      const result = await pack(repo, { removeComments: true });
      const file = result.files.find((f) => f.path === "a.ts");
      expect(file?.content).toBe("export const a = 1;\n");
      expect(file?.tokens).toBe(countTokens("export const a = 1;\n"));
    });
  });

  it("count special-token markers in files as ordinary text instead of failing", async () => {
    await withGitRepo(async (repo) => {
      const text = "tokenizer fixture: <|endoftext|> and <|fim_prefix|>\n";
      await repo.commit("fixture", { "fixture.txt": text });
      const result = await pack(repo);
      expect(result.files.find((f) => f.path === "fixture.txt")?.tokens).toBe(
        countTokens(text, { disallowedSpecial: new Set() }),
      );
      expect(() => countTokens(text)).toThrow(/special token/i);
    });
  });
});
