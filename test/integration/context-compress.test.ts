/**
 * `git spe context --compress`: source files are packed as outlines (bodies left out, a marker
 * saying how many lines), other files whole, a file that does not parse whole with a note; the
 * counts are the outlines' counts; a stored pack is reused only for the same choice.
 */
import { describe, expect, it } from "vitest";
import { racyMarginMs } from "../../src/context/stat-rows.ts";
import { pack } from "../helpers/context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";

const service = `import { readFile } from "node:fs/promises";

/** Loads the settings. */
export async function loadSettings(file: string): Promise<Record<string, string>> {
  const text = await readFile(file, "utf8");
  const out: Record<string, string> = {};
  for (const line of text.split("\\n")) {
    const [key, value] = line.split("=");
    if (key && value) out[key.trim()] = value.trim();
  }
  return out;
}
`;

describe("context --compress", () => {
  it("packs outlines of source files, keeps the rest whole, and says so", async () => {
    await withGitRepo(async (repo) => {
      await repo.commit("files", {
        "src/settings.ts": service,
        "src/broken.py": "def f(:\n    pass\n",
        "docs/guide.md": "# Guide\n\nSome words.\n",
      });
      // Files younger than the racy margin are never trusted to a stored pack.
      await new Promise((resolve) => setTimeout(resolve, racyMarginMs + 100));
      const whole = await pack(repo, { format: "xml", reuse: false });
      const compressed = await pack(repo, { format: "xml", compress: true });
      const file = (result: typeof whole, path: string) =>
        result.files.find((f) => f.path === path)?.content;

      expect(file(compressed, "src/settings.ts")).toBe(
        'import { readFile } from "node:fs/promises";\n\n/** Loads the settings. */\nexport async function loadSettings(file: string): Promise<Record<string, string>> { /* … 7 lines */ }\n',
      );
      expect(file(compressed, "docs/guide.md")).toBe("# Guide\n\nSome words.\n");
      expect(file(compressed, "src/broken.py")).toBe("def f(:\n    pass\n");
      expect(compressed.ctx.log.lines.map((l) => l.text)).toContain(
        "context: src/broken.py is kept whole, not outlined: it has a syntax error",
      );
      expect(compressed.output).toContain("source files are outlines");
      // Outlines are kept in the shared outline cache; --compress does not ask for the names a
      // file declares and uses (n: 1), so a map parses the file again for them.
      const readOutlines = async () =>
        Object.values(
          (
            JSON.parse(await repo.read(".git/spe/cache/outlines.json")) as {
              entries: Record<string, { t?: string; d?: string[]; n?: number }>;
            }
          ).entries,
        );
      expect(await readOutlines()).toContainEqual(
        expect.objectContaining({
          t: expect.stringContaining("export async function loadSettings("),
          n: 1,
        }),
      );
      const uncached = await pack(repo, { format: "xml", compress: true, reuse: false });
      expect(uncached.stats.outlined).toBe(0);
      expect(uncached.output).toBe(compressed.output);
      const map = await pack(repo, { format: "xml", budget: 320, map: true });
      expect(map.stats.outlined).toBe(1);
      expect(await readOutlines()).toContainEqual(
        expect.objectContaining({
          t: expect.stringContaining("export async function loadSettings("),
          d: ["loadSettings"],
        }),
      );
      const tokens = (result: typeof whole, path: string) =>
        result.files.find((f) => f.path === path)?.tokens ?? 0;
      expect(tokens(compressed, "src/settings.ts")).toBeLessThan(
        tokens(whole, "src/settings.ts") / 2,
      );
      expect(tokens(compressed, "docs/guide.md")).toBe(tokens(whole, "docs/guide.md"));

      // The same pack again is the stored one; without --compress it is not.
      const again = await pack(repo, { format: "xml", compress: true });
      const third = await pack(repo, { format: "xml", compress: true });
      expect(third.stats.reused).toBe(true);
      expect(third.output).toBe(again.output);
      const plain = await pack(repo, { format: "xml" });
      expect(plain.stats.reused).toBe(false);
      expect(file(plain, "src/settings.ts")).toBe(service);
    });
  });
});
